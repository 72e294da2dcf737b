// lif: the subthreshold trajectory equals the closed-form solution of the membrane equation.
#include <cmath>

#include "harness.hpp"
#include "support.hpp"

using namespace spikegraph;

TEST_SUITE("neurons") {
TEST_CASE("lif: v relaxes to v_rest + R i_offset exactly, and delta inputs add jumps that decay") {
    LifParams p;
    p.tau_m = 15.0;
    p.c_m = 0.25;
    p.v_rest = -70.0;
    p.v_th = 100.0; // never fires
    p.i_offset = 0.3;
    const double dt = 0.1, r = p.tau_m / p.c_m, v0 = -80.0, jump = 2.5;
    const int input_step = 300; // arrives at the end of step 300: t = 30.1 ms
    test::SingleNeuron<Lif> neuron(p, dt);
    neuron.var[Lif::v] = v0;
    double worst = 0.0;
    for (int n = 0; n < 10000; ++n) {
        neuron.step(n == input_step ? jump : 0.0);
        const double t = (n + 1) * dt, t_in = (input_step + 1) * dt;
        const double v_inf = p.v_rest + r * p.i_offset;
        double expected = v_inf + (v0 - v_inf) * std::exp(-t / p.tau_m);
        if (t >= t_in - 1e-12) expected += jump * std::exp(-(t - t_in) / p.tau_m);
        worst = std::max(worst, test::relative_error(neuron.var[Lif::v], expected));
    }
    CHECK(worst < 1e-9);
}

TEST_CASE("lif: threshold, reset, refractory hold and discarded input while held") {
    LifParams p;
    p.v_th = -50.0;
    p.v_reset = -70.0;
    p.t_ref = 2.0;
    test::SingleNeuron<Lif> neuron(p, 0.1);
    neuron.var[Lif::v] = -50.5;
    CHECK(neuron.step(1.0)); // crosses threshold
    CHECK(neuron.var[Lif::v] == -70.0);
    for (int n = 0; n < 20; ++n) { // held for t_ref = 20 steps, input ignored
        CHECK_FALSE(neuron.step(30.0));
        CHECK(neuron.var[Lif::v] == -70.0);
    }
    neuron.step();
    CHECK(neuron.var[Lif::v] != -70.0); // integrates again
}

TEST_CASE("lif: a refractory period beyond 2^30 steps holds for 2^30 - 1 steps instead of overflowing") {
    LifParams p;
    p.t_ref = 1e12;
    test::SingleNeuron<Lif> neuron(p, 0.1);
    neuron.var[Lif::v] = -49.0;
    CHECK(neuron.step());
    CHECK(neuron.free_from == 1 + max_refractory_steps);
    for (int n = 0; n < 100; ++n) CHECK_FALSE(neuron.step(100.0));
}

TEST_CASE("lif: reset by subtraction keeps the overshoot") {
    LifParams p;
    p.v_rest = 0.0;
    p.v_reset = 0.0;
    p.v_th = 1.0;
    p.t_ref = 0.0;
    p.tau_m = 1e9; // no leak to speak of
    p.reset = ResetMode::subtract;
    test::SingleNeuron<Lif> neuron(p, 1.0);
    neuron.var[Lif::v] = 0.0;
    CHECK(neuron.step(1.75));
    CHECK(neuron.var[Lif::v] == doctest::Approx(0.75).epsilon(1e-9));
}
}
