#pragma once
// A population of one neuron model in one number type: structure-of-arrays state, coefficients
// computed once from (params, dt), and one input ring per receptor.
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <vector>

#include "backends/cpu/aligned.hpp"
#include "backends/cpu/lane_update.hpp"
#include "backends/cpu/population.hpp"
#include "core/avx512.hpp"
#include "core/numeric.hpp"
#include "neurons/neuron_state.hpp"
#include "neurons/spike_rule.hpp"
#include "neurons/variants.hpp"

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
        free_from_.assign(n, 0); // free from step 0, where runs start
        view_.i_offset = offset_.data();
        uniform_offset_.store(n > 0 && std::all_of(offset_.begin(), offset_.end(), [&](T x) { return same_bits(x, offset_[0]); }),
                              std::memory_order_relaxed);
        view_.free_from = free_from_.data();
        // Every receptor has a ring, even one nothing projects onto, so the step loop needs no branch.
        make_rings(std::vector<RingShape>(receptors), false);
    }

    void make_rings(const std::vector<RingShape>& shapes, bool narrow) override {
        for (int r = 0; r < receptors; ++r) {
            rings_[r] = InputRing(this->size_, shapes.at(r).max_delay, shapes.at(r).bound, narrow);
            inverse_scale_[r] = num::from_real<T>(rings_[r].inverse_scale());
        }
    }

    InputRing* ring(int receptor) override { return &rings_[receptor]; }
    const T* variable(std::size_t index) const override { return storage_[index].data(); }

    // Called by the thread that updates neuron k's range (no other writes its offsets), which
    // therefore sees its own clearing of uniform_offset_; another thread reading it stale steps
    // only neurons whose offsets are still the uniform one.
    void add_injected_current(Index k, double delta) override {
        injected_[k] += delta;
        offset_[k] = num::from_real<T>(base_offset_[k] + injected_[k]);
        if (!same_bits(offset_[k], offset_[0])) uniform_offset_.store(false, std::memory_order_relaxed);
    }

    std::size_t bytes() const override {
        std::size_t total = (variables + 1) * this->size_ * sizeof(T) + this->size_ * (sizeof(std::int32_t) + 16);
        for (const auto& ring : rings_) total += ring.bytes();
        return total;
    }

    void update(Step n, Index begin, Index end, std::vector<Index>& spikes) override {
        keep_free_from_in_range(free_from_.data() + begin, end - begin, n);
        rings_[0].with_slot_type([&](auto slot_type) {
            using Slot = decltype(slot_type);
            for (Index block = begin; block < end; block += std::min<Index>(neuron_block, end - block))
                update_block<Slot>(n, block, std::min<Index>(block + neuron_block, end), spikes);
        });
    }

private:
    // Two passes over a block: step every neuron (reading and clearing its input slots) into one
    // spike bit per neuron, then list the ones that spiked. Float populations on AVX-512 step on
    // lanes where the model's variant allows (lane_update.hpp); otherwise the loop over
    // Model::step is left to the compiler's vectoriser, which needs to see that the coefficients
    // cannot change under it (a local copy) and indexes from 0 (the block's arrays start at `begin`).
    template <class Slot>
    void update_block(Step n, Index begin, Index end, std::vector<Index>& out) {
        const Index count = end - begin;
        Slot* slots[receptors];
        T inverse[receptors];
        for (int r = 0; r < receptors; ++r) {
            slots[r] = rings_[r].template slot<Slot>(n) + begin;
            inverse[r] = inverse_scale_[r];
        }
        alignas(64) std::uint64_t bits[neuron_block / 64];
        const Coeffs coeffs = coeffs_;
        State view = view_;
        for (auto& array : view.var) array += begin;
        view.i_offset += begin;
        view.free_from += begin;
        view.now = wrapping_clock(n);
        with_variant<Model>(coeffs, [&](auto variant) {
            constexpr int V = decltype(variant)::value;
            if constexpr (std::is_same_v<T, float> && slots_on_lanes<Slot> && integrates_on_lanes<Model, V>)
                update_on_lanes<Model, V>(coeffs, view, slots, inverse, uniform_offset_.load(std::memory_order_relaxed), count, bits);
            else
                update_compiled<V>(coeffs, view, slots, inverse, count, bits);
        });
        // The set bits of each word are read off in order: no branch per neuron, which spikes at
        // random places would mispredict.
        for (Index chunk = 0; chunk < count; chunk += 64) {
            std::uint64_t word = bits[chunk / 64];
            if (word == 0) continue;
            std::size_t at = out.size();
            out.resize(at + static_cast<std::size_t>(std::popcount(word)));
            for (; word != 0; word &= word - 1) out[at++] = begin + chunk + static_cast<Index>(std::countr_zero(word));
        }
    }

    template <int Variant, class Slot>
    static void update_compiled(const Coeffs& coeffs, const State& view, Slot* const (&slots)[receptors], const T (&inverse)[receptors],
                                Index count, std::uint64_t* bits) {
        // Flags as wide as the state (0 or 1 in 32 bits): a byte per flag would make the compiler
        // step 64 neurons per iteration to fill one byte vector, 4 registers per array, and spill.
        alignas(64) std::int32_t spiked[neuron_block + 64];
        // Locals, so the loop does not depend on inlining: values reached through references
        // could alias the loop's stores.
        const Index size = count;
        const Coeffs c = coeffs;
        const State state = view;
        Slot* input[receptors];
        T scale[receptors];
        for (int r = 0; r < receptors; ++r) {
            input[r] = slots[r];
            scale[r] = inverse[r];
        }
        std::int32_t* flags = spiked;
        for (Index j = 0; j < size; ++j) {
            SynapticInput<T, receptors> in;
            SPIKEGRAPH_UNROLL
            for (int r = 0; r < receptors; ++r) {
                in.value[r] = num::from_accumulator<T>(input[r][j], scale[r]);
                input[r][j] = 0;
            }
            flags[j] = Model::template step<Variant>(c, state, j, in) ? 1 : 0;
        }
        std::memset(spiked + count, 0, 64 * sizeof(std::int32_t));
        for (Index chunk = 0; chunk < count; chunk += 64) bits[chunk / 64] = spike_bits(spiked + chunk);
    }

    static bool same_bits(T a, T b) { return std::memcmp(&a, &b, sizeof(T)) == 0; }

    // Bit i set where flags[i] != 0, for 64 flags.
    static std::uint64_t spike_bits(const std::int32_t* flags) {
#if defined(__AVX512F__)
        std::uint64_t bits = 0;
        for (int part = 0; part < 4; ++part) {
            const __m512i word = _mm512_load_si512(flags + 16 * part);
            bits |= static_cast<std::uint64_t>(_mm512_test_epi32_mask(word, word)) << (16 * part);
        }
        return bits;
#else
        std::uint64_t bits = 0;
        for (int i = 0; i < 64; ++i) bits |= static_cast<std::uint64_t>(flags[i] != 0) << i;
        return bits;
#endif
    }

    Coeffs coeffs_;
    State view_{};
    std::array<AlignedVector<T>, variables> storage_;
    AlignedVector<T> offset_;
    // Every neuron has the bias current offset_[0]: the lane update then does not read offset_.
    // Only cleared once set (an injection that differs from it), never set again.
    std::atomic<bool> uniform_offset_{false};
    AlignedVector<std::int32_t> free_from_; // neurons/spike_rule.hpp
    std::vector<double> base_offset_; // bias current from the parameters [nA]
    std::vector<double> injected_;    // current injected by step current sources [nA]
    std::array<InputRing, receptors> rings_;
    std::array<T, receptors> inverse_scale_{};
};

} // namespace spikegraph::cpu
