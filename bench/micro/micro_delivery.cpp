// Spike delivery throughput in synaptic events per second: a fixed-probability projection with
// fan-out 80, a random tenth of the neurons spiking per call, uniform or heterogeneous delays.
// Small tables fit in cache; a million neurons do not.
#include <benchmark/benchmark.h>

#include <limits>
#include <random>
#include <vector>

#include "backends/cpu/projection_runtime.hpp"
#include "core/synapse_table.hpp"
#include "neurons/models.hpp"

using namespace spikegraph;

namespace {

// int64_slots: the slots of populations whose weights int32 cannot hold finely enough.
void delivery(benchmark::State& state, bool varying_delays, bool int64_slots) {
    const auto n = static_cast<Index>(state.range(0));
    Network net;
    const auto pop = net.add_population("p", model_info("cuba_lif"), n);
    SynapseSpec synapse{0.1, std::nullopt, "excitatory"};
    if (varying_delays) synapse.delay = Distribution::uniform(0.1, 5.0);
    net.connect(pop, pop, FixedProbability{80.0 / n}, synapse);
    std::vector<SynapseTable> tables{build_synapse_table(net, ProjectionId{0}, 1, 0.1)};
    const std::uint64_t synapses = tables[0].size();
    cpu::InputRing ring(n, tables[0].max_delay, 80.0 * 0.1, !int64_slots);
    cpu::ProjectionRuntime projection(std::move(tables), 0, 0, &ring);
    std::mt19937 generator(7);
    std::vector<Index> spikes;
    for (Index k = 0; k < n; ++k)
        if (generator() % 10 == 0) spikes.push_back(k);
    const std::vector<Index>* lists[1] = {&spikes};
    Step step = 0;
    for (auto _ : state) projection.deliver(0, lists, 1, nullptr, step++);
    const double events = static_cast<double>(spikes.size()) * static_cast<double>(synapses) / n;
    state.counters["events_per_second"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * events, benchmark::Counter::kIsRate);
}

void delivery_uniform_delay(benchmark::State& s) { delivery(s, false, false); }
void delivery_varying_delays(benchmark::State& s) { delivery(s, true, false); }
void delivery_uniform_delay_int64(benchmark::State& s) { delivery(s, false, true); }
void delivery_varying_delays_int64(benchmark::State& s) { delivery(s, true, true); }

} // namespace

BENCHMARK(delivery_uniform_delay)->Arg(4000)->Arg(40000)->Arg(1000000);
BENCHMARK(delivery_varying_delays)->Arg(4000)->Arg(40000)->Arg(1000000);
BENCHMARK(delivery_uniform_delay_int64)->Arg(4000)->Arg(40000)->Arg(1000000);
BENCHMARK(delivery_varying_delays_int64)->Arg(4000)->Arg(40000)->Arg(1000000);

namespace {

// Poisson generator drive in draws (target-steps) per second: one generator onto every target,
// 1.6 events per step (the microcircuit's background), all-to-all (consecutive targets) or with
// one target left out (the general path).
void generator_drive(benchmark::State& state, bool consecutive) {
    const auto n = static_cast<Index>(state.range(0));
    Network net;
    const auto gen = net.add_population("g", model_info("poisson_generator"), 1, {{"rate", 16000.0}});
    const auto pop = net.add_population("p", model_info("cuba_lif"), n);
    FromList list;
    for (Index k = 0; k < n; ++k)
        if (consecutive || k != 1) {
            list.pre.push_back(0);
            list.post.push_back(k);
        }
    net.connect(gen, pop, list, SynapseSpec{0.1, std::nullopt, "excitatory"});
    std::vector<SynapseTable> tables{build_synapse_table(net, ProjectionId{0}, 1, 0.1)};
    cpu::GeneratorDrive drive{cpu::poisson_thresholds(1.6), 0, std::numeric_limits<Step>::max(), 1, 0, {}};
    cpu::InputRing ring(n, tables[0].max_delay, 0.1 * 20.0, false);
    cpu::ProjectionRuntime projection(std::move(tables), 0, 1, &ring, std::move(drive));
    const std::vector<Index> none;
    const std::vector<Index>* lists[1] = {&none};
    Step step = 0;
    for (auto _ : state) projection.deliver(0, lists, 1, nullptr, step++);
    state.counters["draws_per_second"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * n, benchmark::Counter::kIsRate);
}

void generator_drive_consecutive(benchmark::State& s) { generator_drive(s, true); }
void generator_drive_general(benchmark::State& s) { generator_drive(s, false); }

} // namespace

BENCHMARK(generator_drive_consecutive)->Arg(20000);
BENCHMARK(generator_drive_general)->Arg(20000);
