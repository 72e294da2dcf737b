#pragma once
// The multithreaded CPU backend (oneTBB): clock-driven neuron updates, event-driven spike
// delivery through per-delay input rings, float by default and double on request.
#include "backends/backend.hpp"

namespace spikegraph {

class CpuBackend final : public Backend {
public:
    std::string_view name() const override { return "cpu"; }
    Capabilities capabilities() const override { return Capabilities{{"float", "double"}, false}; }
    std::unique_ptr<Executable> compile(const Network& network, const CompileOptions& options) const override;
};

} // namespace spikegraph
