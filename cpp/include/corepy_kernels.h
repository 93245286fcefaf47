/*
 * corepy_kernels.h — the one C ABI between the Rust core and the C++ kernels.
 *
 * Kernels are pure functions over raw pointers and lengths: they never allocate, never see a Python
 * object and make no policy decisions (threading, blocking into chunks, validation all live in Rust).
 * Each ISA translation unit (scalar, avx2, avx512) fills one complete cp_kernel_table from the same
 * kernel bodies (cpp/kernels/kernels-inl.h); Rust picks one table at run time and caches the pointer.
 *
 * Pointers need not be aligned beyond their element type's natural alignment. Lengths are element
 * counts. `src_isa` of each table is derived from the compiler's own target macros, so the string
 * proves which instruction set the table was really compiled for.
 *
 * src/ffi.rs mirrors this file; keep the two in step.
 */
#ifndef COREPY_KERNELS_H
#define COREPY_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* dtype codes: the order is part of the ABI (src/dtype.rs uses the same numbers).
 * Storage: CP_BOOL one byte (any non-zero byte reads as true; kernels write 0 or 1); integers two's
 * complement; CP_C64 / CP_C128 two float / double (real, then imaginary), aligned like one part. */
enum {
    CP_F32 = 0,
    CP_F64 = 1,
    CP_I32 = 2,
    CP_I64 = 3,
    CP_BOOL = 4,
    CP_I8 = 5,
    CP_I16 = 6,
    CP_U8 = 7,
    CP_U16 = 8,
    CP_U32 = 9,
    CP_U64 = 10,
    CP_C64 = 11,
    CP_C128 = 12,
    CP_NDTYPES = 13
};
/* binary operations: arithmetic (out has the operands' dtype), then comparisons (out is CP_BOOL:
 * one 0/1 byte per element, whatever the operands' dtype). */
enum {
    CP_ADD = 0,
    CP_SUB = 1,
    CP_MUL = 2,
    CP_DIV = 3,
    CP_EQ = 4,
    CP_NE = 5,
    CP_LT = 6,
    CP_LE = 7,
    CP_GT = 8,
    CP_GE = 9,
    /* The standard's other binary functions (cpp/kernels/elementwise-inl.h); out has the operands'
     * dtype. MAX/MIN: not complex; NaN wins. POW: numeric but bool (integers by squaring,
     * wrapping). REM/FDIV: Python's modulo and floor division (ints: by zero gives 0). ATAN2,
     * HYPOT, COPYSIGN, NEXTAFTER, LOGADDEXP: floats. AND/OR/XOR: integers and bool (bool: logical).
     * SHL/SHR: integers; a count outside [0, bits) shifts everything out. */
    CP_MAX = 10,
    CP_MIN = 11,
    CP_POW = 12,
    CP_REM = 13,
    CP_FDIV = 14,
    CP_ATAN2 = 15,
    CP_HYPOT = 16,
    CP_COPYSIGN = 17,
    CP_NEXTAFTER = 18,
    CP_LOGADDEXP = 19,
    CP_AND = 20,
    CP_OR = 21,
    CP_XOR = 22,
    CP_SHL = 23,
    CP_SHR = 24,
    CP_NBINOPS = 25
};
/* unary operations: out[i] = f(x[i]). The output is x's dtype, except ISNAN, ISINF, ISFINITE,
 * SIGNBIT and NOT (bool: one 0/1 byte) and ABS of complex (the real part's dtype). On bool input
 * the ops that exist give truth values. From CP_EXP on: floats and complex only (complex by
 * C99 Annex G). NULL where the op does not apply to the dtype. */
enum {
    CP_NEG = 0,
    CP_POS = 1,
    CP_ABS = 2,
    CP_SQUARE = 3,
    CP_RECIP = 4,
    CP_SIGN = 5,
    CP_FLOOR = 6,
    CP_CEIL = 7,
    CP_TRUNC = 8,
    CP_ROUND = 9,
    CP_SQRT = 10,
    CP_ISNAN = 11,
    CP_ISINF = 12,
    CP_ISFINITE = 13,
    CP_SIGNBIT = 14,
    CP_NOT = 15,
    CP_INVERT = 16,
    CP_CONJ = 17,
    CP_EXP = 18,
    CP_EXPM1 = 19,
    CP_LOG = 20,
    CP_LOG1P = 21,
    CP_LOG2 = 22,
    CP_LOG10 = 23,
    CP_SIN = 24,
    CP_COS = 25,
    CP_TAN = 26,
    CP_ASIN = 27,
    CP_ACOS = 28,
    CP_ATAN = 29,
    CP_SINH = 30,
    CP_COSH = 31,
    CP_TANH = 32,
    CP_ASINH = 33,
    CP_ACOSH = 34,
    CP_ATANH = 35,
    CP_NUNOPS = 36
};
/* operand modes: VV both vectors; VS `b` is one element broadcast; SV `a` is one element broadcast */
enum { CP_VV = 0, CP_VS = 1, CP_SV = 2, CP_NMODES = 3 };

/* out[i] = a[i] op b[i] (or with the scalar side fixed). `out` may alias `a` or `b` exactly (for a
 * comparison only when the operands are one byte wide: out is bytes).
 * Arithmetic: integers wrap (two's complement); DIV exists for float32/float64/complex only; bool
 * has no arithmetic. Complex MUL and DIV follow C99 Annex G (the algorithms of libgcc's
 * __mulsc3/__muldc3 and GCC 12's __divsc3/__divdc3: complex64 division in double precision,
 * complex128 division by Smith's method with scaling; infinities recovered from NaN results),
 * computed without FMA contraction, so every table gives the same bits.
 * Comparisons: IEEE for floats (NaN compares unequal, NE true); bool compares truth values
 * (false < true); complex has EQ (both parts equal) and NE only. */
typedef void (*cp_binary_fn)(const void *a, const void *b, void *out, size_t n);
/* out[i] = f(x[i]); out may alias x exactly when both have the same element size. */
typedef void (*cp_unary_fn)(const void *x, void *out, size_t n);
/* Sum of n elements. Floats: pairwise blocks of SIMD partial sums, result written as the input type.
 * Integers (signed and unsigned, any width): wrapping 64-bit sum, written as int64; for unsigned
 * inputs these are the bits of the wrapping uint64 sum NumPy gives (the Rust side reads them as
 * uint64). bool: count of true bytes (int64). Complex: NULL for now. */
typedef void (*cp_sum_fn)(const void *x, size_t n, void *out);
/* all/any: 1 if every / some element is truthy (non-zero; NaN is truthy, -0.0 is not; a complex
 * value is truthy if either part is). */
typedef int (*cp_predicate_fn)(const void *x, size_t n);
/* acc[i] = acc[i] && truthy(x[i])  (all)   |   acc[i] = acc[i] || truthy(x[i])  (any); acc is 0/1 bytes */
typedef void (*cp_accumulate_fn)(const void *x, size_t n, uint8_t *acc);
/* dst[i] = (To)src[i], never undefined behaviour. Float to signed int saturates to [min, max], float
 * to unsigned int to [0, max]; NaN -> 0. Int to int wraps (keeps the low bits, sign-extending from
 * a signed source). To bool is != 0 (complex: either part != 0); bool to anything is 0 or 1.
 * Complex to real takes the real part (then as from that float); real to complex gives (x, 0);
 * complex64 <-> complex128 converts each part. */
typedef void (*cp_cast_fn)(const void *src, void *dst, size_t n);
/* dst[i] = *(src + i*stride_bytes): gathers one strided row into a contiguous one. stride may be <= 0. */
typedef void (*cp_gather_fn)(const void *src, ptrdiff_t stride_bytes, void *dst, size_t n);
/* *out = sum(a[i]*b[i]) with several independent SIMD accumulators, pairwise over blocks like sum. */
typedef void (*cp_dot_fn)(const void *a, const void *b, size_t n, void *out);
/* C[m x n] = A[m x k] * B[k x n]; element strides (in elements) for A and B may be anything
 * (transposed or strided operands need no copy); C is row-major with row stride ldc. k == 0 zeroes C.
 * This is the correctness-first loop (i-k-j order, SIMD over the j loop when b_cs == 1). */
typedef void (*cp_gemm_fn)(size_t m, size_t n, size_t k, const void *a, ptrdiff_t a_rs,
                           ptrdiff_t a_cs, const void *b, ptrdiff_t b_rs, ptrdiff_t b_cs, void *c,
                           ptrdiff_t ldc);

/* BLIS-style GEMM pieces (cpp/kernels/gemm-inl.h); the five loops around them are in src/gemm/.
 * pack_a: the mc x kc block of A (element (i, p) at a[i*rs + p*cs]) into ceil(mc/mr) micro-panels of
 *         kc steps x mr values, zero-padded. pack_b: the kc x nc panel of B (element (p, j) at
 *         b[p*rs + j*cs]) into ceil(nc/nr) micro-panels of kc steps x nr values, zero-padded. */
typedef void (*cp_gemm_pack_a_fn)(size_t mc, size_t kc, const void *a, ptrdiff_t rs, ptrdiff_t cs,
                                  void *dst);
typedef void (*cp_gemm_pack_b_fn)(size_t kc, size_t nc, const void *b, ptrdiff_t rs, ptrdiff_t cs,
                                  void *dst);
/* C[m x n] = A * B (accumulate == 0) or C += A * B, for one mr x nr tile (m <= mr, n <= nr) from one
 * packed micro-panel of A and one of B; C row-major with row stride ldc. */
typedef void (*cp_gemm_ukernel_fn)(size_t kc, const void *a, const void *b, void *c, ptrdiff_t ldc,
                                   size_t m, size_t n, int accumulate);
/* The same tile from unpacked operands: A(i, p) at a[i*a_rs + p*a_cs] for all mr rows, B row p at
 * b + p*b_rs holding nr contiguous values (all mr rows and nr columns must be readable). */
typedef void (*cp_gemm_ukernel_sup_fn)(size_t k, const void *a, ptrdiff_t a_rs, ptrdiff_t a_cs,
                                       const void *b, ptrdiff_t b_rs, void *c, ptrdiff_t ldc, size_t m,
                                       size_t n, int accumulate);
/* y[0:m] = M * x with M(i, p) at mat[i*rs + p*cs], x[p] at x[p*incx]. */
typedef void (*cp_gemv_fn)(size_t m, size_t k, const void *mat, ptrdiff_t rs, ptrdiff_t cs,
                           const void *x, ptrdiff_t incx, void *y);
/* y += columns [c0, c1) of A x for A symmetric m x m, lower triangle stored column-major with column
 * stride lda (y and x of length m; rows above c0 of y are untouched). */
typedef void (*cp_symv_fn)(size_t m, size_t c0, size_t c1, const void *a, ptrdiff_t lda, const void *x,
                           void *y);

/* Every eigh's divide-and-conquer merge over its n non-deflated poles d and weights z (faer's,
 * patched): out[p] = sum_i z_i (z_i / ((d_i - shift[p]) - mu[p])) for p < m <= 4 (secular); out_i =
 * z_i / ((d_i - *shift) - *mu) and *norm = |out|_2 (secular_vector); *out = (mu_i + (shift_i - d_i))
 * prod_{j != i} (mu_j + (shift_j - d_i)) / (d_j - d_i) (loewner). */
typedef void (*cp_secular_fn)(size_t n, const void *d, const void *z, size_t m, const void *shift,
                              const void *mu, void *out);
typedef void (*cp_secular_vector_fn)(size_t n, const void *d, const void *z, const void *shift,
                                     const void *mu, void *out, void *norm);
typedef void (*cp_loewner_fn)(size_t n, const void *d, const void *mu, const void *shift, size_t i,
                              void *out);

typedef struct cp_gemm_kernels {
    size_t mr, nr;                  /* microkernel tile: rows of A x columns of B */
    cp_gemm_fn naive;               /* plain i-j-p triple loop (the teaching ladder's first rung) */
    cp_gemm_pack_a_fn pack_a;
    cp_gemm_pack_b_fn pack_b;
    cp_gemm_ukernel_fn ukernel;
    cp_gemm_ukernel_sup_fn ukernel_sup;
    /* The same two tiles nr/2 columns wide (m <= mr, n <= nr/2), for a column edge of at most nr/2;
     * B is still read from nr-wide rows (b_rs for the unpacked form, nr for the packed one). */
    cp_gemm_ukernel_fn ukernel_half;
    cp_gemm_ukernel_sup_fn ukernel_sup_half;
    cp_gemv_fn gemv;
    cp_symv_fn symv;
    cp_secular_fn secular;
    cp_secular_vector_fn secular_vector;
    cp_loewner_fn loewner;
} cp_gemm_kernels;

/* STREAM-style float64 kernels for measuring this machine's memory bandwidth (non-temporal stores). */
typedef void (*cp_stream2_fn)(const double *a, double *c, double s, size_t n);  /* copy: c=a; scale: c=s*a */
typedef void (*cp_stream3_fn)(const double *a, const double *b, double *c, double s,
                              size_t n); /* add: c=a+b; triad: c=a+s*b */
/* Runs `iters` rounds of independent FMA chains on float32 registers; returns the flop count done.
 * Used to measure peak FLOP/s; the result depends on no memory traffic. */
typedef double (*cp_fma_peak_fn)(size_t iters);

/* Sorting, searching and sets (cpp/kernels/sort-inl.h). Every real dtype maps to signed integer
 * sort keys whose signed order is the sort order: int32 keys for 1- to 4-byte dtypes (int64 with
 * CP_SORT_WIDE), int64 keys for 8-byte ones. Floats: -0.0 sorts just below +0.0 and every NaN
 * above +inf (the map is a bijection, so values come back bit for bit); with CP_SORT_CANONICAL,
 * -0.0 takes +0.0's key and every NaN one NaN key (equal values, equal keys; not invertible for
 * those two). CP_SORT_DESCENDING complements the keys (the exact reverse order, NaN first).
 * Kernels indexed [0] work on int32 keys, [1] on int64 keys; a payload has the keys' width. */
enum { CP_SORT_DESCENDING = 1, CP_SORT_CANONICAL = 2, CP_SORT_WIDE = 4 };
/* keys[i] = key(*(src + i*stride_bytes)); payload[i] = first + i when payload is not NULL. Returns 1 if
 * some element is a NaN or -0.0 (values whose order among equals a key cannot restore), else 0. */
typedef int (*cp_sort_keys_fn)(const void *src, ptrdiff_t stride_bytes, size_t n, int flags, void *keys,
                               void *payload, size_t first);
/* *(dst + i*stride_bytes) = the value of keys[i] (keys made with the same flags). */
typedef void (*cp_sort_values_fn)(const void *keys, size_t n, int flags, void *dst, ptrdiff_t stride_bytes);
/* Sorts keys ascending in place, moving payload (may be NULL) with them. stable != 0 (payload
 * required, distinct values such as indices): equal keys end with their payloads ascending.
 * scratch: NULL, or room for n keys and n payloads (lets large inputs start with a bucket pass). */
typedef void (*cp_sort_fn)(void *keys, void *payload, size_t n, int stable, void *scratch);
/* Moves the keys < pivot (with their payloads) in front; returns how many there are. */
typedef size_t (*cp_sort_partition_fn)(void *keys, void *payload, size_t n, int64_t pivot);
/* *(dst + i*stride_bytes) = (int64)payload[i]. */
typedef void (*cp_sort_indices_fn)(const void *payload, size_t n, int64_t *dst, ptrdiff_t stride_bytes);
/* *(dst + i*dst_stride) = *(src + payload[i]*src_stride), payload of int32 (wide == 0) or int64. */
typedef void (*cp_sort_take_fn)(const void *src, ptrdiff_t src_stride, const void *payload, int wide, size_t n,
                                void *dst, ptrdiff_t dst_stride);
/* out[j] = the insertion point of needles[j] in the ascending keys sorted[0:n]: before equal keys
 * (right == 0) or after them. */
typedef void (*cp_sort_search_fn)(const void *sorted, size_t n, const void *needles, size_t m, int right,
                                  int64_t *out);
/* out[j] = (needles[j] occurs in sorted[0:n]) != invert; a needle equal to nan_key (when has_nan)
 * never occurs (NaN equals nothing). */
typedef void (*cp_sort_isin_fn)(const void *sorted, size_t n, const void *needles, size_t m, int has_nan,
                                int64_t nan_key, int invert, uint8_t *out);
/* Runs of equal ascending keys (each key equal to nan_key, when has_nan, a run of its own): writes
 * the start of every run to starts (n + 1 slots; starts[runs] = n) and returns the run count.
 * inverse (may be NULL): inverse[payload[i]] = the run of position i. Then compacts: keys[r] (and
 * payload[r], when not NULL) = those of run r's first position; counts (may be NULL)[r] = its length. */
typedef size_t (*cp_sort_unique_fn)(void *keys, void *payload, size_t n, int has_nan, int64_t nan_key, int64_t *starts,
                                    int64_t *inverse, int64_t *counts);
/* ---- reductions, statistics and scans (issue 16; bodies in cpp/kernels/reduce-inl.h) ----
 * Horizontal kernels reduce one contiguous run; vertical ("acc") ones fold a contiguous row into an
 * accumulator row: acc[i] = acc[i] op x[i]. Sum/product accumulators are the sum dtype (int64 for
 * bool and signed ints, uint64 for unsigned ones, floats and complex themselves; integers wrap).
 * min/max/arg: NaN propagates / the first NaN wins; arg results are the first occurrence. */
typedef void (*cp_red_fn)(const void *x, size_t n, void *out);  /* out: one value (n >= 1 for min/max) */
typedef int64_t (*cp_arg_fn)(const void *x, size_t n);          /* index of the first extreme, n >= 1 */
typedef int64_t (*cp_count_fn)(const void *x, size_t n);        /* elements != 0 */
typedef void (*cp_acc_fn)(const void *x, size_t n, void *acc);  /* count: acc is int64 */
/* where x[i] beats val[i]: val[i] = x[i], idx[i] = j */
typedef void (*cp_arg_acc_fn)(const void *x, size_t n, int64_t j, void *val, int64_t *idx);
/* where a later block's val_b[i] beats val[i]: val[i] = val_b[i], idx[i] = idx_b[i] */
typedef void (*cp_arg_merge_fn)(const void *val_b, const int64_t *idx_b, size_t n, void *val, int64_t *idx);
typedef void (*cp_moments_fn)(const void *x, size_t n, double *out); /* out[0] mean, out[1] M2; n >= 1 */
/* one Welford step for row k (inv_k = 1/k): running mean and M2 per column, in the input type */
typedef void (*cp_welford_fn)(const void *x, size_t n, double inv_k, void *mean, void *m2);
typedef void (*cp_var_finish_fn)(void *m2, size_t n, double scale, int take_sqrt);
/* out[i] = carry op x[0] op .. op x[i] in the sum dtype; *carry (one sum-dtype value) updated */
typedef void (*cp_scan_fn)(const void *x, size_t n, void *out, void *carry);

/* Vectorised sort, MSD radix top level: lo_hi = {min, max} of keys[0:n]; hist[b] += the number of
 * keys whose digit ((key - lo) >> shift, unsigned) is b < nbins <= 65536; sort_scatter moves key i
 * (and payload i, when not NULL) to dst[offsets[bucket]++] in order (stable), where bucket is
 * map[digit] (the digit itself when map is NULL) and below nbuckets. */
typedef void (*cp_sort_range_fn)(const void *keys, size_t n, int64_t *lo_hi);
typedef void (*cp_sort_hist_fn)(const void *keys, size_t n, int64_t lo, int shift, size_t nbins, uint64_t *hist);
typedef void (*cp_sort_scatter_fn)(const void *keys, const void *payload, size_t n, int64_t lo, int shift,
                                   const uint16_t *map, size_t nbuckets, uint64_t *offsets, void *dst_keys,
                                   void *dst_payload);

/* Integer-array and boolean-mask indexing (issue 14, index-inl.h). Elements are moved as bits, so
 * the [5] tables are by item size: 1, 2, 4, 8, 16 bytes. src's elements (or rows) are `stride`
 * bytes apart; masks are bool bytes (non-zero = true); indices are int64. */
/* dst[i] = src[idx[i]] (negative indices count from len); returns n, or the position of the first
 * index outside [-len, len). */
typedef size_t (*cp_index_take_fn)(const void *src, ptrdiff_t stride, size_t len, const int64_t *idx, size_t n,
                                   void *dst);
typedef size_t (*cp_index_take_rows_fn)(const void *src, ptrdiff_t stride, size_t len, const int64_t *idx, size_t n,
                                        void *dst, size_t row_bytes);
/* The elements whose mask byte is non-zero, in order, into dst; count = how many (index_count). */
typedef void (*cp_index_compress_fn)(const void *src, ptrdiff_t stride, const void *mask, size_t n, size_t count,
                                     void *dst);
typedef void (*cp_index_compress_rows_fn)(const void *src, ptrdiff_t stride, const void *mask, size_t n,
                                          size_t count, void *dst, size_t row_bytes);
typedef size_t (*cp_index_count_fn)(const void *mask, size_t n);
/* dst[k] = base + (position of the k-th non-zero byte), count of them. */
typedef void (*cp_index_positions_fn)(const void *mask, size_t n, int64_t base, size_t count, int64_t *dst);

/* Solves A X = B for one small matrix (lu-inl.h): A n x n row-major (read only), n at most
 * CP_LU_SMALL_MAX; B n x k row-major on entry, X on return. 0; 1 on an exactly zero pivot; -1 if n
 * is too large. */
#define CP_LU_SMALL_MAX 32
typedef int (*cp_lu_solve_fn)(size_t n, size_t k, const void *a, void *x);

typedef struct cp_kernel_table {
    const char *isa; /* "scalar" | "avx2" | "avx512", from the compiler's target macros */
    size_t vector_bytes; /* SIMD register width this table was written for (8 for scalar) */
    /* NULL: unsupported (DIV on integers, arithmetic on bool, LT/LE/GT/GE on complex) */
    cp_binary_fn binary[CP_NBINOPS][CP_NDTYPES][CP_NMODES];
    /* The same with non-temporal stores, for outputs too large to stay in cache (comparisons and
     * complex MUL/DIV stage their output through an L1 buffer; the scalar table's are its plain ones). */
    cp_binary_fn binary_nt[CP_NBINOPS][CP_NDTYPES][CP_NMODES];
    cp_sum_fn sum[CP_NDTYPES]; /* NULL for complex */
    cp_predicate_fn all[CP_NDTYPES];
    cp_predicate_fn any[CP_NDTYPES];
    cp_accumulate_fn all_acc[CP_NDTYPES];
    cp_accumulate_fn any_acc[CP_NDTYPES];
    cp_cast_fn cast[CP_NDTYPES][CP_NDTYPES]; /* [from][to] */
    cp_gather_fn gather[CP_NDTYPES];
    cp_dot_fn dot[2];   /* [CP_F32], [CP_F64] */
    cp_gemm_fn gemm[2]; /* [CP_F32], [CP_F64] */
    cp_stream2_fn stream_copy;
    cp_stream2_fn stream_scale;
    cp_stream3_fn stream_add;
    cp_stream3_fn stream_triad;
    cp_fma_peak_fn fma_peak;
    cp_gemm_kernels gemmk[2]; /* [CP_F32], [CP_F64] */
    /* element-wise functions (issue 15) */
    cp_unary_fn unary[CP_NUNOPS][CP_NDTYPES];
    /* sorting, searching, sets (sort-inl.h); [CP_NDTYPES]: NULL for complex; [2]: int32/int64 keys */
    cp_sort_keys_fn sort_keys[CP_NDTYPES];
    cp_sort_values_fn sort_values[CP_NDTYPES];
    cp_sort_take_fn sort_take[CP_NDTYPES];
    cp_sort_fn sort[2];
    cp_sort_partition_fn sort_partition[2];
    cp_sort_indices_fn sort_indices[2];
    cp_sort_search_fn sort_search[2];
    cp_sort_isin_fn sort_isin[2];
    cp_sort_unique_fn sort_unique[2];
    /* matmul of the dtypes without a GEMM ladder (sort-inl.h's neighbour, matmul-inl.h): the
     * i-k-j loop of `gemm` for integers (wrapping, as NumPy) and complex; NULL for bool and the
     * floats (which have the ladder). */
    cp_gemm_fn matmul_other[CP_NDTYPES];
    /* ---- reductions, statistics and scans (issue 16, reduce-inl.h); NULL: unsupported dtype ---- */
    cp_red_fn red_sum[CP_NDTYPES]; /* `sum`, complex included */
    cp_red_fn red_prod[CP_NDTYPES];
    cp_red_fn red_min[CP_NDTYPES]; /* NULL for complex (also the four below) */
    cp_red_fn red_max[CP_NDTYPES];
    cp_arg_fn argmin[CP_NDTYPES];
    cp_arg_fn argmax[CP_NDTYPES];
    cp_count_fn count_nonzero[CP_NDTYPES];
    cp_acc_fn acc_sum[CP_NDTYPES];
    cp_acc_fn acc_prod[CP_NDTYPES];
    cp_acc_fn acc_min[CP_NDTYPES]; /* bool: acc is 0/1 bytes (min = all, max = any) */
    cp_acc_fn acc_max[CP_NDTYPES];
    cp_acc_fn acc_count[CP_NDTYPES];
    cp_arg_acc_fn acc_argmin[CP_NDTYPES];
    cp_arg_acc_fn acc_argmax[CP_NDTYPES];
    cp_scan_fn cumsum[CP_NDTYPES];
    cp_scan_fn cumprod[CP_NDTYPES];
    cp_moments_fn moments[2];       /* [CP_F32], [CP_F64] */
    cp_welford_fn welford[2];
    cp_var_finish_fn var_finish[2];
    cp_arg_merge_fn arg_merge_min[CP_NDTYPES];
    cp_arg_merge_fn arg_merge_max[CP_NDTYPES];
    /* ---- vectorised sort: the parallel MSD radix top level of long rows (sort-inl.h); [2]:
     * int32/int64 keys ---- */
    cp_sort_range_fn sort_range[2];
    cp_sort_hist_fn sort_hist[2];
    cp_sort_scatter_fn sort_scatter[2];
    /* ---- element-wise (issue 15): unary ops with non-temporal stores, for outputs too large to
     * stay in cache (as binary_nt); the scalar table's entries are its plain ones ---- */
    cp_unary_fn unary_nt[CP_NUNOPS][CP_NDTYPES];
    /* ---- integer-array and boolean-mask indexing (issue 14, index-inl.h); [5]: by item size
     * 1, 2, 4, 8, 16 bytes ---- */
    cp_index_take_fn index_take[5];
    cp_index_compress_fn index_compress[5];
    cp_index_take_rows_fn index_take_rows;
    cp_index_compress_rows_fn index_compress_rows;
    cp_index_count_fn index_count;
    cp_index_positions_fn index_positions;
    /* ---- the small-matrix solve of linalg.solve (lu-inl.h); NULL but for the four float dtypes ---- */
    cp_lu_solve_fn lu_solve[CP_NDTYPES];
} cp_kernel_table;

const cp_kernel_table *corepy_kernels_scalar(void);
const cp_kernel_table *corepy_kernels_avx2(void);
const cp_kernel_table *corepy_kernels_avx512(void);
/* sizeof(cp_kernel_table) as the library was compiled (defined by the scalar unit): a kernel
 * library loaded at run time (COREPY_KERNELS_SO) must have the layout the Rust side expects. */
size_t corepy_kernels_table_size(void);

#ifdef __cplusplus
}
#endif

#endif /* COREPY_KERNELS_H */
