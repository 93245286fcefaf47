//! The decompositions of `corepy.linalg` (`corepy._core._linalg_*`); the standard's signatures,
//! result tuples and the functions composed of other ops are in python/corepy/linalg.py.

use super::convert::to_operand;
use super::ops::{run, wrap};
use crate::error::{shape_str, CoreError};
use crate::instrument::OpCall;
use crate::kernels::linalg_ext::{self as le, flops, Stack};
use crate::tensor::Tensor;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The faer-backed ops run Rust code (faer's kernels), not corepy's C++ table.
const ISA: &str = "faer";

/// One decomposition call: the operand as a stack in its compute dtype, then `f` with the GIL
/// released (when large), recorded with its flops.
fn decompose<'py>(
    py: Python<'py>,
    name: &'static str,
    x: &Bound<'py, PyAny>,
    square: bool,
    cost: impl Fn(&Stack) -> usize,
    f: impl FnOnce(&Stack) -> crate::error::Result<Vec<Tensor>> + Send,
) -> PyResult<Vec<Tensor>> {
    let call = OpCall::begin(name);
    let t = to_operand(x)?;
    let dt = le::compute_dtype(name, t.dtype())?;
    let s = Stack::new(name, &t, dt, square)?;
    let fl = s.count.saturating_mul(cost(&s));
    let r = run(py, fl, || f(&s))?;
    let written = r.iter().map(|t| t.nbytes()).sum();
    call.finish_flops(s.count * s.m * s.n, s.nbytes(), written, fl as u64, ISA);
    Ok(r)
}

fn one(py: Python<'_>, mut r: Vec<Tensor>) -> PyResult<Py<PyAny>> {
    wrap(py, r.remove(0))
}

fn tuple<'py>(py: Python<'py>, r: Vec<Tensor>) -> PyResult<Bound<'py, PyTuple>> {
    let items: Vec<Py<PyAny>> = r
        .into_iter()
        .map(|t| wrap(py, t))
        .collect::<PyResult<_>>()?;
    PyTuple::new(py, items)
}

#[pyfunction]
#[pyo3(signature = (x, /, upper))]
fn _linalg_cholesky(py: Python<'_>, x: &Bound<'_, PyAny>, upper: bool) -> PyResult<Py<PyAny>> {
    let cost = |s: &Stack| flops::cholesky(s.n);
    let r = decompose(py, "cholesky", x, true, cost, |s| {
        Ok(vec![le::cholesky(s, upper)?])
    })?;
    one(py, r)
}

#[pyfunction]
fn _linalg_inv(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let cost = |s: &Stack| flops::inv(s.n);
    let r = decompose(py, "inv", x, true, cost, |s| Ok(vec![le::inv(s)?]))?;
    one(py, r)
}

#[pyfunction]
fn _linalg_det(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let cost = |s: &Stack| flops::det(s.n);
    let r = decompose(py, "det", x, true, cost, |s| le::det(s, false))?;
    one(py, r)
}

#[pyfunction]
fn _linalg_slogdet<'py>(py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let cost = |s: &Stack| flops::det(s.n);
    let r = decompose(py, "slogdet", x, true, cost, |s| le::det(s, true))?;
    tuple(py, r)
}

#[pyfunction]
#[pyo3(signature = (x, /, mode))]
fn _linalg_qr<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    mode: &str,
) -> PyResult<Bound<'py, PyTuple>> {
    let complete = match mode {
        "reduced" => false,
        "complete" => true,
        _ => {
            return Err(CoreError::value(format!(
                "qr: mode must be 'reduced' or 'complete', got {mode:?}"
            ))
            .into())
        }
    };
    let cost = |s: &Stack| flops::qr(s.m, s.n, if complete { s.m } else { s.m.min(s.n) });
    let r = decompose(py, "qr", x, false, cost, |s| le::qr(s, complete))?;
    tuple(py, r)
}

#[pyfunction]
#[pyo3(signature = (x, /, full_matrices))]
fn _linalg_svd<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    full_matrices: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let cost = |s: &Stack| flops::svd(s.m, s.n, true);
    let r = decompose(py, "svd", x, false, cost, |s| {
        le::svd(s, Some(full_matrices))
    })?;
    tuple(py, r)
}

#[pyfunction]
fn _linalg_svdvals(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let cost = |s: &Stack| flops::svd(s.m, s.n, false);
    let r = decompose(py, "svdvals", x, false, cost, |s| le::svd(s, None))?;
    one(py, r)
}

#[pyfunction]
fn _linalg_eigh<'py>(py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let cost = |s: &Stack| flops::eigh(s.n, true);
    let r = decompose(py, "eigh", x, true, cost, |s| le::eigh(s, true))?;
    tuple(py, r)
}

#[pyfunction]
fn _linalg_eigvalsh(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let cost = |s: &Stack| flops::eigh(s.n, false);
    let r = decompose(py, "eigvalsh", x, true, cost, |s| le::eigh(s, false))?;
    one(py, r)
}

#[pyfunction]
fn _linalg_eig<'py>(py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let cost = |s: &Stack| flops::eig(s.n, true);
    let r = decompose(py, "eig", x, true, cost, |s| le::eig(s, true))?;
    tuple(py, r)
}

#[pyfunction]
fn _linalg_eigvals(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let cost = |s: &Stack| flops::eig(s.n, false);
    let r = decompose(py, "eigvals", x, true, cost, |s| le::eig(s, false))?;
    one(py, r)
}

/// Solves x1 @ x = x2: x2 is one vector `(N,)` when 1-D (shared by the whole stack), else a
/// stack of matrices `(..., N, K)`; batch dimensions broadcast.
#[pyfunction]
fn _linalg_solve(
    py: Python<'_>,
    x1: &Bound<'_, PyAny>,
    x2: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin("solve");
    let (a, b) = (to_operand(x1)?, to_operand(x2)?);
    let dt = le::compute_dtype("solve", crate::dtype::promote(a.dtype(), b.dtype()))?;
    le::compute_dtype("solve", a.dtype())?;
    le::compute_dtype("solve", b.dtype())?;
    let sa = Stack::new("solve", &a, dt, true)?;
    let vector = b.ndim() == 1;
    let bm = if vector {
        b.expand_dims(1)?
    } else if b.ndim() == 0 {
        return Err(CoreError::value(format!(
            "solve: x2 must have at least one dimension, got shape {}",
            shape_str(b.shape())
        ))
        .into());
    } else {
        b
    };
    let sb = Stack::new("solve", &bm, dt, false)?;
    let fl = sa.count.max(sb.count) * flops::solve(sa.n, sb.n);
    let r = run(py, fl, || le::solve(&sa, &sb, vector))?;
    call.finish_flops(
        r.size(),
        sa.nbytes() + sb.nbytes(),
        r.nbytes(),
        fl as u64,
        ISA,
    );
    wrap(py, r)
}

/// The diagonal at `offset` of each matrix in the stack, as a view (no copy).
#[pyfunction]
#[pyo3(signature = (x, /, offset))]
fn _linalg_diagonal(py: Python<'_>, x: &Bound<'_, PyAny>, offset: i64) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin("diagonal");
    let t = to_operand(x)?;
    let nd = t.ndim();
    if nd < 2 {
        return Err(CoreError::value(format!(
            "diagonal: expected a matrix or a stack of matrices (at least 2 dimensions), got \
             shape {}",
            shape_str(t.shape())
        ))
        .into());
    }
    let (m, n) = (t.shape()[nd - 2] as i64, t.shape()[nd - 1] as i64);
    let (rs, cs) = (t.strides()[nd - 2], t.strides()[nd - 1]);
    // Offset k > 0 starts at column k, k < 0 at row -k; the length is what fits.
    let (r0, c0) = if offset >= 0 {
        (0, offset)
    } else {
        (-offset, 0)
    };
    let len = (m - r0).min(n - c0).max(0) as usize;
    let start = if len == 0 {
        0
    } else {
        r0 as isize * rs + c0 as isize * cs
    };
    let mut shape = t.shape()[..nd - 2].to_vec();
    shape.push(len);
    let mut strides = t.strides()[..nd - 2].to_vec();
    strides.push(rs + cs);
    let r = t.with_layout(start, &shape, &strides)?;
    call.finish(r.size(), 0, 0, ISA);
    wrap(py, r)
}

/// The functions of corepy.linalg composed of other ops in Python (python/corepy/linalg.py):
/// each call is recorded under its own name too, around the ops it is made of.
const COMPOSED: [&str; 12] = [
    "cross",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "outer",
    "pinv",
    "trace",
    "vector_norm",
    "linalg.matmul",
    "linalg.tensordot",
    "linalg.vecdot",
];

/// A running call of a composed function (see [`COMPOSED`]).
#[pyclass]
struct _LinalgCall(Option<OpCall>);

#[pymethods]
impl _LinalgCall {
    fn finish(&mut self, elements: usize, bytes_read: usize, bytes_written: usize) {
        if let Some(call) = self.0.take() {
            call.finish(elements, bytes_read, bytes_written, "composed");
        }
    }
}

#[pyfunction]
fn _linalg_begin(name: &str) -> PyResult<_LinalgCall> {
    let op = COMPOSED.iter().find(|&&n| n == name).ok_or_else(|| {
        CoreError::value(format!(
            "_linalg_begin: {name:?} is not a composed linalg function"
        ))
    })?;
    Ok(_LinalgCall(Some(OpCall::begin(op))))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<_LinalgCall>()?;
    m.add_function(wrap_pyfunction!(_linalg_begin, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_cholesky, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_inv, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_det, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_slogdet, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_qr, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_svd, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_svdvals, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_eigh, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_eigvalsh, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_eig, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_eigvals, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_solve, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_diagonal, m)?)?;
    m.add("LinAlgError", super::error::linalg_error(m.py()))?;
    Ok(())
}
