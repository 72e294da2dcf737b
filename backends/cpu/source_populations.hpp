#pragma once
// Spike sources as the CPU engine runs them (neurons/sources.hpp has their definitions).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "backends/cpu/population.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "neurons/sources.hpp"

namespace spikegraph::cpu {

// Steps are counted from 0; step n covers [n dt, (n + 1) dt).
// Times beyond 1e18 steps are "never" (the cast would overflow).
inline Step first_step_at_or_after(double time, double dt) {
    const double steps = std::ceil(time / dt - 1e-9);
    if (!(steps < 1e18)) return std::numeric_limits<Step>::max();
    return static_cast<Step>(steps);
}

template <class T>
class PoissonPopulation final : public Population<T> {
public:
    PoissonPopulation(const PoissonParams& params, const std::vector<double>& rates, double dt, Seed seed,
                      std::uint32_t population, const std::string& object)
        : Population<T>(static_cast<Index>(rates.size())), seed_(seed), population_(population),
          start_(first_step_at_or_after(params.start, dt)), stop_(first_step_at_or_after(params.stop, dt)) {
        // Spike in a step with probability rate * dt: compared as 32-bit integers against the
        // random word, so every backend makes the same decision.
        auto threshold = [&](double rate, const std::string& field) {
            const double p = rate * dt * 1e-3;
            if (p > 1.0)
                fail_parameter(object, field, rate, "Hz",
                               "rate * dt exceeds 1 spike per step (dt = " + format_number(dt) +
                                   " ms allows at most " + format_number(1e3 / dt) + " Hz)");
            return static_cast<std::uint64_t>(std::llround(p * 4294967296.0));
        };
        if (params.rate_times.empty()) {
            thresholds_.resize(rates.size());
            for (std::size_t k = 0; k < rates.size(); ++k)
                thresholds_[k] = threshold(rates[k], rates.size() == 1 ? "rate" : "rate[" + std::to_string(k) + "]");
        } else {
            for (std::size_t j = 0; j < params.rate_times.size(); ++j) {
                change_steps_.push_back(first_step_at_or_after(params.rate_times[j], dt));
                change_thresholds_.push_back(threshold(params.rate_values[j], "rate_values[" + std::to_string(j) + "]"));
            }
        }
    }

    void update(Step n, Index begin, Index end, std::vector<Index>& spikes) override {
        if (n < start_ || n >= stop_) return;
        std::uint64_t shared = 0; // the threshold of a time-varying rate, the same for all neurons
        const bool varying = !change_steps_.empty();
        if (varying) {
            const auto segment = std::upper_bound(change_steps_.begin(), change_steps_.end(), n) - change_steps_.begin();
            if (segment == 0) return; // before the first rate time: silent
            shared = change_thresholds_[static_cast<std::size_t>(segment - 1)];
            if (shared == 0) return;
        }
        // One Philox call gives the words of four consecutive neurons; ranges start at multiples of 4.
        for (Index k = begin; k < end; k += 4) {
            const PhiloxWords words = random_block(seed_, population_, RandomPurpose::source_spikes, k / 4,
                                                   static_cast<std::uint64_t>(n));
            for (Index j = 0; j < 4 && k + j < end; ++j) {
                const std::uint64_t limit = varying ? shared : thresholds_[k + j];
                if (words.w[j] < limit) spikes.push_back(k + j);
            }
        }
    }

    std::size_t bytes() const override { return thresholds_.size() * sizeof(std::uint64_t); }

private:
    Seed seed_;
    std::uint32_t population_;
    Step start_, stop_;
    std::vector<std::uint64_t> thresholds_;
    std::vector<Step> change_steps_;
    std::vector<std::uint64_t> change_thresholds_;
};

template <class T>
class SpikeArrayPopulation final : public Population<T> {
public:
    SpikeArrayPopulation(const SpikeArrayParams& params, double dt, const std::string& object)
        : Population<T>(static_cast<Index>(params.spike_times.size())) {
        for (std::size_t k = 0; k < params.spike_times.size(); ++k) {
            for (std::size_t j = 0; j < params.spike_times[k].size(); ++j) {
                const double t = params.spike_times[k][j];
                if (!(t / dt < 1e18)) continue; // beyond any run's end
                // A spike at time t is emitted in the step that ends at the grid point nearest t.
                const Step step = static_cast<Step>(std::llround(t / dt)) - 1;
                if (step < 0)
                    fail_parameter(object, "spike_times[" + std::to_string(k) + "][" + std::to_string(j) + "]", t, "ms",
                                   "the first spike can be emitted at t = dt = " + format_number(dt) + " ms");
                events_.emplace_back(step, static_cast<Index>(k));
            }
        }
        std::sort(events_.begin(), events_.end());
        events_.erase(std::unique(events_.begin(), events_.end()), events_.end()); // one spike per step
    }

    void update(Step n, Index begin, Index end, std::vector<Index>& spikes) override {
        auto it = std::lower_bound(events_.begin(), events_.end(), std::make_pair(n, begin));
        for (; it != events_.end() && it->first == n && it->second < end; ++it) spikes.push_back(it->second);
    }

    std::size_t bytes() const override { return events_.size() * sizeof(events_[0]); }

private:
    std::vector<std::pair<Step, Index>> events_; // (step, neuron), sorted
};

} // namespace spikegraph::cpu
