//! The real symmetric eigendecomposition behind `corepy.linalg.eigh` / `eigvalsh` for float32 and
//! float64: corepy's own reduction to tridiagonal form, then for eigh faer's tridiagonal solver
//! (divide and conquer) and faer's blocked back-transformation (one part of the columns per
//! thread), for eigvalsh corepy's root-free QL iteration.
//!
//! faer's reduction applies each column's rank-2 update to the whole trailing matrix at once, so
//! every column reads and writes it. This one is LAPACK's blocked scheme (sytrd/latrd, lower
//! triangle): a panel of `NB` columns is reduced reading the trailing matrix once per column (one
//! symmetric matrix-vector product, the C++ `symv` kernel, split over the pool's threads), with
//! the panel's earlier columns applied as thin corrections; the trailing matrix is then updated
//! once per panel by a rank-2NB product (faer's triangular matmul). Half the flops become
//! matrix-matrix work and the other half read the lower triangle without writing it.
//!
//! The result has faer's layout (`tridiag_in_place`): the diagonal and subdiagonal in place, the
//! Householder vectors' essential parts below the subdiagonal, their block factors in `h`; so
//! faer's back-transformation applies it unchanged.

use crate::dtype::DType;
use crate::ffi::SymvFn;
use crate::kernels::linalg_ext::{self, want_vectors};
use crate::parallel::{self, SendPtr};
use faer::diag::{Diag, DiagMut};
use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::linalg::matmul::triangular::BlockStructure;
use faer::linalg::matmul::{self, triangular};
use faer::linalg::{evd, householder, temp_mat_scratch, temp_mat_zeroed};
use faer::mat::AsMatMut;
use faer::prelude::{Reborrow, ReborrowMut};
use faer::{Accum, ColMut, ColRef, Conj, Mat, MatMut, MatRef, Par};
use rayon::prelude::*;
use std::ffi::c_void;
use std::ops::{Add, AddAssign, MulAssign, Neg};

/// float32 and float64, with their dtype (whose `float_index` picks the kernel table's `symv`).
pub trait Real:
    faer::traits::RealField
    + linalg_ext::Elem
    + Add<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + MulAssign
    + From<f32>
{
    const DTYPE: DType;
    fn to_f64(self) -> f64;
    fn of_f64(v: f64) -> Self;
}
impl Real for f32 {
    const DTYPE: DType = DType::F32;
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn of_f64(v: f64) -> Self {
        v as f32
    }
}
impl Real for f64 {
    const DTYPE: DType = DType::F64;
    fn to_f64(self) -> f64 {
        self
    }
    fn of_f64(v: f64) -> Self {
        v
    }
}

/// Panel width: the rank of each trailing update is twice this. The panel's thin corrections
/// read V and W (m x NB) at every column, so their traffic grows with NB; 16 measured best
/// from 256 to 1024 (32, 24 and 8 tried).
const NB: usize = 16;
/// Below this many remaining columns, one last panel reduces them all (no trailing update).
const NX: usize = 2 * NB;
/// Lower-triangle elements per symv task; the split depends only on the order, so the result
/// has the same bits for any thread count.
const SYMV_TASK: usize = 64 * 1024;
const SYMV_MAX_TASKS: usize = 8;
/// Order below which the reduction runs on one thread: there the per-column hand-offs cost more
/// than a second thread gives back, above all when the two threads are one core's hyperthreads
/// (measured both ways on each side).
const SEQ_REDUCTION_BELOW: usize = 640;
/// Order at which faer's divide and conquer solves a block by implicit QR instead of splitting
/// it (faer's default 128; LAPACK's 25): with corepy's merge kernels a split is the cheaper.
const DC_LEAF: usize = 64;

/// faer's parameters for the tridiagonal eigensolver (its workspace depends on them too).
fn evd_params<T: Real>() -> evd::SelfAdjointEvdParams {
    evd::SelfAdjointEvdParams {
        recursion_threshold: DC_LEAF,
        secular: secular_hooks(),
        ..faer::auto!(T)
    }
}

/// The current table's kernels for the merge loops of faer's tridiagonal divide and conquer
/// (every eigh with vectors, real or complex, goes through it).
pub fn secular_hooks() -> evd::SecularHooks {
    let kernels = |d: usize| {
        let g = &crate::dispatch::kernels().gemmk[d];
        Some(evd::SecularKernels {
            eval: g.secular?,
            vector: g.secular_vector?,
            loewner: g.loewner?,
        })
    };
    evd::SecularHooks {
        f32: kernels(0),
        f64: kernels(1),
    }
}

/// Workspace of [`self_adjoint_evd`].
pub fn self_adjoint_evd_scratch<T: Real>(n: usize, vectors: bool, par: Par) -> StackReq {
    // faer's requirement covers the copy, the block factors, the tridiagonal solver and the
    // back-transformation (and its own reduction's scratch, unused here); the solver's copies of
    // the diagonal and subdiagonal come on top, so as not to rely on that slack.
    StackReq::all_of(&[
        evd::self_adjoint_evd_scratch::<T>(n, want_vectors(vectors), par, evd_params::<T>().into()),
        temp_mat_scratch::<T>(n, 2),
    ])
}

/// Eigenvalues (ascending) of the symmetric matrix whose lower triangle is `a`, and, with `u`,
/// its eigenvectors as the columns of `u`. `symv` is the kernel table's entry for `T`.
pub fn self_adjoint_evd<T: Real>(
    a: MatRef<'_, T>,
    s: DiagMut<'_, T>,
    u: Option<MatMut<'_, T>>,
    par: Par,
    stack: &mut MemStack,
    symv: SymvFn,
) -> Result<(), evd::EvdError> {
    let n = a.nrows();
    if n == 0 {
        return Ok(());
    }
    let (mut trid, stack) = temp_mat_zeroed::<T, _, _>(n, n, stack);
    let mut trid = trid.as_mat_mut();
    trid.copy_from_triangular_lower(a);
    let sigma = linalg_ext::range_scale::<T>(trid.rb(), true);
    if sigma != 1.0 {
        let t = T::of_f64(sigma);
        for j in 0..n {
            for i in j..n {
                trid[(i, j)] *= t;
            }
        }
    }
    // The reflectors' block factors serve only the back-transformation of the eigenvectors.
    let bs = match u {
        Some(_) => faer::linalg::qr::no_pivoting::factor::recommended_block_size::<T>(n, n),
        None => 0,
    };
    let (mut h, stack) = temp_mat_zeroed::<T, _, _>(bs, n - 1, stack);
    let mut h = h.as_mat_mut();
    let reduction_par = if n < SEQ_REDUCTION_BELOW {
        Par::Seq
    } else {
        par
    };
    tridiagonalize(trid.rb_mut(), h.rb_mut(), reduction_par, symv);
    let Some(mut u) = u else {
        // Eigenvalues only: the root-free QL iteration below, in float64.
        let mut d: Vec<f64> = (0..n).map(|i| trid[(i, i)].to_f64()).collect();
        let e: Vec<f64> = (0..n - 1).map(|i| trid[(i + 1, i)].to_f64()).collect();
        eigenvalues_root_free(&mut d, &e)?;
        let mut s = s;
        for (i, v) in d.into_iter().enumerate() {
            s[i] = T::of_f64(v / sigma);
        }
        return Ok(());
    };
    let (mut diag, mut sub) = (Diag::<T>::zeros(n), Diag::<T>::zeros(n));
    for i in 0..n {
        diag[i] = trid[(i, i)];
        if i + 1 < n {
            sub[i] = trid[(i + 1, i)];
        }
    }
    let mut s = s;
    evd::tridiagonal_self_adjoint_evd(
        diag.as_ref(),
        sub.as_ref(),
        s.rb_mut(),
        Some(u.rb_mut()),
        par,
        stack,
        evd_params::<T>().into(),
    )?;
    if sigma != 1.0 {
        let t = T::of_f64(1.0 / sigma);
        for i in 0..n {
            s[i] *= t;
        }
    }
    if n > 1 {
        let basis = trid.rb().submatrix(1, 0, n - 1, n - 1);
        let h = h.rb();
        let apply = |u: MatMut<'_, T>, par: Par, stack: &mut MemStack| {
            householder::apply_block_householder_sequence_on_the_left_in_place_with_conj(
                basis,
                h,
                Conj::No,
                u,
                par,
                stack,
            );
        };
        let u = u.subrows_mut(1, n - 1);
        // One part of U's columns per thread, each through the whole sequence on its own: one
        // hand-off in all, where faer's parallel apply hands off per block.
        let parts = par.degree().min(n / 32).max(1);
        if parts < 2 {
            apply(u, Par::Seq, stack);
        } else {
            let width = n.div_ceil(parts);
            let req = householder::apply_block_householder_sequence_on_the_left_in_place_scratch::<T>(
                n - 1,
                h.nrows(),
                width,
            );
            let mut cols: Vec<MatMut<'_, T>> = Vec::with_capacity(parts);
            let mut rest = u;
            while rest.ncols() > width {
                let (part, tail) = rest.split_at_col_mut(width);
                cols.push(part);
                rest = tail;
            }
            cols.push(rest);
            parallel::install(|| {
                cols.into_par_iter().for_each(|part| {
                    let mut mem = MemBuffer::new(req);
                    apply(part, Par::Seq, MemStack::new(&mut mem));
                })
            });
        }
    }
    Ok(())
}

/// The eigenvalues (ascending, into `d`) of the symmetric tridiagonal matrix with diagonal `d`
/// and subdiagonal `e`: the implicit QL iteration in Pal, Walker and Kahan's root-free form, as
/// LAPACK's sterf, on the squared subdiagonal. Each step costs one division and no square root,
/// where faer's QR (kept for eigenvectors) builds a Givens rotation with a square root and a
/// reciprocal. The matrix is scaled to largest magnitude 1 first, so the squares neither overflow
/// nor lose a scale that matters: a subdiagonal entry whose square underflows is negligible
/// against any diagonal entry it could perturb, to float64 precision of the norm.
fn eigenvalues_root_free(d: &mut [f64], e: &[f64]) -> Result<(), evd::EvdError> {
    let n = d.len();
    // As faer's solver (and so eigh): no eigenvalues of a matrix with an inf or NaN.
    if d.iter().chain(e).any(|v| !v.is_finite()) {
        return Err(evd::EvdError::NoConvergence);
    }
    let scale = d.iter().chain(e).fold(0.0f64, |m, v| m.max(v.abs()));
    if n < 2 || scale == 0.0 {
        return Ok(());
    }
    let inv = 1.0 / scale;
    d.iter_mut().for_each(|v| *v *= inv);
    let mut e2: Vec<f64> = e.iter().map(|v| (v * inv) * (v * inv)).collect();
    let eps2 = f64::EPSILON * f64::EPSILON;
    let max_iter = 30 * n;
    let mut iters = 0;
    let mut l = 0;
    while l < n {
        // The unreduced block starting at l ends at the first negligible e2[m].
        let mut m = l;
        while m + 1 < n {
            if e2[m] <= eps2 * (d[m] * d[m + 1]).abs() {
                e2[m] = 0.0;
                break;
            }
            m += 1;
        }
        if m == l {
            l += 1;
            continue;
        }
        if m == l + 1 {
            let (r1, r2) = eig_2x2(d[l], e2[l].sqrt(), d[l + 1]);
            d[l] = r1;
            d[l + 1] = r2;
            e2[l] = 0.0;
            l += 2;
            continue;
        }
        if iters == max_iter {
            return Err(evd::EvdError::NoConvergence);
        }
        iters += 1;
        // Shift: the eigenvalue of the leading 2 x 2 block nearer d[l].
        let rte = e2[l].sqrt();
        let sigma0 = (d[l + 1] - d[l]) / (2.0 * rte);
        let r = sigma0.hypot(1.0);
        let sigma = d[l] - rte / (sigma0 + r.copysign(sigma0));
        // One QL sweep from m up to l, carrying gamma = c (d - sigma) - s gamma and p = gamma^2
        // / c (the squared rotation parts c = p / (p + e2), s = e2 / (p + e2)).
        let (mut c, mut s) = (1.0f64, 0.0f64);
        let mut gamma = d[m] - sigma;
        let mut p = gamma * gamma;
        for i in (l..m).rev() {
            let bb = e2[i];
            let r = p + bb;
            if i + 1 != m {
                e2[i + 1] = s * r;
            }
            let old_c = c;
            c = p / r;
            s = bb / r;
            let old_gamma = gamma;
            let alpha = d[i];
            gamma = c * (alpha - sigma) - s * old_gamma;
            d[i + 1] = old_gamma + (alpha - gamma);
            p = if c != 0.0 {
                gamma * gamma / c
            } else {
                old_c * bb
            };
        }
        e2[l] = s * p;
        d[l] = sigma + gamma;
    }
    d.iter_mut().for_each(|v| *v *= scale);
    d.sort_by(f64::total_cmp);
    Ok(())
}

/// The eigenvalues of [[a, b], [b, c]], the larger in magnitude first (LAPACK's lae2).
fn eig_2x2(a: f64, b: f64, c: f64) -> (f64, f64) {
    let (sm, df) = (a + c, a - c);
    let (adf, ab) = (df.abs(), (b + b).abs());
    let (acmx, acmn) = if a.abs() > c.abs() { (a, c) } else { (c, a) };
    let rt = if adf > ab {
        adf * (1.0 + (ab / adf) * (ab / adf)).sqrt()
    } else if adf < ab {
        ab * (1.0 + (adf / ab) * (adf / ab)).sqrt()
    } else {
        ab * std::f64::consts::SQRT_2
    };
    if sm == 0.0 {
        return (0.5 * rt, -0.5 * rt);
    }
    let rt1 = 0.5 * (sm + rt.copysign(sm));
    (rt1, (acmx / rt1) * acmn - (b / rt1) * b)
}

/// Reduces the symmetric matrix in `a`'s lower triangle to tridiagonal form in place (faer's
/// layout; see the module comment), `h` (bs x n-1) receiving the block Householder factors (bs
/// 0: not wanted).
fn tridiagonalize<T: Real>(mut a: MatMut<'_, T>, mut h: MatMut<'_, T>, par: Par, symv: SymvFn) {
    let n = a.nrows();
    if n < 2 {
        return;
    }
    // faer's tau of each reflector (I - v v^T / tau), and the subdiagonal while its slot holds
    // the reflector's unit head.
    let mut taus = vec![T::from(0.0); n - 1];
    let mut sub = vec![T::from(0.0); n - 1];
    // W of the current panel: NB columns, or up to NX for the last one.
    let mut w = Mat::<T>::zeros(n, NX.min(n));
    let mut vw = Mat::<T>::zeros(0, 0);
    let mut wv = Mat::<T>::zeros(0, 0);
    let mut scratch = Vec::new();
    let mut k0 = 0;
    while k0 < n {
        let m = n - k0;
        let nb = if m > NX { NB } else { m };
        let panel = a.rb_mut().submatrix_mut(k0, k0, m, m);
        reduce_panel(
            panel,
            nb,
            w.rb_mut().subrows_mut(0, m),
            &mut taus[k0..],
            &mut sub[k0..],
            par,
            symv,
            &mut scratch,
        );
        if nb < m {
            // A22 -= V W^T + W V^T as one product: [V W] [W V]^T (lower triangle only).
            let r = m - nb;
            vw.resize_with(r, 2 * nb, |_, _| T::from(0.0));
            wv.resize_with(r, 2 * nb, |_, _| T::from(0.0));
            let v = a.rb().submatrix(k0 + nb, k0, r, nb);
            let wp = w.rb().submatrix(nb, 0, r, nb);
            vw.rb_mut().subcols_mut(0, nb).copy_from(v);
            vw.rb_mut().subcols_mut(nb, nb).copy_from(wp);
            wv.rb_mut().subcols_mut(0, nb).copy_from(wp);
            wv.rb_mut().subcols_mut(nb, nb).copy_from(v);
            triangular::matmul(
                a.rb_mut().submatrix_mut(k0 + nb, k0 + nb, r, r),
                BlockStructure::TriangularLower,
                Accum::Add,
                vw.rb(),
                BlockStructure::Rectangular,
                wv.rb().transpose(),
                BlockStructure::Rectangular,
                T::from(-1.0),
                par,
            );
        }
        for i in 0..nb.min(m - 1) {
            a[(k0 + i + 1, k0 + i)] = sub[k0 + i];
        }
        k0 += nb;
    }
    // The block factors, as faer's reduction leaves them: each block's taus on its diagonal,
    // then upgraded to the triangular factor of the block's reflectors (none when `h` has no
    // rows: eigenvalues only).
    let n1 = n - 1;
    let bs = h.nrows();
    if bs == 0 {
        return;
    }
    let basis = a.rb().submatrix(1, 0, n1, n1);
    let mut j = 0;
    while j < n1 {
        let b = bs.min(n1 - j);
        let mut hb = h.rb_mut().submatrix_mut(0, j, b, b);
        for k in 0..b {
            hb[(k, k)] = taus[j + k];
        }
        householder::upgrade_householder_factor(hb, basis.submatrix(j, j, n1 - j, b), b, 1, par);
        j += b;
    }
}

/// LAPACK's latrd (lower) on the m x m trailing matrix `b`: reduces its first `nb` columns,
/// leaving each reflector's unit head in the subdiagonal slot (the subdiagonal goes to `sub`,
/// faer's tau to `taus`) and W (m x nb) such that the trailing matrix still owes
/// `- V W^T - W V^T`. With nb == m it reduces everything and no update is owed.
#[allow(clippy::too_many_arguments)]
fn reduce_panel<T: Real>(
    mut b: MatMut<'_, T>,
    nb: usize,
    mut w: MatMut<'_, T>,
    taus: &mut [T],
    sub: &mut [T],
    par: Par,
    symv: SymvFn,
    scratch: &mut Vec<T>,
) {
    let m = b.nrows();
    let zero = T::from(0.0);
    let neg1 = T::from(-1.0);
    let mut t = Mat::<T>::zeros(nb, 1);
    for i in 0..nb {
        if i > 0 {
            // Column i owes the panel's earlier reflectors: b[i:, i] -= V[i:, :i] W[i, :i]^T
            // + W[i:, :i] V[i, :i]^T.
            let (left, mut right) = b.rb_mut().split_at_col_mut(i);
            let col = right.rb_mut().col_mut(0).subrows_mut(i, m - i);
            let vl = left.rb().submatrix(i, 0, m - i, i);
            matmul::matmul(
                col.as_mat_mut(),
                Accum::Add,
                vl,
                w.rb().submatrix(i, 0, 1, i).transpose(),
                neg1,
                Par::Seq,
            );
            let col = right.col_mut(0).subrows_mut(i, m - i);
            matmul::matmul(
                col.as_mat_mut(),
                Accum::Add,
                w.rb().submatrix(i, 0, m - i, i),
                vl.submatrix(0, 0, 1, i).transpose(),
                neg1,
                Par::Seq,
            );
        }
        if i + 1 >= m {
            break;
        }
        let mt = m - i - 1;
        // The reflector that zeroes b[i+2:, i]; its unit head stands in the subdiagonal slot
        // until the panel's trailing update has used it.
        let info = {
            let (mut head, tail) = b
                .rb_mut()
                .col_mut(i)
                .subrows_mut(i + 1, mt)
                .split_at_row_mut(1);
            let head = &mut head[0];
            let info = householder::make_householder_in_place(head, tail);
            sub[i] = *head;
            *head = T::from(1.0);
            info
        };
        taus[i] = info.tau;
        // 1/inf = 0: a zero tail leaves the identity, and w = 0.
        let tau = T::from(1.0) / info.tau;
        // w = tau (A v - V (W^T v) - W (V^T v)), then w += alpha v with alpha = -tau/2 (w.v).
        let (left, right) = b.rb().split_at_col(i + 1);
        let v = left.col(i).subrows(i + 1, mt);
        let trailing = right.submatrix(i + 1, 0, mt, mt);
        let (wl, mut wr) = w.rb_mut().split_at_col_mut(i);
        let mut wi = wr.rb_mut().col_mut(0).subrows_mut(i + 1, mt);
        symv_split(trailing, v, wi.rb_mut(), par, symv, scratch);
        if i > 0 {
            let wl = wl.rb().subrows(i + 1, mt);
            let vl = left.submatrix(i + 1, 0, mt, i);
            let mut ti = t.rb_mut().subrows_mut(0, i);
            // w -= V (W^T v) + W (V^T v)
            for (p, q) in [(wl, vl), (vl, wl)] {
                let one = T::from(1.0);
                matmul::matmul(
                    ti.rb_mut(),
                    Accum::Replace,
                    p.transpose(),
                    v.as_mat(),
                    one,
                    Par::Seq,
                );
                matmul::matmul(
                    wi.rb_mut().as_mat_mut(),
                    Accum::Add,
                    q,
                    ti.rb(),
                    neg1,
                    Par::Seq,
                );
            }
        }
        let mut dot = zero;
        for r in 0..mt {
            wi[r] *= tau;
            dot += wi[r] * v[r];
        }
        let alpha = T::from(-0.5) * tau * dot;
        for r in 0..mt {
            wi[r] += alpha * v[r];
        }
    }
}

/// y = A x for the symmetric mt x mt `a` (lower triangle, column-major), in column ranges of
/// equal area: one task below `SYMV_TASK` elements, else up to `SYMV_MAX_TASKS` shared by the
/// pool's threads (when `par` allows), each into its own partial sum, added in task order.
fn symv_split<T: Real>(
    a: MatRef<'_, T>,
    x: ColRef<'_, T>,
    mut y: ColMut<'_, T>,
    par: Par,
    symv: SymvFn,
    scratch: &mut Vec<T>,
) {
    let m = a.nrows();
    assert!(a.row_stride() == 1 && x.row_stride() == 1 && y.row_stride() == 1);
    let lda = a.col_stride();
    let (ap, xp) = (
        SendPtr(a.as_ptr() as *mut u8),
        SendPtr(x.as_ptr() as *mut u8),
    );
    let run = |c0: usize, c1: usize, out: *mut T| {
        // SAFETY: a holds m columns of m rows (lda apart, rows contiguous) and x, out m values;
        // columns [c0, c1) are in range and `out` is this call's own buffer (symv only reads
        // a and x).
        unsafe {
            symv(
                m,
                c0,
                c1,
                ap.get() as *const c_void,
                lda,
                xp.get() as *const c_void,
                out as *mut c_void,
            )
        }
    };
    let tasks = (m * m / 2 / SYMV_TASK).clamp(1, SYMV_MAX_TASKS);
    if tasks == 1 {
        y.fill(T::from(0.0));
        run(0, m, y.as_ptr_mut());
        return;
    }
    // Column c where the lower triangle's first columns hold the fraction f of its area.
    let bound = |t: usize| {
        let f = t as f64 / tasks as f64;
        ((1.0 - (1.0 - f).sqrt()) * m as f64) as usize
    };
    scratch.clear();
    scratch.resize(tasks * m, T::from(0.0));
    let parts = SendPtr(scratch.as_mut_ptr() as *mut u8);
    parallel::share_tasks(tasks, matches!(par, Par::Rayon(_)), |_, next| {
        while let Some(t) = next() {
            let c1 = if t + 1 == tasks { m } else { bound(t + 1) };
            // Task t's partial sum is scratch[t m .. (t + 1) m]: share_tasks hands each t out
            // once, so no two calls write the same range, and scratch outlives share_tasks.
            run(bound(t), c1, (parts.get() as *mut T).wrapping_add(t * m));
        }
    });
    for r in 0..m {
        let mut acc = scratch[r];
        for t in 1..tasks {
            acc += scratch[t * m + r];
        }
        y[r] = acc;
    }
}
