#pragma once
// Basic identifiers and the time grid shared by every folder.
#include <cstdint>

namespace spikegraph {

using Index = std::uint32_t;  // a neuron's index inside its population
using Step = std::int64_t;    // a time step counter (step n advances t from n*dt to (n+1)*dt)
using Seed = std::uint64_t;

// Vertex and edge handles of a Network; plain indices so they cross to Python and files unchanged.
struct PopulationId {
    std::uint32_t value = 0;
    friend bool operator==(PopulationId, PopulationId) = default;
};
struct ProjectionId {
    std::uint32_t value = 0;
    friend bool operator==(ProjectionId, ProjectionId) = default;
};

} // namespace spikegraph
