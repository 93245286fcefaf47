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

/// Binary ops: the kernel-table ops (`CP_ADD`.. in the C header, same numbers) and the logical
/// ones, which run the bitwise kernels on operands cast to bool.
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
    Max = 10,
    Min = 11,
    Pow = 12,
    Rem = 13,
    FloorDiv = 14,
    Atan2 = 15,
    Hypot = 16,
    Copysign = 17,
    Nextafter = 18,
    Logaddexp = 19,
    BitAnd = 20,
    BitOr = 21,
    BitXor = 22,
    Shl = 23,
    Shr = 24,
    LogicalAnd = 25,
    LogicalOr = 26,
    LogicalXor = 27,
}

impl BinOp {
    pub const ALL: [BinOp; 28] = [
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
        BinOp::Max,
        BinOp::Min,
        BinOp::Pow,
        BinOp::Rem,
        BinOp::FloorDiv,
        BinOp::Atan2,
        BinOp::Hypot,
        BinOp::Copysign,
        BinOp::Nextafter,
        BinOp::Logaddexp,
        BinOp::BitAnd,
        BinOp::BitOr,
        BinOp::BitXor,
        BinOp::Shl,
        BinOp::Shr,
        BinOp::LogicalAnd,
        BinOp::LogicalOr,
        BinOp::LogicalXor,
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
            BinOp::Max => "maximum",
            BinOp::Min => "minimum",
            BinOp::Pow => "pow",
            BinOp::Rem => "remainder",
            BinOp::FloorDiv => "floor_divide",
            BinOp::Atan2 => "atan2",
            BinOp::Hypot => "hypot",
            BinOp::Copysign => "copysign",
            BinOp::Nextafter => "nextafter",
            BinOp::Logaddexp => "logaddexp",
            BinOp::BitAnd => "bitwise_and",
            BinOp::BitOr => "bitwise_or",
            BinOp::BitXor => "bitwise_xor",
            BinOp::Shl => "bitwise_left_shift",
            BinOp::Shr => "bitwise_right_shift",
            BinOp::LogicalAnd => "logical_and",
            BinOp::LogicalOr => "logical_or",
            BinOp::LogicalXor => "logical_xor",
        }
    }

    /// The kernel-table row that computes it.
    pub fn kernel(self) -> usize {
        match self {
            BinOp::LogicalAnd => BinOp::BitAnd as usize,
            BinOp::LogicalOr => BinOp::BitOr as usize,
            BinOp::LogicalXor => BinOp::BitXor as usize,
            op => op as usize,
        }
    }

    pub fn is_comparison(self) -> bool {
        (BinOp::Eq as u8..=BinOp::Ge as u8).contains(&(self as u8))
    }

    pub fn is_logical(self) -> bool {
        self as u8 >= BinOp::LogicalAnd as u8
    }

    /// Functions of real floating-point arguments: integers compute in float64 (as NumPy).
    pub fn float_only(self) -> bool {
        matches!(
            self,
            BinOp::Atan2 | BinOp::Hypot | BinOp::Copysign | BinOp::Nextafter | BinOp::Logaddexp
        )
    }

    /// (dtype the kernel computes in, dtype of the result) for operands of these dtypes.
    pub fn dtypes(self, a: DType, b: DType) -> (DType, DType) {
        if self.is_logical() {
            return (DType::Bool, DType::Bool);
        }
        let c = promote(a, b);
        if self.is_comparison() {
            (c, DType::Bool)
        } else if (self == BinOp::Div || self.float_only()) && c.is_int() {
            // True division of integers gives float64, as in NumPy (bool has no division).
            (DType::F64, DType::F64)
        } else {
            (c, c)
        }
    }
}

/// Unary element-wise ops, in the order of the kernel table (`CP_NEG`.. in the C header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg = 0,
    Pos,
    Abs,
    Square,
    Recip,
    Sign,
    Floor,
    Ceil,
    Trunc,
    Round,
    Sqrt,
    IsNan,
    IsInf,
    IsFinite,
    Signbit,
    Not,
    Invert,
    Conj,
    Exp,
    Expm1,
    Log,
    Log1p,
    Log2,
    Log10,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
}

impl UnOp {
    /// Every op with its standard name, in table order.
    pub const ALL: [(UnOp, &'static str); 36] = [
        (UnOp::Neg, "negative"),
        (UnOp::Pos, "positive"),
        (UnOp::Abs, "abs"),
        (UnOp::Square, "square"),
        (UnOp::Recip, "reciprocal"),
        (UnOp::Sign, "sign"),
        (UnOp::Floor, "floor"),
        (UnOp::Ceil, "ceil"),
        (UnOp::Trunc, "trunc"),
        (UnOp::Round, "round"),
        (UnOp::Sqrt, "sqrt"),
        (UnOp::IsNan, "isnan"),
        (UnOp::IsInf, "isinf"),
        (UnOp::IsFinite, "isfinite"),
        (UnOp::Signbit, "signbit"),
        (UnOp::Not, "logical_not"),
        (UnOp::Invert, "bitwise_invert"),
        (UnOp::Conj, "conj"),
        (UnOp::Exp, "exp"),
        (UnOp::Expm1, "expm1"),
        (UnOp::Log, "log"),
        (UnOp::Log1p, "log1p"),
        (UnOp::Log2, "log2"),
        (UnOp::Log10, "log10"),
        (UnOp::Sin, "sin"),
        (UnOp::Cos, "cos"),
        (UnOp::Tan, "tan"),
        (UnOp::Asin, "asin"),
        (UnOp::Acos, "acos"),
        (UnOp::Atan, "atan"),
        (UnOp::Sinh, "sinh"),
        (UnOp::Cosh, "cosh"),
        (UnOp::Tanh, "tanh"),
        (UnOp::Asinh, "asinh"),
        (UnOp::Acosh, "acosh"),
        (UnOp::Atanh, "atanh"),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL[self as usize].1
    }

    /// The transcendental functions (and sqrt): floats and complex; integers compute in float64.
    pub fn is_math(self) -> bool {
        self as u8 >= UnOp::Exp as u8 || matches!(self, UnOp::Sqrt | UnOp::Recip | UnOp::Signbit)
    }

    /// (dtype the kernel reads, dtype of the result) for an input of dtype `x`.
    pub fn dtypes(self, x: DType) -> (DType, DType) {
        let c = if self.is_math() && x.is_int() {
            DType::F64
        } else {
            x
        };
        let o = match self {
            UnOp::IsNan | UnOp::IsInf | UnOp::IsFinite | UnOp::Signbit | UnOp::Not => DType::Bool,
            UnOp::Abs => c.real_of(),
            _ => c,
        };
        (c, o)
    }
}

/// Outputs from this size on are written with non-temporal stores (`binary_nt`): with both inputs
/// the working set no longer fits the 32 MiB L3, so the output cannot stay cached for the next op
/// anyway, and skipping each line's read-for-ownership cuts an add's traffic from four streams to
/// three. Measured here (float32 add, 2 threads): 1.4x faster at 16 MB and 40 MB outputs; at 8 MB
/// normal stores win (1.3x: the whole add then lives in L3), at 12 MB it is a draw.
pub const STREAM_STORE_BYTES: usize = 12 << 20;

/// Whether an op over `size` elements computing in `cdt` with `odt` outputs streams its output:
/// judged by the widest operand, so a byte output of wide inputs (comparisons, predicates), whose
/// working set is the inputs', streams as a same-size float output would (a 10 MB bool result
/// of 1e7 float32 compares otherwise paid its read-for-ownership: ~1/6 of the traffic).
fn streams(size: usize, cdt: DType, odt: DType) -> bool {
    size.saturating_mul(cdt.itemsize().max(odt.itemsize())) >= STREAM_STORE_BYTES
}

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

/// The result shape of broadcasting `inputs` together, or a ValueError naming `op`.
fn result_shape(op: &str, inputs: &[&View]) -> Result<Dims> {
    if inputs.windows(2).all(|w| w[0].shape() == w[1].shape()) {
        return Ok(Dims::from_slice(inputs[0].shape()));
    }
    let shapes: Vec<&[usize]> = inputs.iter().map(|v| v.shape()).collect();
    broadcast_shapes(&shapes).map_err(|_| {
        let list: Vec<String> = shapes.iter().map(|s| shape_str(s)).collect();
        CoreError::value(format!(
            "{op}: operands could not be broadcast together with shapes {}",
            list.join(" and ")
        ))
    })
}

/// Runs an element-wise kernel over N inputs of any layout into `out` (or a fresh result laid out
/// like the inputs: NumPy's order "K", so every operand is walked in memory order). `cdt[k]` is
/// the dtype kernel input k is read as (a run of another dtype is cast chunk by chunk).
/// `call(inputs, broadcast, out, n)` computes n contiguous results from n contiguous values per
/// input, or from one value where `broadcast[k]`; with every input broadcast it computes one.
fn map<const N: usize>(
    name: &str,
    inputs: [&View; N],
    cdt: [DType; N],
    odt: DType,
    out: Option<&Tensor>,
    call: impl Fn([*const u8; N], [bool; N], *mut u8, usize) + Sync + Send,
) -> Result<Tensor> {
    let shape = result_shape(name, &inputs)?;
    let size: usize = shape.iter().product();
    let mut strides: [Dims<isize>; N] = std::array::from_fn(|k| strides_to(inputs[k], &shape));
    let out = match out {
        Some(o) => {
            check_out(name, o, &shape, odt)?;
            o.clone()
        }
        None => {
            let refs: smallvec::SmallVec<[&[isize]; 3]> =
                strides.iter().map(|s| s.as_slice()).collect();
            let order = order_axes(shape.len(), &refs);
            Tensor::empty_ordered(&shape, &order, odt)?
        }
    };
    // An input that overlaps `out` without being exactly it would be read after being
    // overwritten: it is read from a private copy (as NumPy does).
    let mut copies: [Option<Tensor>; N] = std::array::from_fn(|_| None);
    for k in 0..N {
        if let Some(c) = unalias(inputs[k], &out)? {
            strides[k] = strides_to(&c.view(), &shape);
            copies[k] = Some(c);
        }
    }
    let views: [View; N] =
        std::array::from_fn(|k| copies[k].as_ref().map_or(*inputs[k], Tensor::view));
    let table = kernels();
    let srcs: [Source; N] = std::array::from_fn(|k| Source {
        from: views[k].dtype(),
        to: cdt[k],
    });
    for s in &srcs {
        need(table.gather[s.from.code()], "gather", s.from)?;
        need(table.cast[s.from.code()][s.to.code()], "astype", s.from)?;
    }
    let so = out.byte_strides();
    // (SmallVecs: an op with out= allocates nothing on its sequential path.)
    let all: smallvec::SmallVec<[&[isize]; 4]> = std::iter::once(so.as_slice())
        .chain(strides.iter().map(|s| s.as_slice()))
        .collect();
    let order = order_axes(shape.len(), &all);
    let plan_strides: [&[isize]; 4] = std::array::from_fn(|k| all.get(k).copied().unwrap_or(&[]));
    let osz = odt.itemsize();
    let widest = cdt
        .iter()
        .map(|d| d.itemsize())
        .chain(views.iter().map(|v| v.dtype().itemsize()))
        .fold(osz, usize::max);
    let ch = chunk_elems(&[widest]);
    let failed = AtomicBool::new(false);
    let po = SendPtr(out.data_mut()?);
    let bases: [SendPtr; N] = std::array::from_fn(|k| SendPtr(views[k].data() as *mut u8));
    // One result, repeated along the run: every input is constant there.
    let run_call = |ptrs: [*const u8; N], bcast: [bool; N], o: *mut u8, n: usize| {
        if n > 1 && bcast.iter().all(|&b| b) {
            call(ptrs, bcast, o, 1);
            for j in 1..n {
                // SAFETY: o holds n contiguous outputs; the first is written.
                unsafe { std::ptr::copy_nonoverlapping(o, o.add(j * osz), osz) };
            }
        } else {
            call(ptrs, bcast, o, n);
        }
    };
    let body = |p: &[*mut u8], st: &[isize], len: usize| {
        let (o, os) = (p[0], st[0]);
        let ins: [*mut u8; N] = std::array::from_fn(|k| p[k + 1]);
        let ist: [isize; N] = std::array::from_fn(|k| st[k + 1]);
        let bcast: [bool; N] = std::array::from_fn(|k| ist[k] == 0);
        if (0..N).all(|k| srcs[k].direct(ist[k])) && os == osz as isize {
            run_call(ins.map(|q| q as *const u8), bcast, o, len);
            return;
        }
        let mut bufs: [Chunk; N] = std::array::from_fn(|_| Chunk::new());
        let (mut t, mut bo) = (Chunk::new(), Chunk::new());
        let mut i = 0;
        while i < len {
            let n = ch.min(len - i);
            let mut loaded = [std::ptr::null::<u8>(); N];
            for k in 0..N {
                let at = ins[k].wrapping_offset(i as isize * ist[k]) as *const u8;
                // SAFETY: the plan yields in-range runs; n fits every chunk buffer.
                match unsafe { srcs[k].load(at, ist[k], n, &mut bufs[k], &mut t) } {
                    Ok(x) => loaded[k] = x,
                    Err(_) => {
                        failed.store(true, Ordering::Relaxed);
                        return;
                    }
                }
            }
            let dst = o.wrapping_offset(i as isize * os);
            if os == osz as isize {
                run_call(loaded, bcast, dst, n);
            } else {
                run_call(loaded, bcast, bo.ptr(), n);
                // SAFETY: bo holds n results; dst's run is in range of the output.
                unsafe { scatter(bo.ptr(), dst, os, osz, n) };
            }
            i += n;
        }
    };
    let threshold = parallel::threshold(parallel::Family::Elementwise);
    // Plan takes a fixed operand count: out plus up to three inputs.
    match N {
        1 => Plan::new(&shape, &order, [plan_strides[0], plan_strides[1]]).run(
            [po, bases[0]],
            size,
            threshold,
            |p, st, len| body(&p, &st, len),
        )?,
        2 => Plan::new(
            &shape,
            &order,
            [plan_strides[0], plan_strides[1], plan_strides[2]],
        )
        .run([po, bases[0], bases[1]], size, threshold, |p, st, len| {
            body(&p, &st, len)
        })?,
        _ => Plan::new(&shape, &order, plan_strides).run(
            [po, bases[0], bases[1], bases[2]],
            size,
            threshold,
            |p, st, len| body(&p, &st, len),
        )?,
    }
    if failed.into_inner() {
        return Err(CoreError::type_err(format!(
            "{name}: cannot convert the operands"
        )));
    }
    Ok(out)
}

/// `out = a op b` with broadcasting and promotion. `out`, when given, must have the result's
/// shape and dtype and may be one of the inputs (in-place ops). Inputs are never written.
pub fn binary(op: BinOp, a: &View, b: &View, out: Option<&Tensor>) -> Result<Tensor> {
    let (cdt, odt) = op.dtypes(a.dtype(), b.dtype());
    let table = kernels();
    let unsupported = || {
        CoreError::type_err(format!(
            "{} is not supported for dtypes {} and {}",
            op.name(),
            a.dtype().name(),
            b.dtype().name()
        ))
    };
    let k = op.kernel();
    if table.binary[k][cdt.code()][VV].is_none() {
        return Err(unsupported());
    }
    if op == BinOp::Pow && cdt.is_signed_int() && has_negative(b)? {
        return Err(CoreError::value(
            "pow: integers to negative integer powers are not allowed",
        ));
    }
    let shape = result_shape(op.name(), &[a, b])?;
    let size: usize = shape.iter().product();
    let stream = streams(size, cdt, odt);
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
            let rows = if stream {
                &table.binary_nt
            } else {
                &table.binary
            };
            let f = rows[k][cdt.code()][mode].ok_or_else(unsupported)?;
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
    let nt = stream && out.map_or(true, |o| o.is_contiguous());
    let rows = if nt { &table.binary_nt } else { &table.binary };
    let fns = rows[k][cdt.code()];
    let fns = [
        fns[VV].ok_or_else(unsupported)?,
        fns[VS].ok_or_else(unsupported)?,
        fns[SV].ok_or_else(unsupported)?,
    ];
    map(
        op.name(),
        [a, b],
        [cdt, cdt],
        odt,
        out,
        |[pa, pb], [ba, bb], po, n| {
            let mode = match (ba, bb) {
                (false, false) => VV,
                (true, false) => SV,
                _ => VS,
            };
            // SAFETY: map hands n contiguous values per input (one where broadcast) of the compute
            // dtype and room for n outputs.
            unsafe {
                fns[mode](
                    pa as *const c_void,
                    pb as *const c_void,
                    po as *mut c_void,
                    n,
                )
            }
        },
    )
}

/// True if any element of the integer view `x` is below zero.
fn has_negative(x: &View) -> Result<bool> {
    let zero = Tensor::scalar_bytes(&[0u8; 8][..x.dtype().itemsize()], x.dtype())?;
    let neg = binary(BinOp::Lt, x, &zero.view(), None)?;
    Ok(matches!(
        crate::kernels::reduce::reduce_all(crate::kernels::reduce::Reduction::Any, &neg.view())?,
        crate::kernels::reduce::Scalar::Bool(true)
    ))
}

/// `out = op(x)`, elementwise, over any layout.
pub fn unary(op: UnOp, x: &View, out: Option<&Tensor>) -> Result<Tensor> {
    let (cdt, odt) = op.dtypes(x.dtype());
    let table = kernels();
    let plain = table.unary[op as usize][cdt.code()].ok_or_else(|| {
        CoreError::type_err(format!(
            "{} is not supported for dtype {}",
            op.name(),
            x.dtype().name()
        ))
    })?;
    // Large contiguous outputs are streamed (as binary's): see STREAM_STORE_BYTES.
    let f = match table.unary_nt[op as usize][cdt.code()] {
        Some(nt) if streams(x.size(), cdt, odt) && out.map_or(true, |o| o.is_contiguous()) => nt,
        _ => plain,
    };
    if out.is_none() && x.dtype() == cdt && x.is_contiguous() {
        let out = Tensor::empty(x.shape(), odt)?;
        let (isz, osz) = (cdt.itemsize(), odt.itemsize());
        let (px, po) = (SendPtr(x.data() as *mut u8), SendPtr(out.data_mut()?));
        parallel::for_chunks_checked(
            x.size(),
            parallel::threshold(parallel::Family::Elementwise),
            |start, len| {
                // SAFETY: chunks are disjoint sub-ranges of the dense input and output.
                unsafe {
                    f(
                        px.get().add(start * isz) as *const c_void,
                        po.get().add(start * osz) as *mut c_void,
                        len,
                    )
                }
            },
        )?;
        return Ok(out);
    }
    map(op.name(), [x], [cdt], odt, out, |[px], _, po, n| {
        // SAFETY: n contiguous inputs (one when broadcast: then n == 1) and room for n outputs.
        unsafe { f(px as *const c_void, po as *mut c_void, n) }
    })
}

/// `where(cond, a, b)`: a where cond is true, else b, broadcast together; a and b promote.
pub fn select(cond: &View, a: &View, b: &View, out: Option<&Tensor>) -> Result<Tensor> {
    let dt = promote(a.dtype(), b.dtype());
    let sz = dt.itemsize();
    map(
        "where",
        [cond, a, b],
        [DType::Bool, dt, dt],
        dt,
        out,
        |[pc, pa, pb], [bc, ba, bb], po, n| {
            for i in 0..n {
                let at = |p: *const u8, bcast: bool| if bcast { p } else { p.wrapping_add(i * sz) };
                // SAFETY: n values per input (one where broadcast), n outputs at po.
                unsafe {
                    let c = *if bc { pc } else { pc.add(i) } != 0;
                    let src = if c { at(pa, ba) } else { at(pb, bb) };
                    std::ptr::copy_nonoverlapping(src, po.add(i * sz), sz);
                }
            }
        },
    )
}
