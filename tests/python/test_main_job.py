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


def test_main_job_path_runs_the_experiment_file_and_reports_it(tmp_path):
    """scripts/main.sh: the command line runs the experiment file, report.py summarises it."""
    output, raster = tmp_path / "va.h5", tmp_path / "va.png"
    experiment = ROOT / "examples" / "experiments" / "vogels_abbott.toml"
    run = subprocess.run([sys.executable, "-m", "spikegraph", "run", str(experiment), "-o", str(output),
                          "--set", "experiment.duration=200"], capture_output=True, text=True, check=True)
    assert "1 ran" in run.stdout
    report = subprocess.run([sys.executable, str(ROOT / "examples" / "report.py"), str(output), "--raster", str(raster)],
                            capture_output=True, text=True, check=True)
    for field in ("results:", "raster plot:", "mean rate:", "ISI CV:", "spike count:", "state:"):
        assert field in report.stdout
    assert raster.stat().st_size > 10000
    # The file and the Python example build the same network: the same spikes for the same seed.
    python_output = tmp_path / "python.h5"
    subprocess.run([sys.executable, str(ROOT / "examples" / "vogels_abbott.py"), "--duration", "200", "--output",
                    str(python_output), "--raster", str(tmp_path / "p.png")], capture_output=True, text=True, check=True)
    with h5py.File(output, "r") as a, h5py.File(python_output, "r") as b:
        assert (a["vogels_abbott/spikes/exc/times"][()] == b["vogels_abbott/spikes/exc/times"][()]).all()
        assert (a["vogels_abbott/spikes/inh/senders"][()] == b["vogels_abbott/spikes/inh/senders"][()]).all()
