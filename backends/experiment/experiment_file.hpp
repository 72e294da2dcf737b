#pragma once
// Experiment files (TOML): a network, how to run it, what to record, and optionally a sweep of
// parameter values. examples/experiments/reference.toml documents every key.
//
// Every error names the file, the line and the key ("brunel.toml:14:7: population 'exc': key
// 'tau_m': -5 is invalid: it must be > 0"). All sweep points are built, and so checked, before
// anything runs or is written.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/network.hpp"
#include "core/types.hpp"

namespace spikegraph {

struct RunSettings {
    std::string name = "run"; // experiment name; names the run's group in the results file
    double duration = 1000.0; // ms
    double dt = 0.1;          // ms
    Seed seed = 1;
    int threads = 0;          // 0: every core (a sweep divides them among its points)
    std::string precision = "float";
    std::string backend = "cpu";
};

using SweepValue = std::variant<double, std::string>;
std::string describe(const SweepValue& value);

// One point of a sweep: the value of every axis, and the repetition (its seed is the file's
// seed + repetition, so points of one repetition share their random numbers).
struct SweepPoint {
    std::size_t index = 0;
    std::uint32_t repetition = 0;
    std::vector<std::pair<std::string, SweepValue>> values;
};

// A point ready to run.
struct Experiment {
    RunSettings settings;
    Network network;
    SweepPoint point;
    std::string resolved; // the file with the point's values applied, as TOML
};

// Values set from outside the file (the command line's --set), by the names sweep axes use.
using Overrides = std::vector<std::pair<std::string, SweepValue>>;

class ExperimentFile {
public:
    static ExperimentFile load(const std::string& path, Overrides overrides = {}); // io error for a missing file
    static ExperimentFile parse(std::string_view text, std::string source_name, Overrides overrides = {});
    ExperimentFile(ExperimentFile&&) noexcept;
    ExperimentFile& operator=(ExperimentFile&&) noexcept;
    ~ExperimentFile();

    const std::string& source() const;
    const RunSettings& settings() const; // before any sweep value is applied
    bool is_sweep() const;
    const std::vector<std::string>& axes() const; // swept names, in the file's order
    // Grid axes vary slowest first; zipped lists move together as one axis; repetitions vary
    // fastest. A file without [sweep] has one point.
    const std::vector<SweepPoint>& points() const;
    // The point's network and settings; errors are prefixed with the point's values.
    Experiment build(const SweepPoint& point) const;

private:
    struct Impl;
    explicit ExperimentFile(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace spikegraph
