#include "core/random.hpp"

#include <cmath>
#include <numbers>

namespace spikegraph {

std::uint64_t RandomStream::below(std::uint64_t n) {
    if (n <= 0xFFFFFFFFull) {
        const auto n32 = static_cast<std::uint32_t>(n);
        std::uint64_t product = static_cast<std::uint64_t>(next_u32()) * n32;
        auto low = static_cast<std::uint32_t>(product);
        if (low < n32) {
            const std::uint32_t threshold = static_cast<std::uint32_t>(-n32) % n32;
            while (low < threshold) {
                product = static_cast<std::uint64_t>(next_u32()) * n32;
                low = static_cast<std::uint32_t>(product);
            }
        }
        return product >> 32;
    }
    // Wide ranges: rejection on 64 random bits.
    const std::uint64_t limit = ~0ull - (~0ull % n);
    for (;;) {
        const std::uint64_t x = (static_cast<std::uint64_t>(next_u32()) << 32) | next_u32();
        if (x < limit) return x % n;
    }
}

double RandomStream::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_normal_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 2.0 * std::numbers::pi * uniform();
    spare_normal_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
}

double RandomStream::exponential() { return -std::log(uniform()); }

} // namespace spikegraph
