"""Memory per synapse and construction speed.

    python bench/memory.py --synapses 100000000 --threads 2

For each table layout, a network of N neurons is compiled twice in fresh processes, once without
and once with a fixed-probability projection of about S synapses. The growth of the peak
resident set (VmHWM) divided by the synapse count is the memory a synapse costs, construction
transients included; the compile time of the second process is the construction time.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = os.path.join(os.path.dirname(HERE), ".venv", "bin", "python")

CHILD = r"""
import json, sys, time
import spikegraph as sg
n, synapses, threads, delays = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
net = sg.Network()
p = net.add_population("p", "lif", n)
if synapses > 0:
    delay = sg.Uniform(0.1, 5.0) if delays == "varying" else 1.0
    # A weight per synapse: a projection whose synapses all share one weight keeps it only once.
    net.connect(p, p, sg.FixedProbability(synapses / (n * n)), weight=sg.Uniform(0.05, 0.15), delay=delay)
start = time.perf_counter()
sim = sg.compile(net, threads=threads)
seconds = time.perf_counter() - start
with open("/proc/self/status") as f:
    peak_kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))
print(json.dumps({"peak_bytes": peak_kb * 1024, "synapses": sim.report()["synapses"], "compile_s": seconds,
                  "table_bytes": sim.report()["synapse_memory"]}))
"""


def measure(n, synapses, threads, delays):
    out = subprocess.run([PYTHON, "-c", CHILD, str(n), str(synapses), str(threads), delays], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neurons", type=int, default=100000)
    parser.add_argument("--synapses", type=float, default=1e8)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    print(f"{'delays':<10}{'synapses':>12}{'compile s':>11}{'peak growth B/syn':>19}{'table B/syn':>13}")
    for delays in ("uniform", "varying"):
        empty = measure(args.neurons, 0, args.threads, delays)
        full = measure(args.neurons, args.synapses, args.threads, delays)
        growth = (full["peak_bytes"] - empty["peak_bytes"]) / full["synapses"]
        print(f"{delays:<10}{full['synapses']:>12.0f}{full['compile_s']:>11.2f}{growth:>19.2f}"
              f"{full['table_bytes'] / full['synapses']:>13.2f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
