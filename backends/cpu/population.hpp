#pragma once
// A population as the CPU engine runs it. One virtual call per population per step; the loop
// over neurons inside is a template over the model and the number type.
#include <memory>
#include <string>
#include <vector>

#include "backends/cpu/input_ring.hpp"
#include "backends/cpu/parallel.hpp"
#include "core/types.hpp"

namespace spikegraph::cpu {

inline constexpr std::uint64_t neuron_block = 1024; // neurons per parallel block (a multiple of 4)

template <class T>
class Population {
public:
    explicit Population(Index size) : size_(size) {}
    virtual ~Population() = default;

    // Advances step n and fills spikes() with the neurons that spiked, ascending.
    virtual void update(Step n, Parallel& parallel) = 0;

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
    // Allocates the input ring of a receptor that projections target.
    virtual void make_ring(int receptor, std::uint32_t max_delay, double bound) {
        (void)receptor;
        (void)max_delay;
        (void)bound;
    }
    // The synaptic input of one receptor; inactive when nothing projects there.
    virtual InputRing* ring(int receptor) {
        (void)receptor;
        return nullptr;
    }
    virtual std::size_t bytes() const { return 0; }

    Index size() const { return size_; }
    const std::vector<Index>& spikes() const { return spikes_; }

protected:
    // Concatenates per-block spike lists in block order.
    void merge_blocks(std::vector<std::vector<Index>>& blocks) {
        spikes_.clear();
        for (auto& block : blocks) {
            spikes_.insert(spikes_.end(), block.begin(), block.end());
            block.clear();
        }
    }

    Index size_;
    std::vector<Index> spikes_;
};

} // namespace spikegraph::cpu
