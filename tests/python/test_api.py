"""The Python API end to end: build, compile, run, read spikes, traces, state and synapses."""
import numpy as np
import pytest

import spikegraph as sg


def small_network():
    net = sg.Network()
    noise = net.add_poisson_source("noise", 100, rate=50.0)
    exc = net.add_population("exc", "cuba_lif", 80, tau_m=10.0, c_m=0.25, v_th=-55.0, v=sg.Uniform(-65, -55),
                             i_offset=np.linspace(0.0, 0.2, 80))
    out = net.add_population("out", "li", 2, tau_m=5.0)
    net.connect(noise, exc, sg.FixedInDegree(10), weight=sg.Uniform(0.5, 1.0), delay=sg.Uniform(0.1, 1.0))
    net.connect(exc, exc, sg.FixedProbability(0.1, allow_self_connections=False), weight=-0.3, receptor="inhibitory")
    net.connect(exc, out, sg.FromMatrix(np.random.default_rng(0).uniform(0, 0.1, size=(80, 2))))
    net.record(exc, "spikes")
    net.record(exc, "v", neurons=[0, 40, 79], interval=1.0)
    net.record(out, "v")
    return net


def test_build_compile_run_and_read_back():
    net = small_network()
    assert [p.name for p in net.populations] == ["noise", "exc", "out"]
    assert len(net["exc"]) == 80
    assert [p.name for p in net.projections] == ["noise->exc", "exc->exc", "exc->out"]
    sim = sg.compile(net, dt=0.1, seed=3, threads=2)
    sim.run(200.0)
    assert sim.time == pytest.approx(200.0)
    spikes = sim.spikes("exc")
    assert len(spikes) > 100
    assert spikes.times.dtype == np.float64 and spikes.senders.dtype == np.uint32
    assert np.all(np.diff(spikes.times) >= 0)
    assert spikes.times.min() > 0 and spikes.times.max() <= 200.0 + 1e-9
    trains = spikes.trains()
    assert len(trains) == 80 and sum(len(t) for t in trains) == len(spikes)
    trace = sim.trace("exc", "v")
    assert trace.values.shape == (200, 3) and list(trace.neurons) == [0, 40, 79]
    assert trace.unit == "mV" and trace.times[0] == pytest.approx(1.0)
    readout = sim.trace("out", "v")
    assert readout.values.shape == (2000, 2) and np.all(readout.values >= 0)
    v_now = sim.state("exc", "v")
    assert v_now.shape == (80,) and np.allclose(v_now[[0, 40, 79]], trace.values[-1])
    synapses = sim.synapses("noise->exc")
    assert len(synapses) == 800
    assert np.all(np.bincount(synapses.post, minlength=80) == 10)
    assert np.all((synapses.weight >= 0.5) & (synapses.weight < 1.0))
    assert np.all(np.isin(np.round(synapses.delay, 6), np.round(np.arange(1, 11) * 0.1, 6)))
    dense = sim.synapses("exc->out")
    assert len(dense) == 160
    report = sim.report()
    assert report["neurons"] == 82 and report["synapses"] == len(synapses) + len(dense) + len(sim.synapses("exc->exc"))


def test_same_seed_same_spikes_any_thread_count():
    net = small_network()
    runs = []
    for threads in (1, 2):
        sim = sg.compile(net, seed=11, threads=threads, precision="double")
        sim.run(100.0)
        runs.append(sim.spikes("exc"))
    assert np.array_equal(runs[0].times, runs[1].times)
    assert np.array_equal(runs[0].senders, runs[1].senders)
    other = sg.compile(net, seed=12)
    other.run(100.0)
    assert not np.array_equal(other.spikes("exc").senders[:50], runs[0].senders[:50])


def test_sources_and_injected_current():
    net = sg.Network()
    src = net.add_spike_source("src", [[1.0, 3.0], [], [2.0]])
    cells = net.add_population("cells", "lif", 3, v_rest=0.0, v_reset=-1.0, v_th=10.0, v=0.0, tau_m=1e6)
    step = net.add_current_source("step", times=[5.0, 6.0], amplitudes=[1.0, 0.0])
    net.connect(src, cells, sg.OneToOne(), weight=2.0, delay=0.5)
    net.inject(step, cells, neurons=[1])
    net.record(src)
    net.record(cells, "v")
    sim = sg.compile(net, dt=0.1, precision="double")
    sim.run(10.0)
    spikes = sim.spikes("src")
    assert np.allclose(spikes.times, [1.0, 2.0, 3.0]) and list(spikes.senders) == [0, 2, 0]
    v = sim.trace("cells", "v")
    final = v.values[-1]
    assert final[0] == pytest.approx(4.0, abs=1e-4)  # two jumps of 2 mV, almost no leak
    assert final[2] == pytest.approx(2.0, abs=1e-4)
    # 1 nA for 1 ms into 1 nF (default c_m) raises v by 1 mV.
    assert final[1] == pytest.approx(1.0, abs=1e-4)


def test_models_describe_themselves():
    assert set(sg.model_names()) >= {"lif", "cuba_lif", "coba_lif", "li", "poisson", "spike_array", "step_current"}
    info = sg.model_info("coba_lif")
    names = {p["name"]: p for p in info["params"]}
    assert names["tau_m"]["unit"] == "ms" and names["c_m"]["unit"] == "nF" and names["e_rev_e"]["unit"] == "mV"
    assert names["reset"]["choices"] == ["to_value", "subtract"]
    assert [s["name"] for s in info["state"]] == ["v", "g_exc", "g_inh"]
    assert info["receptors"] == ["excitatory", "inhibitory"]
    assert sg.available_backends() == ["cpu", "loihi"]
    assert "cuda" in sg.known_backends()


def test_progress_callback_and_run_releases_the_gil():
    import threading

    net = small_network()
    sim = sg.compile(net)
    calls = []
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    sim.run(3000.0, progress=lambda done, total, elapsed: calls.append((done, total)))
    stop.set()
    thread.join()
    assert calls[-1] == (30000, 30000)
    assert len(ticks) > 10  # another Python thread ran while the simulation did


def test_plotting_helpers_draw():
    import matplotlib.pyplot as plt

    net = small_network()
    sim = sg.compile(net)
    sim.run(50.0)
    ax = sg.plotting.raster(sim.spikes("exc"), duration=50.0)
    assert len(ax.lines) == 1
    ax2 = sg.plotting.traces(sim.trace("exc", "v"))
    assert len(ax2.lines) == 3
    plt.close("all")


def test_analysis_on_known_trains():
    regular = sg.Spikes("r", np.arange(1, 101, dtype=float) * 10.0, np.zeros(100, dtype=np.uint32),
                        np.array([0], dtype=np.uint32), 1)
    assert sg.mean_rate(regular, 1000.0) == pytest.approx(100.0)
    assert sg.isi_cv(regular) == pytest.approx(0.0, abs=1e-12)
    rng = np.random.default_rng(1)
    times = np.cumsum(rng.exponential(10.0, size=20000))
    poisson = sg.Spikes("p", times, np.zeros(len(times), dtype=np.uint32), np.array([0], dtype=np.uint32), 1)
    assert sg.isi_cv(poisson) == pytest.approx(1.0, abs=0.03)


def test_from_matrix_sparse_keeps_delays_with_their_entries_and_leaves_input_alone():
    scipy_sparse = pytest.importorskip("scipy.sparse")
    # Row 0 stores column 2 before column 0: unsorted CSR, as scipy allows.
    weights = scipy_sparse.csr_matrix((np.array([1.0, 2.0, 3.0]), np.array([2, 0, 1]), np.array([0, 2, 3])), shape=(2, 3))
    delays = scipy_sparse.csr_matrix((np.array([0.5, 0.2, 0.3]), np.array([2, 0, 1]), np.array([0, 2, 3])), shape=(2, 3))
    before = weights.indices.copy()
    net = sg.Network()
    a = net.add_population("a", "lif", 2)
    b = net.add_population("b", "lif", 3)
    net.connect(a, b, sg.FromMatrix(weights, delays))
    net.connect(a, b, sg.FromMatrix(weights, np.array([0.5, 0.2, 0.3])), name="array_delays")
    assert np.array_equal(weights.indices, before)
    sim = sg.compile(net)
    for name in ("a->b", "array_delays"):
        s = sim.synapses(name)
        found = {(int(p), int(q)): (float(w), round(float(d), 6)) for p, q, w, d in zip(s.pre, s.post, s.weight, s.delay)}
        assert found == {(0, 2): (1.0, 0.5), (0, 0): (2.0, 0.2), (1, 1): (3.0, 0.3)}
    with pytest.raises(sg.InvalidParameterError, match="CSR"):
        sg.FromMatrix(weights.tocoo(), np.array([0.5, 0.2, 0.3]))
    with pytest.raises(sg.InvalidParameterError, match="same entries|exactly the entries"):
        sg.FromMatrix(weights, scipy_sparse.csr_matrix(np.ones((2, 3))))


def test_coba_integrators_agree_on_a_quiet_neuron():
    """The three coba_lif integrators follow the same trajectory to their own accuracy."""
    traces = {}
    for integrator in ("gauss_legendre", "midpoint", "euler"):
        net = sg.Network()
        src = net.add_spike_source("src", [[5.0, 15.0]])
        cell = net.add_population("cell", "coba_lif", 1, integrator=integrator, v=-65.0)
        net.connect(src, cell, sg.AllToAll(), weight=0.02)  # ~6 mV EPSPs: stays below threshold
        net.record(cell, "v")
        sim = sg.compile(net, precision="double")
        sim.run(50.0)
        traces[integrator] = sim.trace("cell", "v").values[:, 0]
    exact = traces["gauss_legendre"]
    assert exact.max() > -62.0  # the inputs moved the membrane
    assert np.max(np.abs(traces["midpoint"] - exact)) < 1e-3
    assert np.max(np.abs(traces["euler"] - exact)) < 0.1
    assert sg.model_info("coba_lif")["params"][-1]["choices"] == ["gauss_legendre", "midpoint", "euler"]
