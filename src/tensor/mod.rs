//! The tensor: a C-contiguous n-d array over shared storage. Non-contiguous inputs are gathered
//! into a contiguous copy on the way in (in the op's arena when the input is only an op operand,
//! see `View`), so every kernel sees dense rows.

mod storage;
mod view;

pub(crate) use storage::fork_prepare;
pub use storage::{cached_bytes, clear_cache, Storage, ALIGN};
pub use view::{gather_into, View};

/// Upper bound on bytes the large-buffer recycling cache holds.
pub fn storage_cache_limit() -> usize {
    storage::CACHE_BYTES
}

use crate::dispatch::{kernels, need};
use crate::dtype::DType;
use crate::error::{shape_str, CoreError, Result};
use crate::parallel;
use smallvec::SmallVec;
use std::ffi::c_void;
use std::sync::Arc;

/// Dimensions (or strides) kept inline up to 6 dims: cloning a tensor or building a result
/// allocates nothing for them, which matters for per-call overhead on small ops.
pub type Dims<T = usize> = SmallVec<[T; 6]>;

#[derive(Clone)]
pub struct Tensor {
    storage: Arc<Storage>,
    /// Byte offset of element 0 inside the storage.
    offset: usize,
    shape: Dims,
    dtype: DType,
}

/// Product of a shape, or a ValueError if it overflows.
pub fn checked_size(shape: &[usize]) -> Result<usize> {
    shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| CoreError::value(format!("shape {} is too large", shape_str(shape))))
}

impl Tensor {
    /// A new tensor with uninitialised contents (every caller writes all of it before reading).
    pub fn empty(shape: &[usize], dtype: DType) -> Result<Tensor> {
        Self::alloc(shape, dtype, false)
    }

    pub fn zeros(shape: &[usize], dtype: DType) -> Result<Tensor> {
        Self::alloc(shape, dtype, true)
    }

    fn alloc(shape: &[usize], dtype: DType, zeroed: bool) -> Result<Tensor> {
        let nbytes = checked_size(shape)?
            .checked_mul(dtype.itemsize())
            .ok_or_else(|| CoreError::Memory(format!("shape {} is too large", shape_str(shape))))?;
        Ok(Tensor {
            storage: Arc::new(Storage::alloc(nbytes, zeroed)?),
            offset: 0,
            shape: Dims::from_slice(shape),
            dtype,
        })
    }

    /// Wraps a storage as a contiguous tensor of `shape`, checking it is large enough.
    pub fn from_storage(storage: Storage, shape: &[usize], dtype: DType) -> Result<Tensor> {
        let need_bytes = checked_size(shape)? * dtype.itemsize();
        if need_bytes > storage.nbytes() {
            return Err(CoreError::value(format!(
                "buffer of {} bytes is too small for shape {} of {}",
                storage.nbytes(),
                shape_str(shape),
                dtype.name()
            )));
        }
        Ok(Tensor {
            storage: Arc::new(storage),
            offset: 0,
            shape: Dims::from_slice(shape),
            dtype,
        })
    }

    /// A 0-d tensor holding one value given as raw little-endian bytes of `dtype`.
    pub fn scalar_bytes(bytes: &[u8], dtype: DType) -> Result<Tensor> {
        assert_eq!(bytes.len(), dtype.itemsize());
        let t = Tensor::empty(&[], dtype)?;
        // SAFETY: t owns a fresh allocation of exactly itemsize bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), t.data_mut_unchecked(), bytes.len())
        };
        Ok(t)
    }

    pub fn from_f64(v: f64) -> Tensor {
        Self::scalar_bytes(&v.to_le_bytes(), DType::F64).expect("8-byte allocation")
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }
    pub fn dtype(&self) -> DType {
        self.dtype
    }
    pub fn ndim(&self) -> usize {
        self.view().ndim()
    }
    pub fn size(&self) -> usize {
        self.view().size()
    }
    pub fn nbytes(&self) -> usize {
        self.view().nbytes()
    }
    pub fn readonly(&self) -> bool {
        self.storage.readonly()
    }
    /// True when the tensor wraps a foreign buffer without having copied it.
    pub fn is_view(&self) -> bool {
        self.storage.is_foreign()
    }
    /// True when the two tensors' bytes overlap (also across separate imports of one buffer).
    pub fn overlaps(&self, other: &Tensor) -> bool {
        self.view().overlaps(other)
    }

    pub fn data(&self) -> *const u8 {
        // SAFETY (of the offset): offset + nbytes <= storage size, checked at construction.
        self.storage.ptr().wrapping_add(self.offset)
    }

    /// Pointer for writing; a ValueError if the tensor is read-only.
    pub fn data_mut(&self) -> Result<*mut u8> {
        if self.readonly() {
            return Err(CoreError::value(
                "output tensor is read-only (it wraps a read-only buffer)",
            ));
        }
        Ok(self.data() as *mut u8)
    }

    /// For freshly allocated tensors, which are never read-only.
    fn data_mut_unchecked(&self) -> *mut u8 {
        self.data() as *mut u8
    }

    /// Element strides in bytes (C order).
    pub fn byte_strides(&self) -> Dims<isize> {
        contiguous_strides(&self.shape, self.dtype.itemsize())
    }

    /// Same data, new shape (one dimension may be -1). Shares storage, like NumPy's reshape of a
    /// contiguous array.
    pub fn reshape(&self, spec: &[i64]) -> Result<Tensor> {
        let size = self.size();
        let mut shape = Dims::with_capacity(spec.len());
        let mut infer = None;
        let mut known = 1usize;
        for (i, &d) in spec.iter().enumerate() {
            if d == -1 {
                if infer.replace(i).is_some() {
                    return Err(CoreError::value(
                        "reshape: can only specify one unknown dimension",
                    ));
                }
                shape.push(0);
            } else if d < 0 {
                return Err(CoreError::value(format!("reshape: negative dimension {d}")));
            } else {
                known = known
                    .checked_mul(d as usize)
                    .ok_or_else(|| CoreError::value("reshape: requested shape is too large"))?;
                shape.push(d as usize);
            }
        }
        // As NumPy: the non-zero dimensions must fit in memory even when the size is 0.
        let fits = shape
            .iter()
            .filter(|&&d| d != 0)
            .try_fold(self.dtype.itemsize(), |acc, &d| acc.checked_mul(d))
            .is_some_and(|b| b <= isize::MAX as usize);
        if !fits {
            return Err(CoreError::value(format!(
                "reshape: requested shape {spec:?} is too large"
            )));
        }
        if let Some(i) = infer {
            if known == 0 || size % known != 0 {
                return Err(CoreError::value(format!(
                    "cannot reshape tensor of size {size} into shape {spec:?}"
                )));
            }
            shape[i] = size / known;
        } else if known != size {
            return Err(CoreError::value(format!(
                "cannot reshape tensor of size {size} into shape {}",
                shape_str(&shape)
            )));
        }
        Ok(Tensor {
            storage: self.storage.clone(),
            offset: self.offset,
            shape,
            dtype: self.dtype,
        })
    }

    /// A contiguous copy converted to `dtype` (a plain copy when the dtype is the same).
    pub fn astype(&self, dtype: DType) -> Result<Tensor> {
        self.view().astype(dtype)
    }

    /// Gathers an arbitrary strided layout (byte strides, possibly negative or zero) into a new
    /// contiguous tensor.
    ///
    /// # Safety
    /// Every element address `base + sum(i_k * strides[k])` for in-range indices must be readable
    /// and hold a valid `dtype` value.
    pub unsafe fn gather_strided(
        base: *const u8,
        shape: &[usize],
        strides: &[isize],
        dtype: DType,
    ) -> Result<Tensor> {
        let out = Tensor::empty(shape, dtype)?;
        // SAFETY: forwarded contract; `out` is a fresh allocation of the layout's size.
        unsafe { gather_into(base, shape, strides, dtype, out.data_mut_unchecked())? };
        Ok(out)
    }
}

/// Converts `n` elements between dtypes with the cast kernel, in parallel chunks when large.
pub fn cast_into(src: *const u8, from: DType, dst: *mut u8, to: DType, n: usize) -> Result<()> {
    let cast = need(kernels().cast[from.code()][to.code()], "astype", from)?;
    let (si, di) = (from.itemsize(), to.itemsize());
    let (src, dst) = (parallel::SendPtr(src as *mut u8), parallel::SendPtr(dst));
    parallel::for_chunks_checked(
        n,
        parallel::threshold(parallel::Family::Cast),
        |start, len| {
            // SAFETY: chunks are disjoint sub-ranges of [0, n), in bounds for both buffers.
            unsafe {
                cast(
                    src.get().add(start * si) as *const c_void,
                    dst.get().add(start * di) as *mut c_void,
                    len,
                )
            }
        },
    )
}

pub fn contiguous_strides(shape: &[usize], itemsize: usize) -> Dims<isize> {
    let mut strides: Dims<isize> = smallvec::smallvec![0isize; shape.len()];
    let mut acc = itemsize as isize;
    for (s, &d) in strides.iter_mut().zip(shape).rev() {
        *s = acc;
        acc *= d.max(1) as isize;
    }
    strides
}

/// Calls `f(flat_row, index)` for every multi-index of `shape` in C order (once for a 0-d shape).
pub fn for_each_index(shape: &[usize], mut f: impl FnMut(usize, &[usize])) {
    if shape.contains(&0) {
        return;
    }
    let mut idx = vec![0usize; shape.len()];
    let total: usize = shape.iter().product();
    for row in 0..total {
        f(row, &idx);
        for k in (0..shape.len()).rev() {
            idx[k] += 1;
            if idx[k] < shape[k] {
                break;
            }
            idx[k] = 0;
        }
    }
}
