#pragma once
// Functions shared by the CPU and (later) the CUDA backend are marked SPIKEGRAPH_HOST_DEVICE.
#if defined(__CUDACC__)
#define SPIKEGRAPH_HOST_DEVICE __host__ __device__
#else
#define SPIKEGRAPH_HOST_DEVICE
#endif
