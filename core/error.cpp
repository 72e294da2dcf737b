#include "core/error.hpp"

#include <charconv>
#include <cmath>

namespace spikegraph {

std::string_view to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::invalid_parameter: return "invalid_parameter";
    case ErrorCode::invalid_network: return "invalid_network";
    case ErrorCode::backend_unavailable: return "backend_unavailable";
    case ErrorCode::hardware_constraint: return "hardware_constraint";
    case ErrorCode::io: return "io";
    case ErrorCode::internal: return "internal";
    }
    return "internal";
}

Error::Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}

std::string format_number(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

void fail_parameter(std::string_view object, std::string_view field, double value,
                    std::string_view unit, std::string_view requirement) {
    std::string message(object);
    message += ": ";
    message += field;
    message += " = ";
    message += format_number(value);
    if (!unit.empty() && std::isfinite(value)) {
        message += ' ';
        message += unit;
    }
    message += " is invalid: ";
    message += requirement;
    throw Error(ErrorCode::invalid_parameter, message);
}

} // namespace spikegraph
