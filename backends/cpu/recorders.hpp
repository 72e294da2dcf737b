#pragma once
// Recorders copy what the network asked for out of the engine after every step. Each thread
// keeps the spikes of its own ranges, merged into the record (by step, then range, so in neuron
// order) when a run returns; state samples are written by each thread for the neurons it owns,
// into rows allocated before a run.
#include <algorithm>
#include <numeric>
#include <vector>

#include "backends/cpu/population.hpp"
#include "core/numeric.hpp"
#include "core/recording.hpp"
#include "core/synapse_table.hpp"

namespace spikegraph::cpu {

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

class SpikeRecorder {
public:
    SpikeRecorder(std::size_t population, std::size_t record, const std::vector<Index>& neurons, Index size, int ranges)
        : population_(population), record_(record), all_(neurons.empty()), ranges_(static_cast<std::size_t>(ranges)) {
        if (!all_) {
            member_.assign(size, 0);
            for (Index k : neurons) member_[k] = 1;
        }
    }

    // The spikes of one range in step n (ascending); called by the thread that owns the range.
    void collect(int range, Step n, const std::vector<Index>& spikes) {
        RangeSpikes& kept = ranges_[static_cast<std::size_t>(range)];
        const std::size_t before = kept.senders.size();
        for (Index k : spikes)
            if (all_ || member_[k]) kept.senders.push_back(k);
        if (kept.senders.size() > before) kept.steps.push_back({n, kept.senders.size() - before});
    }

    // Appends what the ranges kept to the record, step by step and range by range, and empties them.
    void flush(Recording& recording) {
        SpikeRecord& record = recording.spikes[record_];
        std::size_t total = 0;
        for (const RangeSpikes& kept : ranges_) total += kept.senders.size();
        record.steps.reserve(record.steps.size() + total);
        record.senders.reserve(record.senders.size() + total);
        std::vector<std::size_t> next_step(ranges_.size(), 0), next_sender(ranges_.size(), 0);
        for (;;) {
            Step n = -1; // the earliest step any range still holds
            for (std::size_t r = 0; r < ranges_.size(); ++r)
                if (next_step[r] < ranges_[r].steps.size() && (n < 0 || ranges_[r].steps[next_step[r]].step < n))
                    n = ranges_[r].steps[next_step[r]].step;
            if (n < 0) break;
            for (std::size_t r = 0; r < ranges_.size(); ++r) {
                RangeSpikes& kept = ranges_[r];
                if (next_step[r] >= kept.steps.size() || kept.steps[next_step[r]].step != n) continue;
                const std::size_t count = kept.steps[next_step[r]++].count;
                const auto first = kept.senders.begin() + static_cast<std::ptrdiff_t>(next_sender[r]);
                record.senders.insert(record.senders.end(), first, first + static_cast<std::ptrdiff_t>(count));
                record.steps.insert(record.steps.end(), count, n);
                next_sender[r] += count;
            }
        }
        for (RangeSpikes& kept : ranges_) {
            kept.steps.clear();
            kept.senders.clear();
        }
    }

    std::size_t population() const { return population_; }

private:
    struct StepCount {
        Step step;
        std::size_t count; // spikes of the range in that step
    };
    struct alignas(64) RangeSpikes { // written by one thread: a cache line of its own
        std::vector<StepCount> steps;
        std::vector<Index> senders;
    };
    std::size_t population_;
    std::size_t record_;
    bool all_;
    std::vector<char> member_;
    std::vector<RangeSpikes> ranges_;
};

// Rows for every sample up to step `last` (exclusive) of a sampled record: a sample follows each
// step n with (n + 1) % interval == 0 and goes to row (n + 1) / interval - 1.
template <class Value>
void size_sample_rows(std::vector<Step>& steps, std::vector<Value>& values, std::size_t width, Step last, Step interval) {
    const std::size_t rows = static_cast<std::size_t>(last / interval);
    const std::size_t before = steps.size();
    steps.resize(rows);
    for (std::size_t row = before; row < rows; ++row) steps[row] = static_cast<Step>(row + 1) * interval - 1;
    values.resize(rows * width);
}

class StateRecorder {
public:
    // `bounds` are the population's thread ranges: thread t writes the recorded neurons in
    // [bounds[t], bounds[t + 1]).
    StateRecorder(std::size_t population, std::size_t variable, std::size_t record, Step interval,
                  const std::vector<Index>& neurons, const std::vector<Index>& bounds)
        : population_(population), variable_(variable), record_(record), interval_(interval) {
        for (std::size_t t = 0; t + 1 < bounds.size(); ++t)
            columns_.push_back(static_cast<std::size_t>(std::lower_bound(neurons.begin(), neurons.end(), bounds[t]) - neurons.begin()));
        columns_.push_back(neurons.size());
    }

    void prepare(Step last, Recording& recording) const {
        StateRecord& record = recording.states[record_];
        size_sample_rows(record.steps, record.values, record.neurons.size(), last, interval_);
    }

    template <class T>
    void collect(int thread, Step n, const Population<T>& population, Recording& recording) const {
        if ((n + 1) % interval_ != 0 || static_cast<std::size_t>(thread) + 1 >= columns_.size()) return;
        StateRecord& record = recording.states[record_];
        const T* values = population.variable(variable_);
        const std::size_t width = record.neurons.size();
        double* row = record.values.data() + static_cast<std::size_t>((n + 1) / interval_ - 1) * width;
        for (std::size_t j = columns_[thread]; j < columns_[thread + 1]; ++j) row[j] = num::to_real(values[record.neurons[j]]);
    }

    std::size_t population() const { return population_; }

private:
    std::size_t population_;
    std::size_t variable_;
    std::size_t record_;
    Step interval_;
    std::vector<std::size_t> columns_; // per thread, the first recorded column it writes
};

// Weight snapshots of one projection: after each step n with (n + 1) % interval == 0, every
// thread copies the weights of the partitions it delivers (which only it changes) into row
// (n + 1) / interval - 1, in the canonical synapse order.
class WeightRecorder {
public:
    WeightRecorder(std::size_t projection, std::size_t record, Step interval, std::vector<std::vector<std::uint32_t>> column)
        : projection_(projection), record_(record), interval_(interval), column_(std::move(column)) {}

    void prepare(Step last, Recording& recording) const {
        WeightRecord& record = recording.weights[record_];
        size_sample_rows(record.steps, record.values, record.pre.size(), last, interval_);
    }

    void collect(std::size_t partition, Step n, const std::vector<SynapseTable>& tables, Recording& recording) const {
        if ((n + 1) % interval_ != 0 || partition >= tables.size()) return;
        WeightRecord& record = recording.weights[record_];
        float* row = record.values.data() + static_cast<std::size_t>((n + 1) / interval_ - 1) * record.pre.size();
        const std::vector<float>& weights = tables[partition].weight;
        const std::vector<std::uint32_t>& column = column_[partition];
        for (std::size_t s = 0; s < weights.size(); ++s) row[column[s]] = weights[s];
    }

    std::size_t projection() const { return projection_; }

private:
    std::size_t projection_;
    std::size_t record_;
    Step interval_;
    std::vector<std::vector<std::uint32_t>> column_; // per partition and synapse: its column
};

} // namespace spikegraph::cpu
