#pragma once
// Large arrays read at random places (synapse tables of gigabytes, input rings of tens of
// megabytes) on 2 MiB pages: with 4 KiB pages nearly every row a spike reads starts with a TLB
// miss and a page walk. Linux backs a range with transparent huge pages once madvise() asks for
// them, in whole aligned 2 MiB blocks, when the pages are first touched: so ask before filling.
// Elsewhere, or where the kernel refuses, the arrays stay on ordinary pages (same results).
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace spikegraph {

inline void advise_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) & ~(huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(huge - 1);
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE); // advice only: failure is harmless
#else
    (void)data;
    (void)bytes;
#endif
}

// resize(count) of an empty vector, on huge pages where the array spans some.
template <class T, class Allocator>
void resize_on_huge_pages(std::vector<T, Allocator>& array, std::size_t count) {
    array.reserve(count);
    advise_huge_pages(array.data(), count * sizeof(T));
    array.resize(count);
}

} // namespace spikegraph
