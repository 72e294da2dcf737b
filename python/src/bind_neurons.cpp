// neurons/: the model list, with parameters, units and defaults, for help and validation.
#include <pybind11/stl.h>

#include "neurons/models.hpp"
#include "python/src/bindings.hpp"

namespace py = pybind11;

namespace spikegraph::python {

py::dict describe(const ModelInfo& model) {
    static const char* kinds[] = {"neuron", "spike_source", "current_source", "generator"};
    static const char* field_kinds[] = {"scalar", "per_neuron", "choice", "array", "ragged"};
    py::list params;
    for (const auto& field : model.params) {
        py::dict entry(py::arg("name") = std::string(field.name), py::arg("unit") = std::string(field.unit),
                       py::arg("kind") = field_kinds[static_cast<int>(field.kind)], py::arg("doc") = std::string(field.doc));
        if (field.kind == FieldKind::choice) {
            std::vector<std::string> choices(field.choices.begin(), field.choices.end());
            entry["default"] = choices.front();
            entry["choices"] = choices;
        } else if (field.kind == FieldKind::scalar || field.kind == FieldKind::per_neuron) {
            entry["default"] = field.default_value;
        }
        params.append(entry);
    }
    py::list state;
    for (const auto& var : model.state)
        state.append(py::dict(py::arg("name") = std::string(var.name), py::arg("unit") = std::string(var.unit),
                              py::arg("initial") = var.initial_from.empty() ? std::string("0") : std::string(var.initial_from),
                              py::arg("doc") = std::string(var.doc)));
    std::vector<std::string> receptors(model.receptors.begin(), model.receptors.end());
    return py::dict(py::arg("name") = std::string(model.name), py::arg("summary") = std::string(model.summary),
                    py::arg("kind") = kinds[static_cast<int>(model.kind)], py::arg("params") = params,
                    py::arg("state") = state, py::arg("receptors") = receptors, py::arg("spiking") = model.spiking);
}
void bind_neurons(py::module_& m) {
    m.def("model_info", [](const std::string& name) { return describe(model_info(name)); }, py::arg("name"),
          "Parameters (with units and defaults), state variables and receptors of a model.");
    m.def("model_names", [] {
        std::vector<std::string> names;
        for (const ModelInfo* model : all_models()) names.emplace_back(model->name);
        return names;
    });
}

} // namespace spikegraph::python
