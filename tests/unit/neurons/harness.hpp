#pragma once
// One neuron of a model, stepped directly (no backend), for analytic tests.
#include <array>
#include <cstdint>

#include "neurons/models.hpp"

namespace spikegraph::test {

template <class Model, class T = double>
struct SingleNeuron {
    using State = typename Model::template State<T>;
    typename Model::template Coeffs<T> coeffs;
    std::array<T, State::variables> var{};
    T i_offset{};
    std::int32_t free_from = 0; // neurons/spike_rule.hpp
    Step steps = 0;
    double dt;

    SingleNeuron(const typename Model::Params& params, double step) : coeffs(Model::template Coeffs<T>::make(params, step)), dt(step) {
        i_offset = static_cast<T>(params.i_offset);
    }

    // Advances one step with input `exc`, `inh` arriving at its end; returns whether it spiked.
    bool step(T exc = 0, T inh = 0) {
        State view{};
        for (std::size_t v = 0; v < State::variables; ++v) view.var[v] = &var[v];
        view.i_offset = &i_offset;
        view.free_from = &free_from;
        view.now = wrapping_clock(steps++);
        return with_variant<Model>(coeffs, [&](auto variant) {
            return Model::template step<decltype(variant)::value>(coeffs, view, 0, SynapticInput<T, Model::receptors>{{exc, inh}});
        });
    }
};

} // namespace spikegraph::test
