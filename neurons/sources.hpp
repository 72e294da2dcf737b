#pragma once
// Inputs: populations that emit spikes without dynamics, and currents injected into neurons.
//
// poisson       each neuron spikes in step n with probability rate(t_n) * dt, independently per step
//               (a Bernoulli approximation of a Poisson process, exact in its mean rate: Brian2's
//               PoissonGroup). rate * dt must not exceed 1. Active on [start, stop).
//               rate_times/rate_values make the rate piecewise constant in time for all neurons
//               (NEST inhomogeneous_poisson_generator); they replace `rate`.
// spike_array   each neuron emits at its listed times, rounded to the nearest grid point >= dt
//               (PyNN SpikeSourceArray, NEST spike_generator).
// poisson_generator  every synapse leaving it receives its own Poisson train of rate `rate`,
//               as many events per step as a Poisson draw with mean rate * dt gives (NEST's
//               poisson_generator); for background input of thousands of synapses in one.
// step_current  a piecewise-constant current: amplitudes[j] [nA] from times[j] until the next
//               time (PyNN StepCurrentSource); added to the bias current of the neurons it is
//               injected into, so the exact integration of the targets is unchanged.
#include <limits>
#include <string_view>
#include <vector>

#include "neurons/fields.hpp"

namespace spikegraph {

namespace detail {
inline void check_increasing(const std::vector<double>& times, std::string_view object, std::string_view field) {
    for (std::size_t i = 1; i < times.size(); ++i)
        if (!(times[i] > times[i - 1]))
            fail_parameter(object, std::string(field) + "[" + std::to_string(i) + "]", times[i], "ms",
                           "times must increase strictly");
}
inline void check_same_length(std::size_t a, std::size_t b, std::string_view object, std::string_view what) {
    if (a != b)
        throw Error(ErrorCode::invalid_parameter, std::string(object) + ": " + std::string(what) + " differ in length (" +
                                                      std::to_string(a) + " and " + std::to_string(b) + ")");
}
} // namespace detail

struct PoissonParams {
    double rate = 1.0;                                    // [Hz], per neuron
    double start = 0.0;                                   // [ms]
    double stop = std::numeric_limits<double>::infinity(); // [ms]
    std::vector<double> rate_times;                       // [ms]
    std::vector<double> rate_values;                      // [Hz]

    void validate(std::string_view object) const {
        if (!(stop > start)) fail_parameter(object, "stop", stop, "ms", "it must be later than start = " + format_number(start) + " ms");
        detail::check_same_length(rate_times.size(), rate_values.size(), object, "rate_times and rate_values");
        detail::check_increasing(rate_times, object, "rate_times");
    }
};

struct PoissonSource {
    static constexpr std::string_view name = "poisson";
    using Params = PoissonParams;
    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table{
            number_field<Params>("rate", "Hz", FieldKind::per_neuron, Bound::non_negative, &Params::rate, "mean firing rate"),
            number_field<Params>("start", "ms", FieldKind::scalar, Bound::non_negative, &Params::start, "first active time"),
            number_field<Params>("stop", "ms", FieldKind::scalar, Bound::any, &Params::stop, "end of activity (exclusive)"),
            array_field<Params>("rate_times", "ms", Bound::non_negative, &Params::rate_times, "times the rate changes"),
            array_field<Params>("rate_values", "Hz", Bound::non_negative, &Params::rate_values, "rates from those times on"),
        };
        return table;
    }
    static const ModelInfo& info() {
        static const ModelInfo model = make_model_info<PoissonSource>(
            "Poisson spike source (constant or piecewise-constant rate)", VertexKind::spike_source, {}, {}, true, false);
        return model;
    }
};

struct PoissonGeneratorParams {
    double rate = 0.0;                                     // [Hz] per target
    double start = 0.0;                                    // [ms]
    double stop = std::numeric_limits<double>::infinity(); // [ms]

    void validate(std::string_view object) const {
        if (!(stop > start)) fail_parameter(object, "stop", stop, "ms", "it must be later than start = " + format_number(start) + " ms");
    }
};

struct PoissonGenerator {
    static constexpr std::string_view name = "poisson_generator";
    using Params = PoissonGeneratorParams;
    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table{
            number_field<Params>("rate", "Hz", FieldKind::scalar, Bound::non_negative, &Params::rate, "rate of every target's train"),
            number_field<Params>("start", "ms", FieldKind::scalar, Bound::non_negative, &Params::start, "first active time"),
            number_field<Params>("stop", "ms", FieldKind::scalar, Bound::any, &Params::stop, "end of activity (exclusive)"),
        };
        return table;
    }
    static const ModelInfo& info() {
        static const ModelInfo model = make_model_info<PoissonGenerator>(
            "independent Poisson trains for every synapse leaving it", VertexKind::generator, {}, {}, true, false);
        return model;
    }
};

struct SpikeArrayParams {
    RaggedArray spike_times; // [ms], one list per neuron
    void validate(std::string_view) const {}
};

struct SpikeArraySource {
    static constexpr std::string_view name = "spike_array";
    using Params = SpikeArrayParams;
    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table{
            ragged_field<Params>("spike_times", "ms", Bound::non_negative, &Params::spike_times, "spike times of each neuron"),
        };
        return table;
    }
    static const ModelInfo& info() {
        static const ModelInfo model = make_model_info<SpikeArraySource>(
            "spike source emitting given spike times", VertexKind::spike_source, {}, {}, true, false);
        return model;
    }
};

struct StepCurrentParams {
    std::vector<double> times;      // [ms]
    std::vector<double> amplitudes; // [nA]
    void validate(std::string_view object) const {
        detail::check_same_length(times.size(), amplitudes.size(), object, "times and amplitudes");
        detail::check_increasing(times, object, "times");
    }
};

struct StepCurrentSource {
    static constexpr std::string_view name = "step_current";
    using Params = StepCurrentParams;
    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table{
            array_field<Params>("times", "ms", Bound::non_negative, &Params::times, "times the current changes"),
            array_field<Params>("amplitudes", "nA", Bound::finite, &Params::amplitudes, "current from those times on"),
        };
        return table;
    }
    static const ModelInfo& info() {
        static const ModelInfo model = make_model_info<StepCurrentSource>(
            "piecewise-constant current injected into neurons", VertexKind::current_source, {}, {}, false, false);
        return model;
    }
};

} // namespace spikegraph
