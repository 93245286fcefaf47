//! The FFT extension (`corepy._core._fft` ...); the standard's signatures are in
//! python/corepy/fft.py.

use super::convert::{parse_axis, parse_dtype, to_operand};
use super::ops::{run, wrap};
use crate::dtype::DType;
use crate::error::CoreError;
use crate::instrument::OpCall;
use crate::kernels::fft::{self, Kind, NdKind, Norm};
use pyo3::prelude::*;

fn kind_of(name: &str) -> PyResult<Kind> {
    Ok(match name {
        "fft" => Kind::Forward,
        "ifft" => Kind::Inverse,
        "rfft" => Kind::Real,
        "irfft" => Kind::InverseReal,
        "hfft" => Kind::Hermitian,
        "ihfft" => Kind::InverseHermitian,
        _ => return Err(CoreError::value(format!("unknown transform {name:?}")).into()),
    })
}

fn nd_kind_of(name: &str) -> PyResult<NdKind> {
    Ok(match name {
        "fftn" => NdKind::Forward,
        "ifftn" => NdKind::Inverse,
        "rfftn" => NdKind::Real,
        "irfftn" => NdKind::InverseReal,
        _ => return Err(CoreError::value(format!("unknown transform {name:?}")).into()),
    })
}

fn isa() -> &'static str {
    crate::dispatch::active_isa().name()
}

/// An integer argument (n, or an entry of s or axes): a Python int or an integer scalar, not a
/// bool-like float or a string.
fn int_arg(what: &str, op: &str, o: &Bound<'_, PyAny>) -> PyResult<i64> {
    if o.is_instance_of::<pyo3::types::PyFloat>() || o.is_instance_of::<pyo3::types::PyString>() {
        return Err(
            CoreError::type_err(format!("{op}: {what} must be an int, got {}", o.repr()?)).into(),
        );
    }
    let i = o.call_method0("__index__").map_err(|_| {
        CoreError::type_err(format!(
            "{op}: {what} must be an int, got {}",
            o.repr().map(|r| r.to_string()).unwrap_or_default()
        ))
    })?;
    i.extract::<i64>()
        .map_err(|_| CoreError::value(format!("{op}: {what} {} is out of range", i)).into())
}

fn int_seq(what: &str, op: &str, o: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<i64>>> {
    let Some(o) = o.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if o.is_instance_of::<pyo3::types::PyString>() {
        return Err(CoreError::type_err(format!(
            "{op}: {what} must be a sequence of ints, got {}",
            o.repr()?
        ))
        .into());
    }
    let items = o.try_iter().map_err(|_| {
        CoreError::type_err(format!(
            "{op}: {what} must be a sequence of ints, got {}",
            o.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    let mut v = Vec::new();
    for item in items {
        v.push(int_arg(&format!("each entry of {what}"), op, &item?)?);
    }
    Ok(Some(v))
}

/// A 1-D transform: fft, ifft, rfft, irfft, hfft, ihfft.
#[pyfunction]
#[pyo3(signature = (op, x, /, n, axis, norm))]
fn _fft(
    py: Python<'_>,
    op: &str,
    x: &Bound<'_, PyAny>,
    n: Option<&Bound<'_, PyAny>>,
    axis: &Bound<'_, PyAny>,
    norm: &str,
) -> PyResult<Py<PyAny>> {
    let kind = kind_of(op)?;
    let call = OpCall::begin(kind.name());
    let norm = Norm::from_name(kind.name(), norm)?;
    let n = match n.filter(|o| !o.is_none()) {
        Some(o) => Some(int_arg("n", kind.name(), o)?),
        None => None,
    };
    let axis = parse_axis(Some(axis))?
        .ok_or_else(|| CoreError::type_err(format!("{}: axis must be an int", kind.name())))?;
    let t = to_operand(x)?;
    let v = t.view();
    let r = run(py, v.size().saturating_mul(8), || {
        fft::transform(&v, n, axis, kind, norm)
    })?;
    call.finish_flops(
        r.tensor.size(),
        v.nbytes(),
        r.tensor.nbytes(),
        r.flops as u64,
        isa(),
    );
    wrap(py, r.tensor)
}

/// An n-D transform: fftn, ifftn, rfftn, irfftn.
#[pyfunction]
#[pyo3(signature = (op, x, /, s, axes, norm))]
fn _fftn(
    py: Python<'_>,
    op: &str,
    x: &Bound<'_, PyAny>,
    s: Option<&Bound<'_, PyAny>>,
    axes: Option<&Bound<'_, PyAny>>,
    norm: &str,
) -> PyResult<Py<PyAny>> {
    let kind = nd_kind_of(op)?;
    let call = OpCall::begin(kind.name());
    let norm = Norm::from_name(kind.name(), norm)?;
    let s = int_seq("s", kind.name(), s)?;
    let axes = int_seq("axes", kind.name(), axes)?;
    let t = to_operand(x)?;
    let v = t.view();
    let r = run(py, v.size().saturating_mul(8), || {
        fft::transform_nd(&v, s.as_deref(), axes.as_deref(), kind, norm)
    })?;
    call.finish_flops(
        r.tensor.size(),
        v.nbytes(),
        r.tensor.nbytes(),
        r.flops as u64,
        isa(),
    );
    wrap(py, r.tensor)
}

/// fftshift / ifftshift over `axes` (an int, a sequence of ints, or None for all).
#[pyfunction]
#[pyo3(signature = (x, /, axes, inverse))]
fn _fftshift(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    axes: Option<&Bound<'_, PyAny>>,
    inverse: bool,
) -> PyResult<Py<PyAny>> {
    let op = if inverse { "ifftshift" } else { "fftshift" };
    let call = OpCall::begin(op);
    let axes = match axes.filter(|o| !o.is_none()) {
        Some(a) if a.call_method0("__index__").is_ok() => Some(vec![int_arg("axes", op, a)?]),
        a => int_seq("axes", op, a)?,
    };
    let t = to_operand(x)?;
    let r = run(py, t.size(), || fft::shift(&t, axes.as_deref(), inverse))?;
    call.finish(r.size(), t.nbytes(), r.nbytes(), isa());
    wrap(py, r)
}

/// fftfreq / rfftfreq.
#[pyfunction]
#[pyo3(signature = (n, /, d, dtype, real))]
fn _fftfreq(
    py: Python<'_>,
    n: &Bound<'_, PyAny>,
    d: f64,
    dtype: Option<&Bound<'_, PyAny>>,
    real: bool,
) -> PyResult<Py<PyAny>> {
    let op = if real { "rfftfreq" } else { "fftfreq" };
    let n = int_arg("n", op, n)?;
    let dtype = parse_dtype(dtype)?.unwrap_or(DType::F64);
    wrap(py, fft::frequencies(n, d, dtype, real)?)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_fft, m)?)?;
    m.add_function(wrap_pyfunction!(_fftn, m)?)?;
    m.add_function(wrap_pyfunction!(_fftshift, m)?)?;
    m.add_function(wrap_pyfunction!(_fftfreq, m)?)?;
    Ok(())
}
