// coba_lif: the subthreshold trajectory equals the exact solution of the conductance-based
// membrane equation. With g(s) = g0 exp(-s / tau_syn) within a step, the solution is
//   v(h) = v0 exp(-B(h)) + integral_0^h a(s) exp(-(B(h) - B(s))) ds
// with B and a in closed form; the reference evaluates that integral with 5-point Gauss-Legendre
// quadrature on 16 panels per step in long double (error far below 1e-15), independently of the
// model's own two-node rule.
#include <cmath>

#include "harness.hpp"
#include "support.hpp"

using namespace spikegraph;

namespace {
using Real = long double;

struct Exact {
    CobaLifParams p;
    Real g_l() const { return Real(p.c_m) / p.tau_m; }
    // B(s) and a(s) over a step that starts with conductances ge, gi.
    Real big_b(Real s, Real ge, Real gi) const {
        return (g_l() * s + ge * p.tau_syn_e * -std::expm1(-s / p.tau_syn_e) + gi * p.tau_syn_i * -std::expm1(-s / p.tau_syn_i)) / p.c_m;
    }
    Real a(Real s, Real ge, Real gi) const {
        return (g_l() * p.v_rest + ge * std::exp(-s / p.tau_syn_e) * p.e_rev_e + gi * std::exp(-s / p.tau_syn_i) * p.e_rev_i +
                p.i_offset) / p.c_m;
    }
    Real advance(Real v, Real ge, Real gi, Real h) const {
        static const Real x[5] = {0.0L, -0.538469310105683091036L, 0.538469310105683091036L, -0.906179845938663992798L,
                                  0.906179845938663992798L};
        static const Real w[5] = {0.568888888888888888889L, 0.478628670499366468041L, 0.478628670499366468041L,
                                  0.236926885056189087514L, 0.236926885056189087514L};
        const Real bh = big_b(h, ge, gi);
        const int panels = 16;
        Real integral = 0.0L;
        for (int k = 0; k < panels; ++k) {
            const Real left = h * k / panels, half = h / (2 * panels);
            for (int j = 0; j < 5; ++j) {
                const Real s = left + half * (1 + x[j]);
                integral += half * w[j] * a(s, ge, gi) * std::exp(-(bh - big_b(s, ge, gi)));
            }
        }
        return v * std::exp(-bh) + integral;
    }
};

double worst_error(double g_exc0, double g_inh0, double input, double dt,
                   CobaIntegrator integrator = CobaIntegrator::gauss_legendre) {
    CobaLifParams p;
    p.tau_m = 20.0;
    p.c_m = 0.2;
    p.v_rest = -60.0;
    p.v_th = 1000.0;
    p.tau_syn_e = 5.0;
    p.tau_syn_i = 10.0;
    p.e_rev_e = 0.0;
    p.e_rev_i = -80.0;
    p.i_offset = 0.1;
    p.integrator = integrator;
    const Exact exact{p};
    test::SingleNeuron<CobaLif> neuron(p, dt);
    neuron.var[CobaLif::v] = -55.0;
    neuron.var[CobaLif::g_exc] = g_exc0;
    neuron.var[CobaLif::g_inh] = g_inh0;
    Real v = -55.0L, ge = g_exc0, gi = g_inh0;
    const int input_step = static_cast<int>(20.0 / dt);
    double worst = 0.0;
    for (int n = 0; n < static_cast<int>(1000.0 / dt); ++n) {
        const double in = n == input_step ? input : 0.0;
        neuron.step(in, 0.5 * in);
        v = exact.advance(v, ge, gi, dt);
        ge = ge * std::exp(-Real(dt) / p.tau_syn_e) + in;
        gi = gi * std::exp(-Real(dt) / p.tau_syn_i) + 0.5 * in;
        worst = std::max(worst, test::relative_error(neuron.var[CobaLif::v], static_cast<double>(v)));
        worst = std::max(worst, test::relative_error(neuron.var[CobaLif::g_exc], static_cast<double>(ge)));
    }
    return worst;
}
} // namespace

TEST_SUITE("neurons") {
TEST_CASE("coba_lif: trajectory matches the exact solution within 1e-9 at physiological conductances") {
    // Vogels-Abbott scale: a few excitatory (6 nS) and inhibitory (67 nS) events at once.
    MESSAGE("coba_lif relative error at dt = 0.1 ms: ", worst_error(0.03, 0.2, 0.05, 0.1));
    CHECK(worst_error(0.03, 0.2, 0.05, 0.1) < 1e-9);
    CHECK(worst_error(0.0, 0.0, 0.02, 0.1) < 1e-9);
}

TEST_CASE("coba_lif: strong conductances and long steps stay accurate") {
    // 1 uS total (membrane time constant 0.2 ms) at dt = 0.1 ms, and dt = 1 ms at moderate drive.
    CHECK(worst_error(0.5, 0.5, 0.5, 0.1) < 1e-8);
    CHECK(worst_error(0.03, 0.2, 0.05, 1.0) < 1e-8);
}

TEST_CASE("coba_lif midpoint: second-order convergence to the exact solution") {
    const double coarse = worst_error(0.03, 0.2, 0.05, 0.1, CobaIntegrator::midpoint);
    const double fine = worst_error(0.03, 0.2, 0.05, 0.05, CobaIntegrator::midpoint);
    MESSAGE("midpoint relative error: dt = 0.1 ms ", coarse, ", dt = 0.05 ms ", fine);
    CHECK(coarse < 1e-4);
    CHECK(coarse / fine == doctest::Approx(4.0).epsilon(0.15)); // halving dt quarters the error
    // Constant conductances make the frozen-conductance solution exact.
    CHECK(worst_error(0.0, 0.0, 0.0, 0.1, CobaIntegrator::midpoint) < 1e-12);
}

TEST_CASE("coba_lif euler: first-order convergence to the exact solution") {
    const double coarse = worst_error(0.03, 0.2, 0.05, 0.1, CobaIntegrator::euler);
    const double fine = worst_error(0.03, 0.2, 0.05, 0.05, CobaIntegrator::euler);
    MESSAGE("euler relative error: dt = 0.1 ms ", coarse, ", dt = 0.05 ms ", fine);
    CHECK(coarse < 1e-2);
    CHECK(coarse / fine == doctest::Approx(2.0).epsilon(0.15)); // halving dt halves the error
}

TEST_CASE("coba_lif midpoint: a nearly leak-free membrane in single precision follows its drive") {
    // h g / c_m ~ 1e-7: (1 - exp(-x)) / x would cancel to 0 or 0/0 in float; the series keeps it.
    CobaLifParams p;
    p.tau_m = 1e6;
    p.c_m = 1.0;
    p.v_rest = -65.0;
    p.v_th = 1e6;
    p.i_offset = 1.0; // 1 nA into 1 nF: 1 mV/ms
    p.integrator = CobaIntegrator::midpoint;
    test::SingleNeuron<CobaLif, float> neuron(p, 0.1);
    neuron.var[CobaLif::v] = -65.0f;
    for (int n = 0; n < 100; ++n) neuron.step();
    // 10 ms at 1 mV/ms, less a leak of about 10 ms * (5 mV mean) / tau_m.
    CHECK(neuron.var[CobaLif::v] == doctest::Approx(-55.0).epsilon(1e-5));
}

TEST_CASE("coba_lif: conductances decay through the refractory period while v is held") {
    CobaLifParams p;
    p.t_ref = 0.5;
    test::SingleNeuron<CobaLif> neuron(p, 0.1);
    neuron.var[CobaLif::v] = -49.99;
    neuron.var[CobaLif::g_exc] = 0.1;
    CHECK(neuron.step());
    for (int n = 0; n < 5; ++n) {
        CHECK_FALSE(neuron.step());
        CHECK(neuron.var[CobaLif::v] == -65.0);
    }
    CHECK(neuron.var[CobaLif::g_exc] == doctest::Approx(0.1 * std::exp(-0.6 / 5.0)).epsilon(1e-12));
}
}
