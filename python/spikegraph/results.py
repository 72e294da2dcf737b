"""Reading results files (docs/hdf5_schema.md) back into NumPy arrays and a pandas DataFrame.

    results = sg.load("results/vogels_abbott.h5")
    run = results["vogels_abbott"]
    spikes = run.spikes("exc")          # the Spikes that Simulation.spikes returned
    table = results.points              # one row per run: sweep axes and firing statistics

load() reads only what it needs to list and order the runs (a large sweep has thousands); the
rest of a run's attributes and its datasets are read when asked for. No file handle is kept
between calls, so a writer can add runs to the file while it is loaded.
"""
import errno
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from ._core import InvalidParameterError, SpikegraphError, SpikegraphIOError
from .analysis import isi_cv, mean_rate, synchrony
from .network import _name
from .simulation import Spikes, Trace

FORMAT = "spikegraph-results"
FORMAT_VERSION = 1
STAGING_PREFIX = "~writing~"
# Columns every row of Results.points has; an axis of the same name becomes "axis:<name>".
FIXED_COLUMNS = ("run", "sweep_index", "repetition", "seed")
# Per-population columns of Results.points: <statistic>_<population>.
STATISTICS = ("rate", "cv", "synchrony", "spikes")
# What h5py raises for damaged or missing objects (SpikegraphError, a ValueError, passes through).
_H5_ERRORS = (OSError, KeyError, RuntimeError, ValueError, TypeError)


def load(path, timeout=60.0):
    """The results file at `path` as a Results object; see docs/hdf5_schema.md. The file is first
    read once in a child process: a damaged file that would crash the HDF5 library or make it
    loop (docs/fuzzing.md) raises SpikegraphIOError instead, after at most `timeout` seconds."""
    return Results(path, timeout)


@dataclass
class WeightSnapshots:
    """Recorded weights of one projection: values[i, j] is synapse (pre[j], post[j]) at times[i]."""
    projection: str
    times: np.ndarray
    values: np.ndarray
    pre: np.ndarray
    post: np.ndarray
    interval: float


class Results:
    """The complete runs of a results file: results[name] is a Run, iteration yields Runs in
    sweep order (sweep_index, repetition), then runs without a sweep_index by name."""

    def __init__(self, path, timeout=60.0):
        self.path = Path(path)
        from ._core import probe_results_file
        probe_results_file(str(self.path), float(timeout))
        with _open(self.path) as f:
            with _reading(f"results file '{self.path}'"):
                _check_format(f, self.path)
            complete, self.incomplete = _scan_runs(f, self.path)
        self._runs = {run.name: run for run in sorted(complete, key=_run_order)}

    @property
    def runs(self):
        """Names of the complete runs, in iteration order."""
        return list(self._runs)

    def __getitem__(self, name):
        if name in self._runs:
            return self._runs[name]
        state = "is incomplete (still being written, or its writer stopped)" if name in self.incomplete \
            else f"does not exist (runs: {_quoted(self._runs)})"
        raise KeyError(f"results file '{self.path}': run '{name}' {state}")

    def __contains__(self, name):
        return name in self._runs

    def __len__(self):
        return len(self._runs)

    def __iter__(self):
        return iter(self._runs.values())

    def __repr__(self):
        return f"<spikegraph.Results '{self.path}': {len(self)} runs, {len(self.incomplete)} incomplete>"

    @cached_property
    def points(self):
        """A pandas DataFrame, one row per complete run: run, sweep_index, repetition, seed, one
        column per sweep axis, and per recorded population p rate_p [Hz], cv_p (ISI CV),
        synchrony_p and spikes_p, then rate [Hz] over all recorded neurons."""
        return self.summary()

    def summary(self, transient=0.0):
        """The table of `points`, with the statistics taken after the first `transient` ms of
        every run (an onset transient would otherwise weigh on rates, CV and synchrony)."""
        try:
            import pandas as pd
        except ImportError as error:
            raise ImportError("Results.points needs pandas: pip install pandas") from error
        with _open(self.path) as f:
            rows = [run._summary(f, float(transient)) for run in self]
            populations = _in_order_of_appearance(p for run in self for p in run._members(f, "spikes"))
        axes = _in_order_of_appearance(_axis_column(a) for run in self for a in run.axes)
        statistics = [f"{s}_{p}" for p in populations for s in STATISTICS]
        table = pd.DataFrame(rows, columns=[*FIXED_COLUMNS, *axes, *statistics, "rate"])
        # Ordinary runs have no sweep_index or repetition: nullable integers keep the others ints.
        return table.astype({"sweep_index": "Int64", "repetition": "Int64"})


class Run:
    """One complete run of a results file; its attributes and data are read when asked for."""

    def __init__(self, path, name, sweep_index=None, repetition=None):
        self.path = path
        self.name = name
        self.sweep_index = sweep_index  # index of the sweep point, None outside a sweep
        self.repetition = repetition
        self._attrs = None

    def __repr__(self):
        return f"<spikegraph.Run '{self.name}' of '{self.path}'>"

    @property
    def attrs(self):
        """The run group's attributes as plain Python values."""
        if self._attrs is None:
            with _open(self.path) as f:
                self._read_attrs(f)
        return self._attrs

    @property
    def duration(self):
        """Simulated time [ms]."""
        return float(self._attribute("duration"))

    @property
    def dt(self):
        return float(self._attribute("dt"))

    @property
    def seed(self):
        return int(self._attribute("seed"))

    @property
    def experiment(self):
        return self.attrs.get("experiment")

    @property
    def axes(self):
        """Names of the swept parameters, empty for a run that is not part of a sweep."""
        return [a.strip() for a in str(self.attrs.get("axes", "")).split(",") if a.strip()]

    @property
    def parameters(self):
        """{axis: value at this sweep point}, empty for a run that is not part of a sweep."""
        values = {}
        for axis in self.axes:
            if f"axis:{axis}" not in self.attrs:
                raise SpikegraphIOError(f"{self._where()} lists axis '{axis}' in 'axes' but has no "
                                        f"attribute 'axis:{axis}'")
            values[axis] = self.attrs[f"axis:{axis}"]
        return values

    @property
    def populations(self):
        """Populations whose spikes were recorded."""
        with _open(self.path) as f:
            return self._members(f, "spikes")

    @property
    def recorded(self):
        """{"spikes": populations, "state": [(population, variable)], "weights": projections}."""
        with _open(self.path) as f:
            return self._recorded(f)

    def spikes(self, population):
        """The recorded spikes of `population` (a name or Population), as Simulation.spikes."""
        with _open(self.path) as f:
            return self._spikes(f, _name(population))

    def trace(self, population, variable):
        """A recorded state variable, as Simulation.trace."""
        population = _name(population)
        with _open(self.path) as f:
            recorded = [f"{p}.{v}" for p, v in self._recorded(f)["state"]]
            self._require(f"{population}.{variable}", recorded, f"'{variable}' of '{population}' was")
            where = f"state/{population}/{variable}"
            times, values, neurons = (self._dataset(f, f"{where}/{d}") for d in ("times", "values", "neurons"))
            unit, interval = self._dataset_attribute(f, where, "unit"), self._dataset_attribute(f, where, "interval")
        if values.shape != (len(times), len(neurons)):
            raise self._damaged(f"{where}/values", f"shape {values.shape}, expected ({len(times)}, {len(neurons)})")
        return Trace(population, variable, times, values, neurons, str(unit), float(interval))

    def weights(self, projection):
        """Weight snapshots recorded with Network.record_weights."""
        projection = _name(projection)
        with _open(self.path) as f:
            self._require(projection, self._members(f, "weights"), f"weights of '{projection}' were")
            where = f"weights/{projection}"
            times, values, pre, post = (self._dataset(f, f"{where}/{d}") for d in ("times", "values", "pre", "post"))
            interval = self._dataset_attribute(f, where, "interval")
        if len(pre) != len(post) or values.shape != (len(times), len(pre)):
            raise self._damaged(f"{where}/values", f"shape {values.shape} with {len(times)} times, "
                                f"{len(pre)} pre and {len(post)} post")
        return WeightSnapshots(projection, times, values, pre, post, float(interval))

    @cached_property
    def network(self):
        """{"populations": {name: attributes}, "projections": {name: attributes}}."""
        with _open(self.path) as f, _reading(self._where("network")):
            network = f[self.name].get("network", {})
            return {kind: {name: _plain_attrs(group.attrs) for name, group in network.get(kind, {}).items()}
                    for kind in ("populations", "projections")}

    def _spikes(self, f, population):
        self._require(population, self._members(f, "spikes"), f"spikes of '{population}' were")
        where = f"spikes/{population}"
        times, senders, neurons = (self._dataset(f, f"{where}/{d}") for d in ("times", "senders", "neurons"))
        if times.ndim != 1 or senders.shape != times.shape:
            raise self._damaged(f"{where}/senders", f"shape {senders.shape}, 'times' has shape {times.shape}")
        size = self._dataset_attribute(f, where, "population_size")
        return Spikes(population, times, senders, neurons, int(size))

    def _summary(self, f, transient=0.0):
        """One row of Results.points, from the spikes after `transient` ms."""
        self._read_attrs(f)
        row = {"run": self.name, "sweep_index": self.sweep_index, "repetition": self.repetition, "seed": self.seed}
        row.update({_axis_column(axis): value for axis, value in self.parameters.items()})
        duration, total_spikes, total_neurons = max(self.duration - transient, 0.0), 0, 0
        for population in self._members(f, "spikes"):
            spikes = self._spikes(f, population)
            if transient > 0:
                keep = spikes.times > transient
                spikes = Spikes(population, spikes.times[keep] - transient, spikes.senders[keep], spikes.neurons,
                                spikes.population_size)
            measurable = duration > 0 and len(spikes.neurons) > 0
            row[f"rate_{population}"] = mean_rate(spikes, duration) if measurable else float("nan")
            row[f"cv_{population}"] = isi_cv(spikes)
            row[f"synchrony_{population}"] = synchrony(spikes, duration) if measurable else float("nan")
            row[f"spikes_{population}"] = len(spikes)
            total_spikes, total_neurons = total_spikes + len(spikes), total_neurons + len(spikes.neurons)
        any_measured = duration > 0 and total_neurons > 0
        row["rate"] = total_spikes / (total_neurons * duration * 1e-3) if any_measured else float("nan")
        return row

    def _read_attrs(self, f):
        if self._attrs is None:
            with _reading(self._where()):
                self._attrs = _plain_attrs(f[self.name].attrs)

    def _where(self, item=None):
        return f"results file '{self.path}', run '{self.name}'" + (f", '{item}'" if item else "")

    def _damaged(self, item, detail):
        return SpikegraphIOError(f"{self._where(item)} is damaged: {detail}")

    def _attribute(self, key):
        if key not in self.attrs:
            raise SpikegraphIOError(f"{self._where()} has no attribute '{key}'")
        return self.attrs[key]

    def _members(self, f, group):
        """Names in `group` of this run ([] when the run has no such group)."""
        with _reading(self._where(group)):
            item = f[self.name].get(group)
            return sorted(item.keys()) if item is not None else []

    def _recorded(self, f):
        state = [(p, v) for p in self._members(f, "state") for v in self._members(f, f"state/{p}")]
        return {"spikes": self._members(f, "spikes"), "state": state, "weights": self._members(f, "weights")}

    def _require(self, name, present, missing):
        """Refuses a name that this run did not record, listing what it did record."""
        if name not in present:
            recorded = f"recorded: {_quoted(present)}" if present else "nothing is recorded"
            raise InvalidParameterError(f"{self._where()}: {missing} not recorded ({recorded})")

    def _dataset(self, f, item):
        with _reading(self._where(item)):
            return f[self.name][item][()]

    def _dataset_attribute(self, f, item, key):
        with _reading(self._where(item)):
            attrs = _plain_attrs(f[self.name][item].attrs)
        if key not in attrs:
            raise self._damaged(item, f"attribute '{key}' is missing")
        return attrs[key]


@contextmanager
def _open(path):
    """The file opened read-only; every way of failing to open it becomes an error naming it."""
    try:
        import h5py
    except ImportError as error:
        raise ImportError("spikegraph.load needs h5py: pip install h5py") from error
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "results file not found", str(path))
    if path.is_dir():
        raise SpikegraphIOError(f"results file '{path}' is a directory")
    try:
        empty = path.stat().st_size == 0
        hdf5 = h5py.is_hdf5(str(path))
    except OSError as error:
        raise SpikegraphIOError(f"results file '{path}' cannot be read ({_reason(error)})") from None
    if empty or not hdf5:
        raise SpikegraphIOError(f"results file '{path}' is {'empty' if empty else 'not an HDF5 file'}")
    try:
        f = h5py.File(str(path), "r")
    except OSError as error:
        reason = _reason(error)
        state = "truncated" if "truncated" in reason else \
            "locked by a process writing to it" if "unable to lock file" in reason else "damaged"
        raise SpikegraphIOError(f"results file '{path}' is {state} and cannot be opened ({reason})") from None
    try:
        yield f
    finally:
        f.close()


@contextmanager
def _reading(where):
    """Turns h5py's errors while reading `where` into a SpikegraphIOError naming it."""
    try:
        yield
    except SpikegraphError:
        raise
    except _H5_ERRORS as error:
        raise SpikegraphIOError(f"{where} cannot be read: the file is damaged ({_reason(error)})") from None


def _check_format(f, path):
    attrs = _plain_attrs(f.attrs)
    if attrs.get("format") != FORMAT:
        found = f"its format is '{attrs['format']}'" if "format" in attrs else "it has no 'format' attribute"
        raise SpikegraphIOError(f"HDF5 file '{path}' is not a spikegraph results file ({found})")
    version = attrs.get("format_version")
    if not isinstance(version, int):
        raise SpikegraphIOError(f"results file '{path}' has no integer 'format_version' attribute")
    if version > FORMAT_VERSION:
        raise SpikegraphIOError(f"results file '{path}' has format version {version}, newer than this "
                                f"spikegraph reads ({FORMAT_VERSION}); update spikegraph")


def _scan_runs(f, path):
    """(complete Runs, names of incomplete and staging groups), reading three attributes of each
    group: reading all of them costs about a millisecond per group."""
    complete, incomplete = [], []
    for name in sorted(f.keys()):
        with _reading(f"results file '{path}', run '{name}'"):
            group = f.get(name)
            if not hasattr(group, "keys"):
                continue  # a dataset at the root: not a run
            done, index, repetition = (_plain(group.attrs.get(k)) for k in ("complete", "sweep_index", "repetition"))
        if name.startswith(STAGING_PREFIX) or done != 1:
            incomplete.append(name)
        elif index is not None and not isinstance(index, int):
            raise SpikegraphIOError(f"results file '{path}', run '{name}' has a sweep_index that is not an "
                                    f"integer: {index!r}")
        else:
            complete.append(Run(path, name, index, repetition if isinstance(repetition, int) else None))
    return complete, incomplete


def _run_order(run):
    """Sweep points by (sweep_index, repetition), then runs outside a sweep by name."""
    if run.sweep_index is None:
        return (1, 0, 0, run.name)
    return (0, run.sweep_index, run.repetition or 0, run.name)


def _plain_attrs(attrs):
    """HDF5 attributes as plain Python values: numbers, strings, lists."""
    return {key: _plain(value) for key, value in attrs.items()}


def _plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()] if value.ndim else _plain(value.item())
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def _axis_column(axis):
    """The column of a sweep axis in Results.points, kept apart from the fixed and statistics columns."""
    taken = axis in FIXED_COLUMNS or axis == "rate" or axis.startswith(tuple(f"{s}_" for s in STATISTICS))
    return f"axis:{axis}" if taken else axis


def _in_order_of_appearance(names):
    return list(dict.fromkeys(names))


def _quoted(names):
    return ", ".join(f"'{n}'" for n in names)


def _reason(error):
    """h5py's message without its 'Unable to ... (' wrapper."""
    text = str(error.args[0] if isinstance(error, KeyError) and error.args else error)
    inner = re.search(r"\((.*)\)\s*$", text)
    return inner.group(1) if inner else text
