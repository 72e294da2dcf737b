#include "backends/cpu/cpu_backend.hpp"

#include "backends/cpu/engine.hpp"

namespace spikegraph {

std::unique_ptr<Executable> CpuBackend::compile(const Network& network, const CompileOptions& options) const {
    options.validate();
    network.validate();
    if (options.precision == "double") return cpu::make_engine<double>(network, options);
    return cpu::make_engine<float>(network, options);
}

} // namespace spikegraph
