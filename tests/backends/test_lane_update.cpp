// A float population's update (16 neurons per instruction where the model allows, see
// backends/cpu/lane_update.hpp) gives bit for bit what Model::step gives one neuron at a time:
// membrane, synaptic variables and spikes, with sparse random input, neurons held refractory,
// both reset modes, int32 and int64 input slots, and a population size that leaves a partial
// block and a partial vector.
#include "support.hpp"

#include <bit>
#include <cstdint>
#include <random>
#include <type_traits>
#include <vector>

#include "backends/cpu/neuron_population.hpp"
#include "core/numeric.hpp"

using namespace spikegraph;

namespace {

// `uniform_bias`: every neuron starts with the same bias current (which the lane update keeps in
// a register) until, half way, a current injected into one neuron makes them differ. Slot: the
// input slots' type, int32 or int64 (the rings of populations with large fan-ins).
template <class Model, class Slot = std::int32_t>
void check_population_matches_step(typename Model::Params params, bool uniform_bias = false) {
    using T = float;
    using Coeffs = typename Model::template Coeffs<T>;
    using State = typename Model::template State<T>;
    constexpr int receptors = Model::receptors;
    constexpr std::size_t variables = State::variables;
    const Index n = 2 * cpu::neuron_block + 37; // two full blocks, then 37 neurons: two vectors and 5 lanes
    const double dt = 0.1;

    std::mt19937 rng(7);
    std::uniform_real_distribution<double> membrane(params.v_reset, params.v_th), bias(0.0, 1.2), unit(0.0, 1.0);
    std::vector<std::vector<double>> initial(variables, std::vector<double>(n, 0.0));
    std::vector<double> offset(n);
    for (Index k = 0; k < n; ++k) {
        initial[0][k] = membrane(rng);
        for (std::size_t v = 1; v < variables; ++v) initial[v][k] = 0.01 * unit(rng);
        offset[k] = uniform_bias ? 0.9 : bias(rng);
    }
    cpu::NeuronPopulation<Model, T> population(params, dt, initial, offset);
    population.make_rings(std::vector<cpu::RingShape>(receptors, cpu::RingShape{1, 2.0}), std::is_same_v<Slot, std::int32_t>);

    // The reference: the same neurons stepped one at a time by Model::step.
    const Coeffs coeffs = Coeffs::make(params, dt);
    std::vector<std::vector<T>> var(variables, std::vector<T>(n));
    for (std::size_t v = 0; v < variables; ++v)
        for (Index k = 0; k < n; ++k) var[v][k] = static_cast<T>(initial[v][k]);
    std::vector<T> i_offset(offset.begin(), offset.end());
    std::vector<std::int32_t> free_from(n, 0);
    State view{};
    for (std::size_t v = 0; v < variables; ++v) view.var[v] = var[v].data();
    view.i_offset = i_offset.data();
    view.free_from = free_from.data();

    std::size_t total_spikes = 0;
    std::vector<Index> spikes;
    const Index injected = 1000;
    for (Step step = 0; step < 400; ++step) {
        if (uniform_bias && step == 200) {
            population.add_injected_current(injected, 0.3);
            i_offset[injected] = static_cast<T>(0.9 + 0.3);
        }
        // Sparse input: most slots stay zero, as in a network firing at a few hertz. Currents up
        // to ~0.75 in value, every bit of an int64 slot used (float keeps 24 of them: rounding).
        std::vector<std::vector<Slot>> input(receptors, std::vector<Slot>(n, 0));
        for (int r = 0; r < receptors; ++r) {
            Slot* slot = population.ring(r)->template slot<Slot>(step);
            const double scale = population.ring(r)->scale();
            for (Index k = 0; k < n; ++k)
                if (unit(rng) < 0.05) slot[k] = input[r][k] = static_cast<Slot>((unit(rng) - 0.3) * 0.745 * scale);
        }
        spikes.clear();
        population.update(step, 0, n, spikes);

        view.now = wrapping_clock(step);
        std::vector<Index> expected;
        for (Index k = 0; k < n; ++k) {
            SynapticInput<T, receptors> in;
            for (int r = 0; r < receptors; ++r)
                in.value[r] = num::from_accumulator<T>(input[r][k], static_cast<T>(population.ring(r)->inverse_scale()));
            const bool spiked = with_variant<Model>(coeffs, [&](auto variant) {
                return Model::template step<decltype(variant)::value>(coeffs, view, k, in);
            });
            if (spiked) expected.push_back(k);
        }
        REQUIRE(spikes == expected);
        total_spikes += spikes.size();
        for (std::size_t v = 0; v < variables; ++v) {
            const T* got = population.variable(v);
            Index differing = 0;
            for (Index k = 0; k < n; ++k) differing += std::bit_cast<std::uint32_t>(got[k]) != std::bit_cast<std::uint32_t>(var[v][k]);
            REQUIRE_MESSAGE(differing == 0, "state variable ", v, " differs in ", differing, " neurons at step ", step);
        }
        for (int r = 0; r < receptors; ++r) {
            const Slot* slot = population.ring(r)->template slot<Slot>(step);
            Index left = 0;
            for (Index k = 0; k < n; ++k) left += slot[k] != 0;
            REQUIRE_MESSAGE(left == 0, left, " input slots of receptor ", r, " not cleared");
        }
    }
    // Enough spikes that reset and refractoriness were exercised on many lanes.
    CHECK(total_spikes > static_cast<std::size_t>(n));
}

} // namespace

TEST_CASE("float update of lif matches Model::step bit for bit") {
    LifParams p;
    p.t_ref = 2.0;
    p.c_m = 0.5;
    check_population_matches_step<Lif>(p);
    check_population_matches_step<Lif>(p, true);
    check_population_matches_step<Lif, std::int64_t>(p);
    p.reset = ResetMode::subtract;
    check_population_matches_step<Lif>(p);
}

TEST_CASE("float update of cuba_lif matches Model::step bit for bit, both integrations") {
    CubaLifParams p;
    p.t_ref = 2.0;
    p.tau_syn_i = 10.0;
    check_population_matches_step<CubaLif>(p);
    check_population_matches_step<CubaLif>(p, true);
    check_population_matches_step<CubaLif, std::int64_t>(p);
    p.reset = ResetMode::subtract;
    check_population_matches_step<CubaLif>(p);
    p.integration = CubaIntegration::discrete;
    check_population_matches_step<CubaLif>(p);
    check_population_matches_step<CubaLif, std::int64_t>(p, true);
}

TEST_CASE("float update of coba_lif matches Model::step bit for bit, every integrator") {
    CobaLifParams p;
    p.t_ref = 2.0;
    p.c_m = 0.2;
    p.tau_syn_i = 10.0;
    p.e_rev_i = -80.0;
    for (auto integrator : {CobaIntegrator::euler, CobaIntegrator::midpoint, CobaIntegrator::gauss_legendre}) {
        p.integrator = integrator;
        p.reset = ResetMode::to_value;
        check_population_matches_step<CobaLif>(p);
        check_population_matches_step<CobaLif>(p, true);
        check_population_matches_step<CobaLif, std::int64_t>(p);
        p.reset = ResetMode::subtract;
        check_population_matches_step<CobaLif>(p);
    }
}
