#pragma once
// Functions shared by the CPU and (later) the CUDA backend are marked SPIKEGRAPH_HOST_DEVICE.
#if defined(__CUDACC__)
#define SPIKEGRAPH_HOST_DEVICE __host__ __device__
#else
#define SPIKEGRAPH_HOST_DEVICE
#endif

// Model arithmetic must be inlined into the backend's loop over neurons, or the loop cannot be
// vectorised; GCC's size heuristics otherwise give up on the larger models (coba_lif).
#if defined(__CUDACC__)
#define SPIKEGRAPH_INLINE __forceinline__
#elif defined(__GNUC__)
#define SPIKEGRAPH_INLINE inline __attribute__((always_inline))
#else
#define SPIKEGRAPH_INLINE inline
#endif

// Fully unrolls a short loop of fixed length (quadrature nodes, receptors) so the loop over
// neurons around it stays a single vectorisable loop.
#if defined(__clang__)
#define SPIKEGRAPH_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define SPIKEGRAPH_UNROLL _Pragma("GCC unroll 16")
#else
#define SPIKEGRAPH_UNROLL
#endif
