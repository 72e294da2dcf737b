"""Song, Miller & Abbott (2000): competitive Hebbian learning through STDP.

1000 excitatory Poisson inputs drive one conductance-based LIF neuron through synapses under
additive pair STDP. Depression slightly outweighs potentiation (a_minus / a_plus = 1.05), so the
weights compete: they split into a group near 0 and a group near g_max (a bimodal distribution),
and the output rate ends up nearly independent of the input rate, while with fixed weights it
grows steeply with it. Parameters as in the paper's Figure 1 and Brian2's example of it: tau_m =
10 ms, E_L = -74 mV, threshold -54 mV, reset -60 mV, E_ex = 0 mV, tau_ex = 5 ms, g_max = 0.01
of the leak conductance, tau_plus = tau_minus = 20 ms, a_plus = 0.01 g_max.

    python examples/song_miller_abbott.py --rate 15 --duration 100000
"""
import argparse
import sys
import time

import numpy as np

import spikegraph as sg

C_M = 0.2                 # nF
TAU_M = 10.0              # ms
G_LEAK = C_M / TAU_M      # uS
G_MAX = 0.01 * G_LEAK     # uS, as the paper's 0.015 in units of the leak conductance is Brian2's 0.01
N_INPUTS = 1000


def build(rate, plastic=True, w_max=G_MAX):
    net = sg.Network()
    inputs = net.add_population("inputs", "poisson", N_INPUTS, rate=rate)
    neuron = net.add_population("neuron", "coba_lif", 1, tau_m=TAU_M, c_m=C_M, v_rest=-74.0, v_th=-54.0,
                                v_reset=-60.0, t_ref=0.0, e_rev_e=0.0, tau_syn_e=5.0, tau_syn_i=5.0)
    stdp = sg.STDP(tau_plus=20.0, tau_minus=20.0, a_plus=0.01, a_minus=0.0105, w_min=0.0, w_max=w_max) if plastic else None
    net.connect(inputs, neuron, sg.AllToAll(), weight=sg.Uniform(0.0, w_max), receptor="excitatory",
                name="inputs->neuron", plasticity=stdp)
    net.record(neuron, "spikes")
    return net


def run(rate=15.0, duration=100_000.0, plastic=True, seed=1, threads=1, tail=10_000.0):
    """Runs `duration` ms; returns the final weights / g_max and the output rate [Hz] over the
    last `tail` ms (after learning)."""
    sim = sg.compile(build(rate, plastic), dt=0.1, seed=seed, threads=threads)
    sim.run(duration - tail)
    before = len(sim.spikes("neuron").times)
    sim.run(tail)
    after = len(sim.spikes("neuron").times)
    return sim.weights("inputs->neuron") / G_MAX, (after - before) / (tail * 1e-3)


def bimodality(weights):
    """Fractions of weights in the lowest and highest 10% of the range [0, 1]."""
    return float(np.mean(weights < 0.1)), float(np.mean(weights > 0.9))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=15.0, help="input rate [Hz]")
    parser.add_argument("--duration", type=float, default=100_000.0, help="ms")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    weights, out_rate = run(args.rate, args.duration, seed=args.seed)
    low, high = bimodality(weights)
    print(f"input {args.rate} Hz, {args.duration / 1000:.0f} s: output {out_rate:.1f} Hz; "
          f"weights < 0.1 g_max: {low:.0%}, > 0.9 g_max: {high:.0%}; {time.perf_counter() - start:.1f} s wall")
    counts, _ = np.histogram(weights, bins=10, range=(0.0, 1.0))
    print("histogram of w / g_max (10 bins):", " ".join(str(c) for c in counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
