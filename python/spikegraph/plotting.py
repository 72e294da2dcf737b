"""Raster plots and state traces (matplotlib, imported only when plotting)."""
import numpy as np


def raster(spike_sets, ax=None, duration=None, colors=None, markersize=1.0):
    """Raster plot of one or more Spikes objects stacked vertically; returns the Axes."""
    import matplotlib.pyplot as plt

    if not isinstance(spike_sets, (list, tuple)):
        spike_sets = [spike_sets]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    offset = 0
    palette = colors or ["tab:red", "tab:blue", "tab:green", "tab:orange", "tab:purple"]
    for i, spikes in enumerate(spike_sets):
        ax.plot(spikes.times, spikes.senders + offset, "|", color=palette[i % len(palette)],
                markersize=markersize, label=spikes.population)
        offset += spikes.population_size
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron")
    if duration is not None:
        ax.set_xlim(0, duration)
    ax.set_ylim(0, offset)
    if len(spike_sets) > 1:
        ax.legend(loc="upper right", markerscale=8)
    return ax


def traces(trace, ax=None, neurons=None):
    """Plots a recorded state variable (a Trace) against time; returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3))
    columns = range(trace.values.shape[1]) if neurons is None else [int(np.where(trace.neurons == n)[0][0]) for n in neurons]
    for j in columns:
        ax.plot(trace.times, trace.values[:, j], lw=0.8, label=f"{trace.population}[{trace.neurons[j]}]")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(f"{trace.variable} ({trace.unit})")
    return ax
