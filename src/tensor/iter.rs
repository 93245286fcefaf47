//! The strided loop driver of every element-wise op: operands of any layout (negative, zero,
//! transposed strides) are walked in place, in the order their memory runs, with the inner run
//! handed to a contiguous kernel. Like NumPy's nditer: axes are ordered by stride (innermost =
//! smallest), mergeable axes are coalesced, and only inner runs that are neither unit-stride nor
//! broadcast are gathered, a chunk at a time, into a small stack buffer (never the whole operand).

use super::{Dims, Tensor, View};
use crate::dispatch::{kernels, need};
use crate::dtype::DType;
use crate::error::{CoreError, Result};
use crate::parallel::{self, SendPtr};
use smallvec::SmallVec;
use std::ffi::c_void;

/// The axis order (outermost first) that walks `strides` (byte strides per operand, broadcast to
/// one shape; earlier operands decide first) closest to memory order: an insertion sort moving an
/// axis inward while the first operand with non-zero strides on both axes has a smaller stride on
/// it. Axes no operand orders keep their C order.
pub fn order_axes(ndim: usize, strides: &[&[isize]]) -> Dims {
    let mut order: Dims = (0..ndim).collect();
    // true when axis a should be outside (before) axis b
    let outer = |a: usize, b: usize| -> Option<bool> {
        for s in strides {
            let (x, y) = (s[a].unsigned_abs(), s[b].unsigned_abs());
            if x != 0 && y != 0 && x != y {
                return Some(x > y);
            }
        }
        None
    };
    for i in 1..ndim {
        let mut j = i;
        while j > 0 && outer(order[j], order[j - 1]) == Some(true) {
            order.swap(j, j - 1);
            j -= 1;
        }
    }
    order
}

/// A loop over `K` operands: coalesced dims, outermost first, with each operand's byte stride.
pub struct Plan<const K: usize> {
    dims: SmallVec<[(usize, [isize; K]); 6]>,
}

impl<const K: usize> Plan<K> {
    /// Orders the axes of `shape` by `order` and merges neighbours that step through memory as
    /// one (for every operand). Axes of length 1 vanish.
    pub fn new(shape: &[usize], order: &[usize], strides: [&[isize]; K]) -> Plan<K> {
        let mut dims: SmallVec<[(usize, [isize; K]); 6]> = SmallVec::new();
        for &ax in order {
            let n = shape[ax];
            if n == 1 {
                continue;
            }
            let st: [isize; K] = std::array::from_fn(|k| strides[k][ax]);
            if let Some(last) = dims.last_mut() {
                if (0..K).all(|k| last.1[k] == st[k] * n as isize) {
                    last.0 *= n;
                    last.1 = st;
                    continue;
                }
            }
            dims.push((n, st));
        }
        if dims.is_empty() {
            dims.push((1, [0; K]));
        }
        Plan { dims }
    }

    pub fn inner(&self) -> (usize, [isize; K]) {
        *self.dims.last().expect("at least one dim")
    }

    /// Runs `f(pointers, inner byte strides, len)` over every inner run (split into chunks when
    /// there is a single run), in parallel above `threshold` elements, interruptibly.
    pub fn run<F>(&self, base: [SendPtr; K], size: usize, threshold: usize, f: F) -> Result<()>
    where
        F: Fn([*mut u8; K], [isize; K], usize) + Sync + Send,
    {
        if size == 0 {
            return Ok(());
        }
        let (inner, ist) = self.inner();
        let outer = &self.dims[..self.dims.len() - 1];
        let rows = size / inner;
        let at = |row: usize, start: usize| -> [*mut u8; K] {
            let mut off = [0isize; K];
            let mut r = row;
            for &(n, st) in outer.iter().rev() {
                let i = (r % n) as isize;
                r /= n;
                for k in 0..K {
                    off[k] += i * st[k];
                }
            }
            std::array::from_fn(|k| {
                base[k]
                    .get()
                    .wrapping_offset(off[k] + ist[k] * start as isize)
            })
        };
        if rows == 1 {
            parallel::for_chunks_checked(inner, threshold, |start, len| f(at(0, start), ist, len))
        } else {
            // Parallel over whole rows; each task runs a block of rows (about four blocks per
            // thread, at most a slab of elements each).
            let par = parallel::should_parallelize(size, threshold);
            let parts = if par { parallel::num_threads() * 4 } else { 1 };
            let per = rows.div_ceil(parts).min((parallel::SLAB / inner).max(1));
            parallel::run_tasks_checked(rows.div_ceil(per), par, per * inner, |t| {
                for row in t * per..((t + 1) * per).min(rows) {
                    f(at(row, 0), ist, inner);
                }
            })
        }
    }
}

/// Bytes of one chunk buffer: inner runs that need gathering, casting or scattering go through
/// buffers this size on the stack (L1-resident).
pub const CHUNK_BYTES: usize = 8192;

#[repr(C, align(64))]
pub struct Chunk(pub [u8; CHUNK_BYTES]);

impl Chunk {
    pub fn new() -> Chunk {
        Chunk([0; CHUNK_BYTES])
    }
    pub fn ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr()
    }
}

impl Default for Chunk {
    fn default() -> Self {
        Self::new()
    }
}

/// How one input's run reaches a kernel: in place (unit stride), as one broadcast element, or
/// through a buffer (gathered and/or cast).
#[derive(Clone, Copy)]
pub struct Source {
    pub from: DType,
    pub to: DType,
}

impl Source {
    /// True when the run needs no buffer: same dtype and unit or zero stride.
    pub fn direct(&self, stride: isize) -> bool {
        self.from == self.to && (stride == 0 || stride == self.from.itemsize() as isize)
    }

    /// Makes `len` elements at `p` (byte stride `stride`) readable as contiguous `to` values (or
    /// one value when `stride == 0`): `p` itself, or `buf` filled from it (`tmp` holds a gathered
    /// run before its cast).
    ///
    /// # Safety
    /// `len` elements (one when stride is 0) at `p` must be readable; `len * max(itemsize)` must
    /// fit a chunk.
    pub unsafe fn load(
        &self,
        p: *const u8,
        stride: isize,
        len: usize,
        buf: &mut Chunk,
        tmp: &mut Chunk,
    ) -> Result<*const u8> {
        let t = kernels();
        let n = if stride == 0 { 1 } else { len };
        let unit = stride == 0 || stride == self.from.itemsize() as isize;
        if self.from == self.to {
            if unit {
                return Ok(p);
            }
            let g = need(t.gather[self.from.code()], "gather", self.from)?;
            // SAFETY: n elements readable at stride; buf holds a chunk.
            unsafe { g(p as *const c_void, stride, buf.ptr() as *mut c_void, n) };
            return Ok(buf.ptr());
        }
        let c = need(
            t.cast[self.from.code()][self.to.code()],
            "astype",
            self.from,
        )?;
        let src = if unit {
            p
        } else {
            let g = need(t.gather[self.from.code()], "gather", self.from)?;
            // SAFETY: as above, into tmp.
            unsafe { g(p as *const c_void, stride, tmp.ptr() as *mut c_void, n) };
            tmp.ptr() as *const u8
        };
        // SAFETY: n contiguous `from` values at src; buf holds n `to` values.
        unsafe { c(src as *const c_void, buf.ptr() as *mut c_void, n) };
        Ok(buf.ptr())
    }
}

/// Writes `len` contiguous elements of `itemsize` bytes from `src` to `dst` at byte stride
/// `stride`.
///
/// # Safety
/// `src` readable for `len` elements, `dst` writable at every strided position.
pub unsafe fn scatter(src: *const u8, dst: *mut u8, stride: isize, itemsize: usize, len: usize) {
    for i in 0..len {
        // SAFETY: the caller's contract; element i of each side is in range.
        unsafe {
            std::ptr::copy_nonoverlapping(
                src.add(i * itemsize),
                dst.offset(i as isize * stride),
                itemsize,
            )
        };
    }
}

/// Elements per buffered chunk for the given item sizes.
pub fn chunk_elems(itemsizes: &[usize]) -> usize {
    CHUNK_BYTES / itemsizes.iter().copied().max().unwrap_or(1).max(1)
}

/// `dst[...] = src` with NumPy's broadcasting of `src` to `dst`'s shape and a cast when the
/// dtypes differ; `dst` may have any writable layout. An overlapping `src` is copied first.
pub fn copy_into(src: &View, dst: &Tensor) -> Result<()> {
    let shape = dst.shape();
    let isz_s = src.dtype().itemsize() as isize;
    let sstr = super::layout::broadcast_strides_to(src.shape(), src.strides(), shape).ok_or_else(
        || {
            CoreError::value(format!(
                "could not broadcast input of shape {} into shape {}",
                crate::error::shape_str(src.shape()),
                crate::error::shape_str(shape)
            ))
        },
    )?;
    let dptr = dst.data_mut()?;
    if src.overlaps(dst) && !(src.data() == dst.data() && src.strides() == dst.strides()) {
        let private = src.to_contiguous()?;
        return copy_into(&private.view(), dst);
    }
    let sb: Dims<isize> = sstr.iter().map(|&s| s * isz_s).collect();
    let db = dst.byte_strides();
    let order = order_axes(shape.len(), &[&db, &sb]);
    let plan = Plan::new(shape, &order, [&db, &sb]);
    let source = Source {
        from: src.dtype(),
        to: dst.dtype(),
    };
    let osz = dst.dtype().itemsize();
    let ch = chunk_elems(&[osz, src.dtype().itemsize()]);
    let threshold = parallel::threshold(parallel::Family::Cast);
    let failed = std::sync::atomic::AtomicBool::new(false);
    plan.run(
        [SendPtr(dptr), SendPtr(src.data() as *mut u8)],
        dst.size(),
        threshold,
        |[o, s], [os, ss], len| {
            let (mut buf, mut tmp, mut obuf) = (Chunk::new(), Chunk::new(), Chunk::new());
            let mut i = 0;
            while i < len {
                let n = ch.min(len - i);
                let (op, sp) = (
                    o.wrapping_offset(i as isize * os),
                    s.wrapping_offset(i as isize * ss),
                );
                // SAFETY: the plan only yields in-range runs of both layouts; chunks are at most
                // `ch` elements, which fit every buffer.
                let r = unsafe {
                    if os == osz as isize && ss != 0 && source.from != source.to {
                        // Cast straight into the output.
                        source.load(sp, ss, n, &mut obuf, &mut tmp).map(|p| {
                            std::ptr::copy_nonoverlapping(p, op, n * osz);
                        })
                    } else {
                        source.load(sp, ss, n, &mut buf, &mut tmp).map(|p| {
                            if ss == 0 {
                                // One value repeated along the run.
                                for j in 0..n {
                                    std::ptr::copy_nonoverlapping(
                                        p,
                                        op.offset(j as isize * os),
                                        osz,
                                    );
                                }
                            } else if os == osz as isize {
                                if !std::ptr::eq(p, op) {
                                    std::ptr::copy(p, op, n * osz);
                                }
                            } else {
                                scatter(p, op, os, osz, n);
                            }
                        })
                    }
                };
                if r.is_err() {
                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    return;
                }
                i += n;
            }
        },
    )?;
    if failed.into_inner() {
        return Err(CoreError::type_err(format!(
            "cannot convert {} to {}",
            src.dtype().name(),
            dst.dtype().name()
        )));
    }
    Ok(())
}
