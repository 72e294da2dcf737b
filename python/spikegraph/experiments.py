"""Running experiment files (TOML) from Python, through the same code as the command line."""
import os

from . import _core
from .results import load


def run_experiment(experiment, output=None, threads=None, jobs=0, backend=None, seed=None, force=False, quiet=False,
                   overrides=None):
    """Runs every point of an experiment file (examples/experiments/reference.toml documents the
    format) into an HDF5 results file, default results/<experiment name>.h5, skipping points
    that are already complete there, and returns spikegraph.load(output). `overrides` maps
    names as sweep axes use them ("g", "experiment.duration", "population.exc.tau_m") to values
    set before any sweep value. Bad input raises a spikegraph.SpikegraphError naming the file,
    line and key, and nothing is written."""
    output = "" if output is None else os.fspath(output)
    path, *_ = _core.run_experiment(os.fspath(experiment), output, threads, int(jobs), backend, seed,
                                    bool(force), bool(quiet),
                                    [(str(k), v if isinstance(v, str) else float(v)) for k, v in (overrides or {}).items()])
    return load(path)
