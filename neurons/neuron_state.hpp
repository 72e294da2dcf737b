#pragma once
// The state of a neuron population as the backend owns it: structure of arrays, one contiguous
// array per state variable, a per-neuron bias current and the first step after each neuron's
// refractory period. Models receive a view and update neuron k in place at step `now`; they never allocate or loop.
#include <cstddef>
#include <cstdint>

namespace spikegraph {

template <class T, std::size_t N>
struct NeuronArrays {
    static constexpr std::size_t variables = N;
    T* var[N];                // in the order of the model's state list (ModelInfo::state)
    T* i_offset;              // bias current per neuron [nA]: parameter plus injected step currents
    std::int32_t* free_from;  // the step from which the membrane integrates again (neurons/spike_rule.hpp)
    std::int32_t now;         // the step being computed, wrapping_clock(n)
};

// Synaptic input that arrived for one neuron in this step, per receptor (weights summed), passed
// by value so the backend's loop over neurons keeps it in registers.
template <class T, std::size_t N>
struct SynapticInput {
    T value[N];
};

} // namespace spikegraph
