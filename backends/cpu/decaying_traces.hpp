#pragma once
// Exponentially decaying traces, one per neuron, that cost nothing on a step without spikes.
// Values are stored against a reference step r: the trace of neuron i at step n is
// stored[i] * exp(-(n - r) / tau), so a jump at step n adds exp((n - r) / tau) to stored[i]
// instead of every trace being multiplied each step. Every `span` steps the stored values are
// brought to the current step, which keeps the jump factor below e^200.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace spikegraph::cpu {

class DecayingTraces {
public:
    DecayingTraces() = default;
    DecayingTraces(std::size_t size, double tau_steps)
        : stored_(size, 0.0), tau_steps_(tau_steps),
          span_(static_cast<Step>(std::min(std::max(1.0, std::floor(200.0 * tau_steps)), 1e9))) {}

    // Makes value(), add_one() and set_one() refer to step n (n never decreases).
    void advance(Step n) {
        if (n - reference_ >= span_) {
            const double factor = std::exp(-static_cast<double>(n - reference_) / tau_steps_);
            for (double& x : stored_) x *= factor;
            reference_ = n;
        }
        const double elapsed = static_cast<double>(n - reference_) / tau_steps_;
        read_ = std::exp(-elapsed);
        jump_ = std::exp(elapsed);
    }

    double value(Index i) const { return stored_[i] * read_; }
    void add_one(Index i) { stored_[i] += jump_; } // all-to-all pairing: the trace grows by one
    void set_one(Index i) { stored_[i] = jump_; }  // nearest-spike pairing: the trace is reset to one
    std::size_t size() const { return stored_.size(); }

private:
    std::vector<double> stored_;
    double tau_steps_ = 1.0;
    Step span_ = 1;
    Step reference_ = 0;
    double read_ = 1.0, jump_ = 1.0;
};

} // namespace spikegraph::cpu
