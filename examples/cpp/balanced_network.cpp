// The C++ API: a CUBA balanced network (Brette et al. 2007, benchmark 2) driven by Poisson
// input, run on the CPU backend, saved to HDF5.
//   balanced_network [duration_ms] [output.h5]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "backends/backend.hpp"
#include "neurons/models.hpp"

using namespace spikegraph;

int main(int argc, char** argv) {
    const double duration = argc > 1 ? std::atof(argv[1]) : 1000.0;
    const std::string output = argc > 2 ? argv[2] : "balanced_network.h5";
    try {
        Network net;
        const ParamMap cell{{"tau_m", 20.0}, {"c_m", 0.2}, {"v_rest", -49.0}, {"v_th", -50.0}, {"v_reset", -60.0},
                            {"t_ref", 5.0}, {"tau_syn_e", 5.0}, {"tau_syn_i", 10.0},
                            {"v", Distribution::uniform(-60.0, -50.0)}};
        const auto exc = net.add_population("exc", model_info("cuba_lif"), 3200, cell);
        const auto inh = net.add_population("inh", model_info("cuba_lif"), 800, cell);
        // Weights in nA: 1.62 mV and -9 mV jumps of the synaptic drive, times g_l = 0.01 uS.
        const SynapseSpec excitatory{0.0162, std::nullopt, "excitatory"};
        const SynapseSpec inhibitory{-0.09, std::nullopt, "inhibitory"};
        for (auto post : {exc, inh}) {
            net.connect(exc, post, FixedProbability{0.02}, excitatory);
            net.connect(inh, post, FixedProbability{0.02}, inhibitory);
        }
        net.record(exc, "spikes");
        net.record(inh, "spikes");

        auto sim = compile(net, CompileOptions{0.1, 1, 0, "float", 0.0});
        sim->run(duration, stderr_progress("balanced_network"));
        sim->save(output, SaveOptions{"cuba", true});
        const auto& spikes = sim->recording().spikes_of("exc");
        std::printf("%zu excitatory spikes in %g ms: %.2f Hz; results in %s\n", spikes.steps.size(), duration,
                    static_cast<double>(spikes.steps.size()) / 3200.0 / (duration * 1e-3), output.c_str());
    } catch (const Error& error) {
        std::fprintf(stderr, "error (%s): %s\n", std::string(to_string(error.code())).c_str(), error.what());
        return 1;
    }
    return 0;
}
