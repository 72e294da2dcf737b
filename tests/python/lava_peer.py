#!/usr/bin/env python3
"""Run a small network in Intel Lava's bit-accurate CPU models and dump spikes and state.

A side-by-side peer for spikegraph's Loihi emulator. It never imports spikegraph: it
runs in its own environment (lava-nc 0.10.0, numpy<2), usually

    .venv-lava/bin/python tests/python/lava_peer.py in.json out.npz [--quiet] [--lava-probes]

Input JSON:
  {"steps": T,
   "populations": [{"name", "size": N, "du": 0..4095, "dv": 0..4095, "vth": int,
                    "bias_mant": [N ints], "bias_exp": [N ints], "probe_state": bool}],
   "sources":     [{"name", "size": N, "spikes": [[step, neuron], ...]}],
   "projections": [{"pre", "post", "weights": [[...]] (post x pre),
                    "weight_exp": int, "num_weight_bits": int (default 8),
                    "sign_mode": "mixed"|"excitatory"|"inhibitory",
                    "delays": null or [[...]] (post x pre, 0..62 -> DelayDense)}]}

Populations are lava.proc.lif.process.LIF run with PyLifModelBitAcc, projections Dense /
DelayDense with PyDenseModelBitAcc / PyDelayDenseModelBitAcc (Loihi1SimCfg with
select_tag="fixed_pt", the classes pinned through exception_proc_model_map and checked
after the run). Sources are lava.proc.io.source.RingBuffer (PySendModelFixed): column s
of its data goes out at Lava time step s + 1, i.e. a source spike at 0-based step s is
sent at Lava step s + 1.

Recording. By default each population runs as RecordingLIF / RecordingPyLifModelBitAcc:
Lava's PyLifModelBitAcc.run_spk unchanged, followed by a copy of s_out, u and v into
numpy buffers that the neuron process writes to a file after its last step; source
spikes go through a Lava channel into a SpikeRecorder process that does the same.
Lava's own Var.get() moves data one element per channel message (about 0.1 ms each),
which made reading back 10,000 steps of state take longer than simulating them.
--lava-probes records with Lava's sink.RingBuffer and sink.Read processes and Var.get()
instead (slow; for cross-checking the recording, which gives identical arrays).

Output npz (all int64):
  spikes_<name>  (K, 2) rows (step, neuron), step 0-based (Lava step t -> t - 1), sorted
                 by step then neuron; for every population and every source (the source's
                 as received from Lava's RingBuffer).
  u_<name>, v_<name>  (T, N) state after each step, for populations with probe_state.
  steps          scalar T.
The ProcessModel classes used are printed, one line per process, unless --quiet.
"""

import copy
import dataclasses
import json
import os
import sys
import tempfile
import time


def _allow_dataclass_instance_defaults():
    """lava-nc 0.10.0 declares Python <3.11. The one thing that breaks on 3.11 is
    lava/magma/compiler/var_model.py, whose dataclasses CoreEncoder, ChipEncoder and
    AxonEncoder use `ByteEncoder()` instances as field defaults; Python 3.11 rejects
    unhashable defaults with "ValueError: mutable default ... use default_factory".
    Turn such defaults into default_factory fields (a copy per instance). Touches no
    other dataclass, and nothing at all on Python <= 3.10."""
    if sys.version_info < (3, 11) or getattr(dataclasses, "_lava_peer_shim", False):
        return
    orig = dataclasses._get_field

    def _get_field(cls, a_name, a_type, *args, **kwargs):
        default = cls.__dict__.get(a_name, dataclasses.MISSING)
        if (default is not dataclasses.MISSING
                and not isinstance(default, (dataclasses.Field, type))
                and dataclasses.is_dataclass(default)
                and type(default).__hash__ is None):
            setattr(cls, a_name, dataclasses.field(
                default_factory=lambda d=default: copy.deepcopy(d)))
        return orig(cls, a_name, a_type, *args, **kwargs)

    dataclasses._get_field = _get_field
    dataclasses._lava_peer_shim = True


_allow_dataclass_instance_defaults()

import numpy as np  # noqa: E402

from lava.magma.core.decorator import implements, requires, tag  # noqa: E402
from lava.magma.core.model.py.model import PyLoihiProcessModel  # noqa: E402
from lava.magma.core.model.py.ports import PyInPort  # noqa: E402
from lava.magma.core.model.py.type import LavaPyType  # noqa: E402
from lava.magma.core.process.ports.ports import InPort  # noqa: E402
from lava.magma.core.process.process import AbstractProcess  # noqa: E402
from lava.magma.core.resources import CPU  # noqa: E402
from lava.magma.core.run_conditions import RunSteps  # noqa: E402
from lava.magma.core.run_configs import Loihi1SimCfg  # noqa: E402
from lava.magma.core.sync.protocols.loihi_protocol import LoihiProtocol  # noqa: E402
from lava.proc.dense.models import PyDelayDenseModelBitAcc, PyDenseModelBitAcc  # noqa: E402
from lava.proc.dense.process import DelayDense, Dense  # noqa: E402
from lava.proc.io import sink as lava_sink  # noqa: E402
from lava.proc.io import source as lava_source  # noqa: E402
from lava.proc.io.sink import PyReadFixed, PyReceiveModelFixed  # noqa: E402
from lava.proc.io.source import PySendModelFixed  # noqa: E402
from lava.proc.lif.models import PyLifModelBitAcc  # noqa: E402
from lava.proc.lif.process import LIF  # noqa: E402
from lava.utils.weightutils import SignMode  # noqa: E402

SIGN_MODES = {"mixed": SignMode.MIXED, "excitatory": SignMode.EXCITATORY,
              "inhibitory": SignMode.INHIBITORY}


class RecordingLIF(LIF):
    """Lava's LIF with three extra proc_params for the recording model: the number of
    steps, whether to keep u and v, and the file to write after the last step."""

    def __init__(self, *, steps, probe_state, dump, **kwargs):
        super().__init__(steps=steps, probe_state=probe_state, dump=dump, **kwargs)


@requires(CPU)
@tag("bit_accurate_loihi", "fixed_pt")
class RecordingPyLifModelBitAcc(PyLifModelBitAcc):
    """PyLifModelBitAcc with its run_spk unchanged, plus a copy of what the step gave.
    Lava's @implements refuses to re-target a subclass of a decorated model, hence the
    plain attribute below; the run config maps the processes to this class explicitly."""

    def __init__(self, proc_params):
        super().__init__(proc_params)
        T, n = proc_params["steps"], proc_params["shape"][0]
        self._rec_spk = np.zeros((T, n), dtype=np.int8)
        self._rec_uv = proc_params["probe_state"]
        if self._rec_uv:
            self._rec_u = np.zeros((T, n), dtype=np.int64)
            self._rec_v = np.zeros((T, n), dtype=np.int64)

    def run_spk(self):
        super().run_spk()
        i = self.time_step - 1
        self._rec_spk[i] = self.s_out_buff
        if self._rec_uv:
            self._rec_u[i] = self.u
            self._rec_v[i] = self.v
        if self.time_step == self._rec_spk.shape[0]:
            out = {"spk": self._rec_spk}
            if self._rec_uv:
                out.update(u=self._rec_u, v=self._rec_v)
            np.savez(self.proc_params["dump"], **out)


RecordingPyLifModelBitAcc.implements_process = RecordingLIF


class SpikeRecorder(AbstractProcess):
    """Receives spikes through a Lava channel and writes them to a file after the last
    step (instead of lava.proc.io.sink.RingBuffer + Var.get())."""

    def __init__(self, *, shape, steps, dump, name=None):
        super().__init__(shape=shape, steps=steps, dump=dump, name=name)
        self.a_in = InPort(shape=shape)


@implements(proc=SpikeRecorder, protocol=LoihiProtocol)
@requires(CPU)
@tag("fixed_pt")
class PySpikeRecorderModel(PyLoihiProcessModel):
    a_in: PyInPort = LavaPyType(PyInPort.VEC_DENSE, np.int32)

    def __init__(self, proc_params):
        super().__init__(proc_params)
        self._rec = np.zeros((proc_params["steps"],) + tuple(proc_params["shape"]),
                             dtype=np.int64)

    def run_spk(self):
        self._rec[self.time_step - 1] = self.a_in.recv()
        if self.time_step == self._rec.shape[0]:
            np.savez(self.proc_params["dump"], spk=self._rec)


# What each kind of process must run as; checked after the run.
EXPECTED_MODELS = {
    LIF: PyLifModelBitAcc,
    RecordingLIF: RecordingPyLifModelBitAcc,
    Dense: PyDenseModelBitAcc,
    DelayDense: PyDelayDenseModelBitAcc,
    lava_source.RingBuffer: PySendModelFixed,
    SpikeRecorder: PySpikeRecorderModel,
    lava_sink.RingBuffer: PyReceiveModelFixed,
    lava_sink.Read: PyReadFixed,
}


def _int_matrix(rows, shape, what):
    a = np.asarray(rows, dtype=np.int64)
    if a.shape != shape:
        raise ValueError(f"{what}: shape {a.shape}, expected {shape}")
    return a


def build(spec, tmpdir, lava_probes=False):
    """Create the Lava processes. Returns (T, components, recorders): components is a
    list of process lists, one per weakly connected part of the network (Lava compiles
    and runs only what is connected to the process whose run() is called); a recorder is
    (output key, kind, where): kind "spikes"/"state" with `where` a Lava Var holding
    (N, T) data, or kind "dump" with `where` = (file, {output key: array name})."""
    T = int(spec["steps"])
    if T < 1:
        raise ValueError("steps must be >= 1")
    nodes = {}      # name -> (process, size)
    recorders = []
    procs = []
    owner = {}      # id(process) -> node name whose component it is in
    parent = {}     # union-find over node names

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def record_spikes(name, n, out_port):
        if lava_probes:
            rec = lava_sink.RingBuffer(shape=(n,), buffer=T)
            rec.name = f"spikes_{name}"
            recorders.append((f"spikes_{name}", "spikes", rec.data))
        else:
            dump = os.path.join(tmpdir, f"spikes_{len(procs)}.npz")
            rec = SpikeRecorder(shape=(n,), steps=T, dump=dump, name=f"spikes_{name}")
            recorders.append((None, "dump", (dump, {"spk": f"spikes_{name}"})))
        out_port.connect(rec.a_in)
        procs.append(rec)
        owner[id(rec)] = name

    for p in spec.get("populations", []):
        name, n = p["name"], int(p["size"])
        if name in nodes:
            raise ValueError(f"duplicate name {name!r}")
        bias_mant = np.asarray(p.get("bias_mant", [0] * n), dtype=np.int64)
        bias_exp = np.asarray(p.get("bias_exp", [0] * n), dtype=np.int64)
        if bias_mant.shape != (n,) or bias_exp.shape != (n,):
            raise ValueError(f"population {name}: bias_mant/bias_exp need {n} entries")
        probe = bool(p.get("probe_state", False))
        parent[name] = name
        kw = dict(shape=(n,), du=int(p["du"]), dv=int(p["dv"]), vth=int(p["vth"]),
                  bias_mant=bias_mant, bias_exp=bias_exp, name=f"lif_{name}")
        if lava_probes:
            lif = LIF(**kw)
            procs.append(lif)
            record_spikes(name, n, lif.s_out)
            if probe:
                for var in ("u", "v"):
                    rd = lava_sink.Read(buffer=T)
                    rd.name = f"{var}_{name}"
                    rd.connect_var(getattr(lif, var))
                    recorders.append((f"{var}_{name}", "state", rd.data))
                    procs.append(rd)
                    owner[id(rd)] = name
        else:
            dump = os.path.join(tmpdir, f"lif_{len(procs)}.npz")
            lif = RecordingLIF(steps=T, probe_state=probe, dump=dump, **kw)
            procs.append(lif)
            names = {"spk": f"spikes_{name}"}
            if probe:
                names.update(u=f"u_{name}", v=f"v_{name}")
            recorders.append((None, "dump", (dump, names)))
        nodes[name] = (lif, n)
        owner[id(lif)] = name

    for s in spec.get("sources", []):
        name, n = s["name"], int(s["size"])
        if name in nodes:
            raise ValueError(f"duplicate name {name!r}")
        data = np.zeros((n, T), dtype=np.int64)
        for step, neuron in s.get("spikes", []):
            if not (0 <= step < T and 0 <= neuron < n):
                raise ValueError(f"source {name}: spike ({step}, {neuron}) out of range")
            data[neuron, step] = 1
        src = lava_source.RingBuffer(data=data)
        src.name = f"src_{name}"
        nodes[name] = (src, n)
        parent[name] = name
        procs.append(src)
        owner[id(src)] = name
        record_spikes(name, n, src.s_out)

    for i, c in enumerate(spec.get("projections", [])):
        pre, n_pre = nodes[c["pre"]]
        post, n_post = nodes[c["post"]]
        if not isinstance(post, LIF):
            raise ValueError(f"projection {i}: post {c['post']!r} is not a population")
        w = _int_matrix(c["weights"], (n_post, n_pre), f"projection {i} weights")
        kw = dict(weights=w, weight_exp=int(c.get("weight_exp", 0)),
                  num_weight_bits=int(c.get("num_weight_bits", 8)),
                  sign_mode=SIGN_MODES[c.get("sign_mode", "mixed")],
                  name=f"proj{i}_{c['pre']}_{c['post']}")
        if c.get("delays") is not None:
            d = _int_matrix(c["delays"], (n_post, n_pre), f"projection {i} delays")
            conn = DelayDense(delays=d.astype(int), **kw)
        else:
            conn = Dense(**kw)
        pre.s_out.connect(conn.s_in)
        conn.a_out.connect(post.a_in)
        procs.append(conn)
        owner[id(conn)] = c["post"]
        parent[root(c["pre"])] = root(c["post"])
    components = {}
    for p in procs:
        components.setdefault(root(owner[id(p)]), []).append(p)
    return T, list(components.values()), recorders


def _spike_list(data_nt):
    """(N, T) 0/1 array -> (K, 2) int64 rows (step, neuron) sorted by step, neuron."""
    if data_nt.size and (data_nt.min() < 0 or data_nt.max() > 1):
        raise RuntimeError("non-binary spike values")
    neuron, step = np.nonzero(data_nt)
    order = np.lexsort((neuron, step))
    return np.stack([step[order], neuron[order]], axis=1).astype(np.int64)


def run(spec, quiet=False, lava_probes=False):
    with tempfile.TemporaryDirectory(prefix="lava_peer_") as tmpdir:
        T, components, recorders = build(spec, tmpdir, lava_probes)
        procs = [p for comp in components for p in comp]
        if not procs:
            raise ValueError("empty network")
        pinned = {LIF: PyLifModelBitAcc, Dense: PyDenseModelBitAcc,
                  DelayDense: PyDelayDenseModelBitAcc,
                  RecordingLIF: RecordingPyLifModelBitAcc,
                  SpikeRecorder: PySpikeRecorderModel}
        # The run config looks classes up; the compiler looks process objects up first.
        exceptions = dict(pinned)
        exceptions.update({p: pinned[type(p)] for p in procs if type(p) in pinned})
        cfg = Loihi1SimCfg(select_tag="fixed_pt", exception_proc_model_map=exceptions)
        out = {"steps": np.int64(T)}
        models = {}
        t_run = t_read = 0.0
        for comp in components:
            t0 = time.perf_counter()
            comp[0].run(condition=RunSteps(num_steps=T), run_cfg=cfg)
            t1 = time.perf_counter()
            t_run += t1 - t0
            try:
                mine = {id(p) for p in comp}
                for key, kind, where in recorders:
                    if kind == "dump" or id(where.process) not in mine:
                        continue
                    data = np.rint(np.asarray(where.get())).astype(np.int64)  # (N, T)
                    out[key] = _spike_list(data) if kind == "spikes" else data.T.copy()
                for p in comp:
                    cls = p.model_class
                    want = EXPECTED_MODELS.get(type(p))
                    if cls is None or (want is not None and cls is not want):
                        raise RuntimeError(f"{p.name}: ran as {cls!r}, expected {want!r}")
                    desc = f"{type(p).__name__} -> {cls.__module__}.{cls.__name__}"
                    if cls is RecordingPyLifModelBitAcc:
                        base = cls.__mro__[1]
                        desc += (f" (run_spk of {base.__module__}.{base.__name__}"
                                 " + recording)")
                    models[p.name] = desc
            finally:
                comp[0].stop()
            t_read += time.perf_counter() - t1
        t1 = time.perf_counter()
        for key, kind, where in recorders:
            if kind != "dump":
                continue
            path, names = where
            with np.load(path) as z:
                for arr, key in names.items():
                    a = z[arr].astype(np.int64)  # (T, N)
                    out[key] = _spike_list(a.T) if arr == "spk" else a
        t_read += time.perf_counter() - t1
    if not quiet:
        for name, m in models.items():
            print(f"lava_peer: {name}: {m}")
        print(f"lava_peer: {T} steps in {len(components)} run(s): compile+run {t_run:.2f} s"
              f" ({T / t_run:.0f} steps/s), read-out+stop {t_read:.2f} s")
    return out


def main(argv):
    flags = {"--quiet", "--lava-probes"}
    args = [a for a in argv[1:] if a not in flags]
    if len(args) != 2 or any(a.startswith("--") for a in args):
        print("usage: lava_peer.py in.json out.npz [--quiet] [--lava-probes]",
              file=sys.stderr)
        return 2
    with open(args[0]) as f:
        spec = json.load(f)
    out = run(spec, quiet="--quiet" in argv, lava_probes="--lava-probes" in argv)
    np.savez(args[1], **out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
