#include "backends/loihi/loihi_backend.hpp"

#include <cmath>

#include "backends/loihi/emulator.hpp"
#include "core/error.hpp"
#include "hardware/loihi/map.hpp"
#include "hardware/loihi/quantize.hpp"

namespace spikegraph {

namespace {

// v in mV, u in nA (cuba_lif) or mV of jump (lif), from Loihi units.
double to_float_units(const loihi::CompartmentGroup& g, bool voltage, double x) {
    return voltage ? g.v_rest + x / g.voltage_scale : x / g.current_scale;
}

class LoihiExecutable final : public Executable {
public:
    LoihiExecutable(const Network& network, const CompileOptions& options)
        : network_(network), options_(options), quantized_(loihi::quantize(network, quantize_options(options))),
          placement_(loihi::map_network(quantized_)), emulator_(quantized_, options.seed) {}

    void run(double duration, const ProgressCallback& progress) override {
        if (!(duration >= 0.0) || !std::isfinite(duration))
            throw Error(ErrorCode::invalid_parameter, "run: duration = " + format_number(duration) + " ms must be >= 0");
        const double steps = std::nearbyint(duration / options_.dt);
        if (std::fabs(steps * options_.dt - duration) > 1e-9 * std::max(1.0, duration))
            throw Error(ErrorCode::invalid_parameter, "run: duration = " + format_number(duration) +
                                                          " ms is not a whole number of steps of dt = " + format_number(options_.dt) + " ms");
        emulator_.run(static_cast<Step>(steps), progress);
        converted_ = false;
    }
    double time() const override { return static_cast<double>(emulator_.steps()) * options_.dt; }

    const Recording& recording() const override {
        if (!converted_) {
            recording_ = emulator_.recording();
            for (StateRecord& r : recording_.states) {
                const loihi::CompartmentGroup& g = quantized_.populations[quantized_.population_index(r.population)];
                const bool voltage = r.variable == "v";
                r.unit = voltage ? "mV" : "nA";
                for (double& x : r.values) x = to_float_units(g, voltage, x);
            }
            converted_ = true;
        }
        return recording_;
    }

    RunInfo run_info() const override {
        RunInfo info;
        info.backend = "loihi";
        info.precision = quantized_.chip + " fixed point";
        info.dt = options_.dt;
        info.steps = emulator_.steps();
        info.seed = options_.seed;
        info.threads = 1;
        info.wall_time = emulator_.wall_time();
        return info;
    }

    std::vector<double> state(PopulationId population, std::string_view variable) const override {
        const loihi::CompartmentGroup& g = quantized_.populations.at(population.value);
        const bool voltage = variable == "v";
        const auto raw = emulator_.state(population.value, voltage ? "v" : (variable == "i_exc" ? "u" : variable));
        std::vector<double> out;
        for (std::int64_t x : raw) out.push_back(to_float_units(g, voltage, static_cast<double>(x)));
        return out;
    }

    SynapseList synapses(ProjectionId projection) const override {
        const loihi::SynapseGroup& s = quantized_.projections.at(projection.value);
        const double gain = quantized_.populations[s.post].current_scale / 64.0;
        SynapseList list;
        list.pre = s.pre_index;
        list.post = s.post_index;
        for (std::size_t k = 0; k < s.weight.size(); ++k) {
            list.weight.push_back(std::ldexp(static_cast<double>(s.weight[k]), s.weight_exp) / gain);
            list.delay.push_back(s.delay[k] * options_.dt);
        }
        return list;
    }

    void set_weights(ProjectionId, const std::vector<double>&) override {
        throw Error(ErrorCode::hardware_constraint,
                    "the loihi backend runs the weights quantized at compile time; change the network and compile again");
    }

    std::vector<ReportEntry> report() const override {
        std::vector<ReportEntry> out;
        for (const loihi::UsageLine& line : loihi::usage(quantized_, placement_)) out.push_back({line.name, line.value, line.unit});
        const loihi::CostReport cost = emulator_.cost(placement_);
        out.push_back({"synaptic operations", cost.synaptic_ops, ""});
        out.push_back({"spikes", cost.spikes, ""});
        out.push_back({"energy (dynamic)", cost.dynamic_energy_pj() * 1e-6, "uJ"});
        out.push_back({"energy (total)", cost.total_energy_pj() * 1e-6, "uJ"});
        out.push_back({"energy per step", cost.energy_per_step_pj() * 1e-3, "nJ"});
        out.push_back({"time per step", cost.time_per_step_ns * 1e-3, "us"});
        for (const loihi::ProjectionError& e : quantized_.projection_errors)
            out.push_back({"weight error (rms / max|w|) of " + e.projection, e.rms_relative_error, ""});
        return out;
    }

    const Network& network() const override { return network_; }

protected:
    std::vector<std::uint64_t> synapse_counts() const override {
        std::vector<std::uint64_t> counts;
        for (const loihi::SynapseGroup& s : quantized_.projections) counts.push_back(s.weight.size());
        return counts;
    }

private:
    static loihi::QuantizeOptions quantize_options(const CompileOptions& options) {
        loihi::QuantizeOptions q;
        if (!options.chip.empty()) q.chip = options.chip;
        q.dt = options.dt;
        q.seed = options.seed;
        return q;
    }

    Network network_;
    CompileOptions options_;
    loihi::QuantizedNetwork quantized_;
    loihi::Placement placement_;
    loihi::Emulator emulator_;
    mutable Recording recording_;
    mutable bool converted_ = false;
};

} // namespace

std::unique_ptr<Executable> LoihiBackend::compile(const Network& network, const CompileOptions& options) const {
    options.validate();
    network.validate();
    return std::make_unique<LoihiExecutable>(network, options);
}

} // namespace spikegraph
