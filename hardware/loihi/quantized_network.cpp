#include "hardware/loihi/quantized_network.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "hardware/loihi/fixed.hpp"
#include "hardware/loihi/spec.hpp"

namespace spikegraph::loihi {

std::string_view sign_mode_name(SignMode mode) {
    switch (mode) {
    case SignMode::excitatory: return "excitatory";
    case SignMode::inhibitory: return "inhibitory";
    default: return "mixed";
    }
}

SignMode sign_mode_from_name(std::string_view name) {
    if (name == "mixed") return SignMode::mixed;
    if (name == "excitatory") return SignMode::excitatory;
    if (name == "inhibitory") return SignMode::inhibitory;
    throw Error(ErrorCode::invalid_parameter,
                "unknown sign mode '" + std::string(name) + "' (known: 'mixed', 'excitatory', 'inhibitory')");
}

std::int32_t effective_weight(std::int64_t weight, SignMode mode, int num_weight_bits) {
    const bool mixed = mode == SignMode::mixed;
    const bool inhibitory = mode == SignMode::inhibitory;
    std::int64_t w = inhibitory ? -weight : weight;
    w = std::clamp<std::int64_t>(w, mixed ? -256 : 0, 255);
    const int dropped = 8 - num_weight_bits + (mixed ? 1 : 0);
    w = (w >> dropped) << dropped; // arithmetic shift: a floor
    return static_cast<std::int32_t>(inhibitory ? -w : w);
}

std::uint32_t QuantizedNetwork::population_index(std::string_view name) const {
    for (std::uint32_t p = 0; p < populations.size(); ++p)
        if (populations[p].name == name) return p;
    throw Error(ErrorCode::invalid_network, "no population '" + std::string(name) + "' in the quantized network");
}

namespace {

void check_range(const std::string& object, std::string_view field, std::int64_t value, std::int64_t low,
                 std::int64_t high) {
    if (value < low || value > high)
        throw Error(ErrorCode::hardware_constraint, object + ": " + std::string(field) + " = " + std::to_string(value) +
                                                        " is outside Loihi's range [" + std::to_string(low) + ", " +
                                                        std::to_string(high) + "]");
}

} // namespace

void QuantizedNetwork::validate() const {
    const Spec& spec = chip_spec(chip);
    if (!(dt > 0.0)) throw Error(ErrorCode::invalid_parameter, "quantized network: dt must be positive");
    const std::int64_t decay_max = (1 << spec.decay_bits) - 1;
    const std::int64_t bias_max = (1 << (spec.bias_mantissa_bits - 1)) - 1;
    for (std::size_t p = 0; p < populations.size(); ++p)
        for (std::size_t q = 0; q < p; ++q)
            if (populations[p].name == populations[q].name)
                throw Error(ErrorCode::invalid_network, "two populations are called '" + populations[p].name + "'");
    for (const CompartmentGroup& g : populations) {
        const std::string object = "population '" + g.name + "'";
        if (g.source) continue;
        check_range(object, "du", g.du, 0, decay_max);
        check_range(object, "dv", g.dv, 0, decay_max);
        check_range(object, "vth", g.vth, 0, (std::int64_t{1} << spec.vth_mantissa_bits) - 1);
        check_range(object, "refractory_steps", g.refractory_steps, 0, spec.max_refractory_steps);
        if (g.bias_mant.size() != g.size || g.bias_exp.size() != g.size)
            throw Error(ErrorCode::invalid_parameter, object + ": bias_mant and bias_exp need one value per compartment (" +
                                                          std::to_string(g.size) + ")");
        for (Index k = 0; k < g.size; ++k) {
            check_range(object, "bias_mant[" + std::to_string(k) + "]", g.bias_mant[k], -bias_max - 1, bias_max);
            check_range(object, "bias_exp[" + std::to_string(k) + "]", g.bias_exp[k], -spec.bias_exp_max, spec.bias_exp_max);
        }
        for (const auto* state : {&g.u0, &g.v0}) {
            if (!state->empty() && state->size() != g.size)
                throw Error(ErrorCode::invalid_parameter, object + ": initial u and v need one value per compartment");
            for (std::size_t k = 0; k < state->size(); ++k)
                check_range(object, std::string(state == &g.u0 ? "u0[" : "v0[") + std::to_string(k) + "]", (*state)[k],
                            -state_limit + 1, state_limit - 1);
        }
    }
    for (const RecordSpec& r : records) {
        if (r.population.value >= populations.size())
            throw Error(ErrorCode::invalid_network, "a record names population " + std::to_string(r.population.value) +
                                                        " of " + std::to_string(populations.size()));
        const CompartmentGroup& g = populations[r.population.value];
        const bool state = r.variable == "v" || r.variable == "u" || r.variable == "i_exc";
        if (r.variable != "spikes" && (g.source || !state))
            throw Error(ErrorCode::invalid_parameter,
                        "population '" + g.name + "': Loihi records 'spikes', 'v' and 'u' (or 'i_exc', the compartment's "
                                                  "one current), not '" + r.variable + "'");
        for (Index k : r.neurons)
            if (k >= g.size)
                throw Error(ErrorCode::invalid_parameter, "record of population '" + g.name + "': neuron " + std::to_string(k) +
                                                              " does not exist (size " + std::to_string(g.size) + ")");
    }
    for (const SynapseGroup& s : projections) {
        const std::string object = "projection '" + s.name + "'";
        if (s.pre >= populations.size() || s.post >= populations.size())
            throw Error(ErrorCode::invalid_network, object + ": unknown pre or post population");
        if (populations[s.post].source)
            throw Error(ErrorCode::invalid_network, object + ": targets the spike source '" + populations[s.post].name + "'");
        check_range(object, "num_weight_bits", s.num_weight_bits, 1, spec.weight_bits);
        check_range(object, "weight_exp", s.weight_exp, spec.weight_exp_min, spec.weight_exp_max);
        const std::size_t n = s.weight.size();
        if (s.pre_index.size() != n || s.post_index.size() != n || s.delay.size() != n)
            throw Error(ErrorCode::invalid_parameter, object + ": pre, post, weight and delay need one value per synapse");
        for (std::size_t k = 0; k < n; ++k) {
            if (s.pre_index[k] >= populations[s.pre].size || s.post_index[k] >= populations[s.post].size)
                throw Error(ErrorCode::invalid_network, object + ": synapse " + std::to_string(k) + " connects a neuron index beyond its population");
            check_range(object, "delay[" + std::to_string(k) + "] (steps)", s.delay[k], 1, spec.max_delay_steps + 1);
            if (effective_weight(s.weight[k], s.sign, s.num_weight_bits) != s.weight[k])
                throw Error(ErrorCode::hardware_constraint,
                            object + ": weight[" + std::to_string(k) + "] = " + std::to_string(s.weight[k]) +
                                " is not representable with " + std::to_string(s.num_weight_bits) + " weight bits in sign mode " +
                                std::string(sign_mode_name(s.sign)));
        }
    }
}

} // namespace spikegraph::loihi
