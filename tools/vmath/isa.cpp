/* One ISA's copy of math-inl.h (with kernels-inl.h's vector helpers, extracted by the Makefile),
 * wrapped in array loops. Built with the ISA flags of build.rs; CP_NS names the copy. */
#include "helpers_gen.h"
#include "fns.h"

/* As math-inl.h's loops: the functions are inlined here, so no FMA contraction here either. */
#pragma GCC optimize("fp-contract=off")
namespace CP_NS {
template <class T, class FV, class FS> inline void loop(const T *x, const T *y, T *o, size_t n, FV fv, FS fs) {
    constexpr size_t L = kLanes<T>;
    size_t i = 0;
    for (; i + L <= n; i += L) store(o + i, fv(load(x + i), load(y + i)));
    for (; i < n; i++) o[i] = fs(x[i], y[i]);
}
#define VM_DEF(name, ar)                                                                                \
    template <class V> inline V call_##name(V a, V b) {                                                 \
        if constexpr (ar == 1) {                                                                        \
            (void)b;                                                                                    \
            return vm_##name(a);                                                                        \
        } else {                                                                                        \
            return vm_##name(a, b);                                                                     \
        }                                                                                               \
    }                                                                                                   \
    template <class T> void vec_##name(const T *x, const T *y, T *o, size_t n) {                        \
        loop(x, y, o, n, [](Vec<T> a, Vec<T> b) { return call_##name(a, b); },                          \
             [](T a, T b) { return call_##name(a, b); });                                               \
    }                                                                                                   \
    template <class T> void lane_##name(const T *x, const T *y, T *o, size_t n) {                       \
        for (size_t i = 0; i < n; i++) o[i] = call_##name(x[i], y[i]);                                  \
    }
VM_FUNCS(VM_DEF)
#define VM_ROW(name, ar) {#name, ar, vec_##name<float>, lane_##name<float>, vec_##name<double>, lane_##name<double>},
const VmEntry kEntries[] = {VM_FUNCS(VM_ROW)};
} // namespace CP_NS

extern "C" const VmEntry *VM_GETTER(void) { return CP_NS::kEntries; }
