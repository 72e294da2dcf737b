#pragma once
// A model declares its parameters once, as a table of fields over its Params struct. From that
// table come the ModelInfo the network validates against, the defaults, and the typed Params
// a backend builds coefficients from. Nothing is listed twice.
#include <string>
#include <type_traits>
#include <utility>
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
    double P::*number = nullptr;              // scalar and per-neuron fields
    std::vector<double> P::*array = nullptr;  // array fields
    RaggedArray P::*ragged = nullptr;         // ragged fields
    std::vector<std::string_view> choices;    // choice fields: the names, in enum order
    std::size_t (*get_choice)(const P&) = nullptr;
    void (*set_choice)(P&, std::size_t) = nullptr;
    std::string_view doc;
};

template <class P>
Field<P> number_field(std::string_view name, std::string_view unit, FieldKind kind, Bound bound, double P::*member,
                      std::string_view doc) {
    Field<P> f;
    f.name = name;
    f.unit = unit;
    f.kind = kind;
    f.bound = bound;
    f.number = member;
    f.doc = doc;
    return f;
}

template <class P>
Field<P> array_field(std::string_view name, std::string_view unit, Bound bound, std::vector<double> P::*member,
                     std::string_view doc) {
    Field<P> f;
    f.name = name;
    f.unit = unit;
    f.kind = FieldKind::array;
    f.bound = bound;
    f.array = member;
    f.doc = doc;
    return f;
}

template <class P>
Field<P> ragged_field(std::string_view name, std::string_view unit, Bound bound, RaggedArray P::*member,
                      std::string_view doc) {
    Field<P> f;
    f.name = name;
    f.unit = unit;
    f.kind = FieldKind::ragged;
    f.bound = bound;
    f.ragged = member;
    f.doc = doc;
    return f;
}

// A choice stored in the enum member `Member` of P, whose values are 0, 1, ... in the order of
// `choices`. (The member is a template argument so the accessors need no captures.)
template <class P, auto Member>
Field<P> choice_field(std::string_view name, std::vector<std::string_view> choices, std::string_view doc) {
    using Enum = std::remove_cvref_t<decltype(std::declval<P&>().*Member)>;
    Field<P> f;
    f.name = name;
    f.kind = FieldKind::choice;
    f.bound = Bound::any;
    f.choices = std::move(choices);
    f.get_choice = [](const P& p) { return static_cast<std::size_t>(p.*Member); };
    f.set_choice = [](P& p, std::size_t index) { p.*Member = static_cast<Enum>(index); };
    f.doc = doc;
    return f;
}

template <class P>
FieldInfo describe_field(const Field<P>& field) {
    FieldInfo info{field.name, field.unit, field.kind, field.bound, 0.0, {}, field.doc};
    static const P defaults{}; // static: GCC 12 misreads a local here as maybe-uninitialized
    if (field.number) info.default_value = defaults.*field.number;
    if (field.get_choice) {
        // The model's default comes first.
        info.choices = field.choices;
        std::swap(info.choices[0], info.choices[field.get_choice(defaults)]);
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
        if (field.set_choice) {
            const auto& text = std::get<std::string>(it->second);
            for (std::size_t i = 0; i < field.choices.size(); ++i)
                if (field.choices[i] == text) field.set_choice(params, i);
        }
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
    return {number_field<P>("tau_m", "ms", FieldKind::scalar, Bound::positive, &P::tau_m, "membrane time constant"),
            number_field<P>("c_m", "nF", FieldKind::scalar, Bound::positive, &P::c_m, "membrane capacitance"),
            number_field<P>("v_rest", "mV", FieldKind::scalar, Bound::finite, &P::v_rest, "resting (leak reversal) potential"),
            number_field<P>("i_offset", "nA", FieldKind::per_neuron, Bound::finite, &P::i_offset, "bias current")};
}

template <class P>
std::vector<Field<P>> spike_fields() { // needs v_th, v_reset, t_ref, reset
    return {number_field<P>("v_th", "mV", FieldKind::scalar, Bound::finite, &P::v_th, "spike threshold"),
            number_field<P>("v_reset", "mV", FieldKind::scalar, Bound::finite, &P::v_reset, "reset potential"),
            number_field<P>("t_ref", "ms", FieldKind::scalar, Bound::non_negative, &P::t_ref, "refractory period"),
            choice_field<P, &P::reset>("reset", {"to_value", "subtract"}, "to v_reset, or by subtracting v_th - v_reset")};
}

template <class P>
std::vector<Field<P>> synapse_time_fields() { // needs tau_syn_e, tau_syn_i
    return {number_field<P>("tau_syn_e", "ms", FieldKind::scalar, Bound::positive, &P::tau_syn_e, "excitatory synaptic decay"),
            number_field<P>("tau_syn_i", "ms", FieldKind::scalar, Bound::positive, &P::tau_syn_i, "inhibitory synaptic decay")};
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
