"""The HDF5 results file, read back with h5py alone, follows docs/hdf5_schema.md."""
import h5py
import numpy as np
import pytest

import spikegraph as sg


def run_network():
    net = sg.Network()
    src = net.add_poisson_source("src", 40, rate=30.0)
    cells = net.add_population("cells", "coba_lif", 30, i_offset=0.6, v=sg.Normal(-65.0, 2.0))
    net.connect(src, cells, sg.FixedProbability(0.3), weight=0.01, delay=sg.Uniform(0.5, 1.5))
    net.record(src)
    net.record(cells)
    net.record(cells, "g_exc", neurons=[2, 4], interval=0.5)
    sim = sg.compile(net, dt=0.1, seed=7, threads=1)
    sim.run(250.0)
    return sim


def test_file_holds_spikes_state_network_and_provenance(tmp_path):
    sim = run_network()
    path = tmp_path / "out.h5"
    sim.save(path)
    with h5py.File(path, "r") as f:
        assert f.attrs["format"] == "spikegraph-results"
        assert f.attrs["format_version"] == 1
        run = f["run"]
        assert run.attrs["complete"] == 1
        assert run.attrs["backend"] == "cpu"
        assert run.attrs["precision"] == "float"
        assert run.attrs["dt"] == pytest.approx(0.1)
        assert run.attrs["duration"] == pytest.approx(250.0)
        assert run.attrs["seed"] == 7
        assert run.attrs["spikegraph_version"] == sg.__version__
        spikes = sim.spikes("cells")
        assert np.array_equal(run["spikes/cells/times"][()], spikes.times)
        assert np.array_equal(run["spikes/cells/senders"][()], spikes.senders)
        assert run["spikes/cells"].attrs["population_size"] == 30
        trace = sim.trace("cells", "g_exc")
        g = run["state/cells/g_exc"]
        assert g.attrs["unit"] == "uS" and g.attrs["interval"] == pytest.approx(0.5)
        assert np.array_equal(g["values"][()], trace.values)
        assert np.array_equal(g["neurons"][()], [2, 4])
        cells = run["network/populations/cells"]
        assert cells.attrs["model"] == "coba_lif" and cells.attrs["size"] == 30
        assert cells.attrs["i_offset"] == pytest.approx(0.6)
        assert cells.attrs["tau_m"] == pytest.approx(20.0)  # the model default, written out
        assert cells.attrs["v_initial"] == "normal(-65, 2)"
        projection = run["network/projections/src->cells"]
        assert projection.attrs["connector"] == "fixed_probability(p=0.3)"
        assert projection.attrs["delay"] == "uniform(0.5, 1.5)"
        assert projection.attrs["n_synapses"] == len(sim.synapses("src->cells"))


def test_groups_are_added_never_silently_replaced(tmp_path):
    sim = run_network()
    path = tmp_path / "runs.h5"
    sim.save(path, group="first")
    sim.save(path, group="second")
    with pytest.raises(sg.SpikegraphIOError, match=r"already holds a group 'first'"):
        sim.save(path, group="first")
    sim.save(path, group="first", overwrite=True)
    with h5py.File(path, "r") as f:
        assert set(f.keys()) == {"first", "second"}
        assert all(f[g].attrs["complete"] == 1 for g in f)


def test_a_file_that_is_not_hdf5_is_not_overwritten(tmp_path):
    sim = run_network()
    path = tmp_path / "notes.h5"
    path.write_text("do not lose me")
    with pytest.raises(sg.SpikegraphIOError, match="not an HDF5 file"):
        sim.save(path)
    assert path.read_text() == "do not lose me"
