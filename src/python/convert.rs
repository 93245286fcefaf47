//! Python objects in: dtype arguments, Python scalars and anything array-like, as core tensors.

use super::buffer;
use super::tensor::PyTensor;
use crate::dtype::DType;
use crate::error::CoreError;
use crate::tensor::{Tensor, View};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyString, PyType};

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

/// True for Python bool/int/float/complex objects (weak scalars in ops: NEP 50). Exact types
/// only: NumPy's float64 and complex128 scalars subclass float and complex but carry their dtype.
pub fn is_py_scalar(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_exact_instance_of::<PyBool>()
        || obj.is_exact_instance_of::<PyInt>()
        || obj.is_exact_instance_of::<PyFloat>()
        || obj.is_exact_instance_of::<PyComplex>()
}

/// The dtype a Python scalar takes next to an operand of dtype `other` (NumPy 2 / NEP 50: the
/// scalar is "weak" and takes the operand's dtype where its kind allows).
pub fn weak_scalar_dtype(obj: &Bound<'_, PyAny>, other: DType) -> DType {
    if obj.is_instance_of::<PyBool>() {
        DType::Bool
    } else if obj.is_instance_of::<PyInt>() {
        if other == DType::Bool {
            DType::I64
        } else {
            other
        }
    } else if obj.is_instance_of::<PyFloat>() {
        if other.is_float() || other.is_complex() {
            other
        } else {
            DType::F64
        }
    } else if other.is_complex() {
        other
    } else {
        complex_for(other)
    }
}

/// A Python scalar as a 0-d tensor of `dtype`. An int that does not fit an integer dtype is an
/// OverflowError (as NumPy 2); a float or complex into an integer dtype is a TypeError.
pub fn scalar_as(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Tensor> {
    let (src, bytes): (DType, [u8; 16]) = if obj.is_instance_of::<PyBool>() {
        let mut b = [0u8; 16];
        b[0] = obj.extract::<bool>()? as u8;
        (DType::Bool, b)
    } else if obj.is_instance_of::<PyInt>() {
        if dtype.is_int() || dtype == DType::Bool {
            let v: i128 = obj.extract().map_err(|_| out_of_range(obj, dtype))?;
            let (lo, hi) = int_range(dtype);
            if dtype != DType::Bool && (v < lo || v > hi) {
                return Err(out_of_range(obj, dtype));
            }
            // Two's complement low bits: the cast kernel from uint64/int64 keeps them.
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&(v as i64).to_ne_bytes());
            (
                if v > i64::MAX as i128 {
                    DType::U64
                } else {
                    DType::I64
                },
                b,
            )
        } else {
            let v: f64 = obj.extract().map_err(|_| out_of_range(obj, dtype))?;
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&v.to_ne_bytes());
            (DType::F64, b)
        }
    } else if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyComplex>() {
        if !(dtype.is_float() || dtype.is_complex())
            || (obj.is_instance_of::<PyComplex>() && !dtype.is_complex())
        {
            return Err(CoreError::type_err(format!(
                "cannot convert Python {} {} to {}",
                obj.get_type().name()?,
                obj.repr()?,
                dtype.name()
            ))
            .into());
        }
        let (re, im) = match obj.cast::<PyComplex>() {
            Ok(c) => (c.real(), c.imag()),
            Err(_) => (obj.extract::<f64>()?, 0.0),
        };
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&re.to_ne_bytes());
        b[8..].copy_from_slice(&im.to_ne_bytes());
        if obj.is_instance_of::<PyComplex>() {
            (DType::C128, b)
        } else {
            (DType::F64, b)
        }
    } else {
        return Err(CoreError::type_err(format!(
            "expected a Python scalar, got {}",
            obj.get_type().name()?
        ))
        .into());
    };
    if let Some(b) = encode(src, &bytes, dtype) {
        return Ok(Tensor::scalar_bytes(&b[..dtype.itemsize()], dtype)?);
    }
    let t = Tensor::scalar_bytes(&bytes[..src.itemsize()], src)?;
    Ok(t.astype(dtype)?)
}

/// A Python scalar's value (as `src` bytes: bool, int64/uint64 bits, float64 or complex128)
/// written directly as one `dtype` element, for the conversions NumPy makes exactly (int into
/// any integer after the range check, float into float, complex into complex); None for the
/// rest, which go through the cast kernel.
fn encode(src: DType, bytes: &[u8; 16], dtype: DType) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    let f = |i: usize| f64::from_ne_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    let int = i64::from_ne_bytes(bytes[..8].try_into().expect("8 bytes"));
    match (src, dtype) {
        (DType::I64 | DType::U64, d) if d.is_int() => {
            let n = d.itemsize();
            out[..n].copy_from_slice(&int.to_ne_bytes()[..n]); // little-endian low bytes
        }
        (DType::F64, DType::F32) => out[..4].copy_from_slice(&(f(0) as f32).to_ne_bytes()),
        (DType::F64, DType::F64) => out[..8].copy_from_slice(&f(0).to_ne_bytes()),
        (DType::F64 | DType::C128, DType::C64) => {
            out[..4].copy_from_slice(&(f(0) as f32).to_ne_bytes());
            out[4..8].copy_from_slice(&(f(8) as f32).to_ne_bytes());
        }
        (DType::F64 | DType::C128, DType::C128) => out.copy_from_slice(bytes),
        (DType::Bool, DType::Bool) => out[0] = bytes[0],
        _ => return None,
    }
    Some(out)
}

/// The complex dtype a Python complex takes next to a real operand: complex64 with float32,
/// else complex128.
fn complex_for(other: DType) -> DType {
    if other == DType::F32 {
        DType::C64
    } else {
        DType::C128
    }
}

/// Smallest and largest value of an integer dtype (bool: 0 and 1).
pub fn int_range(d: DType) -> (i128, i128) {
    if d == DType::Bool {
        return (0, 1);
    }
    let bits = 8 * d.itemsize() as u32;
    if d.is_unsigned() {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    }
}

fn out_of_range(obj: &Bound<'_, PyAny>, dtype: DType) -> PyErr {
    let shown = obj.repr().map(|r| r.to_string()).unwrap_or_default();
    pyo3::exceptions::PyOverflowError::new_err(format!(
        "Python int {shown} is out of bounds for {}",
        dtype.name()
    ))
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
    // A DLPack exporter without the buffer protocol (a PyTorch tensor, a JAX array on the CPU):
    // NumPy's importer wraps its capsule zero-copy, and that array's buffer is imported as any.
    let py = obj.py();
    if obj.hasattr(pyo3::intern!(py, "__dlpack__"))? {
        let arr = py
            .import("numpy")?
            .call_method1(pyo3::intern!(py, "from_dlpack"), (obj,))?;
        return to_tensor(&arr, dtype, copy);
    }
    if copy == Some(false) {
        return Err(CoreError::value(format!(
            "copy=False but a copy is needed: {} does not export a buffer",
            obj.get_type().name()?
        ))
        .into());
    }
    // Nested sequences and scalars: NumPy infers the dtype exactly as a NumPy user expects.
    let np = py.import("numpy")?;
    let arr = match dtype {
        Some(d) => np.call_method1("array", (obj, d.name()))?,
        None => np.call_method1("array", (obj,))?,
    };
    Ok(buffer::import(&arr, None, Some(true))?.expect("numpy arrays export buffers"))
}

/// Any array-like as an op input: a corepy Tensor (shared, no copy), a buffer (zero-copy in any
/// layout NumPy can describe), or nested lists / scalars (parsed by NumPy, then copied).
pub fn to_operand(obj: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    if let Ok(t) = obj.cast::<PyTensor>() {
        crate::instrument::note_zero_copy();
        return Ok(t.get().inner.clone());
    }
    to_tensor(obj, None, None)
}

/// An op input for the length of one call. The two common kinds, a corepy Tensor and an exact
/// NumPy array, are read in place through the caller's own reference: no allocation and no
/// reference counting, which is most of what importing a small NumPy operand used to cost.
/// Anything else becomes a tensor (`to_operand`).
pub enum Operand<'a> {
    Tensor(&'a Tensor),
    Array(buffer::NdLayout, &'a Bound<'a, PyAny>),
    Owned(Tensor),
}

impl Operand<'_> {
    pub fn of<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Operand<'a>> {
        if let Ok(t) = obj.cast::<PyTensor>() {
            crate::instrument::note_zero_copy();
            return Ok(Operand::Tensor(&t.get().inner));
        }
        if let Some(nd) = buffer::ndarray_layout(obj) {
            crate::instrument::note_zero_copy();
            return Ok(Operand::Array(nd, obj));
        }
        Ok(Operand::Owned(to_tensor(obj, None, None)?))
    }

    pub fn view(&self) -> View<'_> {
        match self {
            Operand::Tensor(t) => t.view(),
            // SAFETY: the array is the argument `of` borrowed, alive for the operand's lifetime.
            Operand::Array(nd, _) => unsafe { nd.view() },
            Operand::Owned(t) => t.view(),
        }
    }

    pub fn dtype(&self) -> DType {
        match self {
            Operand::Tensor(t) => t.dtype(),
            Operand::Owned(t) => t.dtype(),
            Operand::Array(nd, _) => nd.dtype(),
        }
    }

    /// As a tensor that may outlive the call (an array is wrapped, holding a reference).
    pub fn into_tensor(self) -> PyResult<Tensor> {
        match self {
            Operand::Tensor(t) => Ok(t.clone()),
            Operand::Array(_, obj) => to_tensor(obj, None, None),
            Operand::Owned(t) => Ok(t),
        }
    }
}
