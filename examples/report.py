"""Summarises a run of a results file: spike counts, rates, ISI CV, synchrony, and a raster plot.

    python examples/report.py results/vogels_abbott.h5 [--group vogels_abbott] [--raster out.png]
"""
import argparse
import pathlib
import sys

import spikegraph as sg


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="results file (HDF5)")
    parser.add_argument("--group", help="run to report (default: the first complete one)")
    parser.add_argument("--raster", help="write a raster plot (PNG) here")
    args = parser.parse_args(argv)

    results = sg.load(args.results)
    run = results[args.group or results.runs[0]]
    duration = run.duration
    stats = {p: sg.summary(run.spikes(p), duration) for p in run.populations}
    attrs = run.attrs
    total = sum(s["spikes"] for s in stats.values())
    neurons = sum(len(run.spikes(p).neurons) for p in run.populations)
    print(f"results:      {pathlib.Path(args.results).resolve()}  (group '{run.name}')")
    if args.raster:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(9, 5))
        sg.plotting.raster([run.spikes(p) for p in run.populations], ax=ax, duration=duration, markersize=0.6)
        ax.set_title(f"{attrs.get('experiment', run.name)}: {duration:g} ms")
        fig.tight_layout()
        pathlib.Path(args.raster).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(args.raster, dpi=120)
        print(f"raster plot:  {pathlib.Path(args.raster).resolve()}")
    print(f"run:          {duration:g} ms at dt = {attrs['dt']:g} ms, seed {attrs['seed']}, {attrs['threads']} threads, "
          f"{attrs['precision']}, {attrs['backend']} backend, {attrs['wall_time']:.2f} s simulating")
    print(f"spike count:  {total} (" + ", ".join(f"{p} {s['spikes']}" for p, s in stats.items()) + ")")
    print(f"mean rate:    {total / (neurons * duration * 1e-3):.2f} Hz (" +
          ", ".join(f"{p} {s['mean_rate']:.2f} Hz" for p, s in stats.items()) + ")")
    print("ISI CV:       " + ", ".join(f"{p} {s['isi_cv']:.2f}" for p, s in stats.items()))
    print("synchrony:    " + ", ".join(f"{p} {s['synchrony']:.3f}" for p, s in stats.items()) +
          " (Golomb chi, 5 ms bins; 0 asynchronous, 1 synchronous)")
    first = next(iter(stats.values()))
    irregular, asynchronous = first["isi_cv"] > 0.8, first["synchrony"] < 0.3
    print(f"state:        {'asynchronous' if asynchronous else 'synchronous'}, {'irregular' if irregular else 'regular'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
