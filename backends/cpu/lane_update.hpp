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
#include <type_traits>

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

// Loads and stores of 16 lanes: whole vectors, or only `lanes` (the tail of a population).
template <bool full>
inline __m512 load_lanes(const float* at, __mmask16 lanes) {
    if constexpr (full) return _mm512_loadu_ps(at);
    else return _mm512_maskz_loadu_ps(lanes, at);
}
template <bool full>
inline __m512i load_lanes(const std::int32_t* at, __mmask16 lanes) {
    if constexpr (full) return _mm512_loadu_si512(at);
    else return _mm512_maskz_loadu_epi32(lanes, at);
}
template <bool full>
inline __m512i load_lanes(const std::int64_t* at, __mmask8 lanes) {
    if constexpr (full) return _mm512_loadu_si512(at);
    else return _mm512_maskz_loadu_epi64(lanes, at);
}
template <bool full>
inline void store_lanes(float* at, __mmask16 lanes, __m512 value) {
    if constexpr (full) _mm512_storeu_ps(at, value);
    else _mm512_mask_storeu_ps(at, lanes, value);
}

// Which input slots the lanes read: int32, and int64 (populations with large fan-ins) where
// AVX-512DQ converts 64-bit integers to float.
template <class Slot>
inline constexpr bool slots_on_lanes = std::is_same_v<Slot, std::int32_t>
#if defined(__AVX512DQ__)
                                       || std::is_same_v<Slot, std::int64_t>
#endif
    ;

// The input of 16 neurons as floats (num::from_accumulator: converted, then scaled), and their
// slots cleared where they hold input: slots without input keep their lines clean.
template <bool full>
inline __m512 take_input(std::int32_t* at, __mmask16 lanes, float inverse_scale) {
    const __m512i sum = load_lanes<full>(at, lanes);
    _mm512_mask_storeu_epi32(at, _mm512_test_epi32_mask(sum, sum), _mm512_setzero_si512());
    return _mm512_mul_ps(_mm512_cvtepi32_ps(sum), _mm512_set1_ps(inverse_scale));
}
#if defined(__AVX512DQ__)
template <bool full>
inline __m512 take_input(std::int64_t* at, __mmask16 lanes, float inverse_scale) {
    // Two vectors of 8; a 64-bit integer converts to float rounded to nearest, as static_cast does.
    const __m512i low = load_lanes<full>(at, static_cast<__mmask8>(lanes));
    const __m512i high = load_lanes<full>(at + 8, static_cast<__mmask8>(lanes >> 8));
    _mm512_mask_storeu_epi64(at, _mm512_test_epi64_mask(low, low), _mm512_setzero_si512());
    _mm512_mask_storeu_epi64(at + 8, _mm512_test_epi64_mask(high, high), _mm512_setzero_si512());
    const __m512 sum = _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtepi64_ps(low)), _mm512_cvtepi64_ps(high), 1);
    return _mm512_mul_ps(sum, _mm512_set1_ps(inverse_scale));
}
#endif

// One block of a population stepped 16 neurons at a time (see update_on_lanes). Everything is
// held by value: the stores cannot alias it, so it stays in registers.
template <class Model, int Variant, class Coeffs, class State, class Slot>
struct LaneBlock {
    static constexpr int variables = static_cast<int>(State::variables);
    static constexpr int receptors = Model::receptors;
    Coeffs c;
    State s;
    Slot* input[receptors];
    float inverse_scale[receptors];
    // The bias current when every neuron has the same (then its array is not read).
    bool uniform_offset;
    float offset;

    // Steps neurons k ... k + 15 (those in `lanes` unless full) and returns the ones that spiked.
    template <bool full>
    __mmask16 step(Index k, __mmask16 lanes) const {
        FloatLanes x[variables];
        for (int i = 0; i < variables; ++i) x[i] = load_lanes<full>(s.var[i] + k, lanes);
        const FloatLanes v_before = x[0];
        FloatLanes in[receptors];
        for (int r = 0; r < receptors; ++r) in[r] = take_input<full>(input[r] + k, lanes, inverse_scale[r]);
        const FloatLanes i_offset = uniform_offset ? FloatLanes(offset) : FloatLanes(load_lanes<full>(s.i_offset + k, lanes));
        const FloatLanes v_next = Model::template integrate<Variant>(c, x, i_offset, in);
        for (int i = 1; i < variables; ++i) store_lanes<full>(s.var[i] + k, lanes, x[i].value);
        return advance_membrane_lanes(c.spike, lanes, s.var[0] + k, v_before, v_next, s.free_from + k, s.now);
    }
};

// Steps neurons [0, count) of the population `state` (arrays already offset to the block) at
// step state.now, reading and clearing their input slots, and sets bit j % 64 of
// bits[j / 64] where neuron j spiked (every word up to count is written). `uniform_offset`: every
// neuron's i_offset is state.i_offset[0]. The membrane is state variable 0.
template <class Model, int Variant, class Coeffs, class State, class Slot>
void update_on_lanes(const Coeffs& coeffs, const State& state, Slot* const (&slots)[Model::receptors],
                     const float (&inverse)[Model::receptors], bool uniform_offset, Index count, std::uint64_t* bits) {
    static_assert(Model::v == 0, "the membrane must be state variable 0");
    LaneBlock<Model, Variant, Coeffs, State, Slot> block{coeffs, state, {}, {}, uniform_offset, count > 0 ? state.i_offset[0] : 0.0f};
    for (int r = 0; r < Model::receptors; ++r) {
        block.input[r] = slots[r];
        block.inverse_scale[r] = inverse[r];
    }
    Index k = 0;
    for (; k + 64 <= count; k += 64) {
        std::uint64_t word = 0;
        for (int part = 0; part < 4; ++part)
            word |= static_cast<std::uint64_t>(block.template step<true>(k + 16 * part, 0xffff)) << (16 * part);
        bits[k / 64] = word;
    }
    if (k == count) return;
    std::uint64_t word = 0;
    for (Index j = k; j < count; j += 16) {
        const __mmask16 lanes = count - j >= 16 ? __mmask16{0xffff} : static_cast<__mmask16>((1u << (count - j)) - 1u);
        word |= static_cast<std::uint64_t>(block.template step<false>(j, lanes)) << (j - k);
    }
    bits[k / 64] = word;
}
#else
// Declared for the compiler's sake only: without AVX-512 no (model, variant) integrates on lanes.
template <class Slot>
inline constexpr bool slots_on_lanes = false;
template <class Model, int Variant, class Coeffs, class State, class Slot>
void update_on_lanes(const Coeffs& coeffs, const State& state, Slot* const (&slots)[Model::receptors],
                     const float (&inverse)[Model::receptors], bool uniform_offset, Index count, std::uint64_t* bits);
#endif

} // namespace spikegraph::cpu
