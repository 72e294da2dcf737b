"""Compiling a network for a backend, running it, and reading what it recorded."""
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np

from . import _core
from .network import Network, _name


@dataclass
class Spikes:
    """Spikes of one population: times [ms] and senders (neuron indices), in time order."""
    population: str
    times: np.ndarray
    senders: np.ndarray
    neurons: np.ndarray  # the recorded neurons
    population_size: int

    def __len__(self):
        return len(self.times)

    def trains(self):
        """A list with the spike times of each recorded neuron."""
        order = np.argsort(self.senders, kind="stable")
        cuts = np.searchsorted(self.senders[order], self.neurons)
        parts = np.split(self.times[order], cuts[1:])
        return parts


@dataclass
class Trace:
    """A sampled state variable: values[i, j] is neuron neurons[j] at times[i]."""
    population: str
    variable: str
    times: np.ndarray
    values: np.ndarray
    neurons: np.ndarray
    unit: str
    interval: float


@dataclass
class Synapses:
    """The synapses of one projection as parallel arrays."""
    projection: str
    pre: np.ndarray
    post: np.ndarray
    weight: np.ndarray
    delay: np.ndarray  # ms

    def __len__(self):
        return len(self.pre)


class _ProgressBar:
    """Progress on stderr for runs longer than two seconds: a redrawn bar in a terminal or a
    notebook, a plain line every 10% elsewhere (logs)."""

    def __init__(self, quiet=2.0):
        self.quiet = quiet
        self.shown = False
        self.redraw = sys.stderr.isatty() or "ipykernel" in sys.modules
        self.last_decile = -1

    def __call__(self, done, total, elapsed):
        finished = done >= total
        if not self.shown and (elapsed < self.quiet or finished):
            return
        self.shown = True
        fraction = done / total if total else 1.0
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        if self.redraw:
            bar = "#" * int(30 * fraction)
            sys.stderr.write(f"\rspikegraph run [{bar:<30}] {100 * fraction:5.1f}%  "
                             f"{elapsed:6.1f} s elapsed, ETA {eta:6.1f} s" + ("\n" if finished else ""))
        else:
            decile = int(10 * fraction)
            if decile == self.last_decile and not finished:
                return
            self.last_decile = decile
            sys.stderr.write(f"spikegraph run: {100 * fraction:3.0f}% ({done}/{total} steps), "
                             f"{elapsed:.1f} s elapsed, ETA {eta:.1f} s\n")
        sys.stderr.flush()


class Simulation:
    """A network compiled for one backend. run() may be called repeatedly; time continues.
    run() releases the GIL; calls from several Python threads on one Simulation take turns."""

    def __init__(self, executable, network):
        self._exe = executable
        self._lock = threading.RLock()
        self.network = network

    def run(self, duration, progress=True):
        """Advances by `duration` ms. progress=True shows a bar for runs longer than 2 s; a
        callable receives (steps_done, steps_total, seconds_elapsed). Ctrl-C stops the run."""
        callback = _ProgressBar() if progress is True else (progress or None)
        with self._lock:
            start = time.perf_counter()
            self._exe.run(float(duration), callback)
            return time.perf_counter() - start

    @property
    def time(self):
        """Simulated time so far [ms]."""
        return self._exe.time

    @property
    def dt(self):
        return self._exe.run_info()["dt"]

    def spikes(self, population):
        with self._lock:
            times, senders, neurons, size = self._exe.spikes(_name(population))
        return Spikes(_name(population), times, senders, neurons, size)

    def trace(self, population, variable):
        with self._lock:
            times, values, neurons, unit, interval = self._exe.trace(_name(population), variable)
        return Trace(_name(population), variable, times, values, neurons, unit, interval)

    def state(self, population, variable):
        """Current value of a state variable for every neuron of `population`."""
        with self._lock:
            return self._exe.state(_name(population), variable)

    def synapses(self, projection):
        with self._lock:
            pre, post, weight, delay = self._exe.synapses(_name(projection))
        return Synapses(_name(projection), pre, post, weight, delay)

    def weights(self, projection):
        """The weights of a projection (as plasticity left them), in the order of synapses()."""
        return self.synapses(projection).weight

    def weight_snapshots(self, projection):
        """(times [ms], weights [snapshots x synapses]) recorded with Network.record_weights;
        synapses in the order of synapses()."""
        with self._lock:
            return self._exe.weight_snapshots(_name(projection))

    def set_weights(self, projection, weights):
        """Replaces a projection's weights between runs, in the order of synapses()."""
        with self._lock:
            self._exe.set_weights(_name(projection), weights)

    def save(self, path, group="run", overwrite=False):
        """Writes what was recorded, with provenance, into group `group` of an HDF5 file
        (created if missing; other groups are kept). Schema: docs/hdf5_schema.md."""
        with self._lock:
            self._exe.save(str(path), group, overwrite)

    def report(self):
        """Sizes and timings: neurons, synapses, memory, compile_time, run_time, ..."""
        return self._exe.report()

    def run_info(self):
        return self._exe.run_info()

    @property
    def recorded(self):
        spikes, states = self._exe.recorded()
        return {"spikes": list(spikes), "state": [tuple(s) for s in states]}


def compile(network, backend="cpu", dt=0.1, seed=1, threads=0, precision="float", memory_limit=0, chip=""):
    """Compiles `network` for `backend`: resolves connectivity and initial values from `seed`,
    allocates state for `threads` worker threads (0: all cores) in `precision` ("float" or
    "double"). A network that cannot fit in memory is refused before anything is allocated.
    `chip` picks the emulated chip of a hardware backend ("loihi1" or "loihi2" for "loihi")."""
    if not isinstance(network, Network):
        raise TypeError("compile() needs a spikegraph.Network")
    exe = _core.compile(network._net, backend, float(dt), int(seed), int(threads), precision, float(memory_limit),
                        str(chip))
    return Simulation(exe, network)
