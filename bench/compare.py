"""Runs spikegraph and its peers on the same networks, side by side, and prints a table.

    python bench/compare.py --cases coba4000,cuba4000 --duration 10000 --threads 1

Each simulator runs in a fresh process (--repeat N rounds, each round running every simulator
once, so that a slow spell of the machine hits all of them; the fastest run counts, and the
ratios of runs in the same round are printed too); "total" is that process's wall time from start to its
spikes written to disk, "run" the simulation loop alone, "build" network construction (and, for
Brian2 standalone, code generation and compilation). A speed ratio counts only when the two
simulators agree: mean rate within 5% and ISI CV within 10% of spikegraph's. For the
microcircuit, spikegraph's per-population rates are compared with the published ones (10%).
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import networks  # noqa: E402

SPIKEGRAPH_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
PEER_PYTHON = os.path.join(HERE, ".venv", "bin", "python")

SIMULATORS = {
    # name: (interpreter, script, option)
    "spikegraph": (SPIKEGRAPH_PYTHON, "spikegraph_sim.py", ""),
    "spikegraph-midpoint": (SPIKEGRAPH_PYTHON, "spikegraph_sim.py", "midpoint"),
    "spikegraph-euler": (SPIKEGRAPH_PYTHON, "spikegraph_sim.py", "euler"),
    "brian2-standalone": (PEER_PYTHON, "brian2_sim.py", "standalone"),
    "brian2-cython": (PEER_PYTHON, "brian2_sim.py", "cython"),
    "nest": (PEER_PYTHON, "nest_sim.py", ""),
}
DEFAULT = {
    "coba4000": ["spikegraph", "spikegraph-midpoint", "spikegraph-euler", "brian2-standalone", "brian2-cython", "nest"],
    "cuba4000": ["spikegraph", "brian2-standalone", "brian2-cython", "nest"],
    "coba4000_stdp": ["spikegraph", "spikegraph-euler", "brian2-standalone"],
    "coba40000": ["spikegraph", "spikegraph-midpoint", "spikegraph-euler", "brian2-standalone", "nest"],
    "cuba40000": ["spikegraph", "brian2-standalone", "nest"],
    "brunel": ["spikegraph", "brian2-standalone", "nest"],
    "microcircuit": ["spikegraph", "nest"],
}


def run(simulator, case, duration, threads, output_dir):
    python, script, option = SIMULATORS[simulator]
    output = os.path.join(output_dir, f"{case}_{simulator}_{threads}t.json")
    command = [python, os.path.join(HERE, "sims", script), case, "--duration", str(duration), "--threads",
               str(threads), "--output", output]
    if option:
        command += ["--option", option]
    # NumPy's OpenBLAS starts one spinning thread per core at import; on a small machine they
    # compete with the simulation threads, so every simulator runs with one BLAS thread.
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    total = time.perf_counter() - start
    if result.returncode != 0:
        return {"simulator": simulator, "error": (result.stderr or result.stdout).strip().splitlines()[-1:]}
    with open(output) as f:
        record = json.load(f)
    record["total_s"] = total
    record["name"] = simulator
    return record


def agree(reference, other):
    rate_ok = abs(other["rate"] - reference["rate"]) <= 0.05 * reference["rate"]
    cv_ok = abs(other["cv"] - reference["cv"]) <= 0.10 * reference["cv"]
    return rate_ok and cv_ok


def reference_of(records):
    """spikegraph's record, or else the first simulator's: the one ratios refer to."""
    good = [r for r in records if "error" not in r]
    return next((r for r in good if r.get("name") == "spikegraph"), good[0] if good else None)


def table(case, records, threads, tries=None):
    reference = reference_of(records)
    print(f"\n## {case}, {threads} thread(s)")
    print(f"{'simulator':<22}{'run s':>9}{'ratio':>8}{'build s':>9}{'total s':>9}{'peak MB':>9}"
          f"{'spikes':>10}{'rate Hz':>9}{'CV':>7}  agrees")
    for r in records:
        if "error" in r:
            print(f"{r['simulator']:<22} failed: {' '.join(r['error'])}")
            continue
        ratio = r["run_s"] / reference["run_s"] if reference else float("nan")
        agrees = "-" if r is reference or reference is None else ("yes" if agree(reference, r) else "NO")
        print(f"{r['name']:<22}{r['run_s']:>9.3f}{ratio:>8.2f}{r['build_s']:>9.2f}{r['total_s']:>9.2f}"
              f"{r['peak_rss_mb']:>9.0f}{r['spikes']:>10}{r['rate']:>9.2f}{r['cv']:>7.2f}  {agrees}")
    if tries and reference is not None:
        # Per round (the k-th run of each): each simulator's run time over the reference's.
        for name in [r["name"] for r in records if "error" not in r and r is not reference]:
            ratios = sorted(a["run_s"] / b["run_s"] for a, b in zip(tries[name], tries[reference["name"]])
                            if "error" not in a and "error" not in b)
            if len(ratios) > 1:
                print(f"{name:<22} ratio to {reference['name']} per round: " + ", ".join(f"{x:.2f}" for x in ratios) +
                      f" (median {ratios[len(ratios) // 2]:.2f})")
    for r in records:
        if "w_mean" in r:
            print(f"{r['name']:<22} learned weights: mean {r['w_mean'] * 1e3:.3f} nS, sd {r['w_sd'] * 1e3:.3f} nS, "
                  f"{100 * r['w_low']:.1f}% below 0.1 w_max")
    if case == "microcircuit":
        names = networks.MICROCIRCUIT["populations"]
        published = networks.MICROCIRCUIT["reference_rates"]
        for r in records:
            if "error" in r:
                continue
            deviations = [abs(a - b) / b for a, b in zip(r["rates"], published)]
            print(f"{r['name']:<22} rates " + " ".join(f"{n}={x:.2f}" for n, x in zip(names, r["rates"])) +
                  f"  (largest deviation from published {100 * max(deviations):.1f}%)")
        print(f"{'published':<22} rates " + " ".join(f"{n}={x:.2f}" for n, x in zip(names, published)))
        for r in records:
            if "error" not in r:
                print(f"{r['name']:<22} real-time factor {r['run_s'] / (r['duration'] * 1e-3):.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="coba4000,cuba4000")
    parser.add_argument("--duration", type=float, default=10000.0, help="biological time [ms]")
    parser.add_argument("--threads", default="1", help="comma-separated thread counts")
    parser.add_argument("--simulators", default="", help="comma-separated; default per case")
    parser.add_argument("--repeat", type=int, default=1, help="runs per simulator; the fastest counts")
    parser.add_argument("--output-dir", default=os.path.join(HERE, "results"))
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    for case in args.cases.split(","):
        for threads in [int(t) for t in args.threads.split(",")]:
            simulators = args.simulators.split(",") if args.simulators else DEFAULT[case]
            tries = {simulator: [] for simulator in simulators}  # in round order
            for round_ in range(args.repeat):
                for simulator in simulators:
                    print(f"running {simulator} on {case} ({threads} thread(s), {args.duration:g} ms, round "
                          f"{round_ + 1}/{args.repeat}) ...", file=sys.stderr, flush=True)
                    tries[simulator].append(run(simulator, case, args.duration, threads, args.output_dir))
            records = []
            for simulator in simulators:
                good = [r for r in tries[simulator] if "error" not in r]
                records.append(min(good, key=lambda r: r["run_s"]) if good else tries[simulator][0])
            table(case, records, threads, tries)
            with open(os.path.join(args.output_dir, f"{case}_{threads}t.json"), "w") as f:
                json.dump(records, f, indent=1)


if __name__ == "__main__":
    main()
