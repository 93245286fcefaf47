/*
 * matmul-inl.h — matmul for the dtypes the GEMM ladder (gemm-inl.h, floats only) does not cover:
 * integers of every width and complex, included by kernels-inl.h inside CP_NS.
 *
 * The i-k-j loop of `gemm` (C row i += A(i, p) * B row p, a SIMD axpy when B's rows are
 * contiguous). Integers multiply and add in the unsigned type of their width: the same bits as
 * two's-complement wrapping (what NumPy gives), without signed overflow's undefined behaviour.
 * Complex: (ar + i ai)(br + i bi) accumulated per part, no FMA contraction assumptions.
 */

template <class T>
void matmul_int(size_t m, size_t n, size_t k, const void *av, ptrdiff_t a_rs, ptrdiff_t a_cs, const void *bv,
                ptrdiff_t b_rs, ptrdiff_t b_cs, void *cv, ptrdiff_t ldc) {
    typedef std::make_unsigned_t<T> U;
    typedef std::conditional_t<(sizeof(U) < 4), uint32_t, U> W; /* narrow lanes multiply unpromoted to int */
    const T *a = static_cast<const T *>(av);
    const U *b = static_cast<const U *>(bv);
    U *c = static_cast<U *>(cv);
    for (size_t i = 0; i < m; i++) {
        U *ci = c + static_cast<ptrdiff_t>(i) * ldc;
        for (size_t j = 0; j < n; j++) ci[j] = U(0);
        for (size_t p = 0; p < k; p++) {
            const U aip = U(a[static_cast<ptrdiff_t>(i) * a_rs + static_cast<ptrdiff_t>(p) * a_cs]);
            const U *bp = b + static_cast<ptrdiff_t>(p) * b_rs;
            if (b_cs == 1) {
                for (size_t j = 0; j < n; j++) ci[j] = U(W(ci[j]) + W(aip) * W(bp[j]));
            } else {
                for (size_t j = 0; j < n; j++) ci[j] = U(W(ci[j]) + W(aip) * W(bp[static_cast<ptrdiff_t>(j) * b_cs]));
            }
        }
    }
}

template <class R>
void matmul_complex(size_t m, size_t n, size_t k, const void *av, ptrdiff_t a_rs, ptrdiff_t a_cs, const void *bv,
                    ptrdiff_t b_rs, ptrdiff_t b_cs, void *cv, ptrdiff_t ldc) {
    const Complex<R> *a = static_cast<const Complex<R> *>(av), *b = static_cast<const Complex<R> *>(bv);
    Complex<R> *c = static_cast<Complex<R> *>(cv);
    for (size_t i = 0; i < m; i++) {
        Complex<R> *ci = c + static_cast<ptrdiff_t>(i) * ldc;
        for (size_t j = 0; j < n; j++) ci[j] = Complex<R>{R(0), R(0)};
        for (size_t p = 0; p < k; p++) {
            const Complex<R> x = a[static_cast<ptrdiff_t>(i) * a_rs + static_cast<ptrdiff_t>(p) * a_cs];
            const Complex<R> *bp = b + static_cast<ptrdiff_t>(p) * b_rs;
            for (size_t j = 0; j < n; j++) {
                const Complex<R> y = bp[static_cast<ptrdiff_t>(j) * b_cs];
                ci[j].re += x.re * y.re - x.im * y.im;
                ci[j].im += x.re * y.im + x.im * y.re;
            }
        }
    }
}

template <class T> constexpr cp_gemm_fn matmul_other_entry() {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, boolean>)
        return matmul_int<T>;
    else if constexpr (kIsComplex<T>)
        return matmul_complex<RealOf<T>>;
    else
        return nullptr;
}
