// DecayingTraces stores values against a reference step and rescales them every `span` steps;
// read at any step, a trace must equal the sum of exponentials of its jumps, across many
// rescalings and for time constants from one step up.
#include <cmath>
#include <vector>

#include <doctest/doctest.h>

#include "backends/cpu/decaying_traces.hpp"

using spikegraph::Step;
using spikegraph::cpu::DecayingTraces;

TEST_CASE("decaying traces equal the sum of their jumps' exponentials over many rescalings") {
    for (const double tau_steps : {1.0, 7.5, 200.0}) {
        DecayingTraces traces(3, tau_steps);
        std::vector<Step> jumps_all, jumps_nearest;
        const Step steps = static_cast<Step>(2000 * tau_steps); // ten rescalings
        for (Step n = 0; n < steps; ++n) {
            traces.advance(n);
            if (n % 97 == 3) { // trace 0: all-to-all, trace 1: nearest, trace 2: never jumps
                traces.add_one(0);
                traces.set_one(1);
                jumps_all.push_back(n);
                jumps_nearest = {n};
            }
            if (n % 613 != 5) continue;
            double expected = 0.0;
            for (Step m : jumps_all) expected += std::exp(-static_cast<double>(n - m) / tau_steps);
            const double nearest = jumps_nearest.empty() ? 0.0 : std::exp(-static_cast<double>(n - jumps_nearest[0]) / tau_steps);
            CHECK(traces.value(0) == doctest::Approx(expected).epsilon(1e-12));
            CHECK(traces.value(1) == doctest::Approx(nearest).epsilon(1e-12));
            CHECK(traces.value(2) == 0.0);
            CHECK(std::isfinite(traces.value(0)));
        }
    }
}
