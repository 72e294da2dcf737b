#pragma once
// Per-neuron values of a population's field (a parameter or an initial state), drawn as every
// backend draws them: random draws use slot `slot` of the population's streams, so the cpu
// backend and an emulator give each neuron the same value for the same seed.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/network.hpp"
#include "core/values.hpp"

namespace spikegraph {

inline constexpr std::uint32_t parameter_slot = 1000; // streams of per-neuron parameters start here

inline std::vector<double> population_values(const PopulationSpec& spec, std::uint32_t population,
                                             std::string_view field, double fallback, std::uint32_t slot, Seed seed) {
    auto it = spec.params.find(field);
    const ValueSpec value = it == spec.params.end() ? ValueSpec(fallback) : value_spec(it->second);
    return resolve_values(value, spec.size, seed, population, RandomPurpose::initial_value, slot,
                          "population '" + spec.name + "'", field);
}

} // namespace spikegraph
