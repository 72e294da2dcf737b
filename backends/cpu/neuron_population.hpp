#pragma once
// A population of one neuron model in one number type: structure-of-arrays state, coefficients
// computed once from (params, dt), and one input ring per receptor.
#include <array>
#include <vector>

#include "backends/cpu/population.hpp"
#include "core/numeric.hpp"
#include "neurons/neuron_state.hpp"

namespace spikegraph::cpu {

template <class Model, class T>
class NeuronPopulation final : public Population<T> {
public:
    using State = typename Model::template State<T>;
    using Coeffs = typename Model::template Coeffs<T>;
    static constexpr std::size_t variables = State::variables;
    static constexpr int receptors = Model::receptors;

    // `initial[v]` holds the initial value of state variable v for every neuron; `i_offset` the
    // bias current of every neuron.
    NeuronPopulation(const typename Model::Params& params, double dt, const std::vector<std::vector<double>>& initial,
                     const std::vector<double>& i_offset)
        : Population<T>(static_cast<Index>(i_offset.size())), coeffs_(Coeffs::make(params, dt)),
          base_offset_(i_offset), injected_(i_offset.size(), 0.0) {
        const std::size_t n = i_offset.size();
        for (std::size_t v = 0; v < variables; ++v) {
            storage_[v].resize(n);
            for (std::size_t k = 0; k < n; ++k) storage_[v][k] = num::from_real<T>(initial[v][k]);
            view_.var[v] = storage_[v].data();
        }
        offset_.resize(n);
        for (std::size_t k = 0; k < n; ++k) offset_[k] = num::from_real<T>(i_offset[k]);
        refractory_.assign(n, 0);
        view_.i_offset = offset_.data();
        view_.refractory = refractory_.data();
    }

    void make_ring(int receptor, std::uint32_t max_delay, double bound) override {
        rings_[receptor] = InputRing(this->size_, max_delay, bound);
        inverse_scale_[receptor] = num::from_real<T>(rings_[receptor].inverse_scale());
    }

    InputRing* ring(int receptor) override { return &rings_[receptor]; }
    const T* variable(std::size_t index) const override { return storage_[index].data(); }

    void add_injected_current(Index k, double delta) override {
        injected_[k] += delta;
        offset_[k] = num::from_real<T>(base_offset_[k] + injected_[k]);
    }

    std::size_t bytes() const override {
        std::size_t total = (variables + 1) * this->size_ * sizeof(T) + this->size_ * (sizeof(std::int32_t) + 16);
        for (const auto& ring : rings_) total += ring.bytes();
        return total;
    }

    void update(Step n, Parallel& parallel) override {
        const std::uint64_t blocks = (this->size_ + neuron_block - 1) / neuron_block;
        block_spikes_.resize(blocks);
        parallel.for_blocks(this->size_, neuron_block, [&](std::uint64_t begin, std::uint64_t end, std::uint64_t b) {
            update_block(n, static_cast<Index>(begin), static_cast<Index>(end), block_spikes_[b]);
        });
        this->merge_blocks(block_spikes_);
    }

private:
    // Three passes over a block, each a simple loop the compiler vectorises: sum and clear the
    // input slots, step every neuron, then list the ones that spiked.
    void update_block(Step n, Index begin, Index end, std::vector<Index>& out) {
        const Index count = end - begin;
        T input[receptors][neuron_block];
        for (int r = 0; r < receptors; ++r) {
            InputRing& ring = rings_[r];
            T* in = input[r];
            if (!ring.active()) {
                for (Index j = 0; j < count; ++j) in[j] = num::from_real<T>(0.0);
                continue;
            }
            std::int64_t* slot = ring.slot(n) + begin;
            const T inverse = inverse_scale_[r];
            for (Index j = 0; j < count; ++j) {
                in[j] = num::from_accumulator<T>(slot[j], inverse);
                slot[j] = 0;
            }
        }
        std::uint8_t spiked[neuron_block];
        const Coeffs& coeffs = coeffs_;
        const State view = view_;
        for (Index j = 0; j < count; ++j) {
            SynapticInput<T, receptors> in;
            for (int r = 0; r < receptors; ++r) in.value[r] = input[r][j];
            spiked[j] = Model::step(coeffs, view, begin + j, in) ? 1 : 0;
        }
        for (Index j = 0; j < count; ++j)
            if (spiked[j]) out.push_back(begin + j);
    }

    Coeffs coeffs_;
    State view_{};
    std::array<std::vector<T>, variables> storage_;
    std::vector<T> offset_;
    std::vector<std::int32_t> refractory_;
    std::vector<double> base_offset_; // bias current from the parameters [nA]
    std::vector<double> injected_;    // current injected by step current sources [nA]
    std::array<InputRing, receptors> rings_;
    std::array<T, receptors> inverse_scale_{};
    std::vector<std::vector<Index>> block_spikes_;
};

} // namespace spikegraph::cpu
