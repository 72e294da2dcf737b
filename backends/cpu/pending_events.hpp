#pragma once
// Synaptic events waiting for their arrival step: one list per step ahead, as a ring. A spike's
// row is read once, front to back, when the spike is delivered, and each synapse appends
// (target, weight) to the list of its arrival step; at each step one list is applied to one input
// slot. Every access is sequential except the last, and that slot stays in cache, where writing
// each event straight into the slot of its delay would scatter the writes over a ring of slots
// larger than the cache.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "core/types.hpp"

namespace spikegraph::cpu {

struct PendingEvent {
    std::uint32_t target; // relative to the partition's first target
    float weight;
};

class PendingEvents {
public:
    // Lists for arrivals up to max_delay steps ahead: a power of two above it, so a new event
    // never lands in the list being applied.
    explicit PendingEvents(std::uint32_t max_delay) : lists_(ring_slots(max_delay)) {}

    // Room for `count` more events arriving at step `arrival`: the caller writes all of them.
    PendingEvent* append(Step arrival, std::size_t count) {
        List& list = at(arrival);
        if (list.size + count > list.capacity) {
            const std::size_t capacity = std::max(2 * list.capacity, list.size + count);
            auto grown = std::make_unique<PendingEvent[]>(capacity);
            if (list.size > 0) std::memcpy(grown.get(), list.events.get(), list.size * sizeof(PendingEvent));
            list.events = std::move(grown);
            list.capacity = capacity;
        }
        PendingEvent* out = list.events.get() + list.size;
        list.size += count;
        return out;
    }
    // Calls apply(event) for every event arriving at `arrival`, then empties that list.
    template <class Apply>
    void drain(Step arrival, Apply&& apply) {
        List& list = at(arrival);
        const PendingEvent* events = list.events.get();
        const std::size_t size = list.size; // a local: the writes of apply() could alias the member
        for (std::size_t e = 0; e < size; ++e) apply(events[e]);
        list.size = 0;
    }
private:
    struct List {
        std::unique_ptr<PendingEvent[]> events;
        std::size_t size = 0, capacity = 0;
    };
    List& at(Step arrival) { return lists_[static_cast<std::uint64_t>(arrival) & (lists_.size() - 1)]; }
    std::vector<List> lists_;
};

} // namespace spikegraph::cpu
