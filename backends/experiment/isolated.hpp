#pragma once
// Runs a piece of work in a child process, so that a library failing on damaged input (libhdf5
// crashes or loops forever on some damaged files: docs/fuzzing.md) ends the child, not the
// program. Used by `spikegraph inspect` and `plot`, which read a results file once.
#include <functional>
#include <string>

#include "core/error.hpp"

namespace spikegraph {

// Runs `work` in a forked child and returns its exit status. A child killed by a signal, or
// still running after `seconds`, is reported as an io Error: "<what>: <path> is damaged ...".
// Output the child writes (stdout, stderr, files) is the child's own; `work` reports its own
// errors and returns the exit status.
int run_isolated(const std::function<int()>& work, const std::string& path, double seconds);

// The error for a file the HDF5 library failed reading in a child; `why`: the signal or exit status.
Error damaged_file_error(const std::string& path, const std::string& why);

// Runs `work` in a forked child as above and returns the bytes it produced (passed back through
// an anonymous in-memory file, so any size fits). A spikegraph::Error thrown by `work` is thrown
// again here, with its code and message.
std::string run_isolated_bytes(const std::function<std::string()>& work, const std::string& path, double seconds);

} // namespace spikegraph
