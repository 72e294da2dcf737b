"""A trained network on the emulated Loihi: accuracy next to the float network's, cores used and
energy and time per inference.

    .venv/bin/python bench/loihi_trained.py [--case yinyang] [--epochs 30] [--chip loihi2]

Trains the case's network (bench/training_cases.py) with Loihi's reset (to zero, in the step that
spikes), exports it (spikegraph.trained_network), runs the test set on the cpu backend (double)
and on the loihi backend (quantized, bit-accurate), then one sample at a time on a single copy of
the network for the cost per inference (dynamic energy from the run's operations, static energy
of the chips used over the inference's time).
"""
import argparse
import time

import numpy as np

import training_cases
import spikegraph as sg
from spikegraph import datasets, loihi
from spikegraph import training as sgt
from spikegraph.trained_network import run_on_backend, to_network


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", default="yinyang", choices=sorted(training_cases.CASES))
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--chip", default="loihi2", choices=loihi.CHIPS)
    parser.add_argument("--cost-samples", type=int, default=100)
    args = parser.parse_args()
    case = training_cases.CASES[args.case]
    (x_train, y_train), (x_test, y_test) = training_cases.load(args.case, datasets, case["steps"])
    sizes, steps = case["sizes"], case["steps"]
    layer = dict(beta=case["beta"], reset="zero", reset_delay=False)
    model = sgt.Model([sgt.Linear(sizes[0], sizes[1]), sgt.Leaky(**layer),
                       sgt.Linear(sizes[1], sizes[2]), sgt.Leaky(**layer)], seed=1)
    start = time.perf_counter()
    model.fit(x_train, y_train, steps=steps, epochs=args.epochs or case["epochs"], batch_size=case["batch_size"],
              optimizer=sgt.Adam(lr=case["lr"]), schedule=case["schedule"], loss=case["loss"], progress=False)
    print(f"{args.case}: trained {sizes} T={steps} in {time.perf_counter() - start:.1f} s")
    exact = run_on_backend(model, x_test, y_test, steps=steps, backend="cpu")
    chip = run_on_backend(model, x_test, y_test, steps=steps, backend="loihi")
    print(f"test accuracy: float (cpu backend, double) {100 * exact['accuracy']:.2f}%, "
          f"loihi {100 * chip['accuracy']:.2f}% ({100 * (chip['accuracy'] - exact['accuracy']):+.2f} pp)")

    net, info = to_network(model, x_test[:1], steps)
    q = loihi.quantize(net, chip=args.chip, dt=info["dt"])
    for e in q.errors["projections"]:
        print(f"  {e['projection']}: weight_exp {e['weight_exp']}, {e['sign_mode']}, rms error "
              f"{100 * e['rms_relative_error']:.2f}% of max|w|")
    placement = q.map()
    print(f"one copy on {args.chip}: {len(placement['cores'])} cores, {placement['chips']} chip(s); "
          + ", ".join(f"{k} {v:.1f}%" for k, v in placement["usage"].items() if "max" in k))
    energy, dynamic, time_ns = [], [], []
    for k in range(min(args.cost_samples, len(x_test))):
        net, info = to_network(model, x_test[k:k + 1], steps)
        emu = loihi.quantize(net, chip=args.chip, dt=info["dt"]).emulate()
        emu.run(info["steps"] + info["lag"], progress=False)
        cost = emu.cost(inferences=1)
        energy.append(cost["energy_per_inference_pj"])
        dynamic.append(cost["dynamic_energy_pj"])
        time_ns.append(cost["time_per_inference_ns"])
    print(f"per inference ({len(energy)} test samples, {steps + info['lag']} steps each): energy "
          f"{np.mean(energy) * 1e-6:.3f} uJ (dynamic {np.mean(dynamic) * 1e-6:.4f} uJ), time {np.mean(time_ns) * 1e-3:.1f} us")


if __name__ == "__main__":
    main()
