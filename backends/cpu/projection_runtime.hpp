#pragma once
// Event-driven delivery: only the rows of neurons that spiked are read. Each synapse adds its
// weight, as a fixed-point number (input_ring.hpp), to its target's input slot `delay` steps ahead.
// The synapses are split by target range into one partition per thread (NEST distributes
// targets over threads the same way): threads never write the same target, so there are no
// atomics, no per-thread copies of the input, and no dependence on the thread count.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "backends/cpu/plastic_synapses.hpp"
#include "core/random.hpp"
#include "core/synapse_table.hpp"

namespace spikegraph::cpu {

// Target bounds splitting `size` neurons into ranges of whole cache lines: one per thread, or a
// multiple of the thread count when that is needed for every range to span at most 65,536
// neurons (16-bit targets in the synapse tables).
inline std::vector<Index> target_bounds(Index size, int threads) {
    constexpr std::uint64_t line = 16; // neurons per 128 bytes of int64 input
    constexpr std::uint64_t span = 65536;
    const std::uint64_t per_thread = std::max<std::uint64_t>(1, (size + threads * span - 1) / (threads * span));
    std::uint64_t count = std::max<std::uint64_t>(1, std::min<std::uint64_t>(threads * per_thread, (size + line - 1) / line));
    const std::uint64_t chunk = ((size + count - 1) / count + line - 1) / line * line;
    std::vector<Index> bounds{0};
    while (bounds.back() < size) bounds.push_back(static_cast<Index>(std::min<std::uint64_t>(bounds.back() + chunk, size)));
    return bounds;
}

// A projection from a poisson_generator: every synapse draws its own Poisson count each step,
// by inversion against cumulative thresholds of the Poisson distribution with mean rate * dt.
// Counts are addressed by (seed, projection, target, step, generator), so they do not depend on
// the partitioning or on the order of work.
struct GeneratorDrive {
    std::vector<std::uint64_t> thresholds; // P(count <= k) * 2^32, ending with 2^32
    Step start = 0, stop = 0;
    Seed seed = 0;
    std::uint32_t projection = 0;
    // bucket[u >> 20]: the count for the lowest u of that bucket, where the inversion starts;
    // at most one threshold falls inside a bucket for the rates generators are used at.
    std::vector<std::uint32_t> bucket;
};

class ProjectionRuntime {
public:
    ProjectionRuntime(std::vector<SynapseTable> partitions, std::uint32_t pre, std::uint32_t post, InputRing* ring,
                      std::optional<GeneratorDrive> generator = std::nullopt, std::unique_ptr<Plasticity> plasticity = nullptr)
        : partitions_(std::move(partitions)), pre_(pre), post_(post), ring_(ring), generator_(std::move(generator)),
          plasticity_(std::move(plasticity)) {
        if (!generator_) return;
        weights_changed();
        auto& g = *generator_;
        g.bucket.resize(4096);
        std::uint32_t count = 0;
        for (std::uint64_t b = 0; b < 4096; ++b) {
            while ((b << 20) >= g.thresholds[count]) ++count;
            g.bucket[b] = count;
        }
    }

    std::uint32_t pre() const { return pre_; }
    std::uint32_t post() const { return post_; }
    bool plastic() const { return plasticity_ != nullptr; }
    // Weights as plasticity left them; written between runs only, followed by weights_changed().
    std::vector<SynapseTable>& partitions() { return partitions_; }
    const std::vector<SynapseTable>& partitions() const { return partitions_; }
    void weights_changed() {
        if (!generator_) return;
        // A generator adds count * w to a target each step: w in fixed point once per change.
        const float scale = static_cast<float>(ring_->scale());
        fixed_weights_.clear();
        for (const SynapseTable& t : partitions_) {
            std::vector<std::int64_t> fixed(t.size());
            for (std::uint64_t s = 0; s < t.size(); ++s) fixed[s] = to_fixed<std::int64_t>(t.weight[s] * scale);
            fixed_weights_.push_back(std::move(fixed));
        }
    }
    std::uint64_t size() const {
        std::uint64_t total = 0;
        for (const auto& part : partitions_) total += part.size();
        return total;
    }
    std::size_t bytes() const {
        std::size_t total = 0;
        for (const auto& part : partitions_) total += part.bytes();
        return total + (plasticity_ ? plasticity_->bytes() : 0);
    }

    // Delivers the spikes of step n (the senders' lists, one per thread, in thread order) into
    // the targets of one partition: the range owned by the calling thread. `post_spikes`: the
    // spikes of step n of that range of the target population (plastic projections read them).
    void deliver(std::size_t partition, const std::vector<Index>* const* spike_lists, int lists,
                 const std::vector<Index>* post_spikes, Step n) {
        if (partition >= partitions_.size()) return;
        if (plasticity_) {
            plasticity_->deliver(partition, partitions_[partition], spike_lists, lists, post_spikes, n, *ring_);
            return;
        }
        const SynapseTable& t = partitions_[partition];
        if (t.size() == 0) return;
        if (generator_) {
            ring_->with_slot_type([&](auto slot_type) { drive<decltype(slot_type)>(partition, n); });
            return;
        }
        for (int l = 0; l < lists; ++l)
            if (!spike_lists[l]->empty()) dispatch(t, *spike_lists[l], n);
    }

private:
    void dispatch(const SynapseTable& t, const std::vector<Index>& spikes, Step n) const {
        if (t.size() == 0) return;
        ring_->with_slot_type([&](auto slot_type) {
            using Slot = decltype(slot_type);
            if (t.narrow_targets()) {
                if (!t.delay8.empty()) rows<Slot>(t, t.target16.data(), t.delay8.data(), spikes, n);
                else if (!t.delay16.empty()) rows<Slot>(t, t.target16.data(), t.delay16.data(), spikes, n);
                else rows<Slot>(t, t.target16.data(), static_cast<const std::uint8_t*>(nullptr), spikes, n);
            } else {
                if (!t.delay8.empty()) rows<Slot>(t, t.target32.data(), t.delay8.data(), spikes, n);
                else if (!t.delay16.empty()) rows<Slot>(t, t.target32.data(), t.delay16.data(), spikes, n);
                else rows<Slot>(t, t.target32.data(), static_cast<const std::uint8_t*>(nullptr), spikes, n);
            }
        });
    }

    template <class Slot, class Target, class Delay>
    void rows(const SynapseTable& t, const Target* targets, const Delay* delays, const std::vector<Index>& spikes,
              Step n) const {
        // w * 2^q is exact in float as in double (a power-of-two scale), so rounding the float
        // product gives the same integer as rounding a double one, in one instruction.
        const float scale = static_cast<float>(ring_->scale());
        const std::uint64_t mask = ring_->slots() - 1;
        const std::uint64_t stride = t.n_post;
        const float* weights = t.weight.data();
        const std::uint64_t* row_start = t.row_start.data();
        Slot* base = ring_->data<Slot>() + t.target_offset; // stored targets are relative to the offset
        if (delays == nullptr) {
            Slot* slot = base + ((static_cast<std::uint64_t>(n) + t.uniform_delay) & mask) * stride;
            for (Index spike : spikes) {
                const std::uint64_t end = row_start[spike + 1];
                for (std::uint64_t s = row_start[spike]; s < end; ++s) slot[targets[s]] += to_fixed<Slot>(weights[s] * scale);
            }
            return;
        }
        // When the ring is larger than a core's cache and few rows spike, walk the spiking rows
        // one delay at a time (rows are sorted by delay), so the writes of one pass all land in
        // a single slot that stays in cache instead of spreading over every slot. With many
        // spiking rows, revisiting each row once per delay would cost more than it saves.
        constexpr std::size_t few_rows = 512;
        constexpr std::size_t cache_bytes = std::size_t{2} << 20;
        if (spikes.size() > few_rows || ring_->bytes() <= cache_bytes) {
            for (Index spike : spikes) {
                const std::uint64_t end = row_start[spike + 1];
                for (std::uint64_t s = row_start[spike]; s < end; ++s)
                    base[((static_cast<std::uint64_t>(n) + delays[s]) & mask) * stride + targets[s]] +=
                        to_fixed<Slot>(weights[s] * scale);
            }
            return;
        }
        thread_local std::vector<std::uint64_t> cursor, end;
        cursor.clear();
        end.clear();
        for (Index spike : spikes) {
            if (row_start[spike] == row_start[spike + 1]) continue;
            cursor.push_back(row_start[spike]);
            end.push_back(row_start[spike + 1]);
        }
        std::size_t open = cursor.size();
        while (open > 0) {
            std::uint32_t delay = ~0u;
            for (std::size_t r = 0; r < open; ++r) delay = std::min<std::uint32_t>(delay, delays[cursor[r]]);
            Slot* slot = base + ((static_cast<std::uint64_t>(n) + delay) & mask) * stride;
            for (std::size_t r = 0; r < open;) {
                std::uint64_t s = cursor[r];
                const std::uint64_t last = end[r];
                for (; s < last && delays[s] == delay; ++s) slot[targets[s]] += to_fixed<Slot>(weights[s] * scale);
                if (s == last) { // row finished: move the last open row into its place
                    --open;
                    cursor[r] = cursor[open];
                    end[r] = end[open];
                } else {
                    cursor[r++] = s;
                }
            }
        }
    }

    template <class Slot>
    void drive(std::size_t partition, Step n) const {
        const GeneratorDrive& g = *generator_;
        if (n < g.start || n >= g.stop) return;
        const SynapseTable& t = partitions_[partition];
        const std::int64_t* fixed = fixed_weights_[partition].data();
        const std::uint64_t mask = ring_->slots() - 1;
        Slot* base = ring_->data<Slot>();
        const std::uint64_t* thresholds = g.thresholds.data();
        const std::uint32_t* bucket = g.bucket.data();
        const bool uniform = t.uniform_delays();
        Slot* uniform_slot = base + ((static_cast<std::uint64_t>(n) + t.uniform_delay) & mask) * t.n_post;
        for (Index generator = 0; generator < t.n_pre; ++generator) {
            // The generator's index goes into the high bits of the counter's position.
            const std::uint64_t position = static_cast<std::uint64_t>(n) + (static_cast<std::uint64_t>(generator) << 40);
            std::uint32_t block = ~0u;
            PhiloxWords words{};
            for (std::uint64_t s = t.row_start[generator]; s < t.row_start[generator + 1]; ++s) {
                const Index target = t.target(s);
                if (target / 4 != block) { // four consecutive targets share one Philox call
                    block = target / 4;
                    words = random_block(g.seed, g.projection, RandomPurpose::generator, block, position);
                }
                const std::uint64_t u = words.w[target % 4];
                std::int64_t count = bucket[u >> 20];
                while (u >= thresholds[count]) ++count; // the last threshold, 2^32, stops it
                if (count == 0) continue;
                Slot* slot = uniform ? uniform_slot : base + ((static_cast<std::uint64_t>(n) + t.delay(s)) & mask) * t.n_post;
                slot[target] += static_cast<Slot>(count * fixed[s]);
            }
        }
    }

    std::vector<SynapseTable> partitions_;
    std::uint32_t pre_;
    std::uint32_t post_;
    InputRing* ring_;
    std::optional<GeneratorDrive> generator_;
    std::unique_ptr<Plasticity> plasticity_;
    std::vector<std::vector<std::int64_t>> fixed_weights_; // generator projections: w * scale, rounded
};

// Thresholds of the Poisson distribution with mean `lambda` (at most 1000): P(X <= k) * 2^32 for
// k = 0, 1, ... until the upper tail is below 2^-40, then 2^32. Probabilities are computed in log
// space, where exp(-lambda) would underflow for large means.
inline std::vector<std::uint64_t> poisson_thresholds(double lambda) {
    std::vector<std::uint64_t> thresholds;
    double cumulative = 0.0;
    for (int k = 0;; ++k) {
        const double log_p = lambda > 0.0 ? -lambda + k * std::log(lambda) - std::lgamma(k + 1.0) : (k == 0 ? 0.0 : -1e300);
        const double p = std::exp(log_p);
        cumulative += p;
        if (k >= lambda && (1.0 - cumulative < 0x1.0p-40 || p < 0x1.0p-60)) break;
        thresholds.push_back(static_cast<std::uint64_t>(std::min(cumulative, 1.0) * 4294967296.0));
    }
    thresholds.push_back(4294967296ull);
    return thresholds;
}

} // namespace spikegraph::cpu
