"""Loihi emulator speed: synaptic events per second on one core of this machine, and the same
small network in Intel Lava's bit-accurate CPU models side by side (when .venv-lava exists).

    .venv/bin/python bench/loihi_speed.py [--steps 2000] [--lava-steps 2000]

Large case: 1000 Poisson-like input neurons and 4000 compartments, fan-in 400 from the inputs and
100 recurrent, all with 8-bit weights; the run's synaptic operations divided by its wall time.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from spikegraph import loihi

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "python"))
from test_loihi import _build, _random_description  # noqa: E402  (the golden tests' network builders)


def large_network(steps, seed=1):
    rng = np.random.default_rng(seed)
    n_in, n = 1000, 4000
    trains = [np.nonzero(rng.random(steps) < 0.05)[0].tolist() for _ in range(n_in)]
    q = loihi.QuantizedNetwork(chip="loihi2")
    q.add_spike_source("in", trains)
    q.add_compartments("exc", n, du=410, dv=205, vth=4000, bias_mant=rng.integers(0, 40, n), bias_exp=[4] * n)
    pre = rng.integers(0, n_in, n * 400)
    post = np.repeat(np.arange(n), 400)
    q.connect("in", "exc", (pre, post, rng.integers(-60, 120, n * 400)), name="in_exc")
    pre = rng.integers(0, n, n * 100)
    post = np.repeat(np.arange(n), 100)
    q.connect("exc", "exc", (pre, post, rng.integers(-120, 60, n * 100)), delays=rng.integers(0, 4, n * 100),
              name="rec")
    q.record("exc", "spikes")
    return q


def small_description(steps, seed=2):
    """A 50-neuron network both spikegraph and Lava run (lava_peer.py's JSON)."""
    return _random_description(np.random.default_rng(seed), steps, sizes=(20, 15, 15), n_in=20)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--lava-steps", type=int, default=2000)
    args = parser.parse_args()

    q = large_network(args.steps)
    emu = q.emulate()
    emu.run(args.steps, progress=False)
    ops = emu.cost()["synaptic_ops"]
    rate = ops / emu.wall_time
    spikes = len(emu.spikes("exc")[0])
    print(f"large: {args.steps} steps, {ops:.3g} synaptic events, {spikes} spikes "
          f"({spikes / 4000 / args.steps * 1000:.1f} Hz at 1 ms), {emu.wall_time:.2f} s -> {rate:.3g} events/s "
          f"({rate / 1e8:.2f} x 1e8)")

    lava_python = ROOT / ".venv-lava" / "bin" / "python"
    if not lava_python.exists():
        print("lava: .venv-lava missing (scripts/test.sh installs it); side-by-side skipped")
        return
    steps = args.lava_steps
    description = small_description(steps)
    populations, sources, projections = description
    small = _build(description, steps)
    emu = small.emulate()
    start = time.perf_counter()
    emu.run(steps, progress=False)
    ours = time.perf_counter() - start
    spec = {"steps": steps,
            "populations": [dict(name=k, probe_state=False, **p) for k, p in populations.items()],
            "sources": [{"name": k, "size": s["size"], "spikes": [[t, n] for t, ns in sorted(s["spikes"].items()) for n in ns]}
                        for k, s in sources.items()],
            "projections": projections}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "net.json")
        with open(path, "w") as f:
            json.dump(spec, f)
        start = time.perf_counter()
        subprocess.run([str(lava_python), str(ROOT / "tests/python/lava_peer.py"), path, os.path.join(tmp, "o.npz"),
                        "--quiet"], check=True, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
        lava = time.perf_counter() - start
        same = all(np.array_equal(np.stack(emu.spikes(k), axis=1).reshape(-1, 2),
                                  np.load(os.path.join(tmp, "o.npz"))[f"spikes_{k}"].reshape(-1, 2))
                   for k in populations)
    print(f"small (50 compartments, {steps} steps): spikegraph {ours * 1e3:.2f} ms, Lava bit-accurate {lava:.2f} s "
          f"(process start included) -> {lava / ours:.0f}x; identical spikes: {same}")


if __name__ == "__main__":
    main()
