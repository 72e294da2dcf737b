#pragma once
// Hebbian rules on rates.
//
// oja (Oja 1982), a plug-in of the spiking backends: each synapse follows
//   dw/dt = eta (x y - y^2 w)
// with x, y the pre- and postsynaptic rates [Hz] estimated by traces (tau_rate):
// rate = trace / tau_rate. For a linear neuron the weight vector converges to the unit-norm
// leading eigenvector of the input correlation matrix.
//
// subspace_update: the Hebbian / anti-Hebbian subspace rule (Oja 1989) that lateral subspace
// neurons learn with in HLOP (Xiao et al. 2024). H holds k subspace neurons over n inputs:
//   y = H x,   H <- H + eta (y x^T - y y^T H)   (Hebbian term y x^T, anti-Hebbian y y^T H)
// The rows of H converge to an orthonormal basis of the k-dimensional principal subspace of x.
#include <string_view>
#include <vector>

#include <Eigen/Dense>

#include "core/numeric.hpp"
#include "plasticity/rule_fields.hpp"

namespace spikegraph {

struct OjaParams {
    double eta = 1e-6;       // learning rate [1 / (Hz^2 s)]
    double tau_rate = 100.0; // time constant of the rate traces [ms]
    double w_min = -1.0;     // weight bounds [unit of the weight]; they also size the input buffers,
    double w_max = 1.0;      // so unbounded defaults would round every delivered weight to zero

    void validate(std::string_view object) const { check_weight_bounds(w_min, w_max, object); }
};

template <class T>
struct OjaCoeffs {
    T rate{};   // Hz per unit of trace: 1000 / tau_rate
    T eta_dt{}; // eta dt [1 / Hz^2]
    T w_min{}, w_max{};

    static OjaCoeffs make(const OjaParams& p, double dt) {
        OjaCoeffs c;
        c.rate = num::from_real<T>(1000.0 / p.tau_rate);
        c.eta_dt = num::from_real<T>(p.eta * dt * 1e-3);
        c.w_min = num::from_real<T>(p.w_min);
        c.w_max = num::from_real<T>(p.w_max);
        return c;
    }
};

struct Oja {
    static constexpr std::string_view name = "oja";
    using Params = OjaParams;
    template <class T> using Coeffs = OjaCoeffs<T>;
    static constexpr int pre_traces = 1;
    static constexpr int post_traces = 1;
    static constexpr bool has_step = true;

    static const std::vector<Field<Params>>& fields() {
        using P = Params;
        static const std::vector<Field<P>> table = concatenate<P>({{
            number_field<P>("eta", "1/(Hz^2 s)", FieldKind::scalar, Bound::non_negative, &P::eta, "learning rate"),
            number_field<P>("tau_rate", "ms", FieldKind::scalar, Bound::positive, &P::tau_rate, "time constant of the rate traces")},
            weight_bound_fields<P>()});
        return table;
    }

    static const ModelInfo& info() {
        static const ModelInfo rule = make_model_info<Oja>("Oja's Hebbian rule on trace-estimated rates", VertexKind::neuron, {}, {}, false, false);
        return rule;
    }

    static TraceTimes trace_times(const Params& p) { return {{p.tau_rate}, {p.tau_rate}, Interaction::all_to_all}; }

    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T on_pre(const Coeffs<T>&, T w, const T*, const T*) noexcept { return w; }
    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T on_post(const Coeffs<T>&, T w, const T*, const T*) noexcept { return w; }

    template <class T>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T step(const Coeffs<T>& c, T w, const T* pre, const T* post) noexcept {
        const T x = num::mul(pre[0], c.rate);
        const T y = num::mul(post[0], c.rate);
        const T change = num::mul(c.eta_dt, num::mul(y, num::sub(x, num::mul(y, w))));
        return num::clamp(num::add(w, change), c.w_min, c.w_max);
    }
};

// One step of the subspace rule on a batch: the columns of `inputs` (n x B) are samples; the
// update is the mean over the batch.
template <class Scalar>
void subspace_update(Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& h,
                     const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& inputs, Scalar eta,
                     Eigen::Index frozen_rows = 0) {
    // Rows below `frozen_rows` (an earlier task's subspace, in HLOP) take part in y and in the
    // anti-Hebbian term but do not change, so the free rows learn the principal subspace of what
    // the frozen ones leave out.
    const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> y = h * inputs;                 // k x B
    const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> residual = inputs - h.transpose() * y; // x - H^T y
    const Eigen::Index free = h.rows() - frozen_rows;
    h.bottomRows(free) += (eta / static_cast<Scalar>(inputs.cols())) * (y.bottomRows(free) * residual.transpose());
}

} // namespace spikegraph
