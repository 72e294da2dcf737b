"""The default experiment: the Vogels-Abbott balanced network on the CPU backend.

4000 conductance-based LIF neurons (3200 excitatory, 800 inhibitory), 2% random connectivity,
in the COBA form of Brette et al. (2007), benchmark 1: tau_m = 20 ms, c_m = 200 pF, rest and
reset -60 mV, threshold -50 mV, refractory 5 ms, synaptic conductances 6 nS (excitatory,
tau 5 ms, reversal 0 mV) and 67 nS (inhibitory, tau 10 ms, reversal -80 mV), a 20 mV drive
(0.2 nA) as in the Brian2, ANNarchy and GeNN versions of the benchmark, and membrane potentials
starting uniformly between reset and threshold. Vogels & Abbott (2005, J. Neurosci. 25:10786)
describe the resulting state: asynchronous (low synchrony) and irregular (ISI CV near or above 1).

Writes an HDF5 results file and a raster plot, and prints where they are with a summary.
"""
import argparse
import pathlib
import sys
import time

import spikegraph as sg

NEURON = dict(tau_m=20.0, c_m=0.2, v_rest=-60.0, v_th=-50.0, v_reset=-60.0, t_ref=5.0,
              tau_syn_e=5.0, tau_syn_i=10.0, e_rev_e=0.0, e_rev_i=-80.0, i_offset=0.2)


def build(n_exc=3200, n_inh=800, p=0.02, w_exc=0.006, w_inh=0.067):
    net = sg.Network()
    exc = net.add_population("exc", "coba_lif", n_exc, v=sg.Uniform(-60.0, -50.0), **NEURON)
    inh = net.add_population("inh", "coba_lif", n_inh, v=sg.Uniform(-60.0, -50.0), **NEURON)
    connector = sg.FixedProbability(p)
    for post in (exc, inh):
        net.connect(exc, post, connector, weight=w_exc, receptor="excitatory")  # uS
        net.connect(inh, post, connector, weight=w_inh, receptor="inhibitory")
    net.record(exc, "spikes")
    net.record(inh, "spikes")
    net.record(exc, "v", neurons=range(5), interval=0.1)
    return net


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=1000.0, help="biological time [ms]")
    parser.add_argument("--dt", type=float, default=0.1, help="time step [ms]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="0: all cores")
    parser.add_argument("--precision", choices=["float", "double"], default="float")
    parser.add_argument("--output", default="results/vogels_abbott.h5")
    parser.add_argument("--raster", default="results/vogels_abbott_raster.png")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    net = build()
    sim = sg.compile(net, dt=args.dt, seed=args.seed, threads=args.threads, precision=args.precision)
    compiled = time.perf_counter()
    run_seconds = sim.run(args.duration)

    output = pathlib.Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    sim.save(output, group="vogels_abbott", overwrite=True)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    exc, inh = sim.spikes("exc"), sim.spikes("inh")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), height_ratios=[3, 1], sharex=True)
    sg.plotting.raster([exc, inh], ax=top, duration=args.duration, markersize=0.6)
    top.set_title("Vogels-Abbott balanced network (COBA, 4000 neurons)")
    sg.plotting.traces(sim.trace("exc", "v"), ax=bottom, neurons=[0, 1])
    fig.tight_layout()
    raster = pathlib.Path(args.raster)
    raster.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(raster, dpi=120)
    total = time.perf_counter() - start

    stats = {name: sg.summary(spikes, args.duration) for name, spikes in (("exc", exc), ("inh", inh))}
    all_spikes = len(exc) + len(inh)
    mean_rate = all_spikes / ((len(exc.neurons) + len(inh.neurons)) * args.duration * 1e-3)
    print(f"results:      {output.resolve()}  (group 'vogels_abbott')")
    print(f"raster plot:  {raster.resolve()}")
    print(f"network:      {int(sim.report()['neurons'])} neurons, {int(sim.report()['synapses'])} synapses, "
          f"{args.duration:g} ms at dt = {args.dt:g} ms, seed {args.seed}, {sim.run_info()['threads']} threads, "
          f"{args.precision}")
    print(f"spike count:  {all_spikes} (exc {len(exc)}, inh {len(inh)})")
    print(f"mean rate:    {mean_rate:.2f} Hz (exc {stats['exc']['mean_rate']:.2f} Hz, inh {stats['inh']['mean_rate']:.2f} Hz)")
    print(f"ISI CV:       exc {stats['exc']['isi_cv']:.2f}, inh {stats['inh']['isi_cv']:.2f}")
    print(f"synchrony:    exc {stats['exc']['synchrony']:.3f}, inh {stats['inh']['synchrony']:.3f} "
          f"(Golomb chi, 5 ms bins; 0 asynchronous, 1 synchronous)")
    print(f"wall time:    {total:.2f} s (build + compile {compiled - start:.2f} s, run {run_seconds:.2f} s, "
          f"save + plot {total - (compiled - start) - run_seconds:.2f} s)")
    irregular = stats["exc"]["isi_cv"] > 0.8
    asynchronous = stats["exc"]["synchrony"] < 0.3
    print(f"state:        {'asynchronous' if asynchronous else 'synchronous'}, {'irregular' if irregular else 'regular'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
