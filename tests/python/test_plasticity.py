"""Plasticity from Python: rules listed with their parameters, weights read and written between
runs, weight snapshots recorded and saved to HDF5, bad rules refused with the culprit named."""
import h5py
import numpy as np
import pytest

import spikegraph as sg


def plastic_network():
    net = sg.Network()
    src = net.add_population("src", "poisson", 100, rate=30.0)
    out = net.add_population("out", "lif", 20, i_offset=0.7)
    net.connect(src, out, sg.FixedProbability(0.3), weight=sg.Uniform(0.0, 1.0), delay=1.0, name="plastic",
                plasticity=sg.STDP(w_max=1.0, a_plus=0.02, a_minus=0.021))
    net.record(out, "spikes")
    net.record_weights("plastic", interval=50.0)
    return net


def test_rules_are_listed_with_parameters():
    assert {"stdp", "stdp_triplet", "oja"} <= set(sg.rule_names())
    params = {p["name"]: p for p in sg.rule_info("stdp_triplet")["params"]}
    assert params["tau_x"]["default"] == 101.0 and params["tau_x"]["unit"] == "ms"


def test_weights_change_snapshot_and_round_trip(tmp_path):
    sim = sg.compile(plastic_network(), dt=0.1, seed=4, threads=2)
    initial = sim.weights("plastic")
    sim.run(500.0)
    learned = sim.weights("plastic")
    assert np.mean(learned != initial) > 0.5
    assert learned.min() >= 0.0 and learned.max() <= 1.0
    times, snapshots = sim.weight_snapshots("plastic")
    np.testing.assert_allclose(times, np.arange(50.0, 501.0, 50.0))
    assert snapshots.shape == (10, learned.size)
    np.testing.assert_array_equal(snapshots[-1], learned.astype(np.float32))

    sim.save(tmp_path / "run.h5")
    with h5py.File(tmp_path / "run.h5", "r") as f:
        group = f["run/weights/plastic"]
        np.testing.assert_array_equal(group["values"][...], snapshots)
        np.testing.assert_array_equal(group["pre"][...], sim.synapses("plastic").pre)

    # Writing weights back: a run continues from them.
    flipped = 1.0 - learned
    sim.set_weights("plastic", flipped)
    np.testing.assert_allclose(sim.weights("plastic"), flipped, atol=1e-7)
    with pytest.raises(sg.InvalidParameterError, match=r"weight\[3\]"):
        bad = flipped.copy()
        bad[3] = np.nan
        sim.set_weights("plastic", bad)
    with pytest.raises(sg.InvalidParameterError, match="weights given"):
        sim.set_weights("plastic", flipped[:-1])
    with pytest.raises(sg.InvalidParameterError, match=r"\|w\| = 1"):
        sim.set_weights("plastic", flipped + 5.0)


def test_weights_do_not_depend_on_the_thread_count():
    results = []
    for threads in (1, 2):
        sim = sg.compile(plastic_network(), dt=0.1, seed=4, threads=threads)
        sim.run(300.0)
        results.append(sim.weights("plastic"))
    np.testing.assert_array_equal(results[0], results[1])


def test_bad_rules_are_refused():
    net = sg.Network()
    src = net.add_population("src", "poisson", 10, rate=10.0)
    out = net.add_population("out", "coba_lif", 10)
    with pytest.raises(sg.InvalidParameterError, match="unknown plasticity rule 'bcm'"):
        net.connect(src, out, sg.AllToAll(), weight=0.01, plasticity=sg.Plasticity("bcm"))
    with pytest.raises(sg.InvalidParameterError, match="tau_plus"):
        net.connect(src, out, sg.AllToAll(), weight=0.01, plasticity=sg.STDP(tau_plus=-5.0))
    with pytest.raises(sg.InvalidParameterError, match="w_min"):
        net.connect(src, out, sg.AllToAll(), weight=0.01, plasticity=sg.STDP(w_min=-1.0))
