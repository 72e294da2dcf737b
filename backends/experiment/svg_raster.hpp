#pragma once
// A raster plot (spike times against neurons, one band per population) as an SVG file, so the
// command line can show a run without a plotting library.
#include <string>
#include <vector>

#include "backends/experiment/results_reader.hpp"

namespace spikegraph {

// At most `max_spikes` dots are drawn (every k-th spike beyond that); `duration` in ms.
void write_svg_raster(const std::string& path, const std::string& title, const std::vector<SpikeData>& populations,
                      double duration, std::size_t max_spikes = 100000);

} // namespace spikegraph
