/* AVX-512 table: 64-byte vectors. Built with -O3 -mavx512{f,bw,dq,vl} -mavx2 -mfma (see build.rs). */
#if !defined(__AVX512F__) || !defined(__AVX512BW__) || !defined(__AVX512DQ__) || !defined(__AVX512VL__)
#error "isa_avx512.cpp must be compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl"
#endif
#define CP_NS corepy_avx512
#define CP_GETTER corepy_kernels_avx512
#define CP_VBYTES 64
#define CP_SCALAR 0
#include "kernels-inl.h"
