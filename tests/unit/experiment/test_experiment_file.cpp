// Experiment files: values, expressions, sweeps, and errors that name file, line and key.
#include <doctest/doctest.h>

#include <string>

#include "backends/experiment/experiment_file.hpp"
#include "core/error.hpp"
#include "core/io/expression.hpp"

using namespace spikegraph;

namespace {

const char* const small_network = R"(
[experiment]
name = "small"
duration = 50.0
seed = 7

[parameters]
J = 0.5
g = 4.0
w_inh = "-g * J"

[[population]]
name = "exc"
model = "lif"
size = 20
tau_m = 10.0
v = { uniform = [-70.0, -60.0] }

[[population]]
name = "inh"
model = "lif"
size = 5

[[stimulus]]
name = "noise"
model = "poisson"
size = 8
rate = "2 * 10"

[[projection]]
name = "inh_exc"
pre = "inh"
post = "exc"
connector = { rule = "fixed_in_degree", n = 2 }
weight = "w_inh"
delay = 1.0
receptor = "inhibitory"

[[projection]]
pre = "noise"
post = "exc"
connector = "all_to_all"
weight = { normal = [1.0, 0.1] }

[[record]]
population = "exc"
neurons = 3
)";

std::string error_of(const std::string& text) {
    try {
        ExperimentFile::parse(text, "test.toml");
    } catch (const Error& error) {
        return error.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("expressions: precedence, parentheses, powers, names, and their errors") {
    auto lookup = [](std::string_view name) -> std::optional<double> {
        if (name == "g") return 5.0;
        if (name == "J_2") return 0.1;
        return std::nullopt;
    };
    CHECK(evaluate_expression("1 + 2 * 3", lookup) == 7.0);
    CHECK(evaluate_expression("(1 + 2) * 3", lookup) == 9.0);
    CHECK(evaluate_expression("-g * J_2", lookup) == doctest::Approx(-0.5));
    CHECK(evaluate_expression("2 ^ 3 ^ 2", lookup) == 512.0); // right associative
    CHECK(evaluate_expression("1e3 / 4", lookup) == 250.0);
    CHECK(evaluate_expression("- -2", lookup) == 2.0);
    CHECK_THROWS_WITH_AS(evaluate_expression("g * h", lookup), doctest::Contains("unknown name 'h'"), Error);
    CHECK_THROWS_WITH_AS(evaluate_expression("g * h", lookup), doctest::Contains("at column 5"), Error);
    CHECK_THROWS_WITH_AS(evaluate_expression("(1 + 2", lookup), doctest::Contains("')' expected"), Error);
    CHECK_THROWS_WITH_AS(evaluate_expression("1 2", lookup), doctest::Contains("unexpected '2' at column 3"), Error);
    CHECK_THROWS_AS(evaluate_expression(std::string(1000, '('), lookup), Error);
}

TEST_CASE("an experiment file builds the network it describes") {
    const ExperimentFile file = ExperimentFile::parse(small_network, "test.toml");
    CHECK_FALSE(file.is_sweep());
    REQUIRE(file.points().size() == 1);
    const Experiment e = file.build(file.points()[0]);
    CHECK(e.settings.name == "small");
    CHECK(e.settings.duration == 50.0);
    CHECK(e.settings.seed == 7);
    const Network& net = e.network;
    REQUIRE(net.populations().size() == 3);
    CHECK(net.population(net.population_id("exc")).size == 20);
    CHECK(std::get<double>(net.population(net.population_id("exc")).params.at("tau_m")) == 10.0);
    CHECK(std::get<Distribution>(net.population(net.population_id("exc")).params.at("v")).kind == Distribution::Kind::uniform);
    CHECK(std::get<double>(net.population(net.population_id("noise")).params.at("rate")) == 20.0);
    REQUIRE(net.projections().size() == 2);
    const ProjectionSpec& inhibition = net.projection(net.projection_id("inh_exc"));
    CHECK(std::get<double>(inhibition.synapse.weight) == doctest::Approx(-2.0));
    CHECK(std::get<FixedInDegree>(inhibition.connector).n == 2);
    CHECK(std::holds_alternative<Distribution>(net.projections()[1].synapse.weight));
    REQUIRE(net.records().size() == 1);
    CHECK(net.records()[0].neurons.size() == 3);
}

TEST_CASE("sweeps: grid axes in file order, zipped lists together, repetitions fastest with derived seeds") {
    const std::string text = std::string(small_network) + R"(
[sweep]
repetitions = 2
[sweep.grid]
g = [3.0, 5.0]
"population.exc.tau_m" = [10.0, 20.0, 30.0]
[sweep.zip]
J = [0.1, 0.2]
"experiment.duration" = [20.0, 40.0]
)";
    const ExperimentFile file = ExperimentFile::parse(text, "test.toml");
    CHECK(file.is_sweep());
    REQUIRE(file.points().size() == 2 * 3 * 2 * 2);
    CHECK(file.axes() == std::vector<std::string>{"g", "population.exc.tau_m", "J", "experiment.duration"});
    const SweepPoint& p = file.points()[15]; // g index 1, tau index 0, zip index 1, repetition 1
    CHECK(p.repetition == 1);
    CHECK(std::get<double>(p.values[0].second) == 5.0);
    CHECK(std::get<double>(p.values[1].second) == 10.0);
    CHECK(std::get<double>(p.values[2].second) == 0.2);
    CHECK(std::get<double>(p.values[3].second) == 40.0);
    const Experiment e = file.build(p);
    CHECK(e.settings.seed == 8); // 7 + repetition
    CHECK(e.settings.duration == 40.0);
    CHECK(std::get<double>(e.network.population(e.network.population_id("exc")).params.at("tau_m")) == 10.0);
    CHECK(std::get<double>(e.network.projection(e.network.projection_id("inh_exc")).synapse.weight) == doctest::Approx(-1.0));
}

TEST_CASE("bad input names the file, the line and the key") {
    const std::string base = "[[population]]\nname = \"a\"\nmodel = \"lif\"\nsize = 10\n";
    CHECK(contains(error_of(base + "tau_m = -5\n"), "test.toml:5:9: population 'a': key 'tau_m': -5 ms is invalid: it must be > 0"));
    CHECK(contains(error_of(base + "tau_mm = 5\n"), "test.toml:5:1: population 'a': key 'tau_mm': unknown key"));
    CHECK(contains(error_of(base + "tau_m = \"x\"\n"), "test.toml:5:9: population 'a': key 'tau_m': expression \"x\": unknown name 'x'"));
    CHECK(contains(error_of(base + "tau_m = true\n"), "key 'tau_m': must be a number or an expression string, not a boolean"));
    CHECK(contains(error_of("[experiment\n"), "test.toml:1:12: malformed TOML"));
    CHECK(contains(error_of(base + "[other]\n"), "test.toml:5:2: file: key 'other': unknown section"));
    CHECK(contains(error_of(base + "[experiment]\nduration = -1\n"), "test.toml:6:12: [experiment]: key 'duration': -1 is invalid"));
    CHECK(contains(error_of(base + "[experiment]\ncolour = 1\n"), "test.toml:6:1: [experiment]: key 'colour': unknown key"));
    CHECK(contains(error_of(base + "[[projection]]\npre = \"a\"\npost = \"b\"\nconnector = \"all_to_all\"\nweight = 1\n"),
                   "test.toml:7:8: projection 'a -> b': key 'post': unknown population 'b'"));
    CHECK(contains(error_of(base + "[[projection]]\npre = \"a\"\npost = \"a\"\nconnector = \"fixed_probability\"\nweight = 1\n"),
                   "key 'connector': 'fixed_probability' needs parameters"));
    CHECK(contains(error_of(base + "[[projection]]\npre = \"a\"\npost = \"a\"\nconnector = \"all_to_all\"\nweight = nan\n"),
                   "test.toml:9:10: projection 'a -> a': key 'weight': is NaN"));
    CHECK(contains(error_of(base + "v = { uniform = [1] }\n"), "key 'v': uniform takes 2 numbers, not 1"));
    CHECK(contains(error_of(base + "[[projection]]\npre = \"a\"\npost = \"a\"\nconnector = \"all_to_all\"\n"), "key 'weight' is missing"));
    CHECK(contains(error_of("[parameters]\na = \"b\"\nb = \"a\"\n" + base + "tau_m = \"a\"\n"), "is defined in terms of itself"));
    CHECK(contains(error_of(base + "[sweep.grid]\nnope = [1, 2]\n"), "test.toml:6:8: [sweep]: key 'nope': is neither a name under [parameters]"));
    CHECK(contains(error_of(base + "[sweep.zip]\n\"population.a.tau_m\" = [1, 2]\n\"population.a.t_ref\" = [1]\n"),
                   "has 1 values but 'population.a.tau_m' has 2"));
    CHECK(contains(error_of(base + "[sweep.grid]\n\"population.a.tau_m\" = [10, -2]\n"), "[sweep point 1: population.a.tau_m = -2]"));
    CHECK(contains(error_of("[experiment]\nduration = 5\n"), "the experiment has no [[population]]"));
    CHECK_THROWS_WITH_AS(ExperimentFile::load("/nonexistent/x.toml"), doctest::Contains("/nonexistent/x.toml: cannot open"), Error);
}
