#include "backends/experiment/results_reader.hpp"

#include <cstring>

#include "backends/experiment/isolated.hpp"

#include "core/error.hpp"
#include "core/io/hdf5_handle.hpp"
#include "core/io/results_file.hpp"

namespace spikegraph {

namespace {

bool is_string_attribute(hid_t object, const std::string& name) {
    const hdf5::Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!attribute.valid()) return false;
    const hdf5::Handle type(H5Aget_type(attribute.get()), H5Tclose);
    return type.valid() && H5Tget_class(type.get()) == H5T_STRING;
}

std::string attribute_text(const hdf5::File& file, hid_t object, const std::string& name) {
    // Asked of the type, not of the text: an empty string (the axes of a sweep without grid or
    // zip) is a string too.
    if (is_string_attribute(object, name)) return file.string_attribute(object, name);
    // Not a string: a number (the reader converts integers and floats alike).
    return format_number(file.double_attribute(object, name));
}

std::vector<std::string> attribute_names(hid_t object) {
    std::vector<std::string> names;
    auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        auto* list = static_cast<std::vector<std::string>*>(data);
        list->emplace_back(name);
        return list->size() < 4096 ? 0 : 1; // a damaged header could claim millions
    };
    H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names);
    return names;
}

// A population's recorded neurons and size; its spikes are read only where they are wanted.
SpikeData population_spikes(const hdf5::File& file, hid_t group, const std::string& population) {
    SpikeData entry;
    entry.population = population;
    entry.population_size = static_cast<std::uint64_t>(file.int_attribute(group, "population_size"));
    entry.neurons = file.read_uint32(group, "neurons");
    return entry;
}

} // namespace

hdf5::File open_results_file(const std::string& path) {
    hdf5::File file(path, hdf5::File::Mode::read);
    const hid_t root = file.id();
    if (!file.has_attribute(root, "format") || file.string_attribute(root, "format") != "spikegraph-results")
        throw Error(ErrorCode::io, "'" + path + "' is an HDF5 file but not a spikegraph results file");
    const std::int64_t version = file.has_attribute(root, "format_version") ? file.int_attribute(root, "format_version") : 0;
    if (version < 1 || version > results_format_version)
        throw Error(ErrorCode::io, "'" + path + "' has results format version " + std::to_string(version) +
                                       "; this spikegraph reads version " + std::to_string(results_format_version));
    return file;
}

namespace {

ResultsSummary summary_here(const std::string& path) {
    hdf5::File file = open_results_file(path);
    ResultsSummary summary;
    summary.path = path;
    summary.format_version = file.int_attribute(file.id(), "format_version");
    for (const std::string& name : file.children(file.id())) {
        RunSummary run;
        run.name = name;
        auto group = file.open_group(file.id(), name);
        run.complete = file.has_attribute(group.get(), "complete") && file.int_attribute(group.get(), "complete") == 1;
        for (const std::string& attribute : attribute_names(group.get())) {
            if (attribute == "experiment_toml") continue; // long; `h5dump -a` shows it
            run.attributes.emplace_back(attribute, attribute_text(file, group.get(), attribute));
        }
        if (file.has_attribute(group.get(), "duration")) run.duration = file.double_attribute(group.get(), "duration");
        if (file.exists(group.get(), "spikes")) {
            auto spikes = file.open_group(group.get(), "spikes");
            for (const std::string& population : file.children(spikes.get())) {
                auto data = file.open_group(spikes.get(), population);
                const auto shape = file.shape(data.get(), "times");
                run.spike_counts.push_back(shape.empty() ? 0 : shape[0]);
                run.spikes.push_back(population_spikes(file, data.get(), population));
            }
        }
        if (file.exists(group.get(), "state")) {
            auto state = file.open_group(group.get(), "state");
            for (const std::string& population : file.children(state.get())) {
                auto variables = file.open_group(state.get(), population);
                for (const std::string& variable : file.children(variables.get())) run.traces.push_back(population + "/" + variable);
            }
        }
        if (file.exists(group.get(), "weights")) {
            auto weights = file.open_group(group.get(), "weights");
            run.weights = file.children(weights.get());
        }
        summary.runs.push_back(std::move(run));
    }
    return summary;
}

std::vector<SpikeData> spikes_here(const std::string& path, const std::string& run) {
    hdf5::File file = open_results_file(path);
    if (!file.exists(file.id(), run)) throw Error(ErrorCode::io, "'" + path + "' has no run '" + run + "'");
    auto group = file.open_group(file.id(), run);
    std::vector<SpikeData> result;
    if (!file.exists(group.get(), "spikes")) return result;
    auto spikes = file.open_group(group.get(), "spikes");
    for (const std::string& population : file.children(spikes.get())) {
        auto data = file.open_group(spikes.get(), population);
        SpikeData entry = population_spikes(file, data.get(), population);
        entry.times = file.read_doubles(data.get(), "times");
        entry.senders = file.read_uint32(data.get(), "senders");
        if (entry.times.size() != entry.senders.size())
            throw Error(ErrorCode::io, "'" + path + "': run '" + run + "' population '" + population +
                                           "': times and senders differ in length (damaged file)");
        result.push_back(std::move(entry));
    }
    return result;
}

// What a child read, as bytes for the parent: fixed-width numbers and length-prefixed strings
// and arrays, in this machine's byte order (both ends are the same process image).
class Writer {
public:
    template <class T> void number(T x) { bytes_.append(reinterpret_cast<const char*>(&x), sizeof x); }
    void text(const std::string& x) {
        number<std::uint64_t>(x.size());
        bytes_ += x;
    }
    template <class T> void array(const std::vector<T>& x) {
        number<std::uint64_t>(x.size());
        if (!x.empty()) bytes_.append(reinterpret_cast<const char*>(x.data()), x.size() * sizeof(T));
    }
    std::string take() { return std::move(bytes_); }

private:
    std::string bytes_;
};

class Reader {
public:
    explicit Reader(const std::string& bytes) : bytes_(bytes) {}
    template <class T> T number() {
        T x;
        copy(&x, sizeof x);
        return x;
    }
    std::string text() {
        std::string x(count(1), '\0');
        copy(x.data(), x.size());
        return x;
    }
    template <class T> std::vector<T> array() {
        std::vector<T> x(count(sizeof(T)));
        copy(x.data(), x.size() * sizeof(T));
        return x;
    }

private:
    std::size_t count(std::size_t width) {
        const auto n = number<std::uint64_t>();
        if (n > (bytes_.size() - at_) / width) throw Error(ErrorCode::internal, "results reader: truncated message from the reading process");
        return static_cast<std::size_t>(n);
    }
    void copy(void* to, std::size_t n) {
        if (n > bytes_.size() - at_) throw Error(ErrorCode::internal, "results reader: truncated message from the reading process");
        if (n == 0) return; // an empty vector's data() may be null, which memcpy must not see
        std::memcpy(to, bytes_.data() + at_, n);
        at_ += n;
    }
    const std::string& bytes_;
    std::size_t at_ = 0;
};

void write_spikes(Writer& w, const SpikeData& s) {
    w.text(s.population);
    w.number(s.population_size);
    w.array(s.times);
    w.array(s.senders);
    w.array(s.neurons);
}

SpikeData read_spike_data(Reader& r) {
    SpikeData s;
    s.population = r.text();
    s.population_size = r.number<std::uint64_t>();
    s.times = r.array<double>();
    s.senders = r.array<std::uint32_t>();
    s.neurons = r.array<std::uint32_t>();
    return s;
}

std::string encode(const std::vector<SpikeData>& spikes) {
    Writer w;
    w.number<std::uint64_t>(spikes.size());
    for (const SpikeData& s : spikes) write_spikes(w, s);
    return w.take();
}

std::vector<SpikeData> decode_spikes(const std::string& bytes) {
    Reader r(bytes);
    std::vector<SpikeData> spikes(r.number<std::uint64_t>());
    for (SpikeData& s : spikes) s = read_spike_data(r);
    return spikes;
}

std::string encode(const ResultsSummary& summary) {
    Writer w;
    w.text(summary.path);
    w.number(summary.format_version);
    w.number<std::uint64_t>(summary.runs.size());
    for (const RunSummary& run : summary.runs) {
        w.text(run.name);
        w.number<std::uint8_t>(run.complete);
        w.number<std::uint64_t>(run.attributes.size());
        for (const auto& [key, value] : run.attributes) {
            w.text(key);
            w.text(value);
        }
        w.number(run.duration);
        w.text(encode(run.spikes));
        w.array(run.spike_counts);
        w.number<std::uint64_t>(run.traces.size());
        for (const std::string& t : run.traces) w.text(t);
        w.number<std::uint64_t>(run.weights.size());
        for (const std::string& t : run.weights) w.text(t);
    }
    return w.take();
}

ResultsSummary decode_summary(const std::string& bytes) {
    Reader r(bytes);
    ResultsSummary summary;
    summary.path = r.text();
    summary.format_version = r.number<std::int64_t>();
    summary.runs.resize(r.number<std::uint64_t>());
    for (RunSummary& run : summary.runs) {
        run.name = r.text();
        run.complete = r.number<std::uint8_t>() != 0;
        run.attributes.resize(r.number<std::uint64_t>());
        for (auto& [key, value] : run.attributes) {
            key = r.text();
            value = r.text();
        }
        run.duration = r.number<double>();
        run.spikes = decode_spikes(r.text());
        run.spike_counts = r.array<std::uint64_t>();
        run.traces.resize(r.number<std::uint64_t>());
        for (std::string& t : run.traces) t = r.text();
        run.weights.resize(r.number<std::uint64_t>());
        for (std::string& t : run.weights) t = r.text();
    }
    return summary;
}

} // namespace

ResultsSummary read_results_summary(const std::string& path, double seconds) {
    if (!(seconds > 0.0)) return summary_here(path);
    return decode_summary(run_isolated_bytes([&] { return encode(summary_here(path)); }, path, seconds));
}

std::vector<SpikeData> read_spikes(const std::string& path, const std::string& run, double seconds) {
    if (!(seconds > 0.0)) return spikes_here(path, run);
    return decode_spikes(run_isolated_bytes([&] { return encode(spikes_here(path, run)); }, path, seconds));
}

} // namespace spikegraph
