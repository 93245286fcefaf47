//! The loops above the microkernel: BLIS's five-loop packed driver, the unpacked small-matrix
//! path, the gemv path, and the naive and blocked teaching rungs. C++ computes one tile (or packs
//! one panel) per call; every loop, buffer and thread decision is here.

use super::params::{self, Blocking};
use crate::arena::with_arena;
use crate::ffi::{GemmKernels, KernelTable};
use crate::parallel::{self, SendPtr};
use std::ffi::{c_int, c_void};

/// One product C[m x n] = A[m x k] * B[k x n]. A(i, p) is at `a + (i*a_rs + p*a_cs)` elements,
/// B(p, j) at `b + (p*b_rs + j*b_cs)`, C(i, j) at `c + (i*ldc + j)`; strides may describe transposed
/// operands (packing absorbs them). C must not overlap A or B.
#[derive(Debug, Clone, Copy)]
pub struct GemmArgs {
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub a: *const u8,
    pub a_rs: isize,
    pub a_cs: isize,
    pub b: *const u8,
    pub b_rs: isize,
    pub b_cs: isize,
    pub c: *mut u8,
    pub ldc: isize,
    /// Bytes per element (4: float32, 8: float64).
    pub itemsize: usize,
}

// SAFETY: the pointers are only read (A, B) or written in disjoint tiles (C) by parallel tasks;
// `run`'s contract keeps them valid for the whole call.
unsafe impl Send for GemmArgs {}
unsafe impl Sync for GemmArgs {}

impl GemmArgs {
    fn a_at(&self, i: usize, p: usize) -> *const c_void {
        let e = i as isize * self.a_rs + p as isize * self.a_cs;
        self.a.wrapping_offset(e * self.itemsize as isize) as *const c_void
    }
    fn b_at(&self, p: usize, j: usize) -> *const c_void {
        let e = p as isize * self.b_rs + j as isize * self.b_cs;
        self.b.wrapping_offset(e * self.itemsize as isize) as *const c_void
    }
    fn c_at(&self, i: usize, j: usize) -> *mut c_void {
        let e = i as isize * self.ldc + j as isize;
        self.c.wrapping_offset(e * self.itemsize as isize) as *mut c_void
    }
    fn flops(&self) -> usize {
        self.m.saturating_mul(self.n).saturating_mul(self.k)
    }
}

fn kernel<F>(f: Option<F>) -> F {
    f.expect("every kernel table fills every GEMM entry")
}

/// Sets C = 0 (the k == 0 product).
///
/// # Safety
/// `x.c` must be valid for writes of the m x n tile with row stride `ldc`.
pub unsafe fn zero_c(x: &GemmArgs) {
    for i in 0..x.m {
        // SAFETY: row i of C holds n writable elements; all-zero bytes are 0.0 in IEEE floats.
        unsafe { std::ptr::write_bytes(x.c_at(i, 0) as *mut u8, 0, x.n * x.itemsize) };
    }
}

/// Rung "naive": the plain triple loop.
///
/// # Safety
/// `x` describes valid, in-bounds operands (see [`GemmArgs`]).
pub unsafe fn naive(g: &GemmKernels, x: &GemmArgs) {
    let f = kernel(g.naive);
    // SAFETY: forwarded contract.
    unsafe {
        f(
            x.m,
            x.n,
            x.k,
            x.a as *const c_void,
            x.a_rs,
            x.a_cs,
            x.b as *const c_void,
            x.b_rs,
            x.b_cs,
            x.c as *mut c_void,
            x.ldc,
        )
    }
}

/// Rung "blocked": MC x NC blocks of C, each the sum over KC slices of the strided i-k-j kernel's
/// block products (no packing). Later slices go to an arena tile and are added into C.
///
/// # Safety
/// `x` describes valid, in-bounds operands; `dtype` is 0 (f32) or 1 (f64).
pub unsafe fn blocked(t: &KernelTable, dtype: usize, x: &GemmArgs) {
    let gemm = kernel(t.gemm[dtype]);
    let add = kernel(t.binary[0][dtype][0]);
    let Blocking { mc, kc, nc } = params::BLOCKED;
    with_arena(|s| {
        let tmp = s.uninit::<u8>(mc * nc * x.itemsize).as_mut_ptr() as *mut u8;
        for jc in (0..x.n).step_by(nc) {
            let ncb = nc.min(x.n - jc);
            for ic in (0..x.m).step_by(mc) {
                let mcb = mc.min(x.m - ic);
                for pc in (0..x.k).step_by(kc) {
                    let kcb = kc.min(x.k - pc);
                    let first = pc == 0;
                    let (dst, ld) = if first {
                        (x.c_at(ic, jc), x.ldc)
                    } else {
                        (tmp as *mut c_void, ncb as isize)
                    };
                    // SAFETY: the A, B and C blocks are in bounds; tmp holds mc x nc elements.
                    unsafe {
                        gemm(
                            mcb,
                            ncb,
                            kcb,
                            x.a_at(ic, pc),
                            x.a_rs,
                            x.a_cs,
                            x.b_at(pc, jc),
                            x.b_rs,
                            x.b_cs,
                            dst,
                            ld,
                        )
                    };
                    if !first {
                        for i in 0..mcb {
                            let ci = x.c_at(ic + i, jc);
                            let ti = tmp.wrapping_add(i * ncb * x.itemsize) as *const c_void;
                            // SAFETY: row i of the C block and of tmp hold ncb elements; the add
                            // kernel allows out == a.
                            unsafe { add(ci, ti, ci, ncb) };
                        }
                    }
                }
            }
        }
    });
    if x.k == 0 {
        // SAFETY: forwarded contract (the strided kernel was never called).
        unsafe { zero_c(x) };
    }
}

/// Splits `tiles` tiles into at most `parts` contiguous ranges of whole tiles.
fn split(tiles: usize, parts: usize) -> impl Iterator<Item = (usize, usize)> {
    let per = tiles.div_ceil(parts.max(1)).max(1);
    (0..tiles)
        .step_by(per)
        .map(move |t0| (t0, (t0 + per).min(tiles)))
}

/// Rungs "packed", "simd" and the large-matrix part of "auto": the BLIS five-loop driver.
/// `parallel`: pack B and run the ic (or, for short A, the jr) loop across the pool.
///
/// # Safety
/// `x` describes valid, in-bounds operands; `x.itemsize` matches the dtype of `g`.
pub unsafe fn packed(g: &GemmKernels, vector_bytes: usize, x: &GemmArgs, parallel: bool) {
    let blk = params::blocking(vector_bytes, x.itemsize, g.mr, g.nr);
    // SAFETY: forwarded contract.
    unsafe { packed_with(g, blk, x, parallel) }
}

/// [`packed`] with explicit blocking (`mc` a multiple of MR, `nc` of NR).
///
/// # Safety
/// As [`packed`].
pub unsafe fn packed_with(g: &GemmKernels, blk: Blocking, x: &GemmArgs, parallel: bool) {
    if x.m == 0 || x.n == 0 {
        return;
    }
    if x.k == 0 {
        // SAFETY: forwarded contract.
        return unsafe { zero_c(x) };
    }
    let (mr, nr, isz) = (g.mr, g.nr, x.itemsize);
    let (pack_a, pack_b, ukr) = (kernel(g.pack_a), kernel(g.pack_b), kernel(g.ukernel));
    let nt = if parallel { parallel::num_threads() } else { 1 };
    with_arena(|s| {
        let kc_max = blk.kc.min(x.k);
        let nc_max = blk.nc.min(x.n.next_multiple_of(nr));
        let bp = SendPtr(s.uninit::<u8>(nc_max * kc_max * isz).as_mut_ptr() as *mut u8);
        // Serial runs reuse one A buffer for every block; parallel tasks take their own thread's.
        let mc_max = blk.mc.min(x.m.next_multiple_of(mr));
        let ap_serial = (nt == 1)
            .then(|| SendPtr(s.uninit::<u8>(mc_max * kc_max * isz).as_mut_ptr() as *mut u8));
        for jc in (0..x.n).step_by(blk.nc) {
            let nc = blk.nc.min(x.n - jc);
            let n_tiles = nc.div_ceil(nr);
            for pc in (0..x.k).step_by(blk.kc) {
                let kc = blk.kc.min(x.k - pc);
                let accumulate = c_int::from(pc > 0);
                // Pack the KC x NC panel of B, split by micro-panels across the pool.
                let groups: Vec<_> = split(n_tiles, nt).collect();
                parallel::map_tasks(groups.len(), parallel, |t| {
                    let (t0, t1) = groups[t];
                    let (j0, j1) = (t0 * nr, (t1 * nr).min(nc));
                    // SAFETY: the B block is in bounds; bp holds nc_max x kc_max elements and
                    // group t writes only its own micro-panels.
                    unsafe {
                        pack_b(
                            kc,
                            j1 - j0,
                            x.b_at(pc, jc + j0),
                            x.b_rs,
                            x.b_cs,
                            bp.get().add(j0 * kc * isz) as *mut c_void,
                        )
                    }
                });
                // Row split when A has enough tiles for every thread, else a column split.
                let m_tiles = x.m.div_ceil(mr);
                let by_rows = nt == 1 || m_tiles >= 2 * nt || m_tiles >= n_tiles;
                let ranges: Vec<_> = if by_rows {
                    split(m_tiles, nt).collect()
                } else {
                    split(n_tiles, nt).collect()
                };
                parallel::map_tasks(ranges.len(), parallel, |t| {
                    let (t0, t1) = ranges[t];
                    let (rows, cols) = if by_rows {
                        ((t0 * mr, (t1 * mr).min(x.m)), (0, nc))
                    } else {
                        ((0, x.m), (t0 * nr, (t1 * nr).min(nc)))
                    };
                    let block = |ap: *mut u8| {
                        for ic in (rows.0..rows.1).step_by(blk.mc) {
                            let mc = blk.mc.min(rows.1 - ic);
                            // SAFETY: the A block is in bounds; ap holds mc_max x kc elements.
                            unsafe {
                                pack_a(mc, kc, x.a_at(ic, pc), x.a_rs, x.a_cs, ap as *mut c_void)
                            };
                            for jr in (cols.0..cols.1).step_by(nr) {
                                let n_eff = nr.min(nc - jr);
                                let b_panel = bp.get().wrapping_add(jr * kc * isz) as *const c_void;
                                for ir in (0..mc).step_by(mr) {
                                    let m_eff = mr.min(mc - ir);
                                    let a_panel = ap.wrapping_add(ir * kc * isz) as *const c_void;
                                    // SAFETY: both micro-panels are packed and zero-padded to
                                    // MR/NR; the m_eff x n_eff C tile is in bounds and owned by
                                    // this task (disjoint rows or columns per task).
                                    unsafe {
                                        ukr(
                                            kc,
                                            a_panel,
                                            b_panel,
                                            x.c_at(ic + ir, jc + jr),
                                            x.ldc,
                                            m_eff,
                                            n_eff,
                                            accumulate,
                                        )
                                    };
                                }
                            }
                        }
                    };
                    match ap_serial {
                        Some(ap) => block(ap.get()),
                        None => with_arena(|s| {
                            block(s.uninit::<u8>(mc_max * kc_max * isz).as_mut_ptr() as *mut u8)
                        }),
                    }
                });
            }
        }
    });
}

/// True when the small-matrix path (no packing of A) should take this product.
pub fn is_small(x: &GemmArgs) -> bool {
    x.m <= params::SMALL_DIM
        && x.n <= params::SMALL_DIM
        && x.k <= params::SMALL_DIM
        && x.flops() <= params::SMALL_FLOPS
}

/// Small-matrix path: the microkernel reads A in place through its strides and B rows in place
/// when they are contiguous (b_cs == 1); only partial edge panels (and B when transposed) are
/// packed. Row ranges of tiles run across the pool when `parallel`.
///
/// # Safety
/// `x` describes valid, in-bounds operands; `x.itemsize` matches the dtype of `g`.
pub unsafe fn small(g: &GemmKernels, x: &GemmArgs, parallel: bool) {
    if x.m == 0 || x.n == 0 {
        return;
    }
    if x.k == 0 {
        // SAFETY: forwarded contract.
        return unsafe { zero_c(x) };
    }
    let (mr, nr, isz, k) = (g.mr, g.nr, x.itemsize, x.k);
    let (pack_a, pack_b, ukr) = (kernel(g.pack_a), kernel(g.pack_b), kernel(g.ukernel_sup));
    let n_tiles = x.n.div_ceil(nr);
    let n_full = x.n / nr * nr;
    with_arena(|s| {
        // Packed B micro-panels: all of B when its rows are not contiguous, else only the edge.
        let in_place = x.b_cs == 1;
        let first = if in_place { n_full } else { 0 };
        let bp = if first < x.n {
            let buf = s
                .uninit::<u8>((x.n - first).next_multiple_of(nr) * k * isz)
                .as_mut_ptr() as *mut u8;
            // SAFETY: the B columns from `first` are in bounds; buf holds their padded panels.
            unsafe {
                pack_b(
                    k,
                    x.n - first,
                    x.b_at(0, first),
                    x.b_rs,
                    x.b_cs,
                    buf as *mut c_void,
                )
            };
            SendPtr(buf)
        } else {
            SendPtr(std::ptr::null_mut())
        };
        let m_tiles = x.m.div_ceil(mr);
        let nt = if parallel { parallel::num_threads() } else { 1 };
        let ranges: Vec<_> = split(m_tiles, nt).collect();
        parallel::for_tasks_inline(ranges.len(), parallel, |t| {
            let (t0, t1) = ranges[t];
            with_arena(|s| {
                // The partial last row tile reads MR rows: pack it (zero-padded) in this task.
                let last = (t1 * mr).min(x.m);
                let edge = if last % mr != 0 {
                    let buf = s.uninit::<u8>(mr * k * isz).as_mut_ptr() as *mut u8;
                    let i0 = last / mr * mr;
                    // SAFETY: rows i0..m of A are in bounds; buf holds one padded micro-panel.
                    unsafe {
                        pack_a(
                            x.m - i0,
                            k,
                            x.a_at(i0, 0),
                            x.a_rs,
                            x.a_cs,
                            buf as *mut c_void,
                        )
                    };
                    buf
                } else {
                    std::ptr::null_mut()
                };
                for jt in 0..n_tiles {
                    let j = jt * nr;
                    let n_eff = nr.min(x.n - j);
                    let (b_ptr, b_rs) = if j >= first {
                        (
                            bp.get().wrapping_add((j - first) * k * isz) as *const c_void,
                            nr as isize,
                        )
                    } else {
                        (x.b_at(0, j), x.b_rs)
                    };
                    for it in t0..t1 {
                        let i = it * mr;
                        let m_eff = mr.min(x.m - i);
                        let (a_ptr, a_rs, a_cs) = if m_eff < mr {
                            (edge as *const c_void, 1, mr as isize)
                        } else {
                            (x.a_at(i, 0), x.a_rs, x.a_cs)
                        };
                        // SAFETY: all MR rows and NR columns read are in bounds (edges packed
                        // and padded); the m_eff x n_eff C tile is in bounds and owned by this
                        // task's rows.
                        unsafe {
                            ukr(
                                k,
                                a_ptr,
                                a_rs,
                                a_cs,
                                b_ptr,
                                b_rs,
                                x.c_at(i, j),
                                x.ldc,
                                m_eff,
                                n_eff,
                                0,
                            )
                        };
                    }
                }
            })
        });
    });
}

/// True when the gemv path can take this product: a single row of C, or a single contiguous
/// column.
pub fn is_gemv(x: &GemmArgs) -> bool {
    x.m == 1 || (x.n == 1 && x.ldc == 1)
}

/// Matrix-vector path (m == 1 or n == 1): bandwidth bound, so no packing; output rows split across
/// the pool when `parallel` and the matrix is large.
///
/// # Safety
/// `x` describes valid, in-bounds operands with [`is_gemv`] true.
pub unsafe fn gemv(g: &GemmKernels, x: &GemmArgs, parallel: bool) {
    let f = kernel(g.gemv);
    // y = M * v: for n == 1, M = A and v = column 0 of B; for m == 1, M = B^T and v = row 0 of A.
    let (rows, mat, rs, cs, v, incv) = if x.n == 1 && x.ldc == 1 {
        (x.m, x.a, x.a_rs, x.a_cs, x.b, x.b_rs)
    } else {
        (x.n, x.b, x.b_cs, x.b_rs, x.a, x.a_cs)
    };
    if rows == 0 {
        return;
    }
    let isz = x.itemsize as isize;
    let par = parallel
        && parallel::should_parallelize(rows.saturating_mul(x.k), parallel::threshold("dot"));
    let nt = if par { parallel::num_threads() } else { 1 };
    let chunks: Vec<_> = split(rows.div_ceil(16), nt).collect();
    let (mat, v) = (SendPtr(mat as *mut u8), SendPtr(v as *mut u8));
    parallel::map_tasks(chunks.len(), par, |t| {
        let (r0, r1) = (chunks[t].0 * 16, (chunks[t].1 * 16).min(rows));
        // SAFETY: rows r0..r1 of M, the k values of v and y[r0..r1] (contiguous output) are in
        // bounds; tasks write disjoint parts of y.
        unsafe {
            f(
                r1 - r0,
                x.k,
                mat.get().wrapping_offset(r0 as isize * rs * isz) as *const c_void,
                rs,
                cs,
                v.get() as *const c_void,
                incv,
                x.c.wrapping_add(r0 * x.itemsize) as *mut c_void,
            )
        }
    });
}
