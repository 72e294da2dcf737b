"""The command line (`python -m spikegraph`): runs, sweeps, resuming, bad input, damaged files,
and a batch killed with SIGKILL at random moments."""
import os
import pathlib
import random
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

import spikegraph as sg

NETWORK = """
[experiment]
name = "tiny"
duration = 200.0
seed = 3

[parameters]
input_rate = 40.0
w = 1.5

[[population]]
name = "cells"
model = "lif"
size = 200
tau_m = 10.0
v_rest = 0.0
v_th = 10.0
v_reset = 0.0
t_ref = 2.0
v = { uniform = [0.0, 10.0] }

[[stimulus]]
name = "noise"
model = "poisson"
size = 100
rate = "input_rate"

[[projection]]
pre = "noise"
post = "cells"
connector = { rule = "fixed_in_degree", n = 20 }
weight = "w"
delay = 1.0

[[projection]]
name = "recurrent"
pre = "cells"
post = "cells"
connector = { rule = "fixed_probability", p = 0.1 }
weight = -0.2
delay = 1.5

[[record]]
population = "cells"
"""

SWEEP = NETWORK + """
[sweep]
repetitions = 2
[sweep.grid]
input_rate = [20.0, 40.0]
"projection.recurrent.weight" = [-0.2, -0.5, -1.0]
"""


def cli(*arguments, check=True):
    result = subprocess.run([sys.executable, "-m", "spikegraph", *map(str, arguments)], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"spikegraph {' '.join(map(str, arguments))} failed ({result.returncode}):\n{result.stderr}")
    return result


def write(path, text):
    path.write_text(text)
    return path


def spikes_by_group(path):
    with h5py.File(path, "r") as f:
        return {name: (f[name]["spikes/cells/times"][()], f[name]["spikes/cells/senders"][()])
                for name in f if f[name].attrs["complete"] == 1}


def test_run_writes_a_complete_run_and_a_second_call_skips_it(tmp_path):
    experiment = write(tmp_path / "tiny.toml", NETWORK)
    output = tmp_path / "out" / "tiny.h5"
    first = cli("run", experiment, "-o", output)
    assert "1 ran, 0 already complete" in first.stdout
    assert not (tmp_path / "out" / "tiny.h5.parts").exists()
    with h5py.File(output, "r") as f:
        run = f["tiny"]
        assert run.attrs["complete"] == 1 and run.attrs["seed"] == 3
        assert run.attrs["experiment"] == "tiny" and run.attrs["source_revision"]
        assert "rate = 40.0" in run.attrs["experiment_toml"]
        spikes = len(run["spikes/cells/times"])
    assert spikes > 100
    second = cli("run", experiment, "-o", output)
    assert "0 ran, 1 already complete" in second.stdout
    # The same run from Python gives the same spikes.
    assert np.array_equal(sg.load(output)["tiny"].spikes("cells").times, spikes_by_group(output)["tiny"][0])
    # A changed experiment is a different run: it runs again.
    write(experiment, NETWORK.replace("rate = 40.0", "rate = 30.0"))
    third = cli("run", experiment, "-o", output)
    assert "1 ran" in third.stdout
    assert len(spikes_by_group(output)["tiny"][0]) != spikes


def test_sweep_runs_every_point_into_its_group_with_its_values(tmp_path):
    experiment = write(tmp_path / "sweep.toml", SWEEP)
    output = tmp_path / "sweep.h5"
    listing = cli("sweep", experiment, "--dry-run").stdout.splitlines()
    assert len(listing) == 12 and "input_rate = 20" in listing[0] and "repetition 1" in listing[1]
    result = cli("sweep", experiment, "-o", output, "--jobs", "2")
    assert "12 ran" in result.stdout
    assert "points" in result.stderr  # plain progress lines when stderr is not a terminal
    points = sg.load(output).points
    assert len(points) == 12
    assert set(points["input_rate"]) == {20.0, 40.0} and set(points["projection.recurrent.weight"]) == {-0.2, -0.5, -1.0}
    assert list(points["seed"][:2]) == [3, 4]  # repetitions derive their seeds
    # Stronger recurrent inhibition lowers the rate; a higher input rate raises it.
    by = points.groupby(["input_rate", "projection.recurrent.weight"])["rate_cells"].mean()
    assert by[(40.0, -0.2)] > by[(40.0, -1.0)]
    assert by[(40.0, -0.5)] > by[(20.0, -0.5)]
    # Points of one repetition share the seed, so the two repetitions differ.
    with h5py.File(output, "r") as f:
        assert f["point_0000"].attrs["axis:input_rate"] == 20.0 and f["point_0000"].attrs["repetition"] == 0
        assert f["point_0000"].attrs["axes"] == "input_rate,projection.recurrent.weight"
    # Same results for any number of points at once.
    serial = tmp_path / "serial.h5"
    cli("sweep", experiment, "-o", serial, "--jobs", "1", "--quiet")
    a, b = spikes_by_group(output), spikes_by_group(serial)
    assert a.keys() == b.keys()
    for name in a:
        assert np.array_equal(a[name][0], b[name][0]) and np.array_equal(a[name][1], b[name][1])


def test_other_runs_in_the_results_file_are_kept(tmp_path):
    output = tmp_path / "shared.h5"
    net = sg.Network()
    cells = net.add_population("cells", "lif", 3, i_offset=2.0)
    net.record(cells)
    sim = sg.compile(net)
    sim.run(50.0)
    sim.save(output, group="by_hand")
    cli("run", write(tmp_path / "tiny.toml", NETWORK), "-o", output)
    with h5py.File(output, "r") as f:
        assert set(f) == {"by_hand", "tiny"}
        assert np.array_equal(f["by_hand/spikes/cells/times"][()], sim.spikes("cells").times)


@pytest.mark.parametrize("text, message", [
    ("[[population]]\nname = \"a\"\nmodel = \"lif\"\nsize = 10\ntau_m = -1\n", "bad.toml:5:9: population 'a': key 'tau_m'"),
    ("[[population]\n", "bad.toml:1:14: malformed TOML"),
    ("[[population]]\nname = \"a\"\nmodel = \"lif\"\nsize = 10\ncolour = 1\n", "bad.toml:5:1: population 'a': key 'colour': unknown key"),
    ("[[population]]\nname = \"a\"\nmodel = \"lif\"\nsize = \"ten\"\n", "bad.toml:4:8: population 'a': key 'size'"),
    ("[[population]]\nname = \"a\"\nmodel = \"lif\"\nsize = -3\n", "bad.toml:4:8: population 'a': key 'size': -3 is out of range"),
    ("[[population]]\nname = \"a\"\nmodel = \"lif\"\nsize = 1\n[sweep.grid]\n\"population.a.tau_m\" = [5, -5]\n",
     "key 'tau_m': -5 ms is invalid"),
])
def test_bad_input_names_file_line_and_key_and_writes_nothing(tmp_path, text, message):
    experiment = write(tmp_path / "bad.toml", text)
    output = tmp_path / "never.h5"
    result = cli("run", experiment, "-o", output, check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == [experiment]


def test_missing_experiment_file_is_reported(tmp_path):
    result = cli("run", tmp_path / "absent.toml", "-o", tmp_path / "x.h5", check=False)
    assert result.returncode == 3 and "absent.toml: cannot open the experiment file" in result.stderr
    assert not (tmp_path / "x.h5").exists()


def test_damaged_results_files_are_reported_never_crashed_on(tmp_path):
    experiment = write(tmp_path / "tiny.toml", NETWORK)
    good = tmp_path / "good.h5"
    cli("run", experiment, "-o", good)
    assert "spikes/cells" in cli("inspect", good).stdout
    assert cli("plot", good, "-o", tmp_path / "raster.svg").returncode == 0
    assert (tmp_path / "raster.svg").read_text().count("<rect") > 100
    data = good.read_bytes()
    rng = random.Random(5)
    cases = {"empty": b"", "text": b"not an HDF5 file\n" * 10, "truncated_head": data[:512],
             "truncated_half": data[:len(data) // 2]}
    for k in range(6):  # bytes flipped in the middle of the file
        damaged = bytearray(data)
        for _ in range(20):
            damaged[rng.randrange(len(damaged) // 4, len(damaged))] ^= 0xFF
        cases[f"flipped_{k}"] = bytes(damaged)
    for name, content in cases.items():
        path = write_bytes(tmp_path / f"{name}.h5", content)
        for command in (["inspect", path], ["plot", path, "-o", tmp_path / f"{name}.svg"]):
            result = cli(*command, check=False)
            assert result.returncode in (0, 3), (name, command[0], result.returncode, result.stderr)
            if result.returncode == 3:
                assert str(path) in result.stderr or "results file" in result.stderr
        # Writing into a file that is not a results file is refused, and the file is left alone.
        if name in ("empty", "text"):
            result = cli("run", experiment, "-o", path, check=False)
            assert result.returncode == 3 and path.read_bytes() == content


def write_bytes(path, content):
    path.write_bytes(content)
    return path


def test_a_batch_killed_at_random_moments_resumes_to_the_same_data(tmp_path):
    bigger = SWEEP.replace("duration = 200.0", "duration = 1500.0").replace("size = 200", "size = 2000")
    experiment = write(tmp_path / "sweep.toml", bigger)
    reference = tmp_path / "reference.h5"
    start = time.perf_counter()
    cli("sweep", experiment, "-o", reference, "--jobs", "2", "--quiet")
    uninterrupted = time.perf_counter() - start
    expected = spikes_by_group(reference)
    output = tmp_path / "killed.h5"
    rng = random.Random(11)
    kills = 0
    for _ in range(10):  # attempts killed at random moments, three in a row before the batch can finish
        process = subprocess.Popen([sys.executable, "-m", "spikegraph", "sweep", str(experiment), "-o", str(output),
                                    "--jobs", "2", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.3) * uninterrupted)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        else:
            # On a loaded machine an attempt can outrun its kill and finish the batch: start over,
            # so that the resume below starts from a batch that was killed.
            output.unlink(missing_ok=True)
            kills = 0
        process.wait()
        if kills == 3:
            break
    assert kills >= 2
    # The kills left the batch unfinished: points saved as parts, the results file not yet assembled.
    assert pathlib.Path(str(output) + ".parts").exists() and len(spikes_by_group(output) if output.exists() else {}) < 12
    cli("sweep", experiment, "-o", output, "--jobs", "2", "--quiet")
    assert not pathlib.Path(str(output) + ".parts").exists()
    got = spikes_by_group(output)
    assert got.keys() == expected.keys()
    for name in expected:
        assert np.array_equal(got[name][0], expected[name][0]) and np.array_equal(got[name][1], expected[name][1])


@pytest.mark.parametrize("experiment", sorted((pathlib.Path(__file__).resolve().parents[2] / "examples" / "experiments").glob("*.toml")),
                         ids=lambda p: p.name)
def test_every_example_experiment_file_is_valid(experiment):
    listing = cli("run", experiment, "--dry-run").stdout.splitlines()
    assert listing and listing[0].split()[0] in ("point_0000", experiment.stem)


@pytest.mark.parametrize("offset, byte, message", [
    (0x4854, 0x00, "the HDF5 library failed reading it"),   # libhdf5 1.10 crashes decoding an attribute
    (0x0C91, 0x00, "did not finish within 3 s"),            # libhdf5 loops in the global heap
])
def test_files_that_break_the_hdf5_library_are_reported(tmp_path, offset, byte, message):
    """One changed byte of a results file (found by fuzzing, docs/fuzzing.md): inspect and plot read
    in a child process and report the file as damaged, whatever the library does."""
    seed = pathlib.Path(__file__).resolve().parents[1] / "fuzz" / "corpus" / "results" / "two_repetitions.h5"
    content = bytearray(seed.read_bytes())
    content[offset] = byte
    path = write_bytes(tmp_path / "damaged.h5", bytes(content))
    for command in (["inspect", path], ["plot", path, "-o", tmp_path / "r.svg"]):
        result = cli(*command, "--timeout", "3", check=False)
        assert result.returncode == 3, (command[0], result.returncode, result.stderr)
        assert message in result.stderr and "damaged.h5" in result.stderr
