"""Surrogate-gradient training, spikegraph against snnTorch, side by side on the same data,
network and hyper-parameters (training_cases.py), each in a fresh process.

    python bench/training_compare.py --cases yinyang,digits --threads 1,2 [--epochs 30]

Prints per case and thread count: the median training time per epoch of each, the speed ratio,
the final test accuracy of each and their difference, and peak memory."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNNERS = {
    "spikegraph": (os.path.join(ROOT, ".venv", "bin", "python"), os.path.join(HERE, "sims", "spikegraph_train.py")),
    "snntorch": (os.path.join(HERE, ".venv", "bin", "python"), os.path.join(HERE, "sims", "snntorch_train.py")),
}


def run(name, case, threads, epochs, extra=()):
    python, script = RUNNERS[name]
    with tempfile.TemporaryDirectory() as tmp:
        output = os.path.join(tmp, "result.json")
        command = [python, script, case, "--threads", str(threads), "--output", output, *extra]
        if epochs:
            command += ["--epochs", str(epochs)]
        environment = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        result = subprocess.run(command, capture_output=True, text=True, env=environment)
        if result.returncode != 0:
            sys.exit(f"{name} {case} failed:\n{result.stderr[-2000:]}")
        with open(output) as f:
            return json.load(f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default="yinyang,digits")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--epochs", type=int, default=None)
    args = parser.parse_args()
    print(f"{'case':<9}{'threads':>8}{'spikegraph s/epoch':>20}{'snnTorch s/epoch':>18}{'speed-up':>10}"
          f"{'spikegraph acc':>16}{'snnTorch acc':>14}{'diff pp':>9}{'RSS MB sg/snn':>16}")
    for case in args.cases.split(","):
        for threads in (int(t) for t in args.threads.split(",")):
            ours = run("spikegraph", case, threads, args.epochs)
            theirs = run("snntorch", case, threads, args.epochs)
            t_ours = statistics.median(ours["epoch_seconds"])
            t_theirs = statistics.median(theirs["epoch_seconds"])
            a_ours, a_theirs = ours["test_accuracy"][-1], theirs["test_accuracy"][-1]
            print(f"{case:<9}{threads:>8}{t_ours:>20.3f}{t_theirs:>18.3f}{t_theirs / t_ours:>9.1f}x"
                  f"{100 * a_ours:>15.2f}%{100 * a_theirs:>13.2f}%{100 * (a_ours - a_theirs):>+9.2f}"
                  f"{ours['peak_rss_mb']:>9.0f}/{theirs['peak_rss_mb']:.0f}", flush=True)
    print(f"\n{theirs['simulator']}; final-epoch test accuracy; times are training only (no evaluation).")


if __name__ == "__main__":
    main()
