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
    let (pack_a, pack_b) = (kernel(g.pack_a), kernel(g.pack_b));
    // A column edge of at most NR/2 takes the half-width tile: the full one would spend half its
    // FMAs on the zero padding.
    let (ukr, ukr_half) = (kernel(g.ukernel), kernel(g.ukernel_half));
    let nt = if parallel { parallel::num_threads() } else { 1 };
    // Work units of the ic loop for the pool: row chunks, or column chunks when A is short. Each
    // unit packs its own A rows and sweeps its columns of the shared B panel. Row chunks shrink
    // as the rows run out (guided scheduling: remaining / (2 x threads), between 2 x MR and MC),
    // so the last unit is short and no thread idles long at the end of a pc step.
    let m_tiles = x.m.div_ceil(mr);
    let by_rows = nt == 1 || m_tiles >= 2 * nt;
    let mut row_units = Vec::new();
    let mut i = 0;
    while i < x.m {
        let rows = if nt == 1 {
            blk.mc
        } else {
            (x.m - i)
                .div_ceil(2 * nt)
                .next_multiple_of(mr)
                .max(2 * mr)
                .min(blk.mc)
        };
        row_units.push((i, (i + rows).min(x.m)));
        i += rows;
    }
    with_arena(|s| {
        let kc_max = blk.kc.min(x.k);
        let nc_max = blk.nc.min(x.n.next_multiple_of(nr));
        let bp = SendPtr(s.uninit::<u8>(nc_max * kc_max * isz).as_mut_ptr() as *mut u8);
        // One A buffer per participant, reused for every block and every pc step.
        let mc_max = blk.mc.min(x.m.next_multiple_of(mr));
        let a_len = mc_max * kc_max * isz;
        let aps: Vec<SendPtr> = (0..nt)
            .map(|_| SendPtr(s.uninit::<u8>(a_len).as_mut_ptr() as *mut u8))
            .collect();
        'blocks: for jc in (0..x.n).step_by(blk.nc) {
            let nc = blk.nc.min(x.n - jc);
            let n_tiles = nc.div_ceil(nr);
            // (rows, columns) of each work unit, columns relative to jc.
            let units: Vec<((usize, usize), (usize, usize))> = if by_rows {
                row_units.iter().map(|&rows| (rows, (0, nc))).collect()
            } else {
                split(n_tiles, 3 * nt)
                    .map(|(t0, t1)| ((0, x.m), (t0 * nr, (t1 * nr).min(nc))))
                    .collect()
            };
            let groups: Vec<_> = split(n_tiles, 2 * nt).collect();
            for pc in (0..x.k).step_by(blk.kc) {
                // Ctrl-C: stop between KC x NC blocks (on the calling thread; a no-op elsewhere).
                if crate::interrupt::should_stop() {
                    break 'blocks;
                }
                let kc = blk.kc.min(x.k - pc);
                let accumulate = c_int::from(pc > 0);
                // Pack the KC x NC panel of B, groups of micro-panels shared across the pool.
                parallel::share_tasks(groups.len(), parallel, |_, next| {
                    while let Some(t) = next() {
                        let (t0, t1) = groups[t];
                        let (j0, j1) = (t0 * nr, (t1 * nr).min(nc));
                        // SAFETY: the B block is in bounds; bp holds nc_max x kc_max elements
                        // and group t writes only its own micro-panels.
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
                    }
                });
                let run_unit = |ap: *mut u8, (rows, cols): ((usize, usize), (usize, usize))| {
                    for ic in (rows.0..rows.1).step_by(blk.mc) {
                        let mc = blk.mc.min(rows.1 - ic);
                        // SAFETY: the A block is in bounds; ap holds mc_max x kc elements.
                        unsafe {
                            pack_a(mc, kc, x.a_at(ic, pc), x.a_rs, x.a_cs, ap as *mut c_void)
                        };
                        for jr in (cols.0..cols.1).step_by(nr) {
                            let n_eff = nr.min(nc - jr);
                            let b_panel = bp.get().wrapping_add(jr * kc * isz) as *const c_void;
                            let ukr = if 2 * n_eff <= nr { ukr_half } else { ukr };
                            for ir in (0..mc).step_by(mr) {
                                let m_eff = mr.min(mc - ir);
                                let a_panel = ap.wrapping_add(ir * kc * isz) as *const c_void;
                                // SAFETY: both micro-panels are packed and zero-padded to
                                // MR/NR; the m_eff x n_eff C tile is in bounds and owned by
                                // this unit (units cover disjoint rows or columns).
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
                parallel::share_tasks(units.len(), parallel, |who, next| {
                    let work = |ap: *mut u8| {
                        while let Some(t) = next() {
                            run_unit(ap, units[t]);
                        }
                    };
                    match aps.get(who) {
                        Some(ap) => work(ap.get()),
                        // The thread count changed under us: this helper takes its own buffer.
                        None => with_arena(|s| work(s.uninit::<u8>(a_len).as_mut_ptr() as *mut u8)),
                    }
                });
            }
        }
    });
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// True when the small-matrix path (no packing of A) should take this product.
pub fn is_small(x: &GemmArgs) -> bool {
    x.m <= params::SMALL_DIM
        && x.n <= params::SMALL_DIM
        && x.k <= params::SMALL_DIM
        && x.flops() <= params::SMALL_FLOPS
}

/// Small-matrix path: A is read in place by the microkernel through its strides (only a partial
/// last row tile is packed); B is packed per column range, so power-of-two row strides cannot
/// thrash L1 and transposed B needs no special case. Tasks split the columns (each packs only its
/// own B panels, no barrier), or the rows when B has fewer tile columns than threads.
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
    let (pack_a, pack_b) = (kernel(g.pack_a), kernel(g.pack_b));
    let (ukr_full, ukr_half) = (kernel(g.ukernel_sup), kernel(g.ukernel_sup_half));
    let (m_tiles, n_tiles) = (x.m.div_ceil(mr), x.n.div_ceil(nr));
    // Work units: one column tile by a range of row tiles, in column order so that consecutive
    // units on one thread reuse the B panel they packed. As few as give every thread the same
    // count: each unit a thread takes costs it a contended claim and often a B panel to pack,
    // which at n = 64 outweighed balancing a helper that joins ~0.25 us late.
    let nt = if parallel { parallel::num_threads() } else { 1 };
    // Unit t is column tile t / parts by row-tile range t % parts (no list: this path runs in
    // well under a microsecond for the smallest products, where an allocation shows).
    let row_parts = (nt / gcd(n_tiles, nt)).min(m_tiles);
    let per = m_tiles.div_ceil(row_parts);
    let parts = m_tiles.div_ceil(per);
    let unit = |t: usize| {
        let (jt, r) = (t / parts, t % parts);
        ((r * per, ((r + 1) * per).min(m_tiles)), jt)
    };
    parallel::share_tasks(n_tiles * parts, parallel, |_, next| {
        with_arena(|s| {
            let bp = s.uninit::<u8>(nr * k * isz).as_mut_ptr() as *mut u8;
            let edge = s.uninit::<u8>(mr * k * isz).as_mut_ptr() as *mut u8;
            let mut edge_packed = false;
            let mut packed_cols = usize::MAX;
            while let Some(t) = next() {
                let ((it0, it1), jt) = unit(t);
                {
                    let j = jt * nr;
                    let n_eff = nr.min(x.n - j);
                    // A column edge of at most NR/2: the half-width tile (see `packed`).
                    let ukr = if 2 * n_eff <= nr { ukr_half } else { ukr_full };
                    if packed_cols != jt {
                        // SAFETY: B columns j..j+n_eff are in bounds; bp holds one padded
                        // micro-panel of k x NR.
                        unsafe {
                            pack_b(k, n_eff, x.b_at(0, j), x.b_rs, x.b_cs, bp as *mut c_void)
                        };
                        packed_cols = jt;
                    }
                    for it in it0..it1 {
                        let i = it * mr;
                        let m_eff = mr.min(x.m - i);
                        let (a_ptr, a_rs, a_cs) = if m_eff < mr {
                            // The partial last row tile would read past A's last row: pack it
                            // once, zero-padded.
                            if !edge_packed {
                                // SAFETY: rows i..m of A are in bounds; edge holds one padded
                                // micro-panel.
                                unsafe {
                                    pack_a(
                                        m_eff,
                                        k,
                                        x.a_at(i, 0),
                                        x.a_rs,
                                        x.a_cs,
                                        edge as *mut c_void,
                                    )
                                };
                                edge_packed = true;
                            }
                            (edge as *const c_void, 1, mr as isize)
                        } else {
                            (x.a_at(i, 0), x.a_rs, x.a_cs)
                        };
                        // SAFETY: all MR rows of A read are in bounds (the partial tile is
                        // packed and padded), the B panel is packed and padded to NR; the
                        // m_eff x n_eff C tile is in bounds and owned by this unit.
                        unsafe {
                            ukr(
                                k,
                                a_ptr,
                                a_rs,
                                a_cs,
                                bp as *const c_void,
                                nr as isize,
                                x.c_at(i, j),
                                x.ldc,
                                m_eff,
                                n_eff,
                                0,
                            )
                        };
                    }
                }
            }
        })
    });
}

/// True when the gemv path can take this product: a single row of C, or a single contiguous
/// column.
pub fn is_gemv(x: &GemmArgs) -> bool {
    x.m == 1 || (x.n == 1 && x.ldc == 1)
}

/// Matrix-vector path (m == 1 or n == 1): bandwidth bound, so no packing.
///
/// y = M * v. When M's rows are contiguous, tasks split the rows of y. When its columns are
/// (NumPy's `a.T @ v` and `v @ a`), splitting rows would make every task read a short piece of
/// every column; instead tasks take blocks of whole columns, each writing a partial y to the arena,
/// and the partials are added in block order. Blocks depend only on the shape, so the answer does
/// not depend on the thread count.
///
/// # Safety
/// `x` describes valid, in-bounds operands with [`is_gemv`] true; `dtype` is 0 (f32) or 1 (f64).
pub unsafe fn gemv(t: &KernelTable, dtype: usize, x: &GemmArgs, parallel: bool) {
    let f = kernel(t.gemmk[dtype].gemv);
    // Sums the column-block partials (dtype 0/1 is also the float's code in the binary table).
    let add = kernel(t.binary[0][dtype][0]);
    // y = M * v: for n == 1, M = A and v = column 0 of B; for m == 1, M = B^T and v = row 0 of A.
    let (rows, mat, rs, cs, v, incv) = if x.n == 1 && x.ldc == 1 {
        (x.m, x.a, x.a_rs, x.a_cs, x.b, x.b_rs)
    } else {
        (x.n, x.b, x.b_cs, x.b_rs, x.a, x.a_cs)
    };
    if rows == 0 {
        return;
    }
    let (isz, k) = (x.itemsize, x.k);
    let par = parallel
        && parallel::should_parallelize(
            rows.saturating_mul(k),
            parallel::threshold(parallel::Family::Dot),
        );
    let (mat, v, y) = (SendPtr(mat as *mut u8), SendPtr(v as *mut u8), SendPtr(x.c));
    // Column blocks: about 8 per product, 64..512 columns each (a block of a 4096-row float32
    // matrix is 8 MiB at most); their partials must fit the arena.
    let kb = k.div_ceil(8).next_multiple_of(16).clamp(64, 512);
    let blocks = k.div_ceil(kb);
    let partial_bytes = rows.saturating_mul(blocks).saturating_mul(isz);
    if rs == 1 && cs != 1 && blocks > 1 && partial_bytes <= crate::arena::arena_size() {
        with_arena(|s| {
            let part = SendPtr(s.uninit::<u8>(partial_bytes).as_mut_ptr() as *mut u8);
            let at = |b: usize| part.get().wrapping_add(b * rows * isz);
            parallel::share_tasks(blocks, par, |_, next| {
                while let Some(b) = next() {
                    let p0 = b * kb;
                    // SAFETY: columns p0..p0+len of M and those values of v are in bounds;
                    // partial b holds `rows` elements and only this task writes it.
                    unsafe {
                        f(
                            rows,
                            kb.min(k - p0),
                            mat.get().wrapping_offset(p0 as isize * cs * isz as isize)
                                as *const c_void,
                            rs,
                            cs,
                            v.get().wrapping_offset(p0 as isize * incv * isz as isize)
                                as *const c_void,
                            incv,
                            at(b) as *mut c_void,
                        )
                    }
                }
            });
            // SAFETY: y holds `rows` elements (contiguous); every partial was written above. The
            // add kernel allows out == a.
            unsafe {
                std::ptr::copy_nonoverlapping(at(0), y.get(), rows * isz);
                for b in 1..blocks {
                    let yv = y.get() as *mut c_void;
                    add(yv, at(b) as *const c_void, yv, rows);
                }
            }
        });
        return;
    }
    let nt = if par { parallel::num_threads() } else { 1 };
    let chunks: Vec<_> = split(rows.div_ceil(16), 4 * nt).collect();
    parallel::share_tasks(chunks.len(), par, |_, next| {
        while let Some(t) = next() {
            let (r0, r1) = (chunks[t].0 * 16, (chunks[t].1 * 16).min(rows));
            // SAFETY: rows r0..r1 of M, the k values of v and y[r0..r1] (contiguous output) are in
            // bounds; tasks write disjoint parts of y.
            unsafe {
                f(
                    r1 - r0,
                    k,
                    mat.get().wrapping_offset(r0 as isize * rs * isz as isize) as *const c_void,
                    rs,
                    cs,
                    v.get() as *const c_void,
                    incv,
                    y.get().wrapping_add(r0 * isz) as *mut c_void,
                )
            }
        }
    });
}
