#pragma once
// Recorders copy what the network asked for out of the engine after every step.
#include <algorithm>
#include <numeric>
#include <vector>

#include "backends/cpu/population.hpp"
#include "core/numeric.hpp"
#include "core/recording.hpp"

namespace spikegraph::cpu {

class SpikeRecorder {
public:
    SpikeRecorder(std::size_t population, std::size_t record, const std::vector<Index>& neurons, Index size)
        : population_(population), record_(record), all_(neurons.empty()) {
        if (!all_) {
            member_.assign(size, 0);
            for (Index k : neurons) member_[k] = 1;
        }
    }

    template <class T>
    void collect(Step n, const Population<T>& population, Recording& recording) const {
        SpikeRecord& record = recording.spikes[record_];
        for (Index k : population.spikes())
            if (all_ || member_[k]) {
                record.steps.push_back(n);
                record.senders.push_back(k);
            }
    }

    std::size_t population() const { return population_; }

private:
    std::size_t population_;
    std::size_t record_;
    bool all_;
    std::vector<char> member_;
};

class StateRecorder {
public:
    StateRecorder(std::size_t population, std::size_t variable, std::size_t record, Step interval)
        : population_(population), variable_(variable), record_(record), interval_(interval) {}

    template <class T>
    void collect(Step n, const Population<T>& population, Recording& recording) const {
        if ((n + 1) % interval_ != 0) return;
        StateRecord& record = recording.states[record_];
        const T* values = population.variable(variable_);
        record.steps.push_back(n);
        for (Index k : record.neurons) record.values.push_back(num::to_real(values[k]));
    }

    std::size_t population() const { return population_; }

private:
    std::size_t population_;
    std::size_t variable_;
    std::size_t record_;
    Step interval_;
};

inline std::vector<Index> all_or(const std::vector<Index>& chosen, Index size) {
    if (!chosen.empty()) {
        std::vector<Index> sorted = chosen;
        std::sort(sorted.begin(), sorted.end());
        return sorted;
    }
    std::vector<Index> all(size);
    std::iota(all.begin(), all.end(), Index{0});
    return all;
}

} // namespace spikegraph::cpu
