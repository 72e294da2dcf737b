"""snnTorch side of the training benchmark (runs in bench/.venv): the case's network and
hyper-parameters from training_cases.py, trained by training_peer_snntorch.run_snntorch.

    bench/.venv/bin/python bench/sims/snntorch_train.py yinyang --epochs 30 --threads 1 --output out.json"""
import argparse
import json
import os
import resource
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)
import training_cases  # noqa: E402
import training_peer_snntorch as peer  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("case", choices=sorted(training_cases.CASES))
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    case = training_cases.CASES[args.case]
    epochs = args.epochs or case["epochs"]
    (x_train, y_train), (x_test, y_test) = training_cases.load(args.case, peer._datasets_module(), case["steps"])
    result = peer.run_snntorch(x_train, y_train, x_test, y_test, hidden=case["sizes"][1], steps=case["steps"],
                               beta=case["beta"], epochs=epochs, batch_size=case["batch_size"], lr=case["lr"],
                               loss=case["loss"], threads=args.threads, seed=args.seed, schedule=case["schedule"])
    record = {"simulator": f"snntorch {result['snntorch_version']} (torch {result['torch_version']})", "case": args.case,
              "threads": args.threads, "epoch_seconds": result["epoch_times_s"], "test_accuracy": result["test_accuracy"],
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}
    with open(args.output, "w") as f:
        json.dump(record, f)


if __name__ == "__main__":
    main()
