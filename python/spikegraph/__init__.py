"""spikegraph: spiking neural networks on CPUs and emulated neuromorphic hardware.

Units are PyNN's: time ms, voltage mV, current nA, capacitance nF, conductance uS, rate Hz.

    import spikegraph as sg
    net = sg.Network()
    exc = net.add_population("exc", "cuba_lif", 100, tau_m=20.0, i_offset=sg.Uniform(0.9, 1.1))
    net.record(exc, "spikes")
    sim = sg.compile(net, dt=0.1, seed=1)
    sim.run(1000.0)
    spikes = sim.spikes("exc")
    sim.save("run.h5", group="baseline")
    run = sg.load("run.h5")["baseline"]      # the same spikes, traces and weights, from the file
"""
from ._core import (
    BackendUnavailableError,
    HardwareConstraintError,
    InternalError,
    InvalidNetworkError,
    InvalidParameterError,
    SpikegraphError,
    SpikegraphIOError,
    __version__,
    available_backends,
    known_backends,
    model_info,
    model_names,
)
from . import loihi, nir, plotting  # loihi: quantize, map, emulate; nir: save(net, path) / load(path)
from .analysis import firing_rates, isi_cv, mean_rate, summary, synchrony
from .connectors import (
    AllToAll,
    FixedInDegree,
    FixedOutDegree,
    FixedProbability,
    FixedTotalNumber,
    FromList,
    FromMatrix,
    OneToOne,
)
from .distributions import LogNormal, Normal, NormalClipped, Uniform
from .network import Network, Population, Projection
from .plasticity import Plasticity, STDP, TripletSTDP, rule_info, rule_names, subspace_update
from .experiments import run_experiment
from .results import Results, Run, WeightSnapshots, load
from .simulation import Simulation, Spikes, Synapses, Trace, compile

__all__ = [
    "AllToAll", "BackendUnavailableError", "FixedInDegree", "FixedOutDegree", "FixedProbability",
    "FixedTotalNumber", "FromList", "FromMatrix", "HardwareConstraintError", "InternalError",
    "InvalidNetworkError", "InvalidParameterError", "LogNormal", "Network", "Normal", "NormalClipped",
    "OneToOne", "Plasticity", "Population", "plotting", "Projection", "Results", "Run", "STDP", "TripletSTDP", "Simulation",
    "SpikegraphError", "SpikegraphIOError", "Spikes", "Synapses", "Trace", "Uniform", "WeightSnapshots", "__version__",
    "available_backends", "compile", "firing_rates", "isi_cv", "known_backends", "load", "mean_rate", "run_experiment", "model_info",
    "model_names", "rule_info", "rule_names", "subspace_update", "summary", "synchrony",
]
