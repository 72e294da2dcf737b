#pragma once
// Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"): a stateless
// counter-based generator. The same (key, counter) gives the same four words on every thread,
// backend and machine; tests check it against the published known-answer vectors.
#include <cstdint>

#include "core/host_device.hpp"

namespace spikegraph {

struct PhiloxWords {
    std::uint32_t w[4];
};

SPIKEGRAPH_HOST_DEVICE inline PhiloxWords philox4x32_10(PhiloxWords counter, std::uint32_t key0,
                                                        std::uint32_t key1) {
    constexpr std::uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;
    constexpr std::uint32_t weyl0 = 0x9E3779B9u, weyl1 = 0xBB67AE85u;
    std::uint32_t c0 = counter.w[0], c1 = counter.w[1], c2 = counter.w[2], c3 = counter.w[3];
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key0 += weyl0;
            key1 += weyl1;
        }
        const std::uint64_t p0 = static_cast<std::uint64_t>(m0) * c0;
        const std::uint64_t p1 = static_cast<std::uint64_t>(m1) * c2;
        const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
        const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
        c0 = hi1 ^ c1 ^ key0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ key1;
        c3 = lo0;
    }
    return PhiloxWords{{c0, c1, c2, c3}};
}

} // namespace spikegraph
