// Sources: Poisson sources have the requested rate (within 3 standard errors) and geometric
// (discrete-exponential) interval statistics; spike arrays emit their times; step currents
// drive the membrane as the closed form says.
#include <algorithm>
#include <cmath>
#include <map>

#include "support.hpp"

using namespace spikegraph;

TEST_SUITE("backends") {
TEST_CASE("poisson: the mean rate is the requested one within 3 standard errors") {
    const double rate = 20.0, duration = 10000.0, dt = 0.1;
    const Index n = 1000;
    Network net;
    const auto src = net.add_population("src", model_info("poisson"), n, {{"rate", rate}});
    net.record(src, "spikes");
    auto sim = compile(net, CompileOptions{dt, 3, 2, "float", 0.0});
    sim->run(duration);
    const auto& record = sim->recording().spikes_of("src");
    // Each neuron and step is a Bernoulli trial with p = rate * dt.
    const double p = rate * dt * 1e-3, trials = n * duration / dt;
    const double expected = p * trials, standard_error = std::sqrt(trials * p * (1 - p));
    INFO("spikes ", record.steps.size(), ", expected ", expected, " +- ", standard_error);
    CHECK(std::abs(static_cast<double>(record.steps.size()) - expected) < 3 * standard_error);

    // Intervals: P(ISI = k steps) = p (1 - p)^(k - 1); compare the distribution function
    // (Kolmogorov-Smirnov, 1% level) and the coefficient of variation sqrt(1 - p). Only intervals
    // that start in the first half of the run are used: near the end, long intervals cannot be
    // observed, which would bias the sample toward short ones (by about mean ISI / duration).
    const Step half = static_cast<Step>(duration / dt / 2);
    std::map<Index, Step> last;
    std::vector<Step> intervals;
    for (std::size_t s = 0; s < record.steps.size(); ++s) {
        auto it = last.find(record.senders[s]);
        if (it != last.end() && it->second < half) intervals.push_back(record.steps[s] - it->second);
        last[record.senders[s]] = record.steps[s];
    }
    std::sort(intervals.begin(), intervals.end());
    const double count = static_cast<double>(intervals.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < intervals.size();) {
        std::size_t j = i;
        while (j < intervals.size() && intervals[j] == intervals[i]) ++j;
        const double empirical = static_cast<double>(j) / count;
        const double model = 1.0 - std::pow(1.0 - p, static_cast<double>(intervals[i]));
        worst = std::max(worst, std::abs(empirical - model));
        i = j;
    }
    CHECK(worst < 1.63 / std::sqrt(count));
    double mean = 0.0, variance = 0.0;
    for (Step k : intervals) mean += static_cast<double>(k) / count;
    for (Step k : intervals) variance += (static_cast<double>(k) - mean) * (static_cast<double>(k) - mean) / (count - 1);
    CHECK(mean == doctest::Approx(1.0 / p).epsilon(0.01));
    CHECK(std::sqrt(variance) / mean == doctest::Approx(std::sqrt(1 - p)).epsilon(0.02));
}

TEST_CASE("poisson: per-neuron rates, start/stop and a piecewise-constant rate") {
    Network net;
    const auto two = net.add_population("two", model_info("poisson"), 2,
                                        {{"rate", std::vector<double>{0.0, 500.0}}, {"start", 100.0}, {"stop", 300.0}});
    const auto varying = net.add_population("varying", model_info("poisson"), 200,
                                            {{"rate_times", std::vector<double>{0.0, 500.0}},
                                             {"rate_values", std::vector<double>{10.0, 50.0}}});
    net.record(two, "spikes");
    net.record(varying, "spikes");
    auto sim = compile(net, CompileOptions{0.1, 11, 1, "float", 0.0});
    sim->run(1000.0);
    const auto& record = sim->recording().spikes_of("two");
    const auto times = record.times(0.1);
    for (std::size_t s = 0; s < times.size(); ++s) {
        CHECK(record.senders[s] == 1);
        CHECK(times[s] > 100.0);
        CHECK(times[s] <= 300.0 + 1e-9);
    }
    CHECK(std::abs(static_cast<double>(times.size()) - 100.0) < 3 * std::sqrt(100.0));
    const auto& v = sim->recording().spikes_of("varying");
    const auto vt = v.times(0.1);
    const double early = static_cast<double>(std::count_if(vt.begin(), vt.end(), [](double t) { return t <= 500.0; }));
    const double late = static_cast<double>(vt.size()) - early;
    CHECK(std::abs(early - 1000.0) < 3 * std::sqrt(1000.0)); // 200 neurons x 10 Hz x 0.5 s
    CHECK(std::abs(late - 5000.0) < 3 * std::sqrt(5000.0));  // 200 neurons x 50 Hz x 0.5 s
}

TEST_CASE("poisson: a stop time far beyond any run means never stopping") {
    Network net;
    const auto src = net.add_population("src", model_info("poisson"), 100, {{"rate", 100.0}, {"stop", 1e20}});
    net.record(src, "spikes");
    auto sim = compile(net, CompileOptions{});
    sim->run(100.0);
    CHECK(sim->recording().spikes_of("src").steps.size() > 500);
}

TEST_CASE("spike_array: spikes are emitted at their (grid-rounded) times, once per step") {
    Network net;
    const auto src = net.add_population("src", model_info("spike_array"), 3,
                                        {{"spike_times", RaggedArray{{5.0, 1.0}, {}, {0.1, 2.04, 2.0, 7.5}}}});
    net.record(src, "spikes");
    auto sim = compile(net, CompileOptions{0.1, 1, 1, "float", 0.0});
    sim->run(10.0);
    const auto& record = sim->recording().spikes_of("src");
    const auto times = record.times(0.1);
    const std::vector<double> expected_times{0.1, 1.0, 2.0, 5.0, 7.5};
    const std::vector<Index> expected_senders{2, 0, 2, 0, 2};
    REQUIRE(times.size() == expected_times.size());
    for (std::size_t s = 0; s < times.size(); ++s) {
        CHECK(times[s] == doctest::Approx(expected_times[s]).epsilon(1e-12));
        CHECK(record.senders[s] == expected_senders[s]);
    }
}

TEST_CASE("step_current: the injected current drives v as the closed form says") {
    const double tau_m = 10.0, c_m = 0.5, amplitude = 0.2, on = 5.0, off = 25.0, dt = 0.1;
    Network net;
    const auto cells = net.add_population("cells", model_info("lif"), 3,
                                          {{"tau_m", tau_m}, {"c_m", c_m}, {"v_rest", 0.0}, {"v_th", 100.0},
                                           {"v_reset", -1.0}, {"v", 0.0}});
    const auto current = net.add_population("current", model_info("step_current"), 1,
                                            {{"times", std::vector<double>{on, off}},
                                             {"amplitudes", std::vector<double>{amplitude, 0.0}}});
    net.inject(current, cells, {0, 2});
    net.record(cells, "v");
    auto sim = compile(net, CompileOptions{dt, 1, 1, "double", 0.0});
    sim->run(50.0);
    const auto& trace = sim->recording().state_of("cells", "v");
    const auto times = trace.times(dt);
    const double r = tau_m / c_m;
    for (std::size_t i = 0; i < times.size(); ++i) {
        const double t = times[i];
        double v = 0.0;
        if (t > on) v = r * amplitude * (1.0 - std::exp(-(std::min(t, off) - on) / tau_m));
        if (t > off) v *= std::exp(-(t - off) / tau_m);
        CHECK(trace.values[i * 3 + 0] == doctest::Approx(v).epsilon(1e-9).scale(1.0));
        CHECK(trace.values[i * 3 + 1] == 0.0);
        CHECK(trace.values[i * 3 + 2] == trace.values[i * 3 + 0]);
    }
}
}

namespace {
// A poisson_generator onto `targets` lif neurons that never leak nor fire (weight 1 mV, v
// recorded every step), so each step's rise of v is the count of events that arrived.
Network generator_counting_network(double rate, Index targets) {
    Network net;
    const auto gen = net.add_population("background", model_info("poisson_generator"), 1, {{"rate", rate}});
    const auto cells = net.add_population("cells", model_info("lif"), targets,
                                          {{"tau_m", 1e12}, {"v_rest", 0.0}, {"v_reset", -1.0}, {"v_th", 1e12}, {"v", 0.0}});
    net.connect(gen, cells, AllToAll{}, SynapseSpec{1.0, std::nullopt, "excitatory"});
    net.record(cells, "v");
    return net;
}
} // namespace

TEST_SUITE("backends") {
TEST_CASE("poisson_generator: every target receives its own Poisson count per step") {
    // With no leak and v_rest = 0, each step's rise of v is the count that arrived (weight 1 mV).
    const double rate = 16000.0, dt = 0.1, lambda = rate * dt * 1e-3; // 1.6 events per step
    const Index targets = 64;
    const int steps = 4000;
    const Network net = generator_counting_network(rate, targets);
    std::vector<std::vector<double>> runs;
    for (int threads : {1, 2}) {
        auto sim = compile(net, CompileOptions{dt, 21, threads, "double", 0.0});
        sim->run(steps * dt);
        runs.push_back(sim->recording().state_of("cells", "v").values);
    }
    CHECK(runs[0] == runs[1]); // the same counts for any thread count
    const auto& v = runs[0];
    std::vector<double> histogram(12, 0.0);
    double sum = 0.0, sum_squares = 0.0, cross = 0.0;
    const double total = static_cast<double>(targets) * (steps - 1);
    for (int i = 1; i < steps; ++i)
        for (Index j = 0; j < targets; ++j) {
            const double count = std::round(v[i * targets + j] - v[(i - 1) * targets + j]);
            sum += count;
            sum_squares += count * count;
            histogram[std::min<std::size_t>(static_cast<std::size_t>(count), 11)] += 1.0;
            if (j + 1 < targets) cross += count * std::round(v[i * targets + j + 1] - v[(i - 1) * targets + j + 1]);
        }
    const double mean = sum / total, variance = sum_squares / total - mean * mean;
    CHECK(std::abs(mean - lambda) < 4.0 * std::sqrt(lambda / total)); // Poisson: variance = mean
    CHECK(variance == doctest::Approx(lambda).epsilon(0.03));
    // Neighbouring targets are independent: E[xy] = E[x] E[y].
    CHECK(cross / (static_cast<double>(targets - 1) * (steps - 1)) == doctest::Approx(lambda * lambda).epsilon(0.03));
    double probability = std::exp(-lambda);
    for (int k = 0; k < 6; ++k) {
        INFO("count ", k);
        CHECK(histogram[k] / total == doctest::Approx(probability).epsilon(0.05));
        probability *= lambda / (k + 1);
    }
}

TEST_CASE("poisson_generator: a row onto consecutive targets draws the counts any row would") {
    // All-to-all rows take a vectorised path; a row with a gap takes the general one. The
    // counts are addressed by (target, step), so every shared target must see the same trace.
    // 3 events per step: counts past a bucket's first threshold occur, and the vectorised path
    // reads its few ceilings from registers; 10 per step: more than 32 counts, read by gathers.
    for (const double rate : {30000.0, 100000.0}) {
        CAPTURE(rate);
        const double dt = 0.1;
        const Index targets = 70; // one chunk of 64 and a partial one
        const Network dense = generator_counting_network(rate, targets);
        Network gapped;
        const auto gen = gapped.add_population("background", model_info("poisson_generator"), 1, {{"rate", rate}});
        const auto cells = gapped.add_population("cells", model_info("lif"), targets,
                                                 {{"tau_m", 1e12}, {"v_rest", 0.0}, {"v_reset", -1.0}, {"v_th", 1e12}, {"v", 0.0}});
        FromList list;
        for (Index k = 0; k < targets; ++k)
            if (k != 5) {
                list.pre.push_back(0);
                list.post.push_back(k);
            }
        gapped.connect(gen, cells, list, SynapseSpec{1.0, std::nullopt, "excitatory"});
        gapped.record(cells, "v");
        auto a = compile(dense, CompileOptions{dt, 3, 1, "double", 0.0});
        auto b = compile(gapped, CompileOptions{dt, 3, 2, "double", 0.0});
        a->run(200.0);
        b->run(200.0);
        const auto& va = a->recording().state_of("cells", "v").values;
        const auto& vb = b->recording().state_of("cells", "v").values;
        REQUIRE(va.size() == vb.size());
        double differing = 0.0, total = 0.0;
        for (std::size_t i = 0; i < va.size(); ++i) {
            if (i % targets == 5) continue;
            differing += va[i] != vb[i] ? 1.0 : 0.0;
            total += va[i];
        }
        CHECK(differing == 0.0);
        CHECK(total > 0.0);
    }
}

TEST_CASE("poisson_generator: large means (800 events per step) keep Poisson mean and variance") {
    // exp(-800) underflows; the thresholds must still describe Poisson(800).
    const double rate = 8e6, dt = 0.1, lambda = rate * dt * 1e-3;
    const Index targets = 32;
    const int steps = 1000;
    const Network net = generator_counting_network(rate, targets);
    auto sim = compile(net, CompileOptions{dt, 5, 1, "double", 0.0});
    sim->run(steps * dt);
    const auto& v = sim->recording().state_of("cells", "v").values;
    double sum = 0.0, sum_squares = 0.0;
    const double total = static_cast<double>(targets) * (steps - 1);
    for (int i = 1; i < steps; ++i)
        for (Index j = 0; j < targets; ++j) {
            const double count = std::round(v[i * targets + j] - v[(i - 1) * targets + j]);
            sum += count;
            sum_squares += count * count;
        }
    const double mean = sum / total, variance = sum_squares / total - mean * mean;
    CHECK(std::abs(mean - lambda) < 4.0 * std::sqrt(lambda / total));
    CHECK(variance == doctest::Approx(lambda).epsilon(0.05)); // six standard errors
}

TEST_CASE("poisson_generator: its spikes cannot be recorded, and each target is connected once") {
    Network net;
    const auto gen = net.add_population("g", model_info("poisson_generator"), 1, {{"rate", 10.0}});
    const auto cells = net.add_population("cells", model_info("lif"), 4);
    test::check_error([&] { net.record(gen, "spikes"); }, ErrorCode::invalid_network, {"record the targets"});
    net.connect(gen, cells, FromList{{0, 0}, {1, 1}, {}, {}}, SynapseSpec{1.0, std::nullopt, "excitatory"});
    test::check_error([&] { compile(net, CompileOptions{}); }, ErrorCode::invalid_network, {"two synapses onto neuron 1"});
}
}
