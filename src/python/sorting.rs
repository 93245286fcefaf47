//! Sorting, searching and set functions (`corepy._core._sort` ...); the standard's signatures and
//! result tuples are in python/corepy/_sorting.py.

use super::convert::{parse_axis, to_operand};
use super::ops::{operands, run, wrap};
use crate::dispatch;
use crate::dtype::{promote, DType};
use crate::error::CoreError;
use crate::instrument::OpCall;
use crate::kernels::elementwise::{self, BinOp};
use crate::kernels::sort::{self, Output, UniqueWants};
use crate::tensor::Tensor;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

fn axis_of(axis: &Bound<'_, PyAny>) -> PyResult<i64> {
    parse_axis(Some(axis))?
        .ok_or_else(|| CoreError::type_err("axis must be an int, got None").into())
}

fn sort_op(
    py: Python<'_>,
    name: &'static str,
    x: &Bound<'_, PyAny>,
    axis: &Bound<'_, PyAny>,
    descending: bool,
    stable: bool,
    output: Output,
) -> PyResult<Py<PyAny>> {
    let axis = axis_of(axis)?;
    let call = OpCall::begin(name);
    let t = to_operand(x)?;
    let v = t.view();
    let r = run(py, v.size(), || {
        sort::sort_axis(&v, axis, descending, stable, output)
    })?;
    call.finish(v.size(), v.nbytes(), r.nbytes(), isa());
    wrap(py, r)
}

#[pyfunction]
#[pyo3(signature = (x, /, axis, descending, stable))]
fn _sort(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: &Bound<'_, PyAny>,
    descending: bool,
    stable: bool,
) -> PyResult<Py<PyAny>> {
    sort_op(py, "sort", x, axis, descending, stable, Output::Values)
}

#[pyfunction]
#[pyo3(signature = (x, /, axis, descending, stable))]
fn _argsort(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: &Bound<'_, PyAny>,
    descending: bool,
    stable: bool,
) -> PyResult<Py<PyAny>> {
    sort_op(py, "argsort", x, axis, descending, stable, Output::Indices)
}

fn isa() -> &'static str {
    dispatch::active_isa().name()
}

/// (values, indices, inverse, counts), None for what was not asked for.
#[pyfunction]
#[pyo3(signature = (x, /, indices, inverse, counts))]
fn _unique<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    indices: bool,
    inverse: bool,
    counts: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let call = OpCall::begin("unique");
    let t = to_operand(x)?;
    let want = UniqueWants {
        indices,
        inverse,
        counts,
    };
    let r = run(py, t.size(), || sort::unique(&t, want))?;
    call.finish(t.size(), t.nbytes(), r.values.nbytes(), isa());
    let opt = |o: Option<Tensor>| -> PyResult<Py<PyAny>> {
        match o {
            Some(t) => wrap(py, t),
            None => Ok(py.None()),
        }
    };
    PyTuple::new(
        py,
        [
            wrap(py, r.values)?,
            opt(r.indices)?,
            opt(r.inverse)?,
            opt(r.counts)?,
        ],
    )
}

/// Both operands as tensors (a Python scalar takes the other's dtype where its kind allows, as
/// in comparisons) and the dtype they are compared in.
fn compared(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<(Tensor, Tensor, DType)> {
    let (ta, tb) = operands(BinOp::Eq, a, b)?;
    let dt = promote(ta.dtype(), tb.dtype());
    Ok((ta.into_tensor()?, tb.into_tensor()?, dt))
}

#[pyfunction]
#[pyo3(signature = (x1, x2, /, invert))]
fn _isin(
    py: Python<'_>,
    x1: &Bound<'_, PyAny>,
    x2: &Bound<'_, PyAny>,
    invert: bool,
) -> PyResult<Py<PyAny>> {
    let call = OpCall::begin("isin");
    let (a, b, dt) = compared(x1, x2)?;
    let r = run(py, a.size() + b.size(), || sort::isin(&a, &b, dt, invert))?;
    call.finish(a.size(), a.nbytes() + b.nbytes(), r.nbytes(), isa());
    wrap(py, r)
}

#[pyfunction]
#[pyo3(signature = (x1, x2, /, side, sorter))]
fn _searchsorted(
    py: Python<'_>,
    x1: &Bound<'_, PyAny>,
    x2: &Bound<'_, PyAny>,
    side: &str,
    sorter: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let right = match side {
        "left" => false,
        "right" => true,
        _ => {
            return Err(CoreError::value(format!(
                "searchsorted: side must be 'left' or 'right', got {side:?}"
            ))
            .into())
        }
    };
    let call = OpCall::begin("searchsorted");
    let (a, b, dt) = compared(x1, x2)?;
    let s = match sorter.filter(|s| !s.is_none()) {
        Some(s) => Some(to_operand(s)?),
        None => None,
    };
    let r = run(py, a.size() + b.size(), || {
        sort::searchsorted(&a, &b, dt, right, s.as_ref())
    })?;
    call.finish(b.size(), a.nbytes() + b.nbytes(), r.nbytes(), isa());
    wrap(py, r)
}

/// The indices of the non-zero elements, one int64 array per axis (C order): `x != 0`, then the
/// one nonzero of boolean indexing.
#[pyfunction]
fn _nonzero<'py>(py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let call = OpCall::begin("nonzero");
    let t = to_operand(x)?;
    if t.ndim() == 0 {
        return Err(CoreError::value(
            "nonzero: x must have at least one dimension, got a 0-d array",
        )
        .into());
    }
    let out = run(py, t.size(), || {
        let mask = if t.dtype() == DType::Bool {
            t.clone()
        } else {
            let zero = Tensor::zeros(&[], t.dtype())?;
            elementwise::binary(BinOp::Ne, &t.view(), &zero.view(), None)?
        };
        super::index::nonzero(&mask)
    })?;
    let written: usize = out.iter().map(|o| o.nbytes()).sum();
    call.finish(t.size(), t.nbytes(), written, isa());
    let items: Vec<Py<PyAny>> = out
        .into_iter()
        .map(|o| wrap(py, o))
        .collect::<PyResult<_>>()?;
    PyTuple::new(py, items)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_sort, m)?)?;
    m.add_function(wrap_pyfunction!(_argsort, m)?)?;
    m.add_function(wrap_pyfunction!(_unique, m)?)?;
    m.add_function(wrap_pyfunction!(_isin, m)?)?;
    m.add_function(wrap_pyfunction!(_searchsorted, m)?)?;
    m.add_function(wrap_pyfunction!(_nonzero, m)?)?;
    Ok(())
}
