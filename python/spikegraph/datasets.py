"""Small classification data sets and spike encoders for training spiking networks.

Everything here needs only NumPy, except :func:`digits`, which reads the file bundled with
scikit-learn (imported when the function is called). Every generator takes a seed and draws
from ``numpy.random.default_rng(seed)``, so a call is reproducible on any machine.

Data sets
    :func:`yin_yang`   the Yin-Yang set (Kriener, Goltz and Petrovici 2021), 4 inputs, 3 classes
    :func:`digits`     scikit-learn's 8x8 handwritten digits (1797 samples, 10 classes)
    :func:`randman`    spiking random-manifold set (Zenke and Vogels 2021), information in timing
Helpers
    :func:`train_test_split`  a seeded random split
    :func:`rate_code`         Bernoulli (rate) spike trains from values in [0, 1]
    :func:`latency_code`      one spike per feature, earlier for larger values
    :func:`permuted_tasks`    "permuted" continual-learning tasks (fixed feature permutations)

Spike rasters are float32 arrays of shape ``(samples, steps, features)`` holding 0 or 1.

    from spikegraph import datasets
    x_train, y_train = datasets.yin_yang(5000, seed=42)
    x_test, y_test = datasets.yin_yang(1000, seed=40)
    spikes = datasets.rate_code(x_train, steps=50, seed=1)      # (5000, 50, 4)
"""
from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "YIN_YANG_CLASSES", "digits", "latency_code", "permuted_tasks", "randman", "rate_code",
    "train_test_split", "yin_yang", "yin_yang_class",
]

#: Names of the Yin-Yang labels 0, 1 and 2, in the order of the reference implementation.
YIN_YANG_CLASSES = ("yin", "yang", "dot")


# ---------------------------------------------------------------------------------------------
# argument checks

def _count(name, value, minimum=0):
    """An integer argument >= minimum (bools and non-integral numbers are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return value


def _real(name, value, low=None, high=None, low_open=False, high_open=False):
    """A finite real argument, optionally within [low, high] (or open at either end)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value}")
    return value


def _unit_array(name, x, min_ndim=1):
    """A float array of values in [0, 1] with no NaN, and at least min_ndim dimensions."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers in [0, 1]: {exc}") from None
    if arr.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s) (the last one is the "
                         f"feature axis), got shape {arr.shape}")
    if arr.size:
        n_nan = int(np.isnan(arr).sum())
        if n_nan:
            raise ValueError(f"{name} contains {n_nan} NaN value(s)")
        lo, hi = float(arr.min()), float(arr.max())
        if lo < 0.0 or hi > 1.0:
            raise ValueError(f"{name} must lie in [0, 1] (scale it first), got values in "
                             f"[{lo:g}, {hi:g}]")
    return arr


# ---------------------------------------------------------------------------------------------
# Yin-Yang

def yin_yang_class(x1, y1, r_small=0.1, r_big=0.5):
    """Yin-Yang label(s) of point(s) ``(x1, y1)`` of the square ``[0, 2*r_big]^2``.

    The rule of the reference data set (Kriener, Goltz and Petrovici 2021, arXiv:2102.08211):
    with ``d_left`` and ``d_right`` the distances to the dot centres ``(r_big/2, r_big)`` and
    ``(3*r_big/2, r_big)``,

    * label 2 (dot) where ``d_left < r_small`` or ``d_right < r_small``;
    * otherwise label 1 where ``d_right <= r_small``, or ``r_small < d_left <= r_big/2``, or
      ``y1 > r_big and d_right > r_big/2`` -- the upper half of the big circle without the
      half-disc around the right dot, plus the half-disc around the left dot;
    * otherwise label 0.

    The labels are those of the reference code (whose criteria are named ``is_yin`` but give
    label 1); points outside the big circle get a label too, callers reject them. Accepts scalars
    or arrays; returns an int64 array (a 0-d array for scalars).
    """
    x1 = np.asarray(x1, dtype=np.float64)
    y1 = np.asarray(y1, dtype=np.float64)
    d_right = np.sqrt((x1 - 1.5 * r_big) ** 2 + (y1 - r_big) ** 2)
    d_left = np.sqrt((x1 - 0.5 * r_big) ** 2 + (y1 - r_big) ** 2)
    upper = (d_right <= r_small) | ((d_left > r_small) & (d_left <= 0.5 * r_big)) \
        | ((y1 > r_big) & (d_right > 0.5 * r_big))
    dot = (d_right < r_small) | (d_left < r_small)
    return np.where(dot, 2, upper.astype(np.int64)).astype(np.int64)


def yin_yang(n, seed=42, r_small=0.1, r_big=0.5):
    """The Yin-Yang data set: ``n`` points with four inputs and three balanced classes.

    Returns ``(x, y)``: ``x`` float32 of shape ``(n, 4)`` holding ``(x1, y1, 1 - x1, 1 - y1)``,
    ``y`` int64 labels (0 yin, 1 yang, 2 dot; see :func:`yin_yang_class` for the regions).

    Sample ``i`` takes the class ``i % 3`` (so each class holds ``n // 3`` or ``n // 3 + 1``
    points, in the order 0, 1, 2, 0, ...; shuffle before batching); its point is found by
    drawing ``(x1, y1)`` uniformly from ``[0, 2*r_big]^2``, rejecting points outside the big
    circle (centre ``(r_big, r_big)``, radius ``r_big``) and points of another class, until
    one of that class appears. All draws come in order from ``numpy.random.default_rng(seed)``,
    so the first ``k`` samples are the same for any ``n >= k``. With the default radii all
    inputs lie in ``[0, 1]``.

    The canonical sizes and seeds of the paper are train 5000 (seed 42), validation 1000
    (seed 41) and test 1000 (seed 40). The reference code draws the class of each sample at
    random with NumPy's legacy ``RandomState``, so its points (and its exact class counts)
    differ from these; the distribution of each class is the same. Reported accuracies on it:
    a 4-120-3 ANN about 98.7 %, a linear classifier about 64 %.
    """
    n = _count("n", n)
    r_big = _real("r_big", r_big, low=0.0, low_open=True)
    r_small = _real("r_small", r_small, low=0.0, low_open=True)
    if r_small >= 0.5 * r_big:
        raise ValueError(f"r_small must be < r_big / 2 = {0.5 * r_big:g} (the dots must fit in "
                         f"the half-discs), got {r_small:g}")
    rng = np.random.default_rng(seed)
    xs = np.empty(n, dtype=np.float64)
    ys = np.empty(n, dtype=np.float64)
    labels = np.arange(n, dtype=np.int64) % 3

    # One ordered stream of candidate points, drawn in chunks; sample i takes the first
    # candidate after the previous sample's that lies in the circle and has class i % 3.
    cand = np.empty((0, 2))
    index = [np.empty(0, dtype=np.int64)] * 3   # candidate indices per class, ascending
    pointer = 0
    chunk = max(4096, 8 * n)
    for i in range(n):
        goal = labels[i]
        while True:
            k = np.searchsorted(index[goal], pointer)
            if k < index[goal].size:
                j = int(index[goal][k])
                break
            new = rng.random((chunk, 2)) * (2.0 * r_big)
            inside = (new[:, 0] - r_big) ** 2 + (new[:, 1] - r_big) ** 2 <= r_big ** 2
            cls = np.where(inside, yin_yang_class(new[:, 0], new[:, 1], r_small, r_big), -1)
            offset = cand.shape[0]
            cand = np.concatenate([cand, new])
            index = [np.concatenate([index[c], offset + np.flatnonzero(cls == c)])
                     for c in range(3)]
        xs[i], ys[i] = cand[j]
        pointer = j + 1
    x = np.stack([xs, ys, 1.0 - xs, 1.0 - ys], axis=1).astype(np.float32)
    return x, labels


# ---------------------------------------------------------------------------------------------
# digits and splitting

def digits(scale=True):
    """scikit-learn's handwritten digits: 1797 images of 8x8 pixels, labels 0-9.

    Returns ``(x, y)``: ``x`` float32 of shape ``(1797, 64)``, the pixels (integers 0-16)
    divided by 16 so they lie in ``[0, 1]`` (``scale=False`` keeps 0-16); ``y`` int64. The data
    (the test part of UCI "optdigits") ship inside scikit-learn, so nothing is downloaded;
    scikit-learn is imported only here.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:
        raise ImportError("spikegraph.datasets.digits needs scikit-learn, which bundles the "
                          "digits data: pip install 'scikit-learn>=1.0'") from exc
    bunch = load_digits()
    x = np.asarray(bunch.data, dtype=np.float64)
    if scale:
        x = x / 16.0
    return x.astype(np.float32), np.asarray(bunch.target, dtype=np.int64)


def train_test_split(x, y, test_fraction=0.2, seed=0):
    """Split ``(x, y)`` at random into ``(x_train, y_train, x_test, y_test)``.

    A plain permutation from ``numpy.random.default_rng(seed)`` (not stratified): the first
    ``round(len(x) * test_fraction)`` permuted samples form the test set. Both parts must be
    non-empty.
    """
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim < 1 or y.ndim < 1 or x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same number of samples (first axis), got "
                         f"shapes {x.shape} and {y.shape}")
    test_fraction = _real("test_fraction", test_fraction, low=0.0, high=1.0,
                          low_open=True, high_open=True)
    n = x.shape[0]
    n_test = int(round(n * test_fraction))
    if n_test < 1 or n_test > n - 1:
        raise ValueError(f"test_fraction={test_fraction:g} of {n} samples leaves an empty "
                         f"{'test' if n_test < 1 else 'training'} set")
    perm = np.random.default_rng(seed).permutation(n)
    test, train = perm[:n_test], perm[n_test:]
    return x[train], y[train], x[test], y[test]


# ---------------------------------------------------------------------------------------------
# spike encoders

def rate_code(x, steps, seed=0, gain=1.0):
    """Bernoulli spike trains: at every step, feature ``f`` spikes with ``p = clip(gain*x, 0, 1)``.

    ``x`` holds values in ``[0, 1]`` with features on the last axis, e.g. ``(n, features)``; the
    result is float32 of shape ``x.shape[:-1] + (steps, features)``, e.g.
    ``(n, steps, features)``. Draws come from ``numpy.random.default_rng(seed)``.
    """
    arr = _unit_array("x", x)
    steps = _count("steps", steps, 1)
    gain = _real("gain", gain, low=0.0)
    p = np.clip(gain * arr, 0.0, 1.0)[..., None, :]
    shape = arr.shape[:-1] + (steps, arr.shape[-1])
    u = np.random.default_rng(seed).random(shape)
    return (u < p).astype(np.float32)


def latency_code(x, steps, threshold=0.0):
    """One spike per feature, at a step that falls linearly with the value.

    Feature value ``v`` spikes once, at step ``floor((1 - v) * (steps - 1) + 0.5)`` (rounded
    half up): ``v = 1`` at step 0, values near 0 at the last step. Features with
    ``v <= threshold`` (by default exactly 0) never spike, so blank pixels stay silent.
    ``x`` holds values in ``[0, 1]`` with features on the last axis; the result is float32 of
    shape ``x.shape[:-1] + (steps, features)``.
    """
    arr = _unit_array("x", x)
    steps = _count("steps", steps, 1)
    threshold = _real("threshold", threshold, low=0.0, high=1.0, high_open=True)
    t = np.floor((1.0 - arr) * (steps - 1) + 0.5).astype(np.int64)
    t = np.clip(t, 0, steps - 1)
    fires = arr > threshold
    onehot = np.arange(steps)[:, None] == t[..., None, :]          # (..., steps, features)
    return (onehot & fires[..., None, :]).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# randman

def _manifold_cutoff(alpha, prec=1e-3, max_cutoff=1000):
    """Number of Fourier terms: min(ceil(prec^(-1/alpha)), max_cutoff)."""
    return int(min(math.ceil(prec ** (-1.0 / alpha)), max_cutoff))


def _eval_manifold(params, coords, alpha):
    """Evaluate a random manifold at ``coords`` (samples, dim) -> (samples, units).

    ``params`` has shape (units, dim, 3, K) with entries theta0 (amplitude), theta1 (frequency
    scale) and theta2 (phase) per Fourier term k = 0..K-1; each unit is the product over
    manifold dimensions d of  sum_k theta0_k (k+1)^-alpha sin(2 pi (k x_d theta1_k + theta2_k)).
    """
    n_units, dim, _, n_terms = params.shape
    k = np.arange(n_terms, dtype=np.float64)
    amp = params[:, :, 0, :] * (k + 1.0) ** (-alpha)                   # (units, dim, K)
    out = np.ones((coords.shape[0], n_units))
    for d in range(dim):
        phase = 2.0 * np.pi * (coords[:, d, None, None] * (k * params[None, :, d, 1, :])
                               + params[None, :, d, 2, :])             # (samples, units, K)
        out *= np.einsum("suk,uk->su", np.sin(phase), amp[:, d, :])
    return out


def randman(n_classes=10, n_units=100, n_steps=50, n_samples_per_class=100, dim_manifold=1,
            alpha=2.0, seed=0, step_frac=1.0, shuffle=True):
    """Spiking random-manifold classification set (Zenke and Vogels 2021, "randman").

    Each class is a smooth random manifold of dimension ``dim_manifold`` embedded in
    ``n_units`` dimensions: unit ``u`` is ``f_u(x) = prod_d sum_k theta0 (k+1)^-alpha
    sin(2 pi (k x_d theta1 + theta2))`` over ``K = min(ceil(1000^(1/alpha)), 1000)`` terms
    (K = 32 for alpha = 2), with all thetas uniform in [0, 1) and the constant term's amplitude
    set to 0. A sample draws manifold coordinates ``x`` uniformly from ``[0, 1)^dim_manifold``;
    each unit's value is standardised over the class's samples to ``[0, 1)``
    (``(v - min) / (max - min + 1e-7)``) and the unit fires exactly one spike, at step
    ``floor(v * n_steps * step_frac)`` (at most ``n_steps - 1``). Spike counts are therefore
    the same for every sample: only the timing carries the class.

    Returns ``(x, y)``: ``x`` float32 of shape ``(n_classes * n_samples_per_class, n_steps,
    n_units)``, ``y`` int64, shuffled unless ``shuffle=False`` (then ordered by class). Random
    numbers come from ``numpy.random.default_rng(seed)``; the definition is the randman
    package's, its random streams (and so its exact samples) are not reproduced.
    """
    n_classes = _count("n_classes", n_classes, 1)
    n_units = _count("n_units", n_units, 1)
    n_steps = _count("n_steps", n_steps, 1)
    n_samples_per_class = _count("n_samples_per_class", n_samples_per_class, 1)
    dim_manifold = _count("dim_manifold", dim_manifold, 1)
    alpha = _real("alpha", alpha, low=0.0, low_open=True)
    step_frac = _real("step_frac", step_frac, low=0.0, high=1.0, low_open=True)
    rng = np.random.default_rng(seed)
    n_terms = _manifold_cutoff(alpha)
    n = n_classes * n_samples_per_class
    x = np.zeros((n, n_steps, n_units), dtype=np.float32)
    y = np.repeat(np.arange(n_classes, dtype=np.int64), n_samples_per_class)
    rows = np.arange(n_samples_per_class)[:, None]
    cols = np.arange(n_units)[None, :]
    for c in range(n_classes):
        params = rng.random((n_units, dim_manifold, 3, n_terms))
        params[:, :, 0, 0] = 0.0
        coords = rng.random((n_samples_per_class, dim_manifold))
        values = _eval_manifold(params, coords, alpha)
        lo, hi = values.min(axis=0), values.max(axis=0)
        values = (values - lo) / (hi - lo + 1e-7)
        t = np.floor(values * (n_steps * step_frac)).astype(np.int64)
        t = np.clip(t, 0, n_steps - 1)
        x[c * n_samples_per_class + rows, t, cols] = 1.0
    if shuffle:
        perm = rng.permutation(n)
        x, y = x[perm], y[perm]
    return x, y


# ---------------------------------------------------------------------------------------------
# continual-learning tasks

def permuted_tasks(x, n_tasks, seed=0, return_permutations=False):
    """``n_tasks`` copies of ``x`` with the feature (last) axis permuted, one permutation per task.

    Task 0 is ``x`` unchanged (the identity); task ``k >= 1`` is ``x[..., perm_k]`` with a fixed
    random permutation ``perm_k`` from ``numpy.random.default_rng(seed)``, drawn again if it
    came out as the identity (when there are at least 2 features). Works on static inputs
    ``(n, features)`` and on rasters ``(n, steps, features)``; the labels are shared by all tasks.
    "Permuted digits" is ``permuted_tasks(digits()[0], 5)``. Returns the list of arrays, or
    ``(arrays, permutations)`` with ``return_permutations=True``.
    """
    arr = np.asarray(x)
    if arr.ndim < 1:
        raise ValueError(f"x must have a feature axis (last axis), got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating) and arr.size and np.isnan(arr).any():
        raise ValueError(f"x contains {int(np.isnan(arr).sum())} NaN value(s)")
    n_tasks = _count("n_tasks", n_tasks, 1)
    n_features = arr.shape[-1]
    rng = np.random.default_rng(seed)
    identity = np.arange(n_features)
    perms = [identity]
    for _ in range(1, n_tasks):
        perm = rng.permutation(n_features)
        while n_features >= 2 and np.array_equal(perm, identity):
            perm = rng.permutation(n_features)
        perms.append(perm)
    tasks = [arr.copy()] + [arr[..., p] for p in perms[1:]]
    return (tasks, perms) if return_permutations else tasks
