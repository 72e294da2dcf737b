// Compile- and run-time errors name their culprit: delays below one step, unknown or unbuilt
// backends, rates too high for dt, networks too large for memory, durations off the grid;
// a failure inside a multithreaded run stops every thread.
#include "plasticity/rules.hpp"
#include "support.hpp"

using namespace spikegraph;
using test::check_error;

TEST_SUITE("backends") {
TEST_CASE("backends: unknown and unbuilt backends are told apart") {
    CHECK(make_backend("cpu")->name() == "cpu");
    check_error([] { make_backend("tpu"); }, ErrorCode::invalid_parameter, {"'tpu'", "'cpu'", "'cuda'"});
    check_error([] { make_backend("cuda"); }, ErrorCode::backend_unavailable, {"'cuda'", "unavailable", "'cpu'"});
    CHECK(make_backend("loihi")->name() == "loihi");
    check_error([] { make_backend("sfq"); }, ErrorCode::backend_unavailable, {"'sfq'"});
}

TEST_CASE("compile options: dt, threads and precision are checked") {
    Network net;
    net.add_population("p", model_info("lif"), 2);
    check_error([&] { compile(net, CompileOptions{-0.1, 1, 0, "float", 0.0}); }, ErrorCode::invalid_parameter, {"dt", "-0.1"});
    check_error([&] { compile(net, CompileOptions{0.1, 1, -2, "float", 0.0}); }, ErrorCode::invalid_parameter, {"threads", "-2"});
    check_error([&] { compile(net, CompileOptions{0.1, 1, 0, "half", 0.0}); }, ErrorCode::invalid_parameter, {"precision", "half"});
    check_error([&] { compile(Network{}, CompileOptions{}); }, ErrorCode::invalid_network, {"no populations"});
}

TEST_CASE("compile: a delay below one step names the projection and the step") {
    Network net;
    const auto a = net.add_population("a", model_info("lif"), 2);
    net.connect(a, a, AllToAll{}, SynapseSpec{0.5, 0.05, "excitatory"}, "recurrent");
    check_error([&] { compile(net, CompileOptions{}); }, ErrorCode::invalid_parameter,
                {"'recurrent'", "delay", "0.05", "dt = 0.1"});
    CHECK_NOTHROW(compile(net, CompileOptions{0.05, 1, 1, "float", 0.0}));
}

TEST_CASE("compile: a Poisson rate above one spike per step, and a spike at t = 0, are refused") {
    Network net;
    net.add_population("fast", model_info("poisson"), 2, {{"rate", std::vector<double>{10.0, 20000.0}}});
    check_error([&] { compile(net, CompileOptions{}); }, ErrorCode::invalid_parameter, {"'fast'", "rate[1]", "20000", "10000 Hz"});
    Network early;
    early.add_population("early", model_info("spike_array"), 1, {{"spike_times", RaggedArray{{0.0}}}});
    check_error([&] { compile(early, CompileOptions{}); }, ErrorCode::invalid_parameter, {"'early'", "spike_times[0][0]"});
}

TEST_CASE("compile: a network too big for the memory is refused before allocation, with an estimate") {
    Network net;
    const auto big = net.add_population("big", model_info("lif"), 200000);
    net.connect(big, big, FixedProbability{0.5}, SynapseSpec{0.1, std::nullopt, "excitatory"});
    // 2e10 synapses at 6 bytes: about 112 GiB, refused against the machine's memory.
    check_error([&] { compile(net, CompileOptions{}); }, ErrorCode::hardware_constraint, {"does not fit", "GiB", "20000000000 synapses"});
    Network small;
    const auto p = small.add_population("p", model_info("lif"), 1000);
    small.connect(p, p, AllToAll{}, SynapseSpec{0.1, std::nullopt, "excitatory"});
    check_error([&] { compile(small, CompileOptions{0.1, 1, 1, "float", 1e6}); }, ErrorCode::hardware_constraint,
                {"memory limit", "1000000 synapses"});
}

TEST_CASE("compile: the plastic state of many delay groups counts in the memory estimate") {
    // 10 x 100,000 synapses with delays over 1000 steps: about 13 MB of synapses and rings, but
    // the per-(target, delay group) traces and column starts need some 2.4 GB.
    for (const bool plastic : {false, true}) {
        CAPTURE(plastic);
        Network net;
        const auto pre = net.add_population("pre", model_info("poisson"), 10, {{"rate", 5.0}});
        const auto post = net.add_population("post", model_info("lif"), 100000);
        SynapseSpec synapse{0.1, Distribution::uniform(0.1, 100.0), "excitatory"};
        if (plastic) synapse.plasticity = PlasticitySpec{&rule_info("stdp"), {}, 0.0};
        net.connect(pre, post, AllToAll{}, synapse, "wide");
        const CompileOptions options{0.1, 1, 1, "float", 1e9};
        if (plastic) check_error([&] { compile(net, options); }, ErrorCode::hardware_constraint, {"does not fit", "memory limit"});
        else CHECK_NOTHROW(compile(net, options));
    }
}

TEST_CASE("run: durations and recording intervals must be whole steps") {
    Network net;
    const auto p = net.add_population("p", model_info("lif"), 2);
    net.record(p, "v", {}, 0.25);
    check_error([&] { compile(net, CompileOptions{}); }, ErrorCode::invalid_parameter, {"interval", "0.25", "whole number"});
    Network ok;
    ok.add_population("p", model_info("lif"), 2);
    auto sim = compile(ok, CompileOptions{});
    check_error([&] { sim->run(1.05); }, ErrorCode::invalid_parameter, {"duration", "1.05", "whole number"});
    check_error([&] { sim->run(-1.0); }, ErrorCode::invalid_parameter, {"duration", "-1"});
    CHECK(sim->time() == 0.0);
    check_error([&] { sim->recording().spikes_of("p"); }, ErrorCode::invalid_parameter, {"'p'", "not recorded"});
    check_error([&] { sim->state(PopulationId{0}, "w"); }, ErrorCode::invalid_parameter, {"'w'", "'v'"});
}

TEST_CASE("run: a throwing progress callback stops every thread cleanly, and the run can go on") {
    Network net;
    net.add_population("cells", model_info("lif"), 100000, {{"i_offset", 0.5}}); // big enough for two threads to pay
    for (int threads : {1, 2}) {
        auto sim = compile(net, CompileOptions{0.1, 3, threads, "float", 0.0});
        int calls = 0;
        auto interrupt = [&](Step, Step, double) {
            ++calls;
            throw Error(ErrorCode::invalid_parameter, "interrupted by the user");
        };
        check_error([&] { sim->run(1e6, interrupt); }, ErrorCode::invalid_parameter, {"interrupted by the user"});
        CHECK(calls == 1);
        const double stopped = sim->time();
        CHECK(stopped > 0.0);
        CHECK(stopped < 1e6);
        sim->run(10.0); // the team is intact: the simulation continues from where it stopped
        CHECK(sim->time() == doctest::Approx(stopped + 10.0));
        for (const auto& entry : sim->report())
            if (entry.name == "active_threads") MESSAGE(threads, " threads: ", entry.value, " ran the step loop");
    }
}
}
