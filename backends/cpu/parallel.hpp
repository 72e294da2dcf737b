#pragma once
// Work split into fixed blocks of neurons or spikes. Blocks never depend on the thread count, and
// results are merged in block order, so one thread and many give the same bits.
#include <cstdint>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "core/types.hpp"

namespace spikegraph::cpu {

// Denormal numbers are flushed to zero (FTZ and DAZ): decaying conductances would otherwise
// crawl through denormals at a hundred times the cost. Set on every thread that does model work,
// so all threads round alike.
inline void enable_flush_to_zero() {
#if defined(__SSE__)
    _mm_setcsr(_mm_getcsr() | 0x8040);
#endif
}

class Parallel {
public:
    explicit Parallel(int threads) : threads_(threads), arena_(threads) {}
    int threads() const { return threads_; }

    // Calls body(begin, end, block) for blocks [block * size, ...) of [0, n).
    template <class Body>
    void for_blocks(std::uint64_t n, std::uint64_t block_size, const Body& body) {
        const std::uint64_t blocks = (n + block_size - 1) / block_size;
        auto run_block = [&](std::uint64_t b) {
            const std::uint64_t begin = b * block_size;
            const std::uint64_t end = begin + block_size < n ? begin + block_size : n;
            body(begin, end, b);
        };
        if (threads_ == 1 || blocks <= 1) {
            for (std::uint64_t b = 0; b < blocks; ++b) run_block(b);
            return;
        }
        tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, blocks, 1),
                          [&](const tbb::blocked_range<std::uint64_t>& range) {
                              enable_flush_to_zero();
                              for (std::uint64_t b = range.begin(); b != range.end(); ++b) run_block(b);
                          },
                          tbb::simple_partitioner());
    }

    // Runs `function` inside this engine's thread arena. The caller's floating-point control
    // word is restored afterwards, so flush-to-zero never leaks into the host program.
    template <class Function>
    void execute(const Function& function) {
#if defined(__SSE__)
        const unsigned int saved = _mm_getcsr();
        struct Restore {
            unsigned int csr;
            ~Restore() { _mm_setcsr(csr); }
        } restore{saved};
#endif
        arena_.execute([&] {
            enable_flush_to_zero();
            function();
        });
    }

private:
    int threads_;
    tbb::task_arena arena_;
};

} // namespace spikegraph::cpu
