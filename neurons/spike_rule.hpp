#pragma once
// Threshold, reset and refractory period, shared by every spiking model.
#include <cmath>
#include <cstdint>

#include "core/host_device.hpp"
#include "core/numeric.hpp"

namespace spikegraph {

enum class ResetMode : std::uint8_t {
    to_value, // v <- v_reset (NEST, PyNN)
    subtract  // v <- v - (v_th - v_reset): keeps the overshoot (snnTorch, NIR "reset by subtraction")
};

template <class T>
struct SpikeRule {
    T v_th{};
    T v_reset{};
    T reset_step{}; // v_th - v_reset, subtracted in ResetMode::subtract
    std::int32_t refractory_steps = 0;
    bool subtract = false;

    static SpikeRule make(double v_th, double v_reset, double t_ref, ResetMode mode, double dt);
};

template <class T>
SpikeRule<T> SpikeRule<T>::make(double v_th, double v_reset, double t_ref, ResetMode mode, double dt) {
    SpikeRule rule;
    rule.v_th = num::from_real<T>(v_th);
    rule.v_reset = num::from_real<T>(v_reset);
    rule.reset_step = num::from_real<T>(v_th - v_reset);
    // The membrane is held for round(t_ref / dt) steps after the step that spiked (as NEST);
    // longer than 2^31 - 1 steps is as good as forever.
    const double steps = std::floor(t_ref / dt + 0.5);
    rule.refractory_steps = steps < 2147483647.0 ? static_cast<std::int32_t>(steps) : 2147483647;
    rule.subtract = mode == ResetMode::subtract;
    return rule;
}

// Threshold, reset and refractoriness for neuron state freshly integrated to `v_next`. Written
// with selects instead of branches, so the backend's loop over neurons vectorises.
//   held (refractory > 0): v keeps its value, the counter counts down, no spike;
//   otherwise v = v_next, and v >= v_th makes a spike, resets v and starts the refractory period.
template <class T>
SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE bool advance_membrane(const SpikeRule<T>& rule, T& v, T v_next, std::int32_t& refractory) {
    const bool held = refractory > 0;
    const bool spiked = !held && v_next >= rule.v_th;
    const T after_reset = rule.subtract ? num::sub(v_next, rule.reset_step) : rule.v_reset;
    const T kept = held ? v : v_next;
    v = spiked ? after_reset : kept;
    // The counter is never negative: counting down while held is max(counter - 1, 0).
    const std::int32_t counted = refractory - 1 > 0 ? refractory - 1 : 0;
    refractory = spiked ? rule.refractory_steps : counted;
    return spiked;
}

} // namespace spikegraph
