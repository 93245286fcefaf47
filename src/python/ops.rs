//! Module-level functions: ops on array-likes, and the runtime controls.

use super::convert::{is_py_scalar, parse_axis, scalar_as, to_matmul_operand, to_operand, Operand};
use super::tensor::PyTensor;
use crate::arena::{with_arena, Scratch};
use crate::dispatch;
use crate::dtype::DType;
use crate::error::{CoreError, Result};
use crate::gemm::Algorithm;
use crate::instrument::OpCall;
use crate::kernels::elementwise::{self, BinOp};
use crate::kernels::linalg;
use crate::kernels::reduce::{self, Reduction, Scalar};
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

pub fn wrap(py: Python<'_>, t: Tensor) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, PyTensor::new(t))?.into_any())
}

pub fn scalar_to_py(py: Python<'_>, s: Scalar) -> PyResult<Py<PyAny>> {
    match s {
        Scalar::F64(v) => v.into_py_any(py),
        Scalar::I64(v) => v.into_py_any(py),
        Scalar::Bool(v) => v.into_py_any(py),
    }
}

/// Both operands of a binary op; a Python scalar takes the other operand's dtype.
pub fn operands<'a, 'py>(
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    s: &Scratch<'a>,
) -> PyResult<(Operand<'a, 'py>, Operand<'a, 'py>)> {
    match (is_py_scalar(a), is_py_scalar(b)) {
        (false, true) => {
            let ta = to_operand(a, s)?;
            let tb = scalar_as(b, ta.view().dtype())?;
            Ok((ta, Operand::Owned(tb)))
        }
        (true, false) => {
            let tb = to_operand(b, s)?;
            Ok((Operand::Owned(scalar_as(a, tb.view().dtype())?), tb))
        }
        _ => Ok((to_operand(a, s)?, to_operand(b, s)?)),
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
    with_arena(|s| {
        let (oa, ob) = operands(a, b, s)?;
        let (ta, tb) = (oa.view(), ob.view());
        let out_t = match out.filter(|o| !o.is_none()) {
            Some(o) => Some(
                o.cast::<PyTensor>()
                    .map_err(|_| {
                        CoreError::type_err(format!(
                            "{}: out must be a corepy Tensor, got {}",
                            op.name(),
                            o.get_type()
                                .name()
                                .map(|n| n.to_string())
                                .unwrap_or_default()
                        ))
                    })?
                    .clone(),
            ),
            None => None,
        };
        let work = ta.size().max(tb.size());
        let read = ta.nbytes() + tb.nbytes();
        match out_t {
            Some(o) => {
                let ot = &o.get().inner;
                run(py, work, || elementwise::binary(op, &ta, &tb, Some(ot)))?;
                call.finish(ot.size(), read, ot.nbytes(), isa());
                Ok(o.into_any().unbind())
            }
            None => {
                let r = run(py, work, || elementwise::binary(op, &ta, &tb, None))?;
                call.finish(r.size(), read, r.nbytes(), isa());
                wrap(py, r)
            }
        }
    })
}

fn isa() -> &'static str {
    dispatch::active_isa().name()
}

/// A reduction; `call` was begun before the input was converted, so its import is counted.
pub fn reduce_op(
    py: Python<'_>,
    call: OpCall,
    kind: Reduction,
    x: &View,
    axis: Option<i64>,
) -> PyResult<Py<PyAny>> {
    match axis {
        None => {
            let r = run(py, x.size(), || reduce::reduce_all(kind, x))?;
            call.finish(x.size(), x.nbytes(), 8, isa());
            scalar_to_py(py, r)
        }
        Some(ax) => {
            let r = run(py, x.size(), || reduce::reduce_axis(kind, x, ax))?;
            call.finish(x.size(), x.nbytes(), r.nbytes(), isa());
            wrap(py, r)
        }
    }
}

/// Multiply-adds (m * n * k per product) above which a matmul runs with the GIL released.
const MATMUL_DETACH_MIN: usize = 1 << 19;

/// About m * n * k times the batch count of `a @ b` (shapes not yet checked: an estimate only,
/// from the larger operand times the other's free dimension).
fn matmul_flops(a: &View, a_trans: bool, b: &View, b_trans: bool) -> usize {
    // The logical rows of A (m) and columns of B (n); 1-D operands contribute 1.
    let free = |t: &View, trans: bool, rows: bool| match (t.shape(), trans) {
        ([r, c], true) => {
            if rows {
                *c
            } else {
                *r
            }
        }
        ([.., r, c], _) => {
            if rows {
                *r
            } else {
                *c
            }
        }
        _ => 1,
    };
    let (m, n) = (free(a, a_trans, true), free(b, b_trans, false));
    a.size().saturating_mul(n).max(b.size().saturating_mul(m))
}

pub fn matmul_op(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    algorithm: &str,
) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin("matmul");
    let algo = Algorithm::from_name(algorithm)?;
    with_arena(|s| {
        let ((oa, at), (ob, bt)) = (to_matmul_operand(a, s)?, to_matmul_operand(b, s)?);
        let (ta, tb) = (oa.view(), ob.view());
        // A matmul's time follows its multiply-adds, not its operand sizes: release the GIL only
        // when the product runs long enough (~10 us) to hide the release and re-acquire.
        let out = if matmul_flops(&ta, at, &tb, bt) >= MATMUL_DETACH_MIN {
            py.detach(|| crate::interrupt::armed(|| linalg::matmul_with(&ta, at, &tb, bt, algo)))
        } else {
            linalg::matmul_with(&ta, at, &tb, bt, algo)
        }?;
        call.finish(out.size(), ta.nbytes() + tb.nbytes(), out.nbytes(), isa());
        if out.ndim() == 0 {
            // SAFETY: a 0-d result holds exactly one element of its dtype.
            return scalar_to_py(py, unsafe { reduce::read_scalar(out.data(), out.dtype()) });
        }
        wrap(py, out)
    })
}

macro_rules! binary_fn {
    ($name:ident, $op:expr) => {
        #[pyfunction]
        #[pyo3(signature = (a, b, out=None))]
        fn $name(
            py: Python<'_>,
            a: &Bound<'_, PyAny>,
            b: &Bound<'_, PyAny>,
            out: Option<&Bound<'_, PyAny>>,
        ) -> PyResult<Py<PyAny>> {
            binary_op(py, $op, a, b, out)
        }
    };
}
binary_fn!(add, BinOp::Add);
binary_fn!(sub, BinOp::Sub);
binary_fn!(mul, BinOp::Mul);
binary_fn!(div, BinOp::Div);

macro_rules! reduce_fn {
    ($name:ident, $kind:expr) => {
        #[pyfunction]
        #[pyo3(signature = (x, axis=None))]
        fn $name(
            py: Python<'_>,
            x: &Bound<'_, PyAny>,
            axis: Option<&Bound<'_, PyAny>>,
        ) -> PyResult<Py<PyAny>> {
            let axis = parse_axis(axis)?;
            let call = OpCall::begin($kind.name());
            with_arena(|s| reduce_op(py, call, $kind, &to_operand(x, s)?.view(), axis))
        }
    };
}
reduce_fn!(sum, Reduction::Sum);
reduce_fn!(mean, Reduction::Mean);
reduce_fn!(all, Reduction::All);
reduce_fn!(any, Reduction::Any);

#[pyfunction]
fn dot(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin("dot");
    with_arena(|s| {
        let (oa, ob) = (to_operand(a, s)?, to_operand(b, s)?);
        let (ta, tb) = (oa.view(), ob.view());
        let r = run(py, ta.size(), || linalg::dot(&ta, &tb))?;
        call.finish(ta.size(), ta.nbytes() + tb.nbytes(), 8, isa());
        scalar_to_py(py, r)
    })
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
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(sub, m)?)?;
    m.add_function(wrap_pyfunction!(mul, m)?)?;
    m.add_function(wrap_pyfunction!(div, m)?)?;
    m.add_function(wrap_pyfunction!(sum, m)?)?;
    m.add_function(wrap_pyfunction!(mean, m)?)?;
    m.add_function(wrap_pyfunction!(all, m)?)?;
    m.add_function(wrap_pyfunction!(any, m)?)?;
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
        let attr = if d == DType::Bool { "bool_" } else { d.name() };
        m.add(attr, d.name())?;
    }
    Ok(())
}
