#pragma once
// Losses on the output layer, per sample, averaged over the minibatch (as snnTorch):
//
//   ce_count         cross-entropy of softmax(z), z = Σ_t s[t] (spike counts)
//   ce_max_membrane  cross-entropy of softmax(z), z = max_t m[t] (membrane before reset)
//   ce_per_step      (1/T) Σ_t cross-entropy of softmax(o[t]); o = s (spiking) or m (li)
//   mse_count        (1/(K T)) Σ_k (z_k - ⌊T r_k⌋)^2, z = counts, r_k = on_rate for the label's
//                    class and off_rate for the others (snnTorch's mse_count_loss, truncation too)
//
// The predicted class is the argmax of z (ce_per_step: of Σ_t o[t]); ties go to the lowest index.
#include <cstdint>
#include <string_view>

#include <Eigen/Core>

#include "plasticity/training/index.hpp"

namespace spikegraph::training {

enum class LossKind : std::uint8_t { ce_count, ce_max_membrane, ce_per_step, mse_count };

struct LossSpec {
    LossKind kind = LossKind::ce_count;
    double on_rate = 1.0;  // mse_count: target spikes per step for the correct class
    double off_rate = 0.0; // ... and for the others

    bool per_step() const { return kind == LossKind::ce_per_step; }
    bool uses_membrane() const { return kind == LossKind::ce_max_membrane; }
    void validate(bool spiking_output) const;
};

LossKind loss_kind_named(std::string_view name);
std::string_view name_of(LossKind kind);

// Cross-entropy of softmax(z) against `label`; writes dL/dz = softmax(z) - onehot(label) into
// `grad` scaled by `scale`. Returns the loss (unscaled).
template <class S, class Z, class G>
double cross_entropy(const Eigen::MatrixBase<Z>& z, Index label, S scale, Eigen::MatrixBase<G>& grad) {
    const S top = z.maxCoeff();
    const auto e = (z.array() - top).exp();
    const S sum = e.sum();
    grad.derived() = (e / sum * scale).matrix();
    grad(label) -= scale;
    return static_cast<double>(std::log(sum) + top - z(label));
}

template <class Z>
Index argmax(const Eigen::MatrixBase<Z>& z) {
    Index best = 0;
    for (Index k = 1; k < z.size(); ++k)
        if (z(k) > z(best)) best = k;
    return best;
}

} // namespace spikegraph::training
