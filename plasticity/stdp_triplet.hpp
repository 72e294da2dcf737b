#pragma once
// stdp_triplet: the triplet rule of Pfister & Gerstner (2006), with the parameters they fitted
// to visual cortex slices (Sjöström et al. 2001), all-to-all interactions (their Table 4).
// Presynaptic traces r1 (tau_plus), r2 (tau_x); postsynaptic traces o1 (tau_minus), o2 (tau_y);
// each read just before its own jump (the "t - epsilon" of the paper). Amplitudes are absolute
// (in the unit of the weight), as in the paper and NEST's stdp_triplet_synapse:
//   a presynaptic spike:  w <- w - o1 (a2_minus + a3_minus r2)
//   a postsynaptic spike: w <- w + r1 (a2_plus + a3_plus o2)
// clipped to [w_min, w_max]. Potentiation grows with the rate of post spikes through o2, which
// gives the frequency dependence of pairing protocols that a pair rule cannot produce.
#include <string_view>
#include <vector>

#include "core/numeric.hpp"
#include "plasticity/rule_fields.hpp"

namespace spikegraph {

struct StdpTripletParams {
    double tau_plus = 16.8;   // r1 [ms]
    double tau_minus = 33.7;  // o1 [ms]
    double tau_x = 101.0;     // r2 [ms]
    double tau_y = 125.0;     // o2 [ms]
    double a2_plus = 5e-10;   // pair potentiation [unit of the weight]
    double a3_plus = 6.2e-3;  // triplet potentiation
    double a2_minus = 7e-3;   // pair depression
    double a3_minus = 2.3e-4; // triplet depression
    double w_min = 0.0;
    double w_max = 1.0;
    Interaction interaction = Interaction::all_to_all;

    void validate(std::string_view object) const { check_weight_bounds(w_min, w_max, object); }
};

template <class T>
struct StdpTripletCoeffs {
    T a2_plus{}, a3_plus{}, a2_minus{}, a3_minus{};
    T w_min{}, w_max{};

    static StdpTripletCoeffs make(const StdpTripletParams& p, double /*dt*/) {
        StdpTripletCoeffs c;
        c.a2_plus = num::from_real<T>(p.a2_plus);
        c.a3_plus = num::from_real<T>(p.a3_plus);
        c.a2_minus = num::from_real<T>(p.a2_minus);
        c.a3_minus = num::from_real<T>(p.a3_minus);
        c.w_min = num::from_real<T>(p.w_min);
        c.w_max = num::from_real<T>(p.w_max);
        return c;
    }
};

struct StdpTriplet {
    static constexpr std::string_view name = "stdp_triplet";
    using Params = StdpTripletParams;
    template <class T> using Coeffs = StdpTripletCoeffs<T>;
    static constexpr int pre_traces = 2;  // r1, r2
    static constexpr int post_traces = 2; // o1, o2
    static constexpr bool has_step = false;

    static const std::vector<Field<Params>>& fields() {
        using P = Params;
        static const std::vector<Field<P>> table = concatenate<P>(
            {{number_field<P>("tau_plus", "ms", FieldKind::scalar, Bound::positive, &P::tau_plus, "presynaptic pair trace r1"),
              number_field<P>("tau_minus", "ms", FieldKind::scalar, Bound::positive, &P::tau_minus, "postsynaptic pair trace o1"),
              number_field<P>("tau_x", "ms", FieldKind::scalar, Bound::positive, &P::tau_x, "presynaptic triplet trace r2"),
              number_field<P>("tau_y", "ms", FieldKind::scalar, Bound::positive, &P::tau_y, "postsynaptic triplet trace o2"),
              number_field<P>("a2_plus", "", FieldKind::scalar, Bound::non_negative, &P::a2_plus, "pair potentiation (unit of the weight)"),
              number_field<P>("a3_plus", "", FieldKind::scalar, Bound::non_negative, &P::a3_plus, "triplet potentiation"),
              number_field<P>("a2_minus", "", FieldKind::scalar, Bound::non_negative, &P::a2_minus, "pair depression"),
              number_field<P>("a3_minus", "", FieldKind::scalar, Bound::non_negative, &P::a3_minus, "triplet depression")},
             weight_bound_fields<P>(), interaction_field<P>()});
        return table;
    }

    static const ModelInfo& info() {
        static const ModelInfo rule = make_model_info<StdpTriplet>("triplet STDP (Pfister & Gerstner 2006), visual cortex parameters", VertexKind::neuron, {}, {}, false, false);
        return rule;
    }

    static TraceTimes trace_times(const Params& p) { return {{p.tau_plus, p.tau_x}, {p.tau_minus, p.tau_y}, p.interaction}; }

    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T on_pre(const Coeffs<T>& c, T w, const T* pre, const T* post) noexcept {
        const T change = num::mul(post[0], num::add(c.a2_minus, num::mul(c.a3_minus, pre[1])));
        return num::clamp(num::sub(w, change), c.w_min, c.w_max);
    }

    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T on_post(const Coeffs<T>& c, T w, const T* pre, const T* post) noexcept {
        const T change = num::mul(pre[0], num::add(c.a2_plus, num::mul(c.a3_plus, post[1])));
        return num::clamp(num::add(w, change), c.w_min, c.w_max);
    }

    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T step(const Coeffs<T>&, T w, const T*, const T*) noexcept { return w; }
};

} // namespace spikegraph
