#include "python/src/conversions.hpp"

#include <cmath>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "core/error.hpp"

namespace py = pybind11;

namespace spikegraph::python {

namespace {
bool is_number(py::handle value) {
    return !py::isinstance<py::str>(value) && !py::isinstance<py::sequence>(value) &&
           !py::isinstance<py::array>(value) && PyNumber_Check(value.ptr());
}
bool is_array_like(py::handle value) {
    return py::isinstance<py::array>(value) || (py::isinstance<py::sequence>(value) && !py::isinstance<py::str>(value));
}
[[noreturn]] void fail_type(const std::string& name, py::handle value, const std::string& expected) {
    throw Error(ErrorCode::invalid_parameter, name + " was given " + std::string(py::str(py::type::of(value).attr("__name__"))) +
                                                  " but needs " + expected);
}
} // namespace

std::vector<double> to_doubles(py::handle value, const std::string& name) {
    py::array_t<double, py::array::c_style | py::array::forcecast> array;
    try {
        array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
    } catch (const py::error_already_set&) {
        fail_type(name, value, "an array of numbers");
    }
    if (!array) {
        PyErr_Clear();
        fail_type(name, value, "an array of numbers");
    }
    return std::vector<double>(array.data(), array.data() + array.size());
}

std::vector<Index> to_indices(py::handle value, const std::string& name) {
    const std::vector<double> numbers = to_doubles(value, name);
    std::vector<Index> indices(numbers.size());
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        const double x = numbers[i];
        if (!(x >= 0.0 && x <= 4294967295.0 && std::floor(x) == x))
            fail_parameter(name, "[" + std::to_string(i) + "]", x, "", "indices must be whole numbers >= 0");
        indices[i] = static_cast<Index>(x);
    }
    return indices;
}

ParamValue to_param_value(py::handle value, const std::string& name) {
    if (py::isinstance<Distribution>(value)) return value.cast<Distribution>();
    if (py::isinstance<py::str>(value)) return value.cast<std::string>();
    if (is_number(value)) return value.cast<double>();
    if (is_array_like(value)) {
        // A list whose items are themselves arrays is one array per neuron (spike times).
        if (!py::isinstance<py::array>(value)) {
            py::sequence items = py::reinterpret_borrow<py::sequence>(value);
            bool nested = items.size() > 0;
            for (auto item : items) nested = nested && is_array_like(item);
            if (nested) {
                RaggedArray lists;
                for (std::size_t i = 0; i < items.size(); ++i)
                    lists.push_back(to_doubles(items[i], name + "[" + std::to_string(i) + "]"));
                return lists;
            }
        }
        return to_doubles(value, name);
    }
    fail_type(name, value, "a number, a string, an array or a distribution");
}

ParamMap to_param_map(const py::dict& params) {
    ParamMap map;
    for (auto [key, value] : params) {
        const std::string name = py::str(key);
        map.emplace(name, to_param_value(value, name));
    }
    return map;
}

ValueSpec to_value_spec(py::handle value, const std::string& name) {
    if (py::isinstance<Distribution>(value)) return value.cast<Distribution>();
    if (is_number(value)) return value.cast<double>();
    if (is_array_like(value)) return to_doubles(value, name);
    fail_type(name, value, "a number, an array or a distribution");
}

Connector to_connector(py::handle c) {
    if (py::isinstance<AllToAll>(c)) return c.cast<AllToAll>();
    if (py::isinstance<OneToOne>(c)) return c.cast<OneToOne>();
    if (py::isinstance<FixedProbability>(c)) return c.cast<FixedProbability>();
    if (py::isinstance<FixedInDegree>(c)) return c.cast<FixedInDegree>();
    if (py::isinstance<FixedOutDegree>(c)) return c.cast<FixedOutDegree>();
    if (py::isinstance<FixedTotalNumber>(c)) return c.cast<FixedTotalNumber>();
    if (py::isinstance<FromList>(c)) return c.cast<FromList>();
    if (py::isinstance<FromDenseMatrix>(c)) return c.cast<FromDenseMatrix>();
    if (py::isinstance<FromSparseMatrix>(c)) return c.cast<FromSparseMatrix>();
    fail_type("connector", c, "a connector such as spikegraph.FixedProbability(0.1)");
}

} // namespace spikegraph::python
