#include "plasticity/training/model.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"

namespace spikegraph::training {

template <class S>
Parameters<S> zeros_like(const std::vector<LayerSpec>& layers) {
    Parameters<S> params(layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const LayerSpec& spec = layers[l];
        params[l].w = Matrix<S>::Zero(spec.size, spec.inputs);
        if (spec.recurrent) params[l].v = Matrix<S>::Zero(spec.size, spec.size);
        if (spec.bias) params[l].b = Vector<S>::Zero(spec.size);
    }
    return params;
}

template <class S>
Model<S>::Model(std::vector<LayerSpec> layers) : layers_(std::move(layers)) {
    if (layers_.empty()) throw Error(ErrorCode::invalid_network, "model: it has no layers");
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const std::string object = "layer " + std::to_string(l);
        layers_[l].validate(object);
        if (l > 0 && layers_[l].inputs != layers_[l - 1].size)
            throw Error(ErrorCode::invalid_network, object + ": inputs = " + std::to_string(layers_[l].inputs) +
                                                        " but the layer below has " + std::to_string(layers_[l - 1].size) +
                                                        " neurons");
        if (l + 1 < layers_.size() && !layers_[l].neuron.spiking())
            throw Error(ErrorCode::invalid_network, object + ": li neurons have no spikes to pass on; only the last layer may be a readout");
    }
    params_ = zeros_like<S>(layers_);
}

template <class S>
void Model<S>::initialize(Seed seed) {
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        LayerParams<S>& p = params_[l];
        auto fill = [&](auto& block, Index fan_in, std::uint32_t which) {
            const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
            for (Index r = 0; r < block.rows(); ++r) {
                RandomStream stream(seed, static_cast<std::uint32_t>(l * 3 + which), RandomPurpose::weight,
                                    static_cast<std::uint32_t>(r));
                for (Index c = 0; c < block.cols(); ++c) block(r, c) = static_cast<S>((2.0 * stream.uniform() - 1.0) * bound);
            }
        };
        fill(p.w, layers_[l].inputs, 0);
        if (p.v.size()) fill(p.v, layers_[l].size, 1);
        if (p.b.size()) fill(p.b, layers_[l].inputs, 2);
    }
}

template <class S>
void Model<S>::check_finite(std::string_view when) const {
    for (std::size_t l = 0; l < params_.size(); ++l) {
        const LayerParams<S>& p = params_[l];
        const char* names[3] = {"weights", "recurrent weights", "bias"};
        const S* data[3] = {p.w.data(), p.v.data(), p.b.data()};
        const Index sizes[3] = {p.w.size(), p.v.size(), p.b.size()};
        for (int k = 0; k < 3; ++k)
            for (Index i = 0; i < sizes[k]; ++i)
                if (!std::isfinite(static_cast<double>(data[k][i])))
                    throw Error(ErrorCode::invalid_parameter, "layer " + std::to_string(l) + ": " + names[k] + "[" +
                                                                  std::to_string(i) + "] = " +
                                                                  std::to_string(static_cast<double>(data[k][i])) + " " +
                                                                  std::string(when));
    }
}

template Parameters<float> zeros_like<float>(const std::vector<LayerSpec>&);
template Parameters<double> zeros_like<double>(const std::vector<LayerSpec>&);
template class Model<float>;
template class Model<double>;

} // namespace spikegraph::training
