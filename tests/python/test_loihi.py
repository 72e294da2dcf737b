"""The Loihi emulator against an independent plain-integer implementation of Lava's equations
(loihi_reference.py), bit for bit over 10,000 steps; quantisation, mapping, cost and errors."""
import numpy as np
import pytest

import spikegraph as sg
from spikegraph import loihi

import loihi_reference as ref


def _build(description, steps, chip="loihi2"):
    """The same network as a QuantizedNetwork and as the reference's dicts."""
    populations, sources, projections = description
    q = loihi.QuantizedNetwork(chip=chip)
    for name, s in sources.items():
        trains = [[] for _ in range(s["size"])]
        for t, neurons in s["spikes"].items():
            for k in neurons:
                trains[k].append(t)
        q.add_spike_source(name, [sorted(x) for x in trains])
    for name, p in populations.items():
        q.add_compartments(name, p["size"], p["du"], p["dv"], p["vth"], p["bias_mant"], p["bias_exp"])
        q.record(name, "spikes")
        q.record(name, "u")
        q.record(name, "v")
    for j, proj in enumerate(projections):
        q.connect(proj["pre"], proj["post"], np.array(proj["weights"]), delays=proj.get("delays"),
                  weight_exp=proj["weight_exp"], num_weight_bits=proj.get("num_weight_bits", 8),
                  sign_mode=proj["sign_mode"], name=f"p{j}")
    for name in sources:
        q.record(name, "spikes")
    return q


def _compare(description, steps, check_state=True):
    populations, sources, projections = description
    q = _build(description, steps)
    emu = q.emulate().run(steps, progress=False)
    spikes, trace = ref.run(populations, sources, projections, steps, record_state=check_state)
    for name in list(populations) + list(sources):
        s, k = emu.spikes(name)
        assert list(zip(s.tolist(), k.tolist())) == spikes[name], f"spikes of {name} differ"
    if check_state:
        for name in populations:
            _, u = emu.trace(name, "u")
            _, v = emu.trace(name, "v")
            assert np.array_equal(u.astype(np.int64), np.array(trace[name][0])), f"u of {name} differs"
            assert np.array_equal(v.astype(np.int64), np.array(trace[name][1])), f"v of {name} differs"
    return emu, spikes


def _random_description(rng, steps, sizes=(12, 10, 8), n_in=16, rate=0.05):
    sources = {"in": {"size": n_in, "spikes": {}}}
    for t in range(steps):
        fired = np.nonzero(rng.random(n_in) < rate)[0].tolist()
        if fired:
            sources["in"]["spikes"][t] = fired
    populations = {}
    for j, n in enumerate(sizes):
        populations[f"p{j}"] = {"size": n, "du": int(rng.integers(0, 4096)), "dv": int(rng.integers(0, 4096)),
                                "vth": int(rng.integers(1, 2000)),
                                "bias_mant": rng.integers(-200, 400, n).tolist(),
                                "bias_exp": rng.integers(-2, 4, n).tolist()}
    projections = []
    names = list(populations)
    pairs = [("in", names[0]), (names[0], names[1]), (names[1], names[2]), (names[2], names[0]), (names[1], names[1])]
    for pre, post in pairs:
        n_pre = sources[pre]["size"] if pre in sources else populations[pre]["size"]
        n_post = populations[post]["size"]
        mode = ["mixed", "excitatory", "inhibitory"][int(rng.integers(0, 3))]
        w = rng.integers(-300, 300, (n_post, n_pre))
        w[rng.random((n_post, n_pre)) < 0.4] = 0
        if mode == "excitatory":
            w = np.abs(w)
        elif mode == "inhibitory":
            w = -np.abs(w)
        delays = rng.integers(0, 6, (n_post, n_pre)).tolist() if rng.random() < 0.5 else None
        projections.append({"pre": pre, "post": post, "weights": w.tolist(), "delays": delays,
                            "weight_exp": int(rng.integers(-3, 3)), "num_weight_bits": int(rng.integers(5, 9)),
                            "sign_mode": mode})
    return populations, sources, projections


def test_hand_computed_single_compartment():
    # One input spike of weight 10 at step 0, du = 2048 (u halves, minus one LSB), dv = 0 (no leak):
    # step 1: u = 640, v = 640; step 2: u = 640 * 2047 / 4096 -> 319 (truncated), v = 959; ...
    q = loihi.QuantizedNetwork()
    q.add_spike_source("in", [[0]])
    q.add_compartments("n", 1, du=2048, dv=0, vth=1000)
    q.connect("in", "n", [[10]])
    q.record("n", "u")
    q.record("n", "v")
    emu = q.emulate().run(4, progress=False)
    _, u = emu.trace("n", "u")
    _, v = emu.trace("n", "v")
    assert u[:, 0].tolist() == [0, 640, 319, 159]
    assert v[:, 0].tolist() == [0, 640, 959, 1118]


def test_strict_threshold_and_reset_keep_u():
    # v reaches exactly vth << 6 = 640: no spike (strict >); one more unit of bias crosses it.
    for bias, spikes in ((640, 0), (641, 1)):
        q = loihi.QuantizedNetwork()
        q.add_compartments("n", 1, du=0, dv=4095, vth=10, bias_mant=[bias], bias_exp=[0])
        q.record("n", "spikes")
        emu = q.emulate().run(1, progress=False)
        assert len(emu.spikes("n")[0]) == spikes
    # After a spike v is 0 and u is kept.
    q = loihi.QuantizedNetwork()
    q.add_spike_source("in", [[0]])
    q.add_compartments("n", 1, du=0, dv=0, vth=1)
    q.connect("in", "n", [[2]])
    q.record("n", "spikes")
    emu = q.emulate().run(3, progress=False)
    assert emu.spikes("n")[0].tolist() == [1, 2]  # u = 128, then 127: v crosses 64 every step
    assert emu.state("n", "u").tolist() == [127]
    assert emu.state("n", "v").tolist() == [0]


def test_refractory_period_holds_v_at_zero():
    # A bias crossing the threshold every step: spikes in every step, or every third with v held
    # for two steps after each spike (Loihi 1's refractory delay 3).
    for held, expected in ((0, list(range(10))), (2, [0, 3, 6, 9])):
        q = loihi.QuantizedNetwork()
        q.add_compartments("n", 1, du=0, dv=4095, vth=10, bias_mant=[700], bias_exp=[0], refractory_steps=held)
        q.record("n", "spikes")
        q.record("n", "v")
        emu = q.emulate().run(10, progress=False)
        assert emu.spikes("n")[0].tolist() == expected
        assert set(emu.trace("n", "v")[1][:, 0].tolist()) == {0}
    with pytest.raises(ValueError, match=r"population 'm'.*refractory_steps = 63.*\[0, 62\]"):
        loihi.QuantizedNetwork().add_compartments("m", 1, du=0, dv=0, vth=1, refractory_steps=63)


def test_int32_overflow_of_the_input_equals_the_reference():
    # 1100 spikes of 255 << 7 in one step: a_in << 6 = 2.3e9 wraps in Lava's int32 arithmetic.
    n_in = 1100
    sources = {"in": {"size": n_in, "spikes": {0: list(range(n_in)), 4: list(range(0, n_in, 2))}}}
    populations = {"n": {"size": 1, "du": 10, "dv": 10, "vth": 1000, "bias_mant": [0], "bias_exp": [0]}}
    projections = [{"pre": "in", "post": "n", "weights": [[255] * n_in], "delays": None, "weight_exp": 7,
                    "num_weight_bits": 8, "sign_mode": "excitatory"}]
    emu, _ = _compare((populations, sources, projections), 8)
    assert emu.trace("n", "u")[1][1, 0] < -2 ** 30  # wrapped far outside 24 bits, as Lava leaves it


def test_records_and_names_are_checked():
    q = loihi.QuantizedNetwork()
    q.add_compartments("n", 2, du=0, dv=0, vth=1)
    q.record("n", "spikes", neurons=[5])
    with pytest.raises(ValueError, match=r"record of population 'n': neuron 5"):
        q.emulate()
    q = loihi.QuantizedNetwork()
    q.add_compartments("n", 2, du=0, dv=0, vth=1)
    with pytest.raises(ValueError, match=r"two populations are called 'n'"):
        q.add_compartments("n", 2, du=0, dv=0, vth=1)
    q.record("n", "w")
    with pytest.raises(ValueError, match=r"not 'w'"):
        q.emulate()


def test_random_networks_equal_the_reference_over_10000_steps():
    steps = 10_000
    for seed in (1, 2):
        rng = np.random.default_rng(seed)
        emu, spikes = _compare(_random_description(rng, steps), steps)
        assert sum(len(s) for s in spikes.values()) > 1000  # the networks are active


def _overflow_description(steps, seed=5):
    """Populations that wrap u ("wrap": 5 spikes of 255 << 7 << 6 in a step, nothing decays it
    away), clip v ("clip": inhibition drives v far below -2^23) and floor negative-exponent sums
    of several delays ("floor")."""
    rng = np.random.default_rng(seed)
    n_in = 8
    sources = {"in": {"size": n_in, "spikes": {t: rng.choice(n_in, 5, replace=False).tolist()
                                                for t in range(0, steps, 3)}}}
    populations = {
        "wrap": {"size": 4, "du": 0, "dv": 4095, "vth": 131071, "bias_mant": [0] * 4, "bias_exp": [0] * 4},
        "clip": {"size": 4, "du": 4095, "dv": 0, "vth": 1000, "bias_mant": [3, -5, 7, 0], "bias_exp": [-1, -1, 2, 0]},
        "floor": {"size": 6, "du": 300, "dv": 200, "vth": 20, "bias_mant": [1] * 6, "bias_exp": [0] * 6},
    }
    projections = [
        {"pre": "in", "post": "wrap", "weights": [[255] * n_in] * 4, "delays": None, "weight_exp": 7,
         "num_weight_bits": 8, "sign_mode": "excitatory"},
        {"pre": "in", "post": "clip", "weights": [[-255] * n_in] * 4, "delays": None, "weight_exp": 4,
         "num_weight_bits": 8, "sign_mode": "inhibitory"},
        {"pre": "in", "post": "floor", "weights": rng.integers(-40, 40, (6, n_in)).tolist(),
         "delays": rng.integers(0, 8, (6, n_in)).tolist(), "weight_exp": -3, "num_weight_bits": 7,
         "sign_mode": "mixed"},
    ]
    return populations, sources, projections


def test_wrap_of_u_and_clip_of_v_equal_the_reference():
    emu, _ = _compare(_overflow_description(10_000), 10_000)
    _, u = emu.trace("wrap", "u")
    _, v = emu.trace("clip", "v")
    assert u.min() < 0 and u.max() > 2 ** 22   # wrapped from above 2^23 to negative values
    assert v.min() == -(2 ** 23 - 1)           # clipped


def test_lava_weight_rules():
    # Mixed sign: clipped to [-256, 255], the LSB dropped (floor); inhibitory truncated toward zero.
    q = loihi.QuantizedNetwork()
    q.add_spike_source("in", [[0]] * 4)
    q.add_compartments("n", 4, du=4095, dv=4095, vth=100000)
    q.connect("in", "n", np.diag([-7, 7, 300, -300]), sign_mode="mixed")
    q.connect("in", "n", np.diag([-7, -7, -7, -7]), num_weight_bits=6, sign_mode="inhibitory", name="inh")
    w = {p["name"]: p["weight"].tolist() for p in q.projections}
    assert w["in->n"] == [-8, 6, 254, -256]
    assert w["inh"] == [-4, -4, -4, -4]


def _float_network(model="lif"):
    net = sg.Network()
    rng = np.random.default_rng(3)
    src = net.add_spike_source("in", [sorted(rng.choice(np.arange(1, 400), 40, replace=False).astype(float))
                                      for _ in range(30)])
    params = dict(tau_m=20.0, v_rest=0.0, v_reset=0.0, v_th=1.0, t_ref=0.0, v=0.0)
    if model == "cuba_lif":
        params.update(tau_syn_e=5.0, tau_syn_i=5.0)
    hidden = net.add_population("hidden", model, 20, **params)
    out = net.add_population("out", model, 5, **params)
    scale = 0.15 if model == "lif" else 0.05
    net.connect(src, hidden, sg.FromMatrix(rng.normal(scale, scale, (30, 20))), name="in_hidden")
    net.connect(hidden, out, sg.FromMatrix(rng.normal(scale, scale, (20, 5))), name="hidden_out")
    net.record(hidden)
    net.record(out)
    return net


@pytest.mark.parametrize("model", ["lif", "cuba_lif"])
def test_quantized_float_network_follows_the_float_run(model):
    net = _float_network(model)
    q = loihi.quantize(net, dt=1.0)
    errors = q.errors["projections"]
    assert all(e["rms_relative_error"] < 0.01 for e in errors)
    cpu = sg.compile(net, dt=1.0, precision="double")
    cpu.run(400.0, progress=False)
    chip = sg.compile(net, backend="loihi", dt=1.0)
    chip.run(400.0, progress=False)
    for pop in ("hidden", "out"):
        n_cpu, n_chip = len(cpu.spikes(pop)), len(chip.spikes(pop))
        assert n_cpu > 20
        # lif has the same discrete dynamics up to 8-bit weights; cuba_lif adds its one-step-earlier current.
        assert abs(n_chip - n_cpu) <= (0.1 if model == "lif" else 0.25) * n_cpu, (pop, n_cpu, n_chip)
    report = chip.report()
    assert report["cores"] == 2 and report["chips"] == 1
    assert report["energy (total)"] > 0


def test_errors_name_what_loihi_cannot_represent():
    net = sg.Network()
    net.add_population("a", "lif", 3, v_rest=-65.0, v_reset=-70.0)
    with pytest.raises(ValueError, match=r"population 'a'.*v_reset"):
        loihi.quantize(net)
    net = sg.Network()
    net.add_population("b", "cuba_lif", 3, tau_syn_e=5.0, tau_syn_i=10.0)
    with pytest.raises(ValueError, match=r"population 'b'.*tau_syn_e"):
        loihi.quantize(net)
    net = sg.Network()
    net.add_population("c", "lif", 3, v_rest=0.0, v_reset=0.0, v_th=1.0, i_offset=1e6)
    with pytest.raises(ValueError, match=r"population 'c'.*i_offset"):
        loihi.quantize(net)
    net = sg.Network()
    a = net.add_population("d", "lif", 3, v_rest=0.0, v_reset=0.0, v_th=1.0)
    net.connect(a, a, sg.AllToAll(), weight=1e6, name="huge")
    with pytest.raises(ValueError, match=r"projection 'huge'"):
        loihi.quantize(net)
    net = sg.Network()
    a = net.add_population("e", "coba_lif", 3)
    with pytest.raises(ValueError, match=r"population 'e'.*coba_lif"):
        loihi.quantize(net)
    q = loihi.QuantizedNetwork()
    with pytest.raises(ValueError, match=r"population 'x'.*du"):
        q.add_compartments("x", 2, du=5000, dv=0, vth=1)


def test_mapping_splits_populations_and_reports_limits():
    q = loihi.QuantizedNetwork(chip="loihi1")
    q.add_spike_source("in", [[0]] * 100)
    q.add_compartments("big", 3000, du=4095, dv=100, vth=100)
    q.connect("in", "big", (np.repeat(np.arange(100), 30), np.tile(np.arange(3000), 1), np.ones(3000, int)))
    placement = q.map()
    assert len(placement["cores"]) == 3  # 1024 compartments per Loihi 1 core
    assert placement["usage"]["compartment utilisation (max)"] == 100.0
    # 5000 distinct inputs onto one compartment break the 4096 input axons of a core.
    q = loihi.QuantizedNetwork(chip="loihi1")
    q.add_spike_source("in", [[0]] * 5000)
    q.add_compartments("n", 1, du=4095, dv=0, vth=100)
    q.connect("in", "n", np.ones((1, 5000), int))
    with pytest.raises(ValueError, match=r"population 'n'.*5000 input axons.*4096 \(by 904\)"):
        q.map()


def test_cost_counts_operations_from_activity():
    q = loihi.QuantizedNetwork(chip="loihi1")
    q.add_spike_source("in", [list(range(0, 100, 2))] * 4)
    q.add_compartments("n", 10, du=4095, dv=0, vth=100000)
    q.connect("in", "n", np.ones((10, 4), int))
    emu = q.emulate().run(100, progress=False)
    cost = emu.cost(inferences=1)
    spec = loihi.chip_spec("loihi1")
    assert cost["synaptic_ops"] == 50 * 4 * 10
    assert cost["synaptic_energy_pj"] == pytest.approx(2000 * spec["energy"]["synaptic_op_pj"])
    assert cost["active_updates"] + cost["inactive_updates"] == 100 * 10
    assert cost["energy_per_inference_pj"] == pytest.approx(cost["total_energy_pj"])


def test_trained_yin_yang_network_keeps_its_accuracy_on_loihi():
    from spikegraph import datasets
    from spikegraph import training as sgt
    from spikegraph.trained_network import run_on_backend
    (x_train, y_train), (x_test, y_test) = datasets.yin_yang(2000, seed=42), datasets.yin_yang(300, seed=40)
    layer = dict(beta=0.9, reset="zero", reset_delay=False)  # Loihi resets v to 0 in the step that spikes
    model = sgt.Model([sgt.Linear(4, 60), sgt.Leaky(**layer), sgt.Linear(60, 3), sgt.Leaky(**layer)], seed=1)
    model.fit(x_train, y_train, steps=30, epochs=15, batch_size=32, optimizer=sgt.Adam(lr=3e-3),
              loss="ce_count", progress=False)
    exact = run_on_backend(model, x_test, y_test, steps=30, backend="cpu")
    chip = run_on_backend(model, x_test, y_test, steps=30, backend="loihi")
    assert exact["accuracy"] > 0.85
    assert abs(chip["accuracy"] - exact["accuracy"]) <= 0.02, (exact["accuracy"], chip["accuracy"])


def _layered_network():
    net = sg.Network()
    rng = np.random.default_rng(9)
    trains = [sorted(rng.choice(np.arange(1, 300), 30, replace=False).astype(float)) for _ in range(12)]
    src = net.add_spike_source("in", trains)
    net.input_trains = trains  # for rebuilding the input elsewhere (times in ms = steps + 1 at dt = 1 ms)
    params = dict(tau_m=10.0, v_rest=0.0, v_reset=0.0, v_th=1.0, t_ref=0.0)
    hidden = net.add_population("hidden", "lif", 16, i_offset=rng.normal(0.0, 0.02, 16), **params)
    out = net.add_population("out", "lif", 4, **params)
    net.connect(src, hidden, sg.FromMatrix(rng.normal(0.3, 0.3, (12, 16))), name="w0")
    net.connect(hidden, hidden, sg.FromMatrix(rng.normal(0.0, 0.1, (16, 16))), name="rec")
    net.connect(hidden, out, sg.FromMatrix(rng.normal(0.2, 0.2, (16, 4))), delay=3.0, name="w1")
    net.record(hidden)
    net.record(out)
    return net


def test_lava_dl_export_holds_the_quantized_network(tmp_path):
    h5py = pytest.importorskip("h5py")
    q = loihi.quantize(_layered_network(), dt=1.0, weight_exp=0, bias_exp=6)
    with pytest.raises(ValueError, match=r"weight_exp"):
        loihi.export_lava_dl(loihi.quantize(_layered_network(), dt=1.0), tmp_path / "no.h5")
    assert loihi.export_lava_dl(loihi.quantize(_layered_network(), dt=1.0, weight_exp=0),
                                tmp_path / "rounded.h5")["max_bias_error"] > 0  # biases not multiples of 64
    result = loihi.export_lava_dl(q, tmp_path / "net.h5")
    assert result["layers"] == 2 and result["max_bias_error"] == 0.0
    # Read it back as lava-dl's netx does (du = iDecay - 1, dv = vDecay, vth = vThMant, weights as
    # integers with exponent 0, Lava delays) and run it: the same spikes as the quantized network.
    pops = {p["name"]: p for p in q.populations}
    back = loihi.QuantizedNetwork(chip=q.chip, dt=q.dt)
    back.add_spike_source("in", [[int(t) - 1 for t in train] for train in _layered_network().input_trains])
    previous = "in"
    with h5py.File(tmp_path / "net.h5", "r") as f:
        assert [f["layer"][str(i)]["type"][()].decode() for i in range(2)] == ["dense_rec", "dense"]
        for i, name in enumerate(["hidden", "out"]):
            layer = f["layer"][str(i)]
            neuron = layer["neuron"]
            assert neuron["type"][()].decode() == "CUBA"
            assert int(neuron["vThMant"][()]) == pops[name]["vth"]
            size = int(layer["shape"][0])
            bias = layer["bias"][()] if "bias" in layer else np.zeros(size, int)
            back.add_compartments(name, size, du=int(neuron["iDecay"][()]) - 1, dv=int(neuron["vDecay"][()]),
                                  vth=int(neuron["vThMant"][()]), bias_mant=bias, bias_exp=[6] * size)
            delays = layer["delay"][()] if "delay" in layer else None
            back.connect(previous, name, layer["weight"][()], delays=delays, name=f"w{i}")
            if "weight_rec" in layer:
                back.connect(name, name, layer["weight_rec"][()], name=f"rec{i}")
            back.record(name)
            previous = name
    ours = q.emulate().run(320, progress=False)
    theirs = back.emulate().run(320, progress=False)
    for name in ("hidden", "out"):
        a, b = ours.spikes(name), theirs.spikes(name)
        assert len(a[0]) > 10
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_mapping_report_is_json(tmp_path):
    import json
    q = loihi.quantize(_layered_network(), dt=1.0)
    loihi.save_mapping(q, tmp_path / "map.json")
    report = json.loads((tmp_path / "map.json").read_text())
    assert report["chip"] == "loihi2" and len(report["cores"]) == 2
    assert {e["projection"] for e in report["errors"]["projections"]} == {"w0", "rec", "w1"}
