//! Raw FFI: mirrors `cpp/include/corepy_kernels.h` field for field. Nothing else in the crate
//! declares an `extern` item.

use std::ffi::{c_char, c_int, c_void};

pub const NDTYPES: usize = 13;
pub const NBINOPS: usize = 25;
pub const NUNOPS: usize = 36;
pub const NMODES: usize = 3;

// dtype codes (`CP_F32`..): `crate::dtype::DType` uses the same numbers (`DType::code`).
pub const F32: usize = 0;
pub const F64: usize = 1;
pub const I32: usize = 2;
pub const I64: usize = 3;
pub const BOOL: usize = 4;
pub const I8: usize = 5;
pub const I16: usize = 6;
pub const U8: usize = 7;
pub const U16: usize = 8;
pub const U32: usize = 9;
pub const U64: usize = 10;
pub const C64: usize = 11;
pub const C128: usize = 12;

// Binary operations (`CP_ADD`..): arithmetic writes the operands' dtype, comparisons (EQ..GE) one
// 0/1 byte (bool) per element. DIV: floats and complex only; LT..GE: not complex.
pub const ADD: usize = 0;
pub const SUB: usize = 1;
pub const MUL: usize = 2;
pub const DIV: usize = 3;
pub const EQ: usize = 4;
pub const NE: usize = 5;
pub const LT: usize = 6;
pub const LE: usize = 7;
pub const GT: usize = 8;
pub const GE: usize = 9;
// The standard's other binary functions (CP_MAX..): out has the operands' dtype; which dtypes
// each has is the header's comment.
pub const MAX: usize = 10;

// Operand modes (`CP_VV`..): both vectors; `b` one broadcast element; `a` one broadcast element.
pub const VV: usize = 0;
pub const VS: usize = 1;
pub const SV: usize = 2;

pub type BinaryFn =
    unsafe extern "C" fn(a: *const c_void, b: *const c_void, out: *mut c_void, n: usize);
pub type UnaryFn = unsafe extern "C" fn(x: *const c_void, out: *mut c_void, n: usize);
pub type SumFn = unsafe extern "C" fn(x: *const c_void, n: usize, out: *mut c_void);
pub type PredicateFn = unsafe extern "C" fn(x: *const c_void, n: usize) -> c_int;
pub type AccumulateFn = unsafe extern "C" fn(x: *const c_void, n: usize, acc: *mut u8);
pub type CastFn = unsafe extern "C" fn(src: *const c_void, dst: *mut c_void, n: usize);
pub type GatherFn =
    unsafe extern "C" fn(src: *const c_void, stride_bytes: isize, dst: *mut c_void, n: usize);
pub type DotFn =
    unsafe extern "C" fn(a: *const c_void, b: *const c_void, n: usize, out: *mut c_void);
pub type GemmFn = unsafe extern "C" fn(
    m: usize,
    n: usize,
    k: usize,
    a: *const c_void,
    a_rs: isize,
    a_cs: isize,
    b: *const c_void,
    b_rs: isize,
    b_cs: isize,
    c: *mut c_void,
    ldc: isize,
);
pub type Stream2Fn = unsafe extern "C" fn(a: *const f64, c: *mut f64, s: f64, n: usize);
pub type Stream3Fn =
    unsafe extern "C" fn(a: *const f64, b: *const f64, c: *mut f64, s: f64, n: usize);
pub type FmaPeakFn = unsafe extern "C" fn(iters: usize) -> f64;

pub type GemmPackAFn = unsafe extern "C" fn(
    mc: usize,
    kc: usize,
    a: *const c_void,
    rs: isize,
    cs: isize,
    dst: *mut c_void,
);
pub type GemmPackBFn = unsafe extern "C" fn(
    kc: usize,
    nc: usize,
    b: *const c_void,
    rs: isize,
    cs: isize,
    dst: *mut c_void,
);
pub type GemmUkernelFn = unsafe extern "C" fn(
    kc: usize,
    a: *const c_void,
    b: *const c_void,
    c: *mut c_void,
    ldc: isize,
    m: usize,
    n: usize,
    accumulate: c_int,
);
pub type GemmUkernelSupFn = unsafe extern "C" fn(
    k: usize,
    a: *const c_void,
    a_rs: isize,
    a_cs: isize,
    b: *const c_void,
    b_rs: isize,
    c: *mut c_void,
    ldc: isize,
    m: usize,
    n: usize,
    accumulate: c_int,
);
pub type SymvFn = unsafe extern "C" fn(
    m: usize,
    c0: usize,
    c1: usize,
    a: *const c_void,
    lda: isize,
    x: *const c_void,
    y: *mut c_void,
);
/// Every eigh's divide-and-conquer merge loops (see `cp_secular_fn` in corepy_kernels.h).
pub type SecularFn = unsafe extern "C" fn(
    n: usize,
    d: *const c_void,
    z: *const c_void,
    m: usize,
    shift: *const c_void,
    mu: *const c_void,
    out: *mut c_void,
);
pub type SecularVectorFn = unsafe extern "C" fn(
    n: usize,
    d: *const c_void,
    z: *const c_void,
    shift: *const c_void,
    mu: *const c_void,
    out: *mut c_void,
    norm: *mut c_void,
);
pub type LoewnerFn = unsafe extern "C" fn(
    n: usize,
    d: *const c_void,
    mu: *const c_void,
    shift: *const c_void,
    i: usize,
    out: *mut c_void,
);
pub type GemvFn = unsafe extern "C" fn(
    m: usize,
    k: usize,
    mat: *const c_void,
    rs: isize,
    cs: isize,
    x: *const c_void,
    incx: isize,
    y: *mut c_void,
);

// Sorting, searching and sets (`sort-inl.h`): flags of the key maps.
pub const SORT_DESCENDING: i32 = 1;
pub const SORT_CANONICAL: i32 = 2;
pub const SORT_WIDE: i32 = 4;

pub type SortKeysFn = unsafe extern "C" fn(
    src: *const c_void,
    stride_bytes: isize,
    n: usize,
    flags: c_int,
    keys: *mut c_void,
    payload: *mut c_void,
    first: usize,
) -> c_int;
pub type SortValuesFn = unsafe extern "C" fn(
    keys: *const c_void,
    n: usize,
    flags: c_int,
    dst: *mut c_void,
    stride_bytes: isize,
);
pub type SortTakeFn = unsafe extern "C" fn(
    src: *const c_void,
    src_stride: isize,
    payload: *const c_void,
    wide: c_int,
    n: usize,
    dst: *mut c_void,
    dst_stride: isize,
);
pub type SortFn = unsafe extern "C" fn(
    keys: *mut c_void,
    payload: *mut c_void,
    n: usize,
    stable: c_int,
    scratch: *mut c_void,
);
pub type SortPartitionFn =
    unsafe extern "C" fn(keys: *mut c_void, payload: *mut c_void, n: usize, pivot: i64) -> usize;
pub type SortIndicesFn =
    unsafe extern "C" fn(payload: *const c_void, n: usize, dst: *mut i64, stride_bytes: isize);
pub type SortSearchFn = unsafe extern "C" fn(
    sorted: *const c_void,
    n: usize,
    needles: *const c_void,
    m: usize,
    right: c_int,
    out: *mut i64,
);
pub type SortIsinFn = unsafe extern "C" fn(
    sorted: *const c_void,
    n: usize,
    needles: *const c_void,
    m: usize,
    has_nan: c_int,
    nan_key: i64,
    invert: c_int,
    out: *mut u8,
);
pub type SortUniqueFn = unsafe extern "C" fn(
    keys: *mut c_void,
    payload: *mut c_void,
    n: usize,
    has_nan: c_int,
    nan_key: i64,
    starts: *mut i64,
    inverse: *mut i64,
    counts: *mut i64,
) -> usize;
// Vectorised sort, MSD radix top level (see the header's block).
pub type SortRangeFn = unsafe extern "C" fn(keys: *const c_void, n: usize, lo_hi: *mut i64);
pub type SortHistFn = unsafe extern "C" fn(
    keys: *const c_void,
    n: usize,
    lo: i64,
    shift: c_int,
    nbins: usize,
    hist: *mut u64,
);
// Integer-array and boolean-mask indexing (issue 14): see cp_index_*_fn in corepy_kernels.h.
pub type IndexTakeFn = unsafe extern "C" fn(
    src: *const c_void,
    stride: isize,
    len: usize,
    idx: *const i64,
    n: usize,
    dst: *mut c_void,
) -> usize;
pub type IndexTakeRowsFn = unsafe extern "C" fn(
    src: *const c_void,
    stride: isize,
    len: usize,
    idx: *const i64,
    n: usize,
    dst: *mut c_void,
    row_bytes: usize,
) -> usize;
pub type IndexCompressFn = unsafe extern "C" fn(
    src: *const c_void,
    stride: isize,
    mask: *const c_void,
    n: usize,
    count: usize,
    dst: *mut c_void,
);
pub type IndexCompressRowsFn = unsafe extern "C" fn(
    src: *const c_void,
    stride: isize,
    mask: *const c_void,
    n: usize,
    count: usize,
    dst: *mut c_void,
    row_bytes: usize,
);
pub type IndexCountFn = unsafe extern "C" fn(mask: *const c_void, n: usize) -> usize;
/// Solves A X = B for one small matrix (`a` n x n, read only, and `x` n x k, overwritten with X;
/// both row-major, n at most `LU_SMALL_MAX`); 1 on an exactly zero pivot, -1 if n is too large,
/// else 0.
pub type LuSolveFn =
    unsafe extern "C" fn(n: usize, k: usize, a: *const c_void, x: *mut c_void) -> c_int;
/// The largest order the small-matrix solve takes (CP_LU_SMALL_MAX in corepy_kernels.h); solve
/// goes to faer above it, whose blocked recursion costs more than a smaller matrix's arithmetic.
pub const LU_SMALL_MAX: usize = 32;
pub type IndexPositionsFn =
    unsafe extern "C" fn(mask: *const c_void, n: usize, base: i64, count: usize, dst: *mut i64);
pub type SortScatterFn = unsafe extern "C" fn(
    keys: *const c_void,
    payload: *const c_void,
    n: usize,
    lo: i64,
    shift: c_int,
    map: *const u16,
    nbuckets: usize,
    offsets: *mut u64,
    dst_keys: *mut c_void,
    dst_payload: *mut c_void,
);
// Reductions, statistics and scans (issue 16): see the header's block for each contract.
pub type RedFn = unsafe extern "C" fn(x: *const c_void, n: usize, out: *mut c_void);
pub type ArgFn = unsafe extern "C" fn(x: *const c_void, n: usize) -> i64;
pub type CountFn = unsafe extern "C" fn(x: *const c_void, n: usize) -> i64;
pub type AccFn = unsafe extern "C" fn(x: *const c_void, n: usize, acc: *mut c_void);
pub type ArgAccFn =
    unsafe extern "C" fn(x: *const c_void, n: usize, j: i64, val: *mut c_void, idx: *mut i64);
pub type ArgMergeFn = unsafe extern "C" fn(
    val_b: *const c_void,
    idx_b: *const i64,
    n: usize,
    val: *mut c_void,
    idx: *mut i64,
);
pub type MomentsFn = unsafe extern "C" fn(x: *const c_void, n: usize, out: *mut f64);
pub type WelfordFn = unsafe extern "C" fn(
    x: *const c_void,
    n: usize,
    inv_k: f64,
    mean: *mut c_void,
    m2: *mut c_void,
);
pub type VarFinishFn = unsafe extern "C" fn(m2: *mut c_void, n: usize, scale: f64, root: c_int);
pub type ScanFn =
    unsafe extern "C" fn(x: *const c_void, n: usize, out: *mut c_void, carry: *mut c_void);

/// `cp_gemm_kernels`: one dtype's GEMM pieces and microkernel tile shape.
#[repr(C)]
pub struct GemmKernels {
    pub mr: usize,
    pub nr: usize,
    pub naive: Option<GemmFn>,
    pub pack_a: Option<GemmPackAFn>,
    pub pack_b: Option<GemmPackBFn>,
    pub ukernel: Option<GemmUkernelFn>,
    pub ukernel_sup: Option<GemmUkernelSupFn>,
    /// The same tiles nr/2 columns wide, for a column edge of at most nr/2 (B rows still nr wide).
    pub ukernel_half: Option<GemmUkernelFn>,
    pub ukernel_sup_half: Option<GemmUkernelSupFn>,
    pub gemv: Option<GemvFn>,
    /// y += columns [c0, c1) of A x, A symmetric with its lower triangle stored column-major.
    pub symv: Option<SymvFn>,
    /// The merge loops of every eigh's divide and conquer (faer's, patched).
    pub secular: Option<SecularFn>,
    pub secular_vector: Option<SecularVectorFn>,
    pub loewner: Option<LoewnerFn>,
}

/// `cp_kernel_table`. Option<fn> is guaranteed to have the layout of a nullable C function pointer.
#[repr(C)]
pub struct KernelTable {
    pub isa: *const c_char,
    pub vector_bytes: usize,
    pub binary: [[[Option<BinaryFn>; NMODES]; NDTYPES]; NBINOPS],
    /// `binary` with non-temporal stores, for outputs too large to stay in cache.
    pub binary_nt: [[[Option<BinaryFn>; NMODES]; NDTYPES]; NBINOPS],
    pub sum: [Option<SumFn>; NDTYPES],
    pub all: [Option<PredicateFn>; NDTYPES],
    pub any: [Option<PredicateFn>; NDTYPES],
    pub all_acc: [Option<AccumulateFn>; NDTYPES],
    pub any_acc: [Option<AccumulateFn>; NDTYPES],
    pub cast: [[Option<CastFn>; NDTYPES]; NDTYPES],
    pub gather: [Option<GatherFn>; NDTYPES],
    pub dot: [Option<DotFn>; 2],
    pub gemm: [Option<GemmFn>; 2],
    pub stream_copy: Option<Stream2Fn>,
    pub stream_scale: Option<Stream2Fn>,
    pub stream_add: Option<Stream3Fn>,
    pub stream_triad: Option<Stream3Fn>,
    pub fma_peak: Option<FmaPeakFn>,
    pub gemmk: [GemmKernels; 2],
    /// Element-wise unary functions (`CP_NEG`..), per input dtype; NULL where the op does not apply.
    pub unary: [[Option<UnaryFn>; NDTYPES]; NUNOPS],
    // Sorting, searching, sets: [NDTYPES] None for complex; [2]: int32 / int64 keys.
    pub sort_keys: [Option<SortKeysFn>; NDTYPES],
    pub sort_values: [Option<SortValuesFn>; NDTYPES],
    pub sort_take: [Option<SortTakeFn>; NDTYPES],
    pub sort: [Option<SortFn>; 2],
    pub sort_partition: [Option<SortPartitionFn>; 2],
    pub sort_indices: [Option<SortIndicesFn>; 2],
    pub sort_search: [Option<SortSearchFn>; 2],
    pub sort_isin: [Option<SortIsinFn>; 2],
    pub sort_unique: [Option<SortUniqueFn>; 2],
    /// matmul for integers (wrapping) and complex (the i-k-j loop); None for bool and floats.
    pub matmul_other: [Option<GemmFn>; NDTYPES],
    // ---- reductions, statistics and scans (issue 16) ----
    pub red_sum: [Option<RedFn>; NDTYPES],
    pub red_prod: [Option<RedFn>; NDTYPES],
    pub red_min: [Option<RedFn>; NDTYPES],
    pub red_max: [Option<RedFn>; NDTYPES],
    pub argmin: [Option<ArgFn>; NDTYPES],
    pub argmax: [Option<ArgFn>; NDTYPES],
    pub count_nonzero: [Option<CountFn>; NDTYPES],
    pub acc_sum: [Option<AccFn>; NDTYPES],
    pub acc_prod: [Option<AccFn>; NDTYPES],
    pub acc_min: [Option<AccFn>; NDTYPES],
    pub acc_max: [Option<AccFn>; NDTYPES],
    pub acc_count: [Option<AccFn>; NDTYPES],
    pub acc_argmin: [Option<ArgAccFn>; NDTYPES],
    pub acc_argmax: [Option<ArgAccFn>; NDTYPES],
    pub cumsum: [Option<ScanFn>; NDTYPES],
    pub cumprod: [Option<ScanFn>; NDTYPES],
    pub moments: [Option<MomentsFn>; 2],
    pub welford: [Option<WelfordFn>; 2],
    pub var_finish: [Option<VarFinishFn>; 2],
    pub arg_merge_min: [Option<ArgMergeFn>; NDTYPES],
    pub arg_merge_max: [Option<ArgMergeFn>; NDTYPES],
    // Vectorised sort: the MSD radix top level of long rows; [2]: int32 / int64 keys.
    pub sort_range: [Option<SortRangeFn>; 2],
    pub sort_hist: [Option<SortHistFn>; 2],
    pub sort_scatter: [Option<SortScatterFn>; 2],
    // Element-wise (issue 15): unary ops with non-temporal stores (large outputs), as `binary_nt`.
    pub unary_nt: [[Option<UnaryFn>; NDTYPES]; NUNOPS],
    // ---- integer-array and boolean-mask indexing (issue 14); [5]: by item size 1..16 bytes ----
    pub index_take: [Option<IndexTakeFn>; 5],
    pub index_compress: [Option<IndexCompressFn>; 5],
    pub index_take_rows: Option<IndexTakeRowsFn>,
    pub index_compress_rows: Option<IndexCompressRowsFn>,
    pub index_count: Option<IndexCountFn>,
    pub index_positions: Option<IndexPositionsFn>,
    /// The small-matrix solve of linalg.solve; None but for the four float dtypes.
    pub lu_solve: [Option<LuSolveFn>; NDTYPES],
}

// SAFETY: the tables are immutable statics in the C++ library, valid for the program's lifetime.
unsafe impl Sync for KernelTable {}

extern "C" {
    pub fn corepy_kernels_scalar() -> *const KernelTable;
    pub fn corepy_kernels_avx2() -> *const KernelTable;
    pub fn corepy_kernels_avx512() -> *const KernelTable;
    pub fn corepy_kernels_table_size() -> usize;
}
