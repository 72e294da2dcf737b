"""The README's main job (examples/vogels_abbott.py) on a short run: files written, summary printed."""
import pathlib
import subprocess
import sys

import h5py

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_default_experiment_writes_results_and_prints_a_summary(tmp_path):
    output, raster = tmp_path / "va.h5", tmp_path / "va.png"
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "vogels_abbott.py"), "--duration", "200",
                             "--output", str(output), "--raster", str(raster)],
                            capture_output=True, text=True, check=True)
    for field in ("results:", "raster plot:", "mean rate:", "ISI CV:", "spike count:", "wall time:"):
        assert field in result.stdout
    assert raster.stat().st_size > 10000
    with h5py.File(output, "r") as f:
        group = f["vogels_abbott"]
        assert group.attrs["complete"] == 1
        assert len(group["spikes/exc/times"]) > 1000
