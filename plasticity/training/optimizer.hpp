#pragma once
// Optimisers with torch.optim's update rules, so that runs compare step for step:
//   sgd:   g += λ p;  b = μ b + g (b = g on the first step);  p -= lr (nesterov ? g + μ b : b)
//   adam:  g += λ p;  m = β1 m + (1-β1) g;  v = β2 v + (1-β2) g²;
//          p -= lr / (1-β1^k) · m / (sqrt(v) / sqrt(1-β2^k) + ε)
// λ is the weight decay (an L2 term added to the gradient, as torch's Adam and SGD).
#include <cstdint>
#include <string_view>

#include "plasticity/training/model.hpp"

namespace spikegraph::training {

enum class OptimizerKind : std::uint8_t { adam, sgd };

struct OptimizerSpec {
    OptimizerKind kind = OptimizerKind::adam;
    double lr = 1e-3;
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8; // adam
    double momentum = 0.0;                          // sgd
    bool nesterov = false;                          // sgd
    double weight_decay = 0.0;

    void validate() const;
};

OptimizerKind optimizer_kind_named(std::string_view name);

template <class S>
class Optimizer {
public:
    Optimizer(const OptimizerSpec& spec, const std::vector<LayerSpec>& layers);
    // One update of `params` from the minibatch gradient `grads` (grads is used as scratch).
    void step(Parameters<S>& params, Parameters<S>& grads);
    // The learning rate of the following steps (a schedule sets it per epoch).
    void set_learning_rate(double lr) { spec_.lr = lr; }
    // Which layers the optimiser changes (all by default); a frozen layer keeps its values.
    void set_trainable(std::vector<bool> trainable) { trainable_ = std::move(trainable); }

private:
    OptimizerSpec spec_;
    Parameters<S> first_, second_;
    std::vector<bool> trainable_;
    std::vector<std::int64_t> steps_; // per layer, as torch counts steps per parameter
};

extern template class Optimizer<float>;
extern template class Optimizer<double>;

} // namespace spikegraph::training
