/*
 * sort-inl.h — sorting, searching and set kernels, included by kernels-inl.h inside CP_NS.
 *
 * Everything sorts signed integer keys (see corepy_kernels.h for the dtype -> key maps), so NaN,
 * -0.0, unsigned and narrow dtypes are handled once, in the key map, and only two sorts exist:
 * int32 and int64 keys, each with an optional payload of the same width (argsort's indices).
 *
 * Runs of a few hundred keys and more (given scratch) with a payload, and int64 runs of a narrow
 * range, are radix sorted over the keys' offsets from their minimum, stably (radix_bucket): LSD
 * passes when the range needs few, else an MSD digit and each sub-bucket in turn. Other runs go
 * to the introsort, whose partition levels cost less than a scatter pass per bit sorted. The
 * driver splits long rows with a parallel MSD pass (sort_range, sort_hist, sort_scatter) and sorts
 * the buckets in cache, in parallel.
 *
 * The introsort: SIMD tables (AVX2 on 32-byte vectors, AVX-512 on 64-byte ones) partition blocks
 * of four vectors: every lane is compared with the pivot, and the lanes below it go to the
 * left write position, the others to the right one (AVX2: a permutation from a table indexed by
 * the comparison mask, the permuted vector stored whole at both positions; AVX-512: two compress
 * stores, as the published AVX-512 quicksorts do). Vectors read first from both ends leave room
 * for those stores. Ranges of at most 8 vectors are sorted in registers by a bitonic network.
 * The scalar table partitions with a branchless Lomuto loop and finishes with insertion sort.
 *
 * Pivots are medians of evenly spaced samples; a range with no key below its pivot (the pivot is
 * its minimum) splits off the keys equal to it, so many equal keys cost one pass, not a quadratic
 * worst case; a depth limit falls back to heapsort.
 */


/* ---------------------------------------------------------------- keys */

template <class T> constexpr bool kSortFloat = std::is_floating_point_v<T>;

/* The bits of a float as a signed integer of its width. */
template <class T> using FloatBits = std::conditional_t<sizeof(T) == 4, int32_t, int64_t>;

/* Negative NaN bit patterns (as keys they would sort below -inf): the key map rotates them to the
 * top by subtracting their count; the mantissa mask is that count. */
template <class T> constexpr FloatBits<T> kNegNans = sizeof(T) == 4 ? FloatBits<T>(0x7FFFFF) : FloatBits<T>(0xFFFFFFFFFFFFFLL);
template <class T> constexpr FloatBits<T> kNonSign = sizeof(T) == 4 ? FloatBits<T>(0x7FFFFFFF) : FloatBits<T>(0x7FFFFFFFFFFFFFFFLL);

template <class K, class T, bool CANON> inline K key_of(T v) {
    if constexpr (std::is_same_v<T, boolean>) {
        return K(v != 0);
    } else if constexpr (kSortFloat<T>) {
        typedef FloatBits<T> B;
        typedef std::make_unsigned_t<B> U;
        if constexpr (CANON) {
            if (v == T(0)) v = T(0);
            if (v != v) v = T(__builtin_nan(""));
        }
        B b;
        __builtin_memcpy(&b, &v, sizeof b);
        b = b < 0 ? B(b ^ kNonSign<T>) : b;
        return K(B(U(b) - U(kNegNans<T>)));
    } else if constexpr (std::is_unsigned_v<T> && sizeof(T) == sizeof(K)) {
        typedef std::make_unsigned_t<K> U;
        return K(U(v) ^ (U(1) << (sizeof(K) * 8 - 1)));
    } else {
        return K(v); /* sign or zero extension keeps the order */
    }
}

template <class T, class K> inline T value_of(K k) {
    if constexpr (std::is_same_v<T, boolean>) {
        return boolean(k != 0);
    } else if constexpr (kSortFloat<T>) {
        typedef FloatBits<T> B;
        typedef std::make_unsigned_t<B> U;
        B b = B(U(B(k)) + U(kNegNans<T>));
        b = b < 0 ? B(b ^ kNonSign<T>) : b;
        T v;
        __builtin_memcpy(&v, &b, sizeof v);
        return v;
    } else if constexpr (std::is_unsigned_v<T> && sizeof(T) == sizeof(K)) {
        typedef std::make_unsigned_t<K> U;
        return T(U(k) ^ (U(1) << (sizeof(K) * 8 - 1)));
    } else {
        return T(k);
    }
}

template <class T> inline bool sort_special(T v) {
    if constexpr (kSortFloat<T>)
        return (v != v) | ((v == T(0)) & (__builtin_signbit(v) != 0));
    else
        return false;
}

#if !CP_SCALAR
/* key_of over whole registers of contiguous floats whose keys have their width (the scalar loop,
 * with its NaN compare and selects, does not vectorise). Returns the special flag of the keys it
 * mapped, the first key it left to the scalar loop in *done. */
template <class K, class T, bool CANON, bool DESC> inline bool keys_vec(const T *x, size_t n, K *keys, size_t *done) {
    constexpr size_t L = kLanes<T>;
    typedef FloatBits<T> B;
    typedef std::make_unsigned_t<B> U;
    typedef Vec<T, L> VT;
    typedef Vec<B, L> VB;
    typedef Vec<U, L> VU;
    static_assert(std::is_same_v<K, B>, "keys of the floats' width");
    T qnan = T(__builtin_nan(""));
    B nan_bits;
    __builtin_memcpy(&nan_bits, &qnan, sizeof nan_bits);
    const VB nonsign = splatn<L>(kNonSign<T>), minus0 = splatn<L>(B(~kNonSign<T>)), canon_nan = splatn<L>(nan_bits);
    const VU neg_nans = splatn<L>(U(kNegNans<T>));
    VB spec = {};
    size_t i = 0;
    for (; i + L <= n; i += L) {
        const VT v = loadn<L>(x + i);
        VB b;
        __builtin_memcpy(&b, &v, sizeof b);
        const VB nan = VB(v != v);
        spec |= nan | VB(b == minus0);
        if constexpr (CANON) {
            b = VB(v == VT{}) ? VB{} : b;
            b = nan ? canon_nan : b;
        }
        b ^= (b >> (sizeof(B) * 8 - 1)) & nonsign;
        VB k = VB(VU(b) - neg_nans);
        if constexpr (DESC) k = ~k;
        storen<L>(keys + i, k);
    }
    *done = i;
    bool any = false;
    for (size_t j = 0; j < L; j++) any |= spec[j] != 0;
    return any;
}
#endif

template <class K, class T, bool CANON, bool DESC>
int keys_loop(const char *s, ptrdiff_t stride, size_t n, K *keys, K *payload, size_t first) {
    bool special = false;
    if (stride == static_cast<ptrdiff_t>(sizeof(T))) {
        const T *x = reinterpret_cast<const T *>(s);
        size_t i = 0;
#if !CP_SCALAR
        if constexpr (kSortFloat<T> && sizeof(K) == sizeof(T)) special = keys_vec<K, T, CANON, DESC>(x, n, keys, &i);
#endif
        for (; i < n; i++) {
            T v;
            __builtin_memcpy(&v, x + i, sizeof v);
            special |= sort_special(v);
            const K k = key_of<K, T, CANON>(v);
            keys[i] = DESC ? K(~k) : k;
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            const T v = load1<T>(s + static_cast<ptrdiff_t>(i) * stride);
            special |= sort_special(v);
            const K k = key_of<K, T, CANON>(v);
            keys[i] = DESC ? K(~k) : k;
        }
    }
    if (payload)
        for (size_t i = 0; i < n; i++) payload[i] = K(first + i);
    return special;
}

template <class K, class T>
int keys_typed(const void *src, ptrdiff_t stride, size_t n, int flags, void *keys, void *payload, size_t first) {
    const char *s = static_cast<const char *>(src);
    K *k = static_cast<K *>(keys), *p = static_cast<K *>(payload);
    const bool canon = flags & CP_SORT_CANONICAL, desc = flags & CP_SORT_DESCENDING;
    if (canon)
        return desc ? keys_loop<K, T, true, true>(s, stride, n, k, p, first) : keys_loop<K, T, true, false>(s, stride, n, k, p, first);
    return desc ? keys_loop<K, T, false, true>(s, stride, n, k, p, first) : keys_loop<K, T, false, false>(s, stride, n, k, p, first);
}

template <class T>
int sort_keys(const void *src, ptrdiff_t stride, size_t n, int flags, void *keys, void *payload, size_t first) {
    if (sizeof(T) == 8 || (flags & CP_SORT_WIDE)) return keys_typed<int64_t, T>(src, stride, n, flags, keys, payload, first);
    return keys_typed<int32_t, T>(src, stride, n, flags, keys, payload, first);
}

template <class K, class T> void values_typed(const void *keys, size_t n, int flags, void *dst, ptrdiff_t stride) {
    const K *k = static_cast<const K *>(keys);
    char *d = static_cast<char *>(dst);
    const K flip = (flags & CP_SORT_DESCENDING) ? K(-1) : K(0);
    if (stride == static_cast<ptrdiff_t>(sizeof(T))) {
        T *o = reinterpret_cast<T *>(d);
        for (size_t i = 0; i < n; i++) o[i] = value_of<T, K>(K(k[i] ^ flip));
    } else {
        for (size_t i = 0; i < n; i++) {
            const T v = value_of<T, K>(K(k[i] ^ flip));
            __builtin_memcpy(d + static_cast<ptrdiff_t>(i) * stride, &v, sizeof v);
        }
    }
}

template <class T> void sort_values(const void *keys, size_t n, int flags, void *dst, ptrdiff_t stride) {
    if (sizeof(T) == 8 || (flags & CP_SORT_WIDE))
        values_typed<int64_t, T>(keys, n, flags, dst, stride);
    else
        values_typed<int32_t, T>(keys, n, flags, dst, stride);
}

template <class T> void sort_take(const void *src, ptrdiff_t src_stride, const void *payload, int wide, size_t n, void *dst,
                                  ptrdiff_t dst_stride) {
    const char *s = static_cast<const char *>(src);
    char *d = static_cast<char *>(dst);
    for (size_t i = 0; i < n; i++) {
        const ptrdiff_t j = wide ? static_cast<ptrdiff_t>(static_cast<const int64_t *>(payload)[i])
                                 : static_cast<ptrdiff_t>(static_cast<const int32_t *>(payload)[i]);
        __builtin_memcpy(d + static_cast<ptrdiff_t>(i) * dst_stride, s + j * src_stride, sizeof(T));
    }
}

/* ---------------------------------------------------------------- scalar pieces */

template <class K> constexpr K kKeyMax = K(std::make_unsigned_t<K>(-1) >> 1);

template <class K, bool HP> inline void swap2(K *a, K *p, size_t i, size_t j) {
    const K t = a[i];
    a[i] = a[j];
    a[j] = t;
    if constexpr (HP) {
        const K u = p[i];
        p[i] = p[j];
        p[j] = u;
    }
}

template <class K, bool HP> void insertion_sort(K *a, K *p, size_t n) {
    for (size_t i = 1; i < n; i++) {
        const K x = a[i];
        K y = K();
        if constexpr (HP) y = p[i];
        size_t j = i;
        for (; j > 0 && x < a[j - 1]; j--) {
            a[j] = a[j - 1];
            if constexpr (HP) p[j] = p[j - 1];
        }
        a[j] = x;
        if constexpr (HP) p[j] = y;
    }
}

template <class K, bool HP> void sift_down(K *a, K *p, size_t i, size_t n) {
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) return;
        if (c + 1 < n && a[c] < a[c + 1]) c++;
        if (!(a[i] < a[c])) return;
        swap2<K, HP>(a, p, i, c);
        i = c;
    }
}

/* The depth-limit fallback: O(n log n) whatever the input. */
template <class K, bool HP> void heap_sort(K *a, K *p, size_t n) {
    for (size_t i = n / 2; i-- > 0;) sift_down<K, HP>(a, p, i, n);
    for (size_t e = n; e-- > 1;) {
        swap2<K, HP>(a, p, 0, e);
        sift_down<K, HP>(a, p, 0, e);
    }
}

/* Branchless Lomuto: [0, i) < pivot <= [i, j) after each step. */
template <class K, bool HP> size_t partition_scalar(K *a, K *p, size_t n, K pivot) {
    size_t i = 0;
    for (size_t j = 0; j < n; j++) {
        const K x = a[j];
        const bool lt = x < pivot;
        a[j] = a[i];
        a[i] = x;
        if constexpr (HP) {
            const K y = p[j];
            p[j] = p[i];
            p[i] = y;
        }
        i += lt;
    }
    return i;
}

/* ---------------------------------------------------------------- SIMD pieces */

#if !CP_SCALAR
/* The introsort's vector width: 64 bytes in the AVX-512 table (compress stores move the
 * lanes), 32 in the AVX2 table (a permutation table does). */
#if defined(__AVX512F__)
template <class K> constexpr size_t kSL = 64 / sizeof(K);
#else
template <class K> constexpr size_t kSL = 32 / sizeof(K);
#endif
template <class K> using SV = Vec<K, kSL<K>>;

#if !defined(__AVX512F__)
/* Permutation (as eight int32 lane indices, for vpermd) that moves the lanes whose mask bit is set
 * to the front, in order, and the others behind them, in order. */
template <size_t L> struct CompressTable {
    int32_t idx[1 << L][8];
};
template <size_t L> constexpr CompressTable<L> make_compress() {
    CompressTable<L> t{};
    constexpr size_t W = 8 / L; /* int32 sub-lanes per lane */
    for (size_t m = 0; m < (size_t(1) << L); m++) {
        size_t o = 0;
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < L; i++)
                if (((m >> i) & 1) == (pass == 0 ? 1u : 0u)) {
                    for (size_t w = 0; w < W; w++) t.idx[m][o * W + w] = int32_t(i * W + w);
                    o++;
                }
    }
    return t;
}
constexpr CompressTable<8> kCompress8 = make_compress<8>();
constexpr CompressTable<4> kCompress4 = make_compress<4>();

template <class K> inline unsigned lt_bits(SV<K> m) {
    if constexpr (sizeof(K) == 4)
        return unsigned(_mm256_movemask_ps(reinterpret_cast<__m256>(m)));
    else
        return unsigned(_mm256_movemask_pd(reinterpret_cast<__m256d>(m)));
}

template <class K> inline SV<K> permute(SV<K> v, unsigned bits) {
    __m256i idx;
    if constexpr (sizeof(K) == 4)
        __builtin_memcpy(&idx, kCompress8.idx[bits], 32);
    else
        __builtin_memcpy(&idx, kCompress4.idx[bits], 32);
    return reinterpret_cast<SV<K>>(_mm256_permutevar8x32_epi32(reinterpret_cast<__m256i>(v), idx));
}
#endif

template <class K, bool HP> struct PartState {
    K *a, *p;
    size_t ls, rs; /* next left write position; end of the right write region */
};

template <class K, bool HP> inline void part_store(PartState<K, HP> &st, SV<K> v, SV<K> pv, SV<K> piv) {
    constexpr size_t L = kSL<K>;
#if defined(__AVX512F__)
    /* compress stores: the lanes below the pivot at the left write position, the others ending at
     * the right one (only those lanes are written); for int64 keys too, now that a block of four
     * vectors hides their latency better than one permutation stored whole at both ends. */
    const __m512i x = reinterpret_cast<__m512i>(v), px = reinterpret_cast<__m512i>(pv),
                  pivx = reinterpret_cast<__m512i>(piv);
    const auto split = [&](K *base, __m512i y, unsigned m, size_t cnt) {
        if constexpr (sizeof(K) == 4) {
            _mm512_mask_compressstoreu_epi32(base + st.ls, __mmask16(m), y);
            _mm512_mask_compressstoreu_epi32(base + st.rs - (L - cnt), __mmask16(~m), y);
        } else {
            _mm512_mask_compressstoreu_epi64(base + st.ls, __mmask8(m), y);
            _mm512_mask_compressstoreu_epi64(base + st.rs - (L - cnt), __mmask8(~m), y);
        }
    };
    unsigned m;
    if constexpr (sizeof(K) == 4)
        m = unsigned(_mm512_cmplt_epi32_mask(x, pivx));
    else
        m = unsigned(_mm512_cmplt_epi64_mask(x, pivx));
    const size_t cnt = size_t(__builtin_popcount(m));
    split(st.a, x, m, cnt);
    if constexpr (HP) split(st.p, px, m, cnt);
    st.ls += cnt;
    st.rs -= L - cnt;
#else
    const unsigned bits = lt_bits<K>(v < piv);
    const size_t cnt = size_t(__builtin_popcount(bits));
    const SV<K> w = permute<K>(v, bits);
    storen<L>(st.a + st.ls, w);
    storen<L>(st.a + st.rs - L, w);
    if constexpr (HP) {
        const SV<K> q = permute<K>(pv, bits);
        storen<L>(st.p + st.ls, q);
        storen<L>(st.p + st.rs - L, q);
    }
    st.ls += cnt;
    st.rs -= L - cnt;
#endif
}

/* Vectors partition_simd reads from one end at a time (and holds from each end at the start):
 * the choice of end waits on the previous block's counts, so longer blocks shorten that chain
 * (four measured best beyond L1 for both key widths); and the distance, in vectors, of the reads
 * fetched ahead at both ends. */
template <class K> constexpr size_t kPartUnroll = 4;
constexpr size_t kPartAhead = 8;

/* In place: keys < pivot first. Needs n >= 2 lanes-worth. U vectors from each end are held
 * first; the write gaps at both ends then always sum to 2U vectors, and reading U vectors from
 * the end with the smaller gap keeps each gap at least one vector wide for every store of the
 * block, so every (full-width or compressed) store lands on elements already read. Deciding the
 * end once per U vectors shortens the loop's chain (load address <- previous counts). */
template <class K, bool HP, size_t U> size_t partition_block(K *a, K *p, size_t n, K pivot) {
    constexpr size_t L = kSL<K>, B = U * L;
    const SV<K> piv = splatn<L>(pivot);
    SV<K> hl[U], hr[U], phl[U] = {}, phr[U] = {};
    for (size_t u = 0; u < U; u++) {
        hl[u] = loadn<L>(a + u * L);
        hr[u] = loadn<L>(a + n - (u + 1) * L);
        if constexpr (HP) {
            phl[u] = loadn<L>(p + u * L);
            phr[u] = loadn<L>(p + n - (u + 1) * L);
        }
    }
    PartState<K, HP> st{a, p, 0, n};
    size_t l = B, r = n - B; /* unread: [l, r) */
    /* blocks of W vectors while W fit: W = U, then single vectors (the gaps still sum to 2U
     * vectors, so the smaller one, read from, ends at least one vector wide) */
    const auto drain = [&](auto w) {
        constexpr size_t W = decltype(w)::value, WB = W * L;
        while (r - l >= WB) {
            /* which end is read next depends on the data: chosen without a branch */
            const bool left = l - st.ls <= st.rs - r;
            const size_t at = left ? l : r - WB;
            /* the next reads at either end, fetched ahead: the choice of end waits on this
             * block's counts, so without it each block's load waits out the cache's latency */
            __builtin_prefetch(a + l + kPartAhead * L);
            __builtin_prefetch(a + r - (kPartAhead + 1) * L);
            if constexpr (HP) {
                __builtin_prefetch(p + l + kPartAhead * L);
                __builtin_prefetch(p + r - (kPartAhead + 1) * L);
            }
            l += left ? WB : 0;
            r -= left ? 0 : WB;
            SV<K> v[W], pv[W] = {};
            for (size_t u = 0; u < W; u++) {
                v[u] = loadn<L>(a + at + u * L);
                if constexpr (HP) pv[u] = loadn<L>(p + at + u * L);
            }
            for (size_t u = 0; u < W; u++) part_store<K, HP>(st, v[u], pv[u], piv);
        }
    };
    drain(std::integral_constant<size_t, U>{});
    if constexpr (U > 1) drain(std::integral_constant<size_t, 1>{});
    /* fewer than one vector unread: by hand */
    K buf[L], pbuf[L];
    const size_t rem = r - l;
    for (size_t i = 0; i < rem; i++) {
        buf[i] = a[l + i];
        if constexpr (HP) pbuf[i] = p[l + i];
    }
    for (size_t i = 0; i < rem; i++) {
        const size_t at = buf[i] < pivot ? st.ls++ : --st.rs;
        a[at] = buf[i];
        if constexpr (HP) p[at] = pbuf[i];
    }
    /* everything in [ls, rs) is free: 2U vectors of room for the held ones (the last one's two
     * full-width stores coincide) */
    for (size_t u = 0; u < U; u++) {
        part_store<K, HP>(st, hl[u], phl[u], piv);
        part_store<K, HP>(st, hr[u], phr[u], piv);
    }
    return st.ls;
}

template <class K, bool HP> size_t partition_simd(K *a, K *p, size_t n, K pivot) {
    if (n >= 2 * kPartUnroll<K> * kSL<K>) return partition_block<K, HP, kPartUnroll<K>>(a, p, n, pivot);
    return partition_block<K, HP, 1>(a, p, n, pivot);
}

/* ---- bitonic network over R registers of L lanes (R * L keys) */

template <size_t J, class V, size_t... I> inline V xor_lanes(V v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, (I ^ J)...);
}

/* Lane i takes the smaller key of its pair (i, i ^ J) when the block of KK it lies in ascends;
 * for KK >= L every lane of a register lies in the same block (ascending here, flipped per register). */
template <class V, size_t J, size_t KK, size_t... I> constexpr V min_lanes(std::index_sequence<I...>) {
    return V{(((I & J) == 0) == (KK >= sizeof...(I) || (I & KK) == 0) ? ElemOf<V>(-1) : ElemOf<V>(0))...};
}

template <class K, bool HP, size_t R, size_t KK, size_t J> inline void bitonic_step(SV<K> *v, SV<K> *p) {
    constexpr size_t L = kSL<K>;
    typedef SV<K> V;
    if constexpr (J >= L) {
        constexpr size_t D = J / L;
#pragma GCC unroll 8
        for (size_t r = 0; r < R; r++) {
            if (r & D) continue;
            const size_t q = r + D;
            const bool asc = ((r * L) & KK) == 0;
            const V x = v[r], y = v[q];
            if constexpr (HP) {
                const V sw = asc ? V(y < x) : V(x < y);
                v[r] = sw ? y : x;
                v[q] = sw ? x : y;
                const V px = p[r], py = p[q];
                p[r] = sw ? py : px;
                p[q] = sw ? px : py;
            } else {
                const V lo = x < y ? x : y, hi = x < y ? y : x;
                v[r] = asc ? lo : hi;
                v[q] = asc ? hi : lo;
            }
        }
    } else {
        constexpr std::make_index_sequence<L> seq{};
        constexpr V up = min_lanes<V, J, KK>(seq);
#pragma GCC unroll 8
        for (size_t r = 0; r < R; r++) {
            const V m = (KK >= L && ((r * L) & KK)) ? V(~up) : up;
            const V x = v[r], y = xor_lanes<J>(x, seq);
            if constexpr (HP) {
                const V sw = (m & V(y < x)) | (~m & V(x < y));
                v[r] = sw ? y : x;
                p[r] = sw ? xor_lanes<J>(p[r], seq) : p[r];
            } else {
                const V lo = x < y ? x : y, hi = x < y ? y : x;
                v[r] = m ? lo : hi;
            }
        }
    }
    if constexpr (J > 1) bitonic_step<K, HP, R, KK, J / 2>(v, p);
}

template <class K, bool HP, size_t R, size_t KK> inline void bitonic_stages(SV<K> *v, SV<K> *p) {
    bitonic_step<K, HP, R, KK, KK / 2>(v, p);
    if constexpr (KK < R * kSL<K>) bitonic_stages<K, HP, R, KK * 2>(v, p);
}

/* Sorts n <= R * L keys (read from `from` when given, which a payload-free caller may point
 * elsewhere): padded with the largest key to R full registers. A padding payload is -1;
 * when real keys equal the padding key, a padding element may sort in front of a real one of the
 * same key, so the payloads of such pairs are swapped back (the keys are equal). */
template <class K, bool HP, size_t R> void network_sort(K *a, K *p, size_t n, const K *from = nullptr) {
    constexpr size_t L = kSL<K>, N = R * L;
    K buf[N], pbuf[N];
    if (from == nullptr) from = a;
    for (size_t i = 0; i < N; i++) buf[i] = i < n ? from[i] : kKeyMax<K>;
    if constexpr (HP)
        for (size_t i = 0; i < N; i++) pbuf[i] = i < n ? p[i] : K(-1);
    SV<K> v[R], pv[R];
    for (size_t r = 0; r < R; r++) {
        v[r] = loadn<L>(buf + r * L);
        if constexpr (HP) pv[r] = loadn<L>(pbuf + r * L);
    }
    bitonic_stages<K, HP, R, 2>(v, pv);
    for (size_t r = 0; r < R; r++) {
        storen<L>(buf + r * L, v[r]);
        if constexpr (HP) storen<L>(pbuf + r * L, pv[r]);
    }
    if constexpr (HP) {
        if (n > 0 && n < N && buf[n - 1] == kKeyMax<K>) {
            size_t j = n;
            for (size_t i = 0; i < n; i++)
                if (pbuf[i] == K(-1)) {
                    while (pbuf[j] == K(-1)) j++;
                    pbuf[i] = pbuf[j];
                    pbuf[j] = K(-1);
                }
        }
        for (size_t i = 0; i < n; i++) p[i] = pbuf[i];
    }
    for (size_t i = 0; i < n; i++) a[i] = buf[i];
}

template <class K> constexpr size_t kSmall = 8 * kSL<K>;

template <class K, bool HP> inline void small_sort(K *a, K *p, size_t n) {
    constexpr size_t L = kSL<K>;
    if (n <= 1) return;
    if (n <= L)
        network_sort<K, HP, 1>(a, p, n);
    else if (n <= 2 * L)
        network_sort<K, HP, 2>(a, p, n);
    else if (n <= 4 * L)
        network_sort<K, HP, 4>(a, p, n);
    else
        network_sort<K, HP, 8>(a, p, n);
}

template <class K, bool HP> inline size_t partition_keys(K *a, K *p, size_t n, K pivot) {
    if (n < 2 * kSL<K>) return partition_scalar<K, HP>(a, p, n, pivot);
    return partition_simd<K, HP>(a, p, n, pivot);
}
#else
template <class K> constexpr size_t kSmall = 16;

template <class K, bool HP> inline void small_sort(K *a, K *p, size_t n) { insertion_sort<K, HP>(a, p, n); }

template <class K, bool HP> inline size_t partition_keys(K *a, K *p, size_t n, K pivot) {
    return partition_scalar<K, HP>(a, p, n, pivot);
}
#endif

/* ---------------------------------------------------------------- introsort */

template <class K> inline K median3(K a, K b, K c) {
    const K lo = a < b ? a : b, hi = a < b ? b : a;
    return c < lo ? lo : (c > hi ? hi : c);
}

/* Median of 3 evenly spaced keys for short ranges (sorting more samples would cost a good share
 * of the partition), median of 3 medians of 3 up to 4096 keys, of 15 beyond (n > 15). */
template <class K> inline K choose_pivot(const K *a, size_t n) {
    if (n <= 256) return median3(a[n / 4], a[n / 2], a[3 * n / 4]);
    if (n <= 4096) {
        const size_t q = n / 8;
        return median3(median3(a[q], a[2 * q], a[3 * q]), median3(a[4 * q], a[5 * q], a[6 * q]),
                       median3(a[7 * q], a[n / 2 + 1], a[q / 2]));
    }
    constexpr size_t S = 15;
    K s[S];
    const size_t step = n / S;
    for (size_t i = 0; i < S; i++) s[i] = a[i * step + step / 2];
    insertion_sort<K, false>(s, nullptr, S);
    return s[S / 2];
}

template <class K, bool HP> void introsort(K *a, K *p, size_t n, int depth) {
    while (n > kSmall<K>) {
        if (depth-- == 0) {
            heap_sort<K, HP>(a, p, n);
            return;
        }
        const K pivot = choose_pivot(a, n);
        size_t c = partition_keys<K, HP>(a, p, n, pivot);
        if (c == 0) {
            /* the pivot is the minimum: the keys equal to it are done */
            if (pivot == kKeyMax<K>) return;
            c = partition_keys<K, HP>(a, p, n, K(pivot + 1));
            a += c;
            if constexpr (HP) p += c;
            n -= c;
            continue;
        }
        if (c < n - c) {
            introsort<K, HP>(a, p, c, depth);
            a += c;
            if constexpr (HP) p += c;
            n -= c;
        } else {
            introsort<K, HP>(a + c, HP ? p + c : p, n - c, depth);
            n = c;
        }
    }
    small_sort<K, HP>(a, p, n);
}

/* The smallest and largest key of a[0, n), n > 0. */
template <class K> inline void key_range(const K *a, size_t n, K &lo, K &hi) {
    lo = hi = a[0];
    for (size_t i = 1; i < n; i++) {
        lo = a[i] < lo ? a[i] : lo;
        hi = a[i] > hi ? a[i] : hi;
    }
}

/* Bits of a nonzero range of offsets. */
template <class U> inline int range_bits(U range) {
    return int(sizeof(U) * 8) - (sizeof(U) == 8 ? __builtin_clzll(static_cast<unsigned long long>(range))
                                                : __builtin_clz(static_cast<unsigned>(range)));
}

/* The fewest LSD passes (of at most 11 bits, at most three) whose histograms are small beside a
 * run of n keys, for offsets of `bits` bits; 0 when there are none. */
inline int lsd_passes(int bits, size_t n) {
    for (int passes = (bits + 10) / 11; passes <= 3; passes++)
        if ((size_t(2) << ((bits + passes - 1) / passes)) <= n) return passes;
    return 0;
}

/* LSD passes of D-bit digits over the offsets from lo (stable); the result ends in a. */
template <class K, bool HP>
__attribute__((noinline)) void radix_lsd(K *a, K *p, size_t n, K *ta, K *tp, K lo, int passes, int D) {
    typedef std::make_unsigned_t<K> U;
    const U mask = U((U(1) << D) - 1);
    uint32_t hist[3][1 << 11];
    for (int d = 0; d < passes; d++)
        for (size_t b = 0; b <= size_t(mask); b++) hist[d][b] = 0;
    for (size_t i = 0; i < n; i++) {
        const U u = U(U(a[i]) - U(lo));
        hist[0][u & mask]++;
        if (passes > 1) hist[1][(u >> D) & mask]++;
        if (passes > 2) hist[2][(u >> (2 * D)) & mask]++;
    }
    K *src = a, *dst = ta, *psrc = p, *pdst = tp;
    for (int d = 0; d < passes; d++) {
        uint32_t *h = hist[d];
        uint32_t run = 0;
        for (size_t b = 0; b <= size_t(mask); b++) {
            const uint32_t c = h[b];
            h[b] = run;
            run += c;
        }
        const int sh = d * D;
        for (size_t i = 0; i < n; i++) {
            const K k = src[i];
            const uint32_t at = h[(U(U(k) - U(lo)) >> sh) & mask]++;
            dst[at] = k;
            if constexpr (HP) pdst[at] = psrc[i];
        }
        K *t = src;
        src = dst;
        dst = t;
        if constexpr (HP) {
            t = psrc;
            psrc = pdst;
            pdst = t;
        }
    }
    if (src != a) {
        __builtin_memcpy(a, src, n * sizeof(K));
        if constexpr (HP) __builtin_memcpy(p, psrc, n * sizeof(K));
    }
}

/* Widest MSD digit of radix_bucket: its counters (4 << 14 bytes) live on the stack. */
constexpr int kMsdMaxBits = 14;

/* In-cache radix sort of a bucket of n > 16 keys (stable, so no payload fix-up is needed): over
 * the keys' offsets from their minimum, LSD passes when the range needs at most three of them
 * with histograms small beside n, else one MSD pass (below). Each level costs a few streaming
 * passes over data in cache, and 64-bit keys need no 64-bit SIMD min/max (which AVX2 lacks).
 * narrow_only: sort only when one or two LSD passes do; otherwise return false, having moved
 * nothing (the caller's introsort is quicker there). */
template <class K, bool HP> bool radix_bucket(K *a, K *p, size_t n, K *ta, K *tp, bool narrow_only = false) {
    typedef std::make_unsigned_t<K> U;
    K lo, hi;
    key_range(a, n, lo, hi);
    const U range = U(U(hi) - U(lo));
    if (range == 0) return true;
    const int bits = range_bits(range);
    const int passes = lsd_passes(bits, n);
    if (passes != 0 && (!narrow_only || passes <= 2)) {
        radix_lsd<K, HP>(a, p, n, ta, tp, lo, passes, (bits + passes - 1) / passes);
        return true;
    }
    if (narrow_only) return false;
    /* One MSD digit of about log2(n) + 2 bits (most sub-buckets hold zero or one key), the
     * keys copied back, sub-buckets of more than 16 keys sorted in turn, then one insertion
     * pass over the whole bucket: it moves only keys that share a sub-bucket, at most 15 places
     * each, and its loop exit is mostly predictable. */
    int D = 65 - __builtin_clzll(static_cast<unsigned long long>(n));
    D = D > kMsdMaxBits ? kMsdMaxBits : D;
    D = D > bits ? bits : D;
    const int shift = bits - D;
    const size_t nb = size_t(range >> shift) + 1;
    /* counts into end[b + 1], then the start of each sub-bucket, then (after the scatter) its end */
    uint32_t end[(1 << kMsdMaxBits) + 1];
    for (size_t b = 0; b <= nb; b++) end[b] = 0;
    for (size_t i = 0; i < n; i++) end[size_t(U(U(a[i]) - U(lo)) >> shift) + 1]++;
    for (size_t b = 1; b <= nb; b++) end[b] += end[b - 1];
    for (size_t i = 0; i < n; i++) {
        const uint32_t j = end[size_t(U(U(a[i]) - U(lo)) >> shift)]++;
        ta[j] = a[i];
        if constexpr (HP) tp[j] = p[i];
    }
    __builtin_memcpy(a, ta, n * sizeof(K));
    if constexpr (HP) __builtin_memcpy(p, tp, n * sizeof(K));
    for (size_t b = 0, s = 0; b < nb; s = end[b++]) {
        const size_t m = end[b] - s;
        if (m > 16) radix_bucket<K, HP>(a + s, HP ? p + s : p, m, ta + s, HP ? tp + s : tp);
    }
    insertion_sort<K, HP>(a, p, n);
    return true;
}

/* Runs from which sort_run uses radix_bucket, given scratch (below it the introsort's register
 * networks are quicker). */
template <class K> constexpr size_t kRadixBucketMin = sizeof(K) == 8 ? 256 : 1024;
constexpr size_t kRadixBucketMax = 0xFFFFFFFFu; /* uint32 offsets */

/* Which payload-free runs radix_bucket sorts, by the lanes of the introsort's vectors: with 8
 * or more, never int32 keys (their partition levels cost less than a scatter pass per bit
 * sorted) and int64 keys only when one or two LSD passes cover their range (an 8-lane level costs
 * about twice as much); with fewer (AVX2 int64, the scalar table), every one. Payload runs
 * (argsort, stable float sorts) always take radix_bucket: there it measured as fast or faster,
 * and it is stable without a fix-up pass. */
enum class RadixUse { Never, Narrow, Always };
template <class K> constexpr RadixUse kRadixPayloadFree =
#if CP_SCALAR
    RadixUse::Always;
#else
    kSL<K> < 8 ? RadixUse::Always : (sizeof(K) == 4 ? RadixUse::Never : RadixUse::Narrow);
#endif

template <class K> void sort_run(void *keys, void *payload, size_t n, int stable, void *scratch) {
    K *a = static_cast<K *>(keys), *p = static_cast<K *>(payload);
    K *ta = static_cast<K *>(scratch), *tp = ta + n;
    const int depth = 2 * (64 - __builtin_clzll(static_cast<unsigned long long>(n) | 1));
    const bool radix = scratch != nullptr && n >= kRadixBucketMin<K> && n <= kRadixBucketMax;
    if (p == nullptr) {
        constexpr RadixUse use = kRadixPayloadFree<K>;
        const bool sorted = radix && use != RadixUse::Never &&
                            radix_bucket<K, false>(a, nullptr, n, ta, nullptr, use == RadixUse::Narrow);
        if (!sorted) introsort<K, false>(a, nullptr, n, depth);
        return;
    }
    if (radix) {
        radix_bucket<K, true>(a, p, n, ta, tp); /* stable: no fix-up */
        return;
    }
    introsort<K, true>(a, p, n, depth);
    if (!stable) return;
    /* equal keys: their payloads (distinct indices) ascending, as a stable sort leaves them */
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && a[j] == a[i]) j++;
        if (j - i > kSmall<K>)
            introsort<K, false>(p + i, nullptr, j - i, depth);
        else if (j - i > 1)
            insertion_sort<K, false>(p + i, nullptr, j - i); /* mostly pairs: no call setup */
        i = j;
    }
}

template <class K> size_t sort_partition(void *keys, void *payload, size_t n, int64_t pivot) {
    if (payload) return partition_keys<K, true>(static_cast<K *>(keys), static_cast<K *>(payload), n, K(pivot));
    return partition_keys<K, false>(static_cast<K *>(keys), nullptr, n, K(pivot));
}

template <class K> void sort_indices(const void *payload, size_t n, int64_t *dst, ptrdiff_t stride) {
    const K *p = static_cast<const K *>(payload);
    if (stride == 8) {
        for (size_t i = 0; i < n; i++) dst[i] = int64_t(p[i]);
        return;
    }
    char *d = reinterpret_cast<char *>(dst);
    for (size_t i = 0; i < n; i++) {
        const int64_t v = int64_t(p[i]);
        __builtin_memcpy(d + static_cast<ptrdiff_t>(i) * stride, &v, 8);
    }
}

/* ---------------------------------------------------------------- parallel MSD radix top level
 * The driver's long rows: the range of the keys (per chunk, combined), a histogram of the top
 * digit of each key's offset from the minimum (per chunk), then a stable scatter of every chunk
 * into its slice of each bucket; the buckets are then sorted in cache, in parallel. */

template <class K> void sort_range(const void *keys, size_t n, int64_t *lo_hi) {
    K lo, hi;
    key_range(static_cast<const K *>(keys), n, lo, hi);
    lo_hi[0] = int64_t(lo);
    lo_hi[1] = int64_t(hi);
}

template <class K> inline size_t digit_of(K k, K lo, int shift) {
    typedef std::make_unsigned_t<K> U;
    return size_t(U(U(k) - U(lo)) >> shift);
}

/* hist[b] += the keys whose digit is b (the caller zeroes hist; it holds every digit). Up to 4096
 * digits: four interleaved 32-bit counters per digit, so runs of equal digits do not wait on one
 * counter; more digits (the driver's fine histogram) count straight into hist. */
template <class K> void sort_hist(const void *keys, size_t n, int64_t lo, int shift, size_t nbins, uint64_t *hist) {
    const K *a = static_cast<const K *>(keys);
    const K l = K(lo);
    if (nbins > (size_t(1) << 12)) {
        for (size_t i = 0; i < n; i++) hist[digit_of(a[i], l, shift)]++;
        return;
    }
    uint32_t c[4][1 << 12];
    /* blocks of at most 2^32 keys: the 32-bit counters cannot wrap */
    for (size_t s = 0; s < n; s += size_t(1) << 32) {
        const size_t e = n - s > (size_t(1) << 32) ? s + (size_t(1) << 32) : n;
        for (size_t b = 0; b < nbins; b++) c[0][b] = c[1][b] = c[2][b] = c[3][b] = 0;
        size_t i = s;
        for (; i + 4 <= e; i += 4) {
            c[0][digit_of(a[i], l, shift)]++;
            c[1][digit_of(a[i + 1], l, shift)]++;
            c[2][digit_of(a[i + 2], l, shift)]++;
            c[3][digit_of(a[i + 3], l, shift)]++;
        }
        for (; i < e; i++) c[0][digit_of(a[i], l, shift)]++;
        for (size_t b = 0; b < nbins; b++) hist[b] += uint64_t(c[0][b]) + c[1][b] + c[2][b] + c[3][b];
    }
}

/* Key i (and payload i) to dst[offsets[bucket]++]: in order, so equal keys keep their order. The
 * bucket is map[digit] (the driver groups fine digits into buckets of similar size), or the digit. */
template <class K, bool MAP> inline size_t bucket_of(K k, K l, int shift, const uint16_t *__restrict map) {
    const size_t d = digit_of(k, l, shift);
    return MAP ? size_t(map[d]) : d;
}

template <class K, bool HP, bool MAP>
inline void scatter_loop(const K *__restrict a, const K *__restrict p, size_t n, K l, int shift,
                         const uint16_t *__restrict map, uint64_t *__restrict offsets, K *__restrict da,
                         K *__restrict dp) {
    for (size_t i = 0; i < n; i++) {
        const uint64_t at = offsets[bucket_of<K, MAP>(a[i], l, shift, map)]++;
        da[at] = a[i];
        if constexpr (HP) dp[at] = p[i];
    }
}

#if !CP_SCALAR
/* Buckets up to which sort_scatter combines its writes: a 64-byte line per bucket and array on
 * the stack (128 KB with payloads). And the write streams (buckets, twice that with payloads)
 * above which it does: up to about 64 the hardware prefetches every stream's lines, direct stores
 * hit the cache, and the sorts after the scatter find the buckets there. */
constexpr size_t kWcBuckets = 1024, kWcMinStreams = 64;

/* scatter_loop with its writes combined: each bucket's keys (and payloads) gather in a line-sized
 * buffer that mirrors the destination line they belong to, and a line this call wrote whole goes
 * out by non-temporal stores. A direct store to a line not in cache waits for the line to be read
 * first; with more destinations than the hardware's stream prefetchers follow, that read is a
 * trip to L3 or DRAM per line. Lines shared with another bucket or another chunk's part of this
 * one (the first and last of each part) are written with plain stores. da and dp must be
 * congruent modulo 64 bytes. */
template <class K, bool HP, bool MAP>
void scatter_wc(const K *__restrict a, const K *__restrict p, size_t n, K l, int shift, const uint16_t *__restrict map,
                size_t nb, uint64_t *__restrict offsets, K *__restrict da, K *__restrict dp) {
    constexpr size_t E = 64 / sizeof(K);
    alignas(64) K bk[kWcBuckets][E];
    alignas(64) K bp[HP ? kWcBuckets : 1][E];
    uint64_t first[kWcBuckets]; /* where this call's part of each bucket starts */
    for (size_t b = 0; b < nb; b++) first[b] = offsets[b];
    /* element offset of da's first element within its line */
    const size_t base = (reinterpret_cast<uintptr_t>(da) / sizeof(K)) % E;
    for (size_t i = 0; i < n; i++) {
        const K k = a[i];
        const size_t b = bucket_of<K, MAP>(k, l, shift, map);
        const uint64_t at = offsets[b]++;
        const size_t pos = (base + at) % E;
        bk[b][pos] = k;
        if constexpr (HP) bp[b][pos] = p[i];
        if (pos == E - 1) {
            if (at + 1 >= first[b] + E) { /* the line [at + 1 - E, at] is this part's alone */
                const uint64_t line = at + 1 - E;
                for (size_t v = 0; v < 64; v += CP_VBYTES) {
                    stream_vec(reinterpret_cast<char *>(da + line) + v, reinterpret_cast<const char *>(bk[b]) + v);
                    if constexpr (HP)
                        stream_vec(reinterpret_cast<char *>(dp + line) + v, reinterpret_cast<const char *>(bp[b]) + v);
                }
            } else { /* the part's first line, shared: its own elements only */
                for (uint64_t j = first[b]; j <= at; j++) {
                    da[j] = bk[b][(base + j) % E];
                    if constexpr (HP) dp[j] = bp[b][(base + j) % E];
                }
            }
        }
    }
    _mm_sfence();
    /* each part's last, partial line */
    for (size_t b = 0; b < nb; b++) {
        const uint64_t end = offsets[b], pending = (base + end) % E;
        if (end == first[b] || pending == 0) continue;
        const uint64_t from = end - first[b] > pending ? end - pending : first[b];
        for (uint64_t j = from; j < end; j++) {
            da[j] = bk[b][(base + j) % E];
            if constexpr (HP) dp[j] = bp[b][(base + j) % E];
        }
    }
}
#endif

template <class K, bool HP, bool MAP>
void scatter_any(const K *a, const K *p, size_t n, K l, int shift, const uint16_t *map, size_t nb, uint64_t *offsets,
                 K *da, K *dp) {
#if !CP_SCALAR
    const bool congruent = !HP || (reinterpret_cast<uintptr_t>(da) - reinterpret_cast<uintptr_t>(dp)) % 64 == 0;
    if (nb * (HP ? 2 : 1) > kWcMinStreams && nb <= kWcBuckets && congruent) {
        scatter_wc<K, HP, MAP>(a, p, n, l, shift, map, nb, offsets, da, dp);
        return;
    }
#endif
    (void)nb;
    scatter_loop<K, HP, MAP>(a, p, n, l, shift, map, offsets, da, dp);
}

template <class K>
void sort_scatter(const void *keys, const void *payload, size_t n, int64_t lo, int shift, const uint16_t *map,
                  size_t nbuckets, uint64_t *offsets, void *dst_keys, void *dst_payload) {
    const K *a = static_cast<const K *>(keys), *p = static_cast<const K *>(payload);
    K *da = static_cast<K *>(dst_keys), *dp = static_cast<K *>(dst_payload);
    const K l = K(lo);
    if (p) {
        if (map)
            scatter_any<K, true, true>(a, p, n, l, shift, map, nbuckets, offsets, da, dp);
        else
            scatter_any<K, true, false>(a, p, n, l, shift, map, nbuckets, offsets, da, dp);
    } else {
        if (map)
            scatter_any<K, false, true>(a, p, n, l, shift, map, nbuckets, offsets, da, dp);
        else
            scatter_any<K, false, false>(a, p, n, l, shift, map, nbuckets, offsets, da, dp);
    }
}

/* ---------------------------------------------------------------- searching and sets */

template <class K, bool RIGHT> inline size_t lower_bound(const K *a, size_t n, K x) {
    size_t lo = 0;
    while (n > 0) {
        const size_t half = n / 2;
        const K m = a[lo + half];
        const bool go = RIGHT ? !(x < m) : (m < x);
        lo = go ? lo + half + 1 : lo;
        n = go ? n - half - 1 : half;
    }
    return lo;
}

template <class K> void sort_search(const void *sorted, size_t n, const void *needles, size_t m, int right, int64_t *out) {
    const K *a = static_cast<const K *>(sorted), *x = static_cast<const K *>(needles);
    if (right)
        for (size_t j = 0; j < m; j++) out[j] = int64_t(lower_bound<K, true>(a, n, x[j]));
    else
        for (size_t j = 0; j < m; j++) out[j] = int64_t(lower_bound<K, false>(a, n, x[j]));
}

template <class K>
void sort_isin(const void *sorted, size_t n, const void *needles, size_t m, int has_nan, int64_t nan_key, int invert,
               uint8_t *out) {
    const K *a = static_cast<const K *>(sorted), *x = static_cast<const K *>(needles);
    for (size_t j = 0; j < m; j++) {
        const size_t at = lower_bound<K, false>(a, n, x[j]);
        bool found = at < n && a[at] == x[j];
        if (has_nan && x[j] == K(nan_key)) found = false;
        out[j] = uint8_t(found != (invert != 0));
    }
}

template <class K>
size_t sort_unique(void *keys, void *payload, size_t n, int has_nan, int64_t nan_key, int64_t *starts, int64_t *inverse,
                   int64_t *counts) {
    K *a = static_cast<K *>(keys), *p = static_cast<K *>(payload);
    const K nk = K(nan_key);
    size_t runs = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || a[i] != a[i - 1] || (has_nan && a[i] == nk)) starts[runs++] = int64_t(i);
        if (inverse) inverse[p[i]] = int64_t(runs - 1);
    }
    starts[runs] = int64_t(n);
    /* compact in place: run r's first key (and payload) to slot r <= starts[r] */
    for (size_t r = 0; r < runs; r++) {
        a[r] = a[starts[r]];
        if (p) p[r] = p[starts[r]];
        if (counts) counts[r] = starts[r + 1] - starts[r];
    }
    return runs;
}
