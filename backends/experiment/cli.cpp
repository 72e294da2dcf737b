#include "backends/experiment/cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>

#include "backends/backend.hpp"
#include "backends/experiment/batch.hpp"
#include "backends/experiment/experiment_file.hpp"
#include "backends/experiment/isolated.hpp"
#include "backends/experiment/results_reader.hpp"
#include "backends/experiment/svg_raster.hpp"
#include "core/error.hpp"
#include "spikegraph_revision.hpp"

namespace spikegraph {

namespace fs = std::filesystem;

namespace {

// How long inspect or plot may read a results file before it counts as damaged (libhdf5 loops
// forever on some damaged files); a sound file of gigabytes reads in far less.
constexpr double default_read_seconds = 300.0;

struct RunArguments {
    std::string experiment, output;
    int threads = -1, jobs = 0;
    std::string backend;
    long long seed = -1;
    bool force = false, quiet = false, dry_run = false;
    std::vector<std::string> set;
};

// "name=value": a number when the value reads as one, else text (an expression or a choice).
Overrides parse_overrides(const std::vector<std::string>& items) {
    Overrides overrides;
    for (const std::string& item : items) {
        const auto equals = item.find('=');
        if (equals == std::string::npos || equals == 0)
            throw Error(ErrorCode::invalid_parameter, "--set " + item + ": write --set name=value");
        const std::string name = item.substr(0, equals), text = item.substr(equals + 1);
        char* end = nullptr;
        const double number = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size()) overrides.emplace_back(name, number);
        else overrides.emplace_back(name, text);
    }
    return overrides;
}

void add_run_options(CLI::App* command, RunArguments& a) {
    command->add_option("experiment", a.experiment, "experiment file (TOML)")->required();
    command->add_option("-o,--output", a.output, "results file (default: results/<experiment name>.h5)");
    command->add_option("--threads", a.threads, "threads per point (default: the file's; 0: all cores)");
    command->add_option("--backend", a.backend, "backend (default: the file's)");
    command->add_option("--seed", a.seed, "seed (default: the file's; repetitions add to it)");
    command->add_flag("--force", a.force, "run points again that are already complete");
    command->add_flag("--quiet", a.quiet, "no progress on stderr");
    command->add_option("--jobs", a.jobs, "points run at once (default: cores / threads per point)");
    command->add_option("--set", a.set, "name=value: a [parameters] name or a path such as experiment.duration or "
                                        "population.exc.tau_m, set before any sweep value (repeatable)");
    command->add_flag("--dry-run", a.dry_run, "check the file, list its points and stop");
}

// Mean rate [Hz] of the k-th recorded population of a run; 0 when nothing was recorded.
double mean_rate(const RunSummary& run, std::size_t k) {
    const double neurons = static_cast<double>(run.spikes[k].neurons.size());
    if (neurons == 0 || run.duration <= 0) return 0.0;
    return static_cast<double>(run.spike_counts[k]) / (neurons * run.duration * 1e-3);
}

// Runs a command, printing an error it throws as "spikegraph: error: ..." and turning it into
// the exit status (2 bad input, 3 a file problem, 4 anything else).
int report_errors(const std::function<int()>& command) {
    try {
        return command();
    } catch (const Error& error) {
        std::fflush(stdout);
        std::fprintf(stderr, "spikegraph: error: %s\n", error.what());
        return error.code() == ErrorCode::io ? 3 : 2;
    } catch (const std::exception& error) {
        std::fflush(stdout);
        std::fprintf(stderr, "spikegraph: error: %s\n", error.what());
        return 4;
    }
}

void print_summary(const std::string& path, const std::vector<std::string>& groups) {
    const ResultsSummary summary = read_results_summary(path);
    for (const RunSummary& run : summary.runs) {
        if (std::find(groups.begin(), groups.end(), run.name) == groups.end()) continue;
        std::string line = "  " + run.name + ":";
        for (std::size_t k = 0; k < run.spikes.size(); ++k) {
            const double rate = mean_rate(run, k);
            char text[160];
            std::snprintf(text, sizeof text, " %s %llu spikes (%.2f Hz)", run.spikes[k].population.c_str(),
                          static_cast<unsigned long long>(run.spike_counts[k]), rate);
            line += text;
        }
        std::cout << line << "\n";
    }
}

int run_command(const RunArguments& a, bool sweep) {
    const ExperimentFile file = ExperimentFile::load(a.experiment, parse_overrides(a.set));
    if (sweep && !file.is_sweep())
        throw Error(ErrorCode::invalid_parameter, a.experiment + ": has no [sweep] table; use `spikegraph run`");
    if (a.dry_run) {
        for (const SweepPoint& point : file.points()) {
            std::cout << point_group(file, point) << "  repetition " << point.repetition;
            for (const auto& [name, value] : point.values) std::cout << "  " << name << " = " << describe(value);
            std::cout << "\n";
        }
        return 0;
    }
    BatchOptions options;
    options.output = a.output;
    if (a.threads >= 0) options.threads = a.threads;
    if (!a.backend.empty()) options.backend = a.backend;
    if (a.seed >= 0) options.seed = static_cast<Seed>(a.seed);
    options.jobs = a.jobs;
    options.force = a.force;
    options.quiet = a.quiet;
    const BatchResult result = run_batch(file, options);
    std::printf("%s: %zu point%s (%zu ran, %zu already complete) in %.2f s -> %s\n", file.settings().name.c_str(),
                result.points, result.points == 1 ? "" : "s", result.ran, result.skipped, result.seconds,
                result.output.c_str());
    std::fflush(stdout);
    if (result.points <= 8) print_summary(result.output, result.groups);
    return 0;
}

int inspect_command(const std::string& path) {
    const ResultsSummary summary = read_results_summary(path, 0.0); // already in a child (run_isolated)
    std::size_t incomplete = 0;
    for (const auto& run : summary.runs) incomplete += run.complete ? 0 : 1;
    std::cout << path << ": spikegraph results, format version " << summary.format_version << ", " << summary.runs.size()
              << " run" << (summary.runs.size() == 1 ? "" : "s");
    if (incomplete) std::cout << " (" << incomplete << " incomplete: ignore them)";
    std::cout << "\n";
    for (const RunSummary& run : summary.runs) {
        std::cout << "\n[" << run.name << "]" << (run.complete ? "" : "  INCOMPLETE") << "\n";
        for (const auto& [name, value] : run.attributes) std::cout << "  " << name << " = " << value << "\n";
        for (std::size_t k = 0; k < run.spikes.size(); ++k) {
            const double rate = mean_rate(run, k);
            std::printf("  spikes/%s: %llu spikes from %zu recorded of %llu neurons, %.2f Hz\n", run.spikes[k].population.c_str(),
                        static_cast<unsigned long long>(run.spike_counts[k]), run.spikes[k].neurons.size(),
                        static_cast<unsigned long long>(run.spikes[k].population_size), rate);
        }
        for (const auto& trace : run.traces) std::cout << "  state/" << trace << "\n";
        for (const auto& weights : run.weights) std::cout << "  weights/" << weights << "\n";
    }
    return 0;
}

int plot_command(const std::string& path, std::string group, std::string output) {
    const ResultsSummary summary = read_results_summary(path, 0.0); // already in a child (run_isolated)
    if (group.empty()) {
        for (const auto& run : summary.runs)
            if (run.complete) {
                group = run.name;
                break;
            }
        if (group.empty()) throw Error(ErrorCode::io, "'" + path + "' holds no complete run");
    }
    const auto run = std::find_if(summary.runs.begin(), summary.runs.end(), [&](const RunSummary& r) { return r.name == group; });
    if (run == summary.runs.end()) throw Error(ErrorCode::io, "'" + path + "' has no run '" + group + "'");
    if (output.empty()) output = (fs::path(path).parent_path() / (fs::path(path).stem().string() + "_" + group + ".svg")).string();
    write_svg_raster(output, group + " (" + path + ")", read_spikes(path, group, 0.0), run->duration);
    std::cout << "raster plot: " << output << "\n";
    return 0;
}

} // namespace

int cli_main(const std::vector<std::string>& arguments) {
    CLI::App app{"spikegraph: run spiking network experiments (TOML) into HDF5 results files"};
    app.name("spikegraph");
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(SPIKEGRAPH_VERSION) + " (" + SPIKEGRAPH_REVISION + ")\n");
    RunArguments run_args, sweep_args;
    add_run_options(app.add_subcommand("run", "run an experiment file (every point of its sweep, if it has one)"), run_args);
    add_run_options(app.add_subcommand("sweep", "run the points of an experiment file's [sweep], several at once"), sweep_args);
    std::string inspect_path;
    double read_seconds = default_read_seconds;
    auto* inspect = app.add_subcommand("inspect", "describe the runs of a results file");
    inspect->add_option("results", inspect_path, "results file (HDF5)")->required();
    inspect->add_option("--timeout", read_seconds, "seconds after which a file still being read counts as damaged");
    std::string plot_path, plot_group, plot_output;
    auto* plot = app.add_subcommand("plot", "raster plot (SVG) of a run in a results file");
    plot->add_option("results", plot_path, "results file (HDF5)")->required();
    plot->add_option("-g,--group", plot_group, "run to plot (default: the first complete one)");
    plot->add_option("-o,--output", plot_output, "SVG file (default: beside the results file)");
    plot->add_option("--timeout", read_seconds, "seconds after which a file still being read counts as damaged");

    std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    return report_errors([&] {
        if (app.got_subcommand("run")) return run_command(run_args, false);
        if (app.got_subcommand("sweep")) return run_command(sweep_args, true);
        // Reading a damaged file can crash or hang libhdf5: these commands read in a child process,
        // which reports its own errors.
        if (app.got_subcommand("inspect"))
            return run_isolated([&] { return report_errors([&] { return inspect_command(inspect_path); }); },
                                inspect_path, read_seconds);
        if (app.got_subcommand("plot"))
            return run_isolated([&] { return report_errors([&] { return plot_command(plot_path, plot_group, plot_output); }); },
                                plot_path, read_seconds);
        return 1;
    });
}

} // namespace spikegraph
