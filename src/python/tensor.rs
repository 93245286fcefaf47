//! The Python `corepy.Tensor` class: construction, attributes, buffer export and operators.

use super::convert::{parse_axis, parse_dtype, to_tensor};
use super::ops::{binary_op, matmul_op, reduce_op, wrap};
use crate::dtype::DType;
use crate::error::CoreError;
use crate::instrument::OpCall;
use crate::kernels::elementwise::BinOp;
use crate::kernels::reduce::Reduction;
use crate::tensor::{Dims, Tensor};
use pyo3::exceptions::{PyBufferError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use std::ffi::{c_int, CStr};

/// Frozen: the Python object never hands out `&mut`; element writes go through kernels only.
#[pyclass(name = "Tensor", module = "corepy", frozen)]
pub struct PyTensor {
    pub inner: Tensor,
    /// Shape and byte strides as `Py_ssize_t`, kept alive for buffer views that point at them.
    shape: Dims<isize>,
    strides: Dims<isize>,
}

impl PyTensor {
    pub fn new(inner: Tensor) -> Self {
        let shape = inner.shape().iter().map(|&d| d as isize).collect();
        let strides = inner.byte_strides();
        PyTensor {
            inner,
            shape,
            strides,
        }
    }
}

impl PyTensor {
    fn reduce(
        &self,
        py: Python<'_>,
        kind: Reduction,
        axis: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let axis = parse_axis(axis)?;
        let call = OpCall::begin(kind.name());
        crate::instrument::note_zero_copy();
        reduce_op(py, call, kind, &self.inner.view(), axis)
    }
}

fn format_of(d: DType) -> &'static CStr {
    match d {
        DType::F32 => c"f",
        DType::F64 => c"d",
        DType::I32 => c"i",
        DType::I64 => c"q",
        DType::Bool => c"?",
    }
}

#[pymethods]
impl PyTensor {
    #[new]
    #[pyo3(signature = (obj, dtype=None, copy=None))]
    fn py_new(
        obj: &Bound<'_, PyAny>,
        dtype: Option<&Bound<'_, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Self> {
        Ok(PyTensor::new(to_tensor(obj, parse_dtype(dtype)?, copy)?))
    }

    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.shape())
    }
    #[getter]
    fn ndim(&self) -> usize {
        self.inner.ndim()
    }
    #[getter]
    fn size(&self) -> usize {
        self.inner.size()
    }
    #[getter]
    fn nbytes(&self) -> usize {
        self.inner.nbytes()
    }
    #[getter]
    fn dtype(&self) -> &'static str {
        self.inner.dtype().name()
    }
    #[getter]
    fn is_view(&self) -> bool {
        self.inner.is_view()
    }
    #[getter]
    fn readonly(&self) -> bool {
        self.inner.readonly()
    }

    /// A zero-copy NumPy view of this tensor.
    fn numpy<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("numpy")?.call_method1("asarray", (slf,))
    }

    fn tolist<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::numpy(slf)?.call_method0("tolist")
    }

    #[pyo3(signature = (*shape))]
    fn reshape(&self, py: Python<'_>, shape: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let spec: PyResult<Vec<i64>> =
            if shape.len() == 1 && !shape.get_item(0)?.is_instance_of::<pyo3::types::PyInt>() {
                shape.get_item(0)?.extract()
            } else {
                shape.extract()
            };
        // A dimension beyond 64 bits is a value error (too large), not an OverflowError.
        let spec = spec.map_err(|e| {
            if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py) {
                CoreError::value(format!("reshape: requested shape is too large ({e})")).into()
            } else {
                e
            }
        })?;
        wrap(py, self.inner.reshape(&spec)?)
    }

    fn astype(&self, py: Python<'_>, dtype: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let d = parse_dtype(Some(dtype))?
            .ok_or_else(|| CoreError::type_err("astype: dtype must not be None"))?;
        wrap(py, self.inner.astype(d)?)
    }

    #[pyo3(signature = (axis=None))]
    fn sum(&self, py: Python<'_>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        self.reduce(py, Reduction::Sum, axis)
    }
    #[pyo3(signature = (axis=None))]
    fn mean(&self, py: Python<'_>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        self.reduce(py, Reduction::Mean, axis)
    }
    #[pyo3(signature = (axis=None))]
    fn all(&self, py: Python<'_>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        self.reduce(py, Reduction::All, axis)
    }
    #[pyo3(signature = (axis=None))]
    fn any(&self, py: Python<'_>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        self.reduce(py, Reduction::Any, axis)
    }

    fn __len__(&self) -> PyResult<usize> {
        self.inner
            .shape()
            .first()
            .copied()
            .ok_or_else(|| PyTypeError::new_err("len() of a 0-d tensor"))
    }

    /// NumPy's repr with "array" spelled "tensor".
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let r = Self::numpy(slf)?.repr()?.to_string();
        let body = r.strip_prefix("array(").unwrap_or(&r);
        Ok(format!("tensor({}", body.replace("\n      ", "\n       ")))
    }

    /// Exports the tensor's memory (C-contiguous) without a copy.
    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        let this = slf.get();
        let t = &this.inner;
        if flags & ffi::PyBUF_WRITABLE != 0 && t.readonly() {
            return Err(PyBufferError::new_err("tensor is read-only"));
        }
        // SAFETY: `view` is a valid Py_buffer to fill (CPython's contract for getbuffer). The
        // shape/strides arrays live in this frozen object, which the view keeps alive via `obj`.
        unsafe {
            (*view).obj = slf.clone().into_any().into_ptr();
            (*view).buf = t.data() as *mut std::ffi::c_void;
            (*view).len = t.nbytes() as isize;
            (*view).readonly = t.readonly() as c_int;
            (*view).itemsize = t.dtype().itemsize() as isize;
            (*view).format = if flags & ffi::PyBUF_FORMAT != 0 {
                format_of(t.dtype()).as_ptr() as *mut _
            } else {
                std::ptr::null_mut()
            };
            (*view).ndim = t.ndim() as c_int;
            (*view).shape = if flags & ffi::PyBUF_ND == ffi::PyBUF_ND {
                this.shape.as_ptr() as *mut isize
            } else {
                std::ptr::null_mut()
            };
            (*view).strides = if flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES {
                this.strides.as_ptr() as *mut isize
            } else {
                std::ptr::null_mut()
            };
            (*view).suboffsets = std::ptr::null_mut();
            (*view).internal = std::ptr::null_mut();
        }
        Ok(())
    }

    unsafe fn __releasebuffer__(&self, _view: *mut ffi::Py_buffer) {}

    fn __add__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Add, false)
    }
    fn __radd__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Add, true)
    }
    fn __sub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Sub, false)
    }
    fn __rsub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Sub, true)
    }
    fn __mul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Mul, false)
    }
    fn __rmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Mul, true)
    }
    fn __truediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Div, false)
    }
    fn __rtruediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Div, true)
    }
    fn __iadd__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::Add)
    }
    fn __isub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::Sub)
    }
    fn __imul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::Mul)
    }
    fn __itruediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::Div)
    }
    fn __matmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if !accepts(o) {
            return Ok(slf.py().NotImplemented());
        }
        matmul_op(slf.py(), slf.as_any(), o, "auto")
    }
    fn __rmatmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if !accepts(o) {
            return Ok(slf.py().NotImplemented());
        }
        matmul_op(slf.py(), o, slf.as_any(), "auto")
    }
}

/// Operands an operator takes; anything else gets NotImplemented so Python raises its own
/// TypeError (or tries the other operand's method).
fn accepts(o: &Bound<'_, PyAny>) -> bool {
    super::convert::is_py_scalar(o)
        || o.is_instance_of::<PyTensor>()
        || o.is_instance_of::<PyList>()
        || o.is_instance_of::<PyTuple>()
        // SAFETY: o is a live object; CheckBuffer only inspects its type.
        || unsafe { ffi::PyObject_CheckBuffer(o.as_ptr()) } != 0
}

fn reflected(
    slf: &Bound<'_, PyTensor>,
    o: &Bound<'_, PyAny>,
    op: BinOp,
    reflected: bool,
) -> PyResult<Py<PyAny>> {
    if !accepts(o) {
        return Ok(slf.py().NotImplemented());
    }
    if reflected {
        binary_op(slf.py(), op, o, slf.as_any(), None)
    } else {
        binary_op(slf.py(), op, slf.as_any(), o, None)
    }
}

fn in_place(slf: &Bound<'_, PyTensor>, o: &Bound<'_, PyAny>, op: BinOp) -> PyResult<()> {
    binary_op(slf.py(), op, slf.as_any(), o, Some(slf.as_any())).map(|_| ())
}
