//! Integer-array and boolean-mask indexing (issue 14): the layouts the index kernels take
//! (cpp/kernels/index-inl.h), chunking, threads and the bounds error around them. The Python
//! edge (src/python/index.rs) parses keys and falls back to its general path when these return
//! `None`.

use crate::dispatch::kernels;
use crate::dtype::DType;
use crate::error::{CoreError, Result};
use crate::parallel::{self, SendPtr};
use crate::tensor::{is_c_contiguous, Dims, Tensor};
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Index of an item size (1, 2, 4, 8, 16 bytes) in the kernels' [5] tables.
fn size_class(itemsize: usize) -> Option<usize> {
    match itemsize {
        1 | 2 | 4 | 8 | 16 => Some(itemsize.trailing_zeros() as usize),
        _ => None,
    }
}

fn missing(name: &str) -> CoreError {
    CoreError::type_err(format!("{name} is not available in this kernel table"))
}

/// The trailing axes `from..` of `x` as one C-ordered block: its element count, or None when
/// they are laid out otherwise (or the block is empty, which the general path handles).
fn trailing_block(x: &Tensor, from: usize) -> Option<usize> {
    let (shape, strides) = (&x.shape()[from..], &x.strides()[from..]);
    let block: usize = shape.iter().product();
    (block > 0 && is_c_contiguous(shape, strides)).then_some(block)
}

/// `x[idx]` for an int64 index tensor `idx` (any shape, C-contiguous) along axis 0: shape
/// `idx.shape + x.shape[1:]`, negative indices counting from the end, an IndexError naming the
/// first index out of range. None when `x`'s trailing axes are not one C-ordered block.
pub fn take_axis0(x: &Tensor, idx: &Tensor) -> Result<Option<Tensor>> {
    debug_assert!(idx.dtype() == DType::I64 && idx.is_contiguous());
    if x.ndim() == 0 {
        return Ok(None);
    }
    let Some(block) = trailing_block(x, 1) else {
        return Ok(None);
    };
    let isz = x.dtype().itemsize();
    let row_bytes = block * isz;
    let len = x.shape()[0];
    let n = idx.size();
    let mut shape: Dims = Dims::from_slice(idx.shape());
    shape.extend_from_slice(&x.shape()[1..]);
    let out = Tensor::empty(&shape, x.dtype())?;
    if n == 0 {
        return Ok(Some(out));
    }
    let t = kernels();
    let stride = x.strides()[0] * isz as isize;
    let elem = size_class(row_bytes).map(|c| t.index_take[c]);
    let rows = t.index_take_rows;
    if elem.is_some_and(|f| f.is_none()) || rows.is_none() {
        return Err(missing("index_take"));
    }
    let (src, ip, dst) = (
        SendPtr(x.data() as *mut u8),
        SendPtr(idx.data() as *mut u8),
        SendPtr(out.data_mut()?),
    );
    let bad = AtomicUsize::new(usize::MAX);
    // Rows of many elements count as that many elements of work.
    let threshold = (parallel::threshold(parallel::Family::Gather) / block).max(1);
    parallel::for_chunks_checked(n, threshold, |start, count| {
        let ix = (ip.get() as *const i64).wrapping_add(start);
        let d = dst.get().wrapping_add(start * row_bytes) as *mut c_void;
        let s = src.get() as *const c_void;
        // SAFETY: idx holds n int64 values, out n rows of row_bytes; the kernel reads only rows
        // whose index it has checked against len, and x's axis 0 has len rows `stride` apart.
        let done = unsafe {
            match elem {
                Some(Some(f)) => f(s, stride, len, ix, count, d),
                _ => rows.expect("checked above")(s, stride, len, ix, count, d, row_bytes),
            }
        };
        if done < count {
            bad.fetch_min(start + done, Ordering::Relaxed);
        }
    })?;
    let bad = bad.into_inner();
    if bad != usize::MAX {
        // SAFETY: bad < n, an element of the contiguous int64 index.
        let v = unsafe { (idx.data() as *const i64).add(bad).read() };
        return Err(CoreError::Index(format!(
            "index {v} is out of bounds for axis 0 with size {len}"
        )));
    }
    Ok(Some(out))
}

/// The element stride of `x`'s leading `k` axes walked as one flat axis in C order, or None
/// when they do not step through memory evenly.
fn flat_stride(x: &Tensor, k: usize) -> Option<isize> {
    let (shape, strides) = (&x.shape()[..k], &x.strides()[..k]);
    // (the innermost stride, the stride the next axis out must have)
    let mut flat: Option<(isize, isize)> = None;
    for (&d, &s) in shape.iter().zip(strides).rev() {
        if d == 1 {
            continue;
        }
        flat = match flat {
            None => Some((s, s * d as isize)),
            Some((inner, next)) if s == next => Some((inner, s * d as isize)),
            Some(_) => return None,
        };
    }
    Some(flat.map_or(0, |(inner, _)| inner))
}

/// Mask bytes per task of the parallel count and compress.
const MASK_TASK: usize = 1 << 16;

/// The true bytes of each MASK_TASK-sized part of a contiguous mask of `n` bytes at `mp`
/// (counted in parallel when `par`), with each part's prefix-sum offset and the total.
fn mask_counts(
    count_fn: crate::ffi::IndexCountFn,
    mp: &SendPtr,
    n: usize,
    par: bool,
) -> (Vec<usize>, Vec<usize>, usize) {
    let tasks = n.div_ceil(MASK_TASK);
    let counts = parallel::map_tasks(tasks, par, |i| {
        let start = i * MASK_TASK;
        // SAFETY: [start, start + MASK_TASK.min(n - start)) lies inside the mask's n bytes.
        unsafe {
            count_fn(
                mp.get().add(start) as *const c_void,
                MASK_TASK.min(n - start),
            )
        }
    });
    let mut offsets = Vec::with_capacity(tasks);
    let mut total = 0usize;
    for &c in &counts {
        offsets.push(total);
        total += c;
    }
    (counts, offsets, total)
}

/// `x[mask]` for a bool mask over `x`'s leading axes (`mask.shape == x.shape[:k]`, k >= 1): the
/// selected elements (or trailing blocks) in C order, shape `(count,) + x.shape[k:]`. Counted
/// first, per task, then each task writes its part at its prefix-sum offset. None when the
/// leading axes do not flatten to one stride or the trailing ones are not one C-ordered block.
pub fn compress(x: &Tensor, mask: &Tensor) -> Result<Option<Tensor>> {
    let k = mask.ndim();
    debug_assert!(mask.dtype() == DType::Bool && k >= 1 && mask.shape() == &x.shape()[..k]);
    let n = mask.size();
    let (Some(block), Some(fstride)) = (trailing_block(x, k), flat_stride(x, k)) else {
        return Ok(None);
    };
    if n == 0 {
        return Ok(None);
    }
    let t = kernels();
    let isz = x.dtype().itemsize();
    let row_bytes = block * isz;
    let (Some(count_fn), Some(rows)) = (t.index_count, t.index_compress_rows) else {
        return Err(missing("index_compress"));
    };
    let elem = match size_class(row_bytes).map(|c| t.index_compress[c]) {
        Some(None) => return Err(missing("index_compress")),
        e => e.flatten(),
    };
    let m = mask.contiguous()?;
    let mp = SendPtr(m.data() as *mut u8);
    let tasks = n.div_ceil(MASK_TASK);
    let par = parallel::should_parallelize(
        n.saturating_mul(block),
        parallel::threshold(parallel::Family::Gather),
    );
    let part = |i: usize| (i * MASK_TASK, MASK_TASK.min(n - i * MASK_TASK));
    let (counts, offsets, total) = mask_counts(count_fn, &mp, n, par);
    let mut shape: Dims = smallvec::smallvec![total];
    shape.extend_from_slice(&x.shape()[k..]);
    let out = Tensor::empty(&shape, x.dtype())?;
    if total == 0 {
        return Ok(Some(out));
    }
    let stride = fstride * isz as isize;
    let (src, dst) = (SendPtr(x.data() as *mut u8), SendPtr(out.data_mut()?));
    parallel::run_tasks_checked(tasks, par, MASK_TASK, |i| {
        let (start, len) = part(i);
        if counts[i] == 0 {
            return;
        }
        let s = src.get().wrapping_offset(start as isize * stride) as *const c_void;
        let mk = mp.get().wrapping_add(start) as *const c_void;
        let d = dst.get().wrapping_add(offsets[i] * row_bytes) as *mut c_void;
        // SAFETY: mask bytes [start, start + len) select counts[i] rows of x's flat leading axis
        // (len rows `stride` bytes apart from s), written to this task's own counts[i] rows of out.
        unsafe {
            match elem {
                Some(f) => f(s, stride, mk, len, counts[i], d),
                None => rows(s, stride, mk, len, counts[i], d, row_bytes),
            }
        }
    })?;
    Ok(Some(out))
}

/// The flat C-order positions of the true elements of a bool tensor (int64, ascending).
pub fn mask_positions(mask: &Tensor) -> Result<Tensor> {
    let t = kernels();
    let (Some(count_fn), Some(pos_fn)) = (t.index_count, t.index_positions) else {
        return Err(missing("index_positions"));
    };
    let m = mask.contiguous()?;
    let n = m.size();
    let mp = SendPtr(m.data() as *mut u8);
    let tasks = n.div_ceil(MASK_TASK);
    let par = parallel::should_parallelize(n, parallel::threshold(parallel::Family::Gather));
    let part = |i: usize| (i * MASK_TASK, MASK_TASK.min(n - i * MASK_TASK));
    let (counts, offsets, total) = mask_counts(count_fn, &mp, n, par);
    let out = Tensor::empty(&[total], DType::I64)?;
    if total == 0 {
        return Ok(out);
    }
    let dst = SendPtr(out.data_mut()?);
    parallel::run_tasks_checked(tasks, par, MASK_TASK, |i| {
        let (start, len) = part(i);
        let d = (dst.get() as *mut i64).wrapping_add(offsets[i]);
        // SAFETY: this task's mask bytes and its own counts[i] slots of out.
        unsafe {
            pos_fn(
                mp.get().add(start) as *const c_void,
                len,
                start as i64,
                counts[i],
                d,
            )
        };
    })?;
    Ok(out)
}
