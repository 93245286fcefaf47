/*
 * math-inl.h — vectorised transcendental functions: range reduction plus polynomial (the SLEEF /
 * SVML / fdlibm recipe), no libm call. Included from kernels-inl.h inside namespace CP_NS, after
 * the vector helpers (Vec, lanes_of, ElemOf, splatn, vcast, concat, any_lane).
 *
 * Every function is written once, generic over V = Vec<double> / Vec<float> of this TU's width or
 * a plain double / float (one lane): the scalar tail of a vector loop gives the same bits as a
 * vector lane. FMAs are explicit (vm_fma): the TUs are ISO C++17, so GCC does not contract a*b+c,
 * and the result does not depend on where the compiler would have fused.
 *
 * float32: exp, expm1, log, log1p, log2, log10, sin, cos, tan, asin, acos, atan, sinh, cosh,
 * tanh, asinh, acosh, atanh, atan2 and hypot run in float lanes (a full register, within their
 * bounds); pow, logaddexp, remainder and floor_divide are computed in float64 (half a register at
 * a time) and rounded once, so their float result is the correctly rounded one or its neighbour.
 *
 * float64 exp and log are table-driven (Tang's method; tables from tools/vmath/tables.py), and so
 * are float32 pow in float64 lanes (16-entry log and exp tables) and, on AVX-512, the float32 log
 * family (a 32-entry table in registers); float32 logaddexp evaluates e^t and log(1 + f) by
 * series in float64 lanes.
 *
 * Polynomial coefficients: tools/vmath/fit.py. Accuracy and speed: tools/vmath/README.md.
 * The scalar table (CP_SCALAR) uses libm as the reference and does not include this file's code.
 */

#if !CP_SCALAR

/* GCC contracts a*b + c into an FMA in C++17 too (-ffp-contract=fast is its default outside ISO
 * C), differently in scalar and vector code: off here, every FMA below is an explicit vm_fma. */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

/* The functions here are inlined into their loops (GCC's heuristics left the bigger ones as
 * calls, with their constants reloaded per call and results through memory); the rare paths
 * (out-of-range exp) stay out of line. */
#define VM_INLINE inline __attribute__((always_inline))
#define VM_COLD __attribute__((noinline, cold))

/* ---------------------------------------------------------------- lane plumbing */

template <class T> struct VmInt;
template <> struct VmInt<float> {
    typedef int32_t type;
};
template <> struct VmInt<double> {
    typedef int64_t type;
};
/* Integer lanes of the same width as V's lanes (int64_t / int32_t for one lane). */
template <class V> using VmI = Vec<typename VmInt<ElemOf<V>>::type, lanes_of<V>()>;

/* Per lane type: the format, and the constants and polynomials of the functions that have a
 * float32 kernel of their own (see the top of the file); the others compute float32 in float64. */
template <class T> struct VmT;
template <> struct VmT<double> {
    static constexpr int kMant = 52, kBias = 1023;
    static constexpr double kMagic = 0x1.8p52; /* adding it rounds to an integer, |x| < 2^51 */
    /* exp's clamp (the table exp's too); expm1: k = round(x / ln2), ln 2 = Hi + Lo; e^r = 1 + r +
     * r^2/2 + r^3 P(r), |r| <= ln2/2 */
    static constexpr double kExpMax = 710.0, kExpMin = -746.0;
    static constexpr double kLn2Hi = 0x1.62e42fefa39efp-1, kLn2Lo = 0x1.abc9e3b39803fp-56;
    static constexpr double kInvLn2 = 0x1.71547652b82fep+0;
    static constexpr double kExpP[] = {0x1.555555555555ap-3, 0x1.5555555555558p-5, 0x1.111111110ef6ap-7,
                                       0x1.6c16c16c1509fp-10, 0x1.a01a01b30178dp-13, 0x1.a01a01ad9a44fp-16,
                                       0x1.71ddf001b25e5p-19, 0x1.27e4cb35745a8p-22, 0x1.af6df55980c43p-26,
                                       0x1.1f8e1541d6a92p-29};
    /* log: x = 2^e m, m in [sqrt(1/2), sqrt(2)); log1p(f) = 2s + s^3 (2/3 + z Q(z)), s = f/(2+f),
     * z = s^2; ln 2 with 42 bits so e ln2 is exact */
    static constexpr int64_t kSqrtHalf = 0x3fe6a09e667f3bcd;
    static constexpr double kMinNormal = 0x1p-1022, kSubScale = 0x1p54, kSubE = 54.0;
    static constexpr double kLogLn2Hi = 0x1.62e42fefa3800p-1, kLogLn2Lo = 0x1.ef35793c76730p-45;
    static constexpr double k2_3 = 0x1.5555555555555p-1;
    static constexpr double kLogQ[] = {0x1.9999999999994p-2, 0x1.24924924932d5p-2, 0x1.c71c71c534575p-3,
                                       0x1.745d18556e057p-3, 0x1.3b1359a4a76d7p-3, 0x1.1122094e6f71dp-3,
                                       0x1.ddfed189202a6p-4, 0x1.ecbe4814d2680p-4};
    /* trig: pi/2 = 1 + 2 + 3 (to ~160 bits); sin x = x + x^3 (S1 + z S(z)), cos x = 1 - z/2 + z^2 C(z),
     * |x| <= pi/4; Cody-Waite below kTrigHuge */
    static constexpr double kPio2_1 = 0x1.921fb54442d18p+0, kPio2_2 = 0x1.1a62633145c07p-54,
                            kPio2_3 = -0x1.f1976b7ed8fbcp-110, kTwoOverPi = 0x1.45f306dc9c883p-1;
    static constexpr double kTrigHuge = 0x1p30;
    static constexpr double kSin1 = -0x1.5555555555555p-3;
    static constexpr double kSinS[] = {0x1.111111111110bp-7, -0x1.a01a01a018a5bp-13, 0x1.71de3a532f358p-19,
                                       -0x1.ae64528baf83ap-26, 0x1.61208b0458e07p-33, -0x1.aaa19465e09c4p-41};
    static constexpr double kCosC[] = {0x1.5555555555555p-5, -0x1.6c16c16c16c14p-10, 0x1.a01a01a01966ep-16,
                                       -0x1.27e4fb768b02dp-22, 0x1.1eed8d3da4c76p-29, -0x1.9393e0f8503bdp-37,
                                       0x1.ab0f2a3264982p-45};
    /* log2: 1/ln2 = Hi + Lo */
    static constexpr double kInvLn2Hi = 0x1.71547652b82fep+0, kInvLn2Lo = 0x1.777d0ffda0d24p-56;
    /* log10: 1/ln10 = Hi + Lo; log10(2) = Hi + Lo with e Hi exact */
    static constexpr double kInvLn10Hi = 0x1.bcb7b1526e50ep-2, kInvLn10Lo = 0x1.95355baaafad3p-57;
    static constexpr double kLog10_2Hi = 0x1.34413509f7000p-2, kLog10_2Lo = 0x1.3fde623e2566bp-43;
};
template <> struct VmT<float> {
    static constexpr int kMant = 23, kBias = 127;
    static constexpr double kMagic = 0x1.8p23;
    static constexpr double kExpMax = 89.0, kExpMin = -104.0;
    static constexpr double kLn2Hi = 0x1.62e430p-1, kLn2Lo = -0x1.05c610p-29;
    static constexpr double kInvLn2 = 0x1.715476p+0;
    static constexpr double kExpP[] = {0x1.555556p-3, 0x1.5554e4p-5, 0x1.1110a6p-7, 0x1.6d54b8p-10, 0x1.a1855cp-13};
    static constexpr int32_t kSqrtHalf = 0x3f3504f3;
    static constexpr double kMinNormal = 0x1p-126, kSubScale = 0x1p25, kSubE = 25.0;
    static constexpr double kLogLn2Hi = 0x1.62e300p-1, kLogLn2Lo = 0x1.2fefa4p-17;
    static constexpr double k2_3 = 0x1.555556p-1;
    static constexpr double kLogQ[] = {0x1.999a0ap-2, 0x1.244e6ep-2, 0x1.e0611ep-3};
    static constexpr double kPio2_1 = 0x1.921fb6p+0, kPio2_2 = -0x1.777a5cp-25, kPio2_3 = -0x1.ee59dap-50,
                            kTwoOverPi = 0x1.45f306p-1;
    static constexpr double kTrigHuge = 0x1p16; /* above: the float64 path, Payne-Hanek included */
    /* exp: below this |x| every 2^k is a normal float (one scaling factor) */
    static constexpr double kExpSafe = 87.0;
    /* sin/cos: x = q pi + d, pi in five parts (the first three short: q times each is exact, and
     * so are the differences for |x| < kSinCosMax; all five positive: d = -0 - 0 P_j stays -0,
     * as tan needs); sin d = d + d^3 SinP(d^2), |d| <= pi/2 */
    static constexpr double kSinCosMax = 0x1p15; /* above: the float64 path */
    static constexpr double kInvPi = 0x1.45f306p-2;
    static constexpr double kPiP[] = {0x1.92p+1, 0x1.fbp-11, 0x1.51p-21, 0x1.0b4610p-33, 0x1.a62634p-57};
    static constexpr double kSinP[] = {-0x1.55554cp-3, 0x1.110ef6p-7, -0x1.9f75fep-13, 0x1.5e0d3cp-19};
    /* atan u = u + u^3 AtanP(u^2), 0 <= u <= 1; asin w = w + w^3 AsinP(w^2), |w| <= 1/2;
     * pi/2 and pi as float pairs */
    static constexpr double kAtanP[] = {-0x1.55553cp-2, 0x1.9991aep-3, -0x1.241e96p-3, 0x1.c07a80p-4, -0x1.57db3cp-4,
                                        0x1.d99f9ap-5, -0x1.fc8baap-6, 0x1.634176p-7, -0x1.d1f9f4p-10};
    static constexpr double kAsinP[] = {0x1.5555cap-3, 0x1.3301e6p-4, 0x1.747bccp-5, 0x1.8c4e8cp-6, 0x1.59456ep-5};
    static constexpr double kPio2Hi = 0x1.921fb6p+0, kPio2Lo = -0x1.777a5cp-25;
    static constexpr double kPiHi = 0x1.921fb6p+1, kPiLo = -0x1.777a5cp-24;
    /* log2: 1/ln2 = Hi + Lo in floats */
    static constexpr double kInvLn2Hi = 0x1.715476p+0, kInvLn2Lo = 0x1.4ae0c0p-26;
    static constexpr double kInvLn10Hi = 0x1.bcb7b2p-2, kInvLn10Lo = -0x1.5b235ep-27;
    static constexpr double kLog10_2Hi = 0x1.344p-2, kLog10_2Lo = 0x1.3509f8p-18;
    static constexpr double kSin1 = -0x1.555556p-3;
    static constexpr double kSinS[] = {0x1.111108p-7, -0x1.a00f7cp-13, 0x1.6cd154p-19};
    static constexpr double kCosC[] = {0x1.555556p-5, -0x1.6c16bcp-10, 0x1.a012fcp-16, -0x1.248642p-22};
    /* tanh x = x + x^3 T(x^2), |x| < 0.5625 */
    static constexpr double kTanhT[] = {-0x1.555556p-2, 0x1.11110ep-3, -0x1.ba1a30p-5, 0x1.662946p-6,
                                        -0x1.2051dap-7, 0x1.b52244p-9, -0x1.d604d8p-11};
};
template <class V> using VmK = VmT<ElemOf<V>>;

template <class V> VM_INLINE VmI<V> vm_bits(V x) {
    VmI<V> i;
    __builtin_memcpy(&i, &x, sizeof i);
    return i;
}
template <class V> VM_INLINE V vm_from_bits(VmI<V> i) {
    V x;
    __builtin_memcpy(&x, &i, sizeof x);
    return x;
}
template <class V> VM_INLINE V vm_c(double c) { return splatn<lanes_of<V>()>(static_cast<ElemOf<V>>(c)); }
template <class V> VM_INLINE VmI<V> vm_ci(int64_t c) {
    return splatn<lanes_of<V>()>(static_cast<typename VmInt<ElemOf<V>>::type>(c));
}

/* Masks: vectors of 0/-1 lanes, or bool (int after & and |) for one lane. */
template <class M, class V> VM_INLINE V vm_sel(M m, V a, V b) { return m ? a : b; }
template <class M> VM_INLINE auto vm_not(M m) { return m == 0; }

/* True if any lane of a mask is set (one vptest / vptestmq: any_lane). */
template <class M> VM_INLINE bool vm_any(M m) { return any_lane(m); }
/* Range tests of whole registers: lo <= x < hi (NaN: no) in every lane (vm_all_in) or in some
 * lane (vm_any_in). AVX-512: the compares' masks tested as they are (a vector mask would go to a
 * register and back: three instructions more). */
#if defined(__AVX512F__)
template <class V> VM_INLINE unsigned vm_in_mask512(V x, double lo, double hi) {
    if constexpr (sizeof(ElemOf<V>) == 8)
        return _mm512_mask_cmp_pd_mask(_mm512_cmp_pd_mask((__m512d)x, _mm512_set1_pd(lo), _CMP_GE_OQ), (__m512d)x,
                                       _mm512_set1_pd(hi), _CMP_LT_OQ);
    else
        return _mm512_mask_cmp_ps_mask(_mm512_cmp_ps_mask((__m512)x, _mm512_set1_ps(float(lo)), _CMP_GE_OQ), (__m512)x,
                                       _mm512_set1_ps(float(hi)), _CMP_LT_OQ);
}
#endif
template <class V> VM_INLINE bool vm_all_in(V x, double lo, double hi) {
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64) return vm_in_mask512(x, lo, hi) == (1u << lanes_of<V>()) - 1;
#endif
    return !vm_any(vm_not((x >= vm_c<V>(lo)) & (x < vm_c<V>(hi))));
}
template <class V> VM_INLINE bool vm_any_in(V x, double lo, double hi) {
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64) return vm_in_mask512(x, lo, hi) != 0;
#endif
    return vm_any((x >= vm_c<V>(lo)) & (x < vm_c<V>(hi)));
}

/* The two halves of a vector. */
template <class V, size_t... I> VM_INLINE auto vm_half_lo(V v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, I...);
}
template <class V, size_t... I> VM_INLINE auto vm_half_hi(V v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, (I + sizeof...(I))...);
}
#if defined(__AVX512F__)
constexpr size_t kVmNative = 64;
#else
constexpr size_t kVmNative = 32;
#endif
/* f on each half of a vector wider than the registers (only in the harness's wide-lane build). */
template <class V, class F> VM_INLINE V vm_split(V a, V b, V c, F f) {
    constexpr size_t H = lanes_of<V>() / 2;
    typedef std::make_index_sequence<H> S;
    return concat(f(vm_half_lo(a, S{}), vm_half_lo(b, S{}), vm_half_lo(c, S{})),
                  f(vm_half_hi(a, S{}), vm_half_hi(b, S{}), vm_half_hi(c, S{})));
}

template <class V> VM_INLINE V vm_fma(V a, V b, V c) {
    if constexpr (lanes_of<V>() == 1) {
        if constexpr (sizeof(V) == 8)
            return __builtin_fma(a, b, c);
        else
            return __builtin_fmaf(a, b, c);
    } else if constexpr (sizeof(V) > kVmNative) {
        return vm_split(a, b, c, [](auto x, auto y, auto z) __attribute__((always_inline)) { return vm_fma(x, y, z); });
    } else {
        constexpr bool D = sizeof(ElemOf<V>) == 8;
#if defined(__AVX512F__)
        if constexpr (sizeof(V) == 64) {
            if constexpr (D)
                return (V)_mm512_fmadd_pd((__m512d)a, (__m512d)b, (__m512d)c);
            else
                return (V)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
        } else
#endif
        if constexpr (sizeof(V) == 32) {
            if constexpr (D)
                return (V)_mm256_fmadd_pd((__m256d)a, (__m256d)b, (__m256d)c);
            else
                return (V)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
        } else {
            static_assert(sizeof(V) == 16, "vm_fma: native vector widths only");
            if constexpr (D)
                return (V)_mm_fmadd_pd((__m128d)a, (__m128d)b, (__m128d)c);
            else
                return (V)_mm_fmadd_ps((__m128)a, (__m128)b, (__m128)c);
        }
    }
}

/* One coupled Goldschmidt step from y ~ 1/sqrt(x): g ~ sqrt(x) and h ~ 1/(2 sqrt(x)), each with
 * its relative error squared (the divide-free square roots below and asin/acos's). */
template <class V> VM_INLINE void vm_gs_step(V x, V y, V &g, V &h) {
    g = x * y, h = vm_c<V>(0.5) * y;
    const V e = vm_fma(-g, h, vm_c<V>(0.5));
    g = vm_fma(g, e, g);
    h = vm_fma(h, e, h);
}

#if defined(__AVX512F__)
/* Correctly rounded float64 square root without the divide unit (vsqrtpd takes ~16 cycles per
 * register there): rsqrt14, one Newton step (28 bits), one coupled Goldschmidt step for
 * sqrt and 1/(2 sqrt), one residual correction. The result g is the correctly rounded root iff
 * |x - g^2| < g ulp(g): the residual is exact by fma, g ulp(g) is exact (a power-of-two scale),
 * and no multiple of ulp(g)^2 lies in the interval that separates the two conditions. Lanes that
 * fail it, and x below 2^-900 (so g ulp(g) stays normal), zero, negative, infinite or NaN (their
 * g is NaN), take the instruction. */
VM_INLINE __m512d vm_sqrt_pd512(__m512d x) {
    const __m512d half = _mm512_set1_pd(0.5);
    __m512d r = _mm512_maskz_rsqrt14_pd(__mmask8(-1), x);
    r = _mm512_mul_pd(r, _mm512_fnmadd_pd(_mm512_mul_pd(half, x), _mm512_mul_pd(r, r), _mm512_set1_pd(1.5)));
    Vec<double, 8> gv, hv;
    vm_gs_step((Vec<double, 8>)x, (Vec<double, 8>)r, gv, hv);
    __m512d g = (__m512d)gv;
    const __m512d h = (__m512d)hv;
    g = _mm512_fmadd_pd(h, _mm512_fnmadd_pd(g, g, x), g);
    const __m512d d = _mm512_fnmadd_pd(g, g, x);
    const __m512i ulp = _mm512_sub_epi64(_mm512_and_si512(_mm512_castpd_si512(g), _mm512_set1_epi64(0x7ff0000000000000LL)),
                                         _mm512_set1_epi64(int64_t(52) << 52));
    const __m512d gu = _mm512_mul_pd(g, _mm512_castsi512_pd(ulp));
    const __mmask8 ok = _mm512_mask_cmp_pd_mask(_mm512_cmp_pd_mask(x, _mm512_set1_pd(0x1p-900), _CMP_GE_OQ),
                                                _mm512_abs_pd(d), gu, _CMP_LT_OQ);
    if (__builtin_expect(ok != __mmask8(0xFF), 0)) g = _mm512_mask_sqrt_pd(g, __mmask8(~ok), x);
    return g;
}

/* The same for float32: rsqrt14, one coupled Goldschmidt step (about 27 bits), one residual
 * correction, and the same test of the result (x below 2^-100 and the other lanes that fail it
 * take the instruction). vsqrtps takes ~12 cycles per register there. */
VM_INLINE __m512 vm_sqrt_ps512(__m512 x) {
    Vec<float, 16> gv, hv;
    vm_gs_step((Vec<float, 16>)x, (Vec<float, 16>)_mm512_maskz_rsqrt14_ps(__mmask16(-1), x), gv, hv);
    __m512 g = (__m512)gv;
    const __m512 h = (__m512)hv;
    g = _mm512_fmadd_ps(h, _mm512_fnmadd_ps(g, g, x), g);
    const __m512 d = _mm512_fnmadd_ps(g, g, x);
    const __m512i ulp = _mm512_sub_epi32(_mm512_and_si512(_mm512_castps_si512(g), _mm512_set1_epi32(0x7f800000)),
                                         _mm512_set1_epi32(23 << 23));
    const __m512 gu = _mm512_mul_ps(g, _mm512_castsi512_ps(ulp));
    const __mmask16 ok = _mm512_mask_cmp_ps_mask(_mm512_cmp_ps_mask(x, _mm512_set1_ps(0x1p-100f), _CMP_GE_OQ),
                                                 _mm512_abs_ps(d), gu, _CMP_LT_OQ);
    if (__builtin_expect(ok != __mmask16(0xFFFF), 0)) g = _mm512_mask_sqrt_ps(g, __mmask16(~ok), x);
    return g;
}
#endif

template <class V> VM_INLINE V vm_sqrt(V a) {
    if constexpr (lanes_of<V>() == 1) {
        if constexpr (sizeof(V) == 8)
            return __builtin_sqrt(a); /* sqrtsd: the TUs build with -fno-math-errno */
        else
            return __builtin_sqrtf(a);
    } else if constexpr (sizeof(V) > kVmNative) {
        return vm_split(a, a, a, [](auto x, auto, auto) __attribute__((always_inline)) { return vm_sqrt(x); });
    } else {
        constexpr bool D = sizeof(ElemOf<V>) == 8;
#if defined(__AVX512F__)
        if constexpr (sizeof(V) == 64) {
            /* the zero-masking forms: the plain ones' undefined source makes GCC 12 warn at -O3 */
            if constexpr (D)
                return (V)_mm512_maskz_sqrt_pd(-1, (__m512d)a);
            else
                return (V)_mm512_maskz_sqrt_ps(-1, (__m512)a);
        } else
#endif
        if constexpr (sizeof(V) == 32) {
            if constexpr (D)
                return (V)_mm256_sqrt_pd((__m256d)a);
            else
                return (V)_mm256_sqrt_ps((__m256)a);
        } else {
            static_assert(sizeof(V) == 16, "vm_sqrt: native vector widths only");
            if constexpr (D)
                return (V)_mm_sqrt_pd((__m128d)a);
            else
                return (V)_mm_sqrt_ps((__m128)a);
        }
    }
}

/* sqrt where it is most of the work (the sqrt op, hypot): on AVX-512 the divide-free forms
 * above; elsewhere the instruction, which stays the better choice inside FMA-bound polynomials
 * (asin, acos, acosh). */
template <class V> VM_INLINE V vm_sqrt_fast(V a) {
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64 && sizeof(ElemOf<V>) == 8) return (V)vm_sqrt_pd512((__m512d)a);
    if constexpr (sizeof(V) == 64 && sizeof(ElemOf<V>) == 4) return (V)vm_sqrt_ps512((__m512)a);
#endif
    return vm_sqrt(a);
}

/* Logical right shift of integer lanes (AVX2 has no 64-bit arithmetic shift; GCC would emulate one). */
template <class I> VM_INLINE I vm_srl(I i, int n) {
    typedef std::make_unsigned_t<ElemOf<I>> U;
    if constexpr (lanes_of<I>() == 1)
        return static_cast<I>(static_cast<U>(i) >> n);
    else
        return (I)((Vec<U, lanes_of<I>()>)i >> n);
}

/* Left shift in unsigned lanes: no signed overflow (garbage lanes of NaN inputs included). */
template <class I> VM_INLINE I vm_sll(I i, int n) {
    typedef std::make_unsigned_t<ElemOf<I>> U;
    if constexpr (lanes_of<I>() == 1)
        return static_cast<I>(static_cast<U>(i) << n);
    else
        return (I)((Vec<U, lanes_of<I>()>)i << n);
}

/* a - b in unsigned lanes (as vm_addu). */
template <class I> VM_INLINE I vm_subu(I a, I b) {
    typedef std::make_unsigned_t<ElemOf<I>> U;
    if constexpr (lanes_of<I>() == 1)
        return static_cast<I>(static_cast<U>(a) - static_cast<U>(b));
    else
        return (I)((Vec<U, lanes_of<I>()>)a - (Vec<U, lanes_of<I>()>)b);
}
/* a + b in unsigned lanes: exponent arithmetic that wraps in lanes whose result is discarded
 * (huge and NaN arguments) must not be signed overflow. */
template <class I> VM_INLINE I vm_addu(I a, I b) {
    typedef std::make_unsigned_t<ElemOf<I>> U;
    if constexpr (lanes_of<I>() == 1)
        return static_cast<I>(static_cast<U>(a) + static_cast<U>(b));
    else
        return (I)((Vec<U, lanes_of<I>()>)a + (Vec<U, lanes_of<I>()>)b);
}

template <class V> VM_INLINE V vm_abs(V x) { return vm_from_bits<V>(vm_bits(x) & ~vm_bits(vm_c<V>(-0.0))); }
/* |mag| with the sign of s. */
template <class V> VM_INLINE V vm_copysign(V mag, V s) {
    const VmI<V> sign = vm_bits(vm_c<V>(-0.0));
    return vm_from_bits<V>((vm_bits(mag) & ~sign) | (vm_bits(s) & sign));
}
/* min(max(x, lo), hi) with NaN kept: vminps/vmaxps return their second operand when either is
 * NaN, so x goes second (two instructions where compares and blends take four). The AVX-512
 * forms are the zero-masking ones: the plain ones' undefined source makes GCC 12 warn at -O3. */
template <class V> VM_INLINE V vm_clamp(V x, V lo, V hi) {
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64) {
        if constexpr (sizeof(ElemOf<V>) == 8)
            return (V)_mm512_maskz_max_pd(-1, (__m512d)lo, _mm512_maskz_min_pd(-1, (__m512d)hi, (__m512d)x));
        else
            return (V)_mm512_maskz_max_ps(-1, (__m512)lo, _mm512_maskz_min_ps(-1, (__m512)hi, (__m512)x));
    }
#endif
#if defined(__AVX2__)
    if constexpr (sizeof(V) == 32) {
        if constexpr (sizeof(ElemOf<V>) == 8)
            return (V)_mm256_max_pd((__m256d)lo, _mm256_min_pd((__m256d)hi, (__m256d)x));
        else
            return (V)_mm256_max_ps((__m256)lo, _mm256_min_ps((__m256)hi, (__m256)x));
    }
#endif
    return vm_sel(x > hi, hi, vm_sel(x < lo, lo, x));
}
template <class V> VM_INLINE auto vm_signbit(V x) { return vm_bits(x) < 0; }
template <class V> VM_INLINE auto vm_isnan(V x) { return x != x; }

/* Nearest integer (ties to even), |x| < 2^51 (2^22 for float): adding 1.5 2^mant leaves no fraction bits. */
template <class V> VM_INLINE V vm_round(V x) {
    const V magic = vm_c<V>(VmK<V>::kMagic);
    return (x + magic) - magic;
}
/* The integer value of a vm_round result. */
template <class V> VM_INLINE VmI<V> vm_toint(V k) {
    /* unsigned: lanes of huge or NaN arguments (results discarded later) must not overflow */
    typedef std::make_unsigned_t<typename VmInt<ElemOf<V>>::type> U;
    typedef Vec<U, lanes_of<V>()> VU;
    return (VmI<V>)((VU)vm_bits(k + vm_c<V>(VmK<V>::kMagic)) - (VU)vm_bits(vm_c<V>(VmK<V>::kMagic)));
}
/* Small integers to floating point without AVX2's missing int64 -> double conversion. */
template <class V> VM_INLINE V vm_fromint(VmI<V> i) {
    return vm_from_bits<V>(i + vm_bits(vm_c<V>(VmK<V>::kMagic))) - vm_c<V>(VmK<V>::kMagic);
}
/* 2^k for integer lanes in the normal exponent range. */
template <class V> VM_INLINE V vm_pow2i(VmI<V> k) {
    return vm_from_bits<V>(vm_sll(k + vm_ci<V>(VmK<V>::kBias), VmK<V>::kMant));
}

/* Horner, unrolled at compile time (a loop would reload and rebroadcast each coefficient). */
template <size_t I, class V, size_t N> VM_INLINE V vm_poly_from(V x, const double (&c)[N]) {
    if constexpr (I == N - 1)
        return vm_c<V>(c[I]);
    else
        return vm_fma(vm_poly_from<I + 1>(x, c), x, vm_c<V>(c[I]));
}
template <class V, size_t N> VM_INLINE V vm_poly(V x, const double (&c)[N]) { return vm_poly_from<0>(x, c); }

/* Estrin's scheme (pw[j] = x^(2^j)): c[I..I+L) as low + x^H high, H the largest power of two
 * below L; about half Horner's dependency chain, for the latency-bound kernels (pow). */
template <size_t I, size_t L, class V, size_t N> VM_INLINE V vm_estrin_at(const V (&pw)[4], const double (&c)[N]) {
    if constexpr (L == 1) {
        return vm_c<V>(c[I]);
    } else {
        constexpr size_t J = L > 8 ? 3 : L > 4 ? 2 : L > 2 ? 1 : 0, H = size_t(1) << J;
        return vm_fma(vm_estrin_at<I + H, L - H>(pw, c), pw[J], vm_estrin_at<I, H>(pw, c));
    }
}
template <class V, size_t N> VM_INLINE V vm_poly_estrin(V x, const double (&c)[N]) {
    static_assert(N <= 16, "powers up to x^8");
    const V x2 = x * x, x4 = x2 * x2;
    const V pw[4] = {x, x2, x4, x4 * x4};
    return vm_estrin_at<0, N>(pw, c);
}

/* Error-free sums: a + b == s + e exactly. */
template <class V> VM_INLINE void vm_two_sum(V a, V b, V &s, V &e) {
    s = a + b;
    const V bb = s - a;
    e = (a - (s - bb)) + (b - bb);
}
/* Same, when |a| >= |b| (or a == 0). */
template <class V> VM_INLINE void vm_fast_two_sum(V a, V b, V &s, V &e) {
    s = a + b;
    e = b - (s - a);
}

/* The halves of a float vector widened to double vectors, and back (rounded once). AVX2: one
 * vcvtps2pd / vcvtpd2ps per half (GCC's generic lowering converted two lanes at a time, through
 * the stack). */
template <class V> VM_INLINE void vm_widen(V x, Vec<double, lanes_of<V>() / 2> &lo, Vec<double, lanes_of<V>() / 2> &hi) {
#if defined(__AVX2__)
    if constexpr (sizeof(V) == 32) {
        lo = (Vec<double, 4>)_mm256_cvtps_pd(_mm256_castps256_ps128((__m256)x));
        hi = (Vec<double, 4>)_mm256_cvtps_pd(_mm256_extractf128_ps((__m256)x, 1));
        return;
    }
#endif
#if defined(__AVX512F__)
    /* AVX-512 likewise (GCC's lowering went through 128-bit pieces and inserts); the masked forms:
     * the plain ones' undefined pass-through makes GCC 12 warn */
    if constexpr (sizeof(V) == 64) {
        lo = (Vec<double, 8>)_mm512_maskz_cvtps_pd(-1, (__m256)vm_half_lo(x, std::make_index_sequence<8>{}));
        hi = (Vec<double, 8>)_mm512_maskz_cvtps_pd(-1, (__m256)vm_half_hi(x, std::make_index_sequence<8>{}));
        return;
    }
#endif
    constexpr size_t H = lanes_of<V>() / 2;
    lo = vcast<double>(vm_half_lo(x, std::make_index_sequence<H>{}));
    hi = vcast<double>(vm_half_hi(x, std::make_index_sequence<H>{}));
}
template <class D> VM_INLINE Vec<float, 2 * lanes_of<D>()> vm_narrow(D lo, D hi) {
#if defined(__AVX2__)
    if constexpr (sizeof(D) == 32)
        return (Vec<float, 8>)_mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps((__m256d)lo)),
                                                   _mm256_cvtpd_ps((__m256d)hi), 1);
#endif
#if defined(__AVX512F__)
    if constexpr (sizeof(D) == 64)
        return concat((Vec<float, 8>)_mm512_maskz_cvtpd_ps(-1, (__m512d)lo), (Vec<float, 8>)_mm512_maskz_cvtpd_ps(-1, (__m512d)hi));
#endif
    return concat(vcast<float>(lo), vcast<float>(hi));
}

/* float32 through float64: each half of a float vector widened to a native double vector. */
template <class V, class F> VM_INLINE V vm_via_double(V x, F f) {
    constexpr size_t N = lanes_of<V>();
    if constexpr (N == 1) {
        return static_cast<float>(f(static_cast<double>(x)));
    } else {
        Vec<double, N / 2> lo, hi;
        vm_widen(x, lo, hi);
        return vm_narrow(f(lo), f(hi));
    }
}
template <class V, class F> VM_INLINE V vm_via_double2(V x, V y, F f) {
    constexpr size_t N = lanes_of<V>();
    if constexpr (N == 1) {
        return static_cast<float>(f(static_cast<double>(x), static_cast<double>(y)));
    } else {
        Vec<double, N / 2> xl, xh, yl, yh;
        vm_widen(x, xl, xh);
        vm_widen(y, yl, yh);
        return vm_narrow(f(xl, yl), f(xh, yh));
    }
}
template <class V> constexpr bool kVmFloat = sizeof(ElemOf<V>) == 4;

/* ---------------------------------------------------------------- constants */

constexpr double kVmLn2Hi = 0x1.62e42fefa39efp-1, kVmLn2Lo = 0x1.abc9e3b39803fp-56;
/* ln 2 with 42 bits, so e * kVmLn2H42 is exact for any exponent e */
constexpr double kVmLn2H42 = 0x1.62e42fefa3800p-1, kVmLn2L42 = 0x1.ef35793c76730p-45;
constexpr double kVmInvLn2 = 0x1.71547652b82fep+0, kVmInvLn2Lo = 0x1.777d0ffda0d24p-56;
constexpr double kVmPio2Hi = 0x1.921fb54442d18p+0, kVmPio2Lo = 0x1.1a62633145c07p-54;
constexpr double kVmPiHi = 0x1.921fb54442d18p+1, kVmPiLo = 0x1.1a62633145c07p-53;
constexpr double kVmPio4Hi = 0x1.921fb54442d18p-1, kVmPio4Lo = 0x1.1a62633145c07p-55;
/* asin x = x + x^3 A(x^2), |x| <= 1/2 */
constexpr double kVmAsinA[] = {0x1.5555555555577p-3, 0x1.333333332e190p-4, 0x1.6db6db72092e3p-5,
                               0x1.f1c71a9983105p-6, 0x1.6e8bde4b1cf14p-6, 0x1.1c49fbd219d64p-6,
                               0x1.ca1e69ee86830p-7, 0x1.758f3d1075088p-7, 0x1.6104a010d2bacp-7,
                               0x1.e95360548347bp-9, 0x1.6292a56b83729p-6, -0x1.5681ab88209b2p-6,
                               0x1.0acf32b2ec9d2p-5};
/* atan u = u + u^3 T(u^2), |u| <= tan(pi/8) */
constexpr double kVmAtanT[] = {-0x1.5555555555554p-2, 0x1.9999999999605p-3, -0x1.24924924736b9p-3,
                               0x1.c71c71b65cbe3p-4, -0x1.745d14998d4e5p-4, 0x1.3b136b6d7bb04p-4,
                               -0x1.110c4b445e1b0p-4, 0x1.e16f0b5c96376p-5, -0x1.ab6ad9fc84eaap-5,
                               0x1.70a2c38f79fbfp-5, -0x1.118ceebb5fc51p-5, 0x1.ef3c526de0b5bp-7};

/* Tables of the float64 exp and log (Tang's method, the glibc / ARM optimized-routines layout);
 * tools/vmath/tables.py prints them. */
/* exp: 2^(j/16) = H_j (1 + T_j): T_j bits, H_j bits - j 2^48; tools/vmath/tables.py */
alignas(64) constexpr uint64_t kVmExp16T[16] = {
    0x0000000000000000ull, 0x3c979aa65d837b6dull, 0xbc801b15eaa59348ull, 0x3c968efde3a8a894ull,
    0x3c834d754db0abb6ull, 0x3c859f48a72a4c6dull, 0x3c7690cebb7aafb0ull, 0x3c9063e1e21c5409ull,
    0xbc93b3efbf5e2228ull, 0xbc7b32dcb94da51dull, 0x3c8db72fc1f0eab4ull, 0x3c71affc2b91ce27ull,
    0x3c8c1a7792cb3387ull, 0x3c736eae30af0cb3ull, 0x3c74a385a63d07a7ull, 0xbc8ff7128fd391f0ull,
};
alignas(64) constexpr uint64_t kVmExp16H[16] = {
    0x3ff0000000000000ull, 0x3fefb5586cf9890full, 0x3fef72b83c7d517bull, 0x3fef387a6e756238ull,
    0x3fef06fe0a31b715ull, 0x3feedea64c123422ull, 0x3feebfdad5362a27ull, 0x3feeab07dd485429ull,
    0x3feea09e667f3bcdull, 0x3feea11473eb0187ull, 0x3feeace5422aa0dbull, 0x3feec49182a3f090ull,
    0x3feee89f995ad3adull, 0x3fef199bdd85529cull, 0x3fef5818dcfba487ull, 0x3fefa4afa2a490daull,
};
/* log for float32 results: invc, -log(invc) bits, 16 subintervals, |r| <= 0.03125 */
alignas(64) constexpr uint64_t kVmLog16I[16] = {
    0x3ff0000000000000ull, 0x3fee1e1e1e000000ull, 0x3fec71c71c000000ull, 0x3feaf286bc000000ull,
    0x3fe999999a000000ull, 0x3fe8618618000000ull, 0x3fe745d174000000ull, 0x3fe642c85a000000ull,
    0x3fe5555556000000ull, 0x3fe47ae148000000ull, 0x3fe3b13b14000000ull, 0x3fe2f684be000000ull,
    0x3fe2492492000000ull, 0x3fe1a7b962000000ull, 0x3fe1111112000000ull, 0x3fe0842108000000ull,
};
alignas(64) constexpr uint64_t kVmLog16C[16] = {
    0x0000000000000000ull, 0x3faf0a30c21162a6ull, 0x3fbe2707722af2e6ull, 0x3fc5ff3073a793d4ull,
    0x3fcc8ff7c59a9a22ull, 0x3fd1675cacaba60eull, 0x3fd4618bc31c5ec2ull, 0x3fd739d7f3fbd007ull,
    0x3fd9f323eabf984cull, 0x3fdc8ff7c69a9a22ull, 0x3fdf128f5eaf06edull, 0x3fe0be72e3852a83ull,
    0x3fe1e85f5ef040d0ull, 0x3fe307d731af10beull, 0x3fe41d8fe68672aeull, 0x3fe52a2d26dbc5abull,
};
/* float32 log family: invc, then -log_b(invc) as hi, lo for b = e, 2, 10; 32 subintervals, |r| <= 0.023193 */
alignas(64) constexpr uint32_t kVmLogF32I[32] = {
    0x3f800000u, 0x3f780000u, 0x3f700000u, 0x3f6c0000u, 0x3f640000u, 0x3f5c0000u, 0x3f580000u, 0x3f540000u,
    0x3f4c0000u, 0x3f480000u, 0x3f440000u, 0x3f400000u, 0x3f3c0000u, 0x3f380000u, 0x3f340000u, 0x3f300000u,
    0x3f2c0000u, 0x3f280000u, 0x3f240000u, 0x3f200000u, 0x3f1c0000u, 0x3f1c0000u, 0x3f180000u, 0x3f140000u,
    0x3f140000u, 0x3f100000u, 0x3f0c0000u, 0x3f0c0000u, 0x3f080000u, 0x3f080000u, 0x3f040000u, 0x3f040000u,
};
alignas(64) constexpr uint32_t kVmLogF32H[3][32] = {
    {
        0x00000000u, 0x3d020000u, 0x3d843000u, 0x3da6a000u, 0x3ded4000u, 0x3e1b3000u, 0x3e2df800u, 0x3e412000u,
        0x3e688000u, 0x3e7cc800u, 0x3e88bc00u, 0x3e934c00u, 0x3e9e1400u, 0x3ea91400u, 0x3eb45800u, 0x3ebfd800u,
        0x3ecb9c00u, 0x3ed7a800u, 0x3ee40000u, 0x3ef0a400u, 0x3efd9c00u, 0x3efd9c00u, 0x3f057400u, 0x3f0c4800u,
        0x3f0c4800u, 0x3f134c00u, 0x3f1a8200u, 0x3f1a8200u, 0x3f21ec00u, 0x3f21ec00u, 0x3f299200u, 0x3f299200u,
    },
    {
        0x00000000u, 0x3d3ba000u, 0x3dbeb000u, 0x3df06000u, 0x3e2b2000u, 0x3e5fe000u, 0x3e7b0000u, 0x3e8b5000u,
        0x3ea7b800u, 0x3eb65800u, 0x3ec54400u, 0x3ed48000u, 0x3ee40c00u, 0x3ef3f000u, 0x3f021600u, 0x3f0a6200u,
        0x3f12e000u, 0x3f1b9200u, 0x3f247800u, 0x3f2d9600u, 0x3f36f000u, 0x3f36f000u, 0x3f408800u, 0x3f4a6200u,
        0x3f4a6200u, 0x3f548000u, 0x3f5ee800u, 0x3f5ee800u, 0x3f699c00u, 0x3f699c00u, 0x3f74a200u, 0x3f74a200u,
    },
    {
        0x00000000u, 0x3c620000u, 0x3ce58000u, 0x3d10c000u, 0x3d4e0000u, 0x3d86d000u, 0x3d972000u, 0x3da7c000u,
        0x3dc9f000u, 0x3ddb9000u, 0x3ded9000u, 0x3dffe000u, 0x3e095000u, 0x3e12e000u, 0x3e1ca000u, 0x3e26a000u,
        0x3e30d800u, 0x3e3b5000u, 0x3e460800u, 0x3e510800u, 0x3e5c4800u, 0x3e5c4800u, 0x3e67d800u, 0x3e73b000u,
        0x3e73b000u, 0x3e7fe000u, 0x3e863400u, 0x3e863400u, 0x3e8ca400u, 0x3e8ca400u, 0x3e934800u, 0x3e934800u,
    },
};
alignas(64) constexpr uint32_t kVmLogF32L[3][32] = {
    {
        0x00000000u, 0x372ec4f4u, 0xb6ce94c4u, 0xb76ea2e0u, 0xb7589c7cu, 0xb4d3fa9cu, 0x3700d6a8u, 0xb6fa6ab9u,
        0x36dfc995u, 0x3663659eu, 0x3668227eu, 0xb6ef7659u, 0xb7362333u, 0x37381ce3u, 0xb75f058eu, 0xb5b884fdu,
        0x370d0c4du, 0x37254923u, 0xb5c71755u, 0x3621a272u, 0xb71d4217u, 0xb71d4217u, 0xb691d2fbu, 0xb70df86eu,
        0xb70df86eu, 0xb76f7659u, 0xb73a9314u, 0xb73a9314u, 0x377f97c9u, 0x377f97c9u, 0xb70ecbccu, 0xb70ecbccu,
    },
    {
        0x00000000u, 0xb6566c4du, 0x3492d9f7u, 0xb765170du, 0xb68f5801u, 0x374f5000u, 0xb69d5be7u, 0xb77eb270u,
        0xb589a627u, 0x3676865du, 0x36c055feu, 0xb5d1cfdfu, 0x36ee16a3u, 0xb6201ac7u, 0xb5ad1961u, 0x37307f34u,
        0x36a0463cu, 0xb76a247cu, 0xb7073674u, 0x35f6865du, 0xb5f561c1u, 0xb5f561c1u, 0xb635c813u, 0xb73c5b6au,
        0xb73c5b6au, 0xb651cfdfu, 0xb73119b5u, 0xb73119b5u, 0x3510536fu, 0x3510536fu, 0x37164539u, 0x37164539u,
    },
    {
        0x00000000u, 0xb6bdf222u, 0x3763f336u, 0xb73f251cu, 0x374bd5f8u, 0xb719339bu, 0xb6b17e91u, 0xb6aa4c88u,
        0x36fbc1f8u, 0x35e68b8bu, 0xb7612899u, 0xb47510e2u, 0xb74b6098u, 0xb72fbd4au, 0x37601ef3u, 0x36fe09d7u,
        0x37527330u, 0x370b9770u, 0x36d0dda5u, 0xb74af608u, 0xb64c1834u, 0xb64c1834u, 0xb7631347u, 0x36120236u,
        0x36120236u, 0xb4f510e2u, 0xb66e2954u, 0xb66e2954u, 0x374ef7beu, 0x374ef7beu, 0x36f66150u, 0x36f66150u,
    },
};
/* float32 tanh: S = 0x1.c71c720000000p+1, coefficient k of interval j (degree 6 in u); relative error of the float coefficients <= 5.19e-8 */
alignas(64) constexpr uint32_t kVmTanhF32[7][32] = {
    {
        0x3f7e5364u, 0x3ecc095au, 0x3f1b3998u, 0x3f4144a3u, 0x3f5a447bu, 0x3f69cbf5u, 0x3f731bc2u, 0x3f7892fdu,
        0x3f7bbe09u, 0x3f7d90bau, 0x3f7e9c24u, 0x3f7f3500u, 0x3f7f8c42u, 0x3f7fbe07u, 0x3f7fda67u, 0x3f7fea93u,
        0x3f7ff3cbu, 0x3f7ff90bu, 0x3f7ffc09u, 0x3f7ffdbeu, 0x3f7ffeb7u, 0x3f7fff44u, 0x3f7fff95u, 0x3f7fffc3u,
        0x3f7fffddu, 0x3f7fffecu, 0x3f7ffff5u, 0x3f7ffffau, 0x3f7ffffcu, 0x3f7ffffeu, 0x3f7fffffu, 0x3f7fffffu,
    },
    {
        0xbcd49f94u, 0x3e72434fu, 0x3e361d5bu, 0x3df7b4bbu, 0x3d9d4869u, 0x3d3f29f1u, 0x3ce2349cu, 0x3c83b9f4u,
        0x3c180077u, 0x3bae764eu, 0x3b47a083u, 0x3ae4053bu, 0x3a82186eu, 0x3a145d70u, 0x39a92518u, 0x3940cc9fu,
        0x38dbbd06u, 0x387a6d26u, 0x380eb1f6u, 0x37a29d5fu, 0x3739501bu, 0x36d32d92u, 0x3670a702u, 0x36091eb6u,
        0x359c41e8u, 0x353210d7u, 0x34caeaf2u, 0x34673cf8u, 0x3403c16cu, 0x339624e5u, 0x332b195eu, 0x32c2fa89u,
    },
    {
        0xbccdf356u, 0xbcd9394bu, 0xbcf874aeu, 0xbcd261e0u, 0xbc96dcf5u, 0xbc446829u, 0xbbf1aa86u, 0xbb8fe4bfu,
        0xbb282874u, 0xbac2673eu, 0xba5f5c64u, 0xb9ffba78u, 0xb9921950u, 0xb926be1bu, 0xb8be2dc8u, 0xb858d40bu,
        0xb7f728dcu, 0xb78cd991u, 0xb72085b8u, 0xb6b6ef6eu, 0xb6507912u, 0xb5ed9296u, 0xb5875db8u, 0xb51a4268u,
        0xb4afca0du, 0xb44852e2u, 0xb3e44845u, 0xb3821248u, 0xb3143997u, 0xb2a8e980u, 0xb2407c89u, 0xb1db59d9u,
    },
    {
        0x3ad21dffu, 0xbb560e93u, 0x39fd0da3u, 0x3b145c79u, 0x3b1cb4b6u, 0x3af24bfbu, 0x3aa2c128u, 0x3a4b39c8u,
        0x39f3cfadu, 0x398f05a7u, 0x3925b2b9u, 0x38be9b28u, 0x385a5f5eu, 0x37f99bc9u, 0x378e782fu, 0x37228386u,
        0x36b94ca2u, 0x36533a7du, 0x35f0c0b0u, 0x358930e7u, 0x351c58f3u, 0x34b22c99u, 0x344b0b8du, 0x33e762c2u,
        0x3383d729u, 0x33163dcdu, 0x32ab35d6u, 0x32431b08u, 0x31de55f6u, 0x317d5dc7u, 0x31105d22u, 0x30a48316u,
    },
    {
        0x3a41644du, 0x3a8b9de5u, 0x3a3c0dafu, 0x394e068bu, 0xb8b820fcu, 0xb926714du, 0xb90fd976u, 0xb8c92c6bu,
        0xb87faf9du, 0xb81ab667u, 0xb7b65651u, 0xb753c435u, 0xb6f3ee55u, 0xb68bd6dcu, 0xb61fe922u, 0xb5b696e6u,
        0xb5504e9fu, 0xb4ed882fu, 0xb487641fu, 0xb41a51b5u, 0xb3afe0b0u, 0xb348700eu, 0xb2e46bb5u, 0xb282272fu,
        0xb21451e0u, 0xb1a90579u, 0xb1409c9bu, 0xb0db7e86u, 0xb07a20e0u, 0xb00e84dcu, 0xafa268e9u, 0xaf3913a1u,
    },
    {
        0xb8991074u, 0x3572a325u, 0xb8e40a3bu, 0xb8b0f165u, 0xb80498ceu, 0xb5e52258u, 0x37004e21u, 0x3705b560u,
        0x36c5a387u, 0x368081c1u, 0x361d3aefu, 0x35ba5b61u, 0x355918c6u, 0x34fa7e26u, 0x348fbc8bu, 0x34247467u,
        0x33bbd5a3u, 0x335653dfu, 0x32f46bc1u, 0x328b5351u, 0x321ecefeu, 0x31b4ff5du, 0x314e464cu, 0x30eb12e9u,
        0x3085f1c7u, 0x3018a404u, 0x2fadf20cu, 0x2f463927u, 0x2ee1e396u, 0x2e80b537u, 0x2e12abd3u, 0x2da7243cu,
    },
    {
        0xb7ae8a46u, 0xb803c6f9u, 0xb69628c7u, 0x3718531du, 0x36f351f9u, 0x3643cdadu, 0x35104ce9u, 0xb48ad2c2u,
        0xb4ca2c8au, 0xb4a04bd5u, 0xb455fddcu, 0xb4047d88u, 0xb39dfcd2u, 0xb338a456u, 0xb2d56c15u, 0xb2752bcdu,
        0xb20c5535u, 0xb1a05569u, 0xb136faffu, 0xb0d0b186u, 0xb06def07u, 0xb0079b84u, 0xaf9a8ec1u, 0xaf3024e7u,
        0xaec8bce9u, 0xae64c2b8u, 0xae025894u, 0xad948a0au, 0xad294566u, 0xacc0e567u, 0xac5bd172u, 0xabfa7f5au,
    },
};
/* log: (invc, -log(invc) hi, lo), 256 subintervals, |r| <= 0.0039063 */
alignas(64) constexpr double kVmLogTab[256][4] = {
    {0x1.7400000000000p+0, -0x1.7eaf83b82b000p-2, 0x1.e4da62d0c25adp-49, 0.0},
    {0x1.7300000000000p+0, -0x1.7bede0a37b000p-2, 0x1.018783cb9801ap-48, 0.0},
    {0x1.7200000000000p+0, -0x1.792a55fdd4800p-2, 0x1.760fa896e0161p-48, 0.0},
    {0x1.7100000000000p+0, -0x1.7664e1239d800p-2, -0x1.e76092a29b0a2p-45, 0.0},
    {0x1.7000000000000p+0, -0x1.739d7f6bbd000p-2, -0x1.a7389314feb50p-52, 0.0},
    {0x1.6f00000000000p+0, -0x1.70d42e2789000p-2, -0x1.1aead337ee287p-45, 0.0},
    {0x1.6e00000000000p+0, -0x1.6e08eaa2ba000p-2, -0x1.e38c139318d71p-46, 0.0},
    {0x1.6d00000000000p+0, -0x1.6b3bb22359800p-2, 0x1.e13b50ad99b31p-45, 0.0},
    {0x1.6c00000000000p+0, -0x1.686c81e9b1800p-2, 0x1.a89ddea0f7f59p-45, 0.0},
    {0x1.6b00000000000p+0, -0x1.659b57303e000p-2, -0x1.f281db0af8efcp-46, 0.0},
    {0x1.6a00000000000p+0, -0x1.62c82f2b9c800p-2, 0x1.ab42428375680p-48, 0.0},
    {0x1.6900000000000p+0, -0x1.5ff3070a79000p-2, -0x1.e9e439f105039p-45, 0.0},
    {0x1.6800000000000p+0, -0x1.5d1bdbf580800p-2, -0x1.ca508d8e0f720p-46, 0.0},
    {0x1.6700000000000p+0, -0x1.5a42ab0f4d000p-2, 0x1.e63af2df7ba69p-50, 0.0},
    {0x1.6600000000000p+0, -0x1.5767717455800p-2, -0x1.362a4d5b6506dp-45, 0.0},
    {0x1.6500000000000p+0, -0x1.548a2c3add000p-2, -0x1.3167e63081cf7p-45, 0.0},
    {0x1.6400000000000p+0, -0x1.51aad872df800p-2, -0x1.684e49eb067d5p-49, 0.0},
    {0x1.6300000000000p+0, -0x1.4ec9732600000p-2, -0x1.34d7aaf04d104p-45, 0.0},
    {0x1.6200000000000p+0, -0x1.4be5f95777800p-2, -0x1.41b6993293ee0p-47, 0.0},
    {0x1.6100000000000p+0, -0x1.4900680400800p-2, -0x1.d0cc00797c1d1p-46, 0.0},
    {0x1.6000000000000p+0, -0x1.4618bc21c6000p-2, 0x1.3d82f484c84ccp-46, 0.0},
    {0x1.5f00000000000p+0, -0x1.432ef2a04e800p-2, -0x1.3b59b3a3a94dcp-50, 0.0},
    {0x1.5e00000000000p+0, -0x1.404308686a800p-2, 0x1.c42f3ed820b3ap-50, 0.0},
    {0x1.5d00000000000p+0, -0x1.3d54fa5c1f800p-2, 0x1.e0f1932e350e5p-47, 0.0},
    {0x1.5c00000000000p+0, -0x1.3a64c55694800p-2, 0x1.0b1c686519460p-45, 0.0},
    {0x1.5b00000000000p+0, -0x1.3772662bfd800p-2, -0x1.6bc953ac4fdd0p-48, 0.0},
    {0x1.5a00000000000p+0, -0x1.347dd9a988000p-2, 0x1.5594dd4c58092p-45, 0.0},
    {0x1.5900000000000p+0, -0x1.31871c9544000p-2, -0x1.84fab94cecfd9p-46, 0.0},
    {0x1.5800000000000p+0, -0x1.2e8e2bae12000p-2, 0x1.67b1e99b72bd8p-45, 0.0},
    {0x1.5800000000000p+0, -0x1.2e8e2bae12000p-2, 0x1.67b1e99b72bd8p-45, 0.0},
    {0x1.5700000000000p+0, -0x1.2b9303ab8a000p-2, 0x1.6db12d6bfb0a5p-45, 0.0},
    {0x1.5600000000000p+0, -0x1.2895a13de8800p-2, 0x1.5ca14b6cfb03fp-46, 0.0},
    {0x1.5500000000000p+0, -0x1.2596010df7800p-2, 0x1.c610f76c57076p-46, 0.0},
    {0x1.5400000000000p+0, -0x1.22941fbcf7800p-2, -0x1.65a242853da76p-46, 0.0},
    {0x1.5300000000000p+0, -0x1.1f8ff9e48a000p-2, -0x1.7946c040cbe77p-45, 0.0},
    {0x1.5200000000000p+0, -0x1.1c898c1699800p-2, -0x1.fafbc68e75404p-46, 0.0},
    {0x1.5100000000000p+0, -0x1.1980d2dd42000p-2, -0x1.b7b3a7a361c9ap-45, 0.0},
    {0x1.5100000000000p+0, -0x1.1980d2dd42000p-2, -0x1.b7b3a7a361c9ap-45, 0.0},
    {0x1.5000000000000p+0, -0x1.1675cababa800p-2, 0x1.f1fc63382a8f0p-46, 0.0},
    {0x1.4f00000000000p+0, -0x1.136870293a800p-2, -0x1.60bdb314c76e9p-47, 0.0},
    {0x1.4e00000000000p+0, -0x1.1058bf9ae4800p-2, -0x1.6a8c4fd055a66p-45, 0.0},
    {0x1.4d00000000000p+0, -0x1.0d46b579ab800p-2, 0x1.69bf04df8f0d1p-47, 0.0},
    {0x1.4c00000000000p+0, -0x1.0a324e2739000p-2, -0x1.c6bee7ef4030ep-47, 0.0},
    {0x1.4b00000000000p+0, -0x1.071b85fcd5800p-2, -0x1.0d1d1707f97bep-46, 0.0},
    {0x1.4b00000000000p+0, -0x1.071b85fcd5800p-2, -0x1.0d1d1707f97bep-46, 0.0},
    {0x1.4a00000000000p+0, -0x1.0402594b4d000p-2, -0x1.036b89ef42d7fp-48, 0.0},
    {0x1.4900000000000p+0, -0x1.00e6c45ad5000p-2, -0x1.cc68d52e01203p-50, 0.0},
    {0x1.4800000000000p+0, -0x1.fb9186d5e4000p-3, 0x1.d572aab993c87p-47, 0.0},
    {0x1.4700000000000p+0, -0x1.f550a564b8000p-3, 0x1.323e3a09202fep-45, 0.0},
    {0x1.4600000000000p+0, -0x1.ef0adcbdc6000p-3, 0x1.b26b79c86af24p-45, 0.0},
    {0x1.4600000000000p+0, -0x1.ef0adcbdc6000p-3, 0x1.b26b79c86af24p-45, 0.0},
    {0x1.4500000000000p+0, -0x1.e8c0252aa6000p-3, 0x1.6805b80e8e6ffp-45, 0.0},
    {0x1.4400000000000p+0, -0x1.e27076e2af000p-3, -0x1.72f4f543fff10p-46, 0.0},
    {0x1.4300000000000p+0, -0x1.dc1bca0abf000p-3, 0x1.c14f9675ccce9p-46, 0.0},
    {0x1.4200000000000p+0, -0x1.d5c216b4fc000p-3, 0x1.1ba91bbca681bp-45, 0.0},
    {0x1.4200000000000p+0, -0x1.d5c216b4fc000p-3, 0x1.1ba91bbca681bp-45, 0.0},
    {0x1.4100000000000p+0, -0x1.cf6354e09c000p-3, -0x1.771239a07d55bp-45, 0.0},
    {0x1.4000000000000p+0, -0x1.c8ff7c79aa000p-3, 0x1.7794f689f8434p-45, 0.0},
    {0x1.3f00000000000p+0, -0x1.c2968558c2000p-3, 0x1.cfd73dee38a40p-45, 0.0},
    {0x1.3f00000000000p+0, -0x1.c2968558c2000p-3, 0x1.cfd73dee38a40p-45, 0.0},
    {0x1.3e00000000000p+0, -0x1.bc286742d9000p-3, 0x1.94eb0318bb78fp-46, 0.0},
    {0x1.3d00000000000p+0, -0x1.b5b519e8fb000p-3, -0x1.691ba27fdc19ep-45, 0.0},
    {0x1.3c00000000000p+0, -0x1.af3c94e80c000p-3, 0x1.a4e633fcd9066p-52, 0.0},
    {0x1.3b00000000000p+0, -0x1.a8becfc883000p-3, 0x1.ce7a30de4630ep-48, 0.0},
    {0x1.3b00000000000p+0, -0x1.a8becfc883000p-3, 0x1.ce7a30de4630ep-48, 0.0},
    {0x1.3a00000000000p+0, -0x1.a23bc1fe2b000p-3, -0x1.58c64dc46c1eap-45, 0.0},
    {0x1.3900000000000p+0, -0x1.9bb362e7e0000p-3, 0x1.1f2a8a1ce0ffcp-45, 0.0},
    {0x1.3800000000000p+0, -0x1.9525a9cf45000p-3, -0x1.ad1d904c1d4e3p-45, 0.0},
    {0x1.3800000000000p+0, -0x1.9525a9cf45000p-3, -0x1.ad1d904c1d4e3p-45, 0.0},
    {0x1.3700000000000p+0, -0x1.8e928de887000p-3, 0x1.5faad3b0a34adp-46, 0.0},
    {0x1.3600000000000p+0, -0x1.87fa06520d000p-3, 0x1.bbdbf7fdbfa09p-45, 0.0},
    {0x1.3500000000000p+0, -0x1.815c0a1435000p-3, -0x1.fab5a0dbfc630p-45, 0.0},
    {0x1.3500000000000p+0, -0x1.815c0a1435000p-3, -0x1.fab5a0dbfc630p-45, 0.0},
    {0x1.3400000000000p+0, -0x1.7ab890210e000p-3, 0x1.bdb9072534a58p-45, 0.0},
    {0x1.3300000000000p+0, -0x1.740f8f5403000p-3, -0x1.e9326cdfceabep-45, 0.0},
    {0x1.3300000000000p+0, -0x1.740f8f5403000p-3, -0x1.e9326cdfceabep-45, 0.0},
    {0x1.3200000000000p+0, -0x1.6d60fe719d000p-3, -0x1.0e46aa3b2e266p-46, 0.0},
    {0x1.3100000000000p+0, -0x1.66acd4272b000p-3, 0x1.5790900e4e1ebp-46, 0.0},
    {0x1.3000000000000p+0, -0x1.5ff3070a79000p-3, -0x1.e9e439f105039p-46, 0.0},
    {0x1.3000000000000p+0, -0x1.5ff3070a79000p-3, -0x1.e9e439f105039p-46, 0.0},
    {0x1.2f00000000000p+0, -0x1.59338d9982000p-3, -0x1.0ba68b7555d4ap-48, 0.0},
    {0x1.2e00000000000p+0, -0x1.526e5e3a1b000p-3, -0x1.0de8b90075b8fp-45, 0.0},
    {0x1.2e00000000000p+0, -0x1.526e5e3a1b000p-3, -0x1.0de8b90075b8fp-45, 0.0},
    {0x1.2d00000000000p+0, -0x1.4ba36f39a5000p-3, -0x1.79568981bcc36p-45, 0.0},
    {0x1.2c00000000000p+0, -0x1.44d2b6ccb8000p-3, 0x1.70cc16135783cp-46, 0.0},
    {0x1.2c00000000000p+0, -0x1.44d2b6ccb8000p-3, 0x1.70cc16135783cp-46, 0.0},
    {0x1.2b00000000000p+0, -0x1.3dfc2b0ecc000p-3, -0x1.8a72a62b8c13fp-45, 0.0},
    {0x1.2a00000000000p+0, -0x1.371fc201e9000p-3, 0x1.178864d27543ap-48, 0.0},
    {0x1.2a00000000000p+0, -0x1.371fc201e9000p-3, 0x1.178864d27543ap-48, 0.0},
    {0x1.2900000000000p+0, -0x1.303d718e48000p-3, 0x1.680b5ce3ecb05p-50, 0.0},
    {0x1.2800000000000p+0, -0x1.29552f81ff000p-3, -0x1.48d301771c408p-45, 0.0},
    {0x1.2800000000000p+0, -0x1.29552f81ff000p-3, -0x1.48d301771c408p-45, 0.0},
    {0x1.2700000000000p+0, -0x1.2266f190a6000p-3, 0x1.4d20ab840e7f6p-45, 0.0},
    {0x1.2600000000000p+0, -0x1.1b72ad52f6000p-3, -0x1.e80a41811a396p-45, 0.0},
    {0x1.2600000000000p+0, -0x1.1b72ad52f6000p-3, -0x1.e80a41811a396p-45, 0.0},
    {0x1.2500000000000p+0, -0x1.1478584674000p-3, -0x1.563451027c750p-46, 0.0},
    {0x1.2400000000000p+0, -0x1.0d77e7cd09000p-3, 0x1.a699688e85bf4p-47, 0.0},
    {0x1.2400000000000p+0, -0x1.0d77e7cd09000p-3, 0x1.a699688e85bf4p-47, 0.0},
    {0x1.2300000000000p+0, -0x1.0671512ca6000p-3, 0x1.a47579cdc0a3dp-45, 0.0},
    {0x1.2200000000000p+0, -0x1.fec9131dbe000p-4, -0x1.575545ca333f2p-45, 0.0},
    {0x1.2200000000000p+0, -0x1.fec9131dbe000p-4, -0x1.575545ca333f2p-45, 0.0},
    {0x1.2100000000000p+0, -0x1.f0a30c0116000p-4, -0x1.5330be64b8b77p-47, 0.0},
    {0x1.2000000000000p+0, -0x1.e27076e2b0000p-4, 0x1.a342c2af0003cp-45, 0.0},
    {0x1.2000000000000p+0, -0x1.e27076e2b0000p-4, 0x1.a342c2af0003cp-45, 0.0},
    {0x1.1f00000000000p+0, -0x1.d4313d66cc000p-4, 0x1.9454379135713p-45, 0.0},
    {0x1.1e00000000000p+0, -0x1.c5e548f5bc000p-4, -0x1.d0c57585fbe06p-46, 0.0},
    {0x1.1e00000000000p+0, -0x1.c5e548f5bc000p-4, -0x1.d0c57585fbe06p-46, 0.0},
    {0x1.1d00000000000p+0, -0x1.b78c82bb0e000p-4, -0x1.b4210878cf032p-45, 0.0},
    {0x1.1d00000000000p+0, -0x1.b78c82bb0e000p-4, -0x1.b4210878cf032p-45, 0.0},
    {0x1.1c00000000000p+0, -0x1.a926d3a4ae000p-4, 0x1.53935e85baac8p-45, 0.0},
    {0x1.1b00000000000p+0, -0x1.9ab4246204000p-4, 0x1.8a64826787061p-45, 0.0},
    {0x1.1b00000000000p+0, -0x1.9ab4246204000p-4, 0x1.8a64826787061p-45, 0.0},
    {0x1.1a00000000000p+0, -0x1.8c345d631a000p-4, 0x1.37c294d2f5668p-46, 0.0},
    {0x1.1a00000000000p+0, -0x1.8c345d631a000p-4, 0x1.37c294d2f5668p-46, 0.0},
    {0x1.1900000000000p+0, -0x1.7da766d7b2000p-4, 0x1.a66f776fe6ecap-45, 0.0},
    {0x1.1800000000000p+0, -0x1.6f0d28ae56000p-4, -0x1.69737c93373dap-45, 0.0},
    {0x1.1800000000000p+0, -0x1.6f0d28ae56000p-4, -0x1.69737c93373dap-45, 0.0},
    {0x1.1700000000000p+0, -0x1.60658a9376000p-4, 0x1.e789c422c7611p-45, 0.0},
    {0x1.1700000000000p+0, -0x1.60658a9376000p-4, 0x1.e789c422c7611p-45, 0.0},
    {0x1.1600000000000p+0, -0x1.51b073f062000p-4, 0x1.f025b61c65e57p-46, 0.0},
    {0x1.1500000000000p+0, -0x1.42edcbea64000p-4, -0x1.bc0eeea7c9acdp-46, 0.0},
    {0x1.1500000000000p+0, -0x1.42edcbea64000p-4, -0x1.bc0eeea7c9acdp-46, 0.0},
    {0x1.1400000000000p+0, -0x1.341d7961be000p-4, 0x1.c5edaccf913dfp-45, 0.0},
    {0x1.1400000000000p+0, -0x1.341d7961be000p-4, 0x1.c5edaccf913dfp-45, 0.0},
    {0x1.1300000000000p+0, -0x1.253f62f0a2000p-4, 0x1.7d20e092cb1fep-45, 0.0},
    {0x1.1200000000000p+0, -0x1.16536eea38000p-4, 0x1.47c5e768fa309p-46, 0.0},
    {0x1.1200000000000p+0, -0x1.16536eea38000p-4, 0x1.47c5e768fa309p-46, 0.0},
    {0x1.1100000000000p+0, -0x1.075983598e000p-4, -0x1.1c4c06d2999e2p-46, 0.0},
    {0x1.1100000000000p+0, -0x1.075983598e000p-4, -0x1.1c4c06d2999e2p-46, 0.0},
    {0x1.1000000000000p+0, -0x1.f0a30c0118000p-5, 0x1.d599e83368e91p-45, 0.0},
    {0x1.1000000000000p+0, -0x1.f0a30c0118000p-5, 0x1.d599e83368e91p-45, 0.0},
    {0x1.0f00000000000p+0, -0x1.d276b8adb0000p-5, -0x1.6a423c78a64b0p-46, 0.0},
    {0x1.0f00000000000p+0, -0x1.d276b8adb0000p-5, -0x1.6a423c78a64b0p-46, 0.0},
    {0x1.0e00000000000p+0, -0x1.b42dd71198000p-5, 0x1.c827ae5d6704cp-46, 0.0},
    {0x1.0d00000000000p+0, -0x1.95c830ec90000p-5, 0x1.c148297c5feb8p-45, 0.0},
    {0x1.0d00000000000p+0, -0x1.95c830ec90000p-5, 0x1.c148297c5feb8p-45, 0.0},
    {0x1.0c00000000000p+0, -0x1.77458f632c000p-5, -0x1.cfc4634f2a1eep-45, 0.0},
    {0x1.0c00000000000p+0, -0x1.77458f632c000p-5, -0x1.cfc4634f2a1eep-45, 0.0},
    {0x1.0b00000000000p+0, -0x1.58a5bafc90000p-5, 0x1.b2b739570ad39p-45, 0.0},
    {0x1.0b00000000000p+0, -0x1.58a5bafc90000p-5, 0x1.b2b739570ad39p-45, 0.0},
    {0x1.0a00000000000p+0, -0x1.39e87b9fec000p-5, 0x1.502b7f526feaap-48, 0.0},
    {0x1.0a00000000000p+0, -0x1.39e87b9fec000p-5, 0x1.502b7f526feaap-48, 0.0},
    {0x1.0900000000000p+0, -0x1.1b0d98923c000p-5, -0x1.97fc2ca2eec8ap-45, 0.0},
    {0x1.0900000000000p+0, -0x1.1b0d98923c000p-5, -0x1.97fc2ca2eec8ap-45, 0.0},
    {0x1.0800000000000p+0, -0x1.f829b0e780000p-6, -0x1.980267c7e09e4p-45, 0.0},
    {0x1.0700000000000p+0, -0x1.b9fc027af8000p-6, -0x1.197fbd465b759p-46, 0.0},
    {0x1.0700000000000p+0, -0x1.b9fc027af8000p-6, -0x1.197fbd465b759p-46, 0.0},
    {0x1.0600000000000p+0, -0x1.7b91b07d58000p-6, -0x1.88d5493faa639p-45, 0.0},
    {0x1.0600000000000p+0, -0x1.7b91b07d58000p-6, -0x1.88d5493faa639p-45, 0.0},
    {0x1.0500000000000p+0, -0x1.3cea443468000p-6, -0x1.2ba779a52b7eap-45, 0.0},
    {0x1.0500000000000p+0, -0x1.3cea443468000p-6, -0x1.2ba779a52b7eap-45, 0.0},
    {0x1.0400000000000p+0, -0x1.fc0a8b0fc0000p-7, -0x1.f1e7cf6d3a69cp-50, 0.0},
    {0x1.0400000000000p+0, -0x1.fc0a8b0fc0000p-7, -0x1.f1e7cf6d3a69cp-50, 0.0},
    {0x1.0300000000000p+0, -0x1.7dc475f810000p-7, -0x1.4edba4a25e0b1p-48, 0.0},
    {0x1.0300000000000p+0, -0x1.7dc475f810000p-7, -0x1.4edba4a25e0b1p-48, 0.0},
    {0x1.0200000000000p+0, -0x1.fe02a6b100000p-8, -0x1.9e23f0dda40e4p-46, 0.0},
    {0x1.0200000000000p+0, -0x1.fe02a6b100000p-8, -0x1.9e23f0dda40e4p-46, 0.0},
    {0x1.0100000000000p+0, -0x1.ff00aa2b00000p-9, -0x1.0bc04a086b56ap-45, 0.0},
    {0x1.0100000000000p+0, -0x1.ff00aa2b00000p-9, -0x1.0bc04a086b56ap-45, 0.0},
    {0x1.0000000000000p+0, 0x0.0p+0, 0x0.0p+0, 0.0},
    {0x1.0000000000000p+0, 0x0.0p+0, 0x0.0p+0, 0.0},
    {0x1.fd00000000000p-1, 0x1.8121214580000p-8, 0x1.ad50382973f27p-46, 0.0},
    {0x1.fb00000000000p-1, 0x1.41929f9680000p-7, 0x1.977c755d01368p-46, 0.0},
    {0x1.f900000000000p-1, 0x1.c317384c70000p-7, 0x1.7c19806208c05p-45, 0.0},
    {0x1.f700000000000p-1, 0x1.228fb1fea0000p-6, 0x1.713e3284991fep-45, 0.0},
    {0x1.f500000000000p-1, 0x1.63d6178690000p-6, 0x1.7abf389596542p-47, 0.0},
    {0x1.f300000000000p-1, 0x1.a55f548c60000p-6, -0x1.de0709f2d03c9p-45, 0.0},
    {0x1.f100000000000p-1, 0x1.e72bf28140000p-6, -0x1.8d75149774d47p-45, 0.0},
    {0x1.f000000000000p-1, 0x1.0415d89e74000p-5, 0x1.111c05cf1d753p-47, 0.0},
    {0x1.ee00000000000p-1, 0x1.252f32f8d0000p-5, 0x1.83e9ae021b67bp-45, 0.0},
    {0x1.ec00000000000p-1, 0x1.466aed42e0000p-5, -0x1.c167375bdfd28p-45, 0.0},
    {0x1.ea00000000000p-1, 0x1.67c94f2d4c000p-5, -0x1.29efbec19afa2p-47, 0.0},
    {0x1.e800000000000p-1, 0x1.894aa149fc000p-5, -0x1.97995d05a267dp-46, 0.0},
    {0x1.e600000000000p-1, 0x1.aaef2d0fb0000p-5, 0x1.0fc1a353bb42ep-45, 0.0},
    {0x1.e500000000000p-1, 0x1.bbcebfc690000p-5, -0x1.7bf868c317c2ap-46, 0.0},
    {0x1.e300000000000p-1, 0x1.dda8adc680000p-5, -0x1.1b1ac64d9e42fp-45, 0.0},
    {0x1.e100000000000p-1, 0x1.ffa6911ab8000p-5, 0x1.3008c98381a8fp-45, 0.0},
    {0x1.df00000000000p-1, 0x1.10e45b3cae000p-4, 0x1.0612daf6b9737p-45, 0.0},
    {0x1.dd00000000000p-1, 0x1.2207b5c786000p-4, -0x1.6c4e607de7082p-45, 0.0},
    {0x1.dc00000000000p-1, 0x1.2aa04a4472000p-4, -0x1.0b6e8ae9c697dp-45, 0.0},
    {0x1.da00000000000p-1, 0x1.3bdf5a7d1e000p-4, 0x1.cc85ea5db4ed7p-45, 0.0},
    {0x1.d800000000000p-1, 0x1.4d3115d208000p-4, -0x1.53a2582f4e1efp-48, 0.0},
    {0x1.d700000000000p-1, 0x1.55e10050e0000p-4, 0x1.c1d740c53c72ep-47, 0.0},
    {0x1.d500000000000p-1, 0x1.674f089366000p-4, -0x1.6199acd8b33f9p-46, 0.0},
    {0x1.d300000000000p-1, 0x1.78d02263d8000p-4, 0x1.69b5794b69fb7p-47, 0.0},
    {0x1.d200000000000p-1, 0x1.8197e2f40e000p-4, 0x1.f80dcf96ffdf7p-47, 0.0},
    {0x1.d000000000000p-1, 0x1.9335e5d594000p-4, 0x1.3115c3abd47dap-45, 0.0},
    {0x1.ce00000000000p-1, 0x1.a4e7640b1c000p-4, -0x1.e42b6b94407c8p-47, 0.0},
    {0x1.cd00000000000p-1, 0x1.adc77ee5ae000p-4, 0x1.5189bec79cdf7p-45, 0.0},
    {0x1.cb00000000000p-1, 0x1.bf968769fc000p-4, 0x1.4218c8d824283p-45, 0.0},
    {0x1.c900000000000p-1, 0x1.d17978821a000p-4, -0x1.9379894208225p-45, 0.0},
    {0x1.c800000000000p-1, 0x1.da72763844000p-4, 0x1.a89401fa71733p-46, 0.0},
    {0x1.c600000000000p-1, 0x1.ec739830a2000p-4, -0x1.dc068afe645e0p-45, 0.0},
    {0x1.c500000000000p-1, 0x1.f57bc7d900000p-4, 0x1.76a6c9ea8b04ep-46, 0.0},
    {0x1.c300000000000p-1, 0x1.03cdc0a51f000p-3, -0x1.f958c3a580e90p-46, 0.0},
    {0x1.c200000000000p-1, 0x1.08598b59e4000p-3, -0x1.7e5dd7009902cp-45, 0.0},
    {0x1.c000000000000p-1, 0x1.1178e8227e000p-3, 0x1.1ef78ce2d07f2p-45, 0.0},
    {0x1.bf00000000000p-1, 0x1.160c8024b2000p-3, 0x1.ec2d2a9009e3dp-45, 0.0},
    {0x1.bd00000000000p-1, 0x1.1f3b925f26000p-3, -0x1.5f74e9b083633p-46, 0.0},
    {0x1.bc00000000000p-1, 0x1.23d712a49c000p-3, 0x1.00d238fd3df5cp-46, 0.0},
    {0x1.ba00000000000p-1, 0x1.2d1610c868000p-3, 0x1.39d6ccb81b4a1p-47, 0.0},
    {0x1.b900000000000p-1, 0x1.31b994d3a5000p-3, -0x1.ece238b5efe06p-49, 0.0},
    {0x1.b700000000000p-1, 0x1.3b08b6757f000p-3, 0x1.5485c35b37c15p-46, 0.0},
    {0x1.b600000000000p-1, 0x1.3fb45a5993000p-3, -0x1.cd1d87e6a354dp-45, 0.0},
    {0x1.b400000000000p-1, 0x1.4913d8333b000p-3, 0x1.5837954fdb678p-45, 0.0},
    {0x1.b300000000000p-1, 0x1.4dc7b897bc000p-3, 0x1.c79b60ae1ff0fp-47, 0.0},
    {0x1.b100000000000p-1, 0x1.5737cc9019000p-3, -0x1.91561651de028p-46, 0.0},
    {0x1.b000000000000p-1, 0x1.5bf406b544000p-3, -0x1.27023eb68981cp-46, 0.0},
    {0x1.ae00000000000p-1, 0x1.6574ebe8c1000p-3, 0x1.9cf8b2c3c2e78p-46, 0.0},
    {0x1.ad00000000000p-1, 0x1.6a399dabbd000p-3, 0x1.c1b2c6657a967p-46, 0.0},
    {0x1.ac00000000000p-1, 0x1.6f0128b757000p-3, -0x1.5118de59c21e1p-45, 0.0},
    {0x1.aa00000000000p-1, 0x1.7898d85445000p-3, -0x1.c661070914305p-46, 0.0},
    {0x1.a900000000000p-1, 0x1.7d6903caf6000p-3, -0x1.4c06b17c301d7p-45, 0.0},
    {0x1.a700000000000p-1, 0x1.871213750f000p-3, -0x1.9ae297a0ca116p-45, 0.0},
    {0x1.a600000000000p-1, 0x1.8beafeb390000p-3, -0x1.73d54aae92cd1p-47, 0.0},
    {0x1.a500000000000p-1, 0x1.90c6db9fcc000p-3, -0x1.935f57718d7cap-46, 0.0},
    {0x1.a300000000000p-1, 0x1.9a8778debb000p-3, -0x1.71e0b820278e0p-45, 0.0},
    {0x1.a200000000000p-1, 0x1.9f6c407089000p-3, 0x1.9904d6865817ap-45, 0.0},
    {0x1.a100000000000p-1, 0x1.a454082e6b000p-3, -0x1.3eb106fc11d1ep-45, 0.0},
    {0x1.9f00000000000p-1, 0x1.ae2ca6f673000p-3, -0x1.0ae54a356155fp-45, 0.0},
    {0x1.9e00000000000p-1, 0x1.b31d8575bd000p-3, -0x1.c358d4eace1aap-47, 0.0},
    {0x1.9d00000000000p-1, 0x1.b811730b82000p-3, 0x1.e90683b9cd768p-46, 0.0},
    {0x1.9c00000000000p-1, 0x1.bd087383be000p-3, -0x1.d4bc4595412b6p-45, 0.0},
    {0x1.9a00000000000p-1, 0x1.c6ffbc6f01000p-3, -0x1.1ec72c5962bd2p-48, 0.0},
    {0x1.9900000000000p-1, 0x1.cc000c9db4000p-3, -0x1.d6d585d57aff9p-46, 0.0},
    {0x1.9800000000000p-1, 0x1.d1037f2656000p-3, -0x1.84a7e75b6f6e4p-47, 0.0},
    {0x1.9600000000000p-1, 0x1.db13db0d49000p-3, -0x1.aff2af715b035p-45, 0.0},
    {0x1.9500000000000p-1, 0x1.e020cc6236000p-3, -0x1.52b00adb91424p-45, 0.0},
    {0x1.9400000000000p-1, 0x1.e530effe71000p-3, 0x1.212276041f430p-51, 0.0},
    {0x1.9300000000000p-1, 0x1.ea4449f04b000p-3, -0x1.42dd33919ab94p-45, 0.0},
    {0x1.9100000000000p-1, 0x1.f474b134df000p-3, 0x1.146d838821289p-46, 0.0},
    {0x1.9000000000000p-1, 0x1.f991c6cb3b000p-3, 0x1.bcbecca0cdf30p-46, 0.0},
    {0x1.8f00000000000p-1, 0x1.feb2233ea0000p-3, 0x1.f3418de00938bp-45, 0.0},
    {0x1.8e00000000000p-1, 0x1.01eae5626c800p-2, -0x1.6f08c1485e94ap-46, 0.0},
    {0x1.8d00000000000p-1, 0x1.047e60cde8000p-2, 0x1.dbdf10d397f3cp-45, 0.0},
    {0x1.8b00000000000p-1, 0x1.09aa572e6c800p-2, -0x1.2bd787a32f2f6p-46, 0.0},
    {0x1.8a00000000000p-1, 0x1.0c42d67616000p-2, 0x1.7188b163ceae9p-45, 0.0},
    {0x1.8900000000000p-1, 0x1.0edd060b78000p-2, 0x1.019b52d8435f5p-47, 0.0},
    {0x1.8800000000000p-1, 0x1.1178e8227e800p-2, -0x1.c210e63a5f01cp-45, 0.0},
    {0x1.8700000000000p-1, 0x1.14167ef367800p-2, -0x1.f3f87db2550acp-48, 0.0},
    {0x1.8600000000000p-1, 0x1.16b5ccbacf800p-2, 0x1.b9acdf7a51681p-45, 0.0},
    {0x1.8400000000000p-1, 0x1.1bf99635a6800p-2, 0x1.ca6ed5147bdb7p-45, 0.0},
    {0x1.8300000000000p-1, 0x1.1e9e167889800p-2, 0x1.f4544b0dd2688p-46, 0.0},
    {0x1.8200000000000p-1, 0x1.214456d0eb800p-2, 0x1.a87deba46baeap-47, 0.0},
    {0x1.8100000000000p-1, 0x1.23ec5991eb800p-2, 0x1.248376eba35bcp-45, 0.0},
    {0x1.8000000000000p-1, 0x1.269621134d800p-2, 0x1.c93c1df5bb3b6p-45, 0.0},
    {0x1.7f00000000000p-1, 0x1.2941afb186800p-2, 0x1.bde7a919e3aebp-45, 0.0},
    {0x1.7e00000000000p-1, 0x1.2bef07cdc9000p-2, 0x1.a9cfa4a5004f4p-45, 0.0},
    {0x1.7c00000000000p-1, 0x1.314f1e1d36000p-2, -0x1.8e27ad3213cb8p-45, 0.0},
    {0x1.7b00000000000p-1, 0x1.3401e12aec800p-2, 0x1.d07195523adc6p-45, 0.0},
    {0x1.7a00000000000p-1, 0x1.36b6776be1000p-2, 0x1.16ecdb0f177c8p-46, 0.0},
    {0x1.7900000000000p-1, 0x1.396ce359bc000p-2, -0x1.5839c5663663dp-47, 0.0},
    {0x1.7800000000000p-1, 0x1.3c25277333000p-2, 0x1.83b54b606bd5cp-46, 0.0},
    {0x1.7700000000000p-1, 0x1.3edf463c16800p-2, 0x1.f307ad01a7821p-49, 0.0},
    {0x1.7600000000000p-1, 0x1.419b423d5e800p-2, 0x1.8e436ec90e09dp-47, 0.0},
    {0x1.7500000000000p-1, 0x1.44591e053a000p-2, -0x1.6e95892923d88p-47, 0.0},
};

/* tab[idx] per lane: one load each (a lane loop; AVX2's gathers are no faster on the CPUs here). */
template <class R, class I, class T> VM_INLINE R vm_lookup(const T *tab, I idx) {
    if constexpr (lanes_of<R>() == 1) {
        return static_cast<R>(tab[idx]);
    } else {
        R out;
        for (size_t i = 0; i < lanes_of<R>(); i++) out[i] = tab[idx[i]];
        return out;
    }
}

/* tab[idx] and tab[idx + 1] per lane, 64-bit entries (idx even: a 16-byte row). Four lanes (AVX2):
 * one 16-byte load per lane and two unpacks give both vectors, against eight scalar loads and
 * their lane inserts (the vector unit's shuffles are what these kernels are short of). */
template <class R, class I, class T> VM_INLINE void vm_lookup2(const T *tab, I idx, R &a, R &b) {
#if defined(__AVX2__)
    if constexpr (sizeof(R) == 32 && lanes_of<R>() == 4) {
        const auto row = [&](size_t i) __attribute__((always_inline)) {
            return _mm_loadu_si128(reinterpret_cast<const __m128i *>(tab + idx[i]));
        };
        const __m256i p02 = _mm256_inserti128_si256(_mm256_castsi128_si256(row(0)), row(2), 1);
        const __m256i p13 = _mm256_inserti128_si256(_mm256_castsi128_si256(row(1)), row(3), 1);
        a = (R)_mm256_unpacklo_epi64(p02, p13);
        b = (R)_mm256_unpackhi_epi64(p02, p13);
        return;
    }
#endif
#if defined(__AVX512F__)
    /* Eight lanes: two gathers (faster on Sapphire Rapids than building the rows from 16-byte
     * loads, inserts and unpacks, which run out of shuffle port); the masked form with a zero
     * source, since GCC 12's plain one warns of its undefined pass-through operand */
    if constexpr (sizeof(R) == 64 && lanes_of<R>() == 8) {
        const __m512i z = _mm512_setzero_si512();
        a = (R)_mm512_mask_i64gather_epi64(z, 0xff, (__m512i)idx, tab, 8);
        b = (R)_mm512_mask_i64gather_epi64(z, 0xff, (__m512i)idx, tab + 1, 8);
        return;
    }
#endif
    a = vm_lookup<R>(tab, idx);
    b = vm_lookup<R>(tab + 1, idx);
}

/* ---------------------------------------------------------------- exp family (float64) */

/* e^r - 1 for r + rr (|rr| <= 2^-52 |r|, |r| <= ln2/2 + a little) as exact parts and a tail:
 * r + h + tail, h = r^2/2 rounded (its error is in the tail). */
template <class V> VM_INLINE V vm_expm1_tail(V r, V rr, V &h) {
    const V r2 = r * r;
    h = vm_c<V>(0.5) * r2;
    const V hl = vm_c<V>(0.5) * vm_fma(r, r, -r2);
    return hl + (rr + r * r2 * vm_poly_estrin(r, VmK<V>::kExpP));
}

/* A 16-entry table of 64-bit entries, for vm_tab (float64 tables as their bits). */
struct VmTab16 {
    alignas(64) uint64_t v[16];
};
constexpr VmTab16 vm_tab16_bits(const double (&d)[16]) {
    VmTab16 t{};
    for (int i = 0; i < 16; i++) t.v[i] = __builtin_bit_cast(uint64_t, d[i]);
    return t;
}
/* A 16-entry table's index from i's low four bits (vpermt2q reads no others: no mask there). */
template <class V> VM_INLINE VmI<V> vm_tab16_idx(VmI<V> i) {
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64) return i;
#endif
    return i & vm_ci<V>(15);
}

/* tab[idx] per lane from a table of two registers' worth of lanes (16 64-bit entries for 8-lane
 * float64, 32 32-bit ones for 16-lane float32), idx in range: on AVX-512 one vpermt2q / vpermt2d
 * from the table held in two registers (loaded once per loop), against an extraction, a load and
 * an insert per lane; other widths look up lane by lane. */
template <class V, class T> VM_INLINE VmI<V> vm_tab(const T *tab, VmI<V> idx) {
    static_assert(sizeof(T) == sizeof(ElemOf<V>), "entries as wide as the lanes");
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64) {
        const __m512i t0 = _mm512_load_si512(tab), t1 = _mm512_load_si512(tab + 64 / sizeof(T));
        if constexpr (sizeof(T) == 8)
            return (VmI<V>)_mm512_permutex2var_epi64(t0, (__m512i)idx, t1);
        else
            return (VmI<V>)_mm512_permutex2var_epi32(t0, (__m512i)idx, t1);
    }
#endif
    return vm_lookup<VmI<V>>(reinterpret_cast<const std::make_signed_t<T> *>(tab), idx);
}

/* float64 e^(hi + lo) 2^ADJ by the table (the glibc / ARM optimized-routines exp with N = 16, so
 * that the table fits two registers): kd = k + j/16 nearest to x / ln2 by one FMA into s = kd +
 * 1.5 2^48 (j: s's low four bits), x = kd ln2 + r, |r| <= ln2/32; e^x = 2^k H_j (1 + T_j + r Q(r)),
 * rounded once. lo is the tail of a double-double (pow, logaddexp), |lo| <= 2^-40 |hi| or so. */
constexpr double kVmExpShift = 0x1.8p48; /* adding it rounds to a multiple of 1/16, |x| < 2^47 */
constexpr uint64_t kVmExpShiftBits = __builtin_bit_cast(uint64_t, kVmExpShift);
constexpr double kVmExpInvLn2 = 0x1.71547652b82fep+0;
constexpr double kVmExpLn2Hi = 0x1.62e42fefa0000p-1, kVmExpLn2Lo = 0x1.cf79abc9e3b3ap-40; /* kd Hi: exact */
/* (e^r - 1) / r = Qe(r^2) + r Qo(r^2), |r| <= ln2/32 + a little: tools/vmath/fit.py */
constexpr double kVmExpTabQ[] = {0x1.000000000000ap+0, 0x1.0000000000004p-1, 0x1.55555553fee68p-3,
                                 0x1.555555547932cp-5, 0x1.11127229a143ep-7,  0x1.6c18468c42ed9p-10};
/* e^r - 1 = r + r^2 Q1(r), |r| <= ln2/32 + a little, Q1 to 0.016 ulp of r (fit.py): for tanh,
 * whose t = e^2|x| - 1 must stay accurate relative to itself near 0 */
constexpr double kVmExpM1TabQ1[] = {0x1.0000000000003p-1, 0x1.5555555555557p-3, 0x1.55555554aa1e0p-5,
                                    0x1.11111110af3aap-7, 0x1.6c1822847fd1ap-10, 0x1.a01b5b83b1ad0p-13};
/* From here on 2^k H_j is subnormal or the result infinite: the fast scaling below stops. */
constexpr double kVmExpTabMax = 704.0;
/* H_j's own bits (the table holds them less j 2^48, for the fast scaling). */
constexpr VmTab16 vm_exp_h() {
    VmTab16 h{};
    for (int j = 0; j < 16; j++) h.v[j] = kVmExp16H[j] + (uint64_t(j) << 48);
    return h;
}
constexpr VmTab16 kVmExp16HTrue = vm_exp_h();

/* The reduction and (e^r - 1) / r (or another six-term polynomial c) in its even and odd halves
 * (Q(-r) = Qe - r Qo: e^-x from the same reduction). sb, s's bits: j in the low four, and 16 k + j as sb less the shift's bits. */
template <class V, bool LO> VM_INLINE void vm_exp_tab_reduce(V hi, V lo, V &kd, VmI<V> &sb, V &r, V &qe, V &qo,
                                                         const double *c = kVmExpTabQ) {
    const V shift = vm_c<V>(kVmExpShift);
    const V s = vm_fma(hi, vm_c<V>(kVmExpInvLn2), shift);
    sb = vm_bits(s);
    kd = s - shift;
    r = vm_fma(-kd, vm_c<V>(kVmExpLn2Hi), hi); /* exact */
    r = vm_fma(-kd, vm_c<V>(kVmExpLn2Lo), r);
    if constexpr (LO) r = r + lo;
    const V r2 = r * r;
    qe = vm_fma(r2, vm_fma(r2, vm_c<V>(c[4]), vm_c<V>(c[2])), vm_c<V>(c[0]));
    qo = vm_fma(r2, vm_fma(r2, vm_c<V>(c[5]), vm_c<V>(c[3])), vm_c<V>(c[1]));
}
/* 2^k H_j 2^ADJ from kd's s bits (|x| < kVmExpTabMax): 2^k added to H_j's exponent field, sb 2^48
 * being (16 k + j) 2^48 (the shift's bits are 0 there). */
template <class V, int ADJ = 0> VM_INLINE V vm_exp_fast_scale(VmI<V> sb, VmI<V> j) {
    return vm_from_bits<V>(
        vm_addu(vm_addu(vm_tab<V>(kVmExp16H, j), vm_sll(sb, 48)), vm_ci<V>(int64_t(ADJ) * (int64_t(1) << 52))));
}
/* 2^kd 2^ADJ (1 + T_j + r q), q = Q(r), sb: kd's s bits. EXACT: for any kd of a clamped
 * argument, rounded once also where the result is subnormal or overflows (vscalefpd on AVX-512,
 * two factors elsewhere); else for |x| < kVmExpTabMax, 2^k added to H_j's exponent field. Both
 * give the same bits where the fast one applies (scaling a normal result by 2^k is exact). */
template <class V, int ADJ, bool EXACT> VM_INLINE V vm_exp_tab_scale(V kd, VmI<V> sb, V r, V q) {
    const VmI<V> j = vm_tab16_idx<V>(sb);
    const V tmp = vm_fma(r, q, vm_from_bits<V>(vm_tab<V>(kVmExp16T, j)));
    if constexpr (!EXACT) {
        const V scale = vm_exp_fast_scale<V, ADJ>(sb, j);
        return vm_fma(scale, tmp, scale);
    } else {
        const V h = vm_from_bits<V>(vm_tab<V>(kVmExp16HTrue.v, j));
        const V y = vm_fma(h, tmp, h);
#if defined(__AVX512F__)
        if constexpr (sizeof(V) == 64) {
            const V e = ADJ ? kd + vm_c<V>(double(ADJ)) : kd;
            return (V)_mm512_maskz_scalef_pd(-1, (__m512d)y, (__m512d)e);
        }
#endif
        (void)kd;
        /* k = floor(kd) from 16 k + j = sb - shift's bits, and floor(k / 2): shifts of positives
         * only (|16 k + j| < 2^15 here) */
        const VmI<V> ki = vm_subu(sb, vm_ci<V>(int64_t(kVmExpShiftBits - (1 << 16))));
        const VmI<V> k = vm_srl(ki, 4) - vm_ci<V>((1 << 12) - ADJ);
        const VmI<V> k1 = vm_srl(k + vm_ci<V>(2048), 1) - vm_ci<V>(1024);
        return y * vm_pow2i<V>(k1) * vm_pow2i<V>(k - k1);
    }
}
/* e^(hi + lo) 2^ADJ: EXACT clamps hi (NaN kept; lo dropped where hi was clamped) and takes any
 * argument; else |hi| < kVmExpTabMax. */
template <class V, int ADJ, bool LO, bool EXACT> VM_INLINE V vm_exp_tab(V hi, V lo) {
    if constexpr (EXACT) {
        const V hc = vm_clamp(hi, vm_c<V>(VmT<double>::kExpMin), vm_c<V>(VmT<double>::kExpMax - ADJ));
        if constexpr (LO) lo = vm_sel(hc == hi, lo, vm_c<V>(0.0));
        hi = hc;
    }
    V kd, r, qe, qo;
    VmI<V> sb;
    vm_exp_tab_reduce<V, LO>(hi, lo, kd, sb, r, qe, qo);
    return vm_exp_tab_scale<V, ADJ, EXACT>(kd, sb, r, vm_fma(r, qo, qe));
}
/* e^a 2^ADJ and e^-a 2^ADJ, a >= 0 or NaN, from one reduction: -a = -kd ln2 - r (no division for
 * cosh and sinh); EXACT as above. */
template <class V, int ADJ, bool EXACT> VM_INLINE void vm_exp_tab_pm(V a, V &ep, V &em) {
    if constexpr (EXACT) a = vm_clamp(a, vm_c<V>(0.0), vm_c<V>(VmT<double>::kExpMax - ADJ));
    V kd, r, qe, qo;
    VmI<V> sb;
    vm_exp_tab_reduce<V, false>(a, vm_c<V>(0.0), kd, sb, r, qe, qo);
    /* -kd's s bits: shift - (s - shift) */
    const VmI<V> sbm = vm_subu(vm_ci<V>(int64_t(2 * kVmExpShiftBits)), sb);
    ep = vm_exp_tab_scale<V, ADJ, EXACT>(kd, sb, r, vm_fma(r, qo, qe));
    em = vm_exp_tab_scale<V, ADJ, EXACT>(-kd, sbm, -r, vm_fma(-r, qo, qe));
}

/* Out of line, for the rare lanes out of the fast scaling's range. */
template <class V, int ADJ, bool LO> VM_COLD V vm_exp_tab_wide(V hi, V lo) { return vm_exp_tab<V, ADJ, LO, true>(hi, lo); }
template <class V, int ADJ> VM_COLD void vm_exp_tab_pm_wide(V a, V &ep, V &em) { vm_exp_tab_pm<V, ADJ, true>(a, ep, em); }

/* float64 e^(hi + lo) 2^ADJ for any argument: on AVX-512 every lane exact (vscalefpd costs what
 * the fast scaling does); elsewhere the fast scaling, lanes out of its range (overflow, subnormal
 * results, inf, NaN) again exact, out of line. */
template <class V, int ADJ = 0, bool LO = true> VM_INLINE V vm_exp_dd(V hi, V lo) {
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64) return vm_exp_tab<V, ADJ, LO, true>(hi, lo);
#endif
    V res = vm_exp_tab<V, ADJ, LO, false>(hi, lo);
    const auto far = vm_not(vm_abs(hi) < vm_c<V>(kVmExpTabMax));
    if (__builtin_expect(vm_any(far), 0)) res = vm_sel(far, vm_exp_tab_wide<V, ADJ, LO>(hi, lo), res);
    return res;
}

/* float64 e^a 2^ADJ and e^-a 2^ADJ, a = |x| >= 0 or NaN, the same way. */
template <class V, int ADJ> VM_INLINE void vm_exp_pm(V a, V &ep, V &em) {
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64) return vm_exp_tab_pm<V, ADJ, true>(a, ep, em);
#endif
    vm_exp_tab_pm<V, ADJ, false>(a, ep, em);
    const auto far = vm_not(a < vm_c<V>(kVmExpTabMax));
    if (__builtin_expect(vm_any(far), 0)) {
        V wp, wm;
        vm_exp_tab_pm_wide<V, ADJ>(a, wp, wm);
        ep = vm_sel(far, wp, ep);
        em = vm_sel(far, wm, em);
    }
}

/* float32 exp in float lanes: k = round(x / ln2), r = x - k ln2 = r1 + c, e^r = 1 + (r1 + (c +
 * r^2 (1/2 + r P(r)))), times 2^k: one factor unless some lane is near overflow or underflow. */
template <class V> VM_INLINE V vm_exp_f32(V x) {
    typedef VmK<V> K;
    const V xc = vm_clamp(x, vm_c<V>(K::kExpMin), vm_c<V>(K::kExpMax)); /* NaN stays */
    const V magic = vm_c<V>(K::kMagic);
    const V kd = vm_fma(xc, vm_c<V>(K::kInvLn2), magic) - magic; /* nearest integer to x / ln2 */
    const V r1 = vm_fma(-kd, vm_c<V>(K::kLn2Hi), xc); /* exact (kLn2Hi is short) */
    const V c = -kd * vm_c<V>(K::kLn2Lo);
    const V r = r1 + c;
    const V p = vm_fma(r, vm_poly(r, K::kExpP), vm_c<V>(0.5));
    /* r1 + c unrounded inside: r's own rounding would cost a quarter ulp */
    const V y = vm_c<V>(1.0) + (r1 + vm_fma(r * r, p, c));
#if defined(__AVX512F__)
    /* y 2^kd rounded once, as the two factors below give it: no range test, no integer steps */
    if constexpr (sizeof(V) == 64) return (V)_mm512_maskz_scalef_ps(-1, (__m512)y, (__m512)kd);
#endif
    const VmI<V> k = vm_toint(kd);
    if (__builtin_expect(!vm_any(vm_abs(xc) > vm_c<V>(K::kExpSafe)), 1)) return y * vm_pow2i<V>(k);
    const VmI<V> k1 = vm_srl(k + vm_ci<V>(2048), 1) - vm_ci<V>(1024); /* floor(k/2) */
    return y * vm_pow2i<V>(k1) * vm_pow2i<V>(k - k1);
}

/* float32 e^a / 2 and e^-a / 2, 0 <= a <= 90 or NaN, from vm_exp_f32's one reduction: e^-a =
 * 2^-k e^-r, e^-r = 1 + (-r1 + (-c + r^2 Q(-r))) with Q(r) = 1/2 + r P(r) split into its even and
 * odd halves. e^-a is 0 above 20 (under 2^-57 of e^a there; 2^-k-1 would leave the normal range
 * first); e^a / 2 takes two scaling factors when some lane is near overflow. */
template <class V> VM_INLINE void vm_exp_pm_f32(V a, V &ep, V &em) {
    typedef VmK<V> K;
    const V kd = vm_round(a * vm_c<V>(K::kInvLn2));
    const V r1 = vm_fma(-kd, vm_c<V>(K::kLn2Hi), a); /* exact (kLn2Hi is short) */
    const V c = -kd * vm_c<V>(K::kLn2Lo);
    const V r = r1 + c, r2 = r * r;
    const double *P = K::kExpP;
    const V even = vm_fma(r2, vm_fma(r2, vm_c<V>(P[3]), vm_c<V>(P[1])), vm_c<V>(0.5));
    const V odd = r * vm_fma(r2, vm_fma(r2, vm_c<V>(P[4]), vm_c<V>(P[2])), vm_c<V>(P[0]));
    const V yp = vm_c<V>(1.0) + (r1 + vm_fma(r2, even + odd, c));
    const V ym = vm_c<V>(1.0) + (vm_fma(r2, even - odd, -c) - r1);
    const VmI<V> k = vm_toint(kd);
    em = vm_sel(a > vm_c<V>(20.0), vm_c<V>(0.0), ym * vm_pow2i<V>(vm_ci<V>(-1) - k));
    if (__builtin_expect(!vm_any(a > vm_c<V>(K::kExpSafe)), 1)) {
        ep = yp * vm_pow2i<V>(k - vm_ci<V>(1));
    } else {
        const VmI<V> k1 = vm_srl(k + vm_ci<V>(2048), 1) - vm_ci<V>(1024); /* floor(k/2) */
        ep = yp * vm_pow2i<V>(k1) * vm_pow2i<V>(k - k1 - vm_ci<V>(1));
    }
}

#if defined(__AVX512F__)
/* float32 exp in float lanes on AVX-512, by a 32-entry table (two registers per column, one
 * vpermt2ps): kd = round(32 x / ln2) by one FMA into s = kd + 1.5 2^23 (kd mod 32 is s's low five
 * bits, which vpermt2ps reads), r = x - kd ln2/32 by two FMAs (|r| <= ln2/64 and a little), e^x =
 * 2^floor(kd/32) (H_j + (H_j p + L_j)) with 2^(j/32) = H_j + L_j (tools/vmath/tables.py) and p =
 * r + r^2 (1/2 + r/6) (e^r - 1 to 2^-30); vscalefps rounds once where the result is subnormal or
 * overflows. Fewer operations than vm_exp_f32's degree-6 polynomial, and the one rounding of
 * note is the last addition. */
/* float32 exp: 2^(j/32) = H_j + L_j, float bits */
alignas(64) constexpr uint32_t kVmExp32H[32] = {
    0x3f800000u, 0x3f82cd87u, 0x3f85aac3u, 0x3f88980fu, 0x3f8b95c2u, 0x3f8ea43au, 0x3f91c3d3u, 0x3f94f4f0u,
    0x3f9837f0u, 0x3f9b8d3au, 0x3f9ef532u, 0x3fa27043u, 0x3fa5fed7u, 0x3fa9a15bu, 0x3fad583fu, 0x3fb123f6u,
    0x3fb504f3u, 0x3fb8fbafu, 0x3fbd08a4u, 0x3fc12c4du, 0x3fc5672au, 0x3fc9b9beu, 0x3fce248cu, 0x3fd2a81eu,
    0x3fd744fdu, 0x3fdbfbb8u, 0x3fe0ccdfu, 0x3fe5b907u, 0x3feac0c7u, 0x3fefe4bau, 0x3ff5257du, 0x3ffa83b3u,
};
alignas(64) constexpr uint32_t kVmExp32L[32] = {
    0x00000000u, 0xb34ea7a9u, 0x334f9891u, 0xb37eda4bu, 0xb260aba1u, 0xb3697465u, 0x33675624u, 0xb32e0212u,
    0x33231b71u, 0xb30c5563u, 0x33412342u, 0x30c3125au, 0xb32c9d5eu, 0xb3162b08u, 0xb22deaf6u, 0xb37c5aa8u,
    0x32cfe77au, 0x330ec5f7u, 0xb3414fe8u, 0xb2d6663eu, 0x320aa837u, 0xb37323a2u, 0x3228fc24u, 0xb35c1daau,
    0xb2d4a58au, 0xb3504a1cu, 0xb21eab59u, 0xb2441be6u, 0xb24116deu, 0xb348464au, 0x32292436u, 0xb2923758u,
};
constexpr double kVmExp32Inv = 0x1.715476p+5, kVmExp32C1 = 0x1.62e43p-6, kVmExp32C2 = -0x1.05c61p-34;
template <class V> VM_INLINE V vm_exp_f32_tab(V x) {
    typedef VmK<V> K;
    const V xc = vm_clamp(x, vm_c<V>(K::kExpMin), vm_c<V>(K::kExpMax)); /* NaN stays */
    const V magic = vm_c<V>(K::kMagic);
    const V s = vm_fma(xc, vm_c<V>(kVmExp32Inv), magic);
    const V kd = s - magic;
    const V r = vm_fma(-kd, vm_c<V>(kVmExp32C2), vm_fma(-kd, vm_c<V>(kVmExp32C1), xc));
    VmI<V> j = vm_bits(s);
    if constexpr (sizeof(V) != 64) j = j & vm_ci<V>(31);
    const V h = vm_from_bits<V>(vm_tab<V>(kVmExp32H, j)), l = vm_from_bits<V>(vm_tab<V>(kVmExp32L, j));
    const V p = vm_fma(vm_fma(r, vm_c<V>(0x1.555556p-3), vm_c<V>(0.5)), r * r, r);
    const V y = h + vm_fma(h, p, l);
    const V e = kd * vm_c<V>(0x1p-5); /* its floor is the power of two */
    if constexpr (sizeof(V) == 64) {
        return (V)_mm512_maskz_scalef_ps(-1, (__m512)y, (__m512)e);
    } else {
        static_assert(lanes_of<V>() == 1, "a register or one element");
        return _mm_cvtss_f32(_mm_scalef_ss(_mm_set_ss(y), _mm_set_ss(e)));
    }
}
#endif
template <class V> VM_INLINE V vm_exp(V x) {
#if defined(__AVX512F__)
    if constexpr (kVmFloat<V> && (sizeof(V) == 64 || lanes_of<V>() == 1)) return vm_exp_f32_tab(x);
#endif
    if constexpr (kVmFloat<V>)
        return vm_exp_f32(x);
    else
        return vm_exp_dd<V, 0, false>(x, vm_c<V>(0.0));
}

/* float32 expm1 in float lanes: x = k ln2 + r1 + c as in exp (r1 exact), e^r - 1 = r1 + q with
 * q = c + r^2 (1/2 + r P(r)) small (|q| < 0.08); e^x - 1 = (2^k - 1) + 2^k r1 + 2^k q, the first
 * two summed exactly (two error-free additions, 2^k r1 exact) and 2^k q added with their errors:
 * q's own rounding is a quarter ulp of the result at most, against float64's third exact sum. */
template <class V> VM_INLINE V vm_expm1_f32(V x) {
    typedef VmK<V> K;
    const V lim = vm_c<V>(40.0);
    const V xc = vm_sel(x > lim, lim, vm_sel(x < -lim, -lim, x)); /* NaN stays */
    const V kd = vm_round(xc * vm_c<V>(K::kInvLn2));
    const V r1 = vm_fma(-kd, vm_c<V>(K::kLn2Hi), xc); /* exact (kLn2Hi is short) */
    const V c = -kd * vm_c<V>(K::kLn2Lo);
    const V r = r1 + c;
    const V q = vm_fma(r * r, vm_fma(r, vm_poly(r, K::kExpP), vm_c<V>(0.5)), c);
    const V s = vm_pow2i<V>(vm_toint(kd));
    V a, ea, b, eb;
    vm_two_sum(s, vm_c<V>(-1.0), a, ea);
    vm_two_sum(a, s * r1, b, eb);
    V res = b + ((ea + eb) + s * q);
    res = vm_sel(x < -lim, vm_c<V>(-1.0), res);
    const auto big = x > lim; /* e^x - 1 rounds to e^x */
    if (__builtin_expect(vm_any(big), 0)) res = vm_sel(big, vm_exp(x), res);
    return vm_sel(x == vm_c<V>(0.0), x, res); /* keeps -0 */
}

/* float32 expm1 on AVX-512 in float64 lanes, from the exp table: t = (S - 1) + S (r + r^2 Q(r)),
 * S = 2^k H_j (T_j dropped: H_j's own error is 2^-53), r = x - kd ln2 by one FMA, Q of degree 3
 * (2^-41 relative, fit.py); one rounding to float at the end (the table lookups are vpermt2q
 * there; elsewhere lane loops, and vm_expm1_f32 in float lanes stays). x clamped to [-40, 100]:
 * -1 and float overflow beyond. */
constexpr double kVmExpM1QF[] = {0x1.fffffffe53f56p-2, 0x1.55555554aa1e0p-3, 0x1.55570eb415cfap-5, 0x1.11122b8b0a753p-7};
template <class D> VM_INLINE D vm_expm1_f32d(D x) {
    const D xc = vm_clamp(x, vm_c<D>(-40.0), vm_c<D>(100.0)); /* NaN stays */
    const D shift = vm_c<D>(kVmExpShift);
    const D s = vm_fma(xc, vm_c<D>(kVmExpInvLn2), shift);
    const D kd = s - shift;
    const D r = vm_fma(-kd, vm_c<D>(0x1.62e42fefa39efp-1), xc);
    const double *c = kVmExpM1QF;
    const D q = vm_fma(r, vm_fma(r, vm_fma(r, vm_c<D>(c[3]), vm_c<D>(c[2])), vm_c<D>(c[1])), vm_c<D>(c[0]));
    const D tmp = vm_fma(r * r, q, r);
    const VmI<D> sb = vm_bits(s);
    const D S = vm_exp_fast_scale<D>(sb, vm_tab16_idx<D>(sb));
    return vm_fma(S, tmp, S - vm_c<D>(1.0));
}
/* expm1: float32 as above (AVX-512) or vm_expm1_f32; float64: x = k ln2 + r, e^x - 1 = (2^k - 1)
 * + 2^k (e^r - 1), its parts (-1, 2^k, 2^k r, 2^k r^2/2, 2^k tail) summed exactly but for the last
 * addition. */
template <class V> VM_INLINE V vm_expm1(V x) {
    if constexpr (kVmFloat<V> && kVmNative == 64) {
        const V res = vm_via_double(x, [](auto v) __attribute__((always_inline)) { return vm_expm1_f32d(v); });
        return vm_sel(x == vm_c<V>(0.0), x, res); /* keeps -0 */
    } else if constexpr (kVmFloat<V>) {
        return vm_expm1_f32(x);
    } else {
        typedef VmK<V> K;
        const V xc = vm_sel(x > vm_c<V>(40.0), vm_c<V>(40.0), vm_sel(x < vm_c<V>(-40.0), vm_c<V>(-40.0), x));
        const V kd = vm_round(xc * vm_c<V>(K::kInvLn2));
        const V rh = vm_fma(-kd, vm_c<V>(K::kLn2Hi), xc); /* exact */
        V r, rr, h;
        vm_fast_two_sum(rh, -kd * vm_c<V>(K::kLn2Lo), r, rr);
        const V tail = vm_expm1_tail(r, rr, h);
        const V s = vm_pow2i<V>(vm_toint(kd));
        V a, ea, b, eb, c, ec;
        vm_two_sum(s, vm_c<V>(-1.0), a, ea);
        vm_two_sum(a, s * r, b, eb);
        vm_two_sum(b, s * h, c, ec);
        V res = c + ((ea + eb) + (ec + s * tail));
        res = vm_sel(x < vm_c<V>(-40.0), vm_c<V>(-1.0), res);
        const auto big = x > vm_c<V>(40.0); /* e^x - 1 rounds to e^x */
        if (vm_any(big)) res = vm_sel(big, vm_exp(x), res);
        return vm_sel(x == vm_c<V>(0.0), x, res); /* keeps -0 */
    }
}

/* ---------------------------------------------------------------- log family (float64) */

/* x > 0 finite (others give garbage, fixed by the callers): x = 2^e m, m in [sqrt(2)/2, sqrt(2)),
 * f = m - 1 exact. */
template <class V, bool SUB = true> VM_INLINE void vm_log_reduce(V x, V &e, V &f) {
    typedef VmK<V> K;
    /* SUB false: the caller knows x is normal (a float widened to double) */
    const auto sub = x < vm_c<V>(K::kMinNormal);
    if constexpr (SUB) x = vm_sel(sub, x * vm_c<V>(K::kSubScale), x);
    const int64_t one = static_cast<int64_t>(K::kBias) << K::kMant;
    typedef std::make_unsigned_t<typename VmInt<ElemOf<V>>::type> U; /* NaN, inf lanes would overflow */
    VmI<V> ix = (VmI<V>)((Vec<U, lanes_of<V>()>)vm_bits(x) + static_cast<U>(one - K::kSqrtHalf));
    const VmI<V> ei = (vm_srl(ix, K::kMant) & vm_ci<V>(2 * K::kBias + 1)) - vm_ci<V>(K::kBias);
    e = vm_fromint<V>(ei);
    if constexpr (SUB) e = e - vm_sel(sub, vm_c<V>(K::kSubE), vm_c<V>(0.0));
    f = vm_from_bits<V>((ix & vm_ci<V>((int64_t(1) << K::kMant) - 1)) + vm_ci<V>(K::kSqrtHalf)) - vm_c<V>(1.0);
}
/* log(1 + f) = f - hfsq + s (hfsq + R), the fdlibm form (s = f / (2 + f), R = z (2/3 + z Q(z))). */
template <class V> VM_INLINE void vm_log1p_parts(V f, V &hfsq, V &sr) {
    const V s = f / (vm_c<V>(2.0) + f);
    const V z = s * s;
    const V R = z * vm_fma(z, vm_poly(z, VmK<V>::kLogQ), vm_c<V>(VmK<V>::k2_3));
    hfsq = vm_c<V>(0.5) * f * f;
    sr = s * (hfsq + R);
}
/* log's answers for x <= 0, inf and NaN. */
template <class V> VM_INLINE V vm_log_special(V x, V res) {
    const auto ok = (x > vm_c<V>(0.0)) & (x < vm_c<V>(__builtin_inf()));
    if (!vm_any(vm_not(ok))) return res;
    const V sp = vm_sel(x == vm_c<V>(0.0), vm_c<V>(-__builtin_inf()),
                        vm_sel(x == vm_c<V>(__builtin_inf()), x, vm_c<V>(__builtin_nan(""))));
    return vm_sel(ok, res, sp);
}

/* float64 log by the table (tools/vmath/tables.py), x > 0 finite (other lanes: garbage, fixed by
 * the callers): x = 2^k z, z in [0x1.6p-1, 0x1.6p0) in one of 256 subintervals, r = z invc - 1
 * exact (invc has 9 bits), log c = -log(invc) = ch + cl (ch a multiple of 2^-43), so that
 * log x = k ln2 + ch + cl + log1p(r) with log1p(r) = r + r^2 P(r), |r| <= 2^-8. */
constexpr double kVmLogTabP[] = {-0x1.0000000000000p-1, 0x1.5555555555557p-2, -0x1.ffffffff1fc6cp-3,
                                 0x1.9999999899581p-3,  -0x1.5557158f24572p-3, 0x1.24940038cb58ep-3};
/* AVX-512: the reduction without the table's gathers (the vector libraries' way there): x = 2^e m,
 * m in [1, 2) (vgetmantpd, vgetexppd: subnormals included), c = 1/m to 14 bits (vrcp14pd)
 * rounded to a multiple of 2^-5 (vrndscalepd), r = m c - 1 exact, |r| <= 2^-5 + 2^-13; -log c =
 * ch + cl from 16 entries in registers, indexed by c's top four mantissa bits (c = 1/2 shares
 * c = 1's entry, e + 1 adding its ln 2). Its wider r needs a longer P, and pow (whose y log x
 * wants log to 2^-62) keeps the table. tools/vmath/tables.py and fit.py. */
#if defined(__AVX512F__)
constexpr bool kVmLogRcp = true;
#else
constexpr bool kVmLogRcp = false;
#endif
/* -log_b c = H + L for b = e, 2, 10 (B = 0, 1, 2, as the float32 family's tables): H a multiple
 * of 2^-43 (e ln2_hi + H exact), 2^-42 (log2: e + H exact), 2^-43 (e log10(2)_hi + H exact) */
constexpr double kVmLogRcpH[3][16] = {
    {0x0.0p+0, 0x1.43d9ff2f92400p-1, 0x1.269621134dc00p-1, 0x1.0ae76e2d05400p-1,
     0x1.e148a1a272800p-2, 0x1.af5295248d000p-2, 0x1.7fafa3bd81800p-2, 0x1.522ae0738a000p-2,
     0x1.269621134d800p-2, 0x1.f991c6cb3b000p-3, 0x1.a93ed3c8ae000p-3, 0x1.5bf406b544000p-3,
     0x1.1178e8227e000p-3, 0x1.9335e5d594000p-4, 0x1.08598b59e4000p-4, 0x1.0415d89e74000p-5},
    {0x0.0p+0, 0x1.d338120a6e000p-1, 0x1.a8ff971810800p-1, 0x1.810fa51bf6800p-1,
     0x1.5b2c3da197000p-1, 0x1.37222bb707800p-1, 0x1.14c560fe68800p-1, 0x1.e7df5fe539000p-2,
     0x1.a8ff971811000p-2, 0x1.6cb0f6865d000p-2, 0x1.32bfee370f000p-2, 0x1.f5fd8a9064000p-3,
     0x1.8a8980abfc000p-3, 0x1.22dadc2ab4000p-3, 0x1.7d60496cfc000p-4, 0x1.77394c9d98000p-5},
    {0x0.0p+0, 0x1.194b3bdef6800p-2, 0x1.ffbfc2bbc8000p-3, 0x1.cfa8e765cc000p-3,
     0x1.a209a84fbd000p-3, 0x1.76a45cbb7e000p-3, 0x1.4d43f8275a000p-3, 0x1.25ba8215af000p-3,
     0x1.ffbfc2bbc8000p-4, 0x1.b721cd1716000p-4, 0x1.715d0ce368000p-4, 0x1.2e3a740b78000p-4,
     0x1.db11ed766c000p-5, 0x1.5e3966b7e8000p-5, 0x1.cb38fccd88000p-6, 0x1.c3d0837780000p-7},
};
constexpr double kVmLogRcpL[3][16] = {
    {0x0.0p+0, -0x1.d984f481051f7p-48, -0x1.b61f105226250p-47, 0x1.f486b887e7e27p-46,
     -0x1.326b207322938p-46, -0x1.17cc552774458p-45, -0x1.72090c812566ap-45, 0x1.ebe708164c759p-45,
     0x1.c93c1df5bb3b6p-45, 0x1.bcbecca0cdf30p-46, -0x1.8724350562169p-45, -0x1.27023eb68981cp-46,
     0x1.1ef78ce2d07f2p-45, 0x1.3115c3abd47dap-45, -0x1.7e5dd7009902cp-46, 0x1.111c05cf1d753p-47},
    {0x0.0p+0, -0x1.3167ccc538261p-44, 0x1.2f0c0bfe9dbecp-44, -0x1.0144751b3314fp-44,
     0x1.1d406db502403p-44, -0x1.c22d2cad415aep-44, 0x1.7c407050799bfp-44, -0x1.532c412ba94dbp-44,
     -0x1.6879fa00b120ap-44, -0x1.c57f2495fb7fap-44, -0x1.979a5db68721dp-46, -0x1.cb6f70109b0f1p-47,
     -0x1.66cccab240e90p-46, -0x1.6d25a5b8a19b2p-44, -0x1.2ce6312ebb81dp-46, -0x1.395510d1e3f81p-44},
    {0x0.0p+0, 0x1.cefc5208422d8p-45, -0x1.ff229f20ed3d2p-45, -0x1.2386ad8b819b8p-45,
     -0x1.0cee0ed4ca7e9p-52, 0x1.bfb1de334b1cbp-45, 0x1.20ca9a2bcc728p-45, 0x1.ff081a4e81f0bp-45,
     -0x1.ff229f20ed3d2p-46, -0x1.03ad4133e8c4cp-45, -0x1.41149840eaa65p-46, 0x1.d288560689912p-53,
     -0x1.40bcd23c3e44cp-45, 0x1.2951bb9cd2fb7p-45, 0x1.fedb4b594a31bp-45, 0x1.310272fe17537p-45},
};
/* log_b(2) = hi + lo, e hi exact for any exponent e */
constexpr double kVmLogRcpBhi[] = {kVmLn2H42, 1.0, 0x1.34413509f7800p-2};
constexpr double kVmLogRcpBlo[] = {kVmLn2L42, 0.0, 0x1.fef311f12b358p-46};
constexpr VmTab16 kVmLogRcpHb[] = {vm_tab16_bits(kVmLogRcpH[0]), vm_tab16_bits(kVmLogRcpH[1]), vm_tab16_bits(kVmLogRcpH[2])};
constexpr VmTab16 kVmLogRcpLb[] = {vm_tab16_bits(kVmLogRcpL[0]), vm_tab16_bits(kVmLogRcpL[1]), vm_tab16_bits(kVmLogRcpL[2])};
/* log1p(r) = r + r^2 P(r), |r| <= 2^-5 + 2^-13 */
constexpr double kVmLogRcpP[] = {-0x1.0000000000000p-1, 0x1.55555555554e7p-2, -0x1.ffffffffffda1p-3,
                                 0x1.9999999ba6c88p-3,  -0x1.555555589ffeap-3, 0x1.249230b8bb7c7p-3,
                                 -0x1.ffffc44ad3d74p-4, 0x1.c802178b4caaap-4,  -0x1.9a86752ca5ecap-4};
/* log_b(1 + r) - r/ln b = r^2 P(r)/ln b: P's coefficients times 1/ln b (B = 1, 2: log2, log10) */
struct VmLogRcpPb {
    double v[9];
};
constexpr VmLogRcpPb vm_log_rcp_pb(double m) {
    VmLogRcpPb p{};
    for (int k = 0; k < 9; k++) p.v[k] = kVmLogRcpP[k] * m;
    return p;
}
constexpr VmLogRcpPb kVmLogRcpPb[] = {vm_log_rcp_pb(1.0), vm_log_rcp_pb(0x1.71547652b82fep+0), vm_log_rcp_pb(0x1.bcb7b1526e50ep-2)};
#if defined(__AVX512F__)
/* m, e and c above for positive finite x (other lanes: garbage, fixed by the callers). */
template <class V> VM_INLINE void vm_log_rcp_parts(V x, V &e, V &m, V &c) {
    if constexpr (sizeof(V) == 64) {
        const __m512d v = (__m512d)x, mv = _mm512_maskz_getmant_pd(-1, v, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_src);
        m = (V)mv;
        e = (V)_mm512_maskz_getexp_pd(-1, v);
        c = (V)_mm512_maskz_roundscale_pd(-1, _mm512_maskz_rcp14_pd(-1, mv), 0x58); /* 5 bits, nearest */
    } else if constexpr (lanes_of<V>() == 1) {
        const __m128d v = _mm_set_sd(x), mv = _mm_getmant_sd(v, v, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_src);
        m = _mm_cvtsd_f64(mv);
        e = _mm_cvtsd_f64(_mm_getexp_sd(v, v));
        c = _mm_cvtsd_f64(_mm_roundscale_sd(mv, _mm_rcp14_sd(mv, mv), 0x58));
    } else {
        for (size_t i = 0; i < lanes_of<V>(); i++) {
            double ei, mi, ci;
            vm_log_rcp_parts(double(x[i]), ei, mi, ci);
            e[i] = ei, m[i] = mi, c[i] = ci;
        }
    }
}
#endif
#if defined(__AVX512F__)
/* kd = e, r = m c - 1 (exact) and the table index of c for positive finite x */
template <class V> VM_INLINE VmI<V> vm_log_rcp_reduce(V x, V &kd, V &r) {
    V m, c;
    vm_log_rcp_parts(x, kd, m, c);
    kd = vm_sel(c == vm_c<V>(0.5), kd + vm_c<V>(1.0), kd);
    r = vm_fma(m, c, vm_c<V>(-1.0)); /* exact */
    return vm_tab16_idx<V>(vm_srl(vm_bits(c), 48));
}
#endif
template <class V, bool SUB = true, bool RCP = kVmLogRcp> VM_INLINE void vm_log_tab_reduce(V x, V &kd, V &r, V &ch, V &cl) {
#if defined(__AVX512F__)
    if constexpr (RCP) {
        const VmI<V> j = vm_log_rcp_reduce(x, kd, r);
        ch = vm_from_bits<V>(vm_tab<V>(kVmLogRcpHb[0].v, j));
        cl = vm_from_bits<V>(vm_tab<V>(kVmLogRcpLb[0].v, j));
        return;
    } else
#endif
    {
        /* SUB false: the caller knows x is normal (a float widened to double, or every lane checked) */
        const auto sub = x < vm_c<V>(0x1p-1022);
        if constexpr (SUB) x = vm_sel(sub, x * vm_c<V>(0x1p52), x);
        constexpr int64_t kOff = 0x3fe6000000000000, kOne = 0x3ff0000000000000;
        typedef Vec<uint64_t, lanes_of<V>()> VU; /* NaN, inf, negative lanes would overflow */
        VmI<V> ix;
        if constexpr (lanes_of<V>() == 1)
            ix = static_cast<int64_t>(static_cast<uint64_t>(vm_bits(x)) + static_cast<uint64_t>(kOne - kOff));
        else
            ix = (VmI<V>)((VU)vm_bits(x) + static_cast<uint64_t>(kOne - kOff));
        kd = vm_fromint<V>((vm_srl(ix, 52) & vm_ci<V>(0x7ff)) - vm_ci<V>(1023));
        if constexpr (SUB) kd = kd - vm_sel(sub, vm_c<V>(52.0), vm_c<V>(0.0));
        const VmI<V> m = ix & vm_ci<V>((int64_t(1) << 52) - 1);
        const V z = vm_from_bits<V>(m + vm_ci<V>(kOff));
        const VmI<V> row = vm_sll(vm_srl(m, 44), 2); /* 4 doubles a row */
        const double *t = &kVmLogTab[0][0];
        V invc, pad;
        vm_lookup2(t, row, invc, ch);
        r = vm_fma(z, invc, vm_c<V>(-1.0)); /* exact */
        vm_lookup2(t + 2, row, cl, pad);
    }
}
/* r^2 P(r) */
template <class V, bool RCP = kVmLogRcp> VM_INLINE V vm_log_tab_poly(V r) {
    const V r2 = r * r;
    if constexpr (RCP)
        return r2 * vm_poly_estrin(r, kVmLogRcpP);
    else
        return r2 * vm_poly_estrin(r, kVmLogTabP);
}
/* log x (float64) as hi + lo; extra (|extra| small against the result) joins lo. */
/* The table log's leading part k ln2_hi + log c_hi + r as h + l exactly; kd, r and log c's tail cl
 * are left for each caller's own sum of the small terms (kd ln2_lo + cl + r^2 P(r)). */
template <class V, bool SUB, bool RCP = kVmLogRcp> VM_INLINE void vm_log_tab_head(V x, V &kd, V &r, V &cl, V &h, V &l) {
    V ch;
    vm_log_tab_reduce<V, SUB, RCP>(x, kd, r, ch, cl);
    const V w = vm_fma(kd, vm_c<V>(kVmLn2H42), ch); /* exact: multiples of 2^-43 below 2^10 */
    vm_fast_two_sum(w, r, h, l);                    /* |w| >= |r| or w == 0 (tables.py checks) */
}
template <class V, bool SUB = true, bool EXTRA = true> VM_INLINE V vm_log_tab(V x, V extra) {
    V kd, r, cl, hi, lo;
    vm_log_tab_head<V, SUB>(x, kd, r, cl, hi, lo);
    V small = vm_fma(kd, vm_c<V>(kVmLn2L42), cl);
    if constexpr (EXTRA) small = small + extra;
    return hi + ((lo + small) + vm_log_tab_poly(r));
}

/* log x (float64) as hi + lo (|lo| <= ulp(hi) / 2), relative error < 2^-62, for pow. */
template <class V> VM_INLINE void vm_log_tab_dd(V x, V &hi, V &lo) {
    V kd, r, cl, h, l;
    vm_log_tab_head<V, true, false>(x, kd, r, cl, h, l);
    l = (l + vm_fma(kd, vm_c<V>(kVmLn2L42), cl)) + vm_log_tab_poly<V, false>(r);
    vm_fast_two_sum(h, l, hi, lo);
}

/* f(SUB) of the log family: when every lane is normal, positive and finite (the usual
 * register), without the subnormal scaling and the special cases; else with both. A lane gets
 * the same bits either way. */
template <class V, class F> VM_INLINE V vm_log_paths(V x, F f) {
    if (__builtin_expect(vm_all_in(x, VmK<V>::kMinNormal, __builtin_inf()), 1)) return f(std::false_type{});
    return vm_log_special(x, f(std::true_type{}));
}

/* log x for float32 results (pow), in float64 lanes (x a positive finite float widened: normal;
 * other lanes give garbage, fixed by the callers): x = 2^k z, z in [63/64, 63/32) in one of 16
 * subintervals (tools/vmath/tables.py), r = z invc - 1 exact for 24-bit z, |r| < 2^-5;
 * log x = k ln2 + log c + r + r^2 Q(r), Q Taylor to r^6 (relative error < 2^-42). */
constexpr double kVmLog16Q[] = {-0x1.0000000000000p-1, 0x1.5555555555555p-2, -0x1.0000000000000p-2, 0x1.999999999999ap-3,
                                -0x1.5555555555555p-3, 0x1.2492492492492p-3, -0x1.0000000000000p-3};
template <class V> VM_INLINE V vm_log_f32d(V x) {
    constexpr int64_t kOff = 0x3fef800000000000;
    /* unsigned arithmetic: the garbage lanes (negative x) must not overflow */
    const VmI<V> tmp = vm_addu(vm_bits(x), vm_ci<V>(-kOff));
    const VmI<V> j = vm_srl(tmp, 48) & vm_ci<V>(15);
    const VmI<V> top = tmp & vm_ci<V>(~((int64_t(1) << 52) - 1)); /* k << 52, k = tmp >> 52 signed */
    const V z = vm_from_bits<V>((tmp & vm_ci<V>((int64_t(1) << 52) - 1)) + vm_ci<V>(kOff));
    /* k + 1024 by a logical shift (AVX2 has no 64-bit arithmetic one), then k */
    const V kd = vm_fromint<V>(vm_srl(vm_addu(top, vm_ci<V>(int64_t(1024) << 52)), 52)) - vm_c<V>(1024.0);
    const V invc = vm_from_bits<V>(vm_tab<V>(kVmLog16I, j));
    const V logc = vm_from_bits<V>(vm_tab<V>(kVmLog16C, j));
    const V r = vm_fma(z, invc, vm_c<V>(-1.0)); /* exact */
    const V r2 = r * r;
    return vm_fma(kd, vm_c<V>(kVmLn2Hi), logc) + vm_fma(r2, vm_poly_estrin(r, kVmLog16Q), r);
}
/* float32 log_b (B = 0, 1, 2: b = e, 2, 10) in float lanes by the 32-entry table, on AVX-512
 * only (elsewhere a lookup is a lane loop: the fdlibm form below stays): x = 2^k z, r = z invc - 1
 * exact, |r| < 0.0232; log_b x = H + r M + (k log_b(2) lo + log_b(c) lo + M r^2 P(r) + extra),
 * H = k log_b(2) hi + log_b(c) hi exact, M = log_b(e) (r M as a float pair), H + r M by an exact
 * sum: one rounding of note, at the end. x positive and finite; SUB: subnormal lanes scaled. */
constexpr bool kVmTab32 = kVmNative == 64; /* 32-entry float tables in registers */
constexpr double kVmLogF32Bhi[] = {0x1.62e4p-1, 1.0, 0x1.344p-2}, kVmLogF32Blo[] = {0x1.7f7d1cp-20, 0.0, 0x1.3509f8p-18};
constexpr double kVmLogF32Mh[] = {1.0, 0x1.715476p+0, 0x1.bcb7b2p-2}, kVmLogF32Ml[] = {0.0, 0x1.4ae0c0p-26, -0x1.5b235ep-27};
/* log1p(r) - r = r^2 (-1/2 + r/3 - r^2/4 + r^3/5) (truncation < 2^-29 relative), times M */
constexpr double kVmLogF32P[3][4] = {
    {-0.5, 1.0 / 3, -0.25, 0.2},
    {-0.5 * 0x1.71547652b82fep+0, 0x1.71547652b82fep+0 / 3, -0.25 * 0x1.71547652b82fep+0, 0.2 * 0x1.71547652b82fep+0},
    {-0.5 * 0x1.bcb7b1526e50ep-2, 0x1.bcb7b1526e50ep-2 / 3, -0.25 * 0x1.bcb7b1526e50ep-2, 0.2 * 0x1.bcb7b1526e50ep-2}};
template <int B, bool SUB, bool EXTRA, class V> VM_INLINE V vm_log_ftab(V x, V extra) {
    typedef VmK<V> K;
    [[maybe_unused]] const auto sub = x < vm_c<V>(K::kMinNormal);
    if constexpr (SUB) x = vm_sel(sub, x * vm_c<V>(K::kSubScale), x);
    constexpr int32_t kOff = 0x3f7e0000; /* 1 - 2^-7 */
    const VmI<V> tmp = vm_addu(vm_bits(x), vm_ci<V>(-kOff)); /* unsigned: garbage lanes wrap */
    const VmI<V> j = vm_srl(tmp, 18) & vm_ci<V>(31);
    const V z = vm_from_bits<V>((tmp & vm_ci<V>(0x7fffff)) + vm_ci<V>(kOff));
    V kf = vm_fromint<V>((tmp & vm_ci<V>(~0x7fffff)) >> 23); /* arithmetic shift: k */
    if constexpr (SUB) kf = kf - vm_sel(sub, vm_c<V>(K::kSubE), vm_c<V>(0.0));
    const V invc = vm_from_bits<V>(vm_tab<V>(kVmLogF32I, j));
    const V ch = vm_from_bits<V>(vm_tab<V>(kVmLogF32H[B], j));
    const V cl = vm_from_bits<V>(vm_tab<V>(kVmLogF32L[B], j));
    const V r = vm_fma(z, invc, vm_c<V>(-1.0)); /* exact */
    const V hi = vm_fma(kf, vm_c<V>(kVmLogF32Bhi[B]), ch); /* exact: multiples of 2^-15 below 2^7 */
    V rh = r, rl = vm_c<V>(0.0);
    if constexpr (B != 0) {
        rh = r * vm_c<V>(kVmLogF32Mh[B]);
        rl = vm_fma(r, vm_c<V>(kVmLogF32Mh[B]), -rh) + r * vm_c<V>(kVmLogF32Ml[B]);
    }
    V s, e;
    vm_fast_two_sum(hi, rh, s, e); /* |hi| >= |r M| unless hi == 0 (k = 0, c = 1) */
    const V p = (r * r) * vm_poly(r, kVmLogF32P[B]);
    /* the terms that are zero for some B or caller left out: x + 0 is not folded without
     * -ffast-math (it would turn -0 into +0) */
    V lo = B == 1 ? cl : vm_fma(kf, vm_c<V>(kVmLogF32Blo[B]), cl);
    if constexpr (B != 0) lo = lo + rl;
    if constexpr (EXTRA) e = e + extra;
    return s + ((lo + e) + p);
}

template <class V> VM_INLINE V vm_log(V x) {
    if constexpr (kVmFloat<V> && kVmTab32) {
        return vm_log_paths(x, [&](auto sub) __attribute__((always_inline)) {
            return vm_log_ftab<0, decltype(sub)::value, false>(x, vm_c<V>(0.0));
        });
    } else if constexpr (kVmFloat<V>) {
        return vm_log_paths(x, [&](auto sub) __attribute__((always_inline)) {
            V e, f, hfsq, sr;
            vm_log_reduce<V, decltype(sub)::value>(x, e, f);
            vm_log1p_parts(f, hfsq, sr);
            return e * vm_c<V>(VmK<V>::kLogLn2Hi) - ((hfsq - (sr + e * vm_c<V>(VmK<V>::kLogLn2Lo))) - f);
        });
    } else {
        return vm_log_paths(x, [&](auto sub) __attribute__((always_inline)) {
            return vm_log_tab<V, decltype(sub)::value, false>(x, vm_c<V>(0.0));
        });
    }
}

/* log1p: 1 + x as an exact pair u + c, log u + c/u (float32 in float lanes too). */
template <class V> VM_INLINE V vm_log1p(V x) {
    typedef VmK<V> K;
    V u, c;
    vm_two_sum(vm_c<V>(1.0), x, u, c); /* 1 + x == u + c exactly */
    V res;
    if constexpr (kVmFloat<V>) {
        const V cu = c / u;
        res = vm_log_paths(u, [&](auto sub) __attribute__((always_inline)) {
            if constexpr (kVmTab32) return vm_log_ftab<0, decltype(sub)::value, true>(u, cu);
            V e, f, hfsq, sr;
            vm_log_reduce<V, decltype(sub)::value>(u, e, f);
            vm_log1p_parts(f, hfsq, sr);
            return e * vm_c<V>(K::kLogLn2Hi) - ((hfsq - (sr + (e * vm_c<V>(K::kLogLn2Lo) + cu))) - f);
        });
    } else {
        const V cu = c / u;
        res = vm_log_paths(u, [&](auto sub) __attribute__((always_inline)) { return vm_log_tab<V, decltype(sub)::value>(u, cu); });
    }
    return vm_sel(x == vm_c<V>(0.0), x, res); /* keeps -0 */
}


#if defined(__AVX512F__)
/* float64 log2 / log10 from the rcp14 reduction with tables of their own: log_b x = (e log_b 2
 * + H) + r M + (L + r^2 P_b(r)), M = 1/ln b as a pair; the head exact, r M_hi summed with it
 * exactly (|head| >= |r M| or head = 0, tables.py checks), one rounding of note at the end. x
 * positive and finite (subnormals included). */
template <class V, bool TEN> VM_INLINE V vm_log_base_rcp(V x) {
    typedef VmK<V> K;
    constexpr int B = TEN ? 2 : 1;
    const double mh = TEN ? K::kInvLn10Hi : K::kInvLn2Hi, ml = TEN ? K::kInvLn10Lo : K::kInvLn2Lo;
    V kd, r;
    const VmI<V> j = vm_log_rcp_reduce(x, kd, r);
    const V ch = vm_from_bits<V>(vm_tab<V>(kVmLogRcpHb[B].v, j)), cl = vm_from_bits<V>(vm_tab<V>(kVmLogRcpLb[B].v, j));
    const V w = TEN ? vm_fma(kd, vm_c<V>(kVmLogRcpBhi[B]), ch) : kd + ch; /* exact */
    const V t = r * vm_c<V>(mh);
    V s, err;
    vm_fast_two_sum(w, t, s, err);
    V lo = vm_fma(r, vm_c<V>(ml), cl) + vm_fma(r, vm_c<V>(mh), -t);
    if constexpr (TEN) lo = vm_fma(kd, vm_c<V>(kVmLogRcpBlo[B]), lo);
    return s + ((lo + err) + (r * r) * vm_poly_estrin(r, kVmLogRcpPb[B].v));
}
#endif
/* log2 / log10: log(1 + f) as hi + lo, times 1/ln2 (1/ln10) in double-double (float-float for
 * float32), plus e (e log10 2); on AVX-512 (float64) straight from the reduction above. */
template <class V, bool TEN, bool SUB = true> VM_INLINE V vm_log_base_core(V x) {
    if constexpr (kVmFloat<V> && kVmTab32) return vm_log_ftab<TEN ? 2 : 1, SUB, false>(x, vm_c<V>(0.0));
#if defined(__AVX512F__)
    if constexpr (!kVmFloat<V> && kVmLogRcp) return vm_log_base_rcp<V, TEN>(x);
#endif
    V e, hi, lo;
    if constexpr (kVmFloat<V>) {
        V f, hfsq, sr;
        vm_log_reduce<V, SUB>(x, e, f);
        vm_log1p_parts(f, hfsq, sr);
        hi = f - hfsq;
        lo = ((f - hi) - hfsq) + sr;
    } else { /* log x = hi + lo as in vm_log_tab (k ln2 included: no e term below) */
        V kd, r, cl;
        vm_log_tab_head<V, SUB>(x, kd, r, cl, hi, lo);
        lo = lo + (vm_fma(kd, vm_c<V>(kVmLn2L42), cl) + vm_log_tab_poly(r));
    }
    /* times 1/ln2 (1/ln10) in double-double (float-float) */
    typedef VmK<V> K;
    const double ih = TEN ? K::kInvLn10Hi : K::kInvLn2Hi, il = TEN ? K::kInvLn10Lo : K::kInvLn2Lo;
    const V vh = hi * vm_c<V>(ih);
    V vl = vm_fma(hi, vm_c<V>(ih), -vh) + vm_fma(hi, vm_c<V>(il), lo * vm_c<V>(ih));
    if constexpr (!kVmFloat<V>) {
        return vh + vl;
    } else { /* plus e (e log10 2) */
        const V eh = TEN ? e * vm_c<V>(K::kLog10_2Hi) : e; /* exact */
        if constexpr (TEN) vl = vl + e * vm_c<V>(K::kLog10_2Lo);
        V w, err;
        vm_fast_two_sum(eh, vh, w, err); /* |eh| >= |vh| unless e == 0 */
        return w + (vl + err);
    }
}
template <class V, bool TEN> VM_INLINE V vm_log_base(V x) {
    return vm_log_paths(x, [&](auto sub) __attribute__((always_inline)) {
        return vm_log_base_core<V, TEN, decltype(sub)::value>(x);
    });
}
template <class V> VM_INLINE V vm_log2(V x) { return vm_log_base<V, false>(x); }
template <class V> VM_INLINE V vm_log10(V x) { return vm_log_base<V, true>(x); }

/* ---------------------------------------------------------------- trigonometric (float64) */

/* 2/pi, 1664 bits, for the Payne-Hanek reduction of huge arguments. */
constexpr uint64_t kVm2OverPi[] = {
    0xa2f9836e4e441529ull, 0xfc2757d1f534ddc0ull, 0xdb6295993c439041ull, 0xfe5163abdebbc561ull,
    0xb7246e3a424dd2e0ull, 0x06492eea09d1921cull, 0xfe1deb1cb129a73eull, 0xe88235f52ebb4484ull,
    0xe99c7026b45f7e41ull, 0x3991d639835339f4ull, 0x9c845f8bbdf9283bull, 0x1ff897ffde05980full,
    0xef2f118b5a0a6d1full, 0x6d367ecf27cb09b7ull, 0x4f463f669e5fea2dull, 0x7527bac7ebe5f17bull,
    0x3d0739f78a5292eaull, 0x6bfb5fb11f8d5d08ull, 0x56033046fc7b6babull, 0xf0cfbc209af4361dull,
    0xa9e391615ee61b08ull, 0x6599855f14a06840ull, 0x8dffd8804d732731ull, 0x06061556ca73a8c9ull,
    0x60e27bc08c6b47c4ull, 0x19c367cddce8092aull};

/* Payne-Hanek for one finite |x| >= 2^30: x = (q + r / (pi/2)) (mod 4), |r| <= pi/4, r = rh + rl.
 * x = m 2^ex with m a 53-bit integer; bits of 2/pi worth less than 2^-(ex-2) make multiples of 4
 * and are skipped; the next 192 bits times m give the quadrant and 128 bits of fraction. */
inline void vm_rem_pio2_huge(double x, double &rh, double &rl, int &q) {
    uint64_t bits;
    __builtin_memcpy(&bits, &x, sizeof bits);
    const bool neg = bits >> 63;
    const int ex = static_cast<int>((bits >> 52) & 0x7ff) - 1075;
    const uint64_t m = (bits & 0x000fffffffffffffull) | (1ull << 52);
    const int a = ex - 2 > 0 ? ex - 2 : 0; /* window starts after a bits of 2/pi */
    const int wi = a / 64, bo = a % 64;
    uint64_t w[3];
    for (int k = 0; k < 3; k++)
        w[k] = bo ? (kVm2OverPi[wi + k] << bo) | (kVm2OverPi[wi + k + 1] >> (64 - bo)) : kVm2OverPi[wi + k];
    /* P = m * (w0:w1:w2), 256 bits in limbs p[3] (high) .. p[0] */
    typedef unsigned __int128 u128;
    const u128 t2 = static_cast<u128>(m) * w[2], t1 = static_cast<u128>(m) * w[1], t0 = static_cast<u128>(m) * w[0];
    uint64_t p[4];
    p[0] = static_cast<uint64_t>(t2);
    u128 acc = (t2 >> 64) + static_cast<uint64_t>(t1);
    p[1] = static_cast<uint64_t>(acc);
    acc = (acc >> 64) + (t1 >> 64) + static_cast<uint64_t>(t0);
    p[2] = static_cast<uint64_t>(acc);
    acc = (acc >> 64) + (t0 >> 64);
    p[3] = static_cast<uint64_t>(acc);
    /* x 2/pi = P 2^-sh (mod 4): move the two integer bits to the top of the 256 bits. */
    const int sh = a + 192 - ex, L = 254 - sh; /* 40 <= L <= 64 for |x| >= 2^30 (shifts of 128 bits: no UB at 64) */
    uint64_t s[4];
    for (int k = 3; k >= 1; k--) s[k] = static_cast<uint64_t>(((static_cast<u128>(p[k]) << 64) | p[k - 1]) >> (64 - L));
    s[0] = static_cast<uint64_t>(static_cast<u128>(p[0]) << L);
    q = static_cast<int>(s[3] >> 62);
    u128 fr = (static_cast<u128>((s[3] << 2) | (s[2] >> 62)) << 64) | ((s[2] << 2) | (s[1] >> 62));
    double sign = 1.0;
    if (fr >> 127) { /* fraction >= 1/2: take the next quadrant, the fraction minus one */
        fr = -fr;
        q = (q + 1) & 3;
        sign = -1.0;
    }
    /* fraction (< 2^127 / 2^128) to double-double: normalise, take 53 + 53 bits */
    double fh = 0.0, fl = 0.0;
    if (fr != 0) {
        const uint64_t h64 = static_cast<uint64_t>(fr >> 64), l64 = static_cast<uint64_t>(fr);
        const int lz = h64 ? __builtin_clzll(h64) : 64 + __builtin_clzll(l64);
        const u128 n = fr << lz; /* top bit at 127; value = n 2^-(128 + lz) */
        const uint64_t top = static_cast<uint64_t>(n >> 75);                 /* 53 bits */
        const uint64_t nxt = static_cast<uint64_t>(n >> 22) & ((1ull << 53) - 1); /* next 53 */
        const uint64_t sc_bits = static_cast<uint64_t>(1023 - 53 - lz) << 52; /* 2^-(53 + lz), no libm ldexp */
        double sc;
        __builtin_memcpy(&sc, &sc_bits, sizeof sc);
        fh = static_cast<double>(top) * sc;
        fl = static_cast<double>(nxt) * (sc * 0x1p-53);
    }
    /* r = (fh + fl) pi/2 */
    const double ph = fh * kVmPio2Hi;
    const double pl = __builtin_fma(fh, kVmPio2Hi, -ph) + (fh * kVmPio2Lo + fl * kVmPio2Hi);
    rh = ph + pl;
    rl = pl - (rh - ph);
    if (neg != (sign < 0)) {
        rh = -rh;
        rl = -rl;
    }
    if (neg) q = (4 - q) & 3;
}

/* x = k pi/2 + (rh + rl), |rh| <= pi/4 (a little more near the rounding boundary); quadrant k & 3.
 * Cody-Waite with pi/2 in three parts, exact first step (FMA) and a double-double remainder,
 * for |x| < 2^30; Payne-Hanek lane by lane above. */
/* x - kd pi/2 as rh + rl, |x| < kTrigHuge: pi/2 in three parts, the first step exact (FMA). */
template <class V> VM_INLINE void vm_cody_waite(V x, V kd, V &rh, V &rl) {
    typedef VmK<V> K;
    const V t1 = vm_fma(-kd, vm_c<V>(K::kPio2_1), x);
    const V p = kd * vm_c<V>(K::kPio2_2);
    const V pe = vm_fma(kd, vm_c<V>(K::kPio2_2), -p);
    V s, e;
    vm_two_sum(t1, -p, s, e);
    const V l = (e - pe) - kd * vm_c<V>(K::kPio2_3);
    vm_fast_two_sum(s, l, rh, rl);
}
template <class V> VM_INLINE VmI<V> vm_rem_pio2(V x, V &rh, V &rl, bool &huge_any) {
    typedef VmK<V> K;
    const V kd = vm_round(x * vm_c<V>(K::kTwoOverPi));
    vm_cody_waite(x, kd, rh, rl);
    VmI<V> q = vm_toint(kd) & vm_ci<V>(3);
    const auto huge = (vm_abs(x) >= vm_c<V>(K::kTrigHuge)) & (vm_abs(x) < vm_c<V>(__builtin_inf()));
    if constexpr (kVmFloat<V>) {
        huge_any = vm_any(huge); /* the caller takes the float64 path */
    } else if (__builtin_expect(vm_any(huge), 0)) {
        if constexpr (lanes_of<V>() == 1) {
            int qi;
            vm_rem_pio2_huge(x, rh, rl, qi);
            q = qi;
        } else {
            for (size_t i = 0; i < lanes_of<V>(); i++) {
                if (!huge[i]) continue;
                double h, lo;
                int qi;
                vm_rem_pio2_huge(x[i], h, lo, qi);
                rh[i] = h;
                rl[i] = lo;
                q[i] = qi;
            }
        }
    }
    return q;
}
/* sin(x + y), cos(x + y) for |x| <= pi/4, |y| tiny (fdlibm's kernel forms). */
template <class V> VM_INLINE V vm_sin_k(V x, V y) {
    const V z = x * x, v = z * x;
    const V r = vm_poly(z, VmK<V>::kSinS);
    return x - ((z * (vm_c<V>(0.5) * y - v * r) - y) - v * vm_c<V>(VmK<V>::kSin1));
}
template <class V> VM_INLINE V vm_cos_k(V x, V y) {
    const V z = x * x, hz = vm_c<V>(0.5) * z;
    const V w = vm_c<V>(1.0) - hz;
    return w + (((vm_c<V>(1.0) - w) - hz) + (z * z * vm_poly(z, VmK<V>::kCosC) - x * y));
}

/* which: 0 sin, 1 cos, 2 tan */
template <class V, int WHICH> VM_INLINE V vm_trig(V x) {
    V rh, rl;
    bool huge = false;
    const VmI<V> q = vm_rem_pio2(x, rh, rl, huge);
    const V s = vm_sin_k(rh, rl), c = vm_cos_k(rh, rl);
    const auto odd = (q & vm_ci<V>(1)) != vm_ci<V>(0);
    V res;
    if constexpr (WHICH == 2) {
        res = vm_sel(odd, -c, s) / vm_sel(odd, s, c); /* one division for both */
    } else {
        res = vm_sel(odd, c, s);
        if constexpr (WHICH == 1) res = vm_sel(odd, s, c);
        /* sin: quadrants 2, 3 negative; cos: quadrants 1, 2 */
        const VmI<V> qs = WHICH == 1 ? q + vm_ci<V>(1) : q;
        res = vm_sel((qs & vm_ci<V>(2)) != vm_ci<V>(0), -res, res);
    }
    if constexpr (WHICH != 1) res = vm_sel(x == vm_c<V>(0.0), x, res); /* keeps -0 */
    if constexpr (kVmFloat<V>) {
        /* huge float arguments: those lanes from the float64 path (the others keep their bits, so a
         * lane does not depend on its neighbours) */
        if (__builtin_expect(huge, 0)) {
            const V d = vm_via_double(x, [](auto v) { return vm_trig<decltype(v), WHICH>(v); });
            res = vm_sel(vm_abs(x) >= vm_c<V>(VmK<V>::kTrigHuge), d, res);
        }
    }
    return res;
}
/* float32 sin (WHICH 0) and cos (1) in float lanes, one polynomial: sin x = (-1)^q sin d with
 * x = q pi + d; cos x = sin(x + pi/2), q = 2 round(x/pi - 1/2) + 1 odd and x = q pi/2 + d, the
 * sign from q's second bit. |d| <= pi/2 (a rounding more at most). Lanes with |x| >= kSinCosMax
 * come from the float64 path (Payne-Hanek above 2^30), the others keep their bits. */
template <class V, int WHICH> VM_INLINE V vm_sincos_f32(V x) {
    typedef VmK<V> K;
    /* s = (nearest integer n) + 1.5 2^23: n's parity is s's lowest bit (the magic's is 0) */
    const V magic = vm_c<V>(K::kMagic);
    V q, d, s;
    if constexpr (WHICH == 0) {
        s = vm_fma(x, vm_c<V>(K::kInvPi), magic); /* n = round(x/pi) = q */
        q = s - magic;
        d = vm_fma(-q, vm_c<V>(K::kPiP[0]), x);
        for (int j = 1; j < 5; j++) d = vm_fma(-q, vm_c<V>(K::kPiP[j]), d);
    } else {
        s = vm_fma(x, vm_c<V>(K::kInvPi), vm_c<V>(-0.5)) + magic; /* n = round(x/pi - 1/2), q = 2n + 1 */
        q = vm_fma(vm_c<V>(2.0), s - magic, vm_c<V>(1.0));
        d = vm_fma(-q, vm_c<V>(0.5 * K::kPiP[0]), x);
        for (int j = 1; j < 5; j++) d = vm_fma(-q, vm_c<V>(0.5 * K::kPiP[j]), d);
    }
    /* sign: sin: q odd; cos: q's bit 1 clear, that is n even (q = 1: cos x = -sin(x - pi/2)) */
    const VmI<V> flip = WHICH == 0 ? vm_sll(vm_bits(s), 31) : vm_sll(~vm_bits(s) & vm_ci<V>(1), 31);
    d = vm_from_bits<V>(vm_bits(d) ^ flip);
    const V z = d * d;
    V res = vm_fma(z * d, vm_poly(z, K::kSinP), d);
    if constexpr (WHICH == 0) res = vm_sel(x == vm_c<V>(0.0), x, res); /* keeps -0 (z d P(z): +0) */
    if (__builtin_expect(vm_any_in(vm_abs(x), K::kSinCosMax, __builtin_inf()), 0)) {
        const auto far = (vm_abs(x) >= vm_c<V>(K::kSinCosMax)) & (vm_abs(x) < vm_c<V>(__builtin_inf()));
        const V w = vm_via_double(x, [](auto v) { return vm_trig<decltype(v), WHICH>(v); });
        res = vm_sel(far, w, res);
    }
    return res;
}

/* float64 x - kd pi/2 by three FMAs, the first exact: within an ulp of itself, which sin passes
 * on at most as it is (d cos d / sin d <= 1) and tan at most times 2d / sin 2d <= pi/2 (|x| <
 * kTrigHuge) */
template <class V> VM_INLINE V vm_pio2_fma3(V x, V kd) {
    typedef VmK<V> K;
    return vm_fma(-kd, vm_c<V>(K::kPio2_3), vm_fma(-kd, vm_c<V>(K::kPio2_2), vm_fma(-kd, vm_c<V>(K::kPio2_1), x)));
}
/* res with the lanes from kTrigHuge on taken from vm_trig (Payne-Hanek) */
template <class V, int WHICH> VM_INLINE V vm_trig_huge(V x, V res) {
    typedef VmK<V> K;
    if (__builtin_expect(vm_any_in(vm_abs(x), K::kTrigHuge, __builtin_inf()), 0)) {
        const auto huge = (vm_abs(x) >= vm_c<V>(K::kTrigHuge)) & (vm_abs(x) < vm_c<V>(__builtin_inf()));
        res = vm_sel(huge, vm_trig<V, WHICH>(x), res);
    }
    return res;
}
/* sin d = d + d^3 S(d^2), |d| <= pi/2 (tools/vmath/fit.py) */
constexpr double kVmSinPio2S[] = {-0x1.5555555555555p-3, 0x1.1111111111111p-7,  -0x1.a01a01a01a01ap-13,
                                  0x1.71de3a556c716p-19, -0x1.ae64567f528c3p-26, 0x1.612461397e4a1p-33,
                                  -0x1.ae7f3dabee3fdp-41, 0x1.952c169c30e93p-49, -0x1.2f2cbce830fe4p-57,
                                  0x1.67dd53818dfcfp-66};
/* float64 sin and cos, one polynomial each (not the sin and cos kernels both evaluated and one
 * selected): x = q pi/2 + d with q even for sin (q = 2 round(x/pi)) and odd for cos (q = 2
 * round(x/pi - 1/2) + 1), |d| <= pi/2; sin x = +-sin d by q's second bit, cos x = -+sin d.
 * Lanes from kTrigHuge on (Payne-Hanek) through vm_trig. */
template <class V, int WHICH> VM_INLINE V vm_sincos_d(V x) {
    typedef VmK<V> K;
    const V kd = WHICH == 0 ? vm_c<V>(2.0) * vm_round(x * vm_c<V>(0.5 * K::kTwoOverPi))
                            : vm_fma(vm_c<V>(2.0), vm_round(vm_fma(x, vm_c<V>(0.5 * K::kTwoOverPi), vm_c<V>(-0.5))),
                                     vm_c<V>(1.0));
    const V d = vm_pio2_fma3(x, kd);
    const V z = d * d;
    V res = vm_fma(d * z, vm_poly(z, kVmSinPio2S), d);
    const VmI<V> ki = WHICH == 0 ? vm_toint(kd) : ~vm_toint(kd);
    res = vm_from_bits<V>(vm_bits(res) ^ vm_sll(ki & vm_ci<V>(2), 62));
    res = vm_sel(x == vm_c<V>(0.0), WHICH == 0 ? x : vm_c<V>(1.0), res); /* sin keeps -0 */
    return vm_trig_huge<V, WHICH>(x, res);
}
template <class V> VM_INLINE V vm_sin(V x) {
    if constexpr (kVmFloat<V>)
        return vm_sincos_f32<V, 0>(x);
    else
        return vm_sincos_d<V, 0>(x);
}
template <class V> VM_INLINE V vm_cos(V x) {
    if constexpr (kVmFloat<V>)
        return vm_sincos_f32<V, 1>(x);
    else
        return vm_sincos_d<V, 1>(x);
}
/* float32 tan in float lanes: x = q pi/2 + d (pi/2 in five parts, as cos), |d| <= pi/4 (a
 * rounding more at most), tan d = d + d^3 T(d^2) (tools/vmath/fit.py), tan x = -1/tan d for odd
 * q: one polynomial and a division where the generic path takes both sin and cos kernels. Lanes
 * with |x| >= kSinCosMax from the float64 path. */
constexpr double kVmTanF[] = {0x1.55556p-2, 0x1.110d9cp-3, 0x1.bad95p-5, 0x1.5cca3ep-6, 0x1.628d5cp-7, 0x1.c76bf8p-14,
                              0x1.1e389ap-8};
template <class V> VM_INLINE V vm_tan_f32(V x) {
    typedef VmK<V> K;
    const V q = vm_round(x * vm_c<V>(K::kTwoOverPi));
    V d = vm_fma(-q, vm_c<V>(0.5 * K::kPiP[0]), x);
    for (int j = 1; j < 5; j++) d = vm_fma(-q, vm_c<V>(0.5 * K::kPiP[j]), d);
    const V z = d * d;
    const V t = vm_fma(z * d, vm_poly(z, kVmTanF), d); /* x = +-0: d = x, z d T(z) = x, t = x */
    const auto odd = (vm_toint(q) & vm_ci<V>(1)) != vm_ci<V>(0);
    V res = vm_sel(odd, vm_c<V>(-1.0) / t, t);
    if (__builtin_expect(vm_any_in(vm_abs(x), K::kSinCosMax, __builtin_inf()), 0)) {
        const auto far = (vm_abs(x) >= vm_c<V>(K::kSinCosMax)) & (vm_abs(x) < vm_c<V>(__builtin_inf()));
        const V w = vm_via_double(x, [](auto v) { return vm_trig<decltype(v), 2>(v); });
        res = vm_sel(far, w, res);
    }
    return res;
}
/* float64 tan: x = q pi/2 + d, |d| <= pi/4 (a rounding more at most, d by vm_pio2_fma3);
 * tan d = d + d^3 T(d^2) (tools/vmath/fit.py), tan x = -1/tan d for odd q: one polynomial and a
 * division where vm_trig takes both sin and cos kernels. Lanes from kTrigHuge on through vm_trig
 * (Payne-Hanek). */
constexpr double kVmTanD[] = {0x1.55555555554ecp-2,  0x1.111111111885ep-3, 0x1.ba1ba1b42dc34p-5,  0x1.664f49b3abb2bp-6,
                              0x1.226e111efe9e3p-7,  0x1.d6d96084c66dbp-9, 0x1.7d5934cb87883p-10, 0x1.380cfd77b4591p-11,
                              0x1.d1931c00f83abp-13, 0x1.1ffab85a71625p-13, -0x1.cde34d3db46a3p-16, 0x1.7bb337dc205f0p-14,
                              -0x1.7d6ca73f9af1ap-15, 0x1.6077ae6ea2772p-16};
template <class V> VM_INLINE V vm_tan_d(V x) {
    typedef VmK<V> K;
    const V kd = vm_round(x * vm_c<V>(K::kTwoOverPi));
    const V d = vm_pio2_fma3(x, kd);
    const V z = d * d;
    const V t = vm_fma(d * z, vm_poly(z, kVmTanD), d);
    const auto odd = (vm_toint(kd) & vm_ci<V>(1)) != vm_ci<V>(0);
    V res = vm_sel(odd, vm_c<V>(-1.0) / t, t);
    res = vm_sel(x == vm_c<V>(0.0), x, res); /* keeps -0 */
    return vm_trig_huge<V, 2>(x, res);
}
template <class V> VM_INLINE V vm_tan(V x) {
    if constexpr (kVmFloat<V>)
        return vm_tan_f32(x);
    else
        return vm_tan_d(x);
}

/* ---------------------------------------------------------------- inverse trigonometric (float64) */

/* s + c = sqrt(z) to about 2^-56 relative, z >= 0 (negative z and NaN: NaN). On AVX-512 without
 * the divide unit: rsqrt14 and one coupled Goldschmidt step give s and h ~ 1/(2s) to 2^-28, and c
 * = (z - s^2) h (the residual exact by fma); elsewhere s is the rounded root and c = (z - s^2) / 2s. */
template <class V> VM_INLINE void vm_sqrt_sc(V z, V &s, V &c) {
#if defined(__AVX512F__)
    if constexpr (sizeof(ElemOf<V>) == 8 && (sizeof(V) == 64 || lanes_of<V>() == 1)) {
        V y;
        if constexpr (sizeof(V) == 64)
            y = (V)_mm512_maskz_rsqrt14_pd(-1, (__m512d)z);
        else
            y = _mm_cvtsd_f64(_mm_rsqrt14_sd(_mm_set_sd(z), _mm_set_sd(z)));
        V g, h;
        vm_gs_step(z, y, g, h);
        const auto zero = z == vm_c<V>(0.0); /* rsqrt14(0) = inf: s = c = 0 there */
        s = vm_sel(zero, z, g);
        c = vm_sel(zero, z, vm_fma(-g, g, z) * h);
        return;
    }
#endif
    s = vm_sqrt(z);
    c = vm_fma(-s, s, z) / vm_sel(s > vm_c<V>(0.0), s + s, vm_c<V>(1.0));
}

/* asin and acos from one reduction: |x| <= 1/2 directly, above it asin|x| = pi/2 - 2 asin(s),
 * s = sqrt((1 - |x|) / 2), with s's rounding error c carried. */
template <class V, bool ACOS> VM_INLINE V vm_asin_acos(V x) {
    const V ax = vm_abs(x);
    const auto small = ax <= vm_c<V>(0.5);
    const V zb = (vm_c<V>(1.0) - ax) * vm_c<V>(0.5);
    const V z = vm_sel(small, x * x, zb);
    const V p = z * vm_poly(z, kVmAsinA);
    V s, c;
    vm_sqrt_sc(zb, s, c);
    const V t = s + s;
    const V rest = vm_c<V>(2.0) * vm_fma(s, p, vm_fma(c, p, c)); /* 2 asin(s + c) = t + rest */
    if constexpr (!ACOS) {
        const V big = (vm_c<V>(kVmPio2Hi) - t) + (vm_c<V>(kVmPio2Lo) - rest);
        const V sm = vm_fma(x, p, x);
        return vm_sel(small, sm, vm_copysign(big, x));
    } else {
        const V sm = vm_c<V>(kVmPio2Hi) - (x + (x * p - vm_c<V>(kVmPio2Lo)));
        const V pos = t + rest;
        const V neg = (vm_c<V>(kVmPiHi) - t) + (vm_c<V>(kVmPiLo) - rest);
        return vm_sel(small, sm, vm_sel(x > vm_c<V>(0.0), pos, neg));
    }
}
/* float32 acos in float lanes: |x| <= 1/2: pi/2 - asin x; above, w = sqrt((1 - |x|) / 2) and
 * acos|x| = 2 asin w (pi minus it for negative x); asin by one polynomial. */
/* The float32 asin/acos core: asin x for |x| <= 1/2 (`small`), else asin w, w = sqrt((1 - |x|) / 2),
 * both by one polynomial. */
template <class V> VM_INLINE V vm_asin_core_f32(V x, V ax, decltype(V() <= V()) small) {
    typedef VmK<V> K;
    const V zb = (vm_c<V>(1.0) - ax) * vm_c<V>(0.5);
    const V z = vm_sel(small, x * x, zb);
    const V w = vm_sel(small, x, vm_sqrt(zb));
    return vm_fma(w * z, vm_poly(z, K::kAsinP), w);
}
template <class V> VM_INLINE V vm_acos_f32(V x) {
    typedef VmK<V> K;
    const V ax = vm_abs(x);
    const auto small = ax <= vm_c<V>(0.5);
    const V p = vm_asin_core_f32(x, ax, small); /* asin w */
    const V sm = (vm_c<V>(K::kPio2Hi) - p) + vm_c<V>(K::kPio2Lo);
    const V p2 = p + p;
    const V big = vm_sel(x > vm_c<V>(0.0), p2, (vm_c<V>(K::kPiHi) - p2) + vm_c<V>(K::kPiLo));
    return vm_sel(small, sm, big);
}

/* float32 asin in float lanes: |x| <= 1/2 by the polynomial, above pi/2 - 2 asin(w), w = sqrt((1 -
 * |x|) / 2) (pi/2 - 2 asin w is exact in its first subtraction where the two are close). */
template <class V> VM_INLINE V vm_asin_f32(V x) {
    typedef VmK<V> K;
    const V ax = vm_abs(x);
    const auto small = ax <= vm_c<V>(0.5);
    const V p = vm_asin_core_f32(x, ax, small);
    const V big = (vm_c<V>(K::kPio2Hi) - (p + p)) + vm_c<V>(K::kPio2Lo);
    return vm_sel(small, p, vm_copysign(big, x));
}

template <class V> VM_INLINE V vm_asin(V x) {
    if constexpr (kVmFloat<V>)
        return vm_asin_f32(x);
    else
        return vm_asin_acos<V, false>(x);
}
template <class V> VM_INLINE V vm_acos(V x) {
    if constexpr (kVmFloat<V>)
        return vm_acos_f32(x);
    else
        return vm_asin_acos<V, true>(x);
}

/* atan(a/b) = (mid ? pi/4 : 0) + u + tail for 0 <= a <= b, b > 0 (returns mid, a > tan(pi/8) b):
 * u = a/b, or for mid (a - b)/(a + b) from a and b, not from the rounded quotient (a - b exact;
 * SCALE: both scaled down by 4 for huge b); tail = u^3 T(u^2). */
template <class V, bool SCALE> VM_INLINE auto vm_atan_u(V a, V b, V &u, V &tail) {
    const auto mid = a > vm_c<V>(0x1.a827999fcef32p-2) * b; /* tan(pi/8) */
    V as = a, bs = b;
    if constexpr (SCALE) {
        const V sc = vm_sel(mid & (b > vm_c<V>(0x1p1000)), vm_c<V>(0.25), vm_c<V>(1.0));
        as = a * sc, bs = b * sc;
    }
    u = vm_sel(mid, as - bs, a) / vm_sel(mid, as + bs, b);
    const V z = u * u;
    tail = u * z * vm_poly_estrin(z, kVmAtanT);
    return mid;
}
/* atan(a/b) = hi + lo for atan2's any 0 <= a <= b: exact power-of-two scalings, tiny b up
 * (tan(pi/8) b must not underflow), huge a + b down (vm_atan_u's SCALE); atan's a <= 1 <= b need
 * neither. */
template <class V> VM_INLINE void vm_atan_ratio(V a, V b, V &hi, V &lo) {
    const V up = vm_sel(b < vm_c<V>(0x1p-900), vm_c<V>(0x1p200), vm_c<V>(1.0));
    V u, tail;
    const auto mid = vm_atan_u<V, true>(a * up, b * up, u, tail);
    const V bh = vm_sel(mid, vm_c<V>(kVmPio4Hi), vm_c<V>(0.0));
    const V bl = vm_sel(mid, vm_c<V>(kVmPio4Lo), vm_c<V>(0.0));
    V e;
    vm_two_sum(bh, u, hi, e);
    lo = e + (tail + bl);
}

/* float32 atan of a / b, 0 <= a <= b, b > 0 (float lanes): u = a / b in [0, 1], one polynomial. */
template <class V> VM_INLINE V vm_atan_f32_ratio(V a, V b) {
    const V u = a / b;
    const V z = u * u;
    return vm_fma(u * z, vm_poly(z, VmK<V>::kAtanP), u);
}
template <class V> VM_INLINE V vm_atan(V x) {
    if constexpr (kVmFloat<V>) {
        /* |x| > 1: pi/2 - atan(1/|x|) (1/inf = 0); NaN passes */
        const V ax = vm_abs(x);
        const auto inv = ax > vm_c<V>(1.0);
        V r = vm_atan_f32_ratio(vm_sel(inv, vm_c<V>(1.0), ax), vm_sel(inv, ax, vm_c<V>(1.0)));
        r = vm_sel(inv, (vm_c<V>(VmK<V>::kPio2Hi) - r) + vm_c<V>(VmK<V>::kPio2Lo), r);
        return vm_copysign(r, x);
    } else {
        /* atan|x| = B + s atan u: a/b = min(|x|, 1)/max(|x|, 1) (1/inf = 0), u = a/b below
         * tan(pi/8), else (a - b)/(a + b) (a - b exact); B = pi/4 there, else pi/2 for |x| > 1
         * and 0 below; s = -1 for |x| > 1. One exact sum B + s u (|B| > |u| or B = 0) where
         * atan2's ratio takes two. */
        const V ax = vm_abs(x);
        const auto inv = ax > vm_c<V>(1.0);
        V u, tail;
        const auto mid = vm_atan_u<V, false>(vm_sel(inv, vm_c<V>(1.0), ax), vm_sel(inv, ax, vm_c<V>(1.0)), u, tail);
        u = vm_sel(inv, -u, u);
        tail = vm_sel(inv, -tail, tail);
        const V bh = vm_sel(mid, vm_c<V>(kVmPio4Hi), vm_sel(inv, vm_c<V>(kVmPio2Hi), vm_c<V>(0.0)));
        const V bl = vm_sel(mid, vm_c<V>(kVmPio4Lo), vm_sel(inv, vm_c<V>(kVmPio2Lo), vm_c<V>(0.0)));
        V hi, lo;
        vm_fast_two_sum(bh, u, hi, lo);
        const V res = vm_copysign(hi + (lo + (tail + bl)), x);
        return vm_sel(vm_isnan(x), x, res);
    }
}

template <class V> VM_INLINE V vm_atan2(V y, V x) {
    if constexpr (kVmFloat<V>) {
        const V ax = vm_abs(x), ay = vm_abs(y);
        const auto swap = ay > ax;
        V a = vm_sel(swap, ax, ay), b = vm_sel(swap, ay, ax);
        const auto both_inf = a == vm_c<V>(__builtin_inf()); /* pi/4 (odd multiples) */
        a = vm_sel(both_inf, vm_c<V>(1.0), a);
        b = vm_sel(both_inf | (b == vm_c<V>(0.0)), vm_c<V>(1.0), b);
        typedef VmK<V> K;
        V r = vm_atan_f32_ratio(a, b);
        r = vm_sel(swap, (vm_c<V>(K::kPio2Hi) - r) + vm_c<V>(K::kPio2Lo), r); /* pi/2 - r */
        r = vm_sel(vm_signbit(x), (vm_c<V>(K::kPiHi) - r) + vm_c<V>(K::kPiLo), r); /* pi - r */
        return vm_sel(vm_isnan(x) | vm_isnan(y), x + y, vm_copysign(r, y));
    } else {
        const V ax = vm_abs(x), ay = vm_abs(y);
        const auto swap = ay > ax;
        V a = vm_sel(swap, ax, ay), b = vm_sel(swap, ay, ax);
        const auto both_inf = (a == vm_c<V>(__builtin_inf()));
        a = vm_sel(both_inf, vm_c<V>(1.0), a);
        b = vm_sel(both_inf | (b == vm_c<V>(0.0)), vm_c<V>(1.0), b);
        V hi, lo, h2, e2;
        vm_atan_ratio(a, b, hi, lo);
        vm_two_sum(vm_c<V>(kVmPio2Hi), -hi, h2, e2);
        hi = vm_sel(swap, h2, hi);
        lo = vm_sel(swap, e2 + (vm_c<V>(kVmPio2Lo) - lo), lo);
        vm_two_sum(vm_c<V>(kVmPiHi), -hi, h2, e2);
        const auto left = vm_signbit(x);
        hi = vm_sel(left, h2, hi);
        lo = vm_sel(left, e2 + (vm_c<V>(kVmPiLo) - lo), lo);
        const V res = vm_copysign(hi + lo, y);
        return vm_sel(vm_isnan(x) | vm_isnan(y), x + y, res);
    }
}

/* ---------------------------------------------------------------- hyperbolic */

/* sinh x = x + x^3 S(x^2), |x| < 1 (tools/vmath/fit.py); float32: Taylor to x^9 */
constexpr double kVmSinhS[] = {0x1.5555555555555p-3, 0x1.1111111111111p-7, 0x1.a01a01a019fbcp-13, 0x1.71de3a557444dp-19,
                               0x1.ae645673c8a47p-26, 0x1.61246b2b5b1f2p-33, 0x1.ae7550440eb05p-41, 0x1.9a80d92dca7d9p-49};
constexpr double kVmSinhF[] = {0x1.5555555555555p-3, 0x1.1111111111111p-7, 0x1.a01a01a01a01ap-13, 0x1.71de3a556c734p-19};

/* e^a / 2 and e^-a / 2, a = |x| or NaN: float64 from the exp table, float32 in float lanes
 * (a clamped to 90, where float overflows anyway). */
template <class V> VM_INLINE void vm_exp_pm_half(V a, V &ep, V &em) {
    if constexpr (kVmFloat<V>)
        vm_exp_pm_f32(vm_sel(a > vm_c<V>(90.0), vm_c<V>(90.0), a), ep, em); /* NaN stays */
    else
        vm_exp_pm<V, -1>(a, ep, em);
}
/* sinh: the odd polynomial x + x^3 S(x^2) below 1; above, E - 1/(4E), E = e^|x| / 2 and 1/(4E) =
 * e^-|x| / 2 from one reduction (E >= 1.35: the subtraction loses under 0.2 ulp); both for every
 * lane, no expm1, no division. */
template <class V> VM_INLINE V vm_sinh(V x) {
    const V ax = vm_abs(x);
    const V z = x * x;
    V sm;
    if constexpr (kVmFloat<V>)
        sm = vm_fma(ax * z, vm_poly(z, kVmSinhF), ax);
    else
        sm = vm_fma(ax * z, vm_poly(z, kVmSinhS), ax);
    V ep, em;
    vm_exp_pm_half(ax, ep, em);
    return vm_copysign(vm_sel(ax < vm_c<V>(1.0), sm, ep - em), x);
}
/* cosh x = E + 1/(4E) as above (E scaled inside exp: finite up to where cosh overflows). */
template <class V> VM_INLINE V vm_cosh(V x) {
    V ep, em;
    vm_exp_pm_half(vm_abs(x), ep, em);
    return ep + em;
}
/* float32 tanh on AVX-512 by 32 polynomials (tools/vmath/tables.py): |x| in [0, 9) in intervals
 * of 9/32, degree 6 in u = |x| S - (j + 1/2), the coefficients looked up per lane (one vpermt2d
 * each); interval 0 holds tanh(a)/a; 1 from 9 on. No exp, no division. */
constexpr double kVmTanhS = 0x1.c71c72p+1; /* 32/9 as a float */
template <class V> VM_INLINE V vm_tanh_ftab(V x) {
    const V a = vm_abs(x);
    V jf = vm_round(a * vm_c<V>(kVmTanhS) - vm_c<V>(0.5)); /* floor(a S), or its neighbour at a tie */
    jf = vm_sel(jf > vm_c<V>(31.0), vm_c<V>(31.0), jf);    /* NaN stays: its lane is NaN anyway */
    const VmI<V> j = vm_toint(jf) & vm_ci<V>(31); /* masked: a NaN lane's index stays in the table */
    const V u = vm_fma(a, vm_c<V>(kVmTanhS), -(jf + vm_c<V>(0.5)));
    constexpr int D = sizeof(kVmTanhF32) / sizeof(kVmTanhF32[0]) - 1;
    V p = vm_from_bits<V>(vm_tab<V>(kVmTanhF32[D], j));
    for (int k = D - 1; k >= 0; k--) p = vm_fma(p, u, vm_from_bits<V>(vm_tab<V>(kVmTanhF32[k], j)));
    p = vm_sel(jf == vm_c<V>(0.0), a * p, p);
    p = vm_sel(a > vm_c<V>(9.0), vm_c<V>(1.0), p);
    return vm_copysign(p, x);
}
template <class V> VM_INLINE V vm_tanh(V x) {
    if constexpr (kVmFloat<V> && kVmTab32) return vm_tanh_ftab(x);
    const V ax = vm_abs(x);
    if constexpr (kVmFloat<V>) {
        /* x + x^3 T(x^2) below 0.5625, 1 - 2 / (e^2|x| + 1) above */
        const V z = x * x;
        const V sm = vm_fma(x * z, vm_poly(z, VmK<V>::kTanhT), x);
        const V e = vm_exp(vm_c<V>(2.0) * vm_sel(ax > vm_c<V>(10.0), vm_c<V>(10.0), ax));
        const V big = vm_copysign(vm_c<V>(1.0) - vm_c<V>(2.0) / (e + vm_c<V>(1.0)), x);
        const V res = vm_sel(ax < vm_c<V>(0.5625), sm, big);
        return vm_sel(x == vm_c<V>(0.0), x, res); /* keeps -0 */
    } else {
        /* t = e^a - 1, a = 2 |x| <= 44, from the exp table's reduction: e^a = S (1 + T_j + r +
         * r^2 Q1(r)), S = 2^k H_j, t = (S - 1) + S ((r + T_j) + r^2 Q1(r)) with S - 1 exact where
         * t < 3, and r added whole (t keeps its relative accuracy down to tiny x, where S = 1, T_j
         * = 0 and t = r + r^2 Q1(r) is rounded once); tanh |x| = t / (t + 2). */
        const V a = vm_c<V>(2.0) * vm_clamp(ax, vm_c<V>(0.0), vm_c<V>(22.0)); /* NaN stays */
        V kd, r, qe, qo;
        VmI<V> sb;
        vm_exp_tab_reduce<V, false>(a, vm_c<V>(0.0), kd, sb, r, qe, qo, kVmExpM1TabQ1);
        const VmI<V> j = vm_tab16_idx<V>(sb);
        const V tmp = vm_fma(r * r, vm_fma(r, qo, qe), r + vm_from_bits<V>(vm_tab<V>(kVmExp16T, j)));
        const V S = vm_exp_fast_scale<V>(sb, j);
        const V t = vm_fma(S, tmp, S - vm_c<V>(1.0));
        return vm_copysign(t / (t + vm_c<V>(2.0)), x);
    }
}
/* asinh|x| = log1p(|x| + x^2 / (1 + sqrt(1 + x^2))), one log1p for every lane: above 2^28 the
 * argument is 2|x| - 1 (log 2|x| to well under an ulp), above 2^1000 (float32: 2^100) |x|/2 - 1
 * plus 2 ln 2. */
template <class V> VM_INLINE V vm_asinh(V x) {
    {
        const V ax = vm_abs(x);
        const auto huge = ax > vm_c<V>(0x1p28), vast = ax > vm_c<V>(kVmFloat<V> ? 0x1p100 : 0x1p1000);
        const V x2 = ax * ax;
        V u = ax + x2 / (vm_c<V>(1.0) + vm_sqrt(vm_c<V>(1.0) + x2));
        u = vm_sel(huge, vm_fma(vm_c<V>(2.0), ax, vm_c<V>(-1.0)), u);
        u = vm_sel(vast, vm_fma(vm_c<V>(0.5), ax, vm_c<V>(-1.0)), u);
        const V res = vm_log1p(u) + vm_sel(vast, vm_c<V>(2.0 * kVmLn2Hi), vm_c<V>(0.0));
        return vm_copysign(res, x);
    }
}
/* acosh x = log1p(t + sqrt(t (t + 2))), t = x - 1, one log1p; huge x as in asinh. */
template <class V> VM_INLINE V vm_acosh(V x) {
    {
        const auto huge = x > vm_c<V>(0x1p28), vast = x > vm_c<V>(kVmFloat<V> ? 0x1p100 : 0x1p1000);
        const V t = x - vm_c<V>(1.0);
        V u = t + vm_sqrt(vm_fma(t, t, t + t));
        u = vm_sel(huge, vm_fma(vm_c<V>(2.0), x, vm_c<V>(-1.0)), u);
        u = vm_sel(vast, vm_fma(vm_c<V>(0.5), x, vm_c<V>(-1.0)), u);
        const V res = vm_log1p(u) + vm_sel(vast, vm_c<V>(2.0 * kVmLn2Hi), vm_c<V>(0.0));
        return vm_sel(x < vm_c<V>(1.0), vm_c<V>(__builtin_nan("")), res);
    }
}
template <class V> VM_INLINE V vm_atanh(V x) {
    {
        const V ax = vm_abs(x);
        const V a2 = ax + ax, om = vm_c<V>(1.0) - ax;
        /* atanh|x| = log1p(2|x| / (1 - |x|)) / 2, the argument written 2|x| + 2x^2/(1-|x|) below 1/2 */
        /* one quotient: 2|x| / (1 - |x|) is 2q exactly */
        const V q = ax / om;
        const V arg = vm_sel(ax < vm_c<V>(0.5), vm_fma(a2, q, a2), q + q);
        return vm_copysign(vm_c<V>(0.5) * vm_log1p(arg), x);
    }
}

/* ---------------------------------------------------------------- pow, hypot (float64) */

/* Integer and odd-integer tests of y (exact for every value of V's lane type). */
template <class V> VM_INLINE void vm_int_parity(V y, VmI<V> &is_int, VmI<V> &is_odd) {
    const V big = vm_c<V>(static_cast<double>(int64_t(1) << VmK<V>::kMant)); /* from here on: integers */
    const V ay = vm_abs(y);
    const V r = (ay + big) - big; /* nearest integer when |y| < big */
    const auto low = ay < big;
    is_int = (VmI<V>)(vm_not(low) | (r == ay)) & (VmI<V>)(ay < vm_c<V>(__builtin_inf()));
    const VmI<V> lowbit = vm_sel(low, vm_bits(ay + big), vm_bits(ay)) & vm_ci<V>(1);
    is_odd = (VmI<V>)(ay < big + big) & is_int & (VmI<V>)(lowbit != vm_ci<V>(0));
}

/* e^q, |q| <= ln2/2 + a little: Taylor to q^9 (relative error < 2^-37) */
constexpr double kVmExpQ[] = {0x1.0000000000000p+0, 0x1.0000000000000p+0, 0x1.0000000000000p-1, 0x1.5555555555555p-3,
                              0x1.5555555555555p-5, 0x1.1111111111111p-7, 0x1.6c16c16c16c17p-10, 0x1.a01a01a01a01ap-13,
                              0x1.a01a01a01a01ap-16, 0x1.71de3a556c734p-19};
/* 2 atanh(s) = 2s + 2s z Q(z), z = s^2 <= 1/9: Taylor to z^10 (relative error < 2^-38) */
constexpr double kVmAtanhQ[] = {0x1.5555555555555p-2, 0x1.999999999999ap-3, 0x1.2492492492492p-3, 0x1.c71c71c71c71cp-4,
                                0x1.745d1745d1746p-4, 0x1.3b13b13b13b14p-4, 0x1.1111111111111p-4, 0x1.e1e1e1e1e1e1ep-5,
                                0x1.af286bca1af28p-5, 0x1.8618618618618p-5};
/* float32 results in float64 lanes (pow, logaddexp), no tables: e^t for |t| <= 700 as 2^k e^q,
 * k = round(t / ln2), q = t - k ln2 by one FMA (good to 2^-46 relative in e^q for |t| <= 700:
 * ln2's own rounding times k), e^q by its series: relative error < 2^-36. */
template <class V> VM_INLINE V vm_exp_series(V t) {
    const V kd = vm_round(t * vm_c<V>(kVmInvLn2));
    const V q = vm_fma(-kd, vm_c<V>(kVmLn2Hi), t);
    return vm_poly_estrin(q, kVmExpQ) * vm_pow2i<V>(vm_toint(kd));
}
/* log(1 + f) = 2 atanh(s), s = f / (2 + f), |s| <= 1/3 (one division, the series; relative
 * error < 2^-37, and no rounding of 1 + f) */
template <class V> VM_INLINE V vm_log1p_series(V f) {
    const V s = f / (vm_c<V>(2.0) + f);
    const V s2 = s + s, z = s * s;
    return vm_fma(s2 * z, vm_poly_estrin(z, kVmAtanhQ), s2);
}

/* x^y for float32 results, evaluated in float64 lanes, x > 0 finite (a float: normal in
 * float64), t = y log x clamped to |t| <= 160: t's absolute error stays below 2^-34 (log x good
 * to 2^-42 relative), e^t's relative one below 2^-51: a few thousandths of a float ulp before the
 * one rounding to float. */
template <class V> VM_INLINE V vm_pow_f32core(V x, V y) {
    V t = y * vm_log_f32d(x);
    t = vm_sel(t > vm_c<V>(160.0), vm_c<V>(160.0), vm_sel(t < vm_c<V>(-160.0), vm_c<V>(-160.0), t));
    return vm_exp_tab<V, 0, false, false>(t, vm_c<V>(0.0));
}

/* pow's special cases (C99 Annex F) over `res`, the core's |x|^y with |x| replaced by 1 where x
 * is 0, inf or NaN. Lanes with x > 0 finite and y finite need none of them (y = 0 and x = 1 give
 * exactly 1 from the core too, selected anyway): when every lane is such, the rest is skipped,
 * which leaves each lane's bits as they were (a lane does not depend on its neighbours). */
template <class V> VM_INLINE V vm_pow_special(V x, V y, V ax, V res) {
    const V inf = vm_c<V>(__builtin_inf()), nan = vm_c<V>(__builtin_nan("")), one = vm_c<V>(1.0);
    const V zero = vm_c<V>(0.0);
    const auto unit = (y == zero) | (x == one);
    const auto plain = (x > zero) & (x < inf) & (vm_abs(y) < inf);
    if (__builtin_expect(!vm_any(vm_not(plain)), 1)) return vm_sel(unit, one, res);
    VmI<V> yint, yodd;
    vm_int_parity(y, yint, yodd);
    const auto neg_odd = vm_signbit(x) & (yodd != vm_ci<V>(0));
    res = vm_sel(neg_odd, -res, res);
    /* negative finite x, y not an integer */
    res = vm_sel((x < zero) & (x > -inf) & (yint == vm_ci<V>(0)) & (y == y), nan, res);
    /* x = +-0 or +-inf: 0 or inf, signed for an odd integer y and negative x */
    const auto zi = (ax == zero) | (ax == inf);
    const V mag = vm_sel((ax == inf) != (y < zero), inf, zero);
    res = vm_sel(zi, vm_sel(neg_odd, -mag, mag), res);
    /* y = +-inf */
    const auto yinf = vm_abs(y) == inf;
    const V yi = vm_sel(ax == one, one, vm_sel((ax > one) == (y > zero), inf, zero));
    res = vm_sel(yinf, yi, res);
    res = vm_sel(vm_isnan(x) | vm_isnan(y), x + y, res);
    return vm_sel(unit, one, res);
}

/* float64: log in double-double, y log x as a double-double, exp of it. float32: the core in
 * float64 halves (vm_pow_f32core), rounded once; the special cases in float lanes, a whole
 * register at a time. */
template <class V> VM_INLINE V vm_pow(V x, V y) {
    const V ax = vm_abs(x);
    const V ax1 = vm_sel((ax > vm_c<V>(0.0)) & (ax < vm_c<V>(__builtin_inf())), ax, vm_c<V>(1.0));
    V res;
    if constexpr (kVmFloat<V>) {
        res = vm_via_double2(ax1, y, [](auto dx, auto dy) __attribute__((always_inline)) { return vm_pow_f32core(dx, dy); });
    } else {
        V lh, ll;
        vm_log_tab_dd(ax1, lh, ll);
        const V ph = y * lh;
        res = vm_exp_dd(ph, vm_fma(y, lh, -ph) + y * ll);
    }
    return vm_pow_special(x, y, ax, res);
}

template <class V> VM_INLINE V vm_hypot(V x, V y) {
    if constexpr (kVmFloat<V>) {
        /* float lanes: sqrt(a^2 + b^2) (a >= b) within an ulp while the squares stay normal and
         * finite; other lanes (huge, tiny, inf, NaN) in float64, where nothing overflows */
        const V ax = vm_abs(x), ay = vm_abs(y);
        const auto gt = ax > ay;
        const V a = vm_sel(gt, ax, ay), b = vm_sel(gt, ay, ax);
        V res = vm_sqrt_fast(vm_fma(a, a, b * b));
        const auto wide = vm_not((a <= vm_c<V>(0x1p60)) & ((a >= vm_c<V>(0x1p-60)) | (a == vm_c<V>(0.0))));
        if (__builtin_expect(vm_any(wide), 0))
            res = vm_sel(wide, vm_via_double2(x, y, [](auto dx, auto dy) { return vm_hypot(dx, dy); }), res);
        return res;
    } else {
        const V ax = vm_abs(x), ay = vm_abs(y);
        const auto gt = ax > ay;
        const V a = vm_sel(gt, ax, ay), b = vm_sel(gt, ay, ax);
        /* power-of-two scaling keeps a^2 + b^2 away from overflow and underflow */
        const V sc = vm_sel(a > vm_c<V>(0x1p500), vm_c<V>(0x1p-600), vm_sel(a < vm_c<V>(0x1p-500), vm_c<V>(0x1p600), vm_c<V>(1.0)));
        const V as = a * sc, bs = b * sc;
        V res = vm_sqrt_fast(vm_fma(as, as, bs * bs)) / sc;
        const V inf = vm_c<V>(__builtin_inf());
        res = vm_sel(vm_isnan(x) | vm_isnan(y), x + y, res);
        return vm_sel((ax == inf) | (ay == inf), inf, res);
    }
}

/* ---------------------------------------------------------------- fmod, nextafter, logaddexp */

/* Exponent of a positive finite double, subnormals included (ilogb; 0 gives a garbage lane). */
template <class V> VM_INLINE VmI<V> vm_ilogb(V v) {
    const auto sub = v < vm_c<V>(0x1p-1022);
    const V w = vm_sel(sub, v * vm_c<V>(0x1p64), v);
    const VmI<V> e = (vm_srl(vm_bits(w), 52) & vm_ci<V>(0x7ff)) - vm_ci<V>(1023);
    return e - vm_sel(sub, vm_ci<V>(64), vm_ci<V>(0));
}

/* One reduction step of x mod y, x and y >= 0 finite, x / y < 2^52: q = trunc(x / y) (one too big
 * at most, never too small: rounding is monotone), x - q y by an FMA, exact because the true value
 * is a multiple of y's last bit smaller than y in magnitude; one y added back if q was too big. */
template <class V> VM_INLINE V vm_fmod_step(V x, V y) {
    const V t = x / y;
    V q = (t + vm_c<V>(0x1p52)) - vm_c<V>(0x1p52); /* nearest integer, 0 <= t <= 2^52 */
    q = vm_sel(q > t, q - vm_c<V>(1.0), q);
    const V r = vm_fma(-q, y, x);
    return vm_sel(r < vm_c<V>(0.0), r + y, r);
}

/* C's fmod, exactly (the remainder of a finite quotient is always representable), float64 lanes:
 * while some lane's quotient exceeds 2^51, that lane is first reduced modulo y 2^k (a multiple of
 * y, k = its exponent gap - 51; exact power-of-two scalings), each pass taking 51 bits off the gap
 * (at most 42 passes for the widest double range, none for ordinary operands). */
template <class V> VM_INLINE V vm_fmod_d(V a, V b) {
    const V inf = vm_c<V>(__builtin_inf());
    const V x0 = vm_abs(a), y0 = vm_abs(b);
    const auto nan = vm_isnan(a) | vm_isnan(b) | (x0 == inf) | (y0 == vm_c<V>(0.0));
    const auto small = x0 < y0; /* y = inf too */
    const auto work = vm_not(nan | small);
    V x = vm_sel(work, x0, vm_c<V>(0.0));
    const V y = vm_sel(work, y0, vm_c<V>(1.0));
    for (;;) {
        /* (y 2^51 overflows only where x / y < 2^51 already) */
        const auto big = x > y * vm_c<V>(0x1p51);
        if (!vm_any(big)) break;
        VmI<V> k = vm_ilogb(x) - vm_ilogb(y) - vm_ci<V>(51);
        k = vm_sel(big, k, vm_ci<V>(0));
        const VmI<V> c = vm_ci<V>(1000);
        const VmI<V> k1 = vm_sel(k > c, c, k), k2 = vm_sel(k - k1 > c, c, k - k1), k3 = k - k1 - k2;
        const V ys = y * vm_pow2i<V>(k1) * vm_pow2i<V>(k2) * vm_pow2i<V>(k3);
        x = vm_fmod_step(x, ys);
    }
    x = vm_fmod_step(x, y);
    const V res = vm_sel(small, a, vm_copysign(x, a));
    return vm_sel(nan, vm_c<V>(__builtin_nan("")), res);
}
template <class V> VM_INLINE V vm_fmod(V a, V b) {
    if constexpr (kVmFloat<V>) /* exact in float64 too, so converting back is exact */
        return vm_via_double2(a, b, [](auto da, auto db) __attribute__((always_inline)) { return vm_fmod_d(da, db); });
    else
        return vm_fmod_d(a, b);
}

/* floor of any value (|v| >= 2^52 / 2^23 is already an integer; NaN, inf pass). */
template <class V> VM_INLINE V vm_floor(V v) {
    constexpr double big = kVmFloat<V> ? 0x1p23 : 0x1p52;
    const V av = vm_abs(v);
    V r = (av + vm_c<V>(big)) - vm_c<V>(big); /* nearest integer of |v| */
    r = vm_copysign(r, v);
    r = vm_sel(r > v, r - vm_c<V>(1.0), r);
    return vm_sel(av < vm_c<V>(big), r, v);
}

/* NumPy's npy_divmod (float_divmod in elementwise-inl.h) lane by lane, in the dtype's own
 * arithmetic so the bits match it: floor division returned, the remainder in mod. */
template <class V> VM_INLINE V vm_divmod(V a, V b, V &mod) {
    const V zero = vm_c<V>(0.0), one = vm_c<V>(1.0);
    V m = vm_fmod(a, b);
    const V q = a / b;
    V div = (a - m) / b;
    const auto nz = m != zero;
    const auto fix = nz & ((b < zero) != (m < zero));
    m = vm_sel(fix, m + b, m);
    div = vm_sel(fix, div - one, div);
    m = vm_sel(nz, m, vm_copysign(zero, b));
    V fd = vm_floor(div);
    fd = vm_sel(div - fd > vm_c<V>(0.5), fd + one, fd);
    fd = vm_sel(div != zero, fd, vm_copysign(zero, q));
    const auto bz = b == zero;
    mod = m;
    return vm_sel(bz, q, fd);
}

/* nextafter by one step of the bit pattern (the sign-magnitude order is the integer order of the
 * bits within each sign). */
template <class V> VM_INLINE V vm_nextafter(V x, V y) {
    /* unsigned: -0.0's bits are the most negative integer, and its step (discarded below)
     * must not overflow */
    typedef std::make_unsigned_t<typename VmInt<ElemOf<V>>::type> U;
    typedef Vec<U, lanes_of<V>()> VU;
    const VU bx = (VU)vm_bits(x);
    const auto up = (x < y) == (x > vm_c<V>(0.0)); /* magnitude grows */
    const VmI<V> stepped = vm_sel(up, (VmI<V>)(bx + (VU)vm_ci<V>(1)), (VmI<V>)(bx - (VU)vm_ci<V>(1)));
    V r = vm_from_bits<V>(stepped);
    const V tiny = vm_from_bits<V>(vm_ci<V>(1)); /* smallest subnormal */
    r = vm_sel(x == vm_c<V>(0.0), vm_copysign(tiny, y), r);
    r = vm_sel(x == y, y, r);
    return vm_sel(vm_isnan(x) | vm_isnan(y), x + y, r);
}

/* log(e^x + e^y) = max + log1p(e^-|x - y|); x == y exactly gives x + ln 2 (inf + inf stays inf),
 * as NumPy; a NaN operand gives NaN. */
template <class V> VM_INLINE V vm_logaddexp_d(V x, V y) {
    /* x - y as an exact pair: a tiny x against a large y would otherwise lose d's low bits */
    V d, dl;
    vm_two_sum(x, -y, d, dl);
    const auto pos = d > vm_c<V>(0.0);
    const V m = vm_sel(pos, x, y);
    V nh = vm_sel(pos, -d, d), nl = vm_sel(pos, -dl, dl); /* -|x - y| */
    const auto fin = nh > vm_c<V>(-__builtin_inf());
    nh = vm_sel(vm_isnan(nh), vm_c<V>(0.0), nh);
    nl = vm_sel(fin, nl, vm_c<V>(0.0)); /* the pair's tail is NaN when d is infinite */
    const V t = vm_exp_dd(nh, nl);
    V res = m + vm_log1p(t);
    res = vm_sel(vm_isnan(d), d, res);
    return vm_sel(x == y, x + vm_c<V>(0x1.62e42fefa39efp-1), res);
}
/* float32 results in float64 lanes (x - y exact there for any operands that matter): e^-|d| and
 * log(1 + t) by vm_exp_series / vm_log1p_series, far below a float ulp before the one rounding
 * (but where max(x, y) < 0 cancels the sum, as in float64). K independent vectors step by step
 * (the halves of a float vector): GCC keeps source order, and one vector's exp-then-log chain
 * alone leaves the out-of-order window short of work. */
template <size_t K, class V> VM_INLINE void vm_logaddexp_f32core(const V (&x)[K], const V (&y)[K], V (&res)[K]) {
    /* t = e^-a, a = |x - y| <= 200, log1p(t) (t in [0, 1]): both by the series above */
    V d[K], m[K], t[K], l[K];
    for (size_t k = 0; k < K; k++) {
        d[k] = x[k] - y[k];
        m[k] = vm_sel(d[k] > vm_c<V>(0.0), x[k], y[k]);
        V a = vm_abs(d[k]);
        a = vm_sel(a < vm_c<V>(200.0), a, vm_c<V>(200.0)); /* NaN too: e^-200 is 0 to a float sum */
        t[k] = vm_exp_series(-a);
    }
    for (size_t k = 0; k < K; k++) l[k] = vm_log1p_series(t[k]);
    for (size_t k = 0; k < K; k++) {
        V r = m[k] + l[k];
        r = vm_sel(vm_isnan(d[k]), d[k], r);
        res[k] = vm_sel(x[k] == y[k], x[k] + vm_c<V>(0x1.62e42fefa39efp-1), r);
    }
}
template <class V> VM_INLINE V vm_logaddexp(V x, V y) {
    if constexpr (kVmFloat<V>) {
        constexpr size_t N = lanes_of<V>();
        if constexpr (N == 1) {
            const double xd[1] = {x}, yd[1] = {y};
            double r[1];
            vm_logaddexp_f32core(xd, yd, r);
            return static_cast<float>(r[0]);
        } else {
            Vec<double, N / 2> xd[2], yd[2], r[2];
            vm_widen(x, xd[0], xd[1]);
            vm_widen(y, yd[0], yd[1]);
            vm_logaddexp_f32core(xd, yd, r);
            return vm_narrow(r[0], r[1]);
        }
    } else {
        return vm_logaddexp_d(x, y);
    }
}

/* ---------------------------------------------------------------- op codes */

/* The SIMD tables' math1/math2 (elementwise-inl.h): op code -> function. */
template <int OP, class V> VM_INLINE V vm_math1(V x) {
    if constexpr (OP == CP_EXP) return vm_exp(x);
    else if constexpr (OP == CP_EXPM1) return vm_expm1(x);
    else if constexpr (OP == CP_LOG) return vm_log(x);
    else if constexpr (OP == CP_LOG1P) return vm_log1p(x);
    else if constexpr (OP == CP_LOG2) return vm_log2(x);
    else if constexpr (OP == CP_LOG10) return vm_log10(x);
    else if constexpr (OP == CP_SIN) return vm_sin(x);
    else if constexpr (OP == CP_COS) return vm_cos(x);
    else if constexpr (OP == CP_TAN) return vm_tan(x);
    else if constexpr (OP == CP_ASIN) return vm_asin(x);
    else if constexpr (OP == CP_ACOS) return vm_acos(x);
    else if constexpr (OP == CP_ATAN) return vm_atan(x);
    else if constexpr (OP == CP_SINH) return vm_sinh(x);
    else if constexpr (OP == CP_COSH) return vm_cosh(x);
    else if constexpr (OP == CP_TANH) return vm_tanh(x);
    else if constexpr (OP == CP_ASINH) return vm_asinh(x);
    else if constexpr (OP == CP_ACOSH) return vm_acosh(x);
    else if constexpr (OP == CP_ATANH) return vm_atanh(x);
    else static_assert(OP < 0, "not a vector math unary");
}
template <int OP, class V> VM_INLINE V vm_math2(V x, V y) {
    if constexpr (OP == CP_ATAN2) return vm_atan2(x, y);
    else if constexpr (OP == CP_HYPOT) return vm_hypot(x, y);
    else if constexpr (OP == CP_POW) return vm_pow(x, y);
    else if constexpr (OP == CP_NEXTAFTER) return vm_nextafter(x, y);
    else if constexpr (OP == CP_LOGADDEXP) return vm_logaddexp(x, y);
    else if constexpr (OP == CP_REM) {
        V m;
        vm_divmod(x, y, m);
        return m;
    } else if constexpr (OP == CP_FDIV) {
        V m;
        return vm_divmod(x, y, m);
    } else static_assert(OP < 0, "not a vector math binary");
}

/* The array loops of the math functions, compiled here (no FMA contraction) with the function
 * inlined: its constants stay in registers across the loop. noinline: inlined into a caller
 * outside this region, the body would be contracted again (and differ from the scalar tail). */
template <int OP, bool NT, class T> __attribute__((noinline)) void vm_loop1(const T *x, T *o, size_t n) {
    fill<NT>(o, n, [&](size_t i) { return vm_math1<OP>(load(x + i)); }, [&](size_t i) { return vm_math1<OP>(x[i]); });
}
/* MODE: CP_VV, CP_SV (x[0] for every element), CP_VS (y[0]). */
template <int OP, int MODE, bool NT, class T> __attribute__((noinline)) void vm_loop2(const T *x, const T *y, T *o, size_t n) {
    const T xs = MODE == CP_SV ? x[0] : T{}, ys = MODE == CP_VS ? y[0] : T{};
    const Vec<T> xv = splat(xs), yv = splat(ys);
    fill<NT>(
        o, n, [&](size_t i) { return vm_math2<OP>(MODE == CP_SV ? xv : load(x + i), MODE == CP_VS ? yv : load(y + i)); },
        [&](size_t i) { return vm_math2<OP>(MODE == CP_SV ? xs : x[i], MODE == CP_VS ? ys : y[i]); });
}
/* One register or element from code outside this region (same reason for noinline). */
template <int OP, class V> __attribute__((noinline)) V vm_math1_call(V x) { return vm_math1<OP>(x); }
template <int OP, class V> __attribute__((noinline)) V vm_math2_call(V x, V y) { return vm_math2<OP>(x, y); }

#undef VM_INLINE
#undef VM_COLD
#pragma GCC pop_options

#endif /* !CP_SCALAR */
