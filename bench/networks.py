"""Benchmark networks, described once as plain data; bench/sims/*.py build them in each simulator.

Units: ms, mV, nA, nF, uS, Hz. Every network uses dt = 0.1 ms.
"""
import math

DT = 0.1

# Vogels-Abbott networks as in Brette et al. (2007), benchmarks 1 and 2, in the form the Brian2,
# ANNarchy and GeNN benchmark suites use: 80% excitatory, fan-in kept at 80 (p = 80 / N),
# membrane potentials starting uniformly between reset and threshold, no external input.
VA_COMMON = dict(tau_m=20.0, c_m=0.2, v_th=-50.0, v_reset=-60.0, t_ref=5.0, tau_syn_e=5.0, tau_syn_i=10.0)
COBA = dict(VA_COMMON, v_rest=-60.0, e_rev_e=0.0, e_rev_i=-80.0,
            i_offset=0.2,          # the 20 mV drive: 20 mV x g_l (0.01 uS)
            w_exc=0.006, w_inh=0.067)   # uS: 6 nS and 67 nS (0.6 and 6.7 times g_l)
CUBA = dict(VA_COMMON, v_rest=-49.0,
            w_exc=0.0162, w_inh=-0.09)  # nA: 1.62 mV and -9 mV of drive, times g_l


def va_sizes(n):
    return int(round(0.8 * n)), n - int(round(0.8 * n)), 80.0 / n


# Brunel (2000), model A (Fig. 8A): g = 3, nu_ext = 2 nu_thr; 10,000 excitatory and 2,500
# inhibitory delta-synapse LIF neurons, fixed in-degrees C_E = 1000 and C_I = 250, and C_E
# external Poisson inputs per neuron.
BRUNEL = dict(n_exc=10000, n_inh=2500, c_e=1000, c_i=250, j=0.1, g=3.0, eta=2.0, delay=1.5,
              tau_m=20.0, v_th=20.0, v_reset=10.0, t_ref=2.0)


def brunel_external_rate(p=BRUNEL):
    """Total external Poisson rate per neuron [Hz]: C_E * eta * nu_thr, nu_thr = theta / (J C_E tau)."""
    nu_thr = p["v_th"] / (p["j"] * p["c_e"] * p["tau_m"]) * 1000.0
    return p["c_e"] * p["eta"] * nu_thr


# Potjans & Diesmann (2014) cortical microcircuit, full scale (77,169 neurons), as published with
# NEST (network_params.py of its PyNEST example): iaf_psc_exp neurons, fixed total numbers of
# synapses with multapses, normally distributed weights and delays, Poisson background.
MICROCIRCUIT = dict(
    populations=["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"],
    sizes=[20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948],
    # conn_probs[target][source]
    conn_probs=[[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
                [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
                [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
                [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
                [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
                [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
                [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
                [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]],
    k_ext=[1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100],
    bg_rate=8.0, psp_exc=0.15, psp_rel_sd=0.1, g=-4.0,
    delay_exc=1.5, delay_inh=0.75, delay_rel_sd=0.5, poisson_delay=1.5,
    neuron=dict(c_m=0.25, tau_m=10.0, tau_syn=0.5, t_ref=2.0, v_rest=-65.0, v_th=-50.0, v_reset=-65.0,
                v0_mean=-58.0, v0_sd=10.0),
    # Published full-scale rates [Hz] (the reference the PyNEST example scales with).
    reference_rates=[0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523],
)


def psc_per_psp(c_m, tau_m, tau_syn):
    """Current amplitude [nA] of an exponential PSC that gives a PSP peak of 1 mV."""
    sub = 1.0 / (tau_syn - tau_m)
    pre = tau_m * tau_syn / c_m * sub
    frac = (tau_m / tau_syn) ** sub
    return 1.0 / (pre * (frac ** tau_m - frac ** tau_syn))


def microcircuit_synapse_counts(p=MICROCIRCUIT, scale=1.0):
    """counts[target][source]: synapses drawn with multapses so that each pair is connected
    with the published probability (Potjans & Diesmann 2014, eq. 1)."""
    sizes = [max(1, int(round(n * scale))) for n in p["sizes"]]
    counts = []
    for t, n_post in enumerate(sizes):
        row = []
        for s, n_pre in enumerate(sizes):
            c = p["conn_probs"][t][s]
            pairs = float(n_pre) * n_post
            row.append(int(round(math.log(1.0 - c) / math.log((pairs - 1.0) / pairs))) if c > 0 else 0)
        counts.append(row)
    return sizes, counts


def microcircuit_weight(t, s, p=MICROCIRCUIT):
    """Mean synaptic current [nA] from population s onto population t."""
    n = p["neuron"]
    w = p["psp_exc"] * psc_per_psp(n["c_m"], n["tau_m"], n["tau_syn"])
    if s % 2 == 1:
        w *= p["g"]
    if t == 0 and s == 2:  # L4E -> L23E is twice as strong
        w *= 2.0
    return w


# STDP on every excitatory synapse of COBA-4000 (issue: plasticity): additive pair rule of Song,
# Miller & Abbott (2000), all-to-all, tau = 20 ms, a_plus = 1% and a_minus = 1.05% of w_max,
# weights starting at w_exc and bounded by [0, 2 w_exc].
VA_STDP = dict(tau_plus=20.0, tau_minus=20.0, a_plus=0.01, a_minus=0.0105, w_min=0.0, w_max=2 * COBA["w_exc"])

CASES = {
    "coba4000": ("coba", 4000), "cuba4000": ("cuba", 4000), "coba4000_stdp": ("coba_stdp", 4000),
    "coba40000": ("coba", 40000), "cuba40000": ("cuba", 40000),
    "brunel": ("brunel", 12500), "microcircuit": ("microcircuit", 77169),
}
