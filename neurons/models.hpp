#pragma once
// The model lists. Adding a neuron model: write its header, add it to NeuronModels, add an
// analytic test. Backends, validation, recording and the Python bindings pick it up from here.
#include <string_view>
#include <vector>

#include "neurons/coba_lif.hpp"
#include "neurons/cuba_lif.hpp"
#include "neurons/li.hpp"
#include "neurons/lif.hpp"
#include "neurons/sources.hpp"
#include "neurons/variants.hpp"

namespace spikegraph {

template <class... Models>
struct TypeList {};

using NeuronModels = TypeList<Lif, CubaLif, CobaLif, Li>;
using SourceModels = TypeList<PoissonSource, PoissonGenerator, SpikeArraySource, StepCurrentSource>;

// Every model by name; throws invalid_parameter naming the known models for an unknown name.
const ModelInfo& model_info(std::string_view name);
std::vector<const ModelInfo*> all_models();

} // namespace spikegraph
