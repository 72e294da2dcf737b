#pragma once
// Floating-point settings every thread doing model work shares, and the oneTBB arena that builds
// the synapse tables with the run's thread count.
#include <tbb/task_arena.h>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace spikegraph::cpu {

// Denormal numbers are flushed to zero (FTZ and DAZ): decaying conductances would otherwise
// crawl through denormals at a hundred times the cost. Set on every thread that does model work,
// so all threads round alike; ScopedFlushToZero restores the caller's settings afterwards.
class ScopedFlushToZero {
public:
    ScopedFlushToZero() {
#if defined(__SSE__)
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | 0x8040);
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
