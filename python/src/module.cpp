#include <pybind11/pybind11.h>

#include "python/src/bindings.hpp"

PYBIND11_MODULE(_core, m) {
    m.doc() = "spikegraph C++ core (use the spikegraph package, not this module)";
    m.attr("__version__") = SPIKEGRAPH_VERSION;
    spikegraph::python::bind_errors(m);
    spikegraph::python::bind_core(m);
    spikegraph::python::bind_neurons(m);
    spikegraph::python::bind_plasticity(m);
    spikegraph::python::bind_training(m);
    spikegraph::python::bind_hardware(m);
    spikegraph::python::bind_backends(m);
}
