#pragma once
// Floating-point settings every thread doing model work shares, and the oneTBB arena that builds
// the synapse tables with the run's thread count.
#include <tbb/task_arena.h>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace spikegraph::cpu {

// Every thread doing model work uses the same floating-point environment, whatever the caller
// set: rounding to nearest, all exceptions masked, and denormals flushed to zero (FTZ and DAZ;
// decaying conductances would otherwise crawl through denormals at a hundred times the cost).
// ScopedFlushToZero restores the thread's own settings afterwards.
class ScopedFlushToZero {
public:
    ScopedFlushToZero() {
#if defined(__SSE__)
        saved_ = _mm_getcsr();
        _mm_setcsr(0x1F80 | 0x8040); // exceptions masked, round to nearest, FTZ, DAZ
#endif
    }
    ~ScopedFlushToZero() {
#if defined(__SSE__)
        _mm_setcsr(saved_);
#endif
    }
    ScopedFlushToZero(const ScopedFlushToZero&) = delete;
    ScopedFlushToZero& operator=(const ScopedFlushToZero&) = delete;

private:
    unsigned int saved_ = 0;
};

// Runs `function` inside an arena of `threads` threads (oneTBB work inside it uses no more).
template <class Function>
void in_arena(int threads, const Function& function) {
    tbb::task_arena arena(threads);
    arena.execute(function);
}

} // namespace spikegraph::cpu
