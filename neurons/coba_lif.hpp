#pragma once
// coba_lif: leaky integrate-and-fire neuron with exponentially decaying synaptic conductances
// (PyNN IF_cond_exp, NEST iaf_cond_exp).
//
//   c_m dv/dt = g_l (v_rest - v) + g_exc (e_rev_e - v) + g_inh (e_rev_i - v) + i_offset,  g_l = c_m / tau_m
//   tau_syn_e dg_exc/dt = -g_exc,   tau_syn_i dg_inh/dt = -g_inh
//   v >= v_th  ->  spike; v <- v_reset (or v - (v_th - v_reset)); v held for t_ref
//
// Weights are conductances [uS]. The system is not linear in (v, g), so no constant propagator
// exists. Within a step the conductances are known exactly, g(s) = g0 exp(-s / tau_syn), which
// leaves v' = a(s) - b(s) v, a linear ODE with time-varying coefficients. Its solution is
//   v(h) = v0 exp(-B(h)) + integral_0^h a(s) exp(-(B(h) - B(s))) ds,   B(s) = integral_0^s b,
// where B is closed-form. The remaining integral is taken with three-point Gauss-Legendre
// quadrature (order 6): every exponent and weight below is a precomputed coefficient times g0,
// so a step costs four exponentials and no ODE solver. Measured against the exact trajectory
// (tests/unit/neurons/test_coba_lif.cpp): relative error below 1e-9 at dt = 0.1 ms for
// conductances up to a few times the leak; it grows as (dt / tau_eff)^6 for stronger drive.
//
// integrator = "midpoint" trades accuracy for speed (one exponential and one division): the
// conductances are held at their exact mid-step values g0 exp(-h / (2 tau_syn)), which makes
// the membrane equation linear with constant coefficients over the step, solved exactly:
//   v(h) = v0 exp(-x) + (h / c_m) d phi(x),   x = h b / c_m,   b = g_l + g_exc + g_inh,
//   d = g_l v_rest + g_exc e_rev_e + g_inh e_rev_i + i_offset,   phi(x) = (1 - exp(-x)) / x,
// with phi from its series below x = 0.02 (the usual range), so neither a weak leak nor b = 0
// loses digits to cancellation.
// It is second order in h (the error falls fourfold when dt halves; about 1e-5 relative at
// dt = 0.1 ms) and still exact for constant conductances.
//
// integrator = "euler" is forward Euler for the membrane (conductances still decay exactly):
//   v(h) = v0 + h (g_l (v_rest - v0) + g_exc (e_rev_e - v0) + g_inh (e_rev_i - v0) + i_offset) / c_m
// the arithmetic of Brian2's COBA benchmark (method='euler'): first order, cheapest, and stable
// only while h (g_l + g_exc + g_inh) / c_m < 2.
#include <cmath>
#include <string_view>
#include <vector>

#include "neurons/fields.hpp"
#include "neurons/integrate_and_fire.hpp"
#include "neurons/neuron_state.hpp"
#include "neurons/propagators.hpp"

namespace spikegraph {

enum class CobaIntegrator : std::uint8_t { gauss_legendre, midpoint, euler };

struct CobaLifParams {
    double tau_m = 20.0;     // membrane time constant [ms]
    double c_m = 1.0;        // membrane capacitance [nF]
    double v_rest = -65.0;   // leak reversal (resting) potential [mV]
    double v_th = -50.0;     // threshold [mV]
    double v_reset = -65.0;  // reset potential [mV]
    double t_ref = 0.1;      // refractory period [ms]
    double tau_syn_e = 5.0;  // excitatory conductance decay [ms]
    double tau_syn_i = 5.0;  // inhibitory conductance decay [ms]
    double e_rev_e = 0.0;    // excitatory reversal potential [mV]
    double e_rev_i = -70.0;  // inhibitory reversal potential [mV]
    double i_offset = 0.0;   // bias current [nA]
    ResetMode reset = ResetMode::to_value;
    CobaIntegrator integrator = CobaIntegrator::gauss_legendre;

    void validate(std::string_view object) const { check_threshold(v_th, v_reset, object); }
};

template <class T>
struct CobaLifCoeffs {
    T g_decay[2]{};        // exp(-h / tau_syn) per receptor
    T neg_b_leak{};        // -g_l h / c_m: leak part of -B(h)
    T neg_b_g[2]{};        // -tau_syn (1 - exp(-h / tau_syn)) / c_m: per-uS part of -B(h)
    static constexpr int nodes = 3;
    T neg_b_node_leak[nodes]{};   // per Gauss node j: -g_l (h - s_j) / c_m
    T neg_b_node_g[nodes][2]{};   // [node][receptor]: -tau_syn (exp(-s_j/tau_syn) - exp(-h/tau_syn)) / c_m
    T drive_rest{};               // g_l v_rest / c_m [mV/ms]
    T drive_bias{};               // 1 / c_m [mV/ms per nA]
    T drive_g[nodes][2]{};        // [node][receptor]: exp(-s_j / tau_syn) e_rev / c_m [mV/ms per uS]
    T weight[nodes]{};            // quadrature weights [ms]
    std::uint8_t integrator = 0;  // CobaIntegrator; midpoint and euler use the coefficients below
    T g_leak{};                   // g_l [uS]
    T leak_drive{};               // g_l v_rest [nA]
    T e_rev[2]{};                 // reversal potentials [mV]
    T half_decay[2]{};            // exp(-h / (2 tau_syn)): conductances at mid-step
    T h_over_c{};                 // h / c_m [ms/nF]
    SpikeRule<T> spike;

    static CobaLifCoeffs make(const CobaLifParams& p, double h) {
        CobaLifCoeffs c;
        const double g_l = p.c_m / p.tau_m;
        const double tau[2] = {p.tau_syn_e, p.tau_syn_i};
        const double e_rev[2] = {p.e_rev_e, p.e_rev_i};
        const double offset = std::sqrt(0.6);
        const double s[nodes] = {0.5 * h * (1.0 - offset), 0.5 * h, 0.5 * h * (1.0 + offset)};
        const double w[nodes] = {0.5 * h * 5.0 / 9.0, 0.5 * h * 8.0 / 9.0, 0.5 * h * 5.0 / 9.0};
        c.neg_b_leak = num::from_real<T>(-g_l * h / p.c_m);
        for (int r = 0; r < 2; ++r) {
            const double decay_h = propagator::decay(h, tau[r]);
            c.g_decay[r] = num::from_real<T>(decay_h);
            c.neg_b_g[r] = num::from_real<T>(tau[r] * std::expm1(-h / tau[r]) / p.c_m);
        }
        for (int j = 0; j < nodes; ++j) {
            c.weight[j] = num::from_real<T>(w[j]);
            c.neg_b_node_leak[j] = num::from_real<T>(-g_l * (h - s[j]) / p.c_m);
            for (int r = 0; r < 2; ++r) {
                const double decay_s = propagator::decay(s[j], tau[r]);
                // exp(-s/tau) - exp(-h/tau) = exp(-s/tau) (1 - exp(-(h - s)/tau)), without cancellation
                const double difference = -decay_s * std::expm1(-(h - s[j]) / tau[r]);
                c.neg_b_node_g[j][r] = num::from_real<T>(-tau[r] * difference / p.c_m);
                c.drive_g[j][r] = num::from_real<T>(decay_s * e_rev[r] / p.c_m);
            }
        }
        c.integrator = static_cast<std::uint8_t>(p.integrator);
        c.h_over_c = num::from_real<T>(h / p.c_m);
        c.g_leak = num::from_real<T>(g_l);
        c.leak_drive = num::from_real<T>(g_l * p.v_rest);
        for (int r = 0; r < 2; ++r) {
            c.e_rev[r] = num::from_real<T>(e_rev[r]);
            c.half_decay[r] = num::from_real<T>(propagator::decay(0.5 * h, tau[r]));
        }
        c.drive_rest = num::from_real<T>(g_l * p.v_rest / p.c_m);
        c.drive_bias = num::from_real<T>(1.0 / p.c_m);
        c.spike = SpikeRule<T>::make(p.v_th, p.v_reset, p.t_ref, p.reset, h);
        return c;
    }
};

struct CobaLif {
    static constexpr std::string_view name = "coba_lif";
    using Params = CobaLifParams;
    template <class T> using Coeffs = CobaLifCoeffs<T>;
    template <class T> using State = NeuronArrays<T, 3>;
    enum Var { v, g_exc, g_inh };
    static constexpr int receptors = 2;
    // Variant = integrator: 0 Gauss-Legendre quadrature, 1 midpoint rule, 2 forward Euler.
    static constexpr int variants = 3;
    template <class T>
    static int variant(const Coeffs<T>& c) { return c.integrator; }

    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table = concatenate(
            {membrane_fields<Params>(), spike_fields<Params>(), synapse_time_fields<Params>(),
             {number_field<Params>("e_rev_e", "mV", FieldKind::scalar, Bound::finite, &Params::e_rev_e, "excitatory reversal potential"),
              number_field<Params>("e_rev_i", "mV", FieldKind::scalar, Bound::finite, &Params::e_rev_i, "inhibitory reversal potential"),
              choice_field<Params, &Params::integrator>("integrator", {"gauss_legendre", "midpoint", "euler"},
                                   "3-node quadrature of the exact solution (default), midpoint rule, or forward Euler")}});
        return table;
    }

    static const ModelInfo& info() {
        static const ModelInfo model = make_model_info<CobaLif>(
            "LIF neuron with exponential conductance synapses (PyNN IF_cond_exp)", VertexKind::neuron,
            {{"v", "mV", "v_rest", "membrane potential"},
             {"g_exc", "uS", "", "excitatory conductance"},
             {"g_inh", "uS", "", "inhibitory conductance"}},
            {"excitatory", "inhibitory"}, true, true);
        return model;
    }

    // v after one step from v0 with start-of-step conductances ge, gi (exact up to the quadrature).
    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T gauss_legendre(const Coeffs<T>& c, T v0, T ge, T gi, T i_offset) noexcept {
        const T neg_b = num::add(c.neg_b_leak, num::add(num::mul(c.neg_b_g[0], ge), num::mul(c.neg_b_g[1], gi)));
        const T drive = num::add(c.drive_rest, num::mul(c.drive_bias, i_offset));
        T integral{};
        SPIKEGRAPH_UNROLL
        for (int j = 0; j < Coeffs<T>::nodes; ++j) {
            const T exponent = num::add(c.neg_b_node_leak[j],
                                        num::add(num::mul(c.neg_b_node_g[j][0], ge), num::mul(c.neg_b_node_g[j][1], gi)));
            const T a = num::add(drive, num::add(num::mul(c.drive_g[j][0], ge), num::mul(c.drive_g[j][1], gi)));
            integral = num::add(integral, num::mul(c.weight[j], num::mul(a, num::exp(exponent))));
        }
        return num::add(num::mul(v0, num::exp(neg_b)), integral);
    }

    // v after one step with the conductances held at their mid-step values (second order).
    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T midpoint(const Coeffs<T>& c, T v0, T ge, T gi, T i_offset) noexcept {
        const T g_exc_mid = num::mul(ge, c.half_decay[0]), g_inh_mid = num::mul(gi, c.half_decay[1]);
        const T b = num::add(c.g_leak, num::add(g_exc_mid, g_inh_mid));
        const T drive = num::add(num::add(c.leak_drive, i_offset),
                                 num::add(num::mul(g_exc_mid, c.e_rev[0]), num::mul(g_inh_mid, c.e_rev[1])));
        const T x = num::mul(c.h_over_c, b);
        const T decay = num::exp(num::sub(num::from_real<T>(0.0), x));
        // phi(x) = 1 - x/2 + x^2/6 - ... (to x^6: error below 1e-16 for x < 0.02), else (1 - e^-x) / x.
        T series = num::from_real<T>(1.0 / 5040.0);
        series = num::add(num::mul(series, x), num::from_real<T>(-1.0 / 720.0));
        series = num::add(num::mul(series, x), num::from_real<T>(1.0 / 120.0));
        series = num::add(num::mul(series, x), num::from_real<T>(-1.0 / 24.0));
        series = num::add(num::mul(series, x), num::from_real<T>(1.0 / 6.0));
        series = num::add(num::mul(series, x), num::from_real<T>(-0.5));
        series = num::add(num::mul(series, x), num::from_real<T>(1.0));
        const T direct = num::div(num::sub(num::from_real<T>(1.0), decay), x);
        const T phi = x < num::from_real<T>(0.02) ? series : direct;
        return num::add(num::mul(v0, decay), num::mul(num::mul(c.h_over_c, drive), phi));
    }

    // v after one forward-Euler step from start-of-step values (first order).
    template <class T, class L>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static L euler(const Coeffs<T>& c, L v0, L ge, L gi, L i_offset) noexcept {
        L current = num::sub(c.leak_drive, num::mul(c.g_leak, v0)); // g_l (v_rest - v0)
        current = num::add(current, num::mul(ge, num::sub(c.e_rev[0], v0)));
        current = num::add(current, num::mul(gi, num::sub(c.e_rev[1], v0)));
        current = num::add(current, i_offset);
        return num::add(v0, num::mul(c.h_over_c, current));
    }

    // One step without refractoriness: advances the conductances in x, returns v's next value. L
    // is T, or FloatLanes for 16 neurons at once with the Euler integrator
    // (backends/cpu/lane_update.hpp; the other two take exponentials, which lanes do not have).
    template <int Variant = 0, class T, class L>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static L integrate(const Coeffs<T>& c, L (&x)[3], L i_offset, const L (&input)[receptors]) noexcept {
        const L ge = x[g_exc], gi = x[g_inh];
        x[g_exc] = num::add(num::decay(ge, c.g_decay[0]), input[0]);
        x[g_inh] = num::add(num::decay(gi, c.g_decay[1]), input[1]);
        if constexpr (Variant == 2)
            return euler(c, x[v], ge, gi, i_offset);
        else if constexpr (Variant == 1)
            return midpoint(c, x[v], ge, gi, i_offset);
        else
            return gauss_legendre(c, x[v], ge, gi, i_offset);
    }

    template <int Variant = 0, class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static bool step(const Coeffs<T>& c, const State<T>& s, Index k, SynapticInput<T, receptors> input) noexcept {
        return integrate_and_fire<CobaLif, Variant>(c, s, k, input);
    }
};

} // namespace spikegraph
