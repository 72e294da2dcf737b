#include "core/io/results_file.hpp"

#include <chrono>
#include <ctime>

#include "core/error.hpp"
#include "core/io/hdf5_handle.hpp"
#include "spikegraph_revision.hpp"

namespace spikegraph {

namespace {

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::string describe_param(const ParamValue& value) {
    if (const auto* number = std::get_if<double>(&value)) return format_number(*number);
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    if (const auto* list = std::get_if<std::vector<double>>(&value)) return "array of " + std::to_string(list->size()) + " values";
    if (const auto* lists = std::get_if<RaggedArray>(&value)) return "one array per neuron (" + std::to_string(lists->size()) + ")";
    return std::get<Distribution>(value).describe();
}

void write_network(const hdf5::File& file, hid_t run, const Network& network,
                   const std::vector<std::uint64_t>& synapse_counts) {
    auto net = file.create_group(run, "network");
    auto populations = file.create_group(net.get(), "populations");
    for (const auto& spec : network.populations()) {
        auto group = file.create_group(populations.get(), spec.name);
        file.attribute(group.get(), "model", spec.model->name);
        file.attribute(group.get(), "size", static_cast<std::uint64_t>(spec.size));
        // Every parameter with its effective value; per-neuron specifications also as text.
        for (const auto& field : spec.model->params) {
            auto given = spec.params.find(field.name);
            if (field.kind == FieldKind::scalar || field.kind == FieldKind::per_neuron) {
                file.attribute(group.get(), field.name, param_or_default(*spec.model, spec.params, field.name));
                if (given != spec.params.end() && !std::holds_alternative<double>(given->second))
                    file.attribute(group.get(), std::string(field.name) + "_spec", describe_param(given->second));
            } else if (field.kind == FieldKind::choice) {
                file.attribute(group.get(), field.name, choice_or_default(*spec.model, spec.params, field.name));
            } else if (given != spec.params.end()) {
                file.attribute(group.get(), field.name, describe_param(given->second));
            }
        }
        for (const auto& var : spec.model->state) {
            auto given = spec.params.find(var.name);
            if (given != spec.params.end())
                file.attribute(group.get(), std::string(var.name) + "_initial", describe_param(given->second));
        }
    }
    auto projections = file.create_group(net.get(), "projections");
    for (std::size_t i = 0; i < network.projections().size(); ++i) {
        const auto& spec = network.projections()[i];
        auto group = file.create_group(projections.get(), spec.name);
        file.attribute(group.get(), "pre", network.population(spec.pre).name);
        file.attribute(group.get(), "post", network.population(spec.post).name);
        file.attribute(group.get(), "receptor", spec.synapse.receptor);
        file.attribute(group.get(), "connector", describe(spec.connector));
        file.attribute(group.get(), "weight", carries_weights(spec.connector) ? std::string("from connector")
                                                                               : describe(spec.synapse.weight));
        file.attribute(group.get(), "delay", spec.synapse.delay ? describe(*spec.synapse.delay) : std::string("one step"));
        if (i < synapse_counts.size()) file.attribute(group.get(), "n_synapses", synapse_counts[i]);
    }
}

} // namespace

void write_results(const std::string& path, const Network& network, const Recording& recording,
                   const RunInfo& info, const std::vector<std::uint64_t>& synapse_counts,
                   const SaveOptions& options) {
    if (options.group.empty() || options.group.find('/') != std::string::npos || options.group == "." ||
        options.group == ".." || options.group.rfind(staging_prefix, 0) == 0)
        throw Error(ErrorCode::invalid_parameter, "results group name '" + options.group +
                                                      "' must be non-empty, contain no '/' and not start with '" +
                                                      std::string(staging_prefix) + "'");
    hdf5::File file(path, hdf5::File::Mode::append);
    const hid_t root = file.id();
    // Only a spikegraph results file of this or an older format, or an empty file, is written to;
    // nothing is changed before every check has passed.
    if (file.has_attribute(root, "format")) {
        const std::string format = file.string_attribute(root, "format");
        if (format != "spikegraph-results")
            throw Error(ErrorCode::io, "HDF5 file '" + path + "' is of another format ('" + format + "'); refusing to add to it");
        const std::int64_t version = file.int_attribute(root, "format_version");
        if (version > results_format_version)
            throw Error(ErrorCode::io, "HDF5 file '" + path + "' has format version " + std::to_string(version) +
                                           ", newer than this spikegraph writes (" + std::to_string(results_format_version) + ")");
    } else if (file.members(root) > 0) {
        throw Error(ErrorCode::io, "HDF5 file '" + path + "' holds other data and is not a spikegraph results file; "
                                                          "refusing to add to it");
    }
    const bool replacing = file.exists(root, options.group);
    if (replacing && !options.overwrite)
        throw Error(ErrorCode::io, "HDF5 file '" + path + "' already holds a group '" + options.group +
                                       "'; choose another group name or pass overwrite=True");
    // The run is written under a staging name and renamed into place once complete, so an
    // existing run is replaced only by a complete one. A staging group left by a crash is stale.
    const std::string staging = std::string(staging_prefix) + options.group;
    if (file.exists(root, staging)) file.remove(root, staging);
    file.attribute(root, "format", std::string_view("spikegraph-results"));
    file.attribute(root, "format_version", static_cast<std::int64_t>(results_format_version));
    auto run = file.create_group(root, staging);
    file.attribute(run.get(), "complete", static_cast<std::int64_t>(0));
    file.attribute(run.get(), "spikegraph_version", std::string_view(SPIKEGRAPH_VERSION));
    file.attribute(run.get(), "created", utc_now());
    file.attribute(run.get(), "backend", info.backend);
    file.attribute(run.get(), "precision", info.precision);
    file.attribute(run.get(), "dt", info.dt);
    file.attribute(run.get(), "duration", static_cast<double>(info.steps) * info.dt);
    file.attribute(run.get(), "steps", static_cast<std::int64_t>(info.steps));
    file.attribute(run.get(), "seed", static_cast<std::uint64_t>(info.seed));
    file.attribute(run.get(), "threads", static_cast<std::int64_t>(info.threads));
    file.attribute(run.get(), "wall_time", info.wall_time);
    file.attribute(run.get(), "source_revision", std::string_view(SPIKEGRAPH_REVISION));
    for (const auto& [name, value] : options.attributes)
        std::visit([&, &name = name](const auto& v) {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) file.attribute(run.get(), name, std::string_view(v));
            else file.attribute(run.get(), name, v);
        }, value);
    write_network(file, run.get(), network, synapse_counts);

    auto spikes = file.create_group(run.get(), "spikes");
    for (const auto& record : recording.spikes) {
        auto group = file.create_group(spikes.get(), record.population);
        file.attribute(group.get(), "population_size", static_cast<std::uint64_t>(record.population_size));
        file.write(group.get(), "times", record.times(info.dt), {static_cast<hsize_t>(record.steps.size())});
        file.write(group.get(), "senders", record.senders);
        file.write(group.get(), "neurons", record.neurons);
    }
    auto state = file.create_group(run.get(), "state");
    for (const auto& record : recording.states) {
        hid_t parent = state.get();
        hdf5::Handle population_group;
        if (file.exists(parent, record.population)) {
            population_group = hdf5::Handle(H5Gopen2(parent, record.population.c_str(), H5P_DEFAULT), H5Gclose);
        } else {
            population_group = file.create_group(parent, record.population);
        }
        auto group = file.create_group(population_group.get(), record.variable);
        file.attribute(group.get(), "unit", record.unit);
        file.attribute(group.get(), "interval", static_cast<double>(record.interval_steps) * info.dt);
        file.write(group.get(), "times", record.times(info.dt), {static_cast<hsize_t>(record.steps.size())});
        file.write(group.get(), "values", record.values,
                   {static_cast<hsize_t>(record.steps.size()), static_cast<hsize_t>(record.neurons.size())});
        file.write(group.get(), "neurons", record.neurons);
    }
    if (!recording.weights.empty()) {
        auto weights = file.create_group(run.get(), "weights");
        for (const auto& record : recording.weights) {
            auto group = file.create_group(weights.get(), record.projection);
            file.attribute(group.get(), "interval", static_cast<double>(record.interval_steps) * info.dt);
            file.write(group.get(), "times", record.times(info.dt), {static_cast<hsize_t>(record.steps.size())});
            file.write(group.get(), "values", std::vector<double>(record.values.begin(), record.values.end()),
                       {static_cast<hsize_t>(record.steps.size()), static_cast<hsize_t>(record.pre.size())});
            file.write(group.get(), "pre", record.pre);
            file.write(group.get(), "post", record.post);
        }
    }
    // Only now, with every byte flushed, does the run count as complete; then it takes its name.
    file.flush();
    file.attribute(run.get(), "complete", static_cast<std::int64_t>(1));
    file.flush();
    run = hdf5::Handle();
    if (replacing) file.remove(root, options.group);
    file.move(root, staging, options.group);
    file.flush();
}

} // namespace spikegraph
