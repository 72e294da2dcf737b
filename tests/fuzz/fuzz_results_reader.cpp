// Fuzzes the results-file reader: the input is the bytes of an HDF5 file, which must either
// read or be refused with a spikegraph::Error. Another exception type escaping, a crash or a
// sanitizer report is a bug (in spikegraph, or in libhdf5 beneath it). The reader reads in a
// child process, as for every caller, with a 2 s limit here (the target's own limit is 10 s);
// SPIKEGRAPH_FUZZ_IN_PROCESS=1 reads in this process instead, to fuzz libhdf5 itself.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <hdf5.h>
#include <unistd.h>

#include "backends/experiment/results_reader.hpp"
#include "core/error.hpp"

namespace {

// The reader takes a path: one scratch file per process, so parallel workers do not collide.
const std::string& scratch_path() {
    static const std::string path =
        (std::filesystem::temp_directory_path() / ("spikegraph-fuzz-results-" + std::to_string(::getpid()) + ".h5")).string();
    return path;
}

void remove_scratch_file() { std::remove(scratch_path().c_str()); }

void write_scratch_file(const std::uint8_t* data, std::size_t size) {
    // A new file each time (not rewritten in place), so nothing HDF5 may remember of the last
    // input's file applies to this one.
    remove_scratch_file();
    std::ofstream out(scratch_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) {
        std::fprintf(stderr, "fuzz_results_reader: cannot write %s\n", scratch_path().c_str());
        std::abort();
    }
}

} // namespace

namespace {
double read_seconds = 2.0;
} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::atexit(remove_scratch_file);
    if (const char* in_process = std::getenv("SPIKEGRAPH_FUZZ_IN_PROCESS"); in_process && std::string(in_process) == "1")
        read_seconds = 0.0;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    write_scratch_file(data, size);
    try {
        const spikegraph::ResultsSummary summary = spikegraph::read_results_summary(scratch_path(), read_seconds);
        for (const spikegraph::RunSummary& run : summary.runs) {
            try {
                const auto spikes = spikegraph::read_spikes(scratch_path(), run.name, read_seconds);
                (void)spikes;
            } catch (const spikegraph::Error&) {
                // One damaged run does not stop the others from being read.
            }
        }
    } catch (const spikegraph::Error&) {
        // A refused file: the expected outcome for most inputs.
    }
    // Every handle is closed, whatever the input: one left open would carry this file's state
    // into the next input.
    if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) != 0) {
        std::fprintf(stderr, "fuzz_results_reader: HDF5 identifiers left open after this input\n");
        std::abort();
    }
    return 0;
}
