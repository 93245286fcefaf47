//! Element-wise binary ops with NumPy broadcasting and the standard's type promotion, over
//! operands of any layout (see `crate::tensor::iter`).

use crate::dispatch::{kernels, need};
use crate::dtype::{promote, DType};
use crate::error::{shape_str, CoreError, Result};
use crate::parallel::{self, SendPtr};
use crate::tensor::iter::{chunk_elems, order_axes, scatter, Chunk, Plan, Source};
use crate::tensor::{broadcast_shapes, Dims, Tensor, View};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

/// Binary ops, in the order of the kernel table (`CP_ADD`.. in the C header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add = 0,
    Sub = 1,
    Mul = 2,
    Div = 3,
    Eq = 4,
    Ne = 5,
    Lt = 6,
    Le = 7,
    Gt = 8,
    Ge = 9,
}

impl BinOp {
    pub const ALL: [BinOp; 10] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
    ];

    /// The standard's function name.
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "subtract",
            BinOp::Mul => "multiply",
            BinOp::Div => "divide",
            BinOp::Eq => "equal",
            BinOp::Ne => "not_equal",
            BinOp::Lt => "less",
            BinOp::Le => "less_equal",
            BinOp::Gt => "greater",
            BinOp::Ge => "greater_equal",
        }
    }

    pub fn is_comparison(self) -> bool {
        self as u8 >= BinOp::Eq as u8
    }

    /// (dtype the kernel computes in, dtype of the result) for operands of these dtypes.
    pub fn dtypes(self, a: DType, b: DType) -> (DType, DType) {
        let c = promote(a, b);
        if self.is_comparison() {
            (c, DType::Bool)
        } else if self == BinOp::Div && c.is_int() {
            // True division of integers gives float64, as in NumPy (bool has no division).
            (DType::F64, DType::F64)
        } else {
            (c, c)
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

/// A private copy of `input` when it overlaps `out` without being exactly it (it would be read
/// after being overwritten); None when it can be read as is. As NumPy does for overlapping
/// operands.
fn unalias(input: &View, out: &Tensor) -> Result<Option<Tensor>> {
    let exact = input.data() == out.data() && input.strides() == out.strides();
    if input.overlaps(out) && !exact {
        input.to_contiguous().map(Some)
    } else {
        Ok(None)
    }
}

/// Byte strides of `v` broadcast to `shape`.
fn strides_to(v: &View, shape: &[usize]) -> Dims<isize> {
    let isz = v.dtype().itemsize() as isize;
    let lead = shape.len() - v.ndim();
    let mut out: Dims<isize> = smallvec::smallvec![0; shape.len()];
    for i in 0..v.ndim() {
        if v.shape()[i] != 1 {
            out[lead + i] = v.strides()[i] * isz;
        }
    }
    out
}

/// `out = a op b` with broadcasting and promotion. `out`, when given, must have the result's
/// shape and dtype and may be one of the inputs (in-place ops). Inputs are never written. A fresh
/// result is laid out like the inputs (NumPy's order "K": a transposed input gives a transposed
/// result), so every operand is walked in memory order.
pub fn binary(op: BinOp, a: &View, b: &View, out: Option<&Tensor>) -> Result<Tensor> {
    let (cdt, odt) = op.dtypes(a.dtype(), b.dtype());
    let shape = if a.shape() == b.shape() {
        Dims::from_slice(a.shape())
    } else {
        broadcast_shapes(&[a.shape(), b.shape()]).map_err(|_| {
            CoreError::value(format!(
                "{}: operands could not be broadcast together with shapes {} and {}",
                op.name(),
                shape_str(a.shape()),
                shape_str(b.shape())
            ))
        })?
    };
    let table = kernels();
    let unsupported = || {
        CoreError::type_err(format!(
            "{} is not supported for dtypes {} and {}",
            op.name(),
            a.dtype().name(),
            b.dtype().name()
        ))
    };
    let size: usize = shape.iter().product();
    let out_bytes = size.saturating_mul(odt.itemsize());
    if out.is_none()
        && a.dtype() == cdt
        && b.dtype() == cdt
        && a.is_contiguous()
        && b.is_contiguous()
    {
        // The common cases, dense operands of one dtype and the same shape or one of them a
        // single element, need no loop plan: one kernel call per chunk.
        let mode = match (a.size() == size, b.size() == size) {
            (true, true) if a.shape() == b.shape() => Some(VV),
            (true, _) if b.size() == 1 => Some(VS),
            (_, true) if a.size() == 1 => Some(SV),
            _ => None,
        };
        if let Some(mode) = mode {
            let rows = if out_bytes >= STREAM_STORE_BYTES {
                &table.binary_nt
            } else {
                &table.binary
            };
            let f = rows.get(op as usize).ok_or_else(unsupported)?[cdt.code()][mode]
                .ok_or_else(unsupported)?;
            let out = Tensor::empty(&shape, odt)?;
            let (isz, osz) = (cdt.itemsize(), odt.itemsize());
            let (pa, pb, po) = (
                SendPtr(a.data() as *mut u8),
                SendPtr(b.data() as *mut u8),
                SendPtr(out.data_mut()?),
            );
            let (da, db) = ((mode != SV) as usize * isz, (mode != VS) as usize * isz);
            parallel::for_chunks_checked(
                size,
                parallel::threshold(parallel::Family::Elementwise),
                |start, len| {
                    // SAFETY: chunks are disjoint sub-ranges of [0, size); a broadcast (single
                    // element) operand is read at its one element.
                    unsafe {
                        f(
                            pa.get().add(start * da) as *const c_void,
                            pb.get().add(start * db) as *const c_void,
                            po.get().add(start * osz) as *mut c_void,
                            len,
                        )
                    }
                },
            )?;
            return Ok(out);
        }
    }
    let (sa, sb) = (strides_to(a, &shape), strides_to(b, &shape));
    let (out, ca, cb) = match out {
        Some(o) => {
            check_out(op.name(), o, &shape, odt)?;
            (o.clone(), unalias(a, o)?, unalias(b, o)?)
        }
        None => {
            let order = order_axes(shape.len(), &[&sa, &sb]);
            (Tensor::empty_ordered(&shape, &order, odt)?, None, None)
        }
    };
    // Only a private copy (made when an input overlaps `out`) has new strides.
    let sa = ca.as_ref().map_or(sa, |c| strides_to(&c.view(), &shape));
    let sb = cb.as_ref().map_or(sb, |c| strides_to(&c.view(), &shape));
    let a = ca.as_ref().map_or(*a, Tensor::view);
    let b = cb.as_ref().map_or(*b, Tensor::view);
    let nt = out_bytes >= STREAM_STORE_BYTES && out.is_contiguous();
    let rows = if nt { &table.binary_nt } else { &table.binary };
    let fns = rows.get(op as usize).ok_or_else(unsupported)?[cdt.code()];
    let fns = [
        fns[VV].ok_or_else(unsupported)?,
        fns[VS].ok_or_else(unsupported)?,
        fns[SV].ok_or_else(unsupported)?,
    ];
    let (src_a, src_b) = (
        Source {
            from: a.dtype(),
            to: cdt,
        },
        Source {
            from: b.dtype(),
            to: cdt,
        },
    );
    for s in [src_a, src_b] {
        need(table.gather[s.from.code()], "gather", s.from)?;
        need(table.cast[s.from.code()][s.to.code()], "astype", s.from)?;
    }
    let so = out.byte_strides();
    let order = order_axes(shape.len(), &[&so, &sa, &sb]);
    let plan = Plan::new(&shape, &order, [&so, &sa, &sb]);
    let osz = odt.itemsize();
    let ch = chunk_elems(&[
        osz,
        cdt.itemsize(),
        a.dtype().itemsize(),
        b.dtype().itemsize(),
    ]);
    let failed = AtomicBool::new(false);
    let po = SendPtr(out.data_mut()?);
    let (pa, pb) = (SendPtr(a.data() as *mut u8), SendPtr(b.data() as *mut u8));
    let call = |pa: *const u8, pb: *const u8, po: *mut u8, sa: isize, sb: isize, n: usize| {
        // SAFETY: pa/pb hold n elements (one where the stride is 0) of the compute dtype and po
        // has room for n contiguous outputs (the callers guarantee both).
        unsafe {
            let (a, b, o) = (pa as *const c_void, pb as *const c_void, po as *mut c_void);
            match (sa == 0, sb == 0) {
                (false, false) => fns[VV](a, b, o, n),
                (false, true) => fns[VS](a, b, o, n),
                (true, false) => fns[SV](a, b, o, n),
                (true, true) => {
                    // Both inputs constant along the run: one result, repeated.
                    fns[VS](a, b, o, 1);
                    for j in 1..n {
                        std::ptr::copy_nonoverlapping(po, po.add(j * osz), osz);
                    }
                }
            }
        }
    };
    plan.run(
        [po, pa, pb],
        size,
        parallel::threshold(parallel::Family::Elementwise),
        |[o, a, b], [os, sa, sb], len| {
            if src_a.direct(sa) && src_b.direct(sb) && os == osz as isize {
                call(a, b, o, sa, sb, len);
                return;
            }
            let (mut ba, mut bb, mut t, mut bo) =
                (Chunk::new(), Chunk::new(), Chunk::new(), Chunk::new());
            let mut i = 0;
            while i < len {
                let n = ch.min(len - i);
                let at = |p: *mut u8, s: isize| p.wrapping_offset(i as isize * s) as *const u8;
                // SAFETY: the plan yields in-range runs; n fits every chunk buffer.
                let loaded = unsafe {
                    src_a
                        .load(at(a, sa), sa, n, &mut ba, &mut t)
                        .and_then(|x| Ok((x, src_b.load(at(b, sb), sb, n, &mut bb, &mut t)?)))
                };
                let Ok((xa, xb)) = loaded else {
                    failed.store(true, Ordering::Relaxed);
                    return;
                };
                let dst = o.wrapping_offset(i as isize * os);
                if os == osz as isize {
                    call(xa, xb, dst, sa, sb, n);
                } else {
                    call(xa, xb, bo.ptr(), sa, sb, n);
                    // SAFETY: bo holds n results; dst's run is in range of the output.
                    unsafe { scatter(bo.ptr(), dst, os, osz, n) };
                }
                i += n;
            }
        },
    )?;
    if failed.into_inner() {
        return Err(unsupported());
    }
    Ok(out)
}
