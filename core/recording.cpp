#include "core/recording.hpp"

#include "core/error.hpp"

namespace spikegraph {

std::vector<double> SpikeRecord::times(double dt) const {
    std::vector<double> out(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) out[i] = static_cast<double>(steps[i] + 1) * dt;
    return out;
}

namespace {
std::vector<double> sample_times(const std::vector<Step>& steps, double dt) {
    std::vector<double> out(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) out[i] = static_cast<double>(steps[i] + 1) * dt;
    return out;
}
} // namespace

std::vector<double> StateRecord::times(double dt) const { return sample_times(steps, dt); }
std::vector<double> WeightRecord::times(double dt) const { return sample_times(steps, dt); }

const SpikeRecord& Recording::spikes_of(std::string_view population) const {
    for (const auto& record : spikes)
        if (record.population == population) return record;
    std::string known;
    for (const auto& record : spikes) known += (known.empty() ? "'" : ", '") + record.population + "'";
    throw Error(ErrorCode::invalid_parameter,
                "spikes of '" + std::string(population) + "' were not recorded" +
                    (known.empty() ? std::string(" (no population records spikes; call record(population, 'spikes'))")
                                   : " (recorded: " + known + ")"));
}

const StateRecord& Recording::state_of(std::string_view population, std::string_view variable) const {
    for (const auto& record : states)
        if (record.population == population && record.variable == variable) return record;
    std::string known;
    for (const auto& record : states)
        known += (known.empty() ? "'" : ", '") + record.population + "." + record.variable + "'";
    throw Error(ErrorCode::invalid_parameter,
                "'" + std::string(variable) + "' of '" + std::string(population) + "' was not recorded" +
                    (known.empty() ? std::string(" (nothing is recorded)") : " (recorded: " + known + ")"));
}

} // namespace spikegraph
