#pragma once
// A damaged HDF5 file can crash libhdf5 or make it loop forever (docs/fuzzing.md), in any process
// that reads it: the command line's reader and h5py alike. probe_results_file reads everything a
// reader would — every group, every attribute (strings included, which live in the global heap
// where the loops are) and every dataset's values — in a child process with an address-space
// limit, and throws an io Error naming the file when the child crashes, runs out of memory or
// is still reading after `seconds`. Errors libhdf5 reports normally are left to the real reader,
// which names them; the probe only answers "is it safe to read this file in this process?".
#include <string>

namespace spikegraph {

// metadata: groups and attributes (what listing a file reads); everything: dataset values too.
enum class ProbeDepth { metadata, everything };

void probe_results_file(const std::string& path, double seconds, ProbeDepth depth = ProbeDepth::everything);

} // namespace spikegraph
