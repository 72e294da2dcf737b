#pragma once
// Writes one run (provenance, network description, spikes, sampled state) into a group of an
// HDF5 results file; docs/hdf5_schema.md describes the layout. The group's `complete` attribute
// is set only after everything else is flushed to disk, so a crash never leaves a run that
// looks finished.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/network.hpp"
#include "core/recording.hpp"

namespace spikegraph {

inline constexpr int results_format_version = 1;
// A run being written lives under this prefix until it is complete (docs/hdf5_schema.md).
inline constexpr std::string_view staging_prefix = "~writing~";

using AttributeValue = std::variant<double, std::int64_t, std::string>;

struct SaveOptions {
    std::string group = "run";
    bool overwrite = false; // replace an existing group of the same name
    // Extra attributes of the run group (a sweep point's values, the experiment's fingerprint).
    std::vector<std::pair<std::string, AttributeValue>> attributes;
};

// `synapse_counts` holds the resolved number of synapses per projection (by ProjectionId).
void write_results(const std::string& path, const Network& network, const Recording& recording,
                   const RunInfo& info, const std::vector<std::uint64_t>& synapse_counts,
                   const SaveOptions& options = {});

} // namespace spikegraph
