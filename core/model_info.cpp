#include "core/model_info.hpp"

#include <cmath>

#include "core/error.hpp"

namespace spikegraph {

const FieldInfo* ModelInfo::find_param(std::string_view field) const {
    for (const auto& info : params)
        if (info.name == field) return &info;
    return nullptr;
}

const StateVarInfo* ModelInfo::find_state(std::string_view variable) const {
    for (const auto& info : state)
        if (info.name == variable) return &info;
    return nullptr;
}

int ModelInfo::receptor_index(std::string_view receptor) const {
    for (std::size_t i = 0; i < receptors.size(); ++i)
        if (receptors[i] == receptor) return static_cast<int>(i);
    return -1;
}

void check_bound(double value, Bound bound, std::string_view object, std::string_view field,
                 std::string_view unit) {
    switch (bound) {
    case Bound::any:
        if (std::isnan(value)) fail_parameter(object, field, value, unit, "it must be a number");
        break;
    case Bound::finite:
        if (!std::isfinite(value)) fail_parameter(object, field, value, unit, "it must be finite");
        break;
    case Bound::positive:
        if (!(std::isfinite(value) && value > 0.0))
            fail_parameter(object, field, value, unit, "it must be > 0");
        break;
    case Bound::non_negative:
        if (!(std::isfinite(value) && value >= 0.0))
            fail_parameter(object, field, value, unit, "it must be >= 0");
        break;
    }
}

namespace {

std::string kind_name(const ParamValue& value) {
    switch (value.index()) {
    case 0: return "a number";
    case 1: return "a string";
    case 2: return "an array";
    case 3: return "a list of arrays";
    default: return "a distribution";
    }
}

[[noreturn]] void fail_kind(std::string_view object, std::string_view field, const ParamValue& value,
                            std::string_view expected) {
    throw Error(ErrorCode::invalid_parameter, std::string(object) + ": " + std::string(field) +
                                                  " was given " + kind_name(value) + " but needs " +
                                                  std::string(expected));
}

std::string known_names(const ModelInfo& model) {
    std::string names;
    for (const auto& field : model.params) names += (names.empty() ? "" : ", ") + std::string(field.name);
    for (const auto& var : model.state) names += ", " + std::string(var.name);
    return names;
}

// A per-neuron value: a number, an array of `size` numbers or a distribution.
void check_per_neuron(const ParamValue& value, std::size_t size, Bound bound, std::string_view object,
                      std::string_view field, std::string_view unit) {
    if (const auto* number = std::get_if<double>(&value)) {
        check_bound(*number, bound, object, field, unit);
    } else if (const auto* list = std::get_if<std::vector<double>>(&value)) {
        if (list->size() != size)
            throw Error(ErrorCode::invalid_parameter,
                        std::string(object) + ": " + std::string(field) + " has " +
                            std::to_string(list->size()) + " values but the population has " +
                            std::to_string(size) + " neurons");
        for (std::size_t i = 0; i < list->size(); ++i)
            check_bound((*list)[i], bound, object, std::string(field) + "[" + std::to_string(i) + "]", unit);
    } else if (const auto* distribution = std::get_if<Distribution>(&value)) {
        distribution->validate(object, field);
        // A distribution whose support leaves the bound is refused up front, not at draw time.
        const double lo = distribution->support_min();
        if ((bound == Bound::positive && !(lo > 0.0)) || (bound == Bound::non_negative && !(lo >= 0.0)))
            throw Error(ErrorCode::invalid_parameter,
                        std::string(object) + ": " + std::string(field) + " " + distribution->describe() +
                            " can draw values " + (bound == Bound::positive ? "<= 0" : "< 0") +
                            "; use a clipped or positive distribution");
    } else {
        fail_kind(object, field, value, "a number, an array or a distribution");
    }
}

} // namespace

void check_param_map(const ModelInfo& model, const ParamMap& params, std::size_t size,
                     std::string_view object) {
    for (const auto& [name, value] : params) {
        if (const FieldInfo* field = model.find_param(name)) {
            switch (field->kind) {
            case FieldKind::scalar:
                if (!std::holds_alternative<double>(value)) fail_kind(object, name, value, "a number");
                check_bound(std::get<double>(value), field->bound, object, name, field->unit);
                break;
            case FieldKind::per_neuron:
                check_per_neuron(value, size, field->bound, object, name, field->unit);
                break;
            case FieldKind::choice: {
                const auto* text = std::get_if<std::string>(&value);
                if (!text) fail_kind(object, name, value, "a string");
                bool known = false;
                std::string options;
                for (auto choice : field->choices) {
                    known = known || choice == *text;
                    options += (options.empty() ? "'" : ", '") + std::string(choice) + "'";
                }
                if (!known)
                    throw Error(ErrorCode::invalid_parameter, std::string(object) + ": " + name + " = '" +
                                                                  *text + "' is invalid: it must be one of " +
                                                                  options);
                break;
            }
            case FieldKind::array: {
                const auto* list = std::get_if<std::vector<double>>(&value);
                if (!list) fail_kind(object, name, value, "an array of numbers");
                for (std::size_t i = 0; i < list->size(); ++i)
                    check_bound((*list)[i], field->bound, object, name + "[" + std::to_string(i) + "]",
                                field->unit);
                break;
            }
            case FieldKind::ragged: {
                const auto* lists = std::get_if<RaggedArray>(&value);
                if (!lists) fail_kind(object, name, value, "one array of numbers per neuron");
                if (lists->size() != size)
                    throw Error(ErrorCode::invalid_parameter,
                                std::string(object) + ": " + name + " has " + std::to_string(lists->size()) +
                                    " arrays but the population has " + std::to_string(size) + " neurons");
                for (std::size_t i = 0; i < lists->size(); ++i)
                    for (std::size_t j = 0; j < (*lists)[i].size(); ++j)
                        check_bound((*lists)[i][j], field->bound, object,
                                    name + "[" + std::to_string(i) + "][" + std::to_string(j) + "]",
                                    field->unit);
                break;
            }
            }
        } else if (const StateVarInfo* var = model.find_state(name)) {
            check_per_neuron(value, size, Bound::finite, object, name, var->unit);
        } else {
            throw Error(ErrorCode::invalid_parameter,
                        std::string(object) + ": '" + name + "' is not a parameter or state variable of model '" +
                            std::string(model.name) + "' (known: " + known_names(model) + ")");
        }
    }
    if (model.check) model.check(params, object);
}

double param_or_default(const ModelInfo& model, const ParamMap& params, std::string_view field) {
    const FieldInfo* info = model.find_param(field);
    if (!info)
        throw Error(ErrorCode::internal, "model '" + std::string(model.name) + "' has no parameter '" +
                                             std::string(field) + "'");
    auto it = params.find(field);
    if (it == params.end()) return info->default_value;
    if (const auto* number = std::get_if<double>(&it->second)) return *number;
    if (const auto* distribution = std::get_if<Distribution>(&it->second)) return distribution->mean();
    if (const auto* list = std::get_if<std::vector<double>>(&it->second)) {
        double sum = 0.0;
        for (double x : *list) sum += x;
        return list->empty() ? info->default_value : sum / static_cast<double>(list->size());
    }
    return info->default_value;
}

std::string_view choice_or_default(const ModelInfo& model, const ParamMap& params, std::string_view field) {
    const FieldInfo* info = model.find_param(field);
    if (!info || info->choices.empty())
        throw Error(ErrorCode::internal, "model '" + std::string(model.name) + "' has no choice '" +
                                             std::string(field) + "'");
    auto it = params.find(field);
    if (it == params.end()) return info->choices.front();
    const std::string& text = std::get<std::string>(it->second);
    for (auto choice : info->choices)
        if (choice == text) return choice;
    return info->choices.front();
}

ValueSpec value_spec(const ParamValue& value) {
    if (const auto* number = std::get_if<double>(&value)) return *number;
    if (const auto* list = std::get_if<std::vector<double>>(&value)) return *list;
    if (const auto* distribution = std::get_if<Distribution>(&value)) return *distribution;
    throw Error(ErrorCode::internal, "value_spec: not a per-neuron value");
}

} // namespace spikegraph
