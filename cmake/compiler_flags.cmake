# Warnings are errors for our own code only (an INTERFACE target linked PRIVATE).
add_library(spikegraph_warnings INTERFACE)
target_compile_options(spikegraph_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror
  # GCC 12 reports false -Wrestrict errors inside std::string concatenation at -O3 (GCC PR 105651).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  -Wno-missing-field-initializers) # aggregates leave trailing members to their default initializers

# The neuron loops touch several state arrays GCC cannot prove distinct; let it check at run time
# instead of giving up on vectorising them (the default limit of 10 checks is too few).
add_compile_options($<$<CXX_COMPILER_ID:GNU>:--param=vect-max-version-for-alias-checks=64>)
# GCC's tree sinking turns the select that holds a refractory neuron's membrane into a branch,
# which the vectoriser cannot handle (lif, coba_lif in double); without it they vectorise.
add_compile_options($<$<CXX_COMPILER_ID:GNU>:-fno-tree-sink>)

# Determinism: no FMA contraction and no fast-math, so the same arithmetic gives the same bits
# on every thread count and, later, on the CUDA backend. -fno-math-errno only lets llrint and
# sqrt compile to single instructions; it changes no result.
add_compile_options(-ffp-contract=off -fno-fast-math -fno-math-errno)

if(SPIKEGRAPH_NATIVE)
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-march=native SPIKEGRAPH_HAS_MARCH_NATIVE)
  if(SPIKEGRAPH_HAS_MARCH_NATIVE)
    add_compile_options(-march=native)
    # On AVX-512 machines GCC vectorises with 256-bit registers unless told otherwise (older
    # chips lowered their clock for 512-bit work). The neuron loops are bound by instructions
    # per neuron: with 512 bits COBA-4000 runs in 0.73x (exact) and 0.93x (Euler) of the time,
    # CUBA-4000 in 0.90x, with identical spikes. No effect where AVX-512 is absent.
    check_cxx_compiler_flag(-mprefer-vector-width=512 SPIKEGRAPH_HAS_PREFER_512)
    if(SPIKEGRAPH_HAS_PREFER_512)
      add_compile_options(-mprefer-vector-width=512)
    endif()
  endif()
endif()
