#pragma once
// One bind_<folder>() per folder of the library, called in dependency order by module.cpp.
#include <pybind11/pybind11.h>

#include "core/model_info.hpp"

namespace spikegraph::python {
void bind_errors(pybind11::module_& m);
// A model or rule description as a dict (bind_neurons.cpp).
pybind11::dict describe(const ModelInfo& model);
void bind_core(pybind11::module_& m);
void bind_neurons(pybind11::module_& m);
void bind_plasticity(pybind11::module_& m);
void bind_training(pybind11::module_& m); // plasticity/training
void bind_hardware(pybind11::module_& m); // hardware/ and its emulators
void bind_backends(pybind11::module_& m);
} // namespace spikegraph::python
