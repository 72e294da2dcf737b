"""Brunel (2000) phase diagram: the sweep of experiments/brunel_sweep.toml at full size.

Runs the 24 points (g, eta) of the sweep, 12,500 neurons each, into results/brunel_sweep.h5 (a
re-run skips the points already complete there), saves heat maps of the excitatory neurons'
rate, ISI CV and synchrony to results/brunel_phase_diagram.png and prints one row per point with
its regime. Regimes from two thresholds: regular or irregular from the ISI CV, synchronous or
asynchronous from Golomb's chi. SR synchronous regular, AI asynchronous irregular, SI
synchronous irregular are the states of Brunel's Fig. 2; AR (asynchronous regular) is the fourth
combination, absent from that diagram but reachable by a smaller network.

brunel_sweep.ipynb runs the same sweep at a reduced size with the analysis defined here.
"""
import argparse
import pathlib
import sys
import time

import numpy as np
import spikegraph as sg

EXPERIMENT = pathlib.Path(__file__).resolve().parent / "experiments" / "brunel_sweep.toml"
TRANSIENT = 100.0       # ms left out of every statistic: the network starts from v = 0
# Golomb's chi depends on the bin: bins longer than an oscillation's period average it out,
# much shorter ones drown it in counting noise. 2 ms bins catch the fast oscillations (near
# 180 Hz), 5 ms bins the slow ones (tens of Hz); the synchrony of a point is the larger chi.
SYNCHRONY_BINS = (2.0, 5.0)  # ms
REGULAR_CV = 0.2        # ISI CV below this: regular
SYNCHRONOUS_CHI = 0.2   # Golomb chi at or above this: synchronous
# "?": too few spikes for a CV or a synchrony.
REGIME_COLORS = {"SR": "tab:red", "SI": "tab:orange", "AI": "tab:green", "AR": "tab:gray", "?": "black"}
# The examples of Brunel's Fig. 8 that lie on the grid (his slow SI example is at g = 4.5).
BRUNEL_EXAMPLES = {(3.0, 2.0): "SR", (6.0, 4.0): "SI (fast)", (5.0, 2.0): "AI", (4.0, 0.9): "SI (slow)"}


def classify(cv, chi):
    """SR, SI, AI or AR from an ISI CV and a synchrony chi; "?" if either is NaN."""
    if np.isnan(cv) or np.isnan(chi):
        return "?"
    regular = cv < REGULAR_CV
    synchronous = chi >= SYNCHRONOUS_CHI
    return ("S" if synchronous else "A") + ("R" if regular else "I")


def after_transient(spikes, transient=TRANSIENT):
    """The spikes after `transient` ms, with times counted from there."""
    keep = spikes.times > transient
    return sg.Spikes(spikes.population, spikes.times[keep] - transient, spikes.senders[keep], spikes.neurons,
                     spikes.population_size)


def analyse(results, population="exc"):
    """One row per sweep point: g, eta, rate [Hz], ISI CV, chi in each of SYNCHRONY_BINS,
    synchrony (the largest of them) and the regime, all after TRANSIENT ms."""
    table = results.summary(transient=TRANSIENT)
    table = table.assign(rate=table[f"rate_{population}"], cv=table[f"cv_{population}"])
    spikes = [after_transient(run.spikes(population)) for run in results]
    chis = []
    for width in SYNCHRONY_BINS:
        column = f"chi_{width:g}ms"
        table[column] = [sg.synchrony(s, run.duration - TRANSIENT, bin_ms=width) for s, run in zip(spikes, results)]
        chis.append(column)
    table["synchrony"] = table[chis].max(axis=1)
    table["regime"] = [classify(cv, s) for cv, s in zip(table.cv, table.synchrony)]
    return table[["run", "g", "eta", "rate", "cv", *chis, "synchrony", "regime"]]


def _grid(table, column):
    """`column` as a 2-D array over (eta, g), with the sorted axis values."""
    grid = table.pivot(index="eta", columns="g", values=column)
    return grid.to_numpy(), list(grid.columns), list(grid.index)


def _axes(ax, gs, etas):
    ax.set_xticks(range(len(gs)), [f"{g:g}" for g in gs])
    ax.set_yticks(range(len(etas)), [f"{e:g}" for e in etas])
    ax.set_xlabel("g (relative inhibition)")
    ax.set_ylabel("eta = nu_ext / nu_thr")
    if 4.0 in gs:  # Brunel's boundary: synchronous regular for g < 4
        ax.axvline(gs.index(4.0) - 0.5, color="white", ls="--", lw=1.5)


def heat_map(ax, table, column, title, norm, fmt):
    """One statistic over the (g, eta) grid, every cell labelled with its value."""
    import matplotlib.pyplot as plt

    values, gs, etas = _grid(table, column)
    image = ax.imshow(values, origin="lower", cmap="viridis", norm=norm, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        dark = np.isnan(v) or norm(v) < 0.6
        ax.text(j, i, "-" if np.isnan(v) else format(v, fmt), ha="center", va="center", fontsize=7,
                color="white" if dark else "black")
    _axes(ax, gs, etas)
    ax.set_title(title)
    plt.colorbar(image, ax=ax, shrink=0.85)
    return ax


def phase_diagram(table, title=None):
    """Three heat maps over (g, eta): rate, ISI CV and synchrony; returns the Figure."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm, Normalize

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    # Fixed colour ranges, so that runs of different sizes compare by eye.
    heat_map(axes[0], table, "rate", "rate (Hz)", LogNorm(1.0, 400.0), ".3g")
    heat_map(axes[1], table, "cv", "ISI CV", Normalize(0.0, 1.2), ".2f")
    bins = " and ".join(f"{b:g}" for b in SYNCHRONY_BINS)
    heat_map(axes[2], table, "synchrony", f"synchrony (Golomb chi, larger of {bins} ms bins)", Normalize(0.0, 0.6),
             ".2f")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def regime_map(ax, table):
    """The regime of every point over (g, eta), coloured by REGIME_COLORS."""
    from matplotlib.colors import ListedColormap

    labels, gs, etas = _grid(table, "regime")
    names = list(REGIME_COLORS)
    codes = np.vectorize(names.index)(labels)
    ax.imshow(codes, origin="lower", aspect="auto", vmin=-0.5, vmax=len(names) - 0.5,
              cmap=ListedColormap(list(REGIME_COLORS.values())))
    for (i, j), label in np.ndenumerate(labels):
        ax.text(j, i, label, ha="center", va="center", color="white", fontweight="bold")
    _axes(ax, gs, etas)
    ax.set_title(f"regime (CV < {REGULAR_CV:g}: regular, synchrony >= {SYNCHRONOUS_CHI:g}: synchronous)")
    return ax


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="results/brunel_sweep.h5")
    parser.add_argument("--figure", default="results/brunel_phase_diagram.png")
    parser.add_argument("--force", action="store_true", help="run complete points again")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    results = sg.run_experiment(EXPERIMENT, output=args.output, force=args.force)
    swept = time.perf_counter() - start
    table = analyse(results)

    import matplotlib
    matplotlib.use("Agg")
    duration = next(iter(results)).duration
    fig = phase_diagram(table, "Brunel (2000) model A, 12,500 neurons: excitatory neurons, "
                               f"{duration - TRANSIENT:g} ms after a {TRANSIENT:g} ms transient")
    figure = pathlib.Path(args.figure)
    figure.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(figure, dpi=110)

    print(table.drop(columns="run").to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    recorded = len(next(iter(results)).spikes("exc").neurons)
    print(f"regimes: CV < {REGULAR_CV:g} regular, synchrony (the larger chi) >= {SYNCHRONOUS_CHI:g} synchronous; "
          f"statistics of {recorded} recorded excitatory neurons after {TRANSIENT:g} ms")
    print(f"results:  {pathlib.Path(args.output).resolve()} ({len(results)} points, sweep {swept:.0f} s)")
    print(f"figure:   {figure.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
