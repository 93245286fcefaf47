/*
 * gemm-inl.h — BLIS-style GEMM building blocks, included by kernels-inl.h inside CP_NS so they
 * compile once per ISA: the naive triple loop (teaching rung), the packing routines, the MR x NR
 * register microkernel (packed and unpacked "small" forms), the gemv kernel, and the symmetric
 * symv of the real eigh's tridiagonal reduction (src/kernels/tridiag.rs) and the secular-equation
 * loops of every eigh's divide-and-conquer merge.
 *
 * Every loop above the microkernel's k loop lives in Rust (src/gemm/driver.rs), and Rust owns every
 * buffer: nothing here allocates except the MR x NR edge tile on the stack.
 *
 * Packed layouts (BLIS): an mc x kc block of A is stored as ceil(mc/MR) micro-panels, each kc
 * columns of MR consecutive row values (zero-padded past the last row); a kc x nc panel of B as
 * ceil(nc/NR) micro-panels, each kc rows of NR consecutive values. Packing B is packing B^T the way
 * A is packed, so one routine serves both.
 */

/* Microkernel shapes per ISA, as (MR rows) x (NV vectors of kLanes<T> columns).
 * AVX-512: 16 of the 32 zmm registers hold the 8 x 2 accumulator tile. Measured on Zen 4 (one
 *          512-bit FMA pipe): 8 x 32 beat 14 x 32, 12 x 32, 10 x 32, 6 x 32, 6 x 64 and 8 x 48 at
 *          n = 48..2048 (smaller tiles waste less on the edges of small products).
 * AVX2:    12 of the 16 ymm registers hold the 6 x 2 tile (the classic Haswell 6x16 / 6x8).
 * scalar:  4 x 4 plain values: the readable reference. */
#if CP_SCALAR
template <class T> constexpr size_t kMR = 4;
template <class T> constexpr size_t kNV = 4;
#elif CP_VBYTES == 64
template <class T> constexpr size_t kMR = 8;
template <class T> constexpr size_t kNV = 2;
#else
template <class T> constexpr size_t kMR = 6;
template <class T> constexpr size_t kNV = 2;
#endif
template <class T> constexpr size_t kNR = kNV<T> * kLanes<T>;
static_assert(kNV<float> % 2 == 0 && kNV<double> % 2 == 0, "the narrow edge tile is half of NV");

/* ---------------------------------------------------------------- naive */

/* C[m x n] = A * B as the plain i-j-p triple loop with one scalar accumulator: the first rung. */
template <class T>
void gemm_naive(size_t m, size_t n, size_t k, const void *av, ptrdiff_t a_rs, ptrdiff_t a_cs, const void *bv,
                ptrdiff_t b_rs, ptrdiff_t b_cs, void *cv, ptrdiff_t ldc) {
    const T *a = static_cast<const T *>(av), *b = static_cast<const T *>(bv);
    T *c = static_cast<T *>(cv);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            T s = 0;
            for (size_t p = 0; p < k; p++)
                s += a[static_cast<ptrdiff_t>(i) * a_rs + static_cast<ptrdiff_t>(p) * a_cs] *
                     b[static_cast<ptrdiff_t>(p) * b_rs + static_cast<ptrdiff_t>(j) * b_cs];
            c[static_cast<ptrdiff_t>(i) * ldc + static_cast<ptrdiff_t>(j)] = s;
        }
}

/* ---------------------------------------------------------------- packing */

/* Packs `rows` x `k` of a strided matrix (element (r, p) at src[r*rs + p*cs]) into micro-panels of
 * W rows: dst[(r/W)*k*W + p*W + r%W], zero-filling the last panel up to W rows. */
template <class T, size_t W>
void pack_panels(size_t rows, size_t k, const T *src, ptrdiff_t rs, ptrdiff_t cs, T *dst) {
    for (size_t r0 = 0; r0 < rows; r0 += W, dst += k * W) {
        const size_t w = rows - r0 < W ? rows - r0 : W;
        const T *s = src + static_cast<ptrdiff_t>(r0) * rs;
        if (w == W && rs == 1) { /* W consecutive values per p: plain copies */
            for (size_t p = 0; p < k; p++) {
                const T *sp = s + static_cast<ptrdiff_t>(p) * cs;
#pragma GCC unroll 8
                for (size_t r = 0; r < W; r++) dst[p * W + r] = sp[r];
            }
        } else if (rs == 1) { /* a partial edge panel of consecutive values: copy w, zero the rest */
            for (size_t p = 0; p < k; p++) {
                const T *sp = s + static_cast<ptrdiff_t>(p) * cs;
                T *dp = dst + p * W;
                for (size_t r = 0; r < w; r++) dp[r] = sp[r];
                for (size_t r = w; r < W; r++) dp[r] = T(0);
            }
        } else if (w == W && cs == 1) { /* each row contiguous along p: read rows, scatter to panel */
            for (size_t p0 = 0; p0 < k; p0 += 8) {
                const size_t pe = k - p0 < 8 ? k - p0 : 8;
                for (size_t r = 0; r < W; r++) {
                    const T *sr = s + static_cast<ptrdiff_t>(r) * rs + static_cast<ptrdiff_t>(p0);
                    for (size_t p = 0; p < pe; p++) dst[(p0 + p) * W + r] = sr[p];
                }
            }
        } else {
            for (size_t p = 0; p < k; p++) {
                for (size_t r = 0; r < w; r++)
                    dst[p * W + r] = s[static_cast<ptrdiff_t>(r) * rs + static_cast<ptrdiff_t>(p) * cs];
                for (size_t r = w; r < W; r++) dst[p * W + r] = T(0);
            }
        }
    }
}

/* mc x kc block of A (element (i, p) at a[i*rs + p*cs]) into MR-row micro-panels. */
template <class T> void gemm_pack_a(size_t mc, size_t kc, const void *a, ptrdiff_t rs, ptrdiff_t cs, void *dst) {
    pack_panels<T, kMR<T>>(mc, kc, static_cast<const T *>(a), rs, cs, static_cast<T *>(dst));
}

/* kc x nc panel of B (element (p, j) at b[p*rs + j*cs]) into NR-column micro-panels. */
template <class T> void gemm_pack_b(size_t kc, size_t nc, const void *b, ptrdiff_t rs, ptrdiff_t cs, void *dst) {
    pack_panels<T, kNR<T>>(nc, kc, static_cast<const T *>(b), cs, rs, static_cast<T *>(dst));
}

/* ---------------------------------------------------------------- microkernel */

/* c[0:cnt] = v[0:cnt] (or += when accumulate), cnt < lanes: the partial last vector of a tile row.
 * AVX-512 and AVX2 write it with one masked store; elsewhere lane by lane. */
template <class T> inline void store_first(T *c, Vec<T> v, size_t cnt, int accumulate) {
#if defined(__AVX512F__)
    if constexpr (sizeof(T) == 4) {
        const __mmask16 k = static_cast<__mmask16>((1u << cnt) - 1);
        __m512 x = reinterpret_cast<__m512 &>(v);
        if (accumulate) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(k, c));
        _mm512_mask_storeu_ps(c, k, x);
    } else {
        const __mmask8 k = static_cast<__mmask8>((1u << cnt) - 1);
        __m512d x = reinterpret_cast<__m512d &>(v);
        if (accumulate) x = _mm512_add_pd(x, _mm512_maskz_loadu_pd(k, c));
        _mm512_mask_storeu_pd(c, k, x);
    }
#elif defined(__AVX2__)
    /* lane j is written when its mask lane is negative: j < cnt */
    if constexpr (sizeof(T) == 4) {
        const __m256i k = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(cnt)),
                                             _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        __m256 x = reinterpret_cast<__m256 &>(v);
        if (accumulate) x = _mm256_add_ps(x, _mm256_maskload_ps(c, k));
        _mm256_maskstore_ps(c, k, x);
    } else {
        const __m256i k = _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(cnt)),
                                             _mm256_setr_epi64x(0, 1, 2, 3));
        __m256d x = reinterpret_cast<__m256d &>(v);
        if (accumulate) x = _mm256_add_pd(x, _mm256_maskload_pd(c, k));
        _mm256_maskstore_pd(c, k, x);
    }
#else
    T lanes[kLanes<T>];
    store(lanes, v);
    for (size_t j = 0; j < cnt; j++) c[j] = accumulate ? c[j] + lanes[j] : lanes[j];
#endif
}

/* C[m x n] (+)= A[MR x k] * B[k x NV*L] for one tile, m <= MR, n <= NV*L. A row i, step p at
 * a[i*a_rs + p*a_cs]; B row p at b[p*b_rs] with NV*L contiguous values. NV is the ISA's kNV (the
 * full MR x NR tile) or half of it (the narrow tile for a column edge of at most NR/2: a full tile
 * there would spend half its FMAs on zero padding). PACKED fixes the strides to the packed layout
 * at compile time (B micro-panels are NR wide for both tiles). Reads always cover full MR rows and
 * NV*L columns (the driver packs partial edge panels); writes only the m x n corner. */
template <class T, size_t NV, bool PACKED>
inline void micro_tile(size_t k, const T *a, ptrdiff_t a_rs, ptrdiff_t a_cs, const T *b, ptrdiff_t b_rs, T *c,
                       ptrdiff_t ldc, size_t m, size_t n, int accumulate) {
    constexpr size_t MR = kMR<T>, L = kLanes<T>;
    if constexpr (PACKED) {
        a_rs = 1;
        a_cs = MR;
        b_rs = kNR<T>;
    }
    /* The C tile is read and written only after the k loop, and its rows are ldc apart where no
     * hardware prefetcher follows them: ask for its lines now so they arrive during the loop. */
#pragma GCC unroll 32
    for (size_t i = 0; i < MR; i++) {
        if (i == m) break;
        T *ci = c + static_cast<ptrdiff_t>(i) * ldc;
        __builtin_prefetch(ci, 1, 3);
        __builtin_prefetch(ci + n - 1, 1, 3);
    }
    Vec<T> acc[MR][NV];
#pragma GCC unroll 32
    for (size_t i = 0; i < MR; i++)
#pragma GCC unroll 4
        for (size_t v = 0; v < NV; v++) acc[i][v] = Vec<T>{};
    for (size_t p = 0; p < k; p++) {
        Vec<T> bv[NV];
#pragma GCC unroll 4
        for (size_t v = 0; v < NV; v++) bv[v] = load(b + v * L);
#pragma GCC unroll 32
        for (size_t i = 0; i < MR; i++) {
            /* vector * scalar broadcasts the scalar (one vbroadcast, or an embedded {1toN}) */
            const T ai = a[static_cast<ptrdiff_t>(i) * a_rs];
#pragma GCC unroll 4
            for (size_t v = 0; v < NV; v++) acc[i][v] += bv[v] * ai; /* FMA in the SIMD TUs */
        }
        a += a_cs;
        b += b_rs;
    }
    /* Whole vectors straight to C; only a partial last vector per row needs a masked store. */
    const size_t full = n / L, rest = n % L;
#pragma GCC unroll 32
    for (size_t i = 0; i < MR; i++) {
        if (i == m) break;
        T *ci = c + static_cast<ptrdiff_t>(i) * ldc;
#pragma GCC unroll 4
        for (size_t v = 0; v < NV; v++) {
            T *cv = ci + v * L;
            if (v < full)
                store(cv, accumulate ? load(cv) + acc[i][v] : acc[i][v]);
            else if (v == full && rest != 0)
                store_first(cv, acc[i][v], rest, accumulate);
        }
    }
}

/* Packed microkernel: a is one MR-row micro-panel, b one NR-column micro-panel, both kc long. */
template <class T, size_t NV>
void gemm_ukernel(size_t kc, const void *a, const void *b, void *c, ptrdiff_t ldc, size_t m, size_t n,
                  int accumulate) {
    micro_tile<T, NV, true>(kc, static_cast<const T *>(a), 0, 0, static_cast<const T *>(b), 0,
                            static_cast<T *>(c), ldc, m, n, accumulate);
}

/* Unpacked ("small") microkernel: A read in place through its strides, B rows in place
 * (NV*L contiguous values at b + p*b_rs). */
template <class T, size_t NV>
void gemm_ukernel_sup(size_t k, const void *a, ptrdiff_t a_rs, ptrdiff_t a_cs, const void *b, ptrdiff_t b_rs,
                      void *c, ptrdiff_t ldc, size_t m, size_t n, int accumulate) {
    micro_tile<T, NV, false>(k, static_cast<const T *>(a), a_rs, a_cs, static_cast<const T *>(b), b_rs,
                             static_cast<T *>(c), ldc, m, n, accumulate);
}

/* ---------------------------------------------------------------- gemv */

/* y[0:m] = M[m x k] * x[0:k] with M(i, p) at mat[i*rs + p*cs] and x[p] at x[p*incx]. Bandwidth
 * bound: each element of M is read once. Rows contiguous (cs == 1): 4 rows at a time as dot
 * products sharing the loads of x; columns contiguous (rs == 1): y += x[p] * column p. */
template <class T>
void gemv(size_t m, size_t k, const void *matv, ptrdiff_t rs, ptrdiff_t cs, const void *xv, ptrdiff_t incx,
          void *yv) {
    const T *mat = static_cast<const T *>(matv), *x = static_cast<const T *>(xv);
    T *y = static_cast<T *>(yv);
    constexpr size_t L = kLanes<T>;
    if (cs == 1 && incx == 1) {
        size_t i = 0;
        for (; i + 4 <= m; i += 4) {
            const T *r0 = mat + static_cast<ptrdiff_t>(i) * rs, *r1 = r0 + rs, *r2 = r1 + rs, *r3 = r2 + rs;
            Vec<T> s0 = {}, s1 = {}, s2 = {}, s3 = {};
            size_t p = 0;
            for (; p + L <= k; p += L) {
                const Vec<T> xp = load(x + p);
                s0 += load(r0 + p) * xp;
                s1 += load(r1 + p) * xp;
                s2 += load(r2 + p) * xp;
                s3 += load(r3 + p) * xp;
            }
            T t0 = hsum<T>(s0), t1 = hsum<T>(s1), t2 = hsum<T>(s2), t3 = hsum<T>(s3);
            for (; p < k; p++) {
                t0 += r0[p] * x[p];
                t1 += r1[p] * x[p];
                t2 += r2[p] * x[p];
                t3 += r3[p] * x[p];
            }
            y[i] = t0;
            y[i + 1] = t1;
            y[i + 2] = t2;
            y[i + 3] = t3;
        }
        for (; i < m; i++) {
            const T *r = mat + static_cast<ptrdiff_t>(i) * rs;
            Vec<T> s = {};
            size_t p = 0;
            for (; p + L <= k; p += L) s += load(r + p) * load(x + p);
            T t = hsum<T>(s);
            for (; p < k; p++) t += r[p] * x[p];
            y[i] = t;
        }
        return;
    }
    for (size_t i = 0; i < m; i++) y[i] = T(0);
    if (rs == 1) {
        /* Eight columns per pass over y: one load and store of y per eight FMAs (the loads, not the
         * FMAs, bound this loop while M is in cache). */
        constexpr size_t C = 8;
        size_t p = 0;
        for (; p + C <= k; p += C) {
            T xs[C];
            const T *col[C];
            Vec<T> xv[C];
#pragma GCC unroll 8
            for (size_t j = 0; j < C; j++) {
                xs[j] = x[static_cast<ptrdiff_t>(p + j) * incx];
                col[j] = mat + static_cast<ptrdiff_t>(p + j) * cs;
                xv[j] = splat(xs[j]);
            }
            size_t i = 0;
            for (; i + L <= m; i += L) {
                Vec<T> acc = load(y + i);
#pragma GCC unroll 8
                for (size_t j = 0; j < C; j++) acc += xv[j] * load(col[j] + i);
                store(y + i, acc);
            }
            for (; i < m; i++) {
                T acc = y[i];
#pragma GCC unroll 8
                for (size_t j = 0; j < C; j++) acc += xs[j] * col[j][i];
                y[i] = acc;
            }
        }
        for (; p < k; p++) axpy(m, x[static_cast<ptrdiff_t>(p) * incx], mat + static_cast<ptrdiff_t>(p) * cs, y);
        return;
    }
    for (size_t i = 0; i < m; i++) {
        T t = 0;
        for (size_t p = 0; p < k; p++)
            t += mat[static_cast<ptrdiff_t>(i) * rs + static_cast<ptrdiff_t>(p) * cs] *
                 x[static_cast<ptrdiff_t>(p) * incx];
        y[i] = t;
    }
}

/* ---------------------------------------------------------------- symv */

/* y += the columns [c0, c1) of A x, A symmetric m x m with its lower triangle stored column-major
 * (A(i, j) at a[i + j*lda], i >= j): for each such column j, y[j] += A(j:m, j) . x(j:m) and
 * y(j+1:m) += A(j+1:m, j) x[j]. One read of each stored element serves both products, which is
 * what makes the tridiagonalisation's panel step one pass over the trailing matrix. Four columns
 * per pass over y: one load and store of y per four elements read. */
template <class T>
void symv_lower(size_t m, size_t c0, size_t c1, const void *av, ptrdiff_t lda, const void *xv, void *yv) {
    const T *a = static_cast<const T *>(av), *x = static_cast<const T *>(xv);
    T *y = static_cast<T *>(yv);
    constexpr size_t L = kLanes<T>;
    constexpr size_t C = 4;
    size_t j = c0;
    for (; j + C <= c1; j += C) {
        const T *col[C];
        T xs[C], dot[C];
        Vec<T> xb[C], acc[C];
#pragma GCC unroll 4
        for (size_t q = 0; q < C; q++) {
            col[q] = a + static_cast<ptrdiff_t>(j + q) * lda;
            xs[q] = x[j + q];
            xb[q] = splat(xs[q]);
            acc[q] = Vec<T>{};
            dot[q] = T(0);
        }
        /* the C x C diagonal block: row r of column q for q <= r (the diagonal reads once) */
        for (size_t r = 0; r < C; r++) {
            T yr = T(0);
            for (size_t q = 0; q <= r; q++) {
                const T v = col[q][j + r];
                dot[q] += v * x[j + r];
                if (q < r) yr += v * xs[q];
            }
            y[j + r] += yr;
        }
        size_t i = j + C;
        for (; i + L <= m; i += L) {
            const Vec<T> xi = load(x + i);
            Vec<T> yi = load(y + i);
#pragma GCC unroll 4
            for (size_t q = 0; q < C; q++) {
                const Vec<T> v = load(col[q] + i);
                yi += v * xb[q];
                acc[q] += v * xi;
            }
            store(y + i, yi);
        }
        for (; i < m; i++) {
            T yi = y[i];
#pragma GCC unroll 4
            for (size_t q = 0; q < C; q++) {
                yi += col[q][i] * xs[q];
                dot[q] += col[q][i] * x[i];
            }
            y[i] = yi;
        }
#pragma GCC unroll 4
        for (size_t q = 0; q < C; q++) y[j + q] += hsum<T>(acc[q]) + dot[q];
    }
    for (; j < c1; j++) {
        const T *c = a + static_cast<ptrdiff_t>(j) * lda;
        const T xj = x[j];
        const Vec<T> xjb = splat(xj);
        Vec<T> acc = {};
        T dot = c[j] * x[j];
        size_t i = j + 1;
        for (; i + L <= m; i += L) {
            const Vec<T> v = load(c + i);
            store(y + i, load(y + i) + v * xjb);
            acc += v * load(x + i);
        }
        for (; i < m; i++) {
            y[i] += c[i] * xj;
            dot += c[i] * x[i];
        }
        y[j] += hsum<T>(acc) + dot;
    }
}

/* ------------------------------------------------------- secular equation */

/* The divide-and-conquer merge of every eigh (faer's, patched: third_party/faer/PATCHES.md) over
 * its k non-deflated poles d and weights z: the merge's O(k^2) part. Each element's arithmetic is
 * faer's but for the root finder's reciprocal (weight_over); the sums and products run lane by
 * lane and then across lanes, an order fixed by the ISA alone (so any thread count gives the
 * same bits). */

template <class V> inline auto hmax(V v) {
    if constexpr (lanes_of<V>() == 1)
        return v;
    else {
        ElemOf<V> m = 0;
        for (size_t l = 0; l < lanes_of<V>(); l++) m = v[l] > m ? v[l] : m;
        return m;
    }
}
template <class V> inline auto hprod(V v) {
    if constexpr (lanes_of<V>() == 1)
        return v;
    else {
        ElemOf<V> p = 1;
        for (size_t l = 0; l < lanes_of<V>(); l++) p *= v[l];
        return p;
    }
}

/* z (z / x) with 1/x from the reciprocal estimate and Newton steps rather than the divider,
 * which bounds the eval otherwise (a 64-byte vdivpd issues every 16 cycles); within a few ulps of
 * the quotient. A vector with any x outside the estimate's range (zero, subnormal, infinite, NaN,
 * beyond float's range for AVX2's estimate) is divided instead. */
template <class T> inline Vec<T> weight_over(Vec<T> z, Vec<T> x) {
#if defined(__AVX512F__) || defined(__AVX2__)
    constexpr T kLo = sizeof(T) == 8 && CP_VBYTES == 64 ? T(0x1p-1000) : T(0x1p-120);
    constexpr T kHi = sizeof(T) == 8 && CP_VBYTES == 64 ? T(0x1p1000) : T(0x1p120);
    const Vec<T> ax = x < Vec<T>{} ? -x : x;
    if (!any_lane(~((ax >= splat(kLo)) & (ax <= splat(kHi))))) {
        Vec<T> r;
        int steps;
#if defined(__AVX512F__)
        if constexpr (sizeof(T) == 8)
            r = (Vec<T>)_mm512_maskz_rcp14_pd(-1, (__m512d)x), steps = 2; /* 14 -> 28 -> 56 bits */
        else
            r = (Vec<T>)_mm512_maskz_rcp14_ps(-1, (__m512)x), steps = 1; /* 14 -> 28 */
#else
        if constexpr (sizeof(T) == 8)
            r = (Vec<T>)_mm256_cvtps_pd(_mm_rcp_ps(_mm256_cvtpd_ps((__m256d)x))), steps = 3; /* 12 -> 96 */
        else
            r = (Vec<T>)_mm256_rcp_ps((__m256)x), steps = 2; /* 12 -> 48 */
#endif
        const Vec<T> one = splat(T(1));
        for (int s = 0; s < steps; s++) r = r + r * (one - x * r);
        return z * (z * r);
    }
#endif
    return z * (z / x);
}

/* out[p] = sum_i z_i (z_i / ((d_i - shift[p]) - mu[p])) for p < m. */
template <class T>
void secular_eval(size_t n, const void *dv, const void *zv, size_t m, const void *shiftv, const void *muv,
                  void *outv) {
    const T *d = static_cast<const T *>(dv), *z = static_cast<const T *>(zv);
    const T *shift = static_cast<const T *>(shiftv), *mu = static_cast<const T *>(muv);
    T *out = static_cast<T *>(outv);
    constexpr size_t L = kLanes<T>;
    for (size_t p = 0; p < m; p++) {
        const Vec<T> sv = splat(shift[p]), mv = splat(mu[p]);
        Vec<T> acc{};
        size_t i = 0;
        for (; i + L <= n; i += L) {
            const Vec<T> zi = load(z + i);
            acc += weight_over<T>(zi, (load(d + i) - sv) - mv);
        }
        T rest = 0;
        for (; i < n; i++) rest += z[i] * (z[i] / ((d[i] - shift[p]) - mu[p]));
        out[p] = hsum<T>(acc) + rest;
    }
}

/* out_i = z_i / ((d_i - shift) - mu) and *norm = |out|_2, the sum of squares scaled by the
 * largest |out_i| (as faer's norm, so that neither overflows). */
template <class T>
void secular_vector(size_t n, const void *dv, const void *zv, const void *shiftv, const void *muv, void *outv,
                    void *normv) {
    const T *d = static_cast<const T *>(dv), *z = static_cast<const T *>(zv);
    const T shift = load1<T>(shiftv), mu = load1<T>(muv);
    T *out = static_cast<T *>(outv);
    constexpr size_t L = kLanes<T>;
    const Vec<T> sv = splat(shift), mv = splat(mu);
    Vec<T> big{};
    size_t i = 0;
    for (; i + L <= n; i += L) {
        const Vec<T> q = load(z + i) / ((load(d + i) - sv) - mv);
        store(out + i, q);
        const Vec<T> a = q < Vec<T>{} ? -q : q;
        big = a > big ? a : big;
    }
    T mx = hmax(big);
    for (; i < n; i++) {
        out[i] = z[i] / ((d[i] - shift) - mu);
        const T a = fabs_r(out[i]);
        mx = a > mx ? a : mx;
    }
    /* zero or not finite: the plain sum (0, inf or NaN, as the values say) */
    constexpr T kMaxFinite = sizeof(T) == 4 ? T(__FLT_MAX__) : T(__DBL_MAX__);
    const bool scaled = mx > T(0) && mx <= kMaxFinite;
    const T scale = scaled ? T(1) / mx : T(1), unscale = scaled ? mx : T(1);
    const Vec<T> scv = splat(scale);
    Vec<T> acc{};
    i = 0;
    for (; i + L <= n; i += L) {
        const Vec<T> t = load(out + i) * scv;
        acc += t * t;
    }
    T rest = 0;
    for (; i < n; i++) {
        const T t = out[i] * scale;
        rest += t * t;
    }
    const T ss = hsum<T>(acc) + rest;
    if constexpr (sizeof(T) == 4)
        store1(normv, unscale * __builtin_sqrtf(ss));
    else
        store1(normv, unscale * __builtin_sqrt(ss));
}

/* *out = (mu_i + (shift_i - d_i)) prod_{j != i} (mu_j + (shift_j - d_i)) / (d_j - d_i): z_i's
 * square from the computed roots (Gu and Eisenstat). */
template <class T>
void secular_loewner(size_t n, const void *dv, const void *muv, const void *shiftv, size_t i, void *outv) {
    const T *d = static_cast<const T *>(dv), *mu = static_cast<const T *>(muv);
    const T *shift = static_cast<const T *>(shiftv);
    constexpr size_t L = kLanes<T>;
    const T di = d[i];
    const Vec<T> dv_i = splat(di);
    Vec<T> acc = splat(T(1));
    T rest = 1;
    auto run = [&](size_t j, size_t j1) {
        for (; j + L <= j1; j += L) acc *= (load(mu + j) + (load(shift + j) - dv_i)) / (load(d + j) - dv_i);
        for (; j < j1; j++) rest *= (mu[j] + (shift[j] - di)) / (d[j] - di);
    };
    run(0, i);
    run(i + 1, n);
    store1(outv, (mu[i] + (shift[i] - di)) * (hprod(acc) * rest));
}

template <class T> constexpr cp_gemm_kernels make_gemm_kernels() {
    cp_gemm_kernels g{};
    g.mr = kMR<T>;
    g.nr = kNR<T>;
    g.naive = gemm_naive<T>;
    g.pack_a = gemm_pack_a<T>;
    g.pack_b = gemm_pack_b<T>;
    g.ukernel = gemm_ukernel<T, kNV<T>>;
    g.ukernel_sup = gemm_ukernel_sup<T, kNV<T>>;
    g.ukernel_half = gemm_ukernel<T, kNV<T> / 2>;
    g.ukernel_sup_half = gemm_ukernel_sup<T, kNV<T> / 2>;
    g.gemv = gemv<T>;
    g.symv = symv_lower<T>;
    g.secular = secular_eval<T>;
    g.secular_vector = secular_vector<T>;
    g.loewner = secular_loewner<T>;
    return g;
}
