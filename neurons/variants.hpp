#pragma once
// Compile-time variants of a model. A choice that changes the arithmetic of a whole step (such as
// coba_lif's integrator) is made once per block of neurons, not per neuron: the model declares
// `static constexpr int variants` and `static int variant(const Coeffs<T>&)`, its step takes the
// variant as a template argument, and the backend's loop is compiled (and vectorised) once per
// variant. Models without variants have one, variant 0.
#include <type_traits>

namespace spikegraph {

template <class Model>
constexpr int variants_of() {
    if constexpr (requires { Model::variants; })
        return Model::variants;
    else
        return 1;
}

// Calls body(std::integral_constant<int, V>{}) for the variant V that `coeffs` select.
template <class Model, int V = 0, class Coeffs, class Body>
decltype(auto) with_variant(const Coeffs& coeffs, Body&& body) {
    if constexpr (V + 1 >= variants_of<Model>()) {
        return body(std::integral_constant<int, V>{});
    } else {
        if (Model::variant(coeffs) == V) return body(std::integral_constant<int, V>{});
        return with_variant<Model, V + 1>(coeffs, static_cast<Body&&>(body));
    }
}

} // namespace spikegraph
