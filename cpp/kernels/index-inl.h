/*
 * index-inl.h — integer-array and boolean-mask indexing (issue 14): gather by index, compress by
 * mask, count and positions of a mask. Included from kernels-inl.h inside CP_NS; the rule of that
 * file holds here (nothing inline from outside CP_NS; builtins only).
 *
 * Elements are moved as raw bits: one kernel per item size (1, 2, 4, 8, 16 bytes) serves every
 * dtype of that size. Bounds, dtypes and threading are decided in Rust (src/kernels/index.rs).
 */

/* 16-byte elements (complex128) as one trivially copyable value. */
struct Bits128 {
    uint64_t lo, hi;
};

/* dst[i] = the element at src + j * stride bytes, j = idx[i] (+ len when negative), for i < n.
 * Returns n when every index is in [-len, len), else the position of the first one that is not
 * (dst is then written up to it). The bounds test is one well-predicted branch; the loads are
 * independent, so several cache misses overlap. */
template <class T>
size_t index_take(const void *src, ptrdiff_t stride, size_t len, const int64_t *idx, size_t n, void *dst) {
    const char *s = static_cast<const char *>(src);
    T *d = static_cast<T *>(dst);
    const int64_t m = static_cast<int64_t>(len);
    for (size_t i = 0; i < n; i++) {
        int64_t j = idx[i];
        j += j < 0 ? m : 0;
        if (static_cast<uint64_t>(j) >= static_cast<uint64_t>(m)) return i;
        d[i] = load1<T>(s + j * stride);
    }
    return n;
}

/* As index_take, moving rows of `row_bytes` contiguous bytes (the trailing axes of a C-ordered
 * block) into consecutive rows of dst. */
size_t index_take_rows(const void *src, ptrdiff_t stride, size_t len, const int64_t *idx, size_t n, void *dst,
                       size_t row_bytes) {
    const char *s = static_cast<const char *>(src);
    char *d = static_cast<char *>(dst);
    const int64_t m = static_cast<int64_t>(len);
    for (size_t i = 0; i < n; i++) {
        int64_t j = idx[i];
        j += j < 0 ? m : 0;
        if (static_cast<uint64_t>(j) >= static_cast<uint64_t>(m)) return i;
        __builtin_memcpy(d + i * row_bytes, s + j * stride, row_bytes);
    }
    return n;
}

/* Number of non-zero bytes in mask[0:n]: byte counters in a register, emptied every 255 steps. */
size_t index_count(const void *maskv, size_t n) {
    const unsigned char *m = static_cast<const unsigned char *>(maskv);
    size_t total = 0, i = 0;
#if !CP_SCALAR
    typedef unsigned char U8 __attribute__((vector_size(CP_VBYTES)));
    constexpr size_t L = CP_VBYTES;
    while (i + L <= n) {
        size_t steps = (n - i) / L;
        if (steps > 255) steps = 255;
        U8 acc = {};
        for (size_t k = 0; k < steps; k++, i += L) {
            U8 v;
            __builtin_memcpy(&v, m + i, L);
            acc -= (U8)(v != 0); /* a true lane compares as -1 */
        }
        uint64_t w[L / 8];
        __builtin_memcpy(w, &acc, L);
        for (size_t k = 0; k < L / 8; k++) {
            /* the eight byte counts of a word summed by a multiply (each count <= 255, sum < 2^11) */
            const uint64_t x = w[k];
            const uint64_t pairs = (x & 0x00ff00ff00ff00ffULL) + ((x >> 8) & 0x00ff00ff00ff00ffULL);
            total += (pairs * 0x0001000100010001ULL) >> 48;
        }
    }
#endif
    for (; i < n; i++) total += m[i] != 0;
    return total;
}

/* Appends to dst the elements of src (stride bytes apart) whose mask byte is non-zero, in order;
 * `count` is how many there are in mask[0:n] (index_count). Branch-free: every element is stored
 * at the next free slot and the slot advances only for a true byte, so a random mask costs no
 * mispredictions; the store stays inside dst because the loop stops once `count` are kept. */
template <class T>
void index_compress(const void *src, ptrdiff_t stride, const void *maskv, size_t n, size_t count, void *dst) {
    const char *s = static_cast<const char *>(src);
    const unsigned char *m = static_cast<const unsigned char *>(maskv);
    T *d = static_cast<T *>(dst);
    size_t j = 0;
    for (size_t i = 0; i < n && j < count; i++) {
        d[j] = load1<T>(s + static_cast<ptrdiff_t>(i) * stride);
        j += m[i] != 0;
    }
}

/* As index_compress for rows of `row_bytes` contiguous bytes (a branch per row: rows are long). */
void index_compress_rows(const void *src, ptrdiff_t stride, const void *maskv, size_t n, size_t count, void *dst,
                         size_t row_bytes) {
    const char *s = static_cast<const char *>(src);
    const unsigned char *m = static_cast<const unsigned char *>(maskv);
    char *d = static_cast<char *>(dst);
    size_t j = 0;
    for (size_t i = 0; i < n && j < count; i++) {
        if (m[i] != 0) {
            __builtin_memcpy(d + j * row_bytes, s + static_cast<ptrdiff_t>(i) * stride, row_bytes);
            j++;
        }
    }
}

/* dst[k] = base + i for the k-th non-zero byte mask[i] (count of them in mask[0:n]): the flat
 * positions behind nonzero() and multi-axis masks. Branch-free as index_compress. */
void index_positions(const void *maskv, size_t n, int64_t base, size_t count, int64_t *dst) {
    const unsigned char *m = static_cast<const unsigned char *>(maskv);
    size_t j = 0;
    for (size_t i = 0; i < n && j < count; i++) {
        dst[j] = base + static_cast<int64_t>(i);
        j += m[i] != 0;
    }
}
