#pragma once
// The step of every spiking model with an integrate(): the subthreshold dynamics without
// refractoriness (the model's integrate, which advances every state variable but v and returns
// v's next value), then threshold, reset and refractoriness on v, state variable 0. The backend's
// lanes (backends/cpu/lane_update.hpp) call the same integrate on 16 neurons at once.
#include <cstddef>

#include "core/host_device.hpp"
#include "core/types.hpp"
#include "neurons/neuron_state.hpp"
#include "neurons/spike_rule.hpp"

namespace spikegraph {

template <class Model, int Variant, class Coeffs, class T, std::size_t N, std::size_t R>
SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE bool integrate_and_fire(const Coeffs& c, const NeuronArrays<T, N>& s, Index k,
                                                                 const SynapticInput<T, R>& input) noexcept {
    static_assert(Model::v == 0, "the membrane must be state variable 0");
    T x[N];
    for (std::size_t i = 0; i < N; ++i) x[i] = s.var[i][k];
    const T v_next = Model::template integrate<Variant>(c, x, s.i_offset[k], input.value);
    for (std::size_t i = 1; i < N; ++i) s.var[i][k] = x[i];
    // While refractory the membrane is held; the other variables above evolve regardless.
    return advance_membrane(c.spike, s.var[0][k], v_next, s.free_from[k], s.now);
}

} // namespace spikegraph
