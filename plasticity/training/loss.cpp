#include "plasticity/training/loss.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace spikegraph::training {

void LossSpec::validate(bool spiking_output) const {
    if ((kind == LossKind::ce_count || kind == LossKind::mse_count) && !spiking_output)
        throw Error(ErrorCode::invalid_parameter, "loss " + std::string(name_of(kind)) +
                                                      ": counts spikes, but the output layer is an li readout (use ce_max_membrane or ce_per_step)");
    if (kind == LossKind::mse_count)
        for (double rate : {on_rate, off_rate})
            if (!(rate >= 0.0 && rate <= 1.0))
                throw Error(ErrorCode::invalid_parameter, "loss mse_count: rate " + std::to_string(rate) +
                                                              " must lie in [0, 1] (spikes per step)");
}

LossKind loss_kind_named(std::string_view name) {
    if (name == "ce_count") return LossKind::ce_count;
    if (name == "ce_max_membrane") return LossKind::ce_max_membrane;
    if (name == "ce_per_step") return LossKind::ce_per_step;
    if (name == "mse_count") return LossKind::mse_count;
    throw Error(ErrorCode::invalid_parameter, "loss '" + std::string(name) +
                                                  "' is unknown (ce_count, ce_max_membrane, ce_per_step, mse_count)");
}

std::string_view name_of(LossKind kind) {
    switch (kind) {
    case LossKind::ce_count: return "ce_count";
    case LossKind::ce_max_membrane: return "ce_max_membrane";
    case LossKind::ce_per_step: return "ce_per_step";
    case LossKind::mse_count: return "mse_count";
    }
    return "?";
}

} // namespace spikegraph::training
