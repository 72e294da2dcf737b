#pragma once
// li: leaky integrator readout, no threshold and no spikes (Norse LICell; the current-driven
// form of NIR LI). Used as the output layer of trained networks: its v is read, not its spikes.
//
//   c_m dv/dt = -(c_m / tau_m) (v - v_rest) + i_exc + i_inh + i_offset
//   tau_syn_e di_exc/dt = -i_exc,   tau_syn_i di_inh/dt = -i_inh
//
// Integrated exactly as cuba_lif's subthreshold dynamics (neurons/current_synapses.hpp).
#include <string_view>
#include <vector>

#include "neurons/current_synapses.hpp"
#include "neurons/fields.hpp"
#include "neurons/neuron_state.hpp"

namespace spikegraph {

struct LiParams {
    double tau_m = 20.0;    // membrane time constant [ms]
    double c_m = 1.0;       // membrane capacitance [nF]
    double v_rest = 0.0;    // resting potential [mV]
    double tau_syn_e = 5.0; // excitatory synaptic time constant [ms]
    double tau_syn_i = 5.0; // inhibitory synaptic time constant [ms]
    double i_offset = 0.0;  // bias current [nA]

    void validate(std::string_view) const {}
};

template <class T>
struct LiCoeffs {
    CurrentSynapseCoeffs<T> membrane;

    static LiCoeffs make(const LiParams& p, double dt) {
        return {CurrentSynapseCoeffs<T>::exact(p.tau_m, p.c_m, p.v_rest, p.tau_syn_e, p.tau_syn_i, dt)};
    }
};

struct Li {
    static constexpr std::string_view name = "li";
    using Params = LiParams;
    template <class T> using Coeffs = LiCoeffs<T>;
    template <class T> using State = NeuronArrays<T, 3>;
    enum Var { v, i_exc, i_inh };
    static constexpr int receptors = 2;

    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table = concatenate({membrane_fields<Params>(), synapse_time_fields<Params>()});
        return table;
    }

    static const ModelInfo& info() {
        static const ModelInfo model = make_model_info<Li>(
            "leaky integrator readout with exponential current synapses (no spikes)", VertexKind::neuron,
            {{"v", "mV", "v_rest", "membrane potential"},
             {"i_exc", "nA", "", "excitatory synaptic current"},
             {"i_inh", "nA", "", "inhibitory synaptic current"}},
            {"excitatory", "inhibitory"}, false, false);
        return model;
    }

    template <int Variant = 0, class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static bool step(const Coeffs<T>& c, const State<T>& s, Index k, SynapticInput<T, receptors> input) noexcept {
        s.var[v][k] = integrate_current_membrane(c.membrane, s.var[v][k], s.i_offset[k], s.var[i_exc][k],
                                                 s.var[i_inh][k], input.value);
        return false;
    }
};

} // namespace spikegraph
