// The portable exponential used inside models agrees with libm to a few ulp in double and float.
#include <doctest/doctest.h>

#include <cmath>

#include "core/numeric.hpp"

using namespace spikegraph;

TEST_SUITE("core") {
TEST_CASE("num::exp matches std::exp within 4e-16 (double) and 3e-7 (float)") {
    double worst_double = 0.0, worst_float = 0.0;
    for (double x = -700.0; x <= 700.0; x += 0.0137) {
        const double reference = std::exp(x);
        worst_double = std::max(worst_double, std::abs(num::exp(x) - reference) / reference);
    }
    for (float x = -80.0f; x <= 80.0f; x += 0.00731f) {
        const double reference = std::exp(static_cast<double>(x));
        worst_float = std::max(worst_float, std::abs(static_cast<double>(num::exp(x)) - reference) / reference);
    }
    CHECK(worst_double < 4e-16);
    CHECK(worst_float < 3e-7);
    CHECK(num::exp(0.0) == 1.0);
    CHECK(num::exp(0.0f) == 1.0f);
    CHECK(std::isfinite(num::exp(1e6)));
    CHECK(num::exp(-1e6) >= 0.0);
}
}
