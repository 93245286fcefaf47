//! Reductions: sum, mean, all, any — over everything (a scalar) or one axis (a tensor).
//!
//! Full float sums are split into fixed-size blocks whatever the thread count, each block summed
//! by the pairwise SIMD kernel and the block partials summed by the same kernel: the answer is
//! bit-identical for any number of threads.

use crate::arena;
use crate::dispatch::{kernels, need};
use crate::dtype::DType;
use crate::error::{CoreError, Result};
use crate::kernels::elementwise::{binary, BinOp};
use crate::parallel::{self, SendPtr};
use crate::tensor::{normalize_axis, with_dense, Tensor, View};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reduction {
    Sum,
    Mean,
    All,
    Any,
}

impl Reduction {
    pub fn name(self) -> &'static str {
        match self {
            Reduction::Sum => "sum",
            Reduction::Mean => "mean",
            Reduction::All => "all",
            Reduction::Any => "any",
        }
    }
}

/// A reduction's (or one element's) Python-facing scalar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar {
    F64(f64),
    I64(i64),
    /// uint64 values (and sums of unsigned integers), which int64 cannot hold.
    U64(u64),
    Bool(bool),
    /// (real, imaginary), widened to f64 as floats are.
    Complex(f64, f64),
}

/// Elements per block of a full reduction: fixed, so results do not depend on the thread count.
/// 32 Ki elements (128 KiB of float32): small enough that a 1e5-element sum splits evenly over
/// two threads (64 Ki blocks left one thread twice the other's work), large enough that claiming
/// a block costs well under 5% of summing it.
pub const BLOCK: usize = 1 << 15;

/// Reads one element of `dtype` at `p` as a Scalar (floats widen to f64).
///
/// # Safety
/// `p` must point at a readable value of `dtype`.
pub unsafe fn read_scalar(p: *const u8, dtype: DType) -> Scalar {
    // SAFETY: guaranteed by the caller; unaligned reads are fine for any buffer.
    unsafe {
        match dtype {
            DType::F32 => Scalar::F64(p.cast::<f32>().read_unaligned() as f64),
            DType::F64 => Scalar::F64(p.cast::<f64>().read_unaligned()),
            DType::I8 => Scalar::I64(p.cast::<i8>().read_unaligned() as i64),
            DType::I16 => Scalar::I64(p.cast::<i16>().read_unaligned() as i64),
            DType::I32 => Scalar::I64(p.cast::<i32>().read_unaligned() as i64),
            DType::I64 => Scalar::I64(p.cast::<i64>().read_unaligned()),
            DType::U8 => Scalar::U64(p.read() as u64),
            DType::U16 => Scalar::U64(p.cast::<u16>().read_unaligned() as u64),
            DType::U32 => Scalar::U64(p.cast::<u32>().read_unaligned() as u64),
            DType::U64 => Scalar::U64(p.cast::<u64>().read_unaligned()),
            DType::Bool => Scalar::Bool(p.read() != 0),
            DType::C64 => {
                let [re, im] = p.cast::<[f32; 2]>().read_unaligned();
                Scalar::Complex(re as f64, im as f64)
            }
            DType::C128 => {
                let [re, im] = p.cast::<[f64; 2]>().read_unaligned();
                Scalar::Complex(re, im)
            }
        }
    }
}

/// Sum of `n` contiguous elements at `p`, returned as the sum dtype's bytes in a u64 (an 8-byte
/// slot aligned for any sum dtype, as the kernel contract requires): every fixed-size block is summed by the kernel into an arena partial (in parallel when large), then
/// the partials are summed by the same kernel.
fn sum_into(p: *const u8, n: usize, dtype: DType) -> Result<u64> {
    let table = kernels();
    let f = need(table.sum[dtype.code()], "sum", dtype)?;
    let sdt = dtype.sum_dtype();
    let g = need(table.sum[sdt.code()], "sum", sdt)?;
    let blocks = n.div_ceil(BLOCK).max(1);
    let (isz, osz) = (dtype.itemsize(), sdt.itemsize());
    let par = parallel::should_parallelize(n, parallel::threshold(parallel::Family::Sum));
    arena::with_arena(|scratch| {
        // One 8-byte slot per block holds any sum dtype.
        let partials = scratch.uninit::<u64>(blocks);
        let (src, dst) = (SendPtr(p as *mut u8), SendPtr(partials.as_mut_ptr().cast()));
        parallel::run_tasks_checked(blocks, par, BLOCK, |b| {
            let start = b * BLOCK;
            // SAFETY: block b lies inside the input; partial b inside `partials`.
            unsafe {
                f(
                    src.get().add(start * isz) as *const c_void,
                    BLOCK.min(n - start.min(n)),
                    dst.get().add(b * osz) as *mut c_void,
                )
            }
        })?;
        let mut out = 0u64;
        // SAFETY: the tasks wrote `blocks` values of the sum dtype, packed at stride osz.
        unsafe {
            g(
                dst.get() as *const c_void,
                blocks,
                &mut out as *mut u64 as *mut c_void,
            )
        };
        Ok(out)
    })
}

/// Bytes scanned per parallel task of all/any.
const PREDICATE_TASK_BYTES: usize = 256 << 10;

/// all/any over n contiguous elements, blockwise with early exit once the answer is known.
pub fn predicate(kind: Reduction, p: *const u8, n: usize, dtype: DType) -> Result<bool> {
    let table = kernels();
    let (f, stop_on) = match kind {
        Reduction::All => (need(table.all[dtype.code()], "all", dtype)?, false),
        _ => (need(table.any[dtype.code()], "any", dtype)?, true),
    };
    let isz = dtype.itemsize();
    // The first block alone: most calls that can stop early stop there, before any task starts.
    // SAFETY: the first min(n, BLOCK) elements are inside the input.
    let first = unsafe { f(p as *const c_void, n.min(BLOCK)) };
    if (first != 0) == stop_on || n <= BLOCK {
        return Ok(first != 0);
    }
    // The rest in tasks of 256 KiB: the answer is exact whatever the blocking, so tasks can be
    // larger than a sum's fixed blocks (claiming a 32 KiB bool block cost ~5% of scanning it).
    let task = (PREDICATE_TASK_BYTES / isz).max(BLOCK);
    let src = SendPtr(p as *mut u8);
    let decided = AtomicBool::new(false);
    let tasks = (n - BLOCK).div_ceil(task);
    let par = parallel::should_parallelize(n, parallel::threshold(parallel::Family::AllAny));
    parallel::run_tasks_checked(tasks, par, task, |i| {
        if decided.load(Ordering::Relaxed) {
            return;
        }
        let start = BLOCK + i * task;
        // SAFETY: task i covers elements start..start+len, inside the input.
        let r = unsafe {
            f(
                src.get().add(start * isz) as *const c_void,
                task.min(n - start),
            )
        };
        if (r != 0) == stop_on {
            decided.store(true, Ordering::Relaxed);
        }
    })?;
    // all: true unless some block was false; any: true if some block was true.
    Ok(decided.load(Ordering::Relaxed) == stop_on)
}

/// Reduces the whole tensor to a Python-facing scalar.
pub fn reduce_all(kind: Reduction, x: &View) -> Result<Scalar> {
    with_dense(x, |x| reduce_all_dense(kind, x))
}

fn reduce_all_dense(kind: Reduction, x: &View) -> Result<Scalar> {
    if kind == Reduction::Mean && matches!(x.dtype(), DType::I64 | DType::U64) {
        // NumPy averages int64 and uint64 in float64: a wrapping 64-bit sum would overflow (mean
        // of [-2**63, -2**63] is -2**63, not 0).
        return reduce_all(kind, &x.astype(DType::F64)?.view());
    }
    let (n, dtype) = (x.size(), x.dtype());
    match kind {
        Reduction::Sum | Reduction::Mean => {
            let bytes = sum_into(x.data(), n, dtype)?.to_ne_bytes();
            // SAFETY: sum_into returned one value of the sum dtype.
            let s = unsafe { read_scalar(bytes.as_ptr(), dtype.sum_dtype()) };
            Ok(match (kind, s) {
                (Reduction::Sum, s) => s,
                // float32 means divide in float32, as NumPy does.
                (_, Scalar::F64(v)) if dtype == DType::F32 => {
                    Scalar::F64((v as f32 / n as f32) as f64)
                }
                (_, Scalar::F64(v)) => Scalar::F64(v / n as f64),
                (_, Scalar::I64(v)) => Scalar::F64(v as f64 / n as f64),
                (_, Scalar::U64(v)) => Scalar::F64(v as f64 / n as f64),
                (_, Scalar::Complex(re, im)) => Scalar::Complex(re / n as f64, im / n as f64),
                (_, Scalar::Bool(_)) => unreachable!("sums are numeric"),
            })
        }
        Reduction::All | Reduction::Any => Ok(Scalar::Bool(predicate(kind, x.data(), n, dtype)?)),
    }
}

/// Reduces along one axis, giving a tensor of the remaining dimensions.
pub fn reduce_axis(kind: Reduction, x: &View, axis: i64) -> Result<Tensor> {
    normalize_axis(axis, x.ndim())?;
    with_dense(x, |x| reduce_axis_dense(kind, x, axis))
}

fn reduce_axis_dense(kind: Reduction, x: &View, axis: i64) -> Result<Tensor> {
    if kind == Reduction::Mean && matches!(x.dtype(), DType::I64 | DType::U64) {
        // As in reduce_all: average 64-bit integers in float64, never through a wrapping sum.
        return reduce_axis(kind, &x.astype(DType::F64)?.view(), axis);
    }
    let axis = normalize_axis(axis, x.ndim())?;
    let shape = x.shape();
    let outer: usize = shape[..axis].iter().product();
    let n = shape[axis];
    let inner: usize = shape[axis + 1..].iter().product();
    let mut out_shape = shape.to_vec();
    out_shape.remove(axis);
    match kind {
        Reduction::Sum => sum_axis(x, outer, n, inner, &out_shape),
        Reduction::Mean => {
            let s = sum_axis(x, outer, n, inner, &out_shape)?;
            let s = if s.dtype().is_float() {
                s
            } else {
                s.astype(DType::F64)?
            };
            let count = Tensor::from_f64(n as f64).astype(s.dtype())?;
            binary(BinOp::Div, &s.view(), &count.view(), Some(&s))
        }
        Reduction::All | Reduction::Any => truth_axis(kind, x, outer, n, inner, &out_shape),
    }
}

fn sum_axis(x: &View, outer: usize, n: usize, inner: usize, out_shape: &[usize]) -> Result<Tensor> {
    let sdt = x.dtype().sum_dtype();
    let out = Tensor::zeros(out_shape, sdt)?;
    if out.size() == 0 || n == 0 {
        return Ok(out);
    }
    let (isz, osz) = (x.dtype().itemsize(), sdt.itemsize());
    if inner == 1 {
        // Each output is the sum of one contiguous row.
        let (src, dst) = (SendPtr(x.data() as *mut u8), SendPtr(out.data_mut()?));
        let par =
            parallel::should_parallelize(outer * n, parallel::threshold(parallel::Family::Sum));
        let results = parallel::map_tasks(outer, par, |o| {
            let bytes = sum_into(src.get().wrapping_add(o * n * isz), n, x.dtype())?.to_ne_bytes();
            // SAFETY: output o is inside `out`; bytes hold one value of the sum dtype.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst.get().add(o * osz), osz) };
            Ok::<(), CoreError>(())
        });
        results.into_iter().collect::<Result<()>>()?;
        return Ok(out);
    }
    // Inner > 1: accumulate rows of the sum dtype into each output row (as NumPy does along a
    // non-contiguous axis).
    let widened = if x.dtype() == sdt {
        None
    } else {
        Some(x.astype(sdt)?)
    };
    let src = widened.as_ref().map_or(*x, Tensor::view);
    let add = need(
        kernels().binary[BinOp::Add as usize][sdt.code()][0],
        "sum",
        sdt,
    )?;
    let (s, d) = (SendPtr(src.data() as *mut u8), SendPtr(out.data_mut()?));
    for o in 0..outer {
        crate::interrupt::check()?;
        parallel::for_chunks(
            inner,
            parallel::threshold(parallel::Family::Sum),
            |c0, len| {
                let acc = d.get().wrapping_add((o * inner + c0) * osz);
                for j in 0..n {
                    let row = s.get().wrapping_add(((o * n + j) * inner + c0) * osz);
                    // SAFETY: row and acc are `len` in-range elements; acc is only written here.
                    unsafe {
                        add(
                            acc as *const c_void,
                            row as *const c_void,
                            acc as *mut c_void,
                            len,
                        )
                    };
                }
            },
        );
    }
    Ok(out)
}

fn truth_axis(
    kind: Reduction,
    x: &View,
    outer: usize,
    n: usize,
    inner: usize,
    out_shape: &[usize],
) -> Result<Tensor> {
    let dtype = x.dtype();
    let is_all = kind == Reduction::All;
    let out = Tensor::empty(out_shape, DType::Bool)?;
    let dst = out.data_mut()?;
    // SAFETY: `out` owns out.size() bytes; start from the identity (all: true, any: false).
    unsafe { std::ptr::write_bytes(dst, is_all as u8, out.size()) };
    if out.size() == 0 || n == 0 {
        return Ok(out);
    }
    let isz = dtype.itemsize();
    if inner == 1 {
        for o in 0..outer {
            let r = predicate(kind, x.data().wrapping_add(o * n * isz), n, dtype)?;
            // SAFETY: output o is inside `out`.
            unsafe { *dst.add(o) = r as u8 };
        }
        return Ok(out);
    }
    let table = kernels();
    let acc = if is_all {
        table.all_acc[dtype.code()]
    } else {
        table.any_acc[dtype.code()]
    };
    let acc = need(acc, kind.name(), dtype)?;
    for o in 0..outer {
        crate::interrupt::check()?;
        for j in 0..n {
            let row = x.data().wrapping_add((o * n + j) * inner * isz);
            // SAFETY: the row holds `inner` elements; the accumulator row is inside `out`.
            unsafe { acc(row as *const c_void, inner, dst.add(o * inner)) };
        }
    }
    Ok(out)
}
