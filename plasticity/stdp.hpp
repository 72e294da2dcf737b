#pragma once
// stdp: pair-based spike-timing-dependent plasticity on traces (Song, Miller & Abbott 2000),
// with all-to-all or nearest-spike pairing and additive or multiplicative weight dependence
// (Gütig et al. 2003, mu = 0 or 1), hard bounds [w_min, w_max]. With W = w_max - w_min:
//   a presynaptic spike reaching the synapse:  w <- w - a_minus W f_-(w) y     (depression)
//   a postsynaptic spike reaching the synapse: w <- w + a_plus  W f_+(w) x     (potentiation)
//   x: presynaptic trace (tau_plus), y: postsynaptic trace (tau_minus), read before the jump;
//   additive: f = 1; multiplicative: f_+ = (w_max - w) / W, f_- = (w - w_min) / W.
// One pair with Delta t = t_post - t_pre at the synapse changes w by
//   a_plus W exp(-Delta t / tau_plus) for Delta t > 0, -a_minus W exp(Delta t / tau_minus) for
//   Delta t < 0 (additive, away from the bounds).
#include <array>
#include <string_view>
#include <vector>

#include "core/numeric.hpp"
#include "plasticity/rule_fields.hpp"

namespace spikegraph {

enum class WeightDependence { additive, multiplicative };

struct StdpParams {
    double tau_plus = 20.0;  // presynaptic trace time constant [ms]
    double tau_minus = 20.0; // postsynaptic trace time constant [ms]
    double a_plus = 0.01;    // potentiation per pair, as a fraction of w_max - w_min
    double a_minus = 0.0105; // depression per pair, as a fraction of w_max - w_min
    double w_min = 0.0;      // lower bound of the weight [unit of the weight]
    double w_max = 1.0;      // upper bound of the weight [unit of the weight]
    Interaction interaction = Interaction::all_to_all;
    WeightDependence dependence = WeightDependence::additive;

    void validate(std::string_view object) const { check_weight_bounds(w_min, w_max, object); }
};

template <class T>
struct StdpCoeffs {
    T potentiation{}; // a_plus W
    T depression{};   // a_minus W
    T w_min{}, w_max{}, inverse_range{};
    bool multiplicative = false;

    static StdpCoeffs make(const StdpParams& p, double /*dt*/) {
        StdpCoeffs c;
        const double range = p.w_max - p.w_min;
        c.potentiation = num::from_real<T>(p.a_plus * range);
        c.depression = num::from_real<T>(p.a_minus * range);
        c.w_min = num::from_real<T>(p.w_min);
        c.w_max = num::from_real<T>(p.w_max);
        c.inverse_range = num::from_real<T>(1.0 / range);
        c.multiplicative = p.dependence == WeightDependence::multiplicative;
        return c;
    }
};

struct Stdp {
    static constexpr std::string_view name = "stdp";
    using Params = StdpParams;
    template <class T> using Coeffs = StdpCoeffs<T>;
    static constexpr int pre_traces = 1;
    static constexpr int post_traces = 1;
    static constexpr bool has_step = false;

    static const std::vector<Field<Params>>& fields() {
        static const std::vector<Field<Params>> table = concatenate<Params>(
            {{number_field<Params>("tau_plus", "ms", FieldKind::scalar, Bound::positive, &Params::tau_plus, "presynaptic trace time constant"),
              number_field<Params>("tau_minus", "ms", FieldKind::scalar, Bound::positive, &Params::tau_minus, "postsynaptic trace time constant"),
              number_field<Params>("a_plus", "", FieldKind::scalar, Bound::non_negative, &Params::a_plus, "potentiation per pair, fraction of w_max - w_min"),
              number_field<Params>("a_minus", "", FieldKind::scalar, Bound::non_negative, &Params::a_minus, "depression per pair, fraction of w_max - w_min"),
              choice_field<Params, &Params::dependence>("dependence", {"additive", "multiplicative"},
                                                        "weight dependence: none (mu = 0) or linear (mu = 1)")},
             weight_bound_fields<Params>(), interaction_field<Params>()});
        return table;
    }

    static const ModelInfo& info() {
        static const ModelInfo rule = make_model_info<Stdp>("pair STDP on traces: all-to-all or nearest pairing, additive or multiplicative, hard bounds", VertexKind::neuron, {}, {}, false, false);
        return rule;
    }

    static TraceTimes trace_times(const Params& p) { return {{p.tau_plus}, {p.tau_minus}, p.interaction}; }

    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T on_pre(const Coeffs<T>& c, T w, const T* /*pre*/, const T* post) noexcept {
        T change = num::mul(c.depression, post[0]);
        if (c.multiplicative) change = num::mul(change, num::mul(num::sub(w, c.w_min), c.inverse_range));
        return num::clamp(num::sub(w, change), c.w_min, c.w_max);
    }

    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T on_post(const Coeffs<T>& c, T w, const T* pre, const T* /*post*/) noexcept {
        T change = num::mul(c.potentiation, pre[0]);
        if (c.multiplicative) change = num::mul(change, num::mul(num::sub(c.w_max, w), c.inverse_range));
        return num::clamp(num::add(w, change), c.w_min, c.w_max);
    }

    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T step(const Coeffs<T>&, T w, const T*, const T*) noexcept { return w; }
};

} // namespace spikegraph
