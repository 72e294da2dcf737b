"""sg.load reads results files back: the arrays the Simulation recorded, sweep points as a
DataFrame, and clear errors for files that are missing, damaged or of another kind."""
import os
import re
import shutil
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

import spikegraph as sg

DURATION = 100.0


def simulate(seed, drive=1.0):
    net = sg.Network()
    src = net.add_poisson_source("src", 30, rate=40.0)
    cells = net.add_population("cells", "cuba_lif", 20, i_offset=drive, v=sg.Uniform(-65.0, -55.0))
    net.connect(src, cells, sg.FixedProbability(0.5), weight=0.05, delay=1.0, plasticity=sg.STDP(w_max=0.1))
    net.record(src)
    net.record(cells)
    net.record(cells, "v", neurons=[1, 3], interval=0.5)
    net.record_weights("src->cells", interval=20.0)
    sim = sg.compile(net, dt=0.1, seed=seed, threads=1)
    sim.run(DURATION)
    return sim


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A file with runs 'second' and 'first' (saved in that order) and their Simulations."""
    path = tmp_path_factory.mktemp("results") / "runs.h5"
    sims = {"second": simulate(seed=2, drive=1.1), "first": simulate(seed=1)}
    for group, sim in sims.items():
        sim.save(path, group=group)
    return path, sims


def copy_of(saved, tmp_path):
    path = tmp_path / "copy.h5"
    shutil.copy(saved[0], path)
    return path


def assert_same_array(loaded, recorded):
    assert loaded.dtype == recorded.dtype
    assert np.array_equal(loaded, recorded)


def test_runs_hold_exactly_what_the_simulation_recorded(saved):
    path, sims = saved
    results = sg.load(path)
    assert results.path == path
    assert results.runs == ["first", "second"]  # by name: neither is a sweep point
    assert results.incomplete == []
    assert len(results) == 2 and [run.name for run in results] == ["first", "second"]
    for name, sim in sims.items():
        run = results[name]
        assert (run.duration, run.dt, run.seed) == (DURATION, 0.1, sim.run_info()["seed"])
        assert run.attrs["complete"] == 1 and run.attrs["backend"] == "cpu" and run.parameters == {}
        assert run.sweep_index is None and run.axes == []
        assert run.populations == ["cells", "src"]
        assert run.recorded == {"spikes": ["cells", "src"], "state": [("cells", "v")], "weights": ["src->cells"]}
        for population in run.populations:
            loaded, recorded = run.spikes(population), sim.spikes(population)
            for field in ("times", "senders", "neurons"):
                assert_same_array(getattr(loaded, field), getattr(recorded, field))
            assert (loaded.population, loaded.population_size) == (recorded.population, recorded.population_size)
        loaded, recorded = run.trace("cells", "v"), sim.trace("cells", "v")
        for field in ("times", "values", "neurons"):
            assert_same_array(getattr(loaded, field), getattr(recorded, field))
        assert (loaded.unit, loaded.interval) == (recorded.unit, recorded.interval)
        weights, (times, snapshots) = run.weights("src->cells"), sim.weight_snapshots("src->cells")
        synapses = sim.synapses("src->cells")
        assert_same_array(weights.times, times)
        assert_same_array(weights.values, snapshots)
        assert_same_array(weights.pre, synapses.pre)
        assert_same_array(weights.post, synapses.post)
        assert weights.interval == 20.0
        network = run.network
        assert network["populations"]["cells"]["model"] == "cuba_lif"
        assert network["populations"]["cells"]["size"] == 20
        assert network["projections"]["src->cells"]["n_synapses"] == len(synapses)


def test_population_objects_and_unrecorded_names(saved):
    path, sims = saved
    run = sg.load(path)["first"]
    cells = sims["first"].network.populations[1]
    assert np.array_equal(run.spikes(cells).times, sims["first"].spikes("cells").times)
    with pytest.raises(sg.InvalidParameterError, match=r"run 'first'.*spikes of 'ghost' were not recorded "
                                                       r"\(recorded: 'cells', 'src'\)"):
        run.spikes("ghost")
    with pytest.raises(sg.InvalidParameterError, match=r"'g_exc' of 'cells' was not recorded \(recorded: 'cells.v'\)"):
        run.trace("cells", "g_exc")
    with pytest.raises(sg.InvalidParameterError, match=r"weights of 'cells->cells' were not recorded"):
        run.weights("cells->cells")
    with pytest.raises(KeyError, match=r"run 'third' does not exist \(runs: 'first', 'second'\)"):
        sg.load(path)["third"]


def test_incomplete_and_staging_groups_are_skipped_but_listed(saved, tmp_path):
    path = copy_of(saved, tmp_path)
    with h5py.File(path, "a") as f:
        f.copy("first", "crashed")
        f["crashed"].attrs["complete"] = np.int64(0)
        f.copy("first", "~writing~third")  # complete, but never renamed into place
        f.copy("first", "unmarked")
        del f["unmarked"].attrs["complete"]
    results = sg.load(path)
    assert results.runs == ["first", "second"]
    assert results.incomplete == ["crashed", "unmarked", "~writing~third"]
    assert "crashed" not in results
    with pytest.raises(KeyError, match=r"run 'crashed' is incomplete"):
        results["crashed"]


def test_no_handle_is_kept_so_runs_can_be_added_while_loaded(saved, tmp_path):
    path = copy_of(saved, tmp_path)
    results = sg.load(path)
    simulate(seed=3).save(path, group="later")
    assert len(results["first"].spikes("cells")) == len(saved[1]["first"].spikes("cells"))
    assert sg.load(path).runs == ["first", "later", "second"]


def make_sweep(path):
    """Four sweep points over (drive, seed), saved out of order, and one ordinary run."""
    points = [(index, drive, float(seed)) for index, (drive, seed) in
              enumerate([(0.9, 1), (0.9, 2), (1.3, 1), (1.3, 2)])]
    sims = {}
    for index, drive, seed in [points[2], points[0], points[3], points[1]]:
        sims[f"point_{index:04d}"] = sim = simulate(seed=int(seed) + 10 * index, drive=drive)
        sim.save(path, group=f"point_{index:04d}")
    with h5py.File(path, "a") as f:
        for index, drive, seed in points:
            attrs = f[f"point_{index:04d}"].attrs
            attrs["sweep_index"] = np.int64(index)
            attrs["repetition"] = np.int64(0)
            attrs["experiment"] = "drive_scan"
            attrs["axes"] = "drive,seed"
            attrs["axis:drive"] = drive
            attrs["axis:seed"] = seed
    sims["baseline"] = simulate(seed=5)
    sims["baseline"].save(path, group="baseline")
    return sims


def test_sweep_points_table_has_axes_and_statistics_per_population(tmp_path):
    path = tmp_path / "sweep.h5"
    sims = make_sweep(path)
    results = sg.load(path)
    assert results.runs == ["point_0000", "point_0001", "point_0002", "point_0003", "baseline"]
    run = results["point_0002"]
    assert run.parameters == {"drive": 1.3, "seed": 1.0}
    assert (run.sweep_index, run.repetition, run.experiment) == (2, 0, "drive_scan")
    table = results.points
    assert results.points is table
    assert list(table.columns) == [
        "run", "sweep_index", "repetition", "seed", "drive", "axis:seed",  # an axis named like a column moves aside
        "rate_cells", "cv_cells", "synchrony_cells", "spikes_cells",
        "rate_src", "cv_src", "synchrony_src", "spikes_src", "rate"]
    assert list(table["run"]) == results.runs
    assert list(table["sweep_index"].iloc[:4]) == [0, 1, 2, 3] and table["sweep_index"].isna().iloc[4]
    assert list(table["drive"].iloc[:4]) == [0.9, 0.9, 1.3, 1.3] and np.isnan(table["drive"].iloc[4])
    assert list(table["axis:seed"].iloc[:4]) == [1.0, 2.0, 1.0, 2.0]
    for _, row in table.iterrows():
        sim = sims[row["run"]]
        assert row["seed"] == sim.run_info()["seed"]
        total_spikes = total_neurons = 0
        for population in ("cells", "src"):
            spikes = sim.spikes(population)
            assert row[f"rate_{population}"] == sg.mean_rate(spikes, DURATION)
            assert row[f"cv_{population}"] == pytest.approx(sg.isi_cv(spikes), nan_ok=True)
            assert row[f"synchrony_{population}"] == pytest.approx(sg.synchrony(spikes, DURATION), nan_ok=True)
            assert row[f"spikes_{population}"] == len(spikes)
            total_spikes, total_neurons = total_spikes + len(spikes), total_neurons + len(spikes.neurons)
        assert row["rate"] == pytest.approx(total_spikes / (total_neurons * DURATION * 1e-3), rel=1e-12)
    stronger_drive = table[table["drive"] == 1.3]["rate_cells"].mean()
    assert stronger_drive > table[table["drive"] == 0.9]["rate_cells"].mean()


def test_sweep_axis_without_its_value_is_reported(saved, tmp_path):
    path = copy_of(saved, tmp_path)
    with h5py.File(path, "a") as f:
        f["first"].attrs["axes"] = "drive"
    with pytest.raises(sg.SpikegraphIOError, match=r"run 'first' lists axis 'drive' .* no attribute 'axis:drive'"):
        sg.load(path)["first"].parameters


def assert_refused(path, reason):
    with pytest.raises(sg.SpikegraphIOError, match=re.escape(f"'{path}'") + ".*" + reason):
        sg.load(path)


@pytest.mark.parametrize("keep", [0.0, 0.0005, 0.01, 0.1, 0.5, 0.9, 0.999])
def test_truncated_copies_are_refused(saved, tmp_path, keep):
    data = saved[0].read_bytes()
    path = tmp_path / "truncated.h5"
    path.write_bytes(data[:int(len(data) * keep)])
    assert_refused(path, "empty|not an HDF5 file|truncated|damaged")


def test_random_bytes_empty_files_and_damaged_headers_are_refused(tmp_path):
    noise = np.random.default_rng(4).integers(0, 256, 20000, dtype=np.uint8).tobytes()
    (tmp_path / "noise.h5").write_bytes(noise)
    assert_refused(tmp_path / "noise.h5", "is not an HDF5 file")
    (tmp_path / "empty.h5").write_bytes(b"")
    assert_refused(tmp_path / "empty.h5", "is empty")
    (tmp_path / "header.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + noise)  # the signature, then garbage
    assert_refused(tmp_path / "header.h5", "is (damaged|truncated) and cannot be opened")
    (tmp_path / "folder.h5").mkdir()
    assert_refused(tmp_path / "folder.h5", "is a directory")


def test_hdf5_files_of_another_kind_or_a_newer_version_are_refused(saved, tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["data"] = np.arange(3)
    assert_refused(other, r"not a spikegraph results file \(it has no 'format' attribute\)")
    with h5py.File(other, "a") as f:
        f.attrs["format"] = "someone-else"
    assert_refused(other, r"not a spikegraph results file \(its format is 'someone-else'\)")
    newer = copy_of(saved, tmp_path)
    with h5py.File(newer, "a") as f:
        f.attrs["format_version"] = np.int64(2)
    assert_refused(newer, r"format version 2, newer than this spikegraph reads \(1\)")


@pytest.mark.skipif(os.environ.get("HDF5_USE_FILE_LOCKING", "").upper() == "FALSE", reason="HDF5 file locking is off")
def test_a_file_another_process_is_writing_is_refused(saved, tmp_path):
    path = copy_of(saved, tmp_path)
    writer = subprocess.Popen([sys.executable, "-c", "import sys, h5py\n"
                               f"f = h5py.File({str(path)!r}, 'a'); print('open', flush=True); sys.stdin.readline()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        assert_refused(path, "is locked by a process writing to it")
    finally:
        writer.communicate("done\n", timeout=10)
    assert sg.load(path).runs == ["first", "second"]


def test_a_missing_file_is_not_found(tmp_path):
    path = tmp_path / "absent.h5"
    with pytest.raises(FileNotFoundError, match=re.escape(str(path))):
        sg.load(path)


def test_damaged_datasets_are_reported_when_read(tmp_path):
    net = sg.Network()
    cells = net.add_population("cells", "cuba_lif", 300, i_offset=3.0, v=sg.Uniform(-65.0, -50.0))
    net.record(cells)
    sim = sg.compile(net, dt=0.1, seed=1, threads=1)
    sim.run(DURATION)
    assert len(sim.spikes(cells)) >= 4096  # so the datasets are compressed chunks
    path = tmp_path / "damaged.h5"
    sim.save(path, group="broken")
    sim.save(path, group="missing")
    sim.save(path, group="mismatched")
    with h5py.File(path, "a") as f:
        chunk = f["broken/spikes/cells/times"].id.get_chunk_info(0)
        del f["missing/spikes/cells/senders"]
        del f["mismatched/spikes/cells/senders"]
        f["mismatched/spikes/cells/senders"] = np.zeros(5, dtype=np.uint32)
    with open(path, "r+b") as raw:
        raw.seek(chunk.byte_offset + chunk.size // 2)
        raw.write(b"\xff" * 64)
    results = sg.load(path)  # attributes are intact: the damage shows when the data is read
    assert results.runs == ["broken", "mismatched", "missing"]
    with pytest.raises(sg.SpikegraphIOError, match=r"run 'broken', 'spikes/cells/times' cannot be read"):
        results["broken"].spikes("cells")
    with pytest.raises(sg.SpikegraphIOError, match=r"run 'missing', 'spikes/cells/senders' cannot be read"):
        results["missing"].spikes("cells")
    with pytest.raises(sg.SpikegraphIOError, match=r"run 'mismatched', 'spikes/cells/senders' is damaged: shape"):
        results["mismatched"].spikes("cells")
    with pytest.raises(sg.SpikegraphIOError, match=re.escape(f"'{path}'") + r", run 'broken'"):
        results.points


SEED = os.path.join(os.path.dirname(__file__), "..", "fuzz", "corpus", "results", "two_repetitions.h5")


@pytest.mark.parametrize("offset, value, why", [
    (0xc91, 0x00, "did not finish"),    # the global heap loops forever (libhdf5 1.10.8 and HDF5 2.0)
    (0x4854, 0x00, "failed reading"),   # libhdf5 1.10.8 segfaults decoding an attribute
])
def test_files_that_break_the_hdf5_library_are_reported_not_hung_on(tmp_path, offset, value, why):
    data = bytearray(open(SEED, "rb").read())
    data[offset] = value
    path = tmp_path / "damaged.h5"
    path.write_bytes(bytes(data))
    start = time.monotonic()
    with pytest.raises(sg.SpikegraphIOError, match=f"damaged.h5' is damaged: .*{why}"):
        sg.load(path, timeout=3)
    assert time.monotonic() - start < 30
    assert len(sg.load(SEED).runs) == 2  # the undamaged seed loads
