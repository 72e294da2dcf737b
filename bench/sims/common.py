"""Shared by the simulator scripts: argument parsing, statistics, and the result record."""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import networks  # noqa: E402


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("case", choices=sorted(networks.CASES))
    parser.add_argument("--duration", type=float, default=10000.0, help="biological time [ms]")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", required=True, help="JSON record; spikes go next to it (.npz)")
    parser.add_argument("--option", default="", help="simulator-specific variant")
    return parser.parse_args()


def statistics(times, senders, sizes, duration, transient=0.0):
    """Mean rate [Hz], mean ISI CV (neurons with >= 3 spikes) and rates per population.
    `senders` are global indices over the concatenated populations given by `sizes`."""
    times = np.asarray(times, dtype=float)
    senders = np.asarray(senders, dtype=np.int64)
    keep = times >= transient
    times, senders = times[keep], senders[keep]
    span = (duration - transient) * 1e-3
    total = int(sum(sizes))
    counts = np.bincount(senders, minlength=total)
    order = np.lexsort((times, senders))
    t_sorted, s_sorted = times[order], senders[order]
    isi = np.diff(t_sorted)
    same = s_sorted[1:] == s_sorted[:-1]
    isi, owner = isi[same], s_sorted[1:][same]
    n_isi = np.bincount(owner, minlength=total)
    mean = np.bincount(owner, weights=isi, minlength=total)
    squares = np.bincount(owner, weights=isi * isi, minlength=total)
    valid = n_isi >= 2
    m = mean[valid] / n_isi[valid]
    var = squares[valid] / n_isi[valid] - m * m
    cv = float(np.mean(np.sqrt(np.maximum(var, 0.0)) / m)) if valid.any() else float("nan")
    bounds = np.cumsum([0] + list(sizes))
    per_population = [float(counts[bounds[i]:bounds[i + 1]].sum() / (sizes[i] * span)) for i in range(len(sizes))]
    return {"spikes": int(len(times)), "rate": float(len(times) / (total * span)), "cv": cv,
            "rates": per_population}


def finish(args, simulator, build_seconds, run_seconds, times, senders, sizes, transient=0.0, extra=None):
    """Writes the spikes (.npz) and the JSON record; the caller's process ends right after."""
    base = os.path.splitext(args.output)[0]
    np.savez_compressed(base + ".npz", times=np.asarray(times, dtype=np.float64), senders=np.asarray(senders, dtype=np.uint32))
    record = {
        "simulator": simulator, "case": args.case, "threads": args.threads, "duration": args.duration,
        "build_s": build_seconds, "run_s": run_seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    record.update(statistics(times, senders, sizes, args.duration, transient))
    record.update(extra or {})
    with open(args.output, "w") as f:
        json.dump(record, f)


def clock():
    return time.perf_counter()
