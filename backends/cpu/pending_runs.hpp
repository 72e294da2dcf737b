#pragma once
// Synapses waiting for their arrival step, as runs of a synapse table: one list per step ahead,
// as a ring. A table's rows are sorted by delay, so the synapses of one spike that share a delay
// are contiguous; delivering a spike appends one (begin, end) run per delay of its row, and at
// each step the runs arriving then are read from the table and added to one input slot, which
// stays in cache. Writing each synapse straight into the slot of its delay would scatter the
// writes over a ring of slots larger than the cache; copying each synapse into a list would cost
// a write and a read per synapse. A run is 8 bytes for the ~10-50 synapses of one delay.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "core/avx512.hpp"
#include "core/types.hpp"

namespace spikegraph::cpu {

// Synapses [begin(), end()) of a table, in 8 bytes: the lists of a large network are megabytes
// written and read back every step. Tables index synapses with fewer than 48 bits (2.8e14
// synapses would not fit in memory); longer runs are split (PendingRuns::add).
class PendingRun {
public:
    static constexpr std::uint64_t longest = 0xFFFF;
    PendingRun(std::uint64_t begin, std::uint64_t end) : word_(begin | (end - begin) << 48) {}
    std::uint64_t begin() const { return word_ & ((std::uint64_t{1} << 48) - 1); }
    std::uint64_t end() const { return begin() + (word_ >> 48); }

private:
    std::uint64_t word_;
};

// A synapse whose weight changed while it was in flight: its input as sent, in fixed point.
struct FrozenInput {
    std::uint32_t target; // relative to the partition's first target
    std::int64_t value;
};

class PendingRuns {
public:
    // Lists for arrivals up to max_delay steps ahead, as many as a ring's slots (ring_slots): the
    // list of arrival n + max_delay may be that of n, which the step before emptied.
    explicit PendingRuns(std::uint32_t max_delay) : lists_(ring_slots(max_delay)) {}

    void add(Step arrival, std::uint64_t begin, std::uint64_t end) {
        std::vector<PendingRun>& runs = at(arrival).runs;
        for (; end - begin > PendingRun::longest; begin += PendingRun::longest) runs.emplace_back(begin, begin + PendingRun::longest);
        runs.emplace_back(begin, end);
    }
    // Calls apply(runs, count) with the runs arriving at `arrival` and frozen(input) for the
    // inputs frozen in its list, then empties that list.
    template <class Apply, class Frozen>
    void drain(Step arrival, Apply&& apply, Frozen&& frozen) {
        List& list = at(arrival);
        if (!list.runs.empty()) apply(list.runs.data(), list.runs.size());
        for (const FrozenInput& input : list.frozen) frozen(input);
        list.runs.clear();
        list.frozen.clear();
    }
    // Before weights change: replaces every run by the inputs its synapses send now, which
    // freeze(runs, count, out) appends to `out`.
    template <class Freeze>
    void freeze_all(Freeze&& freeze) {
        for (List& list : lists_) {
            if (!list.runs.empty()) freeze(list.runs.data(), list.runs.size(), list.frozen);
            list.runs.clear();
        }
    }

private:
    struct List {
        std::vector<PendingRun> runs;
        std::vector<FrozenInput> frozen;
    };
    List& at(Step arrival) { return lists_[static_cast<std::uint64_t>(arrival) & (lists_.size() - 1)]; }
    std::vector<List> lists_;
};

// Calls run(begin, end, delay) for each run of equal delays in [begin, end) of a row sorted by
// delay (for_each_delay_run below chooses the scan). A run's end is found a 64-bit word of delays
// at a time: the first byte that differs from the run's delay (little-endian: the lowest address
// is the lowest byte).
template <class Delay, class Run>
inline void delay_runs_by_word(const Delay* delays, std::uint64_t begin, std::uint64_t end, Run&& run) {
    static_assert(std::endian::native == std::endian::little, "the word scan reads delays as little-endian words");
    constexpr std::uint64_t per_word = sizeof(std::uint64_t) / sizeof(Delay);
    constexpr std::uint64_t ones = ~std::uint64_t{0} / ((std::uint64_t{1} << (8 * sizeof(Delay))) - 1); // 1 in every lane
    for (std::uint64_t s = begin; s < end;) {
        const Delay delay = delays[s];
        const std::uint64_t pattern = ones * delay;
        std::uint64_t stop = s + 1;
        for (;;) {
            if (stop + per_word > end) {
                while (stop < end && delays[stop] == delay) ++stop;
                break;
            }
            std::uint64_t word;
            std::memcpy(&word, delays + stop, sizeof word);
            const std::uint64_t differ = word ^ pattern;
            if (differ != 0) {
                stop += static_cast<std::uint64_t>(std::countr_zero(differ)) / (8 * sizeof(Delay));
                break;
            }
            stop += per_word;
        }
        run(s, stop, delay);
        s = stop;
    }
}

#if defined(__AVX512BW__)
// 8-bit delays, 64 at a time: one compare of the row with itself shifted by one marks where a
// run begins, and the marks are read off in order. The word scan above ends each run on a
// branch that a row of random run lengths mispredicts once per run; here the loops end once per
// 64 delays. Masked loads read nothing beyond the row.
template <class Run>
inline void delay_runs_by_mask(const std::uint8_t* delays, std::uint64_t begin, std::uint64_t end, Run&& run) {
    if (begin >= end) return;
    std::uint64_t start = begin; // of the run in progress
    for (std::uint64_t at = begin + 1; at < end; at += 64) {
        const std::uint64_t count = std::min<std::uint64_t>(64, end - at);
        const __mmask64 valid = count == 64 ? ~__mmask64{0} : (__mmask64{1} << count) - 1;
        const __m512i here = _mm512_maskz_loadu_epi8(valid, delays + at);
        const __m512i before = _mm512_maskz_loadu_epi8(valid, delays + at - 1);
        for (std::uint64_t starts = _mm512_mask_cmpneq_epu8_mask(valid, here, before); starts != 0; starts &= starts - 1) {
            const std::uint64_t next = at + static_cast<std::uint64_t>(std::countr_zero(starts));
            run(start, next, delays[start]);
            start = next;
        }
    }
    run(start, end, delays[start]);
}
#endif

// Calls run(begin, end, delay) for each run of equal delays in [begin, end) of a row sorted by delay.
template <class Delay, class Run>
inline void for_each_delay_run(const Delay* delays, std::uint64_t begin, std::uint64_t end, Run&& run) {
#if defined(__AVX512BW__)
    if constexpr (sizeof(Delay) == 1) {
        delay_runs_by_mask(delays, begin, end, run);
        return;
    }
#endif
    delay_runs_by_word(delays, begin, end, run);
}

} // namespace spikegraph::cpu
