#pragma once
// Spike traces of a plasticity rule. A rule keeps a few exponentially decaying traces per
// presynaptic and per postsynaptic neuron: between spikes x decays with its time constant; at a
// spike it jumps by 1 (all-to-all interactions: every earlier spike counts) or is set to 1
// (nearest-spike interactions: only the latest counts; Morrison, Diesmann & Gerstner 2008).
// The rule reads the traces just before the spike being processed, so a pre and a post spike
// that reach the synapse in the same step form no pair (Delta t = 0 changes nothing).
#include <vector>


namespace spikegraph {

enum class Interaction { all_to_all, nearest };

// Time constants [ms] of a rule's traces, in the order the rule reads them.
struct TraceTimes {
    std::vector<double> pre;
    std::vector<double> post;
    Interaction interaction = Interaction::all_to_all;
};

} // namespace spikegraph
