/* AVX2 table: 32-byte vectors. Built with -O3 -mavx2 -mfma (see build.rs). */
#if !defined(__AVX2__) || !defined(__FMA__)
#error "isa_avx2.cpp must be compiled with -mavx2 -mfma"
#endif
#define CP_NS corepy_avx2
#define CP_GETTER corepy_kernels_avx2
#define CP_VBYTES 32
#define CP_SCALAR 0
#include "kernels-inl.h"
