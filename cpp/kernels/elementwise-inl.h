/*
 * elementwise-inl.h — the standard's element-wise functions beyond + - * / and the comparisons:
 * the binary ops from CP_MAX on (same table, same three operand modes) and the unary table.
 * Included by kernels-inl.h inside CP_NS, after the vector helpers and the complex helpers.
 *
 * Most bodies are one loop over a per-element function that the SIMD TUs' -O3 vectorises (abs,
 * floor, bit operations, selects); the transcendental functions go through math1/math2, which in
 * the scalar TU are libm (the reference) and in the SIMD TUs evaluate whole registers.
 */

/* ---------------------------------------------------------------- math dispatch */

template <class R> inline R m_copysign(R m, R s) { return copysign_r(m, s); }

/* One libm call per element: the scalar reference (CP_SCALAR), and complex and rare paths. */
template <int OP, class R> inline R libm1(R x) {
    constexpr bool F = sizeof(R) == 4;
    if constexpr (OP == CP_EXP) return F ? __builtin_expf(x) : __builtin_exp(x);
    else if constexpr (OP == CP_EXPM1) return F ? __builtin_expm1f(x) : __builtin_expm1(x);
    else if constexpr (OP == CP_LOG) return F ? __builtin_logf(x) : __builtin_log(x);
    else if constexpr (OP == CP_LOG1P) return F ? __builtin_log1pf(x) : __builtin_log1p(x);
    else if constexpr (OP == CP_LOG2) return F ? __builtin_log2f(x) : __builtin_log2(x);
    else if constexpr (OP == CP_LOG10) /* float32 through double: glibc's log10f is 2 ulp off */
        return F ? static_cast<R>(__builtin_log10(static_cast<double>(x))) : __builtin_log10(x);
    else if constexpr (OP == CP_SIN) return F ? __builtin_sinf(x) : __builtin_sin(x);
    else if constexpr (OP == CP_COS) return F ? __builtin_cosf(x) : __builtin_cos(x);
    else if constexpr (OP == CP_TAN) return F ? __builtin_tanf(x) : __builtin_tan(x);
    else if constexpr (OP == CP_ASIN) return F ? __builtin_asinf(x) : __builtin_asin(x);
    else if constexpr (OP == CP_ACOS) return F ? __builtin_acosf(x) : __builtin_acos(x);
    else if constexpr (OP == CP_ATAN) return F ? __builtin_atanf(x) : __builtin_atan(x);
    else if constexpr (OP == CP_SINH) return F ? __builtin_sinhf(x) : __builtin_sinh(x);
    else if constexpr (OP == CP_COSH) return F ? __builtin_coshf(x) : __builtin_cosh(x);
    else if constexpr (OP == CP_TANH) return F ? __builtin_tanhf(x) : __builtin_tanh(x);
    else if constexpr (OP == CP_ASINH) return F ? __builtin_asinhf(x) : __builtin_asinh(x);
    else if constexpr (OP == CP_ACOSH) return F ? __builtin_acoshf(x) : __builtin_acosh(x);
    else if constexpr (OP == CP_ATANH) return F ? __builtin_atanhf(x) : __builtin_atanh(x);
    else static_assert(OP < 0, "not a libm unary");
}
template <int OP, class R> inline R libm2(R x, R y) {
    constexpr bool F = sizeof(R) == 4;
    if constexpr (OP == CP_ATAN2) return F ? __builtin_atan2f(x, y) : __builtin_atan2(x, y);
    else if constexpr (OP == CP_HYPOT) return F ? __builtin_hypotf(x, y) : __builtin_hypot(x, y);
    else if constexpr (OP == CP_POW) return F ? __builtin_powf(x, y) : __builtin_pow(x, y);
    else static_assert(OP < 0, "not a libm binary");
}

/* f(x) over a register of floats (or one float): the SIMD TUs' vector bodies (math-inl.h, the
 * same function for a lane and a scalar tail), libm in the scalar TU. */
template <int OP, class V> inline V math1(V x) {
#if !CP_SCALAR
    return vm_math1_call<OP>(x);
#else
    return libm1<OP>(x);
#endif
}
template <int OP, class V> inline V math2(V x, V y) {
#if !CP_SCALAR
    return vm_math2_call<OP>(x, y);
#else
    return libm2<OP>(x, y);
#endif
}

/* ---------------------------------------------------------------- more binary ops */

/* Python's floor division and modulo on integers (the sign of the remainder follows the divisor);
 * division by zero gives 0 as NumPy does, and MIN // -1 wraps. */
template <class T> inline void int_divmod(T a, T b, T &q, T &r) {
    if (b == 0) {
        q = 0;
        r = 0;
        return;
    }
    if constexpr (std::is_signed_v<T>) {
        if (b == T(-1)) { /* MIN / -1 overflows in C: wrap, remainder 0 */
            q = static_cast<T>(std::make_unsigned_t<T>(0) - static_cast<std::make_unsigned_t<T>>(a));
            r = 0;
            return;
        }
        q = static_cast<T>(a / b);
        r = static_cast<T>(a % b);
        if (r != 0 && ((r < 0) != (b < 0))) {
            r = static_cast<T>(r + b);
            q = static_cast<T>(q - 1);
        }
    } else {
        q = static_cast<T>(a / b);
        r = static_cast<T>(a % b);
    }
}

/* NumPy's npy_divmod for floats: the remainder has the divisor's sign; floor division is exact
 * where the quotient is representable (not floor(a / b), which rounds first). */
template <class R> inline R float_divmod(R a, R b, R &mod) {
    constexpr bool F = sizeof(R) == 4;
    mod = F ? __builtin_fmodf(a, b) : __builtin_fmod(a, b);
    if (b == R(0)) return a / b;
    R div = (a - mod) / b;
    if (mod != R(0)) {
        if ((b < R(0)) != (mod < R(0))) {
            mod += b;
            div -= R(1);
        }
    } else {
        mod = copysign_r(R(0), b);
    }
    R floordiv;
    if (div != R(0)) {
        floordiv = F ? __builtin_floorf(div) : __builtin_floor(div);
        if (div - floordiv > R(0.5)) floordiv += R(1);
    } else {
        floordiv = copysign_r(R(0), a / b);
    }
    return floordiv;
}

/* Integer power by squaring, wrapping; a negative exponent (refused by the Rust side for signed
 * integers) gives what truncating 1 / x**-y would: 1 for x = 1, +-1 for x = -1, else 0. */
template <class T> inline T int_pow(T x, T y) {
    typedef std::make_unsigned_t<T> U;
    if constexpr (std::is_signed_v<T>) {
        if (y < 0) return x == 1 ? T(1) : x == T(-1) ? ((y & 1) ? T(-1) : T(1)) : T(0);
    }
    U base = static_cast<U>(x), r = 1;
    U e = static_cast<U>(y);
    while (e) {
        if (e & 1) r = static_cast<U>(r * base);
        base = static_cast<U>(base * base);
        e >>= 1;
    }
    return static_cast<T>(r);
}

/* NumPy's logaddexp: exact at equal arguments (so inf + inf stays inf), NaN propagates. float32
 * through double: glibc's expf and log1pf together are up to ~5 ulp off. */
template <class R> inline R logaddexp1(R x, R y) {
    if constexpr (sizeof(R) == 4) return static_cast<R>(logaddexp1<double>(x, y));
    if (x == y) return x + R(0.693147180559945309417232121458176568L);
    const R d = x - y;
    if (d > R(0)) return x + libm1<CP_LOG1P>(libm1<CP_EXP>(-d));
    if (d <= R(0)) return y + libm1<CP_LOG1P>(libm1<CP_EXP>(d));
    return d; /* NaN */
}

template <class R> inline R nextafter1(R x, R y) {
    return sizeof(R) == 4 ? __builtin_nextafterf(x, y) : __builtin_nextafter(x, y);
}

/* Shifts as NumPy: a count at or beyond the width (or negative) shifts everything out. */
template <class T> inline bool shift_out(T y) {
    typedef std::make_unsigned_t<T> U;
    if constexpr (std::is_signed_v<T>)
        if (y < 0) return true;
    return static_cast<U>(y) >= sizeof(T) * 8;
}
template <class T> inline T shift_left(T x, T y) {
    typedef std::make_unsigned_t<T> U;
    if (shift_out(y)) return 0;
    return static_cast<T>(static_cast<U>(x) << y);
}
template <class T> inline T shift_right(T x, T y) {
    if (shift_out(y)) {
        if constexpr (std::is_signed_v<T>)
            return x < 0 ? T(-1) : T(0);
        return T(0);
    }
    return static_cast<T>(x >> y);
}

/* One element of the binary ops from CP_MAX on. bool: MAX/MIN are or/and of truth values, the
 * bit operations are logical (any non-zero byte is true; the result is 0 or 1). */
template <int OP, class T> inline T binop1(T x, T y) {
    if constexpr (std::is_same_v<T, boolean>) {
        const bool a = x != 0, b = y != 0;
        if constexpr (OP == CP_MAX || OP == CP_OR) return a || b;
        else if constexpr (OP == CP_MIN || OP == CP_AND) return a && b;
        else return a != b; /* XOR */
    } else if constexpr (std::is_floating_point_v<T>) {
        if constexpr (OP == CP_MAX) return (x > y || x != x) ? x : y; /* NaN wins */
        else if constexpr (OP == CP_MIN) return (x < y || x != x) ? x : y;
        else if constexpr (OP == CP_REM) {
            T mod;
            float_divmod(x, y, mod);
            return mod;
        } else if constexpr (OP == CP_FDIV) {
            T mod;
            return float_divmod(x, y, mod);
        } else if constexpr (OP == CP_COPYSIGN) return copysign_r(x, y);
        else if constexpr (OP == CP_NEXTAFTER) return nextafter1(x, y);
        else if constexpr (OP == CP_LOGADDEXP) return logaddexp1(x, y);
        else return math2<OP>(x, y); /* POW, ATAN2, HYPOT */
    } else { /* integers */
        typedef std::make_unsigned_t<T> U;
        if constexpr (OP == CP_MAX) return x > y ? x : y;
        else if constexpr (OP == CP_MIN) return x < y ? x : y;
        else if constexpr (OP == CP_POW) return int_pow(x, y);
        else if constexpr (OP == CP_REM || OP == CP_FDIV) {
            T q, r;
            int_divmod(x, y, q, r);
            return OP == CP_REM ? r : q;
        } else if constexpr (OP == CP_AND) return static_cast<T>(static_cast<U>(x) & static_cast<U>(y));
        else if constexpr (OP == CP_OR) return static_cast<T>(static_cast<U>(x) | static_cast<U>(y));
        else if constexpr (OP == CP_XOR) return static_cast<T>(static_cast<U>(x) ^ static_cast<U>(y));
        else if constexpr (OP == CP_SHL) return shift_left(x, y);
        else return shift_right(x, y);
    }
}

/* Complex power: C99's cpow (one libm call an element; the standard leaves its accuracy open). */
typedef __complex__ float cfloat;
typedef __complex__ double cdouble;
template <class R> using CType = std::conditional_t<sizeof(R) == 4, cfloat, cdouble>;
template <class R> inline CType<R> to_c(Complex<R> z) {
    CType<R> c;
    __real__ c = z.re;
    __imag__ c = z.im;
    return c;
}
template <class R, class C> inline Complex<R> from_c(C c) { return {static_cast<R>(__real__ c), static_cast<R>(__imag__ c)}; }

template <class R> inline Complex<R> complex_pow(Complex<R> x, Complex<R> y) {
    if constexpr (sizeof(R) == 4)
        return from_c<R>(__builtin_cpowf(to_c(x), to_c(y)));
    else
        return from_c<R>(__builtin_cpow(to_c(x), to_c(y)));
}

/* Ops whose float form is a register-wide expression (math2's vector bodies for POW, ATAN2, HYPOT,
 * REM, FDIV, NEXTAFTER, LOGADDEXP). */
template <int OP> constexpr bool kVectorBinary = OP == CP_MAX || OP == CP_MIN || OP == CP_POW || OP == CP_ATAN2 ||
                                                 OP == CP_HYPOT || OP == CP_COPYSIGN || OP == CP_REM ||
                                                 OP == CP_FDIV || OP == CP_NEXTAFTER || OP == CP_LOGADDEXP;

template <int OP, class V> inline V binop_vec(V x, V y) {
    typedef ElemOf<V> R;
    if constexpr (OP == CP_MAX) return (x > y) | (x != x) ? x : y;
    else if constexpr (OP == CP_MIN) return (x < y) | (x != x) ? x : y;
    else if constexpr (OP == CP_COPYSIGN && lanes_of<V>() == 1) return copysign_r(x, y);
    else if constexpr (OP == CP_COPYSIGN) { /* (a vector cast reinterprets bits, a scalar one converts) */
        typedef std::conditional_t<sizeof(R) == 4, uint32_t, uint64_t> B;
        typedef Vec<B, lanes_of<V>()> VB;
        const VB sign = splatn<lanes_of<V>(), B>(B(1) << (sizeof(B) * 8 - 1));
        return (V)(((VB)x & ~sign) | ((VB)y & sign));
    } else return math2<OP>(x, y);
}

template <class T, int OP, int MODE, bool NT> __attribute__((noinline)) void binary_more(const void *a, const void *b, void *out, size_t n) {
    const T *x = static_cast<const T *>(a), *y = static_cast<const T *>(b);
    T *o = static_cast<T *>(out);
    if (n == 0) return;
    const T xs = MODE == CP_SV ? x[0] : T{}, ys = MODE == CP_VS ? y[0] : T{};
    if constexpr (kIsComplex<T>) {
        static_assert(OP == CP_POW, "complex: pow only");
        for (size_t i = 0; i < n; i++) o[i] = complex_pow(MODE == CP_SV ? xs : x[i], MODE == CP_VS ? ys : y[i]);
    }
#if !CP_SCALAR
    else if constexpr (std::is_floating_point_v<T> && kVectorBinary<OP> && !(OP == CP_MAX || OP == CP_MIN || OP == CP_COPYSIGN)) {
        vm_loop2<OP, MODE, NT>(x, y, o, n); /* math2's ops: math-inl.h's loop */
    }
#endif
    else if constexpr (std::is_floating_point_v<T> && kVectorBinary<OP> && !CP_SCALAR) {
        const Vec<T> xv = splat(xs), yv = splat(ys);
        fill<NT>(
            o, n, [&](size_t i) { return binop_vec<OP>(MODE == CP_SV ? xv : load(x + i), MODE == CP_VS ? yv : load(y + i)); },
            [&](size_t i) { return binop_vec<OP>(MODE == CP_SV ? xs : x[i], MODE == CP_VS ? ys : y[i]); });
    } else {
        for (size_t i = 0; i < n; i++) o[i] = binop1<OP>(MODE == CP_SV ? xs : x[i], MODE == CP_VS ? ys : y[i]);
    }
}

/* Which dtypes each op from CP_MAX on has (the Rust side promotes to one of them). */
template <class T, int OP> constexpr bool binary_more_has() {
    constexpr bool flt = std::is_floating_point_v<T>, cpx = kIsComplex<T>, bl = std::is_same_v<T, boolean>;
    constexpr bool integer = !flt && !cpx && !bl;
    switch (OP) {
    case CP_MAX:
    case CP_MIN: return !cpx;
    case CP_POW: return !bl;
    case CP_REM:
    case CP_FDIV: return flt || integer;
    case CP_ATAN2:
    case CP_HYPOT:
    case CP_COPYSIGN:
    case CP_NEXTAFTER:
    case CP_LOGADDEXP: return flt;
    case CP_AND:
    case CP_OR:
    case CP_XOR: return integer || bl;
    default: return integer; /* shifts */
    }
}

/* NT (the non-temporal row): streaming stores where the float body is a vector expression; the
 * other bodies (integers, complex pow) keep plain stores. */
template <class T, int OP, int MODE, bool NT> constexpr cp_binary_fn binary_more_entry() {
    constexpr bool nt = NT && !CP_SCALAR && std::is_floating_point_v<T> && kVectorBinary<OP>;
    if constexpr (binary_more_has<T, OP>())
        return binary_more<T, OP, MODE, nt>;
    else
        return nullptr;
}

/* ---------------------------------------------------------------- unary ops */

/* Output element of unary OP on T: bool for the predicates, the real part type for abs of a
 * complex, else T. */
template <class T, int OP> struct UnaryOut {
    typedef std::conditional_t<OP == CP_ISNAN || OP == CP_ISINF || OP == CP_ISFINITE || OP == CP_SIGNBIT || OP == CP_NOT,
                               boolean,
                               std::conditional_t<OP == CP_ABS && kIsComplex<T>, RealOf<T>, T>>
        type;
};

template <int OP> constexpr bool kMathUnary = OP >= CP_EXP;

template <class R> inline R round_even(R x) { return sizeof(R) == 4 ? __builtin_roundevenf(x) : __builtin_roundeven(x); }

/* One element of a real (or bool) unary op. */
template <int OP, class T> inline typename UnaryOut<T, OP>::type unop1(T x) {
    typedef typename Arith<T>::type U;
    if constexpr (std::is_same_v<T, boolean>) {
        if constexpr (OP == CP_NOT || OP == CP_INVERT) return x == 0;
        else if constexpr (OP == CP_ISFINITE) return 1;
        else if constexpr (OP == CP_ISNAN || OP == CP_ISINF || OP == CP_SIGNBIT) return 0;
        else return x != 0; /* ABS, POS, FLOOR, CEIL, TRUNC, ROUND, SQUARE: the truth value */
    } else if constexpr (std::is_floating_point_v<T>) {
        constexpr bool F = sizeof(T) == 4;
        if constexpr (OP == CP_NEG) return -x;
        else if constexpr (OP == CP_ABS) return fabs_r(x);
        else if constexpr (OP == CP_SQUARE) return x * x;
        else if constexpr (OP == CP_RECIP) return T(1) / x;
        else if constexpr (OP == CP_SIGN) return x > T(0) ? T(1) : x < T(0) ? T(-1) : x == T(0) ? T(0) : x; /* NaN stays */
        else if constexpr (OP == CP_FLOOR) return F ? __builtin_floorf(x) : __builtin_floor(x);
        else if constexpr (OP == CP_CEIL) return F ? __builtin_ceilf(x) : __builtin_ceil(x);
        else if constexpr (OP == CP_TRUNC) return F ? __builtin_truncf(x) : __builtin_trunc(x);
        else if constexpr (OP == CP_ROUND) return round_even(x);
        else if constexpr (OP == CP_SQRT) return F ? __builtin_sqrtf(x) : __builtin_sqrt(x);
        else if constexpr (OP == CP_ISNAN) return x != x;
        else if constexpr (OP == CP_ISINF) return fabs_r(x) == kInf<T>;
        else if constexpr (OP == CP_ISFINITE) return fabs_r(x) < kInf<T>;
        else if constexpr (OP == CP_SIGNBIT) return __builtin_signbit(x) != 0;
        else if constexpr (OP == CP_NOT) return x == T(0);
        else if constexpr (OP == CP_POS || OP == CP_CONJ) return x;
        else return math1<OP>(x);
    } else { /* integers */
        if constexpr (OP == CP_NEG) return static_cast<T>(U(0) - static_cast<U>(x));
        else if constexpr (OP == CP_ABS) return x < 0 ? static_cast<T>(U(0) - static_cast<U>(x)) : x;
        else if constexpr (OP == CP_SQUARE) return static_cast<T>(static_cast<U>(x) * static_cast<U>(x));
        else if constexpr (OP == CP_SIGN) return static_cast<T>(x > 0 ? 1 : x < 0 ? -1 : 0);
        else if constexpr (OP == CP_INVERT) return static_cast<T>(~static_cast<U>(x));
        else if constexpr (OP == CP_ISFINITE) return 1;
        else if constexpr (OP == CP_ISNAN || OP == CP_ISINF) return 0;
        else if constexpr (OP == CP_SIGNBIT) return x < 0;
        else if constexpr (OP == CP_NOT) return x == 0;
        else return x; /* POS, FLOOR, CEIL, TRUNC, ROUND, CONJ */
    }
}


/* One element of a complex unary op: C99 Annex G functions (libm) for the transcendental ones,
 * whose special cases the standard's complex tables follow. */
template <int OP, class T> inline typename UnaryOut<T, OP>::type cunop1(T z) {
    typedef RealOf<T> R;
    constexpr bool F = sizeof(R) == 4;
    if constexpr (OP == CP_NEG) return {-z.re, -z.im};
    else if constexpr (OP == CP_POS) return z;
    else if constexpr (OP == CP_CONJ) return {z.re, -z.im};
    else if constexpr (OP == CP_ABS) return F ? __builtin_hypotf(z.re, z.im) : __builtin_hypot(z.re, z.im);
    else if constexpr (OP == CP_SQUARE) return complex_mul(z, z);
    else if constexpr (OP == CP_RECIP) return complex_div(T{R(1), R(0)}, z);
    else if constexpr (OP == CP_ISNAN) return z.re != z.re || z.im != z.im;
    else if constexpr (OP == CP_ISINF) return fabs_r(z.re) == kInf<R> || fabs_r(z.im) == kInf<R>;
    else if constexpr (OP == CP_ISFINITE) return fabs_r(z.re) < kInf<R> && fabs_r(z.im) < kInf<R>;
    else if constexpr (OP == CP_NOT) return z.re == R(0) && z.im == R(0);
    else if constexpr (OP == CP_ROUND) return {round_even(z.re), round_even(z.im)};
    else if constexpr (OP == CP_SIGN) {
        if (z.re != z.re || z.im != z.im) return {__builtin_nan(""), __builtin_nan("")};
        if (z.re == R(0) && z.im == R(0)) return {R(0), R(0)};
        const R m = F ? __builtin_hypotf(z.re, z.im) : __builtin_hypot(z.re, z.im);
        if (m == kInf<R>) { /* an infinite part: its direction, the other part's sign kept */
            const R re = fabs_r(z.re) == kInf<R> ? copysign_r(R(1), z.re) : copysign_r(R(0), z.re);
            const R im = fabs_r(z.im) == kInf<R> ? copysign_r(R(1), z.im) : copysign_r(R(0), z.im);
            const R k = F ? __builtin_hypotf(re, im) : __builtin_hypot(re, im);
            return {re / k, im / k};
        }
        return {z.re / m, z.im / m};
    } else if constexpr (OP == CP_SQRT) return from_c<R>(F ? __builtin_csqrtf(to_c(z)) : __builtin_csqrt(to_c(z)));
    else if constexpr (OP == CP_EXP) return from_c<R>(F ? __builtin_cexpf(to_c(z)) : __builtin_cexp(to_c(z)));
    else if constexpr (OP == CP_LOG) return from_c<R>(F ? __builtin_clogf(to_c(z)) : __builtin_clog(to_c(z)));
    else if constexpr (OP == CP_SIN) return from_c<R>(F ? __builtin_csinf(to_c(z)) : __builtin_csin(to_c(z)));
    else if constexpr (OP == CP_COS) return from_c<R>(F ? __builtin_ccosf(to_c(z)) : __builtin_ccos(to_c(z)));
    else if constexpr (OP == CP_TAN) return from_c<R>(F ? __builtin_ctanf(to_c(z)) : __builtin_ctan(to_c(z)));
    else if constexpr (OP == CP_ASIN) return from_c<R>(F ? __builtin_casinf(to_c(z)) : __builtin_casin(to_c(z)));
    else if constexpr (OP == CP_ACOS) return from_c<R>(F ? __builtin_cacosf(to_c(z)) : __builtin_cacos(to_c(z)));
    else if constexpr (OP == CP_ATAN) return from_c<R>(F ? __builtin_catanf(to_c(z)) : __builtin_catan(to_c(z)));
    else if constexpr (OP == CP_SINH) return from_c<R>(F ? __builtin_csinhf(to_c(z)) : __builtin_csinh(to_c(z)));
    else if constexpr (OP == CP_COSH) return from_c<R>(F ? __builtin_ccoshf(to_c(z)) : __builtin_ccosh(to_c(z)));
    else if constexpr (OP == CP_TANH) return from_c<R>(F ? __builtin_ctanhf(to_c(z)) : __builtin_ctanh(to_c(z)));
    else if constexpr (OP == CP_ASINH) return from_c<R>(F ? __builtin_casinhf(to_c(z)) : __builtin_casinh(to_c(z)));
    else if constexpr (OP == CP_ACOSH) return from_c<R>(F ? __builtin_cacoshf(to_c(z)) : __builtin_cacosh(to_c(z)));
    else if constexpr (OP == CP_ATANH) return from_c<R>(F ? __builtin_catanhf(to_c(z)) : __builtin_catanh(to_c(z)));
    else if constexpr (OP == CP_EXPM1) { /* exp(z) - 1 without losing small |z| to cancellation */
        if (!(fabs_r(z.re) < R(1))) { /* no cancellation; cexp has the infinities' special cases */
            const T e = from_c<R>(F ? __builtin_cexpf(to_c(z)) : __builtin_cexp(to_c(z)));
            return {e.re - R(1), e.im};
        }
        const R er = libm1<CP_EXPM1>(z.re), s = libm1<CP_SIN>(z.im), hs = libm1<CP_SIN>(z.im / 2);
        const R ex = er + R(1);
        return {er - nofma(R(2) * ex * hs * hs), ex * s}; /* nofma: the same bits in every table */
    } else if constexpr (OP == CP_LOG1P) {
        /* log(1 + z): the real part from log1p of |1+z|^2 - 1 = 2 re + re^2 + im^2 (exact at small z) */
        const R re = z.re, im = z.im;
        if (fabs_r(re) < R(0.5) && fabs_r(im) < R(0.5)) {
            const R t = nofma(R(2) * re) + nofma(re * re) + nofma(im * im);
            return {libm1<CP_LOG1P>(t) / R(2), static_cast<R>(F ? __builtin_atan2f(im, R(1) + re) : __builtin_atan2(im, R(1) + re))};
        }
        return from_c<R>(F ? __builtin_clogf(to_c(T{R(1) + re, im})) : __builtin_clog(to_c(T{R(1) + re, im})));
    } else if constexpr (OP == CP_LOG2 || OP == CP_LOG10) {
        const T l = from_c<R>(F ? __builtin_clogf(to_c(z)) : __builtin_clog(to_c(z)));
        const R k = OP == CP_LOG2 ? R(1.44269504088896340735992468100189214L) : R(0.434294481903251827651128918916605082L);
        return {l.re * k, l.im * k};
    } else static_assert(OP < 0, "no complex form");
}

/* Float ops that the SIMD TUs evaluate register-wide (the rest vectorise as plain loops). */
template <int OP> constexpr bool kRounding = OP == CP_FLOOR || OP == CP_CEIL || OP == CP_TRUNC || OP == CP_ROUND;
/* Float ops that are plain lane expressions (written out so that the non-temporal form can
 * stream whole registers). */
template <int OP> constexpr bool kSimpleUnary = OP == CP_NEG || OP == CP_POS || OP == CP_CONJ || OP == CP_ABS ||
                                               OP == CP_SQUARE || OP == CP_RECIP || OP == CP_SIGN;
template <class T, int OP>
constexpr bool kUnaryVec = !CP_SCALAR && std::is_floating_point_v<T> &&
                           (kMathUnary<OP> || OP == CP_SQRT || kRounding<OP> || kSimpleUnary<OP>);

#if defined(__AVX__)
/* The rounding mode immediate of vroundps/vrndscaleps for FLOOR, CEIL, TRUNC, ROUND (to even). */
template <int OP> constexpr int kRoundMode = (OP == CP_FLOOR  ? _MM_FROUND_TO_NEG_INF
                                              : OP == CP_CEIL ? _MM_FROUND_TO_POS_INF
                                              : OP == CP_TRUNC ? _MM_FROUND_TO_ZERO
                                                               : _MM_FROUND_TO_NEAREST_INT) |
                                             _MM_FROUND_NO_EXC;
#endif

template <int OP, class V> inline V unop_vec(V x) {
    if constexpr (kSimpleUnary<OP> && lanes_of<V>() == 1) {
        return unop1<OP>(x);
    } else if constexpr (kSimpleUnary<OP>) {
        typedef ElemOf<V> R;
        typedef std::conditional_t<sizeof(R) == 4, uint32_t, uint64_t> B;
        typedef Vec<B, lanes_of<V>()> VB;
        const VB sign = splatn<lanes_of<V>(), B>(B(1) << (sizeof(B) * 8 - 1));
        const V zero = splatn<lanes_of<V>()>(R(0)), one = splatn<lanes_of<V>()>(R(1));
        if constexpr (OP == CP_NEG) return (V)((VB)x ^ sign); /* -x (a vector cast reinterprets bits) */
        else if constexpr (OP == CP_ABS) return (V)((VB)x & ~sign);
        else if constexpr (OP == CP_SQUARE) return x * x;
        else if constexpr (OP == CP_RECIP) return one / x;
        else if constexpr (OP == CP_SIGN) /* +-1, +0 for +-0, NaN stays */
            return x > zero ? one : x < zero ? -one : x == zero ? zero : x;
        else return x; /* POS, CONJ */
    } else if constexpr (!kRounding<OP> && OP != CP_SQRT) {
        return math1<OP>(x);
    } else if constexpr (lanes_of<V>() == 1) {
        return unop1<OP>(x);
    }
    /* GCC does not vectorise floor & co. without -fno-trapping-math: the instructions here. */
#if defined(__AVX512F__)
    else if constexpr (sizeof(V) == 64) {
        constexpr bool F = sizeof(ElemOf<V>) == 4;
        if constexpr (OP == CP_SQRT)
            return vm_sqrt_fast(x);
        else if constexpr (F)
            return (V)_mm512_maskz_roundscale_ps(-1, (__m512)x, kRoundMode<OP>);
        else
            return (V)_mm512_maskz_roundscale_pd(-1, (__m512d)x, kRoundMode<OP>);
    }
#endif
#if defined(__AVX__)
    else if constexpr (sizeof(V) == 32) {
        constexpr bool F = sizeof(ElemOf<V>) == 4;
        if constexpr (OP == CP_SQRT)
            return vm_sqrt_fast(x);
        else if constexpr (F)
            return (V)_mm256_round_ps((__m256)x, kRoundMode<OP>);
        else
            return (V)_mm256_round_pd((__m256d)x, kRoundMode<OP>);
    }
#endif
    else {
        V r;
        for (size_t k = 0; k < lanes_of<V>(); k++) r[k] = unop1<OP>(x[k]);
        return r;
    }
}

/* The float predicates (byte outputs): a register of T compared, its mask narrowed to 0/1 bytes. */
template <int OP> constexpr bool kPredicate = OP == CP_ISNAN || OP == CP_ISINF || OP == CP_ISFINITE || OP == CP_SIGNBIT ||
                                             OP == CP_NOT;
/* Only where GCC leaves the loop scalar (signbit of float64): its own vectorisation of the others
 * packs four registers per store and is faster than one narrowed mask per register. */
template <class T, int OP> constexpr bool kPredicateVec = OP == CP_SIGNBIT && sizeof(T) == 8;
template <int OP, class V> inline auto pred_vec(V x) {
    typedef ElemOf<V> R;
    typedef std::conditional_t<sizeof(R) == 4, int32_t, int64_t> I;
    typedef Vec<I, lanes_of<V>()> VI;
    const VI bits = (VI)x; /* (a vector cast reinterprets) */
    const VI mag = bits & splatn<lanes_of<V>(), I>(static_cast<I>(~(uint64_t(1) << (sizeof(I) * 8 - 1))));
    const VI inf = (VI)splatn<lanes_of<V>()>(kInf<R>);
    if constexpr (OP == CP_ISNAN) return mag > inf;
    else if constexpr (OP == CP_ISINF) return mag == inf;
    else if constexpr (OP == CP_ISFINITE) return mag < inf;
    else if constexpr (OP == CP_SIGNBIT) return bits < splatn<lanes_of<V>(), I>(0);
    else return mag == splatn<lanes_of<V>(), I>(0); /* NOT: x == 0, either sign */
}

template <class T, int OP, bool NT = false> __attribute__((noinline)) void unary_kernel(const void *xv, void *out, size_t n) {
    typedef typename UnaryOut<T, OP>::type O;
    const T *x = static_cast<const T *>(xv);
    O *o = static_cast<O *>(out);
    if constexpr (kIsComplex<T>) {
        for (size_t i = 0; i < n; i++) o[i] = cunop1<OP>(x[i]);
    }
#if defined(__AVX2__) && CP_VBYTES == 32
    else if constexpr (std::is_same_v<T, float> && kPredicate<OP>) {
        /* four registers of masks per 32-byte store (pack_masks32) */
        int8_t *ob = reinterpret_cast<int8_t *>(o);
        size_t i = 0;
        for (; i + 32 <= n; i += 32) {
            auto m = [&](size_t k) { return (Vec<int32_t, 8>)pred_vec<OP>(load(x + i + 8 * k)); };
            storen<32>(ob + i, pack_masks32(m(0), m(1), m(2), m(3)));
        }
        tail_below<32>(n - i);
        for (; i < n; i++) o[i] = unop1<OP>(x[i]);
    } else if constexpr (std::is_same_v<T, double> && kPredicate<OP>) {
        int8_t *ob = reinterpret_cast<int8_t *>(o);
        size_t i = 0;
        for (; i + 32 <= n; i += 32) {
            Vec<int64_t, 4> m[8];
            for (size_t k = 0; k < 8; k++) m[k] = (Vec<int64_t, 4>)pred_vec<OP>(load(x + i + 4 * k));
            storen<32>(ob + i, pack_masks64(m));
        }
        tail_below<32>(n - i);
        for (; i < n; i++) o[i] = unop1<OP>(x[i]);
    }
#endif
    else if constexpr (!CP_SCALAR && std::is_floating_point_v<T> && kPredicate<OP> && kPredicateVec<T, OP>) {
        constexpr size_t L = kLanes<T>;
        int8_t *ob = reinterpret_cast<int8_t *>(o);
        size_t i = 0;
        for (; i + L <= n; i += L) storen<L>(ob + i, b01(pred_vec<OP>(load(x + i))));
        tail_below<L>(n - i);
        for (; i < n; i++) o[i] = unop1<OP>(x[i]);
    }
#if !CP_SCALAR
    else if constexpr (kUnaryVec<T, OP> && kMathUnary<OP>) {
        vm_loop1<OP, NT>(x, o, n); /* math-inl.h's loop */
    }
#endif
    else if constexpr (kUnaryVec<T, OP>) {
        fill<NT>(o, n, [&](size_t i) { return unop_vec<OP>(load(x + i)); }, [&](size_t i) { return unop_vec<OP>(x[i]); });
    } else {
        for (size_t i = 0; i < n; i++) o[i] = unop1<OP>(x[i]);
    }
}

/* Non-temporal form of a unary kernel K with OutT outputs (the staged_nt scheme of kernels-inl.h
 * for one operand): L1-sized pieces into a stack buffer, streamed out in aligned registers. For the
 * bodies that are plain loops (predicates with byte outputs, integers, complex). */
template <class T, class OutT, cp_unary_fn K> void unary_staged_nt(const void *xv, void *out, size_t n) {
#if CP_SCALAR
    K(xv, out, n);
#else
    constexpr size_t kPiece = 4096 / CP_VBYTES * CP_VBYTES;
    static_assert(kPiece % sizeof(OutT) == 0, "pieces hold whole elements");
    const T *x = static_cast<const T *>(xv);
    char *o = static_cast<char *>(out);
    const size_t head_bytes = (CP_VBYTES - reinterpret_cast<uintptr_t>(o) % CP_VBYTES) % CP_VBYTES;
    if (head_bytes % sizeof(OutT) != 0) { /* elements never meet a register boundary */
        K(x, o, n);
        return;
    }
    size_t i = head_bytes / sizeof(OutT) < n ? head_bytes / sizeof(OutT) : n;
    K(x, o, i);
    alignas(64) char buf[kPiece];
    constexpr size_t kPer = kPiece / sizeof(OutT), kRegElems = CP_VBYTES / sizeof(OutT);
    while (n - i >= kRegElems) {
        const size_t len = n - i >= kPer ? kPer : (n - i) / kRegElems * kRegElems;
        K(x + i, buf, len);
        char *dst = o + i * sizeof(OutT);
        for (size_t j = 0; j < len * sizeof(OutT); j += CP_VBYTES) stream_vec(dst + j, buf + j);
        i += len;
    }
    _mm_sfence();
    K(x + i, o + i * sizeof(OutT), n - i);
#endif
}

/* Which dtypes each unary op has. */
template <class T, int OP> constexpr bool unary_has() {
    constexpr bool flt = std::is_floating_point_v<T>, cpx = kIsComplex<T>, bl = std::is_same_v<T, boolean>;
    constexpr bool integer = !flt && !cpx && !bl;
    switch (OP) {
    case CP_NOT: return true;
    case CP_INVERT: return integer || bl;
    case CP_NEG:
    case CP_POS:
    case CP_ABS:
    case CP_SQUARE:
    case CP_SIGN: return !bl;
    case CP_RECIP: return flt || cpx;
    case CP_FLOOR:
    case CP_CEIL:
    case CP_TRUNC: return flt || integer;
    case CP_ROUND: return !bl;
    case CP_SIGNBIT: return flt;
    case CP_ISNAN:
    case CP_ISINF:
    case CP_ISFINITE: return true;
    case CP_CONJ: return cpx || flt || integer;
    default: return flt || cpx; /* SQRT and the transcendental functions */
    }
}

/* NT: the non-temporal row (large outputs); the scalar table has plain stores either way. */
template <class T, int OP, bool NT = false> constexpr cp_unary_fn unary_entry() {
    if constexpr (!unary_has<T, OP>())
        return nullptr;
    else if constexpr (!NT || CP_SCALAR)
        return unary_kernel<T, OP>;
    else if constexpr (kUnaryVec<T, OP>)
        return unary_kernel<T, OP, true>;
    else
        return unary_staged_nt<T, typename UnaryOut<T, OP>::type, unary_kernel<T, OP>>;
}
