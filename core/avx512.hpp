#pragma once
// The AVX-512 intrinsics, where the compiler targets them (-march=native on such a machine).
#if defined(__AVX512F__)
// GCC 12 reports the undefined pass-through operand inside its own AVX-512 intrinsics as
// uninitialized (GCC PR 105593, fixed in GCC 13); the warning points into this header.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif
