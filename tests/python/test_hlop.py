"""HLOP on permuted digits (5 tasks, a shared 10-way readout): plain fine-tuning forgets, the
Hebbian orthogonal projection keeps most of what earlier tasks learned. The issue's target for
HLOP (BWT >= -2%) is not reached yet (measured about -5.5%, see README); this test checks what
holds: fine-tuning forgets at least 20 points and HLOP forgets far less."""
import numpy as np

import spikegraph as sg
from spikegraph import datasets
from spikegraph import training as sgt
from spikegraph.hlop import HLOP, train_continual


def permuted_digits(count):
    x, y = datasets.digits()
    x_train, y_train, x_test, y_test = datasets.train_test_split(x, y, test_fraction=0.2, seed=0)
    train, test = datasets.permuted_tasks(x_train, count, seed=1), datasets.permuted_tasks(x_test, count, seed=1)
    return [(train[i], y_train, test[i], y_test) for i in range(count)]


def model():
    return sgt.Model([sgt.Linear(64, 512), sgt.Leaky(beta=0.9), sgt.Linear(512, 10), sgt.Leaky(beta=0.9)], seed=1)


def test_hlop_forgets_far_less_than_fine_tuning():
    tasks = permuted_digits(5)
    options = dict(steps=25, optimizer=sgt.Adam(lr=2e-3))
    plain = train_continual(model(), tasks, 10, **options)
    net = model()
    hlop = train_continual(net, tasks, 10, hlop=HLOP(net, [40, 100], [6, 60], eta=0.05, epochs=50), **options)
    assert plain["bwt"] <= -0.20
    assert hlop["bwt"] >= plain["bwt"] + 0.4
    assert hlop["acc"] >= 0.85
    assert np.all(np.diag(hlop["accuracy"]) >= 0.9)  # every task is still learned


def test_subspace_neurons_learn_the_principal_subspace_with_old_rows_frozen():
    rng = np.random.default_rng(0)
    basis, _ = np.linalg.qr(rng.standard_normal((20, 20)))
    scales = np.array([5, 4, 3, 2.5, 2] + [0.1] * 15)
    data = (basis * scales) @ rng.standard_normal((20, 4000))
    h = np.linalg.qr(rng.standard_normal((20, 5)))[0].T
    frozen = basis[:, :2].T.copy()
    h = np.vstack([frozen, h[:3]])
    for _ in range(300):
        h = sg.subspace_update(h, data[:, rng.integers(0, 4000, 200)], 0.01, frozen_rows=2)
    assert np.array_equal(h[:2], frozen)
    top = basis[:, :5]
    cosines = np.linalg.svd(np.linalg.qr(h.T)[0].T @ top, compute_uv=False)
    assert np.arccos(np.clip(cosines.min(), -1, 1)) < 0.05
