"""Intel Loihi: quantize a network into the chip's integers, place it on neurocores, run it bit for
bit as Lava's bit-accurate models do, and estimate what it costs.

    q = spikegraph.loihi.quantize(net, chip="loihi2", dt=1.0)   # float lif / cuba_lif -> integers
    q.errors                                                   # what the quantisation changed
    q.map()                                                    # cores, chips, per-core utilisation
    emu = q.emulate(); emu.run(1000); emu.spikes("hidden"); emu.cost()

A network can also be written in Loihi's integers directly (Lava's LIF and Dense parameters):

    q = spikegraph.loihi.QuantizedNetwork(chip="loihi2")
    q.add_spike_source("in", [[0, 5], [3]])                        # steps of each neuron's spikes
    q.add_compartments("out", 2, du=4095, dv=0, vth=100)
    q.connect("in", "out", weights=[[10, 0], [0, -20]], weight_exp=0)  # (post, pre), as Lava's Dense

Per step, as Lava: u <- u (4096 - du - 1) / 4096 + a_in << 6 (truncated toward zero, wrapped to 24
bits), v <- v (4096 - dv) / 4096 + u + bias_mant << bias_exp (clipped to 24 bits), spike when
v > vth << 6, then v <- 0. A connection takes one step (a spike of step n enters the input of step
n + 1), plus its extra delay (Lava's DelayDense, 0..63). `spikegraph.compile(net, backend="loihi")`
does quantize, map and emulate in one call and reads results back in mV and nA.
"""
import numpy as np

from . import _core
from .simulation import _ProgressBar

CHIPS = tuple(_core.loihi_chip_names())


def chip_spec(chip="loihi2"):
    """Resources, number formats and energy per operation of `chip`, with their sources."""
    return _core.loihi_chip_spec(chip)


def _sign_mode(weights):
    """Lava's automatic sign mode."""
    weights = np.asarray(weights)
    if np.all(weights >= 0):
        return "excitatory"
    if np.all(weights <= 0):
        return "inhibitory"
    return "mixed"


class QuantizedNetwork:
    """A network in Loihi's integers: compartment groups, spike sources, projections."""

    def __init__(self, chip="loihi2", dt=1.0, _network=None):
        self._q = _network if _network is not None else _core.LoihiNetwork(chip, float(dt))

    @property
    def chip(self):
        return self._q.chip

    @property
    def dt(self):
        return self._q.dt

    def add_compartments(self, name, size, du, dv, vth, bias_mant=None, bias_exp=None, refractory_steps=0,
                         u0=None, v0=None):
        """A population of `size` CUBA compartments (Lava LIF): du, dv in 0..4095 (one per
        population), vth the 17-bit threshold mantissa, per-compartment bias mantissa and exponent."""
        def ints(values):
            return [] if values is None else [int(x) for x in np.broadcast_to(np.asarray(values), (size,))]
        self._q.add_compartments(name, int(size), int(du), int(dv), int(vth), ints(bias_mant), ints(bias_exp),
                                 int(refractory_steps), ints(u0), ints(v0))

    def add_spike_source(self, name, spike_steps):
        """A spike source: for each neuron, the (0-based) steps in which it spikes."""
        times = [[(int(s) + 1) * self.dt for s in steps] for steps in spike_steps]
        self._q.add_spike_source(name, times)

    def connect(self, pre, post, weights, delays=None, weight_exp=0, num_weight_bits=8, sign_mode=None, name=None):
        """Synapses from `pre` to `post` as Lava's Dense (or DelayDense): `weights` a (post, pre)
        matrix of integers (zeros make no synapse), or a tuple (pre_index, post_index, weight).
        The weights are clipped and truncated to the sign mode as Lava does; `delays` (same shape)
        are the extra steps beyond the one every connection takes (0..63)."""
        if isinstance(weights, tuple):
            pre_index, post_index, w = (np.asarray(a, dtype=np.int64) for a in weights)
            d = np.zeros_like(w) if delays is None else np.asarray(delays, dtype=np.int64)
        else:
            matrix = np.asarray(weights, dtype=np.int64)
            if matrix.ndim != 2:
                raise ValueError(f"connect {pre} -> {post}: weights must be a (post, pre) matrix")
            post_index, pre_index = np.nonzero(matrix)
            w = matrix[post_index, pre_index]
            d = np.zeros_like(w) if delays is None else np.asarray(delays, dtype=np.int64)[post_index, pre_index]
        mode = sign_mode or _sign_mode(w)
        name = name or f"{pre}->{post}"
        self._q.connect(name, pre, post, pre_index.tolist(), post_index.tolist(), w.tolist(), (d + 1).tolist(),
                        int(weight_exp), int(num_weight_bits), mode)

    def record(self, population, variable="spikes", neurons=None, interval_steps=1):
        """Records "spikes", "u" or "v" of a population (every `interval_steps` steps)."""
        self._q.record(population, variable, [] if neurons is None else [int(k) for k in neurons],
                       float(interval_steps) * self.dt if variable != "spikes" else 0.0)

    @property
    def populations(self):
        return self._q.populations

    @property
    def projections(self):
        return self._q.projections

    @property
    def errors(self):
        """Per projection: weight exponent, sign mode, largest and rms relative weight error; per
        population: effective time constants and bias error (from quantize())."""
        return self._q.errors

    def map(self):
        """Placement on cores: chips, cores (population slice, synaptic memory, axons), utilisation."""
        return self._q.map()

    def emulate(self, seed=1):
        return Emulator(self, seed)

    def validate(self):
        self._q.validate()


def quantize(network, chip="loihi2", dt=1.0, threshold_mantissa=8192, seed=1, weight_exp=None, bias_exp=None):
    """The float `network` (lif and cuba_lif populations, spike sources) in Loihi's integers;
    raises an error naming any parameter Loihi cannot represent. Each population's voltage scale
    puts its threshold mantissa at `threshold_mantissa` (smaller where its biases, or with a fixed
    `weight_exp` its incoming weights, would not fit); each projection gets the smallest weight
    exponent >= 0 its 8-bit weights allow, or `weight_exp` for all; each bias the smallest exponent
    its 13-bit mantissa allows, or `bias_exp` for all. export_lava_dl needs weight_exp=0 and
    bias_exp=6 (lava-dl's conventions)."""
    def optional(x):
        return None if x is None else int(x)
    return QuantizedNetwork(_network=_core.loihi_quantize(network._net, chip, float(dt), int(threshold_mantissa),
                                                          int(seed), optional(weight_exp), optional(bias_exp)))


class Emulator:
    """Runs a QuantizedNetwork bit-accurately; state in Loihi's integer units."""

    def __init__(self, network, seed=1):
        self.network = network
        self._emu = _core.LoihiEmulator(network._q, int(seed))

    def run(self, steps, progress=True):
        self._emu.run(int(steps), _ProgressBar() if progress else None)
        return self

    @property
    def steps(self):
        return self._emu.steps

    @property
    def wall_time(self):
        return self._emu.wall_time

    def spikes(self, population):
        """(steps, senders) of a recorded population."""
        return self._emu.spikes(population)

    def trace(self, population, variable):
        """(steps, values[step, neuron]) of a recorded "u" or "v"."""
        return self._emu.trace(population, variable)

    def state(self, population, variable):
        return self._emu.state(population, variable)

    def spike_counts(self, population):
        return self._emu.spike_counts(population)

    def cost(self, inferences=None):
        """Energy and time on the chip from this run's activity (Davies et al. 2018, Table 2);
        with `inferences`, also per inference."""
        cost = self._emu.cost()
        if inferences:
            cost["energy_per_inference_pj"] = cost["total_energy_pj"] / inferences
            cost["time_per_inference_ns"] = cost["time_per_step_ns"] * cost["steps"] / inferences
        return cost


def _layers(q):
    """The populations of a layered network in order: one spike source feeding a chain in which
    each population receives from the one before it (and, optionally, from itself)."""
    pops = {p["name"]: p for p in q.populations}
    projections = q.projections
    sources = [p["name"] for p in pops.values() if p["source"]]
    if len(sources) != 1:
        raise ValueError(f"export_lava_dl: a lava-dl network has one input; this one has the spike sources {sources}")
    order, previous = [], sources[0]
    while True:
        forward = [p for p in projections if p["pre"] == previous and p["post"] != previous]
        if not forward:
            break
        if len(forward) > 1:
            raise ValueError(f"export_lava_dl: '{previous}' has {len(forward)} outgoing projections; lava-dl describes "
                             "a chain of layers, each fed by one projection from the one before")
        layer = forward[0]["post"]
        incoming = [p for p in projections if p["post"] == layer]
        recurrent = [p for p in incoming if p["pre"] == layer]
        if len(incoming) != 1 + len(recurrent) or len(recurrent) > 1:
            raise ValueError(f"export_lava_dl: population '{layer}' receives {len(incoming)} projections; a lava-dl "
                             "layer takes one from the layer before it and at most one from itself")
        order.append((layer, forward[0], recurrent[0] if recurrent else None))
        previous = layer
    placed = {name for name, _, _ in order} | set(sources)
    if placed != set(pops):
        raise ValueError(f"export_lava_dl: populations {sorted(set(pops) - placed)} are not in the chain of layers")
    return pops, order


def _dense(projection, rows, columns):
    """Weights (and Lava delays) of a projection as (post, pre) integer matrices; lava-dl's
    optimize_weight_bits finds the mantissas and exponent that give the same input."""
    pairs = projection["post_index"].astype(np.int64) * columns + projection["pre_index"]
    if len(np.unique(pairs)) != len(pairs):
        raise ValueError(f"export_lava_dl: projection '{projection['name']}' joins a pair of neurons more than once; "
                         "a lava-dl weight matrix holds one synapse per pair")
    if projection["delay"].size and projection["delay"].max() - 1 > 62:
        raise ValueError(f"export_lava_dl: projection '{projection['name']}' has delays beyond 62 extra steps, "
                         "which lava-dl's netx clamps")
    weight = np.zeros((rows, columns), dtype=np.int64)
    delay = np.zeros((rows, columns), dtype=np.int64)
    weight[projection["post_index"], projection["pre_index"]] = projection["weight"]
    delay[projection["post_index"], projection["pre_index"]] = projection["delay"] - 1
    return weight, delay


def export_lava_dl(q, path):
    """Writes a layered QuantizedNetwork in lava-dl's network HDF5 format (read by
    lava.lib.dl.netx.hdf5.Network): per layer, type "dense" (or "dense_rec"), shape, a CUBA
    neuron (iDecay = du + 1, vDecay = dv, vThMant = vth), integer weights (exponent 0: quantize
    with weight_exp=0), Lava delays, bias. Refused: refractory periods, delays netx would clamp,
    several synapses per pair, anything but a chain of layers from one input.
    netx applies bias_exp = 6, so a bias is exported as its effective value / 64; returns
    {"max_bias_error": ...} (in Loihi units of v, 0 when every bias is a multiple of 64)."""
    try:
        import h5py
    except ImportError as error:
        raise ImportError("export_lava_dl needs h5py: pip install h5py") from error
    pops, order = _layers(q)
    for name, feed, recurrent in order:
        for projection in (feed, recurrent):
            if projection is not None and projection["weight_exp"] != 0:
                raise ValueError(f"export_lava_dl: projection '{projection['name']}' has weight_exp "
                                 f"{projection['weight_exp']}, but lava-dl reads 8-bit integer weights with exponent 0 "
                                 "(quantize with weight_exp=0)")
    bias_error = 0.0
    with h5py.File(path, "w") as f:
        root = f.create_group("layer")
        previous_size = pops[[p["name"] for p in pops.values() if p["source"]][0]]["size"]
        for index, (name, feed, recurrent) in enumerate(order):
            pop = pops[name]
            if pop["refractory_steps"]:
                raise ValueError(f"export_lava_dl: population '{name}' has a refractory period, which lava-dl's CUBA "
                                 "neurons do not have")
            group = root.create_group(str(index))
            group["type"] = "dense_rec" if recurrent is not None else "dense"
            group["shape"] = np.array([pop["size"]], dtype=np.int64)
            neuron = group.create_group("neuron")
            neuron["type"] = "CUBA"
            neuron["iDecay"] = pop["du"] + 1
            neuron["vDecay"] = pop["dv"]
            neuron["vThMant"] = pop["vth"]
            neuron["refDelay"] = 1
            neuron["gradedSpike"] = False
            weight, delay = _dense(feed, pop["size"], previous_size)
            group["weight"] = weight
            if delay.any():
                group["delay"] = delay
            if recurrent is not None:
                weight_rec, delay_rec = _dense(recurrent, pop["size"], pop["size"])
                if delay_rec.any():
                    raise ValueError(f"export_lava_dl: the recurrent weights of '{name}' have delays; lava-dl's "
                                     "dense_rec has none")
                group["weight_rec"] = weight_rec
            exponent = pop["bias_exp"].astype(np.int64)
            mant = pop["bias_mant"].astype(np.int64)
            effective = np.where(exponent >= 0, mant << np.maximum(exponent, 0), mant >> np.maximum(-exponent, 0))
            if np.any(effective):
                bias = np.rint(effective / 64.0).astype(np.int64)
                if np.abs(bias).max() > 4095:
                    raise ValueError(f"export_lava_dl: a bias of population '{name}' needs a mantissa beyond 13 bits "
                                     "at lava-dl's bias exponent 6")
                bias_error = max(bias_error, float(np.max(np.abs(bias * 64 - effective))))
                group["bias"] = bias
            previous_size = pop["size"]
    return {"layers": len(order), "max_bias_error": bias_error}


def save_mapping(q, path):
    """The placement report as JSON: chip, spec sources, cores (population slice, synaptic memory
    bits, input and output axons), utilisation, and the quantisation errors."""
    import json
    placement = q.map()
    report = {"chip": q.chip, "dt_ms": q.dt, "chips": placement["chips"], "cores": placement["cores"],
              "usage": placement["usage"], "errors": q.errors, "spec_sources": chip_spec(q.chip)["sources"]}
    with open(path, "w") as f:
        json.dump(report, f, indent=1, default=float)
    return report
