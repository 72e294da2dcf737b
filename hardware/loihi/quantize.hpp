#pragma once
// Float lif / cuba_lif networks -> Loihi integers, with a report of the error introduced.
//
// Each population gets its own voltage scale sigma (Loihi units per mV), chosen so that the
// threshold mantissa is `threshold_mantissa`: v_loihi = sigma (v - v_rest), vth = mantissa.
//   dv        = round(4096 (1 - exp(-dt / tau_m)))
//   du        = round(4096 (1 - exp(-dt / tau_syn))) - 1   (cuba_lif; lif: 4095, the current lasts one step)
//   bias      = sigma * p20 * i_offset per step, as mantissa << exponent (13-bit mantissa, the
//               smallest exponent 0..7 that holds it, or a fixed one)
//   weights   lif: a jump of w mV is sigma w = (w8 << weight_exp) << 6
//             cuba_lif: a jump of w nA in the current carries the same total charge to v:
//             (w8 << weight_exp) << 6 = sigma p21 w (1 - f_u) / (1 - p11), f_u = (4095 - du) / 4096
//             per projection: the sign mode from the signs, the smallest exponent >= 0 whose 8-bit
//             mantissas hold the largest weight (below 0 Lava floors each step's sum), or a fixed one
//   delays    whole steps, at most 1 + 63
// Loihi adds the current of the step just computed to v (the float cuba_lif adds the one before
// it), resets to the resting level and has one current per compartment; what cannot be expressed
// is refused with an error naming the population or projection, the field and the value.
#include <cstdint>
#include <optional>
#include <string>

#include "core/network.hpp"
#include "hardware/loihi/quantized_network.hpp"

namespace spikegraph::loihi {

struct QuantizeOptions {
    std::string chip = "loihi2";
    double dt = 1.0;                        // ms per step
    std::int64_t threshold_mantissa = 8192; // vth of every population (<= 2^17 - 1); sets the voltage scale
    Seed seed = 1;                          // connectivity and per-neuron values, as the cpu backend draws them
    // One weight exponent for every projection (lava-dl's network format needs 0); each
    // population's threshold mantissa then shrinks until its largest incoming weight fits 8 bits.
    std::optional<int> fixed_weight_exp;
    // One bias exponent for every compartment (lava-dl's format uses 6); none: the smallest that fits.
    std::optional<int> fixed_bias_exp;

    void validate() const;
};

QuantizedNetwork quantize(const Network& network, const QuantizeOptions& options = {});

} // namespace spikegraph::loihi
