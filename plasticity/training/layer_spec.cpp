#include "plasticity/training/layer_spec.hpp"

#include <cmath>

#include "core/error.hpp"

namespace spikegraph::training {

namespace {

[[noreturn]] void fail(std::string_view object, std::string_view what) {
    throw Error(ErrorCode::invalid_parameter, std::string(object) + ": " + std::string(what));
}

void check_unit_interval(std::string_view object, std::string_view key, double value) {
    if (!(value >= 0.0 && value <= 1.0))
        fail(object, std::string(key) + " = " + std::to_string(value) + " must lie in [0, 1] (a decay per step)");
}

} // namespace

double Surrogate::default_slope(SurrogateKind kind) {
    switch (kind) {
    case SurrogateKind::atan: return 2.0;
    case SurrogateKind::fast_sigmoid: return 25.0;
    case SurrogateKind::sigmoid: return 25.0;
    case SurrogateKind::triangle: return 1.0;
    }
    return 1.0;
}

Surrogate Surrogate::named(std::string_view name, double slope) {
    Surrogate s;
    if (name == "atan") s.kind = SurrogateKind::atan;
    else if (name == "fast_sigmoid" || name == "superspike") s.kind = SurrogateKind::fast_sigmoid;
    else if (name == "sigmoid") s.kind = SurrogateKind::sigmoid;
    else if (name == "triangle") s.kind = SurrogateKind::triangle;
    else
        throw Error(ErrorCode::invalid_parameter, "surrogate '" + std::string(name) +
                                                      "' is unknown (atan, fast_sigmoid, sigmoid, triangle)");
    s.slope = std::isnan(slope) ? default_slope(s.kind) : slope;
    s.validate("surrogate " + std::string(name));
    return s;
}

std::string_view Surrogate::name() const {
    switch (kind) {
    case SurrogateKind::atan: return "atan";
    case SurrogateKind::fast_sigmoid: return "fast_sigmoid";
    case SurrogateKind::sigmoid: return "sigmoid";
    case SurrogateKind::triangle: return "triangle";
    }
    return "?";
}

void Surrogate::validate(std::string_view object) const {
    if (!(slope > 0.0) || !std::isfinite(slope))
        fail(object, "slope = " + std::to_string(slope) + " must be positive and finite");
}

void NeuronSpec::validate(std::string_view object) const {
    check_unit_interval(object, "beta", beta);
    if (model == NeuronModel::cuba_lif) check_unit_interval(object, "alpha", alpha);
    if (spiking()) {
        if (!(threshold > 0.0) || !std::isfinite(threshold))
            fail(object, "threshold = " + std::to_string(threshold) + " must be positive and finite");
        surrogate.validate(object);
    }
}

void LayerSpec::validate(std::string_view object) const {
    if (inputs < 1) fail(object, "inputs = " + std::to_string(inputs) + " must be at least 1");
    if (size < 1) fail(object, "size = " + std::to_string(size) + " must be at least 1");
    if (recurrent && !neuron.spiking()) fail(object, "a recurrent layer needs spiking neurons (lif or cuba_lif), not li");
    neuron.validate(object);
}

NeuronModel neuron_model_named(std::string_view name) {
    if (name == "lif") return NeuronModel::lif;
    if (name == "cuba_lif") return NeuronModel::cuba_lif;
    if (name == "li") return NeuronModel::li;
    throw Error(ErrorCode::invalid_parameter, "training neuron '" + std::string(name) + "' is unknown (lif, cuba_lif, li)");
}

ResetKind reset_kind_named(std::string_view name) {
    if (name == "subtract") return ResetKind::subtract;
    if (name == "zero") return ResetKind::zero;
    if (name == "none") return ResetKind::none;
    throw Error(ErrorCode::invalid_parameter, "reset '" + std::string(name) + "' is unknown (subtract, zero, none)");
}

std::string_view name_of(NeuronModel model) {
    switch (model) {
    case NeuronModel::lif: return "lif";
    case NeuronModel::cuba_lif: return "cuba_lif";
    case NeuronModel::li: return "li";
    }
    return "?";
}

std::string_view name_of(ResetKind reset) {
    switch (reset) {
    case ResetKind::subtract: return "subtract";
    case ResetKind::zero: return "zero";
    case ResetKind::none: return "none";
    }
    return "?";
}

} // namespace spikegraph::training
