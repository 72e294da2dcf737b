#pragma once
// Values that can be constant, given per element, or drawn per element from a distribution:
// per-neuron parameters and initial state, per-synapse weights and delays.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/random.hpp"

namespace spikegraph {

struct Distribution {
    enum class Kind {
        uniform,        // on [a, b)
        normal,         // mean a, standard deviation b
        normal_clipped, // normal(a, b) redrawn until it falls in [low, high] (PyNN, NEST)
        lognormal,      // exp(normal(a, b)): a and b are the mean and sd of the logarithm
    };
    Kind kind = Kind::uniform;
    double a = 0.0;
    double b = 1.0;
    double low = 0.0;
    double high = 0.0;

    static Distribution uniform(double low, double high) { return {Kind::uniform, low, high, low, high}; }
    static Distribution normal(double mean, double sd) { return {Kind::normal, mean, sd, 0.0, 0.0}; }
    static Distribution normal_clipped(double mean, double sd, double low, double high) {
        return {Kind::normal_clipped, mean, sd, low, high};
    }
    static Distribution lognormal(double mu, double sigma) { return {Kind::lognormal, mu, sigma, 0.0, 0.0}; }

    double sample(RandomStream& stream) const;
    double mean() const;           // for estimates and validation of typical values
    double support_min() const;    // smallest value a draw can take (-inf if unbounded)
    double support_max() const;
    std::string describe() const;  // "uniform(-60, -50)"
    // Throws invalid_parameter naming `object` and `field` when the parameters make no sense.
    void validate(std::string_view object, std::string_view field) const;
};

// A value for a set of elements: one constant, one value per element, or a distribution.
using ValueSpec = std::variant<double, std::vector<double>, Distribution>;

std::string describe(const ValueSpec& value);

// Resolves `value` for `count` elements. Draws use the stream (seed, object, purpose, element = i,
// first block = slot << 32), so each element's value is independent of every other.
std::vector<double> resolve_values(const ValueSpec& value, std::size_t count, Seed seed,
                                   std::uint32_t object, RandomPurpose purpose, std::uint32_t slot,
                                   std::string_view object_name, std::string_view field);

} // namespace spikegraph
