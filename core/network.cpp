#include "core/network.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"

namespace spikegraph {

namespace {

std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

// Names become HDF5 group names and file paths: no '/', no control characters, not "." or "..".
void check_name(const std::string& name, const std::string& kind) {
    const bool bad = name.empty() || name == "." || name == ".." ||
                     std::any_of(name.begin(), name.end(), [](char c) { return c == '/' || (static_cast<unsigned char>(c) < 32); });
    if (bad)
        throw Error(ErrorCode::invalid_network, kind + " name " + quoted(name) +
                                                    " is invalid: it must be non-empty, not '.' or '..', and contain no '/' "
                                                    "or control characters");
}

[[noreturn]] void fail_network(const std::string& message) { throw Error(ErrorCode::invalid_network, message); }

void check_weight_value(double w, bool non_negative, const std::string& object, const std::string& field) {
    if (!std::isfinite(w)) fail_parameter(object, field, w, "", "weights must be finite numbers");
    if (non_negative && w < 0.0)
        fail_parameter(object, field, w, "uS", "conductance-based synapses need weights >= 0");
}

void check_weight_list(const std::vector<double>& list, bool non_negative, const std::string& object) {
    for (std::size_t i = 0; i < list.size(); ++i)
        check_weight_value(list[i], non_negative, object, "weight[" + std::to_string(i) + "]");
}

void check_weights(const ValueSpec& weight, bool non_negative, const std::string& object) {
    if (const auto* w = std::get_if<double>(&weight)) {
        check_weight_value(*w, non_negative, object, "weight");
    } else if (const auto* list = std::get_if<std::vector<double>>(&weight)) {
        check_weight_list(*list, non_negative, object);
    } else {
        const auto& distribution = std::get<Distribution>(weight);
        distribution.validate(object, "weight");
        if (non_negative && distribution.support_min() < 0.0)
            throw Error(ErrorCode::invalid_parameter,
                        object + ": weight " + distribution.describe() +
                            " can draw negative conductances; use a clipped or lognormal distribution");
    }
}

// A learning rule: its parameters, a presynaptic side that sends spikes through the synapses,
// weights that stay valid for the target, and an axonal delay below the synaptic delay (checked
// here for one delay, at compile time for delays drawn or listed per synapse).
void check_plasticity(const SynapseSpec& synapse, const PopulationSpec& pre, const PopulationSpec& post,
                      const std::string& object) {
    const PlasticitySpec& plasticity = *synapse.plasticity;
    if (plasticity.rule == nullptr) fail_network(object + ": the plasticity rule is missing");
    const ModelInfo& rule = *plasticity.rule;
    const std::string where = object + " plasticity (" + std::string(rule.name) + ")";
    check_param_map(rule, plasticity.params, 1, where);
    if (pre.model->kind == VertexKind::generator)
        fail_network(where + ": the presynaptic " + quoted(pre.name) +
                     " is a poisson_generator, whose synapses receive independent trains and no presynaptic spikes; "
                     "use a poisson population for plastic synapses");
    if (post.model->conductance_based && rule.find_param("w_min")) {
        const double w_min = param_or_default(rule, plasticity.params, "w_min");
        if (w_min < 0.0) fail_parameter(where, "w_min", w_min, "uS", "conductance-based synapses need weights >= 0");
    }
    // One delay is checked here; delays drawn or listed per synapse are checked at compile time.
    const bool one_delay = !synapse.delay || std::holds_alternative<double>(*synapse.delay);
    const double delay = synapse.delay && one_delay ? std::get<double>(*synapse.delay) : 0.0; // 0: one step
    if (!(std::isfinite(plasticity.axonal_delay) && plasticity.axonal_delay >= 0.0) ||
        (synapse.delay && one_delay && !(plasticity.axonal_delay < delay)))
        fail_parameter(where, "axonal_delay", plasticity.axonal_delay, "ms",
                       "it must be >= 0 and below the synaptic delay (" + (synapse.delay ? format_number(delay) + " ms" : std::string("one step")) + ")");
}

void check_delay_value(double d, const std::string& object, const std::string& field) {
    if (!(std::isfinite(d) && d > 0.0)) fail_parameter(object, field, d, "ms", "delays must be > 0");
}

void check_delay_list(const std::vector<double>& list, const std::string& object) {
    for (std::size_t i = 0; i < list.size(); ++i) check_delay_value(list[i], object, "delay[" + std::to_string(i) + "]");
}

void check_delays(const ValueSpec& delay, const std::string& object) {
    if (const auto* d = std::get_if<double>(&delay)) {
        check_delay_value(*d, object, "delay");
    } else if (const auto* list = std::get_if<std::vector<double>>(&delay)) {
        check_delay_list(*list, object);
    } else {
        const auto& distribution = std::get<Distribution>(delay);
        distribution.validate(object, "delay");
        if (!(distribution.support_min() > 0.0))
            throw Error(ErrorCode::invalid_parameter,
                        object + ": delay " + distribution.describe() +
                            " can draw delays <= 0; use normal_clipped with low >= dt, or uniform");
    }
}

void check_index_list(const std::vector<Index>& indices, Index size, const std::string& object,
                      const std::string& field) {
    for (std::size_t i = 0; i < indices.size(); ++i)
        if (indices[i] >= size)
            throw Error(ErrorCode::invalid_network, object + ": " + field + "[" + std::to_string(i) + "] = " +
                                                        std::to_string(indices[i]) + " is out of range (size " +
                                                        std::to_string(size) + ")");
}

void check_array_size(std::size_t got, std::size_t want, const std::string& object, const std::string& field) {
    if (got != want)
        throw Error(ErrorCode::invalid_network, object + ": " + field + " has " + std::to_string(got) +
                                                    " entries but needs " + std::to_string(want));
}

// Connector checks that need the two populations; `synapses` returns the count when it is fixed.
void check_connector(const Connector& connector, const PopulationSpec& pre, const PopulationSpec& post,
                     bool same, bool non_negative, const std::string& object) {
    const std::uint64_t n_pre = pre.size, n_post = post.size;
    auto degree_limit = [&](std::uint64_t n, std::uint64_t candidates, bool allow_self, bool multapses,
                            std::string_view side) {
        const std::uint64_t available = candidates - ((same && !allow_self) ? 1 : 0);
        if (!multapses && n > available)
            throw Error(ErrorCode::invalid_network,
                        object + ": " + std::string(side) + " n = " + std::to_string(n) + " exceeds the " +
                            std::to_string(available) + " distinct partners available without multapses");
        if (multapses && n > 0 && available == 0)
            throw Error(ErrorCode::invalid_network, object + ": no partner is available for " + std::string(side));
    };
    if (const auto* one = std::get_if<OneToOne>(&connector)) {
        (void)one;
        if (n_pre != n_post)
            fail_network(object + ": one_to_one needs equal sizes, but " + quoted(pre.name) + " has " +
                         std::to_string(n_pre) + " and " + quoted(post.name) + " has " + std::to_string(n_post));
    } else if (const auto* probability = std::get_if<FixedProbability>(&connector)) {
        if (!(probability->p >= 0.0 && probability->p <= 1.0))
            fail_parameter(object, "p", probability->p, "", "a connection probability must lie in [0, 1]");
    } else if (const auto* in_degree = std::get_if<FixedInDegree>(&connector)) {
        degree_limit(in_degree->n, n_pre, in_degree->allow_self_connections, in_degree->allow_multapses, "fixed_in_degree");
    } else if (const auto* out_degree = std::get_if<FixedOutDegree>(&connector)) {
        degree_limit(out_degree->n, n_post, out_degree->allow_self_connections, out_degree->allow_multapses, "fixed_out_degree");
    } else if (const auto* total = std::get_if<FixedTotalNumber>(&connector)) {
        const std::uint64_t pairs = n_pre * n_post - ((same && !total->allow_self_connections) ? n_pre : 0);
        if (!total->allow_multapses && total->n > pairs)
            fail_network(object + ": fixed_total_number n = " + std::to_string(total->n) + " exceeds the " +
                         std::to_string(pairs) + " distinct pairs available without multapses");
        if (total->n > 0 && pairs == 0) fail_network(object + ": fixed_total_number has no pair to connect");
    } else if (const auto* list = std::get_if<FromList>(&connector)) {
        check_array_size(list->post.size(), list->pre.size(), object, "post");
        check_index_list(list->pre, pre.size, object, "pre");
        check_index_list(list->post, post.size, object, "post");
        if (!list->weights.empty()) {
            check_array_size(list->weights.size(), list->pre.size(), object, "weights");
            check_weight_list(list->weights, non_negative, object);
        }
        if (!list->delays.empty()) {
            check_array_size(list->delays.size(), list->pre.size(), object, "delays");
            check_delay_list(list->delays, object);
        }
    } else if (const auto* dense = std::get_if<FromDenseMatrix>(&connector)) {
        if (dense->rows != n_pre || dense->cols != n_post)
            fail_network(object + ": the weight matrix is " + std::to_string(dense->rows) + "x" + std::to_string(dense->cols) +
                         " but the populations need " + std::to_string(n_pre) + "x" + std::to_string(n_post));
        check_array_size(dense->weights.size(), n_pre * n_post, object, "weights");
        check_weight_list(dense->weights, non_negative, object);
        if (!dense->delays.empty()) {
            check_array_size(dense->delays.size(), n_pre * n_post, object, "delays");
            for (std::size_t i = 0; i < dense->delays.size(); ++i)
                if (dense->weights[i] != 0.0) check_delay_value(dense->delays[i], object, "delay[" + std::to_string(i) + "]");
        }
    } else if (const auto* sparse = std::get_if<FromSparseMatrix>(&connector)) {
        if (sparse->rows != n_pre || sparse->cols != n_post)
            fail_network(object + ": the sparse matrix is " + std::to_string(sparse->rows) + "x" + std::to_string(sparse->cols) +
                         " but the populations need " + std::to_string(n_pre) + "x" + std::to_string(n_post));
        check_array_size(sparse->indptr.size(), n_pre + 1, object, "indptr");
        if (sparse->indptr.front() != 0 || !std::is_sorted(sparse->indptr.begin(), sparse->indptr.end()) ||
            sparse->indptr.back() != sparse->indices.size())
            fail_network(object + ": indptr must start at 0, never decrease and end at the number of entries");
        check_index_list(sparse->indices, post.size, object, "indices");
        check_array_size(sparse->weights.size(), sparse->indices.size(), object, "weights");
        check_weight_list(sparse->weights, non_negative, object);
        if (!sparse->delays.empty()) {
            check_array_size(sparse->delays.size(), sparse->indices.size(), object, "delays");
            check_delay_list(sparse->delays, object);
        }
    }
}

} // namespace

PopulationId Network::add_population(std::string name, const ModelInfo& model, Index size, ParamMap params) {
    const std::string object = std::string(model.kind == VertexKind::neuron ? "population " : "source ") + quoted(name);
    check_name(name, "population");
    for (const auto& existing : populations_)
        if (existing.name == name) fail_network(object + ": the name is already used");
    if (size == 0) fail_parameter(object, "size", 0.0, "", "a population needs at least one neuron");
    check_param_map(model, params, size, object + " (" + std::string(model.name) + ")");

    const PopulationId id{static_cast<std::uint32_t>(populations_.size())};
    populations_.push_back(PopulationSpec{std::move(name), &model, size, std::move(params)});
    boost::add_vertex(VertexData{id.value}, graph_);
    return id;
}

ProjectionId Network::connect(PopulationId pre, PopulationId post, Connector connector, SynapseSpec synapse,
                              std::string name) {
    check_population(pre, "presynaptic");
    check_population(post, "postsynaptic");
    const PopulationSpec& pre_spec = populations_[pre.value];
    const PopulationSpec& post_spec = populations_[post.value];
    if (name.empty()) {
        name = pre_spec.name + "->" + post_spec.name;
        const std::string base = name;
        for (int copy = 2; std::any_of(projections_.begin(), projections_.end(),
                                       [&](const ProjectionSpec& p) { return p.name == name; });
             ++copy)
            name = base + "#" + std::to_string(copy);
    }
    check_name(name, "projection");
    const std::string object = "projection " + quoted(name);
    for (const auto& existing : projections_)
        if (existing.name == name) fail_network(object + ": the name is already used");
    if (!pre_spec.model->spiking)
        fail_network(object + ": the presynaptic " + quoted(pre_spec.name) + " (" + std::string(pre_spec.model->name) +
                     ") emits no spikes");
    if (post_spec.model->kind != VertexKind::neuron)
        fail_network(object + ": the postsynaptic " + quoted(post_spec.name) + " is a source and cannot receive synapses");
    const int receptor = post_spec.model->receptor_index(synapse.receptor);
    if (receptor < 0) {
        std::string known;
        for (auto r : post_spec.model->receptors) known += (known.empty() ? "'" : ", '") + std::string(r) + "'";
        fail_network(object + ": receptor '" + synapse.receptor + "' does not exist on model '" +
                     std::string(post_spec.model->name) + "' (known: " + known + ")");
    }
    const bool non_negative = post_spec.model->conductance_based;
    check_connector(connector, pre_spec, post_spec, pre == post, non_negative, object);
    if (!carries_weights(connector)) {
        if (std::holds_alternative<std::vector<double>>(synapse.weight)) {
            const auto* list = std::get_if<FromList>(&connector);
            if (!list)
                fail_network(object + ": per-synapse weight arrays need a from_list connector (the synapse order "
                                      "of a random connector is not known in advance)");
            check_array_size(std::get<std::vector<double>>(synapse.weight).size(), list->pre.size(), object, "weight");
        }
        check_weights(synapse.weight, non_negative, object);
    }
    if (synapse.delay) {
        if (std::holds_alternative<std::vector<double>>(*synapse.delay)) {
            const auto* list = std::get_if<FromList>(&connector);
            if (!list) fail_network(object + ": per-synapse delay arrays need a from_list connector");
            check_array_size(std::get<std::vector<double>>(*synapse.delay).size(), list->pre.size(), object, "delay");
        }
        check_delays(*synapse.delay, object);
    }
    if (synapse.plasticity) check_plasticity(synapse, pre_spec, post_spec, object);

    const ProjectionId id{static_cast<std::uint32_t>(projections_.size())};
    projections_.push_back(ProjectionSpec{std::move(name), pre, post, std::move(connector), std::move(synapse), receptor});
    boost::add_edge(pre.value, post.value, EdgeData{EdgeKind::projection, id.value}, graph_);
    return id;
}

void Network::inject(PopulationId source, PopulationId target, std::vector<Index> neurons) {
    check_population(source, "current source");
    check_population(target, "injection target");
    const auto& source_spec = populations_[source.value];
    const auto& target_spec = populations_[target.value];
    const std::string object = "injection " + quoted(source_spec.name) + " -> " + quoted(target_spec.name);
    if (source_spec.model->kind != VertexKind::current_source)
        fail_network(object + ": " + quoted(source_spec.name) + " is not a current source");
    if (target_spec.model->kind != VertexKind::neuron)
        fail_network(object + ": " + quoted(target_spec.name) + " is not a neuron population");
    check_index_list(neurons, target_spec.size, object, "neurons");
    std::vector<Index> sorted = neurons;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
        fail_network(object + ": a neuron is listed twice (the current would be injected twice)");
    injections_.push_back(InjectionSpec{source, target, std::move(neurons)});
    boost::add_edge(source.value, target.value,
                    EdgeData{EdgeKind::injection, static_cast<std::uint32_t>(injections_.size() - 1)}, graph_);
}

void Network::record(PopulationId population, std::string variable, std::vector<Index> neurons, double interval) {
    check_population(population, "recorded population");
    const auto& spec = populations_[population.value];
    const std::string object = "recording of " + quoted(spec.name);
    if (variable == "spikes") {
        if (spec.model->kind == VertexKind::generator)
            fail_network(object + ": a generator sends every target its own train; record the targets instead");
        if (!spec.model->spiking)
            fail_network(object + ": model '" + std::string(spec.model->name) + "' emits no spikes");
    } else if (!spec.model->find_state(variable)) {
        std::string known = spec.model->spiking ? "'spikes'" : "";
        for (const auto& var : spec.model->state) known += (known.empty() ? "'" : ", '") + std::string(var.name) + "'";
        fail_network(object + ": '" + variable + "' is not a recordable variable of model '" +
                     std::string(spec.model->name) + "' (known: " + known + ")");
    }
    if (!(std::isfinite(interval) && interval >= 0.0))
        fail_parameter(object, "interval", interval, "ms", "it must be >= 0 (0 records every step)");
    check_index_list(neurons, spec.size, object, "neurons");
    std::vector<Index> sorted = neurons;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
        fail_network(object + ": a neuron is listed twice");
    for (const auto& existing : records_)
        if (existing.population == population && existing.variable == variable)
            fail_network(object + ": '" + variable + "' is already recorded");
    records_.push_back(RecordSpec{population, std::move(variable), std::move(neurons), interval});
}

void Network::record_weights(ProjectionId projection, double interval) {
    if (projection.value >= projections_.size())
        fail_network("record_weights: projection " + std::to_string(projection.value) + " does not exist");
    const std::string object = "weight recording of " + quoted(projections_[projection.value].name);
    if (!(std::isfinite(interval) && interval > 0.0))
        fail_parameter(object, "interval", interval, "ms", "it must be > 0 (a whole number of time steps)");
    for (const auto& existing : weight_records_)
        if (existing.projection == projection) fail_network(object + ": the weights are already recorded");
    weight_records_.push_back(WeightRecordSpec{projection, interval});
}

void Network::validate() const {
    if (populations_.empty()) fail_network("the network has no populations");
    // Every edge of the graph must join two existing vertices of the right kinds.
    for (auto [edge, end] = boost::edges(graph_); edge != end; ++edge) {
        const auto& data = graph_[*edge];
        const auto source = boost::source(*edge, graph_), target = boost::target(*edge, graph_);
        if (source >= populations_.size() || target >= populations_.size())
            throw Error(ErrorCode::internal, "graph edge with an unknown endpoint");
        if (data.kind == EdgeKind::projection) {
            const auto& projection = projections_.at(data.index);
            if (projection.pre.value != source || projection.post.value != target)
                throw Error(ErrorCode::internal, "projection " + quoted(projection.name) + " disagrees with the graph");
        }
    }
}

namespace {
// Index of the item called `name`, or an invalid_network error listing the known names.
template <class Items>
std::uint32_t find_by_name(const Items& items, std::string_view name, std::string_view kind, std::string_view none) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].name == name) return static_cast<std::uint32_t>(i);
    std::string known;
    for (const auto& item : items) known += (known.empty() ? "'" : ", '") + item.name + "'";
    fail_network("unknown " + std::string(kind) + " " + quoted(name) +
                 (known.empty() ? " (" + std::string(none) + ")" : " (known: " + known + ")"));
}
} // namespace

PopulationId Network::population_id(std::string_view name) const {
    return PopulationId{find_by_name(populations_, name, "population", "the network is empty")};
}

ProjectionId Network::projection_id(std::string_view name) const {
    return ProjectionId{find_by_name(projections_, name, "projection", "the network has none")};
}

std::vector<ProjectionId> Network::incoming(PopulationId post) const {
    std::vector<ProjectionId> result;
    for (auto [edge, end] = boost::in_edges(post.value, graph_); edge != end; ++edge)
        if (graph_[*edge].kind == EdgeKind::projection) result.push_back(ProjectionId{graph_[*edge].index});
    std::sort(result.begin(), result.end(), [](ProjectionId a, ProjectionId b) { return a.value < b.value; });
    return result;
}

void Network::check_population(PopulationId id, std::string_view role) const {
    if (id.value >= populations_.size())
        fail_network("unknown " + std::string(role) + " population id " + std::to_string(id.value) + " (the network has " +
                     std::to_string(populations_.size()) + ")");
}

} // namespace spikegraph
