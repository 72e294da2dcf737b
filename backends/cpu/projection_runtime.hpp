#pragma once
// Event-driven delivery: only the rows of neurons that spiked are read. Each synapse adds its
// weight, as an int64 fixed-point number, to its target's input slot `delay` steps ahead.
#include <cmath>
#include <cstdint>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "backends/cpu/parallel.hpp"
#include "core/synapse_table.hpp"

namespace spikegraph::cpu {

inline constexpr std::uint64_t spike_block = 64; // spikes per parallel delivery block

class ProjectionRuntime {
public:
    ProjectionRuntime(SynapseTable table, std::uint32_t pre, InputRing* ring)
        : table_(std::move(table)), pre_(pre), ring_(ring) {}

    std::uint32_t pre() const { return pre_; }
    const SynapseTable& table() const { return table_; }

    // Delivers the spikes of step n.
    void deliver(const std::vector<Index>& spikes, Step n, Parallel& parallel) {
        if (spikes.empty() || table_.size() == 0) return;
        parallel.for_blocks(spikes.size(), spike_block, [&](std::uint64_t begin, std::uint64_t end, std::uint64_t) {
            std::int64_t* base = ring_->base(Parallel::worker());
            dispatch(spikes.data() + begin, spikes.data() + end, n, base);
        });
    }

private:
    void dispatch(const Index* first, const Index* last, Step n, std::int64_t* base) const {
        if (table_.narrow_targets()) {
            if (!table_.delay8.empty()) rows(table_.target16.data(), table_.delay8.data(), first, last, n, base);
            else if (!table_.delay16.empty()) rows(table_.target16.data(), table_.delay16.data(), first, last, n, base);
            else rows(table_.target16.data(), static_cast<const std::uint8_t*>(nullptr), first, last, n, base);
        } else {
            if (!table_.delay8.empty()) rows(table_.target32.data(), table_.delay8.data(), first, last, n, base);
            else if (!table_.delay16.empty()) rows(table_.target32.data(), table_.delay16.data(), first, last, n, base);
            else rows(table_.target32.data(), static_cast<const std::uint8_t*>(nullptr), first, last, n, base);
        }
    }

    template <class Target, class Delay>
    void rows(const Target* targets, const Delay* delays, const Index* first, const Index* last, Step n,
              std::int64_t* base) const {
        const double scale = ring_->scale();
        const std::uint64_t mask = ring_->slots() - 1;
        const std::uint64_t stride = table_.n_post;
        const float* weights = table_.weight.data();
        const std::uint64_t* row_start = table_.row_start.data();
        for (const Index* spike = first; spike != last; ++spike) {
            const std::uint64_t begin = row_start[*spike], end = row_start[*spike + 1];
            if (delays == nullptr) {
                std::int64_t* slot = base + ((static_cast<std::uint64_t>(n) + table_.uniform_delay) & mask) * stride;
                for (std::uint64_t s = begin; s < end; ++s)
                    slot[targets[s]] += std::llrint(static_cast<double>(weights[s]) * scale);
            } else {
                for (std::uint64_t s = begin; s < end; ++s)
                    base[((static_cast<std::uint64_t>(n) + delays[s]) & mask) * stride + targets[s]] +=
                        std::llrint(static_cast<double>(weights[s]) * scale);
            }
        }
    }

    SynapseTable table_;
    std::uint32_t pre_;
    InputRing* ring_;
};

} // namespace spikegraph::cpu
