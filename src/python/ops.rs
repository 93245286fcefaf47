//! Module-level functions: ops on array-likes, and the runtime controls.

use super::convert::{is_py_scalar, scalar_as, to_operand, weak_scalar_dtype, Operand};
use super::tensor::PyTensor;
use crate::dispatch;
use crate::dtype::DType;
use crate::error::{CoreError, Result};
use crate::gemm::Algorithm;
use crate::instrument::OpCall;
use crate::kernels::elementwise::{self, BinOp, UnOp};
use crate::kernels::linalg;
use crate::kernels::reduce::{self, Scalar};
use crate::parallel;
use crate::tensor::{Tensor, View};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;

/// Work (in elements) above which a kernel runs with the GIL released; below it the release and
/// re-acquire would cost more than the kernel.
const DETACH_MIN: usize = 1 << 14;

/// Runs core work, with the GIL released when it is large enough to matter. Released work is
/// interruptible: drivers check for signals (Ctrl-C) between slabs (`crate::interrupt`).
pub fn run<T: Send>(
    py: Python<'_>,
    work: usize,
    f: impl FnOnce() -> Result<T> + Send,
) -> PyResult<T> {
    let r = if work >= DETACH_MIN {
        py.detach(|| crate::interrupt::armed(f))
    } else {
        f()
    };
    r.map_err(Into::into)
}

#[inline(always)]
pub fn wrap(py: Python<'_>, t: Tensor) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, PyTensor::new(t))?.into_any())
}

pub fn scalar_to_py(py: Python<'_>, s: Scalar) -> PyResult<Py<PyAny>> {
    match s {
        Scalar::F64(v) => v.into_py_any(py),
        Scalar::I64(v) => v.into_py_any(py),
        Scalar::Bool(v) => v.into_py_any(py),
        Scalar::U64(v) => v.into_py_any(py),
        Scalar::Complex(re, im) => Ok(pyo3::types::PyComplex::from_doubles(py, re, im)
            .into_any()
            .unbind()),
    }
}

/// Both operands of a binary op; a Python scalar is weak (NEP 50): it takes the other
/// operand's dtype where its kind allows. True division of integers computes in float64, so
/// there an int scalar is read as float64 (as NumPy: `int32_array / 2**40` is no overflow).
pub fn operands<'a>(
    op: BinOp,
    a: &'a Bound<'_, PyAny>,
    b: &'a Bound<'_, PyAny>,
) -> PyResult<(Operand<'a>, Operand<'a>)> {
    let weak = |s: &Bound<'_, PyAny>, other: DType| {
        let d = weak_scalar_dtype(s, other);
        if (op == BinOp::Div || op.float_only()) && d.is_int() {
            DType::F64
        } else {
            d
        }
    };
    match (is_py_scalar(a), is_py_scalar(b)) {
        (false, true) => {
            let ta = Operand::of(a)?;
            let tb = scalar_as(b, weak(b, ta.dtype()))?;
            Ok((ta, Operand::Owned(tb)))
        }
        (true, false) => {
            let tb = Operand::of(b)?;
            Ok((Operand::Owned(scalar_as(a, weak(a, tb.dtype()))?), tb))
        }
        _ => Ok((Operand::of(a)?, Operand::of(b)?)),
    }
}

/// An `out=` argument: a corepy Tensor or any writable buffer (a NumPy array), used in place.
pub fn out_operand(op: &str, o: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    if let Ok(t) = o.cast::<PyTensor>() {
        return Ok(t.get().inner.clone());
    }
    match super::buffer::import(o, None, Some(false)) {
        Ok(Some(t)) => {
            t.data_mut()?;
            Ok(t)
        }
        Ok(None) => Err(CoreError::type_err(format!(
            "{op}: out must be a corepy Tensor or a writable buffer, got {}",
            o.get_type().name()?
        ))
        .into()),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyTypeError>(o.py()) => Err(e),
        Err(e) => {
            Err(CoreError::value(format!("{op}: out cannot be written in place: {e}")).into())
        }
    }
}

pub fn binary_op(
    py: Python<'_>,
    op: BinOp,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    out: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin(op.name());
    let (ta, tb) = operands(op, a, b)?;
    let (va, vb) = (ta.view(), tb.view());
    let work = va.size().max(vb.size());
    let read = va.nbytes() + vb.nbytes();
    match out.filter(|o| !o.is_none()) {
        Some(o) => {
            let ot = out_operand(op.name(), o)?;
            run(py, work, || elementwise::binary(op, &va, &vb, Some(&ot)))?;
            call.finish(ot.size(), read, ot.nbytes(), isa());
            Ok(o.clone().unbind())
        }
        None => {
            let r = run(py, work, || elementwise::binary(op, &va, &vb, None))?;
            call.finish(r.size(), read, r.nbytes(), isa());
            wrap(py, r)
        }
    }
}

fn isa() -> &'static str {
    dispatch::active_isa().name()
}

/// Multiply-adds (m * n * k per product) above which a matmul runs with the GIL released.
const MATMUL_DETACH_MIN: usize = 1 << 19;

/// About m * n * k times the batch count of `a @ b` (shapes not yet checked: an estimate only,
/// from the larger operand times the other's free dimension).
fn matmul_flops(a: &View, b: &View) -> usize {
    let m = if a.ndim() >= 2 {
        a.shape()[a.ndim() - 2]
    } else {
        1
    };
    let n = if b.ndim() >= 2 {
        b.shape()[b.ndim() - 1]
    } else {
        1
    };
    a.size().saturating_mul(n).max(b.size().saturating_mul(m))
}

/// A matmul operand as the kernels take it: a 2-D tensor whose transpose is C-contiguous (NumPy's
/// `x.T`, corepy's `t.T`) goes in as that transpose with `true`; packing absorbs it.
fn matmul_operand(t: &Tensor) -> PyResult<(Tensor, bool)> {
    if t.ndim() == 2 && !t.is_contiguous() {
        let tt = t.transpose_all()?;
        if tt.is_contiguous() {
            return Ok((tt, true));
        }
    }
    Ok((t.clone(), false))
}

pub fn matmul_op(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    algorithm: &str,
) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin("matmul");
    let algo = Algorithm::from_name(algorithm)?;
    let (oa, ob) = (to_operand(a)?, to_operand(b)?);
    let flops = matmul_flops(&oa.view(), &ob.view());
    let ((ta, at), (tb, bt)) = (matmul_operand(&oa)?, matmul_operand(&ob)?);
    let (va, vb) = (ta.view(), tb.view());
    // A matmul's time follows its multiply-adds, not its operand sizes: release the GIL only
    // when the product runs long enough (~10 us) to hide the release and re-acquire.
    let out = if flops >= MATMUL_DETACH_MIN {
        py.detach(|| crate::interrupt::armed(|| linalg::matmul_with(&va, at, &vb, bt, algo)))
    } else {
        linalg::matmul_with(&va, at, &vb, bt, algo)
    }?;
    let ran = algo.kernel_isa(dispatch::active_isa()).name();
    call.finish(out.size(), va.nbytes() + vb.nbytes(), out.nbytes(), ran);
    // 1-D @ 1-D is a 0-d tensor, as the standard says.
    wrap(py, out)
}

/// The standard's binary element-wise functions, declared once: each row gives the Python
/// name and the kernel-table op. The functions, `BINARY_OPS` (the profiler's and bench
/// catalogue's list) and the module registration all derive from it.
macro_rules! binary_table {
    ($($name:ident => $op:expr),* $(,)?) => {
        $(
            #[pyfunction]
            #[pyo3(signature = (x1, x2, /, out=None))]
            fn $name(
                py: Python<'_>,
                x1: &Bound<'_, PyAny>,
                x2: &Bound<'_, PyAny>,
                out: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                binary_op(py, $op, x1, x2, out)
            }
        )*
        /// (Python name, op) of every binary element-wise function.
        pub const BINARY_OPS: &[(&str, BinOp)] = &[$((stringify!($name), $op)),*];
        fn register_binary(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(m.add_function(wrap_pyfunction!($name, m)?)?;)*
            Ok(())
        }
    };
}
binary_table! {
    add => BinOp::Add,
    subtract => BinOp::Sub,
    multiply => BinOp::Mul,
    divide => BinOp::Div,
    equal => BinOp::Eq,
    not_equal => BinOp::Ne,
    less => BinOp::Lt,
    less_equal => BinOp::Le,
    greater => BinOp::Gt,
    greater_equal => BinOp::Ge,
    maximum => BinOp::Max,
    minimum => BinOp::Min,
    pow => BinOp::Pow,
    remainder => BinOp::Rem,
    floor_divide => BinOp::FloorDiv,
    atan2 => BinOp::Atan2,
    hypot => BinOp::Hypot,
    copysign => BinOp::Copysign,
    nextafter => BinOp::Nextafter,
    logaddexp => BinOp::Logaddexp,
    bitwise_and => BinOp::BitAnd,
    bitwise_or => BinOp::BitOr,
    bitwise_xor => BinOp::BitXor,
    bitwise_left_shift => BinOp::Shl,
    bitwise_right_shift => BinOp::Shr,
    logical_and => BinOp::LogicalAnd,
    logical_or => BinOp::LogicalOr,
    logical_xor => BinOp::LogicalXor,
}

pub fn unary_op(
    py: Python<'_>,
    op: UnOp,
    x: &Bound<'_, PyAny>,
    out: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin(op.name());
    let t = Operand::of(x)?;
    let v = t.view();
    match out.filter(|o| !o.is_none()) {
        Some(o) => {
            let ot = out_operand(op.name(), o)?;
            run(py, v.size(), || elementwise::unary(op, &v, Some(&ot)))?;
            call.finish(ot.size(), v.nbytes(), ot.nbytes(), isa());
            Ok(o.clone().unbind())
        }
        None => {
            let r = run(py, v.size(), || elementwise::unary(op, &v, None))?;
            call.finish(r.size(), v.nbytes(), r.nbytes(), isa());
            wrap(py, r)
        }
    }
}

/// The standard's unary element-wise functions, declared once (Python name => op), as
/// `binary_table!` does for the binary ones.
macro_rules! unary_table {
    ($($name:ident => $op:expr),* $(,)?) => {
        $(
            #[pyfunction]
            #[pyo3(signature = (x, /, out=None))]
            fn $name(
                py: Python<'_>,
                x: &Bound<'_, PyAny>,
                out: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                unary_op(py, $op, x, out)
            }
        )*
        fn register_unary(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(m.add_function(wrap_pyfunction!($name, m)?)?;)*
            Ok(())
        }
    };
}
unary_table! {
    negative => UnOp::Neg,
    positive => UnOp::Pos,
    abs => UnOp::Abs,
    square => UnOp::Square,
    reciprocal => UnOp::Recip,
    sign => UnOp::Sign,
    floor => UnOp::Floor,
    ceil => UnOp::Ceil,
    trunc => UnOp::Trunc,
    round => UnOp::Round,
    sqrt => UnOp::Sqrt,
    isnan => UnOp::IsNan,
    isinf => UnOp::IsInf,
    isfinite => UnOp::IsFinite,
    signbit => UnOp::Signbit,
    logical_not => UnOp::Not,
    bitwise_invert => UnOp::Invert,
    conj => UnOp::Conj,
    exp => UnOp::Exp,
    expm1 => UnOp::Expm1,
    log => UnOp::Log,
    log1p => UnOp::Log1p,
    log2 => UnOp::Log2,
    log10 => UnOp::Log10,
    sin => UnOp::Sin,
    cos => UnOp::Cos,
    tan => UnOp::Tan,
    asin => UnOp::Asin,
    acos => UnOp::Acos,
    atan => UnOp::Atan,
    sinh => UnOp::Sinh,
    cosh => UnOp::Cosh,
    tanh => UnOp::Tanh,
    asinh => UnOp::Asinh,
    acosh => UnOp::Acosh,
    atanh => UnOp::Atanh,
}

/// `where(condition, x1, x2)`: x1 where condition is true, else x2 (Python scalars are weak).
#[pyfunction]
#[pyo3(name = "where", signature = (condition, x1, x2, /))]
fn where_(
    py: Python<'_>,
    condition: &Bound<'_, PyAny>,
    x1: &Bound<'_, PyAny>,
    x2: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin("where");
    let c = Operand::of(condition)?;
    let (a, b) = operands(BinOp::Eq, x1, x2)?;
    let (vc, va, vb) = (c.view(), a.view(), b.view());
    let work = vc.size().max(va.size()).max(vb.size());
    let r = run(py, work, || elementwise::select(&vc, &va, &vb, None))?;
    call.finish(
        r.size(),
        vc.nbytes() + va.nbytes() + vb.nbytes(),
        r.nbytes(),
        isa(),
    );
    wrap(py, r)
}

/// The real or imaginary part (a new array of the real dtype); real input: itself, or zeros.
fn part(py: Python<'_>, x: &Bound<'_, PyAny>, imag: bool) -> PyResult<Py<PyAny>> {
    let t = to_operand(x)?;
    let r = if t.dtype().is_complex() {
        t.complex_part(imag).view().to_contiguous()?
    } else if !t.dtype().is_float() {
        return Err(CoreError::type_err(format!(
            "{} requires a floating-point tensor, got {}",
            if imag { "imag" } else { "real" },
            t.dtype().name()
        ))
        .into());
    } else if imag {
        Tensor::zeros(t.shape(), t.dtype())?
    } else {
        t.view().to_contiguous()?
    };
    wrap(py, r)
}

#[pyfunction]
#[pyo3(signature = (x, /))]
fn real(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    part(py, x, false)
}

#[pyfunction]
#[pyo3(signature = (x, /))]
fn imag(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    part(py, x, true)
}

#[pyfunction]
fn dot(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin("dot");
    let (oa, ob) = (to_operand(a)?, to_operand(b)?);
    let (ta, tb) = (oa.view(), ob.view());
    let r = run(py, ta.size(), || linalg::dot(&ta, &tb))?;
    call.finish(ta.size(), ta.nbytes() + tb.nbytes(), 8, isa());
    scalar_to_py(py, r)
}

/// `a @ b`; `algorithm` picks a rung of the teaching ladder ("naive", "blocked", "packed",
/// "simd", "auto"), every rung computing the same product.
#[pyfunction]
#[pyo3(signature = (a, b, algorithm="auto"))]
fn matmul(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    algorithm: &str,
) -> PyResult<Py<PyAny>> {
    matmul_op(py, a, b, algorithm)
}

/// The op table as Python sees it: (name, kind) of every table-declared function; kinds:
/// "comparison", "logical", "arithmetic" (binary), "unary", "math" (unary transcendental).
#[pyfunction]
fn _op_table() -> Vec<(&'static str, &'static str)> {
    let binary = BINARY_OPS.iter().map(|(n, op)| {
        let kind = if op.is_comparison() {
            "comparison"
        } else if op.is_logical() {
            "logical"
        } else {
            "arithmetic"
        };
        (*n, kind)
    });
    let unary = UnOp::ALL
        .iter()
        .map(|(op, n)| (*n, if op.is_math() { "math" } else { "unary" }));
    binary.chain(unary).collect()
}

#[pyfunction]
fn set_num_threads(n: i64) -> PyResult<()> {
    let n = usize::try_from(n).map_err(|_| {
        CoreError::value(format!("set_num_threads: need at least 1 thread, got {n}"))
    })?;
    Ok(parallel::set_num_threads(n)?)
}

#[pyfunction]
fn get_num_threads() -> usize {
    parallel::num_threads()
}

#[pyfunction]
fn set_isa(name: &str) -> PyResult<()> {
    dispatch::set_isa(name)?;
    Ok(())
}

#[pyfunction]
fn get_isa() -> &'static str {
    dispatch::active_isa().name()
}

#[pyfunction]
fn cpu_features(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in dispatch::cpu_features().as_pairs() {
        d.set_item(k, v)?;
    }
    Ok(d)
}

#[pyfunction]
fn config(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    let isa = dispatch::active_isa();
    d.set_item("isa", isa.name())?;
    d.set_item("kernel_isa", isa.compiled_name())?;
    d.set_item("kernel_library", dispatch::kernel_library()?)?;
    let avail: Vec<&str> = dispatch::available_isas()
        .iter()
        .map(|i| i.name())
        .collect();
    d.set_item("available_isas", avail)?;
    d.set_item("num_threads", parallel::num_threads())?;
    let th = PyDict::new(py);
    for (k, v) in parallel::thresholds() {
        th.set_item(k, v)?;
    }
    d.set_item("thresholds", th)?;
    d.set_item("arena_size", crate::arena::arena_size())?;
    d.set_item("buffer_cache_limit", crate::tensor::storage_cache_limit())?;
    d.set_item("reduction_block", reduce::BLOCK)?;
    d.set_item("version", env!("CARGO_PKG_VERSION"))?;
    Ok(d)
}

/// Measures memory bandwidth (STREAM kernels, 1 thread and all) and peak FMA FLOP/s.
#[pyfunction]
#[pyo3(signature = (array_mb=256, repeats=5))]
fn machine(py: Python<'_>, array_mb: usize, repeats: usize) -> PyResult<Bound<'_, PyDict>> {
    let r = run(py, usize::MAX, || {
        crate::kernels::stream::machine(array_mb.max(1) << 20, repeats)
    })?;
    let d = PyDict::new(py);
    d.set_item("array_bytes", r.array_bytes)?;
    d.set_item("isa", dispatch::active_isa().name())?;
    d.set_item("num_threads", parallel::num_threads())?;
    let bw = PyDict::new(py);
    for b in &r.bandwidth {
        let per = match bw.get_item(b.kernel)? {
            Some(x) => x.cast_into::<PyDict>()?,
            None => {
                let x = PyDict::new(py);
                bw.set_item(b.kernel, &x)?;
                x
            }
        };
        per.set_item(b.threads, b.gbps)?;
    }
    d.set_item("bandwidth_gbps", bw)?;
    let peak = PyDict::new(py);
    for (threads, g) in &r.peak_gflops {
        peak.set_item(threads, g)?;
    }
    d.set_item("peak_gflops", peak)?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    register_binary(m)?;
    register_unary(m)?;
    m.add_function(wrap_pyfunction!(where_, m)?)?;
    m.add_function(wrap_pyfunction!(real, m)?)?;
    m.add_function(wrap_pyfunction!(imag, m)?)?;
    m.add_function(wrap_pyfunction!(_op_table, m)?)?;
    m.add_function(wrap_pyfunction!(dot, m)?)?;
    m.add_function(wrap_pyfunction!(matmul, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(set_isa, m)?)?;
    m.add_function(wrap_pyfunction!(get_isa, m)?)?;
    m.add_function(wrap_pyfunction!(cpu_features, m)?)?;
    m.add_function(wrap_pyfunction!(config, m)?)?;
    m.add_function(wrap_pyfunction!(machine, m)?)?;
    for d in DType::ALL {
        m.add(d.name(), d.name())?;
    }
    Ok(())
}
