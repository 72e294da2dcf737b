"""SLTT against BPTT: the state each holds and the process's peak memory as the number of steps
grows, and the accuracy each reaches (spikegraph only; each run in a fresh process).

    python bench/training_memory.py [--case digits] [--steps 25,50,100,200]"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from training_compare import run  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", default="digits")
    parser.add_argument("--steps", default="25,50,100,200")
    args = parser.parse_args()
    print(f"{'steps':>6}{'algorithm':>10}{'state MB':>10}{'peak RSS MB':>13}")
    for steps in (int(s) for s in args.steps.split(",")):
        for algorithm in ("bptt", "sltt"):
            r = run("spikegraph", args.case, 1, 1, ("--algorithm", algorithm, "--steps", str(steps)))
            print(f"{steps:>6}{algorithm:>10}{r['state_bytes'] / 1e6:>10.2f}{r['peak_rss_mb']:>13.1f}", flush=True)
    print(f"\naccuracy of {args.case} at its own steps and epochs (final test accuracy):")
    for algorithm, extra in (("bptt", ()), ("sltt", ()), ("sltt_k", ("--k", "5"))):
        r = run("spikegraph", args.case, 1, None, ("--algorithm", algorithm, *extra))
        print(f"{algorithm:>8} {'(k=5)' if extra else '':<6}{100 * r['test_accuracy'][-1]:6.2f}%", flush=True)


if __name__ == "__main__":
    main()
