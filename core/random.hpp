#pragma once
// Counter-based random streams over Philox4x32-10. Every draw is addressed by
// (seed, object, purpose, element, position), never by a shared generator state, so the numbers a
// neuron or a connectivity row receives do not depend on threads or on the order of work.
//
// Counter layout: w0 = element (neuron or row), w1 = position (step or draw block, low word),
// w2 = object << 8 | purpose, w3 = position high word. Key = the 64-bit seed.
#include <cstdint>

#include "core/host_device.hpp"
#include "core/philox.hpp"
#include "core/types.hpp"

namespace spikegraph {

enum class RandomPurpose : std::uint32_t {
    connectivity = 1,  // which synapses exist (object = projection)
    weight = 2,        // per-synapse weights (object = projection)
    delay = 3,         // per-synapse delays (object = projection)
    initial_value = 4, // per-neuron initial state and parameters (object = population)
    source_spikes = 5, // Poisson source draws per step (object = population)
    generator = 6,     // Poisson generator counts per synapse and step (object = projection)
    training = 7,      // sample order and SLTT-K steps of a training run (object = what is drawn)
};

// The Philox counter of one block: words 1-3 are shared by every element of a (object,
// purpose, position), word 0 is the element.
SPIKEGRAPH_HOST_DEVICE inline PhiloxWords random_counter(std::uint32_t object, RandomPurpose purpose,
                                                         std::uint32_t element, std::uint64_t position) {
    return PhiloxWords{{element, static_cast<std::uint32_t>(position), (object << 8) | static_cast<std::uint32_t>(purpose),
                        static_cast<std::uint32_t>(position >> 32)}};
}

SPIKEGRAPH_HOST_DEVICE inline PhiloxWords random_block(Seed seed, std::uint32_t object,
                                                       RandomPurpose purpose, std::uint32_t element,
                                                       std::uint64_t position) {
    return philox4x32_10(random_counter(object, purpose, element, position), static_cast<std::uint32_t>(seed),
                         static_cast<std::uint32_t>(seed >> 32));
}

// random_block of `Lanes` elements at once (c[w][l]: word w of element l's block).
template <int Lanes>
inline void random_blocks(Seed seed, std::uint32_t object, RandomPurpose purpose, const std::uint32_t (&elements)[Lanes],
                          std::uint64_t position, std::uint32_t (&c)[4][Lanes]) {
    const PhiloxWords shared = random_counter(object, purpose, 0, position);
    for (int l = 0; l < Lanes; ++l) {
        c[0][l] = elements[l];
        for (int w = 1; w < 4; ++w) c[w][l] = shared.w[w];
    }
    philox4x32_10_lanes(c, static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
}

#if defined(__AVX512F__)
// random_block of the sixteen elements first, first + 1, ..., first + 15 in AVX-512 registers.
inline void random_blocks_x16(Seed seed, std::uint32_t object, RandomPurpose purpose, std::uint32_t first,
                              std::uint64_t position, __m512i (&c)[4]) {
    const PhiloxWords shared = random_counter(object, purpose, first, position);
    c[0] = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(shared.w[0])),
                            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    for (int w = 1; w < 4; ++w) c[w] = _mm512_set1_epi32(static_cast<int>(shared.w[w]));
    philox4x32_10_x16(c, static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
}
#endif

// A sequential host-side stream for one (object, purpose, element): the draws of one
// connectivity row, the initial values of one neuron, ...
class RandomStream {
public:
    RandomStream(Seed seed, std::uint32_t object, RandomPurpose purpose, std::uint32_t element,
                 std::uint64_t first_block = 0)
        : seed_(seed), object_(object), purpose_(purpose), element_(element), block_(first_block) {}

    std::uint32_t next_u32() {
        if (used_ == 4) {
            words_ = random_block(seed_, object_, purpose_, element_, block_++);
            used_ = 0;
        }
        return words_.w[used_++];
    }

    // Uniform on the open interval (0, 1) with 53 random bits.
    double uniform() {
        const std::uint64_t a = next_u32() >> 5; // 27 bits
        const std::uint64_t b = next_u32() >> 6; // 26 bits
        return (static_cast<double>((a << 26) | b) + 0.5) * 0x1.0p-53;
    }

    // Uniform integer in [0, n), n >= 1, without modulo bias (Lemire's method with rejection).
    std::uint64_t below(std::uint64_t n);

    double normal();      // standard normal (Box-Muller; host libm, not for device code)
    double exponential(); // unit-mean exponential

private:
    Seed seed_;
    std::uint32_t object_;
    RandomPurpose purpose_;
    std::uint32_t element_;
    std::uint64_t block_;
    PhiloxWords words_{};
    int used_ = 4;
    double spare_normal_ = 0.0;
    bool has_spare_ = false;
};

} // namespace spikegraph
