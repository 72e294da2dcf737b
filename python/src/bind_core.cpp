// core/: errors, distributions, connectors and the Network.
#include <cmath>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "core/error.hpp"
#include "core/network.hpp"
#include "core/population_values.hpp"
#include "neurons/models.hpp"
#include "plasticity/rules.hpp"
#include "python/src/bindings.hpp"
#include "python/src/conversions.hpp"

namespace py = pybind11;

namespace spikegraph::python {

namespace {

// Python exception types by ErrorCode; all derive from SpikegraphError, itself a ValueError.
PyObject* error_types[6] = {};

PyObject* add_exception(py::module_& m, const char* name, PyObject* base, const char* doc) {
    const std::string qualified = std::string("spikegraph.") + name;
    PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base, nullptr);
    if (!type) throw py::error_already_set();
    m.add_object(name, py::handle(type));
    return type;
}

std::uint64_t count(std::int64_t n, const char* connector) {
    if (n < 0) fail_parameter(connector, "n", static_cast<double>(n), "", "it must be >= 0");
    return static_cast<std::uint64_t>(n);
}

} // namespace

void bind_errors(py::module_& m) {
    PyObject* base = add_exception(m, "SpikegraphError", PyExc_ValueError, "Base of every spikegraph error.");
    error_types[static_cast<int>(ErrorCode::invalid_parameter)] =
        add_exception(m, "InvalidParameterError", base, "A parameter value is out of range or of the wrong kind.");
    error_types[static_cast<int>(ErrorCode::invalid_network)] =
        add_exception(m, "InvalidNetworkError", base, "The network's structure is invalid.");
    error_types[static_cast<int>(ErrorCode::backend_unavailable)] =
        add_exception(m, "BackendUnavailableError", base, "The backend is unknown or not built.");
    error_types[static_cast<int>(ErrorCode::hardware_constraint)] =
        add_exception(m, "HardwareConstraintError", base, "The network does not fit the machine or chip.");
    error_types[static_cast<int>(ErrorCode::io)] =
        add_exception(m, "SpikegraphIOError", base, "A file cannot be read or written.");
    error_types[static_cast<int>(ErrorCode::internal)] = add_exception(m, "InternalError", base, "A bug in spikegraph.");
    py::register_exception_translator([](std::exception_ptr pointer) {
        try {
            if (pointer) std::rethrow_exception(pointer);
        } catch (const Error& error) {
            PyErr_SetString(error_types[static_cast<int>(error.code())], error.what());
        }
    });
}

void bind_core(py::module_& m) {
    py::class_<Distribution>(m, "Distribution", "A distribution values are drawn from, per neuron or per synapse.")
        .def_static("uniform", &Distribution::uniform, py::arg("low"), py::arg("high"))
        .def_static("normal", &Distribution::normal, py::arg("mean"), py::arg("sd"))
        .def_static("normal_clipped", &Distribution::normal_clipped, py::arg("mean"), py::arg("sd"), py::arg("low"),
                    py::arg("high"))
        .def_static("lognormal", &Distribution::lognormal, py::arg("mu"), py::arg("sigma"))
        .def("mean", &Distribution::mean)
        .def("__repr__", &Distribution::describe);

    py::class_<AllToAll>(m, "AllToAll")
        .def(py::init([](bool self) { return AllToAll{self}; }), py::arg("allow_self_connections") = true)
        .def("__repr__", [](const AllToAll& c) { return describe(Connector(c)); });
    py::class_<OneToOne>(m, "OneToOne").def(py::init<>()).def("__repr__", [](const OneToOne&) { return std::string("one_to_one"); });
    py::class_<FixedProbability>(m, "FixedProbability")
        .def(py::init([](double p, bool self) { return FixedProbability{p, self}; }), py::arg("p"),
             py::arg("allow_self_connections") = true)
        .def("__repr__", [](const FixedProbability& c) { return describe(Connector(c)); });
    py::class_<FixedInDegree>(m, "FixedInDegree")
        .def(py::init([](std::int64_t n, bool self, bool multapses) {
                 return FixedInDegree{count(n, "fixed_in_degree"), self, multapses};
             }),
             py::arg("n"), py::arg("allow_self_connections") = true, py::arg("allow_multapses") = false)
        .def("__repr__", [](const FixedInDegree& c) { return describe(Connector(c)); });
    py::class_<FixedOutDegree>(m, "FixedOutDegree")
        .def(py::init([](std::int64_t n, bool self, bool multapses) {
                 return FixedOutDegree{count(n, "fixed_out_degree"), self, multapses};
             }),
             py::arg("n"), py::arg("allow_self_connections") = true, py::arg("allow_multapses") = false)
        .def("__repr__", [](const FixedOutDegree& c) { return describe(Connector(c)); });
    py::class_<FixedTotalNumber>(m, "FixedTotalNumber")
        .def(py::init([](std::int64_t n, bool self, bool multapses) {
                 return FixedTotalNumber{count(n, "fixed_total_number"), self, multapses};
             }),
             py::arg("n"), py::arg("allow_self_connections") = true, py::arg("allow_multapses") = false)
        .def("__repr__", [](const FixedTotalNumber& c) { return describe(Connector(c)); });
    py::class_<FromList>(m, "FromList")
        .def(py::init([](py::handle pre, py::handle post, py::handle weights, py::handle delays) {
                 FromList list{to_indices(pre, "from_list pre"), to_indices(post, "from_list post"), {}, {}};
                 if (!weights.is_none()) list.weights = to_doubles(weights, "from_list weights");
                 if (!delays.is_none()) list.delays = to_doubles(delays, "from_list delays");
                 return list;
             }),
             py::arg("pre"), py::arg("post"), py::arg("weights") = py::none(), py::arg("delays") = py::none())
        .def("__repr__", [](const FromList& c) { return describe(Connector(c)); });
    py::class_<FromDenseMatrix>(m, "FromDenseMatrix")
        .def(py::init([](py::array_t<double, py::array::c_style | py::array::forcecast> weights, py::handle delays) {
                 if (weights.ndim() != 2)
                     throw Error(ErrorCode::invalid_parameter, "from_dense_matrix needs a 2-D weight matrix");
                 FromDenseMatrix dense{static_cast<Index>(weights.shape(0)), static_cast<Index>(weights.shape(1)),
                                       std::vector<double>(weights.data(), weights.data() + weights.size()), {}};
                 if (!delays.is_none()) dense.delays = to_doubles(delays, "from_dense_matrix delays");
                 return dense;
             }),
             py::arg("weights"), py::arg("delays") = py::none())
        .def("__repr__", [](const FromDenseMatrix& c) { return describe(Connector(c)); });
    py::class_<FromSparseMatrix>(m, "FromSparseMatrix")
        .def(py::init([](Index rows, Index cols, py::handle indptr, py::handle indices, py::handle data, py::handle delays) {
                 FromSparseMatrix sparse{rows, cols, {}, to_indices(indices, "from_sparse_matrix indices"),
                                         to_doubles(data, "from_sparse_matrix data"), {}};
                 for (double x : to_doubles(indptr, "from_sparse_matrix indptr")) {
                     if (!(x >= 0.0 && x < 1.8e19 && std::floor(x) == x))
                         fail_parameter("from_sparse_matrix", "indptr", x, "", "offsets must be whole numbers >= 0");
                     sparse.indptr.push_back(static_cast<std::uint64_t>(x));
                 }
                 if (!delays.is_none()) sparse.delays = to_doubles(delays, "from_sparse_matrix delays");
                 return sparse;
             }),
             py::arg("rows"), py::arg("cols"), py::arg("indptr"), py::arg("indices"), py::arg("data"),
             py::arg("delays") = py::none())
        .def("__repr__", [](const FromSparseMatrix& c) { return describe(Connector(c)); });

    py::class_<Network>(m, "Network", "The network description (use spikegraph.Network).")
        .def(py::init<>())
        .def("parameters",
             [](const Network& self, const std::string& name, std::uint64_t seed) {
                 // Every field of the population's model: given or default; a per-neuron field given
                 // as an array or distribution comes back drawn per neuron, as backends draw it.
                 const PopulationId id = self.population_id(name);
                 const PopulationSpec& spec = self.population(id);
                 const ModelInfo& model = *spec.model;
                 py::dict out;
                 out["model"] = std::string(model.name);
                 for (const FieldInfo& field : model.params) {
                     const py::str key(std::string(field.name));
                     auto given = spec.params.find(field.name);
                     if (field.kind == FieldKind::choice) {
                         out[key] = std::string(choice_or_default(model, spec.params, field.name));
                     } else if (field.kind == FieldKind::array || field.kind == FieldKind::ragged) {
                         if (given != spec.params.end()) {
                             if (const auto* a = std::get_if<std::vector<double>>(&given->second)) out[key] = *a;
                             if (const auto* r = std::get_if<RaggedArray>(&given->second)) out[key] = *r;
                         }
                     } else if (field.kind == FieldKind::per_neuron && given != spec.params.end() &&
                                !std::holds_alternative<double>(given->second)) {
                         const auto values = population_values(spec, id.value, field.name, field.default_value, parameter_slot, seed);
                         out[key] = py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data());
                     } else {
                         out[key] = param_or_default(model, spec.params, field.name);
                     }
                 }
                 return out;
             },
             py::arg("name"), py::arg("seed") = 1)
        .def("add_population",
             [](Network& self, std::string name, const std::string& model, std::int64_t size, const py::dict& params) {
                 if (size < 0 || size > 4294967295LL)
                     fail_parameter("population '" + name + "'", "size", static_cast<double>(size), "",
                                    "a population needs between 1 and 4294967295 neurons");
                 return self.add_population(std::move(name), model_info(model), static_cast<Index>(size),
                                            to_param_map(params)).value;
             },
             py::arg("name"), py::arg("model"), py::arg("size"), py::arg("params") = py::dict())
        .def("connect",
             [](Network& self, const std::string& pre, const std::string& post, py::handle connector, py::handle weight,
                py::handle delay, std::string receptor, std::string name, py::handle plasticity) {
                 SynapseSpec synapse{to_value_spec(weight, "weight"), std::nullopt, std::move(receptor)};
                 if (!delay.is_none()) synapse.delay = to_value_spec(delay, "delay");
                 if (!plasticity.is_none()) // (rule name, parameter dict, axonal delay)
                     synapse.plasticity = PlasticitySpec{&rule_info(plasticity[py::int_(0)].cast<std::string>()),
                                                         to_param_map(plasticity[py::int_(1)].cast<py::dict>()),
                                                         plasticity[py::int_(2)].cast<double>()};
                 return self.connect(self.population_id(pre), self.population_id(post), to_connector(connector),
                                     std::move(synapse), std::move(name)).value;
             },
             py::arg("pre"), py::arg("post"), py::arg("connector"), py::arg("weight") = 0.0, py::arg("delay") = py::none(),
             py::arg("receptor") = "excitatory", py::arg("name") = "", py::arg("plasticity") = py::none())
        .def("inject",
             [](Network& self, const std::string& source, const std::string& target, py::handle neurons) {
                 self.inject(self.population_id(source), self.population_id(target),
                             neurons.is_none() ? std::vector<Index>{} : to_indices(neurons, "neurons"));
             },
             py::arg("source"), py::arg("target"), py::arg("neurons") = py::none())
        .def("record",
             [](Network& self, const std::string& population, std::string variable, py::handle neurons, double interval) {
                 self.record(self.population_id(population), std::move(variable),
                             neurons.is_none() ? std::vector<Index>{} : to_indices(neurons, "neurons"), interval);
             },
             py::arg("population"), py::arg("variable"), py::arg("neurons") = py::none(), py::arg("interval") = 0.0)
        .def("record_weights",
             [](Network& self, const std::string& projection, double interval) {
                 self.record_weights(self.projection_id(projection), interval);
             },
             py::arg("projection"), py::arg("interval"))
        .def("validate", &Network::validate)
        .def("population_names", [](const Network& self) {
            std::vector<std::string> names;
            for (const auto& p : self.populations()) names.push_back(p.name);
            return names;
        })
        .def("population_info", [](const Network& self, const std::string& name) {
            const auto& p = self.population(self.population_id(name));
            return py::dict(py::arg("name") = p.name, py::arg("model") = std::string(p.model->name),
                            py::arg("size") = p.size, py::arg("kind") = static_cast<int>(p.model->kind));
        })
        .def("projection_names", [](const Network& self) {
            std::vector<std::string> names;
            for (const auto& p : self.projections()) names.push_back(p.name);
            return names;
        })
        .def("projection_info", [](const Network& self, const std::string& name) {
            const auto& p = self.projection(self.projection_id(name));
            return py::dict(py::arg("name") = p.name, py::arg("pre") = self.population(p.pre).name,
                            py::arg("post") = self.population(p.post).name, py::arg("receptor") = p.synapse.receptor,
                            py::arg("connector") = describe(p.connector));
        });
}

} // namespace spikegraph::python
