"""Runs a benchmark case in spikegraph. --option: coba integrator ("gauss_legendre" or "midpoint")."""
from common import arguments, clock, finish, networks

args = arguments(__doc__)
start = clock()
import numpy as np  # noqa: E402
import spikegraph as sg  # noqa: E402

kind, n = networks.CASES[args.case]
net = sg.Network()
transient = 0.0
extra = {}
if kind in ("coba", "cuba", "coba_stdp"):
    plastic = kind == "coba_stdp"
    kind = "coba" if plastic else kind
    p = dict(networks.COBA if kind == "coba" else networks.CUBA)
    n_exc, n_inh, prob = networks.va_sizes(n)
    w_exc, w_inh = p.pop("w_exc"), p.pop("w_inh")
    model = "coba_lif" if kind == "coba" else "cuba_lif"
    if kind == "coba" and args.option:
        p["integrator"] = args.option
    exc = net.add_population("exc", model, n_exc, v=sg.Uniform(p["v_reset"], p["v_th"]), **p)
    inh = net.add_population("inh", model, n_inh, v=sg.Uniform(p["v_reset"], p["v_th"]), **p)
    for post in (exc, inh):
        net.connect(exc, post, sg.FixedProbability(prob), weight=w_exc, receptor="excitatory", name=f"exc->{post.name}",
                    plasticity=sg.STDP(**networks.VA_STDP) if plastic else None)
        net.connect(inh, post, sg.FixedProbability(prob), weight=w_inh, receptor="inhibitory")
    populations = [exc, inh]
elif kind == "brunel":
    b = networks.BRUNEL
    cell = dict(tau_m=b["tau_m"], v_rest=0.0, v_th=b["v_th"], v_reset=b["v_reset"], t_ref=b["t_ref"], v=0.0)
    exc = net.add_population("exc", "lif", b["n_exc"], **cell)
    inh = net.add_population("inh", "lif", b["n_inh"], **cell)
    drive = net.add_population("drive", "poisson_generator", 1, rate=networks.brunel_external_rate())
    for post in (exc, inh):
        net.connect(exc, post, sg.FixedInDegree(b["c_e"]), weight=b["j"], delay=b["delay"])
        net.connect(inh, post, sg.FixedInDegree(b["c_i"]), weight=-b["g"] * b["j"], delay=b["delay"], receptor="inhibitory")
        net.connect(drive, post, sg.AllToAll(), weight=b["j"], delay=b["delay"])
    populations = [exc, inh]
else:
    m = networks.MICROCIRCUIT
    c = m["neuron"]
    sizes, counts = networks.microcircuit_synapse_counts()
    populations = [net.add_population(name, "cuba_lif", size, c_m=c["c_m"], tau_m=c["tau_m"], tau_syn_e=c["tau_syn"],
                                      tau_syn_i=c["tau_syn"], t_ref=c["t_ref"], v_rest=c["v_rest"], v_th=c["v_th"],
                                      v_reset=c["v_reset"], v=sg.Normal(c["v0_mean"], c["v0_sd"]))
                   for name, size in zip(m["populations"], sizes)]
    w_ext = networks.microcircuit_weight(0, 0)
    for t, post in enumerate(populations):
        drive = net.add_population(f"bg_{post.name}", "poisson_generator", 1, rate=m["bg_rate"] * m["k_ext"][t])
        net.connect(drive, post, sg.AllToAll(), weight=w_ext, delay=m["poisson_delay"])
        for s, pre in enumerate(populations):
            if counts[t][s] == 0:
                continue
            w = networks.microcircuit_weight(t, s)
            sd = abs(w) * m["psp_rel_sd"]
            weight = sg.NormalClipped(w, sd, 0.0, 1e9) if w > 0 else sg.NormalClipped(w, sd, -1e9, 0.0)
            mean_delay = m["delay_exc"] if s % 2 == 0 else m["delay_inh"]
            # Delays are redrawn below one step, as published; above 25 ms (> 30 sd) never occurs.
            delay = sg.NormalClipped(mean_delay, mean_delay * m["delay_rel_sd"], networks.DT, 25.0)
            net.connect(pre, post, sg.FixedTotalNumber(counts[t][s], allow_self_connections=False, allow_multapses=True),
                        weight=weight, delay=delay, receptor="excitatory" if s % 2 == 0 else "inhibitory")
    transient = 100.0
for p in populations:
    net.record(p, "spikes")
sim = sg.compile(net, dt=networks.DT, seed=args.seed, threads=args.threads)
built = clock()
run_seconds = sim.run(args.duration, progress=False)
times, senders, offset = [], [], 0
for p in populations:
    s = sim.spikes(p)
    times.append(s.times)
    senders.append(s.senders.astype(np.int64) + offset)
    offset += len(p)
order = np.argsort(np.concatenate(times), kind="stable")
report = sim.report()
if kind == "coba" and plastic:
    w = np.concatenate([sim.weights("exc->exc"), sim.weights("exc->inh")])
    extra = {"w_mean": float(w.mean()), "w_sd": float(w.std()), "w_low": float(np.mean(w < 0.1 * w.max()))}
finish(args, "spikegraph" + (f" ({args.option})" if args.option else ""), built - start, run_seconds,
       np.concatenate(times)[order], np.concatenate(senders)[order], [len(p) for p in populations], transient,
       dict(extra, synapses=report["synapses"], synapse_bytes=report["synapse_memory"]))
