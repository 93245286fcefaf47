/*
 * lu-inl.h — the small-matrix solve behind corepy.linalg.solve (orders up to 32, where a blocked
 * library factorization costs more than its arithmetic), included by kernels-inl.h inside CP_NS.
 *
 * One matrix per call (Rust threads the stack): an unblocked LU with partial pivoting (LAPACK's
 * getf2: the pivot is the first largest |re| + |im| of the column) over a row-major copy of A,
 * then L Y = P B and U X = Y on a row-major block of right-hand sides. Row-major data makes every
 * update an axpy over a contiguous row, which the SIMD units vectorise at this TU's width.
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

/* Solves A X = B in place: `av` is A (n x n, row-major; left holding its LU factors), `xv` is B on
 * entry and X on return (n x k, row-major). Returns 1 on an exactly zero pivot (LAPACK's info > 0),
 * else 0. */
template <class T> int lu_solve_small(size_t n, size_t k, void *av, void *xv) {
    typedef LuOps<T> O;
    T *a = static_cast<T *>(av), *x = static_cast<T *>(xv);
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

template <class T> constexpr cp_lu_solve_fn lu_solve_entry() {
    if constexpr (std::is_floating_point_v<T> || kIsComplex<T>)
        return lu_solve_small<T>;
    else
        return nullptr;
}
