// li: a leaky integrator readout follows the same closed form as cuba_lif and never spikes.
#include <cmath>

#include "harness.hpp"
#include "support.hpp"

using namespace spikegraph;

TEST_SUITE("neurons") {
TEST_CASE("li: closed-form trajectory and no spikes however large v gets") {
    LiParams p;
    p.tau_m = 8.0;
    p.c_m = 0.5;
    p.v_rest = 0.0;
    p.tau_syn_e = 3.0;
    test::SingleNeuron<Li> neuron(p, 0.5);
    neuron.var[Li::i_exc] = 40.0;
    double worst = 0.0;
    for (int n = 0; n < 2000; ++n) {
        CHECK_FALSE(neuron.step());
        const double t = (n + 1) * 0.5;
        const double v = 40.0 / p.c_m * p.tau_m * p.tau_syn_e / (p.tau_m - p.tau_syn_e) *
                         (std::exp(-t / p.tau_m) - std::exp(-t / p.tau_syn_e));
        if (std::abs(v) > 1e-200) worst = std::max(worst, test::relative_error(neuron.var[Li::v], v));
    }
    CHECK(worst < 1e-9);
}
}
