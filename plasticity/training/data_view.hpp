#pragma once
// Training data as the trainer reads it: borrowed float arrays, either one input vector per
// sample, presented at every step (an analog current, as snnTorch feeds static data), or one
// input vector per sample and step (spike trains, time series).
#include <cstdint>
#include <string_view>

#include "plasticity/training/index.hpp"

namespace spikegraph::training {

struct DataView {
    const float* x = nullptr;              // samples × features, or samples × steps × features
    const std::int64_t* labels = nullptr;  // samples class indices (may be null to predict only)
    Index samples = 0;
    Index steps = 0;      // the number of steps each sample is unrolled for
    Index features = 0;
    bool sequence = false; // true: x holds one vector per step

    const float* at(Index sample, Index step) const {
        return x + (sequence ? (sample * steps + step) * features : sample * features);
    }
    // Shapes against the model, labels in [0, classes), finite inputs; names `object` in errors.
    void validate(Index inputs, Index classes, std::string_view object) const;
};

} // namespace spikegraph::training
