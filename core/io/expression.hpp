#pragma once
// Arithmetic on named numbers, for experiment files: "-g * J", "(nu_ext / nu_thr) * 1000".
// Numbers, names, + - * / ^, unary minus and parentheses; nothing else, so a file cannot do
// more than compute a value.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace spikegraph {

// Looks a name up; nullopt when it is not defined.
using NameLookup = std::function<std::optional<double>(std::string_view)>;

// The value of `text`; throws invalid_parameter with a message saying what is wrong and where
// (the column in `text`), e.g. "unknown name 'gg' at column 2".
double evaluate_expression(std::string_view text, const NameLookup& lookup);

} // namespace spikegraph
