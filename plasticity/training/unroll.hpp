#pragma once
// The model unrolled over the steps of a chunk of samples (columns): forward pass, loss, and the
// gradient by backpropagation through time (BPTT) or by spatial learning through time (SLTT,
// Meng et al. 2023), which drops every path from one step to the next (membrane, synaptic
// current, recurrent spikes) and keeps only the path within a step. SLTT stores one step of
// state, so its memory does not grow with the number of steps; a loss over the whole run (spike
// counts, maximum membrane) then takes a first forward pass for the loss's gradient, and the
// second pass applies it step by step. SLTT-K applies it at K steps only.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "plasticity/training/data_view.hpp"
#include "plasticity/training/loss.hpp"
#include "plasticity/training/model.hpp"

namespace spikegraph::training {

enum class Algorithm : std::uint8_t { bptt, sltt, sltt_k };

struct ChunkResult {
    double loss = 0.0; // summed over the chunk's samples
    Index correct = 0;
};

template <class S>
class Unroller {
public:
    Unroller(const Model<S>& model, const LossSpec& loss, Index steps, Index max_columns, Algorithm algorithm);

    // Adds scale × dL/dθ of the samples `ids` to `grads`. `active` (SLTT-K) marks the steps whose
    // gradient is taken; null takes all.
    ChunkResult gradient(const DataView& data, const Index* ids, Index count, S scale, const std::vector<char>* active,
                         Parameters<S>& grads);
    // Forward only. `outputs` (classes × count, may be null) receives z, `predictions` the argmax.
    ChunkResult evaluate(const DataView& data, const Index* ids, Index count, S* outputs, std::int64_t* predictions);
    // Output-layer spikes (or li membrane) of every step: classes × (steps · count), step-major.
    void output_trace(const DataView& data, const Index* ids, Index count, S* trace);

    // The presynaptic activity of every layer averaged over the steps: rates[l] is
    // inputs_l × count (the input for layer 0, the spike rate of layer l-1 above it). HLOP learns
    // its subspaces from these.
    void layer_inputs(const DataView& data, const Index* ids, Index count, std::vector<Matrix<S>>& rates);

    // Bytes of state this unroller holds (BPTT's history grows with the steps; SLTT's does not).
    std::size_t state_bytes() const;

private:
    struct LayerState {
        Matrix<S> h, c, s_last, current;   // n × B: after reset, synaptic current, s[t-1], I
        Matrix<S> m_hist, s_hist;           // n × (slots · B): m (before reset) and s per step
        Matrix<S> g_h, g_c, g_rec, g_s, g_i, surrogate, g_i_sum; // backward scratch
    };

    void begin(const DataView& data, const Index* ids, Index count);
    void rest(); // every neuron at rest: h, c and s[t-1] zero
    void remember_spikes(Index t); // s[t] becomes the next step's s[t-1] (only one step is kept)
    void load_input(const DataView& data, const Index* ids, Index count, Index t);
    void forward_step(Index t);
    void accumulate_output(Index t);
    ChunkResult finish_summary(const DataView& data, const Index* ids, Index count, S scale, bool want_grad);
    double step_loss(Index t, const DataView& data, const Index* ids, Index count, S scale, bool want_grad);
    void backward_step(Index t, bool temporal, Parameters<S>& grads, const DataView& data, const Index* ids, Index count);
    void finish_gradient(Parameters<S>& grads);
    Index slot(Index t) const { return store_history_ ? t : 0; }
    auto m_at(Index l, Index t) { return layers_[l].m_hist.middleCols(slot(t) * columns_, columns_); }
    auto s_at(Index l, Index t) { return layers_[l].s_hist.middleCols(slot(t) * columns_, columns_); }

    const Model<S>* model_;
    LossSpec loss_;
    Index steps_, columns_ = 0;
    bool store_history_; // BPTT keeps every step; SLTT and forward passes keep one
    std::vector<LayerState> layers_;
    Matrix<S> input_, input_current_;    // x[t] (features × B); W0 x for static input
    Matrix<S> z_, dz_, g_out_;           // classes × B: summary, its gradient, per-step output gradient
    Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic> argmax_t_; // ce_max_membrane
    bool static_input_ = false;
};

extern template class Unroller<float>;
extern template class Unroller<double>;

} // namespace spikegraph::training
