#pragma once
// The backend interface: coarse and virtual. A Backend compiles a Network into an Executable;
// inside, everything is templates over model and number type (no virtual call per neuron or
// synapse). Backends are found by name; a name that is known but not built says so.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/io/results_file.hpp"
#include "core/network.hpp"
#include "core/progress.hpp"
#include "core/recording.hpp"

namespace spikegraph {

struct CompileOptions {
    double dt = 0.1;                  // time step [ms]
    Seed seed = 1;                    // connectivity, initial values and source spikes
    int threads = 0;                  // worker threads; 0: every core of the machine
    std::string precision = "float";  // "float" or "double"
    double memory_limit = 0.0;        // bytes the run may use; 0: the memory the machine has free
    std::string chip;                 // emulated chip of a hardware backend ("loihi1", "loihi2"); empty: its default

    void validate() const; // throws invalid_parameter naming the field
};

struct Capabilities {
    std::vector<std::string> precisions;
    bool plasticity = false;
};

// Synapses of one projection as parallel arrays (for reading weights back).
struct SynapseList {
    std::vector<Index> pre;
    std::vector<Index> post;
    std::vector<double> weight;
    std::vector<double> delay; // ms
};

// Figures of a compiled network and its runs: name, value, unit.
struct ReportEntry {
    std::string name;
    double value;
    std::string unit;
};

class Executable {
public:
    virtual ~Executable() = default;

    // Advances the simulation by `duration` [ms], a whole number of steps; continues from the
    // current time on every call. `progress` is called a few times a second.
    virtual void run(double duration, const ProgressCallback& progress = {}) = 0;
    virtual double time() const = 0; // ms simulated so far

    virtual const Recording& recording() const = 0;
    virtual RunInfo run_info() const = 0;
    virtual std::vector<double> state(PopulationId population, std::string_view variable) const = 0;
    virtual SynapseList synapses(ProjectionId projection) const = 0;
    // Replaces a projection's weights between runs, in the order synapses() lists them.
    virtual void set_weights(ProjectionId projection, const std::vector<double>& weights) = 0;
    virtual std::vector<ReportEntry> report() const = 0;
    virtual const Network& network() const = 0;

    // Writes the recording with its provenance into an HDF5 results file (docs/hdf5_schema.md).
    void save(const std::string& path, const SaveOptions& options = {}) const;

protected:
    virtual std::vector<std::uint64_t> synapse_counts() const = 0;
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string_view name() const = 0;
    virtual Capabilities capabilities() const = 0;
    virtual std::unique_ptr<Executable> compile(const Network& network, const CompileOptions& options) const = 0;
};

// The backend called `name`; throws backend_unavailable for a known backend this build lacks
// and invalid_parameter for a name that is not a backend at all.
std::unique_ptr<Backend> make_backend(std::string_view name);
std::vector<std::string> available_backends(); // built into this library
std::vector<std::string> known_backends();      // every backend spikegraph has or plans

// Shorthand: make_backend(backend)->compile(network, options).
std::unique_ptr<Executable> compile(const Network& network, const CompileOptions& options = {},
                                    std::string_view backend = "cpu");

} // namespace spikegraph
