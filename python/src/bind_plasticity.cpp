// plasticity/: the rule list, with parameters, units and defaults, and the subspace rule.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "plasticity/rules.hpp"
#include "python/src/bindings.hpp"

namespace py = pybind11;

namespace spikegraph::python {

void bind_plasticity(py::module_& m) {
    m.def("rule_info",
          [](const std::string& name) {
              py::dict info = describe(rule_info(name));
              for (const char* key : {"kind", "state", "receptors", "spiking"}) info.attr("pop")(key);
              return info;
          },
          py::arg("name"), "Parameters (with units and defaults) of a plasticity rule.");
    m.def("rule_names", [] {
        std::vector<std::string> names;
        for (const ModelInfo* rule : all_rules()) names.emplace_back(rule->name);
        return names;
    });
    m.def("subspace_update",
          [](Eigen::MatrixXd h, const Eigen::MatrixXd& inputs, double eta, Eigen::Index frozen_rows) {
              if (inputs.rows() != h.cols())
                  throw Error(ErrorCode::invalid_parameter, "subspace_update: inputs have " + std::to_string(inputs.rows()) +
                                                                " rows but the subspace matrix has " + std::to_string(h.cols()) + " columns");
              if (frozen_rows < 0 || frozen_rows > h.rows())
                  throw Error(ErrorCode::invalid_parameter, "subspace_update: frozen_rows = " + std::to_string(frozen_rows) +
                                                                " must lie in [0, " + std::to_string(h.rows()) + "]");
              subspace_update(h, inputs, eta, frozen_rows);
              return h;
          },
          py::arg("h"), py::arg("inputs"), py::arg("eta"), py::arg("frozen_rows") = 0,
          "One step of the Hebbian / anti-Hebbian subspace rule: y = H x, H += eta mean(y (x - H^T y)^T) over the "
          "columns of `inputs`; the first `frozen_rows` rows of H take part but do not change. Returns the new H.");
}

} // namespace spikegraph::python
