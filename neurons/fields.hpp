#pragma once
// A model declares its parameters once, as a table of fields over its Params struct. From that
// table come the ModelInfo the network validates against, the defaults, and the typed Params
// a backend builds coefficients from. Nothing is listed twice.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/model_info.hpp"
#include "neurons/spike_rule.hpp"

namespace spikegraph {

template <class P>
struct Field {
    std::string_view name;
    std::string_view unit;
    FieldKind kind = FieldKind::scalar;
    Bound bound = Bound::finite;
    double P::*number = nullptr;                     // scalar and per-neuron fields
    ResetMode P::*reset = nullptr;                   // the reset choice
    std::vector<double> P::*array = nullptr;         // array fields
    RaggedArray P::*ragged = nullptr;                // ragged fields
    std::string_view doc;
};

inline constexpr std::string_view reset_choices[] = {"to_value", "subtract"};

template <class P>
FieldInfo describe_field(const Field<P>& field) {
    FieldInfo info{field.name, field.unit, field.kind, field.bound, 0.0, {}, field.doc};
    static const P defaults{}; // static: GCC 12 misreads a local here as maybe-uninitialized
    if (field.number) info.default_value = defaults.*field.number;
    if (field.reset) {
        info.choices.assign(std::begin(reset_choices), std::end(reset_choices));
        // The model's default comes first.
        if (defaults.*field.reset == ResetMode::subtract) std::swap(info.choices[0], info.choices[1]);
    }
    return info;
}

// Typed parameters from a map: defaults, then the given values (per-neuron fields take the
// number given, or the mean of an array or distribution; the backend resolves each neuron).
template <class Model>
typename Model::Params params_from_map(const ParamMap& map) {
    using P = typename Model::Params;
    P params{};
    for (const auto& field : Model::fields()) {
        auto it = map.find(field.name);
        if (it == map.end()) continue;
        if (field.number) params.*field.number = param_or_default(Model::info(), map, field.name);
        if (field.reset) params.*field.reset = std::get<std::string>(it->second) == "subtract" ? ResetMode::subtract : ResetMode::to_value;
        if (field.array) params.*field.array = std::get<std::vector<double>>(it->second);
        if (field.ragged) params.*field.ragged = std::get<RaggedArray>(it->second);
    }
    return params;
}

// ModelInfo::check for a model: typed parameters, then the model's own cross-field rules.
template <class Model>
void check_model_params(const ParamMap& map, std::string_view object) {
    params_from_map<Model>(map).validate(object);
}

template <class Model>
ModelInfo make_model_info(std::string_view summary, VertexKind kind, std::vector<StateVarInfo> state,
                          std::vector<std::string_view> receptors, bool spiking, bool conductance_based) {
    ModelInfo info;
    info.name = Model::name;
    info.summary = summary;
    info.kind = kind;
    for (const auto& field : Model::fields()) info.params.push_back(describe_field(field));
    info.state = std::move(state);
    info.receptors = std::move(receptors);
    info.spiking = spiking;
    info.conductance_based = conductance_based;
    info.check = &check_model_params<Model>;
    return info;
}

// Field groups shared by the models; a model's table is the concatenation of its groups.
template <class P>
std::vector<Field<P>> membrane_fields() { // needs tau_m, c_m, v_rest, i_offset
    return {{"tau_m", "ms", FieldKind::scalar, Bound::positive, &P::tau_m, {}, {}, {}, "membrane time constant"},
            {"c_m", "nF", FieldKind::scalar, Bound::positive, &P::c_m, {}, {}, {}, "membrane capacitance"},
            {"v_rest", "mV", FieldKind::scalar, Bound::finite, &P::v_rest, {}, {}, {}, "resting (leak reversal) potential"},
            {"i_offset", "nA", FieldKind::per_neuron, Bound::finite, &P::i_offset, {}, {}, {}, "bias current"}};
}

template <class P>
std::vector<Field<P>> spike_fields() { // needs v_th, v_reset, t_ref, reset
    return {{"v_th", "mV", FieldKind::scalar, Bound::finite, &P::v_th, {}, {}, {}, "spike threshold"},
            {"v_reset", "mV", FieldKind::scalar, Bound::finite, &P::v_reset, {}, {}, {}, "reset potential"},
            {"t_ref", "ms", FieldKind::scalar, Bound::non_negative, &P::t_ref, {}, {}, {}, "refractory period"},
            {"reset", "", FieldKind::choice, Bound::any, nullptr, &P::reset, {}, {}, "to_value or subtract"}};
}

template <class P>
std::vector<Field<P>> synapse_time_fields() { // needs tau_syn_e, tau_syn_i
    return {{"tau_syn_e", "ms", FieldKind::scalar, Bound::positive, &P::tau_syn_e, {}, {}, {}, "excitatory synaptic decay"},
            {"tau_syn_i", "ms", FieldKind::scalar, Bound::positive, &P::tau_syn_i, {}, {}, {}, "inhibitory synaptic decay"}};
}

template <class P>
std::vector<Field<P>> concatenate(std::initializer_list<std::vector<Field<P>>> groups) {
    std::vector<Field<P>> all;
    for (const auto& group : groups) all.insert(all.end(), group.begin(), group.end());
    return all;
}

// Common rule of every spiking model: the reset lies below the threshold.
inline void check_threshold(double v_th, double v_reset, std::string_view object) {
    if (!(v_reset < v_th))
        fail_parameter(object, "v_reset", v_reset, "mV", "it must lie below v_th = " + format_number(v_th) + " mV");
}

} // namespace spikegraph
