#include "backends/cpu/engine_impl.hpp"

namespace spikegraph::cpu {
template std::unique_ptr<Executable> make_engine<float>(const Network&, const CompileOptions&);
} // namespace spikegraph::cpu
