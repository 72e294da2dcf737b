#pragma once
// Sixteen floats in one AVX-512 register, with the float arithmetic of core/numeric.hpp, so that
// a model's step arithmetic, written once over num::, also runs on 16 neurons at a time
// (backends/cpu/lane_update.hpp). A float converts implicitly: a model's coefficients broadcast
// where they meet lanes. Included at the end of numeric.hpp, so these overloads are declared
// before any model template calls num::.
#include "core/avx512.hpp"

#if defined(__AVX512F__)
namespace spikegraph {

struct FloatLanes {
    __m512 value;
    FloatLanes() = default;
    FloatLanes(__m512 lanes) : value(lanes) {}
    FloatLanes(float scalar) : value(_mm512_set1_ps(scalar)) {}
};

namespace num {
// The same operations as Arithmetic<float>, lane by lane (decay is x * factor there too).
inline FloatLanes add(FloatLanes a, FloatLanes b) { return _mm512_add_ps(a.value, b.value); }
inline FloatLanes sub(FloatLanes a, FloatLanes b) { return _mm512_sub_ps(a.value, b.value); }
inline FloatLanes mul(FloatLanes a, FloatLanes b) { return _mm512_mul_ps(a.value, b.value); }
inline FloatLanes decay(FloatLanes x, FloatLanes factor) { return _mm512_mul_ps(x.value, factor.value); }
inline FloatLanes fit_current(FloatLanes x) { return x; }
inline FloatLanes fit_voltage(FloatLanes x) { return x; }
} // namespace num

} // namespace spikegraph
#endif
