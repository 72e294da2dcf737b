"""NIR export and import (spikegraph.nir): files nir.read loads with the graph and parameters
expected, save -> load -> save bit for bit in ms and s, a loaded network that behaves as the
original, graphs written by the nir package, a trained model, and refusals that name the
culprit. Only the checks against the `nir` package need it."""
import sys

import h5py
import numpy as np
import pytest

import spikegraph as sg
from spikegraph import nir as sgnir
from spikegraph import training as sgt

DT = 0.1


def weights32(rng, shape):
    """Random weights that single precision holds, as spikegraph stores them."""
    return rng.normal(size=shape).astype(np.float32).astype(np.float64)


def example_network(rng=None, c_m=0.3, trains=((1.0, 3.0), (2.0,), (4.5,))):
    """Every exportable kind: a spike source, lif with a bias and a delayed recurrent projection,
    cuba_lif, an LI readout (lif that never fires) and li."""
    rng = rng or np.random.default_rng(0)
    net = sg.Network()
    net.add_spike_source("input", trains)
    net.add_population("hidden", "lif", 4, tau_m=13.7, c_m=c_m, v_rest=-65.0, v_th=-64.0, v_reset=-66.0,
                       t_ref=0.0, i_offset=0.02)
    net.add_population("out", "cuba_lif", 2, tau_m=17.1, c_m=0.37, v_rest=-65.0, v_th=-64.9, v_reset=-65.5,
                       tau_syn_e=3.3, tau_syn_i=3.3, t_ref=0.0)
    net.add_population("readout", "lif", 2, tau_m=9.0, v_rest=0.0, v_th=1e30, v_reset=0.0)
    net.add_population("li", "li", 2, tau_m=7.0, c_m=2.0)
    net.connect("input", "hidden", sg.FromMatrix(weights32(rng, (3, 4))), name="w_in")
    net.connect("hidden", "hidden", sg.FromMatrix(0.3 * weights32(rng, (4, 4))), delay=0.3, name="w_rec")
    net.connect("hidden", "out", sg.FixedProbability(0.7), weight=sg.Uniform(-1, 1), name="w_out")
    net.connect("hidden", "readout", sg.AllToAll(), weight=0.5, receptor="inhibitory")
    net.connect("hidden", "li", sg.AllToAll(), weight=0.25)
    # Several synapses per pair: merged into one NIR weight.
    net.connect("hidden", "li", sg.FixedTotalNumber(20, allow_multapses=True), weight=sg.Uniform(-1, 1), name="multi")
    return net


def datasets(path):
    """Every dataset of an HDF5 file: name -> (dtype, shape, bytes); strings decoded, edges as a set."""
    found = {}

    def visit(name, item):
        if not isinstance(item, h5py.Dataset):
            return
        value = item[()]
        if h5py.check_string_dtype(item.dtype):
            value = np.vectorize(lambda s: s.decode())(value) if np.ndim(value) else value.decode()
            found[name] = {tuple(row) for row in value} if name.endswith("edges") else value
        else:
            found[name] = (value.dtype.str, value.shape, value.tobytes())

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return found


def assert_same_file(a, b):
    first, second = datasets(a), datasets(b)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def dense(sim, projection, pre, post):
    syn = sim.synapses(projection)
    matrix = np.zeros((post, pre))
    np.add.at(matrix, (syn.post, syn.pre), syn.weight)
    return matrix


# ---------------------------------------------------------------------------------------------


def test_exported_file_holds_the_graph_and_parameters(tmp_path):
    nir = pytest.importorskip("nir")
    net = example_network()
    sgnir.save(net, tmp_path / "net.nir", dt=DT)
    graph = nir.read(tmp_path / "net.nir")
    types = {name: type(node).__name__ for name, node in graph.nodes.items()}
    assert types == {"input": "Input", "hidden": "LIF", "out": "CubaLIF", "readout": "LI", "li": "CubaLI",
                     "w_in": "Affine", "w_rec_delay": "Delay", "w_rec": "Linear", "w_out": "Linear",
                     "hidden->readout": "Linear", "hidden->li": "Linear", "multi": "Linear",
                     "output_out": "Output", "output_readout": "Output", "output_li": "Output"}
    assert set(graph.edges) == {
        ("input", "w_in"), ("w_in", "hidden"), ("hidden", "w_rec_delay"), ("w_rec_delay", "w_rec"),
        ("w_rec", "hidden"), ("hidden", "w_out"), ("w_out", "out"), ("hidden", "hidden->readout"),
        ("hidden->readout", "readout"), ("hidden", "hidden->li"), ("hidden->li", "li"), ("hidden", "multi"), ("multi", "li"),
        ("out", "output_out"), ("readout", "output_readout"), ("li", "output_li")}
    sim = sg.compile(net, dt=DT, precision="double")
    n = graph.nodes
    expected = {
        "hidden": dict(tau=13.7, r=13.7, v_leak=-65.0, v_threshold=-64.0, v_reset=-66.0),
        "out": dict(tau_mem=17.1, tau_syn=3.3, r=17.1 / 0.37, w_in=3.3, v_leak=-65.0, v_threshold=-64.9,
                    v_reset=-65.5),
        "readout": dict(tau=9.0, r=9.0, v_leak=0.0),
        "li": dict(tau_mem=7.0, tau_syn=5.0, r=3.5, w_in=5.0, v_leak=0.0),
    }
    for node, fields in expected.items():
        for field, value in fields.items():
            assert np.array_equal(getattr(n[node], field), np.full(len(n[node].v_leak), value)), (node, field)
    assert np.array_equal(n["w_in"].weight, dense(sim, "w_in", 3, 4))
    assert np.array_equal(n["w_in"].bias, np.full(4, 0.02 / 0.3))  # i_offset / c_m [mV/ms]
    assert np.array_equal(n["w_rec"].weight, dense(sim, "w_rec", 4, 4))
    assert np.array_equal(n["w_rec_delay"].delay, np.full(4, 0.2))  # 3 steps: 2 beyond the first
    assert np.array_equal(n["w_out"].weight, dense(sim, "w_out", 4, 2))
    assert np.array_equal(n["hidden->readout"].weight, np.full((2, 4), 0.5))
    merged = dense(sim, "multi", 4, 2)
    assert len(sim.synapses("multi")) > np.count_nonzero(merged)
    assert np.array_equal(n["multi"].weight, merged.astype(np.float32))
    assert list(n["input"].output_type["output"]) == [3]


def awkward(rng, low, high, changed):
    """A random value in [low, high) that `changed(value)` finds altered by its conversions."""
    while True:
        value = float(rng.uniform(low, high))
        if changed(value):
            return value


@pytest.mark.parametrize("time_unit", ["ms", "s"])
def test_save_load_save_is_bit_for_bit(tmp_path, time_unit):
    rng = np.random.default_rng(7)
    for trial in range(4):
        net = example_network(rng, c_m=float(rng.uniform(0.1, 3)))
        # Time constants whose seconds do not multiply back to the same ms: the loaded network
        # differs from the original in the last bit, the file written from it must not (r = tau_m / c_m).
        for i in range(8):
            tau_m = awkward(rng, 5, 50, lambda t: t / 1e3 * 1e3 != t)
            c_m = float(rng.uniform(0.1, 3))
            net.add_population(f"odd{i}", "cuba_lif", 1, tau_m=tau_m, c_m=c_m, tau_syn_e=tau_m / 7,
                               tau_syn_i=tau_m / 7, t_ref=0.0)
            net.connect("hidden", f"odd{i}", sg.AllToAll(), weight=0.1)
        first, second = tmp_path / f"a{trial}.nir", tmp_path / f"b{trial}.nir"
        sgnir.save(net, first, dt=DT, time_unit=time_unit)
        sgnir.save(sgnir.load(first, dt=DT, time_unit=time_unit), second, dt=DT, time_unit=time_unit)
        assert_same_file(first, second)


def test_conversions_search_beside_the_quotient():
    """Where the quotient misses by a step, the value beside it that converts back is found."""
    target = 0.0137
    off = np.nextafter(np.nextafter(target * 1e3, np.inf), np.inf)
    found = sgnir._solve(target, lambda ms: ms / 1e3, off)
    assert found / 1e3 == target and found != off
    assert sgnir._solve(np.array([target, 0.5]), lambda ms: ms / 1e3, np.array([off, 500.0])).tolist() == [found, 500.0]


def test_loaded_network_behaves_as_the_original(tmp_path):
    trains = [[1.0, 3.0, 7.0], [2.0, 2.5], [4.5, 9.0]]

    def run(net):
        for name in ("hidden", "out", "readout", "li"):
            net.record(name, "v")
        for name in ("hidden", "out"):
            net.record(name, "spikes")
        sim = sg.compile(net, dt=DT, precision="double")
        sim.run(30.0, progress=False)
        return sim

    original = example_network(c_m=1.0, trains=trains)
    sgnir.save(original, tmp_path / "net.nir", dt=DT)
    loaded = sgnir.load(tmp_path / "net.nir", dt=DT, inputs={"input": trains})
    a, b = run(original), run(loaded)
    assert len(a.spikes("hidden")) > 0 and len(a.spikes("out")) > 0
    for name in ("hidden", "out"):
        assert np.array_equal(a.spikes(name).times, b.spikes(name).times)
        assert np.array_equal(a.spikes(name).senders, b.spikes(name).senders)
    for name in ("hidden", "readout"):  # lif: the same coefficients, the same bits
        assert np.array_equal(a.trace(name, "v").values, b.trace(name, "v").values)
    # cuba_lif: c_m comes back from r, perhaps a bit away; li: merged synapses in single precision.
    for name in ("out", "li"):
        assert np.allclose(a.trace(name, "v").values, b.trace(name, "v").values, rtol=1e-6, atol=1e-9)


def test_graph_written_by_nir_loads_and_is_written_back_identically(tmp_path):
    nir = pytest.importorskip("nir")
    rng = np.random.default_rng(3)

    def full(n, value):
        return np.full(n, value, dtype=np.float64)

    nodes = {
        "input": nir.Input(input_type=np.array([3])),
        "w_in": nir.Affine(weight=weights32(rng, (4, 3)), bias=rng.normal(size=4)),  # a bias per neuron
        "hidden": nir.LIF(tau=full(4, 10.0), r=full(4, 10.0), v_leak=full(4, 0.0), v_threshold=full(4, 1.0),
                          v_reset=full(4, -0.5)),
        "w_rec_delay": nir.Delay(delay=np.array([0.2, 0.0, 0.5, 0.1])),
        "w_rec": nir.Linear(weight=weights32(rng, (4, 4))),
        "w_out": nir.Linear(weight=weights32(rng, (2, 4))),
        "out": nir.CubaLIF(tau_mem=full(2, 20.0), tau_syn=full(2, 5.0), r=full(2, 20.0 / 0.3), v_leak=full(2, 0.0),
                           v_threshold=full(2, 1.0), v_reset=full(2, 0.0), w_in=full(2, 5.0)),
        "w_ro": nir.Linear(weight=weights32(rng, (3, 4))),
        "readout": nir.LI(tau=full(3, 8.0), r=full(3, 8.0), v_leak=full(3, 0.0)),
        "output_out": nir.Output(output_type=np.array([2])),
        "output_readout": nir.Output(output_type=np.array([3])),
    }
    edges = [("input", "w_in"), ("w_in", "hidden"), ("hidden", "w_rec_delay"), ("w_rec_delay", "w_rec"),
             ("w_rec", "hidden"), ("hidden", "w_out"), ("w_out", "out"), ("hidden", "w_ro"), ("w_ro", "readout"),
             ("out", "output_out"), ("readout", "output_readout")]
    nir.write(tmp_path / "nir.nir", nir.NIRGraph(nodes=nodes, edges=edges))
    net = sgnir.load(tmp_path / "nir.nir", dt=DT)
    assert {p.name: p.model for p in net.populations} == {"input": "spike_array", "hidden": "lif",
                                                           "out": "cuba_lif", "readout": "lif"}
    sim = sg.compile(net, dt=DT, precision="double")
    delays = sim.synapses("w_rec")
    assert np.allclose(delays.delay, np.array([0.3, 0.1, 0.6, 0.2])[delays.pre])  # NIR's 0 is one step
    sgnir.save(net, tmp_path / "again.nir", dt=DT)
    assert_same_file(tmp_path / "nir.nir", tmp_path / "again.nir")
    nir.read(tmp_path / "again.nir")


def test_snntorch_style_graph_loads_in_spikegraphs_form(tmp_path):
    """snnTorch writes seconds, float32 arrays, r = tau / dt and w_in = tau_syn / dt: the weights
    take the factors r / tau (LIF) and w_in / tau_syn (CubaLIF, whose r sets c_m)."""
    nir = pytest.importorskip("nir")
    rng = np.random.default_rng(4)
    step = np.float32(1e-4)

    def full(n, value):
        return np.full(n, value, dtype=np.float32)

    tau = full(3, step / (1 - np.float32(0.9)))
    lif = nir.LIF(tau=tau, r=tau / step, v_leak=full(3, 0), v_threshold=full(3, 1), v_reset=full(3, 0))
    tau_syn, tau_mem = full(2, step / (1 - np.float32(0.8))), full(2, step / (1 - np.float32(0.95)))
    cuba = nir.CubaLIF(tau_syn=tau_syn, tau_mem=tau_mem, r=tau_mem / step, v_leak=full(2, 0),
                       v_threshold=full(2, 1), v_reset=full(2, 0), w_in=tau_syn / step)
    fc, fc2 = rng.normal(size=(3, 2)).astype(np.float32), rng.normal(size=(2, 3)).astype(np.float32)
    graph = nir.NIRGraph(nodes={"input": nir.Input(input_type=np.array([2])), "fc": nir.Linear(weight=fc),
                                "lif": lif, "fc2": nir.Linear(weight=fc2), "cuba": cuba,
                                "output": nir.Output(output_type=np.array([2]))},
                         edges=[("input", "fc"), ("fc", "lif"), ("lif", "fc2"), ("fc2", "cuba"), ("cuba", "output")])
    nir.write(tmp_path / "snntorch.nir", graph)
    net = sgnir.load(tmp_path / "snntorch.nir", time_unit="s")
    sim = sg.compile(net, dt=DT, precision="double")

    def f64(a):
        return np.asarray(a, dtype=np.float64)

    lif_scale = f64(lif.r) / f64(lif.tau)
    cuba_scale = f64(cuba.w_in) / f64(cuba.tau_syn)
    assert np.array_equal(dense(sim, "fc", 2, 3), (fc * lif_scale[:, None]).astype(np.float32))
    assert np.array_equal(dense(sim, "fc2", 3, 2), (fc2 * cuba_scale[:, None]).astype(np.float32))
    sgnir.save(net, tmp_path / "a.nir", time_unit="s")
    written = nir.read(tmp_path / "a.nir").nodes
    assert np.array_equal(written["lif"].r, written["lif"].tau) and np.array_equal(written["lif"].tau, f64(lif.tau))
    assert np.array_equal(written["cuba"].r, f64(cuba.r))  # kept, through c_m
    assert np.array_equal(written["cuba"].w_in, written["cuba"].tau_syn)
    sgnir.save(sgnir.load(tmp_path / "a.nir", time_unit="s"), tmp_path / "b.nir", time_unit="s")
    assert_same_file(tmp_path / "a.nir", tmp_path / "b.nir")


def test_outputs_are_populations_that_feed_no_other(tmp_path):
    net = sg.Network()
    lif(net, "a")
    lif(net, "b")
    net.connect("a", "b", sg.OneToOne(), weight=1.0, name="ab")
    net.connect("b", "b", sg.AllToAll(), weight=-0.5, name="bb")  # recurrent only: still an output
    sgnir.save(net, tmp_path / "net.nir")
    found = datasets(tmp_path / "net.nir")
    assert found["node/edges"] == {("a", "ab"), ("ab", "b"), ("b", "bb"), ("bb", "b"), ("b", "output")}
    assert found["node/nodes/output/type"] == "Output"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    rng = np.random.default_rng(0)
    x = (rng.random((16, 8, 6)) < 0.3).astype(np.float64)
    y = rng.integers(0, 3, 16)
    model = sgt.Model([sgt.Linear(6, 5), sgt.Leaky(beta=0.9, reset="zero"), sgt.Linear(5, 3), sgt.LI(beta=0.8)], seed=2)
    model.fit(x, y, epochs=1, loss="ce_max_membrane", progress=False)
    net, _ = model.to_network(x[:1], dt=1.0)
    path = tmp_path_factory.mktemp("trained") / "trained.nir"
    sgnir.save(net, path, dt=1.0)
    return model, path


def test_trained_model_exports_and_reloads(trained, tmp_path):
    model, path = trained
    params = model.parameters
    with h5py.File(path, "r") as f:
        nodes = f["node/nodes"]
        kinds = {name: nodes[name]["type"][()].decode() for name in nodes}
        assert kinds == {"input": "Input", "bias0": "Input", "bias1": "Input", "w0": "Linear", "b0": "Linear",
                         "w1": "Linear", "b1": "Linear", "layer0": "LIF", "layer1": "LI", "output": "Output"}
        assert np.array_equal(nodes["w0/weight"][()], params[0]["w"])
        assert np.array_equal(nodes["b0/weight"][()], params[0]["b"][:, None])
        assert np.array_equal(nodes["w1/weight"][()], params[1]["w"])
        assert np.array_equal(nodes["layer0/tau"][()], np.full(5, -1.0 / np.log(0.9)))
        assert np.array_equal(nodes["layer0/v_threshold"][()], np.ones(5))
        assert np.array_equal(nodes["layer0/v_reset"][()], np.zeros(5))
        assert np.array_equal(nodes["layer1/tau"][()], np.full(3, -1.0 / np.log(0.8)))
    sgnir.save(sgnir.load(path, dt=1.0), tmp_path / "again.nir", dt=1.0)
    assert_same_file(path, tmp_path / "again.nir")


def test_trained_model_file_reads_with_nir(trained):
    nir = pytest.importorskip("nir")
    graph = nir.read(trained[1])
    assert type(graph.nodes["layer1"]).__name__ == "LI"
    assert ("layer1", "output") in graph.edges


# ---------------------------------------------------------------------------------------------


def lif(net, name, size=2, **params):
    defaults = dict(t_ref=0.0)
    defaults.update(params)
    return net.add_population(name, "lif", size, **defaults)


def test_per_neuron_bias_exports_and_reloads(tmp_path):
    net = sg.Network()
    source = net.add_spike_source("src", [[1.0], [2.0]])
    lif(net, "p", i_offset=[0.1, 0.25])
    net.connect(source, "p", sg.OneToOne(), weight=1.0, name="w")
    sgnir.save(net, tmp_path / "bias.nir", dt=DT)
    again = sgnir.load(tmp_path / "bias.nir", dt=DT)
    assert np.array_equal(again._net.parameters("p", 1)["i_offset"], [0.1, 0.25])


def refused_export(tmp_path, net, match, dt=DT):
    path = tmp_path / "refused.nir"
    with pytest.raises(ValueError, match=match):
        sgnir.save(net, path, dt=dt)
    assert not path.exists()  # nothing is written


@pytest.mark.parametrize("case", ["subtract", "t_ref", "coba", "tau_syn", "cuba_bias", "bias_without_input", "mixed_delays", "initial_v", "clash", "current_source"])
def test_export_refusals_name_the_object(tmp_path, case):
    net = sg.Network()
    source = net.add_spike_source("src", [[1.0], [2.0]])
    if case == "subtract":
        lif(net, "p", reset="subtract")
        match = "population 'p' \\(lif\\): reset 'subtract'"
    elif case == "t_ref":
        net.add_population("p", "lif", 2)
        match = "population 'p' \\(lif\\): t_ref = 0.1 ms"
    elif case == "coba":
        net.add_population("p", "coba_lif", 2)
        match = "population 'p' \\(coba_lif\\) has no NIR counterpart"
    elif case == "tau_syn":
        net.add_population("p", "cuba_lif", 2, t_ref=0.0, tau_syn_e=5.0, tau_syn_i=10.0)
        match = "population 'p' \\(cuba_lif\\): tau_syn_e = 5.0 ms and tau_syn_i = 10.0 ms"
    elif case == "cuba_bias":
        net.add_population("p", "cuba_lif", 2, t_ref=0.0, i_offset=0.1)
        match = "population 'p' \\(cuba_lif\\): a bias current"
    elif case == "bias_without_input":
        lif(net, "p", i_offset=0.1)
        match = "population 'p': its bias current"
    elif case == "mixed_delays":
        lif(net, "p")
        net.connect(source, "p", sg.FromMatrix(np.ones((2, 2)), delays=np.array([[0.1, 0.2], [0.1, 0.1]])), name="d")
        match = "projection 'd': the synapses of presynaptic neuron 0 have delays"
    elif case == "initial_v":
        lif(net, "p", v=-60.0)
        match = "population 'p': its initial v"
    elif case == "clash":
        lif(net, "p")
        net.connect(source, "p", sg.OneToOne(), weight=1.0, name="src")
        match = "'src' names two NIR nodes"
    else:
        net.add_current_source("drive", [0.0], [1.0])
        match = "population 'drive' \\(step_current\\) has no NIR counterpart"
    refused_export(tmp_path, net, match)


def write_nir(path, nodes, edges):
    """A NIR file in the package's layout, written with h5py (as a third party would)."""
    text = h5py.string_dtype()
    with h5py.File(path, "w") as f:
        f.create_dataset("version", data="1.0.8", dtype=text)
        f.create_dataset("node/type", data="NIRGraph", dtype=text)
        f.create_dataset("node/edges", data=np.array(edges, dtype=object), dtype=text)
        for name, (kind, fields) in nodes.items():
            f.create_dataset(f"node/nodes/{name}/type", data=kind, dtype=text)
            for key, value in fields.items():
                f.create_dataset(f"node/nodes/{name}/{key}", data=value)


def lif_fields(n, tau=10.0, **changes):
    fields = dict(tau=np.full(n, tau), r=np.full(n, tau), v_leak=np.zeros(n), v_threshold=np.ones(n), v_reset=np.zeros(n))
    fields.update(changes)
    return fields


@pytest.mark.parametrize("case", ["IF", "uneven_tau", "cuba_bias", "direct_edge", "delay_off_grid", "unknown_input"])
def test_import_refusals_name_the_node(tmp_path, case):
    nodes = {"in": ("Input", {"shape": np.array([2])}), "fc": ("Linear", {"weight": np.ones((2, 2))}),
             "p": ("LIF", lif_fields(2))}
    edges = [("in", "fc"), ("fc", "p")]
    inputs = {}
    if case == "IF":
        nodes["p"] = ("IF", {"r": np.ones(2), "v_threshold": np.ones(2), "v_reset": np.zeros(2)})
        match = "NIR node 'p' is IF"
    elif case == "uneven_tau":
        nodes["p"] = ("LIF", lif_fields(2, tau=np.array([10.0, 20.0])))
        match = "NIR node 'p' \\(LIF\\): tau differs between neurons"
    elif case == "cuba_bias":
        nodes["fc"] = ("Affine", {"weight": np.ones((2, 2)), "bias": np.ones(2)})
        nodes["p"] = ("CubaLIF", dict(tau_mem=np.full(2, 10.0), tau_syn=np.full(2, 5.0), r=np.full(2, 10.0),
                                      v_leak=np.zeros(2), v_threshold=np.ones(2), v_reset=np.zeros(2),
                                      w_in=np.full(2, 5.0)))
        match = "NIR node 'fc' \\(Affine\\) has a bias into 'p' \\(CubaLIF\\)"
    elif case == "direct_edge":
        nodes["q"] = ("LIF", lif_fields(2))
        edges.append(("p", "q"))
        match = "NIR node 'q' \\(LIF\\) receives an edge from 'p'"
    elif case == "delay_off_grid":
        nodes["d"] = ("Delay", {"delay": np.array([0.25, 0.1])})
        edges = [("in", "d"), ("d", "fc"), ("fc", "p")]
        match = "NIR node 'd' \\(Delay\\): delay 0.25 ms is not a whole number of steps"
    else:
        inputs = {"nope": [[], []]}
        match = "not Input nodes"
    write_nir(tmp_path / "g.nir", nodes, edges)
    with pytest.raises(ValueError, match=match):
        sgnir.load(tmp_path / "g.nir", dt=DT, inputs=inputs)


def test_files_units_and_h5py_are_checked(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="missing.nir"):
        sgnir.load(tmp_path / "missing.nir")
    (tmp_path / "text.nir").write_text("not hdf5")
    with pytest.raises(ValueError, match="not a NIR file"):
        sgnir.load(tmp_path / "text.nir")
    with pytest.raises(ValueError, match="time_unit"):
        sgnir.save(example_network(), tmp_path / "x.nir", time_unit="us")
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match="pip install h5py"):
        sgnir.load(tmp_path / "text.nir")
