//! Creation primitives under the namespace's creation functions (python/corepy/_api.py): the
//! values are computed here, in Rust, never by NumPy.

use super::convert::parse_dtype;
use super::ops::wrap;
use crate::dtype::{can_cast, promote, DType};
use crate::error::CoreError;
use crate::tensor::Tensor;
use pyo3::prelude::*;

fn dtype_arg(d: &Bound<'_, PyAny>) -> PyResult<DType> {
    parse_dtype(Some(d))?.ok_or_else(|| CoreError::type_err("dtype must not be None").into())
}

/// Fills `n` float64 values `f(i)` and casts them to `dtype` (a float64 tensor when it is one).
fn from_f64s(n: usize, dtype: DType, f: impl Fn(usize) -> f64) -> PyResult<Tensor> {
    let t = Tensor::empty(&[n], DType::F64)?;
    let p = t.data() as *mut f64;
    for i in 0..n {
        // SAFETY: a fresh float64 tensor of n elements.
        unsafe { p.add(i).write(f(i)) };
    }
    Ok(if dtype == DType::F64 {
        t
    } else {
        t.astype(dtype)?
    })
}

#[pyfunction]
fn _empty(py: Python<'_>, shape: Vec<usize>, dtype: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    wrap(py, Tensor::empty(&shape, dtype_arg(dtype)?)?)
}

#[pyfunction]
fn _zeros(py: Python<'_>, shape: Vec<usize>, dtype: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    wrap(py, Tensor::zeros(&shape, dtype_arg(dtype)?)?)
}

/// `n` values `start + i * step`: integers exactly (in int64 arithmetic, wrapping like NumPy's
/// int64 arange), floats in float64.
#[pyfunction]
fn _arange(
    py: Python<'_>,
    start: &Bound<'_, PyAny>,
    step: &Bound<'_, PyAny>,
    n: usize,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let d = dtype_arg(dtype)?;
    if d.is_int() {
        let (s, st): (i64, i64) = (start.extract()?, step.extract()?);
        let t = Tensor::empty(&[n], DType::I64)?;
        let p = t.data() as *mut i64;
        for i in 0..n {
            // SAFETY: a fresh int64 tensor of n elements.
            unsafe { p.add(i).write(s.wrapping_add((i as i64).wrapping_mul(st))) };
        }
        return wrap(py, if d == DType::I64 { t } else { t.astype(d)? });
    }
    let (s, st): (f64, f64) = (start.extract()?, step.extract()?);
    wrap(py, from_f64s(n, d, |i| s + i as f64 * st)?)
}

/// `n` evenly spaced values from `start` to `stop` (included when `endpoint`), computed as
/// NumPy does: start + i * step, with the last value exactly `stop`.
#[pyfunction]
fn _linspace(
    py: Python<'_>,
    start: f64,
    stop: f64,
    n: usize,
    endpoint: bool,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let d = dtype_arg(dtype)?;
    let div = if endpoint { n.saturating_sub(1) } else { n };
    let step = if div > 0 {
        (stop - start) / div as f64
    } else {
        0.0
    };
    wrap(
        py,
        from_f64s(n, d, |i| {
            if endpoint && n > 1 && i == n - 1 {
                stop
            } else {
                start + i as f64 * step
            }
        })?,
    )
}

/// Ones on diagonal `k` of an n x m matrix (zeros elsewhere).
#[pyfunction]
fn _eye(
    py: Python<'_>,
    n: usize,
    m: usize,
    k: i64,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let d = dtype_arg(dtype)?;
    let t = Tensor::zeros(&[n, m], DType::U8)?;
    let p = t.data() as *mut u8;
    for i in 0..n {
        let j = i as i64 + k;
        if j >= 0 && (j as usize) < m {
            // SAFETY: (i, j) is inside the fresh n x m tensor.
            unsafe { p.add(i * m + j as usize).write(1) };
        }
    }
    wrap(py, t.reinterpret(DType::Bool).astype(d)?)
}

/// A copy of `x` with the elements above diagonal `k` (tril) or below it (triu) of every matrix
/// of the last two axes set to zero.
#[pyfunction]
fn _tri(py: Python<'_>, x: &Bound<'_, PyAny>, k: i64, upper: bool) -> PyResult<Py<PyAny>> {
    let t = super::convert::to_operand(x)?;
    if t.ndim() < 2 {
        return Err(CoreError::value(format!(
            "{}: x must have at least 2 dimensions, got shape {}",
            if upper { "triu" } else { "tril" },
            crate::error::shape_str(t.shape())
        ))
        .into());
    }
    let out = t.astype(t.dtype())?;
    let nd = out.ndim();
    let (r, c) = (out.shape()[nd - 2], out.shape()[nd - 1]);
    let isz = out.dtype().itemsize();
    let p = out.data() as *mut u8;
    let mats = out.size().checked_div(r * c).unwrap_or(0);
    for mtx in 0..mats {
        for i in 0..r {
            // tril keeps j <= i + k; triu keeps j >= i + k.
            let edge = (i as i64 + k).clamp(-1, c as i64);
            let (lo, hi) = if upper {
                (0, edge.clamp(0, c as i64) as usize)
            } else {
                ((edge + 1).clamp(0, c as i64) as usize, c)
            };
            if hi > lo {
                // SAFETY: row i of matrix mtx, columns lo..hi, is inside the fresh copy.
                unsafe {
                    std::ptr::write_bytes(p.add(((mtx * r + i) * c + lo) * isz), 0, (hi - lo) * isz)
                };
            }
        }
    }
    wrap(py, out)
}

#[pyfunction]
fn _promote(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<&'static str> {
    Ok(promote(dtype_arg(a)?, dtype_arg(b)?).name())
}

#[pyfunction]
fn _can_cast(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(can_cast(dtype_arg(a)?, dtype_arg(b)?))
}

/// The canonical name of a dtype argument (a name, NumPy dtype or type).
#[pyfunction]
fn _dtype_name(d: &Bound<'_, PyAny>) -> PyResult<&'static str> {
    Ok(dtype_arg(d)?.name())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_empty, m)?)?;
    m.add_function(wrap_pyfunction!(_zeros, m)?)?;
    m.add_function(wrap_pyfunction!(_arange, m)?)?;
    m.add_function(wrap_pyfunction!(_linspace, m)?)?;
    m.add_function(wrap_pyfunction!(_eye, m)?)?;
    m.add_function(wrap_pyfunction!(_tri, m)?)?;
    m.add_function(wrap_pyfunction!(_promote, m)?)?;
    m.add_function(wrap_pyfunction!(_can_cast, m)?)?;
    m.add_function(wrap_pyfunction!(_dtype_name, m)?)?;
    Ok(())
}
