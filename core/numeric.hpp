#pragma once
// Numeric policy: every arithmetic operation of a neuron or plasticity model goes through
// spikegraph::num, so one model source runs in float, double, or a substrate's fixed-point type.
//
// A number type T plugs in by specialising Arithmetic<T>. The float and double versions below are
// plain IEEE operations; a chip's fixed-point type reproduces the chip's rounding, wrap-around and
// saturation inside these same calls (e.g. Loihi's decay truncates toward zero). Models never
// write `a * b` on T directly.
#include <bit>
#include <cmath>
#include <concepts>
#include <cstdint>

#include "core/host_device.hpp"

namespace spikegraph {

template <class T>
struct Arithmetic; // specialised per number type

namespace detail {

// exp(x) from +, -, fused multiply-add and bit operations only: identical bits on every host and
// device that rounds IEEE operations to nearest, unlike libm or CUDA's __expf. Cody-Waite
// reduction x = k ln2 + r with |r| <= ln2/2, then a Taylor polynomial in Horner form. The fused
// multiply-adds are written out (std::fma is exactly rounded on every platform and a single
// instruction where the CPU has FMA); only implicit contraction is banned by the build flags.
#if defined(__CUDACC__)
#define SPIKEGRAPH_FMA(a, b, c) fma(a, b, c)
#else
#define SPIKEGRAPH_FMA(a, b, c) std::fma(a, b, c)
#endif
SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE double exp_portable(double x) {
    x = x > 709.0 ? 709.0 : (x < -708.0 ? -708.0 : x); // selects, so loops over it vectorise
    constexpr double log2e = 1.4426950408889634;
    constexpr double ln2_hi = 6.93147180369123816490e-01; // ln 2 with its low bits cleared
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double round_shift = 6755399441055744.0;    // 1.5 * 2^52: adding it rounds to int
    const double kd = (x * log2e + round_shift) - round_shift;
    const double r = SPIKEGRAPH_FMA(-kd, ln2_lo, SPIKEGRAPH_FMA(-kd, ln2_hi, x));
    // Taylor to r^13: truncation error below 4e-18 for |r| <= 0.347.
    double p = 1.0 / 6227020800.0;
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 479001600.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 39916800.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 3628800.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 362880.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 40320.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 5040.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 720.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 120.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 24.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0 / 6.0);
    p = SPIKEGRAPH_FMA(p, r, 0.5);
    p = SPIKEGRAPH_FMA(p, r, 1.0);
    p = SPIKEGRAPH_FMA(p, r, 1.0);
    const auto k = static_cast<std::int64_t>(kd);
    const double scale = std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
    return p * scale;
}

SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE float exp_portable(float x) {
    x = x > 88.0f ? 88.0f : (x < -87.0f ? -87.0f : x);
    constexpr float log2e = 1.44269504f;
    constexpr float ln2_hi = 0.693145752f; // ln 2 with its low 12 bits cleared
    constexpr float ln2_lo = 1.42860677e-06f;
    constexpr float round_shift = 12582912.0f; // 1.5 * 2^23
    const float kf = (x * log2e + round_shift) - round_shift;
    const float r = SPIKEGRAPH_FMA(-kf, ln2_lo, SPIKEGRAPH_FMA(-kf, ln2_hi, x));
    // Taylor to r^7: truncation error below 6e-9 for |r| <= 0.347.
    float p = 1.0f / 5040.0f;
    p = SPIKEGRAPH_FMA(p, r, 1.0f / 720.0f);
    p = SPIKEGRAPH_FMA(p, r, 1.0f / 120.0f);
    p = SPIKEGRAPH_FMA(p, r, 1.0f / 24.0f);
    p = SPIKEGRAPH_FMA(p, r, 1.0f / 6.0f);
    p = SPIKEGRAPH_FMA(p, r, 0.5f);
    p = SPIKEGRAPH_FMA(p, r, 1.0f);
    p = SPIKEGRAPH_FMA(p, r, 1.0f);
    const auto k = static_cast<std::int32_t>(kf);
    const float scale = std::bit_cast<float>(static_cast<std::uint32_t>(k + 127) << 23);
    return p * scale;
}

} // namespace detail

// IEEE float and double: the operations are what they say.
template <std::floating_point T>
struct Arithmetic<T> {
    static constexpr bool exact_integer = false;
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T from_real(double x) { return static_cast<T>(x); }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static double to_real(T x) { return static_cast<double>(x); }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T add(T a, T b) { return a + b; }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T sub(T a, T b) { return a - b; }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T mul(T a, T b) { return a * b; }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T div(T a, T b) { return a / b; }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T decay(T x, T factor) { return x * factor; }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T exp(T x) { return detail::exp_portable(x); }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T min(T a, T b) { return b < a ? b : a; }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T max(T a, T b) { return a < b ? b : a; }
    // Synaptic input arrives as an integer fixed-point sum (int32 or int64) with `scale` units per
    // unit of input.
    template <class Sum>
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T from_accumulator(Sum sum, T inverse_scale) {
        return static_cast<T>(sum) * inverse_scale;
    }
    // A value written to a synaptic-current or a membrane register: IEEE numbers have room for
    // any value; a chip's registers wrap or saturate here.
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T fit_current(T x) { return x; }
    SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE static T fit_voltage(T x) { return x; }
};

namespace num {
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T from_real(double x) { return Arithmetic<T>::from_real(x); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE double to_real(T x) { return Arithmetic<T>::to_real(x); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T add(T a, T b) { return Arithmetic<T>::add(a, b); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T sub(T a, T b) { return Arithmetic<T>::sub(a, b); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T mul(T a, T b) { return Arithmetic<T>::mul(a, b); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T div(T a, T b) { return Arithmetic<T>::div(a, b); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T decay(T x, T factor) { return Arithmetic<T>::decay(x, factor); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T exp(T x) { return Arithmetic<T>::exp(x); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T min(T a, T b) { return Arithmetic<T>::min(a, b); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T max(T a, T b) { return Arithmetic<T>::max(a, b); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T clamp(T x, T lo, T hi) { return min(max(x, lo), hi); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T fit_current(T x) { return Arithmetic<T>::fit_current(x); }
template <class T> SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T fit_voltage(T x) { return Arithmetic<T>::fit_voltage(x); }
template <class T, class Sum>
SPIKEGRAPH_HOST_DEVICE SPIKEGRAPH_INLINE T from_accumulator(Sum sum, T inverse_scale) {
    return Arithmetic<T>::from_accumulator(sum, inverse_scale);
}
} // namespace num

} // namespace spikegraph

#include "core/float_lanes.hpp" // lane overloads of num::, seen by every model template
