#include "core/values.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace spikegraph {

double Distribution::sample(RandomStream& stream) const {
    switch (kind) {
    case Kind::uniform: return a + (b - a) * stream.uniform();
    case Kind::normal: return a + b * stream.normal();
    case Kind::normal_clipped:
        for (int attempt = 0; attempt < 1000000; ++attempt) {
            const double x = a + b * stream.normal();
            if (x >= low && x <= high) return x;
        }
        throw Error(ErrorCode::invalid_parameter,
                    describe() + ": no draw fell inside [low, high] in 1e6 attempts");
    case Kind::lognormal: return std::exp(a + b * stream.normal());
    }
    return a;
}

double Distribution::mean() const {
    switch (kind) {
    case Kind::uniform: return 0.5 * (a + b);
    case Kind::normal: return a;
    case Kind::normal_clipped: { // mean of the normal truncated to [low, high]
        if (b == 0.0) return a;
        const double alpha = (low - a) / b, beta = (high - a) / b;
        auto pdf = [](double x) { return std::isfinite(x) ? std::exp(-0.5 * x * x) / std::sqrt(2.0 * 3.141592653589793) : 0.0; };
        auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
        const double mass = cdf(beta) - cdf(alpha);
        return mass > 0.0 ? a + b * (pdf(alpha) - pdf(beta)) / mass : std::min(std::max(a, low), high);
    }
    case Kind::lognormal: return std::exp(a + 0.5 * b * b);
    }
    return a;
}

double Distribution::support_min() const {
    switch (kind) {
    case Kind::uniform: return a;
    case Kind::normal: return -std::numeric_limits<double>::infinity();
    case Kind::normal_clipped: return low;
    case Kind::lognormal: return 0.0;
    }
    return a;
}

double Distribution::support_max() const {
    switch (kind) {
    case Kind::uniform: return b;
    case Kind::normal: return std::numeric_limits<double>::infinity();
    case Kind::normal_clipped: return high;
    case Kind::lognormal: return std::numeric_limits<double>::infinity();
    }
    return b;
}

std::string Distribution::describe() const {
    switch (kind) {
    case Kind::uniform: return "uniform(" + format_number(a) + ", " + format_number(b) + ")";
    case Kind::normal: return "normal(" + format_number(a) + ", " + format_number(b) + ")";
    case Kind::normal_clipped:
        return "normal_clipped(" + format_number(a) + ", " + format_number(b) + ", " +
               format_number(low) + ", " + format_number(high) + ")";
    case Kind::lognormal: return "lognormal(" + format_number(a) + ", " + format_number(b) + ")";
    }
    return "distribution";
}

void Distribution::validate(std::string_view object, std::string_view field) const {
    const std::string name = std::string(field) + " " + describe();
    auto fail = [&](std::string_view why) {
        throw Error(ErrorCode::invalid_parameter,
                    std::string(object) + ": " + name + " is invalid: " + std::string(why));
    };
    if (!std::isfinite(a) || !std::isfinite(b)) fail("its parameters must be finite numbers");
    switch (kind) {
    case Kind::uniform:
        if (!(a < b)) fail("it needs low < high");
        break;
    case Kind::normal:
    case Kind::lognormal:
        if (!(b >= 0.0)) fail("the standard deviation must be >= 0");
        break;
    case Kind::normal_clipped:
        if (!(b >= 0.0)) fail("the standard deviation must be >= 0");
        if (std::isnan(low) || std::isnan(high) || !(low < high)) fail("it needs low < high");
        if (b == 0.0 && (a < low || a > high)) fail("the mean lies outside [low, high] and sd = 0");
        break;
    }
}

std::string describe(const ValueSpec& value) {
    if (const auto* constant = std::get_if<double>(&value)) return format_number(*constant);
    if (const auto* list = std::get_if<std::vector<double>>(&value))
        return "array of " + std::to_string(list->size()) + " values";
    return std::get<Distribution>(value).describe();
}

std::vector<double> resolve_values(const ValueSpec& value, std::size_t count, Seed seed,
                                   std::uint32_t object, RandomPurpose purpose, std::uint32_t slot,
                                   std::string_view object_name, std::string_view field) {
    if (const auto* constant = std::get_if<double>(&value)) return std::vector<double>(count, *constant);
    if (const auto* list = std::get_if<std::vector<double>>(&value)) {
        if (list->size() != count)
            throw Error(ErrorCode::invalid_parameter,
                        std::string(object_name) + ": " + std::string(field) + " has " +
                            std::to_string(list->size()) + " values but needs " +
                            std::to_string(count));
        return *list;
    }
    const auto& distribution = std::get<Distribution>(value);
    std::vector<double> out(count);
    for (std::size_t i = 0; i < count; ++i) {
        RandomStream stream(seed, object, purpose, static_cast<std::uint32_t>(i),
                            static_cast<std::uint64_t>(slot) << 32);
        out[i] = distribution.sample(stream);
    }
    return out;
}

} // namespace spikegraph
