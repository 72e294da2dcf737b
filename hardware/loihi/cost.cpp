#include "hardware/loihi/cost.hpp"

#include <algorithm>
#include <cstdlib>

#include "hardware/loihi/spec.hpp"

namespace spikegraph::loihi {

CostReport estimate(const QuantizedNetwork& net, const Placement& placement, const ActivityCounts& activity) {
    const Spec& spec = chip_spec(net.chip);
    const EnergyModel& e = spec.energy;
    CostReport r;
    r.steps = activity.steps;
    const auto& spikes = *activity.spikes;
    std::vector<double> core_syn_ops(placement.cores.size(), 0.0);
    for (const SynapseGroup& s : net.projections)
        for (std::size_t k = 0; k < s.weight.size(); ++k) {
            const double n = static_cast<double>(spikes[s.pre][s.pre_index[k]]);
            r.synaptic_ops += n;
            core_syn_ops[placement.core_of[s.post][s.post_index[k]]] += n;
        }
    // Messages: one per spike and destination core; hops on the chip's mesh of tiles.
    auto tile_xy = [&](std::uint32_t core) {
        const int tile = static_cast<int>(core % spec.cores_per_chip) / spec.cores_per_tile;
        return std::pair{tile % spec.tile_columns, tile / spec.tile_columns};
    };
    for (std::uint32_t p = 0; p < net.populations.size(); ++p) {
        const CompartmentGroup& g = net.populations[p];
        const auto destinations = destination_cores(net, placement, p);
        for (Index i = 0; i < g.size; ++i) {
            const double n = static_cast<double>(spikes[p][i]);
            r.spikes += g.source ? 0.0 : n;
            if (n == 0.0) continue;
            const auto& d = destinations[i];
            if (g.source) {
                r.input_spikes += n * static_cast<double>(d.size());
                continue;
            }
            const std::uint32_t from = placement.core_of[p][i];
            const auto [fx, fy] = tile_xy(from);
            for (std::uint32_t to : d) {
                if (placement.chip_of(to, spec) != placement.chip_of(from, spec)) {
                    r.messages_between_chips += n; // their energy is not published: counted only
                    continue;
                }
                const auto [tx, ty] = tile_xy(to);
                if (fx == tx && fy == ty) r.messages_within_tile += n;
                r.hops_east_west += n * std::abs(tx - fx);
                r.hops_north_south += n * std::abs(ty - fy);
            }
        }
    }
    // Compartment updates: every compartment every step; active ones as counted by the emulator.
    std::vector<double> core_active(placement.cores.size(), 0.0), core_inactive(placement.cores.size(), 0.0);
    for (std::uint32_t c = 0; c < placement.cores.size(); ++c) {
        const CoreUse& core = placement.cores[c];
        const CompartmentGroup& g = net.populations[core.population];
        const double share = static_cast<double>(core.count) / static_cast<double>(g.size);
        const double active = static_cast<double>((*activity.active_updates)[core.population]) * share;
        core_active[c] = active;
        core_inactive[c] = static_cast<double>(core.count) * static_cast<double>(activity.steps) - active;
        r.active_updates += active;
        r.inactive_updates += core_inactive[c];
    }
    r.synaptic_energy_pj = r.synaptic_ops * e.synaptic_op_pj;
    r.neuron_energy_pj = r.active_updates * e.neuron_active_pj + r.inactive_updates * e.neuron_inactive_pj;
    r.routing_energy_pj = r.messages_within_tile * e.spike_within_tile_pj + r.hops_east_west * e.hop_east_west_pj +
                          r.hops_north_south * e.hop_north_south_pj;
    double busiest = 0.0;
    for (std::uint32_t c = 0; c < placement.cores.size(); ++c)
        busiest = std::max(busiest, core_syn_ops[c] * e.synaptic_op_ns + core_active[c] * e.neuron_active_ns +
                                        core_inactive[c] * e.neuron_inactive_ns);
    const double tiles = std::max(1.0, std::ceil(static_cast<double>(placement.cores.size()) / spec.cores_per_tile));
    // Barrier: 113 ns for one tile to 465 ns for 32 (Davies 2018), linear in between, 465 beyond.
    const double barrier = e.barrier_ns + (e.barrier_ns_32_tiles - e.barrier_ns) * std::min(1.0, (tiles - 1.0) / 31.0);
    if (activity.steps > 0) r.time_per_step_ns = busiest / static_cast<double>(activity.steps) + barrier;
    r.static_energy_pj = e.static_power_mw_per_chip * placement.chips * 1e-3 * r.time_per_step_ns * 1e-9 *
                         static_cast<double>(activity.steps) * 1e12;
    return r;
}

} // namespace spikegraph::loihi
