//! Sorting, searching and set functions (`corepy._core._sort` ...); the standard's signatures and
//! result tuples are in python/corepy/_sorting.py.

use super::convert::{parse_axis, to_operand};
use super::ops::{run, wrap};
use crate::dispatch;
use crate::error::CoreError;
use crate::instrument::OpCall;
use crate::kernels::sort::{self, Output};
use pyo3::prelude::*;

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
    call.finish(
        v.size(),
        v.nbytes(),
        r.nbytes(),
        dispatch::active_isa().name(),
    );
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

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_sort, m)?)?;
    m.add_function(wrap_pyfunction!(_argsort, m)?)?;
    Ok(())
}
