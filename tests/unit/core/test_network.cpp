// Network validation: every invalid input raises an error naming the culprit and changes nothing.
#include <cmath>
#include <limits>

#include "support.hpp"

using namespace spikegraph;
using test::check_error;

namespace {
const double not_a_number = std::numeric_limits<double>::quiet_NaN();
Network two_populations() {
    Network net;
    net.add_population("exc", model_info("cuba_lif"), 10);
    net.add_population("inh", model_info("coba_lif"), 5);
    return net;
}
} // namespace

TEST_SUITE("core") {
TEST_CASE("a negative time constant is refused, naming population, field and value") {
    Network net;
    check_error([&] { net.add_population("exc", model_info("lif"), 10, {{"tau_m", -5.0}}); },
                ErrorCode::invalid_parameter, {"'exc'", "tau_m", "-5", "> 0"});
    check_error([&] { net.add_population("e", model_info("cuba_lif"), 10, {{"tau_syn_e", 0.0}}); },
                ErrorCode::invalid_parameter, {"tau_syn_e", "0"});
    CHECK(net.populations().empty()); // nothing was added
}

TEST_CASE("size zero, duplicate names and unknown models are refused") {
    Network net;
    check_error([&] { net.add_population("empty", model_info("lif"), 0); }, ErrorCode::invalid_parameter,
                {"'empty'", "size", "0"});
    net.add_population("a", model_info("lif"), 1);
    check_error([&] { net.add_population("a", model_info("lif"), 1); }, ErrorCode::invalid_network, {"'a'", "already"});
    check_error([&] { model_info("hodgkin_huxley"); }, ErrorCode::invalid_parameter, {"hodgkin_huxley", "cuba_lif"});
}

TEST_CASE("names with '/' or control characters are refused (they become HDF5 paths)") {
    Network net;
    check_error([&] { net.add_population("exc/a", model_info("lif"), 1); }, ErrorCode::invalid_network, {"'exc/a'", "'/'"});
    check_error([&] { net.add_population("..", model_info("lif"), 1); }, ErrorCode::invalid_network, {"'..'"});
    const auto a = net.add_population("a", model_info("lif"), 1);
    check_error([&] { net.connect(a, a, OneToOne{}, SynapseSpec{}, "a/b"); }, ErrorCode::invalid_network, {"'a/b'"});
}

TEST_CASE("unknown parameters, wrong kinds and cross-field rules are refused") {
    Network net;
    check_error([&] { net.add_population("p", model_info("lif"), 3, {{"tau_syn_e", 5.0}}); },
                ErrorCode::invalid_parameter, {"tau_syn_e", "model 'lif'", "tau_m"});
    check_error([&] { net.add_population("p", model_info("lif"), 3, {{"tau_m", std::string("fast")}}); },
                ErrorCode::invalid_parameter, {"tau_m", "string", "number"});
    check_error([&] { net.add_population("p", model_info("lif"), 3, {{"v_reset", -40.0}, {"v_th", -50.0}}); },
                ErrorCode::invalid_parameter, {"v_reset", "-40", "v_th"});
    check_error([&] { net.add_population("p", model_info("lif"), 3, {{"reset", std::string("zero")}}); },
                ErrorCode::invalid_parameter, {"reset", "zero", "subtract"});
    check_error([&] { net.add_population("p", model_info("lif"), 3, {{"i_offset", std::vector<double>{1, 2}}}); },
                ErrorCode::invalid_parameter, {"i_offset", "2 values", "3 neurons"});
    check_error([&] { net.add_population("p", model_info("lif"), 3, {{"v", Distribution::uniform(1.0, 1.0)}}); },
                ErrorCode::invalid_parameter, {"v uniform(1, 1)", "low < high"});
    check_error([&] { net.add_population("p", model_info("lif"), 3, {{"v_th", not_a_number}}); }, ErrorCode::invalid_parameter,
                {"v_th", "nan"});
    check_error([&] { net.add_population("src", model_info("poisson"), 3, {{"rate", -1.0}}); },
                ErrorCode::invalid_parameter, {"rate", "-1", ">= 0"});
    check_error([&] { net.add_population("src", model_info("poisson"), 3, {{"start", 10.0}, {"stop", 5.0}}); },
                ErrorCode::invalid_parameter, {"stop", "5", "start"});
    check_error([&] {
        net.add_population("cur", model_info("step_current"), 1,
                           {{"times", std::vector<double>{10, 5}}, {"amplitudes", std::vector<double>{1, 2}}});
    }, ErrorCode::invalid_parameter, {"times[1]", "increase"});
    CHECK(net.populations().empty());
}

TEST_CASE("projections: unknown populations, receptors and bad weights are refused") {
    Network net = two_populations();
    check_error([&] { net.population_id("nope"); }, ErrorCode::invalid_network, {"'nope'", "'exc'", "'inh'"});
    const auto exc = net.population_id("exc"), inh = net.population_id("inh");
    check_error([&] { net.connect(exc, inh, AllToAll{}, SynapseSpec{not_a_number, std::nullopt, "excitatory"}); },
                ErrorCode::invalid_parameter, {"'exc->inh'", "weight", "nan"});
    check_error([&] { net.connect(exc, inh, AllToAll{}, SynapseSpec{-0.1, std::nullopt, "excitatory"}); },
                ErrorCode::invalid_parameter, {"weight", "-0.1", "conductance"});
    check_error([&] { net.connect(exc, inh, AllToAll{}, SynapseSpec{Distribution::normal(0.1, 0.1), std::nullopt, "inhibitory"}); },
                ErrorCode::invalid_parameter, {"normal(0.1, 0.1)", "negative"});
    check_error([&] { net.connect(exc, exc, AllToAll{}, SynapseSpec{1.0, std::nullopt, "gaba_b"}); },
                ErrorCode::invalid_network, {"gaba_b", "cuba_lif", "'excitatory'"});
    check_error([&] { net.connect(exc, exc, AllToAll{}, SynapseSpec{1.0, -1.0, "excitatory"}); },
                ErrorCode::invalid_parameter, {"delay", "-1"});
    check_error([&] { net.connect(exc, inh, OneToOne{}, SynapseSpec{}); }, ErrorCode::invalid_network,
                {"one_to_one", "10", "5"});
    check_error([&] { net.connect(exc, inh, FixedProbability{1.5}, SynapseSpec{}); }, ErrorCode::invalid_parameter,
                {"p", "1.5"});
    check_error([&] { net.connect(exc, inh, FixedInDegree{11}, SynapseSpec{}); }, ErrorCode::invalid_network,
                {"n = 11", "10 distinct"});
    check_error([&] { net.connect(exc, exc, FixedInDegree{10, false}, SynapseSpec{}); }, ErrorCode::invalid_network,
                {"9 distinct"});
    check_error([&] { net.connect(exc, inh, FromList{{0, 10}, {0, 1}, {}, {}}, SynapseSpec{}); },
                ErrorCode::invalid_network, {"pre[1] = 10", "out of range"});
    check_error([&] { net.connect(exc, inh, FixedProbability{0.1}, SynapseSpec{std::vector<double>{1.0}, std::nullopt, "excitatory"}); },
                ErrorCode::invalid_network, {"from_list"});
    CHECK(net.projections().empty());
    const auto id = net.connect(exc, inh, FixedProbability{0.5}, SynapseSpec{0.01, 1.0, "excitatory"});
    CHECK(net.projection(id).name == "exc->inh");
    CHECK(net.connect(exc, inh, AllToAll{}, SynapseSpec{}).value == 1);
    CHECK(net.projections()[1].name == "exc->inh#2");
}

TEST_CASE("sources cannot receive synapses; li emits no spikes; injections need current sources") {
    Network net;
    const auto src = net.add_population("src", model_info("poisson"), 4, {{"rate", 10.0}});
    const auto out = net.add_population("out", model_info("li"), 2);
    const auto cur = net.add_population("cur", model_info("step_current"), 1,
                                        {{"times", std::vector<double>{1}}, {"amplitudes", std::vector<double>{0.5}}});
    check_error([&] { net.connect(out, src, AllToAll{}, SynapseSpec{}); }, ErrorCode::invalid_network, {"emits no spikes"});
    check_error([&] { net.connect(out, out, AllToAll{}, SynapseSpec{}); }, ErrorCode::invalid_network, {"'out'", "emits no spikes"});
    check_error([&] { net.record(out, "spikes"); }, ErrorCode::invalid_network, {"'li'", "no spikes"});
    check_error([&] { net.record(out, "g_exc"); }, ErrorCode::invalid_network, {"g_exc", "'v'"});
    check_error([&] { net.inject(src, out); }, ErrorCode::invalid_network, {"'src'", "not a current source"});
    check_error([&] { net.inject(cur, out, {1, 1}); }, ErrorCode::invalid_network, {"listed twice"});
    net.inject(cur, out, {1});
    net.record(out, "v", {0, 1}, 0.5);
    check_error([&] { net.record(out, "v"); }, ErrorCode::invalid_network, {"already recorded"});
    CHECK_NOTHROW(net.validate());
    CHECK(boost::num_vertices(net.graph()) == 3);
    CHECK(boost::num_edges(net.graph()) == 1);
    CHECK(net.incoming(out).empty());
}
}
