"""Errors arrive as ValueError subclasses that name the culprit; nothing is changed by a failed call."""
import math

import numpy as np
import pytest

import spikegraph as sg


def test_error_hierarchy():
    for cls in (sg.InvalidParameterError, sg.InvalidNetworkError, sg.BackendUnavailableError,
                sg.HardwareConstraintError, sg.SpikegraphIOError, sg.InternalError):
        assert issubclass(cls, sg.SpikegraphError)
        assert issubclass(cls, ValueError)


def test_negative_time_constant_names_population_field_and_value():
    net = sg.Network()
    with pytest.raises(sg.InvalidParameterError, match=r"population 'exc'.*tau_m = -5 ms.*> 0"):
        net.add_population("exc", "lif", 10, tau_m=-5.0)
    assert net.populations == []


def test_nan_weight_names_the_projection():
    net = sg.Network()
    a = net.add_population("a", "cuba_lif", 3)
    with pytest.raises(sg.InvalidParameterError, match=r"projection 'a->a'.*weight = nan"):
        net.connect(a, a, sg.AllToAll(), weight=math.nan)
    with pytest.raises(sg.InvalidParameterError, match=r"weight\[1\] = nan"):
        net.connect(a, a, sg.FromList([0, 1], [1, 2], weights=[0.1, float("nan")]))
    assert net.projections == []


def test_delay_below_one_step_is_refused_at_compile():
    net = sg.Network()
    a = net.add_population("a", "lif", 3)
    net.connect(a, a, sg.OneToOne(), weight=1.0, delay=0.05, name="self")
    with pytest.raises(sg.InvalidParameterError, match=r"projection 'self'.*delay = 0.05 ms.*below one time step"):
        sg.compile(net, dt=0.1)


def test_unknown_population_model_parameter_and_receptor():
    net = sg.Network()
    a = net.add_population("a", "lif", 3)
    with pytest.raises(sg.InvalidNetworkError, match=r"unknown population 'b' \(known: 'a'\)"):
        net.connect(a, "b", sg.AllToAll())
    with pytest.raises(sg.InvalidParameterError, match=r"unknown model 'izhikevich'"):
        net.add_population("z", "izhikevich", 3)
    with pytest.raises(sg.InvalidParameterError, match=r"'tau_syn_e' is not a parameter.*'lif'"):
        net.add_population("c", "lif", 3, tau_syn_e=5.0)
    with pytest.raises(sg.InvalidNetworkError, match=r"receptor 'nmda'"):
        net.connect(a, a, sg.AllToAll(), receptor="nmda")


def test_size_zero_and_bad_kinds():
    net = sg.Network()
    with pytest.raises(sg.InvalidParameterError, match=r"population 'empty'.*size = 0"):
        net.add_population("empty", "lif", 0)
    with pytest.raises(sg.InvalidParameterError, match=r"size = -4"):
        net.add_population("negative", "lif", -4)
    with pytest.raises(sg.InvalidParameterError, match=r"tau_m was given a string"):
        net.add_population("s", "lif", 2, tau_m="fast")
    with pytest.raises(sg.InvalidParameterError, match=r"fixed_in_degree.*n = -1"):
        sg.FixedInDegree(-1)
    with pytest.raises(sg.InvalidParameterError, match=r"i_offset has 2 values but the population has 3"):
        net.add_population("x", "lif", 3, i_offset=np.array([1.0, 2.0]))


def test_backends_unknown_and_unavailable():
    net = sg.Network()
    net.add_population("a", "lif", 2)
    with pytest.raises(sg.BackendUnavailableError, match=r"backend 'cuda' is unavailable"):
        sg.compile(net, backend="cuda")
    with pytest.raises(sg.InvalidParameterError, match=r"unknown backend 'gpu'"):
        sg.compile(net, backend="gpu")


def test_network_too_big_is_refused_with_an_estimate():
    net = sg.Network()
    big = net.add_population("big", "lif", 100000)
    net.connect(big, big, sg.AllToAll())
    with pytest.raises(sg.HardwareConstraintError, match=r"does not fit: it needs an estimated [0-9.]+ GiB \(10000000000 synapses"):
        sg.compile(net)


def test_unrecorded_and_unknown_variables():
    net = sg.Network()
    a = net.add_population("a", "lif", 2)
    with pytest.raises(sg.InvalidNetworkError, match=r"'g_exc' is not a recordable variable of model 'lif'"):
        net.record(a, "g_exc")
    sim = sg.compile(net)
    with pytest.raises(sg.InvalidParameterError, match=r"spikes of 'a' were not recorded"):
        sim.spikes("a")
    with pytest.raises(sg.InvalidParameterError, match=r"duration = 0.05 ms.*whole number of time steps"):
        sim.run(0.05)
