#pragma once
// A trainable feed-forward stack of layers (layer_spec.hpp) and its parameters, in float or
// double. The same structure holds gradients and optimiser moments.
#include <vector>

#include <Eigen/Core>

#include "core/types.hpp"
#include "plasticity/training/index.hpp"
#include "plasticity/training/layer_spec.hpp"

namespace spikegraph::training {

template <class S>
using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S>
using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;

template <class S>
struct LayerParams {
    Matrix<S> w; // size × inputs
    Matrix<S> v; // size × size for a recurrent layer, else empty
    Vector<S> b; // size, or empty without bias

    // The parameter blocks as flat arrays, in a fixed order (w, v, b), skipping empty ones.
    template <class Function>
    void for_each_block(Function&& function) {
        if (w.size()) function(Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>>(w.data(), w.size()));
        if (v.size()) function(Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>>(v.data(), v.size()));
        if (b.size()) function(Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>>(b.data(), b.size()));
    }
};

template <class S>
using Parameters = std::vector<LayerParams<S>>;

// Zero-filled parameters of the same shapes as `layers` (gradients, optimiser state).
template <class S>
Parameters<S> zeros_like(const std::vector<LayerSpec>& layers);

template <class S>
class Model {
public:
    using Scalar = S;
    // Checks every layer and that each layer's inputs equal the size of the layer below.
    explicit Model(std::vector<LayerSpec> layers);

    // Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, as torch.nn.Linear, drawn
    // from counter-based streams keyed by the seed (the same values on every machine).
    void initialize(Seed seed);

    const std::vector<LayerSpec>& layers() const { return layers_; }
    Parameters<S>& parameters() { return params_; }
    const Parameters<S>& parameters() const { return params_; }
    Index inputs() const { return layers_.front().inputs; }
    Index outputs() const { return layers_.back().size; }
    // A NaN or infinite parameter (after an optimiser step that diverged, or set by the user).
    void check_finite(std::string_view when) const;

private:
    std::vector<LayerSpec> layers_;
    Parameters<S> params_;
};

extern template class Model<float>;
extern template class Model<double>;

} // namespace spikegraph::training
