//! Reductions over any set of axes (sum, prod, min, max, mean, var/std, all, any,
//! count_nonzero, argmin/argmax) and the cumulative sum and product, for any layout.
//!
//! The plan looks at the input's strides, not its axis order. When the unit-stride axis is
//! reduced, each output is folded from contiguous runs by a horizontal kernel ("horizontal");
//! when it is kept, whole rows fold into an output row by a vertical kernel ("vertical"), so a
//! reduction along an outer or transposed axis needs no transposing copy. Only a layout without
//! any unit-stride axis is gathered first.
//!
//! Determinism: a contiguous run is cut into fixed `BLOCK`-element blocks whatever the thread
//! count, each block gives a partial, and partials combine in block order with the same kernels;
//! vertical folds visit rows in index order. The bits never depend on the number of threads.

use crate::arena;
use crate::dispatch::{kernels, need};
use crate::dtype::DType;
use crate::error::{CoreError, Result};
use crate::ffi::KernelTable;
use crate::kernels::elementwise::{binary, BinOp};
use crate::kernels::reduce::BLOCK;
use crate::parallel::{self, SendPtr};
use crate::tensor::iter::copy_into;
use crate::tensor::{normalize_axis, with_dense, Tensor, View};
use std::ffi::c_void;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Sum,
    Prod,
    Min,
    Max,
    Mean,
    /// Variance (`root`: standard deviation) with `correction` degrees of freedom removed.
    Var {
        correction: f64,
        root: bool,
    },
    All,
    Any,
    CountNonzero,
    ArgMin,
    ArgMax,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Sum => "sum",
            Op::Prod => "prod",
            Op::Min => "min",
            Op::Max => "max",
            Op::Mean => "mean",
            Op::Var { root: false, .. } => "var",
            Op::Var { root: true, .. } => "std",
            Op::All => "all",
            Op::Any => "any",
            Op::CountNonzero => "count_nonzero",
            Op::ArgMin => "argmin",
            Op::ArgMax => "argmax",
        }
    }

    fn is_arg(self) -> bool {
        matches!(self, Op::ArgMin | Op::ArgMax)
    }

    /// The result dtype for input `d`, or the TypeError the standard's dtype rules call for.
    pub fn result_dtype(self, d: DType) -> Result<DType> {
        let bad = |what: &str| {
            Err(CoreError::type_err(format!(
                "{}: expected {what}, got {}",
                self.name(),
                d.name()
            )))
        };
        match self {
            Op::Sum | Op::Prod => Ok(d.sum_dtype()),
            Op::Mean if d.is_float() || d.is_complex() => Ok(d),
            Op::Mean => bad("a floating-point dtype"),
            Op::Var { .. } if d.is_float() => Ok(d),
            Op::Var { .. } => bad("a real floating-point dtype"),
            Op::Min | Op::Max if d.is_complex() => bad("a real numeric dtype"),
            Op::Min | Op::Max => Ok(d),
            Op::ArgMin | Op::ArgMax if d.is_complex() => bad("a real numeric dtype"),
            Op::ArgMin | Op::ArgMax => Ok(DType::I64),
            Op::All | Op::Any => Ok(DType::Bool),
            Op::CountNonzero => Ok(DType::I64),
        }
    }
}

/// The axes to reduce as a mask over `ndim` dimensions (None: all). A repeated axis is a
/// ValueError, one out of range an AxisError.
pub fn axis_mask(axes: Option<&[i64]>, ndim: usize) -> Result<Vec<bool>> {
    let Some(axes) = axes else {
        return Ok(vec![true; ndim]);
    };
    let mut mask = vec![false; ndim];
    for &a in axes {
        let k = normalize_axis(a, ndim)?;
        if mask[k] {
            return Err(CoreError::value(format!(
                "duplicate value in 'axis': {axes:?}"
            )));
        }
        mask[k] = true;
    }
    Ok(mask)
}

/// Reduces `x` over `axes` (None: all of them). `dtype` (sum and prod only) sets the result dtype.
pub fn reduce(
    op: Op,
    x: &View,
    axes: Option<&[i64]>,
    keepdims: bool,
    dtype: Option<DType>,
) -> Result<Tensor> {
    let natural = op.result_dtype(x.dtype())?;
    let mask = axis_mask(axes, x.ndim())?;
    if let Some(dt) = dtype.filter(|&d| d != natural) {
        if !matches!(op, Op::Sum | Op::Prod) {
            return Err(CoreError::type_err(format!(
                "{}: takes no dtype argument",
                op.name()
            )));
        }
        // Integer results wrap: the low bits of the 64-bit sum are the narrower sum. Anything
        // else converts the input first (as NumPy does for a float or complex dtype=).
        let r = if dt.is_int() && (x.dtype().is_int() || x.dtype().is_bool()) {
            reduce_masked(op, x, &mask, keepdims)?
        } else {
            let cast = x.astype(dt)?;
            reduce_masked(op, &cast.view(), &mask, keepdims)?
        };
        return if r.dtype() == dt { Ok(r) } else { r.astype(dt) };
    }
    reduce_masked(op, x, &mask, keepdims)
}

fn reduce_masked(op: Op, x: &View, mask: &[bool], keepdims: bool) -> Result<Tensor> {
    let shape = x.shape();
    let out_dt = op.result_dtype(x.dtype())?;
    let kept_shape: Vec<usize> = (0..x.ndim())
        .filter(|&d| !mask[d])
        .map(|d| shape[d])
        .collect();
    let n_red: usize = (0..x.ndim())
        .filter(|&d| mask[d])
        .map(|d| shape[d])
        .product();
    let out_size: usize = kept_shape.iter().product();
    // Reduced axes of length 0 come first: min/max/argmin/argmax of them raise even when the
    // result is empty too (NumPy: max of a (0, 0) array along axis 0).
    let out = if n_red == 0 {
        empty_reduction(op, &kept_shape, out_dt)?
    } else if out_size == 0 {
        Tensor::empty(&kept_shape, out_dt)?
    } else if op.is_arg() && mask.iter().all(|&m| m) && !x.is_contiguous() {
        // argmin/argmax over everything count in C order: a C-contiguous copy keeps that simple.
        with_dense(x, |xd| compute(op, xd, mask, &kept_shape, out_dt))?
    } else {
        compute(op, x, mask, &kept_shape, out_dt)?
    };
    if !keepdims {
        return Ok(out);
    }
    let full: Vec<i64> = (0..x.ndim())
        .map(|d| if mask[d] { 1 } else { shape[d] as i64 })
        .collect();
    out.reshape(&full)
}

/// The result of reducing zero elements: the identity, NaN for mean/var, an error for the
/// reductions that have no identity.
fn empty_reduction(op: Op, shape: &[usize], dt: DType) -> Result<Tensor> {
    let v = match op {
        Op::Sum | Op::Any | Op::CountNonzero => 0.0,
        Op::Prod | Op::All => 1.0,
        Op::Mean | Op::Var { .. } => f64::NAN,
        Op::Min | Op::Max | Op::ArgMin | Op::ArgMax => {
            return Err(CoreError::value(format!(
                "{}: zero-size reduction has no identity (the reduced axes are empty)",
                op.name()
            )))
        }
    };
    let out = Tensor::empty(shape, dt)?;
    copy_into(&Tensor::from_f64(v).view(), &out)?;
    Ok(out)
}

/// One dimension of a plan: its length, input stride and output stride (elements).
#[derive(Clone, Copy, Debug)]
struct Dim {
    len: usize,
    si: isize,
    so: isize,
}

/// Element offset of flat index `k` over `dims` (C order: the last dim fastest).
fn offset(dims: &[Dim], mut k: usize, out: bool) -> isize {
    let mut off = 0isize;
    for d in dims.iter().rev() {
        let i = (k % d.len) as isize;
        k /= d.len;
        off += i * if out { d.so } else { d.si };
    }
    off
}

fn compute(op: Op, x: &View, mask: &[bool], kept_shape: &[usize], out_dt: DType) -> Result<Tensor> {
    let (shape, strides) = (x.shape(), x.strides());
    let nd = x.ndim();
    let unit = (0..nd).find(|&d| shape[d] > 1 && strides[d] == 1);
    let any_red = (0..nd).any(|d| mask[d] && shape[d] > 1);
    if unit.is_none() && any_red {
        // No unit-stride axis (every axis stepped or broadcast): gather once, then plan again.
        return with_dense(x, |xd| compute(op, xd, mask, kept_shape, out_dt));
    }
    // The output follows the input's memory order, so a contiguous run of kept input axes is a
    // contiguous run of the output too.
    let kept: Vec<usize> = (0..nd).filter(|&d| !mask[d]).collect();
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(order_key(kept[k], unit, strides)));
    let init_zero = matches!(
        op,
        Op::Sum | Op::Mean | Op::CountNonzero | Op::Var { .. } | Op::ArgMin | Op::ArgMax
    );
    let out = if init_zero {
        let t = Tensor::empty_ordered(kept_shape, &order, out_dt)?;
        // SAFETY: a fresh compact tensor of out.size() elements.
        unsafe { std::ptr::write_bytes(t.data_mut()?, 0, t.nbytes()) };
        t
    } else {
        Tensor::empty_ordered(kept_shape, &order, out_dt)?
    };
    let ostr = out.strides();
    let mut kdims: Vec<(usize, Dim)> = kept
        .iter()
        .enumerate()
        .filter(|&(_, &d)| shape[d] > 1)
        .map(|(k, &d)| {
            (
                d,
                Dim {
                    len: shape[d],
                    si: strides[d],
                    so: ostr[k],
                },
            )
        })
        .collect();
    let mut rdims: Vec<(usize, Dim)> = (0..nd)
        .filter(|&d| mask[d] && shape[d] > 1)
        .map(|d| {
            (
                d,
                Dim {
                    len: shape[d],
                    si: strides[d],
                    so: 0,
                },
            )
        })
        .collect();
    let n_red: usize = rdims.iter().map(|(_, d)| d.len).product();
    let total = x.size();
    let par = parallel::should_parallelize(total, parallel::threshold(parallel::Family::Sum));
    match unit {
        Some(c) if !mask[c] => {
            // Vertical: coalesce the contiguous run of kept axes starting at c.
            let run = coalesce(&mut kdims, c, true);
            let rows: Vec<Dim> = rdims.iter().map(|&(_, d)| d).collect();
            let outer: Vec<Dim> = kdims.iter().map(|&(_, d)| d).collect();
            vertical(op, x, &out, run, &outer, &rows, n_red, par)?;
        }
        _ => {
            // Horizontal: the contiguous run of reduced axes starting at the unit axis (or a
            // run of one element when nothing is reduced).
            let run = match unit {
                Some(c) => coalesce(&mut rdims, c, false),
                None => 1,
            };
            rdims.sort_by_key(|&(d, _)| d);
            let segs: Vec<Dim> = rdims.iter().map(|&(_, d)| d).collect();
            kdims.sort_by_key(|&(d, _)| d);
            let outer: Vec<Dim> = kdims.iter().map(|&(_, d)| d).collect();
            horizontal(op, x, &out, run, &outer, &segs, par)?;
        }
    }
    finish(op, out, n_red)
}

/// Sort key of an axis for the output's memory order (larger: outer): the unit-stride axis
/// innermost, broadcast (stride 0) axes outermost, the rest by stride.
fn order_key(d: usize, unit: Option<usize>, strides: &[isize]) -> usize {
    if Some(d) == unit {
        0
    } else if strides[d] == 0 {
        usize::MAX
    } else {
        strides[d].unsigned_abs()
    }
}

/// Removes the unit-stride axis `c` and the axes that continue its run (input stride == run
/// length so far, and for kept axes the same in the output) from `dims`, returning the run's
/// length.
fn coalesce(dims: &mut Vec<(usize, Dim)>, c: usize, kept: bool) -> usize {
    let pos = dims
        .iter()
        .position(|&(d, _)| d == c)
        .expect("unit axis listed");
    let mut run = dims.remove(pos).1.len;
    while let Some(p) = dims
        .iter()
        .position(|&(_, d)| d.si == run as isize && (!kept || d.so == run as isize))
    {
        run *= dims.remove(p).1.len;
    }
    run
}

/// Mean divides, var/std scale and take the root; everything else is final.
fn finish(op: Op, out: Tensor, n: usize) -> Result<Tensor> {
    match op {
        Op::Mean => {
            let count = Tensor::from_f64(n as f64).astype(out.dtype())?;
            binary(BinOp::Div, &out.view(), &count.view(), Some(&out))
        }
        Op::Var { correction, root } => {
            let f = need(
                kernels().var_finish[out.dtype().float_index("var")?],
                op.name(),
                out.dtype(),
            )?;
            let dof = (n as f64 - correction).max(0.0);
            // SAFETY: `out` is a fresh compact tensor of out.size() floats.
            unsafe {
                f(
                    out.data_mut()? as *mut c_void,
                    out.size(),
                    1.0 / dof,
                    root as i32,
                )
            };
            Ok(out)
        }
        _ => Ok(out),
    }
}

// ------------------------------------------------------------------------------ horizontal

fn kind_of(is_all: bool) -> crate::kernels::reduce::Reduction {
    if is_all {
        crate::kernels::reduce::Reduction::All
    } else {
        crate::kernels::reduce::Reduction::Any
    }
}

/// Partial of one block, in the dtype its combine kernel reads (16 bytes fit any).
fn partial_size(op: Op, dt: DType) -> usize {
    match op {
        Op::Sum | Op::Mean | Op::Prod => dt.sum_dtype().itemsize(),
        Op::Min | Op::Max => dt.itemsize(),
        Op::Var { .. } => 16,
        Op::CountNonzero | Op::ArgMin | Op::ArgMax => 8,
        Op::All | Op::Any => 1,
    }
}

/// Input elements per task when many outputs are shared out (see `horizontal`).
const TASK_ELEMS: usize = 1 << 18;

#[allow(clippy::too_many_arguments)]
fn horizontal(
    op: Op,
    x: &View,
    out: &Tensor,
    run: usize,
    outer: &[Dim],
    segs: &[Dim],
    par: bool,
) -> Result<()> {
    let n_out: usize = outer.iter().map(|d| d.len).product();
    let (src, dst) = (SendPtr(x.data() as *mut u8), SendPtr(out.data_mut()?));
    let (isz, osz) = (
        x.dtype().itemsize() as isize,
        out.dtype().itemsize() as isize,
    );
    let table = kernels();
    let one = |o: usize, par_inner: bool| -> Result<()> {
        let base = src.get().wrapping_offset(offset(outer, o, false) * isz);
        let target = dst.get().wrapping_offset(offset(outer, o, true) * osz);
        fold_one(op, table, x.dtype(), base, run, segs, target, par_inner)
    };
    if par && n_out >= 2 * parallel::num_threads() {
        let per = (x.size() / n_out.max(1)).max(1);
        // Runs of consecutive outputs per task (~1 MiB of float32 input, at least 4 tasks per
        // thread): each thread streams long stretches of memory that the prefetcher follows,
        // and its outputs share few cache lines with the other threads'; one output per task
        // left both threads hopping between 16 KiB rows (sum along axis 1 of 4096x4096 float32
        // read at half the bandwidth of the same sum along axis 0).
        let group = (TASK_ELEMS / per)
            .clamp(1, n_out.div_ceil(4 * parallel::num_threads()))
            .max(1);
        let failed = std::sync::Mutex::new(None);
        parallel::run_tasks_checked(n_out.div_ceil(group), true, per * group, |g| {
            for o in g * group..((g + 1) * group).min(n_out) {
                if let Err(e) = one(o, false) {
                    *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                    return;
                }
            }
        })?;
        if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(e);
        }
    } else {
        for o in 0..n_out {
            one(o, par)?;
        }
    }
    Ok(())
}

/// Reduces the elements of one output: `segs` (a multi-index) of contiguous runs of `run`
/// elements at `base`, each cut into BLOCK-element blocks; writes the result at `target`.
#[allow(clippy::too_many_arguments)]
fn fold_one(
    op: Op,
    table: &KernelTable,
    dt: DType,
    base: *mut u8,
    run: usize,
    segs: &[Dim],
    target: *mut u8,
    par: bool,
) -> Result<()> {
    let n_seg: usize = segs.iter().map(|d| d.len).product();
    let isz = dt.itemsize();
    let basep = SendPtr(base);
    let seg_ptr = |s: usize| {
        basep
            .get()
            .wrapping_offset(offset(segs, s, false) * isz as isize)
    };
    if matches!(op, Op::All | Op::Any) {
        let is_all = op == Op::All;
        let mut r = is_all;
        for s in 0..n_seg {
            let v = crate::kernels::reduce::predicate(kind_of(is_all), seg_ptr(s), run, dt)?;
            if v != is_all {
                r = v;
                break;
            }
        }
        // SAFETY: target is one bool of the output.
        unsafe { *target = r as u8 };
        return Ok(());
    }
    let bps = run.div_ceil(BLOCK).max(1);
    let tasks = n_seg * bps;
    let psz = partial_size(op, dt);
    let code = dt.code();
    let name = op.name();
    if tasks == 1 && !matches!(op, Op::Var { .. }) {
        // One block: its partial is the result (the combine of one partial returns it as is),
        // so the kernel writes straight into the output.
        let p = seg_ptr(0) as *const c_void;
        let t = target as *mut c_void;
        // SAFETY: `run` elements at p; target holds one value of the output dtype.
        unsafe {
            match op {
                Op::Sum | Op::Mean => need(table.red_sum[code], name, dt)?(p, run, t),
                Op::Prod => need(table.red_prod[code], name, dt)?(p, run, t),
                Op::Min => need(table.red_min[code], name, dt)?(p, run, t),
                Op::Max => need(table.red_max[code], name, dt)?(p, run, t),
                Op::CountNonzero => {
                    let c = need(table.count_nonzero[code], name, dt)?(p, run);
                    target.cast::<i64>().write_unaligned(c);
                }
                Op::ArgMin => {
                    let i = need(table.argmin[code], name, dt)?(p, run);
                    target.cast::<i64>().write_unaligned(i);
                }
                Op::ArgMax => {
                    let i = need(table.argmax[code], name, dt)?(p, run);
                    target.cast::<i64>().write_unaligned(i);
                }
                Op::Var { .. } | Op::All | Op::Any => unreachable!("handled elsewhere"),
            }
        }
        return Ok(());
    }
    arena::with_arena(|scratch| -> Result<()> {
        let partials = scratch.uninit::<[u64; 2]>((tasks * psz).div_ceil(16).max(1));
        let pp = SendPtr(partials.as_mut_ptr() as *mut u8);
        let sdt = dt.sum_dtype();
        // Each task: one block's partial at pp + t * psz.
        let block = |t: usize| {
            let (s, b) = (t / bps, t % bps);
            let start = b * BLOCK;
            let len = BLOCK.min(run - start.min(run));
            let p = seg_ptr(s).wrapping_add(start * isz) as *const c_void;
            let slot = pp.get().wrapping_add(t * psz);
            // SAFETY: block t lies inside the input (segment s, elements start..start+len) and
            // its slot inside `partials`; the kernels were checked present below.
            unsafe {
                match op {
                    Op::Sum | Op::Mean => (table.red_sum[code].unwrap())(p, len, slot.cast()),
                    Op::Prod => (table.red_prod[code].unwrap())(p, len, slot.cast()),
                    Op::Min => (table.red_min[code].unwrap())(p, len, slot.cast()),
                    Op::Max => (table.red_max[code].unwrap())(p, len, slot.cast()),
                    Op::Var { .. } => (table.moments[dt.float_index("var").unwrap_or(0)].unwrap())(
                        p,
                        len,
                        slot.cast(),
                    ),
                    Op::CountNonzero => {
                        let c = (table.count_nonzero[code].unwrap())(p, len);
                        slot.cast::<i64>().write_unaligned(c);
                    }
                    Op::ArgMin | Op::ArgMax => {
                        let f = if op == Op::ArgMin {
                            table.argmin[code]
                        } else {
                            table.argmax[code]
                        };
                        let i = (f.unwrap())(p, len);
                        slot.cast::<i64>().write_unaligned(i + start as i64);
                    }
                    Op::All | Op::Any => unreachable!("handled above"),
                }
            }
        };
        // Check every kernel this op needs before any task runs.
        match op {
            Op::Sum | Op::Mean => {
                need(table.red_sum[code], name, dt)?;
                need(table.red_sum[sdt.code()], name, sdt)?;
            }
            Op::Prod => {
                need(table.red_prod[code], name, dt)?;
                need(table.red_prod[sdt.code()], name, sdt)?;
            }
            Op::Min => drop(need(table.red_min[code], name, dt)?),
            Op::Max => drop(need(table.red_max[code], name, dt)?),
            Op::Var { .. } => drop(need(table.moments[dt.float_index(name)?], name, dt)?),
            Op::CountNonzero => {
                need(table.count_nonzero[code], name, dt)?;
                need(table.red_sum[DType::I64.code()], name, DType::I64)?;
            }
            Op::ArgMin => {
                need(table.argmin[code], name, dt)?;
            }
            Op::ArgMax => {
                need(table.argmax[code], name, dt)?;
            }
            Op::All | Op::Any => {}
        }
        parallel::run_tasks_checked(tasks, par && tasks > 1, BLOCK, block)?;
        let pc = pp.get() as *const c_void;
        // SAFETY: `tasks` partials were written, packed at stride psz; target holds one value
        // of the output dtype.
        unsafe {
            match op {
                Op::Sum | Op::Mean => {
                    (table.red_sum[sdt.code()].unwrap())(pc, tasks, target.cast())
                }
                Op::Prod => (table.red_prod[sdt.code()].unwrap())(pc, tasks, target.cast()),
                Op::Min => (table.red_min[code].unwrap())(pc, tasks, target.cast()),
                Op::Max => (table.red_max[code].unwrap())(pc, tasks, target.cast()),
                Op::CountNonzero => {
                    (table.red_sum[DType::I64.code()].unwrap())(pc, tasks, target.cast())
                }
                Op::Var { .. } => {
                    // Chan's merge of (count, mean, M2) in block order.
                    let (mut cnt, mut mean, mut m2) = (0f64, 0f64, 0f64);
                    for t in 0..tasks {
                        let b = t % bps;
                        let nb = (BLOCK.min(run - b * BLOCK)) as f64;
                        let [bm, bq] = pc.cast::<[f64; 2]>().add(t).read();
                        let tot = cnt + nb;
                        let delta = bm - mean;
                        mean += delta * nb / tot;
                        m2 += bq + delta * delta * cnt * nb / tot;
                        cnt = tot;
                    }
                    if dt == DType::F32 {
                        target.cast::<f32>().write_unaligned(m2 as f32);
                    } else {
                        target.cast::<f64>().write_unaligned(m2);
                    }
                }
                Op::ArgMin | Op::ArgMax => {
                    // The winning block: the arg kernel over the blocks' extremes (ties keep the
                    // earlier block, a NaN wins), each read at its index.
                    let idx = pc.cast::<i64>();
                    let vals = scratch.uninit::<u8>(tasks * isz).as_mut_ptr() as *mut u8;
                    for t in 0..tasks {
                        let i = idx.add(t).read() as usize;
                        std::ptr::copy_nonoverlapping(base.add(i * isz), vals.add(t * isz), isz);
                    }
                    let f = if op == Op::ArgMin {
                        table.argmin[code]
                    } else {
                        table.argmax[code]
                    };
                    let w = (f.unwrap())(vals as *const c_void, tasks) as usize;
                    target.cast::<i64>().write_unaligned(idx.add(w).read());
                }
                Op::All | Op::Any => unreachable!("handled above"),
            }
        }
        Ok(())
    })
}

// ------------------------------------------------------------------------------ vertical

/// Row blocks of a vertical fold, from the shape alone (so the bits never depend on the thread
/// count): a few large contiguous blocks when there are few output rows, so every thread streams
/// its own block; one block per output row when there are many.
fn row_blocks(n_out: usize, n_rows: usize, run: usize) -> usize {
    if n_out >= 16 {
        return 1;
    }
    (n_rows.saturating_mul(run) / (1 << 17))
        .clamp(1, 16)
        .min(n_rows)
}

#[derive(Clone, Copy)]
enum Fold {
    /// acc op= row; `from_first`: the block's accumulator starts as its first row.
    Acc(crate::ffi::AccFn, bool),
    Bool(crate::ffi::AccumulateFn),
    Arg(crate::ffi::ArgAccFn),
    Welford(crate::ffi::WelfordFn),
}

/// Folds rows into output rows: every output row (`outer` multi-index) is a contiguous run of
/// `run` elements in both input and output; every reduced index (`rows`, in C order) gives one
/// input row folded into it. The rows are cut into row blocks (`row_blocks`), each folded by one
/// task into its own accumulator row, then the block accumulators are merged in block order.
/// var/std fold by Welford's update over columns split across threads instead.
#[allow(clippy::too_many_arguments)]
fn vertical(
    op: Op,
    x: &View,
    out: &Tensor,
    run: usize,
    outer: &[Dim],
    rows: &[Dim],
    n_rows: usize,
    par: bool,
) -> Result<()> {
    let dt = x.dtype();
    let code = dt.code();
    let table = kernels();
    let name = op.name();
    let n_out: usize = outer.iter().map(|d| d.len).product();
    let odt = out.dtype();
    let (isz, osz) = (dt.itemsize(), odt.itemsize());
    // Identity rows where the fold does not start from zero or from the first row.
    match op {
        Op::Prod | Op::All => copy_into(&Tensor::from_f64(1.0).view(), out)?,
        Op::Any => copy_into(&Tensor::from_f64(0.0).view(), out)?,
        Op::Min | Op::Max if dt == DType::Bool => copy_into(
            &Tensor::from_f64(if op == Op::Min { 1.0 } else { 0.0 }).view(),
            out,
        )?,
        _ => {}
    }
    let fold = match op {
        Op::Sum | Op::Mean => Fold::Acc(need(table.acc_sum[code], name, dt)?, false),
        Op::Prod => Fold::Acc(need(table.acc_prod[code], name, dt)?, false),
        Op::CountNonzero => Fold::Acc(need(table.acc_count[code], name, dt)?, false),
        // min/max of bool fold from the identity (the rows may hold any non-zero byte).
        Op::Min => Fold::Acc(need(table.acc_min[code], name, dt)?, dt != DType::Bool),
        Op::Max => Fold::Acc(need(table.acc_max[code], name, dt)?, dt != DType::Bool),
        Op::All => Fold::Bool(need(table.all_acc[code], name, dt)?),
        Op::Any => Fold::Bool(need(table.any_acc[code], name, dt)?),
        Op::ArgMin => Fold::Arg(need(table.acc_argmin[code], name, dt)?),
        Op::ArgMax => Fold::Arg(need(table.acc_argmax[code], name, dt)?),
        Op::Var { .. } => Fold::Welford(need(table.welford[dt.float_index(name)?], name, dt)?),
    };
    if let Fold::Welford(f) = fold {
        return welford_columns(f, x, out, run, outer, rows, n_rows, par);
    }
    // How block accumulators merge: the same fold over the accumulator dtype.
    let sdt = odt;
    let merge: Option<crate::ffi::AccFn> = match op {
        Op::Sum | Op::Mean => Some(need(table.acc_sum[sdt.code()], name, sdt)?),
        Op::Prod => Some(need(table.acc_prod[sdt.code()], name, sdt)?),
        Op::CountNonzero => Some(need(table.acc_sum[DType::I64.code()], name, DType::I64)?),
        Op::Min => Some(need(table.acc_min[code], name, dt)?),
        Op::Max => Some(need(table.acc_max[code], name, dt)?),
        _ => None,
    };
    let bool_merge = match op {
        Op::All => Some(need(table.all_acc[DType::Bool.code()], name, DType::Bool)?),
        Op::Any => Some(need(table.any_acc[DType::Bool.code()], name, DType::Bool)?),
        _ => None,
    };
    let arg_merge = match op {
        Op::ArgMin => Some(need(table.arg_merge_min[code], name, dt)?),
        Op::ArgMax => Some(need(table.arg_merge_max[code], name, dt)?),
        _ => None,
    };
    let is_arg = matches!(fold, Fold::Arg(_));
    let nb = if is_arg && n_out < 16 {
        // Indices are exact however the rows are blocked (blocks merge by value, then index),
        // so argmin/argmax take one block per thread: every block's first rows, where new
        // extremes are frequent, mispredict the kernel's store-only-on-change branch.
        let threads = if par { parallel::num_threads() } else { 1 };
        threads.min(n_rows).max(1)
    } else {
        row_blocks(n_out, n_rows, run)
    };
    let rpb = n_rows.div_ceil(nb);
    let nb = n_rows.div_ceil(rpb);
    // Scratch per (output row, block): the accumulator of blocks 1.. (block 0 folds into the
    // output itself), and for argmin/argmax every block's running extreme values.
    let acc_bytes = (nb - 1) * n_out * run * osz;
    let val_bytes = if is_arg { nb * n_out * run * isz } else { 0 };
    let (src, dst) = (SendPtr(x.data() as *mut u8), SendPtr(out.data_mut()?));
    arena::with_arena(|scratch| -> Result<()> {
        let mut heap: Vec<u64> = Vec::new();
        let bytes = acc_bytes + val_bytes;
        let base = if scratch.too_big(bytes) {
            heap.resize(bytes.div_ceil(8), 0);
            heap.as_mut_ptr() as *mut u8
        } else {
            scratch.uninit::<u64>(bytes.div_ceil(8).max(1)).as_mut_ptr() as *mut u8
        };
        let (accs, vals) = (SendPtr(base), SendPtr(base.wrapping_add(acc_bytes)));
        let out_row = |o: usize| {
            dst.get()
                .wrapping_offset(offset(outer, o, true) * osz as isize)
        };
        let acc_row = |o: usize, b: usize| {
            if b == 0 {
                out_row(o)
            } else {
                accs.get().wrapping_add(((b - 1) * n_out + o) * run * osz)
            }
        };
        let val_row = |o: usize, b: usize| vals.get().wrapping_add((b * n_out + o) * run * isz);
        let task = |t: usize| {
            let (o, b) = (t / nb, t % nb);
            let (r0, r1) = (b * rpb, ((b + 1) * rpb).min(n_rows));
            let xin = src
                .get()
                .wrapping_offset(offset(outer, o, false) * isz as isize);
            let row = |j: usize| xin.wrapping_offset(offset(rows, j, false) * isz as isize);
            let acc = acc_row(o, b);
            // SAFETY: every row pointer addresses `run` input elements; `acc` (and `val`) are
            // this task's own rows of `run` values in the output or the scratch.
            unsafe {
                match fold {
                    Fold::Acc(f, from_first) => {
                        let first = if from_first {
                            std::ptr::copy_nonoverlapping(row(r0), acc, run * isz);
                            r0 + 1
                        } else {
                            r0
                        };
                        for j in first..r1 {
                            f(row(j) as *const c_void, run, acc as *mut c_void);
                        }
                    }
                    Fold::Bool(f) => {
                        for j in r0..r1 {
                            f(row(j) as *const c_void, run, acc);
                        }
                    }
                    Fold::Arg(f) => {
                        let val = val_row(o, b);
                        std::ptr::copy_nonoverlapping(row(r0), val, run * isz);
                        let idx = acc as *mut i64;
                        for i in 0..run {
                            idx.add(i).write(r0 as i64);
                        }
                        for j in r0 + 1..r1 {
                            f(
                                row(j) as *const c_void,
                                run,
                                j as i64,
                                val as *mut c_void,
                                idx,
                            );
                        }
                    }
                    Fold::Welford(_) => unreachable!("folded by columns"),
                }
            }
        };
        // Block accumulators start from the identity the output rows hold (before any task
        // folds into those rows).
        for o in 0..n_out {
            for b in 1..nb {
                // SAFETY: both rows hold `run` accumulators.
                unsafe { std::ptr::copy_nonoverlapping(out_row(o), acc_row(o, b), run * osz) };
            }
        }
        parallel::run_tasks_checked(n_out * nb, par && n_out * nb > 1, rpb * run, task)?;
        // Merge blocks 1.. into block 0 (the output), in block order.
        for o in 0..n_out {
            for b in 1..nb {
                let (from, into) = (acc_row(o, b), out_row(o));
                // SAFETY: rows of `run` accumulators (and values) written by the tasks above.
                unsafe {
                    if let Some(m) = merge {
                        m(from as *const c_void, run, into as *mut c_void);
                    } else if let Some(m) = bool_merge {
                        m(from as *const c_void, run, into);
                    } else if let Some(m) = arg_merge {
                        m(
                            val_row(o, b) as *const c_void,
                            from as *const i64,
                            run,
                            val_row(o, 0) as *mut c_void,
                            into as *mut i64,
                        );
                    }
                }
            }
        }
        drop(heap);
        Ok(())
    })
}

/// var/std along outer axes: Welford's update row by row, columns split across threads (each
/// column sees its rows in index order whatever the split).
#[allow(clippy::too_many_arguments)]
fn welford_columns(
    f: crate::ffi::WelfordFn,
    x: &View,
    out: &Tensor,
    run: usize,
    outer: &[Dim],
    rows: &[Dim],
    n_rows: usize,
    par: bool,
) -> Result<()> {
    let isz = x.dtype().itemsize();
    let n_out: usize = outer.iter().map(|d| d.len).product();
    let threads = if par { parallel::num_threads() } else { 1 };
    let chunks = (threads.div_ceil(n_out.max(1)))
        .min(run.div_ceil(64))
        .max(1);
    let clen = run.div_ceil(chunks).next_multiple_of(64).min(run).max(1);
    let chunks = run.div_ceil(clen);
    let (src, dst) = (SendPtr(x.data() as *mut u8), SendPtr(out.data_mut()?));
    let task = |t: usize| {
        let (o, ch) = (t / chunks, t % chunks);
        let c0 = ch * clen;
        let len = clen.min(run - c0);
        let xin = src
            .get()
            .wrapping_offset(offset(outer, o, false) * isz as isize)
            .wrapping_add(c0 * isz);
        let m2 = dst
            .get()
            .wrapping_offset(offset(outer, o, true) * isz as isize)
            .wrapping_add(c0 * isz);
        let row = |j: usize| xin.wrapping_offset(offset(rows, j, false) * isz as isize);
        arena::with_arena(|scratch| {
            let mean = scratch.zeroed::<u64>((len * isz).div_ceil(8)).as_mut_ptr();
            for j in 0..n_rows {
                // SAFETY: row j holds `len` input values; mean and m2 `len` accumulators.
                unsafe {
                    f(
                        row(j) as *const c_void,
                        len,
                        1.0 / (j + 1) as f64,
                        mean as *mut c_void,
                        m2 as *mut c_void,
                    )
                };
            }
        });
    };
    parallel::run_tasks_checked(
        n_out * chunks,
        par && n_out * chunks > 1,
        clen * n_rows,
        task,
    )
}

// ------------------------------------------------------------------------------ cumulative

/// cumulative_sum (`prod` false) or cumulative_prod along `axis` (None: a 1-d input's only one).
pub fn cumulative(
    prod: bool,
    x: &View,
    axis: Option<i64>,
    dtype: Option<DType>,
    include_initial: bool,
) -> Result<Tensor> {
    let name = if prod {
        "cumulative_prod"
    } else {
        "cumulative_sum"
    };
    let natural = x.dtype().sum_dtype();
    if let Some(dt) = dtype.filter(|&d| d != natural) {
        let cast = x.astype(dt)?;
        let r = cumulative(prod, &cast.view(), axis, None, include_initial)?;
        return if r.dtype() == dt { Ok(r) } else { r.astype(dt) };
    }
    if x.ndim() == 0 {
        let t = x.to_contiguous()?.reshape(&[1])?;
        return cumulative(prod, &t.view(), Some(0), None, include_initial);
    }
    let axis = match axis {
        Some(a) => normalize_axis(a, x.ndim())?,
        None if x.ndim() == 1 => 0,
        None => {
            return Err(CoreError::value(format!(
                "{name}: axis must be given for a tensor of {} dimensions",
                x.ndim()
            )))
        }
    };
    let (shape, strides) = (x.shape(), x.strides());
    let n = shape[axis];
    let mut oshape = shape.to_vec();
    oshape[axis] = n + include_initial as usize;
    let unit = (0..x.ndim()).find(|&d| shape[d] > 1 && strides[d] == 1);
    let unit = match unit {
        Some(u) => u,
        None if x.size() > 1 => {
            return with_dense(x, |xd| {
                cumulative(prod, xd, Some(axis as i64), None, include_initial)
            })
        }
        None => axis,
    };
    let mut order: Vec<usize> = (0..x.ndim()).collect();
    order.sort_by_key(|&d| std::cmp::Reverse(order_key(d, Some(unit), strides)));
    let out = Tensor::empty_ordered(&oshape, &order, natural)?;
    let identity = Tensor::from_f64(if prod { 1.0 } else { 0.0 }).astype(natural)?;
    if include_initial || unit != axis || x.size() == 0 {
        // The initial row, and the start of every vertical fold.
        copy_into(&identity.view(), &out)?;
    }
    if x.size() == 0 {
        return Ok(out);
    }
    let table = kernels();
    // The product's kernels or the sum's: scan, whole-row total, row-into-row fold.
    let (scans, totals, folds) = if prod {
        (&table.cumprod, &table.red_prod, &table.acc_prod)
    } else {
        (&table.cumsum, &table.red_sum, &table.acc_sum)
    };
    let dt = x.dtype();
    let (isz, osz) = (dt.itemsize() as isize, natural.itemsize() as isize);
    let ostr = out.strides().to_vec();
    let skip = include_initial as isize * ostr[axis];
    let others: Vec<Dim> = (0..x.ndim())
        .filter(|&d| d != axis && d != unit)
        .map(|d| Dim {
            len: shape[d],
            si: strides[d],
            so: ostr[d],
        })
        .collect();
    let n_outer: usize = others.iter().map(|d| d.len).product();
    let par = parallel::should_parallelize(x.size(), parallel::threshold(parallel::Family::Sum));
    let (src, dst) = (SendPtr(x.data() as *mut u8), SendPtr(out.data_mut()?));
    if unit == axis {
        // Along the contiguous axis: each row scans from the identity; a row longer than a
        // block is scanned blockwise (block totals, their prefix, then each block from its
        // carry), so blocks can run in parallel and the bits do not depend on the threads.
        let scan = need(scans[dt.code()], name, dt)?;
        let scan_acc = need(scans[natural.code()], name, natural)?;
        let total = need(totals[dt.code()], name, dt)?;
        let row = |o: usize, par_inner: bool| -> Result<()> {
            let xi = SendPtr(src.get().wrapping_offset(offset(&others, o, false) * isz));
            let yo = SendPtr(
                dst.get()
                    .wrapping_offset((offset(&others, o, true) + skip) * osz),
            );
            let ident = identity.data();
            let blocks = n.div_ceil(BLOCK);
            if blocks <= 1 {
                let mut carry = [0u64; 2];
                // SAFETY: the output's first element is the identity (one value); the row has
                // n input and n output elements.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        ident,
                        carry.as_mut_ptr() as *mut u8,
                        osz as usize,
                    );
                    scan(
                        xi.get() as *const c_void,
                        n,
                        yo.get() as *mut c_void,
                        carry.as_mut_ptr().cast(),
                    );
                }
                return Ok(());
            }
            arena::with_arena(|scratch| -> Result<()> {
                let totals = scratch.uninit::<[u64; 2]>(blocks).as_mut_ptr() as *mut u8;
                let prefix = scratch.uninit::<[u64; 2]>(blocks + 1).as_mut_ptr() as *mut u8;
                let (tp, pp) = (SendPtr(totals), SendPtr(prefix));
                parallel::run_tasks_checked(blocks, par_inner, BLOCK, |b| {
                    let s = b * BLOCK;
                    // SAFETY: block b of the row; its total into slot b.
                    unsafe {
                        total(
                            xi.get().wrapping_add(s * isz as usize) as *const c_void,
                            BLOCK.min(n - s),
                            tp.get().wrapping_add(b * osz as usize) as *mut c_void,
                        )
                    };
                })?;
                // SAFETY: prefix has blocks + 1 slots: the identity, then the running totals.
                unsafe {
                    std::ptr::copy_nonoverlapping(ident, prefix, osz as usize);
                    let mut carry = [0u64; 2];
                    std::ptr::copy_nonoverlapping(
                        ident,
                        carry.as_mut_ptr() as *mut u8,
                        osz as usize,
                    );
                    scan_acc(
                        totals as *const c_void,
                        blocks,
                        prefix.add(osz as usize) as *mut c_void,
                        carry.as_mut_ptr().cast(),
                    );
                }
                parallel::run_tasks_checked(blocks, par_inner, BLOCK, |b| {
                    let s = b * BLOCK;
                    let mut carry = [0u64; 2];
                    // SAFETY: block b in and out; its carry is prefix slot b.
                    unsafe {
                        std::ptr::copy_nonoverlapping(
                            pp.get().add(b * osz as usize),
                            carry.as_mut_ptr() as *mut u8,
                            osz as usize,
                        );
                        scan(
                            xi.get().wrapping_add(s * isz as usize) as *const c_void,
                            BLOCK.min(n - s),
                            yo.get().wrapping_add(s * osz as usize) as *mut c_void,
                            carry.as_mut_ptr().cast(),
                        )
                    };
                })
            })
        };
        if par && n_outer >= 2 * parallel::num_threads() {
            let failed = std::sync::Mutex::new(None);
            parallel::run_tasks_checked(n_outer, true, n.max(1), |o| {
                if let Err(e) = row(o, false) {
                    *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                }
            })?;
            if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
                return Err(e);
            }
        } else {
            for o in 0..n_outer {
                row(o, par)?;
            }
        }
        return Ok(out);
    }
    // Along an outer axis: output row j = output row j-1 (the identity for j = 0) folded with
    // input row j, over contiguous runs of the unit axis.
    let acc = need(folds[dt.code()], name, dt)?;
    let m = shape[unit];
    let (sa, oa) = (strides[axis], ostr[axis]);
    let threads = if par { parallel::num_threads() } else { 1 };
    let chunks = threads.div_ceil(n_outer.max(1)).min(m.div_ceil(64)).max(1);
    let clen = m.div_ceil(chunks).next_multiple_of(64).min(m).max(1);
    let chunks = m.div_ceil(clen);
    parallel::run_tasks_checked(n_outer * chunks, par, clen * n, |t| {
        let (o, ch) = (t / chunks, t % chunks);
        let c0 = ch * clen;
        let len = clen.min(m - c0);
        let xi = src
            .get()
            .wrapping_offset(offset(&others, o, false) * isz)
            .wrapping_add(c0 * isz as usize);
        let yo = dst
            .get()
            .wrapping_offset((offset(&others, o, true) + skip) * osz)
            .wrapping_add(c0 * osz as usize);
        for j in 0..n {
            let yj = yo.wrapping_offset(j as isize * oa * osz);
            // SAFETY: rows j-1 and j of this task's columns are inside the output; row j of
            // the input holds `len` elements.
            unsafe {
                if j > 0 {
                    std::ptr::copy_nonoverlapping(
                        yo.wrapping_offset((j as isize - 1) * oa * osz),
                        yj,
                        len * osz as usize,
                    );
                }
                acc(
                    xi.wrapping_offset(j as isize * sa * isz) as *const c_void,
                    len,
                    yj as *mut c_void,
                );
            }
        }
    })?;
    Ok(out)
}
