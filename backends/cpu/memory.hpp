#pragma once
// Memory the machine can give a run, so a network too large is refused before allocation.
#include <cstdio>
#include <cstring>

#include <unistd.h>

namespace spikegraph::cpu {

inline double available_memory_bytes() {
    if (std::FILE* file = std::fopen("/proc/meminfo", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, file)) {
            unsigned long long kib = 0;
            if (std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1) {
                std::fclose(file);
                return static_cast<double>(kib) * 1024.0;
            }
        }
        std::fclose(file);
    }
    return static_cast<double>(sysconf(_SC_AVPHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

} // namespace spikegraph::cpu
