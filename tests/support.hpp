#pragma once
// Helpers shared by the doctest suites.
#include <doctest/doctest.h>

#include <functional>
#include <initializer_list>
#include <string>

#include "backends/backend.hpp"
#include "core/error.hpp"
#include "neurons/models.hpp"

namespace spikegraph::test {

// Checks that `action` throws spikegraph::Error with `code` and a message containing every part.
inline void check_error(const std::function<void()>& action, ErrorCode code, std::initializer_list<std::string> parts) {
    try {
        action();
        FAIL("no error was raised; expected ", to_string(code));
    } catch (const Error& error) {
        CHECK_MESSAGE(error.code() == code, "code ", to_string(error.code()), ": ", error.what());
        const std::string message = error.what();
        for (const auto& part : parts) CHECK_MESSAGE(message.find(part) != std::string::npos, "'", part, "' missing from: ", message);
    }
}

inline double relative_error(double value, double reference) {
    return std::abs(value - reference) / std::max(std::abs(reference), 1e-300);
}

} // namespace spikegraph::test
