#pragma once
// A population as the CPU engine runs it. One virtual call per population, thread and step; the
// loop over neurons inside is a template over the model and the number type. Each thread owns a
// contiguous range of every population and updates only that range, so updates need no locks.
#include <cstdint>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "core/types.hpp"

namespace spikegraph::cpu {

inline constexpr Index neuron_block = 1024; // neurons per vectorised block (a multiple of 16)

template <class T>
class Population {
public:
    explicit Population(Index size) : size_(size) {}
    virtual ~Population() = default;

    // Advances neurons [begin, end) through step n and appends those that spiked, ascending.
    virtual void update(Step n, Index begin, Index end, std::vector<Index>& spikes) = 0;

    // State variable `index` (ModelInfo::state order) as a contiguous array; null for sources.
    virtual const T* variable(std::size_t index) const {
        (void)index;
        return nullptr;
    }
    // Adds `delta` [nA] to neuron k's injected bias current (step current sources).
    virtual void add_injected_current(Index k, double delta) {
        (void)k;
        (void)delta;
    }
    // Allocates the input rings, one shape per receptor; `narrow`: int32 slots in all of them.
    virtual void make_rings(const std::vector<RingShape>& shapes, bool narrow) {
        (void)shapes;
        (void)narrow;
    }
    // The synaptic input of one receptor; inactive when nothing projects there.
    virtual InputRing* ring(int receptor) {
        (void)receptor;
        return nullptr;
    }
    virtual std::size_t bytes() const { return 0; }

    Index size() const { return size_; }

protected:
    Index size_;
};

} // namespace spikegraph::cpu
