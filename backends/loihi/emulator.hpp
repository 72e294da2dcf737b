#pragma once
// Loihi emulator: runs a QuantizedNetwork bit for bit as Lava's bit-accurate models do. Each step n
//   1. every compartment group advances through the generic cuba_lif step on loihi::Int (a_in is
//      the input that arrived for step n, u += a_in << 6, then v), and spike sources emit;
//   2. the spikes of step n enter the input of step n + delay of their targets: per projection
//      and step, a target's summed weights are shifted by weight_exp (a right shift floors the
//      sum of that step's spikes with that delay, as Lava's Dense and DelayDense do).
// Single-threaded by design: it emulates one chip's arithmetic; speed comes from flat arrays.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/progress.hpp"
#include "core/recording.hpp"
#include "hardware/loihi/cost.hpp"
#include "hardware/loihi/map.hpp"
#include "hardware/loihi/quantized_network.hpp"

namespace spikegraph::loihi {

// What a run did, for the cost model: per population, spikes per neuron and compartment updates
// that found a non-zero state (input, u or v).
struct Activity {
    Step steps = 0;
    std::vector<std::vector<std::uint64_t>> spikes;      // [population][neuron]
    std::vector<std::uint64_t> active_updates;           // [population]
};

class Emulator {
public:
    explicit Emulator(QuantizedNetwork network, Seed seed = 1);
    ~Emulator();
    Emulator(Emulator&&) noexcept;
    Emulator& operator=(Emulator&&) noexcept;

    void run(Step steps, const ProgressCallback& progress = {});
    Step steps() const;

    // Spikes and samples of the network's records (state variables "u" and "v" in Loihi units).
    const Recording& recording() const;
    // The current state "u" or "v" of every compartment of a population.
    std::vector<std::int64_t> state(std::uint32_t population, std::string_view variable) const;
    const Activity& activity() const;
    const QuantizedNetwork& network() const;
    double wall_time() const; // s spent in run()
    // Energy and time of the steps run so far on `placement` (map_network of this network;
    // hardware/loihi/cost.hpp).
    CostReport cost(const Placement& placement) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace spikegraph::loihi
