// The step loop's barrier: no member passes barrier k before every active member has reached it,
// including jobs with fewer active members than the team (the engine's one-thread probe).
#include <doctest/doctest.h>

#include <atomic>
#include <vector>

#include "backends/cpu/thread_team.hpp"

using spikegraph::cpu::ThreadTeam;

namespace {

// Each member writes its phase, meets the others, then checks that every active member has
// written a phase at least as far; returns the number of violations seen.
int run_phases(ThreadTeam& team, int active, int phases) {
    std::vector<std::atomic<int>> phase(static_cast<std::size_t>(team.size()));
    std::atomic<int> violations{0};
    team.run([&](int member) {
        for (int k = 1; k <= phases; ++k) {
            phase[member].store(k, std::memory_order_relaxed);
            team.barrier(member);
            for (int other = 0; other < active; ++other)
                if (phase[other].load(std::memory_order_relaxed) < k) violations.fetch_add(1);
            team.barrier(member); // nobody writes phase k + 1 before all have checked phase k
        }
    }, active);
    return violations.load();
}

} // namespace

TEST_CASE("ThreadTeam barrier holds every member until all active members arrive") {
    for (int size : {2, 3, 4}) {
        ThreadTeam team(size);
        CHECK(run_phases(team, size, 2000) == 0);
        CHECK(run_phases(team, 1, 10) == 0);        // one member: barriers return at once
        CHECK(run_phases(team, size - 1, 500) == 0); // fewer active members than the team
        CHECK(run_phases(team, size, 2000) == 0);    // the counts start again with each job
    }
}
