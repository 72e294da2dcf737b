"""Song, Miller & Abbott (2000) with spikegraph's STDP: the weights of 1000 competing inputs become
bimodal, and the output rate is regulated (nearly independent of the input rate, unlike fixed
weights)."""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import song_miller_abbott as sma  # noqa: E402


def test_weights_become_bimodal_and_the_output_rate_is_regulated():
    weights, out_15 = sma.run(rate=15.0, duration=200_000.0, seed=3)
    assert weights.shape == (sma.N_INPUTS,)
    assert weights.min() >= 0.0 and weights.max() <= 1.0 + 1e-6
    low, high = sma.bimodality(weights)
    middle = float(np.mean((weights >= 0.3) & (weights < 0.7)))
    # The initial weights are uniform: 10%, 10% and 40%. Bimodal: both ends fill, the middle empties.
    assert low > 0.2 and high > 0.15, (low, high)
    assert middle < 0.2, middle

    _, out_30 = sma.run(rate=30.0, duration=200_000.0, seed=3)
    _, fixed_15 = sma.run(rate=15.0, duration=10_000.0, plastic=False, seed=3, tail=5_000.0)
    _, fixed_30 = sma.run(rate=30.0, duration=10_000.0, plastic=False, seed=3, tail=5_000.0)
    assert fixed_30 > 5 * fixed_15 > 0, (fixed_15, fixed_30)  # fixed weights: steep
    assert 0.5 * out_15 < out_30 < 2.0 * out_15, (out_15, out_30)  # STDP: regulated
    assert out_30 < 0.2 * fixed_30
