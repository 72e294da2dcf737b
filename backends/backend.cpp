#include "backends/backend.hpp"

#include <cmath>

#include "core/error.hpp"

namespace spikegraph {

void CompileOptions::validate() const {
    const std::string object = "compile options";
    if (!(std::isfinite(dt) && dt > 0.0)) fail_parameter(object, "dt", dt, "ms", "the time step must be > 0");
    if (threads < 0) fail_parameter(object, "threads", threads, "", "it must be >= 0 (0 uses every core)");
    if (precision != "float" && precision != "double")
        throw Error(ErrorCode::invalid_parameter,
                    object + ": precision = '" + precision + "' is invalid: it must be 'float' or 'double'");
    if (!(std::isfinite(memory_limit) && memory_limit >= 0.0))
        fail_parameter(object, "memory_limit", memory_limit, "bytes", "it must be >= 0 (0 uses the free memory)");
}

void Executable::save(const std::string& path, const SaveOptions& options) const {
    write_results(path, network(), recording(), run_info(), synapse_counts(), options);
}

std::unique_ptr<Executable> compile(const Network& network, const CompileOptions& options, std::string_view backend) {
    return make_backend(backend)->compile(network, options);
}

} // namespace spikegraph
