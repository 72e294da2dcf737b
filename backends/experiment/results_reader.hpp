#pragma once
// Reading a results file back (docs/hdf5_schema.md) for `spikegraph inspect` and `plot`. A
// damaged or truncated file, or one of another format, is an io error naming what is wrong.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/io/hdf5_handle.hpp"

namespace spikegraph {

struct SpikeData {
    std::string population;
    std::uint64_t population_size = 0;
    std::vector<double> times;          // ms
    std::vector<std::uint32_t> senders;
    std::vector<std::uint32_t> neurons; // recorded
};

struct RunSummary {
    std::string name;
    bool complete = false;
    std::vector<std::pair<std::string, std::string>> attributes; // as text, in name order
    double duration = 0.0;                                      // ms
    std::vector<SpikeData> spikes;                              // counts only: times and senders left empty
    std::vector<std::uint64_t> spike_counts;                    // per entry of `spikes`
    std::vector<std::string> traces;                            // "population/variable"
    std::vector<std::string> weights;                           // projections with snapshots
};

struct ResultsSummary {
    std::string path;
    std::int64_t format_version = 0;
    std::vector<RunSummary> runs; // complete and incomplete, in name order
};

// Opens a results file read-only after checking its format and version.
hdf5::File open_results_file(const std::string& path);

// Both read the file in a child process (isolated.hpp) that may take `seconds`, so that a file
// that crashes libhdf5 or makes it loop is an io Error here and leaves this process's libhdf5
// untouched; 0 reads in this process (a caller that runs in a child of its own).
ResultsSummary read_results_summary(const std::string& path, double seconds = 60.0);
// The recorded spikes of one run.
std::vector<SpikeData> read_spikes(const std::string& path, const std::string& run, double seconds = 60.0);

} // namespace spikegraph
