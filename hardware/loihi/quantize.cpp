#include "hardware/loihi/quantize.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/population_values.hpp"
#include "core/synapse_table.hpp"
#include "hardware/loihi/fixed.hpp"
#include "hardware/loihi/spec.hpp"
#include "neurons/cuba_lif.hpp"
#include "neurons/lif.hpp"
#include "neurons/propagators.hpp"
#include "neurons/sources.hpp"

namespace spikegraph::loihi {

void QuantizeOptions::validate() const {
    const Spec& spec = chip_spec(chip);
    if (!(dt > 0.0) || !std::isfinite(dt))
        throw Error(ErrorCode::invalid_parameter, "quantize: dt = " + format_number(dt) + " ms must be positive");
    const std::int64_t top = (std::int64_t{1} << spec.vth_mantissa_bits) - 1;
    if (threshold_mantissa < 1 || threshold_mantissa > top)
        throw Error(ErrorCode::invalid_parameter, "quantize: threshold_mantissa = " + std::to_string(threshold_mantissa) +
                                                      " must lie in [1, " + std::to_string(top) + "]");
    if (fixed_bias_exp && (*fixed_bias_exp < 0 || *fixed_bias_exp > spec.bias_exp_max))
        throw Error(ErrorCode::invalid_parameter, "quantize: bias_exp = " + std::to_string(*fixed_bias_exp) + " must lie in [0, " +
                                                      std::to_string(spec.bias_exp_max) + "]");
    if (fixed_weight_exp && (*fixed_weight_exp < spec.weight_exp_min || *fixed_weight_exp > spec.weight_exp_max))
        throw Error(ErrorCode::invalid_parameter, "quantize: weight_exp = " + std::to_string(*fixed_weight_exp) + " must lie in [" +
                                                      std::to_string(spec.weight_exp_min) + ", " + std::to_string(spec.weight_exp_max) + "]");
}

namespace {

[[noreturn]] void refuse(const std::string& object, const std::string& why) {
    throw Error(ErrorCode::hardware_constraint, object + ": " + why);
}

// The float parameters both models share, and the current-to-voltage gain of their synapses.
struct Membrane {
    double tau_m, c_m, v_rest, v_th, v_reset, t_ref;
    ResetMode reset;
    bool current_based;
    double tau_syn = 0.0;
};

Membrane membrane_of(const PopulationSpec& spec, const std::string& object) {
    if (spec.model == &Lif::info()) {
        const LifParams p = params_from_map<Lif>(spec.params);
        return {p.tau_m, p.c_m, p.v_rest, p.v_th, p.v_reset, p.t_ref, p.reset, false};
    }
    const CubaLifParams p = params_from_map<CubaLif>(spec.params);
    if (p.integration != CubaIntegration::exact)
        refuse(object, "integration = 'discrete' is not mapped to Loihi (the quantiser maps the exact solution's "
                       "propagators); export a trained network with spikegraph.loihi.export_lava_dl instead");
    if (p.tau_syn_e != p.tau_syn_i)
        refuse(object, "tau_syn_e = " + format_number(p.tau_syn_e) + " ms and tau_syn_i = " + format_number(p.tau_syn_i) +
                           " ms differ, but a Loihi compartment has one synaptic current");
    return {p.tau_m, p.c_m, p.v_rest, p.v_th, p.v_reset, p.t_ref, p.reset, true, p.tau_syn_e};
}

// A parameter Loihi keeps per population must be one number.
void check_shared(const PopulationSpec& spec, const std::string& object) {
    for (const auto& [field, value] : spec.params) {
        if (field == "i_offset" || field == "v" || field == "i_exc" || field == "i_inh") continue;
        if (!std::holds_alternative<double>(value) && !std::holds_alternative<std::string>(value))
            refuse(object, "'" + field + "' varies across neurons, but Loihi shares it across a population");
    }
}

int decay_code(double factor, int offset) {
    // factor = 1 - (code + offset) / 4096
    const double code = std::nearbyint(4096.0 * (1.0 - factor)) - offset;
    return static_cast<int>(std::clamp(code, 0.0, 4095.0));
}

std::int64_t to_state(double value, const std::string& object, const std::string& field) {
    const double r = std::nearbyint(value);
    if (!(std::fabs(r) < static_cast<double>(state_limit)))
        refuse(object, field + " = " + format_number(r) + " Loihi units lies outside the 24-bit state");
    return static_cast<std::int64_t>(r);
}

struct Scales {
    double voltage = 0.0; // Loihi units per mV
    double weight = 0.0;  // units of the 8-bit weight scale (before << 6) per unit of float weight
};

CompartmentGroup quantize_neurons(const PopulationSpec& spec, std::uint32_t index, const QuantizeOptions& options,
                                  const Spec& chip, double largest_weight, Scales& scales, PopulationError& error) {
    const std::string object = "population '" + spec.name + "'";
    check_shared(spec, object);
    const Membrane m = membrane_of(spec, object);
    if (m.reset != ResetMode::to_value) refuse(object, "reset 'subtract' is not available: Loihi resets v to 0");
    if (m.v_reset != m.v_rest)
        refuse(object, "v_reset = " + format_number(m.v_reset) + " mV differs from v_rest = " + format_number(m.v_rest) +
                           " mV, but Loihi resets v to its resting level 0");
    if (!(m.v_th > m.v_rest)) refuse(object, "v_th must lie above v_rest for Loihi's unsigned threshold");
    const double ref_steps = std::nearbyint(m.t_ref / options.dt);
    if (ref_steps > chip.max_refractory_steps)
        refuse(object, "t_ref = " + format_number(m.t_ref) + " ms is " + format_number(ref_steps) + " steps; Loihi holds at most " +
                           std::to_string(chip.max_refractory_steps));

    CompartmentGroup g;
    g.name = spec.name;
    g.size = spec.size;
    const double dt = options.dt;
    g.refractory_steps = static_cast<int>(ref_steps);
    g.dv = decay_code(propagator::decay(dt, m.tau_m), 0);
    g.v_rest = m.v_rest;
    error.population = spec.name;
    error.tau_m_effective = g.dv == 0 ? 0.0 : -dt / std::log1p(-g.dv / 4096.0);
    // Weight units (before << 6) per unit of float weight and of voltage scale sigma.
    double gain_per_sigma = 1.0 / 64.0; // lif: w mV -> sigma w units of v, carried by the current of one step
    if (m.current_based) {
        if (!std::isfinite(m.tau_syn) || m.tau_syn <= 0.0) refuse(object, "tau_syn_e must be positive and finite");
        const double p11 = propagator::decay(dt, m.tau_syn);
        g.du = decay_code(p11, 1);
        const double f_u = (4095.0 - g.du) / 4096.0;
        const double p21 = propagator::decaying_current(dt, m.tau_m, m.tau_syn, m.c_m);
        gain_per_sigma = p21 * (1.0 - f_u) / (1.0 - p11) / 64.0;
        error.tau_syn_effective = g.du == 4095 ? 0.0 : -dt / std::log(f_u);
    }

    // The threshold mantissa sets the scale sigma = vth 2^6 / (v_th - v_rest). Where a bias per
    // step would not fit 13 bits << 7 at that scale, or (with a fixed weight exponent) the
    // largest incoming weight would not fit 8 bits, the mantissa and the resolution shrink.
    const double p20 = propagator::constant_current(dt, m.tau_m, m.c_m);
    const std::vector<double> offset = population_values(
        spec, index, "i_offset", param_or_default(*spec.model, spec.params, "i_offset"), parameter_slot, options.seed);
    const double mant_max = (1 << (chip.bias_mantissa_bits - 1)) - 1;
    const double bias_limit = mant_max * (1 << chip.bias_exp_max);
    double largest_offset = 0.0;
    for (double x : offset) largest_offset = std::max(largest_offset, std::fabs(x));
    const double sigma_per_vth = 64.0 / (m.v_th - m.v_rest);
    g.vth = options.threshold_mantissa;
    const double bias_per_vth = sigma_per_vth * p20 * largest_offset;
    if (bias_per_vth * static_cast<double>(g.vth) > bias_limit)
        g.vth = static_cast<std::int64_t>(std::floor(bias_limit / bias_per_vth));
    if (options.fixed_weight_exp) {
        const double weight_per_vth = sigma_per_vth * gain_per_sigma * largest_weight * std::ldexp(1.0, -*options.fixed_weight_exp);
        if (weight_per_vth * static_cast<double>(g.vth) > 254.0)
            g.vth = static_cast<std::int64_t>(std::floor(254.0 / weight_per_vth));
    }
    if (g.vth < 16)
        refuse(object, "its biases (i_offset up to " + format_number(largest_offset) + " nA) or incoming weights (up to " +
                           format_number(largest_weight) + ") leave a threshold mantissa of " + std::to_string(g.vth) +
                           " < 16: too coarse for Loihi");
    const double sigma = static_cast<double>(g.vth) * sigma_per_vth;
    const double weight_gain = sigma * gain_per_sigma;
    g.voltage_scale = sigma;
    scales.voltage = sigma;
    scales.weight = weight_gain;
    g.current_scale = 64.0 * weight_gain;

    // Biases: the smallest exponent whose 13-bit mantissa holds the value.
    g.bias_mant.resize(g.size);
    g.bias_exp.resize(g.size);
    for (Index k = 0; k < g.size; ++k) {
        const double bias = sigma * p20 * offset[k];
        int e = options.fixed_bias_exp.value_or(0);
        while (!options.fixed_bias_exp && e < chip.bias_exp_max && std::fabs(std::nearbyint(std::ldexp(bias, -e))) > mant_max) ++e;
        const double mant = std::nearbyint(std::ldexp(bias, -e));
        if (!(std::fabs(mant) <= mant_max))
            refuse(object, "i_offset[" + std::to_string(k) + "] = " + format_number(offset[k]) + " nA needs a bias of " +
                               format_number(bias) + " Loihi units; the largest is " +
                               format_number(mant_max * (1 << chip.bias_exp_max)) + " (" +
                               format_number(mant_max * (1 << chip.bias_exp_max) / (sigma * p20)) + " nA)");
        g.bias_mant[k] = static_cast<std::int32_t>(mant);
        g.bias_exp[k] = e;
        error.max_bias_error = std::max(error.max_bias_error, std::fabs(std::ldexp(mant, e) - bias) / sigma);
    }

    // Initial state, drawn as the cpu backend draws it.
    const std::vector<double> v0 = population_values(spec, index, "v", param_or_default(*spec.model, spec.params, "v_rest"), 0, options.seed);
    g.v0.resize(g.size);
    for (Index k = 0; k < g.size; ++k) g.v0[k] = to_state(sigma * (v0[k] - m.v_rest), object, "v[" + std::to_string(k) + "]");
    if (m.current_based) {
        const auto ie = population_values(spec, index, "i_exc", 0.0, 1, options.seed);
        const auto ii = population_values(spec, index, "i_inh", 0.0, 2, options.seed);
        g.u0.resize(g.size);
        for (Index k = 0; k < g.size; ++k)
            g.u0[k] = to_state(64.0 * weight_gain * (ie[k] + ii[k]), object, "i_exc + i_inh [" + std::to_string(k) + "]");
    }
    return g;
}

// Sign mode, exponent and 8-bit weights of one projection, `x` in units of the weight scale.
void quantize_weights(const std::vector<double>& x, const Spec& chip, std::optional<int> fixed_exp, const std::string& object,
                      SynapseGroup& s) {
    double lo = 0.0, hi = 0.0;
    for (double v : x) {
        if (!std::isfinite(v)) refuse(object, "a weight is not finite");
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    s.sign = lo >= 0.0 ? SignMode::excitatory : (hi <= 0.0 ? SignMode::inhibitory : SignMode::mixed);
    const bool mixed = s.sign == SignMode::mixed;
    const int step = mixed ? 2 : 1; // mixed 8-bit weights keep even values only
    const double top = mixed ? 254.0 : 255.0, bottom = mixed ? -256.0 : -255.0;
    auto mantissa = [&](double v, int e) { return step * std::nearbyint(std::ldexp(v, -e) / step); };
    // Without a fixed exponent the search starts at 0: below it Lava floors each step's sum, so a
    // lone spike would deliver floor(w 2^e), less than the mantissa promises.
    const int exp_min = fixed_exp.value_or(std::max(0, chip.weight_exp_min)), exp_max = fixed_exp.value_or(chip.weight_exp_max);
    int e = exp_min;
    while (e <= exp_max && (mantissa(hi, e) > top || mantissa(lo, e) < bottom)) ++e;
    const double largest = std::max(hi, -lo);
    if (e > exp_max)
        refuse(object, "the largest weight, " + format_number(largest) + " Loihi units, exceeds 255 << " + std::to_string(exp_max) +
                           ", the largest 8-bit weight (lower threshold_mantissa to shrink the scale)");
    if (largest > 0.0 && std::fabs(mantissa(largest, e)) == 0.0)
        refuse(object, "every weight rounds to 0 at weight_exp " + std::to_string(e) + " (largest weight " +
                           format_number(largest) + " Loihi units; raise threshold_mantissa)");
    s.weight_exp = e;
    s.num_weight_bits = chip.weight_bits;
    s.weight.resize(x.size());
    for (std::size_t k = 0; k < x.size(); ++k)
        s.weight[k] = effective_weight(static_cast<std::int64_t>(mantissa(x[k], e)), s.sign, s.num_weight_bits);
}

} // namespace

QuantizedNetwork quantize(const Network& network, const QuantizeOptions& options) {
    options.validate();
    network.validate();
    const Spec& chip = chip_spec(options.chip);
    if (!network.injections().empty())
        refuse("current source '" + network.population(network.injections().front().source).name + "'",
               "injected currents are not available on Loihi (use i_offset, a per-neuron bias)");
    QuantizedNetwork q;
    q.chip = options.chip;
    q.dt = options.dt;
    std::vector<Scales> scales(network.populations().size());
    // Connectivity first: a fixed weight exponent bounds each population's scale by its largest incoming weight.
    std::vector<SynapseTable> tables;
    std::vector<double> largest_weight(network.populations().size(), 0.0);
    for (std::uint32_t p = 0; p < network.projections().size(); ++p) {
        tables.push_back(build_synapse_table(network, ProjectionId{p}, options.seed, options.dt));
        double& top = largest_weight[network.projections()[p].post.value];
        top = std::max(top, tables.back().max_abs_weight);
    }
    for (std::uint32_t p = 0; p < network.populations().size(); ++p) {
        const PopulationSpec& spec = network.populations()[p];
        if (spec.model == &Lif::info() || spec.model == &CubaLif::info()) {
            PopulationError error;
            q.populations.push_back(quantize_neurons(spec, p, options, chip, largest_weight[p], scales[p], error));
            q.population_errors.push_back(error);
        } else if (spec.model == &PoissonSource::info() || spec.model == &SpikeArraySource::info()) {
            CompartmentGroup g;
            g.name = spec.name;
            g.size = spec.size;
            g.source = spec;
            q.populations.push_back(std::move(g));
        } else {
            refuse("population '" + spec.name + "'", "model '" + std::string(spec.model->name) +
                                                         "' has no Loihi counterpart (the Loihi backend runs lif, cuba_lif, "
                                                         "poisson and spike_array populations)");
        }
    }

    for (std::uint32_t p = 0; p < network.projections().size(); ++p) {
        const ProjectionSpec& spec = network.projections()[p];
        const std::string object = "projection '" + spec.name + "'";
        if (spec.synapse.plasticity) refuse(object, "plastic synapses are not emulated on Loihi yet");
        const SynapseTable& table = tables[p];
        const double gain = scales[spec.post.value].weight;
        SynapseGroup s;
        s.name = spec.name;
        s.pre = spec.pre.value;
        s.post = spec.post.value;
        std::vector<double> x;
        x.reserve(table.size());
        for (Index i = 0; i < table.n_pre; ++i)
            for (std::uint64_t k = table.row_start[i]; k < table.row_start[i + 1]; ++k) {
                s.pre_index.push_back(i);
                s.post_index.push_back(table.target(k));
                x.push_back(gain * table.weight[k]);
                const std::uint32_t d = table.delay(k);
                if (d > static_cast<std::uint32_t>(chip.max_delay_steps + 1))
                    refuse(object, "a delay of " + std::to_string(d) + " steps exceeds Loihi's 1 + " +
                                       std::to_string(chip.max_delay_steps) + " steps");
                s.delay.push_back(d);
            }
        quantize_weights(x, chip, options.fixed_weight_exp, object, s);
        ProjectionError error;
        error.projection = spec.name;
        error.weight_exp = s.weight_exp;
        error.sign = s.sign;
        double sum_sq = 0.0;
        for (std::size_t k = 0; k < x.size(); ++k) {
            // What one spike delivers: below exponent 0 Lava floors the shifted sum.
            const double shifted = std::ldexp(static_cast<double>(s.weight[k]), s.weight_exp);
            const double back = (s.weight_exp < 0 ? std::floor(shifted) : shifted) / gain;
            const double w = x[k] / gain;
            error.max_abs_weight = std::max(error.max_abs_weight, std::fabs(w));
            error.max_abs_error = std::max(error.max_abs_error, std::fabs(back - w));
            sum_sq += (back - w) * (back - w);
        }
        if (!x.empty() && error.max_abs_weight > 0.0)
            error.rms_relative_error = std::sqrt(sum_sq / static_cast<double>(x.size())) / error.max_abs_weight;
        q.projection_errors.push_back(error);
        q.projections.push_back(std::move(s));
    }
    q.records = network.records();
    q.validate();
    return q;
}

} // namespace spikegraph::loihi
