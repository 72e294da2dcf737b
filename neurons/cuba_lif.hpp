#pragma once
// cuba_lif: leaky integrate-and-fire neuron with exponentially decaying synaptic currents
// (PyNN IF_curr_exp, NEST iaf_psc_exp, NIR CubaLIF with separate excitatory/inhibitory currents).
//
//   c_m dv/dt = -(c_m / tau_m) (v - v_rest) + i_exc + i_inh + i_offset     (while not refractory)
//   tau_syn_e di_exc/dt = -i_exc,   tau_syn_i di_inh/dt = -i_inh
//   v >= v_th  ->  spike; v <- v_reset (or v - (v_th - v_reset)); v held for t_ref
//
// Weights are currents [nA]: a spike makes i_exc (receptor "excitatory") or i_inh ("inhibitory")
// jump by w. The linear subthreshold system is integrated exactly (neurons/current_synapses.hpp),
// or, with integration = "discrete", stepped as snnTorch's Synaptic and Norse do: i' = alpha i +
// input + i_offset, v' = beta v + i' (alpha = exp(-dt/tau_syn), beta = exp(-dt/tau_m); v in mV per
// nA of current), which is how a trained Synaptic layer runs in the simulator.
// Reference: Rotter & Diesmann (1999), Biol. Cybern. 81:381.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "neurons/current_synapses.hpp"
#include "neurons/fields.hpp"
#include "neurons/integrate_and_fire.hpp"
#include "neurons/neuron_state.hpp"

namespace spikegraph {

enum class CubaIntegration : std::uint8_t { exact, discrete };

struct CubaLifParams {
    double tau_m = 20.0;     // membrane time constant [ms]
    double c_m = 1.0;        // membrane capacitance [nF]
    double v_rest = -65.0;   // resting potential [mV]
    double v_th = -50.0;     // threshold [mV]
    double v_reset = -65.0;  // reset potential [mV]
    double t_ref = 0.1;      // refractory period [ms]
    double tau_syn_e = 5.0;  // excitatory synaptic time constant [ms]
    double tau_syn_i = 5.0;  // inhibitory synaptic time constant [ms]
    double i_offset = 0.0;   // bias current [nA]
    ResetMode reset = ResetMode::to_value;
    CubaIntegration integration = CubaIntegration::exact;

    void validate(std::string_view object) const { check_threshold(v_th, v_reset, object); }
};

template <class T>
struct CubaLifCoeffs {
    CurrentSynapseCoeffs<T> membrane;
    SpikeRule<T> spike;
    std::uint8_t integration = 0; // CubaIntegration: the step's variant

    static CubaLifCoeffs make(const CubaLifParams& p, double dt) {
        const bool discrete = p.integration == CubaIntegration::discrete;
        const auto membrane = discrete ? CurrentSynapseCoeffs<T>::discrete(p.tau_m, p.c_m, p.v_rest, p.tau_syn_e, p.tau_syn_i, dt)
                                       : CurrentSynapseCoeffs<T>::exact(p.tau_m, p.c_m, p.v_rest, p.tau_syn_e, p.tau_syn_i, dt);
        return {membrane, SpikeRule<T>::make(p.v_th, p.v_reset, p.t_ref, p.reset, dt), static_cast<std::uint8_t>(p.integration)};
    }
};

struct CubaLif {
    static constexpr std::string_view name = "cuba_lif";
    using Params = CubaLifParams;
    template <class T> using Coeffs = CubaLifCoeffs<T>;
    template <class T> using State = NeuronArrays<T, 3>;
    enum Var { v, i_exc, i_inh };
    static constexpr int receptors = 2;

    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table =
            concatenate({membrane_fields<Params>(), spike_fields<Params>(), synapse_time_fields<Params>(),
                         {choice_field<Params, &Params::integration>(
                             "integration", {"exact", "discrete"},
                             "exact solution (default), or snnTorch Synaptic's discrete steps (bias into the current)")}});
        return table;
    }

    static const ModelInfo& info() {
        static const ModelInfo model = make_model_info<CubaLif>(
            "LIF neuron with exponential current synapses (PyNN IF_curr_exp)", VertexKind::neuron,
            {{"v", "mV", "v_rest", "membrane potential"},
             {"i_exc", "nA", "", "excitatory synaptic current"},
             {"i_inh", "nA", "", "inhibitory synaptic current"}},
            {"excitatory", "inhibitory"}, true, false);
        return model;
    }

    // Variant = integration: 0 exact, 1 discrete (its bias goes into the current).
    static constexpr int variants = 2;
    template <class T>
    static int variant(const Coeffs<T>& c) { return c.integration; }

    // One step without refractoriness: advances the currents in x, returns v's next value. L is T,
    // or FloatLanes for 16 neurons at once (backends/cpu/lane_update.hpp).
    template <int Variant = 0, class T, class L>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static L integrate(const Coeffs<T>& c, L (&x)[3], L i_offset, const L (&input)[receptors]) noexcept {
        return integrate_current_membrane<Variant == 1>(c.membrane, x[v], i_offset, x[i_exc], x[i_inh], input);
    }

    template <int Variant = 0, class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static bool step(const Coeffs<T>& c, const State<T>& s, Index k, SynapticInput<T, receptors> input) noexcept {
        return integrate_and_fire<CubaLif, Variant>(c, s, k, input);
    }
};

} // namespace spikegraph
