#pragma once
// What a trainable layer is: a dense projection (optionally with a recurrent one) into a
// population of discrete-time neurons. One step of a layer, with m the membrane before the reset
// and h after it:
//
//   I[t] = W x[t] + V s[t-1] + b                      (V only for recurrent layers)
//   lif:       m[t] = β h[t-1] + I[t]
//   cuba_lif:  c[t] = α c[t-1] + I[t],  m[t] = β h[t-1] + c[t]      (snnTorch Synaptic)
//   li:        m[t] = β m[t-1] + I[t]                               (readout, no spikes)
//   s[t] = Θ(m[t] - θ)
//   h[t] = m[t] - r s[t]      reset "subtract"
//   h[t] = m[t] (1 - s[t])    reset "zero"
//   h[t] = m[t]               reset "none"
//
// reset_delay picks the convention of the subtraction. snnTorch (reset_delay=True, its default)
// subtracts θ from the membrane one step after the spike: U[t+1] = β U[t] + I - S[t] θ. That is
// the same trajectory of m and the same spikes as subtracting r = θ / β at once, so spikegraph
// uses r = θ / β then, and r = θ for the immediate reset of the simulator's lif (reset_delay=False).
// A zero reset is the same either way. detach_reset drops the reset's path from the gradient
// (snnTorch's default), so that dh/dm = 1 for "subtract".
#include <cstdint>
#include <string>
#include <string_view>

#include "plasticity/training/index.hpp"
#include "plasticity/training/surrogate.hpp"

namespace spikegraph::training {

enum class NeuronModel : std::uint8_t { lif, cuba_lif, li };
enum class ResetKind : std::uint8_t { subtract, zero, none };

struct NeuronSpec {
    NeuronModel model = NeuronModel::lif;
    double beta = 0.9;      // membrane decay per step, in [0, 1]
    double alpha = 0.8;     // synaptic current decay per step, in [0, 1] (cuba_lif)
    double threshold = 1.0; // θ, > 0
    ResetKind reset = ResetKind::subtract;
    bool reset_delay = false;
    bool detach_reset = true;
    Surrogate surrogate;
    // Spikes are F(m - θ), the surrogate's integral, instead of the step (surrogate.hpp): the
    // smooth network whose exact gradient BPTT computes. For checking gradients, not for use.
    bool smooth_spikes = false;

    bool spiking() const { return model != NeuronModel::li; }
    // r above: what a spike subtracts from m at once.
    double reset_amount() const { return reset_delay && beta > 0.0 ? threshold / beta : threshold; }
    void validate(std::string_view object) const;
};

struct LayerSpec {
    Index inputs = 0;
    Index size = 0;
    bool recurrent = false;
    bool bias = true;
    NeuronSpec neuron;

    void validate(std::string_view object) const;
};

NeuronModel neuron_model_named(std::string_view name);
ResetKind reset_kind_named(std::string_view name);
std::string_view name_of(NeuronModel model);
std::string_view name_of(ResetKind reset);

} // namespace spikegraph::training
