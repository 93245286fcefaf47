//! The Python `corepy.Tensor` class: construction, attributes, buffer export, indexing and
//! operators.

use super::convert::{is_py_scalar, parse_dtype, to_tensor};
use super::ops::{binary_op, matmul_op, unary_op, wrap};
use super::reductions;
use crate::dtype::DType;
use crate::error::CoreError;
use crate::kernels::elementwise::{BinOp, UnOp};
use crate::kernels::stats::Op;
use crate::tensor::Tensor;
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyBufferError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use pyo3::IntoPyObjectExt;
use std::ffi::{c_int, CStr};

/// An n-dimensional array: a strided view over shared storage (the array API's array object).
///
/// Tensor(obj, dtype=None, copy=None) wraps any buffer or NumPy array without a copy (in any
/// layout), or builds one from nested lists and scalars. Indexing, .T and .mT give views.
// Frozen: the Python object never hands out `&mut`; element writes go through kernels only.
#[pyclass(name = "Tensor", module = "corepy", frozen)]
pub struct PyTensor {
    pub inner: Tensor,
}

impl PyTensor {
    #[inline]
    pub fn new(inner: Tensor) -> Self {
        PyTensor { inner }
    }

    /// The single element of a one-element tensor, else the ValueError NumPy raises.
    fn single(&self, what: &str) -> PyResult<&Tensor> {
        if self.inner.size() != 1 {
            return Err(PyValueError::new_err(format!(
                "{what}: only a tensor with one element can be converted to a Python scalar, \
                 got shape {}",
                crate::error::shape_str(self.inner.shape())
            )));
        }
        Ok(&self.inner)
    }
}

/// Makes `corepy.Tensor` instances plain objects outside the cycle collector, as NumPy's
/// arrays are. pyo3 marks every class `Py_TPFLAGS_HAVE_GC`; for a Tensor that costs a GC header,
/// link and unlink per view and a gen-0 collection every 700 views (each one a full pass over
/// the interpreter's young objects, and every tenth a deeper one). A Tensor holds no Python
/// reference that could close a cycle (a foreign buffer's owner is released through its own
/// handle), so there is nothing for the collector to find. Called once, before any instance
/// exists: instances are then allocated without the GC header and freed by [`tensor_dealloc`].
pub fn make_untracked(py: Python<'_>) {
    use pyo3::PyTypeInfo;
    let tp = PyTensor::type_object_raw(py);
    // SAFETY: the type object is live (pyo3 keeps it for the interpreter's lifetime), no
    // instance exists yet (the module has only just added the class), and the slots set here
    // agree with each other: non-GC allocation (PyType_GenericAlloc reads the flag per call),
    // PyObject_Free to release it and a dealloc that does not untrack.
    unsafe {
        (*tp).tp_flags &= !ffi::Py_TPFLAGS_HAVE_GC;
        (*tp).tp_free = Some(ffi::PyObject_Free);
        (*tp).tp_dealloc = Some(tensor_dealloc);
        (*tp).tp_traverse = None;
        (*tp).tp_clear = None;
        ffi::PyType_Modified(tp);
    }
}

/// `tp_dealloc` of the untracked Tensor type: pyo3's own dealloc (drop the Rust value, then
/// `tp_free` and the heap type's reference) without the `PyObject_GC_UnTrack` it would do first.
unsafe extern "C" fn tensor_dealloc(obj: *mut ffi::PyObject) {
    use pyo3::impl_::pycell::{PyClassObjectBaseLayout, PyStaticClassObject};
    // SAFETY: CPython calls tp_dealloc with the thread attached, once, when the last reference
    // to this Tensor instance went away; pyo3 laid it out as PyStaticClassObject<PyTensor>
    // (a frozen class with no dict or weakref slot). Dropping the Tensor may release a foreign
    // buffer, which needs the thread attached: it is (buffer.rs, `attached`).
    unsafe {
        let py = Python::assume_attached();
        <PyStaticClassObject<PyTensor> as PyClassObjectBaseLayout<PyTensor>>::tp_dealloc(py, obj)
    }
}

/// The first element of `t` as a Python bool, int, float or complex.
pub fn element_to_py(py: Python<'_>, t: &Tensor) -> PyResult<Py<PyAny>> {
    let p = t.data();
    // SAFETY: callers pass a non-empty tensor; `p` points at one element of its dtype, read
    // unaligned (foreign buffers need not be aligned beyond what import checked).
    unsafe {
        match t.dtype() {
            DType::Bool => (p.read() != 0).into_py_any(py),
            DType::I8 => p.cast::<i8>().read_unaligned().into_py_any(py),
            DType::I16 => p.cast::<i16>().read_unaligned().into_py_any(py),
            DType::I32 => p.cast::<i32>().read_unaligned().into_py_any(py),
            DType::I64 => p.cast::<i64>().read_unaligned().into_py_any(py),
            DType::U8 => p.read().into_py_any(py),
            DType::U16 => p.cast::<u16>().read_unaligned().into_py_any(py),
            DType::U32 => p.cast::<u32>().read_unaligned().into_py_any(py),
            DType::U64 => p.cast::<u64>().read_unaligned().into_py_any(py),
            DType::F32 => (p.cast::<f32>().read_unaligned() as f64).into_py_any(py),
            DType::F64 => p.cast::<f64>().read_unaligned().into_py_any(py),
            DType::C64 => {
                let (re, im) = (
                    p.cast::<f32>().read_unaligned(),
                    p.cast::<f32>().add(1).read_unaligned(),
                );
                Ok(
                    pyo3::types::PyComplex::from_doubles(py, re as f64, im as f64)
                        .into_any()
                        .unbind(),
                )
            }
            DType::C128 => {
                let (re, im) = (
                    p.cast::<f64>().read_unaligned(),
                    p.cast::<f64>().add(1).read_unaligned(),
                );
                Ok(pyo3::types::PyComplex::from_doubles(py, re, im)
                    .into_any()
                    .unbind())
            }
        }
    }
}

/// A function of corepy._protocols (the Python half of the NumPy, Dask and pickle protocols).
fn protocol<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    static MODULE: pyo3::sync::PyOnceLock<Py<PyModule>> = pyo3::sync::PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("corepy._protocols")?.unbind())
        })?
        .bind(py)
        .getattr(name)
}

/// What `Tensor.dtype` returns, indexed by `DType::code`: set once at import.
static DTYPE_OBJECTS: pyo3::sync::PyOnceLock<Vec<Py<PyAny>>> = pyo3::sync::PyOnceLock::new();

/// Registers the dtype objects `Tensor.dtype` returns, one per dtype code (DType::ALL order);
/// each must be a str equal to that dtype's name. The first registration stays.
#[pyfunction]
pub fn _set_dtype_objects(py: Python<'_>, objs: Vec<Bound<'_, PyAny>>) -> PyResult<()> {
    if objs.len() != DType::ALL.len() {
        return Err(PyValueError::new_err(format!(
            "_set_dtype_objects: expected {} dtype objects, got {}",
            DType::ALL.len(),
            objs.len()
        )));
    }
    for (o, d) in objs.iter().zip(DType::ALL) {
        let name = o.cast::<pyo3::types::PyString>().map(|s| s.to_cow());
        if !matches!(name, Ok(Ok(ref n)) if n == d.name()) {
            return Err(PyValueError::new_err(format!(
                "_set_dtype_objects: expected a str equal to {:?}, got {}",
                d.name(),
                o.repr()?
            )));
        }
    }
    let _ = DTYPE_OBJECTS.set(py, objs.into_iter().map(Bound::unbind).collect());
    Ok(())
}

fn format_of(d: DType) -> &'static CStr {
    match d {
        DType::F32 => c"f",
        DType::F64 => c"d",
        DType::I8 => c"b",
        DType::I16 => c"h",
        DType::I32 => c"i",
        DType::I64 => c"q",
        DType::U8 => c"B",
        DType::U16 => c"H",
        DType::U32 => c"I",
        DType::U64 => c"Q",
        DType::C64 => c"Zf",
        DType::C128 => c"Zd",
        DType::Bool => c"?",
    }
}

fn axes_arg(axes: &Bound<'_, PyAny>, ndim: usize) -> PyResult<Vec<usize>> {
    let v: Vec<i64> = if let Ok(i) = axes.extract::<i64>() {
        vec![i]
    } else {
        axes.extract()?
    };
    v.into_iter()
        .map(|a| Ok(crate::tensor::normalize_axis(a, ndim)?))
        .collect()
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
    /// Strides in bytes, as NumPy reports them.
    #[getter]
    fn strides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.byte_strides())
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
    fn itemsize(&self) -> usize {
        self.inner.dtype().itemsize()
    }
    /// The dtype object corepy/__init__.py registered (`corepy._dtype.DType`: the NumPy name
    /// as a str, with NumPy's dtype attributes), else the plain name.
    #[getter]
    fn dtype(&self, py: Python<'_>) -> Py<PyAny> {
        let d = self.inner.dtype();
        match DTYPE_OBJECTS.get(py).and_then(|v| v.get(d.code())) {
            Some(o) => o.clone_ref(py),
            None => pyo3::types::PyString::new(py, d.name()).into_any().unbind(),
        }
    }
    #[getter]
    fn is_view(&self) -> bool {
        self.inner.is_view()
    }
    #[getter]
    fn readonly(&self) -> bool {
        self.inner.readonly()
    }
    #[getter]
    fn is_contiguous(&self) -> bool {
        self.inner.is_contiguous()
    }
    #[getter]
    fn device(&self) -> &'static str {
        "cpu"
    }
    #[getter(T)]
    fn transpose_all(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.inner.ndim() != 2 {
            return Err(PyValueError::new_err(format!(
                "x.T requires a 2-D tensor (the standard's rule), got {} dimensions; use \
                 permute_dims or mT",
                self.inner.ndim()
            )));
        }
        wrap(py, self.inner.transpose_all()?)
    }
    #[getter(mT)]
    fn m_t(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, self.inner.matrix_transpose()?)
    }

    #[pyo3(signature = (device, /, *, stream=None))]
    fn to_device(
        slf: &Bound<'_, Self>,
        device: &Bound<'_, PyAny>,
        stream: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let _ = stream;
        if device.extract::<String>().ok().as_deref() != Some("cpu") {
            return Err(PyValueError::new_err(format!(
                "unsupported device {}: corepy runs on \"cpu\"",
                device.repr()?
            )));
        }
        Ok(slf.clone().into_any().unbind())
    }

    #[pyo3(signature = (*, api_version=None))]
    fn __array_namespace__(
        &self,
        py: Python<'_>,
        api_version: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        if let Some(v) = api_version {
            if !["2021.12", "2022.12", "2023.12", "2024.12", "2025.12"].contains(&v) {
                return Err(PyValueError::new_err(format!(
                    "unsupported array API version {v:?}: corepy implements 2025.12"
                )));
            }
        }
        Ok(py.import("corepy")?.into_any().unbind())
    }

    /// A zero-copy NumPy view of this tensor.
    fn numpy<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("numpy")?.call_method1("asarray", (slf,))
    }

    /// NumPy's `__array__` protocol: zero-copy unless a dtype conversion or copy is asked for.
    #[pyo3(signature = (dtype=None, copy=None))]
    fn __array__<'py>(
        slf: &Bound<'py, Self>,
        dtype: Option<&Bound<'py, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let np = slf.py().import("numpy")?;
        let mv = pyo3::types::PyMemoryView::from(slf.as_any())?;
        let kw = pyo3::types::PyDict::new(slf.py());
        if let Some(d) = dtype {
            kw.set_item("dtype", d)?;
        }
        kw.set_item("copy", copy)?;
        np.call_method("array", (mv,), Some(&kw))
    }

    /// Makes NumPy's binary operators defer to the tensor (ndarray + tensor is a tensor).
    #[classattr]
    fn __array_priority__() -> f64 {
        20.0
    }

    /// NEP 13: a NumPy ufunc over tensors runs corepy's function of the same meaning
    /// (corepy/_protocols.py says which); NotImplemented where corepy has none.
    #[pyo3(signature = (ufunc, method, *inputs, **kwargs))]
    fn __array_ufunc__<'py>(
        slf: &Bound<'py, Self>,
        ufunc: &Bound<'py, PyAny>,
        method: &Bound<'py, PyAny>,
        inputs: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, pyo3::types::PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let kwargs = kwargs
            .cloned()
            .unwrap_or_else(|| pyo3::types::PyDict::new(py));
        protocol(py, "array_ufunc")?.call1((ufunc, method, inputs, kwargs))
    }

    /// NEP 18: a NumPy function over tensors runs corepy's (corepy/_protocols.py);
    /// NotImplemented (NumPy then raises TypeError) where corepy has none.
    fn __array_function__<'py>(
        slf: &Bound<'py, Self>,
        func: &Bound<'py, PyAny>,
        types: &Bound<'py, PyAny>,
        args: &Bound<'py, PyAny>,
        kwargs: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        protocol(slf.py(), "array_function")?.call1((func, types, args, kwargs))
    }

    /// Pickling (corepy/_protocols.py): protocol 5 hands pickle a PickleBuffer over the
    /// tensor's memory (out-of-band when the pickler takes buffers, PEP 574); older protocols
    /// carry the bytes in-band.
    #[pyo3(signature = (protocol_version, /))]
    fn __reduce_ex__<'py>(
        slf: &Bound<'py, Self>,
        protocol_version: i64,
    ) -> PyResult<Bound<'py, PyAny>> {
        protocol(slf.py(), "reduce_ex")?.call1((slf, protocol_version))
    }

    /// DLPack export (versioned capsules when the consumer asks for them), zero-copy through
    /// NumPy's exporter over this tensor's buffer; the capsule keeps the tensor alive.
    #[pyo3(signature = (*, stream=None, max_version=None, dl_device=None, copy=None))]
    fn __dlpack__<'py>(
        slf: &Bound<'py, Self>,
        stream: Option<&Bound<'py, PyAny>>,
        max_version: Option<&Bound<'py, PyAny>>,
        dl_device: Option<&Bound<'py, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if stream.is_some_and(|s| !s.is_none()) {
            return Err(PyValueError::new_err(
                "stream must be None for a CPU tensor",
            ));
        }
        let kw = pyo3::types::PyDict::new(slf.py());
        if let Some(v) = max_version.filter(|v| !v.is_none()) {
            kw.set_item("max_version", v)?;
        }
        if let Some(d) = dl_device.filter(|v| !v.is_none()) {
            kw.set_item("dl_device", d)?;
        }
        if let Some(c) = copy {
            kw.set_item("copy", c)?;
        }
        Self::numpy(slf)?.call_method("__dlpack__", (), Some(&kw))
    }

    fn __dlpack_device__(&self) -> (i32, i32) {
        (1, 0) // kDLCPU, device 0
    }

    fn tolist<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::numpy(slf)?.call_method0("tolist")
    }

    #[pyo3(signature = (*shape, copy=None))]
    fn reshape(
        &self,
        py: Python<'_>,
        shape: &Bound<'_, PyTuple>,
        copy: Option<bool>,
    ) -> PyResult<Py<PyAny>> {
        let spec: PyResult<Vec<i64>> =
            if shape.len() == 1 && !shape.get_item(0)?.hasattr("__index__")? {
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
        let r = match copy {
            Some(true) => self.inner.contiguous()?.reshape(&spec)?,
            Some(false) => self.inner.reshape_view(&spec)?.ok_or_else(|| {
                CoreError::value(
                    "reshape: copy=False but this layout cannot be reshaped without a copy",
                )
            })?,
            None => self.inner.reshape(&spec)?,
        };
        let r = if copy == Some(true) && r.same_storage(&self.inner) {
            r.astype(r.dtype())?
        } else {
            r
        };
        wrap(py, r)
    }

    #[pyo3(signature = (dtype, /, *, copy=true))]
    fn astype(&self, py: Python<'_>, dtype: &Bound<'_, PyAny>, copy: bool) -> PyResult<Py<PyAny>> {
        let d = parse_dtype(Some(dtype))?
            .ok_or_else(|| CoreError::type_err("astype: dtype must not be None"))?;
        if !copy && d == self.inner.dtype() {
            return wrap(py, self.inner.clone());
        }
        wrap(py, self.inner.astype(d)?)
    }

    #[pyo3(signature = (axis=None, *, dtype=None, keepdims=false))]
    fn sum(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        axis: Option<&Bound<'_, PyAny>>,
        dtype: Option<&Bound<'_, PyAny>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        reductions::method(py, slf, Op::Sum, axis, keepdims, dtype)
    }
    #[pyo3(signature = (axis=None, *, keepdims=false))]
    fn mean(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        axis: Option<&Bound<'_, PyAny>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        reductions::method(py, slf, Op::Mean, axis, keepdims, None)
    }
    #[pyo3(signature = (axis=None, *, keepdims=false))]
    fn all(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        axis: Option<&Bound<'_, PyAny>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        reductions::method(py, slf, Op::All, axis, keepdims, None)
    }
    #[pyo3(signature = (axis=None, *, keepdims=false))]
    fn any(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        axis: Option<&Bound<'_, PyAny>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        reductions::method(py, slf, Op::Any, axis, keepdims, None)
    }

    /// Views of the same storage with a new layout (the namespace functions build on these).
    fn _permute(&self, py: Python<'_>, axes: Vec<usize>) -> PyResult<Py<PyAny>> {
        wrap(py, self.inner.permute(&axes)?)
    }
    fn _broadcast_to(&self, py: Python<'_>, shape: Vec<usize>) -> PyResult<Py<PyAny>> {
        wrap(py, self.inner.broadcast_to(&shape)?)
    }
    fn _expand_dims(&self, py: Python<'_>, axis: usize) -> PyResult<Py<PyAny>> {
        wrap(py, self.inner.expand_dims(axis)?)
    }
    fn _squeeze(&self, py: Python<'_>, axes: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let axes = axes_arg(axes, self.inner.ndim())?;
        wrap(py, self.inner.squeeze(&axes)?)
    }
    fn _flip(&self, py: Python<'_>, axes: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let axes = axes_arg(axes, self.inner.ndim())?;
        wrap(py, self.inner.flip(&axes)?)
    }
    /// `self[...] = src` (broadcast, cast), writing through this view.
    fn _assign(&self, src: &Bound<'_, PyAny>) -> PyResult<()> {
        super::index::setitem(&self.inner, &pyo3::types::PyEllipsis::get(src.py()), src)
    }

    fn __len__(&self) -> PyResult<usize> {
        self.inner
            .shape()
            .first()
            .copied()
            .ok_or_else(|| PyTypeError::new_err("len() of a 0-d tensor"))
    }

    /// Over the first axis, lazily (`map(t.__getitem__, range(len(t)))`); a 0-d tensor is not
    /// iterable (TypeError, as in NumPy), where the sequence fallback would yield nothing.
    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let n = *slf
            .get()
            .inner
            .shape()
            .first()
            .ok_or_else(|| PyTypeError::new_err("iteration over a 0-d tensor"))?;
        let builtins = py.import("builtins")?;
        let range = builtins.getattr("range")?.call1((n,))?;
        builtins
            .getattr("map")?
            .call1((slf.getattr("__getitem__")?, range))
    }

    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        wrap(py, super::index::getitem(&self.inner, key)?)
    }

    fn __setitem__(&self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        super::index::setitem(&self.inner, key, value)
    }

    fn __bool__(&self) -> PyResult<bool> {
        let t = self.single("bool()")?;
        Python::attach(|py| element_to_py(py, t)?.bind(py).is_truthy())
    }
    fn __int__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let t = self.single("int()")?;
        if t.dtype().is_complex() {
            return Err(PyTypeError::new_err("int() of a complex tensor"));
        }
        let v = element_to_py(py, t)?;
        Ok(py.get_type::<pyo3::types::PyInt>().call1((v,))?.unbind())
    }
    fn __float__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let t = self.single("float()")?;
        if t.dtype().is_complex() {
            return Err(PyTypeError::new_err("float() of a complex tensor"));
        }
        let v = element_to_py(py, t)?;
        Ok(py.get_type::<pyo3::types::PyFloat>().call1((v,))?.unbind())
    }
    fn __complex__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let t = self.single("complex()")?;
        let v = element_to_py(py, t)?;
        Ok(py
            .get_type::<pyo3::types::PyComplex>()
            .call1((v,))?
            .unbind())
    }
    fn __index__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if !self.inner.dtype().is_int() {
            return Err(PyTypeError::new_err(format!(
                "only integer tensors can be used as an index, got {}",
                self.inner.dtype().name()
            )));
        }
        let t = self.single("operator.index()")?;
        element_to_py(py, t)
    }

    /// `format(t, spec)`: a 0-d tensor formats as its Python scalar (f"{cp.sum(x):.3f}"), any
    /// other as its str() (NumPy's rule).
    #[pyo3(signature = (format_spec, /))]
    fn __format__(slf: &Bound<'_, Self>, format_spec: &str) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let me = slf.get();
        let target = if me.inner.ndim() == 0 {
            element_to_py(py, &me.inner)?.into_bound(py)
        } else {
            slf.str()?.into_any()
        };
        Ok(target.call_method1("__format__", (format_spec,))?.unbind())
    }

    /// NumPy's repr with "array" spelled "tensor".
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let r = Self::numpy(slf)?.repr()?.to_string();
        let body = r.strip_prefix("array(").unwrap_or(&r);
        Ok(format!("tensor({}", body.replace("\n      ", "\n       ")))
    }

    /// Exports the tensor's memory without a copy, with strides (a consumer that asks for a
    /// C-contiguous buffer of a non-contiguous tensor gets a BufferError, as from NumPy).
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
        let strided_ok = flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES;
        let c_wanted = flags & ffi::PyBUF_C_CONTIGUOUS == ffi::PyBUF_C_CONTIGUOUS;
        if (!strided_ok || c_wanted) && !t.is_contiguous() {
            return Err(PyBufferError::new_err(
                "tensor is not C-contiguous: ask for a strided buffer or copy it first",
            ));
        }
        let f_wanted = flags & ffi::PyBUF_F_CONTIGUOUS == ffi::PyBUF_F_CONTIGUOUS
            && flags & ffi::PyBUF_ANY_CONTIGUOUS != ffi::PyBUF_ANY_CONTIGUOUS;
        if f_wanted && t.ndim() > 1 && !t.transpose_all().is_ok_and(|x| x.is_contiguous()) {
            return Err(PyBufferError::new_err("tensor is not Fortran-contiguous"));
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
                // usize and isize share a layout; the frozen object never changes its shape.
                t.shape().as_ptr() as *mut isize
            } else {
                std::ptr::null_mut()
            };
            // Byte strides live with the export (freed by __releasebuffer__ through `internal`),
            // not in every tensor object: views stay small and cheap to make.
            (*view).strides = std::ptr::null_mut();
            (*view).internal = std::ptr::null_mut();
            if strided_ok {
                let strides: Box<[isize]> = t.byte_strides().into_boxed_slice();
                let p = Box::into_raw(strides) as *mut isize;
                (*view).strides = p;
                (*view).internal = p as *mut std::ffi::c_void;
            }
            (*view).suboffsets = std::ptr::null_mut();
        }
        Ok(())
    }

    unsafe fn __releasebuffer__(&self, view: *mut ffi::Py_buffer) {
        // SAFETY: `view` is the buffer this object filled in __getbuffer__ (CPython's contract);
        // a non-null `internal` is the boxed slice of `ndim` strides made there, freed once here.
        unsafe {
            let p = (*view).internal as *mut isize;
            if !p.is_null() {
                let n = (*view).ndim as usize;
                drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, n)));
                (*view).internal = std::ptr::null_mut();
            }
        }
    }

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
    fn __richcmp__(
        slf: &Bound<'_, Self>,
        o: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        let op = match op {
            CompareOp::Eq => BinOp::Eq,
            CompareOp::Ne => BinOp::Ne,
            CompareOp::Lt => BinOp::Lt,
            CompareOp::Le => BinOp::Le,
            CompareOp::Gt => BinOp::Gt,
            CompareOp::Ge => BinOp::Ge,
        };
        reflected(slf, o, op, false)
    }
    fn __neg__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unary_op(slf.py(), UnOp::Neg, slf.as_any(), None)
    }
    fn __pos__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unary_op(slf.py(), UnOp::Pos, slf.as_any(), None)
    }
    fn __abs__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unary_op(slf.py(), UnOp::Abs, slf.as_any(), None)
    }
    fn __invert__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unary_op(slf.py(), UnOp::Invert, slf.as_any(), None)
    }
    fn __pow__(
        slf: &Bound<'_, Self>,
        o: &Bound<'_, PyAny>,
        _modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if squares(slf.get().inner.dtype(), o) {
            return unary_op(slf.py(), UnOp::Square, slf.as_any(), None);
        }
        reflected(slf, o, BinOp::Pow, false)
    }
    fn __rpow__(
        slf: &Bound<'_, Self>,
        o: &Bound<'_, PyAny>,
        _modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Pow, true)
    }
    fn __ipow__(
        slf: &Bound<'_, Self>,
        o: &Bound<'_, PyAny>,
        _modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        in_place(slf, o, BinOp::Pow)
    }
    fn __floordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::FloorDiv, false)
    }
    fn __rfloordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::FloorDiv, true)
    }
    fn __ifloordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::FloorDiv)
    }
    fn __mod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Rem, false)
    }
    fn __rmod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Rem, true)
    }
    fn __imod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::Rem)
    }
    fn __and__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::BitAnd, false)
    }
    fn __rand__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::BitAnd, true)
    }
    fn __iand__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::BitAnd)
    }
    fn __or__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::BitOr, false)
    }
    fn __ror__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::BitOr, true)
    }
    fn __ior__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::BitOr)
    }
    fn __xor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::BitXor, false)
    }
    fn __rxor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::BitXor, true)
    }
    fn __ixor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::BitXor)
    }
    fn __lshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Shl, false)
    }
    fn __rlshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Shl, true)
    }
    fn __ilshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::Shl)
    }
    fn __rshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Shr, false)
    }
    fn __rrshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        reflected(slf, o, BinOp::Shr, true)
    }
    fn __irshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(slf, o, BinOp::Shr)
    }
    fn __matmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if !accepts(o) || is_py_scalar(o) {
            return Ok(slf.py().NotImplemented());
        }
        matmul_op(slf.py(), slf.as_any(), o, "auto")
    }
    fn __rmatmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if !accepts(o) || is_py_scalar(o) {
            return Ok(slf.py().NotImplemented());
        }
        matmul_op(slf.py(), o, slf.as_any(), "auto")
    }
    /// `x @= y`: the product is computed apart, then written into x, which (as for every in-place
    /// operator of the standard) keeps its shape and dtype.
    fn __imatmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let me = &slf.get().inner;
        let r = matmul_op(py, slf.as_any(), o, "auto")?;
        let (shape, dtype) = {
            let rt = r.bind(py).cast::<PyTensor>()?;
            (rt.get().inner.shape().to_vec(), rt.get().inner.dtype())
        };
        if shape != me.shape() {
            return Err(CoreError::value(format!(
                "@= would change the shape from {:?} to {:?}",
                me.shape(),
                shape
            ))
            .into());
        }
        if dtype != me.dtype() {
            return Err(CoreError::type_err(format!(
                "@= would change the dtype from {} to {}",
                me.dtype().name(),
                dtype.name()
            ))
            .into());
        }
        let all = pyo3::types::PyEllipsis::get(py);
        super::index::setitem(me, all.as_any(), r.bind(py))
    }
}

/// `x ** 2` with a Python 2 (2.0 for a float tensor) is the square, as in NumPy's
/// fast_scalar_power: one multiply instead of the general pow kernel, with the same dtype and
/// value (Dask's variance computes `(x - mean) ** 2` on every chunk).
fn squares(d: DType, o: &Bound<'_, PyAny>) -> bool {
    if d == DType::Bool || d.is_complex() {
        return false;
    }
    if o.is_exact_instance_of::<pyo3::types::PyInt>() {
        return o.extract::<i64>().ok() == Some(2);
    }
    d.is_float()
        && o.is_exact_instance_of::<pyo3::types::PyFloat>()
        && o.extract::<f64>().ok() == Some(2.0)
}

/// Operands an operator takes; anything else gets NotImplemented so Python raises its own
/// TypeError (or tries the other operand's method).
fn accepts(o: &Bound<'_, PyAny>) -> bool {
    is_py_scalar(o)
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

/// `x op= y`: the result must keep x's dtype and shape (the standard's rule), written in place.
fn in_place(slf: &Bound<'_, PyTensor>, o: &Bound<'_, PyAny>, op: BinOp) -> PyResult<()> {
    binary_op(slf.py(), op, slf.as_any(), o, Some(slf.as_any())).map(|_| ())
}
