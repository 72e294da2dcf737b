"""snnTorch side of the training benchmark: a two-layer spiking network trained with BPTT.

Network: Linear -> snn.Leaky -> Linear -> snn.Leaky (snnTorch defaults: threshold 1, reset by
subtraction, ATan surrogate with alpha 2, delayed detached reset unless reset_delay=False),
Adam, and one of snnTorch's output losses (default: cross-entropy on output spike counts,
``snntorch.functional.ce_count_loss``). Accuracy is the argmax of output spike counts (ties,
including all-silent outputs, go to the lowest class index, as torch.argmax does).

Inputs are either static, shape (n, features), applied as the same input current at every one
of ``steps`` steps (the first Linear layer is evaluated once per batch and reused), or time
series, shape (n, steps, features), fed step by step.

Runs in bench/.venv (torch and snntorch; never dependencies of spikegraph):

    bench/.venv/bin/python bench/training_peer_snntorch.py --epochs 30 --threads 1
    bench/.venv/bin/python bench/training_peer_snntorch.py --epochs 10 --threads 2 --json out.json

The __main__ trains 4-120-3 on Yin-Yang (5000 training points, seed 42; 1000 test points,
seed 40; T = 50, beta 0.9, batch 32, Adam lr 1e-3) and prints each epoch's training time and
test accuracy. Timings count training only (batches: forward, loss, backward, optimiser step),
not evaluation.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time

import numpy as np

LOSSES = ("ce_count", "ce_rate", "ce_max_membrane", "mse_count")


def _datasets_module():
    """spikegraph.datasets, loaded from the source tree by path (numpy only, no _core needed)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python",
                        "spikegraph", "datasets.py")
    spec = importlib.util.spec_from_file_location("_spikegraph_datasets", os.path.normpath(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _make_loss(name, loss_kwargs):
    import snntorch.functional as SF
    if name == "ce_count":
        return SF.ce_count_loss(**loss_kwargs)
    if name == "ce_rate":
        return SF.ce_rate_loss(**loss_kwargs)
    if name == "ce_max_membrane":
        return SF.ce_max_membrane_loss(**loss_kwargs)
    if name == "mse_count":
        kwargs = {"correct_rate": 0.8, "incorrect_rate": 0.2}
        kwargs.update(loss_kwargs)
        return SF.mse_count_loss(**kwargs)
    raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {name!r}")


def run_snntorch(x_train, y_train, x_test, y_test, hidden, steps, beta=0.9, epochs=10,
                 batch_size=32, lr=1e-3, loss="ce_count", threads=1, seed=0, reset_delay=True,
                 surrogate_alpha=2.0, loss_kwargs=None, shuffle=True, eval_batch_size=1000,
                 on_epoch=None, schedule="constant"):
    """Train Linear-Leaky-Linear-Leaky with snnTorch and return timings and accuracies.

    Returns a dict: ``epoch_times_s`` (training wall time of each epoch, seconds),
    ``test_accuracy`` (after each epoch), ``train_loss`` (mean batch loss of each epoch),
    ``final_train_accuracy``, ``final_test_accuracy``, ``torch_version``,
    ``snntorch_version``, ``threads`` and ``config``. ``on_epoch(epoch, record)`` is called
    after each epoch (for progress output).
    """
    import torch
    import torch.nn as nn
    import snntorch
    import snntorch as snn
    from snntorch import surrogate

    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {loss!r}")
    if int(steps) < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    steps = int(steps)
    torch.set_num_threads(int(threads))
    try:
        torch.set_num_interop_threads(int(threads))
    except RuntimeError:
        pass  # only settable once per process, before any parallel work
    torch.manual_seed(seed)

    xtr = torch.as_tensor(np.asarray(x_train, dtype=np.float32))
    xte = torch.as_tensor(np.asarray(x_test, dtype=np.float32))
    ytr = torch.as_tensor(np.asarray(y_train, dtype=np.int64))
    yte = torch.as_tensor(np.asarray(y_test, dtype=np.int64))
    if xtr.ndim not in (2, 3) or xte.ndim != xtr.ndim:
        raise ValueError(f"x_train and x_test must both be (n, features) or (n, steps, features), "
                         f"got shapes {tuple(xtr.shape)} and {tuple(xte.shape)}")
    temporal = xtr.ndim == 3
    if temporal and (xtr.shape[1] != steps or xte.shape[1] != steps):
        raise ValueError(f"time-series inputs must have steps={steps} on axis 1, got shapes "
                         f"{tuple(xtr.shape)} and {tuple(xte.shape)}")
    n_in = xtr.shape[-1]
    n_out = int(max(ytr.max().item(), yte.max().item())) + 1

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            grad = surrogate.atan(alpha=surrogate_alpha)
            self.fc1 = nn.Linear(n_in, hidden)
            self.lif1 = snn.Leaky(beta=beta, threshold=1.0, spike_grad=grad,
                                  reset_mechanism="subtract", reset_delay=reset_delay)
            self.fc2 = nn.Linear(hidden, n_out)
            self.lif2 = snn.Leaky(beta=beta, threshold=1.0, spike_grad=grad,
                                  reset_mechanism="subtract", reset_delay=reset_delay)

        def forward(self, x):
            batch = x.shape[0]
            mem1 = torch.zeros(batch, hidden)
            mem2 = torch.zeros(batch, n_out)
            spikes, mems = [], []
            cur1_static = None if temporal else self.fc1(x)
            for t in range(steps):
                cur1 = self.fc1(x[:, t]) if temporal else cur1_static
                spk1, mem1 = self.lif1(cur1, mem1)
                spk2, mem2 = self.lif2(self.fc2(spk1), mem2)
                spikes.append(spk2)
                mems.append(mem2)
            return torch.stack(spikes), torch.stack(mems)     # (steps, batch, classes)

    net = Net()
    loss_fn = _make_loss(loss, dict(loss_kwargs or {}))
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)

    def accuracy(x, y):
        net.eval()
        correct = 0
        with torch.no_grad():
            for start in range(0, x.shape[0], eval_batch_size):
                spk, _ = net(x[start:start + eval_batch_size])
                pred = spk.sum(0).argmax(1)
                correct += (pred == y[start:start + eval_batch_size]).sum().item()
        net.train()
        return correct / x.shape[0]

    # "cosine": torch's CosineAnnealingLR stepped once per epoch (as spikegraph's schedule="cosine").
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=epochs) if schedule == "cosine" else None
    epoch_times, test_acc, train_loss = [], [], []
    n = xtr.shape[0]
    for epoch in range(epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
        total, batches = 0.0, 0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            spk, mem = net(xtr[idx])
            value = loss_fn(mem if loss == "ce_max_membrane" else spk, ytr[idx])
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            total += value.item()
            batches += 1
        if scheduler is not None:
            scheduler.step()
        epoch_times.append(time.perf_counter() - t0)
        train_loss.append(total / max(batches, 1))
        test_acc.append(accuracy(xte, yte))
        if on_epoch is not None:
            on_epoch(epoch, {"time_s": epoch_times[-1], "test_accuracy": test_acc[-1],
                             "train_loss": train_loss[-1]})

    return {
        "epoch_times_s": epoch_times,
        "test_accuracy": test_acc,
        "train_loss": train_loss,
        "final_train_accuracy": accuracy(xtr, ytr),
        "final_test_accuracy": test_acc[-1] if test_acc else accuracy(xte, yte),
        "torch_version": torch.__version__,
        "snntorch_version": snntorch.__version__,
        "threads": torch.get_num_threads(),
        "config": {"hidden": hidden, "steps": steps, "beta": beta, "epochs": epochs,
                   "batch_size": batch_size, "lr": lr, "loss": loss, "seed": seed,
                   "reset_delay": reset_delay, "surrogate": f"atan(alpha={surrogate_alpha})",
                   "inputs": "time series" if temporal else "static current",
                   "n_train": int(n), "n_test": int(xte.shape[0]), "n_in": int(n_in),
                   "n_out": n_out},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hidden", type=int, default=120)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--beta", type=float, default=0.9)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--loss", choices=LOSSES, default="ce_count")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-reset-delay", action="store_true",
                        help="reset in the step of the spike (snnTorch reset_delay=False)")
    parser.add_argument("--n-train", type=int, default=5000)
    parser.add_argument("--n-test", type=int, default=1000)
    parser.add_argument("--json", help="write the result dict to this file")
    args = parser.parse_args(argv)

    ds = _datasets_module()
    x_train, y_train = ds.yin_yang(args.n_train, seed=42)
    x_test, y_test = ds.yin_yang(args.n_test, seed=40)

    def report(epoch, rec):
        print(f"epoch {epoch + 1:3d}  train {rec['time_s']:7.3f} s  loss {rec['train_loss']:.4f}"
              f"  test accuracy {100 * rec['test_accuracy']:6.2f} %", flush=True)

    print(f"snnTorch Yin-Yang 4-{args.hidden}-3, T={args.steps}, beta={args.beta}, "
          f"batch {args.batch_size}, Adam lr {args.lr}, loss {args.loss}, "
          f"{args.threads} thread(s), {platform.processor() or platform.machine()}", flush=True)
    result = run_snntorch(x_train, y_train, x_test, y_test, hidden=args.hidden,
                          steps=args.steps, beta=args.beta, epochs=args.epochs,
                          batch_size=args.batch_size, lr=args.lr, loss=args.loss,
                          threads=args.threads, seed=args.seed,
                          reset_delay=not args.no_reset_delay, on_epoch=report)
    times = result["epoch_times_s"]
    print(f"torch {result['torch_version']}, snntorch {result['snntorch_version']}, "
          f"{result['threads']} thread(s): median {np.median(times):.3f} s/epoch, "
          f"final train accuracy {100 * result['final_train_accuracy']:.2f} %, "
          f"test {100 * result['final_test_accuracy']:.2f} %")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
