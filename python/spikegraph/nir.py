"""NIR files: a Network exported to the Neuromorphic Intermediate Representation, and NIR
graphs imported as Networks (https://github.com/neuromorphs/NIR).

    from spikegraph import nir as sgnir
    sgnir.save(net, "model.nir", dt=0.1)              # NIR times in ms
    net2 = sgnir.load("model.nir", dt=0.1, inputs={"input": spike_times})
    sgnir.save(net, "model_s.nir", time_unit="s")     # NIR times in seconds, as snnTorch writes

Files have NIR's HDF5 layout (nir.read loads them) and are written and read with h5py alone;
the `nir` package is not needed:
    /version              "1.0.8" (what nir.write of nir 1.0.x stores)
    /node/type            "NIRGraph"
    /node/edges           (E, 2) strings: source, target
    /node/nodes/<name>    a group per node: "type" and one dataset per parameter

Units. NIR's equations carry no units. Voltages are mV; times (tau, Delay) are ms by default, or
seconds with time_unit="s" (divided by 1000 on export, multiplied on import).

Neurons, NIR <-> spikegraph (NIR's arrays hold the value for every neuron):
  LIF      <-> lif: tau = tau_m, r = tau, v_leak = v_rest, v_threshold = v_th, v_reset = v_reset
  LI       <-> lif whose v_th >= 1e30 (never fires; the readout trained_network makes):
               tau = tau_m, r = tau, v_leak = v_rest
  CubaLIF  <-> cuba_lif with tau_syn_e == tau_syn_i: tau_mem = tau_m, tau_syn = tau_syn_e,
               w_in = tau_syn, r = tau_m [ms] / c_m, v_leak, v_threshold, v_reset
  CubaLI   <-> li with tau_syn_e == tau_syn_i: as CubaLIF without threshold and reset
Weights. NIR's LIF, tau dv/dt = (v_leak - v) + r I with I a sum of weighted Dirac spikes, jumps
by r W / tau per spike through weight W. With r = tau, W is the jump in mV: spikegraph's weight,
unchanged. (The physical r = tau_m / c_m would make W = w * c_m, and the divisions that undo it
do not always give back the same bits.) c_m then only scales lif's bias current, which NIR holds
as the bias b = i_offset / c_m [mV per time unit] of an Affine node; load makes lif with c_m = 1.
In CubaLIF, w_in = tau_syn makes I jump by W, and r = tau_m / c_m makes I drive v as spikegraph's
synaptic current [nA] does: W is spikegraph's weight, unchanged, and c_m is kept in r (load sets
c_m = tau_m / r). Weights are therefore never rescaled on export, only on loading a file whose
r or w_in differ from these choices.

Projections. Each becomes a Linear node (weight (post, pre), dense) on the edges
pre -> projection -> post; several synapses between one pair are merged into one weight (rounded
to single precision, as spikegraph stores weights). Weights are signed as in spikegraph; the
receptor only picks which current a weight adds to, which does not matter for lif or for one
synaptic time constant, so it is not exported and load uses "excitatory". A lif population's
bias current i_offset rides as the bias of an Affine on its first incoming projection (by name).
Delays: one time step of `dt` (spikegraph's shortest, its default) is NIR's instantaneous edge.
Longer delays, one per presynaptic neuron, become a Delay node pre -> <projection>_delay ->
projection holding (steps - 1) * dt; synapses of one neuron with different delays are refused.

Sources and outputs. Spike sources (spike_array, poisson) become Input nodes of their size (their
spike times or rates are data, not part of the graph); load makes each Input a spike_array
source without spikes unless `inputs` gives its spike times.
Neuron populations without a projection to another population get an Output node, "output"
(or "output_<population>" when there are several); load reads Output nodes only as checks.

Refused with a ValueError naming the population, projection or node:
  export: coba_lif, current sources and generators, reset="subtract", t_ref > 0 (NIR's neurons
  have no refractory period), an initial state other than rest (NIR has none), tau_syn_e !=
  tau_syn_i, a bias current on cuba_lif or li (NIR filters a bias through the synaptic current),
  a bias without an incoming projection, names clashing in NIR's single namespace;
  import: other node types (IF, I, Scale, Threshold, Flatten, convolutions, nested graphs, ...),
  tau, v_leak, v_threshold or v_reset differing between neurons (spikegraph takes one per
  population; r and w_in may differ: they scale the weights), a nonzero Affine bias into CubaLIF
  or CubaLI, delays that are not whole steps of dt, and edges other than
  population -> [Delay ->] Linear/Affine -> population and population -> Output.

Exactness. save -> load -> save writes the same file, every array bit for bit, in either unit.
Values are copied where they can be. Where load must divide or multiply (a time or bias in
seconds, c_m = tau_m / r), the result converts back to the bits in the file: the quotient is
the double nearest the middle of the values that convert back to them, an interval that holds
the value save started from; load checks this, and would try the doubles beside it where it
failed (_solve). save computes CubaLIF's r from the tau_m load will read
back. spikegraph keeps weights in single precision: weights float32 holds (as spikegraph and
PyTorch write them) load exactly, others are rounded. A file whose LIF has r != tau or whose
CubaLIF has w_in != tau_syn (snnTorch writes r = tau / dt, w_in = tau_syn / dt) loads with its
weights scaled by r / tau or w_in / tau_syn and is written back in the form above: the same
dynamics in other arrays. Arrays are written as float64; metadata, plasticity rules and
recordings are not kept.
"""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ._core import model_info
from .connectors import FromMatrix
from .network import Network
from .trained_network import _NEVER

NIR_VERSION = "1.0.8"  # what nir.write (nir 1.0.8) stores in /version: its package version

_NEURONS = ("LIF", "LI", "CubaLIF", "CubaLI")
_CONNECTIONS = ("Linear", "Affine")
_KNOWN = _NEURONS + _CONNECTIONS + ("Delay", "Input", "Output")
_HINTS = {"IF": " (it has no leak; every spikegraph neuron leaks)",
          "I": " (it has no leak; every spikegraph neuron leaks)",
          "NIRGraph": " (a nested graph: flatten it into the top-level graph)"}

def save(network, path, *, dt=0.1, time_unit="ms", seed=1):
    """Writes `network` as a NIR graph to `path`. Connectivity, weights and delays are those
    spikegraph.compile(network, dt=dt, seed=seed) makes; a delay of one step of `dt` is an
    instantaneous NIR edge. An existing file is replaced. What NIR cannot express raises a
    ValueError naming the population or projection, and then nothing is written. See the
    module's documentation for the mapping."""
    units = _Units(time_unit)
    nodes, edges = _graph_of(network, _positive(dt, "dt"), int(seed), units)
    _write(path, nodes, edges)


def load(path, *, time_unit="ms", dt=0.1, inputs=None):
    """The NIR graph in `path` as a Network (populations and projections named as the nodes).
    `dt` [ms] is the step the network will be compiled with (Delay nodes become whole steps of
    it). `inputs` maps Input node names to spike times [ms], one list per neuron; other Input
    nodes become sources without spikes. Nothing is recorded: Output nodes name the
    populations to record."""
    units = _Units(time_unit)
    nodes, edges = _read(path)
    return _network_of(nodes, edges, units, _positive(dt, "dt"), dict(inputs or {}))


# ---------------------------------------------------------------------------------------------
# Units and exact conversions


class _Units:
    """Times and rates between spikegraph's ms and the file's time unit."""

    def __init__(self, time_unit):
        if time_unit not in ("ms", "s"):
            raise ValueError(f"time_unit must be 'ms' or 's', not {time_unit!r}")
        self.ms = 1.0 if time_unit == "ms" else 1e3  # ms per time unit of the file

    def time_to_nir(self, ms):
        return np.asarray(ms, dtype=np.float64) / self.ms

    def time_from_nir(self, value):
        return _solve(value, self.time_to_nir, np.asarray(value, dtype=np.float64) * self.ms)

    def rate_to_nir(self, per_ms):
        return np.asarray(per_ms, dtype=np.float64) * self.ms

    def rate_from_nir(self, value):
        return _solve(value, self.rate_to_nir, np.asarray(value, dtype=np.float64) / self.ms)


def _solve(target, forward, estimate, reach=4):
    """`estimate`, or the double within `reach` steps of it for which forward(x) gives `target`
    bit for bit, so that a value converted on import converts back to what the file held.
    For values save() wrote, the estimate (the quotient) is already such a double: it is the
    one nearest the middle of the interval of values that forward() rounds to the target, and
    that interval holds the value save() started from. The search covers rounding ties and
    the edges of that argument; a value no double reaches (possible in a file from elsewhere)
    keeps the estimate."""
    target = np.asarray(target, dtype=np.float64)
    found = np.array(estimate, dtype=np.float64)
    done = forward(found) == target
    for direction in (np.inf, -np.inf):
        probe = found.copy()
        for _ in range(reach):
            if np.all(done):
                break
            probe = np.nextafter(probe, direction)
            hit = ~done & (forward(probe) == target)
            found = np.where(hit, probe, found)
            done = done | hit
    return float(found) if found.ndim == 0 else found


def _positive(value, name):
    value = float(value)
    if not value > 0:
        raise ValueError(f"{name} must be positive, not {value}")
    return value


# ---------------------------------------------------------------------------------------------
# Export: Network -> nodes and edges


def _graph_of(network, dt, seed, units):
    """NIR nodes {name: (type, {parameter: array})} and sorted edges for `network`."""
    if not isinstance(network, Network):
        raise TypeError("spikegraph.nir.save needs a spikegraph.Network")
    sim, described = _resolved(network, dt, seed)
    populations = network.populations
    projections = network.projections
    nodes, edges, bias = {}, [], {}
    for pop in populations:
        attrs = described[pop.name]
        if model_info(attrs["model"])["kind"] == "spike_source":
            _add(nodes, pop.name, "Input", shape=np.array([pop.size], dtype=np.int64))
            continue
        if attrs["model"] not in _EXPORTERS:
            raise ValueError(f"population '{pop.name}' ({attrs['model']}) has no NIR counterpart; NIR holds "
                             "lif, cuba_lif and li neurons and spike sources (as Input nodes)")
        _check_initial_state(sim, pop, attrs)
        node_type, fields, bias[pop.name] = _EXPORTERS[attrs["model"]](network, pop, attrs, units)
        _add(nodes, pop.name, node_type, **fields)
    carriers = _bias_carriers(projections, bias)
    sizes = {pop.name: pop.size for pop in populations}
    for proj in projections:
        _export_projection(sim, proj, sizes, dt, units, carriers.get(proj.name), nodes, edges)
    _add_outputs(populations, projections, described, nodes, edges)
    return nodes, sorted(edges)


def _resolved(network, dt, seed):
    """The network compiled in double precision (connectivity, initial state) and every
    population's parameters by name (per-neuron values drawn as the backends draw them)."""
    from .simulation import compile as compile_network
    sim = compile_network(network, backend="cpu", dt=dt, seed=seed, threads=1, precision="double")
    return sim, {pop.name: network._net.parameters(pop.name, seed) for pop in network.populations}


def _check_initial_state(sim, pop, attrs):
    rest = {"v": attrs["v_rest"], "i_exc": 0.0, "i_inh": 0.0}
    for variable in model_info(attrs["model"])["state"]:
        name = variable["name"]
        values = sim.state(pop.name, name)
        if np.any(values != rest[name]):
            raise ValueError(f"population '{pop.name}': its initial {name} differs from the resting value "
                             f"{rest[name]}, and NIR has no initial state; leave {name} unset")


def _export_lif(network, pop, attrs, units):
    where = f"population '{pop.name}' (lif)"
    n = pop.size
    tau = np.full(n, units.time_to_nir(attrs["tau_m"]))
    fields = {"tau": tau, "r": tau.copy(), "v_leak": np.full(n, attrs["v_rest"])}
    if attrs["v_th"] >= _NEVER:  # never fires: a leaky integrator, whose reset does not matter
        node_type = "LI"
    else:
        _check_spiking(where, attrs)
        node_type = "LIF"
        fields.update(v_threshold=np.full(n, attrs["v_th"]), v_reset=np.full(n, attrs["v_reset"]))
    i_offset = _bias_current(network, pop, attrs)
    bias = units.rate_to_nir(np.broadcast_to(i_offset, (n,)) / attrs["c_m"])  # dv/dt [mV/ms] = i_offset / c_m
    return node_type, fields, (bias if np.any(bias != 0) else None)


def _export_current_synapses(network, pop, attrs, units):
    model = attrs["model"]
    where = f"population '{pop.name}' ({model})"
    if attrs["tau_syn_e"] != attrs["tau_syn_i"]:
        raise ValueError(f"{where}: tau_syn_e = {attrs['tau_syn_e']} ms and tau_syn_i = {attrs['tau_syn_i']} ms "
                         "differ, but NIR's Cuba neurons have one synaptic current")
    if attrs.get("integration", "exact") != "exact":
        raise ValueError(f"{where}: integration = {attrs['integration']!r} has no NIR counterpart "
                         "(NIR's CubaLIF is the continuous model)")
    if np.any(np.asarray(attrs["i_offset"]) != 0):
        raise ValueError(f"{where}: a bias current (i_offset) has no NIR counterpart here: NIR would pass it "
                         "through the synaptic current (an Affine bias), which is not a constant current")
    n = pop.size
    tau_syn = np.full(n, units.time_to_nir(attrs["tau_syn_e"]))
    # r from the tau_m that load() will read back, so that load finds a c_m giving back this r.
    tau_m = units.time_from_nir(units.time_to_nir(attrs["tau_m"]))
    fields = {"tau_mem": np.full(n, units.time_to_nir(attrs["tau_m"])), "tau_syn": tau_syn,
              "r": np.full(n, tau_m / attrs["c_m"]), "v_leak": np.full(n, attrs["v_rest"]), "w_in": tau_syn.copy()}
    node_type = "CubaLI"
    if model == "cuba_lif":
        _check_spiking(where, attrs)
        node_type = "CubaLIF"
        fields.update(v_threshold=np.full(n, attrs["v_th"]), v_reset=np.full(n, attrs["v_reset"]))
    return node_type, fields, None


_EXPORTERS = {"lif": _export_lif, "cuba_lif": _export_current_synapses, "li": _export_current_synapses}


def _check_spiking(where, attrs):
    if attrs["reset"] != "to_value":
        raise ValueError(f"{where}: reset '{attrs['reset']}' has no NIR counterpart (NIR's neurons reset to "
                         "v_reset); use reset='to_value'")
    if attrs["t_ref"] != 0:
        raise ValueError(f"{where}: t_ref = {attrs['t_ref']} ms, but NIR's neurons have no refractory period; "
                         "set t_ref=0")


def _bias_current(network, pop, attrs):
    return attrs["i_offset"]


def _bias_carriers(projections, bias):
    """Projection name -> the bias its Affine node carries: a population's first incoming
    projection by name."""
    carriers = {}
    for post, values in bias.items():
        if values is None:
            continue
        incoming = sorted(p.name for p in projections if p.post == post)
        if not incoming:
            raise ValueError(f"population '{post}': its bias current (i_offset) needs an incoming projection, "
                             "as NIR holds a bias only in an Affine node")
        carriers[incoming[0]] = values
    return carriers


def _export_projection(sim, proj, sizes, dt, units, bias, nodes, edges):
    syn = sim.synapses(proj.name)
    pre_size, post_size = sizes[proj.pre], sizes[proj.post]
    weight = np.zeros((post_size, pre_size))
    np.add.at(weight, (syn.post, syn.pre), syn.weight)
    # Merged synapses rounded as spikegraph keeps weights, so that a reload holds them exactly.
    weight = weight.astype(np.float32).astype(np.float64)
    fields = {"weight": weight} if bias is None else {"weight": weight, "bias": bias}
    _add(nodes, proj.name, "Linear" if bias is None else "Affine", **fields)
    extra = _extra_steps(proj, syn, pre_size, dt)
    source = proj.pre
    if np.any(extra > 0):
        source = f"{proj.name}_delay"
        _add(nodes, source, "Delay", delay=units.time_to_nir(extra * dt))
        edges.append((proj.pre, source))
    edges += [(source, proj.name), (proj.name, proj.post)]


def _extra_steps(proj, syn, pre_size, dt):
    """Steps of delay beyond the first, one per presynaptic neuron: NIR delays a neuron's
    output (a Delay node), not a synapse."""
    steps = np.rint(np.asarray(syn.delay) / dt).astype(np.int64)
    low = np.full(pre_size, np.iinfo(np.int64).max)
    high = np.ones(pre_size, dtype=np.int64)
    np.minimum.at(low, syn.pre, steps)
    np.maximum.at(high, syn.pre, steps)
    mixed = np.flatnonzero((low != high) & (low != np.iinfo(np.int64).max))
    if mixed.size:
        i = mixed[0]
        raise ValueError(f"projection '{proj.name}': the synapses of presynaptic neuron {i} have delays from "
                         f"{low[i] * dt} to {high[i] * dt} ms, but NIR delays a neuron's output (a Delay node), "
                         "so each presynaptic neuron needs one delay")
    return high - 1


def _add_outputs(populations, projections, described, nodes, edges):
    feeds_others = {p.pre for p in projections if p.pre != p.post}
    outputs = [pop for pop in populations
               if model_info(described[pop.name]["model"])["kind"] == "neuron" and pop.name not in feeds_others]
    for pop in outputs:
        output = "output" if len(outputs) == 1 and "output" not in nodes else f"output_{pop.name}"
        _add(nodes, output, "Output", shape=np.array([pop.size], dtype=np.int64))
        edges.append((pop.name, output))


def _add(nodes, name, kind, **fields):
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"'{name}' cannot name a NIR node (an HDF5 group); rename the population or projection")
    if name in nodes:
        raise ValueError(f"'{name}' names two NIR nodes ({nodes[name][0]} and {kind}): populations, projections, "
                         "Delay and Output nodes share one namespace in NIR; rename one")
    nodes[name] = (kind, fields)


# ---------------------------------------------------------------------------------------------
# Import: nodes and edges -> Network


@dataclass
class _Neurons:
    """A neuron node as a spikegraph population: model, parameters, and how the NIR weights
    (post, pre) and bias into it become spikegraph weights and i_offset (bias None: refused)."""
    model: str
    size: int
    params: dict
    weight: Callable[[np.ndarray], np.ndarray]
    bias: Optional[Callable[[np.ndarray], np.ndarray]] = None


def _network_of(nodes, edges, units, dt, inputs):
    for name, (kind, _) in nodes.items():
        if kind not in _KNOWN:
            raise ValueError(f"NIR node '{name}' is {kind or 'untyped'}, which spikegraph cannot express"
                             f"{_HINTS.get(kind, '')}; it reads {', '.join(_KNOWN)}")
    before, after = _neighbours(nodes, edges)
    _check_structure(nodes, before, after)
    neurons = {name: _IMPORTERS[kind](name, kind, fields, units)
               for name, (kind, fields) in nodes.items() if kind in _NEURONS}
    sizes = {name: n.size for name, n in neurons.items()}
    sizes.update({name: _input_size(name, fields) for name, (kind, fields) in nodes.items() if kind == "Input"})
    unknown = sorted(set(inputs) - {name for name, (kind, _) in nodes.items() if kind == "Input"})
    if unknown:
        raise ValueError(f"inputs names {unknown}, which are not Input nodes of the graph")

    biases = _imported_biases(nodes, before, after, neurons)
    net = Network()
    for name in sorted(sizes):
        if name in neurons:
            _add_neurons(net, name, neurons[name], biases.get(name))
        else:
            trains = inputs.get(name, [[] for _ in range(sizes[name])])
            if len(trains) != sizes[name]:
                raise ValueError(f"inputs['{name}'] gives {len(trains)} spike trains for an Input of {sizes[name]}")
            net.add_spike_source(name, trains)
    for name in sorted(n for n, (kind, _) in nodes.items() if kind in _CONNECTIONS):
        _connect(net, name, nodes, before, after, neurons, sizes, units, dt)
    return net


def _neighbours(nodes, edges):
    before = {name: [] for name in nodes}
    after = {name: [] for name in nodes}
    for edge in edges:
        source, target = edge
        for end in edge:
            if end not in nodes:
                raise ValueError(f"NIR edge '{source}' -> '{target}' names '{end}', which is not a node")
        if target in after[source]:
            raise ValueError(f"NIR edge '{source}' -> '{target}' is listed twice")
        after[source].append(target)
        before[target].append(source)
    return before, after


def _check_structure(nodes, before, after):
    """Only the shapes spikegraph connects: population -> [Delay ->] Linear/Affine -> population,
    and population -> Output."""
    kind = {name: k for name, (k, _) in nodes.items()}
    population = {name for name, k in kind.items() if k in _NEURONS or k == "Input"}

    def refuse(name, message):
        raise ValueError(f"NIR node '{name}' ({kind[name]}) {message}")

    for name, k in kind.items():
        if k == "Input" and before[name]:
            refuse(name, f"has incoming edges (from {before[name]})")
        if k == "Output" and (after[name] or any(p not in population for p in before[name])):
            refuse(name, "must follow neuron or Input nodes only and lead nowhere")
        if k in _NEURONS:
            for source in before[name]:
                if kind[source] not in _CONNECTIONS:
                    refuse(name, f"receives an edge from '{source}' ({kind[source]}); spikegraph connects "
                                 "populations through Linear or Affine nodes")
        if k in _CONNECTIONS:
            if len(before[name]) != 1 or (before[name][0] not in population and kind[before[name][0]] != "Delay"):
                refuse(name, f"needs one input, a neuron, Input or Delay node (it has {before[name]})")
            if len(after[name]) != 1 or kind[after[name][0]] not in _NEURONS:
                refuse(name, f"needs one output, a neuron node (it has {after[name]})")
        if k == "Delay":
            if len(before[name]) != 1 or before[name][0] not in population:
                refuse(name, f"needs one input, a neuron or Input node (it has {before[name]})")
            if not after[name] or any(kind[t] not in _CONNECTIONS for t in after[name]):
                refuse(name, f"must lead to Linear or Affine nodes only (it leads to {after[name]})")


def _float_fields(name, kind, fields, wanted):
    arrays = {}
    for field in wanted:
        if field not in fields:
            raise ValueError(f"NIR node '{name}' ({kind}) lacks its '{field}' dataset")
        arrays[field] = np.atleast_1d(np.asarray(fields[field], dtype=np.float64))
    shapes = {a.shape for a in arrays.values()}
    if len(shapes) != 1 or len(next(iter(shapes))) != 1:
        raise ValueError(f"NIR node '{name}' ({kind}): its parameters must be 1-D arrays of one length "
                         f"(shapes {sorted(shapes)})")
    return arrays


def _one_value(name, kind, field, values, model, parameter):
    if np.all(values == values[0]):
        return float(values[0])
    raise ValueError(f"NIR node '{name}' ({kind}): {field} differs between neurons ({values.min()} to "
                     f"{values.max()}), but spikegraph's {model} takes one {parameter} per population")


def _import_lif(name, kind, fields, units):
    wanted = ["tau", "r", "v_leak"] + (["v_threshold"] if kind == "LIF" else [])
    f = _float_fields(name, kind, fields, wanted)
    size = f["tau"].size
    if kind == "LIF":
        f["v_reset"] = np.asarray(fields.get("v_reset", np.zeros(size)), dtype=np.float64).reshape(size)

    def one(field, parameter):
        return _one_value(name, kind, field, f[field], "lif", parameter)

    params = {"tau_m": units.time_from_nir(one("tau", "tau_m")), "c_m": 1.0, "v_rest": one("v_leak", "v_rest"),
              "t_ref": 0.0, "reset": "to_value"}
    if kind == "LIF":
        params.update(v_th=one("v_threshold", "v_th"), v_reset=one("v_reset", "v_reset"))
    else:
        params.update(v_th=_NEVER, v_reset=params["v_rest"])
    scale = f["r"] / f["tau"]  # a spike through weight W makes v jump by r W / tau [mV]; 1.0 when r == tau
    return _Neurons("lif", size, params, weight=lambda w: w * scale[:, None],
                    bias=lambda b: units.rate_from_nir(b * scale))  # dv/dt = r b / tau = i_offset / c_m


def _import_current_synapses(name, kind, fields, units):
    fields = {"w_in": np.ones_like(np.asarray(fields.get("r", 1.0), dtype=np.float64)), **fields}  # NIR's default
    wanted = ["tau_mem", "tau_syn", "r", "v_leak", "w_in"] + (["v_threshold"] if kind == "CubaLIF" else [])
    f = _float_fields(name, kind, fields, wanted)
    size = f["r"].size
    model = "cuba_lif" if kind == "CubaLIF" else "li"
    if kind == "CubaLIF":
        f["v_reset"] = np.asarray(fields.get("v_reset", np.zeros(size)), dtype=np.float64).reshape(size)

    def one(field, parameter):
        return _one_value(name, kind, field, f[field], model, parameter)

    if not np.all(f["r"] > 0):
        raise ValueError(f"NIR node '{name}' ({kind}): r must be positive")
    tau_m = units.time_from_nir(one("tau_mem", "tau_m"))
    tau_syn = units.time_from_nir(one("tau_syn", "tau_syn_e and tau_syn_i"))
    r = f["r"][0]
    c_m = _solve(r, lambda c: tau_m / c, tau_m / r)  # r = tau_m / c_m, bit for bit where a c_m gives it
    params = {"tau_m": tau_m, "c_m": c_m, "v_rest": one("v_leak", "v_rest"), "tau_syn_e": tau_syn, "tau_syn_i": tau_syn}
    if kind == "CubaLIF":
        params.update(v_th=one("v_threshold", "v_th"), v_reset=one("v_reset", "v_reset"), t_ref=0.0, reset="to_value")
    # I jumps by w_in W / tau_syn per spike; neurons whose r differs from the first see it scaled.
    scale = (f["w_in"] / f["tau_syn"]) * (f["r"] / r)
    return _Neurons(model, size, params, weight=lambda w: w * scale[:, None])


_IMPORTERS = {"LIF": _import_lif, "LI": _import_lif, "CubaLIF": _import_current_synapses,
              "CubaLI": _import_current_synapses}


def _input_size(name, fields):
    shape = np.atleast_1d(np.asarray(fields.get("shape", []), dtype=np.int64))
    if shape.size != 1:
        raise ValueError(f"NIR node '{name}' (Input) has shape {shape.tolist()}; spikegraph reads 1-D inputs")
    return int(shape[0])


def _imported_biases(nodes, before, after, neurons):
    """i_offset of each neuron node: the sum of the biases of the Affine nodes into it."""
    biases = {}
    for name in sorted(n for n, (kind, _) in nodes.items() if kind == "Affine"):
        bias = np.asarray(nodes[name][1].get("bias", 0.0), dtype=np.float64)
        if not np.any(bias != 0):
            continue
        target = after[name][0]
        n = neurons[target]
        if bias.shape not in ((), (n.size,)):
            raise ValueError(f"NIR node '{name}' (Affine): bias of shape {bias.shape} for '{target}' of {n.size}")
        if n.bias is None:
            raise ValueError(f"NIR node '{name}' (Affine) has a bias into '{target}' ({nodes[target][0]}), which "
                             "NIR filters through the synaptic current; spikegraph's bias current is constant")
        current = n.bias(np.broadcast_to(bias, (n.size,)).astype(np.float64))
        biases[target] = current if target not in biases else biases[target] + current
    return biases


def _add_neurons(net, name, neurons, bias):
    params = dict(neurons.params)
    per_neuron = bias is not None and not np.all(bias == bias[0])
    if bias is not None:
        params["i_offset"] = bias.copy() if per_neuron else float(bias[0])
    net.add_population(name, neurons.model, neurons.size, **params)


def _connect(net, name, nodes, before, after, neurons, sizes, units, dt):
    kind, fields = nodes[name]
    source, target = before[name][0], after[name][0]
    delay = None
    if nodes[source][0] == "Delay":
        delay = _delay_steps(source, nodes[source][1], units, dt)
        source = before[source][0]
    weight = np.asarray(fields.get("weight"), dtype=np.float64)
    if weight.shape != (sizes[target], sizes[source]):
        raise ValueError(f"NIR node '{name}' ({kind}): weight has shape {weight.shape}, but '{source}' -> "
                         f"'{target}' needs ({sizes[target]}, {sizes[source]})")
    if delay is not None and delay.size != sizes[source]:
        raise ValueError(f"NIR node '{before[name][0]}' (Delay): {delay.size} delays for '{source}' of {sizes[source]}")
    matrix = neurons[target].weight(weight).T  # spikegraph takes (pre, post)
    delays = None if delay is None else np.repeat(((delay + 1) * dt)[:, None], sizes[target], axis=1)
    net.connect(source, target, FromMatrix(matrix, delays), name=name)


def _delay_steps(name, fields, units, dt):
    """Steps beyond the first per presynaptic neuron (NIR's delay 0 is one step)."""
    delay = np.atleast_1d(units.time_from_nir(np.asarray(fields.get("delay", []), dtype=np.float64)))
    steps = np.rint(delay / dt)
    bad = np.flatnonzero(~(np.abs(delay / dt - steps) <= 1e-6) | (steps < 0))
    if bad.size:
        raise ValueError(f"NIR node '{name}' (Delay): delay {delay[bad[0]]} ms is not a whole number of steps of "
                         f"dt = {dt} ms; load with the dt the graph was made for")
    return steps.astype(np.int64)


# ---------------------------------------------------------------------------------------------
# The file


def _h5py():
    try:
        import h5py
    except ImportError as error:
        raise ImportError("spikegraph.nir reads and writes NIR files with h5py: pip install h5py") from error
    return h5py


def _text(value):
    """A string read by h5py (bytes for variable-length strings)."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _write(path, nodes, edges):
    h5py = _h5py()
    text = h5py.string_dtype()
    with h5py.File(str(path), "w") as f:
        f.create_dataset("version", data=NIR_VERSION, dtype=text)
        graph = f.create_group("node")
        graph.create_dataset("type", data="NIRGraph", dtype=text)
        graph.create_dataset("edges", data=np.array(edges, dtype=object).reshape(-1, 2), dtype=text)
        groups = graph.create_group("nodes")
        for name, (kind, fields) in nodes.items():
            group = groups.create_group(name)
            group.create_dataset("type", data=kind, dtype=text)
            for key, value in fields.items():
                big = value.size >= 4096  # as spikegraph's results files: large arrays compressed
                group.create_dataset(key, data=value, **({"compression": "gzip", "shuffle": True} if big else {}))


def _read(path):
    h5py = _h5py()
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"NIR file '{path}' does not exist")
    if not h5py.is_hdf5(str(path)):
        raise ValueError(f"'{path}' is not a NIR file (not HDF5)")
    with h5py.File(str(path), "r") as f:
        graph = f.get("node")
        if not isinstance(graph, h5py.Group) or "type" not in graph or _text(graph["type"][()]) != "NIRGraph":
            raise ValueError(f"'{path}' is not a NIR file: it has no /node group of type NIRGraph")
        nodes = {}
        for name, group in graph.get("nodes", {}).items():
            fields = {key: item[()] for key, item in group.items() if isinstance(item, h5py.Dataset)}
            nodes[name] = (_text(fields.pop("type", b"")), fields)
        edges = [(_text(a), _text(b)) for a, b in graph["edges"][()]] if "edges" in graph else []
    return nodes, edges
