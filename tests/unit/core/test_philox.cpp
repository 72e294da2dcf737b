// Philox4x32-10 against the known-answer vectors published with Random123 (kat_vectors).
#include <doctest/doctest.h>

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
