#pragma once
// Sizes, steps and sample numbers in training are Eigen's signed index (the neuron index of
// core/types.hpp is unsigned), so that loops may count down to zero.
#include <Eigen/Core>

namespace spikegraph::training {
using Index = Eigen::Index;
}
