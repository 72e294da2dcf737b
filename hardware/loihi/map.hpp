#pragma once
// Placement of a quantized network on Loihi neurocores. Each population is cut into equal slices,
// one per core, as large as every per-core limit allows: compartments, synaptic memory (each
// input axon's synapse list: a 10-bit header plus weight, delay and target-index bits per
// synapse, rounded up to 64-bit words, as NengoLoihi counts it), input axons (distinct
// presynaptic neurons reaching the core) and output axons (distinct destination cores of the
// core's neurons). Populations are taken in breadth-first order of the network graph from its
// inputs, so a layer's cores follow those of the layer feeding it. Spike sources are host inputs
// and take no core. A network that cannot fit names the limit it breaks and by how much.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/loihi/quantized_network.hpp"
#include "hardware/loihi/spec.hpp"

namespace spikegraph::loihi {

struct CoreUse {
    std::uint32_t population = 0;
    Index first = 0, count = 0;  // the compartments [first, first + count) of the population
    double synapse_bits = 0.0;
    std::uint32_t input_axons = 0;
    std::uint32_t output_axons = 0;
};

struct Placement {
    std::string chip;
    std::vector<CoreUse> cores;                       // core id = index
    std::vector<std::vector<std::uint32_t>> core_of;  // [population][neuron] -> core (sources: none)
    std::vector<Index> slice;                         // [population] compartments per core (0: source)
    int chips = 0;

    int chip_of(std::uint32_t core, const Spec& spec) const { return static_cast<int>(core / spec.cores_per_chip); }
};

// Utilisation figures: (name, value, unit), for reports.
struct UsageLine {
    std::string name;
    double value;
    std::string unit;
};

Placement map_network(const QuantizedNetwork& network);
// For each neuron of `population`, the distinct cores its synapses reach, ascending.
std::vector<std::vector<std::uint32_t>> destination_cores(const QuantizedNetwork& network, const Placement& placement,
                                                          std::uint32_t population);
std::vector<UsageLine> usage(const QuantizedNetwork& network, const Placement& placement);

} // namespace spikegraph::loihi
