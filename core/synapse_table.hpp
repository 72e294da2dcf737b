#pragma once
// A projection's synapses in compressed sparse rows grouped by presynaptic neuron, rows sorted by
// (delay, target), one array per field: the narrowest target index that fits, a float weight and,
// only where delays vary, an 8- or 16-bit delay in steps. Every backend consumes this layout.
// A table may hold only the targets in [target_offset, target_offset + target_span) (one
// partition of a projection); targets are stored relative to target_offset, so a partition of
// at most 65,536 neurons needs 16 bits per target whatever the population's size.
#include <cstdint>
#include <vector>

#include "core/network.hpp"

namespace spikegraph {

struct SynapseTable {
    Index n_pre = 0;
    Index n_post = 0;
    std::vector<std::uint64_t> row_start; // n_pre + 1 offsets into the per-synapse arrays
    Index target_offset = 0;              // stored targets are relative to this
    Index target_span = 0;                // targets lie in [offset, offset + span)
    std::vector<std::uint16_t> target16;  // used when target_span <= 65536
    std::vector<std::uint32_t> target32;  // used otherwise
    std::vector<float> weight;
    std::vector<std::uint8_t> delay8;     // per-synapse delays when they vary and fit 8 bits
    std::vector<std::uint16_t> delay16;   // per-synapse delays when they vary and need 16 bits
    std::uint32_t uniform_delay = 1;      // steps, when every synapse has the same delay
    std::uint32_t max_delay = 1;          // steps
    std::uint32_t max_in_degree = 0;      // largest number of synapses onto one target
    double max_abs_weight = 0.0;

    std::uint64_t size() const { return row_start.empty() ? 0 : row_start.back(); }
    bool narrow_targets() const { return target_span <= 65536; }
    bool uniform_delays() const { return delay8.empty() && delay16.empty(); }
    Index target(std::uint64_t s) const { return target_offset + (narrow_targets() ? target16[s] : target32[s]); }
    std::uint32_t delay(std::uint64_t s) const {
        return !delay8.empty() ? delay8[s] : !delay16.empty() ? delay16[s] : uniform_delay;
    }
    std::size_t bytes() const;
};

// Resolves a projection's connector, weights and delays for a time step dt [ms].
SynapseTable build_synapse_table(const Network& network, ProjectionId projection, Seed seed, double dt);

// The same synapses split by target: table p holds those whose target lies in
// [target_bounds[p], target_bounds[p + 1]) (targets keep their population index). A backend gives
// each thread one partition, so threads never write the same target. The synapses, and every
// random draw behind them, do not depend on the partitioning.
std::vector<SynapseTable> build_synapse_tables(const Network& network, ProjectionId projection, Seed seed, double dt,
                                               const std::vector<Index>& target_bounds);

// The number of synapses a projection will have (the expectation for probabilistic connectors),
// and an upper bound on the bytes one synapse of it needs; used to refuse networks that cannot
// fit before allocating.
double expected_synapse_count(const Network& network, ProjectionId projection);
double bytes_per_synapse(const Network& network, ProjectionId projection);

} // namespace spikegraph
