#pragma once
// The one error type of spikegraph. Messages name the object, the field and the value.
#include <stdexcept>
#include <string>
#include <string_view>

namespace spikegraph {

enum class ErrorCode {
    invalid_parameter,   // a value out of range: negative time constant, NaN weight, ...
    invalid_network,     // a structural fault: unknown population, size mismatch, ...
    backend_unavailable, // a backend that is unknown or not built
    hardware_constraint, // does not fit: memory, chip limits
    io,                  // files: cannot open, corrupt, wrong schema
    internal             // a bug in spikegraph
};

std::string_view to_string(ErrorCode code);

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message);
    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

// Shortest text that reads back to the same double ("0.1", "-5", "nan").
std::string format_number(double value);

// "population 'exc': tau_m = -5 ms is invalid: it must be > 0"
[[noreturn]] void fail_parameter(std::string_view object, std::string_view field, double value,
                                 std::string_view unit, std::string_view requirement);

} // namespace spikegraph
