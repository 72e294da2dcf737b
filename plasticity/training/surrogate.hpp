#pragma once
// Surrogate derivatives of the spike function. The forward pass is always the step
// S = Θ(m - θ) (spike when the membrane reaches the threshold); the backward pass replaces its
// derivative, zero almost everywhere, with a smooth bump g(x), x = m - θ:
//
//   atan          (α/2) / (1 + (π α x / 2)^2)             default α = 2   (snnTorch's default)
//   fast_sigmoid  1 / (1 + k |x|)^2                       default k = 25  (SuperSpike, snnTorch)
//   sigmoid       k σ(k x) (1 - σ(k x))                   default k = 25  (snnTorch)
//   triangle      α max(0, 1 - α |x|)                     default α = 1   (Esser et al. 2016; SLTT)
//
// The defaults equal snnTorch's, so that runs compare (../shared/research/TRAINING_INTEROP.md).
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <Eigen/Core>

namespace spikegraph::training {

enum class SurrogateKind : std::uint8_t { atan, fast_sigmoid, sigmoid, triangle };

struct Surrogate {
    SurrogateKind kind = SurrogateKind::atan;
    double slope = 2.0; // α or k above

    static double default_slope(SurrogateKind kind);
    // By name ("atan", "fast_sigmoid", "sigmoid", "triangle"); a NaN slope takes the default.
    static Surrogate named(std::string_view name, double slope = std::numeric_limits<double>::quiet_NaN());
    std::string_view name() const;
    void validate(std::string_view object) const;

    // out = g(x), elementwise; one branch per array, not per element.
    template <class Derived, class Out>
    void derivative(const Eigen::ArrayBase<Derived>& x, Eigen::ArrayBase<Out>& out) const {
        using S = typename Derived::Scalar;
        const S a = static_cast<S>(slope);
        switch (kind) {
        case SurrogateKind::atan: {
            const S scale = static_cast<S>(M_PI / 2.0 * slope);
            out.derived() = (a / S(2)) / (S(1) + (scale * x).square());
            break;
        }
        case SurrogateKind::fast_sigmoid: out.derived() = (S(1) + a * x.abs()).square().inverse(); break;
        case SurrogateKind::sigmoid: {
            // Written with exp(-k|x|) so that no term overflows: σ(1 - σ) = e / (1 + e)^2.
            const auto e = (-a * x.abs()).exp();
            out.derived() = a * e / (S(1) + e).square();
            break;
        }
        case SurrogateKind::triangle: out.derived() = a * (S(1) - a * x.abs()).max(S(0)); break;
        }
    }

    // out = F(x), the integral of g with F(-inf) = 0: a smooth spike whose exact derivative is the
    // surrogate. A network with smooth spikes is the one whose true gradient BPTT computes, which
    // lets the tests check BPTT against finite differences.
    template <class Derived, class Out>
    void primitive(const Eigen::ArrayBase<Derived>& x, Eigen::ArrayBase<Out>& out) const {
        using S = typename Derived::Scalar;
        const S a = static_cast<S>(slope);
        switch (kind) {
        case SurrogateKind::atan: {
            const S scale = static_cast<S>(M_PI / 2.0 * slope);
            out.derived() = S(0.5) + (scale * x).atan() / static_cast<S>(M_PI);
            break;
        }
        case SurrogateKind::fast_sigmoid: out.derived() = S(0.5) + x / (S(1) + a * x.abs()); break;
        case SurrogateKind::sigmoid: out.derived() = (S(1) + (-a * x).exp()).inverse(); break;
        case SurrogateKind::triangle: {
            const auto y = (a * x).max(S(-1)).min(S(1));
            out.derived() = S(0.5) + y - y * y.abs() / S(2);
            break;
        }
        }
    }
};

} // namespace spikegraph::training
