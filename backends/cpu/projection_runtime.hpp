#pragma once
// Event-driven delivery: only the rows of neurons that spiked are read. Each synapse adds its
// weight, as a fixed-point number (input_ring.hpp), to its target's input slot `delay` steps ahead:
// at once, or, for a projection whose delays vary onto a ring beyond its share of the cache, at the
// arrival step, through per-step lists of table runs (pending_runs.hpp).
// The synapses are split by target range into one partition per thread (NEST distributes
// targets over threads the same way): threads never write the same target, so there are no
// atomics, no per-thread copies of the input, and no dependence on the thread count.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "backends/cpu/pending_runs.hpp"
#include "backends/cpu/plastic_synapses.hpp"
#include "core/philox.hpp"
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
    // bucket[u >> 20]: the count for the lowest u of that bucket, where the inversion starts,
    // with bit 31 set where two or more thresholds fall inside the bucket (far in the tail).
    std::vector<std::uint32_t> bucket;
    // ceiling[k] = thresholds[k] - 1: the largest draw whose count is at most k (32 bits).
    std::vector<std::uint32_t> ceiling;
    // The first 32 ceilings (padded): where there are no more (means up to ~5 per step), two
    // registers that a permute reads instead of a gather (gathers dominate the draws).
    alignas(64) std::uint32_t ceiling32[32] = {};
    bool ceilings_in_registers() const { return ceiling.size() <= 32; }
};

class ProjectionRuntime {
public:
    // `listed`: the synapses wait in lists until they arrive; the engine chooses, as it sizes the
    // rings (engine_impl.hpp).
    ProjectionRuntime(std::vector<SynapseTable> partitions, std::uint32_t pre, std::uint32_t post, InputRing* ring,
                      std::optional<GeneratorDrive> generator = std::nullopt, std::unique_ptr<Plasticity> plasticity = nullptr,
                      bool listed = false)
        : partitions_(std::move(partitions)), pre_(pre), post_(post), ring_(ring), generator_(std::move(generator)),
          plasticity_(std::move(plasticity)) {
        if (listed)
            for (const SynapseTable& t : partitions_) pending_.emplace_back(t.max_delay);
        if (!generator_ && !plasticity_) share_equal_weights();
        if (!generator_) return;
        weights_changed();
        for (const SynapseTable& t : partitions_) { // rows onto consecutive targets, aligned to a Philox block
            std::vector<bool>& dense = dense_rows_.emplace_back(t.n_pre, false);
            for (Index source = 0; source < t.n_pre && t.uniform_delays(); ++source) {
                const std::uint64_t begin = t.row_start[source], end = t.row_start[source + 1];
                bool run = begin < end && (t.target(begin) % 4) == 0;
                for (std::uint64_t s = begin + 1; run && s < end; ++s) run = t.target(s) == t.target(s - 1) + 1;
                dense[source] = run;
            }
        }
        auto& g = *generator_;
        g.bucket.resize(4096);
        std::uint32_t count = 0;
        for (std::uint64_t b = 0; b < 4096; ++b) {
            while ((b << 20) >= g.thresholds[count]) ++count;
            std::uint32_t last = count; // the count of the bucket's highest draw
            while (((b + 1) << 20) - 1 >= g.thresholds[last]) ++last;
            g.bucket[b] = count | (last - count > 1 ? 1u << 31 : 0u);
        }
        for (std::uint64_t threshold : g.thresholds)
            g.ceiling.push_back(static_cast<std::uint32_t>(threshold == 0 ? 0 : threshold - 1));
        for (std::size_t k = 0; k < 32; ++k) g.ceiling32[k] = k < g.ceiling.size() ? g.ceiling[k] : ~0u;
    }

    std::uint32_t pre() const { return pre_; }
    std::uint32_t post() const { return post_; }
    bool plastic() const { return plasticity_ != nullptr; }
    // The tables; their weight arrays are empty while the projection shares one weight (weight()).
    const std::vector<SynapseTable>& partitions() const { return partitions_; }
    float weight(std::size_t partition, std::uint64_t s) const {
        return shared_weight_ ? *shared_weight_ : partitions_[partition].weight[s];
    }
    // The tables with a weight per synapse (made from the shared one if need be): to be written
    // between runs (then weights_changed()), or read at every step by a weight recorder.
    std::vector<SynapseTable>& weight_tables() {
        freeze_pending(); // synapses in flight keep the weights they were sent with
        if (shared_weight_)
            for (SynapseTable& t : partitions_) t.weight.assign(t.size(), *shared_weight_);
        shared_weight_.reset();
        return partitions_;
    }
    // After weights were written at step `now` (the next step to run).
    void weights_changed(Step now = 0) {
        if (!generator_) return;
        // A generator adds count * w to a target each step: w in fixed point once per change.
        // The new weights weigh the draws of steps from `now` on; draws of earlier steps may still
        // be on their way (drawn when they arrive), and keep the weights of their step.
        const float scale = static_cast<float>(ring_->scale());
        FixedWeights version{now, {}};
        for (const SynapseTable& t : partitions_) {
            std::vector<std::int64_t> fixed(t.size());
            for (std::uint64_t s = 0; s < t.size(); ++s) fixed[s] = to_fixed<std::int64_t>(t.weight[s] * scale);
            version.per_partition.push_back(std::move(fixed));
        }
        fixed_versions_.push_back(std::move(version));
        Step oldest = now; // the earliest step whose draws are still to be delivered
        for (const SynapseTable& t : partitions_) oldest = std::min(oldest, drawn_step(t, now));
        while (fixed_versions_.size() > 1 && fixed_versions_[1].from <= oldest) fixed_versions_.erase(fixed_versions_.begin());
    }

    // Whether a projection with these tables could deliver through lists: its delays vary, it is
    // static and not a generator's. Whether it does is the engine's choice (the ring's size).
    static bool listable(const std::vector<SynapseTable>& tables, bool generator, bool plastic) {
        return !generator && !plastic && std::any_of(tables.begin(), tables.end(), [](const auto& t) { return !t.uniform_delays(); });
    }
    // The longest delay its direct writes into the ring need: listed synapses and generators
    // with one delay write only the slot of the next step (drawn when they arrive).
    static std::uint32_t ring_delay(const std::vector<SynapseTable>& tables, bool generator, bool listed) {
        std::uint32_t longest = 1;
        for (const SynapseTable& t : tables)
            if (!listed && !(generator && t.uniform_delays())) longest = std::max(longest, t.max_delay);
        return longest;
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
        PendingRuns* pending = pending_.empty() ? nullptr : &pending_[partition];
        if (pending == nullptr && std::all_of(spike_lists, spike_lists + lists, [](const auto* l) { return l->empty(); })) return;
        ring_->with_slot_type([&](auto slot_type) {
            using Slot = decltype(slot_type);
            if (shared_weight_) with_targets<Slot>(t, SharedWeight{*shared_weight_}, spike_lists, lists, pending, n);
            else with_targets<Slot>(t, TableWeights{t.weight.data()}, spike_lists, lists, pending, n);
        });
    }

private:
    // The weight of synapse s: from the table, or one for all (its product with the scale, and
    // the rounding, then leave the loops).
    struct TableWeights {
        const float* w;
        float operator[](std::uint64_t s) const { return w[s]; }
        [[gnu::always_inline]] void prefetch(std::uint64_t s) const { // the first two lines from synapse s
            __builtin_prefetch(w + s);
            __builtin_prefetch(w + s + 16);
        }
    };
    struct SharedWeight {
        float w;
        float operator[](std::uint64_t) const { return w; }
        [[gnu::always_inline]] void prefetch(std::uint64_t) const {}
    };

    // Before weights change: every synapse still waiting in the lists becomes the input it sends
    // now, kept until it arrives, as if it had been written into the ring when its spike was
    // delivered (as the synapses of projections without lists are).
    void freeze_pending() {
        for (std::size_t p = 0; p < pending_.size(); ++p) {
            const SynapseTable& t = partitions_[p];
            const float scale = static_cast<float>(ring_->scale());
            ring_->with_slot_type([&](auto slot_type) {
                using Slot = decltype(slot_type);
                pending_[p].freeze_all([&](const PendingRun* runs, std::size_t count, std::vector<FrozenInput>& out) {
                    for (std::size_t k = 0; k < count; ++k)
                        for (std::uint64_t s = runs[k].begin(), end = runs[k].end(); s < end; ++s)
                            out.push_back({t.target(s) - t.target_offset, to_fixed<Slot>(weight(p, s) * scale)});
                });
            });
        }
    }

    // A projection whose synapses all have one weight, static and not a generator's, keeps it
    // once instead of per synapse: two thirds of a 16-bit-target table, and of what delivery
    // reads (the Vogels-Abbott networks; Brian2's `on_pre='g += w'` with a scalar w).
    void share_equal_weights() {
        std::optional<float> first;
        for (const SynapseTable& t : partitions_)
            for (float w : t.weight) {
                if (!first) first = w;
                if (std::bit_cast<std::uint32_t>(w) != std::bit_cast<std::uint32_t>(*first)) return;
            }
        if (!first) return;
        shared_weight_ = first;
        for (SynapseTable& t : partitions_) std::vector<float>().swap(t.weight);
    }

    // Calls visit(targets) with the table's target array, 16- or 32-bit.
    template <class Visit>
    static void with_target_array(const SynapseTable& t, Visit&& visit) {
        if (t.narrow_targets()) visit(t.target16.data());
        else visit(t.target32.data());
    }

    template <class Slot, class Weights>
    void with_targets(const SynapseTable& t, Weights weights, const std::vector<Index>* const* spike_lists, int lists,
                      PendingRuns* pending, Step n) const {
        with_target_array(t, [&](const auto* targets) { with_delays<Slot>(t, targets, weights, spike_lists, lists, pending, n); });
    }

    template <class Slot, class Target, class Weights>
    void with_delays(const SynapseTable& t, const Target* targets, Weights weights, const std::vector<Index>* const* spike_lists,
                     int lists, PendingRuns* pending, Step n) const {
        if (!t.delay8.empty()) rows<Slot>(t, targets, weights, t.delay8.data(), spike_lists, lists, pending, n);
        else if (!t.delay16.empty()) rows<Slot>(t, targets, weights, t.delay16.data(), spike_lists, lists, pending, n);
        else rows<Slot>(t, targets, weights, static_cast<const std::uint8_t*>(nullptr), spike_lists, lists, pending, n);
    }

    template <class Slot, class Target, class Weights, class Delay>
    void rows(const SynapseTable& t, const Target* targets, Weights weights, const Delay* delays,
              const std::vector<Index>* const* spike_lists, int lists, PendingRuns* pending, Step n) const {
        // w * 2^q is exact in float as in double (a power-of-two scale), so rounding the float
        // product gives the same integer as rounding a double one, in one instruction.
        const float scale = static_cast<float>(ring_->scale());
        const std::uint64_t mask = ring_->slots() - 1;
        const std::uint64_t stride = t.n_post;
        const std::uint64_t* row_start = t.row_start.data();
        Slot* base = ring_->data<Slot>() + t.target_offset; // stored targets are relative to the offset
        if (delays == nullptr) {
            Slot* slot = base + ((static_cast<std::uint64_t>(n) + t.uniform_delay) & mask) * stride;
            for (int l = 0; l < lists; ++l) {
                const std::vector<Index>& spikes = *spike_lists[l];
                for (std::size_t k = 0; k < spikes.size(); ++k) {
                    prefetch_ahead(row_start, spikes, k, [&](std::uint64_t next) __attribute__((always_inline)) {
                        __builtin_prefetch(targets + next);
                        weights.prefetch(next);
                    });
                    const Index spike = spikes[k];
                    const std::uint64_t end = row_start[spike + 1];
                    for (std::uint64_t s = row_start[spike]; s < end; ++s) slot[targets[s]] += to_fixed<Slot>(weights[s] * scale);
                }
            }
            return;
        }
        if (pending == nullptr) {
            for (int l = 0; l < lists; ++l) {
                const std::vector<Index>& spikes = *spike_lists[l];
                for (std::size_t k = 0; k < spikes.size(); ++k) {
                    prefetch_ahead(row_start, spikes, k, [&](std::uint64_t next) __attribute__((always_inline)) {
                        __builtin_prefetch(targets + next);
                        __builtin_prefetch(delays + next);
                        weights.prefetch(next);
                    });
                    const Index spike = spikes[k];
                    const std::uint64_t end = row_start[spike + 1];
                    for (std::uint64_t s = row_start[spike]; s < end; ++s)
                        base[((static_cast<std::uint64_t>(n) + delays[s]) & mask) * stride + targets[s]] +=
                            to_fixed<Slot>(weights[s] * scale);
                }
            }
            return;
        }
        // Only the delays are read now; the rest of a row when its runs arrive.
        for (int l = 0; l < lists; ++l) {
            const std::vector<Index>& spikes = *spike_lists[l];
            for (std::size_t k = 0; k < spikes.size(); ++k) {
                prefetch_ahead(row_start, spikes, k, [&](std::uint64_t next) __attribute__((always_inline)) { __builtin_prefetch(delays + next); });
                const Index spike = spikes[k];
                for_each_delay_run(delays, row_start[spike], row_start[spike + 1],
                                   [&](std::uint64_t begin, std::uint64_t end, auto delay) { pending->add(n + delay, begin, end); });
            }
        }
        // Delays are at least one step: every synapse arriving at n + 1 is known now.
        Slot* slot = base + ((static_cast<std::uint64_t>(n) + 1) & mask) * stride;
        pending->drain(
            n + 1, [&](const PendingRun* runs, std::size_t count) { add_runs(slot, targets, weights, scale, runs, count); },
            [&](const FrozenInput& input) { slot[input.target] += static_cast<Slot>(input.value); });
    }

    // Before the row of spikes[k] is read. Rows start at random places in tables that may lie
    // beyond L2, each behind a load of its row start: the row start eight spikes ahead is
    // fetched, and fetch_row(begin) fetches the first lines of the row four ahead, so the misses
    // overlap (a row of 40-80 events is added in less time than one miss to L3 takes).
    template <class FetchRow>
    [[gnu::always_inline]] static void prefetch_ahead(const std::uint64_t* row_start, const std::vector<Index>& spikes,
                                                      std::size_t k, FetchRow&& fetch_row) {
        constexpr std::size_t rows_ahead = 4, starts_ahead = 2 * rows_ahead;
        if (k == 0) { // the first rows have no earlier spike to fetch them
            for (std::size_t j = 1; j < std::min(starts_ahead, spikes.size()); ++j) __builtin_prefetch(row_start + spikes[j]);
            for (std::size_t j = 1; j < std::min(rows_ahead, spikes.size()); ++j) fetch_row(row_start[spikes[j]]);
        }
        if (k + starts_ahead < spikes.size()) __builtin_prefetch(row_start + spikes[k + starts_ahead]);
        if (k + rows_ahead < spikes.size()) fetch_row(row_start[spikes[k + rows_ahead]]);
    }

    // Adds the synapses of `count` runs to one slot (of the partition's targets). The runs lie
    // scattered over a table larger than the cache: the first two lines of each array of the
    // run a few runs ahead are prefetched (the hardware prefetcher follows longer runs).
    template <class Slot, class Target, class Weights>
    static void add_runs(Slot* slot, const Target* targets, Weights weights, float scale, const PendingRun* runs,
                         std::size_t count) {
        constexpr std::size_t ahead = 8;
        // always_inline: GCC judges a function of nothing but prefetches free of effects and drops its calls
        auto prefetch = [&](const PendingRun& run) __attribute__((always_inline)) {
            const std::uint64_t begin = run.begin();
            __builtin_prefetch(targets + begin);
            __builtin_prefetch(targets + begin + 64 / sizeof(Target));
            weights.prefetch(begin);
        };
        for (std::size_t k = 0; k < std::min(ahead, count); ++k) prefetch(runs[k]);
        for (std::size_t k = 0; k < count; ++k) {
            if (k + ahead < count) prefetch(runs[k + ahead]);
            for (std::uint64_t s = runs[k].begin(), end = runs[k].end(); s < end; ++s) slot[targets[s]] += to_fixed<Slot>(weights[s] * scale);
        }
    }

    // At step n a generator's synapses with one delay d deliver the draws of step n + 1 - d, which
    // arrive at n + 1 (so the ring needs no slots for d steps ahead); synapses with varying delays
    // deliver the draws of step n. The draws are the same either way: addressed by their step.
    static Step drawn_step(const SynapseTable& t, Step n) {
        return t.uniform_delays() ? n + 1 - static_cast<Step>(t.uniform_delay) : n;
    }
    template <class Slot>
    void drive(std::size_t partition, Step n) const {
        const GeneratorDrive& g = *generator_;
        const SynapseTable& t = partitions_[partition];
        const Step drawn = drawn_step(t, n);
        if (drawn < g.start || drawn >= g.stop) return; // start >= 0: no step before the first
        with_target_array(t, [&](const auto* targets) { drive<Slot>(partition, targets, drawn); });
    }

    // The generator's draws of step n (see above), added to the slots of step n + delay.
    template <class Slot, class Target>
    void drive(std::size_t partition, const Target* targets, Step n) const {
        const GeneratorDrive& g = *generator_;
        const SynapseTable& t = partitions_[partition];
        auto version = fixed_versions_.rbegin(); // the weights of step n: the latest set at or before it
        while (version->from > n && std::next(version) != fixed_versions_.rend()) ++version;
        const std::int64_t* fixed = version->per_partition[partition].data();
        const std::uint64_t mask = ring_->slots() - 1;
        Slot* base = ring_->data<Slot>() + t.target_offset;
        const bool uniform = t.uniform_delays();
        Slot* uniform_slot = base + ((static_cast<std::uint64_t>(n) + t.uniform_delay) & mask) * t.n_post;
        // Four consecutive targets share one Philox block; sixteen blocks are computed at once.
        constexpr int lanes = 16;
        std::uint32_t elements[lanes], words[4][lanes];
        for (Index generator = 0; generator < t.n_pre; ++generator) {
            // The generator's index goes into the high bits of the counter's position.
            const std::uint64_t position = static_cast<std::uint64_t>(n) + (static_cast<std::uint64_t>(generator) << 40);
            const std::uint64_t begin = t.row_start[generator], end = t.row_start[generator + 1];
            if (dense_rows_[partition][generator]) {
                drive_dense<Slot>(uniform_slot + targets[begin], t.target_offset + targets[begin], end - begin, fixed + begin, position);
                continue;
            }
            for (std::uint64_t first = begin; first < end;) {
                // The next (up to) sixteen runs of synapses onto one block, and their blocks.
                int blocks = 0;
                std::uint64_t stop = first;
                for (std::uint32_t last = ~0u; stop < end; ++stop) {
                    const std::uint32_t block = (t.target_offset + targets[stop]) / 4;
                    if (block == last) continue;
                    if (blocks == lanes) break;
                    elements[blocks++] = last = block;
                }
                for (int l = blocks; l < lanes; ++l) elements[l] = 0;
                random_blocks(g.seed, g.projection, RandomPurpose::generator, elements, position, words);
                int lane = -1;
                for (std::uint32_t last = ~0u; first < stop; ++first) {
                    const Index target = t.target_offset + targets[first];
                    if (target / 4 != last) {
                        last = target / 4;
                        ++lane;
                    }
                    Slot* slot = uniform ? uniform_slot : base + ((static_cast<std::uint64_t>(n) + t.delay(first)) & mask) * t.n_post;
                    slot[targets[first]] += static_cast<Slot>(poisson_count(words[target % 4][lane]) * fixed[first]);
                }
            }
        }
    }

    // A generator's row onto `count` consecutive targets from `first_target` (a multiple of four),
    // all with one delay: `slot` points at the first target's slot. The same counts as the
    // general loop above, sixty-four targets (sixteen Philox blocks) at a time.
    template <class Slot>
    void drive_dense(Slot* slot, Index first_target, std::uint64_t count, const std::int64_t* fixed,
                     std::uint64_t position) const {
        const GeneratorDrive& g = *generator_;
        alignas(64) std::uint32_t counts[64]; // by target within the chunk
        for (std::uint64_t chunk = 0; chunk < count; chunk += 64) {
            const std::uint32_t block = (first_target + static_cast<std::uint32_t>(chunk)) / 4;
            chunk_counts(g, block, position, counts);
            const std::uint64_t size = std::min<std::uint64_t>(64, count - chunk);
            for (std::uint64_t k = 0; k < size; ++k) slot[chunk + k] += static_cast<Slot>(counts[k] * fixed[chunk + k]);
        }
    }

    // The counts of the sixty-four targets of Philox blocks block ... block + 15, in target order.
    void chunk_counts(const GeneratorDrive& g, std::uint32_t block, std::uint64_t position, std::uint32_t (&counts)[64]) const {
#if defined(__AVX512F__)
        __m512i words[4], k[4];
        random_blocks_x16(g.seed, g.projection, RandomPurpose::generator, block, position, words);
        const __m512i flag = _mm512_set1_epi32(static_cast<int>(1u << 31));
        const __m512i ceiling_lo = _mm512_load_si512(g.ceiling32), ceiling_hi = _mm512_load_si512(g.ceiling32 + 16);
        __mmask16 tail = 0; // lanes whose bucket holds two thresholds or more: counted one by one below
        for (int w = 0; w < 4; ++w) { // word w of lane l belongs to target 4 l + w
            k[w] = _mm512_i32gather_epi32(_mm512_srli_epi32(words[w], 20), g.bucket.data(), 4);
            tail |= _mm512_test_epi32_mask(k[w], flag);
            k[w] = _mm512_andnot_si512(flag, k[w]);
            const __m512i ceiling = g.ceilings_in_registers() ? _mm512_permutex2var_epi32(ceiling_lo, k[w], ceiling_hi)
                                                              : _mm512_i32gather_epi32(k[w], g.ceiling.data(), 4);
            k[w] = _mm512_mask_add_epi32(k[w], _mm512_cmpgt_epu32_mask(words[w], ceiling), k[w], _mm512_set1_epi32(1));
        }
        // Transpose to target order: x[i] holds, per 128-bit lane q, the four words of lane 4 q + i.
        const __m512i ab_lo = _mm512_unpacklo_epi32(k[0], k[1]), ab_hi = _mm512_unpackhi_epi32(k[0], k[1]);
        const __m512i cd_lo = _mm512_unpacklo_epi32(k[2], k[3]), cd_hi = _mm512_unpackhi_epi32(k[2], k[3]);
        const __m512i x0 = _mm512_unpacklo_epi64(ab_lo, cd_lo), x1 = _mm512_unpackhi_epi64(ab_lo, cd_lo);
        const __m512i x2 = _mm512_unpacklo_epi64(ab_hi, cd_hi), x3 = _mm512_unpackhi_epi64(ab_hi, cd_hi);
        const __m512i y0 = _mm512_shuffle_i32x4(x0, x1, 0x44), y1 = _mm512_shuffle_i32x4(x2, x3, 0x44);
        const __m512i y2 = _mm512_shuffle_i32x4(x0, x1, 0xEE), y3 = _mm512_shuffle_i32x4(x2, x3, 0xEE);
        _mm512_store_si512(counts + 0, _mm512_shuffle_i32x4(y0, y1, 0x88));
        _mm512_store_si512(counts + 16, _mm512_shuffle_i32x4(y0, y1, 0xDD));
        _mm512_store_si512(counts + 32, _mm512_shuffle_i32x4(y2, y3, 0x88));
        _mm512_store_si512(counts + 48, _mm512_shuffle_i32x4(y2, y3, 0xDD));
        if (tail == 0) return;
        alignas(64) std::uint32_t u[4][16];
        for (int w = 0; w < 4; ++w) _mm512_store_si512(u[w], words[w]);
        for (int t = 0; t < 64; ++t) counts[t] = static_cast<std::uint32_t>(poisson_count(u[t % 4][t / 4]));
#else
        std::uint32_t elements[16], u[4][16];
        for (std::uint32_t l = 0; l < 16; ++l) elements[l] = block + l;
        random_blocks(g.seed, g.projection, RandomPurpose::generator, elements, position, u);
        for (int t = 0; t < 64; ++t) counts[t] = static_cast<std::uint32_t>(poisson_count(u[t % 4][t / 4]));
#endif
    }

    // The Poisson count of a uniform 32-bit draw, by inversion.
    std::int64_t poisson_count(std::uint64_t u) const {
        const GeneratorDrive& g = *generator_;
        std::int64_t count = g.bucket[u >> 20] & ~(1u << 31);
        while (u >= g.thresholds[count]) ++count; // the last threshold, 2^32, stops it
        return count;
    }

    std::vector<SynapseTable> partitions_;
    std::uint32_t pre_;
    std::uint32_t post_;
    InputRing* ring_;
    std::optional<GeneratorDrive> generator_;
    std::unique_ptr<Plasticity> plasticity_;
    std::optional<float> shared_weight_; // the weight of every synapse, when they are all equal
    std::vector<PendingRuns> pending_;   // per partition, where synapses wait in lists
    struct FixedWeights {
        Step from; // the first step whose draws these weights weigh
        std::vector<std::vector<std::int64_t>> per_partition; // w * scale, rounded
    };
    std::vector<FixedWeights> fixed_versions_; // generator projections: oldest first
    std::vector<std::vector<bool>> dense_rows_;            // generator projections: per partition and generator
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
