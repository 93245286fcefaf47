//! The standard's statistical functions, arg-reductions and cumulative ops (issue 16): argument
//! parsing and the profiler record here, the plan and kernels in `crate::kernels::stats`.

use super::convert::{parse_axis, parse_dtype, to_operand};
use super::ops::{out_operand, run, wrap};
use super::tensor::PyTensor;
use crate::dispatch;
use crate::error::{shape_str, CoreError};
use crate::instrument::OpCall;
use crate::kernels::stats::{self, Op};
use crate::tensor::iter::copy_into;
use crate::tensor::Tensor;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyString, PyTuple};

/// `axis=`: None, an int or a tuple of ints (a list is a TypeError, as in NumPy).
fn parse_axes(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<i64>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if obj.is_instance_of::<PyTuple>() {
        let mut v = Vec::new();
        for item in obj.try_iter()? {
            let item = item?;
            if item.is_instance_of::<PyBool>()
                || item.is_instance_of::<PyFloat>()
                || item.is_instance_of::<PyString>()
            {
                return Err(CoreError::type_err(format!(
                    "axis must be an int, a tuple of ints or None, got {}",
                    obj.repr()?
                ))
                .into());
            }
            v.push(parse_axis(Some(&item))?.expect("not None"));
        }
        return Ok(Some(v));
    }
    Ok(parse_axis(Some(obj))?.map(|a| vec![a]))
}

/// Writes `r` into `out=` (exactly the result's shape and dtype), returning `out`.
fn into_out(name: &str, r: &Tensor, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let ot = out_operand(name, o)?;
    if ot.dtype() != r.dtype() {
        return Err(CoreError::type_err(format!(
            "{name}: out has dtype {}, the result is {}",
            ot.dtype().name(),
            r.dtype().name()
        ))
        .into());
    }
    if ot.shape() != r.shape() {
        return Err(CoreError::value(format!(
            "{name}: out has shape {}, the result has shape {}",
            shape_str(ot.shape()),
            shape_str(r.shape())
        ))
        .into());
    }
    copy_into(&r.view(), &ot)?;
    Ok(o.clone().unbind())
}

/// One reduction call from Python: parse, reduce with the GIL released when large, record.
#[allow(clippy::too_many_arguments)]
pub fn reduce_py(
    py: Python<'_>,
    op: Op,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
    dtype: Option<&Bound<'_, PyAny>>,
    out: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let axes = parse_axes(axis)?;
    let dtype = parse_dtype(dtype)?;
    let call = OpCall::begin(op.name());
    let t = to_operand(x)?;
    let v = t.view();
    let r = run(py, v.size(), || {
        stats::reduce(op, &v, axes.as_deref(), keepdims, dtype)
    })?;
    call.finish(
        v.size(),
        v.nbytes(),
        r.nbytes(),
        dispatch::active_isa().name(),
    );
    match out.filter(|o| !o.is_none()) {
        Some(o) => into_out(op.name(), &r, o),
        None => wrap(py, r),
    }
}

/// The Tensor methods (`t.sum()`, ...): the same call on the tensor itself.
pub fn method(
    py: Python<'_>,
    slf: &Bound<'_, PyTensor>,
    op: Op,
    axis: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    reduce_py(py, op, slf.as_any(), axis, keepdims, dtype, None)
}

#[pyfunction]
#[pyo3(signature = (x, /, axis=None, *, dtype=None, keepdims=false, out=None))]
fn sum(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
    out: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    reduce_py(py, Op::Sum, x, axis, keepdims, dtype, out)
}

#[pyfunction]
#[pyo3(signature = (x, /, axis=None, *, dtype=None, keepdims=false, out=None))]
fn prod(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
    out: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    reduce_py(py, Op::Prod, x, axis, keepdims, dtype, out)
}

/// Reductions with only axis, keepdims and out.
macro_rules! plain_reduction {
    ($($name:ident => $op:expr),* $(,)?) => {
        $(
            #[pyfunction]
            #[pyo3(signature = (x, /, axis=None, *, keepdims=false, out=None))]
            fn $name(
                py: Python<'_>,
                x: &Bound<'_, PyAny>,
                axis: Option<&Bound<'_, PyAny>>,
                keepdims: bool,
                out: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                reduce_py(py, $op, x, axis, keepdims, None, out)
            }
        )*
        fn register_plain(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(m.add_function(wrap_pyfunction!($name, m)?)?;)*
            Ok(())
        }
    };
}
plain_reduction! {
    mean => Op::Mean,
    min => Op::Min,
    max => Op::Max,
    all => Op::All,
    any => Op::Any,
}

#[pyfunction]
#[pyo3(signature = (x, /, axis=None, *, correction=0.0, keepdims=false, out=None))]
fn var(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    correction: f64,
    keepdims: bool,
    out: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let op = Op::Var {
        correction,
        root: false,
    };
    reduce_py(py, op, x, axis, keepdims, None, out)
}

#[pyfunction(name = "std")]
#[pyo3(signature = (x, /, axis=None, *, correction=0.0, keepdims=false, out=None))]
fn std_dev(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    correction: f64,
    keepdims: bool,
    out: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let op = Op::Var {
        correction,
        root: true,
    };
    reduce_py(py, op, x, axis, keepdims, None, out)
}

#[pyfunction]
#[pyo3(signature = (x, /, axis=None, *, keepdims=false))]
fn count_nonzero(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
) -> PyResult<Py<PyAny>> {
    reduce_py(py, Op::CountNonzero, x, axis, keepdims, None, None)
}

/// argmin/argmax take one int axis or None (the standard: no tuples).
fn arg_py(
    py: Python<'_>,
    op: Op,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
) -> PyResult<Py<PyAny>> {
    let axis = parse_axis(axis)?;
    let axis_obj = axis.map(|a| a.into_pyobject(py)).transpose()?;
    reduce_py(py, op, x, axis_obj.as_deref(), keepdims, None, None)
}

#[pyfunction]
#[pyo3(signature = (x, /, axis=None, *, keepdims=false))]
fn argmax(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
) -> PyResult<Py<PyAny>> {
    arg_py(py, Op::ArgMax, x, axis, keepdims)
}

#[pyfunction]
#[pyo3(signature = (x, /, axis=None, *, keepdims=false))]
fn argmin(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
) -> PyResult<Py<PyAny>> {
    arg_py(py, Op::ArgMin, x, axis, keepdims)
}

fn cumulative_py(
    py: Python<'_>,
    prod: bool,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    include_initial: bool,
) -> PyResult<Py<PyAny>> {
    let axis = parse_axis(axis)?;
    let dtype = parse_dtype(dtype)?;
    let call = OpCall::begin(if prod {
        "cumulative_prod"
    } else {
        "cumulative_sum"
    });
    let t = to_operand(x)?;
    let v = t.view();
    let r = run(py, v.size(), || {
        stats::cumulative(prod, &v, axis, dtype, include_initial)
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
#[pyo3(signature = (x, /, *, axis=None, dtype=None, include_initial=false))]
fn cumulative_sum(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    include_initial: bool,
) -> PyResult<Py<PyAny>> {
    cumulative_py(py, false, x, axis, dtype, include_initial)
}

#[pyfunction]
#[pyo3(signature = (x, /, *, axis=None, dtype=None, include_initial=false))]
fn cumulative_prod(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    include_initial: bool,
) -> PyResult<Py<PyAny>> {
    cumulative_py(py, true, x, axis, dtype, include_initial)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    register_plain(m)?;
    m.add_function(wrap_pyfunction!(sum, m)?)?;
    m.add_function(wrap_pyfunction!(prod, m)?)?;
    m.add_function(wrap_pyfunction!(var, m)?)?;
    m.add_function(wrap_pyfunction!(std_dev, m)?)?;
    m.add_function(wrap_pyfunction!(count_nonzero, m)?)?;
    m.add_function(wrap_pyfunction!(argmax, m)?)?;
    m.add_function(wrap_pyfunction!(argmin, m)?)?;
    m.add_function(wrap_pyfunction!(cumulative_sum, m)?)?;
    m.add_function(wrap_pyfunction!(cumulative_prod, m)?)?;
    Ok(())
}
