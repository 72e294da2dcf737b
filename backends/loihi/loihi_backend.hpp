#pragma once
// The "loihi" backend: quantize (hardware/loihi) a float network, place it on cores, and run it
// bit-accurately in the emulator. Recorded v and u are converted back to mV and nA.
#include "backends/backend.hpp"

namespace spikegraph {

class LoihiBackend final : public Backend {
public:
    std::string_view name() const override { return "loihi"; }
    Capabilities capabilities() const override { return {{"loihi"}, false}; }
    std::unique_ptr<Executable> compile(const Network& network, const CompileOptions& options) const override;
};

} // namespace spikegraph
