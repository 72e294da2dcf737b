// The same seed gives bit-identical spikes and state with 1 and 2 threads, in float and double,
// with Poisson input, random connectivity, random initial values and heterogeneous delays.
#include "support.hpp"

using namespace spikegraph;

namespace {
Network balanced_network() {
    Network net;
    const ParamMap coba{{"tau_m", 20.0}, {"c_m", 0.2}, {"v_rest", -60.0}, {"v_th", -50.0}, {"v_reset", -60.0},
                        {"t_ref", 5.0}, {"tau_syn_e", 5.0}, {"tau_syn_i", 10.0}, {"e_rev_e", 0.0}, {"e_rev_i", -80.0},
                        {"i_offset", 0.2}, {"v", Distribution::uniform(-60.0, -50.0)}};
    const auto exc = net.add_population("exc", model_info("coba_lif"), 1600, coba);
    const auto inh = net.add_population("inh", model_info("coba_lif"), 400, coba);
    const auto cuba = net.add_population("cuba", model_info("cuba_lif"), 3000,
                                         {{"i_offset", Distribution::normal(0.75, 0.05)}, {"t_ref", 2.0}});
    const auto noise = net.add_population("noise", model_info("poisson"), 2500, {{"rate", 5.0}});
    const SynapseSpec e{0.006, Distribution::uniform(0.1, 2.0), "excitatory"};
    const SynapseSpec i{0.067, 0.1, "inhibitory"};
    net.connect(exc, exc, FixedProbability{0.04}, e);
    net.connect(exc, inh, FixedProbability{0.04}, e);
    net.connect(inh, exc, FixedProbability{0.04}, i);
    net.connect(inh, inh, FixedProbability{0.04}, i);
    net.connect(noise, cuba, FixedInDegree{50}, SynapseSpec{Distribution::lognormal(-4.0, 0.5), 1.5, "excitatory"});
    net.connect(exc, cuba, FixedTotalNumber{40000}, SynapseSpec{0.02, 0.8, "excitatory"});
    net.connect(cuba, inh, FixedOutDegree{3}, SynapseSpec{0.001, 0.3, "excitatory"});
    for (auto id : {exc, inh, cuba, noise}) net.record(id, "spikes");
    net.record(exc, "v", {0, 7, 1599}, 0.5);
    net.record(cuba, "i_exc", {}, 1.0);
    return net;
}

std::unique_ptr<Executable> run(const Network& net, int threads, const std::string& precision, Seed seed) {
    auto sim = compile(net, CompileOptions{0.1, seed, threads, precision, 0.0});
    sim->run(300.0);
    return sim;
}

void check_identical(const Executable& a, const Executable& b) {
    const auto& ra = a.recording();
    const auto& rb = b.recording();
    REQUIRE(ra.spikes.size() == rb.spikes.size());
    for (std::size_t p = 0; p < ra.spikes.size(); ++p) {
        INFO("population ", ra.spikes[p].population);
        CHECK(ra.spikes[p].steps.size() > 100);
        CHECK(ra.spikes[p].steps == rb.spikes[p].steps);
        CHECK(ra.spikes[p].senders == rb.spikes[p].senders);
    }
    for (std::size_t s = 0; s < ra.states.size(); ++s) CHECK(ra.states[s].values == rb.states[s].values);
    for (std::uint32_t p = 0; p < a.network().projections().size(); ++p) { // read back in one canonical order
        const auto sa = a.synapses(ProjectionId{p}), sb = b.synapses(ProjectionId{p});
        CHECK(sa.pre == sb.pre);
        CHECK(sa.post == sb.post);
        CHECK(sa.weight == sb.weight);
        CHECK(sa.delay == sb.delay);
    }
    CHECK(a.state(PopulationId{0}, "g_exc") == b.state(PopulationId{0}, "g_exc"));
}
} // namespace

TEST_SUITE("backends") {
TEST_CASE("cpu: 1 and 2 threads give bit-identical results (float)") {
    const Network net = balanced_network();
    check_identical(*run(net, 1, "float", 42), *run(net, 2, "float", 42));
}

TEST_CASE("cpu: 1 and 2 threads give bit-identical results (double), and 3 threads too") {
    const Network net = balanced_network();
    auto one = run(net, 1, "double", 42);
    check_identical(*one, *run(net, 2, "double", 42));
    check_identical(*one, *run(net, 3, "double", 42));
}

TEST_CASE("cpu: another seed gives another network and other spikes") {
    const Network net = balanced_network();
    auto a = run(net, 2, "float", 1);
    auto b = run(net, 2, "float", 2);
    CHECK(a->recording().spikes[0].senders != b->recording().spikes[0].senders);
    CHECK(a->synapses(ProjectionId{0}).post != b->synapses(ProjectionId{0}).post);
}

TEST_CASE("cpu: a run split in pieces equals one run") {
    const Network net = balanced_network();
    auto whole = compile(net, CompileOptions{0.1, 9, 2, "float", 0.0});
    whole->run(200.0);
    auto pieces = compile(net, CompileOptions{0.1, 9, 2, "float", 0.0});
    pieces->run(50.0);
    pieces->run(0.0);
    pieces->run(150.0);
    CHECK(pieces->time() == doctest::Approx(200.0));
    CHECK(whole->recording().spikes[0].steps == pieces->recording().spikes[0].steps);
    CHECK(whole->recording().spikes[2].senders == pieces->recording().spikes[2].senders);
}
}

TEST_SUITE("backends") {
TEST_CASE("cpu: populations above 65,536 neurons split into 16-bit ranges give identical results") {
    Network net;
    const auto drive = net.add_population("drive", model_info("poisson"), 2000, {{"rate", 50.0}});
    const auto big = net.add_population("big", model_info("lif"), 140000,
                                        {{"v", Distribution::uniform(-65.0, -50.5)}, {"t_ref", 2.0}});
    net.connect(drive, big, FixedOutDegree{300}, SynapseSpec{Distribution::uniform(0.5, 2.0), Distribution::uniform(0.1, 2.0), "excitatory"});
    net.connect(big, big, FixedProbability{0.0002}, SynapseSpec{0.3, 0.5, "excitatory"});
    net.record(big, "spikes");
    std::vector<std::unique_ptr<Executable>> runs;
    for (int threads : {1, 2, 3}) {
        runs.push_back(compile(net, CompileOptions{0.1, 5, threads, "float", 0.0}));
        runs.back()->run(30.0);
    }
    // The same run in two calls: each thread keeps its ranges' spikes, merged when run returns.
    runs.push_back(compile(net, CompileOptions{0.1, 5, 2, "float", 0.0}));
    runs.back()->run(12.0);
    runs.back()->run(18.0);
    const auto& reference = runs[0]->recording().spikes_of("big");
    CHECK(reference.steps.size() > 1000);
    bool ordered = true; // steps ascend, and senders within a step
    for (std::size_t s = 1; s < reference.steps.size(); ++s)
        ordered = ordered && (reference.steps[s - 1] < reference.steps[s] ||
                              (reference.steps[s - 1] == reference.steps[s] && reference.senders[s - 1] < reference.senders[s]));
    CHECK(ordered);
    for (std::size_t r = 1; r < runs.size(); ++r) {
        CHECK(runs[r]->recording().spikes_of("big").senders == reference.senders);
        CHECK(runs[r]->recording().spikes_of("big").steps == reference.steps);
        CHECK(runs[r]->synapses(ProjectionId{1}).post == runs[0]->synapses(ProjectionId{1}).post);
    }
    // Every range spans at most 65,536 targets, so synapses cost 2 + 4 (+1 where delays vary) bytes.
    const auto report = runs[1]->report();
    double synapses = 0.0, bytes = 0.0;
    for (const auto& entry : report) {
        if (entry.name == "synapses") synapses = entry.value;
        if (entry.name == "synapse_memory") bytes = entry.value;
    }
    CHECK(bytes / synapses < 7.2);
}
}
