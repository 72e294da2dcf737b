// cuba_lif: the subthreshold trajectory equals the closed-form solution for exponential currents,
// including tau_syn == tau_m where the textbook propagator divides zero by zero.
#include <cmath>

#include "harness.hpp"
#include "support.hpp"

using namespace spikegraph;

namespace {
// v(t) - v_rest from a current i0 at t = 0 decaying with tau_s, through a membrane (tau_m, c_m):
//   i0 / c_m * tau_m tau_s / (tau_s - tau_m) * (exp(-t/tau_s) - exp(-t/tau_m)),
// written with expm1 so that nearly equal time constants lose no digits (limit: t exp(-t/tau)).
double current_response(double t, double i0, double tau_m, double tau_s, double c_m) {
    const double d = 1.0 / tau_m - 1.0 / tau_s;
    const double ratio = d == 0.0 ? t : std::expm1(t * d) / d;
    return i0 / c_m * std::exp(-t / tau_m) * ratio;
}

void check_trajectory(double tau_m, double tau_e, double tau_i) {
    CubaLifParams p;
    p.tau_m = tau_m;
    p.c_m = 0.2;
    p.v_rest = -65.0;
    p.v_th = 1000.0;
    p.tau_syn_e = tau_e;
    p.tau_syn_i = tau_i;
    p.i_offset = 0.1;
    const double dt = 0.1, v0 = -60.0, i_e0 = 1.5, i_i0 = -0.7, w = 0.8;
    const int input_step = 150;
    test::SingleNeuron<CubaLif> neuron(p, dt);
    neuron.var[CubaLif::v] = v0;
    neuron.var[CubaLif::i_exc] = i_e0;
    neuron.var[CubaLif::i_inh] = i_i0;
    double worst = 0.0;
    for (int n = 0; n < 10000; ++n) {
        neuron.step(n == input_step ? w : 0.0, 0.0);
        const double t = (n + 1) * dt, t_in = (input_step + 1) * dt;
        const double v_inf = p.v_rest + p.tau_m / p.c_m * p.i_offset;
        double v = v_inf + (v0 - v_inf) * std::exp(-t / tau_m) + current_response(t, i_e0, tau_m, tau_e, p.c_m) +
                   current_response(t, i_i0, tau_m, tau_i, p.c_m);
        double i_e = i_e0 * std::exp(-t / tau_e);
        if (t >= t_in - 1e-12) {
            v += current_response(t - t_in, w, tau_m, tau_e, p.c_m);
            i_e += w * std::exp(-(t - t_in) / tau_e);
        }
        worst = std::max(worst, test::relative_error(neuron.var[CubaLif::v], v));
        worst = std::max(worst, test::relative_error(neuron.var[CubaLif::i_exc], i_e));
    }
    CHECK(worst < 1e-9);
}
} // namespace

TEST_SUITE("neurons") {
TEST_CASE("cuba_lif: closed-form trajectory for tau_syn != tau_m") { check_trajectory(20.0, 5.0, 10.0); }
TEST_CASE("cuba_lif: closed-form trajectory for tau_syn == tau_m") { check_trajectory(10.0, 10.0, 10.0); }
TEST_CASE("cuba_lif: closed-form trajectory for nearly equal time constants") { check_trajectory(10.0, 10.0 + 1e-7, 9.9999); }

TEST_CASE("cuba_lif: integration = discrete steps as snnTorch's Synaptic, with its bias in the current") {
    // I[n+1] = alpha I[n] + input + b,  U[n+1] = beta U[n] + I[n+1] (v_rest = 0), closed form for a
    // constant b from rest: I[n] = b (1 - alpha^n) / (1 - alpha), U[n] = sum_k beta^(n-k) I[k].
    CubaLifParams p;
    p.tau_m = 10.0;
    p.tau_syn_e = p.tau_syn_i = 3.0;
    p.v_rest = 0.0;
    p.v_th = 1e9;
    p.i_offset = 0.25;
    p.integration = CubaIntegration::discrete;
    const double dt = 1.0, alpha = std::exp(-dt / 3.0), beta = std::exp(-dt / 10.0);
    test::SingleNeuron<CubaLif> neuron(p, dt);
    neuron.var[CubaLif::v] = 0.0;
    double worst = 0.0, u = 0.0;
    for (int n = 1; n <= 60; ++n) {
        neuron.step(n == 20 ? 0.5 : 0.0, n == 30 ? -0.3 : 0.0);
        double i = p.i_offset * (1.0 - std::pow(alpha, n)) / (1.0 - alpha);
        if (n >= 20) i += 0.5 * std::pow(alpha, n - 20);
        const double i_inh = n >= 30 ? -0.3 * std::pow(alpha, n - 30) : 0.0;
        u = beta * u + i + i_inh;
        worst = std::max(worst, test::relative_error(neuron.var[CubaLif::i_exc], i));
        worst = std::max(worst, test::relative_error(neuron.var[CubaLif::v], u));
    }
    CHECK(worst < 1e-12);
}

TEST_CASE("cuba_lif: propagators stay finite when dt is thousands of membrane time constants") {
    for (double tau_m : {0.001, 0.01, 1.0}) {
        CubaLifParams p;
        p.tau_m = tau_m;
        p.v_th = 1e9;
        test::SingleNeuron<CubaLif> neuron(p, 1.0);
        neuron.var[CubaLif::i_exc] = 1.0;
        for (int n = 0; n < 10; ++n) neuron.step();
        CHECK(std::isfinite(neuron.var[CubaLif::v]));
        CHECK(std::isfinite(neuron.var[CubaLif::i_exc]));
    }
    CHECK(propagator::decaying_current(1.0, 0.001, 5.0, 1.0) ==
          doctest::Approx(0.001 * 5.0 / (5.0 - 0.001) * std::exp(-1.0 / 5.0)).epsilon(1e-9));
}

TEST_CASE("cuba_lif: currents keep decaying while the membrane is held") {
    CubaLifParams p;
    p.t_ref = 1.0;
    test::SingleNeuron<CubaLif> neuron(p, 0.1);
    neuron.var[CubaLif::v] = -49.0;
    neuron.var[CubaLif::i_exc] = 2.0;
    CHECK(neuron.step());
    CHECK(neuron.var[CubaLif::v] == -65.0);
    for (int n = 0; n < 10; ++n) CHECK_FALSE(neuron.step());
    CHECK(neuron.var[CubaLif::v] == -65.0);
    CHECK(neuron.var[CubaLif::i_exc] == doctest::Approx(2.0 * std::exp(-1.1 / 5.0)).epsilon(1e-12));
}

TEST_CASE("cuba_lif in float follows the double trajectory to float precision") {
    // Each float step rounds a few times (relative 6e-8 each); over 5000 steps the error is
    // bounded by about 5000 x 6e-8 = 3e-4 and in practice far smaller.
    CubaLifParams p;
    p.v_th = 1000.0;
    test::SingleNeuron<CubaLif, double> reference(p, 0.1);
    test::SingleNeuron<CubaLif, float> single(p, 0.1);
    reference.var[CubaLif::i_exc] = 3.0;
    single.var[CubaLif::i_exc] = 3.0f;
    reference.var[CubaLif::v] = -65.0;
    single.var[CubaLif::v] = -65.0f;
    for (int n = 0; n < 5000; ++n) {
        reference.step();
        single.step();
    }
    CHECK(test::relative_error(single.var[CubaLif::v], reference.var[CubaLif::v]) < 3e-4);
}
}
