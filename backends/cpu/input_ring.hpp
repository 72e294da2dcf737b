#pragma once
// Synaptic input of one (population, receptor): a ring of per-step slots of int64 fixed-point
// sums, one copy per worker thread. A spike of weight w delivered with delay d adds
// llrint(w * scale) to slot (n + d) of the delivering thread's copy; the neuron update of step
// n + d sums the copies and clears them. Integer addition is exact and commutative, so neither
// the thread count nor the order of delivery can change a bit of the input.
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace spikegraph::cpu {

class InputRing {
public:
    InputRing() = default;
    // `bound` is the largest |sum| one slot can reach (max in-degree times max |weight|, summed
    // over the projections); the scale is the largest power of two that keeps it below 2^61.
    InputRing(Index size, std::uint32_t max_delay, int copies, double bound) : size_(size), copies_(copies) {
        std::uint64_t slots = 2;
        while (slots <= max_delay) slots *= 2;
        slots_ = slots;
        int exponent = bound > 0.0 ? 61 - static_cast<int>(std::ceil(std::log2(bound))) : 0;
        if (exponent > 120) exponent = 120;
        scale_ = std::ldexp(1.0, exponent);
        data_.assign(static_cast<std::size_t>(copies_) * slots_ * size_, 0);
    }

    bool active() const { return !data_.empty(); }
    double scale() const { return scale_; }
    double inverse_scale() const { return 1.0 / scale_; }
    int copies() const { return copies_; }
    std::uint64_t slots() const { return slots_; }
    std::size_t bytes() const { return data_.size() * sizeof(std::int64_t); }

    // Base of the ring of one copy; slot s starts at base + (s & (slots - 1)) * size.
    std::int64_t* base(int copy) { return data_.data() + static_cast<std::size_t>(copy) * slots_ * size_; }
    std::int64_t* slot(int copy, Step step) {
        return base(copy) + (static_cast<std::uint64_t>(step) & (slots_ - 1)) * size_;
    }

    // Sums neuron k's input for `step` over all copies and clears it.
    std::int64_t take(Step step, Index k) {
        std::int64_t sum = 0;
        for (int c = 0; c < copies_; ++c) {
            std::int64_t& cell = slot(c, step)[k];
            sum += cell;
            cell = 0;
        }
        return sum;
    }

    void clear() { std::fill(data_.begin(), data_.end(), 0); }

private:
    Index size_ = 0;
    int copies_ = 0;
    std::uint64_t slots_ = 0;
    double scale_ = 1.0;
    std::vector<std::int64_t> data_;
};

} // namespace spikegraph::cpu
