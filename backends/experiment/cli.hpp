#pragma once
// The `spikegraph` command line: run, sweep, inspect, plot. Shared by the executable and by
// `python -m spikegraph`, which calls it in-process.
#include <string>
#include <vector>

namespace spikegraph {

// `arguments` without the program name; returns the exit status (0 success, 2 bad input,
// 3 a file problem, 4 anything else) after printing any error to stderr.
int cli_main(const std::vector<std::string>& arguments);

} // namespace spikegraph
