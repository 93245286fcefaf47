//! Importing Python buffer-protocol objects as tensors: zero-copy when C-contiguous and aligned,
//! otherwise a gathered contiguous copy. All raw `Py_buffer` handling lives here.

use crate::arena::Scratch;
use crate::dtype::DType;
use crate::error::{shape_str, CoreError, Result};
use crate::tensor::{Dims, Storage, Tensor, View};
use pyo3::ffi;
use pyo3::prelude::*;
use std::ffi::CStr;

/// A held `Py_buffer`; dropping it releases the exporter's buffer (with the GIL attached).
struct HeldBuffer(Box<ffi::Py_buffer>);

// SAFETY: the view is only read (pointer, length) while held, and released under the GIL.
unsafe impl Send for HeldBuffer {}
unsafe impl Sync for HeldBuffer {}

impl Drop for HeldBuffer {
    fn drop(&mut self) {
        // SAFETY: the view was filled by a successful PyObject_GetBuffer and is released once.
        Python::attach(|_| unsafe { ffi::PyBuffer_Release(&mut *self.0) });
    }
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
        ("i" | "l", 4) => typed(DType::I32),
        ("l" | "q", 8) => typed(DType::I64),
        ("?", 1) => typed(DType::Bool),
        ("B", 1) => Ok(Format::Bytes),
        _ => {
            let name = match code.trim_start_matches(['>', '!']) {
                "e" => "float16",
                "g" => "longdouble",
                "Zf" | "Zd" | "Zg" => "complex",
                "b" => "int8",
                "h" => "int16",
                "H" => "uint16",
                "I" => "uint32",
                "L" | "Q" => "uint64",
                "O" => "object",
                _ if code.starts_with(['>', '!']) => "big-endian",
                _ => "unknown",
            };
            Err(CoreError::type_err(format!(
                "unsupported buffer dtype {name} (format {fmt:?}, itemsize {itemsize}): \
                 expected float32, float64, int32, int64 or bool"
            )))
        }
    }
}

fn is_c_contiguous(shape: &[usize], strides: &[isize], itemsize: usize) -> bool {
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

/// Imports `obj` if it exports a buffer; `Ok(None)` if it does not.
pub fn import(
    obj: &Bound<'_, PyAny>,
    dtype: Option<DType>,
    copy: Option<bool>,
) -> PyResult<Option<Tensor>> {
    Ok(import_impl(obj, dtype, copy, false, None)?.map(Imported::into_tensor))
}

/// Imports `obj` as an op input: zero-copy when possible (with `allow_transposed`, also a
/// Fortran-ordered 2-D buffer, NumPy's `x.T`, as its C-ordered transpose with `true`), else a contiguous copy in the op's
/// arena (heap when larger than the arena). `Ok(None)` if `obj` exports no buffer.
pub fn import_operand<'a>(
    obj: &Bound<'_, PyAny>,
    s: &Scratch<'a>,
    allow_transposed: bool,
) -> PyResult<Option<Imported<'a>>> {
    import_impl(obj, None, None, allow_transposed, Some(s))
}

/// An imported buffer: a tensor (zero-copy, or a heap copy; `true` if transposed) or an arena copy.
pub enum Imported<'a> {
    Tensor(Tensor, bool),
    Arena(View<'a>),
}

impl Imported<'_> {
    fn into_tensor(self) -> Tensor {
        match self {
            Imported::Tensor(t, _) => t,
            Imported::Arena(_) => unreachable!("arena copies are only made for import_operand"),
        }
    }
}

fn import_impl<'a>(
    obj: &Bound<'_, PyAny>,
    dtype: Option<DType>,
    copy: Option<bool>,
    allow_transposed: bool,
    scratch: Option<&Scratch<'a>>,
) -> PyResult<Option<Imported<'a>>> {
    // SAFETY: obj is a live object; CheckBuffer only inspects its type.
    if unsafe { ffi::PyObject_CheckBuffer(obj.as_ptr()) } == 0 {
        return Ok(None);
    }
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
            crate::tensor::contiguous_strides(&shape, v.itemsize as usize)
        } else {
            Dims::from_slice(std::slice::from_raw_parts(v.strides, ndim))
        };
        let fmt = if v.format.is_null() {
            "B".to_string()
        } else {
            CStr::from_ptr(v.format).to_string_lossy().into_owned()
        };
        (shape, strides, fmt)
    };
    let itemsize = v.itemsize as usize;
    let (ptr, len, readonly) = (v.buf as *mut u8, v.len as usize, v.readonly != 0);

    let (src_dtype, shape, strides) = match parse_format(&fmt, itemsize)? {
        Format::Typed(d) => (d, shape, strides),
        Format::Bytes => {
            let want = dtype.ok_or_else(|| {
                CoreError::type_err(
                    "this is an untyped byte buffer: pass dtype= (e.g. dtype=\"float32\") to say \
                     how to read its bytes",
                )
            })?;
            if !is_c_contiguous(&shape, &strides, 1) {
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
            let strides = crate::tensor::contiguous_strides(&shape, isz);
            (want, shape, strides)
        }
    };
    let target = dtype.unwrap_or(src_dtype);
    let mut contiguous = is_c_contiguous(&shape, &strides, src_dtype.itemsize());
    let aligned = (ptr as usize) % src_dtype.itemsize() == 0;
    let (mut shape, mut strides) = (shape, strides);
    let mut transposed = false;
    if allow_transposed && !contiguous && shape.len() == 2 {
        let swapped: Dims = smallvec::smallvec![shape[1], shape[0]];
        let swapped_strides: Dims<isize> = smallvec::smallvec![strides[1], strides[0]];
        if is_c_contiguous(&swapped, &swapped_strides, src_dtype.itemsize()) {
            (shape, strides, contiguous, transposed) = (swapped, swapped_strides, true, true);
        }
    }
    let zero_copy = contiguous && aligned && target == src_dtype;
    if zero_copy && copy != Some(true) {
        // SAFETY: the exporter guarantees `len` bytes at `ptr` while the view is held; the held
        // view moves into the storage and is released only when the storage drops.
        let storage = unsafe { Storage::foreign(ptr, len, readonly, Box::new(held)) };
        crate::instrument::note_zero_copy();
        return Ok(Some(Imported::Tensor(
            Tensor::from_storage(storage, &shape, src_dtype)?,
            transposed,
        )));
    }
    if copy == Some(false) {
        let why = if target != src_dtype {
            format!("converting {} to {}", src_dtype.name(), target.name())
        } else if !aligned {
            "the buffer is not aligned for its dtype".to_string()
        } else {
            "the buffer is not C-contiguous".to_string()
        };
        return Err(CoreError::value(format!("copy=False but a copy is needed: {why}")).into());
    }
    crate::instrument::note_copy();
    let nbytes = crate::tensor::checked_size(&shape)?.saturating_mul(src_dtype.itemsize());
    if let Some(s) = scratch.filter(|s| target == src_dtype && !s.too_big(nbytes)) {
        // SAFETY: shape and strides describe the exporter's own buffer, readable while `held`
        // lives (until the end of this function). Misaligned data is read by the gather kernel
        // with unaligned loads.
        let v = unsafe { View::gather_in(s, ptr, &shape, &strides, src_dtype)? };
        return Ok(Some(Imported::Arena(v)));
    }
    // SAFETY: as above.
    let t = unsafe { Tensor::gather_strided(ptr, &shape, &strides, src_dtype)? };
    drop(held);
    let t = if target != src_dtype {
        t.astype(target)?
    } else {
        t
    };
    Ok(Some(Imported::Tensor(t, transposed)))
}
