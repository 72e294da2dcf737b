#pragma once
// Connectors say which synapses a projection has; SynapseSpec says what each one carries.
// Random connectors are resolved at compile time from the seed, one counter-based stream per
// row or column, so the same seed gives the same synapses for any thread count.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/model_info.hpp"
#include "core/types.hpp"
#include "core/values.hpp"

namespace spikegraph {

struct AllToAll {
    bool allow_self_connections = true; // only matters when pre and post are the same population
};
struct OneToOne {};
struct FixedProbability {
    double p = 0.0;
    bool allow_self_connections = true;
};
// Every postsynaptic neuron receives exactly n synapses.
struct FixedInDegree {
    std::uint64_t n = 0;
    bool allow_self_connections = true;
    bool allow_multapses = false;
};
// Every presynaptic neuron sends exactly n synapses.
struct FixedOutDegree {
    std::uint64_t n = 0;
    bool allow_self_connections = true;
    bool allow_multapses = false;
};
// Exactly n synapses in all, placed uniformly at random.
struct FixedTotalNumber {
    std::uint64_t n = 0;
    bool allow_self_connections = true;
    bool allow_multapses = false;
};
// Explicit pairs; weights and delays may be given per pair (then SynapseSpec's are not used).
struct FromList {
    std::vector<Index> pre;
    std::vector<Index> post;
    std::vector<double> weights; // empty: from SynapseSpec
    std::vector<double> delays;  // empty: from SynapseSpec [ms]
};
// A dense n_pre x n_post weight matrix, row-major; entries equal to 0 make no synapse.
struct FromDenseMatrix {
    Index rows = 0;
    Index cols = 0;
    std::vector<double> weights;
    std::vector<double> delays; // empty, or the same shape [ms]
};
// A sparse n_pre x n_post matrix in compressed sparse row form (scipy.sparse.csr_matrix).
struct FromSparseMatrix {
    Index rows = 0;
    Index cols = 0;
    std::vector<std::uint64_t> indptr;
    std::vector<Index> indices;
    std::vector<double> weights;
    std::vector<double> delays; // empty, or one per stored entry [ms]
};

using Connector = std::variant<AllToAll, OneToOne, FixedProbability, FixedInDegree, FixedOutDegree,
                               FixedTotalNumber, FromList, FromDenseMatrix, FromSparseMatrix>;

std::string describe(const Connector& connector);
bool carries_weights(const Connector& connector); // list with weights, or a matrix

// A learning rule on a projection's weights (plasticity/rules.hpp lists the rules).
// Delays follow NEST's convention: of a synapse's delay d, axonal_delay is spent before the
// presynaptic spike reaches the synapse and d - axonal_delay (the dendritic delay) before the
// postsynaptic spike, back-propagating, reaches it; pairs are timed where they meet:
//   Delta t = (t_post + d - axonal_delay) - (t_pre + axonal_delay).
// With the default axonal_delay = 0 the whole delay is dendritic, as in NEST's stdp_synapse.
struct PlasticitySpec {
    const ModelInfo* rule = nullptr; // static storage, owned by the rule registry
    ParamMap params;                 // as given (defaults are the rule's)
    double axonal_delay = 0.0;       // ms; less than the synapses' delay
};

struct SynapseSpec {
    ValueSpec weight = 0.0;             // nA (current), uS (conductance) or mV (delta synapses)
    std::optional<ValueSpec> delay;     // ms; none means one time step
    std::string receptor = "excitatory";
    std::optional<PlasticitySpec> plasticity; // none: static synapses
};

} // namespace spikegraph
