#include "backends/experiment/experiment_file.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "backends/experiment/toml_reader.hpp"
#include "core/error.hpp"
#include "neurons/models.hpp"
#include "plasticity/rules.hpp"

namespace spikegraph {

std::string describe(const SweepValue& value) {
    if (const auto* number = std::get_if<double>(&value)) return format_number(*number);
    return std::get<std::string>(value);
}

namespace {

using toml_reader::Reader;

const std::set<std::string, std::less<>> experiment_keys{"name", "duration", "dt", "seed", "threads", "precision", "backend"};
const std::set<std::string, std::less<>> top_keys{"experiment", "parameters", "population", "stimulus", "projection",
                                                  "record", "record_weights", "sweep"};

// A connector from "all_to_all" or an inline table { rule = "fixed_probability", p = 0.02 }.
Connector read_connector(const Reader& r, const toml::node& node, const std::string& object) {
    if (node.is_string()) {
        const std::string rule = r.string(node, object, "connector");
        if (rule == "all_to_all") return AllToAll{};
        if (rule == "one_to_one") return OneToOne{};
        r.fail(node, object, "connector", "'" + rule + "' needs parameters: write connector = { rule = \"" + rule + "\", ... }"
                                                    " (rules: all_to_all, one_to_one, fixed_probability, fixed_in_degree,"
                                                    " fixed_out_degree, fixed_total_number, from_list)");
    }
    const toml::table& table = r.table(node, object, "connector");
    const std::string rule = r.string(r.require(table, node, object, "rule"), object, "connector.rule");
    const std::string where = object + " connector";
    auto flag = [&](std::string_view key, bool fallback) {
        const toml::node* value = table.get(key);
        return value ? r.boolean(*value, where, key) : fallback;
    };
    auto count = [&] { return static_cast<std::uint64_t>(r.integer(r.require(table, node, where, "n"), where, "n", 0)); };
    if (rule == "all_to_all") {
        r.only_keys(table, where, {"rule", "allow_self_connections"});
        return AllToAll{flag("allow_self_connections", true)};
    }
    if (rule == "one_to_one") {
        r.only_keys(table, where, {"rule"});
        return OneToOne{};
    }
    if (rule == "fixed_probability") {
        r.only_keys(table, where, {"rule", "p", "allow_self_connections"});
        return FixedProbability{r.number(r.require(table, node, where, "p"), where, "p"), flag("allow_self_connections", true)};
    }
    const std::set<std::string, std::less<>> degree_keys{"rule", "n", "allow_self_connections", "allow_multapses"};
    if (rule == "fixed_in_degree") {
        r.only_keys(table, where, degree_keys);
        return FixedInDegree{count(), flag("allow_self_connections", true), flag("allow_multapses", false)};
    }
    if (rule == "fixed_out_degree") {
        r.only_keys(table, where, degree_keys);
        return FixedOutDegree{count(), flag("allow_self_connections", true), flag("allow_multapses", false)};
    }
    if (rule == "fixed_total_number") {
        r.only_keys(table, where, degree_keys);
        return FixedTotalNumber{count(), flag("allow_self_connections", true), flag("allow_multapses", false)};
    }
    if (rule == "from_list") {
        r.only_keys(table, where, {"rule", "pre", "post", "weights", "delays"});
        FromList list;
        for (double i : r.numbers(r.require(table, node, where, "pre"), where, "pre")) list.pre.push_back(r.index(i, table, where, "pre"));
        for (double i : r.numbers(r.require(table, node, where, "post"), where, "post")) list.post.push_back(r.index(i, table, where, "post"));
        if (const toml::node* w = table.get("weights")) list.weights = r.numbers(*w, where, "weights");
        if (const toml::node* d = table.get("delays")) list.delays = r.numbers(*d, where, "delays");
        return list;
    }
    r.fail(*table.get("rule"), where, "rule",
           "unknown connector '" + rule + "' (rules: all_to_all, one_to_one, fixed_probability, fixed_in_degree, "
           "fixed_out_degree, fixed_total_number, from_list)");
}

// A model's parameters and initial values from the keys of a table that are not in `reserved`.
ParamMap read_model_params(const Reader& r, const toml::table& table, const ModelInfo& model, const std::string& object,
                           const std::set<std::string, std::less<>>& reserved) {
    ParamMap params;
    for (const auto& [key, node] : table) {
        const std::string name(key.str());
        if (reserved.count(name)) continue;
        if (const FieldInfo* field = model.find_param(name)) {
            params[name] = r.param(node, *field, object);
        } else if (model.find_state(name)) {
            params[name] = r.param_value(r.value_spec(node, object, name));
        } else {
            std::string known;
            for (const auto& f : model.params) known += (known.empty() ? "" : ", ") + std::string(f.name);
            for (const auto& s : model.state) known += ", " + std::string(s.name);
            r.fail_key(key, object, name, "unknown key: " + std::string(model.name) + " has " + known);
        }
    }
    return params;
}

class Builder {
public:
    Builder(const Reader& reader, const toml::table& doc) : r_(reader), doc_(doc) {}

    Experiment build() {
        for (const auto& [key, node] : doc_)
            if (!top_keys.count(key.str()))
                r_.fail_key(key, "file", key.str(), "unknown section (sections: experiment, parameters, population, "
                                                   "stimulus, projection, record, record_weights, sweep)");
        Experiment e;
        read_settings(e.settings);
        for (const toml::table* t : r_.table_array(doc_, "population")) read_population(e.network, *t, false);
        for (const toml::table* t : r_.table_array(doc_, "stimulus")) read_population(e.network, *t, true);
        for (const toml::table* t : r_.table_array(doc_, "projection")) read_projection(e.network, *t);
        for (const auto& [table, source, target, neurons] : injections_) {
            std::vector<Index> listed;
            if (neurons) listed = read_neurons(e.network, target, *neurons, "stimulus '" + source + "'", "inject.neurons");
            try {
                e.network.inject(e.network.population_id(source), e.network.population_id(target), std::move(listed));
            } catch (const Error& error) {
                r_.rethrow(*table, error);
            }
        }
        for (const toml::table* t : r_.table_array(doc_, "record")) read_record(e.network, *t);
        for (const toml::table* t : r_.table_array(doc_, "record_weights")) read_weight_record(e.network, *t);
        if (e.network.populations().empty())
            throw Error(ErrorCode::invalid_network, r_.source() + ": the experiment has no [[population]]");
        return e;
    }

private:
    void read_settings(RunSettings& s) {
        const toml::node* node = doc_.get("experiment");
        if (!node) return;
        const toml::table& t = r_.table(*node, "file", "experiment");
        r_.only_keys(t, "[experiment]", experiment_keys);
        const std::string object = "[experiment]";
        if (const auto* v = t.get("name")) s.name = r_.name(*v, object, "name");
        if (const auto* v = t.get("duration")) s.duration = r_.positive(*v, object, "duration");
        if (const auto* v = t.get("dt")) s.dt = r_.positive(*v, object, "dt");
        if (const auto* v = t.get("seed")) s.seed = static_cast<Seed>(r_.integer(*v, object, "seed", 0));
        if (const auto* v = t.get("threads")) s.threads = static_cast<int>(r_.integer(*v, object, "threads", 0, 4096));
        if (const auto* v = t.get("precision")) s.precision = r_.choice(*v, object, "precision", {"float", "double"});
        if (const auto* v = t.get("backend")) s.backend = r_.string(*v, object, "backend");
    }

    void read_population(Network& net, const toml::table& t, bool stimulus) {
        const std::string section = stimulus ? "stimulus" : "population";
        const std::string name = r_.name(r_.require(t, t, "[[" + section + "]]", "name"), "[[" + section + "]]", "name");
        const std::string object = section + " '" + name + "'";
        const toml::node& model_node = r_.require(t, t, object, "model");
        const std::string model_name = r_.string(model_node, object, "model");
        const ModelInfo* model = nullptr;
        try {
            model = &model_info(model_name);
        } catch (const Error& error) {
            r_.fail(model_node, object, "model", error.what());
        }
        const bool is_neuron = model->kind == VertexKind::neuron;
        if (stimulus && is_neuron)
            r_.fail(model_node, object, "model", "'" + model_name + "' is a neuron model: declare it as a [[population]]");
        Index size = 1;
        if (const toml::node* v = t.get("size")) size = static_cast<Index>(r_.integer(*v, object, "size", 1, 0xffffffffLL));
        else if (model->kind != VertexKind::current_source && model->kind != VertexKind::generator &&
                 !(model->name == "spike_array" && t.get("spike_times")))
            r_.require(t, t, object, "size");
        std::set<std::string, std::less<>> reserved{"name", "model", "size"};
        if (stimulus) reserved.insert("inject");
        ParamMap params = read_model_params(r_, t, *model, object, reserved);
        if (model->name == "spike_array" && !t.get("size"))
            if (const auto* times = std::get_if<RaggedArray>(&params["spike_times"])) size = static_cast<Index>(times->size());
        try {
            net.add_population(name, *model, size, std::move(params));
        } catch (const Error& error) {
            r_.rethrow(t, error);
        }
        if (const toml::node* inject = t.get("inject")) {
            if (model->kind != VertexKind::current_source)
                r_.fail(*inject, object, "inject", "only a current source (step_current) is injected; connect spike sources with a [[projection]]");
            Injection injection{&t, name, "", nullptr};
            if (inject->is_string()) {
                injection.target = r_.string(*inject, object, "inject");
            } else {
                const toml::table& it = r_.table(*inject, object, "inject");
                r_.only_keys(it, object + " inject", {"target", "neurons"});
                injection.target = r_.string(r_.require(it, *inject, object + " inject", "target"), object, "inject.target");
                injection.neurons = it.get("neurons");
            }
            injections_.push_back(std::move(injection));
        }
    }

    void read_projection(Network& net, const toml::table& t) {
        r_.only_keys(t, "[[projection]]", {"name", "pre", "post", "connector", "weight", "delay", "receptor", "plasticity"});
        std::string name;
        if (const toml::node* v = t.get("name")) name = r_.name(*v, "[[projection]]", "name");
        const std::string pre = r_.string(r_.require(t, t, "[[projection]]", "pre"), "[[projection]]", "pre");
        const std::string post = r_.string(r_.require(t, t, "[[projection]]", "post"), "[[projection]]", "post");
        const std::string object = "projection '" + (name.empty() ? pre + " -> " + post : name) + "'";
        const Connector connector = read_connector(r_, r_.require(t, t, object, "connector"), object);
        SynapseSpec synapse;
        if (const toml::node* w = t.get("weight")) synapse.weight = r_.value_spec(*w, object, "weight");
        else if (!carries_weights(connector)) r_.require(t, t, object, "weight");
        if (const toml::node* d = t.get("delay")) synapse.delay = r_.value_spec(*d, object, "delay");
        if (const toml::node* v = t.get("receptor")) synapse.receptor = r_.string(*v, object, "receptor");
        if (const toml::node* p = t.get("plasticity")) synapse.plasticity = read_plasticity(*p, object);
        PopulationId pre_id, post_id;
        try {
            pre_id = net.population_id(pre);
        } catch (const Error& error) {
            r_.fail(*t.get("pre"), object, "pre", error.what());
        }
        try {
            post_id = net.population_id(post);
        } catch (const Error& error) {
            r_.fail(*t.get("post"), object, "post", error.what());
        }
        try {
            net.connect(pre_id, post_id, connector, std::move(synapse), name);
        } catch (const Error& error) {
            r_.rethrow(t, error);
        }
    }

    PlasticitySpec read_plasticity(const toml::node& node, const std::string& object) {
        const toml::table& t = r_.table(node, object, "plasticity");
        const std::string where = object + " plasticity";
        const toml::node& rule_node = r_.require(t, node, where, "rule");
        PlasticitySpec spec;
        try {
            spec.rule = &rule_info(r_.string(rule_node, where, "rule"));
        } catch (const Error& error) {
            r_.fail(rule_node, where, "rule", error.what());
        }
        if (const toml::node* a = t.get("axonal_delay")) spec.axonal_delay = r_.number(*a, where, "axonal_delay");
        spec.params = read_model_params(r_, t, *spec.rule, where, {"rule", "axonal_delay"});
        return spec;
    }

    // A list of neurons, or a count n meaning neurons 0 .. n-1, which must not exceed the
    // population's size: checked before the count is spelled out, since a count in the billions
    // would take gigabytes. An unknown population is left to the caller to report.
    std::vector<Index> read_neurons(const Network& net, const std::string& population, const toml::node& node,
                                    const std::string& object, std::string_view key) const {
        if (!node.is_array()) {
            const auto& all = net.populations();
            const auto known = std::find_if(all.begin(), all.end(), [&](const PopulationSpec& p) { return p.name == population; });
            if (known == all.end()) return {};
            r_.integer(node, object, key, 1, known->size);
        }
        return r_.neurons(node, object, key);
    }

    void read_record(Network& net, const toml::table& t) {
        r_.only_keys(t, "[[record]]", {"population", "variable", "neurons", "interval"});
        const std::string population = r_.string(r_.require(t, t, "[[record]]", "population"), "[[record]]", "population");
        const std::string object = "record of '" + population + "'";
        std::string variable = "spikes";
        if (const toml::node* v = t.get("variable")) variable = r_.string(*v, object, "variable");
        std::vector<Index> neurons;
        if (const toml::node* v = t.get("neurons")) neurons = read_neurons(net, population, *v, object, "neurons");
        double interval = 0.0;
        if (const toml::node* v = t.get("interval")) interval = r_.number(*v, object, "interval");
        try {
            net.record(net.population_id(population), variable, std::move(neurons), interval);
        } catch (const Error& error) {
            r_.rethrow(t, error);
        }
    }

    void read_weight_record(Network& net, const toml::table& t) {
        r_.only_keys(t, "[[record_weights]]", {"projection", "interval"});
        const std::string projection = r_.string(r_.require(t, t, "[[record_weights]]", "projection"), "[[record_weights]]", "projection");
        const std::string object = "record_weights of '" + projection + "'";
        const double interval = r_.positive(r_.require(t, t, object, "interval"), object, "interval");
        try {
            net.record_weights(net.projection_id(projection), interval);
        } catch (const Error& error) {
            r_.rethrow(t, error);
        }
    }

    struct Injection {
        const toml::table* table;
        std::string source, target;
        const toml::node* neurons; // list or count, read once the target's size is known
    };

    const Reader& r_;
    const toml::table& doc_;
    std::vector<Injection> injections_;
};

// Sweep axes: [sweep] repetitions, [sweep.grid] name = [values], [sweep.zip] name = [values].
struct Axis {
    std::string name;
    std::vector<SweepValue> values;
    const toml::node* node = nullptr;
    bool zipped = false;
};

std::vector<Axis> read_axes(const Reader& r, const toml::table& sweep, std::string_view kind, bool zipped) {
    std::vector<Axis> axes;
    const toml::node* node = sweep.get(kind);
    if (!node) return axes;
    const toml::table& table = r.table(*node, "[sweep]", std::string(kind));
    for (const auto& [key, value] : table) {
        Axis axis{std::string(key.str()), {}, &value, zipped};
        const toml::array* list = value.as_array();
        if (!list || list->empty())
            r.fail(value, "[sweep." + std::string(kind) + "]", axis.name, "must be a non-empty list of values");
        for (const toml::node& item : *list) {
            if (item.is_string()) axis.values.emplace_back(*item.value<std::string>());
            else axis.values.emplace_back(r.number(item, "[sweep." + std::string(kind) + "]", axis.name));
        }
        axes.push_back(std::move(axis));
    }
    // Tables are stored by key; the file's order is the order of appearance.
    std::sort(axes.begin(), axes.end(), [](const Axis& a, const Axis& b) {
        const auto pa = a.node->source().begin, pb = b.node->source().begin;
        return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    return axes;
}

// Sets `path` (a [parameters] name, or section.name.key..., or experiment.key) in a copy of
// the document to `value`.
void apply_override(const Reader& r, toml::table& doc, const std::string& path, const SweepValue& value,
                    const toml::node* axis_node) {
    // A sweep axis is reported at its line; a value set on the command line by its option.
    auto fail = [&](const std::string& what) {
        if (axis_node) r.fail(*axis_node, "[sweep]", path, what);
        throw Error(ErrorCode::invalid_parameter, r.source() + ": --set " + path + ": " + what);
    };
    auto make_node = [&](toml::table& table, const std::string& key) {
        if (const auto* number = std::get_if<double>(&value)) {
            const double rounded = std::nearbyint(*number);
            if (rounded == *number && std::fabs(rounded) < 9e15) table.insert_or_assign(key, static_cast<std::int64_t>(rounded));
            else table.insert_or_assign(key, *number);
        } else {
            table.insert_or_assign(key, std::get<std::string>(value));
        }
    };
    std::vector<std::string> parts;
    std::stringstream stream(path);
    for (std::string part; std::getline(stream, part, '.');) parts.push_back(part);
    if (parts.empty()) fail("an axis needs a name: a [parameters] name or a path such as population.exc.tau_m");
    if (parts.size() == 1) {
        toml::table* parameters = doc["parameters"].as_table();
        if (!parameters || !parameters->get(parts[0]))
            fail("is neither a name under [parameters] nor a path such as population.exc.tau_m, "
                   "projection.ee.weight, stimulus.noise.rate or experiment.duration");
        make_node(*parameters, parts[0]);
        return;
    }
    toml::table* table = nullptr;
    std::size_t next = 1;
    if (parts[0] == "experiment" || parts[0] == "parameters") {
        if (!doc[parts[0]].as_table()) doc.insert_or_assign(parts[0], toml::table{});
        table = doc[parts[0]].as_table();
    } else if (parts[0] == "population" || parts[0] == "stimulus" || parts[0] == "projection") {
        if (parts.size() < 3) fail("needs " + parts[0] + ".<name>.<key>");
        if (toml::array* list = doc[parts[0]].as_array())
            for (toml::node& item : *list)
                if (toml::table* t = item.as_table(); t && t->get(std::string_view("name")) &&
                                                      t->get("name")->value<std::string>() == parts[1])
                    table = t;
        if (!table) fail("there is no [[" + parts[0] + "]] named '" + parts[1] + "'");
        next = 2;
    } else {
        fail("unknown section '" + parts[0] + "' (experiment, parameters, population, stimulus, projection)");
    }
    for (; next + 1 < parts.size(); ++next) {
        toml::node* child = table->get(parts[next]);
        if (!child) {
            table->insert_or_assign(parts[next], toml::table{});
            child = table->get(parts[next]);
        }
        if (!child->as_table()) fail("'" + parts[next] + "' is not a table");
        table = child->as_table();
    }
    make_node(*table, parts.back());
}

} // namespace

struct ExperimentFile::Impl {
    std::string source;
    std::string text; // kept so sweep points re-read the same document
    toml::table doc;
    RunSettings settings;
    std::vector<std::string> axis_names;
    std::vector<Axis> axes;
    std::vector<SweepPoint> points;
    Overrides overrides;
    bool sweep = false;
};

ExperimentFile::ExperimentFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ExperimentFile::ExperimentFile(ExperimentFile&&) noexcept = default;
ExperimentFile& ExperimentFile::operator=(ExperimentFile&&) noexcept = default;
ExperimentFile::~ExperimentFile() = default;

ExperimentFile ExperimentFile::load(const std::string& path, Overrides overrides) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorCode::io, path + ": cannot open the experiment file (" + std::string(std::strerror(errno)) + ")");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw Error(ErrorCode::io, path + ": cannot read the experiment file");
    return parse(text.str(), path, std::move(overrides));
}

ExperimentFile ExperimentFile::parse(std::string_view text, std::string source_name, Overrides overrides) {
    auto impl = std::make_unique<Impl>();
    impl->overrides = std::move(overrides);
    impl->source = std::move(source_name);
    impl->text = std::string(text);
    impl->doc = toml_reader::parse_document(impl->text, impl->source);
    const Reader reader(impl->source, &impl->doc);
    SweepPoint single;
    impl->points = {single};

    if (const toml::node* node = impl->doc.get("sweep")) {
        const toml::table& sweep = reader.table(*node, "file", "sweep");
        reader.only_keys(sweep, "[sweep]", {"repetitions", "grid", "zip"});
        std::uint32_t repetitions = 1;
        if (const toml::node* v = sweep.get("repetitions"))
            repetitions = static_cast<std::uint32_t>(reader.integer(*v, "[sweep]", "repetitions", 1, 100000));
        std::vector<Axis> grid = read_axes(reader, sweep, "grid", false);
        std::vector<Axis> zipped = read_axes(reader, sweep, "zip", true);
        for (const Axis& axis : zipped)
            if (axis.values.size() != zipped.front().values.size())
                reader.fail(*axis.node, "[sweep.zip]", axis.name,
                            "has " + std::to_string(axis.values.size()) + " values but '" + zipped.front().name + "' has " +
                                std::to_string(zipped.front().values.size()) + ": zipped lists move together");
        impl->axes = grid;
        impl->axes.insert(impl->axes.end(), zipped.begin(), zipped.end());
        std::set<std::string> seen;
        for (const Axis& axis : impl->axes) {
            if (!seen.insert(axis.name).second) reader.fail(*axis.node, "[sweep]", axis.name, "is swept twice");
            impl->axis_names.push_back(axis.name);
        }
        // Grid axes in file order (the first varies slowest), then the zipped lists, then repetitions.
        std::vector<std::size_t> sizes;
        for (const Axis& axis : grid) sizes.push_back(axis.values.size());
        if (!zipped.empty()) sizes.push_back(zipped.front().values.size());
        std::size_t total = repetitions;
        for (std::size_t s : sizes) {
            total *= s;
            if (total > 1000000) throw Error(ErrorCode::invalid_parameter, impl->source + ": [sweep] has more than 1,000,000 points");
        }
        impl->points.clear();
        for (std::size_t index = 0; index < total; ++index) {
            SweepPoint point;
            point.index = index;
            point.repetition = static_cast<std::uint32_t>(index % repetitions);
            std::size_t rest = index / repetitions;
            std::vector<std::size_t> digit(sizes.size());
            for (std::size_t k = sizes.size(); k-- > 0;) {
                digit[k] = rest % sizes[k];
                rest /= sizes[k];
            }
            for (std::size_t a = 0; a < grid.size(); ++a) point.values.emplace_back(grid[a].name, grid[a].values[digit[a]]);
            for (const Axis& axis : zipped) point.values.emplace_back(axis.name, axis.values[digit.back()]);
            impl->points.push_back(std::move(point));
        }
        impl->sweep = true;
    }
    ExperimentFile file(std::move(impl));
    // Every point is built once here, so a fault in any of them is reported before anything runs.
    for (const SweepPoint& point : file.impl_->points) {
        Experiment e = file.build(point);
        if (point.index == 0) file.impl_->settings = e.settings; // point 0 is repetition 0
    }
    return file;
}

const std::string& ExperimentFile::source() const { return impl_->source; }
const RunSettings& ExperimentFile::settings() const { return impl_->settings; }
bool ExperimentFile::is_sweep() const { return impl_->sweep; }
const std::vector<std::string>& ExperimentFile::axes() const { return impl_->axis_names; }
const std::vector<SweepPoint>& ExperimentFile::points() const { return impl_->points; }

Experiment ExperimentFile::build(const SweepPoint& point) const {
    // Parsed afresh rather than copied: copies of TOML nodes lose their line numbers.
    toml::table doc = toml_reader::parse_document(impl_->text, impl_->source);
    const Reader base(impl_->source, &impl_->doc);
    for (const auto& [name, value] : impl_->overrides) apply_override(base, doc, name, value, nullptr);
    for (const auto& [name, value] : point.values) {
        const auto axis = std::find_if(impl_->axes.begin(), impl_->axes.end(), [&axis_name = name](const Axis& a) { return a.name == axis_name; });
        if (axis == impl_->axes.end()) throw Error(ErrorCode::invalid_parameter, impl_->source + ": no sweep axis '" + name + "'");
        apply_override(base, doc, name, value, axis->node);
    }
    const Reader reader(impl_->source, &doc);
    try {
        Experiment e = Builder(reader, doc).build();
        e.settings.seed += point.repetition;
        e.point = point;
        std::ostringstream text;
        text << doc;
        e.resolved = text.str();
        return e;
    } catch (const Error& error) {
        if (!impl_->sweep) throw;
        std::string values;
        for (const auto& [name, value] : point.values) values += (values.empty() ? "" : ", ") + name + " = " + describe(value);
        throw Error(error.code(), std::string(error.what()) + " [sweep point " + std::to_string(point.index) +
                                      (values.empty() ? "" : ": " + values) + "]");
    }
}

} // namespace spikegraph
