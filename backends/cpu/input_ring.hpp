#pragma once
// Synaptic input of one (population, receptor): a ring of per-step slots of fixed-point sums. A
// spike of weight w delivered with delay d adds lrint(w * scale) to slot n + d; the neuron update
// of step n + d reads the slot and clears it. Threads deliver into disjoint target ranges (see
// projection_runtime.hpp), and integer addition is exact and commutative, so neither the thread
// count nor the order of delivery can change a bit of the input.
//
// Slots are int64 (the largest possible sum scaled to below 2^61), or int32 (below 2^30) where
// that is as fine as the weights themselves: half a step of the int32 scale within 2^-23 of the
// largest weight of every projection onto the ring, a float weight's own precision. int32 halves
// the bytes the neuron update streams through and delivery scatters into (float populations
// with fan-ins up to a few hundred: the Vogels-Abbott networks); double populations keep int64.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "backends/cpu/aligned.hpp"
#include "core/huge_pages.hpp"
#include "core/types.hpp"

namespace spikegraph::cpu {

// Slots a ring needs for delays up to max_delay steps: a power of two (slot indices are a mask
// away) of at least max_delay. The delivery of step n writes slots n + 1 ... n + max_delay after
// the update of step n has read and cleared slot n, so slot n + max_delay may be slot n itself: a
// ring of one-step delays is one slot, which the update clears just before delivery refills it.
inline std::uint64_t ring_slots(std::uint32_t max_delay) {
    std::uint64_t slots = 1;
    while (slots < max_delay) slots *= 2;
    return slots;
}

// The power of two that scales `bound` (the largest |sum| a slot can reach) below 2^bits.
inline int ring_exponent(double bound, int bits) {
    const int exponent = bound > 0.0 ? bits - static_cast<int>(std::ceil(std::log2(bound))) : 0;
    return std::min(exponent, 120);
}

// Whether int32 slots represent a ring's input as finely as float weights do: `smallest_weight`
// is the smallest, over the projections onto the ring, of each projection's largest |weight|.
inline bool int32_slots_suffice(double bound, double smallest_weight) {
    if (!(bound > 0.0) || !(smallest_weight > 0.0)) return false;
    const double half_step = std::ldexp(0.5, -ring_exponent(bound, 30));
    return half_step <= std::ldexp(smallest_weight, -23);
}

// A weight already multiplied by the ring's scale, rounded to the slot type.
template <class Slot>
inline Slot to_fixed(float scaled) {
    if constexpr (std::is_same_v<Slot, std::int32_t>) return static_cast<std::int32_t>(std::lrint(scaled));
    else return std::llrint(scaled);
}

// What a receptor's ring must hold: delays up to max_delay steps, sums up to |bound|.
struct RingShape {
    std::uint32_t max_delay = 1;
    double bound = 0.0;
};

class InputRing {
public:
    InputRing() = default;
    // `bound` is the largest |sum| one slot can reach (max in-degree times max |weight|, summed
    // over the projections); `narrow` chooses int32 slots (see int32_slots_suffice).
    InputRing(Index size, std::uint32_t max_delay, double bound, bool narrow)
        : size_(size), slots_(ring_slots(max_delay)), narrow_(narrow) {
        scale_ = std::ldexp(1.0, ring_exponent(bound, narrow ? 30 : 61));
        if (narrow) resize_on_huge_pages(data32_, slots_ * size_); // zeros
        else resize_on_huge_pages(data64_, slots_ * size_);
    }

    bool narrow() const { return narrow_; }
    double scale() const { return scale_; }
    double inverse_scale() const { return 1.0 / scale_; }
    std::uint64_t slots() const { return slots_; }
    std::size_t bytes() const { return data32_.size() * sizeof(std::int32_t) + data64_.size() * sizeof(std::int64_t); }

    // Slot s starts at data<Slot>() + (s & (slots - 1)) * size; Slot must match narrow().
    template <class Slot>
    Slot* data() {
        if constexpr (std::is_same_v<Slot, std::int32_t>) return data32_.data();
        else return data64_.data();
    }
    template <class Slot>
    Slot* slot(Step step) {
        return data<Slot>() + (static_cast<std::uint64_t>(step) & (slots_ - 1)) * size_;
    }
    // Calls visit(slot type tag) with the ring's slot type: one branch per call, templates inside.
    template <class Visit>
    decltype(auto) with_slot_type(Visit&& visit) const {
        return narrow_ ? visit(std::int32_t{}) : visit(std::int64_t{});
    }

private:
    Index size_ = 0;
    std::uint64_t slots_ = 0;
    bool narrow_ = false;
    double scale_ = 1.0;
    AlignedVector<std::int32_t> data32_;
    AlignedVector<std::int64_t> data64_;
};

} // namespace spikegraph::cpu
