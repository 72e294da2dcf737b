// The refractory clock of neurons/spike_rule.hpp: a 32-bit step counter that wraps.
#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>

#include "neurons/spike_rule.hpp"

using namespace spikegraph;

namespace {

// One neuron driven above threshold every step: returns whether it spiked at step n.
struct Driven {
    SpikeRule<double> rule = SpikeRule<double>::make(-50.0, -65.0, 2.0, ResetMode::to_value, 0.1); // held 20 steps
    double v = -65.0;
    std::int32_t free_from = 0;
    bool step(Step n) { return advance_membrane(rule, v, -40.0, free_from, wrapping_clock(n)); }
};

} // namespace

TEST_CASE("spike rule: a refractory period across the 32-bit wrap of the step clock holds exactly t_ref") {
    for (const Step first : {Step{0}, (Step{1} << 31) - 10, (Step{1} << 32) - 7, (Step{5} << 32) + 3}) {
        Driven neuron;
        neuron.free_from = wrapping_clock(first);
        CAPTURE(first);
        CHECK(neuron.step(first));
        for (Step n = first + 1; n <= first + 20; ++n) CHECK_FALSE(neuron.step(n));
        CHECK(neuron.step(first + 21)); // free again, and driven above threshold
    }
}

TEST_CASE("spike rule: a neuron silent for more than 2^31 steps is free when swept every 2^29 steps, held without") {
    Driven swept, unswept;
    CHECK(swept.step(0));
    CHECK(unswept.step(0));
    const Step later = 5 * free_from_sweep_steps; // 1.25 * 2^31: unswept, free_from - now would have wrapped
    for (Step n = free_from_sweep_steps; n <= later; n += free_from_sweep_steps) keep_free_from_in_range(&swept.free_from, 1, n);
    CHECK(steps_until_free(swept.free_from, wrapping_clock(later)) <= 0);
    CHECK(swept.step(later + 1));
    CHECK(steps_until_free(unswept.free_from, wrapping_clock(later + 1)) > 0); // held, wrongly, without the sweep
    // Without the sweep the wrapping difference has turned positive: what the sweep prevents.
    const Step much_later = (Step{1} << 31) + 100; // free_from (21) is now more than 2^31 steps behind
    CHECK(steps_until_free(unswept.free_from, wrapping_clock(much_later + 1)) > 0);
    CHECK_FALSE(unswept.step(much_later + 1));
}

TEST_CASE("spike rule: the sweep moves only free_from more than 2^29 steps behind, and keeps them free") {
    const Step n = free_from_sweep_steps;
    std::int32_t free_from[4] = {wrapping_clock(n + 5), wrapping_clock(n), wrapping_clock(1), wrapping_clock(-3)};
    keep_free_from_in_range(free_from, 4, n);
    CHECK(free_from[0] == wrapping_clock(n + 5)); // still held
    CHECK(free_from[1] == wrapping_clock(n));
    CHECK(free_from[2] == wrapping_clock(1));     // 2^29 - 1 behind: kept
    CHECK(free_from[3] == wrapping_clock(0));     // 2^29 + 3 behind: pulled up to 2^29 behind
    CHECK(steps_until_free(free_from[3], wrapping_clock(n)) <= 0);
}
