#pragma once
// Parameter fields and checks shared by the rules: weight bounds (which also size the backends'
// input buffers, so they must be finite) and the trace interaction scheme.
#include <string_view>
#include <vector>

#include "neurons/fields.hpp"
#include "plasticity/traces.hpp"

namespace spikegraph {

template <class P>
std::vector<Field<P>> weight_bound_fields() { // needs w_min, w_max
    return {number_field<P>("w_min", "", FieldKind::scalar, Bound::finite, &P::w_min, "lower weight bound (unit of the weight)"),
            number_field<P>("w_max", "", FieldKind::scalar, Bound::finite, &P::w_max, "upper weight bound (unit of the weight)")};
}

template <class P>
std::vector<Field<P>> interaction_field() { // needs interaction
    return {choice_field<P, &P::interaction>("interaction", {"all_to_all", "nearest"},
                                             "pair every earlier spike, or only the latest (traces jump to 1)")};
}

inline void check_weight_bounds(double w_min, double w_max, std::string_view object) {
    if (!(w_min < w_max)) fail_parameter(object, "w_max", w_max, "", "it must exceed w_min = " + format_number(w_min));
}

} // namespace spikegraph
