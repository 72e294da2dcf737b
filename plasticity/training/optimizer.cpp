#include "plasticity/training/optimizer.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace spikegraph::training {

void OptimizerSpec::validate() const {
    auto check = [](bool ok, const std::string& what) {
        if (!ok) throw Error(ErrorCode::invalid_parameter, "optimizer: " + what);
    };
    check(lr > 0.0 && std::isfinite(lr), "lr = " + std::to_string(lr) + " must be positive and finite");
    check(weight_decay >= 0.0 && std::isfinite(weight_decay), "weight_decay = " + std::to_string(weight_decay) + " must be >= 0");
    check(beta1 >= 0.0 && beta1 < 1.0, "beta1 = " + std::to_string(beta1) + " must lie in [0, 1)");
    check(beta2 >= 0.0 && beta2 < 1.0, "beta2 = " + std::to_string(beta2) + " must lie in [0, 1)");
    check(eps > 0.0, "eps = " + std::to_string(eps) + " must be positive");
    check(momentum >= 0.0 && momentum < 1.0, "momentum = " + std::to_string(momentum) + " must lie in [0, 1)");
    check(!nesterov || momentum > 0.0, "nesterov needs momentum > 0");
}

OptimizerKind optimizer_kind_named(std::string_view name) {
    if (name == "adam") return OptimizerKind::adam;
    if (name == "sgd") return OptimizerKind::sgd;
    throw Error(ErrorCode::invalid_parameter, "optimizer '" + std::string(name) + "' is unknown (adam, sgd)");
}

template <class S>
Optimizer<S>::Optimizer(const OptimizerSpec& spec, const std::vector<LayerSpec>& layers)
    : spec_(spec), first_(zeros_like<S>(layers)), second_(zeros_like<S>(layers)), trainable_(layers.size(), true), steps_(layers.size(), 0) {
    spec_.validate();
}

template <class S>
void Optimizer<S>::step(Parameters<S>& params, Parameters<S>& grads) {
    const S lr = static_cast<S>(spec_.lr), decay = static_cast<S>(spec_.weight_decay);
    for (std::size_t l = 0; l < params.size(); ++l) {
        if (!trainable_[l]) continue;
        const double step = static_cast<double>(++steps_[l]);
        std::vector<Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>>> p, g, m, v;
        params[l].for_each_block([&](auto block) { p.push_back(block); });
        grads[l].for_each_block([&](auto block) { g.push_back(block); });
        first_[l].for_each_block([&](auto block) { m.push_back(block); });
        second_[l].for_each_block([&](auto block) { v.push_back(block); });
        for (std::size_t k = 0; k < p.size(); ++k) {
            if (decay != S(0)) g[k] += decay * p[k];
            if (spec_.kind == OptimizerKind::adam) {
                const S b1 = static_cast<S>(spec_.beta1), b2 = static_cast<S>(spec_.beta2);
                m[k] = b1 * m[k] + (S(1) - b1) * g[k];
                v[k] = b2 * v[k] + (S(1) - b2) * g[k].square();
                const S correction1 = static_cast<S>(1.0 - std::pow(spec_.beta1, step));
                const S correction2 = static_cast<S>(std::sqrt(1.0 - std::pow(spec_.beta2, step)));
                p[k] -= (lr / correction1) * m[k] / (v[k].sqrt() / correction2 + static_cast<S>(spec_.eps));
            } else if (spec_.momentum > 0.0) {
                const S mu = static_cast<S>(spec_.momentum);
                if (step == 1.0) m[k] = g[k];
                else m[k] = mu * m[k] + g[k];
                if (spec_.nesterov) p[k] -= lr * (g[k] + mu * m[k]);
                else p[k] -= lr * m[k];
            } else {
                p[k] -= lr * g[k];
            }
        }
    }
}

template class Optimizer<float>;
template class Optimizer<double>;

} // namespace spikegraph::training
