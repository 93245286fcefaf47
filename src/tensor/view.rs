//! `View<'a>`: an op's read-only input, a strided layout borrowed for the op's duration.
//!
//! A view borrows either a `Tensor` (`Tensor::view`) or an arena copy of a strided layout
//! (`View::gather_in`). Either way the lifetime `'a` ties it to what it borrows, so an arena copy
//! cannot outlive the `with_arena` call that made it: the compiler rejects it, no convention
//! needed. Element-wise kernels read any view in place; `with_dense` gives the kernels that need
//! dense rows (reductions, dot, GEMM) a contiguous one.

use super::{for_each_index, is_c_contiguous, Tensor};
use crate::arena::{with_arena, Scratch};
use crate::dispatch::{kernels, need};
use crate::dtype::DType;
use crate::error::Result;
use std::ffi::c_void;
use std::marker::PhantomData;

#[derive(Clone, Copy)]
pub struct View<'a> {
    data: *const u8,
    shape: &'a [usize],
    /// Element strides.
    strides: &'a [isize],
    dtype: DType,
    _borrow: PhantomData<&'a [u8]>,
}

// SAFETY: a view only reads memory that stays valid and unwritten-through-it for 'a (a borrowed
// tensor's storage or the arena chunk of the op); parallel tasks read it like any `&[u8]`.
unsafe impl Send for View<'_> {}
unsafe impl Sync for View<'_> {}

impl Tensor {
    /// This tensor as an op input.
    pub fn view(&self) -> View<'_> {
        View {
            data: self.data(),
            shape: self.shape(),
            strides: self.strides(),
            dtype: self.dtype(),
            _borrow: PhantomData,
        }
    }
}

/// Runs `f` on a C-contiguous version of `x`: `x` itself when it is, else a copy gathered into
/// the op's arena (the heap when larger than the arena), counted as a copied input.
pub fn with_dense<R>(x: &View, f: impl FnOnce(&View) -> Result<R>) -> Result<R> {
    if x.is_contiguous() {
        return f(x);
    }
    crate::instrument::note_gathered();
    with_arena(|s| {
        if s.too_big(x.nbytes()) {
            let t = x.to_contiguous()?;
            return f(&t.view());
        }
        // SAFETY: x is a valid view for this call, so all its elements are readable.
        let v = unsafe { View::gather_in(s, x.data, x.shape, x.strides, x.dtype)? };
        f(&v)
    })
}

impl<'a> View<'a> {
    /// A view of memory the caller vouches for (an exporter's array read in place).
    ///
    /// # Safety
    /// Every element address `data + sum(i_k * strides[k]) * itemsize` for in-range indices
    /// must be readable and hold a valid `dtype` value for `'a`.
    pub unsafe fn from_raw(
        data: *const u8,
        shape: &'a [usize],
        strides: &'a [isize],
        dtype: DType,
    ) -> View<'a> {
        View {
            data,
            shape,
            strides,
            dtype,
            _borrow: PhantomData,
        }
    }

    /// Gathers a strided layout (element strides, possibly negative or zero) into the op's arena.
    ///
    /// # Safety
    /// Every element address `base + sum(i_k * strides[k]) * itemsize` for in-range indices must
    /// be readable and hold a valid `dtype` value during this call.
    pub unsafe fn gather_in(
        s: &Scratch<'a>,
        base: *const u8,
        shape: &[usize],
        strides: &[isize],
        dtype: DType,
    ) -> Result<View<'a>> {
        let size = super::checked_size(shape)?;
        let dims = s.uninit::<usize>(shape.len());
        for (d, &v) in dims.iter_mut().zip(shape) {
            d.write(v);
        }
        // SAFETY: every element was just initialised.
        let dims: &'a [usize] = unsafe { &*(dims as *const [_] as *const [usize]) };
        let cs = super::contiguous_strides(shape);
        let st = s.uninit::<isize>(shape.len());
        for (d, &v) in st.iter_mut().zip(cs.iter()) {
            d.write(v);
        }
        // SAFETY: every element was just initialised.
        let st: &'a [isize] = unsafe { &*(st as *const [_] as *const [isize]) };
        let dst = s
            .uninit::<u8>(size.saturating_mul(dtype.itemsize()))
            .as_mut_ptr() as *mut u8;
        // SAFETY: forwarded contract; dst holds `size` elements of dtype.
        unsafe { gather_into(base, shape, strides, dtype, dst)? };
        Ok(View {
            data: dst,
            shape: dims,
            strides: st,
            dtype,
            _borrow: PhantomData,
        })
    }

    pub fn data(&self) -> *const u8 {
        self.data
    }
    pub fn shape(&self) -> &'a [usize] {
        self.shape
    }
    pub fn strides(&self) -> &'a [isize] {
        self.strides
    }
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }
    pub fn dtype(&self) -> DType {
        self.dtype
    }
    pub fn nbytes(&self) -> usize {
        self.size() * self.dtype.itemsize()
    }
    pub fn is_contiguous(&self) -> bool {
        is_c_contiguous(self.shape, self.strides)
    }
    /// Byte range [lo, hi) the view's elements occupy (empty for an empty view).
    pub fn byte_range(&self) -> (usize, usize) {
        if self.size() == 0 {
            return (self.data as usize, self.data as usize);
        }
        let isz = self.dtype.itemsize() as isize;
        let (lo, hi) = super::layout::extent(self.shape, self.strides).unwrap_or((0, 0));
        let base = self.data as isize;
        ((base + lo * isz) as usize, (base + hi * isz + isz) as usize)
    }
    /// True when the two views' byte ranges overlap (conservative for interleaved layouts).
    pub fn overlaps_view(&self, other: &View) -> bool {
        let (a0, a1) = self.byte_range();
        let (b0, b1) = other.byte_range();
        a0 < a1 && b0 < b1 && a0 < b1 && b0 < a1
    }
    /// True when the view's bytes overlap the tensor's.
    pub fn overlaps(&self, other: &Tensor) -> bool {
        self.overlaps_view(&other.view())
    }
    /// A new C-contiguous tensor with the same values.
    pub fn to_contiguous(&self) -> Result<Tensor> {
        self.astype(self.dtype)
    }
    /// A new C-contiguous tensor converted to `dtype` (a plain copy when the dtype is the same).
    pub fn astype(&self, dtype: DType) -> Result<Tensor> {
        let out = Tensor::empty(self.shape, dtype)?;
        super::iter::copy_into(self, &out)?;
        Ok(out)
    }
}

/// Gathers a layout with element strides into contiguous `dst`.
///
/// # Safety
/// As [`View::gather_in`]; `dst` must be writable for the layout's element count.
pub unsafe fn gather_into(
    base: *const u8,
    shape: &[usize],
    strides: &[isize],
    dtype: DType,
    dst: *mut u8,
) -> Result<()> {
    let isz = dtype.itemsize() as isize;
    let bytes: super::Dims<isize> = strides.iter().map(|&s| s * isz).collect();
    // SAFETY: forwarded contract.
    unsafe { gather_bytes(base, shape, &bytes, dtype, dst) }
}

/// Gathers a layout with byte strides (possibly negative, zero or not a multiple of the item
/// size) into contiguous `dst`, one gather-kernel call per innermost row.
///
/// # Safety
/// Every element address `base + sum(i_k * strides[k])` for in-range indices must be readable
/// and hold a valid `dtype` value; `dst` must be writable for the layout's element count.
pub unsafe fn gather_bytes(
    base: *const u8,
    shape: &[usize],
    strides: &[isize],
    dtype: DType,
    dst: *mut u8,
) -> Result<()> {
    if shape.contains(&0) {
        return Ok(());
    }
    let gather = need(kernels().gather[dtype.code()], "gather", dtype)?;
    let (inner, inner_stride) = match shape.last() {
        Some(&n) => (n, strides[shape.len() - 1]),
        None => (1, 0),
    };
    for_each_index(&shape[..shape.len().saturating_sub(1)], |row, idx| {
        let off: isize = idx.iter().zip(strides).map(|(&i, &s)| i as isize * s).sum();
        // SAFETY: the caller guarantees every in-range element is readable; dst row `row` holds
        // `inner` elements.
        unsafe {
            gather(
                base.offset(off) as *const c_void,
                inner_stride,
                dst.add(row * inner * dtype.itemsize()) as *mut c_void,
                inner,
            )
        };
    });
    Ok(())
}
