"""Statistics of spike trains: rates, irregularity (ISI CV) and synchrony."""
import numpy as np


def firing_rates(spikes, duration):
    """Rate of every recorded neuron [Hz] over `duration` ms."""
    counts = np.zeros(spikes.population_size, dtype=float)
    np.add.at(counts, spikes.senders, 1.0)
    return counts[spikes.neurons] / (duration * 1e-3)


def mean_rate(spikes, duration):
    """Mean rate over the recorded neurons [Hz]."""
    return len(spikes) / (len(spikes.neurons) * duration * 1e-3)


def isi_cv(spikes, min_spikes=3):
    """Mean coefficient of variation of the inter-spike intervals, over neurons with at least
    `min_spikes` spikes (1 for a Poisson process, 0 for a clock). NaN if no neuron qualifies."""
    cvs = []
    for train in spikes.trains():
        if len(train) >= min_spikes:
            isi = np.diff(train)
            if isi.mean() > 0:
                cvs.append(isi.std() / isi.mean())
    return float(np.mean(cvs)) if cvs else float("nan")


def synchrony(spikes, duration, bin_ms=5.0, sample=None):
    """Golomb's synchrony measure chi in [0, 1]: the standard deviation of the population-averaged
    spike count (in `bin_ms` bins) over the mean standard deviation of single neurons' counts.
    Near 0 for asynchronous firing, 1 for full synchrony (Golomb 2007, Scholarpedia 2:1347)."""
    bins = np.arange(0.0, duration + bin_ms, bin_ms)
    neurons = spikes.neurons if sample is None else spikes.neurons[:sample]
    index = {int(n): i for i, n in enumerate(neurons)}
    counts = np.zeros((len(neurons), len(bins) - 1))
    for t, s in zip(spikes.times, spikes.senders):
        i = index.get(int(s))
        if i is not None:
            b = min(int(t // bin_ms), len(bins) - 2)
            counts[i, b] += 1
    single = counts.var(axis=1).mean()
    population = counts.mean(axis=0).var()
    return float(np.sqrt(population / single)) if single > 0 else float("nan")


def summary(spikes, duration):
    """Mean rate [Hz], ISI CV, synchrony and spike count of one population."""
    return {
        "mean_rate": mean_rate(spikes, duration),
        "isi_cv": isi_cv(spikes),
        "synchrony": synchrony(spikes, duration),
        "spikes": len(spikes),
    }
