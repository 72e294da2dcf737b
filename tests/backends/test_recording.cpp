// Recording: sampled state at the chosen interval and neurons; spikes of a subset; the HDF5
// results file holds it all with provenance, is marked complete last, and never overwrites data.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <hdf5.h>

#include "support.hpp"

using namespace spikegraph;

namespace {
std::filesystem::path temporary(const std::string& name) {
    auto path = std::filesystem::temp_directory_path() / ("spikegraph_test_" + name);
    std::filesystem::remove(path);
    return path;
}

std::unique_ptr<Executable> small_run() {
    Network net;
    const auto src = net.add_population("src", model_info("poisson"), 50, {{"rate", 40.0}});
    const auto cells = net.add_population("cells", model_info("cuba_lif"), 20, {{"i_offset", 0.5}});
    net.connect(src, cells, FixedProbability{0.2}, SynapseSpec{0.3, 1.0, "excitatory"});
    net.record(cells, "spikes", {3, 1, 7});
    net.record(src, "spikes");
    net.record(cells, "v", {0, 5}, 0.5);
    auto sim = compile(net, CompileOptions{0.1, 5, 1, "float", 0.0});
    sim->run(100.0);
    return sim;
}

long long attribute_int(hid_t object, const char* name) {
    long long value = -1;
    hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
    H5Aread(attribute, H5T_NATIVE_LLONG, &value);
    H5Aclose(attribute);
    return value;
}

hsize_t dataset_length(hid_t file, const char* path, int dimension = 0) {
    hid_t set = H5Dopen2(file, path, H5P_DEFAULT);
    REQUIRE(set >= 0);
    hid_t space = H5Dget_space(set);
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    H5Sclose(space);
    H5Dclose(set);
    return dims[dimension];
}
} // namespace

TEST_SUITE("backends") {
TEST_CASE("recording: state sampled every interval for the chosen neurons; spikes of a subset") {
    auto sim = small_run();
    const auto& v = sim->recording().state_of("cells", "v");
    CHECK(v.neurons == std::vector<Index>{0, 5});
    CHECK(v.steps.size() == 200); // 100 ms every 0.5 ms
    CHECK(v.values.size() == 400);
    CHECK(v.times(0.1).front() == doctest::Approx(0.5));
    CHECK(v.unit == "mV");
    const auto& spikes = sim->recording().spikes_of("cells");
    CHECK(spikes.neurons == std::vector<Index>{1, 3, 7});
    CHECK(!spikes.senders.empty());
    for (Index s : spikes.senders) CHECK((s == 1 || s == 3 || s == 7));
    CHECK(std::is_sorted(spikes.steps.begin(), spikes.steps.end()));
}

TEST_CASE("hdf5: a run is written with provenance and marked complete") {
    auto sim = small_run();
    const auto path = temporary("results.h5");
    sim->save(path.string());
    hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    hid_t run = H5Gopen2(file, "run", H5P_DEFAULT);
    CHECK(attribute_int(run, "complete") == 1);
    CHECK(attribute_int(run, "steps") == 1000);
    CHECK(dataset_length(file, "run/spikes/src/times") == sim->recording().spikes_of("src").steps.size());
    CHECK(dataset_length(file, "run/state/cells/v/values", 0) == 200);
    CHECK(dataset_length(file, "run/state/cells/v/values", 1) == 2);
    CHECK(H5Lexists(file, "run/network/projections/src->cells", H5P_DEFAULT) > 0);
    H5Gclose(run);
    H5Fclose(file);

    // A second run goes into its own group; the first stays as it was.
    sim->save(path.string(), SaveOptions{"again", false});
    test::check_error([&] { sim->save(path.string()); }, ErrorCode::io, {"already holds a group 'run'", "overwrite"});
    CHECK_NOTHROW(sim->save(path.string(), SaveOptions{"run", true}));
    file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(H5Lexists(file, "again", H5P_DEFAULT) > 0);
    CHECK(H5Lexists(file, "run", H5P_DEFAULT) > 0);
    H5Fclose(file);
    std::filesystem::remove(path);
}

TEST_CASE("hdf5: a foreign HDF5 file is refused untouched; a stale staging group is cleared") {
    auto sim = small_run();
    const auto path = temporary("foreign.h5");
    {
        hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        hid_t group = H5Gcreate2(file, "experiment", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Gclose(group);
        H5Fclose(file);
    }
    test::check_error([&] { sim->save(path.string()); }, ErrorCode::io, {"not a spikegraph results file"});
    hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(H5Aexists(file, "format") == 0); // nothing was written
    H5Fclose(file);
    std::filesystem::remove(path);

    // A crash while writing leaves "~writing~run"; the next save of "run" clears it.
    sim->save(path.string(), SaveOptions{"other", false});
    file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Gclose(H5Gcreate2(file, "~writing~run", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(file);
    sim->save(path.string());
    sim->save(path.string(), SaveOptions{"run", true});
    file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(H5Lexists(file, "~writing~run", H5P_DEFAULT) == 0);
    hid_t run = H5Gopen2(file, "run", H5P_DEFAULT);
    CHECK(attribute_int(run, "complete") == 1);
    H5Gclose(run);
    H5Fclose(file);
    std::filesystem::remove(path);
}

TEST_CASE("hdf5: a file that is not HDF5 is never overwritten; a missing folder is an io error") {
    auto sim = small_run();
    const auto path = temporary("notes.txt");
    { std::ofstream(path) << "precious notes\n"; }
    test::check_error([&] { sim->save(path.string()); }, ErrorCode::io, {"not an HDF5 file", "refusing"});
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    CHECK(line == "precious notes");
    std::filesystem::remove(path);
    test::check_error([&] { sim->save("/nonexistent/folder/out.h5"); }, ErrorCode::io, {"/nonexistent/folder/out.h5"});
}
}
