"""Runs a benchmark case in Brian2. --option: "standalone" (C++ standalone, default) or "cython".
Equations as in Brian2's own benchmark scripts (Euler for COBA, exact for the linear models)."""
import os
import shutil
import tempfile

from common import arguments, clock, finish, networks

args = arguments(__doc__)
start = clock()
import numpy as np  # noqa: E402
import brian2 as b2  # noqa: E402
from brian2 import ms, mV, Hz  # noqa: E402

mode = args.option or "standalone"
build_dir = tempfile.mkdtemp(prefix="brian2_bench_")
if mode == "standalone":
    b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    if args.threads > 1:
        b2.prefs.devices.cpp_standalone.openmp_threads = args.threads
else:
    b2.prefs.codegen.target = "cython"
b2.defaultclock.dt = networks.DT * ms
b2.seed(args.seed)

kind, n = networks.CASES[args.case]
plastic = kind == "coba_stdp"
kind = "coba" if plastic else kind
if kind in ("coba", "cuba"):
    n_exc, n_inh, prob = networks.va_sizes(n)
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr = -50 * mV, -60 * mV
    if kind == "coba":
        El, Ee, Ei, I = -60 * mV, 0 * mV, -80 * mV, 20 * mV
        eqs = """dv/dt = (ge*(Ee-v) + gi*(Ei-v) - (v-El) + I)*(1./taum) : volt (unless refractory)
                 dge/dt = -ge/taue : 1
                 dgi/dt = -gi/taui : 1"""
        method, we, wi = "euler", 0.6, 6.7  # 6 and 67 nS relative to g_l = 10 nS
    else:
        El = -49 * mV
        eqs = """dv/dt = (ge+gi-(v-El))/taum : volt (unless refractory)
                 dge/dt = -ge/taue : volt
                 dgi/dt = -gi/taui : volt"""
        method, we, wi = "exact", 1.62 * mV, -9 * mV
    P = b2.NeuronGroup(n, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method=method)
    P.v = "Vr + rand() * (Vt - Vr)"
    if plastic:  # weights relative to g_l = 0.01 uS, as we and wi
        s = networks.VA_STDP
        w_max = s["w_max"] / 0.01
        Ce = b2.Synapses(P[:n_exc], P, """w : 1
                                          dapre/dt = -apre/taupre : 1 (event-driven)
                                          dapost/dt = -apost/taupost : 1 (event-driven)""",
                         on_pre="ge += w\napre += dapre_step\nw = clip(w + apost, 0, wmax)",
                         on_post="apost += dapost_step\nw = clip(w + apre, 0, wmax)",
                         namespace={"taupre": s["tau_plus"] * ms, "taupost": s["tau_minus"] * ms, "wmax": w_max,
                                    "dapre_step": s["a_plus"] * w_max, "dapost_step": -s["a_minus"] * w_max})
    else:
        Ce = b2.Synapses(P[:n_exc], P, on_pre="ge += we")
    Ci = b2.Synapses(P[n_exc:], P, on_pre="gi += wi")
    Ce.connect(p=prob)
    Ci.connect(p=prob)
    if plastic:
        Ce.w = we
    sizes = [n_exc, n_inh]
    objects = [P, Ce, Ci]
elif kind == "brunel":
    b = networks.BRUNEL
    tau, theta, Vr, J = b["tau_m"] * ms, b["v_th"] * mV, b["v_reset"] * mV, b["j"] * mV
    total = b["n_exc"] + b["n_inh"]
    P = b2.NeuronGroup(total, "dv/dt = -v/tau : volt (unless refractory)", threshold="v>theta", reset="v = Vr",
                       refractory=b["t_ref"] * ms, method="exact")
    rng = np.random.default_rng(args.seed)
    pre_e = np.concatenate([rng.choice(b["n_exc"], b["c_e"], replace=False) for _ in range(total)])
    pre_i = np.concatenate([rng.choice(b["n_inh"], b["c_i"], replace=False) for _ in range(total)])
    Ce = b2.Synapses(P[:b["n_exc"]], P, on_pre="v += J", delay=b["delay"] * ms)
    Ce.connect(i=pre_e, j=np.repeat(np.arange(total), b["c_e"]))
    Ci = b2.Synapses(P[b["n_exc"]:], P, on_pre="v -= g*J", delay=b["delay"] * ms, namespace={"g": b["g"], "J": J})
    Ci.connect(i=pre_i, j=np.repeat(np.arange(total), b["c_i"]))
    ext = b2.PoissonInput(P, "v", N=b["c_e"], rate=networks.brunel_external_rate() / b["c_e"] * Hz, weight=J)
    sizes = [b["n_exc"], b["n_inh"]]
    objects = [P, Ce, Ci, ext]
else:
    raise SystemExit("brian2_sim: the microcircuit is not run in Brian2 (see bench/README.md)")

monitor = b2.SpikeMonitor(P)
net = b2.Network(*objects, monitor)
if mode == "standalone":
    net.run(args.duration * ms)
    built_before_compile = clock()
    b2.device.build(directory=build_dir, compile=True, run=True, debug=False)
    run_seconds = b2.device._last_run_time
    built = clock() - run_seconds  # construction and compilation: everything but the run
else:
    net.run(0 * ms)  # compiles the code objects
    built = clock()
    t0 = clock()
    net.run(args.duration * ms)
    run_seconds = clock() - t0
times, senders = np.asarray(monitor.t / ms), np.asarray(monitor.i)
extra = {}
if plastic:
    w = np.asarray(Ce.w[:]) * 0.01  # uS
    extra = {"w_mean": float(w.mean()), "w_sd": float(w.std()), "w_low": float(np.mean(w < 0.1 * w.max()))}
finish(args, f"brian2 {mode}", built - start, run_seconds, times, senders, sizes, extra=extra)
shutil.rmtree(build_dir, ignore_errors=True)
