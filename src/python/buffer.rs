//! Importing Python buffer-protocol objects as tensors: zero-copy in any aligned layout,
//! otherwise a gathered contiguous copy. All raw `Py_buffer` handling lives here.

use crate::dtype::DType;
use crate::error::{shape_str, CoreError, Result};
use crate::tensor::{Dims, Owner, Storage, Tensor, View};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView};
use std::ffi::CStr;

/// A held `Py_buffer`; dropping it releases the exporter's buffer (with the GIL attached).
struct HeldBuffer(Box<ffi::Py_buffer>);

// SAFETY: the view is only read (pointer, length) while held, and released under the GIL.
unsafe impl Send for HeldBuffer {}
unsafe impl Sync for HeldBuffer {}

impl Drop for HeldBuffer {
    fn drop(&mut self) {
        // SAFETY: the view was filled by a successful PyObject_GetBuffer and is released once.
        // SAFETY: attached for the call (see `attached`).
        attached(|| unsafe { ffi::PyBuffer_Release(&mut *self.0) });
    }
}

/// Runs `f` attached to the interpreter: directly when this thread already holds the GIL (a
/// Tensor's dealloc, even during interpreter shutdown, when `Python::attach` would refuse and
/// panic), else through `Python::attach` (a pool thread dropping the last reference).
fn attached(f: impl FnOnce()) {
    // SAFETY: PyGILState_Check only reads this thread's state.
    if unsafe { ffi::PyGILState_Check() } == 1 {
        f()
    } else {
        Python::attach(|_| f())
    }
}

/// Lets go of the strong reference to a NumPy array that an imported tensor's storage held.
///
/// # Safety
/// `p` is a `PyObject*` whose strong reference the caller owns.
unsafe fn release_array(p: *mut ()) {
    // SAFETY: the caller's reference, given up once, with the GIL attached.
    attached(|| unsafe { ffi::Py_DECREF(p.cast()) });
}

/// NumPy's C struct `PyArrayObject_fields` (numpy/ndarraytypes.h), the ABI behind its
/// `PyArray_DATA`/`PyArray_DIMS`/... macros, the same in NumPy 1.x and 2.x.
#[repr(C)]
struct NpyArray {
    ob_refcnt: isize,
    ob_type: *mut ffi::PyTypeObject,
    data: *mut u8,
    nd: std::ffi::c_int,
    dimensions: *const isize,
    strides: *const isize,
    base: *mut ffi::PyObject,
    descr: *const NpyDescr,
    flags: std::ffi::c_int,
}

/// The head of `PyArray_Descr`: `type_num` sits at the same offset in NumPy 1.x and 2.x.
#[repr(C)]
struct NpyDescr {
    ob_refcnt: isize,
    ob_type: *mut ffi::PyTypeObject,
    typeobj: *mut ffi::PyTypeObject,
    kind: u8,
    type_char: u8,
    byteorder: u8,
    _flags: u8,
    type_num: std::ffi::c_int,
}

const NPY_ARRAY_WRITEABLE: std::ffi::c_int = 0x0400;

/// The type object of `numpy.ndarray` (exact type only: subclasses take the buffer protocol).
fn ndarray_type(py: Python<'_>) -> Option<*mut ffi::PyTypeObject> {
    static T: pyo3::sync::PyOnceLock<Option<Py<pyo3::types::PyType>>> =
        pyo3::sync::PyOnceLock::new();
    T.get_or_init(py, || {
        py.import("numpy")
            .and_then(|np| np.getattr("ndarray"))
            .and_then(|t| Ok(t.cast_into::<pyo3::types::PyType>()?.unbind()))
            .ok()
    })
    .as_ref()
    .map(|t| t.as_ptr() as *mut ffi::PyTypeObject)
}

/// An exact `numpy.ndarray` of a native-endian corepy dtype with aligned elements, as read from
/// its fields (no buffer export, no format string). Valid while the array is.
pub struct NdLayout {
    data: *mut u8,
    shape: Dims,
    /// Element strides.
    strides: Dims<isize>,
    dtype: DType,
    readonly: bool,
}

impl NdLayout {
    /// The array as an op input, read in place.
    ///
    /// # Safety
    /// The array the layout was read from must stay alive (and not be resized) while the view
    /// is used.
    pub unsafe fn view(&self) -> View<'_> {
        // SAFETY: NumPy guarantees every element of the array's layout is readable memory of
        // the array; the caller keeps the array alive.
        unsafe { View::from_raw(self.data, &self.shape, &self.strides, self.dtype) }
    }
    pub fn dtype(&self) -> DType {
        self.dtype
    }
}

/// The layout of `obj` if it is an exact `numpy.ndarray` (not a subclass: those take the buffer
/// protocol) of a native-endian corepy dtype with aligned elements; `None` otherwise.
pub fn ndarray_layout(obj: &Bound<'_, PyAny>) -> Option<NdLayout> {
    let ty = ndarray_type(obj.py())?;
    // SAFETY: obj is a live object; reading its type pointer is what Py_TYPE does.
    if unsafe { ffi::Py_TYPE(obj.as_ptr()) } != ty {
        return None;
    }
    // SAFETY: obj's exact type is numpy.ndarray, so it is laid out as PyArrayObject_fields, and
    // its descr is a valid PyArray_Descr; both stay alive while we hold obj.
    let (a, d) = unsafe {
        let a = &*(obj.as_ptr() as *const NpyArray);
        (a, &*a.descr)
    };
    if d.byteorder == b'>' {
        return None;
    }
    let dtype = match d.type_num {
        0 => DType::Bool,
        1 => DType::I8,
        2 => DType::U8,
        3 => DType::I16,
        4 => DType::U16,
        5 => DType::I32,
        6 => DType::U32,
        7 | 9 => DType::I64,
        8 | 10 => DType::U64,
        11 => DType::F32,
        12 => DType::F64,
        14 => DType::C64,
        15 => DType::C128,
        _ => return None,
    };
    let nd = a.nd.max(0) as usize;
    let isz = dtype.itemsize() as isize;
    if (a.data as usize) % dtype.itemsize() != 0 {
        return None;
    }
    let (mut shape, mut strides) = (Dims::new(), Dims::new());
    if nd > 0 {
        // SAFETY: dimensions and strides hold nd entries each (NULL only when nd == 0).
        let (dims, bstrides) = unsafe {
            (
                std::slice::from_raw_parts(a.dimensions, nd),
                std::slice::from_raw_parts(a.strides, nd),
            )
        };
        for (&d, &st) in dims.iter().zip(bstrides) {
            if st % isz != 0 {
                return None;
            }
            shape.push(d as usize);
            strides.push(st / isz);
        }
    }
    Some(NdLayout {
        data: a.data,
        shape,
        strides,
        dtype,
        readonly: a.flags & NPY_ARRAY_WRITEABLE == 0,
    })
}

/// The fast path of `import` for an exact `numpy.ndarray`: the tensor wraps the array's memory
/// and holds a reference to the array. `None` means "take the buffer protocol".
fn import_ndarray(obj: &Bound<'_, PyAny>) -> PyResult<Option<Tensor>> {
    let Some(nd) = ndarray_layout(obj) else {
        return Ok(None);
    };
    let isz = nd.dtype.itemsize() as isize;
    let bstrides: Dims<isize> = nd.strides.iter().map(|&s| s * isz).collect();
    let (lo, hi) = byte_extent(&nd.shape, &bstrides, isz);
    // SAFETY: NumPy guarantees every element of the array's layout lies in memory owned (via
    // `base`) by the array, whose reference the owner keeps; [data+lo, data+hi) covers them all.
    let storage = unsafe {
        Storage::foreign(
            nd.data.wrapping_offset(lo),
            (hi - lo) as usize,
            nd.readonly,
            // SAFETY: into_ptr hands over a new strong reference, released once by the owner.
            Owner::raw(obj.clone().into_ptr().cast(), release_array),
        )
    };
    crate::instrument::note_zero_copy();
    Ok(Some(Tensor::from_storage_strided(
        storage,
        (-lo) as usize,
        &nd.shape,
        &nd.strides,
        nd.dtype,
    )?))
}

/// The byte range [lo, hi) relative to element 0 that an exporter's layout (byte strides)
/// reaches: from its lowest element to past its highest; empty for an empty layout. Exporters
/// describe layouts inside their own memory, so the sums cannot overflow.
fn byte_extent(shape: &[usize], strides: &[isize], itemsize: isize) -> (isize, isize) {
    if shape.contains(&0) {
        return (0, 0);
    }
    shape
        .iter()
        .zip(strides)
        .fold((0, itemsize), |(lo, hi), (&d, &st)| {
            let far = (d as isize - 1) * st;
            if far < 0 {
                (lo + far, hi)
            } else {
                (lo, hi + far)
            }
        })
}

/// What a buffer's format string says about its elements.
enum Format {
    Typed(DType),
    /// Untyped bytes (format 'B'): `dtype=` says how to read them.
    Bytes,
}

fn parse_format(fmt: &str, itemsize: usize) -> Result<Format> {
    let code = fmt.trim_start_matches(['@', '=', '<']);
    let typed = |d: DType| Ok(Format::Typed(d));
    match (code, itemsize) {
        ("f", 4) => typed(DType::F32),
        ("d", 8) => typed(DType::F64),
        ("b", 1) => typed(DType::I8),
        ("h", 2) => typed(DType::I16),
        ("i" | "l", 4) => typed(DType::I32),
        ("l" | "q", 8) => typed(DType::I64),
        ("H", 2) => typed(DType::U16),
        ("I" | "L", 4) => typed(DType::U32),
        ("L" | "Q", 8) => typed(DType::U64),
        ("Zf", 8) => typed(DType::C64),
        ("Zd", 16) => typed(DType::C128),
        ("?", 1) => typed(DType::Bool),
        ("B", 1) => Ok(Format::Bytes),
        _ => {
            let name = match code.trim_start_matches(['>', '!']) {
                "e" => "float16",
                "g" => "longdouble",
                "Zg" => "clongdouble",
                "O" => "object",
                _ if code.starts_with(['>', '!']) => "big-endian",
                _ => "unknown",
            };
            Err(CoreError::type_err(format!(
                "unsupported buffer dtype {name} (format {fmt:?}, itemsize {itemsize}): \
                 expected one of {}",
                DType::ALL.map(|d| d.name()).join(", ")
            )))
        }
    }
}

fn byte_contiguous(shape: &[usize], strides: &[isize], itemsize: usize) -> bool {
    let mut expect = itemsize as isize;
    for (&d, &s) in shape.iter().zip(strides).rev() {
        if d == 0 {
            return true;
        }
        if d != 1 && s != expect {
            return false;
        }
        expect *= d as isize;
    }
    true
}

/// Imports `obj` if it exports a buffer; `Ok(None)` if it does not. Every layout the exporter
/// describes (negative, zero and non-C strides included) is wrapped zero-copy when its elements
/// are aligned and no dtype conversion is asked for; otherwise a contiguous copy.
pub fn import(
    obj: &Bound<'_, PyAny>,
    dtype: Option<DType>,
    copy: Option<bool>,
) -> PyResult<Option<Tensor>> {
    if dtype.is_none() && copy != Some(true) {
        if let Some(t) = import_ndarray(obj)? {
            return Ok(Some(t));
        }
    }
    // SAFETY: obj is a live object; CheckBuffer only inspects its type.
    if unsafe { ffi::PyObject_CheckBuffer(obj.as_ptr()) } == 0 {
        return Ok(None);
    }
    // Raw byte containers carry no element type: format "B" there means "bytes", read with the
    // dtype= the caller gives. Elsewhere (a NumPy or array.array buffer) "B" is uint8.
    let untyped = obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_instance_of::<PyMemoryView>();
    // SAFETY: Py_buffer is plain data; zeroed is a valid initial state for GetBuffer to fill.
    let mut view: Box<ffi::Py_buffer> = Box::new(unsafe { std::mem::zeroed() });
    // SAFETY: view points to writable storage for one Py_buffer.
    if unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *view, ffi::PyBUF_RECORDS_RO) } != 0 {
        // E.g. NumPy datetimes claim the buffer protocol but cannot export: that is a dtype
        // corepy does not support, so a TypeError.
        let cause = PyErr::fetch(obj.py());
        return Err(CoreError::type_err(format!(
            "unsupported buffer: {} cannot export its data ({cause})",
            obj.get_type().name()?
        ))
        .into());
    }
    let held = HeldBuffer(view);
    let v = &*held.0;
    let ndim = v.ndim as usize;
    // SAFETY: with PyBUF_STRIDES the exporter fills shape and strides with `ndim` entries each
    // (or leaves them NULL for ndim == 0); format is NULL or a NUL-terminated string.
    let (shape, strides, fmt) = unsafe {
        let shape: Dims = if ndim == 0 || v.shape.is_null() {
            Dims::new()
        } else {
            std::slice::from_raw_parts(v.shape, ndim)
                .iter()
                .map(|&d| d as usize)
                .collect()
        };
        let strides: Dims<isize> = if ndim == 0 || v.strides.is_null() {
            crate::tensor::contiguous_strides(&shape)
                .iter()
                .map(|&s| s * v.itemsize)
                .collect()
        } else {
            Dims::from_slice(std::slice::from_raw_parts(v.strides, ndim))
        };
        // Borrowed from the exporter (valid while the view is held): no allocation per import.
        let fmt = if v.format.is_null() {
            "B"
        } else {
            CStr::from_ptr(v.format).to_str().unwrap_or("?unreadable")
        };
        (shape, strides, fmt)
    };
    let itemsize = v.itemsize as usize;
    let (ptr, len, readonly) = (v.buf as *mut u8, v.len as usize, v.readonly != 0);

    let format = match parse_format(fmt, itemsize)? {
        Format::Bytes if !untyped => Format::Typed(DType::U8),
        f => f,
    };
    let (src_dtype, shape, strides) = match format {
        Format::Typed(d) => (d, shape, strides),
        Format::Bytes => {
            let want = dtype.ok_or_else(|| {
                CoreError::type_err(
                    "this is an untyped byte buffer: pass dtype= (e.g. dtype=\"float32\") to say \
                     how to read its bytes",
                )
            })?;
            if !byte_contiguous(&shape, &strides, 1) {
                return Err(
                    CoreError::value("a byte buffer read with dtype= must be contiguous").into(),
                );
            }
            let isz = want.itemsize();
            if len % isz != 0 {
                return Err(CoreError::value(format!(
                    "byte buffer of length {len} is not a multiple of the {} item size {isz}",
                    want.name()
                ))
                .into());
            }
            let mut shape = if shape.is_empty() {
                smallvec::smallvec![len]
            } else {
                shape
            };
            let last = shape.len() - 1;
            if shape[last] % isz != 0 {
                return Err(CoreError::value(format!(
                    "byte buffer of shape {} cannot be read as {}: the last dimension is not a \
                     multiple of {isz}",
                    shape_str(&shape),
                    want.name()
                ))
                .into());
            }
            shape[last] /= isz;
            let strides = crate::tensor::contiguous_strides(&shape)
                .iter()
                .map(|&s| s * isz as isize)
                .collect();
            (want, shape, strides)
        }
    };
    let target = dtype.unwrap_or(src_dtype);
    let isz = src_dtype.itemsize() as isize;
    let aligned =
        (ptr as usize) % src_dtype.itemsize() == 0 && strides.iter().all(|s| s % isz == 0);
    crate::tensor::checked_size(&shape)?;
    if aligned && target == src_dtype && copy != Some(true) {
        let (lo, hi) = byte_extent(&shape, &strides, isz);
        let elem: Dims<isize> = strides.iter().map(|&st| st / isz).collect();
        // SAFETY: the exporter guarantees every element of the layout is readable (writable
        // unless readonly) while the view is held; the held view moves into the storage and is
        // released only when the storage drops. [ptr+lo, ptr+hi) covers every element.
        let storage = unsafe {
            Storage::foreign(
                ptr.wrapping_offset(lo),
                (hi - lo) as usize,
                readonly,
                Owner::boxed(held),
            )
        };
        crate::instrument::note_zero_copy();
        let _ = len;
        return Ok(Some(Tensor::from_storage_strided(
            storage,
            (-lo) as usize,
            &shape,
            &elem,
            src_dtype,
        )?));
    }
    if copy == Some(false) {
        let why = if target != src_dtype {
            format!("converting {} to {}", src_dtype.name(), target.name())
        } else {
            "the buffer is not aligned for its dtype".to_string()
        };
        return Err(CoreError::value(format!("copy=False but a copy is needed: {why}")).into());
    }
    crate::instrument::note_copy();
    let out = Tensor::empty(&shape, src_dtype)?;
    if !shape.contains(&0) {
        // SAFETY: shape and byte strides describe the exporter's own buffer, readable while
        // `held` lives (until the end of this function). Misaligned data is read by the gather
        // kernel with unaligned loads.
        unsafe { crate::tensor::gather_bytes(ptr, &shape, &strides, src_dtype, out.data_mut()?)? };
    }
    drop(held);
    Ok(Some(if target != src_dtype {
        out.astype(target)?
    } else {
        out
    }))
}
