#pragma once
// Event-driven delivery: only the rows of neurons that spiked are read. Each synapse adds its
// weight, as an int64 fixed-point number, to its target's input slot `delay` steps ahead.
// The synapses are split by target range into one partition per thread (NEST distributes
// targets over threads the same way): threads never write the same target, so there are no
// atomics, no per-thread copies of the input, and no dependence on the thread count.
#include <cmath>
#include <cstdint>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "core/synapse_table.hpp"

namespace spikegraph::cpu {

// Target bounds splitting `size` neurons into at most `parts` ranges of whole cache lines.
inline std::vector<Index> target_bounds(Index size, int parts) {
    constexpr std::uint64_t line = 16; // neurons per 128 bytes of int64 input
    std::uint64_t count = std::max<std::uint64_t>(1, std::min<std::uint64_t>(parts, (size + line - 1) / line));
    const std::uint64_t chunk = ((size + count - 1) / count + line - 1) / line * line;
    std::vector<Index> bounds{0};
    while (bounds.back() < size) bounds.push_back(static_cast<Index>(std::min<std::uint64_t>(bounds.back() + chunk, size)));
    return bounds;
}

class ProjectionRuntime {
public:
    ProjectionRuntime(std::vector<SynapseTable> partitions, std::uint32_t pre, InputRing* ring)
        : partitions_(std::move(partitions)), pre_(pre), ring_(ring) {}

    std::uint32_t pre() const { return pre_; }
    const std::vector<SynapseTable>& partitions() const { return partitions_; }
    std::uint64_t size() const {
        std::uint64_t total = 0;
        for (const auto& part : partitions_) total += part.size();
        return total;
    }
    std::size_t bytes() const {
        std::size_t total = 0;
        for (const auto& part : partitions_) total += part.bytes();
        return total;
    }

    // Delivers the spikes of step n (the senders' lists, one per thread, in thread order) into
    // the targets of one partition: the range owned by the calling thread.
    void deliver(std::size_t partition, const std::vector<Index>* const* spike_lists, int lists, Step n) const {
        if (partition >= partitions_.size()) return;
        const SynapseTable& t = partitions_[partition];
        if (t.size() == 0) return;
        for (int l = 0; l < lists; ++l)
            if (!spike_lists[l]->empty()) dispatch(t, *spike_lists[l], n);
    }

private:
    void dispatch(const SynapseTable& t, const std::vector<Index>& spikes, Step n) const {
        if (t.size() == 0) return;
        if (t.narrow_targets()) {
            if (!t.delay8.empty()) rows(t, t.target16.data(), t.delay8.data(), spikes, n);
            else if (!t.delay16.empty()) rows(t, t.target16.data(), t.delay16.data(), spikes, n);
            else rows(t, t.target16.data(), static_cast<const std::uint8_t*>(nullptr), spikes, n);
        } else {
            if (!t.delay8.empty()) rows(t, t.target32.data(), t.delay8.data(), spikes, n);
            else if (!t.delay16.empty()) rows(t, t.target32.data(), t.delay16.data(), spikes, n);
            else rows(t, t.target32.data(), static_cast<const std::uint8_t*>(nullptr), spikes, n);
        }
    }

    template <class Target, class Delay>
    void rows(const SynapseTable& t, const Target* targets, const Delay* delays, const std::vector<Index>& spikes,
              Step n) const {
        const double scale = ring_->scale();
        const std::uint64_t mask = ring_->slots() - 1;
        const std::uint64_t stride = t.n_post;
        const float* weights = t.weight.data();
        const std::uint64_t* row_start = t.row_start.data();
        std::int64_t* base = ring_->data();
        for (Index spike : spikes) {
            const std::uint64_t begin = row_start[spike], end = row_start[spike + 1];
            if (delays == nullptr) {
                std::int64_t* slot = base + ((static_cast<std::uint64_t>(n) + t.uniform_delay) & mask) * stride;
                for (std::uint64_t s = begin; s < end; ++s)
                    slot[targets[s]] += std::llrint(static_cast<double>(weights[s]) * scale);
            } else {
                for (std::uint64_t s = begin; s < end; ++s)
                    base[((static_cast<std::uint64_t>(n) + delays[s]) & mask) * stride + targets[s]] +=
                        std::llrint(static_cast<double>(weights[s]) * scale);
            }
        }
    }

    std::vector<SynapseTable> partitions_;
    std::uint32_t pre_;
    InputRing* ring_;
};

} // namespace spikegraph::cpu
