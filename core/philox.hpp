#pragma once
// Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"): a stateless
// counter-based generator. The same (key, counter) gives the same four words on every thread,
// backend and machine; tests check it against the published known-answer vectors.
#include <cstdint>

#include "core/avx512.hpp"
#include "core/host_device.hpp"

namespace spikegraph {

struct PhiloxWords {
    std::uint32_t w[4];
};

// Multipliers and key increments (Weyl sequence) of the rounds.
inline constexpr std::uint32_t philox_m0 = 0xD2511F53u, philox_m1 = 0xCD9E8D57u;
inline constexpr std::uint32_t philox_weyl0 = 0x9E3779B9u, philox_weyl1 = 0xBB67AE85u;

// philox4x32_10 of `Lanes` counters at once: c[w][l] is word w of lane l, replaced by the output.
// Written lane by lane inside each round so that compilers turn a round into a few vector
// instructions.
template <int Lanes>
SPIKEGRAPH_HOST_DEVICE inline void philox4x32_10_lanes(std::uint32_t (&c)[4][Lanes], std::uint32_t key0,
                                                       std::uint32_t key1) {
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key0 += philox_weyl0;
            key1 += philox_weyl1;
        }
        for (int l = 0; l < Lanes; ++l) {
            const std::uint64_t p0 = static_cast<std::uint64_t>(philox_m0) * c[0][l];
            const std::uint64_t p1 = static_cast<std::uint64_t>(philox_m1) * c[2][l];
            const auto c1 = c[1][l], c3 = c[3][l];
            c[0][l] = static_cast<std::uint32_t>(p1 >> 32) ^ c1 ^ key0;
            c[1][l] = static_cast<std::uint32_t>(p1);
            c[2][l] = static_cast<std::uint32_t>(p0 >> 32) ^ c3 ^ key1;
            c[3][l] = static_cast<std::uint32_t>(p0);
        }
    }
}

SPIKEGRAPH_HOST_DEVICE inline PhiloxWords philox4x32_10(PhiloxWords counter, std::uint32_t key0,
                                                        std::uint32_t key1) {
    std::uint32_t c[4][1] = {{counter.w[0]}, {counter.w[1]}, {counter.w[2]}, {counter.w[3]}};
    philox4x32_10_lanes(c, key0, key1);
    return PhiloxWords{{c[0][0], c[1][0], c[2][0], c[3][0]}};
}

#if defined(__AVX512F__)
// philox4x32_10 of sixteen counters in AVX-512 registers (c[w]: word w of every lane). The
// 32 x 32 -> 64-bit products are two vpmuludq per word (even and odd lanes), which compilers do
// not find for the portable loop above.
inline void philox4x32_10_x16(__m512i (&c)[4], std::uint32_t key0, std::uint32_t key1) {
    const __m512i m0 = _mm512_set1_epi64(philox_m0), m1 = _mm512_set1_epi64(philox_m1);
    constexpr __mmask16 odd = 0xAAAA;
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key0 += philox_weyl0;
            key1 += philox_weyl1;
        }
        const __m512i even0 = _mm512_mul_epu32(c[0], m0), odd0 = _mm512_mul_epu32(_mm512_srli_epi64(c[0], 32), m0);
        const __m512i even1 = _mm512_mul_epu32(c[2], m1), odd1 = _mm512_mul_epu32(_mm512_srli_epi64(c[2], 32), m1);
        const __m512i hi0 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(even0, 32), odd0);
        const __m512i lo0 = _mm512_mask_blend_epi32(odd, even0, _mm512_slli_epi64(odd0, 32));
        const __m512i hi1 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(even1, 32), odd1);
        const __m512i lo1 = _mm512_mask_blend_epi32(odd, even1, _mm512_slli_epi64(odd1, 32));
        const __m512i next0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c[1]), _mm512_set1_epi32(static_cast<int>(key0)));
        const __m512i next2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c[3]), _mm512_set1_epi32(static_cast<int>(key1)));
        c[0] = next0;
        c[1] = lo1;
        c[2] = next2;
        c[3] = lo0;
    }
}
#endif

} // namespace spikegraph
