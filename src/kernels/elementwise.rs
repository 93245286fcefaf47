//! Element-wise binary ops with NumPy broadcasting. Shapes are coalesced so the common cases
//! (same shape, tensor-scalar, row broadcast) become a few long kernel calls.

use crate::dispatch::{kernels, need};
use crate::dtype::{same_dtype, DType};
use crate::error::{shape_str, CoreError, Result};
use crate::ffi::BinaryFn;
use crate::parallel::{self, SendPtr};
use crate::tensor::{Dims, Tensor, View};
use smallvec::SmallVec;
use std::ffi::c_void;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add = 0,
    Sub = 1,
    Mul = 2,
    Div = 3,
}

impl BinOp {
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::Div => "div",
        }
    }
}

/// Outputs from this size on are written with non-temporal stores (`binary_nt`): with both inputs
/// the working set no longer fits the 32 MiB L3, so the output cannot stay cached for the next op
/// anyway, and skipping each line's read-for-ownership cuts an add's traffic from four streams to
/// three. Measured here (float32 add, 2 threads): 1.4x faster at 16 MB and 40 MB outputs; at 8 MB
/// normal stores win (1.3x: the whole add then lives in L3), at 12 MB it is a draw.
pub const STREAM_STORE_BYTES: usize = 12 << 20;

const VV: usize = 0;
const VS: usize = 1;
const SV: usize = 2;

/// NumPy's broadcasting rule; the error names both shapes.
pub fn broadcast_shapes(op: &str, a: &[usize], b: &[usize]) -> Result<Dims> {
    let nd = a.len().max(b.len());
    let mut out: Dims = smallvec::smallvec![0; nd];
    for i in 0..nd {
        let da = if i < nd - a.len() {
            1
        } else {
            a[i - (nd - a.len())]
        };
        let db = if i < nd - b.len() {
            1
        } else {
            b[i - (nd - b.len())]
        };
        out[i] = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => {
                return Err(CoreError::value(format!(
                    "{op}: operands could not be broadcast together with shapes {} and {}",
                    shape_str(a),
                    shape_str(b)
                )))
            }
        };
    }
    Ok(out)
}

/// Element strides of a contiguous `shape` seen through the broadcast `out` shape (0 where
/// broadcast).
pub fn broadcast_strides(shape: &[usize], out: &[usize]) -> Dims<isize> {
    let lead = out.len() - shape.len();
    let mut strides: Dims<isize> = smallvec::smallvec![0isize; out.len()];
    let mut acc = 1isize;
    for i in (0..shape.len()).rev() {
        strides[lead + i] = if shape[i] == 1 { 0 } else { acc };
        acc *= shape[i] as isize;
    }
    strides
}

/// Result dtype of `op` on `dtype` (integer true division gives float64, as in NumPy).
pub fn result_dtype(op: BinOp, dtype: DType) -> DType {
    if op == BinOp::Div && dtype.is_int() {
        DType::F64
    } else {
        dtype
    }
}

/// `out = a op b` with broadcasting. `out`, when given, must have the result's shape and dtype;
/// it may be one of the inputs (in-place ops). Inputs are never written.
pub fn binary(op: BinOp, a: &View, b: &View, out: Option<&Tensor>) -> Result<Tensor> {
    let dtype = same_dtype(op.name(), a.dtype(), b.dtype())?;
    if op == BinOp::Div && dtype.is_int() {
        let (a, b) = (a.astype(DType::F64)?, b.astype(DType::F64)?);
        return binary(op, &a.view(), &b.view(), out);
    }
    let shape = if a.shape() == b.shape() {
        Dims::from_slice(a.shape())
    } else {
        broadcast_shapes(op.name(), a.shape(), b.shape())?
    };
    let table = kernels();
    let out_bytes = shape
        .iter()
        .product::<usize>()
        .saturating_mul(dtype.itemsize());
    let fns = if out_bytes >= STREAM_STORE_BYTES {
        &table.binary_nt[op as usize][dtype.code()]
    } else {
        &table.binary[op as usize][dtype.code()]
    };
    let vv = need(fns[VV], op.name(), dtype)?;
    let fns = [
        vv,
        need(fns[VS], op.name(), dtype)?,
        need(fns[SV], op.name(), dtype)?,
    ];
    let Some(out) = out else {
        // A fresh output cannot overlap the inputs.
        let out = Tensor::empty(&shape, dtype)?;
        run_broadcast(fns, a, b, &out, &shape)?;
        return Ok(out);
    };
    check_out(op.name(), out, &shape, dtype)?;
    // An input that shares memory with `out` without being exactly it would be read after being
    // overwritten: take a private copy first, as NumPy does for overlapping operands.
    let (ca, cb) = (unalias(a, out)?, unalias(b, out)?);
    let a = ca.as_ref().map_or(*a, Tensor::view);
    let b = cb.as_ref().map_or(*b, Tensor::view);
    let (a, b) = (&a, &b);
    run_broadcast(fns, a, b, out, &shape)?;
    Ok(out.clone())
}

pub fn check_out(op: &str, out: &Tensor, shape: &[usize], dtype: DType) -> Result<()> {
    if out.dtype() != dtype {
        return Err(CoreError::type_err(format!(
            "{op}: out has dtype {}, expected {}",
            out.dtype().name(),
            dtype.name()
        )));
    }
    if out.shape() != shape {
        return Err(CoreError::value(format!(
            "{op}: out has shape {}, expected {}",
            shape_str(out.shape()),
            shape_str(shape)
        )));
    }
    out.data_mut().map(|_| ())
}

/// A private copy of `input` when it partly overlaps `out`; None when it can be read as is.
fn unalias(input: &View, out: &Tensor) -> Result<Option<Tensor>> {
    let exact = input.data() == out.data() && input.shape() == out.shape();
    if input.overlaps(out) && !exact {
        input.astype(input.dtype()).map(Some)
    } else {
        Ok(None)
    }
}

/// One coalesced loop dimension: length and element strides of `a` and `b` (out is contiguous).
type Dim = (usize, isize, isize);

fn coalesce(shape: &[usize], sa: &[isize], sb: &[isize]) -> SmallVec<[Dim; 6]> {
    let mut dims: SmallVec<[Dim; 6]> = SmallVec::new();
    for i in 0..shape.len() {
        if shape[i] == 1 {
            continue;
        }
        let n = shape[i] as isize;
        if let Some(last) = dims.last_mut() {
            if last.1 == sa[i] * n && last.2 == sb[i] * n {
                *last = (last.0 * shape[i], sa[i], sb[i]);
                continue;
            }
        }
        dims.push((shape[i], sa[i], sb[i]));
    }
    if dims.is_empty() {
        dims.push((1, 0, 0));
    }
    dims
}

fn run_broadcast(
    fns: [BinaryFn; 3],
    a: &View,
    b: &View,
    out: &Tensor,
    shape: &[usize],
) -> Result<()> {
    let size = out.size();
    if size == 0 {
        return Ok(());
    }
    // Same-shape and tensor-scalar operands (the common cases) need no stride analysis.
    let dims = match (a.size() == size, b.size() == size) {
        (true, true) if a.shape() == b.shape() => smallvec::smallvec![(size, 1, 1)],
        (true, _) if b.size() == 1 => smallvec::smallvec![(size, 1, 0)],
        (_, true) if a.size() == 1 => smallvec::smallvec![(size, 0, 1)],
        _ => coalesce(
            shape,
            &broadcast_strides(a.shape(), shape),
            &broadcast_strides(b.shape(), shape),
        ),
    };
    let (inner, ia, ib) = *dims.last().expect("at least one dim");
    let outer = &dims[..dims.len() - 1];
    let rows = size / inner;
    let isz = a.dtype().itemsize();
    let (pa, pb) = (SendPtr(a.data() as *mut u8), SendPtr(b.data() as *mut u8));
    let po = SendPtr(out.data_mut()?);

    // Runs elements [start, start+len) of output row `row`.
    let run = |row: usize, start: usize, len: usize| {
        let (mut oa, mut ob, mut r) = (0isize, 0isize, row);
        for &(n, sa, sb) in outer.iter().rev() {
            let i = (r % n) as isize;
            r /= n;
            oa += i * sa;
            ob += i * sb;
        }
        let a0 = pa
            .get()
            .wrapping_offset((oa + ia * start as isize) * isz as isize);
        let b0 = pb
            .get()
            .wrapping_offset((ob + ib * start as isize) * isz as isize);
        let o0 = po.get().wrapping_add((row * inner + start) * isz);
        // SAFETY: offsets come from in-range broadcast indices, so every pointer stays inside
        // its tensor; `out` is contiguous and each call covers a distinct output range.
        unsafe {
            match (ia, ib) {
                (1, 1) => fns[VV](
                    a0 as *const c_void,
                    b0 as *const c_void,
                    o0 as *mut c_void,
                    len,
                ),
                (1, 0) => fns[VS](
                    a0 as *const c_void,
                    b0 as *const c_void,
                    o0 as *mut c_void,
                    len,
                ),
                (0, 1) => fns[SV](
                    a0 as *const c_void,
                    b0 as *const c_void,
                    o0 as *mut c_void,
                    len,
                ),
                _ => {
                    // Both inputs constant along the inner run: compute each element alone.
                    for j in 0..len {
                        let o = o0.add(j * isz) as *mut c_void;
                        fns[VS](a0 as *const c_void, b0 as *const c_void, o, 1);
                    }
                }
            }
        }
    };

    let threshold = parallel::threshold(parallel::Family::Elementwise);
    if rows == 1 {
        parallel::for_chunks_checked(inner, threshold, |start, len| run(0, start, len))?;
    } else {
        // Parallel over whole rows; each task runs a contiguous block of rows (about four blocks
        // per thread, at most a slab of elements each, like `for_chunks_checked`'s chunks).
        let par = parallel::should_parallelize(size, threshold);
        let parts = if par { parallel::num_threads() * 4 } else { 1 };
        let per = rows.div_ceil(parts).min((parallel::SLAB / inner).max(1));
        parallel::run_tasks_checked(rows.div_ceil(per), par, per * inner, |t| {
            for row in t * per..((t + 1) * per).min(rows) {
                run(row, 0, inner);
            }
        })?;
    }
    Ok(())
}
