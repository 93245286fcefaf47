/* The functions under test: X(name, arity). */
#define VM_FUNCS(X)                                                                                     \
    X(exp, 1) X(expm1, 1) X(log, 1) X(log1p, 1) X(log2, 1) X(log10, 1) X(sin, 1) X(cos, 1) X(tan, 1)    \
    X(asin, 1) X(acos, 1) X(atan, 1) X(sinh, 1) X(cosh, 1) X(tanh, 1) X(asinh, 1) X(acosh, 1)            \
    X(atanh, 1) X(atan2, 2) X(pow, 2) X(hypot, 2) X(logaddexp, 2)

#include <stddef.h>
typedef void (*vm_fn_f)(const float *, const float *, float *, size_t);
typedef void (*vm_fn_d)(const double *, const double *, double *, size_t);
struct VmEntry {
    const char *name;
    int arity;
    vm_fn_f vec_f, lane_f; /* vector loop with a scalar tail; the one-lane version on every element */
    vm_fn_d vec_d, lane_d;
};
#define VM_COUNT_ONE(n, a) +1
enum { kVmCount = 0 VM_FUNCS(VM_COUNT_ONE) };
