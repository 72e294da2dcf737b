#pragma once
// Runs the points of an experiment file into one HDF5 results file, several at once, so that a
// batch killed at any moment loses nothing that finished and resumes where it stopped.
//
// Each point runs into its own file in `<output>.parts/`, written under a temporary name and
// renamed once complete. When the points are done, a new results file is assembled beside the
// output (the output's other runs plus the new points) and renamed over it, so the output is
// always either the old file or the new one, never half written. A re-run skips every point
// whose run in the output (or in the parts folder) is complete and has the same fingerprint:
// the point's resolved experiment, backend and seed. A point whose experiment changed runs again.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "backends/experiment/experiment_file.hpp"
#include "core/progress.hpp"

namespace spikegraph {

struct BatchOptions {
    std::string output;                 // results file; empty: results/<experiment name>.h5
    std::optional<int> threads;         // per point (overrides the file)
    std::optional<std::string> backend; // overrides the file
    std::optional<Seed> seed;           // overrides the file (repetitions add to it)
    int jobs = 0;                       // points run at once; 0: the cores divided by the threads per point
    bool force = false;                 // run complete points again
    bool quiet = false;                 // no progress on stderr
};

struct BatchResult {
    std::string output;      // the results file written
    std::size_t points = 0;  // in the file
    std::size_t skipped = 0; // already complete
    std::size_t ran = 0;
    std::vector<std::string> groups; // every point's group, in point order
    double seconds = 0.0;
};

// The group a point's run is written to: the experiment's name, or point_0007 in a sweep.
std::string point_group(const ExperimentFile& file, const SweepPoint& point);

// Throws (after assembling every point that did finish) when a point fails.
BatchResult run_batch(const ExperimentFile& file, const BatchOptions& options);

} // namespace spikegraph
