"""Surrogate-gradient training from Python: accuracy on Yin-Yang and digits, the exported network
on the CPU backend, determinism across threads, and clear errors. (Gradients against PyTorch
autograd: test_training_torch.py.)"""
import numpy as np
import pytest

import spikegraph as sg
from spikegraph import datasets
from spikegraph import training as sgt


def two_layer(inputs, hidden, classes, beta=0.9, seed=1, **neuron):
    return sgt.Model([sgt.Linear(inputs, hidden), sgt.Leaky(beta=beta, **neuron),
                      sgt.Linear(hidden, classes), sgt.Leaky(beta=beta, **neuron)], seed=seed)


@pytest.fixture(scope="module")
def yin_yang():
    return datasets.yin_yang(5000, seed=42), datasets.yin_yang(1000, seed=41), datasets.yin_yang(1000, seed=40)


def test_yin_yang_reaches_95_percent(yin_yang):
    (xtr, ytr), (xva, yva), (xte, yte) = yin_yang
    model = two_layer(4, 120, 3)
    history = model.fit(xtr, ytr, steps=50, epochs=30, batch_size=32, optimizer=sgt.Adam(lr=2e-3), schedule="cosine",
                        validation=(xva, yva), progress=False)
    assert len(history.loss) == 30 and history.loss[-1] < history.loss[0]
    assert model.evaluate(xte, yte)["accuracy"] >= 0.95


def test_digits_reach_95_percent():
    x, y = datasets.digits()
    xtr, ytr, xte, yte = datasets.train_test_split(x, y, test_fraction=0.2, seed=0)
    model = two_layer(64, 128, 10)
    model.fit(xtr, ytr, steps=25, epochs=20, optimizer=sgt.Adam(lr=2e-3), progress=False)
    assert model.evaluate(xte, yte)["accuracy"] >= 0.95


def test_same_history_and_weights_for_one_and_two_threads(yin_yang):
    (xtr, ytr), _, _ = yin_yang
    runs = []
    for threads in (1, 2):
        model = two_layer(4, 40, 3)
        history = model.fit(xtr[:1000], ytr[:1000], steps=20, epochs=2, threads=threads, progress=False)
        runs.append((history.loss, model.parameters))
    assert runs[0][0] == runs[1][0]
    for a, b in zip(runs[0][1], runs[1][1]):
        assert np.array_equal(a["w"], b["w"]) and np.array_equal(a["b"], b["b"])


@pytest.mark.parametrize("coding", ["static", "spikes", "static-synaptic", "spikes-synaptic"])
def test_exported_network_on_cpu_backend_equals_the_trainer(coding):
    x, y = datasets.digits()
    x, y = x[:400], y[:400]
    if coding.endswith("synaptic"):  # cuba_lif with integration = "discrete" in the simulator
        if coding.startswith("spikes"):
            x = datasets.rate_code(x, 20, seed=4)
        model = sgt.Model([sgt.Linear(64, 48), sgt.Synaptic(alpha=0.8, beta=0.85), sgt.Linear(48, 10),
                           sgt.Synaptic(alpha=0.7, beta=0.9)], seed=3)
        model.fit(x[:300], y[:300], steps=20, epochs=6, progress=False)
    elif coding == "spikes":
        x = datasets.rate_code(x, 20, seed=4)
        model = sgt.Model([sgt.Linear(64, 48), sgt.RLeaky(beta=0.85, reset="zero"),
                           sgt.Linear(48, 10), sgt.LI(beta=0.8)], seed=3)
        model.fit(x[:300], y[:300], epochs=4, loss="ce_max_membrane", progress=False)
    else:
        model = two_layer(64, 48, 10, reset_delay=False)
        model.fit(x[:300], y[:300], steps=20, epochs=4, progress=False)
    test_x, test_y = x[300:], y[300:]
    simulated = model.run_on_backend(test_x, test_y, steps=20)
    # The trainer's forward pass in double, as the simulator runs: the same output trains.
    reference = model.copy("double")
    assert np.array_equal(reference.output_trace(test_x, steps=20), simulated["output_trace"])
    assert simulated["accuracy"] == reference.evaluate(test_x, test_y, steps=20)["accuracy"]
    assert simulated["accuracy"] == model.evaluate(test_x, test_y, steps=20)["accuracy"]
    assert simulated["accuracy"] > 0.5


def test_sltt_memory_does_not_grow_with_steps():
    x, y = datasets.yin_yang(64, seed=1)
    state = {}
    for algorithm in ("bptt", "sltt"):
        for steps in (25, 200):
            model = two_layer(4, 64, 3)
            history = model.fit(x, y, steps=steps, epochs=1, algorithm=algorithm, progress=False)
            state[algorithm, steps] = history.state_bytes[0]
    assert state["sltt", 25] == state["sltt", 200]
    assert state["bptt", 200] > 6 * state["bptt", 25]


def test_bad_input_names_the_culprit():
    model = two_layer(4, 8, 3)
    x, y = datasets.yin_yang(30, seed=1)
    with pytest.raises(ValueError, match="steps"):
        model.fit(x, y, epochs=1, progress=False)
    with pytest.raises(sg.InvalidNetworkError, match="5 features"):
        model.fit(np.zeros((30, 5)), y, steps=5, progress=False)
    bad = y.copy()
    bad[3] = 7
    with pytest.raises(sg.InvalidParameterError, match="label 7 of sample 3"):
        model.fit(x, bad, steps=5, progress=False)
    nan = x.copy()
    nan[2, 1] = np.nan
    with pytest.raises(sg.InvalidParameterError, match="sample 2"):
        model.fit(nan, y, steps=5, progress=False)
    with pytest.raises(sg.InvalidParameterError, match="beta"):
        sgt.Model([sgt.Linear(4, 8), sgt.Leaky(beta=-0.1)])
    with pytest.raises(sg.InvalidParameterError, match="loss 'hinge'"):
        model.fit(x, y, steps=5, loss="hinge", progress=False)
    with pytest.raises(sg.InvalidParameterError, match="lr"):
        model.fit(x, y, steps=5, optimizer=sgt.Adam(lr=0), progress=False)
    with pytest.raises(ValueError, match="Linear followed by"):
        sgt.Model([sgt.Leaky(beta=0.9), sgt.Linear(4, 8)])
    synaptic = sgt.Model([sgt.Linear(4, 8), sgt.Synaptic(alpha=1.0, beta=0.9), sgt.Linear(8, 3), sgt.Leaky(beta=0.9)])
    with pytest.raises(ValueError, match="layer 0: alpha = 1.0"):
        synaptic.to_network(x, steps=5)
