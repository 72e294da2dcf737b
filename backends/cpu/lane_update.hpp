#pragma once
// The neuron update of float populations on AVX-512, 16 neurons per instruction, for the models
// and variants whose arithmetic needs no exponential: the model's own integrate() runs on
// FloatLanes (core/float_lanes.hpp), and threshold, reset and refractoriness are applied with
// masks. The same operations in the same order as Model::step, so the same bits.
//
// Why not leave it to the compiler's vectorisation of Model::step: the update streams its arrays
// from L2 (4,000 neurons' state is larger than L1), where a line written back costs more than one
// read. Here the membrane is stored whole rather than by masked stores behind branches, spikes go
// straight into bits, and an input slot is cleared only in the lanes that received input: in a
// sparse network most slots stay zero and their lines clean.
#include <cstdint>

#include "core/avx512.hpp"
#include "core/numeric.hpp"
#include "core/types.hpp"
#include "neurons/coba_lif.hpp"
#include "neurons/cuba_lif.hpp"
#include "neurons/lif.hpp"
#include "neurons/spike_rule.hpp"

namespace spikegraph::cpu {

// Which (model, variant) steps run on lanes: those whose integrate() uses only num::add, sub, mul
// and decay.
template <class Model, int Variant>
inline constexpr bool integrates_on_lanes = false;
#if defined(__AVX512F__)
template <> inline constexpr bool integrates_on_lanes<Lif, 0> = true;
template <> inline constexpr bool integrates_on_lanes<CubaLif, 0> = true;
template <> inline constexpr bool integrates_on_lanes<CubaLif, 1> = true;
template <> inline constexpr bool integrates_on_lanes<CobaLif, 2> = true; // Euler

// advance_membrane (neurons/spike_rule.hpp) for the 16 neurons at v, free_from in `lanes`:
// stores v and, where a neuron spiked, its free_from; returns the lanes that spiked.
inline __mmask16 advance_membrane_lanes(const SpikeRule<float>& rule, __mmask16 lanes, float* v, FloatLanes v_before,
                                        FloatLanes v_next, std::int32_t* free_from, std::int32_t now) {
    const __m512i steps_until_free = _mm512_sub_epi32(_mm512_maskz_loadu_epi32(lanes, free_from), _mm512_set1_epi32(now));
    const __mmask16 held = _mm512_cmpgt_epi32_mask(steps_until_free, _mm512_setzero_si512());
    const __mmask16 spiked = _mm512_mask_cmp_ps_mask(static_cast<__mmask16>(lanes & ~held), v_next.value,
                                                     _mm512_set1_ps(rule.v_th), _CMP_GE_OQ);
    __m512 after = _mm512_mask_mov_ps(v_next.value, held, v_before.value);
    if (spiked != 0) { // a few percent of blocks: a predictable branch
        const __m512 reset = rule.subtract ? _mm512_sub_ps(v_next.value, _mm512_set1_ps(rule.reset_step))
                                           : _mm512_set1_ps(rule.v_reset);
        after = _mm512_mask_mov_ps(after, spiked, reset);
        const auto until = static_cast<std::uint32_t>(now) + 1u + static_cast<std::uint32_t>(rule.refractory_steps);
        _mm512_mask_storeu_epi32(free_from, spiked, _mm512_set1_epi32(static_cast<std::int32_t>(until)));
    }
    _mm512_mask_storeu_ps(v, lanes, after);
    return spiked;
}

// Steps neurons [0, count) of the population `s` (arrays already offset to the block) at step
// s.now, reading and clearing their int32 input slots, and sets bit j % 64 of bits[j / 64] where
// neuron j spiked (every word up to count is written). The membrane is state variable 0.
template <class Model, int Variant, class Coeffs, class State>
void update_on_lanes(const Coeffs& coeffs, const State& state, std::int32_t* const (&slots)[Model::receptors],
                     const float (&inverse)[Model::receptors], Index count, std::uint64_t* bits) {
    static_assert(Model::v == 0, "the membrane must be state variable 0");
    constexpr int variables = static_cast<int>(State::variables);
    constexpr int receptors = Model::receptors;
    // Local copies: the stores below cannot alias them, so they stay in registers.
    const Coeffs c = coeffs;
    const State s = state;
    std::int32_t* input[receptors];
    float inverse_scale[receptors];
    for (int r = 0; r < receptors; ++r) {
        input[r] = slots[r];
        inverse_scale[r] = inverse[r];
    }
    std::uint64_t word = 0;
    for (Index k = 0; k < count; k += 16) {
        const __mmask16 lanes = count - k >= 16 ? __mmask16{0xffff} : static_cast<__mmask16>((1u << (count - k)) - 1u);
        FloatLanes x[variables];
        for (int i = 0; i < variables; ++i) x[i] = _mm512_maskz_loadu_ps(lanes, s.var[i] + k);
        const FloatLanes v_before = x[0];
        FloatLanes in[receptors];
        for (int r = 0; r < receptors; ++r) {
            const __m512i sum = _mm512_maskz_loadu_epi32(lanes, input[r] + k);
            in[r] = _mm512_mul_ps(_mm512_cvtepi32_ps(sum), _mm512_set1_ps(inverse_scale[r])); // num::from_accumulator
            _mm512_mask_storeu_epi32(input[r] + k, _mm512_test_epi32_mask(sum, sum), _mm512_setzero_si512());
        }
        const FloatLanes v_next = Model::template integrate<Variant>(c, x, FloatLanes(_mm512_maskz_loadu_ps(lanes, s.i_offset + k)), in);
        for (int i = 1; i < variables; ++i) _mm512_mask_storeu_ps(s.var[i] + k, lanes, x[i].value);
        const __mmask16 spiked = advance_membrane_lanes(c.spike, lanes, s.var[0] + k, v_before, v_next, s.free_from + k, s.now);
        word |= static_cast<std::uint64_t>(spiked) << (k & 48);
        if ((k & 48) == 48 || k + 16 >= count) {
            bits[k / 64] = word;
            word = 0;
        }
    }
}
#else
// Declared for the compiler's sake only: without AVX-512 no (model, variant) integrates on lanes.
template <class Model, int Variant, class Coeffs, class State>
void update_on_lanes(const Coeffs& coeffs, const State& s, std::int32_t* const (&input)[Model::receptors],
                     const float (&inverse_scale)[Model::receptors], Index count, std::uint64_t* bits);
#endif

} // namespace spikegraph::cpu
