#pragma once
// A network in Loihi's own integers: what the emulator runs, the mapper places and the exporters
// write. Built by quantize() from a float Network, or directly (golden tests, imported models).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/network.hpp"
#include "core/types.hpp"

namespace spikegraph::loihi {

// How a projection's 8-bit weights are signed (Lava's SignMode).
enum class SignMode : std::uint8_t { mixed, excitatory, inhibitory };
std::string_view sign_mode_name(SignMode mode);
SignMode sign_mode_from_name(std::string_view name); // throws invalid_parameter

// A population of CUBA compartments (Lava LIF), or a spike source.
struct CompartmentGroup {
    std::string name;
    Index size = 0;
    // Spike sources keep their float description; the emulator draws their spikes as the cpu
    // backend does (same seed, same spikes).
    std::optional<PopulationSpec> source;
    int du = 4095;               // current decay: u <- u (4096 - du - 1) / 4096
    int dv = 0;                  // voltage decay: v <- v (4096 - dv) / 4096
    std::int64_t vth = 0;        // spikes when v > vth << 6
    std::vector<std::int32_t> bias_mant; // per compartment, 13-bit signed
    std::vector<std::int32_t> bias_exp;  // per compartment, 0..7
    int refractory_steps = 0;    // steps v is held at 0 after a spike (Lava: 0)
    std::vector<std::int64_t> u0, v0; // initial state (empty: zeros)
    // From a float network (0 where built from integers): v_loihi = voltage_scale (v - v_rest),
    // u_loihi = current_scale * i.
    double voltage_scale = 0.0;  // Loihi units per mV
    double current_scale = 0.0;  // Loihi units per nA (cuba_lif) or per mV of jump (lif)
    double v_rest = 0.0;         // mV
};

// One projection's synapses in Lava Dense semantics: per step, a target's input from this
// projection is (sum of weights of this step's spikes) shifted by weight_exp (a right shift floors).
struct SynapseGroup {
    std::string name;
    std::uint32_t pre = 0, post = 0; // CompartmentGroup indices
    SignMode sign = SignMode::mixed;
    int num_weight_bits = 8;
    int weight_exp = 0;
    std::vector<Index> pre_index, post_index;
    std::vector<std::int32_t> weight;  // effective weights (after Lava's clip and truncation)
    std::vector<std::uint32_t> delay;  // steps >= 1: a spike of step n joins the input of step n + delay
};

// The error a projection's quantisation introduced, in the target's voltage units.
struct ProjectionError {
    std::string projection;
    double max_abs_weight = 0.0;      // the largest |w| of the float projection (its units)
    double max_abs_error = 0.0;       // the largest |w_loihi - w| (same units)
    double rms_relative_error = 0.0;  // rms(w_loihi - w) / max|w|
    int weight_exp = 0;
    SignMode sign = SignMode::mixed;
};

struct PopulationError {
    std::string population;
    double tau_m_effective = 0.0;  // ms, from dv; 0 when dv = 0 means no leak (infinite)
    double tau_syn_effective = 0.0; // ms, from du
    double max_bias_error = 0.0;    // mV per step
};

struct QuantizedNetwork {
    std::string chip = "loihi2"; // hardware/loihi/spec.hpp
    double dt = 1.0;             // ms per step
    std::vector<CompartmentGroup> populations;
    std::vector<SynapseGroup> projections;
    std::vector<RecordSpec> records; // population indices as in `populations`
    std::vector<ProjectionError> projection_errors;
    std::vector<PopulationError> population_errors;

    std::uint32_t population_index(std::string_view name) const; // throws invalid_network
    // Every field in range for `chip`; throws naming the object, field and value.
    void validate() const;
};

// Lava's treatment of weights handed to a Dense process: clip to the sign mode's range, then drop
// the bits below num_weight_bits (a floor for mixed, toward zero for inhibitory weights).
std::int32_t effective_weight(std::int64_t weight, SignMode mode, int num_weight_bits);

} // namespace spikegraph::loihi
