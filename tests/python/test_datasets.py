"""spikegraph.datasets: Yin-Yang, digits, randman, spike encoders and permuted tasks -- shapes,
class balance, the Yin-Yang rule on hand-checked points, determinism by seed, and bad arguments
refused with the argument named."""
import numpy as np
import pytest

from spikegraph import datasets


# ------------------------------------------------------------------ Yin-Yang

@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 1000, 1001])
def test_yin_yang_shapes_and_exact_balance(n):
    x, y = datasets.yin_yang(n, seed=3)
    assert x.shape == (n, 4) and x.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=3)
    assert counts.sum() == n
    assert np.all(np.abs(counts - n / 3) <= 1)


def test_yin_yang_points_in_circle_and_mirrored_inputs():
    x, y = datasets.yin_yang(5000, seed=42)
    assert np.all((x >= 0) & (x <= 1))
    np.testing.assert_allclose(x[:, 2], 1 - x[:, 0], atol=1e-6)
    np.testing.assert_allclose(x[:, 3], 1 - x[:, 1], atol=1e-6)
    assert np.all((x[:, 0] - 0.5) ** 2 + (x[:, 1] - 0.5) ** 2 <= 0.25 + 1e-6)
    # every label agrees with the rule applied to the stored point
    np.testing.assert_array_equal(datasets.yin_yang_class(x[:, 0], x[:, 1]), y)
    assert np.bincount(y).tolist() == [1667, 1667, 1666]


@pytest.mark.parametrize("point,label", [
    ((0.25, 0.5), 2),    # centre of the left dot
    ((0.75, 0.5), 2),    # centre of the right dot
    ((0.25, 0.58), 2),   # inside the left dot (distance 0.08 < 0.1)
    ((0.5, 0.9), 1),     # top of the circle
    ((0.5, 0.1), 0),     # bottom of the circle
    ((0.1, 0.51), 1),    # just above the centre line, left half
    ((0.1, 0.49), 1),    # just below it, left half: inside the left half-disc (d = 0.15)
    ((0.9, 0.51), 0),    # just above the centre line, right half: inside the right half-disc
    ((0.9, 0.49), 0),    # just below it, right half
    ((0.25, 0.3), 1),    # left half-disc below the centre line (d = 0.2 <= 0.25)
    ((0.75, 0.7), 0),    # right half-disc above the centre line (d = 0.2 <= 0.25)
    ((0.25, 0.65), 1),   # ring around the left dot (0.1 < d = 0.15 <= 0.25)
    ((0.75, 0.35), 0),   # ring around the right dot
])
def test_yin_yang_rule_on_hand_checked_points(point, label):
    assert int(datasets.yin_yang_class(*point)) == label


def test_yin_yang_deterministic_and_prefix_stable():
    a = datasets.yin_yang(300, seed=7)
    b = datasets.yin_yang(300, seed=7)
    c = datasets.yin_yang(300, seed=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    short = datasets.yin_yang(30, seed=7)
    np.testing.assert_array_equal(short[0], a[0][:30])


def test_yin_yang_canonical_splits_differ():
    train, _ = datasets.yin_yang(5000, seed=42)
    test, _ = datasets.yin_yang(1000, seed=40)
    assert not np.array_equal(train[:1000], test)


def test_yin_yang_other_radii():
    x, y = datasets.yin_yang(600, seed=1, r_small=0.2, r_big=1.0)
    assert np.all((x[:, :2] >= 0) & (x[:, :2] <= 2))
    np.testing.assert_array_equal(datasets.yin_yang_class(x[:, 0], x[:, 1], 0.2, 1.0), y)


# ------------------------------------------------------------------ digits and split

def test_digits_and_split():
    pytest.importorskip("sklearn")
    x, y = datasets.digits()
    assert x.shape == (1797, 64) and x.dtype == np.float32 and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    assert sorted(np.unique(y).tolist()) == list(range(10))
    raw, _ = datasets.digits(scale=False)
    np.testing.assert_allclose(raw / 16, x)
    xtr, ytr, xte, yte = datasets.train_test_split(x, y, test_fraction=0.2, seed=0)
    assert len(xte) == round(1797 * 0.2) and len(xtr) + len(xte) == 1797
    assert len(ytr) == len(xtr) and len(yte) == len(xte)
    again = datasets.train_test_split(x, y, test_fraction=0.2, seed=0)
    np.testing.assert_array_equal(again[2], xte)
    # the split is a partition of the rows
    rows = {r.tobytes() for r in np.concatenate([xtr, xte])}
    assert len(rows) == len({r.tobytes() for r in x})


def test_split_is_a_permutation():
    x = np.arange(20.0)[:, None]
    y = np.arange(20)
    xtr, ytr, xte, yte = datasets.train_test_split(x, y, test_fraction=0.25, seed=1)
    assert sorted(np.concatenate([ytr, yte]).tolist()) == list(range(20))
    np.testing.assert_array_equal(xtr[:, 0], ytr)
    assert len(yte) == 5


# ------------------------------------------------------------------ encoders

def test_rate_code_mean_matches_probability():
    x = np.array([[0.0, 0.1, 0.5, 0.9, 1.0]], dtype=np.float32).repeat(200, axis=0)
    steps = 100
    s = datasets.rate_code(x, steps, seed=0)
    assert s.shape == (200, steps, 5) and s.dtype == np.float32
    assert set(np.unique(s).tolist()) <= {0.0, 1.0}
    trials = 200 * steps
    mean = s.mean(axis=(0, 1))
    p = x[0].astype(np.float64)
    tol = 5 * np.sqrt(p * (1 - p) / trials) + 1e-12
    assert np.all(np.abs(mean - p) <= tol)
    assert mean[0] == 0.0 and mean[4] == 1.0
    np.testing.assert_array_equal(s, datasets.rate_code(x, steps, seed=0))
    assert not np.array_equal(s, datasets.rate_code(x, steps, seed=1))
    # gain scales the probability and clips at 1
    g = datasets.rate_code(x, steps, seed=0, gain=2.0).mean(axis=(0, 1))
    assert abs(g[1] - 0.2) < 5 * np.sqrt(0.2 * 0.8 / trials)
    assert g[2] == 1.0 and g[3] == 1.0


def test_latency_code_spike_times():
    x = np.array([[1.0, 0.5, 0.0, 0.01, 0.75]])
    s = datasets.latency_code(x, 11)
    assert s.shape == (1, 11, 5) and s.dtype == np.float32
    counts = s.sum(axis=1)[0]
    np.testing.assert_array_equal(counts, [1, 1, 0, 1, 1])     # x = 0 never spikes
    times = s[0].argmax(axis=0)
    assert times[0] == 0                                       # x = 1 at the first step
    assert times[1] == 5                                       # (1 - 0.5) * 10
    assert times[3] == 10                                      # round(0.99 * 10)
    assert times[4] == 3                                       # round(2.5) half up
    # threshold silences small values
    s2 = datasets.latency_code(x, 11, threshold=0.5)
    np.testing.assert_array_equal(s2.sum(axis=1)[0], [1, 0, 0, 0, 1])
    # a single step: everything that fires fires at step 0
    np.testing.assert_array_equal(datasets.latency_code(x, 1)[0, 0], [1, 1, 0, 1, 1])


def test_encoders_keep_leading_axes():
    assert datasets.rate_code(np.full(7, 0.5), 4).shape == (4, 7)
    assert datasets.latency_code(np.full((2, 3, 7), 0.5), 4).shape == (2, 3, 4, 7)


# ------------------------------------------------------------------ randman

def test_randman_shapes_one_spike_per_unit():
    x, y = datasets.randman(n_classes=3, n_units=20, n_steps=30, n_samples_per_class=40, seed=5)
    assert x.shape == (120, 30, 20) and x.dtype == np.float32
    assert y.shape == (120,) and y.dtype == np.int64
    np.testing.assert_array_equal(x.sum(axis=1), np.ones((120, 20)))
    assert np.bincount(y).tolist() == [40, 40, 40]
    # spikes use the whole window (standardisation per unit over a class's samples)
    times = x.argmax(axis=1)
    assert times.min() == 0 and times.max() == 29
    again = datasets.randman(n_classes=3, n_units=20, n_steps=30, n_samples_per_class=40, seed=5)
    np.testing.assert_array_equal(again[0], x)
    other = datasets.randman(n_classes=3, n_units=20, n_steps=30, n_samples_per_class=40, seed=6)
    assert not np.array_equal(other[0], x)


def test_randman_classes_differ_in_timing_not_counts():
    x, y = datasets.randman(n_classes=2, n_units=50, n_steps=40, n_samples_per_class=60,
                            seed=0, shuffle=False)
    np.testing.assert_array_equal(y, np.repeat([0, 1], 60))
    t = x.argmax(axis=1).astype(float)                 # (samples, units) spike steps
    mean0, mean1 = t[y == 0].mean(axis=0), t[y == 1].mean(axis=0)
    assert np.abs(mean0 - mean1).mean() > 2.0
    assert np.all(x.sum(axis=(1, 2)) == 50)


def test_randman_two_dimensional_manifold_and_step_frac():
    x, _ = datasets.randman(n_classes=2, n_units=10, n_steps=20, n_samples_per_class=15,
                            dim_manifold=2, step_frac=0.5, seed=2)
    assert x.shape == (30, 20, 10)
    np.testing.assert_array_equal(x.sum(axis=1), 1)
    assert x[:, 10:, :].sum() == 0                     # spikes only in the first half


# ------------------------------------------------------------------ permuted tasks

def test_permuted_tasks():
    x = np.random.default_rng(0).random((50, 64)).astype(np.float32)
    tasks, perms = datasets.permuted_tasks(x, 5, seed=0, return_permutations=True)
    assert len(tasks) == 5 and len(perms) == 5
    np.testing.assert_array_equal(tasks[0], x)
    assert tasks[0] is not x
    for k in range(1, 5):
        p = perms[k]
        assert sorted(p.tolist()) == list(range(64))
        assert not np.array_equal(p, np.arange(64))
        np.testing.assert_array_equal(tasks[k], x[:, p])
        assert not np.array_equal(tasks[k], x)
    assert len({p.tobytes() for p in perms}) == 5
    again = datasets.permuted_tasks(x, 5, seed=0)
    for a, b in zip(again, tasks):
        np.testing.assert_array_equal(a, b)
    # rasters: the permutation acts on the last (feature) axis, the same at every step
    r = datasets.rate_code(x[:4], 6)
    rt = datasets.permuted_tasks(r, 2, seed=0)
    np.testing.assert_array_equal(rt[1], r[:, :, perms[1]])


def test_permuted_tasks_two_features_never_identity():
    x = np.array([[0.0, 1.0]])
    for seed in range(10):
        tasks = datasets.permuted_tasks(x, 3, seed=seed)
        np.testing.assert_array_equal(tasks[1], [[1.0, 0.0]])


# ------------------------------------------------------------------ bad arguments

@pytest.mark.parametrize("call,match", [
    (lambda: datasets.yin_yang(-1), r"\bn\b.*-1"),
    (lambda: datasets.yin_yang(2.5), r"\bn\b.*2\.5"),
    (lambda: datasets.yin_yang(10, r_small=0.3), r"r_small.*0\.3"),
    (lambda: datasets.yin_yang(10, r_big=float("nan")), r"r_big.*nan"),
    (lambda: datasets.yin_yang(10, r_small=-0.1), r"r_small.*-0\.1"),
    (lambda: datasets.rate_code(np.array([[0.5, 1.5]]), 10), r"\bx\b.*\[0, 1\].*1\.5"),
    (lambda: datasets.rate_code(np.array([[0.5, -0.1]]), 10), r"\bx\b.*-0\.1"),
    (lambda: datasets.rate_code(np.array([[0.5, np.nan]]), 10), r"\bx\b.*NaN"),
    (lambda: datasets.rate_code(np.array([[0.5]]), 0), r"steps.*0"),
    (lambda: datasets.rate_code(np.array([[0.5]]), 5, gain=-1.0), r"gain.*-1"),
    (lambda: datasets.rate_code(np.array([[0.5]]), 5, gain=float("inf")), r"gain.*inf"),
    (lambda: datasets.latency_code(np.array([[2.0]]), 10), r"\bx\b.*2"),
    (lambda: datasets.latency_code(np.array([[0.5]]), -3), r"steps.*-3"),
    (lambda: datasets.latency_code(np.array([[0.5]]), 5, threshold=1.0), r"threshold.*1"),
    (lambda: datasets.latency_code(np.float64(0.5), 5), r"\bx\b.*dimension"),
    (lambda: datasets.randman(n_units=0), r"n_units.*0"),
    (lambda: datasets.randman(n_steps=0), r"n_steps.*0"),
    (lambda: datasets.randman(n_samples_per_class=-5), r"n_samples_per_class.*-5"),
    (lambda: datasets.randman(alpha=0.0), r"alpha.*0"),
    (lambda: datasets.randman(alpha=float("nan")), r"alpha.*nan"),
    (lambda: datasets.permuted_tasks(np.zeros((3, 4)), 0), r"n_tasks.*0"),
    (lambda: datasets.permuted_tasks(np.array([[np.nan, 1.0]]), 2), r"\bx\b.*NaN"),
    (lambda: datasets.train_test_split(np.zeros((10, 2)), np.zeros(9)), r"x and y.*\(10, 2\)"),
    (lambda: datasets.train_test_split(np.zeros((10, 2)), np.zeros(10), test_fraction=1.0),
     r"test_fraction.*1"),
    (lambda: datasets.train_test_split(np.zeros((3, 2)), np.zeros(3), test_fraction=0.1),
     r"test_fraction.*empty test"),
])
def test_bad_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bool_is_not_a_count():
    with pytest.raises(ValueError, match="steps"):
        datasets.rate_code(np.array([[0.5]]), True)
