#pragma once
// Membrane driven by two exponentially decaying synaptic currents (excitatory, inhibitory), shared
// by cuba_lif and li:
//   c_m dv/dt = -(c_m / tau_m) (v - v_rest) + i_exc + i_inh + i_offset
//   tau_syn_e di_exc/dt = -i_exc,   tau_syn_i di_inh/dt = -i_inh
// A spike of weight w [nA] arriving at the end of step n makes i jump by w at t = (n + 1) dt.
// One step of length h:
//   i'  = p11 i + input
//   v'  = p22 v + (1 - p22) v_rest + p20 i_offset + p21 i + p21_new i'
// Exact integration sets p11 = exp(-h/tau_syn), p22 = exp(-h/tau_m), p20 and p21 from
// neurons/propagators.hpp and p21_new = 0 (the current before its update drives v, as NEST's
// iaf_psc_exp). The discrete form of snnTorch's Synaptic and Norse (cuba_lif's integration =
// "discrete") keeps the decays and sets p21 = 0, p21_new = 1 mV/nA and p20 = 0: its bias flows
// through the excitatory current instead, as a Linear layer's bias does there (i_exc' = p11 i_exc
// + input + i_offset; the step's compile-time `bias_into_current`). A chip emulator builds its own
// coefficients: Loihi decays v and adds the new current with weight 1 (p21 = 0, p21_new = 1, its
// bias into v). The step code is the same.
#include "core/host_device.hpp"
#include "core/numeric.hpp"
#include "core/types.hpp"
#include "neurons/propagators.hpp"

namespace spikegraph {

template <class T>
struct CurrentSynapseCoeffs {
    T p22{};        // membrane decay over a step
    T v_leak{};     // (1 - p22) v_rest [mV]
    T p20{};        // voltage per nA of bias current over a step [mV/nA]
    T p11[2]{};     // synaptic current decay, per receptor
    T p21[2]{};     // voltage per nA of the current at the step's start [mV/nA]
    T p21_new[2]{}; // voltage per nA of the current at the step's end [mV/nA]

    static CurrentSynapseCoeffs exact(double tau_m, double c_m, double v_rest, double tau_syn_e, double tau_syn_i,
                                      double dt) {
        CurrentSynapseCoeffs c;
        const double p22 = propagator::decay(dt, tau_m);
        c.p22 = num::from_real<T>(p22);
        c.v_leak = num::from_real<T>(-std::expm1(-dt / tau_m) * v_rest);
        c.p20 = num::from_real<T>(propagator::constant_current(dt, tau_m, c_m));
        const double tau_syn[2] = {tau_syn_e, tau_syn_i};
        for (int r = 0; r < 2; ++r) {
            c.p11[r] = num::from_real<T>(propagator::decay(dt, tau_syn[r]));
            c.p21[r] = num::from_real<T>(propagator::decaying_current(dt, tau_m, tau_syn[r], c_m));
            c.p21_new[r] = num::from_real<T>(0.0);
        }
        return c;
    }

    // The discrete form (see above) with the same decays; its steps run with bias_into_current.
    static CurrentSynapseCoeffs discrete(double tau_m, double c_m, double v_rest, double tau_syn_e, double tau_syn_i,
                                         double dt) {
        CurrentSynapseCoeffs c = exact(tau_m, c_m, v_rest, tau_syn_e, tau_syn_i, dt);
        c.p20 = num::from_real<T>(0.0);
        for (int r = 0; r < 2; ++r) {
            c.p21[r] = num::from_real<T>(0.0);
            c.p21_new[r] = num::from_real<T>(1.0);
        }
        return c;
    }
};

// Advances the two currents of a neuron (always, refractory or not) and returns v integrated one
// step without refractoriness. `bias_into_current`: the discrete form, whose bias is added to the
// excitatory current. L, the values' type, is T, or FloatLanes for 16 neurons at once.
template <bool bias_into_current = false, class T, class L>
SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE L integrate_current_membrane(const CurrentSynapseCoeffs<T>& c, L v, L i_offset,
                                                           L& i_exc, L& i_inh, const L* input) {
    const L old_exc = i_exc, old_inh = i_inh;
    L exc = num::add(num::decay(old_exc, c.p11[0]), input[0]);
    if constexpr (bias_into_current) exc = num::add(exc, i_offset);
    i_exc = num::fit_current(exc);
    i_inh = num::fit_current(num::add(num::decay(old_inh, c.p11[1]), input[1]));
    L v_next = num::add(num::decay(v, c.p22), c.v_leak);
    v_next = num::add(v_next, num::mul(c.p20, i_offset));
    v_next = num::add(v_next, num::add(num::mul(c.p21[0], old_exc), num::mul(c.p21[1], old_inh)));
    v_next = num::add(v_next, num::add(num::mul(c.p21_new[0], i_exc), num::mul(c.p21_new[1], i_inh)));
    return num::fit_voltage(v_next);
}

} // namespace spikegraph
