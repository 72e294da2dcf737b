#pragma once
// The network description: populations and sources are the vertices of a Boost.Graph, projections
// and current injections its edges. Pure data: no backend types, nothing random resolved yet.
// Every mutating call validates first and changes nothing when it throws.
#include <string>
#include <string_view>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "core/connector.hpp"
#include "core/model_info.hpp"
#include "core/types.hpp"

namespace spikegraph {

struct PopulationSpec {
    std::string name;
    const ModelInfo* model = nullptr; // static storage, owned by the model registry
    Index size = 0;
    ParamMap params; // parameters and initial values, as given (defaults are the model's)
};

struct ProjectionSpec {
    std::string name;
    PopulationId pre;
    PopulationId post;
    Connector connector;
    SynapseSpec synapse;
    int receptor = 0; // index into the post model's receptors
};

struct InjectionSpec {
    PopulationId source; // a current source
    PopulationId target; // a neuron population
    std::vector<Index> neurons; // empty: all
};

struct RecordSpec {
    PopulationId population;
    std::string variable;       // "spikes" or a state variable
    std::vector<Index> neurons; // empty: all
    double interval = 0.0;      // ms between samples of a state variable; 0: every step
};

struct WeightRecordSpec {
    ProjectionId projection;
    double interval = 0.0; // ms between snapshots
};

class Network {
public:
    enum class EdgeKind { projection, injection };
    struct VertexData {
        std::uint32_t population = 0;
    };
    struct EdgeData {
        EdgeKind kind = EdgeKind::projection;
        std::uint32_t index = 0;
    };
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexData, EdgeData>;

    PopulationId add_population(std::string name, const ModelInfo& model, Index size, ParamMap params = {});
    ProjectionId connect(PopulationId pre, PopulationId post, Connector connector, SynapseSpec synapse,
                         std::string name = "");
    void inject(PopulationId source, PopulationId target, std::vector<Index> neurons = {});
    void record(PopulationId population, std::string variable, std::vector<Index> neurons = {},
                double interval = 0.0);
    // Snapshots of every weight of a projection each `interval` ms (a whole number of steps).
    void record_weights(ProjectionId projection, double interval);

    // Whole-network checks (graph walk); compile() calls it before anything is allocated.
    void validate() const;

    PopulationId population_id(std::string_view name) const; // throws invalid_network if unknown
    const PopulationSpec& population(PopulationId id) const { return populations_.at(id.value); }
    const ProjectionSpec& projection(ProjectionId id) const { return projections_.at(id.value); }
    ProjectionId projection_id(std::string_view name) const;

    const std::vector<PopulationSpec>& populations() const { return populations_; }
    const std::vector<ProjectionSpec>& projections() const { return projections_; }
    const std::vector<InjectionSpec>& injections() const { return injections_; }
    const std::vector<RecordSpec>& records() const { return records_; }
    const std::vector<WeightRecordSpec>& weight_records() const { return weight_records_; }
    const Graph& graph() const { return graph_; }

    // Projections that end on `post`, in the order they were made (a graph query).
    std::vector<ProjectionId> incoming(PopulationId post) const;

private:
    void check_population(PopulationId id, std::string_view role) const;

    std::vector<PopulationSpec> populations_;
    std::vector<ProjectionSpec> projections_;
    std::vector<InjectionSpec> injections_;
    std::vector<RecordSpec> records_;
    std::vector<WeightRecordSpec> weight_records_;
    Graph graph_;
};

} // namespace spikegraph
