#pragma once
// Progress of a long run: the backend calls the callback at most a few times a second.
#include <functional>
#include <string>

#include "core/types.hpp"

namespace spikegraph {

using ProgressCallback = std::function<void(Step done, Step total, double elapsed_seconds)>;

// Writes progress to stderr: a redrawn bar with ETA on a terminal, a plain line every 10% otherwise.
// Runs shorter than `quiet_seconds` print nothing.
// `unit` names what is counted in the plain lines ("steps", "points").
ProgressCallback stderr_progress(std::string label, double quiet_seconds = 2.0, std::string unit = "steps");

} // namespace spikegraph
