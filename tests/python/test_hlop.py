"""HLOP on permuted digits (5 tasks, a shared 10-way readout): plain fine-tuning forgets, the
Hebbian orthogonal projection keeps what earlier tasks learned; the issue's target, backward
transfer BWT >= -2%, holds (measured -0.4 ... -0.9% over 8 model/permutation seeds).

The first layer's subspace spans all 64 input dimensions from the first task on: the five
permutations of the digits together fill the input space, so every direction of it belongs to an
earlier task. The hidden layer is wide (1024) so that the later tasks find room outside the
earlier tasks' subspaces of the hidden spike rates."""
import numpy as np
import pytest

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
    return sgt.Model([sgt.Linear(64, 1024), sgt.Leaky(beta=0.9), sgt.Linear(1024, 10), sgt.Leaky(beta=0.9)], seed=1)


def test_hlop_keeps_backward_transfer_within_2_percent_where_fine_tuning_forgets():
    tasks = permuted_digits(5)
    options = dict(steps=25, optimizer=sgt.Adam(lr=1e-3))
    plain = train_continual(model(), tasks, 10, **options)
    net = model()
    hlop = HLOP(net, [64, 150], [0, 80], eta=4.0, epochs=25, batch_size=16, momentum=0.9, normalize=True)
    result = train_continual(net, tasks, 10, hlop=hlop, learn_last=False, **options)
    assert plain["bwt"] <= -0.20
    assert result["bwt"] >= -0.02
    assert result["acc"] >= 0.93
    assert np.all(np.diag(result["accuracy"]) >= 0.93)  # every task is still learned
    assert [len(h) for h in hlop.subspaces] == [64, 150 + 3 * 80]  # the last task's subspace is not learned


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


def test_normalized_momentum_rule_learns_the_subspace_of_strong_activity():
    # Inputs with a large norm (a 5-d principal subspace, scales up to 60): at eta = 0.5 the plain
    # rule diverges; normalized, with momentum, it finds the subspace (the SVD is only the check).
    rng = np.random.default_rng(0)
    basis, _ = np.linalg.qr(rng.standard_normal((32, 32)))
    scales = np.array([60, 50, 40, 30, 25] + [0.5] * 27)
    x = (rng.standard_normal((2000, 32)) * scales) @ basis.T
    net = sgt.Model([sgt.Linear(32, 4), sgt.Leaky(beta=0.9)], seed=1)
    with pytest.raises(FloatingPointError):
        HLOP(net, [5], eta=0.5, epochs=5).learn(x, steps=2)
    hlop = HLOP(net, [5], eta=2.0, epochs=20, batch_size=16, momentum=0.9, normalize=True)
    hlop.learn(x, steps=2)
    cosines = np.linalg.svd(hlop.projection()[0] @ basis[:, :5], compute_uv=False)
    assert np.arccos(np.clip(cosines.min(), -1, 1)) < 0.05
