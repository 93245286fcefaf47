//! `View<'a>`: an op's read-only input, a contiguous tensor borrowed for the op's duration.
//!
//! A view borrows either a `Tensor` (`Tensor::view`) or an arena copy of a strided buffer
//! (`View::gather_in`). Either way the lifetime `'a` ties it to what it borrows, so an arena copy
//! cannot outlive the `with_arena` call that made it: the compiler rejects it, no convention
//! needed. Ops take views; results are new `Tensor`s.

use super::{for_each_index, Tensor};
use crate::arena::Scratch;
use crate::dispatch::{kernels, need};
use crate::dtype::DType;
use crate::error::Result;
use std::ffi::c_void;
use std::marker::PhantomData;

#[derive(Clone, Copy)]
pub struct View<'a> {
    data: *const u8,
    shape: &'a [usize],
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
            dtype: self.dtype(),
            _borrow: PhantomData,
        }
    }
}

impl<'a> View<'a> {
    /// Gathers a strided layout (byte strides, possibly negative or zero) into the op's arena.
    ///
    /// # Safety
    /// Every element address `base + sum(i_k * strides[k])` for in-range indices must be readable
    /// and hold a valid `dtype` value during this call.
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
        let dst = s
            .uninit::<u8>(size.saturating_mul(dtype.itemsize()))
            .as_mut_ptr() as *mut u8;
        // SAFETY: forwarded contract; dst holds `size` elements of dtype.
        unsafe { gather_into(base, shape, strides, dtype, dst)? };
        Ok(View {
            data: dst,
            shape: dims,
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
    /// True when the view's bytes overlap the tensor's.
    pub fn overlaps(&self, other: &Tensor) -> bool {
        let (a, b) = (self.data as usize, other.data() as usize);
        self.nbytes() > 0 && other.nbytes() > 0 && a < b + other.nbytes() && b < a + self.nbytes()
    }
    /// A new contiguous tensor converted to `dtype` (a plain copy when the dtype is the same).
    pub fn astype(&self, dtype: DType) -> Result<Tensor> {
        let out = Tensor::empty(self.shape, dtype)?;
        super::cast_into(
            self.data,
            self.dtype,
            out.data_mut_unchecked(),
            dtype,
            self.size(),
        )?;
        Ok(out)
    }
}

/// Gathers a strided layout into contiguous `dst`, one gather-kernel call per innermost row.
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
