/* Scalar reference table: one lane everywhere. Built with -O2 -fno-tree-vectorize (see build.rs) so
 * the compiler does not turn it into SIMD behind our back. */
#define CP_NS corepy_scalar
#define CP_GETTER corepy_kernels_scalar
#define CP_VBYTES 8
#define CP_SCALAR 1
#include "kernels-inl.h"
