"""The network description: populations, sources, projections, injections and recordings."""
from dataclasses import dataclass

from . import _core


@dataclass(frozen=True)
class Population:
    """A handle to a population or source of a Network."""
    name: str
    model: str
    size: int

    def __len__(self):
        return self.size


@dataclass(frozen=True)
class Projection:
    """A handle to a projection of a Network."""
    name: str
    pre: str
    post: str
    receptor: str


def _name(item):
    return item.name if isinstance(item, (Population, Projection)) else str(item)


class Network:
    """A network of populations joined by projections. Every call validates its arguments at
    once and raises an error naming the culprit; nothing is added when it raises."""

    def __init__(self):
        self._net = _core.Network()

    def add_population(self, name, model, size, **params):
        """Adds `size` neurons of `model` ("lif", "cuba_lif", "coba_lif", "li") or a source
        ("poisson", "spike_array", "step_current"). Keyword arguments set parameters (see
        spikegraph.model_info(model)) and initial values of state variables (e.g. v=-65.0). A
        per-neuron value may be an array or a distribution such as spikegraph.Uniform(-65, -55)."""
        self._net.add_population(name, model, size, params)
        return self._population(name)

    def add_poisson_source(self, name, size, rate=1.0, **params):
        """Poisson spike source: each neuron fires with probability rate * dt per step [Hz]."""
        return self.add_population(name, "poisson", size, rate=rate, **params)

    def add_spike_source(self, name, spike_times):
        """Spike source emitting given times [ms]: one list of times per neuron."""
        spike_times = [list(map(float, times)) for times in spike_times]
        return self.add_population(name, "spike_array", len(spike_times), spike_times=spike_times)

    def add_current_source(self, name, times, amplitudes):
        """Piecewise-constant current: amplitudes[j] [nA] from times[j] [ms]; inject it with inject()."""
        return self.add_population(name, "step_current", 1, times=list(times), amplitudes=list(amplitudes))

    def connect(self, pre, post, connector, weight=0.0, delay=None, receptor="excitatory", name=None,
                plasticity=None):
        """Connects `pre` to `post`. Weights are nA (current synapses), uS (conductance synapses)
        or mV (lif's delta synapses); delays are ms and default to one time step. `plasticity`:
        a spikegraph.Plasticity rule that changes the weights while the network runs."""
        spec = None if plasticity is None else plasticity._spec()
        index = self._net.connect(_name(pre), _name(post), connector, weight, delay, receptor, name or "", spec)
        return self._projection(self._net.projection_names()[index])

    def inject(self, source, target, neurons=None):
        """Injects a current source into `target` (all neurons, or the listed ones)."""
        self._net.inject(_name(source), _name(target), neurons)

    def record(self, population, variable="spikes", neurons=None, interval=0.0):
        """Records "spikes" or a state variable ("v", "i_exc", "g_exc", ...) of `population`, for
        all neurons or the listed ones; state is sampled every `interval` ms (0: every step)."""
        self._net.record(_name(population), variable, neurons, float(interval))

    def record_weights(self, projection, interval):
        """Records snapshots of every weight of `projection` each `interval` ms; they are read
        with Simulation.weight_snapshots() and saved with the run."""
        self._net.record_weights(_name(projection), float(interval))

    def validate(self):
        self._net.validate()

    @property
    def populations(self):
        return [self._population(n) for n in self._net.population_names()]

    @property
    def projections(self):
        return [self._projection(n) for n in self._net.projection_names()]

    def __getitem__(self, name):
        return self._population(name)

    def _population(self, name):
        info = self._net.population_info(name)
        return Population(info["name"], info["model"], info["size"])

    def _projection(self, name):
        info = self._net.projection_info(name)
        return Projection(info["name"], info["pre"], info["post"], info["receptor"])
