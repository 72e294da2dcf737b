#pragma once
// Synaptic input of one (population, receptor): a ring of per-step slots of int64 fixed-point
// sums. A spike of weight w delivered with delay d adds llrint(w * scale) to slot n + d; the
// neuron update of step n + d reads the slot and clears it. Threads deliver into disjoint target
// ranges (see projection_runtime.hpp), and integer addition is exact and commutative, so neither
// the thread count nor the order of delivery can change a bit of the input.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "backends/cpu/aligned.hpp"
#include "core/types.hpp"

namespace spikegraph::cpu {

// Slots a ring needs for delays up to max_delay steps: a power of two above max_delay, so slot
// indices are a mask away and the slot being read is never written.
inline std::uint64_t ring_slots(std::uint32_t max_delay) {
    std::uint64_t slots = 2;
    while (slots <= max_delay) slots *= 2;
    return slots;
}

class InputRing {
public:
    InputRing() = default;
    // `bound` is the largest |sum| one slot can reach (max in-degree times max |weight|, summed
    // over the projections); the scale is the largest power of two that keeps it below 2^61.
    InputRing(Index size, std::uint32_t max_delay, double bound) : size_(size), slots_(ring_slots(max_delay)) {
        int exponent = bound > 0.0 ? 61 - static_cast<int>(std::ceil(std::log2(bound))) : 0;
        exponent = std::min(exponent, 120);
        scale_ = std::ldexp(1.0, exponent);
        data_.assign(slots_ * size_, 0);
    }

    bool active() const { return !data_.empty(); }
    double scale() const { return scale_; }
    double inverse_scale() const { return 1.0 / scale_; }
    std::uint64_t slots() const { return slots_; }
    std::size_t bytes() const { return data_.size() * sizeof(std::int64_t); }

    // Slot s starts at data() + (s & (slots - 1)) * size.
    std::int64_t* data() { return data_.data(); }
    std::int64_t* slot(Step step) { return data_.data() + (static_cast<std::uint64_t>(step) & (slots_ - 1)) * size_; }

private:
    Index size_ = 0;
    std::uint64_t slots_ = 0;
    double scale_ = 1.0;
    AlignedVector<std::int64_t> data_;
};

} // namespace spikegraph::cpu
