#pragma once
// Synapses waiting for their arrival step, as runs of a synapse table: one list per step ahead,
// as a ring. A table's rows are sorted by delay, so the synapses of one spike that share a delay
// are contiguous; delivering a spike appends one (begin, end) run per delay of its row, and at
// each step the runs arriving then are read from the table and added to one input slot, which
// stays in cache. Writing each synapse straight into the slot of its delay would scatter the
// writes over a ring of slots larger than the cache; copying each synapse into a list would cost
// a write and a read per synapse. A run is 16 bytes for the ~10-50 synapses of one delay.
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "core/types.hpp"

namespace spikegraph::cpu {

struct PendingRun {
    std::uint64_t begin, end; // synapses [begin, end) of the table
};

class PendingRuns {
public:
    // Lists for arrivals up to max_delay steps ahead: a power of two above it, so a new run
    // never lands in the list being applied.
    explicit PendingRuns(std::uint32_t max_delay) : lists_(ring_slots(max_delay)) {}

    void add(Step arrival, std::uint64_t begin, std::uint64_t end) {
        List& list = at(arrival);
        list.arrival = arrival;
        list.runs.push_back({begin, end});
    }
    // Calls apply(runs, count) with the runs arriving at `arrival`, then empties that list.
    template <class Apply>
    void drain(Step arrival, Apply&& apply) {
        List& list = at(arrival);
        if (!list.runs.empty()) apply(list.runs.data(), list.runs.size());
        list.runs.clear();
    }
    // Calls apply(arrival, runs, count) for every list that holds runs, then empties them all.
    template <class Apply>
    void drain_all(Apply&& apply) {
        for (List& list : lists_) {
            if (!list.runs.empty()) apply(list.arrival, list.runs.data(), list.runs.size());
            list.runs.clear();
        }
    }

private:
    struct List {
        std::vector<PendingRun> runs;
        Step arrival = 0;
    };
    List& at(Step arrival) { return lists_[static_cast<std::uint64_t>(arrival) & (lists_.size() - 1)]; }
    std::vector<List> lists_;
};

// Calls run(begin, end, delay) for each run of equal delays in [begin, end) of a row sorted by
// delay. A run's end is found a 64-bit word of delays at a time: the first byte that differs
// from the run's delay (little-endian: the lowest address is the lowest byte).
template <class Delay, class Run>
inline void for_each_delay_run(const Delay* delays, std::uint64_t begin, std::uint64_t end, Run&& run) {
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

} // namespace spikegraph::cpu
