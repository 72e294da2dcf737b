#pragma once
// Python values to the library's value types: numbers, arrays, lists of arrays, distributions.
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "core/connector.hpp"
#include "core/model_info.hpp"

namespace spikegraph::python {

ParamValue to_param_value(pybind11::handle value, const std::string& name);
ParamMap to_param_map(const pybind11::dict& params);
ValueSpec to_value_spec(pybind11::handle value, const std::string& name);
std::vector<double> to_doubles(pybind11::handle value, const std::string& name);
std::vector<Index> to_indices(pybind11::handle value, const std::string& name);
Connector to_connector(pybind11::handle connector);

} // namespace spikegraph::python
