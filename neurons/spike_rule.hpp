#pragma once
// Threshold, reset and refractory period, shared by every spiking model.
#include <cmath>
#include <cstdint>

#include "core/host_device.hpp"
#include "core/numeric.hpp"
#include "core/types.hpp"

namespace spikegraph {

enum class ResetMode : std::uint8_t {
    to_value, // v <- v_reset (NEST, PyNN)
    subtract  // v <- v - (v_th - v_reset): keeps the overshoot (snnTorch, NIR "reset by subtraction")
};

// Refractoriness is kept as the step from which a neuron integrates again (`free_from`), on a
// 32-bit clock that wraps: a neuron is held while free_from - now > 0 in wrapping arithmetic. The
// update then only reads it and writes it when the neuron spikes, instead of counting a counter
// down in every neuron every step (half the refractory traffic, and a store only where a spike
// happened). Wrapping comparisons stay right while every free_from lies within 2^31 steps of now:
// a period is at most 2^30 - 1 steps, and keep_free_from_in_range (every 2^29 steps) pulls the
// free_from of neurons long silent up to 2^29 steps behind now.
inline constexpr std::int32_t max_refractory_steps = (1 << 30) - 1;
inline constexpr Step free_from_sweep_steps = Step{1} << 29;

SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE std::int32_t wrapping_clock(Step n) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(n));
}

// free_from - now in wrapping arithmetic: > 0 while held.
SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE std::int32_t steps_until_free(std::int32_t free_from, std::int32_t now) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(free_from) - static_cast<std::uint32_t>(now));
}

// Call for the neurons about to be stepped at step n, every step: every free_from_sweep_steps
// steps it moves those too far behind.
inline void keep_free_from_in_range(std::int32_t* free_from, Index count, Step n) {
    if (n % free_from_sweep_steps != 0) return;
    const std::int32_t now = wrapping_clock(n);
    const auto oldest = static_cast<std::int32_t>(-free_from_sweep_steps);
    for (Index k = 0; k < count; ++k)
        if (steps_until_free(free_from[k], now) < oldest) free_from[k] = wrapping_clock(n - free_from_sweep_steps);
}

template <class T>
struct SpikeRule {
    T v_th{};
    T v_reset{};
    T reset_step{}; // v_th - v_reset, subtracted in ResetMode::subtract
    std::int32_t refractory_steps = 0; // at most max_refractory_steps
    bool subtract = false;

    static SpikeRule make(double v_th, double v_reset, double t_ref, ResetMode mode, double dt);
};

template <class T>
SpikeRule<T> SpikeRule<T>::make(double v_th, double v_reset, double t_ref, ResetMode mode, double dt) {
    SpikeRule rule;
    rule.v_th = num::from_real<T>(v_th);
    rule.v_reset = num::from_real<T>(v_reset);
    rule.reset_step = num::from_real<T>(v_th - v_reset);
    // The membrane is held for round(t_ref / dt) steps after the step that spiked (as NEST), at
    // most 2^30 - 1 steps (30 hours at dt = 0.1 ms; a longer t_ref holds that long).
    const double steps = std::floor(t_ref / dt + 0.5);
    rule.refractory_steps = !(steps > 0.0) ? 0 : steps < max_refractory_steps ? static_cast<std::int32_t>(steps) : max_refractory_steps;
    rule.subtract = mode == ResetMode::subtract;
    return rule;
}

// Threshold, reset and refractoriness at step `now` for neuron state freshly integrated to
// `v_next`. Written with selects, and one conditional store, so the backend's loop over neurons
// vectorises (the store becomes a masked one).
//   held (free_from after now): v keeps its value, no spike;
//   otherwise v = v_next, and v >= v_th makes a spike, resets v and holds it for the next
//   refractory_steps steps.
template <class T>
SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE bool advance_membrane(const SpikeRule<T>& rule, T& v, T v_next, std::int32_t& free_from,
                                                               std::int32_t now) {
    const bool held = steps_until_free(free_from, now) > 0;
    const bool spiked = !held && v_next >= rule.v_th;
    const T after_reset = rule.subtract ? num::sub(v_next, rule.reset_step) : rule.v_reset;
    const T kept = held ? v : v_next;
    v = spiked ? after_reset : kept;
    if (spiked) free_from = static_cast<std::int32_t>(static_cast<std::uint32_t>(now) + 1u + static_cast<std::uint32_t>(rule.refractory_steps));
    return spiked;
}

} // namespace spikegraph
