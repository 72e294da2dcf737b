// Fuzzes the experiment-file parser: any text must either parse or be refused with a
// spikegraph::Error. Another exception type escaping, a crash or a sanitizer report is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/experiment/experiment_file.hpp"
#include "core/error.hpp"

namespace {
// parse() already builds every point once; building a few again covers build()'s own path
// (a copy of the document with the point's values applied) without making a large sweep slow.
constexpr std::size_t points_to_build = 3;
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const spikegraph::ExperimentFile file = spikegraph::ExperimentFile::parse(text, "fuzz.toml");
        const auto& points = file.points();
        for (std::size_t i = 0; i < std::min(points.size(), points_to_build); ++i) {
            const spikegraph::Experiment experiment = file.build(points[i]);
            (void)experiment;
        }
    } catch (const spikegraph::Error&) {
        // A refused file: the expected outcome for most inputs.
    }
    return 0;
}
