#pragma once
// Energy and time of a run on Loihi from its activity and the chip's figures (spec.hpp):
//   synaptic operations x E_syn, compartment updates x E_active / E_inactive,
//   spike messages: one per (spiking neuron, destination core), within its tile or over tile hops
//   (east-west and north-south counted separately on the chip's mesh);
//   time per step: the busiest core's synaptic and compartment work plus the barrier;
//   static energy: the chips' static power over that time.
// Spikes from host inputs are counted but carry no routing energy (not published), nor does
// traffic between chips.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/loihi/map.hpp"
#include "hardware/loihi/quantized_network.hpp"

namespace spikegraph::loihi {

// Activity counted by the emulator (backends/loihi/emulator.hpp fills it).
struct ActivityCounts {
    std::uint64_t steps = 0;
    const std::vector<std::vector<std::uint64_t>>* spikes = nullptr; // [population][neuron]
    const std::vector<std::uint64_t>* active_updates = nullptr;      // [population]
};

struct CostReport {
    std::uint64_t steps = 0;
    double synaptic_ops = 0, active_updates = 0, inactive_updates = 0, spikes = 0;
    double messages_within_tile = 0, hops_east_west = 0, hops_north_south = 0, input_spikes = 0;
    double messages_between_chips = 0; // counted, not costed
    double synaptic_energy_pj = 0, neuron_energy_pj = 0, routing_energy_pj = 0, static_energy_pj = 0;
    double time_per_step_ns = 0;

    double dynamic_energy_pj() const { return synaptic_energy_pj + neuron_energy_pj + routing_energy_pj; }
    double total_energy_pj() const { return dynamic_energy_pj() + static_energy_pj; }
    double energy_per_step_pj() const { return steps ? total_energy_pj() / static_cast<double>(steps) : 0.0; }
};

CostReport estimate(const QuantizedNetwork& network, const Placement& placement, const ActivityCounts& activity);

} // namespace spikegraph::loihi
