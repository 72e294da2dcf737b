#pragma once
// What a run recorded, in plain arrays: spikes as (step, sender) pairs and sampled state
// variables. A spike stamped with step n happened at t = (n + 1) * dt, the grid point at which
// the membrane reached threshold; a sample after step n shows the state at t = (n + 1) * dt.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace spikegraph {

struct SpikeRecord {
    std::string population;
    Index population_size = 0;
    std::vector<Index> neurons; // the recorded neurons, ascending (all of them when none were chosen)
    std::vector<Step> steps;    // ascending; within a step, senders ascend
    std::vector<Index> senders;

    std::vector<double> times(double dt) const; // ms
};

struct StateRecord {
    std::string population;
    std::string variable;
    std::string unit;
    std::vector<Index> neurons;
    Step interval_steps = 1;
    std::vector<Step> steps;    // the step after which each sample was taken
    std::vector<double> values; // steps.size() x neurons.size(), row-major

    std::vector<double> times(double dt) const; // ms
};

// Provenance of a run, written with its data.
struct RunInfo {
    std::string backend;
    std::string precision; // "float" or "double"
    double dt = 0.1;       // ms
    Step steps = 0;        // steps simulated so far
    std::uint64_t seed = 0;
    int threads = 1;
    double wall_time = 0.0; // s spent in run()
};

// Snapshots of a projection's weights, synapses in the order Executable::synapses() lists them.
struct WeightRecord {
    std::string projection;
    std::vector<Index> pre, post; // the synapses
    Step interval_steps = 1;
    std::vector<Step> steps;      // the step after which each snapshot was taken
    std::vector<float> values;    // steps.size() x synapses, row-major

    std::vector<double> times(double dt) const; // ms
};

struct Recording {
    std::vector<SpikeRecord> spikes;
    std::vector<StateRecord> states;
    std::vector<WeightRecord> weights;

    const SpikeRecord& spikes_of(std::string_view population) const;
    const StateRecord& state_of(std::string_view population, std::string_view variable) const;
};

} // namespace spikegraph
