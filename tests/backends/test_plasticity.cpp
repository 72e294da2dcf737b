// Plasticity in the CPU backend: weights after given spike trains equal an independent
// event-driven implementation of each rule (tests/unit/plasticity/reference_stdp.hpp) and, for
// single pairs, the analytic STDP window; with and without delays and an axonal part; the same
// for any thread count; triplet rule frequency dependence; Oja's rule; errors.
#include <algorithm>
#include <cmath>
#include <random>

#include "plasticity/rules.hpp"
#include "support.hpp"
#include "unit/plasticity/reference_stdp.hpp"

using namespace spikegraph;
using spikegraph::test::check_error;
using spikegraph::test::reference_weight;
using spikegraph::test::ReferenceRule;

namespace {

constexpr double dt = 0.1;

struct PairedRun {
    std::vector<double> weights;                     // final, by pair
    std::vector<std::vector<double>> pre, post;      // recorded spike times by pair [ms]
};

// n independent pairs: source i drives plastic synapse i onto lif neuron i, which a second source
// forces to spike at `post_times[i]` (minus one step of its own delay). `pair_delays`, if given,
// holds a delay per synapse (a list connector) instead of `delay` for all.
PairedRun run_pairs(const std::vector<std::vector<double>>& pre_times, const std::vector<std::vector<double>>& post_times,
                    const std::string& rule, ParamMap params, double w0, double delay, double axonal, double duration,
                    int threads = 1, const std::vector<double>& pair_delays = {}) {
    const Index n = static_cast<Index>(pre_times.size());
    Network net;
    const auto pre = net.add_population("pre", model_info("spike_array"), n, {{"spike_times", pre_times}});
    RaggedArray drive_times = post_times;
    for (auto& row : drive_times)
        for (double& t : row) t -= dt; // the drive's one-step delay
    const auto drive = net.add_population("drive", model_info("spike_array"), n, {{"spike_times", drive_times}});
    const auto post = net.add_population("post", model_info("lif"), n, {{"t_ref", 0.0}});
    net.connect(drive, post, OneToOne{}, SynapseSpec{100.0, dt, "excitatory"});
    SynapseSpec plastic{w0, delay, "excitatory"};
    if (!pair_delays.empty()) plastic.delay.reset();
    plastic.plasticity = PlasticitySpec{&rule_info(rule), std::move(params), axonal};
    std::vector<Index> pairs(n);
    for (Index i = 0; i < n; ++i) pairs[i] = i;
    const auto id = pair_delays.empty() ? net.connect(pre, post, OneToOne{}, plastic, "plastic")
                                        : net.connect(pre, post, FromList{pairs, pairs, {}, pair_delays}, plastic, "plastic");
    net.record(pre, "spikes");
    net.record(post, "spikes");
    auto sim = compile(net, CompileOptions{dt, 1, threads, "float", 0.0});
    sim->run(duration);
    PairedRun result{sim->synapses(id).weight, RaggedArray(n), RaggedArray(n)};
    for (const char* name : {"pre", "post"}) {
        const auto& record = sim->recording().spikes_of(name);
        const auto times = record.times(dt);
        for (std::size_t s = 0; s < times.size(); ++s)
            (std::string(name) == "pre" ? result.pre : result.post)[record.senders[s]].push_back(times[s]);
    }
    return result;
}

// Single pairs at Delta t = -50 ... 50 ms (at the neurons), pre spike at 100 ms.
struct Window {
    std::vector<std::vector<double>> pre, post;
    std::vector<double> offsets;
};
Window single_pairs() {
    Window w;
    for (int k = -50; k <= 50; ++k) {
        const double offset = k * 1.0 + (k % 3) * 0.3; // off the whole millisecond too
        w.offsets.push_back(offset);
        w.pre.push_back({100.0});
        w.post.push_back({100.0 + offset});
    }
    return w;
}

// The pair rule whose analytic window the single-pair tests check.
struct WindowRule {
    double a_plus = 0.01, a_minus = 0.012, tau_plus = 17.0, tau_minus = 34.0, w0 = 0.5;
    ParamMap params() const { return {{"a_plus", a_plus}, {"a_minus", a_minus}, {"tau_plus", tau_plus}, {"tau_minus", tau_minus}}; }
};
const WindowRule window_rule;

// Every pair's weight change is the analytic window at the pair's Delta t at the synapse (NEST's
// convention: t_post + dendritic delay - (t_pre + axonal delay)); delays[i]: pair i's delay.
void check_window(const PairedRun& run, const std::vector<double>& delays, double axonal) {
    const WindowRule& r = window_rule;
    int potentiated = 0, depressed = 0;
    for (std::size_t i = 0; i < delays.size(); ++i) {
        REQUIRE(run.pre[i].size() == 1);
        REQUIRE(run.post[i].size() == 1);
        const double delta = run.post[i][0] + (delays[i] - axonal) - (run.pre[i][0] + axonal);
        double expected = 0.0;
        if (delta > 1e-9) expected = r.a_plus * std::exp(-delta / r.tau_plus);
        if (delta < -1e-9) expected = -r.a_minus * std::exp(delta / r.tau_minus);
        potentiated += expected > 0;
        depressed += expected < 0;
        CAPTURE(i);
        CAPTURE(delta);
        CHECK(std::abs(run.weights[i] - r.w0 - expected) < 1.2e-7); // two float roundings of w ~ 0.5
    }
    CHECK(potentiated > 30);
    CHECK(depressed > 30);
}

} // namespace

TEST_SUITE("plasticity") {
TEST_CASE("stdp: the window of single pairs is the analytic one, without and with delays") {
    const Window window = single_pairs();
    struct Timing {
        double delay, axonal;
    };
    for (Timing timing : {Timing{dt, 0.0}, Timing{5.0, 0.0}, Timing{5.0, 2.0}, Timing{3.0, 2.9}}) {
        CAPTURE(timing.delay);
        CAPTURE(timing.axonal);
        const auto run = run_pairs(window.pre, window.post, "stdp", window_rule.params(), window_rule.w0, timing.delay,
                                   timing.axonal, 300.0);
        check_window(run, std::vector<double>(window.offsets.size(), timing.delay), timing.axonal);
    }
}

TEST_CASE("stdp: the window of single pairs is the analytic one with a different delay per synapse") {
    const Window window = single_pairs();
    for (const double axonal : {0.0, 2.0}) {
        CAPTURE(axonal);
        const std::vector<double> choices = axonal > 0 ? std::vector<double>{2.1, 3.0, 5.5, 7.3} : std::vector<double>{dt, 1.0, 2.5, 5.0};
        std::vector<double> delays;
        for (std::size_t i = 0; i < window.offsets.size(); ++i) delays.push_back(choices[(i * 7) % choices.size()]);
        for (const int threads : {1, 2})
            check_window(run_pairs(window.pre, window.post, "stdp", window_rule.params(), window_rule.w0, 0.0, axonal, 300.0,
                                   threads, delays),
                         delays, axonal);
    }
}

TEST_CASE("stdp: Poisson trains give the weights of the reference rule (all rules, interactions, dependences)") {
    std::mt19937_64 generator(11);
    const Index n = 40;
    std::vector<std::vector<double>> pre(n), post(n);
    for (Index i = 0; i < n; ++i) {
        for (double t = 1.0; t < 2000.0; t += dt * std::ceil(std::exponential_distribution<double>(0.02)(generator) / dt)) pre[i].push_back(std::round(t / dt) * dt);
        for (double t = 3.0; t < 2000.0; t += dt * std::ceil(std::exponential_distribution<double>(0.025)(generator) / dt)) post[i].push_back(std::round(t / dt) * dt);
    }
    struct Case {
        std::string rule;
        ParamMap params;
        ReferenceRule reference;
    };
    ReferenceRule pair; // the stdp defaults
    pair.a2_minus = 0.0105;
    ReferenceRule nearest_mult = pair;
    nearest_mult.nearest = true;
    nearest_mult.multiplicative = true;
    ReferenceRule triplet{16.8, 33.7, 101.0, 125.0, 5e-10, 7e-3, 6.2e-3, 2.3e-4, 0.0, 1.0, false, false, false};
    ReferenceRule triplet_nearest{16.8, 33.7, 714.0, 40.0, 8.8e-11, 6.6e-3, 5.3e-2, 3.1e-3, 0.0, 1.0, true, false, false};
    const std::vector<Case> cases{
        {"stdp", {}, pair},
        {"stdp", {{"interaction", std::string("nearest")}, {"dependence", std::string("multiplicative")}}, nearest_mult},
        {"stdp_triplet", {}, triplet},
        {"stdp_triplet",
         {{"interaction", std::string("nearest")}, {"tau_x", 714.0}, {"tau_y", 40.0}, {"a2_plus", 8.8e-11}, {"a3_plus", 5.3e-2},
          {"a2_minus", 6.6e-3}, {"a3_minus", 3.1e-3}},
         triplet_nearest}};
    for (const Case& c : cases) {
        for (double axonal : {0.0, 1.0}) {
            CAPTURE(c.rule);
            CAPTURE(axonal);
            const double delay = 2.0;
            const auto run = run_pairs(pre, post, c.rule, c.params, 0.5, delay, axonal, 2100.0);
            double worst = 0.0;
            for (Index i = 0; i < n; ++i) {
                const double expected = reference_weight(c.reference, 0.5, run.pre[i], run.post[i], axonal, delay - axonal);
                worst = std::max(worst, std::abs(run.weights[i] - expected));
            }
            // Float weights updated some 100 times: a few float roundings of w ~ 0.5.
            CHECK(worst < 2e-6);
        }
    }
}

TEST_CASE("stdp: all-to-all synapses with their own delays give the reference rule's weights (pair and triplet)") {
    // Each target's column and each source's row mix delays, so a postsynaptic spike reaches the
    // synapses of one target at several steps.
    std::mt19937_64 generator(5);
    const Index n_pre = 6, n_post = 5;
    RaggedArray pre_times(n_pre), drive_times(n_post);
    for (auto& row : pre_times)
        for (double t = 1.0; t < 1500.0; t += dt * std::ceil(std::exponential_distribution<double>(0.03)(generator) / dt)) row.push_back(std::round(t / dt) * dt);
    for (auto& row : drive_times)
        for (double t = 2.0; t < 1500.0; t += dt * std::ceil(std::exponential_distribution<double>(0.03)(generator) / dt)) row.push_back(std::round(t / dt) * dt);
    FromList list;
    const std::vector<double> choices{1.2, 2.0, 3.7, 6.1, 9.9};
    for (Index i = 0; i < n_pre; ++i)
        for (Index j = 0; j < n_post; ++j) {
            list.pre.push_back(i);
            list.post.push_back(j);
            list.delays.push_back(choices[(3 * i + j) % choices.size()]);
        }
    ReferenceRule pair;
    pair.a2_minus = 0.0105;
    const ReferenceRule triplet{16.8, 33.7, 101.0, 125.0, 5e-10, 7e-3, 6.2e-3, 2.3e-4, 0.0, 1.0, false, false, false};
    for (const auto& [rule, reference] : {std::pair<std::string, ReferenceRule>{"stdp", pair}, {"stdp_triplet", triplet}}) {
        for (const double axonal : {0.0, 1.0}) {
            CAPTURE(rule);
            CAPTURE(axonal);
            Network net;
            const auto pre = net.add_population("pre", model_info("spike_array"), n_pre, {{"spike_times", pre_times}});
            const auto drive = net.add_population("drive", model_info("spike_array"), n_post, {{"spike_times", drive_times}});
            const auto post = net.add_population("post", model_info("lif"), n_post, {{"t_ref", 0.0}});
            net.connect(drive, post, OneToOne{}, SynapseSpec{100.0, dt, "excitatory"});
            SynapseSpec plastic{0.5, std::nullopt, "excitatory"};
            plastic.plasticity = PlasticitySpec{&rule_info(rule), {}, axonal};
            const auto id = net.connect(pre, post, list, plastic, "plastic");
            net.record(pre, "spikes");
            net.record(post, "spikes");
            auto sim = compile(net, CompileOptions{dt, 1, 2, "float", 0.0});
            sim->run(1600.0);
            RaggedArray pre_seen(n_pre), post_seen(n_post);
            for (auto [name, out] : {std::pair<const char*, RaggedArray*>{"pre", &pre_seen}, {"post", &post_seen}}) {
                const auto& record = sim->recording().spikes_of(name);
                const auto times = record.times(dt);
                for (std::size_t k = 0; k < times.size(); ++k) (*out)[record.senders[k]].push_back(times[k]);
            }
            const SynapseList synapses = sim->synapses(id);
            REQUIRE(synapses.weight.size() == static_cast<std::size_t>(n_pre * n_post));
            double worst = 0.0;
            for (std::size_t s = 0; s < synapses.weight.size(); ++s) {
                const double expected = reference_weight(reference, 0.5, pre_seen[synapses.pre[s]], post_seen[synapses.post[s]],
                                                         axonal, synapses.delay[s] - axonal);
                worst = std::max(worst, std::abs(synapses.weight[s] - expected));
            }
            CHECK(worst < 2e-6);
        }
    }
}

TEST_CASE("stdp: weights are the same for 1, 2 and 3 threads") {
    Network net;
    const auto input = net.add_population("input", model_info("poisson"), 500, {{"rate", 20.0}});
    const auto exc = net.add_population("exc", model_info("lif"), 3000, {{"i_offset", Distribution::uniform(0.6, 0.8)}});
    SynapseSpec plastic{Distribution::uniform(0.0, 0.5), 1.0, "excitatory"};
    plastic.plasticity = PlasticitySpec{&rule_info("stdp_triplet"), {{"w_max", 0.5}}, 0.3};
    const auto id = net.connect(input, exc, FixedProbability{0.1}, plastic);
    SynapseSpec recurrent{Distribution::uniform(0.0, 0.2), 1.5, "excitatory"};
    recurrent.plasticity = PlasticitySpec{&rule_info("stdp"), {{"w_max", 0.2}, {"interaction", std::string("nearest")}}, 0.0};
    const auto id2 = net.connect(exc, exc, FixedProbability{0.02}, recurrent);
    std::vector<float> first, first2;
    for (int threads : {1, 2, 3}) {
        auto sim = compile(net, CompileOptions{dt, 5, threads, "float", 0.0});
        sim->run(500.0);
        const auto w = sim->synapses(id).weight;
        const auto w2 = sim->synapses(id2).weight;
        std::vector<float> got(w.begin(), w.end()), got2(w2.begin(), w2.end());
        if (first.empty()) {
            first = got;
            first2 = got2;
            double changed = 0;
            const auto initial = compile(net, CompileOptions{dt, 5, 1, "float", 0.0})->synapses(id).weight;
            for (std::size_t s = 0; s < w.size(); ++s) changed += w[s] != initial[s];
            CHECK(changed > 0.5 * static_cast<double>(w.size())); // learning happened
        } else {
            CAPTURE(threads);
            CHECK(got == first);
            CHECK(got2 == first2);
        }
    }
}

TEST_CASE("stdp_triplet: potentiation grows with pairing frequency (Pfister & Gerstner 2006, Sjostrom et al. 2001)") {
    // 60 pairings at 0.1 ... 50 Hz with post 10 ms after (+10) or before (-10) pre; visual cortex
    // parameters (all-to-all). The pair rule gives the same change at every frequency up to the
    // overlap of pairs; the triplet rule turns depression into potentiation at high rates.
    const std::vector<double> frequencies{0.1, 10.0, 20.0, 30.0, 40.0, 50.0};
    std::vector<std::vector<double>> pre, post;
    for (double offset : {10.0, -10.0})
        for (double f : frequencies) {
            std::vector<double> a, b;
            for (int k = 0; k < 60; ++k) {
                const double t = 50.0 + k * 1000.0 / f;
                a.push_back(std::round(t / dt) * dt);
                b.push_back(std::round((t + offset) / dt) * dt);
            }
            pre.push_back(a);
            post.push_back(b);
        }
    // Bounds far away: the paper's amplitudes are absolute changes of an unbounded weight.
    const double w0 = 1.0;
    const auto run = run_pairs(pre, post, "stdp_triplet", {{"w_max", 100.0}}, w0, dt, 0.0, 60.0 * 10000.0 + 200.0);
    const std::size_t f_count = frequencies.size();
    for (std::size_t k = 0; k < f_count; ++k) {
        const double after = run.weights[k] - w0, before = run.weights[f_count + k] - w0;
        CAPTURE(frequencies[k]);
        CAPTURE(after);
        CAPTURE(before);
        if (k > 0) CHECK(after > run.weights[k - 1] - w0); // +10 ms: potentiation grows with f
        MESSAGE("60 pairings at ", frequencies[k], " Hz: dw(+10 ms) = ", after, ", dw(-10 ms) = ", before);
    }
    CHECK(run.weights[f_count] - w0 < 0.0);                             // -10 ms at 0.1 Hz: depression
    CHECK(run.weights[2 * f_count - 1] - w0 > 0.0);                     // -10 ms at 50 Hz: potentiation
    CHECK(run.weights[2 * f_count - 1] > run.weights[f_count + 2]);     // -10 ms: 50 Hz above 20 Hz
    CHECK(run.weights[0] - w0 < 0.2 * (run.weights[f_count - 1] - w0)); // +10 ms: small at 0.1 Hz
}

TEST_CASE("oja: runs in the backend every step, within its bounds, the same for any thread count") {
    Network net;
    const auto input = net.add_population("input", model_info("poisson"), 50, {{"rate", Distribution::uniform(5.0, 40.0)}});
    const auto out = net.add_population("out", model_info("lif"), 40, {{"i_offset", 0.7}});
    SynapseSpec hebbian{Distribution::uniform(0.0, 0.5), 1.0, "excitatory"};
    hebbian.plasticity = PlasticitySpec{&rule_info("oja"), {{"eta", 1e-4}, {"w_min", 0.0}, {"w_max", 1.0}}, 0.0};
    const auto id = net.connect(input, out, AllToAll{}, hebbian);
    std::vector<double> first;
    for (int threads : {1, 2}) {
        auto sim = compile(net, CompileOptions{dt, 2, threads, "float", 0.0});
        const auto initial = sim->synapses(id).weight;
        sim->run(300.0);
        const auto w = sim->synapses(id).weight;
        double changed = 0;
        for (std::size_t s = 0; s < w.size(); ++s) {
            changed += w[s] != initial[s];
            CHECK(w[s] >= 0.0);
            CHECK(w[s] <= 1.0);
        }
        CHECK(changed > 0.9 * static_cast<double>(w.size()));
        if (first.empty()) first = w;
        else CHECK(w == first);
    }
}

TEST_CASE("oja: the default bounds leave the synapses transmitting and learning") {
    Network net;
    const auto input = net.add_population("input", model_info("poisson"), 50, {{"rate", 40.0}});
    const auto out = net.add_population("out", model_info("lif"), 10);
    SynapseSpec hebbian{0.8, 1.0, "excitatory"};
    hebbian.plasticity = PlasticitySpec{&rule_info("oja"), {{"eta", 1e-4}}, 0.0};
    const auto id = net.connect(input, out, AllToAll{}, hebbian);
    net.record(out, "spikes");
    auto sim = compile(net, CompileOptions{dt, 2, 1, "float", 0.0});
    sim->run(300.0);
    CHECK(!sim->recording().spikes_of("out").steps.empty()); // input arrives: 50 x 40 Hz x 0.8 mV
    const auto w = sim->synapses(id).weight;
    CHECK(std::count_if(w.begin(), w.end(), [](double x) { return x != 0.8f; }) > 0);
}

TEST_CASE("plasticity: bad specifications are refused with the field named") {
    Network net;
    const auto src = net.add_population("src", model_info("poisson"), 10, {{"rate", 10.0}});
    const auto gen = net.add_population("gen", model_info("poisson_generator"), 1, {{"rate", 10.0}});
    const auto coba = net.add_population("coba", model_info("coba_lif"), 10);
    const auto lif = net.add_population("lif", model_info("lif"), 10);
    auto spec = [](std::string rule, ParamMap params, double axonal = 0.0) {
        SynapseSpec s{0.1, 1.0, "excitatory"};
        s.plasticity = PlasticitySpec{&rule_info(rule), std::move(params), axonal};
        return s;
    };
    check_error([&] { net.connect(src, lif, AllToAll{}, spec("stdp", {{"tau_plus", -1.0}})); }, ErrorCode::invalid_parameter, {"tau_plus", "-1"});
    check_error([&] { net.connect(src, lif, AllToAll{}, spec("stdp", {{"w_max", 0.0}})); }, ErrorCode::invalid_parameter, {"w_max", "w_min"});
    check_error([&] { net.connect(src, lif, AllToAll{}, spec("stdp", {{"lambda", 0.1}})); }, ErrorCode::invalid_parameter, {"lambda"});
    check_error([&] { net.connect(src, coba, AllToAll{}, spec("stdp", {{"w_min", -1.0}})); }, ErrorCode::invalid_parameter, {"w_min", "conductance"});
    check_error([&] { net.connect(gen, lif, AllToAll{}, spec("stdp", {})); }, ErrorCode::invalid_network, {"poisson_generator"});
    check_error([&] { net.connect(src, lif, AllToAll{}, spec("stdp", {}, 1.0)); }, ErrorCode::invalid_parameter, {"axonal_delay"});
    check_error([&] { rule_info("bcm"); }, ErrorCode::invalid_parameter, {"'bcm'", "'stdp'", "'stdp_triplet'", "'oja'"});
    // Delays drawn or listed per synapse are checked against the axonal delay when the synapses exist.
    Network list_net;
    const auto a = list_net.add_population("a", model_info("poisson"), 2, {{"rate", 10.0}});
    const auto b = list_net.add_population("b", model_info("lif"), 2);
    auto listed = spec("stdp", {}, 1.0);
    listed.delay.reset();
    list_net.connect(a, b, FromList{{0, 1}, {0, 1}, {}, {1.0, 2.0}}, listed, "listed");
    check_error([&] { compile(list_net); }, ErrorCode::invalid_parameter, {"'listed'", "axonal_delay", "shortest delay, 1 ms"});
    Network drawn_net;
    const auto c = drawn_net.add_population("c", model_info("poisson"), 20, {{"rate", 10.0}});
    const auto d = drawn_net.add_population("d", model_info("lif"), 20);
    auto drawn = spec("stdp", {}, 1.5);
    drawn.delay = Distribution::uniform(1.0, 2.0);
    drawn_net.connect(c, d, AllToAll{}, drawn, "drawn");
    check_error([&] { compile(drawn_net); }, ErrorCode::invalid_parameter, {"'drawn'", "axonal_delay", "shortest delay"});
}
}
