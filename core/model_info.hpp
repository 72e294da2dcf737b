#pragma once
// What the network layer knows of a model: its parameters with units and bounds, its state
// variables and its receptors. Models (neurons/) describe themselves with this; core/ validates
// parameter maps against it without knowing any model type.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/values.hpp"

namespace spikegraph {

using RaggedArray = std::vector<std::vector<double>>;
using ParamValue = std::variant<double, std::string, std::vector<double>, RaggedArray, Distribution>;
using ParamMap = std::map<std::string, ParamValue, std::less<>>;

enum class VertexKind : std::uint8_t {
    neuron,        // has dynamics and receives projections
    spike_source,  // emits spikes (Poisson, spike arrays)
    current_source, // injects a current into neuron populations
    generator       // sends every synapse its own independent spike train (NEST's poisson_generator)
};

enum class FieldKind : std::uint8_t {
    scalar,     // one number for the population
    per_neuron, // a number, an array with one value per neuron, or a distribution
    choice,     // one of a fixed set of names
    array,      // a list of numbers (times, amplitudes)
    ragged      // one list of numbers per neuron (spike times)
};

enum class Bound : std::uint8_t { any, finite, positive, non_negative };

struct FieldInfo {
    std::string_view name;
    std::string_view unit;
    FieldKind kind = FieldKind::scalar;
    Bound bound = Bound::finite;
    double default_value = 0.0;
    std::vector<std::string_view> choices; // for FieldKind::choice; the first is the default
    std::string_view doc;
};

struct StateVarInfo {
    std::string_view name;
    std::string_view unit;
    std::string_view initial_from; // parameter whose value is the default initial value, or ""
    std::string_view doc;
};

struct ModelInfo {
    std::string_view name;
    std::string_view summary;
    VertexKind kind = VertexKind::neuron;
    std::vector<FieldInfo> params;
    std::vector<StateVarInfo> state;           // recordable and initialisable variables
    std::vector<std::string_view> receptors;   // synapse types a projection may target
    bool spiking = true;                       // emits spikes (a projection may start here)
    bool conductance_based = false;            // weights are conductances, so never negative
    // Cross-field rules on the map with defaults applied (e.g. v_reset < v_th); throws Error.
    void (*check)(const ParamMap& params, std::string_view object) = nullptr;

    const FieldInfo* find_param(std::string_view field) const;
    const StateVarInfo* find_state(std::string_view variable) const;
    int receptor_index(std::string_view receptor) const; // -1 if unknown
};

// Checks every entry of `params` against `model` (unknown names, kinds, sizes, bounds) and then
// the model's own cross-field rules. `object` names the population in messages.
void check_param_map(const ModelInfo& model, const ParamMap& params, std::size_t size,
                     std::string_view object);

// The value of a scalar or per-neuron field: the given number, the mean of a per-neuron
// specification, or the model's default.
double param_or_default(const ModelInfo& model, const ParamMap& params, std::string_view field);
std::string_view choice_or_default(const ModelInfo& model, const ParamMap& params,
                                   std::string_view field);
ValueSpec value_spec(const ParamValue& value); // per-neuron parameter or initial value

// Checks a number against a bound; throws invalid_parameter naming object, field and value.
void check_bound(double value, Bound bound, std::string_view object, std::string_view field,
                 std::string_view unit);

} // namespace spikegraph
