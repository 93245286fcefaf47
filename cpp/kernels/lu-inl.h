/*
 * lu-inl.h — the small-matrix solve behind corepy.linalg.solve (orders up to CP_LU_SMALL_MAX, where a
 * blocked library factorization costs more than its arithmetic), included by kernels-inl.h inside
 * CP_NS.
 *
 * One matrix per call (Rust threads the stack), LU with partial pivoting as LAPACK's getf2 (the
 * pivot is the first largest |re| + |im| of the column; a NaN never wins), then U X = Y.
 *
 * Real types, when [A | B] fits kLuAugWidth: the augmented elimination. [A | B] is copied
 * row-major into a stack buffer with rows padded to whole vectors, so the elimination carries B
 * along (no separate L Y = P B) and every row update runs over whole vectors from the one holding
 * the next column on; pivoting swaps row indices, not rows; two columns go per pass over the
 * trailing rows (a rank-2 update: half the loads and stores of two rank-1 passes); the pivot search
 * for the column after the pass rides on the pass's own output vectors. The columns left of the
 * diagonal are dead after their step, so whole-vector updates may overwrite them.
 *
 * Complex types and wide right-hand sides: getf2 on a row-major copy of A, then L Y = P B and
 * U X = Y over rows of X, every update an axpy over a contiguous row.
 */

template <class T> struct LuOps { /* float, double */
    static T one() { return T(1); }
    static T abs1(T v) { return v < T(0) ? -v : v; }
    static T mul(T a, T b) { return a * b; }
    static T div(T a, T b) { return a / b; }
};
template <class R> struct LuOps<Complex<R>> {
    typedef Complex<R> C;
    static C one() { return C{R(1), R(0)}; }
    static R abs1(C v) { return (v.re < R(0) ? -v.re : v.re) + (v.im < R(0) ? -v.im : v.im); }
    static C mul(C a, C b) { return C{a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
    static C div(C a, C b) {
        const R d = b.re * b.re + b.im * b.im;
        return C{(a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d};
    }
};

/* dst[j] -= l * src[j], j < len: two distinct rows, so the loop vectorises without alias checks. */
template <class T> inline void lu_axpy(T *__restrict dst, const T *__restrict src, T l, size_t len) {
    if constexpr (kIsComplex<T>) {
        for (size_t j = 0; j < len; j++) {
            const T p = LuOps<T>::mul(l, src[j]);
            dst[j].re -= p.re;
            dst[j].im -= p.im;
        }
    } else {
        for (size_t j = 0; j < len; j++) dst[j] -= l * src[j];
    }
}

/* Row i of X minus sum over r in [r0, r1) of l[r] times row r of X (rows of k, row-major): the
 * row's chunks stay in registers across the sum, so each step loads one row chunk and stores
 * nothing (an axpy per step would load and store the row each time). */
template <class T>
inline void lu_row_update(T *__restrict xi, const T *__restrict x, const T *__restrict l, size_t r0, size_t r1,
                          size_t k) {
    if constexpr (kIsComplex<T>) {
        for (size_t r = r0; r < r1; r++) lu_axpy(xi, x + r * k, l[r], k);
    } else if (k == 1) {
        /* one right-hand side: a dot product of two contiguous rows, in 8 partial sums (one
         * running sum would wait on each FMA's latency) */
        T acc[8] = {};
        size_t r = r0;
        for (; r + 8 <= r1; r += 8)
            for (size_t q = 0; q < 8; q++) acc[q] += l[r + q] * x[r + q];
        T tail = 0;
        for (; r < r1; r++) tail += l[r] * x[r];
        *xi -= (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))) + tail;
    } else {
        /* explicit vectors: left to itself, GCC vectorises the loop over r instead (lane
         * inserts from four rows) */
        constexpr size_t L = kLanes<T>;
        typedef Vec<T, L> V;
        size_t j = 0;
        for (; j + 4 * L <= k; j += 4 * L) {
            V a0 = loadn<L>(xi + j), a1 = loadn<L>(xi + j + L), a2 = loadn<L>(xi + j + 2 * L),
              a3 = loadn<L>(xi + j + 3 * L);
            for (size_t r = r0; r < r1; r++) {
                const V lr = splatn<L>(l[r]);
                const T *xr = x + r * k + j;
                a0 -= lr * loadn<L>(xr);
                a1 -= lr * loadn<L>(xr + L);
                a2 -= lr * loadn<L>(xr + 2 * L);
                a3 -= lr * loadn<L>(xr + 3 * L);
            }
            storen<L>(xi + j, a0);
            storen<L>(xi + j + L, a1);
            storen<L>(xi + j + 2 * L, a2);
            storen<L>(xi + j + 3 * L, a3);
        }
        for (; j + L <= k; j += L) {
            V a = loadn<L>(xi + j);
            for (size_t r = r0; r < r1; r++) a -= splatn<L>(l[r]) * loadn<L>(x + r * k + j);
            storen<L>(xi + j, a);
        }
        for (; j < k; j++) {
            T a = xi[j];
            for (size_t r = r0; r < r1; r++) a -= l[r] * x[r * k + j];
            xi[j] = a;
        }
    }
}

template <class T> inline void lu_swap_rows(T *__restrict a, T *__restrict b, size_t len) {
    for (size_t j = 0; j < len; j++) {
        const T t = a[j];
        a[j] = b[j];
        b[j] = t;
    }
}

/* The getf2 path: A X = B with A copied (n x n row-major, n <= CP_LU_SMALL_MAX) and x holding B on
 * entry and X on return (n x k, row-major). 1 on an exactly zero pivot (LAPACK's info > 0), else 0. */
template <class T> int lu_solve_rows(size_t n, size_t k, const T *__restrict av, T *__restrict x) {
    typedef LuOps<T> O;
    T a[CP_LU_SMALL_MAX * CP_LU_SMALL_MAX];
    for (size_t i = 0; i < n * n; i++) a[i] = av[i];
    for (size_t c = 0; c < n; c++) {
        size_t p = c;
        auto best = O::abs1(a[c * n + c]);
        for (size_t r = c + 1; r < n; r++) {
            const auto v = O::abs1(a[r * n + c]);
            if (v > best) {
                p = r;
                best = v;
            }
        }
        if (best == 0) return 1;
        if (p != c) {
            lu_swap_rows(a + c * n, a + p * n, n);
            lu_swap_rows(x + c * k, x + p * k, k);
        }
        /* times the reciprocal, as getf2 (one division per column), where 1 / d cannot overflow */
        const T d = a[c * n + c], inv = O::div(O::one(), d);
        const bool scale = best >= (sizeof(best) == 4 ? 0x1p-126 : 0x1p-1022);
        for (size_t r = c + 1; r < n; r++) {
            const T l = scale ? O::mul(a[r * n + c], inv) : O::div(a[r * n + c], d);
            a[r * n + c] = l;
            lu_axpy(a + r * n + c + 1, a + c * n + c + 1, l, n - c - 1);
        }
    }
    /* L Y = P B (unit lower), then U X = Y: a whole row of right-hand sides at a time. */
    for (size_t i = 1; i < n; i++) lu_row_update(x + i * k, x, a + i * n, 0, i, k);
    for (size_t i = n; i-- > 0;) {
        lu_row_update(x + i * k, x, a + i * n, i + 1, n, k);
        const T d = a[i * n + i];
        for (size_t j = 0; j < k; j++) x[i * k + j] = O::div(x[i * k + j], d);
    }
    return 0;
}

/* Rows of the augmented path's buffer: [A | B] padded to whole vectors fits this many elements. */
constexpr size_t kLuAugWidth = 64;

/* Lane i of a vector (a one-lane "vector" is its own lane). */
template <class V> inline ElemOf<V> lane_at(V v, size_t i) {
    if constexpr (lanes_of<V>() == 1) {
        (void)i;
        return v;
    } else {
        return v[i];
    }
}

/* {0, 1, ..., N - 1} */
template <class T, size_t N, size_t... I> inline Vec<T, N> lane_indices(std::index_sequence<I...>) {
    if constexpr (N == 1)
        return T(0);
    else
        return Vec<T, N>{T(I)...};
}

/* The augmented path (see the top of this file); same contract as lu_solve_rows. */
template <class T> int lu_solve_aug(size_t n, size_t k, const T *__restrict a, T *__restrict x) {
    constexpr size_t L = kLanes<T>;
    typedef Vec<T> V;
    const size_t ld = (n + k + L - 1) / L * L, nv = ld / L;
    alignas(64) T buf[CP_LU_SMALL_MAX * kLuAugWidth];
    T lc[CP_LU_SMALL_MAX], c1[CP_LU_SMALL_MAX]; /* column c's multipliers, column c+1 after step c */
    unsigned char perm[CP_LU_SMALL_MAX];
    for (size_t r = 0; r < n; r++) {
        T *row = buf + r * ld;
        for (size_t j = 0; j < n; j++) row[j] = a[r * n + j];
        for (size_t j = 0; j < k; j++) row[n + j] = x[r * k + j];
        for (size_t j = n + k; j < ld; j++) row[j] = T(0);
        perm[r] = static_cast<unsigned char>(r);
    }
    typedef LuOps<T> O;
    /* p, best: column c's pivot row and magnitude; for column 0 a scan, later the previous
     * pass's vector search */
    size_t p = 0;
    T best = O::abs1(buf[0]);
    for (size_t r = 1; r < n; r++) {
        const T v = O::abs1(buf[r * ld]);
        if (v > best) {
            p = r;
            best = v;
        }
    }
    /* times the reciprocal, as getf2 does, where 1 / pivot cannot overflow */
    const T tiny = sizeof(T) == 4 ? T(0x1p-126) : T(0x1p-1022);
    for (size_t c = 0; c < n; c += 2) {
        if (best == T(0)) return 1;
        {
            const unsigned char t = perm[p];
            perm[p] = perm[c];
            perm[c] = t;
        }
        if (c + 1 == n) break;
        const T *u = buf + perm[c] * ld;
        const T d = u[c], inv = T(1) / d, u1 = u[c + 1];
        const bool scale = best >= tiny;
        /* column c's multipliers and column c+1 after step c, with column c+1's pivot */
        size_t p2 = c + 1;
        T best2 = T(-1);
        for (size_t r = c + 1; r < n; r++) {
            const T *row = buf + perm[r] * ld;
            const T l = scale ? row[c] * inv : row[c] / d;
            const T v = row[c + 1] - l * u1;
            lc[r] = l;
            c1[r] = v;
            const T m = O::abs1(v);
            if (r == c + 1 || m > best2) {
                best2 = m;
                p2 = r;
            }
        }
        if (best2 == T(0)) return 1;
        if (p2 != c + 1) {
            const unsigned char t = perm[p2];
            perm[p2] = perm[c + 1];
            perm[c + 1] = t;
            T s = lc[p2];
            lc[p2] = lc[c + 1];
            lc[c + 1] = s;
            s = c1[p2];
            c1[p2] = c1[c + 1];
            c1[c + 1] = s;
        }
        /* row c+1 of U: its row after step c (whole vectors from column c+1's) */
        T *w = buf + perm[c + 1] * ld;
        {
            const V lv = splatn<L>(lc[c + 1]);
            for (size_t v = (c + 1) / L; v < nv; v++) storen<L>(w + v * L, loadn<L>(w + v * L) - lv * loadn<L>(u + v * L));
        }
        if (c + 2 == n) break;
        const T d2 = c1[c + 1], inv2 = T(1) / d2;
        const bool scale2 = best2 >= tiny;
        /* the rank-2 update of the rows below, from the vector holding column c+2 on; the
         * running maximum of column c+2 (lane `lane` of the head vectors) is the next pivot */
        const size_t v0 = (c + 2) / L, lane = (c + 2) % L;
        const V uh = loadn<L>(u + v0 * L), wh = loadn<L>(w + v0 * L);
        auto update = [&](size_t r) {
            T *row = buf + perm[r] * ld;
            const V l = splatn<L>(lc[r]), m = splatn<L>(scale2 ? c1[r] * inv2 : c1[r] / d2);
            const V h = loadn<L>(row + v0 * L) - l * uh - m * wh;
            storen<L>(row + v0 * L, h);
            for (size_t v = v0 + 1; v < nv; v++)
                storen<L>(row + v * L, loadn<L>(row + v * L) - l * loadn<L>(u + v * L) - m * loadn<L>(w + v * L));
            return h < T(0) ? -h : h;
        };
        V bestv = update(c + 2), idxv = splatn<L>(T(c + 2));
        for (size_t r = c + 3; r < n; r++) {
            const V ah = update(r);
            const auto gt = ah > bestv;
            bestv = gt ? ah : bestv;
            idxv = gt ? splatn<L>(T(r)) : idxv;
        }
        best = lane_at(bestv, lane);
        p = static_cast<size_t>(lane_at(idxv, lane));
    }
    if (k == 1) {
        const size_t nvn = (n + L - 1) / L;
        const V iota = lane_indices<T, L>(std::make_index_sequence<L>{});
        alignas(64) T xs[kLuAugWidth] = {};
        for (size_t i = n; i-- > 0;) {
            const T *row = buf + perm[i] * ld;
            /* whole vectors, masked to columns (i, n): the ones left of them are dead (maybe inf
             * or NaN after whole-vector updates) and the ones right of them hold Y, either of
             * which would make NaN against xs's zeros */
            V acc = splatn<L>(T(0));
            for (size_t v = (i + 1) / L; v < nvn; v++) {
                const V col = iota + T(v * L);
                const V u = loadn<L>(row + v * L);
                acc += (col > T(i) && col < T(n) ? u : splatn<L>(T(0))) * loadn<L>(xs + v * L);
            }
            xs[i] = (row[n] - hsum<T>(acc)) / row[i];
        }
        for (size_t i = 0; i < n; i++) x[i] = xs[i];
        return 0;
    }
    for (size_t i = n; i-- > 0;) {
        const T *row = buf + perm[i] * ld;
        for (size_t j = 0; j < k; j++) x[i * k + j] = row[n + j];
        lu_row_update(x + i * k, x, row, i + 1, n, k);
        const T d = row[i];
        for (size_t j = 0; j < k; j++) x[i * k + j] /= d;
    }
    return 0;
}

/* Solves A X = B: `av` is A (n x n, row-major, read only), `xv` is B on entry and X on return
 * (n x k, row-major). 0; 1 on an exactly zero pivot (LAPACK's info > 0); -1 if n is above
 * CP_LU_SMALL_MAX. */
template <class T> int lu_solve_small(size_t n, size_t k, const void *av, void *xv) {
    const T *a = static_cast<const T *>(av);
    T *x = static_cast<T *>(xv);
    if (n > CP_LU_SMALL_MAX) return -1;
    if constexpr (!kIsComplex<T>) {
        constexpr size_t L = kLanes<T>;
        if ((n + k + L - 1) / L * L <= kLuAugWidth) return lu_solve_aug(n, k, a, x);
    }
    return lu_solve_rows(n, k, a, x);
}

template <class T> constexpr cp_lu_solve_fn lu_solve_entry() {
    if constexpr (std::is_floating_point_v<T> || kIsComplex<T>)
        return lu_solve_small<T>;
    else
        return nullptr;
}
