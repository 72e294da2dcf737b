#pragma once
// Loihi's integer neuron arithmetic as a number type, so the generic neuron models
// (neurons/cuba_lif.hpp) run on it unchanged. As Lava's bit-accurate LIF (PyLifModelBitAcc):
//   decay(x, f)   = sign(x f) * (|x f| >> 12)       f = 4096 - du - 1 or 4096 - dv: truncation toward zero
//   fit_current   the sum wraps to 32 bits (Lava adds in int32), then u > 2^23 -> u - 2^24,
//                 u <= -2^23 -> u + 2^24 (one correction, not a modulo)
//   fit_voltage   clip to [-(2^23 - 1), 2^23 - 1]
//   add, sub, mul exact in 64 bits (the model's sums never leave that range)
#include <cstdint>
#include <stdexcept>

#include "core/numeric.hpp"

namespace spikegraph::loihi {

struct Int {
    std::int64_t value = 0;

    friend constexpr bool operator==(Int a, Int b) { return a.value == b.value; }
    friend constexpr auto operator<=>(Int a, Int b) { return a.value <=> b.value; }
};

inline constexpr int decay_shift = 12;            // decays are fractions of 4096
inline constexpr int activation_shift = 6;        // synaptic input and threshold are scaled by 2^6
inline constexpr std::int64_t state_limit = 1 << 23; // u and v are 24-bit signed

} // namespace spikegraph::loihi

namespace spikegraph {

template <>
struct Arithmetic<loihi::Int> {
    using Int = loihi::Int;
    static constexpr bool exact_integer = true;
    static Int from_real(double x) {
        // Coefficients are built as integers by hardware/loihi; a real number reaching here is a bug.
        if (x != static_cast<double>(static_cast<std::int64_t>(x)))
            throw std::logic_error("loihi::Int from a non-integer value");
        return {static_cast<std::int64_t>(x)};
    }
    static double to_real(Int x) { return static_cast<double>(x.value); }
    static Int add(Int a, Int b) { return {a.value + b.value}; }
    static Int sub(Int a, Int b) { return {a.value - b.value}; }
    static Int mul(Int a, Int b) { return {a.value * b.value}; }
    static Int decay(Int x, Int factor) {
        const std::int64_t p = x.value * factor.value;
        const std::int64_t magnitude = (p < 0 ? -p : p) >> loihi::decay_shift;
        return {p < 0 ? -magnitude : magnitude};
    }
    static Int min(Int a, Int b) { return b < a ? b : a; }
    static Int max(Int a, Int b) { return a < b ? b : a; }
    static Int fit_current(Int x) {
        constexpr std::int64_t wrap = 2 * loihi::state_limit;
        const std::int64_t u = static_cast<std::int32_t>(static_cast<std::uint32_t>(x.value));
        if (u > loihi::state_limit) return {u - wrap};
        if (u <= -loihi::state_limit) return {u + wrap};
        return {u};
    }
    static Int fit_voltage(Int x) {
        constexpr std::int64_t top = loihi::state_limit - 1;
        return {x.value > top ? top : (x.value < -top ? -top : x.value)};
    }
};

} // namespace spikegraph
