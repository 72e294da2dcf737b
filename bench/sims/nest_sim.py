"""Runs a benchmark case in NEST (iaf_cond_exp, iaf_psc_exp, iaf_psc_delta; RK45 for COBA)."""
from common import arguments, clock, finish, networks

args = arguments(__doc__)
start = clock()
import numpy as np  # noqa: E402
import nest  # noqa: E402

nest.set_verbosity("M_ERROR")
nest.ResetKernel()
nest.SetKernelStatus({"resolution": networks.DT, "local_num_threads": args.threads, "rng_seed": args.seed})

kind, n = networks.CASES[args.case]
transient = 0.0
if kind in ("coba", "cuba"):
    n_exc, n_inh, prob = networks.va_sizes(n)
    p = networks.COBA if kind == "coba" else networks.CUBA
    common = dict(C_m=p["c_m"] * 1000, tau_m=p["tau_m"], V_th=p["v_th"], V_reset=p["v_reset"], t_ref=p["t_ref"],
                  E_L=p["v_rest"], tau_syn_ex=p["tau_syn_e"], tau_syn_in=p["tau_syn_i"])
    if kind == "coba":
        model = "iaf_cond_exp"
        params = dict(common, g_L=p["c_m"] / p["tau_m"] * 1000, E_ex=p["e_rev_e"], E_in=p["e_rev_i"], I_e=p["i_offset"] * 1000)
        params.pop("tau_m")
        w_exc, w_inh = p["w_exc"] * 1000, -p["w_inh"] * 1000  # nS; negative weights are inhibitory
    else:
        model, params = "iaf_psc_exp", common
        w_exc, w_inh = p["w_exc"] * 1000, p["w_inh"] * 1000  # pA
    cells = nest.Create(model, n, params=params)
    cells.V_m = nest.random.uniform(p["v_reset"], p["v_th"])
    exc, inh = cells[:n_exc], cells[n_exc:]
    rule = {"rule": "pairwise_bernoulli", "p": prob}
    nest.Connect(exc, cells, rule, {"weight": w_exc, "delay": networks.DT})
    nest.Connect(inh, cells, rule, {"weight": w_inh, "delay": networks.DT})
    groups = [exc, inh]
elif kind == "brunel":
    b = networks.BRUNEL
    params = dict(C_m=1.0, tau_m=b["tau_m"], t_ref=b["t_ref"], E_L=0.0, V_reset=b["v_reset"], V_m=0.0, V_th=b["v_th"])
    exc = nest.Create("iaf_psc_delta", b["n_exc"], params=params)
    inh = nest.Create("iaf_psc_delta", b["n_inh"], params=params)
    drive = nest.Create("poisson_generator", params={"rate": networks.brunel_external_rate()})
    for post in (exc, inh):
        nest.Connect(exc, post, {"rule": "fixed_indegree", "indegree": b["c_e"], "allow_multapses": False},
                     {"weight": b["j"], "delay": b["delay"]})
        nest.Connect(inh, post, {"rule": "fixed_indegree", "indegree": b["c_i"], "allow_multapses": False},
                     {"weight": -b["g"] * b["j"], "delay": b["delay"]})
        nest.Connect(drive, post, syn_spec={"weight": b["j"], "delay": b["delay"]})
    groups = [exc, inh]
else:
    m = networks.MICROCIRCUIT
    c = m["neuron"]
    sizes, counts = networks.microcircuit_synapse_counts()
    params = dict(C_m=c["c_m"] * 1000, tau_m=c["tau_m"], tau_syn_ex=c["tau_syn"], tau_syn_in=c["tau_syn"],
                  t_ref=c["t_ref"], E_L=c["v_rest"], V_th=c["v_th"], V_reset=c["v_reset"])
    groups = []
    for size in sizes:
        g = nest.Create("iaf_psc_exp", size, params=params)
        g.V_m = nest.random.normal(c["v0_mean"], c["v0_sd"])
        groups.append(g)
    w_ext = networks.microcircuit_weight(0, 0) * 1000
    # NEST stores at most 2^27 connections per thread and synapse model: one copy of
    # static_synapse per source population keeps every model under that limit.
    for s in range(len(groups)):
        nest.CopyModel("static_synapse", f"static_from_{s}")
    for t, post in enumerate(groups):
        drive = nest.Create("poisson_generator", params={"rate": m["bg_rate"] * m["k_ext"][t]})
        nest.Connect(drive, post, syn_spec={"weight": w_ext, "delay": m["poisson_delay"]})
        for s, pre in enumerate(groups):
            if counts[t][s] == 0:
                continue
            w = networks.microcircuit_weight(t, s) * 1000
            weight = nest.math.redraw(nest.random.normal(w, abs(w) * m["psp_rel_sd"]),
                                      min=0.0 if w > 0 else -np.inf, max=np.inf if w > 0 else 0.0)
            d = m["delay_exc"] if s % 2 == 0 else m["delay_inh"]
            delay = nest.math.redraw(nest.random.normal(d, d * m["delay_rel_sd"]), min=networks.DT, max=np.inf)
            nest.Connect(pre, post, {"rule": "fixed_total_number", "N": counts[t][s], "allow_autapses": False,
                                     "allow_multapses": True},
                         {"synapse_model": f"static_from_{s}", "weight": weight, "delay": delay})
    transient = 100.0
recorder = nest.Create("spike_recorder")
for g in groups:
    nest.Connect(g, recorder)
nest.Prepare()
built = clock()
t0 = clock()
nest.Run(args.duration)
run_seconds = clock() - t0
nest.Cleanup()
events = recorder.get("events")
first = groups[0][0].global_id
times, senders = np.asarray(events["times"], dtype=float), np.asarray(events["senders"], dtype=np.int64) - first
order = np.argsort(times, kind="stable")
finish(args, "nest", built - start, run_seconds, times[order], senders[order], [len(g) for g in groups], transient)
