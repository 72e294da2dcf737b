#pragma once
// Per-neuron arrays start on a cache line, so the thread ranges (whole multiples of 16
// neurons) never split a line between two threads: a line written by both every step would
// bounce between the cores and cost more than the work on it.
#include <cstddef>
#include <new>
#include <vector>

namespace spikegraph::cpu {

template <class T>
struct CacheAlignedAllocator {
    using value_type = T;
    static constexpr std::align_val_t alignment{64};
    CacheAlignedAllocator() = default;
    template <class U>
    CacheAlignedAllocator(const CacheAlignedAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, alignment); }
    template <class U>
    bool operator==(const CacheAlignedAllocator<U>&) const noexcept { return true; }
};

template <class T>
using AlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

} // namespace spikegraph::cpu
