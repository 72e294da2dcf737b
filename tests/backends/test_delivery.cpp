// A spike crossing a projection with delay d arrives exactly d steps later: the postsynaptic
// jump (v for delta synapses, the current for cuba_lif) happens at t_spike + d dt.
#include <cmath>

#include "backends/cpu/input_ring.hpp"
#include "support.hpp"

using namespace spikegraph;

namespace {
// First recorded time at which neuron column j of a trace leaves its initial value.
double first_change(const StateRecord& record, std::size_t j, double dt) {
    const auto times = record.times(dt);
    const std::size_t width = record.neurons.size();
    for (std::size_t i = 0; i < record.steps.size(); ++i)
        if (record.values[i * width + j] != record.values[j]) return times[i];
    return -1.0;
}

// Two source neurons spike 0.3 ms apart through per-synapse delays, so rows of both are in
// flight at once; a third sends every target of `wide` two synapses at once (a burst of more
// events than targets). With `targets` large the ring for every delay outgrows the cache and the
// synapses wait in per-step lists of table runs (pending_runs.hpp).
void check_delays(int threads, Index targets) {
    const double dt = 0.1, burst_time = 2.0;
    const std::vector<double> spike_times{1.0, 1.3};
    Network net;
    const auto src = net.add_population("src", model_info("spike_array"), 3,
                                        {{"spike_times", RaggedArray{{spike_times[0]}, {spike_times[1]}, {burst_time}}}});
    const ParamMap quiet{{"v_rest", 0.0}, {"v_reset", -10.0}, {"v_th", 100.0}, {"v", 0.0}};
    const auto lif = net.add_population("lif", model_info("lif"), targets, quiet);
    const auto wide = net.add_population("wide", model_info("lif"), targets, quiet);
    const auto uniform = net.add_population("uniform", model_info("lif"), 2, quiet);
    const auto cuba = net.add_population("cuba", model_info("cuba_lif"), 1, quiet);
    const std::vector<double> delays{0.1, 0.2, 0.7, 3.0};
    net.connect(src, lif, FromList{{0, 0, 0, 0, 1, 1, 1, 1}, {0, 1, 2, 3, 4, 5, 6, 7}, {}, {0.1, 0.2, 0.7, 3.0, 0.1, 0.2, 0.7, 3.0}},
                SynapseSpec{1.0, std::nullopt, "excitatory"});
    FromList burst;
    for (Index k = 0; k < targets; ++k)
        for (double delay : {0.1 * (1 + k % 5), 3.0}) {
            burst.pre.push_back(2);
            burst.post.push_back(k);
            burst.delays.push_back(delay);
        }
    net.connect(src, wide, burst, SynapseSpec{1.0, std::nullopt, "excitatory"});
    net.connect(src, uniform, FromList{{0, 0}, {0, 1}, {}, {}}, SynapseSpec{-2.0, 0.5, "inhibitory"});
    net.connect(src, cuba, FromList{{0}, {0}, {}, {}}, SynapseSpec{0.5, 1.2, "excitatory"});
    net.record(lif, "v");
    net.record(wide, "v");
    net.record(uniform, "v");
    net.record(cuba, "i_exc");
    CompileOptions options;
    options.threads = threads;
    options.precision = "double";
    auto sim = compile(net, options);
    sim->run(10.0);
    const auto& rec = sim->recording();
    // The jump is exactly the weight: v_rest = 0 makes the membrane update exact.
    auto check_arrival = [&](const StateRecord& v, std::size_t j, double arrival_time) {
        CHECK(first_change(v, j, dt) == doctest::Approx(arrival_time).epsilon(1e-12));
        const std::size_t arrival = static_cast<std::size_t>(std::llround(arrival_time / dt)) - 1;
        CHECK(v.values[arrival * targets + j] == 1.0);
    };
    for (std::size_t j = 0; j < 8; ++j) check_arrival(rec.state_of("lif", "v"), j, spike_times[j / 4] + delays[j % 4]);
    if (targets > 8) CHECK(first_change(rec.state_of("lif", "v"), 8, dt) == -1.0);
    for (std::size_t k = 0; k < targets; ++k) check_arrival(rec.state_of("wide", "v"), k, burst_time + 0.1 * static_cast<double>(1 + k % 5));
    CHECK(first_change(rec.state_of("uniform", "v"), 0, dt) == doctest::Approx(spike_times[0] + 0.5).epsilon(1e-12));
    CHECK(first_change(rec.state_of("uniform", "v"), 1, dt) == doctest::Approx(spike_times[0] + 0.5).epsilon(1e-12));
    CHECK(first_change(rec.state_of("cuba", "i_exc"), 0, dt) == doctest::Approx(spike_times[0] + 1.2).epsilon(1e-12));
}
// Integrators that never leak or fire, driven by one source spiking at 1 ms and 6 ms through
// `connector`: a first run of `first_run` ms, then every weight set to 0.5, then a run to 10 ms.
// at(t, k): neuron k's v after the step ending at t [ms].
struct IntegratedInput {
    std::vector<double> values;
    Index targets;
    IntegratedInput(const Connector& connector, const SynapseSpec& synapse, Index n, int threads, double first_run) : targets(n) {
        Network net;
        const auto src = net.add_population("src", model_info("spike_array"), 1, {{"spike_times", RaggedArray{{1.0, 6.0}}}});
        const auto sink = net.add_population("sink", model_info("lif"), n,
                                             {{"v_rest", 0.0}, {"v_reset", -1.0}, {"v_th", 1e9}, {"v", 0.0}, {"tau_m", 1e9}});
        const auto id = net.connect(src, sink, connector, synapse, "p");
        net.record(sink, "v");
        CompileOptions options;
        options.precision = "double";
        options.threads = threads;
        auto sim = compile(net, options);
        sim->run(first_run);
        sim->set_weights(id, std::vector<double>(n, 0.5));
        sim->run(10.0 - first_run);
        values = sim->recording().state_of("sink", "v").values;
    }
    double at(double t, Index k) const { return values[(static_cast<std::size_t>(std::llround(t / 0.1)) - 1) * targets + k]; }
};
} // namespace

TEST_SUITE("backends") {
TEST_CASE("cpu: a spike arrives exactly delay steps after it was emitted (1 thread)") { check_delays(1, 8); }
TEST_CASE("cpu: a spike arrives exactly delay steps after it was emitted (2 threads)") { check_delays(2, 8); }
TEST_CASE("cpu: events through per-step lists (a ring larger than the cache) keep every delay (1 and 2 threads)") {
    check_delays(1, 20000);
    check_delays(2, 20000);
}

TEST_CASE("cpu: a neuron driven above threshold emits, and its spike reaches the next neuron d steps later") {
    Network net;
    const auto driver = net.add_population("driver", model_info("lif"), 1,
                                           {{"i_offset", 2.0}, {"t_ref", 50.0}, {"v_reset", -70.0}, {"v", -70.0}});
    const auto follower = net.add_population("follower", model_info("lif"), 1,
                                             {{"v_rest", 0.0}, {"v_reset", -1.0}, {"v_th", 10.0}, {"v", 0.0}});
    net.connect(driver, follower, OneToOne{}, SynapseSpec{20.0, 0.4, "excitatory"});
    net.record(driver, "spikes");
    net.record(follower, "spikes");
    auto sim = compile(net, CompileOptions{0.1, 1, 1, "double", 0.0});
    sim->run(40.0);
    const auto first = sim->recording().spikes_of("driver").times(0.1);
    const auto second = sim->recording().spikes_of("follower").times(0.1);
    REQUIRE(first.size() == 1);
    REQUIRE(second.size() == 1);
    CHECK(second[0] - first[0] == doctest::Approx(0.4).epsilon(1e-12));
}

TEST_CASE("cpu: int32 input slots only where they hold every projection's weights as finely as float") {
    // 100 inputs of 0.006: half an int32 step (2^-24 here) is within 2^-23 of the weight.
    CHECK(cpu::int32_slots_suffice(100 * 0.006, 0.006));
    // A weight of 1e-9 beside a projection whose sum can reach 1000: int32 would round it to 0.
    CHECK_FALSE(cpu::int32_slots_suffice(1000.0 + 1e-9, 1e-9));
    CHECK_FALSE(cpu::int32_slots_suffice(0.0, 0.0));
    const cpu::InputRing narrow(16, 3, 1000.0, true), wide(16, 3, 1000.0, false);
    CHECK(narrow.scale() == std::ldexp(1.0, 20));
    CHECK(wide.scale() == std::ldexp(1.0, 51));
    CHECK(narrow.bytes() == 4 * 16 * 4);
    CHECK(wide.bytes() == 4 * 16 * 8);
}

TEST_CASE("cpu: a float population receives a tiny weight exactly, also beside a large fan-in (int64 slots then)") {
    // v_rest = 0 and tau_m = 1e9 ms keep the delta-synapse membrane exact: v after the arrival is
    // the input. With the crowd's 1000 unit weights on the same receptor, int32 slots would have
    // a step of 2^-20 and round 1e-9 to 0.
    for (const bool with_large_fan_in : {false, true}) {
        CAPTURE(with_large_fan_in);
        Network net;
        const auto spike = net.add_population("spike", model_info("spike_array"), 1, {{"spike_times", RaggedArray{{1.0}}}});
        const auto crowd = net.add_population("crowd", model_info("spike_array"), 1000,
                                              {{"spike_times", RaggedArray(1000, std::vector<double>{50.0})}});
        const auto target = net.add_population("target", model_info("lif"), 1,
                                               {{"v_rest", 0.0}, {"v_reset", -1.0}, {"v_th", 1e9}, {"v", 0.0}, {"tau_m", 1e9}});
        const double tiny = 1e-9;
        net.connect(spike, target, AllToAll{}, SynapseSpec{tiny, 0.1, "excitatory"});
        if (with_large_fan_in) net.connect(crowd, target, AllToAll{}, SynapseSpec{1.0, 0.1, "excitatory"});
        net.record(target, "v");
        CompileOptions options;
        options.precision = "float";
        options.threads = 1;
        auto sim = compile(net, options);
        sim->run(2.0);
        const auto& v = sim->recording().state_of("target", "v");
        CHECK(test::relative_error(v.values[static_cast<std::size_t>(std::llround(1.1 / 0.1)) - 1], tiny) < 1e-6);
    }
}

TEST_CASE("cpu: a poisson_generator's draws in flight when its weights change keep the weights of their step") {
    // Through a 2 ms delay, the draws of the 2 ms before the change are still on their way after
    // it: with the weights set to 0 at 20 ms, v still rises until 22 ms, and only decays after.
    for (int threads : {1, 2}) {
        CAPTURE(threads);
        Network net;
        const auto drive = net.add_population("drive", model_info("poisson_generator"), 1, {{"rate", 5000.0}});
        const auto target = net.add_population("target", model_info("lif"), 40,
                                               {{"v_rest", 0.0}, {"v_reset", -1.0}, {"v_th", 1e9}, {"v", 0.0}});
        const auto id = net.connect(drive, target, AllToAll{}, SynapseSpec{0.5, 2.0, "excitatory"}, "drive");
        net.record(target, "v");
        auto sim = compile(net, CompileOptions{0.1, 7, threads, "double", 0.0});
        sim->run(20.0);
        sim->set_weights(id, std::vector<double>(40, 0.0));
        sim->run(10.0);
        const auto& v = sim->recording().state_of("target", "v");
        int rises_in_flight = 0;
        for (std::size_t i = 200; i < v.steps.size(); ++i)
            for (std::size_t j = 0; j < 40; ++j) {
                const bool rose = v.values[i * 40 + j] > v.values[(i - 1) * 40 + j];
                if (i < 220) rises_in_flight += rose; // v of step i: inputs arriving by step i
                else CHECK_FALSE(rose);
            }
        CHECK(rises_in_flight > 100); // 40 targets x 20 steps, 0.5 events each on average
    }
}

TEST_CASE("cpu: weights set between runs on a poisson_generator projection take effect") {
    // v_rest = 0 and no threshold in reach: with the generator's weights set to 0 the membrane only
    // decays, so it never rises again.
    Network net;
    const auto drive = net.add_population("drive", model_info("poisson_generator"), 1, {{"rate", 2000.0}});
    const auto target = net.add_population("target", model_info("lif"), 3,
                                           {{"v_rest", 0.0}, {"v_reset", -1.0}, {"v_th", 1e9}, {"v", 0.0}});
    const auto id = net.connect(drive, target, AllToAll{}, SynapseSpec{0.5, std::nullopt, "excitatory"}, "drive");
    net.record(target, "v");
    auto sim = compile(net, CompileOptions{0.1, 3, 1, "float", 0.0});
    sim->run(20.0);
    sim->set_weights(id, std::vector<double>(3, 0.0));
    sim->run(20.0);
    const auto& v = sim->recording().state_of("target", "v");
    CHECK(v.values[199 * 3] > 1.0); // driven during the first run
    for (std::size_t i = 200; i < v.steps.size(); ++i)
        for (std::size_t j = 0; j < 3; ++j) CHECK(v.values[i * 3 + j] <= v.values[(i - 1) * 3 + j]);
}
}

TEST_CASE("cpu: a static projection whose synapses share one weight reads back, records and takes new weights") {
    // Two sources spike at 1 ms and again at 5 ms onto two integrators that never leak or fire:
    // each spike adds its synapse's weight to v. Both projections have one weight for all their
    // synapses: the first keeps it once; the second, whose weights are recorded, gets it per synapse.
    for (int threads : {1, 2}) {
        CAPTURE(threads);
        Network net;
        const auto src = net.add_population("src", model_info("spike_array"), 2,
                                            {{"spike_times", RaggedArray{{1.0, 5.0}, {1.0, 5.0}}}});
        const ParamMap integrator{{"v_rest", 0.0}, {"v_reset", -1.0}, {"v_th", 1e9}, {"v", 0.0}, {"tau_m", 1e9}};
        const auto shared = net.add_population("shared", model_info("lif"), 2, integrator);
        const auto recorded = net.add_population("recorded", model_info("lif"), 2, integrator);
        const auto a = net.connect(src, shared, AllToAll{}, SynapseSpec{0.25, 0.1, "excitatory"}, "a");
        const auto b = net.connect(src, recorded, AllToAll{}, SynapseSpec{0.25, 0.1, "excitatory"}, "b");
        net.record(shared, "v");
        net.record_weights(b, 1.0);
        CompileOptions options;
        options.precision = "float";
        options.threads = threads;
        auto sim = compile(net, options);
        CHECK(sim->synapses(a).weight == std::vector<double>(4, 0.25));
        sim->run(3.0);
        const auto& v = sim->recording().state_of("shared", "v");
        CHECK(v.values[v.values.size() - 2] == doctest::Approx(0.5));
        CHECK(v.values.back() == doctest::Approx(0.5));
        // Canonical order: by source, then target.
        sim->set_weights(a, {0.25, 0.125, 0.25, 0.125}); // at most the compiled weight
        CHECK(sim->synapses(a).weight == std::vector<double>{0.25, 0.125, 0.25, 0.125});
        sim->run(4.0);
        CHECK(v.values[v.values.size() - 2] == doctest::Approx(1.0));
        CHECK(v.values.back() == doctest::Approx(0.75));
        const auto& w = sim->recording().weights.at(0);
        REQUIRE(w.values.size() == 7 * 4);
        for (float x : w.values) CHECK(x == 0.25f);
    }
}

TEST_CASE("cpu: weights set between runs apply to spikes sent after, not to synapses in flight") {
    // One source spikes at 1 ms and at 6 ms through synapses of 0.5 ms and 3 ms onto integrators
    // that never leak or fire. The first run ends at 2 ms, while the 3 ms synapses of the first
    // spike are in flight; their weights are then halved. The first spike must arrive with the
    // weights it was sent with, the second with the new ones: whether synapses wait in the ring
    // (8 targets) or in lists (20,000 targets: a ring beyond the cache), with 1 or 2 threads.
    for (const Index targets : {Index{8}, Index{20000}})
        for (int threads : {1, 2}) {
            CAPTURE(targets);
            CAPTURE(threads);
            FromList list;
            for (Index k = 0; k < targets; ++k) {
                list.pre.push_back(0);
                list.post.push_back(k);
                list.delays.push_back(k % 2 == 0 ? 0.5 : 3.0);
            }
            const IntegratedInput v(list, SynapseSpec{1.0, std::nullopt, "excitatory"}, targets, threads, 2.0);
            for (Index k : {Index{0}, Index{1}, targets - 2, targets - 1}) {
                CAPTURE(k);
                const double delay = k % 2 == 0 ? 0.5 : 3.0;
                CHECK(v.at(1.0 + delay, k) == 1.0);       // sent before the change
                CHECK(v.at(6.0 + delay, k) == doctest::Approx(1.5).epsilon(1e-6)); // then 0.5 more (tau_m = 1e9 ms: no visible leak)
                CHECK(v.at(6.0 + delay - 0.1, k) == doctest::Approx(1.0).epsilon(1e-6)); // not earlier
            }
        }
    // A spike of a run's last step (step 9: the spike at 1 ms, first run 1 ms long) through
    // one-step synapses arrives with the weight it was sent with too; 3,000 targets make several
    // blocks of 1,024 neurons per range.
    for (int threads : {1, 2}) {
        CAPTURE(threads);
        const IntegratedInput v(AllToAll{}, SynapseSpec{1.0, 0.1, "excitatory"}, 3000, threads, 1.0);
        for (Index k : {Index{0}, Index{1023}, Index{1024}, Index{1500}, Index{2999}}) {
            CAPTURE(k);
            CHECK(v.at(1.0, k) == 0.0);
            CHECK(v.at(1.1, k) == 1.0);
            CHECK(v.at(6.1, k) == doctest::Approx(1.5).epsilon(1e-6));
        }
    }
}
