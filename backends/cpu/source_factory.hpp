#pragma once
// The spike sources of a network as the cpu engine runs them; emulators reuse them, so a source
// emits the same spikes on every backend for the same seed.
#include <memory>
#include <string>

#include "backends/cpu/source_populations.hpp"
#include "core/population_values.hpp"

namespace spikegraph::cpu {

// The running source for `spec`, or null when the population is not a spike source.
template <class T>
std::unique_ptr<Population<T>> make_spike_source(const PopulationSpec& spec, std::uint32_t index, double dt, Seed seed) {
    const std::string object = "source '" + spec.name + "'";
    if (spec.model == &PoissonSource::info()) {
        const auto rates = population_values(spec, index, "rate", param_or_default(*spec.model, spec.params, "rate"),
                                             parameter_slot, seed);
        return std::make_unique<PoissonPopulation<T>>(params_from_map<PoissonSource>(spec.params), rates, dt, seed, index,
                                                      object);
    }
    if (spec.model == &SpikeArraySource::info())
        return std::make_unique<SpikeArrayPopulation<T>>(params_from_map<SpikeArraySource>(spec.params), dt, object);
    return nullptr;
}

} // namespace spikegraph::cpu
