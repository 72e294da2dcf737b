// Backends by name. Each built backend is one line here; a backend that is planned but not built
// into this library answers backend_unavailable instead of "unknown".
#include <functional>

#include "backends/backend.hpp"
#include "backends/cpu/cpu_backend.hpp"
#include "backends/loihi/loihi_backend.hpp"
#include "core/error.hpp"

namespace spikegraph {

namespace {

struct Entry {
    std::string_view name;
    std::function<std::unique_ptr<Backend>()> make; // empty: not built
    std::string_view missing;                         // why, when not built
};

const std::vector<Entry>& entries() {
    static const std::vector<Entry> table{
        {"cpu", [] { return std::make_unique<CpuBackend>(); }, ""},
        {"cuda", {}, "spikegraph was built without CUDA (no nvcc was found at build time)"},
        {"loihi", [] { return std::make_unique<LoihiBackend>(); }, ""},
        {"spinnaker2", {}, "the SpiNNaker 2 emulator is not part of this build yet"},
        {"sfq", {}, "the SFQ emulator is not part of this build yet"},
        {"rram", {}, "the RRAM reservoir emulator is not part of this build yet"},
    };
    return table;
}

} // namespace

std::unique_ptr<Backend> make_backend(std::string_view name) {
    for (const auto& entry : entries()) {
        if (entry.name != name) continue;
        if (!entry.make) {
            std::string built;
            for (const auto& b : available_backends()) built += (built.empty() ? "'" : ", '") + b + "'";
            throw Error(ErrorCode::backend_unavailable, "backend '" + std::string(name) + "' is unavailable: " +
                                                            std::string(entry.missing) + " (available: " + built + ")");
        }
        return entry.make();
    }
    std::string known;
    for (const auto& entry : entries()) known += (known.empty() ? "'" : ", '") + std::string(entry.name) + "'";
    throw Error(ErrorCode::invalid_parameter, "unknown backend '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> available_backends() {
    std::vector<std::string> names;
    for (const auto& entry : entries())
        if (entry.make) names.emplace_back(entry.name);
    return names;
}

std::vector<std::string> known_backends() {
    std::vector<std::string> names;
    for (const auto& entry : entries()) names.emplace_back(entry.name);
    return names;
}

} // namespace spikegraph
