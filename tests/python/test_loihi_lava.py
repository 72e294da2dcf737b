"""The Loihi emulator against Intel Lava's own bit-accurate models (lava-nc 0.10.0, run in its own
environment .venv-lava by lava_peer.py): identical spikes, u and v. Skipped only where
scripts/test.sh could not install lava-nc (it says so)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
LAVA_PYTHON = ROOT / ".venv-lava" / "bin" / "python"
pytestmark = pytest.mark.skipif(not (ROOT / ".venv-lava" / ".lava-peer.sha1").exists(),
                                reason="lava-nc is not installed in .venv-lava (scripts/test.sh installs it)")

sys.path.insert(0, str(Path(__file__).parent))
from test_loihi import _build, _overflow_description, _random_description  # noqa: E402


def _lava_run(description, steps, tmp_path):
    populations, sources, projections = description
    spec = {
        "steps": steps,
        "populations": [dict(name=name, probe_state=True, **p) for name, p in populations.items()],
        "sources": [{"name": name, "size": s["size"],
                     "spikes": [[t, k] for t, ks in sorted(s["spikes"].items()) for k in ks]}
                    for name, s in sources.items()],
        "projections": projections,
    }
    path_in, path_out = tmp_path / "net.json", tmp_path / "lava.npz"
    path_in.write_text(json.dumps(spec))
    subprocess.run([str(LAVA_PYTHON), str(ROOT / "tests/python/lava_peer.py"), str(path_in), str(path_out), "--quiet"],
                   check=True, timeout=600, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    return np.load(path_out)


def _check_against_lava(description, steps, tmp_path):
    populations, sources, _ = description
    lava = _lava_run(description, steps, tmp_path)
    emu = _build(description, steps).emulate().run(steps, progress=False)
    total = 0
    for name in list(populations) + list(sources):
        s, k = emu.spikes(name)
        ours = np.stack([s, k], axis=1).astype(np.int64).reshape(-1, 2)
        assert np.array_equal(ours, lava[f"spikes_{name}"].reshape(-1, 2)), f"spikes of {name} differ from Lava"
        total += len(ours)
    for name in populations:
        for var in ("u", "v"):
            _, ours = emu.trace(name, var)
            assert np.array_equal(ours.astype(np.int64), lava[f"{var}_{name}"]), f"{var} of {name} differs from Lava"
    return total


def test_random_network_equals_lava_over_10000_steps(tmp_path):
    steps = 10_000
    spikes = _check_against_lava(_random_description(np.random.default_rng(11), steps), steps, tmp_path)
    assert spikes > 1000


def test_wrap_clip_delays_and_negative_exponents_equal_lava(tmp_path):
    steps = 2_000
    _check_against_lava(_overflow_description(steps), steps, tmp_path)
