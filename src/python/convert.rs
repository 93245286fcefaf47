//! Python objects in: dtype arguments, Python scalars and anything array-like, as core tensors.

use super::buffer;
use super::tensor::PyTensor;
use crate::arena::Scratch;
use crate::dtype::DType;
use crate::error::CoreError;
use crate::tensor::{Tensor, View};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString, PyType};

/// Reads a `dtype=` argument: None, a name, a NumPy dtype, a NumPy scalar type, or float/int/bool.
pub fn parse_dtype(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DType>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(DType::from_name(&s.to_cow()?)?));
    }
    let name_attr = if obj.is_instance_of::<PyType>() {
        "__name__"
    } else {
        "name"
    };
    match obj.getattr(name_attr).and_then(|n| n.extract::<String>()) {
        Ok(name) => Ok(Some(DType::from_name(&name)?)),
        Err(_) => Err(CoreError::type_err(format!(
            "dtype must be a name like \"float32\", a NumPy dtype or type, got {}",
            obj.repr()?
        ))
        .into()),
    }
}

/// True for Python bool/int/float objects (which take a tensor operand's dtype in ops).
pub fn is_py_scalar(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyBool>()
        || obj.is_instance_of::<PyInt>()
        || obj.is_instance_of::<PyFloat>()
}

/// A Python scalar as a 0-d tensor of `dtype`, refusing conversions that would lose meaning.
pub fn scalar_as(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Tensor> {
    let kind = if obj.is_instance_of::<PyBool>() {
        "bool"
    } else if obj.is_instance_of::<PyInt>() {
        "int"
    } else {
        "float"
    };
    // A Python int beyond the float range (e.g. 10**400) is a value error, not an OverflowError.
    let as_f64 = || obj.extract::<f64>().map_err(|_| out_of_range(obj, dtype));
    let bytes: Vec<u8> = match (kind, dtype) {
        (_, DType::F32) => (as_f64()? as f32).to_le_bytes().to_vec(),
        (_, DType::F64) => as_f64()?.to_le_bytes().to_vec(),
        ("bool" | "int", DType::I32) => {
            let v: i64 = obj.extract().map_err(|_| out_of_range(obj, dtype))?;
            i32::try_from(v)
                .map_err(|_| out_of_range(obj, dtype))?
                .to_le_bytes()
                .to_vec()
        }
        ("bool" | "int", DType::I64) => {
            let v: i64 = obj.extract().map_err(|_| out_of_range(obj, dtype))?;
            v.to_le_bytes().to_vec()
        }
        ("bool", DType::Bool) => vec![obj.extract::<bool>()? as u8],
        _ => {
            return Err(CoreError::type_err(format!(
                "cannot combine Python {kind} {} with a {} tensor; convert with astype()",
                obj.repr()?,
                dtype.name()
            ))
            .into())
        }
    };
    Ok(Tensor::scalar_bytes(&bytes, dtype)?)
}

fn out_of_range(obj: &Bound<'_, PyAny>, dtype: DType) -> PyErr {
    let shown = obj.repr().map(|r| r.to_string()).unwrap_or_default();
    CoreError::value(format!(
        "Python int {shown} is out of range for {}",
        dtype.name()
    ))
    .into()
}

/// Reads an `axis=` argument: None or an integer (anything with `__index__`). An integer too large
/// for any axis is a ValueError (out of bounds), not an OverflowError; other types are TypeErrors.
pub fn parse_axis(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<i64>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyString>() {
        return Err(axis_type_error(obj));
    }
    match obj.extract::<i64>() {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(obj.py()) => {
            Err(CoreError::value(format!("axis {} is out of bounds", obj.repr()?)).into())
        }
        Err(_) => Err(axis_type_error(obj)),
    }
}

fn axis_type_error(obj: &Bound<'_, PyAny>) -> PyErr {
    let shown = obj.repr().map(|r| r.to_string()).unwrap_or_default();
    CoreError::type_err(format!("axis must be an int or None, got {shown}")).into()
}

/// Any array-like as a tensor: a Tensor (shared), a buffer (zero-copy when possible), a Python
/// scalar or nested lists (through NumPy's parser, then copied).
pub fn to_tensor(
    obj: &Bound<'_, PyAny>,
    dtype: Option<DType>,
    copy: Option<bool>,
) -> PyResult<Tensor> {
    if let Ok(t) = obj.cast::<PyTensor>() {
        let inner = &t.get().inner;
        let converted = dtype.is_some_and(|d| d != inner.dtype()) || copy == Some(true);
        if converted {
            crate::instrument::note_copy();
        } else {
            crate::instrument::note_zero_copy();
        }
        return Ok(match (dtype, copy) {
            (Some(d), Some(false)) if d != inner.dtype() => {
                return Err(CoreError::value(format!(
                    "copy=False but a copy is needed: converting {} to {}",
                    inner.dtype().name(),
                    d.name()
                ))
                .into())
            }
            (Some(d), _) if d != inner.dtype() => inner.astype(d)?,
            (_, Some(true)) => inner.astype(inner.dtype())?,
            _ => inner.clone(),
        });
    }
    if let Some(t) = buffer::import(obj, dtype, copy)? {
        return Ok(t);
    }
    if copy == Some(false) {
        return Err(CoreError::value(format!(
            "copy=False but a copy is needed: {} does not export a buffer",
            obj.get_type().name()?
        ))
        .into());
    }
    // Nested sequences and scalars: NumPy infers the dtype exactly as a NumPy user expects.
    let np = obj.py().import("numpy")?;
    let arr = match dtype {
        Some(d) => np.call_method1("array", (obj, d.name()))?,
        None => np.call_method1("array", (obj,))?,
    };
    Ok(buffer::import(&arr, None, Some(true))?.expect("numpy arrays export buffers"))
}

/// An op's input for the duration of the op: a corepy Tensor (borrowed from its Python object), a
/// tensor made on the way in (zero-copy import, scalar, list), or an arena copy of a strided
/// buffer. `view()` is what kernels read.
pub enum Operand<'a, 'py> {
    Py(Bound<'py, PyTensor>),
    Owned(Tensor),
    Arena(View<'a>),
}

impl Operand<'_, '_> {
    pub fn view(&self) -> View<'_> {
        match self {
            Operand::Py(t) => t.get().inner.view(),
            Operand::Owned(t) => t.view(),
            Operand::Arena(v) => *v,
        }
    }
}

/// Any array-like as an op input (see [`Operand`]); as [`to_tensor`] with no dtype or copy, but
/// strided buffers are gathered into the op's arena `s` instead of a heap tensor.
pub fn to_operand<'a, 'py>(obj: &Bound<'py, PyAny>, s: &Scratch<'a>) -> PyResult<Operand<'a, 'py>> {
    Ok(operand(obj, s, false)?.0)
}

/// [`to_operand`] for matmul: a Fortran-ordered 2-D buffer (NumPy's `x.T`) comes zero-copy as its
/// C-ordered transpose with `true`; packing absorbs the transpose.
pub fn to_matmul_operand<'a, 'py>(
    obj: &Bound<'py, PyAny>,
    s: &Scratch<'a>,
) -> PyResult<(Operand<'a, 'py>, bool)> {
    operand(obj, s, true)
}

fn operand<'a, 'py>(
    obj: &Bound<'py, PyAny>,
    s: &Scratch<'a>,
    allow_transposed: bool,
) -> PyResult<(Operand<'a, 'py>, bool)> {
    if let Ok(t) = obj.cast::<PyTensor>() {
        crate::instrument::note_zero_copy();
        return Ok((Operand::Py(t.clone()), false));
    }
    match buffer::import_operand(obj, s, allow_transposed)? {
        Some(buffer::Imported::Arena(v)) => Ok((Operand::Arena(v), false)),
        Some(buffer::Imported::Tensor(t, transposed)) => Ok((Operand::Owned(t), transposed)),
        None => Ok((Operand::Owned(to_tensor(obj, None, None)?), false)),
    }
}
