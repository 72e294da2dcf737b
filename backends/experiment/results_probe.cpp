#include "backends/experiment/results_probe.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <hdf5.h>
#include <sys/resource.h>
#include <unistd.h>

#include "backends/experiment/isolated.hpp"
#include "core/error.hpp"

namespace spikegraph {

namespace {

// Reads of numeric data stop at this many bytes per dataset: enough for any results file's
// metadata-sized arrays and for the chunks where decompression could fail, while a huge dataset
// still costs little.
constexpr hsize_t data_bytes_limit = hsize_t{256} << 20;

// The child may map what the parent already has plus this much: a claimed size of many GB makes
// libhdf5's allocation fail (an error) instead of exhausting the machine.
constexpr rlim_t extra_address_space = rlim_t{4} << 30;

void limit_address_space() {
    std::ifstream statm("/proc/self/statm");
    unsigned long long pages = 0;
    if (!(statm >> pages)) return;
    const rlim_t limit = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + extra_address_space;
    const rlimit value{limit, limit};
    setrlimit(RLIMIT_AS, &value);
}

hsize_t elements(hid_t space) {
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    return n < 0 ? 0 : static_cast<hsize_t>(n);
}

// Reads one attribute or dataset through libhdf5's conversion, as a reader would.
void read_values(hid_t object, bool attribute) {
    const hid_t type = attribute ? H5Aget_type(object) : H5Dget_type(object);
    const hid_t space = attribute ? H5Aget_space(object) : H5Dget_space(object);
    if (type >= 0 && space >= 0) {
        const hsize_t n = elements(space);
        const H5T_class_t kind = H5Tget_class(type);
        if (kind == H5T_STRING && H5Tis_variable_str(type) > 0) {
            const hid_t memory = H5Tcopy(H5T_C_S1);
            H5Tset_size(memory, H5T_VARIABLE);
            H5Tset_cset(memory, H5Tget_cset(type)); // no conversion path between character sets
            if (n * sizeof(char*) <= data_bytes_limit) {
                std::vector<char*> text(n, nullptr);
                const herr_t read = attribute ? H5Aread(object, memory, text.data())
                                              : H5Dread(object, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data());
                if (read >= 0) H5Dvlen_reclaim(memory, space, H5P_DEFAULT, text.data());
            }
            H5Tclose(memory);
        } else if (kind == H5T_STRING) {
            const std::size_t size = H5Tget_size(type);
            if (size > 0 && n * size <= data_bytes_limit) {
                std::vector<char> text(n * size);
                if (attribute) H5Aread(object, type, text.data());
                else H5Dread(object, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data());
            }
        } else if ((kind == H5T_INTEGER || kind == H5T_FLOAT) && n * sizeof(double) <= data_bytes_limit) {
            std::vector<double> values(n);
            if (attribute) H5Aread(object, H5T_NATIVE_DOUBLE, values.data());
            else H5Dread(object, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
        }
    }
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
}

void read_attributes(hid_t object) {
    H5O_info_t info;
    if (H5Oget_info(object, &info) < 0) return;
    for (hsize_t k = 0; k < info.num_attrs; ++k) {
        const hid_t attribute = H5Aopen_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, k, H5P_DEFAULT, H5P_DEFAULT);
        if (attribute < 0) continue;
        read_values(attribute, true);
        H5Aclose(attribute);
    }
}

void read_tree(hid_t group, int depth, bool data) {
    read_attributes(group);
    if (depth > 64) return; // deeper than any results file: a damaged link cycle
    H5G_info_t info;
    if (H5Gget_info(group, &info) < 0) return;
    for (hsize_t k = 0; k < info.nlinks; ++k) {
        const hid_t object = H5Oopen_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_NATIVE, k, H5P_DEFAULT);
        if (object < 0) continue;
        const H5I_type_t kind = H5Iget_type(object);
        if (kind == H5I_GROUP) read_tree(object, depth + 1, data);
        if (kind == H5I_DATASET) {
            read_attributes(object);
            if (data) read_values(object, false);
        }
        H5Oclose(object);
    }
}

int probe(const std::string& path, bool data) {
    limit_address_space();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // errors are the real reader's to report
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) return 0;
    const hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    if (root >= 0) {
        read_tree(root, 0, data);
        H5Gclose(root);
    }
    H5Fclose(file);
    return 0;
}

} // namespace

void probe_results_file(const std::string& path, double seconds, ProbeDepth depth) {
    if (!(seconds > 0.0)) throw Error(ErrorCode::invalid_parameter, "probe_results_file: the time limit must be positive");
    // The child returns 0 when it read everything; any other end (a sanitizer's report, memory
    // refused by the address-space limit) means libhdf5 did not cope with the file either.
    const int status = run_isolated([&] { return probe(path, depth == ProbeDepth::everything); }, path, seconds);
    if (status != 0)
        throw damaged_file_error(path, "exit status " + std::to_string(status));
}

} // namespace spikegraph
