#include "core/progress.hpp"

#include <cstdio>
#include <memory>

#include <unistd.h>

namespace spikegraph {

ProgressCallback stderr_progress(std::string label, double quiet_seconds, std::string unit) {
    struct State {
        std::string label;
        std::string unit;
        double quiet;
        bool terminal;
        int last_decile = -1;
        bool shown = false;
    };
    auto state = std::make_shared<State>(State{std::move(label), std::move(unit), quiet_seconds, isatty(STDERR_FILENO) != 0});
    return [state](Step done, Step total, double elapsed) {
        const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
        const bool finished = done >= total;
        // A run that will end soon stays silent; one that has already printed always closes its line.
        if (!state->shown && (elapsed < state->quiet || finished)) return;
        state->shown = true;
        const double eta = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
        if (state->terminal) {
            constexpr int width = 30;
            const int filled = static_cast<int>(fraction * width);
            std::fprintf(stderr, "\r%s [%.*s%*s] %5.1f%%  %6.1f s elapsed, ETA %6.1f s", state->label.c_str(), filled,
                         "##############################", width - filled, "", 100.0 * fraction, elapsed, eta);
            if (finished) std::fputc('\n', stderr);
        } else {
            const int decile = static_cast<int>(fraction * 10.0);
            if (decile == state->last_decile && !finished) return;
            state->last_decile = decile;
            std::fprintf(stderr, "%s: %3.0f%% (%lld/%lld %s), %.1f s elapsed, ETA %.1f s\n", state->label.c_str(),
                         100.0 * fraction, static_cast<long long>(done), static_cast<long long>(total), state->unit.c_str(),
                         elapsed, eta);
        }
        std::fflush(stderr);
    };
}

} // namespace spikegraph
