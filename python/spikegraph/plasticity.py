"""Learning rules for projections: pass one as `plasticity=` to Network.connect.

    stdp = sg.Plasticity("stdp", a_plus=0.005, a_minus=0.00525, w_max=0.015)
    net.connect(inputs, neuron, sg.AllToAll(), weight=sg.Uniform(0, 0.015), plasticity=stdp)

Delays follow NEST's convention: of a synapse's delay d, `axonal_delay` passes before the
presynaptic spike reaches the synapse and d - axonal_delay before the postsynaptic spike does
(default 0: all dendritic, as NEST's stdp_synapse). `sg.rule_info(name)` lists a rule's
parameters with units and defaults.
"""
from ._core import rule_info, rule_names, subspace_update


class Plasticity:
    """A rule by name ("stdp", "stdp_triplet", "oja"), its parameters and the axonal delay [ms]."""

    def __init__(self, rule, axonal_delay=0.0, **params):
        self.rule = rule
        self.axonal_delay = float(axonal_delay)
        self.params = params

    def _spec(self):
        return (self.rule, self.params, self.axonal_delay)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"Plasticity({self.rule!r}{', ' if args else ''}{args}, axonal_delay={self.axonal_delay})"


def STDP(**params):
    """Pair STDP (rule "stdp"): a_plus, a_minus as fractions of w_max - w_min."""
    return Plasticity("stdp", **params)


def TripletSTDP(**params):
    """Triplet STDP of Pfister & Gerstner 2006 (rule "stdp_triplet"), visual cortex defaults."""
    return Plasticity("stdp_triplet", **params)


__all__ = ["Plasticity", "STDP", "TripletSTDP", "rule_info", "rule_names", "subspace_update"]
