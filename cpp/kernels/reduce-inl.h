/*
 * reduce-inl.h — reductions, statistics and scans (issue 16), included by kernels-inl.h inside CP_NS
 * after the sum, all/any and complex helpers it builds on.
 *
 * Two shapes of kernel per operation, matching the two ways a reduction meets memory:
 *   horizontal  one contiguous run of n elements -> one value (SIMD lanes, then across lanes);
 *   vertical    acc[i] = acc[i] op x[i] over a contiguous row: the reduced axis is an outer one and
 *               each input row folds into an output row (no transposing copy).
 * Rust splits work into fixed blocks and combines the per-block partials with the same kernels, so
 * results do not depend on the thread count.
 *
 * Sums and products of integers accumulate in 64 bits (wrapping, in unsigned arithmetic: the bits
 * of int64 or uint64), bool counts in int64; floats and complex in their own type.
 * min/max propagate NaN (any NaN makes the result NaN); arg-min/max return the first occurrence,
 * a NaN counting as the extreme (NumPy's rules).
 */

template <class T> struct AccOfT {
    typedef T type;
};
template <> struct AccOfT<boolean> {
    typedef int64_t type;
};
template <> struct AccOfT<int8_t> {
    typedef int64_t type;
};
template <> struct AccOfT<int16_t> {
    typedef int64_t type;
};
template <> struct AccOfT<int32_t> {
    typedef int64_t type;
};
template <> struct AccOfT<uint8_t> {
    typedef uint64_t type;
};
template <> struct AccOfT<uint16_t> {
    typedef uint64_t type;
};
template <> struct AccOfT<uint32_t> {
    typedef uint64_t type;
};
template <class T> using AccOf = typename AccOfT<T>::type;

/* An element as its accumulator value (bool: 0/1; integers widen by their own signedness). */
template <class T> inline AccOf<T> to_acc(T x) {
    if constexpr (std::is_same_v<T, boolean>)
        return x != 0;
    else
        return static_cast<AccOf<T>>(x);
}

/* Wrapping integer arithmetic through the unsigned twin; floats and complex as they are. */
template <class A> inline A acc_add(A a, A b) {
    if constexpr (kIsComplex<A>)
        return {a.re + b.re, a.im + b.im};
    else if constexpr (std::is_integral_v<A>)
        return static_cast<A>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    else
        return a + b;
}
template <class A> inline A acc_mul(A a, A b) {
    if constexpr (kIsComplex<A>)
        return complex_mul(a, b);
    else if constexpr (std::is_integral_v<A>)
        return static_cast<A>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
    else
        return a * b;
}
template <class A> constexpr A acc_one() {
    if constexpr (kIsComplex<A>)
        return {RealOf<A>(1), RealOf<A>(0)};
    else
        return A(1);
}

/* ---------------------------------------------------------------- complex sum */

/* Pairwise over blocks of 256 values; the interleaved parts are summed as 2n reals with even lanes
 * collecting real parts and odd lanes imaginary ones. */
template <class R> Complex<R> csum_block(const R *p, size_t n) {
    constexpr size_t L = kLanes<R>;
    R re = 0, im = 0;
    size_t i = 0; /* part index */
    if constexpr (L > 1) {
        Vec<R> s0 = {}, s1 = {}, s2 = {}, s3 = {};
        for (; i + 4 * L <= 2 * n; i += 4 * L) {
            s0 += load(p + i);
            s1 += load(p + i + L);
            s2 += load(p + i + 2 * L);
            s3 += load(p + i + 3 * L);
        }
        for (; i + L <= 2 * n; i += L) s0 += load(p + i);
        const Vec<R> s = (s0 + s1) + (s2 + s3);
        for (size_t k = 0; k < L; k += 2) {
            re += s[k];
            im += s[k + 1];
        }
    }
    for (; i < 2 * n; i += 2) {
        re += p[i];
        im += p[i + 1];
    }
    return {re, im};
}

template <class R> Complex<R> csum_rec(const R *p, size_t n) {
    constexpr size_t B = 256;
    if (n <= B) return csum_block(p, n);
    size_t h = n / 2 / B * B;
    if (h == 0) h = B;
    const Complex<R> a = csum_rec(p, h), b = csum_rec(p + 2 * h, n - h);
    return {a.re + b.re, a.im + b.im};
}

template <class T> void red_sum(const void *x, size_t n, void *out) {
    if constexpr (kIsComplex<T>)
        store1(out, csum_rec(static_cast<const RealOf<T> *>(x), n));
    else
        sum<T>(x, n, out);
}

/* ---------------------------------------------------------------- product */

template <class T> void red_prod(const void *xv, size_t n, void *out) {
    const T *x = static_cast<const T *>(xv);
    typedef AccOf<T> A;
    size_t i = 0;
    if constexpr (std::is_floating_point_v<T> && kLanes<T> > 1) {
        constexpr size_t L = kLanes<T>;
        Vec<T> p0 = splat(T(1)), p1 = p0, p2 = p0, p3 = p0;
        for (; i + 4 * L <= n; i += 4 * L) {
            p0 *= load(x + i);
            p1 *= load(x + i + L);
            p2 *= load(x + i + 2 * L);
            p3 *= load(x + i + 3 * L);
        }
        const Vec<T> p = (p0 * p1) * (p2 * p3);
        T r = 1;
        for (size_t k = 0; k < L; k++) r *= p[k];
        for (; i < n; i++) r *= x[i];
        store1(out, r);
    } else if constexpr (kIsComplex<T>) {
        A r = acc_one<A>();
        for (; i < n; i++) r = complex_mul(r, x[i]);
        store1(out, r);
    } else {
        /* integers: four independent wrapping 64-bit chains */
        uint64_t r0 = 1, r1 = 1, r2 = 1, r3 = 1;
        for (; i + 4 <= n; i += 4) {
            r0 *= static_cast<uint64_t>(to_acc(x[i]));
            r1 *= static_cast<uint64_t>(to_acc(x[i + 1]));
            r2 *= static_cast<uint64_t>(to_acc(x[i + 2]));
            r3 *= static_cast<uint64_t>(to_acc(x[i + 3]));
        }
        uint64_t r = (r0 * r1) * (r2 * r3);
        for (; i < n; i++) r *= static_cast<uint64_t>(to_acc(x[i]));
        store1(out, static_cast<A>(r));
    }
}

/* ---------------------------------------------------------------- min / max */

/* The better of a (kept so far) and v: v when v is NaN (NaN sticks) or strictly better. Works
 * lane-wise on vectors and on single values. */
template <bool MAX, class V> inline V pick(V a, V v) {
    typedef ElemOf<V> E;
    if constexpr (std::is_floating_point_v<E>) {
        const auto take = (MAX ? (v > a) : (v < a)) | (v != v);
        return take ? v : a;
    } else {
        return (MAX ? (v > a) : (v < a)) ? v : a;
    }
}

/* The better of a and v, a when neither is (ties and NaN keep a): (v > a) ? v : a is one max
 * (min) instruction, where pick also tests v for NaN and merges the masks. */
template <bool MAX, class V> inline V better(V a, V v) { return (MAX ? (v > a) : (v < a)) ? v : a; }

/* n >= 1. bool: max is any, min is all (0/1 out). Floats: the accumulators take no NaN (better);
 * NaNs are noted in a mask off their dependency chains, and when there is one the result is the
 * first NaN of x. */
template <class T, bool MAX> void red_minmax(const void *xv, size_t n, void *out) {
    if constexpr (std::is_same_v<T, boolean>) {
        store1(out, static_cast<boolean>(scan<T, MAX>(xv, n)));
    } else {
        const T *x = static_cast<const T *>(xv);
        constexpr size_t L = kLanes<T>;
        constexpr bool F = std::is_floating_point_v<T>;
        T best = x[0];
        size_t i = 0;
        if constexpr (L > 1) {
            if (n >= 4 * L) {
                Vec<T> a0 = load(x), a1 = load(x + L), a2 = load(x + 2 * L), a3 = load(x + 3 * L);
                Mask<T> nan = {};
                if constexpr (F) nan = (a0 != a0) | (a1 != a1) | (a2 != a2) | (a3 != a3);
                for (i = 4 * L; i + 4 * L <= n; i += 4 * L) {
                    const Vec<T> v0 = load(x + i), v1 = load(x + i + L), v2 = load(x + i + 2 * L), v3 = load(x + i + 3 * L);
                    if constexpr (F) nan |= (v0 != v0) | (v1 != v1) | (v2 != v2) | (v3 != v3);
                    a0 = better<MAX>(a0, v0);
                    a1 = better<MAX>(a1, v1);
                    a2 = better<MAX>(a2, v2);
                    a3 = better<MAX>(a3, v3);
                }
                if constexpr (F) {
                    if (any_lane(nan)) {
                        size_t k = 0;
                        while (x[k] == x[k]) k++;
                        store1(out, x[k]);
                        return;
                    }
                }
                const Vec<T> a = better<MAX>(better<MAX>(a0, a1), better<MAX>(a2, a3));
                best = a[0];
                for (size_t k = 1; k < L; k++) best = better<MAX>(best, T(a[k]));
            }
        }
        for (; i < n; i++) best = pick<MAX>(best, x[i]);
        store1(out, best);
    }
}

/* acc[i] = the better of acc[i] and x[i], a NaN in either sticking (NaN in x: taken; in acc: the
 * max/min instruction keeps it, as its compare is false). */
template <bool MAX, class V> inline V fold_nan(V a, V v) {
    if constexpr (std::is_floating_point_v<ElemOf<V>>)
        return (v != v) ? v : better<MAX>(a, v);
    else
        return better<MAX>(a, v);
}

template <class T, bool MAX> void acc_minmax(const void *xv, size_t n, void *accv) {
    if constexpr (std::is_same_v<T, boolean>) {
        accumulate<T, MAX>(xv, n, static_cast<uint8_t *>(accv)); /* max: any, min: all */
    } else {
        const T *x = static_cast<const T *>(xv);
        T *acc = static_cast<T *>(accv);
        constexpr size_t L = kLanes<T>;
        size_t i = 0;
        /* four vectors per step: the row streams in while the accumulators stay in L1 */
        for (; i + 4 * L <= n; i += 4 * L) {
            const Vec<T> v0 = load(x + i), v1 = load(x + i + L), v2 = load(x + i + 2 * L), v3 = load(x + i + 3 * L);
            store(acc + i, fold_nan<MAX>(load(acc + i), v0));
            store(acc + i + L, fold_nan<MAX>(load(acc + i + L), v1));
            store(acc + i + 2 * L, fold_nan<MAX>(load(acc + i + 2 * L), v2));
            store(acc + i + 3 * L, fold_nan<MAX>(load(acc + i + 3 * L), v3));
        }
        for (; i + L <= n; i += L) store(acc + i, fold_nan<MAX>(load(acc + i), load(x + i)));
        for (; i < n; i++) acc[i] = pick<MAX>(acc[i], x[i]);
    }
}

/* ---------------------------------------------------------------- argmin / argmax */

/* First j with x[j] == m (with x[j] NaN when m is NaN); m must occur in x[0, n). */
template <class T> inline size_t find_first(const T *x, size_t n, T m) {
    constexpr size_t L = kLanes<T>;
    const bool nan = m != m;
    size_t j = 0;
    if constexpr (L > 1) {
        const Vec<T> mv = splat(m);
        for (; j + L <= n; j += L) {
            const Vec<T> v = load(x + j);
            if (any_lane(nan ? (v != v) : (v == mv))) break;
        }
    }
    for (; j < n; j++)
        if (nan ? x[j] != x[j] : x[j] == m) return j;
    return 0;
}

/* Floats in one pass: per lane the best value so far and the index where it first occurred
 * (only a strictly better value or a NaN replaces it, and a NaN then sticks), then the lanes merge
 * (the smallest index holding the extreme, or a NaN) and the tail runs on. n >= kLanes<T>, and for
 * float32 below 2^31 (int32 lane indices). best/at: the extreme and its index. */
template <class T, bool MAX> inline void arg_lanes(const T *x, size_t n, T &best, int64_t &at) {
    typedef Mask<T> I;
    typedef ElemOf<I> J;
    constexpr size_t L = kLanes<T>;
    /* two (value, index) pairs over alternate vectors: one pair's compare-and-select chain
     * limited the scan below the memory's read rate */
    Vec<T> b0 = load(x), b1 = b0;
    I idx = {};
    for (size_t k = 0; k < L; k++) idx[k] = J(k);
    I bi0 = idx, bi1 = idx;
    const I step = splat(J(L)), step2 = splat(J(2 * L));
    size_t i = L;
    I ia = idx + step, ib = ia + step; /* the lanes' indices at x + i and x + i + L */
    for (; i + 2 * L <= n; i += 2 * L) {
        const Vec<T> v0 = load(x + i), v1 = load(x + i + L);
        const I t0 = (MAX ? (v0 > b0) : (v0 < b0)) | ((v0 != v0) & (b0 == b0));
        const I t1 = (MAX ? (v1 > b1) : (v1 < b1)) | ((v1 != v1) & (b1 == b1));
        b0 = t0 ? v0 : b0;
        bi0 = t0 ? ia : bi0;
        b1 = t1 ? v1 : b1;
        bi1 = t1 ? ib : bi1;
        ia += step2;
        ib += step2;
    }
    if (i + L <= n) {
        const Vec<T> v0 = load(x + i);
        const I t0 = (MAX ? (v0 > b0) : (v0 < b0)) | ((v0 != v0) & (b0 == b0));
        b0 = t0 ? v0 : b0;
        bi0 = t0 ? ia : bi0;
        i += L;
    }
    T m = b0[0];
    int64_t mi = int64_t(bi0[0]);
    for (size_t k = 1; k < 2 * L; k++) {
        const T v = k < L ? T(b0[k]) : T(b1[k - L]);
        const int64_t j = k < L ? int64_t(bi0[k]) : int64_t(bi1[k - L]);
        bool take;
        if (m != m)
            take = v != v && j < mi;
        else
            take = v != v || (MAX ? v > m : v < m) || (v == m && j < mi);
        if (take) {
            m = v;
            mi = j;
        }
    }
    for (; i < n; i++) {
        const T v = x[i];
        if ((MAX ? v > m : v < m) || (v != v && m == m)) {
            m = v;
            mi = int64_t(i);
        }
    }
    best = m;
    at = mi;
}

/* Index of the first extreme of n >= 1 elements (the first NaN if any). Floats: arg_lanes over
 * runs of 2^30. Otherwise blocks of 2048: the block's extreme by SIMD; only a block that beats the
 * best so far is searched for the first index of its extreme (that search reads the block from
 * L1). */
template <class T, bool MAX> int64_t red_arg(const void *xv, size_t n) {
    const T *x = static_cast<const T *>(xv);
    if constexpr (std::is_floating_point_v<T> && kLanes<T> > 1) {
        constexpr size_t R = size_t(1) << 30;
        if (n >= kLanes<T>) {
            T best = x[0];
            int64_t best_i = 0;
            for (size_t s = 0; s < n; s += R) {
                if (best != best) break; /* the first NaN wins */
                const size_t nb = n - s < R ? n - s : R;
                if (nb < kLanes<T>) { /* a short last run */
                    for (size_t i = s; i < n; i++)
                        if ((MAX ? x[i] > best : x[i] < best) || (x[i] != x[i] && best == best)) {
                            best = x[i];
                            best_i = int64_t(i);
                        }
                    break;
                }
                T m;
                int64_t j;
                arg_lanes<T, MAX>(x + s, nb, m, j);
                if (s == 0 || (MAX ? m > best : m < best) || (m != m && best == best)) {
                    best = m;
                    best_i = int64_t(s) + j;
                }
            }
            return best_i;
        }
    }
    if constexpr (std::is_same_v<T, boolean>) {
        for (size_t i = 0; i < n; i++)
            if ((x[i] != 0) == MAX) return static_cast<int64_t>(i);
        return 0;
    } else {
        constexpr size_t B = 2048;
        int64_t best_i = 0;
        T best = x[0];
        for (size_t s = 0; s < n; s += B) {
            if constexpr (std::is_floating_point_v<T>)
                if (best != best) break; /* the first NaN wins */
            const size_t nb = n - s < B ? n - s : B;
            T m;
            red_minmax<T, MAX>(x + s, nb, &m);
            bool better = MAX ? (m > best) : (m < best);
            if constexpr (std::is_floating_point_v<T>) better = better || (m != m && best == best);
            if (!better) continue;
            const size_t j = find_first(x + s, nb, m);
            best = x[s + j];
            best_i = static_cast<int64_t>(s + j);
        }
        return best_i;
    }
}

/* Whether v beats a (kept so far) for argmin/argmax: strictly better, or a NaN over a number;
 * lane-wise on vectors and on single values. */
template <bool MAX, class V> inline auto arg_beats(V v, V a) {
    typedef ElemOf<V> E;
    if constexpr (std::is_same_v<E, boolean>)
        return MAX ? (v != 0 && a == 0) : (v == 0 && a != 0);
    else if constexpr (std::is_floating_point_v<E>)
        return (MAX ? (v > a) : (v < a)) | ((v != v) & (a == a));
    else
        return MAX ? (v > a) : (v < a);
}

#if !CP_SCALAR
/* True if any lane of a 32-byte mask is set (one vptest, where any_lane extracts four words). */
template <class M> inline bool any32(M m) {
    static_assert(sizeof(M) == 32, "a 32-byte mask");
#if defined(__AVX2__)
    __m256i v;
    __builtin_memcpy(&v, &m, 32);
    return !_mm256_testz_si256(v, v);
#else
    return any_lane(m);
#endif
}

/* idx[k] = t[k] ? (FROM ? from[k] : j) : idx[k] over four 64-bit lanes. */
template <bool FROM> inline void idx_blend(int64_t *idx, Vec<int64_t, 4> t, const int64_t *from, Vec<int64_t, 4> jv) {
    Vec<int64_t, 4> nv = jv;
    if constexpr (FROM) nv = loadn<4>(from);
    storen<4>(idx, t ? nv : loadn<4>(idx));
}
#endif

/* Where x[i] beats val[i]: val[i] = x[i], idx[i] = from[i] (FROM) or j. The SIMD loop runs on
 * 32-byte vectors (their 64-bit index lanes then fill whole registers) and stores only when
 * some lane changes: after the first rows of a fold a new extreme is rare, so the index row is
 * mostly left alone. */
template <class T, bool MAX, bool FROM>
inline void arg_update(const T *x, size_t n, int64_t j, const int64_t *from, T *val, int64_t *idx) {
    size_t i = 0;
#if !CP_SCALAR
    if constexpr (sizeof(T) >= 4) {
        constexpr size_t L = 32 / sizeof(T);
        const Vec<int64_t, 4> jv = splatn<4>(j);
        for (; i + L <= n; i += L) {
            const Vec<T, L> v = loadn<L>(x + i), a = loadn<L>(val + i);
            const auto take = arg_beats<MAX>(v, a);
            if (!any32(take)) continue;
            storen<L>(val + i, take ? v : a);
            if constexpr (L == 4) {
                idx_blend<FROM>(idx + i, vcast<int64_t>(take), FROM ? from + i : nullptr, jv);
            } else {
                const auto lo = __builtin_shufflevector(take, take, 0, 1, 2, 3);
                const auto hi = __builtin_shufflevector(take, take, 4, 5, 6, 7);
                idx_blend<FROM>(idx + i, vcast<int64_t>(lo), FROM ? from + i : nullptr, jv);
                idx_blend<FROM>(idx + i + 4, vcast<int64_t>(hi), FROM ? from + i + 4 : nullptr, jv);
            }
        }
    }
#endif
    for (; i < n; i++) {
        const T v = x[i], a = val[i];
        const bool take = arg_beats<MAX>(v, a);
        val[i] = take ? v : a;
        idx[i] = take ? (FROM ? from[i] : j) : idx[i];
    }
}

/* Vertical: where row j (x) beats val[i] (strictly; a NaN beats a number), val[i] = x[i],
 * idx[i] = j. */
template <class T, bool MAX> void acc_arg(const void *xv, size_t n, int64_t j, void *valv, int64_t *idx) {
    arg_update<T, MAX, false>(static_cast<const T *>(xv), n, j, nullptr, static_cast<T *>(valv), idx);
}

/* Merges a later block's (val_b, idx_b) into (val, idx) where it beats it strictly (ties keep the
 * earlier block: the first occurrence). */
template <class T, bool MAX>
void arg_merge(const void *vbv, const int64_t *ib, size_t n, void *valv, int64_t *idx) {
    arg_update<T, MAX, true>(static_cast<const T *>(vbv), n, 0, ib, static_cast<T *>(valv), idx);
}

/* ---------------------------------------------------------------- count_nonzero */

template <class T> int64_t count_nz(const void *xv, size_t n) {
    const T *x = static_cast<const T *>(xv);
    int64_t c = 0;
    if constexpr (kIsComplex<T>) {
        for (size_t i = 0; i < n; i++) c += (x[i].re != 0) | (x[i].im != 0);
    } else {
        for (size_t i = 0; i < n; i++) c += x[i] != 0;
    }
    return c;
}

template <class T> void acc_count(const void *xv, size_t n, void *accv) {
    const T *x = static_cast<const T *>(xv);
    int64_t *acc = static_cast<int64_t *>(accv);
    if constexpr (kIsComplex<T>) {
        for (size_t i = 0; i < n; i++) acc[i] += (x[i].re != 0) | (x[i].im != 0);
    } else {
        for (size_t i = 0; i < n; i++) acc[i] += x[i] != 0;
    }
}

/* ---------------------------------------------------------------- vertical sum / product */

template <class T, bool PROD> void acc_sumprod(const void *xv, size_t n, void *accv) {
    const T *x = static_cast<const T *>(xv);
    typedef AccOf<T> A;
    A *acc = static_cast<A *>(accv);
    size_t i = 0;
    if constexpr (std::is_same_v<T, A> && !kIsComplex<T>) {
        typedef typename Arith<T>::type U; /* wrapping for int64/uint64 */
        const U *xu = reinterpret_cast<const U *>(x);
        U *au = reinterpret_cast<U *>(acc);
        constexpr size_t L = kLanes<U>;
        for (; i + 4 * L <= n; i += 4 * L) { /* as acc_minmax: four vectors per step */
            const Vec<U> v0 = load(xu + i), v1 = load(xu + i + L), v2 = load(xu + i + 2 * L), v3 = load(xu + i + 3 * L);
            store(au + i, PROD ? load(au + i) * v0 : load(au + i) + v0);
            store(au + i + L, PROD ? load(au + i + L) * v1 : load(au + i + L) + v1);
            store(au + i + 2 * L, PROD ? load(au + i + 2 * L) * v2 : load(au + i + 2 * L) + v2);
            store(au + i + 3 * L, PROD ? load(au + i + 3 * L) * v3 : load(au + i + 3 * L) + v3);
        }
        for (; i + L <= n; i += L) store(au + i, PROD ? load(au + i) * load(xu + i) : load(au + i) + load(xu + i));
        for (; i < n; i++) au[i] = PROD ? au[i] * xu[i] : au[i] + xu[i];
    } else if constexpr (kIsComplex<T> && !PROD) {
        typedef RealOf<T> R;
        const R *xp = reinterpret_cast<const R *>(x);
        R *ap = reinterpret_cast<R *>(acc);
        constexpr size_t L = kLanes<R>;
        for (; i + L <= 2 * n; i += L) store(ap + i, load(ap + i) + load(xp + i));
        for (; i < 2 * n; i++) ap[i] += xp[i];
    } else {
        for (; i < n; i++) acc[i] = PROD ? acc_mul(acc[i], to_acc(x[i])) : acc_add(acc[i], to_acc(x[i]));
    }
}

/* ---------------------------------------------------------------- variance */

/* mean and M2 (sum of squared deviations) of n >= 1 floats, out[0], out[1] (float64). Each
 * 1024-element block is summed, then its deviations from the block mean summed from L1 (two
 * passes over the block, one over memory); blocks merge by Chan's formula. */
template <class T> void moments(const void *xv, size_t n, double *out) {
    const T *x = static_cast<const T *>(xv);
    constexpr size_t B = 1024, L = kSumLanes<T>;
    double cnt = 0, mean = 0, m2 = 0;
    for (size_t s = 0; s < n; s += B) {
        const size_t nb = n - s < B ? n - s : B;
        const T *p = x + s;
        const T mb = block_sum<T, false, L>(p, nullptr, nb) / static_cast<T>(nb);
        T q = 0, d = 0;
        size_t i = 0;
        if constexpr (L > 1) {
            const Vec<T, L> mv = splatn<L>(mb);
            Vec<T, L> q0 = {}, q1 = {}, d0 = {}, d1 = {};
            for (; i + 2 * L <= nb; i += 2 * L) {
                const Vec<T, L> e0 = loadn<L>(p + i) - mv, e1 = loadn<L>(p + i + L) - mv;
                q0 += e0 * e0;
                q1 += e1 * e1;
                d0 += e0;
                d1 += e1;
            }
            q = hsum<T>(q0 + q1);
            d = hsum<T>(d0 + d1);
        }
        for (; i < nb; i++) {
            const T e = p[i] - mb;
            q += e * e;
            d += e;
        }
        const double nbd = static_cast<double>(nb);
        const double bmean = static_cast<double>(mb) + static_cast<double>(d) / nbd;
        const double bm2 = static_cast<double>(q) - static_cast<double>(d) * static_cast<double>(d) / nbd;
        const double tot = cnt + nbd, delta = bmean - mean;
        mean += delta * nbd / tot;
        m2 += bm2 + delta * delta * cnt * nbd / tot;
        cnt = tot;
    }
    out[0] = mean;
    out[1] = m2;
}

/* One Welford step over a row: k-th row (inv_k = 1/k), running mean and M2 per column. */
template <class T> void welford(const void *xv, size_t n, double inv_k, void *meanv, void *m2v) {
    const T *x = static_cast<const T *>(xv);
    T *mean = static_cast<T *>(meanv), *m2 = static_cast<T *>(m2v);
    const T ik = static_cast<T>(inv_k);
    constexpr size_t L = kLanes<T>;
    size_t i = 0;
    if constexpr (L > 1) {
        const Vec<T> ikv = splat(ik);
        for (; i + L <= n; i += L) {
            const Vec<T> v = load(x + i), m = load(mean + i), d = v - m, mn = m + d * ikv;
            store(mean + i, mn);
            store(m2 + i, load(m2 + i) + d * (v - mn));
        }
    }
    for (; i < n; i++) {
        const T v = x[i], d = v - mean[i];
        mean[i] += d * ik;
        m2[i] += d * (v - mean[i]);
    }
}

/* m2[i] *= scale, then the square root when `root` (std). */
template <class T> void var_finish(void *m2v, size_t n, double scale, int root) {
    T *m2 = static_cast<T *>(m2v);
    const T s = static_cast<T>(scale);
    for (size_t i = 0; i < n; i++) {
        const T v = m2[i] * s;
        if constexpr (sizeof(T) == 4)
            m2[i] = root ? __builtin_sqrtf(v) : v;
        else
            m2[i] = root ? __builtin_sqrt(v) : v;
    }
}

/* ---------------------------------------------------------------- cumulative sum / product */

/* Lanes moved up by K (lane i gets lane i - K), zeros shifted in. */
template <size_t K, class V, size_t... I> inline V shift_up_at(V v, V zero, std::index_sequence<I...>) {
    return __builtin_shufflevector(zero, v, (I < K ? 0 : lanes_of<V>() + I - K)...);
}
template <size_t K, class V> inline V shift_up(V v, V zero) {
    return shift_up_at<K>(v, zero, std::make_index_sequence<lanes_of<V>()>{});
}

/* out[i] = carry op x[0] op ... op x[i] (in the accumulator type), *carry updated. */
template <class T, bool PROD> void scan_acc(const void *xv, size_t n, void *outv, void *carryv) {
    const T *x = static_cast<const T *>(xv);
    typedef AccOf<T> A;
    A *out = static_cast<A *>(outv);
    A c = load1<A>(carryv);
    size_t i = 0;
    if constexpr (!PROD && std::is_floating_point_v<T> && kLanes<T> >= 4) {
        /* in-register prefix sums: log2(L) shifted adds per vector, one dependent add per vector */
        constexpr size_t L = kLanes<T>;
        const Vec<T> zero = {};
        for (; i + L <= n; i += L) {
            Vec<T> v = load(x + i);
            v += shift_up<1>(v, zero);
            v += shift_up<2>(v, zero);
            if constexpr (L >= 8) v += shift_up<4>(v, zero);
            if constexpr (L >= 16) v += shift_up<8>(v, zero);
            v += splat(c);
            store(out + i, v);
            c = v[L - 1];
        }
    }
    for (; i < n; i++) {
        c = PROD ? acc_mul(c, to_acc(x[i])) : acc_add(c, to_acc(x[i]));
        out[i] = c;
    }
    store1(carryv, c);
}
