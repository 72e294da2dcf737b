#pragma once
// What a Loihi chip offers: resources per core and chip, number formats, and energy and time per
// operation, each with its source. The emulator (backends/loihi) and the mapper take every limit
// from here.
#include <string>
#include <string_view>
#include <vector>

namespace spikegraph::loihi {

struct EnergyModel {
    // Davies et al., IEEE Micro 38(1) 2018, Table 2, column "Value at 0.75 V" (pre-silicon SDF and
    // SPICE simulation, "consistent with early post-silicon characterization").
    double synaptic_op_pj = 23.6;        // one synaptic spike operation (min energy)
    double synaptic_op_ns = 3.5;         // its time (max)
    double neuron_active_pj = 81.0;      // compartment update, active
    double neuron_active_ns = 8.4;
    double neuron_inactive_pj = 52.0;    // compartment update, inactive
    double neuron_inactive_ns = 5.3;
    double spike_within_tile_pj = 1.7;   // a spike message that stays in its tile
    double spike_within_tile_ns = 2.1;
    double hop_east_west_pj = 3.0;       // per tile hop of a spike message
    double hop_east_west_ns = 4.1;
    double hop_north_south_pj = 4.0;
    double hop_north_south_ns = 6.5;
    double barrier_ns = 113.0;           // mesh-wide barrier synchronisation, 1 tile (465 ns for 32)
    double barrier_ns_32_tiles = 465.0;
    double static_power_mw_per_chip = 104.0; // 3.34 W for 32 chips, Frady et al. 2020 Table 1
    std::string source;
};

struct Spec {
    std::string name;               // "loihi1" or "loihi2"
    int cores_per_chip = 128;
    int cores_per_tile = 4;         // 32 tiles x 4 cores (inferred: Davies 2018 counts 128 cores)
    int tile_columns = 8;           // tiles per row of a chip's mesh (SANA-FE's Loihi topology 8 x 4)
    int compartments_per_core = 1024;
    double synaptic_memory_bits_per_core = 16384.0 * 64.0; // 128 KB
    int max_fan_in_axons = 4096;    // input axons (distinct presynaptic sources) per core
    int max_fan_out_axons = 4096;   // core-to-core output edges per core
    int weight_bits = 8;            // stored weight mantissa (sign mode adds the sign)
    int weight_exp_min = -8;        // per-projection weight exponent range (see sources)
    int weight_exp_max = 7;
    int delay_bits = 6;             // synaptic delay 0..63 steps beyond the one of every connection
    int max_delay_steps = 63;
    int decay_bits = 12;            // du, dv in 0..4095
    int vth_mantissa_bits = 17;     // threshold mantissa, unsigned; threshold = vth << 6
    int bias_mantissa_bits = 13;    // signed
    int bias_exp_max = 7;
    int state_bits = 24;            // u and v, signed
    int max_refractory_steps = 62;  // steps held: refract_delay - 1 with refract_delay <= 63 (NengoLoihi); Lava has none
    int synapse_header_bits = 10;   // per synaptic list of one axon: 4 + 6 bits, rounded up to 64-bit words
    EnergyModel energy;
    std::vector<std::string> sources; // one line per figure group
};

// "loihi1" or "loihi2"; throws invalid_parameter naming the known chips otherwise.
const Spec& chip_spec(std::string_view name);
std::vector<std::string> chip_names();

} // namespace spikegraph::loihi
