#pragma once
// The plasticity rule list. Adding a rule: write its header (Params with validate(), Coeffs,
// trace counts, trace_times, on_pre / on_post / step), add it to PlasticityRules, add a test of
// its analytic behaviour. Validation, the backends and the Python bindings pick it up from here.
#include <string_view>
#include <vector>

#include "neurons/models.hpp"
#include "plasticity/hebbian.hpp"
#include "plasticity/stdp.hpp"
#include "plasticity/stdp_triplet.hpp"

namespace spikegraph {

using PlasticityRules = TypeList<Stdp, StdpTriplet, Oja>;

// Every rule by name; throws invalid_parameter naming the known rules for an unknown name.
const ModelInfo& rule_info(std::string_view name);
std::vector<const ModelInfo*> all_rules();

} // namespace spikegraph
