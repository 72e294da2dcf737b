#pragma once
// Minibatch training of a Model: shuffled epochs, the minibatch split into fixed chunks of
// samples that oneTBB runs in parallel, per-chunk gradients summed in chunk order (so the result
// is the same for any thread count), one optimiser step per minibatch.
#include <cstdint>
#include <functional>
#include <vector>

#include "plasticity/training/data_view.hpp"
#include "plasticity/training/loss.hpp"
#include "plasticity/training/model.hpp"
#include "plasticity/training/optimizer.hpp"
#include "plasticity/training/unroll.hpp"

namespace spikegraph::training {

struct EpochRecord {
    Index epoch = 0;
    double loss = 0.0, accuracy = 0.0;                       // over the epoch's minibatches
    double validation_loss = 0.0, validation_accuracy = 0.0; // NaN without validation data
    double seconds = 0.0;                                    // training time of the epoch
    std::size_t state_bytes = 0;                             // unrolled state held per thread
};

struct TrainOptions {
    LossSpec loss;
    Algorithm algorithm = Algorithm::bptt;
    Index sltt_k = 0; // SLTT-K: steps per minibatch whose gradient is taken
    Index epochs = 1;
    Index batch_size = 32;
    Index chunk = 16; // samples per parallel task; part of the result's definition, not of speed only
    OptimizerSpec optimizer;
    // "cosine": lr (1 + cos(π e / epochs)) / 2 in epoch e, as torch's CosineAnnealingLR stepped
    // per epoch; otherwise constant.
    bool cosine_schedule = false;
    int threads = 0; // 0: all cores
    Seed seed = 1;
    bool shuffle = true;
    std::function<void(Index done, Index total)> on_batch; // progress within an epoch
    std::function<bool(const EpochRecord&)> on_epoch;      // returning false stops training
    std::vector<bool> trainable; // per layer; empty: all

    void validate(Index steps) const;
};

struct Evaluation {
    double loss = 0.0, accuracy = 0.0;
    std::vector<std::int64_t> predictions;
    std::vector<double> outputs; // classes × samples (column per sample): spike counts, max membrane, ...
};

// `project` (may be empty) is applied to each minibatch gradient and to the step the optimiser
// then takes: HLOP removes their components in earlier tasks' subspaces there.
template <class S>
std::vector<EpochRecord> fit(Model<S>& model, const DataView& train, const DataView* validation, const TrainOptions& options,
                             const std::function<void(Parameters<S>&)>& project = {});

template <class S>
Evaluation evaluate(const Model<S>& model, const DataView& data, const LossSpec& loss, int threads, Index chunk = 64);

// Loss and gradient over all of `data` as one batch (tests: finite differences, autograd).
template <class S>
double loss_and_gradient(const Model<S>& model, const DataView& data, const LossSpec& loss, Algorithm algorithm,
                         Parameters<S>& grads);

} // namespace spikegraph::training
