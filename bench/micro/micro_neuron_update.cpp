// Neuron update cost per neuron-step: one population, one thread, inputs read from its rings
// (as in a run), no spikes delivered.
#include <benchmark/benchmark.h>

#include <type_traits>
#include <vector>

#include "backends/cpu/neuron_population.hpp"
#include "backends/cpu/parallel.hpp"
#include "neurons/models.hpp"

using namespace spikegraph;

namespace {

template <class Model, class T>
void neuron_update(benchmark::State& state, typename Model::Params params) {
    const auto n = static_cast<Index>(state.range(0));
    std::vector<std::vector<double>> initial(Model::info().state.size(), std::vector<double>(n, 0.0));
    for (Index k = 0; k < n; ++k) initial[0][k] = -60.0 + 10.0 * k / n; // spread below threshold
    cpu::NeuronPopulation<Model, T> population(params, 0.1, initial, std::vector<double>(n, 0.0));
    // The slots a run gives such a population: int32 for float, int64 for double (input_ring.hpp).
    population.make_rings(std::vector<cpu::RingShape>(Model::receptors, cpu::RingShape{1, 1.0}), std::is_same_v<T, float>);
    std::vector<Index> spikes;
    Step step = 0;
    cpu::ScopedFlushToZero flush_to_zero; // as the engine runs
    for (auto _ : state) {
        spikes.clear();
        population.update(step++, 0, n, spikes);
        benchmark::DoNotOptimize(spikes.data());
    }
    state.SetItemsProcessed(state.iterations() * n);
    state.counters["ns_per_neuron_step"] = benchmark::Counter(static_cast<double>(state.iterations()) * n,
                                                             benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

CobaLifParams coba(CobaIntegrator integrator) {
    CobaLifParams p;
    p.tau_m = 20.0;
    p.c_m = 0.2;
    p.v_rest = -60.0;
    p.t_ref = 5.0;
    p.tau_syn_i = 10.0;
    p.e_rev_i = -80.0;
    p.integrator = integrator;
    return p;
}

void lif_float(benchmark::State& s) { neuron_update<Lif, float>(s, LifParams{}); }
void cuba_lif_float(benchmark::State& s) { neuron_update<CubaLif, float>(s, CubaLifParams{}); }
void coba_lif_gauss_legendre_float(benchmark::State& s) { neuron_update<CobaLif, float>(s, coba(CobaIntegrator::gauss_legendre)); }
void coba_lif_midpoint_float(benchmark::State& s) { neuron_update<CobaLif, float>(s, coba(CobaIntegrator::midpoint)); }
void coba_lif_euler_float(benchmark::State& s) { neuron_update<CobaLif, float>(s, coba(CobaIntegrator::euler)); }
void coba_lif_gauss_legendre_double(benchmark::State& s) { neuron_update<CobaLif, double>(s, coba(CobaIntegrator::gauss_legendre)); }
void li_float(benchmark::State& s) { neuron_update<Li, float>(s, LiParams{}); }

} // namespace

BENCHMARK(lif_float)->Arg(4000)->Arg(40000);
BENCHMARK(cuba_lif_float)->Arg(4000)->Arg(40000);
BENCHMARK(coba_lif_gauss_legendre_float)->Arg(4000)->Arg(40000);
BENCHMARK(coba_lif_midpoint_float)->Arg(4000)->Arg(40000);
BENCHMARK(coba_lif_euler_float)->Arg(4000)->Arg(40000);
BENCHMARK(coba_lif_gauss_legendre_double)->Arg(4000);
BENCHMARK(li_float)->Arg(4000);
