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
#include <immintrin.h> /* masked stores, integer widening (always-inline builtins, no out-of-line symbols) */
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

/* Storage of CP_BOOL: one byte; any non-zero byte reads as true. Plain char is a type of its own in
 * C++ (neither int8_t nor uint8_t), so the templates below tell bool from int8 and uint8 apart.
 * Its bytes are only ever tested against 0, never ordered (char is signed on x86). */
typedef char boolean;

/* CP_C64 / CP_C128: real part then imaginary part, aligned like one part (as C's float _Complex). */
template <class R> struct Complex {
    R re, im;
};
template <class T> struct ComplexTraits {
    static constexpr bool value = false;
    typedef T real;
};
template <class R> struct ComplexTraits<Complex<R>> {
    static constexpr bool value = true;
    typedef R real;
};
template <class T> constexpr bool kIsComplex = ComplexTraits<T>::value;
template <class T> using RealOf = typename ComplexTraits<T>::real;

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

/* Tells the optimiser that fewer than L elements are left after a vector loop: it then does not
 * vectorise (and unroll) the scalar tail loop into a second copy of the kernel, which would only
 * cost code and compile time. */
template <size_t L> inline void tail_below(size_t left) {
    if (left >= L) __builtin_unreachable();
}

#if !CP_SCALAR
/* One register's bytes (CP_VBYTES, dst aligned to them) to memory around the cache: no read for
 * ownership of the line. A store fence must follow before the bytes are read elsewhere. */
inline void stream_vec(void *dst, const void *src) {
#if CP_VBYTES == 64
    _mm512_stream_si512(static_cast<__m512i *>(dst), _mm512_loadu_si512(src));
#else
    _mm256_stream_si256(static_cast<__m256i *>(dst), _mm256_loadu_si256(static_cast<const __m256i *>(src)));
#endif
}
#endif

/* o[i] = fv(i) (a vector at i) over [0, n), fs(i) for single elements. NT: non-temporal vector
 * stores after a scalar head that aligns o, then a store fence: for outputs too large to stay in
 * cache, skipping each line's read-for-ownership saves a third of an add's memory traffic. Every
 * fv/fs call reads its inputs before its store, so o may alias an input exactly. */
/* always_inline: math-inl.h's loops need it compiled under their own options (no FMA contraction). */
template <bool NT, class T, class FV, class FS> __attribute__((always_inline)) inline void fill(T *o, size_t n, FV fv, FS fs) {
    constexpr size_t L = kLanes<T>;
    size_t i = 0;
#if !CP_SCALAR
    if constexpr (NT) {
        for (; i < n && reinterpret_cast<uintptr_t>(o + i) % CP_VBYTES != 0; i++) o[i] = fs(i);
        for (; i + L <= n; i += L) {
            const Vec<T> v = fv(i);
            stream_vec(o + i, &v);
        }
        _mm_sfence(); /* order the streamed lines before anything this thread does next */
    }
#endif
    for (; i + L <= n; i += L) store(o + i, fv(i));
    tail_below<L>(n - i);
    for (; i < n; i++) o[i] = fs(i);
}

/* One broadcast at any optimisation level: a lane loop here stayed a loop of scalar stores in the
 * size-optimised cold paths (vm_exp_tab_wide), 16 per constant. */
template <class T, size_t N, size_t... I>
inline __attribute__((always_inline)) Vec<T, N> splat_lanes(T x, std::index_sequence<I...>) {
    return Vec<T, N>{((void)I, x)...};
}
template <size_t N, class T> inline __attribute__((always_inline)) Vec<T, N> splatn(T x) {
    if constexpr (N == 1) {
        return x;
    } else {
        return splat_lanes<T, N>(x, std::make_index_sequence<N>{});
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

/* Lane type of a vector (a one-lane "vector" is its own lane type). */
template <class V, bool = std::is_arithmetic_v<V>> struct ElemOfT {
    typedef V type;
};
template <class V> struct ElemOfT<V, false> {
    typedef std::remove_cv_t<std::remove_reference_t<decltype(V{}[0])>> type;
};
template <class V> using ElemOf = typename ElemOfT<V>::type;

template <class V, size_t R, size_t... I> inline auto every_at(V v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, (R * I)...);
}

/* Integer lanes cut to their low sizeof(To) bytes (two's-complement truncation; exact for 0/-1
 * masks). AVX-512 has narrowing moves (vpmov*) for __builtin_convertvector; for AVX2, GCC 12
 * would take some of these apart lane by lane, so there it is a byte (or word) shuffle. */
template <class To, class V> inline Vec<To, lanes_of<V>()> narrow(V v) {
    constexpr size_t N = lanes_of<V>(), R = sizeof(V) / N / sizeof(To);
    static_assert(R > 1, "narrow: To must be smaller than the lanes");
#if defined(__AVX512F__)
    return __builtin_convertvector(v, Vec<To, N>);
#else
    return every_at<Vec<To, N * R>, R>((Vec<To, N * R>)v, std::make_index_sequence<N>{});
#endif
}

/* Integer lanes sign- or zero-extended (by the lanes' own signedness, whatever W's) to the wider
 * integer W.
 * GCC 12 assembles __builtin_convertvector's widening of 8- and 16-bit lanes byte by byte in
 * general registers; vpmovsx/vpmovzx (SSE4.1, AVX2, AVX-512) do it in one instruction. They are
 * always-inline builtins wrappers, safe under this file's rule. */
template <class W, class V> inline Vec<W, lanes_of<V>()> widen(V v) {
    typedef ElemOf<V> F;
    static_assert(sizeof(W) > sizeof(F) && std::is_integral_v<F> && std::is_integral_v<W>, "widen: integers only");
#if defined(__AVX2__)
    constexpr size_t N = lanes_of<V>(), OUT = N * sizeof(W);
    constexpr bool S = std::is_signed_v<F>;
    if constexpr (OUT == 16 || OUT == 32 || (OUT == 64 && CP_VBYTES == 64)) {
        __m128i lo = _mm_setzero_si128();
        __m256i wide = _mm256_setzero_si256();
        if constexpr (sizeof(V) <= 16)
            __builtin_memcpy(&lo, &v, sizeof v);
        else
            __builtin_memcpy(&wide, &v, sizeof v);
/* (The 512-bit forms are the zero-masking ones with every lane selected: GCC 12 warns about the
 * plain ones' _mm512_undefined_epi32() source at -O3.) */
#define CP_WIDEN(PFX, FB, WB, SRC)                                                                      \
    if constexpr (sizeof(F) * 8 == FB && sizeof(W) * 8 == WB) {                                         \
        const auto r = S ? PFX##_cvtepi##FB##_epi##WB(SRC) : PFX##_cvtepu##FB##_epi##WB(SRC);           \
        Vec<W, N> out;                                                                                  \
        __builtin_memcpy(&out, &r, sizeof out);                                                         \
        return out;                                                                                     \
    }
#define CP_WIDEN_Z(FB, WB, SRC)                                                                         \
    if constexpr (sizeof(F) * 8 == FB && sizeof(W) * 8 == WB) {                                         \
        const auto r = S ? _mm512_maskz_cvtepi##FB##_epi##WB(-1, SRC) : _mm512_maskz_cvtepu##FB##_epi##WB(-1, SRC); \
        Vec<W, N> out;                                                                                  \
        __builtin_memcpy(&out, &r, sizeof out);                                                         \
        return out;                                                                                     \
    }
        if constexpr (OUT == 16) {
            CP_WIDEN(_mm, 8, 16, lo) CP_WIDEN(_mm, 8, 32, lo) CP_WIDEN(_mm, 8, 64, lo)
            CP_WIDEN(_mm, 16, 32, lo) CP_WIDEN(_mm, 16, 64, lo) CP_WIDEN(_mm, 32, 64, lo)
        } else if constexpr (OUT == 32) {
            CP_WIDEN(_mm256, 8, 16, lo) CP_WIDEN(_mm256, 8, 32, lo) CP_WIDEN(_mm256, 8, 64, lo)
            CP_WIDEN(_mm256, 16, 32, lo) CP_WIDEN(_mm256, 16, 64, lo) CP_WIDEN(_mm256, 32, 64, lo)
        }
#if defined(__AVX512F__)
        else {
            CP_WIDEN_Z(8, 16, wide) CP_WIDEN_Z(8, 32, lo) CP_WIDEN_Z(8, 64, lo)
            CP_WIDEN_Z(16, 32, wide) CP_WIDEN_Z(16, 64, lo) CP_WIDEN_Z(32, 64, wide)
        }
#endif
#undef CP_WIDEN
#undef CP_WIDEN_Z
    }
#endif
    return vcast<W>(v);
}

/* Mask -> 0/1 bytes, one per lane. */
template <class M> inline Vec<int8_t, lanes_of<M>()> b01(M m) {
    constexpr size_t N = lanes_of<M>();
    if constexpr (N == 1)
        return static_cast<int8_t>(m ? 1 : 0);
    else if constexpr (sizeof(M) == N)
        return (Vec<int8_t, N>)m & 1;
    else
        return narrow<int8_t>(m) & 1;
}

#if defined(__AVX2__) && CP_VBYTES == 32
/* Four registers of 32-bit 0/-1 masks -> 32 bytes of 0/1 in element order: two levels of
 * signed-saturating packs (a -1 lane stays -1) and one cross-lane permute, against the three
 * shuffles per register of narrow(). */
inline Vec<int8_t, 32> pack_masks32(Vec<int32_t, 8> a, Vec<int32_t, 8> b, Vec<int32_t, 8> c, Vec<int32_t, 8> d) {
    const __m256i ab = _mm256_packs_epi32((__m256i)a, (__m256i)b); /* per 128-bit half: a b */
    const __m256i cd = _mm256_packs_epi32((__m256i)c, (__m256i)d);
    const __m256i abcd = _mm256_packs_epi16(ab, cd); /* dwords: a0 b0 c0 d0 a1 b1 c1 d1 */
    const __m256i ord = _mm256_permutevar8x32_epi32(abcd, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    return (Vec<int8_t, 32>)_mm256_and_si256(ord, _mm256_set1_epi8(1));
}
/* Eight registers of 64-bit 0/-1 masks (r[k] holds elements 4k..4k+3) -> 32 bytes of 0/1: the low
 * dwords of two registers at a time (shufps: 4k, 4k+1, 4k+4, 4k+5 | 4k+2, ...), the packs above,
 * then a dword permute and an in-lane byte shuffle back to element order. */
inline Vec<int8_t, 32> pack_masks64(const Vec<int64_t, 4> (&r)[8]) {
    auto lo = [&](int k) {
        return _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps((__m256i)r[2 * k]),
                                                     _mm256_castsi256_ps((__m256i)r[2 * k + 1]), 0x88));
    };
    const __m256i ab = _mm256_packs_epi32(lo(0), lo(1));
    const __m256i cd = _mm256_packs_epi32(lo(2), lo(3));
    const __m256i abcd = _mm256_packs_epi16(ab, cd);
    const __m256i ord = _mm256_permutevar8x32_epi32(abcd, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    const __m256i fix = _mm256_setr_epi8(0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15, 0, 1, 4, 5, 2, 3, 6, 7, 8,
                                         9, 12, 13, 10, 11, 14, 15);
    return (Vec<int8_t, 32>)_mm256_and_si256(_mm256_shuffle_epi8(ord, fix), _mm256_set1_epi8(1));
}
#endif

/* True if any lane of a mask is set. */
template <class M> inline bool any_lane(M m) {
    if constexpr (lanes_of<M>() == 1) {
        return m;
    }
#if defined(__AVX512F__)
    /* one test into a mask register: the word loop below compiles to a blend, seven extractions
     * and seven ORs for a 64-byte comparison result */
    else if constexpr (sizeof(M) == 64) {
        return _mm512_test_epi64_mask((__m512i)m, (__m512i)m) != 0;
    }
#endif
#if defined(__AVX2__)
    else if constexpr (sizeof(M) == 32) {
        return !_mm256_testz_si256((__m256i)m, (__m256i)m);
    }
#endif
    else {
        static_assert(sizeof(M) % 8 == 0, "mask must be whole 64-bit words");
        uint64_t w[sizeof(M) / 8];
        __builtin_memcpy(w, &m, sizeof m);
        uint64_t r = 0;
        for (uint64_t x : w) r |= x;
        return r != 0;
    }
}

/* Lane shuffles (SIMD tables only): adjacent lanes swapped (re <-> im of complex values), the even
 * lanes (one per complex value), two vectors one after the other. */
template <class V, size_t... I> inline V swap_pairs_at(V v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, (I ^ 1)...);
}
template <class V> inline V swap_pairs(V v) {
    return swap_pairs_at(v, std::make_index_sequence<lanes_of<V>()>{});
}
template <class V, size_t... I> inline auto even_lanes_at(V v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, (2 * I)...);
}
template <class V> inline auto even_lanes(V v) {
    return even_lanes_at(v, std::make_index_sequence<lanes_of<V>() / 2>{});
}
template <class V, size_t... I> inline auto concat_at(V a, V b, std::index_sequence<I...>) {
    return __builtin_shufflevector(a, b, I...);
}
template <class V> inline auto concat(V a, V b) {
    return concat_at(a, b, std::make_index_sequence<2 * lanes_of<V>()>{});
}
/* The even lanes of a then b (one vector: every other element of two consecutive loads). */
template <class V, size_t... I> inline V even_of_two_at(V a, V b, std::index_sequence<I...>) {
    return __builtin_shufflevector(a, b, (2 * I)...);
}
template <class V> inline V even_of_two(V a, V b) {
    return even_of_two_at(a, b, std::make_index_sequence<lanes_of<V>()>{});
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
template <class T, bool INT = std::is_integral_v<T>> struct Arith {
    typedef T type;
};
template <class T> struct Arith<T, true> {
    typedef std::make_unsigned_t<T> type;
};

template <int OP, class V> inline V apply(V x, V y) {
    if constexpr (std::is_integral_v<V> && sizeof(V) < sizeof(unsigned)) {
        /* One 8/16-bit lane: C would promote it to int, where a 16-bit product can overflow. */
        return static_cast<V>(apply<OP>(static_cast<unsigned>(x), static_cast<unsigned>(y)));
    } else if constexpr (OP == CP_ADD) {
        return x + y;
    } else if constexpr (OP == CP_SUB) {
        return x - y;
    } else if constexpr (OP == CP_MUL) {
        return x * y;
    } else {
        return x / y;
    }
}

/* Real arithmetic, also complex add/sub on VV operands (seen as 2n floats). */
template <class T, int OP, int MODE, bool NT> void arith(const void *a, const void *b, void *out, size_t n) {
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

/* Complex add/sub with one side broadcast: the 2n parts of the vector side against (re, im, re, im,
 * ...). A vector step may start on an odd part (the non-temporal head aligns the output, and a
 * complex64 is only 4-byte aligned), so the pattern comes in both phases. */
template <class R, int OP, int MODE, bool NT> void complex_addsub_bcast(const void *a, const void *b, void *out, size_t n) {
    const R *x = static_cast<const R *>(a), *y = static_cast<const R *>(b);
    R *o = static_cast<R *>(out);
    if (n == 0) return;
    const R *s = MODE == CP_SV ? x : y; /* the broadcast value, read before any store */
    const R re = s[0], im = s[1];
    Vec<R> even, odd;
    if constexpr (kLanes<R> == 1) {
        even = re;
        odd = im;
    } else {
        for (size_t k = 0; k < kLanes<R>; k++) {
            even[k] = k % 2 ? im : re;
            odd[k] = k % 2 ? re : im;
        }
    }
    const R *v = MODE == CP_SV ? y : x; /* the vector side */
    fill<NT>(
        o, 2 * n,
        [&](size_t i) {
            const Vec<R> c = i % 2 ? odd : even;
            return MODE == CP_SV ? apply<OP>(c, load(v + i)) : apply<OP>(load(v + i), c);
        },
        [&](size_t i) {
            const R c = i % 2 ? im : re;
            return MODE == CP_SV ? apply<OP>(c, v[i]) : apply<OP>(v[i], c);
        });
}

/* Copies of the libm/libgcc helpers as builtins (no out-of-line calls). */
template <class R> inline R copysign_r(R m, R s) {
    if constexpr (sizeof(R) == 4)
        return __builtin_copysignf(m, s);
    else
        return __builtin_copysign(m, s);
}
template <class R> inline R fabs_r(R x) {
    if constexpr (sizeof(R) == 4)
        return __builtin_fabsf(x);
    else
        return __builtin_fabs(x);
}
template <class R> constexpr R kInf = static_cast<R>(__builtin_inf());

/* The value unchanged, but opaque to the optimiser: a product passed through here is never fused
 * with the add or subtract that follows (GCC contracts a*b + c into an FMA by default in C++ when
 * the ISA has one). The complex kernels must give the same bits in every table and in
 * src/reference.rs, and Rust never contracts. */
template <class R> inline R nofma(R x) {
#if defined(__x86_64__) || defined(__i386__)
#if defined(__FMA__) || defined(__FMA4__)
    __asm__("" : "+x"(x));
#endif
#elif defined(__aarch64__)
    __asm__("" : "+w"(x));
#else
    __asm__("" : "+m"(x));
#endif
    return x;
}

/* Annex G helpers: an infinite part "boxed" to +-1 (finite ones to +-0), a NaN part to +-0. */
template <class R> inline R box_inf(R v) { return copysign_r(__builtin_isinf(v) ? R(1) : R(0), v); }
template <class R> inline R nan_to_zero(R v) { return __builtin_isnan(v) ? copysign_r(R(0), v) : v; }

/* (a + ib)(c + id) when the plain formula gave NaN + iNaN: recover infinities, as C99 Annex G
 * (G.5.1) and libgcc's __mulsc3/__muldc3 do. Rare: kept out of the loop. */
template <class R>
__attribute__((noinline, cold)) Complex<R> complex_mul_special(R a, R b, R c, R d, R ac, R bd, R ad, R bc) {
    bool recalc = false;
    if (__builtin_isinf(a) || __builtin_isinf(b)) { /* z infinite */
        a = box_inf(a);
        b = box_inf(b);
        c = nan_to_zero(c);
        d = nan_to_zero(d);
        recalc = true;
    }
    if (__builtin_isinf(c) || __builtin_isinf(d)) { /* w infinite */
        c = box_inf(c);
        d = box_inf(d);
        a = nan_to_zero(a);
        b = nan_to_zero(b);
        recalc = true;
    }
    if (!recalc && (__builtin_isinf(ac) || __builtin_isinf(bd) || __builtin_isinf(ad) || __builtin_isinf(bc))) {
        /* overflow in a product: recover the infinities by zeroing NaN parts */
        a = nan_to_zero(a);
        b = nan_to_zero(b);
        c = nan_to_zero(c);
        d = nan_to_zero(d);
        recalc = true;
    }
    if (!recalc) return {ac - bd, ad + bc};
    return {kInf<R> * (nofma(a * c) - nofma(b * d)), kInf<R> * (nofma(a * d) + nofma(b * c))};
}

template <class R> inline Complex<R> complex_mul(Complex<R> z, Complex<R> w) {
    const R a = z.re, b = z.im, c = w.re, d = w.im;
    const R ac = nofma(a * c), bd = nofma(b * d), ad = nofma(a * d), bc = nofma(b * c);
    const R x = ac - bd, y = ad + bc;
    if (__builtin_expect(__builtin_isnan(x) && __builtin_isnan(y), 0))
        return complex_mul_special(a, b, c, d, ac, bd, ad, bc);
    return {x, y};
}

/* (a + ib) / (c + id) when the quotient came out NaN + iNaN: recover the zeros and infinities of
 * C99 Annex G (G.5.1), as libgcc's __divsc3/__divdc3 do. */
template <class R> __attribute__((noinline, cold)) Complex<R> complex_div_special(R a, R b, R c, R d, R x, R y) {
    if (c == R(0) && d == R(0) && (!__builtin_isnan(a) || !__builtin_isnan(b))) {
        const R inf = copysign_r(kInf<R>, c);
        return {inf * a, inf * b};
    }
    if ((__builtin_isinf(a) || __builtin_isinf(b)) && __builtin_isfinite(c) && __builtin_isfinite(d)) {
        a = box_inf(a);
        b = box_inf(b);
        return {kInf<R> * (nofma(a * c) + nofma(b * d)), kInf<R> * (nofma(b * c) - nofma(a * d))};
    }
    if ((__builtin_isinf(c) || __builtin_isinf(d)) && __builtin_isfinite(a) && __builtin_isfinite(b)) {
        c = box_inf(c);
        d = box_inf(d);
        return {R(0) * (nofma(a * c) + nofma(b * d)), R(0) * (nofma(b * c) - nofma(a * d))};
    }
    return {x, y};
}

/* complex64: the textbook formula in double precision (GCC 12's __divsc3 on hardware with doubles:
 * the extra precision makes scaling unnecessary). complex128: Smith's method with the scaling of
 * GCC 12's __divdc3 (Baudin & Smith 2012 style guards against overflow and underflow). */
template <class R> inline Complex<R> complex_div(Complex<R> z, Complex<R> w) {
    R a = z.re, b = z.im, c = w.re, d = w.im;
    R x, y;
    if constexpr (sizeof(R) == 4) {
        const double aa = a, bb = b, cc = c, dd = d;
        const double denom = nofma(cc * cc) + nofma(dd * dd);
        x = static_cast<R>((nofma(aa * cc) + nofma(bb * dd)) / denom);
        y = static_cast<R>((nofma(bb * cc) - nofma(aa * dd)) / denom);
    } else {
        constexpr R kBig = __DBL_MAX__ / 2, kMin = __DBL_MIN__, kMin2 = __DBL_EPSILON__;
        constexpr R kMinScale = 1 / __DBL_EPSILON__, kMax2 = kBig * kMin2;
        /* Scale so that the larger of |c|, |d| is neither near overflow nor tiny. */
        const bool d_larger = fabs_r(c) < fabs_r(d);
        const R big = d_larger ? d : c;
        if (fabs_r(big) >= kBig) {
            a = a / 2;
            b = b / 2;
            c = c / 2;
            d = d / 2;
        }
        const R bigs = d_larger ? d : c;
        if (fabs_r(bigs) < kMin2 ||
            ((fabs_r(a) < kMin && fabs_r(b) < kMax2 && fabs_r(bigs) < kMax2) ||
             (fabs_r(b) < kMin && fabs_r(a) < kMax2 && fabs_r(bigs) < kMax2))) {
            a = a * kMinScale;
            b = b * kMinScale;
            c = c * kMinScale;
            d = d * kMinScale;
        }
        if (d_larger) {
            const R ratio = c / d, denom = nofma(c * ratio) + d;
            if (fabs_r(ratio) > kMin) {
                x = (nofma(a * ratio) + b) / denom;
                y = (nofma(b * ratio) - a) / denom;
            } else { /* ratio subnormal: another order keeps its precision */
                x = (nofma(c * (a / d)) + b) / denom;
                y = (nofma(c * (b / d)) - a) / denom;
            }
        } else {
            const R ratio = d / c, denom = nofma(d * ratio) + c;
            if (fabs_r(ratio) > kMin) {
                x = (nofma(b * ratio) + a) / denom;
                y = (b - nofma(a * ratio)) / denom;
            } else {
                x = (a + nofma(d * (b / c))) / denom;
                y = (b - nofma(d * (a / c))) / denom;
            }
        }
    }
    /* (Through nofma too: otherwise GCC's SLP pass computes the quotient once as a vector for the
     * store and again as scalars for this test -- three divisions instead of two.) */
    x = nofma(x);
    y = nofma(y);
    if (__builtin_expect(__builtin_isnan(x) && __builtin_isnan(y), 0)) return complex_div_special(a, b, c, d, x, y);
    return {x, y};
}

/* Complex mul/div: one element at a time (the special-value checks would cost a vector version its
 * gain). The non-temporal table streams its output through staged_nt. */
template <class T, int OP, int MODE>
__attribute__((noinline)) void complex_muldiv(const void *a, const void *b, void *out, size_t n) {
    const T *x = static_cast<const T *>(a), *y = static_cast<const T *>(b);
    T *o = static_cast<T *>(out);
    if (n == 0) return;
    const T xs = MODE == CP_SV ? x[0] : T{}, ys = MODE == CP_VS ? y[0] : T{};
    for (size_t i = 0; i < n; i++) {
        const T p = MODE == CP_SV ? xs : x[i], q = MODE == CP_VS ? ys : y[i];
        o[i] = OP == CP_MUL ? complex_mul(p, q) : complex_div(p, q);
    }
}

/* ---- comparisons: one 0/1 byte per element */

template <int OP, class V> inline auto compare(V x, V y) {
    if constexpr (OP == CP_EQ)
        return x == y;
    else if constexpr (OP == CP_NE)
        return x != y;
    else if constexpr (OP == CP_LT)
        return x < y;
    else if constexpr (OP == CP_LE)
        return x <= y;
    else if constexpr (OP == CP_GT)
        return x > y;
    else
        return x >= y;
}

/* One element. bool compares truth values (false < true); complex has EQ/NE only. */
template <int OP, class T> inline int8_t compare1(T a, T b) {
    if constexpr (kIsComplex<T>) {
        const bool eq = a.re == b.re && a.im == b.im;
        return OP == CP_EQ ? eq : !eq;
    } else if constexpr (std::is_same_v<T, boolean>) {
        return compare<OP>(a != 0, b != 0);
    } else {
        return compare<OP>(a, b);
    }
}

/* Elements per vector step: one register of T (of its parts for complex). */
template <class T> constexpr size_t kStep = CP_SCALAR ? 1 : CP_VBYTES / sizeof(T);
/* The register of one step (complex: its 2 * kStep parts) and a broadcast value in that form. */
template <class T> using StepVec = Vec<RealOf<T>, kStep<T> * (kIsComplex<T> ? 2 : 1)>;
template <class T> inline StepVec<T> load_step(const T *p) {
    return loadn<kStep<T> * (kIsComplex<T> ? 2 : 1)>(reinterpret_cast<const RealOf<T> *>(p));
}
template <class T> inline StepVec<T> splat_step(T v) {
    if constexpr (kIsComplex<T>) {
        StepVec<T> r;
        for (size_t k = 0; k < 2 * kStep<T>; k++) r[k] = k % 2 ? v.im : v.re;
        return r;
    } else {
        return splat(v);
    }
}

/* One step of comparisons as kStep<T> bytes (SIMD tables only). */
template <int OP, class T> inline Vec<int8_t, kStep<T>> compare_step(StepVec<T> x, StepVec<T> y) {
    if constexpr (kIsComplex<T>) {
        const auto m = compare<OP>(x, y); /* per part; EQ needs both parts, NE either */
        return b01(even_lanes(OP == CP_EQ ? (m & swap_pairs(m)) : (m | swap_pairs(m))));
    } else if constexpr (std::is_same_v<T, boolean>) {
        return b01(compare<OP>(b01(x != boolean(0)), b01(y != boolean(0))));
    } else {
        return b01(compare<OP>(x, y));
    }
}

/* o[0:n] = x OP y, MODE VV or VS (SV and the mirrored ops call these with swapped operands). */
template <class T, int OP, int MODE>
__attribute__((noinline)) void compare_kernel(const void *a, const void *b, void *out, size_t n) {
    static_assert(MODE != CP_SV, "SV comparisons run as mirrored VS ones");
    const T *x = static_cast<const T *>(a), *y = static_cast<const T *>(b);
    int8_t *o = static_cast<int8_t *>(out);
    if (n == 0) return;
    /* The broadcast side is read once, before any store (out may alias a 1-byte input). */
    const T ys = MODE == CP_VS ? y[0] : T{};
    size_t i = 0;
#if defined(__AVX2__) && CP_VBYTES == 32
    if constexpr (sizeof(T) == 4 && !kIsComplex<T> && !std::is_same_v<T, boolean>) {
        /* 32-bit lanes: four registers of masks packed into one 32-byte store */
        const Vec<T> yv = splat(ys);
        for (; i + 32 <= n; i += 32) {
            auto m = [&](size_t k) {
                return (Vec<int32_t, 8>)compare<OP>(load(x + i + 8 * k), MODE == CP_VS ? yv : load(y + i + 8 * k));
            };
            storen<32>(o + i, pack_masks32(m(0), m(1), m(2), m(3)));
        }
    } else if constexpr (sizeof(T) == 8 && !kIsComplex<T>) {
        const Vec<T> yv = splat(ys);
        for (; i + 32 <= n; i += 32) {
            Vec<int64_t, 4> m[8];
            for (size_t k = 0; k < 8; k++)
                m[k] = (Vec<int64_t, 4>)compare<OP>(load(x + i + 4 * k), MODE == CP_VS ? yv : load(y + i + 4 * k));
            storen<32>(o + i, pack_masks64(m));
        }
    }
#endif
    if constexpr (!CP_SCALAR) {
        constexpr size_t P = kStep<T>;
        const StepVec<T> yb = MODE == CP_VS ? splat_step(ys) : StepVec<T>{};
        for (; i + P <= n; i += P)
            storen<P>(o + i, compare_step<OP, T>(load_step(x + i), MODE == CP_VS ? yb : load_step(y + i)));
        tail_below<P>(n - i);
    }
    for (; i < n; i++) o[i] = compare1<OP>(x[i], MODE == CP_VS ? ys : y[i]);
}

/* The op with its operands swapped: a < b is b > a. */
constexpr int mirror(int op) {
    return op == CP_LT ? CP_GT : op == CP_GT ? CP_LT : op == CP_LE ? CP_GE : op == CP_GE ? CP_LE : op;
}

/* Non-temporal form of kernel K, whose output has OutT elements: K writes L1-sized pieces into a
 * stack buffer that is then streamed out in whole aligned registers, so kernels that produce less
 * than a register per step (comparisons) or one element at a time (complex mul/div) need no
 * second, streaming body. The broadcast operand is copied first: a later piece must not read it
 * through an output that overwrote it. */
template <class T, class OutT, int MODE, cp_binary_fn K>
void staged_nt(const void *a, const void *b, void *out, size_t n) {
#if CP_SCALAR
    K(a, b, out, n);
#else
    constexpr size_t kPiece = 4096 / CP_VBYTES * CP_VBYTES; /* bytes of output per piece */
    static_assert(kPiece % sizeof(OutT) == 0, "pieces hold whole elements");
    const T *x = static_cast<const T *>(a), *y = static_cast<const T *>(b);
    char *o = static_cast<char *>(out);
    if (n == 0) return;
    T xs, ys;
    if (MODE == CP_SV) xs = x[0], x = &xs;
    if (MODE == CP_VS) ys = y[0], y = &ys;
    const size_t head_bytes = (CP_VBYTES - reinterpret_cast<uintptr_t>(o) % CP_VBYTES) % CP_VBYTES;
    if (head_bytes % sizeof(OutT) != 0) { /* elements never meet a register boundary */
        K(x, y, o, n);
        return;
    }
    size_t i = head_bytes / sizeof(OutT) < n ? head_bytes / sizeof(OutT) : n;
    K(x, y, o, i);
    alignas(64) char buf[kPiece];
    constexpr size_t kPer = kPiece / sizeof(OutT), kRegElems = CP_VBYTES / sizeof(OutT);
    while (n - i >= kRegElems) {
        const size_t len = n - i >= kPer ? kPer : (n - i) / kRegElems * kRegElems;
        K(MODE == CP_SV ? x : x + i, MODE == CP_VS ? y : y + i, buf, len);
        char *dst = o + i * sizeof(OutT);
        for (size_t j = 0; j < len * sizeof(OutT); j += CP_VBYTES) stream_vec(dst + j, buf + j);
        i += len;
    }
    _mm_sfence();
    K(MODE == CP_SV ? x : x + i, MODE == CP_VS ? y : y + i, o + i * sizeof(OutT), n - i);
#endif
}

/* The table's entry for (T, OP, MODE, NT): arithmetic keeps T, comparisons write bytes. Entries
 * point straight at shared bodies where they can, so each body is compiled once: intN and uintN
 * arithmetic is one body (computed unsigned); only VV EQ/NE/LT/LE and VS comparisons have bodies
 * (the rest swap their operands into those); the scalar table has no separate non-temporal
 * bodies (its stores are plain either way). */
template <class T, int OP, int MODE, bool NT> constexpr cp_binary_fn binary_entry();

/* A comparison run as its mirror with the operands swapped: a[0] < b[i] is b[i] > a[0]. */
template <class T, int OP, int MODE, bool NT> void compare_swapped(const void *a, const void *b, void *out, size_t n) {
    binary_entry<T, mirror(OP), MODE == CP_SV ? CP_VS : CP_VV, NT>()(b, a, out, n);
}

/* Complex add/sub of two vectors: the real kernel over the 2n parts. */
template <class R, int OP, bool NT> void complex_addsub_vv(const void *a, const void *b, void *out, size_t n) {
    arith<R, OP, CP_VV, NT>(a, b, out, 2 * n);
}

#include "math-inl.h"        /* vectorised exp, log, sin, ... (SIMD TUs) for math1/math2 */
#include "elementwise-inl.h" /* the binary ops from CP_MAX on, the unary ops */

template <class T, int OP, int MODE, bool NT> constexpr cp_binary_fn binary_entry() {
    constexpr bool nt = NT && !CP_SCALAR;
    if constexpr (OP >= CP_MAX) {
        return binary_more_entry<T, OP, MODE, nt>();
    } else if constexpr (OP >= CP_EQ) {
        if constexpr (MODE == CP_SV || (MODE == CP_VV && (OP == CP_GT || OP == CP_GE)))
            return compare_swapped<T, OP, MODE, nt>;
        else if constexpr (nt)
            return staged_nt<T, int8_t, MODE, compare_kernel<T, OP, MODE>>;
        else
            return compare_kernel<T, OP, MODE>;
    } else if constexpr (kIsComplex<T> && (OP == CP_MUL || OP == CP_DIV)) {
        if constexpr (nt)
            return staged_nt<T, T, MODE, complex_muldiv<T, OP, MODE>>;
        else
            return complex_muldiv<T, OP, MODE>;
    } else if constexpr (kIsComplex<T>) {
        if constexpr (MODE == CP_VV)
            return complex_addsub_vv<RealOf<T>, OP, nt>;
        else
            return complex_addsub_bcast<RealOf<T>, OP, MODE, nt>;
    } else {
        return arith<typename Arith<T>::type, OP, MODE, nt>;
    }
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
    } else { /* integers: wrapping 64-bit sum in unsigned arithmetic (signed lanes sign-extend,
              * unsigned ones zero-extend). Load as many elements as one register of uint64 holds
              * (half a register of int32) and widen them. */
        constexpr size_t W = kLanes<uint64_t>;
        Vec<uint64_t> acc = {};
        for (; i + W <= n; i += W) {
            if constexpr (sizeof(T) == 8)
                acc += (Vec<uint64_t>)loadn<W>(x + i);
            else
                acc += (Vec<uint64_t>)widen<std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>(loadn<W>(x + i));
        }
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

/* all() of n complex values (2n parts): false at the first value with both parts zero. */
template <class R> int all_complex(const void *xv, size_t n) {
    const R *x = static_cast<const R *>(xv);
    constexpr size_t L = kLanes<R>, C = kChunkBytes / sizeof(R);
    size_t i = 0; /* part index, always even */
    if constexpr (L > 1) {
        for (; i + C <= 2 * n; i += C) {
            Mask<R> m = {};
            for (size_t j = 0; j < C; j += L) {
                const Mask<R> z = load(x + i + j) == R(0);
                m |= z & swap_pairs(z);
            }
            if (any_lane(m)) return 0;
        }
    }
    for (; i < 2 * n; i += 2)
        if (x[i] == 0 && x[i + 1] == 0) return 0;
    return 1;
}

template <class T, bool ANY> int scan(const void *xv, size_t n) {
    if constexpr (sizeof(T) == 1 && !std::is_same_v<T, uint8_t>) {
        return scan<uint8_t, ANY>(xv, n); /* bool, int8: truthy is byte != 0, as for uint8 */
    } else if constexpr (kIsComplex<T>) {
        if constexpr (ANY)
            return scan<RealOf<T>, true>(xv, 2 * n); /* some part non-zero */
        else
            return all_complex<RealOf<T>>(xv, n);
    } else {
        const T *x = static_cast<const T *>(xv);
        constexpr size_t L = kLanes<T>, C = kChunkBytes / sizeof(T);
        static_assert(C % L == 0, "chunk must be whole vectors");
        size_t i = 0;
        if constexpr (std::is_same_v<T, uint8_t> && !CP_SCALAR) {
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
}

template <class T> int all(const void *x, size_t n) { return scan<T, false>(x, n); }
template <class T> int any(const void *x, size_t n) { return scan<T, true>(x, n); }

template <class T, bool ANY> void accumulate(const void *xv, size_t n, uint8_t *acc) {
    const T *x = static_cast<const T *>(xv);
    int8_t *a = reinterpret_cast<int8_t *>(acc); /* signed view: masks convert to signed bytes */
    size_t i = 0;
    if constexpr (kIsComplex<T>) {
        typedef RealOf<T> R;
        constexpr size_t L = kLanes<R>, P = L / 2; /* P complex values per register */
        if constexpr (P > 0) {
            const R *parts = reinterpret_cast<const R *>(x);
            for (; i + P <= n; i += P) {
                const auto nz = load(parts + 2 * i) != R(0);
                const auto t = b01(even_lanes(nz | swap_pairs(nz))), c = b01(loadn<P>(a + i) != int8_t(0));
                storen<P>(a + i, ANY ? (c | t) : (c & t));
            }
        }
        for (; i < n; i++) {
            const bool t = x[i].re != 0 || x[i].im != 0;
            a[i] = ANY ? (a[i] != 0 || t) : (a[i] != 0 && t);
        }
    } else {
        constexpr size_t L = kLanes<T>;
        for (; i + L <= n; i += L) {
            const auto t = b01(loadn<L>(x + i) != T(0)), c = b01(loadn<L>(a + i) != int8_t(0));
            storen<L>(a + i, ANY ? (c | t) : (c & t));
        }
        for (; i < n; i++) a[i] = ANY ? (a[i] != 0 || x[i] != 0) : (a[i] != 0 && x[i] != 0);
    }
}

template <class T> void all_acc(const void *x, size_t n, uint8_t *acc) { accumulate<T, false>(x, n, acc); }
template <class T> void any_acc(const void *x, size_t n, uint8_t *acc) { accumulate<T, true>(x, n, acc); }

/* ---------------------------------------------------------------- cast */

/* Float -> signed int bounds are exact powers of two in the float type: [-2^(b-1), 2^(b-1)). */
template <class F, class I> constexpr F kIntLo = -static_cast<F>(uint64_t(1) << (8 * sizeof(I) - 1));
/* Float -> unsigned int: [0, 2^b) (2^64 as the float 2^32 * 2^32). */
template <class F, class I>
constexpr F kUintHi = static_cast<F>(uint64_t(1) << (4 * sizeof(I))) * static_cast<F>(uint64_t(1) << (4 * sizeof(I)));
/* (Through uint64_t: ~ and >> on a uint8_t/uint16_t would promote it to int first.) */
template <class I> constexpr I kUintMax = static_cast<I>(~uint64_t(0) >> (64 - 8 * sizeof(I)));
template <class I> constexpr I kIntMax = static_cast<I>(~uint64_t(0) >> (65 - 8 * sizeof(I)));
template <class I> constexpr I kIntMin = static_cast<I>(-kIntMax<I> - 1);

template <class T> constexpr bool kIsInt = std::is_integral_v<T> && !std::is_same_v<T, boolean>;

/* Per-element definition (also the scalar tail). */
template <class F, class To> inline To cvt1(F x) {
    if constexpr (kIsComplex<F> && kIsComplex<To>) {
        return {static_cast<RealOf<To>>(x.re), static_cast<RealOf<To>>(x.im)};
    } else if constexpr (std::is_same_v<To, boolean>) {
        if constexpr (kIsComplex<F>)
            return x.re != 0 || x.im != 0;
        else
            return x != 0;
    } else if constexpr (kIsComplex<F>) {
        return cvt1<RealOf<F>, To>(x.re); /* the real part, then as from that float */
    } else if constexpr (kIsComplex<To>) {
        return {cvt1<F, RealOf<To>>(x), RealOf<To>(0)};
    } else if constexpr (std::is_same_v<F, boolean>) {
        return static_cast<To>(x != 0);
    } else if constexpr (std::is_floating_point_v<F> && kIsInt<To> && std::is_signed_v<To>) {
        constexpr F lo = kIntLo<F, To>;
        if (x >= lo && x < -lo) return static_cast<To>(x); /* in range: truncation is defined */
        return x >= -lo ? kIntMax<To> : x < lo ? kIntMin<To> : To(0); /* saturate; NaN -> 0 */
    } else if constexpr (std::is_floating_point_v<F> && kIsInt<To>) {
        constexpr F hi = kUintHi<F, To>;
        if (x >= 0 && x < hi) return static_cast<To>(x);
        return x >= hi ? kUintMax<To> : To(0); /* saturate; negative and NaN -> 0 */
    } else if constexpr (kIsInt<F> && kIsInt<To>) {
        /* keeps the low bits (wraps), done unsigned to stay well-defined */
        return static_cast<To>(static_cast<std::make_unsigned_t<To>>(x));
    } else {
        return static_cast<To>(x);
    }
}

/* Integer lanes to any real type: to a narrower integer keeps the low bits, to a wider one
 * sign- or zero-extends (wraps, as cvt1); 8/16-bit lanes go to floats through int32 (which AVX2
 * converts natively). */
template <class To, class V> inline Vec<To, lanes_of<V>()> from_int(V v) {
    constexpr size_t L = lanes_of<V>();
    typedef ElemOf<V> F;
    if constexpr (kIsInt<To> && sizeof(To) < sizeof(F))
        return narrow<To>(v);
    else if constexpr (kIsInt<To> && sizeof(To) > sizeof(F))
        return (Vec<To, L>)widen<To>(v); /* extends by F's signedness, as cvt1 */
    else if constexpr (kIsInt<To>)
        return (Vec<To, L>)v;
    else if constexpr (sizeof(F) < 4)
        return vcast<To>(widen<int32_t>(v)); /* exact in int32, which converts natively */
    else
        return vcast<To>(v);
}

template <class F, class To, size_t L> inline Vec<To, L> cvtv(Vec<F, L> v) {
    if constexpr (L == 1) {
        return cvt1<F, To>(v);
    } else if constexpr (std::is_same_v<To, boolean>) {
        return vcast<boolean>(b01(v != F(0)));
    } else if constexpr (std::is_same_v<F, boolean>) {
        return from_int<To>(b01(v != F(0)));
    } else if constexpr (std::is_floating_point_v<F> && kIsInt<To> && sizeof(To) < 4) {
        /* 8/16-bit targets: saturate in the float domain (their bounds are exact floats), then
         * convert to int32 and keep the low bytes. */
        constexpr bool S = std::is_signed_v<To>;
        constexpr F lo = S ? kIntLo<F, To> : F(0), hi = S ? -kIntLo<F, To> : kUintHi<F, To>;
        constexpr F top = S ? F(kIntMax<To>) : F(kUintMax<To>);
        const Vec<F, L> zero = {};
        Vec<F, L> c = (v >= lo) & (v < hi) ? v : zero; /* in range or 0 (NaN too) */
        c = v >= hi ? splatn<L>(top) : c;
        c = v < lo ? splatn<L>(lo) : c; /* (unsigned: lo is 0) */
        return narrow<To>(vcast<int32_t>(c));
    } else if constexpr (std::is_floating_point_v<F> && kIsInt<To>) {
        typedef std::make_signed_t<To> S; /* lanes of a select mask */
        const Vec<F, L> zero = {};
        if constexpr (std::is_signed_v<To>) {
            constexpr F lo = kIntLo<F, To>;
            const Vec<F, L> safe = (v >= lo) & (v < -lo) ? v : zero; /* in range or 0 (NaN too) */
            Vec<To, L> r = vcast<To>(safe);
            r = vcast<S>(v >= -lo) ? splatn<L>(kIntMax<To>) : r;
            return vcast<S>(v < lo) ? splatn<L>(kIntMin<To>) : r;
        } else {
            constexpr F hi = kUintHi<F, To>;
            const Vec<F, L> safe = (v >= F(0)) & (v < hi) ? v : zero; /* in range or 0 (NaN too) */
            const Vec<To, L> r = vcast<To>(safe);
            return vcast<S>(v >= hi) ? splatn<L>(kUintMax<To>) : r;
        }
    } else if constexpr (kIsInt<F>) {
        return from_int<To>(v);
    } else {
        return vcast<To>(v);
    }
}

template <class F, class To> void cast(const void *src, void *dst, size_t n) {
    if constexpr (std::is_same_v<F, To>) {
        if (n) __builtin_memcpy(dst, src, n * sizeof(F));
    } else {
        const F *s = static_cast<const F *>(src);
        To *d = static_cast<To *>(dst);
        size_t i = 0;
        if constexpr (!kIsComplex<F> && !kIsComplex<To>) { /* complex: element by element */
            /* lanes such that the wider of the two types fills one register */
            constexpr size_t L = CP_SCALAR ? 1 : CP_VBYTES / (sizeof(F) > sizeof(To) ? sizeof(F) : sizeof(To));
            for (; i + L <= n; i += L) storen<L>(d + i, cvtv<F, To, L>(loadn<L>(s + i)));
            tail_below<L>(n - i);
        }
        for (; i < n; i++) d[i] = cvt1<F, To>(s[i]);
    }
}

/* ---------------------------------------------------------------- gather */

/* Unsigned integer of N bytes: elements moved as bits. */
template <size_t N> struct BitsOfT;
template <> struct BitsOfT<1> { typedef uint8_t type; };
template <> struct BitsOfT<2> { typedef uint16_t type; };
template <> struct BitsOfT<4> { typedef uint32_t type; };
template <> struct BitsOfT<8> { typedef uint64_t type; };
template <size_t N> using BitsOf = typename BitsOfT<N>::type;

template <class T> void gather(const void *src, ptrdiff_t stride, void *dst, size_t n) {
    if (stride == static_cast<ptrdiff_t>(sizeof(T))) {
        if (n) __builtin_memcpy(dst, src, n * sizeof(T));
        return;
    }
    const char *s = static_cast<const char *>(src);
    T *d = static_cast<T *>(dst);
    size_t i = 0;
#if !CP_SCALAR
    if constexpr (sizeof(T) <= 8) {
        /* Every other element (x[::2], x[1::2], the parts of complex values): two vectors in, their
         * even lanes out, instead of one element per load. The last vector step would read one
         * element past the run, so it is left to the scalar loop. */
        typedef BitsOf<sizeof(T)> U;
        constexpr size_t L = kLanes<U>;
        if (stride == static_cast<ptrdiff_t>(2 * sizeof(T))) {
            for (; i + L < n; i += L) {
                const U *p = reinterpret_cast<const U *>(s + static_cast<ptrdiff_t>(i) * stride);
                const Vec<U> v = even_of_two(loadn<L>(p), loadn<L>(p + L));
                __builtin_memcpy(d + i, &v, sizeof v);
            }
        }
    }
#endif
    for (; i < n; i++) d[i] = load1<T>(s + static_cast<ptrdiff_t>(i) * stride);
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

#include "gemm-inl.h" /* BLIS-style pieces: naive, pack, microkernels, gemv; symv, secular */
#include "sort-inl.h" /* sorting, searching, sets over integer sort keys */
#include "matmul-inl.h" /* matmul of integers and complex */
#include "reduce-inl.h" /* reductions, statistics, scans (issue 16) */
#include "index-inl.h"  /* integer-array and boolean-mask indexing (issue 14) */
#include "lu-inl.h"     /* the small-matrix solve of linalg.solve (issue 18) */

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
template <> struct DTypeOf<CP_I8> { typedef int8_t type; };
template <> struct DTypeOf<CP_I16> { typedef int16_t type; };
template <> struct DTypeOf<CP_U8> { typedef uint8_t type; };
template <> struct DTypeOf<CP_U16> { typedef uint16_t type; };
template <> struct DTypeOf<CP_U32> { typedef uint32_t type; };
template <> struct DTypeOf<CP_U64> { typedef uint64_t type; };
template <> struct DTypeOf<CP_C64> { typedef Complex<float> type; };
template <> struct DTypeOf<CP_C128> { typedef Complex<double> type; };
template <size_t D> using DType = typename DTypeOf<static_cast<int>(D)>::type;

template <int OP, bool NT, size_t... D>
constexpr void fill_op(cp_binary_fn (&f)[CP_NDTYPES][CP_NMODES], std::index_sequence<D...>) {
    ((f[D][CP_VV] = binary_entry<DType<D>, OP, CP_VV, NT>(), f[D][CP_VS] = binary_entry<DType<D>, OP, CP_VS, NT>(),
      f[D][CP_SV] = binary_entry<DType<D>, OP, CP_SV, NT>()),
     ...);
}

template <bool NT, size_t... O>
constexpr void fill_more(cp_binary_fn (&f)[CP_NBINOPS][CP_NDTYPES][CP_NMODES], std::index_sequence<O...>) {
    (fill_op<CP_MAX + static_cast<int>(O), NT>(f[CP_MAX + O], std::make_index_sequence<CP_NDTYPES>{}), ...);
}

template <bool NT> constexpr void fill_binary(cp_binary_fn (&f)[CP_NBINOPS][CP_NDTYPES][CP_NMODES]) {
    /* every dtype but bool */
    constexpr std::index_sequence<CP_F32, CP_F64, CP_I32, CP_I64, CP_I8, CP_I16, CP_U8, CP_U16, CP_U32, CP_U64,
                                  CP_C64, CP_C128>
        numeric{};
    /* ordered: every dtype but complex */
    constexpr std::index_sequence<CP_F32, CP_F64, CP_I32, CP_I64, CP_BOOL, CP_I8, CP_I16, CP_U8, CP_U16, CP_U32,
                                  CP_U64>
        ordered{};
    constexpr std::make_index_sequence<CP_NDTYPES> all_d{};
    fill_op<CP_ADD, NT>(f[CP_ADD], numeric);
    fill_op<CP_SUB, NT>(f[CP_SUB], numeric);
    fill_op<CP_MUL, NT>(f[CP_MUL], numeric);
    fill_op<CP_DIV, NT>(f[CP_DIV], std::index_sequence<CP_F32, CP_F64, CP_C64, CP_C128>{});
    fill_op<CP_EQ, NT>(f[CP_EQ], all_d);
    fill_op<CP_NE, NT>(f[CP_NE], all_d);
    fill_op<CP_LT, NT>(f[CP_LT], ordered);
    fill_op<CP_LE, NT>(f[CP_LE], ordered);
    fill_op<CP_GT, NT>(f[CP_GT], ordered);
    fill_op<CP_GE, NT>(f[CP_GE], ordered);
    fill_more<NT>(f, std::make_index_sequence<CP_NBINOPS - CP_MAX>{});
}

template <int OP, bool NT, size_t... D> constexpr void fill_unary_op(cp_unary_fn (&f)[CP_NDTYPES], std::index_sequence<D...>) {
    ((f[D] = unary_entry<DType<D>, OP, NT>()), ...);
}
template <bool NT, size_t... O> constexpr void fill_unary(cp_unary_fn (&f)[CP_NUNOPS][CP_NDTYPES], std::index_sequence<O...>) {
    (fill_unary_op<static_cast<int>(O), NT>(f[O], std::make_index_sequence<CP_NDTYPES>{}), ...);
}

template <class F, size_t... D> constexpr void fill_cast_row(cp_cast_fn (&row)[CP_NDTYPES], std::index_sequence<D...>) {
    ((row[D] = cast<F, DType<D>>), ...);
}

/* Complex sums are a later issue (reductions): NULL for now. */
template <class T> constexpr cp_sum_fn sum_entry() {
    if constexpr (kIsComplex<T>)
        return nullptr;
    else
        return sum<T>;
}

template <size_t... D> constexpr void fill_per_dtype(cp_kernel_table &t, std::index_sequence<D...> all_d) {
    ((t.sum[D] = sum_entry<DType<D>>()), ...);
    ((t.all[D] = all<DType<D>>), ...);
    ((t.any[D] = any<DType<D>>), ...);
    ((t.all_acc[D] = all_acc<DType<D>>), ...);
    ((t.any_acc[D] = any_acc<DType<D>>), ...);
    ((t.gather[D] = gather<DType<D>>), ...);
    (fill_cast_row<DType<D>>(t.cast[D], all_d), ...);
}

/* Sorting (sort-inl.h): every real dtype; complex stays NULL (unordered). */
template <size_t... D> constexpr void fill_sort(cp_kernel_table &t, std::index_sequence<D...>) {
    ((t.sort_keys[D] = kIsComplex<DType<D>> ? nullptr : sort_keys<std::conditional_t<kIsComplex<DType<D>>, float, DType<D>>>),
     ...);
    ((t.sort_values[D] =
          kIsComplex<DType<D>> ? nullptr : sort_values<std::conditional_t<kIsComplex<DType<D>>, float, DType<D>>>),
     ...);
    ((t.sort_take[D] = sort_take<DType<D>>), ...);
    t.sort[0] = sort_run<int32_t>;
    t.sort[1] = sort_run<int64_t>;
    t.sort_partition[0] = sort_partition<int32_t>;
    t.sort_partition[1] = sort_partition<int64_t>;
    t.sort_indices[0] = sort_indices<int32_t>;
    t.sort_indices[1] = sort_indices<int64_t>;
    t.sort_search[0] = sort_search<int32_t>;
    t.sort_search[1] = sort_search<int64_t>;
    t.sort_isin[0] = sort_isin<int32_t>;
    t.sort_isin[1] = sort_isin<int64_t>;
    t.sort_unique[0] = sort_unique<int32_t>;
    t.sort_unique[1] = sort_unique<int64_t>;
    ((t.matmul_other[D] = matmul_other_entry<DType<D>>()), ...);
}

/* Reductions, statistics and scans (issue 16): complex has no order (min/max/arg NULL). */
template <class T, bool MAX> constexpr cp_red_fn minmax_entry() {
    if constexpr (kIsComplex<T>)
        return nullptr;
    else
        return red_minmax<T, MAX>;
}
template <class T, bool MAX> constexpr cp_arg_fn arg_entry() {
    if constexpr (kIsComplex<T>)
        return nullptr;
    else
        return red_arg<T, MAX>;
}
template <class T, bool MAX> constexpr cp_acc_fn acc_minmax_entry() {
    if constexpr (kIsComplex<T>)
        return nullptr;
    else
        return acc_minmax<T, MAX>;
}
template <class T, bool MAX> constexpr cp_arg_acc_fn acc_arg_entry() {
    if constexpr (kIsComplex<T>)
        return nullptr;
    else
        return acc_arg<T, MAX>;
}

template <class T, bool MAX> constexpr cp_arg_merge_fn arg_merge_entry() {
    if constexpr (kIsComplex<T>)
        return nullptr;
    else
        return arg_merge<T, MAX>;
}

template <size_t... D> constexpr void fill_reductions(cp_kernel_table &t, std::index_sequence<D...>) {
    ((t.red_sum[D] = red_sum<DType<D>>), ...);
    ((t.red_prod[D] = red_prod<DType<D>>), ...);
    ((t.red_min[D] = minmax_entry<DType<D>, false>()), ...);
    ((t.red_max[D] = minmax_entry<DType<D>, true>()), ...);
    ((t.argmin[D] = arg_entry<DType<D>, false>()), ...);
    ((t.argmax[D] = arg_entry<DType<D>, true>()), ...);
    ((t.count_nonzero[D] = count_nz<DType<D>>), ...);
    ((t.acc_sum[D] = acc_sumprod<DType<D>, false>), ...);
    ((t.acc_prod[D] = acc_sumprod<DType<D>, true>), ...);
    ((t.acc_min[D] = acc_minmax_entry<DType<D>, false>()), ...);
    ((t.acc_max[D] = acc_minmax_entry<DType<D>, true>()), ...);
    ((t.acc_count[D] = acc_count<DType<D>>), ...);
    ((t.acc_argmin[D] = acc_arg_entry<DType<D>, false>()), ...);
    ((t.acc_argmax[D] = acc_arg_entry<DType<D>, true>()), ...);
    ((t.cumsum[D] = scan_acc<DType<D>, false>), ...);
    ((t.cumprod[D] = scan_acc<DType<D>, true>), ...);
    ((t.arg_merge_min[D] = arg_merge_entry<DType<D>, false>()), ...);
    ((t.arg_merge_max[D] = arg_merge_entry<DType<D>, true>()), ...);
    t.moments[CP_F32] = moments<float>;
    t.moments[CP_F64] = moments<double>;
    t.welford[CP_F32] = welford<float>;
    t.welford[CP_F64] = welford<double>;
    t.var_finish[CP_F32] = var_finish<float>;
    t.var_finish[CP_F64] = var_finish<double>;
}

/* Vectorised sort: the MSD radix top level (sort-inl.h). */
constexpr void fill_sort_msd(cp_kernel_table &t) {
    t.sort_range[0] = sort_range<int32_t>;
    t.sort_range[1] = sort_range<int64_t>;
    t.sort_hist[0] = sort_hist<int32_t>;
    t.sort_hist[1] = sort_hist<int64_t>;
    t.sort_scatter[0] = sort_scatter<int32_t>;
    t.sort_scatter[1] = sort_scatter<int64_t>;
}

template <size_t... D> constexpr void fill_lu(cp_kernel_table &t, std::index_sequence<D...>) {
    ((t.lu_solve[D] = lu_solve_entry<DType<D>>()), ...);
}

constexpr cp_kernel_table make_table() {
    cp_kernel_table t{}; /* everything not set below stays NULL (int div, bool arithmetic, ...) */
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
    fill_unary<false>(t.unary, std::make_index_sequence<CP_NUNOPS>{});
    fill_sort(t, std::make_index_sequence<CP_NDTYPES>{});
    fill_reductions(t, std::make_index_sequence<CP_NDTYPES>{}); /* issue 16 (reduce-inl.h) */
    fill_sort_msd(t); /* vectorised sort (sort-inl.h) */
    fill_unary<true>(t.unary_nt, std::make_index_sequence<CP_NUNOPS>{}); /* element-wise NT (issue 15) */
    /* integer-array and boolean-mask indexing (issue 14, index-inl.h) */
    t.index_take[0] = index_take<uint8_t>;
    t.index_take[1] = index_take<uint16_t>;
    t.index_take[2] = index_take<uint32_t>;
    t.index_take[3] = index_take<uint64_t>;
    t.index_take[4] = index_take<Bits128>;
    t.index_compress[0] = index_compress<uint8_t>;
    t.index_compress[1] = index_compress<uint16_t>;
    t.index_compress[2] = index_compress<uint32_t>;
    t.index_compress[3] = index_compress<uint64_t>;
    t.index_compress[4] = index_compress<Bits128>;
    t.index_take_rows = index_take_rows;
    t.index_compress_rows = index_compress_rows;
    t.index_count = index_count;
    t.index_positions = index_positions;
    fill_lu(t, std::make_index_sequence<CP_NDTYPES>{}); /* small-matrix solve (issue 18, lu-inl.h) */
    return t;
}

/* Constant-initialised: no static constructor, no guard variable, no C++ runtime needed. */
constexpr cp_kernel_table kTable = make_table();

} // namespace CP_NS

extern "C" const cp_kernel_table *CP_GETTER(void) { return &CP_NS::kTable; }
#if CP_SCALAR
extern "C" size_t corepy_kernels_table_size(void) { return sizeof(cp_kernel_table); }
#endif
