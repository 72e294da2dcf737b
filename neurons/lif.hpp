#pragma once
// lif: leaky integrate-and-fire neuron with delta synapses (NEST iaf_psc_delta).
//
//   c_m dv/dt = -(c_m / tau_m) (v - v_rest) + i_offset        (while not refractory)
//   a spike of weight w [mV] arriving at the end of step n makes v jump by w at t = (n + 1) dt
//   v >= v_th  ->  spike; v <- v_reset (or v - (v_th - v_reset)); v held for t_ref,
//   and input arriving while v is held is discarded (as NEST)
//
// Exact integration over a step h: v' = p22 v + (1 - p22) v_rest + p20 i_offset + input,
// p22 = exp(-h / tau_m), p20 = tau_m / c_m (1 - p22).
#include <string_view>
#include <vector>

#include "neurons/fields.hpp"
#include "neurons/integrate_and_fire.hpp"
#include "neurons/neuron_state.hpp"
#include "neurons/propagators.hpp"

namespace spikegraph {

struct LifParams {
    double tau_m = 20.0;    // membrane time constant [ms]
    double c_m = 1.0;       // membrane capacitance [nF]
    double v_rest = -65.0;  // resting potential [mV]
    double v_th = -50.0;    // threshold [mV]
    double v_reset = -65.0; // reset potential [mV]
    double t_ref = 0.1;     // refractory period [ms]
    double i_offset = 0.0;  // bias current [nA]
    ResetMode reset = ResetMode::to_value;

    void validate(std::string_view object) const { check_threshold(v_th, v_reset, object); }
};

template <class T>
struct LifCoeffs {
    T p22{};    // membrane decay over a step
    T v_leak{}; // (1 - p22) v_rest [mV]
    T p20{};    // voltage per nA of bias current over a step [mV/nA]
    SpikeRule<T> spike;

    static LifCoeffs make(const LifParams& p, double dt) {
        LifCoeffs c;
        c.p22 = num::from_real<T>(propagator::decay(dt, p.tau_m));
        c.v_leak = num::from_real<T>(-std::expm1(-dt / p.tau_m) * p.v_rest);
        c.p20 = num::from_real<T>(propagator::constant_current(dt, p.tau_m, p.c_m));
        c.spike = SpikeRule<T>::make(p.v_th, p.v_reset, p.t_ref, p.reset, dt);
        return c;
    }
};

struct Lif {
    static constexpr std::string_view name = "lif";
    using Params = LifParams;
    template <class T> using Coeffs = LifCoeffs<T>;
    template <class T> using State = NeuronArrays<T, 1>;
    enum Var { v };
    static constexpr int receptors = 2;

    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table = concatenate({membrane_fields<Params>(), spike_fields<Params>()});
        return table;
    }

    static const ModelInfo& info() {
        static const ModelInfo model = make_model_info<Lif>(
            "LIF neuron with delta synapses: a spike makes v jump by its weight [mV]", VertexKind::neuron,
            {{"v", "mV", "v_rest", "membrane potential"}}, {"excitatory", "inhibitory"}, true, false);
        return model;
    }

    // One step without refractoriness: returns v's next value (input arriving while the membrane
    // is held is discarded with it). L is T, or FloatLanes for 16 neurons at once
    // (backends/cpu/lane_update.hpp).
    template <int Variant = 0, class T, class L>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static L integrate(const Coeffs<T>& c, L (&x)[1], L i_offset, const L (&input)[receptors]) noexcept {
        L v_next = num::add(num::decay(x[v], c.p22), c.v_leak);
        v_next = num::add(v_next, num::mul(c.p20, i_offset));
        return num::add(v_next, num::add(input[0], input[1]));
    }

    template <int Variant = 0, class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static bool step(const Coeffs<T>& c, const State<T>& s, Index k, SynapticInput<T, receptors> input) noexcept {
        return integrate_and_fire<Lif, Variant>(c, s, k, input);
    }
};

} // namespace spikegraph
