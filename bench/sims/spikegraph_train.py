"""spikegraph side of the training benchmark (runs in the project's .venv).

    .venv/bin/python bench/sims/spikegraph_train.py yinyang --epochs 30 --threads 1 --output out.json

Trains the case's network (training_cases.py) with BPTT, SLTT or SLTT-K and writes per-epoch
training seconds, test accuracy, the trainer's state bytes and the process's peak RSS as JSON."""
import argparse
import json
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import training_cases  # noqa: E402

from spikegraph import datasets  # noqa: E402
from spikegraph import training as sgt  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("case", choices=sorted(training_cases.CASES))
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--algorithm", default="bptt", choices=["bptt", "sltt", "sltt_k"])
    parser.add_argument("--k", type=int, default=None)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    case = dict(training_cases.CASES[args.case])
    if args.steps:
        case["steps"] = args.steps
    epochs = args.epochs or case["epochs"]
    (x_train, y_train), (x_test, y_test) = training_cases.load(args.case, datasets, case["steps"])
    sizes = case["sizes"]
    model = sgt.Model([sgt.Linear(sizes[0], sizes[1]), sgt.Leaky(beta=case["beta"]),
                       sgt.Linear(sizes[1], sizes[2]), sgt.Leaky(beta=case["beta"])], seed=args.seed)
    history = model.fit(x_train, y_train, steps=case["steps"], epochs=epochs, batch_size=case["batch_size"],
                        optimizer=sgt.Adam(lr=case["lr"]), schedule=case["schedule"], loss=case["loss"],
                        algorithm=args.algorithm, k=args.k, validation=(x_test, y_test), threads=args.threads,
                        progress=False)
    record = {"simulator": "spikegraph", "case": args.case, "threads": args.threads, "algorithm": args.algorithm,
              "steps": case["steps"], "epoch_seconds": history.seconds, "test_accuracy": history.val_accuracy,
              "train_accuracy": history.accuracy, "state_bytes": history.state_bytes[-1],
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}
    with open(args.output, "w") as f:
        json.dump(record, f)


if __name__ == "__main__":
    main()
