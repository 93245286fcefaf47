//! `t[key]` and `t[key] = value`: basic indices (integers, slices, `...`, `None`) give views;
//! integer and boolean arrays copy (getitem) or scatter (setitem), as in NumPy.

use super::convert::{is_py_scalar, scalar_as, to_operand, weak_scalar_dtype};
use super::ops::run;
use crate::dtype::DType;
use crate::error::{shape_str, CoreError, Result};
use crate::instrument::OpCall;
use crate::kernels::index;
use crate::tensor::{iter::copy_into, Dims, Index, Tensor};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyEllipsis, PyInt, PyList, PySlice, PyTuple};
use smallvec::SmallVec;

/// One parsed key item, before it is resolved against a shape.
enum Item {
    Int(i64),
    /// start, stop, step as `PySlice_Unpack` gives them (clamped to the isize range; a missing
    /// bound is the extreme for the step's direction).
    Slice(isize, isize, isize),
    Ellipsis,
    NewAxis,
    /// An integer index array (int64, any shape).
    Ints(Tensor),
    /// A boolean mask, consuming `ndim` axes.
    Mask(Tensor),
}

fn index_err(msg: impl Into<String>) -> PyErr {
    CoreError::Index(msg.into()).into()
}

fn parse_item(o: &Bound<'_, PyAny>) -> PyResult<Item> {
    if o.is_none() {
        return Ok(Item::NewAxis);
    }
    if o.is_instance_of::<PyEllipsis>() {
        return Ok(Item::Ellipsis);
    }
    if o.is_instance_of::<PySlice>() {
        let (mut start, mut stop, mut step) = (0isize, 0isize, 0isize);
        // SAFETY: o is a slice object; Unpack only reads it and writes the three integers.
        if unsafe { pyo3::ffi::PySlice_Unpack(o.as_ptr(), &mut start, &mut stop, &mut step) } != 0 {
            let e = PyErr::fetch(o.py());
            if e.is_instance_of::<pyo3::exceptions::PyValueError>(o.py()) {
                return Err(e); // a zero step
            }
            return Err(index_err(format!(
                "slice indices must be integers or None ({e})"
            )));
        }
        return Ok(Item::Slice(start, stop, step));
    }
    if o.is_instance_of::<PyBool>() {
        // NumPy treats a Python bool as a 0-d mask.
        return Ok(Item::Mask(scalar_as(o, DType::Bool)?));
    }
    if o.is_instance_of::<PyInt>() {
        return o.extract::<i64>().map(Item::Int).map_err(|_| {
            index_err(format!(
                "index {} is out of bounds",
                o.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        });
    }
    if is_py_scalar(o) {
        return Err(index_err(format!(
            "only integers, slices (`:`), ellipsis (`...`), None and integer or boolean arrays \
             are valid indices, got {}",
            o.repr()?
        )));
    }
    let t =
        to_operand(o).map_err(|_| {
            index_err(format!(
            "only integers, slices (`:`), ellipsis (`...`), None and integer or boolean arrays \
             are valid indices, got {}",
            o.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
        })?;
    if t.dtype() == DType::Bool {
        return Ok(Item::Mask(t));
    }
    if t.dtype() == DType::U64 && t.ndim() > 0 {
        // uint64 indices above int64's range would wrap to negative ones (counted from the end):
        // out of bounds for any axis, as in NumPy.
        let i = t.astype(DType::I64)?;
        if i.size() > 0 {
            // SAFETY: astype made a new C-contiguous int64 tensor of i.size() elements, aligned
            // and initialised, that nothing writes while `i` is borrowed here.
            let vals = unsafe { std::slice::from_raw_parts(i.data() as *const i64, i.size()) };
            if let Some(&v) = vals.iter().find(|&&v| v < 0) {
                return Err(index_err(format!("index {} is out of bounds", v as u64)));
            }
        }
        return Ok(Item::Ints(i));
    }
    if !t.dtype().is_int() {
        // An empty list parses as float64: NumPy takes it as an empty integer index.
        if t.size() == 0 && o.is_instance_of::<PyList>() {
            return Ok(Item::Ints(t.astype(DType::I64)?));
        }
        return Err(index_err(format!(
            "arrays used as indices must be of integer or boolean type, got {}",
            t.dtype().name()
        )));
    }
    if t.ndim() == 0 && o.hasattr("__index__")? && !o.is_instance_of::<super::tensor::PyTensor>() {
        return Ok(Item::Int(o.call_method0("__index__")?.extract()?));
    }
    Ok(Item::Ints(t))
}

/// Python's own slice rules (CPython's C API: clamped, never overflowing) for an axis of `dim`:
/// start and stop adjusted in place, the number of elements returned. `step` is not zero.
fn adjust_slice(dim: usize, start: &mut isize, stop: &mut isize, step: isize) -> isize {
    // SAFETY: plain integer arithmetic on the caller's three integers.
    unsafe { pyo3::ffi::PySlice_AdjustIndices(dim as isize, start, stop, step) }
}

fn parse_key(key: &Bound<'_, PyAny>) -> PyResult<Vec<Item>> {
    match key.cast::<PyTuple>() {
        Ok(t) => t.iter().map(|o| parse_item(&o)).collect(),
        Err(_) => Ok(vec![parse_item(key)?]),
    }
}

/// The resolved key: basic indices for a view, plus the advanced arrays (each with the axis of
/// the view it indexes).
struct Resolved {
    basic: Vec<Index>,
    /// (axis in the basic view, int64 index tensor)
    arrays: Vec<(usize, Tensor)>,
}

fn resolve(shape: &[usize], items: Vec<Item>) -> Result<Resolved> {
    let consumed = |it: &Item| match it {
        Item::Int(_) | Item::Slice(..) | Item::Ints(_) => 1,
        Item::Mask(m) => m.ndim(),
        Item::Ellipsis | Item::NewAxis => 0,
    };
    let used: usize = items.iter().map(consumed).sum();
    let ellipses = items.iter().filter(|i| matches!(i, Item::Ellipsis)).count();
    if ellipses > 1 {
        return Err(CoreError::Index(
            "an index can only have a single ellipsis ('...')".into(),
        ));
    }
    if used > shape.len() {
        return Err(CoreError::Index(format!(
            "too many indices for tensor: tensor is {}-dimensional, but {used} were indexed",
            shape.len()
        )));
    }
    let mut basic = Vec::new();
    let mut arrays = Vec::new();
    let (mut ax, mut out_ax) = (0usize, 0usize);
    let has_ellipsis = ellipses == 1;
    for it in items {
        match it {
            Item::Ellipsis => {
                for _ in 0..shape.len() - used {
                    basic.push(Index::Range {
                        start: 0,
                        step: 1,
                        len: shape[ax],
                    });
                    ax += 1;
                    out_ax += 1;
                }
            }
            Item::NewAxis => {
                basic.push(Index::NewAxis);
                out_ax += 1;
            }
            Item::Int(i) => {
                let n = shape[ax] as i64;
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(CoreError::Index(format!(
                        "index {i} is out of bounds for axis {ax} with size {n}"
                    )));
                }
                basic.push(Index::At(j as usize));
                ax += 1;
            }
            Item::Slice(mut start, mut stop, step) => {
                if step == 0 {
                    return Err(CoreError::value("slice step cannot be zero"));
                }
                let len = adjust_slice(shape[ax], &mut start, &mut stop, step);
                let s = start;
                basic.push(Index::Range {
                    start: s.max(0) as usize,
                    step,
                    len: len as usize,
                });
                ax += 1;
                out_ax += 1;
            }
            Item::Ints(t) => {
                basic.push(Index::Range {
                    start: 0,
                    step: 1,
                    len: shape[ax],
                });
                arrays.push((out_ax, t));
                ax += 1;
                out_ax += 1;
            }
            Item::Mask(m) => {
                let k = m.ndim();
                if m.shape() != &shape[ax..ax + k] {
                    return Err(CoreError::Index(format!(
                        "boolean index of shape {} does not match the indexed axes of shape {}",
                        shape_str(m.shape()),
                        shape_str(&shape[ax..ax + k])
                    )));
                }
                if k == 0 {
                    // A 0-d mask adds an axis of length 1 (true) or 0 (false).
                    basic.push(Index::NewAxis);
                    let keep = mask_true_count(&m)? as i64;
                    let idx = Tensor::zeros(&[keep as usize], DType::I64)?;
                    arrays.push((out_ax, idx));
                    out_ax += 1;
                    continue;
                }
                for _ in 0..k {
                    basic.push(Index::Range {
                        start: 0,
                        step: 1,
                        len: shape[ax],
                    });
                    ax += 1;
                }
                for (j, idx) in nonzero(&m)?.into_iter().enumerate() {
                    arrays.push((out_ax + j, idx));
                }
                out_ax += k;
            }
        }
    }
    let _ = has_ellipsis;
    Ok(Resolved { basic, arrays })
}

fn mask_true_count(m: &Tensor) -> Result<usize> {
    let c = m.contiguous()?;
    // SAFETY: a contiguous bool tensor holds size() readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(c.data(), c.size()) };
    Ok(bytes.iter().filter(|&&b| b != 0).count())
}

/// The indices of the true elements of a mask, one int64 tensor per axis (C order).
pub fn nonzero(m: &Tensor) -> Result<Vec<Tensor>> {
    let k = m.ndim();
    if k == 0 {
        return Ok(Vec::new());
    }
    let flat = index::mask_positions(m)?;
    if k == 1 {
        return Ok(vec![flat]);
    }
    let count = flat.size();
    let outs: Vec<Tensor> = (0..k)
        .map(|_| Tensor::empty(&[count], DType::I64))
        .collect::<Result<_>>()?;
    let ptrs: Vec<*mut i64> = outs.iter().map(|t| t.data() as *mut i64).collect();
    // SAFETY: a fresh contiguous int64 tensor of `count` elements.
    let pos = unsafe { std::slice::from_raw_parts(flat.data() as *const i64, count) };
    let shape = m.shape();
    for (j, &p) in pos.iter().enumerate() {
        let mut r = p as usize;
        for a in (0..k).rev() {
            // SAFETY: j < count, the length of every output.
            unsafe { ptrs[a].add(j).write((r % shape[a]) as i64) };
            r /= shape[a];
        }
    }
    Ok(outs)
}

/// Element offsets (in elements, relative to the view's element 0) selected by the advanced
/// arrays, in the broadcast shape of the arrays; bounds are checked (negative indices wrap).
fn advanced_offsets(view: &Tensor, arrays: &[(usize, Tensor)]) -> Result<(Dims, Vec<isize>)> {
    let shapes: Vec<&[usize]> = arrays.iter().map(|(_, t)| t.shape()).collect();
    let bshape = crate::tensor::broadcast_shapes(&shapes).map_err(|_| {
        CoreError::Index(format!(
            "shape mismatch: indexing arrays could not be broadcast together with shapes {}",
            shapes
                .iter()
                .map(|s| shape_str(s))
                .collect::<Vec<_>>()
                .join(" ")
        ))
    })?;
    let count: usize = bshape.iter().product();
    let mut offs = vec![0isize; count];
    for (ax, t) in arrays {
        let idx = if t.dtype() == DType::I64 && t.shape() == &bshape[..] && t.is_contiguous() {
            t.clone()
        } else {
            t.broadcast_to(&bshape)?.astype(DType::I64)?
        };
        // SAFETY: a fresh contiguous int64 tensor of `count` elements.
        let vals = unsafe { std::slice::from_raw_parts(idx.data() as *const i64, count) };
        let n = view.shape()[*ax] as i64;
        let st = view.strides()[*ax];
        for (o, &v) in offs.iter_mut().zip(vals) {
            let j = if v < 0 { v + n } else { v };
            if j < 0 || j >= n {
                return Err(CoreError::Index(format!(
                    "index {v} is out of bounds for axis {ax} with size {n}"
                )));
            }
            *o += j as isize * st;
        }
    }
    Ok((bshape, offs))
}

/// Where the broadcast index axes go in the result: at the first advanced axis when the arrays
/// index adjacent axes, else in front (NumPy's rule).
fn advanced_layout(view: &Tensor, arrays: &[(usize, Tensor)]) -> (Vec<usize>, usize) {
    let axes: Vec<usize> = arrays.iter().map(|(a, _)| *a).collect();
    let mut uniq = axes.clone();
    uniq.dedup();
    let adjacent = uniq.windows(2).all(|w| w[1] == w[0] + 1);
    let rest: Vec<usize> = (0..view.ndim()).filter(|a| !axes.contains(a)).collect();
    let pos = if adjacent {
        rest.iter().filter(|&&a| a < uniq[0]).count()
    } else {
        0
    };
    (rest, pos)
}

/// One item of a basic key (NumPy's basic indexing), parsed without any allocation.
#[derive(Clone, Copy)]
enum Basic {
    Int(i64),
    Slice(isize, isize, isize),
    Ellipsis,
    NewAxis,
}

/// `o` as a basic item: an exact int in the i64 range, a slice with a non-zero step and integer
/// or None bounds, `...` or `None`. None for anything else, errors included (the general path
/// then reports them).
fn basic_item(o: &Bound<'_, PyAny>) -> Option<Basic> {
    if o.is_exact_instance_of::<PyInt>() {
        return o.extract::<i64>().ok().map(Basic::Int);
    }
    if o.is_instance_of::<PySlice>() {
        if let Some((start, stop, step)) = slice_fields(o) {
            return Some(Basic::Slice(start, stop, step));
        }
        let (mut start, mut stop, mut step) = (0isize, 0isize, 0isize);
        // SAFETY: o is a slice object; Unpack only reads it and writes the three integers.
        if unsafe { pyo3::ffi::PySlice_Unpack(o.as_ptr(), &mut start, &mut stop, &mut step) } != 0 {
            drop(PyErr::fetch(o.py()));
            return None;
        }
        return Some(Basic::Slice(start, stop, step));
    }
    if o.is_none() {
        return Some(Basic::NewAxis);
    }
    if o.is_instance_of::<PyEllipsis>() {
        return Some(Basic::Ellipsis);
    }
    None
}

/// A slice's (start, stop, step) exactly as `PySlice_Unpack` gives them, read straight from the
/// slice when each field is None or an exact int in range (`x[1:, ::2]`); None otherwise (and for
/// a zero step), for `PySlice_Unpack` to handle.
fn slice_fields(o: &Bound<'_, PyAny>) -> Option<(isize, isize, isize)> {
    use pyo3::ffi;
    let field = |p: *mut ffi::PyObject| -> Option<Option<isize>> {
        // SAFETY: p is a live field of the slice; the checks and the conversion only read it.
        unsafe {
            if p == ffi::Py_None() {
                return Some(None);
            }
            if ffi::PyLong_CheckExact(p) == 0 {
                return None;
            }
            let v = ffi::PyLong_AsSsize_t(p);
            if v == -1 && !ffi::PyErr_Occurred().is_null() {
                ffi::PyErr_Clear();
                return None;
            }
            Some(Some(v))
        }
    };
    let s = o.as_ptr() as *mut ffi::PySliceObject;
    // SAFETY: the caller checked that o is a slice; its three fields are owned objects.
    let (start, stop, step) = unsafe { ((*s).start, (*s).stop, (*s).step) };
    let step = field(step)?.unwrap_or(1);
    if step == 0 {
        return None;
    }
    // As PySlice_Unpack: the step is kept above -isize::MAX, so -step cannot overflow.
    let step = step.max(-isize::MAX);
    let back = step < 0;
    let start = field(start)?.unwrap_or(if back { isize::MAX } else { 0 });
    let stop = field(stop)?.unwrap_or(if back { isize::MIN } else { isize::MAX });
    Some((start, stop, step))
}

/// `t[key]` for a key of basic items only (alone or in a tuple): the view's layout is computed in
/// one pass over the key, with no heap allocation but the result's (none up to six dimensions).
/// None when the key holds anything else or is invalid: the general path handles it.
#[inline(always)]
fn basic_view(t: &Tensor, key: &Bound<'_, PyAny>) -> Option<Tensor> {
    let mut items: SmallVec<[Basic; 8]> = SmallVec::new();
    match key.cast::<PyTuple>() {
        Ok(tup) => {
            for o in tup.iter_borrowed() {
                items.push(basic_item(&o)?);
            }
        }
        Err(_) => items.push(basic_item(key)?),
    }
    let nd = t.ndim();
    let (mut used, mut ellipses) = (0usize, 0usize);
    for it in &items {
        match it {
            Basic::Int(_) | Basic::Slice(..) => used += 1,
            Basic::Ellipsis => ellipses += 1,
            Basic::NewAxis => {}
        }
    }
    if ellipses > 1 || used > nd {
        return None;
    }
    let (shape, strides) = (t.shape(), t.strides());
    let mut out_shape = Dims::new();
    let mut out_strides: Dims<isize> = Dims::new();
    let (mut off, mut ax) = (0isize, 0usize);
    for &it in &items {
        match it {
            Basic::Int(i) => {
                let n = shape[ax] as i64;
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return None;
                }
                off += j as isize * strides[ax];
                ax += 1;
            }
            Basic::Slice(mut start, mut stop, step) => {
                let len = adjust_slice(shape[ax], &mut start, &mut stop, step) as usize;
                if len > 0 {
                    off += start * strides[ax];
                }
                out_shape.push(len);
                // As Tensor::slice: a run of one element never steps.
                out_strides.push(if len > 1 { strides[ax] * step } else { 0 });
                ax += 1;
            }
            Basic::NewAxis => {
                out_shape.push(1);
                out_strides.push(0);
            }
            Basic::Ellipsis => {
                let k = nd - used;
                if k > 0 {
                    out_shape.extend_from_slice(&shape[ax..ax + k]);
                    out_strides.extend_from_slice(&strides[ax..ax + k]);
                }
                ax += k;
            }
        }
    }
    if ax < nd {
        out_shape.extend_from_slice(&shape[ax..]);
        out_strides.extend_from_slice(&strides[ax..]);
    }
    // SAFETY: each integer is in range of its axis, each slice keeps `len` in-range positions
    // `step` apart from an in-range start (CPython's clamping), new axes have length 1 and the
    // remaining axes are t's own: every element of the view is an element of t.
    Some(unsafe { t.subview(off, out_shape, out_strides) })
}

/// `t[idx]` (an integer array) and `t[mask]` (a bool mask over the leading axes), the key's only
/// item: the index kernels, with the GIL released when large. None for layouts they do not take
/// and for invalid keys (the general path reports those).
fn advanced_fast(py: Python<'_>, t: &Tensor, item: &Item) -> PyResult<Option<Tensor>> {
    let isa = || crate::dispatch::active_isa().name();
    match item {
        Item::Ints(idx) if t.ndim() >= 1 => {
            let idx = if idx.dtype() == DType::I64 && idx.is_contiguous() {
                idx.clone()
            } else {
                idx.astype(DType::I64)?
            };
            let call = OpCall::begin("take");
            let r = run(py, idx.size(), || index::take_axis0(t, &idx))?;
            if let Some(out) = &r {
                call.finish(out.size(), out.nbytes() + idx.nbytes(), out.nbytes(), isa());
            }
            Ok(r)
        }
        Item::Mask(m) if m.ndim() >= 1 && m.ndim() <= t.ndim() => {
            if m.shape() != &t.shape()[..m.ndim()] {
                return Ok(None);
            }
            let call = OpCall::begin("compress");
            let r = run(py, m.size(), || index::compress(t, m))?;
            if let Some(out) = &r {
                call.finish(m.size(), m.size() + out.nbytes(), out.nbytes(), isa());
            }
            Ok(r)
        }
        _ => Ok(None),
    }
}

pub fn getitem(t: &Tensor, key: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    if let Some(v) = basic_view(t, key) {
        return Ok(v);
    }
    let items = parse_key(key)?;
    if let [item] = &items[..] {
        if let Some(out) = advanced_fast(key.py(), t, item)? {
            return Ok(out);
        }
    }
    let r = resolve(t.shape(), items)?;
    let view = t.slice(&r.basic)?;
    if r.arrays.is_empty() {
        return Ok(view);
    }
    let (bshape, offs) = advanced_offsets(&view, &r.arrays)?;
    let (rest, pos) = advanced_layout(&view, &r.arrays);
    // The rest axes as one block per selected position: result = bshape + rest shape.
    let rest_shape: Dims = rest.iter().map(|&a| view.shape()[a]).collect();
    let rest_strides: Dims<isize> = rest.iter().map(|&a| view.strides()[a]).collect();
    let mut shape: Dims = bshape.clone();
    shape.extend_from_slice(&rest_shape);
    let out = Tensor::empty(&shape, t.dtype())?;
    let block: usize = rest_shape.iter().product();
    let isz = t.dtype().itemsize();
    if block > 0 {
        let dst = out.data_mut()?;
        if rest.is_empty() {
            // SAFETY: every offset is an in-bounds element offset of `view` (checked above); out
            // holds one element per offset.
            unsafe { move_elements(isz, view.data() as *mut u8, dst, &offs, true) };
        } else {
            let flat = out.reshape(&[offs.len() as i64, block as i64])?;
            for (i, &o) in offs.iter().enumerate() {
                let src = view.with_layout(o, &rest_shape, &rest_strides)?;
                let row = flat
                    .slice(&[Index::At(i)])?
                    .reshape(&rest_shape.iter().map(|&d| d as i64).collect::<Vec<_>>())?;
                copy_into(&src.view(), &row)?;
            }
        }
    }
    if pos == 0 || rest.is_empty() {
        return Ok(out);
    }
    // Move the index axes from the front to position `pos`.
    let nb = bshape.len();
    let mut axes: Vec<usize> = (nb..nb + pos).collect();
    axes.extend(0..nb);
    axes.extend(nb + pos..shape.len());
    Ok(out.permute(&axes)?)
}

/// Moves one element per offset between a strided side (`offs`, in elements from `strided`)
/// and a contiguous side (`dense`): gathers into `dense` when `gather`, else scatters from it.
/// One typed (unaligned) load and store per element, with both bases in registers.
///
/// # Safety
/// Every `strided + offs[i] * itemsize` must be a valid element (writable when scattering), and
/// `dense` must hold `offs.len()` elements (writable when gathering).
unsafe fn move_elements(
    itemsize: usize,
    strided: *mut u8,
    dense: *mut u8,
    offs: &[isize],
    gather: bool,
) {
    macro_rules! typed {
        ($t:ty) => {{
            let (sp, dp) = (strided.cast::<$t>(), dense.cast::<$t>());
            for (i, &o) in offs.iter().enumerate() {
                // SAFETY: the caller's contract.
                unsafe {
                    if gather {
                        dp.add(i).write_unaligned(sp.offset(o).read_unaligned())
                    } else {
                        sp.offset(o).write_unaligned(dp.add(i).read_unaligned())
                    }
                }
            }
        }};
    }
    match itemsize {
        1 => typed!(u8),
        2 => typed!(u16),
        4 => typed!(u32),
        8 => typed!(u64),
        16 => typed!(u128),
        _ => unreachable!("item sizes are 1, 2, 4, 8 or 16"),
    }
}

/// The value of `t[key] = value` as a tensor of `t`'s dtype (a Python scalar is weak).
fn value_for(t: &Tensor, value: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    if is_py_scalar(value) {
        let d = weak_scalar_dtype(value, t.dtype());
        let v = scalar_as(value, d)?;
        return Ok(if d == t.dtype() {
            v
        } else {
            v.astype(t.dtype())?
        });
    }
    to_operand(value)
}

pub fn setitem(t: &Tensor, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    t.data_mut()?;
    let v = value_for(t, value)?;
    let r = resolve(t.shape(), parse_key(key)?)?;
    let view = t.slice(&r.basic)?;
    if r.arrays.is_empty() {
        copy_into(&v.view(), &view)?;
        return Ok(());
    }
    let (bshape, offs) = advanced_offsets(&view, &r.arrays)?;
    let (rest, pos) = advanced_layout(&view, &r.arrays);
    let rest_shape: Dims = rest.iter().map(|&a| view.shape()[a]).collect();
    let rest_strides: Dims<isize> = rest.iter().map(|&a| view.strides()[a]).collect();
    // The value broadcast to the selection's shape (as getitem would return it), in t's dtype.
    let mut sel: Dims = rest_shape[..pos.min(rest_shape.len())].into();
    sel.extend_from_slice(&bshape);
    sel.extend_from_slice(&rest_shape[pos.min(rest_shape.len())..]);
    if rest.is_empty() || pos == 0 {
        sel = bshape.clone();
        sel.extend_from_slice(&rest_shape);
    }
    let vals = Tensor::empty(&sel, t.dtype())?;
    copy_into(&v.view(), &vals)?;
    // Back to index-axes-first order.
    let vals = if pos == 0 || rest.is_empty() {
        vals
    } else {
        let nb = bshape.len();
        let mut axes: Vec<usize> = (pos..pos + nb).collect();
        axes.extend(0..pos);
        axes.extend(pos + nb..sel.len());
        vals.permute(&axes)?.contiguous()?
    };
    let isz = t.dtype().itemsize();
    let dst = view.data_mut()?;
    if rest.is_empty() {
        // SAFETY: every offset is an in-bounds, writable element offset of `view`; vals holds one
        // element per offset.
        unsafe { move_elements(isz, dst, vals.data() as *mut u8, &offs, false) };
    } else {
        let block: usize = rest_shape.iter().product();
        let flat = vals.reshape(&[offs.len() as i64, block as i64])?;
        let spec: Vec<i64> = rest_shape.iter().map(|&d| d as i64).collect();
        for (i, &o) in offs.iter().enumerate() {
            let target = view.with_layout(o, &rest_shape, &rest_strides)?;
            let row = flat.slice(&[Index::At(i)])?.reshape(&spec)?;
            copy_into(&row.view(), &target)?;
        }
    }
    Ok(())
}
