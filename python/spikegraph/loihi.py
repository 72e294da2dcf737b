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


def quantize(network, chip="loihi2", dt=1.0, threshold_mantissa=8192, seed=1):
    """The float `network` (lif and cuba_lif populations, spike sources) in Loihi's integers;
    raises an error naming any parameter Loihi cannot represent."""
    return QuantizedNetwork(_network=_core.loihi_quantize(network._net, chip, float(dt), int(threshold_mantissa),
                                                          int(seed)))


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
