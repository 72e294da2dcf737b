// lif's f-I curve under constant current equals the analytic rate
//   f = 1 / (t_ref + tau_m ln((v_inf - v_reset) / (v_inf - v_th))),   v_inf = v_rest + R I,
// within 0.1%, run through the CPU backend at dt = 0.01 ms (spike times fall on the grid, so each
// interval exceeds the continuous one by less than one step: < 0.07% for intervals > 15 ms).
#include <cmath>

#include "support.hpp"

using namespace spikegraph;

TEST_SUITE("neurons") {
TEST_CASE("lif: f-I curve matches the analytic rate within 0.1%") {
    const double tau_m = 20.0, c_m = 0.25, v_rest = -70.0, v_th = -54.0, v_reset = -70.0, t_ref = 2.0;
    const double rheobase = (v_th - v_rest) * c_m / tau_m; // 0.2 nA
    std::vector<double> currents;
    for (double factor : {1.02, 1.05, 1.1, 1.25, 1.5, 2.0}) currents.push_back(factor * rheobase);
    Network net;
    const auto p = net.add_population("lif", model_info("lif"), static_cast<Index>(currents.size()),
                                      {{"tau_m", tau_m}, {"c_m", c_m}, {"v_rest", v_rest}, {"v_th", v_th},
                                       {"v_reset", v_reset}, {"t_ref", t_ref}, {"i_offset", currents}, {"v", v_reset}});
    net.record(p, "spikes");
    CompileOptions options;
    options.dt = 0.01;
    options.precision = "double";
    options.threads = 1;
    auto sim = compile(net, options);
    sim->run(3000.0);
    const auto& record = sim->recording().spikes_of("lif");
    const auto times = record.times(options.dt);
    for (std::size_t k = 0; k < currents.size(); ++k) {
        std::vector<double> mine;
        for (std::size_t s = 0; s < times.size(); ++s)
            if (record.senders[s] == k) mine.push_back(times[s]);
        REQUIRE(mine.size() >= 3);
        const double mean_isi = (mine.back() - mine.front()) / static_cast<double>(mine.size() - 1);
        const double v_inf = v_rest + tau_m / c_m * currents[k];
        const double analytic = 1000.0 / (t_ref + tau_m * std::log((v_inf - v_reset) / (v_inf - v_th)));
        const double measured = 1000.0 / mean_isi;
        INFO("I = ", currents[k], " nA: analytic ", analytic, " Hz, measured ", measured, " Hz");
        CHECK(std::abs(measured - analytic) / analytic < 1e-3);
    }
}
}
