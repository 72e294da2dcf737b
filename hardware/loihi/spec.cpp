#include "hardware/loihi/spec.hpp"

#include "core/error.hpp"

namespace spikegraph::loihi {

namespace {

Spec loihi1() {
    Spec s;
    s.name = "loihi1";
    s.energy.source = "Davies et al., IEEE Micro 38(1):82-99, 2018, Table 2 (pre-silicon, 0.75 V); static power "
                      "from Frady et al. 2020 Table 1 (3.34 W / 32 chips)";
    s.sources = {
        "128 neurocores per chip, 1024 compartments per core, 128 KB synaptic memory per core, 4096 input "
        "axons and 4096 output axons per core: Davies et al. 2018 (IEEE Micro), pp. 86-89; NengoLoihi "
        "MAX_COMPARTMENTS, MAX_SYNAPSE_BITS, MAX_IN_AXONS, MAX_OUT_AXONS",
        "number formats (u, v 24 bit; du, dv 12 bit; vth 17-bit mantissa << 6; bias 13-bit mantissa, exponent "
        "0..7; 8-bit weights by sign mode; 6-bit delays): Lava PyLifModelBitAcc and dense/DelayDense "
        "bit-accurate models (lava-nc/lava @ b6822fbc)",
        "weight exponent range -8..7: assumed; the span NengoLoihi searches (0..-7) and Lava accepts; the "
        "hardware range is not published",
        "refractory delay 1..63 (v held for delay - 1 <= 62 steps): NengoLoihi REFRACT_DELAY_MAX (Lava's bit-accurate LIF has none)",
        "tiles of 4 cores in an 8 x 4 mesh: inferred from 128 cores / 32 tiles and SANA-FE's Loihi topology",
        "synaptic list header 4 + 6 bits rounded to 64-bit words: NengoLoihi synapse memory accounting",
    };
    return s;
}

Spec loihi2() {
    Spec s = loihi1();
    s.name = "loihi2";
    s.cores_per_chip = 120; // Lava's Loihi 2 mapper (NUM_VIRTUAL_CORES_L3); Intel quotes 128
    s.compartments_per_core = 8192;
    s.synaptic_memory_bits_per_core = 192.0 * 1024.0 * 8.0; // 192 KB shared by state, synapses and routing
    s.energy.source = "Loihi 1 figures used as a proxy (Davies et al. 2018 Table 2, 0.75 V): Intel has not "
                      "published Loihi 2 energy per operation";
    s.sources = {
        "120 usable neurocores per chip: Lava's Loihi 2 mapper (NUM_VIRTUAL_CORES_L3 = 120); Intel quotes 128",
        "up to 8192 neurons and 192 KB of memory per core: Intel's Loihi 2 brief as quoted by open-neuromorphic.org "
        "and WikiChip (secondary sources)",
        "fan-in and fan-out axon limits per core: unpublished; Loihi 1's 4096 used",
        "number formats as Loihi 1 for the standard LIF (lava-dl netx maps iDecay, vDecay, vThMant the same way)",
        "synaptic delay 0..63 steps: Lava PyDelayDenseModelBitAcc",
        "energy per operation: Loihi 1 figures as a proxy (Davies et al. 2018 Table 2)",
    };
    return s;
}

} // namespace

const Spec& chip_spec(std::string_view name) {
    static const Spec one = loihi1(), two = loihi2();
    if (name == "loihi1") return one;
    if (name == "loihi2") return two;
    throw Error(ErrorCode::invalid_parameter, "unknown Loihi chip '" + std::string(name) + "' (known: 'loihi1', 'loihi2')");
}

std::vector<std::string> chip_names() { return {"loihi1", "loihi2"}; }

} // namespace spikegraph::loihi
