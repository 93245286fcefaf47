/*
 * kernels-inl.h — every kernel body, written once and compiled once per ISA.
 *
 * Each cpp/kernels/isa_*.cpp defines, then includes this file:
 *   CP_NS      namespace of this copy (corepy_scalar / corepy_avx2 / corepy_avx512): keeps the copies'
 *              symbols apart and makes profiler frames read e.g. corepy_avx512::sum<float>
 *   CP_GETTER  name of the extern "C" table getter (corepy_kernels_<isa>)
 *   CP_VBYTES  SIMD register width in bytes (64, 32; 8 for scalar, as reported in the table)
 *   CP_SCALAR  1 for the scalar reference: every "vector" is then a plain T (one lane)
 * No include guard on purpose: a TU includes it exactly once.
 *
 * SIMD is written with GCC vector extensions; loads/stores go through __builtin_memcpy, so only
 * natural element alignment is assumed. Every vector loop is followed by a scalar tail loop.
 *
 * Rule for this file: call nothing inline from outside CP_NS (no std::min, std::numeric_limits<>::max()
 * at run time, ...). Such a function would be emitted as a weak symbol compiled with this TU's ISA
 * flags, and the linker may keep the AVX-512 copy for the scalar table too. Builtins, type traits
 * and constant expressions are safe.
 */

#include "corepy_kernels.h"

#include <stddef.h>
#include <stdint.h>

#include <type_traits>
#include <utility>
#if !CP_SCALAR
#include <immintrin.h> /* non-temporal stores and the store fence */
#endif

#if defined(__AVX2__)
#include <immintrin.h> /* masked stores only (always-inline builtins, no out-of-line symbols) */
#endif

#if !defined(CP_NS) || !defined(CP_GETTER) || !defined(CP_VBYTES) || !defined(CP_SCALAR)
#error "define CP_NS, CP_GETTER, CP_VBYTES and CP_SCALAR before including kernels-inl.h"
#endif

/* The ISA name comes from the compiler's own target macros: it proves which flags were really used. */
#if defined(__AVX512F__)
#define CP_ISA_NAME "avx512"
#elif defined(__AVX2__)
#define CP_ISA_NAME "avx2"
#else
#define CP_ISA_NAME "scalar"
#endif

namespace CP_NS {

typedef uint8_t boolean; /* storage of CP_BOOL: one byte; any non-zero byte reads as true */

/* ---------------------------------------------------------------- vector helpers */

template <class T> constexpr size_t kLanes = CP_SCALAR ? 1 : CP_VBYTES / sizeof(T);

template <class T, size_t N> struct VecT {
    typedef T type __attribute__((vector_size(N * sizeof(T))));
};
/* One lane is a plain scalar: GCC's 1-element vectors round-trip through the stack. */
template <class T> struct VecT<T, 1> {
    typedef T type;
};
template <class T, size_t N = kLanes<T>> using Vec = typename VecT<T, N>::type;
/* Comparison result: a vector of 0/-1 integer lanes, or bool for one lane. */
template <class T, size_t N = kLanes<T>> using Mask = decltype(Vec<T, N>() != Vec<T, N>());

template <class V> constexpr size_t lanes_of() {
    if constexpr (std::is_arithmetic_v<V>)
        return 1;
    else
        return sizeof(V) / sizeof(V{}[0]);
}

template <size_t N, class T> inline Vec<T, N> loadn(const T *p) {
    Vec<T, N> v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
template <class T> inline Vec<T> load(const T *p) { return loadn<kLanes<T>>(p); }
template <size_t N, class T> inline void storen(T *p, Vec<T, N> v) { __builtin_memcpy(p, &v, sizeof v); }
template <class T> inline void store(T *p, Vec<T> v) { storen<kLanes<T>>(p, v); }

/* o[i] = fv(i) (a vector at i) over [0, n), fs(i) for single elements. NT: non-temporal vector
 * stores after a scalar head that aligns o, then a store fence: for outputs too large to stay in
 * cache, skipping each line's read-for-ownership saves a third of an add's memory traffic. Every
 * fv/fs call reads its inputs before its store, so o may alias an input exactly. */
template <bool NT, class T, class FV, class FS> inline void fill(T *o, size_t n, FV fv, FS fs) {
    constexpr size_t L = kLanes<T>;
    size_t i = 0;
#if !CP_SCALAR
    if constexpr (NT) {
        for (; i < n && reinterpret_cast<uintptr_t>(o + i) % CP_VBYTES != 0; i++) o[i] = fs(i);
        for (; i + L <= n; i += L) {
            const Vec<T> v = fv(i);
#if CP_VBYTES == 64
            _mm512_stream_si512(reinterpret_cast<__m512i *>(o + i), reinterpret_cast<const __m512i &>(v));
#else
            _mm256_stream_si256(reinterpret_cast<__m256i *>(o + i), reinterpret_cast<const __m256i &>(v));
#endif
        }
        _mm_sfence(); /* order the streamed lines before anything this thread does next */
    }
#endif
    for (; i + L <= n; i += L) store(o + i, fv(i));
    for (; i < n; i++) o[i] = fs(i);
}

template <size_t N, class T> inline Vec<T, N> splatn(T x) {
    if constexpr (N == 1) {
        return x;
    } else {
        Vec<T, N> v = {};
        for (size_t i = 0; i < N; i++) v[i] = x; /* folded into one broadcast */
        return v;
    }
}
template <class T> inline Vec<T> splat(T x) { return splatn<kLanes<T>>(x); }

/* Lane-wise value conversion (C semantics per lane), same lane count. */
template <class To, class V> inline Vec<To, lanes_of<V>()> vcast(V v) {
    if constexpr (lanes_of<V>() == 1)
        return static_cast<To>(v);
    else
        return __builtin_convertvector(v, Vec<To, lanes_of<V>()>);
}

/* Mask -> 0/1 bytes, one per lane. */
template <class M> inline Vec<int8_t, lanes_of<M>()> b01(M m) {
    if constexpr (lanes_of<M>() == 1)
        return static_cast<int8_t>(m ? 1 : 0);
    else
        return __builtin_convertvector(m, Vec<int8_t, lanes_of<M>()>) & 1;
}

/* True if any lane of a mask is set. */
template <class M> inline bool any_lane(M m) {
    if constexpr (lanes_of<M>() == 1) {
        return m;
    } else {
        static_assert(sizeof(M) % 8 == 0, "mask must be whole 64-bit words");
        uint64_t w[sizeof(M) / 8];
        __builtin_memcpy(w, &m, sizeof m);
        uint64_t r = 0;
        for (uint64_t x : w) r |= x;
        return r != 0;
    }
}

/* Horizontal sum as a halving tree (low half + high half, repeated): better rounding than a
 * lane-by-lane chain, and it stays in registers. */
template <class V, size_t... I> inline auto half_sum(const V &v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, I...) + __builtin_shufflevector(v, v, (I + sizeof...(I))...);
}
template <class T, class V> inline T hsum(const V &v) {
    constexpr size_t N = lanes_of<V>();
    if constexpr (N == 1)
        return v;
    else if constexpr (N == 2)
        return v[0] + v[1];
    else
        return hsum<T>(half_sum(v, std::make_index_sequence<N / 2>{}));
}

template <class T> inline T load1(const void *p) {
    T x;
    __builtin_memcpy(&x, p, sizeof x);
    return x;
}
template <class T> inline void store1(void *p, T x) { __builtin_memcpy(p, &x, sizeof x); }

/* ---------------------------------------------------------------- binary */

/* Integer ops must wrap: compute them in the unsigned twin (same bits, no signed-overflow UB). */
template <class T> struct Arith {
    typedef T type;
};
template <> struct Arith<int32_t> {
    typedef uint32_t type;
};
template <> struct Arith<int64_t> {
    typedef uint64_t type;
};

template <int OP, class V> inline V apply(V x, V y) {
    if constexpr (OP == CP_ADD)
        return x + y;
    else if constexpr (OP == CP_SUB)
        return x - y;
    else if constexpr (OP == CP_MUL)
        return x * y;
    else
        return x / y;
}

template <class T, int OP, int MODE, bool NT> void binary(const void *a, const void *b, void *out, size_t n) {
    typedef typename Arith<T>::type U;
    const U *x = static_cast<const U *>(a), *y = static_cast<const U *>(b);
    U *o = static_cast<U *>(out);
    if (n == 0) return;
    /* The broadcast side is read once, before any store. */
    const U xs = MODE == CP_SV ? x[0] : U(), ys = MODE == CP_VS ? y[0] : U();
    const Vec<U> xv = splat(xs), yv = splat(ys);
    fill<NT>(
        o, n,
        [&](size_t i) { return apply<OP>(MODE == CP_SV ? xv : load(x + i), MODE == CP_VS ? yv : load(y + i)); },
        [&](size_t i) { return apply<OP>(MODE == CP_SV ? xs : x[i], MODE == CP_VS ? ys : y[i]); });
}

/* ---------------------------------------------------------------- sum / dot */

constexpr size_t kAcc = 8; /* independent accumulators: hide the FP add latency */
/* Block of the pairwise recursion: each accumulator lane sees at most 16 sequential adds before the
 * tree (NumPy: 8 accumulators x 16 over 128-element blocks), so accuracy is NumPy's or better. */
template <size_t N> constexpr size_t kBlock = 16 * kAcc * N; /* N: lanes per vector */

template <class T, bool DOT, size_t N> inline Vec<T, N> term(const T *a, const T *b, size_t i) {
    if constexpr (DOT)
        return loadn<N>(a + i) * loadn<N>(b + i); /* contracted into an FMA in the SIMD TUs */
    else
        return loadn<N>(a + i);
}

/* Lanes of the float sum and dot kernels: at most 256 bits. Measured on Zen 4 with one core: a
 * 512-bit dot streams two float32 arrays from DRAM at 20 GB/s, a 256-bit one at 34; the sum is
 * 5-10% faster with 256 bits from L2 and L3 too (no gap elsewhere, e.g. in the element-wise ops). */
template <class T> constexpr size_t kSumLanes = kLanes<T> * sizeof(T) > 32 ? 32 / sizeof(T) : kLanes<T>;

/* N lanes per vector (kSumLanes<T>). */
template <class T, bool DOT, size_t N> T block_sum(const T *a, const T *b, size_t n) {
    constexpr size_t L = N;
    static_assert(kAcc == 8, "block_sum unrolls by hand");
    /* Named accumulators, not an array: GCC keeps an 8 x zmm (512-byte) array on the stack. */
    Vec<T, N> s0 = {}, s1 = {}, s2 = {}, s3 = {}, s4 = {}, s5 = {}, s6 = {}, s7 = {}, rest = {};
    size_t i = 0;
    for (; i + 8 * L <= n; i += 8 * L) {
        s0 += term<T, DOT, N>(a, b, i + 0 * L);
        s1 += term<T, DOT, N>(a, b, i + 1 * L);
        s2 += term<T, DOT, N>(a, b, i + 2 * L);
        s3 += term<T, DOT, N>(a, b, i + 3 * L);
        s4 += term<T, DOT, N>(a, b, i + 4 * L);
        s5 += term<T, DOT, N>(a, b, i + 5 * L);
        s6 += term<T, DOT, N>(a, b, i + 6 * L);
        s7 += term<T, DOT, N>(a, b, i + 7 * L);
    }
    for (; i + L <= n; i += L) rest += term<T, DOT, N>(a, b, i); /* fewer than 8 vectors left */
    T tail = 0;
    for (; i < n; i++) tail += DOT ? a[i] * b[i] : a[i];
    return hsum<T>((((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + rest) + tail;
}

template <class T, bool DOT, size_t N> T pairwise(const T *a, const T *b, size_t n) {
    constexpr size_t B = kBlock<N>;
    if (n <= B) return block_sum<T, DOT, N>(a, b, n);
    size_t h = n / 2 / B * B; /* split on a block boundary: blocks stay full */
    if (h == 0) h = B;
    return pairwise<T, DOT, N>(a, b, h) + pairwise<T, DOT, N>(a + h, DOT ? b + h : b, n - h);
}

template <class T> void sum(const void *xv, size_t n, void *out) {
    const T *x = static_cast<const T *>(xv);
    constexpr size_t L = kLanes<T>;
    size_t i = 0;
    if constexpr (std::is_floating_point_v<T>) {
        store1(out, pairwise<T, false, kSumLanes<T>>(x, nullptr, n));
    } else if constexpr (std::is_same_v<T, boolean>) {
        uint64_t total = 0;
        if constexpr (L > 1) {
            while (i + L <= n) {
                Vec<uint8_t> c = {}; /* byte counters: flush before they can overflow */
                for (size_t r = 0; r < 255 && i + L <= n; r++, i += L)
                    c -= (Vec<uint8_t>)(load(x + i) != boolean(0));
                uint8_t t[L];
                __builtin_memcpy(t, &c, sizeof c);
                for (uint8_t v : t) total += v;
            }
        }
        for (; i < n; i++) total += x[i] != 0;
        store1(out, static_cast<int64_t>(total));
    } else { /* int32/int64: wrapping int64 sum in unsigned arithmetic. Load as many elements as
              * one register of uint64 holds (half a register of int32) and widen them. */
        constexpr size_t W = kLanes<uint64_t>;
        Vec<uint64_t> acc = {};
        for (; i + W <= n; i += W) acc += vcast<uint64_t>(loadn<W>(x + i));
        uint64_t total = hsum<uint64_t>(acc);
        for (; i < n; i++) total += static_cast<uint64_t>(x[i]);
        store1(out, static_cast<int64_t>(total));
    }
}

template <class T> void dot(const void *a, const void *b, size_t n, void *out) {
    store1(out, pairwise<T, true, kSumLanes<T>>(static_cast<const T *>(a), static_cast<const T *>(b), n));
}

/* ---------------------------------------------------------------- all / any */

constexpr size_t kChunkBytes = 1024; /* scanned between early-exit checks (256 float32) */

/* ANY: stop at the first truthy element; all: stop at the first falsy one. `x != 0` is the truth
 * test: NaN != 0 is true, -0.0 != 0 is false. */
template <class T, bool ANY> inline auto hit(Vec<T> v) {
    if constexpr (ANY)
        return v != T(0);
    else
        return v == T(0);
}

template <class T, bool ANY> int scan(const void *xv, size_t n) {
    const T *x = static_cast<const T *>(xv);
    constexpr size_t L = kLanes<T>, C = kChunkBytes / sizeof(T);
    static_assert(C % L == 0, "chunk must be whole vectors");
    size_t i = 0;
    if constexpr (std::is_same_v<T, boolean> && !CP_SCALAR) {
        /* Bytes: OR them (any) or take their minimum (all) -- one instruction per vector, no
         * compare masks -- and test the folded vector once per chunk. */
        constexpr size_t CB = 4 * C; /* longer chunks amortise the horizontal test */
        for (; i + CB <= n; i += CB) {
            Vec<T> acc = load(x + i);
            for (size_t j = L; j < CB; j += L) {
                const Vec<T> v = load(x + i + j);
                if constexpr (ANY)
                    acc |= v;
                else
                    acc = acc < v ? acc : v;
            }
            if (any_lane(hit<T, ANY>(acc))) return ANY;
        }
    } else {
        for (; i + C <= n; i += C) {
            Mask<T> m = {};
            for (size_t j = 0; j < C; j += L) m |= hit<T, ANY>(load(x + i + j));
            if (any_lane(m)) return ANY;
        }
    }
    for (; i + L <= n; i += L)
        if (any_lane(hit<T, ANY>(load(x + i)))) return ANY;
    for (; i < n; i++)
        if (ANY ? x[i] != 0 : x[i] == 0) return ANY;
    return !ANY;
}

template <class T> int all(const void *x, size_t n) { return scan<T, false>(x, n); }
template <class T> int any(const void *x, size_t n) { return scan<T, true>(x, n); }

template <class T, bool ANY> void accumulate(const void *xv, size_t n, uint8_t *acc) {
    const T *x = static_cast<const T *>(xv);
    int8_t *a = reinterpret_cast<int8_t *>(acc); /* signed view: masks convert to signed bytes */
    constexpr size_t L = kLanes<T>;
    size_t i = 0;
    for (; i + L <= n; i += L) {
        const auto t = b01(loadn<L>(x + i) != T(0)), c = b01(loadn<L>(a + i) != int8_t(0));
        storen<L>(a + i, ANY ? (c | t) : (c & t));
    }
    for (; i < n; i++) a[i] = ANY ? (a[i] != 0 || x[i] != 0) : (a[i] != 0 && x[i] != 0);
}

template <class T> void all_acc(const void *x, size_t n, uint8_t *acc) { accumulate<T, false>(x, n, acc); }
template <class T> void any_acc(const void *x, size_t n, uint8_t *acc) { accumulate<T, true>(x, n, acc); }

/* ---------------------------------------------------------------- cast */

/* Float -> int bounds are exact powers of two in the float type: [-2^(b-1), 2^(b-1)). */
template <class F, class I> constexpr F kIntLo = -static_cast<F>(uint64_t(1) << (8 * sizeof(I) - 1));
template <class I> constexpr I kIntMax = static_cast<I>(~static_cast<std::make_unsigned_t<I>>(0) >> 1);
template <class I> constexpr I kIntMin = -kIntMax<I> - 1;

/* Per-element definition (also the scalar tail). */
template <class F, class To> inline To cvt1(F x) {
    if constexpr (std::is_same_v<To, boolean>) {
        return x != 0;
    } else if constexpr (std::is_same_v<F, boolean>) {
        return static_cast<To>(x != 0);
    } else if constexpr (std::is_floating_point_v<F> && std::is_integral_v<To>) {
        constexpr F lo = kIntLo<F, To>;
        if (x >= lo && x < -lo) return static_cast<To>(x); /* in range: truncation is defined */
        return x >= -lo ? kIntMax<To> : x < lo ? kIntMin<To> : To(0); /* saturate; NaN -> 0 */
    } else if constexpr (std::is_integral_v<F> && std::is_integral_v<To>) {
        /* int64 -> int32 keeps the low bits (wraps), done unsigned to stay well-defined */
        return static_cast<To>(static_cast<std::make_unsigned_t<To>>(x));
    } else {
        return static_cast<To>(x);
    }
}

template <class F, class To, size_t L> inline Vec<To, L> cvtv(Vec<F, L> v) {
    if constexpr (L == 1) {
        return cvt1<F, To>(v);
    } else if constexpr (std::is_same_v<To, boolean>) {
        return vcast<boolean>(b01(v != F(0)));
    } else if constexpr (std::is_same_v<F, boolean>) {
        return vcast<To>(b01(v != F(0)));
    } else if constexpr (std::is_floating_point_v<F> && std::is_integral_v<To>) {
        constexpr F lo = kIntLo<F, To>;
        const Vec<F, L> zero = {};
        const Vec<F, L> safe = (v >= lo) & (v < -lo) ? v : zero; /* in range or 0 (NaN too) */
        Vec<To, L> r = vcast<To>(safe);
        r = vcast<To>(v >= -lo) ? splatn<L>(kIntMax<To>) : r;
        return vcast<To>(v < lo) ? splatn<L>(kIntMin<To>) : r;
    } else if constexpr (std::is_integral_v<F> && std::is_integral_v<To>) {
        return (Vec<To, L>)vcast<std::make_unsigned_t<To>>(v); /* wraps, as cvt1 */
    } else {
        return vcast<To>(v);
    }
}

template <class F, class To> void cast(const void *src, void *dst, size_t n) {
    if constexpr (std::is_same_v<F, To>) {
        if (n) __builtin_memcpy(dst, src, n * sizeof(F));
    } else {
        /* lanes such that the wider of the two types fills one register */
        constexpr size_t L = CP_SCALAR ? 1 : CP_VBYTES / (sizeof(F) > sizeof(To) ? sizeof(F) : sizeof(To));
        const F *s = static_cast<const F *>(src);
        To *d = static_cast<To *>(dst);
        size_t i = 0;
        for (; i + L <= n; i += L) storen<L>(d + i, cvtv<F, To, L>(loadn<L>(s + i)));
        for (; i < n; i++) d[i] = cvt1<F, To>(s[i]);
    }
}

/* ---------------------------------------------------------------- gather */

template <class T> void gather(const void *src, ptrdiff_t stride, void *dst, size_t n) {
    if (stride == static_cast<ptrdiff_t>(sizeof(T))) {
        if (n) __builtin_memcpy(dst, src, n * sizeof(T));
        return;
    }
    const char *s = static_cast<const char *>(src);
    T *d = static_cast<T *>(dst);
    for (size_t i = 0; i < n; i++) d[i] = load1<T>(s + static_cast<ptrdiff_t>(i) * stride);
}

/* ---------------------------------------------------------------- gemm */

/* c[0:n] += s * b[0:n] */
template <class T> inline void axpy(size_t n, T s, const T *b, T *c) {
    constexpr size_t L = kLanes<T>;
    const Vec<T> sv = splat(s);
    size_t j = 0;
    for (; j + L <= n; j += L) store(c + j, load(c + j) + sv * load(b + j));
    for (; j < n; j++) c[j] += s * b[j];
}

template <class T>
void gemm(size_t m, size_t n, size_t k, const void *av, ptrdiff_t a_rs, ptrdiff_t a_cs, const void *bv,
          ptrdiff_t b_rs, ptrdiff_t b_cs, void *cv, ptrdiff_t ldc) {
    const T *a = static_cast<const T *>(av), *b = static_cast<const T *>(bv);
    T *c = static_cast<T *>(cv);
    for (size_t i = 0; i < m; i++) {
        T *ci = c + static_cast<ptrdiff_t>(i) * ldc;
        for (size_t j = 0; j < n; j++) ci[j] = T(0);
        for (size_t p = 0; p < k; p++) {
            const T aip = a[static_cast<ptrdiff_t>(i) * a_rs + static_cast<ptrdiff_t>(p) * a_cs];
            const T *bp = b + static_cast<ptrdiff_t>(p) * b_rs;
            if (b_cs == 1)
                axpy(n, aip, bp, ci);
            else
                for (size_t j = 0; j < n; j++) ci[j] += aip * bp[static_cast<ptrdiff_t>(j) * b_cs];
        }
    }
}

#include "gemm-inl.h" /* BLIS-style pieces: naive, pack, microkernels, gemv */

/* ---------------------------------------------------------------- STREAM */

/* STREAM's four kernels on float64, with the non-temporal stores corepy's element-wise ops use for
 * large outputs (the arrays are far larger than any cache). */
void stream_copy(const double *a, double *c, double, size_t n) {
    fill<true>(c, n, [&](size_t i) { return load(a + i); }, [&](size_t i) { return a[i]; });
}

void stream_scale(const double *a, double *c, double s, size_t n) {
    const Vec<double> sv = splat(s);
    fill<true>(c, n, [&](size_t i) { return sv * load(a + i); }, [&](size_t i) { return s * a[i]; });
}

void stream_add(const double *a, const double *b, double *c, double, size_t n) {
    fill<true>(
        c, n, [&](size_t i) { return load(a + i) + load(b + i); }, [&](size_t i) { return a[i] + b[i]; });
}

void stream_triad(const double *a, const double *b, double *c, double s, size_t n) {
    const Vec<double> sv = splat(s);
    fill<true>(
        c, n, [&](size_t i) { return load(a + i) + sv * load(b + i); },
        [&](size_t i) { return a[i] + s * b[i]; });
}

/* ---------------------------------------------------------------- FMA peak */

volatile float g_fma_sink; /* keeps the chains observable */

double fma_peak(size_t iters) {
    /* 12 independent chains cover FMA latency x ports (4 x 2) and fit in 16 ymm with x and y.
     * acc -> acc*x + y converges to y/(1-x) = 10: no overflow, no denormals. */
    constexpr size_t kChains = 12;
    Vec<float> acc[kChains];
#pragma GCC unroll 16
    for (size_t k = 0; k < kChains; k++) acc[k] = splat(1.0f + 0.125f * static_cast<float>(k));
    const Vec<float> x = splat(0.9999f), y = splat(0.001f);
    for (size_t it = 0; it < iters; it++) {
#pragma GCC unroll 16
        for (size_t k = 0; k < kChains; k++) acc[k] = acc[k] * x + y;
    }
    float s = 0;
#pragma GCC unroll 16
    for (size_t k = 0; k < kChains; k++) s += hsum<float>(acc[k]);
    g_fma_sink = s;
    return 2.0 * kLanes<float> * kChains * static_cast<double>(iters);
}

/* ---------------------------------------------------------------- table */

template <int D> struct DTypeOf;
template <> struct DTypeOf<CP_F32> { typedef float type; };
template <> struct DTypeOf<CP_F64> { typedef double type; };
template <> struct DTypeOf<CP_I32> { typedef int32_t type; };
template <> struct DTypeOf<CP_I64> { typedef int64_t type; };
template <> struct DTypeOf<CP_BOOL> { typedef boolean type; };
template <size_t D> using DType = typename DTypeOf<static_cast<int>(D)>::type;

template <int OP, bool NT, size_t... D>
constexpr void fill_op(cp_binary_fn (&f)[CP_NDTYPES][CP_NMODES], std::index_sequence<D...>) {
    ((f[D][CP_VV] = binary<DType<D>, OP, CP_VV, NT>, f[D][CP_VS] = binary<DType<D>, OP, CP_VS, NT>,
      f[D][CP_SV] = binary<DType<D>, OP, CP_SV, NT>),
     ...);
}

template <bool NT> constexpr void fill_binary(cp_binary_fn (&f)[CP_NBINOPS][CP_NDTYPES][CP_NMODES]) {
    constexpr std::index_sequence<CP_F32, CP_F64, CP_I32, CP_I64> arith{};
    fill_op<CP_ADD, NT>(f[CP_ADD], arith);
    fill_op<CP_SUB, NT>(f[CP_SUB], arith);
    fill_op<CP_MUL, NT>(f[CP_MUL], arith);
    fill_op<CP_DIV, NT>(f[CP_DIV], std::index_sequence<CP_F32, CP_F64>{});
}

template <class F, size_t... D> constexpr void fill_cast_row(cp_cast_fn (&row)[CP_NDTYPES], std::index_sequence<D...>) {
    ((row[D] = cast<F, DType<D>>), ...);
}

template <size_t... D> constexpr void fill_per_dtype(cp_kernel_table &t, std::index_sequence<D...> all_d) {
    ((t.sum[D] = sum<DType<D>>), ...);
    ((t.all[D] = all<DType<D>>), ...);
    ((t.any[D] = any<DType<D>>), ...);
    ((t.all_acc[D] = all_acc<DType<D>>), ...);
    ((t.any_acc[D] = any_acc<DType<D>>), ...);
    ((t.gather[D] = gather<DType<D>>), ...);
    (fill_cast_row<DType<D>>(t.cast[D], all_d), ...);
}

constexpr cp_kernel_table make_table() {
    cp_kernel_table t{}; /* everything not set below stays NULL (int div, bool arithmetic) */
    t.isa = CP_ISA_NAME;
    t.vector_bytes = CP_VBYTES;
    fill_binary<false>(t.binary);
    fill_binary<true>(t.binary_nt);
    fill_per_dtype(t, std::make_index_sequence<CP_NDTYPES>{});
    t.dot[CP_F32] = dot<float>;
    t.dot[CP_F64] = dot<double>;
    t.gemm[CP_F32] = gemm<float>;
    t.gemm[CP_F64] = gemm<double>;
    t.stream_copy = stream_copy;
    t.stream_scale = stream_scale;
    t.stream_add = stream_add;
    t.stream_triad = stream_triad;
    t.fma_peak = fma_peak;
    t.gemmk[CP_F32] = make_gemm_kernels<float>();
    t.gemmk[CP_F64] = make_gemm_kernels<double>();
    return t;
}

/* Constant-initialised: no static constructor, no guard variable, no C++ runtime needed. */
constexpr cp_kernel_table kTable = make_table();

} // namespace CP_NS

extern "C" const cp_kernel_table *CP_GETTER(void) { return &CP_NS::kTable; }
