#pragma once
// The CPU engine, instantiated once per number type (engine_float.cpp, engine_double.cpp).
#include <memory>

#include "backends/backend.hpp"

namespace spikegraph::cpu {

template <class T>
std::unique_ptr<Executable> make_engine(const Network& network, const CompileOptions& options);

extern template std::unique_ptr<Executable> make_engine<float>(const Network&, const CompileOptions&);
extern template std::unique_ptr<Executable> make_engine<double>(const Network&, const CompileOptions&);

} // namespace spikegraph::cpu
