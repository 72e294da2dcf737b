// backends/: compile a Network, run it with the GIL released, read results back.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "backends/backend.hpp"
#include "backends/experiment/batch.hpp"
#include "backends/experiment/cli.hpp"
#include "backends/experiment/results_probe.hpp"
#include "core/error.hpp"
#include "python/src/bindings.hpp"
#include "python/src/conversions.hpp"

namespace py = pybind11;

namespace spikegraph::python {

namespace {
template <class T>
py::array_t<T> to_array(const std::vector<T>& values) {
    return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}
} // namespace

void bind_backends(py::module_& m) {
    m.def(
        "cli_main",
        [](const std::vector<std::string>& arguments) {
            py::gil_scoped_release release;
            return cli_main(arguments);
        },
        py::arg("arguments"), "Runs the spikegraph command line in this process; returns its exit status.");
    m.def(
        "run_experiment",
        [](const std::string& path, std::string output, std::optional<int> threads, int jobs, std::optional<std::string> backend,
           std::optional<Seed> seed, bool force, bool quiet, const Overrides& overrides) {
            py::gil_scoped_release release;
            const ExperimentFile file = ExperimentFile::load(path, overrides);
            BatchOptions options;
            options.output = output;
            options.threads = threads;
            options.jobs = jobs;
            options.backend = backend;
            options.seed = seed;
            options.force = force;
            options.quiet = quiet;
            const BatchResult result = run_batch(file, options);
            py::gil_scoped_acquire gil; // the tuple is built under the GIL
            return py::make_tuple(result.output, result.points, result.ran, result.skipped, result.seconds);
        },
        py::arg("path"), py::arg("output"), py::arg("threads"), py::arg("jobs"), py::arg("backend"), py::arg("seed"),
        py::arg("force"), py::arg("quiet"), py::arg("overrides"));
    py::class_<Executable>(m, "Executable", "A compiled network (use spikegraph.compile).")
        .def("run",
             [](Executable& self, double duration, py::object progress) {
                 // The callback runs on the calling thread a few times a second: it takes the GIL,
                 // lets Ctrl-C stop the run, and reports progress to Python if asked.
                 ProgressCallback callback = [progress](Step done, Step total, double elapsed) {
                     py::gil_scoped_acquire gil;
                     if (PyErr_CheckSignals() != 0) throw py::error_already_set();
                     if (!progress.is_none()) progress(done, total, elapsed);
                 };
                 py::gil_scoped_release release;
                 self.run(duration, callback);
             },
             py::arg("duration"), py::arg("progress") = py::none())
        .def_property_readonly("time", &Executable::time)
        .def("spikes",
             [](const Executable& self, const std::string& population) {
                 const SpikeRecord& record = self.recording().spikes_of(population);
                 return py::make_tuple(to_array(record.times(self.run_info().dt)), to_array(record.senders),
                                       to_array(record.neurons), record.population_size);
             },
             py::arg("population"))
        .def("trace",
             [](const Executable& self, const std::string& population, const std::string& variable) {
                 const StateRecord& record = self.recording().state_of(population, variable);
                 py::array_t<double> values({static_cast<py::ssize_t>(record.steps.size()),
                                             static_cast<py::ssize_t>(record.neurons.size())});
                 std::copy(record.values.begin(), record.values.end(), values.mutable_data());
                 return py::make_tuple(to_array(record.times(self.run_info().dt)), values, to_array(record.neurons),
                                       record.unit, static_cast<double>(record.interval_steps) * self.run_info().dt);
             },
             py::arg("population"), py::arg("variable"))
        .def("recorded",
             [](const Executable& self) {
                 py::list spikes, states;
                 for (const auto& r : self.recording().spikes) spikes.append(r.population);
                 for (const auto& r : self.recording().states) states.append(py::make_tuple(r.population, r.variable));
                 return py::make_tuple(spikes, states);
             })
        .def("state",
             [](const Executable& self, const std::string& population, const std::string& variable) {
                 return to_array(self.state(self.network().population_id(population), variable));
             },
             py::arg("population"), py::arg("variable"))
        .def("synapses",
             [](const Executable& self, const std::string& projection) {
                 const SynapseList list = self.synapses(self.network().projection_id(projection));
                 return py::make_tuple(to_array(list.pre), to_array(list.post), to_array(list.weight), to_array(list.delay));
             },
             py::arg("projection"))
        .def("weight_snapshots",
             [](const Executable& self, const std::string& projection) {
                 for (const auto& record : self.recording().weights)
                     if (record.projection == projection) {
                         const double dt = self.run_info().dt;
                         py::array_t<double> values({record.steps.size(), record.pre.size()});
                         std::copy(record.values.begin(), record.values.end(), values.mutable_data());
                         return py::make_tuple(to_array(record.times(dt)), values);
                     }
                 throw Error(ErrorCode::invalid_parameter, "the weights of projection '" + projection +
                                                               "' were not recorded (use Network.record_weights)");
             },
             py::arg("projection"))
        .def("set_weights",
             [](Executable& self, const std::string& projection, py::handle weights) {
                 self.set_weights(self.network().projection_id(projection), to_doubles(weights, "weights"));
             },
             py::arg("projection"), py::arg("weights"))
        .def("save",
             [](const Executable& self, const std::string& path, const std::string& group, bool overwrite) {
                 py::gil_scoped_release release;
                 self.save(path, SaveOptions{group, overwrite});
             },
             py::arg("path"), py::arg("group") = "run", py::arg("overwrite") = false)
        .def("report",
             [](const Executable& self) {
                 py::dict out;
                 for (const auto& entry : self.report()) out[py::str(entry.name)] = entry.value;
                 return out;
             })
        .def("run_info", [](const Executable& self) {
            const RunInfo info = self.run_info();
            return py::dict(py::arg("backend") = info.backend, py::arg("precision") = info.precision, py::arg("dt") = info.dt,
                            py::arg("steps") = info.steps, py::arg("seed") = info.seed, py::arg("threads") = info.threads,
                            py::arg("wall_time") = info.wall_time);
        });

    m.def("compile",
          [](const Network& network, const std::string& backend, double dt, std::uint64_t seed, int threads,
             const std::string& precision, double memory_limit, const std::string& chip) {
              CompileOptions options{dt, seed, threads, precision, memory_limit, chip};
              const Network copy = network; // taken with the GIL held: no Python thread can change it meanwhile
              py::gil_scoped_release release;
              return compile(copy, options, backend);
          },
          py::arg("network"), py::arg("backend") = "cpu", py::arg("dt") = 0.1, py::arg("seed") = 1,
          py::arg("threads") = 0, py::arg("precision") = "float", py::arg("memory_limit") = 0.0, py::arg("chip") = "");
    m.def("probe_results_file",
          [](const std::string& path, double seconds) {
              py::gil_scoped_release release;
              probe_results_file(path, seconds);
          },
          py::arg("path"), py::arg("seconds") = 60.0,
          "Reads the whole file in a child process; raises SpikegraphIOError if libhdf5 crashes or loops on it.");
    m.def("available_backends", &available_backends);
    m.def("known_backends", &known_backends);
}

} // namespace spikegraph::python
