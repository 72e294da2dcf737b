// Philox4x32-10 against the known-answer vectors published with Random123 (kat_vectors).
#include <doctest/doctest.h>

#include <initializer_list>

#include "core/philox.hpp"
#include "core/random.hpp"

using namespace spikegraph;

TEST_SUITE("core") {
TEST_CASE("philox4x32-10 reproduces the published known-answer vectors") {
    struct Vector {
        PhiloxWords counter;
        std::uint32_t key0, key1;
        PhiloxWords expected;
    };
    const Vector vectors[] = {
        {{{0, 0, 0, 0}}, 0, 0, {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}},
        {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, 0xffffffff, 0xffffffff,
         {{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}},
        {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, 0xa4093822, 0x299f31d0,
         {{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}},
    };
    for (const auto& v : vectors) {
        const PhiloxWords out = philox4x32_10(v.counter, v.key0, v.key1);
        for (int i = 0; i < 4; ++i) CHECK(out.w[i] == v.expected.w[i]);
    }
}

TEST_CASE("random_blocks computes many elements at once, each equal to random_block") {
    std::uint32_t elements[16], words[4][16];
    for (int l = 0; l < 16; ++l) elements[l] = l == 15 ? 0xffffffffu : static_cast<std::uint32_t>(l * 977 + 3);
    const std::uint64_t position = (std::uint64_t{5} << 40) + 1234567;
    random_blocks(0x123456789abcdefull, 9, RandomPurpose::generator, elements, position, words);
    for (int l = 0; l < 16; ++l) {
        const PhiloxWords one = random_block(0x123456789abcdefull, 9, RandomPurpose::generator, elements[l], position);
        for (int w = 0; w < 4; ++w) CHECK(words[w][l] == one.w[w]);
    }
}

#if defined(__AVX512F__)
TEST_CASE("random_blocks_x16 (AVX-512) equals random_block for sixteen consecutive elements") {
    const std::uint64_t position = (std::uint64_t{3} << 40) + 987654321;
    for (std::uint32_t first : {0u, 1000u, 0xfffffff0u}) {
        __m512i words[4];
        random_blocks_x16(0xfedcba9876543210ull, 12, RandomPurpose::generator, first, position, words);
        alignas(64) std::uint32_t out[4][16];
        for (int w = 0; w < 4; ++w) _mm512_store_si512(out[w], words[w]);
        for (std::uint32_t l = 0; l < 16; ++l) {
            const PhiloxWords one = random_block(0xfedcba9876543210ull, 12, RandomPurpose::generator, first + l, position);
            for (int w = 0; w < 4; ++w) CHECK(out[w][l] == one.w[w]);
        }
    }
}
#endif

TEST_CASE("random blocks are addressed by seed, object, purpose, element and position") {
    const auto a = random_block(7, 1, RandomPurpose::weight, 3, 10);
    CHECK(random_block(7, 1, RandomPurpose::weight, 3, 10).w[0] == a.w[0]);
    CHECK(random_block(8, 1, RandomPurpose::weight, 3, 10).w[0] != a.w[0]);
    CHECK(random_block(7, 2, RandomPurpose::weight, 3, 10).w[0] != a.w[0]);
    CHECK(random_block(7, 1, RandomPurpose::delay, 3, 10).w[0] != a.w[0]);
    CHECK(random_block(7, 1, RandomPurpose::weight, 4, 10).w[0] != a.w[0]);
    CHECK(random_block(7, 1, RandomPurpose::weight, 3, 11).w[0] != a.w[0]);
    CHECK(random_block(7, 1, RandomPurpose::weight, 3, 10 + (1ull << 32)).w[0] != a.w[0]);
}
}
