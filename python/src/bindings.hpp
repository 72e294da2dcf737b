#pragma once
// One bind_<folder>() per folder of the library, called in dependency order by module.cpp.
#include <pybind11/pybind11.h>

namespace spikegraph::python {
void bind_errors(pybind11::module_& m);
void bind_core(pybind11::module_& m);
void bind_neurons(pybind11::module_& m);
void bind_backends(pybind11::module_& m);
} // namespace spikegraph::python
