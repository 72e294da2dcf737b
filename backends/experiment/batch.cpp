#include "backends/experiment/batch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "backends/backend.hpp"
#include "core/error.hpp"
#include "backends/experiment/results_probe.hpp"
#include "backends/experiment/results_reader.hpp"
#include "core/io/hdf5_handle.hpp"
#include "core/io/results_file.hpp"

namespace spikegraph {

namespace fs = std::filesystem;

namespace {

std::string fingerprint(const Experiment& e) {
    const std::string text = e.resolved + "\nbackend=" + e.settings.backend + "\nseed=" + std::to_string(e.settings.seed);
    std::uint64_t hash = 1469598103934665603ull; // FNV-1a
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

// Complete runs of a results file, by group, with their fingerprints ("" when they have none).
// A file that is not a spikegraph results file is refused before anything is written.
std::map<std::string, std::string> complete_runs(const std::string& path) {
    std::map<std::string, std::string> runs;
    probe_results_file(path, 60.0, ProbeDepth::metadata); // a damaged file is an error, not a crash
    const hdf5::File file = open_results_file(path);
    const hid_t root = file.id();
    for (const std::string& name : file.children(root)) {
        if (name.rfind(staging_prefix, 0) == 0) continue;
        auto group = file.open_group(root, name);
        if (!file.has_attribute(group.get(), "complete") || file.int_attribute(group.get(), "complete") != 1) continue;
        runs[name] = file.has_attribute(group.get(), "fingerprint") ? file.string_attribute(group.get(), "fingerprint") : "";
    }
    return runs;
}

// Whether a point's part file holds its complete run with this fingerprint; a damaged or stale
// part file is deleted.
bool valid_part(const fs::path& part, const std::string& group, const std::string& print) {
    if (!fs::exists(part)) return false;
    try {
        const auto runs = complete_runs(part.string());
        const auto found = runs.find(group);
        if (found != runs.end() && found->second == print) return true;
    } catch (const Error&) {
    }
    fs::remove(part);
    return false;
}

std::vector<std::pair<std::string, AttributeValue>> point_attributes(const ExperimentFile& file, const Experiment& e,
                                                                     const std::string& print) {
    std::vector<std::pair<std::string, AttributeValue>> attributes{
        {"experiment", e.settings.name},
        {"experiment_file", file.source()},
        {"experiment_toml", e.resolved},
        {"fingerprint", print},
    };
    if (!file.is_sweep()) return attributes;
    std::string axes;
    for (const auto& name : file.axes()) axes += (axes.empty() ? "" : ",") + name;
    attributes.emplace_back("sweep_index", static_cast<std::int64_t>(e.point.index));
    attributes.emplace_back("repetition", static_cast<std::int64_t>(e.point.repetition));
    attributes.emplace_back("axes", axes);
    for (const auto& [name, value] : e.point.values) {
        if (const auto* number = std::get_if<double>(&value)) attributes.emplace_back("axis:" + name, *number);
        else attributes.emplace_back("axis:" + name, std::get<std::string>(value));
    }
    return attributes;
}

// Writes `output` anew: its complete runs that no part replaces, then every part's run.
void assemble(const std::string& output, const std::vector<std::pair<fs::path, std::string>>& parts) {
    const fs::path temporary = output + ".assembling~";
    fs::remove(temporary);
    {
        hdf5::File out(temporary.string(), hdf5::File::Mode::truncate);
        const hid_t root = out.id();
        out.attribute(root, "format", std::string_view("spikegraph-results"));
        out.attribute(root, "format_version", static_cast<std::int64_t>(results_format_version));
        std::map<std::string, bool> replaced;
        for (const auto& [path, group] : parts) replaced[group] = true;
        if (fs::exists(output)) {
            const auto old_runs = complete_runs(output); // probed before this process opens it
            hdf5::File old(output, hdf5::File::Mode::read);
            for (const auto& [name, print] : old_runs)
                if (!replaced.count(name)) out.copy_from(old, old.id(), name, root, name);
        }
        for (const auto& [path, group] : parts) {
            hdf5::File part(path.string(), hdf5::File::Mode::read);
            out.copy_from(part, part.id(), group, root, group);
        }
        out.flush();
    }
    fs::rename(temporary, output);
}

} // namespace

std::string point_group(const ExperimentFile& file, const SweepPoint& point) {
    if (!file.is_sweep()) return file.settings().name;
    char name[32];
    std::snprintf(name, sizeof name, "point_%04zu", point.index);
    return name;
}

BatchResult run_batch(const ExperimentFile& file, const BatchOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    const std::string output = options.output.empty() ? "results/" + file.settings().name + ".h5" : options.output;

    // Every point built and checked (the file did so once already) before anything is written.
    std::vector<Experiment> experiments;
    for (const SweepPoint& point : file.points()) {
        Experiment e = file.build(point);
        if (options.backend) e.settings.backend = *options.backend;
        if (options.seed) e.settings.seed = *options.seed + point.repetition;
        if (options.threads) e.settings.threads = *options.threads;
        make_backend(e.settings.backend); // an unknown or unbuilt backend fails here
        experiments.push_back(std::move(e));
    }
    BatchResult result;
    result.output = output;
    result.points = experiments.size();
    std::vector<std::string> prints;
    for (std::size_t i = 0; i < experiments.size(); ++i) {
        result.groups.push_back(point_group(file, experiments[i].point));
        prints.push_back(fingerprint(experiments[i]));
    }

    std::map<std::string, std::string> done;
    if (fs::exists(output)) done = complete_runs(output);
    const fs::path parts_dir = output + ".parts"; // its folder too, now that the input is known good
    fs::create_directories(parts_dir);
    for (const auto& entry : fs::directory_iterator(parts_dir))
        if (entry.path().extension() == ".tmp") fs::remove(entry.path()); // left by a killed point

    std::vector<std::size_t> pending;
    std::vector<std::pair<fs::path, std::string>> parts;
    for (std::size_t i = 0; i < experiments.size(); ++i) {
        const std::string& group = result.groups[i];
        const fs::path part = parts_dir / (group + ".h5");
        const auto found = done.find(group);
        if (!options.force && found != done.end() && found->second == prints[i]) {
            ++result.skipped;
        } else if (!options.force && valid_part(part, group, prints[i])) {
            ++result.skipped;
            parts.emplace_back(part, group);
        } else {
            pending.push_back(i);
        }
    }

    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const bool many = pending.size() > 1;
    int threads = options.threads.value_or(experiments.empty() ? 0 : experiments.front().settings.threads);
    if (threads == 0) threads = many ? 1 : cores;
    const int jobs = many ? std::max(1, options.jobs > 0 ? options.jobs : cores / threads) : 1;

    std::mutex mutex; // guards progress, errors and parts
    std::vector<std::string> errors;
    std::atomic<std::size_t> finished{0};
    ProgressCallback point_progress =
        options.quiet ? ProgressCallback{} : stderr_progress(file.settings().name, 0.0, "points");
    if (point_progress && many) point_progress(0, static_cast<Step>(pending.size()), 0.0);
    auto run_point = [&](std::size_t i) {
        Experiment& e = experiments[i];
        const std::string& group = result.groups[i];
        const fs::path part = parts_dir / (group + ".h5");
        const fs::path temporary = parts_dir / (group + ".h5.tmp");
        try {
            CompileOptions compile_options;
            compile_options.dt = e.settings.dt;
            compile_options.seed = e.settings.seed;
            compile_options.threads = threads;
            compile_options.precision = e.settings.precision;
            auto executable = compile(e.network, compile_options, e.settings.backend);
            ProgressCallback steps;
            if (!many && !options.quiet) steps = stderr_progress(group, 2.0);
            executable->run(e.settings.duration, steps);
            fs::remove(temporary);
            SaveOptions save;
            save.group = group;
            save.attributes = point_attributes(file, e, prints[i]);
            executable->save(temporary.string(), save);
            fs::rename(temporary, part); // complete only once renamed
            const std::lock_guard<std::mutex> lock(mutex);
            parts.emplace_back(part, group);
        } catch (const std::exception& error) {
            const std::lock_guard<std::mutex> lock(mutex);
            errors.push_back(group + ": " + error.what());
        }
        const std::size_t count = ++finished;
        const std::lock_guard<std::mutex> lock(mutex);
        if (point_progress && many) point_progress(static_cast<Step>(count), static_cast<Step>(pending.size()), seconds());
    };
    if (jobs == 1) {
        for (std::size_t i : pending) run_point(i);
    } else {
        tbb::task_arena arena(jobs);
        arena.execute([&] {
            tbb::parallel_for(std::size_t{0}, pending.size(), [&](std::size_t k) { run_point(pending[k]); });
        });
    }
    result.ran = pending.size() - errors.size();

    if (!parts.empty()) {
        std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        assemble(output, parts);
        for (const auto& [path, group] : parts) fs::remove(path);
    }
    if (errors.empty()) fs::remove_all(parts_dir);
    result.seconds = seconds();
    if (!errors.empty()) {
        std::string message = std::to_string(errors.size()) + " of " + std::to_string(pending.size()) +
                              " points failed (the others are saved in '" + output + "'):";
        for (const auto& error : errors) message += "\n  " + error;
        throw Error(ErrorCode::invalid_network, message);
    }
    return result;
}

} // namespace spikegraph
