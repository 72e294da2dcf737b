#include "plasticity/training/unroll.hpp"

#include <cmath>
#include <limits>

namespace spikegraph::training {

template <class S>
Unroller<S>::Unroller(const Model<S>& model, const LossSpec& loss, Index steps, Index max_columns, Algorithm algorithm)
    : model_(&model), loss_(loss), steps_(steps), store_history_(algorithm == Algorithm::bptt), layers_(model.layers().size()) {
    loss_.validate(model.layers().back().neuron.spiking());
    const Index slots = store_history_ ? steps_ : 1;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const Index n = model.layers()[l].size;
        layers_[l].m_hist.resize(n, slots * max_columns);
        layers_[l].s_hist.resize(n, slots * max_columns);
    }
}

template <class S>
std::size_t Unroller<S>::state_bytes() const {
    std::size_t values = static_cast<std::size_t>(input_.size() + input_current_.size() + z_.size() + dz_.size() + g_out_.size());
    for (const LayerState& st : layers_)
        for (const Matrix<S>* m : {&st.h, &st.c, &st.s_last, &st.current, &st.m_hist, &st.s_hist, &st.g_h, &st.g_c, &st.g_rec,
                                   &st.g_s, &st.g_i, &st.surrogate, &st.g_i_sum})
            values += static_cast<std::size_t>(m->size());
    return values * sizeof(S) + static_cast<std::size_t>(argmax_t_.size()) * sizeof(Index);
}

template <class S>
void Unroller<S>::begin(const DataView& data, const Index* ids, Index count) {
    columns_ = count;
    rest();
    const auto& specs = model_->layers();
    const Index classes = specs.back().size;
    if (loss_.kind == LossKind::ce_max_membrane) {
        z_.setConstant(classes, count, -std::numeric_limits<S>::infinity());
        argmax_t_.setZero(classes, count);
    } else {
        z_.setZero(classes, count);
    }
    static_input_ = !data.sequence;
    if (static_input_) {
        input_.resize(data.features, count);
        for (Index b = 0; b < count; ++b)
            input_.col(b) = Eigen::Map<const Eigen::VectorXf>(data.at(ids[b], 0), data.features).template cast<S>();
        input_current_.noalias() = model_->parameters()[0].w * input_;
    }
}

template <class S>
void Unroller<S>::rest() {
    const auto& specs = model_->layers();
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const Index n = specs[l].size;
        LayerState& st = layers_[l];
        st.h.setZero(n, columns_);
        if (specs[l].neuron.model == NeuronModel::cuba_lif) st.c.setZero(n, columns_);
        if (specs[l].recurrent) st.s_last.setZero(n, columns_);
    }
}

template <class S>
void Unroller<S>::remember_spikes(Index t) {
    if (store_history_) return; // s[t-1] is read from the history
    for (std::size_t l = 0; l < layers_.size(); ++l)
        if (layers_[l].s_last.size()) layers_[l].s_last = s_at(static_cast<Index>(l), t);
}

template <class S>
void Unroller<S>::load_input(const DataView& data, const Index* ids, Index count, Index t) {
    if (static_input_) return;
    input_.resize(data.features, count);
    for (Index b = 0; b < count; ++b)
        input_.col(b) = Eigen::Map<const Eigen::VectorXf>(data.at(ids[b], t), data.features).template cast<S>();
}

template <class S>
void Unroller<S>::forward_step(Index t) {
    const auto& specs = model_->layers();
    const auto& params = model_->parameters();
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const LayerSpec& spec = specs[l];
        const NeuronSpec& neuron = spec.neuron;
        const LayerParams<S>& p = params[l];
        LayerState& st = layers_[l];
        if (l == 0) {
            if (static_input_) st.current = input_current_;
            else st.current.noalias() = p.w * input_;
        } else {
            st.current.noalias() = p.w * s_at(l - 1, t);
        }
        if (spec.recurrent) {
            if (!store_history_) st.current.noalias() += p.v * st.s_last;
            else if (t > 0) st.current.noalias() += p.v * s_at(l, t - 1);
        }
        if (spec.bias) st.current.colwise() += p.b;
        auto m = m_at(l, t);
        const S beta = static_cast<S>(neuron.beta);
        if (neuron.model == NeuronModel::cuba_lif) {
            st.c = static_cast<S>(neuron.alpha) * st.c + st.current;
            m = beta * st.h + st.c;
        } else {
            m = beta * st.h + st.current;
        }
        if (!neuron.spiking()) {
            st.h = m;
            continue;
        }
        auto s = s_at(l, t);
        const S theta = static_cast<S>(neuron.threshold);
        if (neuron.smooth_spikes) {
            auto smooth = s.array();
            neuron.surrogate.primitive(m.array() - theta, smooth);
        } else {
            s = (m.array() >= theta).template cast<S>().matrix();
        }
        switch (neuron.reset) {
        case ResetKind::subtract: st.h = m - static_cast<S>(neuron.reset_amount()) * s; break;
        case ResetKind::zero: st.h = (m.array() * (S(1) - s.array())).matrix(); break;
        case ResetKind::none: st.h = m; break;
        }
    }
}

template <class S>
void Unroller<S>::accumulate_output(Index t) {
    const Index top = static_cast<Index>(layers_.size()) - 1;
    const bool spiking = model_->layers().back().neuron.spiking();
    if (loss_.kind == LossKind::ce_max_membrane) {
        auto m = m_at(top, t);
        for (Index b = 0; b < columns_; ++b)
            for (Index k = 0; k < m.rows(); ++k)
                if (m(k, b) > z_(k, b)) {
                    z_(k, b) = m(k, b);
                    argmax_t_(k, b) = t;
                }
    } else if (spiking) {
        z_ += s_at(top, t);
    } else {
        z_ += m_at(top, t);
    }
}

template <class S>
double Unroller<S>::step_loss(Index t, const DataView& data, const Index* ids, Index count, S scale, bool want_grad) {
    const Index top = static_cast<Index>(layers_.size()) - 1;
    const S per_step = scale / static_cast<S>(steps_);
    double loss = 0.0;
    auto take = [&](const auto& o) { // the output of step t: spikes, or an li readout's membrane
        g_out_.resize(o.rows(), count);
        for (Index b = 0; b < count; ++b) {
            auto grad = g_out_.col(b);
            loss += cross_entropy<S>(o.col(b), static_cast<Index>(data.labels[ids[b]]), per_step, grad);
        }
    };
    if (model_->layers().back().neuron.spiking()) take(s_at(top, t));
    else take(m_at(top, t));
    if (!want_grad) g_out_.setZero();
    return loss / static_cast<double>(steps_);
}

template <class S>
ChunkResult Unroller<S>::finish_summary(const DataView& data, const Index* ids, Index count, S scale, bool want_grad) {
    ChunkResult result;
    const Index classes = z_.rows();
    dz_.setZero(classes, count);
    for (Index b = 0; b < count; ++b) {
        const Index label = data.labels ? static_cast<Index>(data.labels[ids[b]]) : -1;
        if (label < 0) continue;
        if (argmax(z_.col(b)) == label) ++result.correct;
        auto grad = dz_.col(b);
        switch (loss_.kind) {
        case LossKind::ce_count:
        case LossKind::ce_max_membrane: result.loss += cross_entropy<S>(z_.col(b), label, scale, grad); break;
        case LossKind::mse_count: {
            double sum = 0.0;
            const double norm = static_cast<double>(classes) * static_cast<double>(steps_);
            for (Index k = 0; k < classes; ++k) {
                // snnTorch truncates the target count to a whole number of spikes.
                const double target = std::floor(static_cast<double>(steps_) * (k == label ? loss_.on_rate : loss_.off_rate));
                const double error = static_cast<double>(z_(k, b)) - target;
                sum += error * error;
                grad(k) = static_cast<S>(2.0 * error / norm) * scale;
            }
            result.loss += sum / norm;
            break;
        }
        case LossKind::ce_per_step: break; // its loss is taken step by step
        }
    }
    if (!want_grad) dz_.setZero();
    return result;
}

template <class S>
void Unroller<S>::backward_step(Index t, bool temporal, Parameters<S>& grads, const DataView& data, const Index* ids, Index count) {
    const auto& specs = model_->layers();
    const auto& params = model_->parameters();
    const Index top = static_cast<Index>(layers_.size()) - 1;
    if (store_history_) load_input(data, ids, count, t);
    for (Index l = top; l >= 0; --l) {
        const LayerSpec& spec = specs[l];
        const NeuronSpec& neuron = spec.neuron;
        const LayerParams<S>& p = params[l];
        LayerParams<S>& g = grads[l];
        LayerState& st = layers_[l];
        auto m = m_at(l, t);
        auto s = s_at(l, t);
        const Index n = spec.size;
        if (l == top) {
            if (loss_.kind == LossKind::ce_count || loss_.kind == LossKind::mse_count) st.g_s = dz_;
            else if (loss_.kind == LossKind::ce_per_step && neuron.spiking()) st.g_s = g_out_;
            else st.g_s.setZero(n, count);
        }
        if (temporal && spec.recurrent) st.g_s += st.g_rec;
        // st.g_i first holds dL/dm, then dL/dI.
        if (neuron.spiking()) {
            st.surrogate.resize(n, count);
            auto sg = st.surrogate.array();
            neuron.surrogate.derivative(m.array() - static_cast<S>(neuron.threshold), sg);
            st.g_i = (st.g_s.array() * sg).matrix();
            if (temporal) {
                const auto gh = st.g_h.array();
                switch (neuron.reset) {
                case ResetKind::subtract:
                    if (neuron.detach_reset) st.g_i += st.g_h;
                    else st.g_i.array() += gh * (S(1) - static_cast<S>(neuron.reset_amount()) * sg);
                    break;
                case ResetKind::zero:
                    if (neuron.detach_reset) st.g_i.array() += gh * (S(1) - s.array());
                    else st.g_i.array() += gh * (S(1) - s.array() - m.array() * sg);
                    break;
                case ResetKind::none: st.g_i += st.g_h; break;
                }
            }
        } else {
            st.g_i.setZero(n, count);
            if (temporal) st.g_i += st.g_h;
        }
        if (l == top) {
            if (loss_.kind == LossKind::ce_max_membrane) {
                for (Index b = 0; b < count; ++b)
                    for (Index k = 0; k < n; ++k)
                        if (argmax_t_(k, b) == t) st.g_i(k, b) += dz_(k, b);
            } else if (loss_.kind == LossKind::ce_per_step && !neuron.spiking()) {
                st.g_i += g_out_;
            }
        }
        if (temporal) st.g_h = static_cast<S>(neuron.beta) * st.g_i;
        if (neuron.model == NeuronModel::cuba_lif) {
            if (temporal) {
                st.g_i += static_cast<S>(neuron.alpha) * st.g_c;
                st.g_c = st.g_i;
            }
        }
        // st.g_i is now dL/dI[t].
        if (l == 0) {
            if (static_input_) st.g_i_sum += st.g_i;
            else g.w.noalias() += st.g_i * input_.transpose();
        } else {
            g.w.noalias() += st.g_i * s_at(l - 1, t).transpose();
        }
        if (spec.bias) g.b += st.g_i.rowwise().sum();
        if (spec.recurrent) {
            if (!store_history_) g.v.noalias() += st.g_i * st.s_last.transpose();
            else if (t > 0) g.v.noalias() += st.g_i * s_at(l, t - 1).transpose();
            if (temporal) st.g_rec.noalias() = p.v.transpose() * st.g_i;
        }
        if (l > 0) layers_[l - 1].g_s.noalias() = p.w.transpose() * st.g_i;
    }
}

template <class S>
void Unroller<S>::finish_gradient(Parameters<S>& grads) {
    if (static_input_) grads[0].w.noalias() += layers_[0].g_i_sum * input_.transpose();
}

template <class S>
ChunkResult Unroller<S>::gradient(const DataView& data, const Index* ids, Index count, S scale, const std::vector<char>* active,
                                  Parameters<S>& grads) {
    begin(data, ids, count);
    const bool per_step = loss_.per_step();
    for (LayerState& st : layers_) {
        const Index n = st.h.rows();
        st.g_h.setZero(n, count);
        if (st.c.size()) st.g_c.setZero(n, count);
        if (st.s_last.size()) st.g_rec.setZero(n, count);
        st.g_s.setZero(n, count);
        if (static_input_) st.g_i_sum.setZero(n, count);
    }
    g_out_.setZero(z_.rows(), count);
    double step_losses = 0.0;
    ChunkResult result;
    if (store_history_) {
        for (Index t = 0; t < steps_; ++t) {
            load_input(data, ids, count, t);
            forward_step(t);
            accumulate_output(t);
            if (per_step) step_losses += step_loss(t, data, ids, count, scale, false);
        }
        result = finish_summary(data, ids, count, scale, !per_step);
        for (Index t = steps_ - 1; t >= 0; --t) {
            if (per_step) step_loss(t, data, ids, count, scale, true);
            backward_step(t, true, grads, data, ids, count);
        }
    } else {
        if (!per_step) {
            for (Index t = 0; t < steps_; ++t) {
                load_input(data, ids, count, t);
                forward_step(t);
                accumulate_output(t);
                remember_spikes(t);
            }
            result = finish_summary(data, ids, count, scale, true);
            rest(); // the second pass starts from rest again, with the first pass's z_ and dz_
        }
        for (Index t = 0; t < steps_; ++t) {
            load_input(data, ids, count, t);
            forward_step(t);
            if (per_step) accumulate_output(t);
            const bool take = !active || (*active)[t];
            if (per_step) step_losses += step_loss(t, data, ids, count, scale, take);
            if (take) backward_step(t, false, grads, data, ids, count);
            remember_spikes(t);
        }
        if (per_step) result = finish_summary(data, ids, count, scale, false);
    }
    finish_gradient(grads);
    result.loss += step_losses;
    return result;
}

template <class S>
ChunkResult Unroller<S>::evaluate(const DataView& data, const Index* ids, Index count, S* outputs, std::int64_t* predictions) {
    begin(data, ids, count);
    double step_losses = 0.0;
    for (Index t = 0; t < steps_; ++t) {
        load_input(data, ids, count, t);
        forward_step(t);
        accumulate_output(t);
        if (loss_.per_step() && data.labels) step_losses += step_loss(t, data, ids, count, S(1), false);
        remember_spikes(t);
    }
    ChunkResult result = finish_summary(data, ids, count, S(1), false);
    result.loss += step_losses;
    if (outputs) Eigen::Map<Matrix<S>>(outputs, z_.rows(), count) = z_;
    if (predictions)
        for (Index b = 0; b < count; ++b) predictions[b] = static_cast<std::int64_t>(argmax(z_.col(b)));
    return result;
}

template <class S>
void Unroller<S>::output_trace(const DataView& data, const Index* ids, Index count, S* trace) {
    begin(data, ids, count);
    const Index top = static_cast<Index>(layers_.size()) - 1;
    const bool spiking = model_->layers().back().neuron.spiking();
    const Index classes = model_->outputs();
    for (Index t = 0; t < steps_; ++t) {
        load_input(data, ids, count, t);
        forward_step(t);
        Eigen::Map<Matrix<S>> out(trace + t * classes * count, classes, count);
        if (spiking) out = s_at(top, t);
        else out = m_at(top, t);
        remember_spikes(t);
    }
}

template <class S>
void Unroller<S>::layer_inputs(const DataView& data, const Index* ids, Index count, std::vector<Matrix<S>>& rates) {
    begin(data, ids, count);
    const auto& specs = model_->layers();
    rates.assign(specs.size(), Matrix<S>());
    for (std::size_t l = 0; l < specs.size(); ++l) rates[l].setZero(specs[l].inputs, count);
    for (Index t = 0; t < steps_; ++t) {
        load_input(data, ids, count, t);
        forward_step(t);
        rates[0] += input_;
        for (std::size_t l = 1; l < specs.size(); ++l) rates[l] += s_at(static_cast<Index>(l) - 1, t);
        remember_spikes(t);
    }
    for (Matrix<S>& r : rates) r /= static_cast<S>(steps_);
}

template class Unroller<float>;
template class Unroller<double>;

} // namespace spikegraph::training
