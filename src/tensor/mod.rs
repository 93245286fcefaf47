//! The tensor: a strided n-d view (shape, element strides that may be negative or zero, byte
//! offset of element 0) over shared storage. Views (slices, transposes, broadcasts, flips) share
//! the storage; kernels read strided operands in place (`crate::tensor::iter`), and the few that
//! need dense rows (reductions, GEMM packing) gather them into the op's arena (`with_dense`).

pub mod iter;
mod layout;
mod storage;
mod view;

pub use layout::{broadcast_shapes, is_c_contiguous, normalize_axis};
pub(crate) use storage::fork_prepare;
pub use storage::{cached_bytes, clear_cache, Owner, Storage, ALIGN};
pub use view::{gather_bytes, gather_into, with_dense, View};

/// Element strides of a layout broadcast to `to` (0 on broadcast axes); `to` must be a valid
/// broadcast target.
pub fn layout_broadcast(shape: &[usize], strides: &[isize], to: &[usize]) -> Dims<isize> {
    layout::broadcast_strides_to(shape, strides, to).expect("a broadcast target")
}

/// Upper bound on bytes the large-buffer recycling cache holds.
pub fn storage_cache_limit() -> usize {
    storage::CACHE_BYTES
}

use crate::dtype::DType;
use crate::error::{shape_str, CoreError, Result};
use smallvec::SmallVec;
use std::sync::Arc;

/// Dimensions (or strides) kept inline up to 5 dims: cloning a tensor or building a result
/// allocates nothing for them, which matters for per-call overhead on small ops. Five, not six:
/// a Tensor is then 120 bytes, which the compiler moves in registers, where at 136 bytes every
/// move (the result of each view, into its Python object) was a memcpy call.
pub type Dims<T = usize> = SmallVec<[T; 5]>;

/// Invariant: for every in-range index `i`, the bytes of element `offset + sum(i_k * strides[k]) *
/// itemsize` lie inside `storage` (checked by `Tensor::restride`, the one constructor of views).
#[derive(Clone)]
pub struct Tensor {
    storage: Arc<Storage>,
    /// Byte offset of element 0 (all indices zero) inside the storage.
    offset: usize,
    shape: Dims,
    /// Element strides (not bytes).
    strides: Dims<isize>,
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
    /// A new C-contiguous tensor with uninitialised contents (every caller writes all of it
    /// before reading).
    pub fn empty(shape: &[usize], dtype: DType) -> Result<Tensor> {
        Self::alloc(shape, dtype, false)
    }

    pub fn zeros(shape: &[usize], dtype: DType) -> Result<Tensor> {
        Self::alloc(shape, dtype, true)
    }

    fn alloc(shape: &[usize], dtype: DType, zeroed: bool) -> Result<Tensor> {
        let nbytes = checked_size(shape)?
            .checked_mul(dtype.itemsize())
            .filter(|&b| b <= isize::MAX as usize)
            .ok_or_else(|| CoreError::Memory(format!("shape {} is too large", shape_str(shape))))?;
        Ok(Tensor {
            storage: Arc::new(Storage::alloc(nbytes, zeroed)?),
            offset: 0,
            shape: Dims::from_slice(shape),
            strides: contiguous_strides(shape),
            dtype,
        })
    }

    /// A new tensor of `shape` whose memory order follows `order` (outermost axis first): the
    /// layout NumPy's order="K" gives a result computed from operands laid out that way.
    pub fn empty_ordered(shape: &[usize], order: &[usize], dtype: DType) -> Result<Tensor> {
        let mut t = Self::empty(shape, dtype)?;
        let mut acc = 1isize;
        for &ax in order.iter().rev() {
            t.strides[ax] = acc;
            acc *= shape[ax].max(1) as isize;
        }
        Ok(t)
    }

    /// Wraps a storage as a contiguous tensor of `shape`, checking it is large enough.
    pub fn from_storage(storage: Storage, shape: &[usize], dtype: DType) -> Result<Tensor> {
        let strides = contiguous_strides(shape);
        Self::from_storage_strided(storage, 0, shape, &strides, dtype)
    }

    /// Wraps a storage with any layout: element 0 at byte `offset`, element strides `strides`.
    /// Every element must lie inside the storage (else ValueError).
    pub fn from_storage_strided(
        storage: Storage,
        offset: usize,
        shape: &[usize],
        strides: &[isize],
        dtype: DType,
    ) -> Result<Tensor> {
        check_layout(storage.nbytes(), offset as isize, shape, strides, dtype)?;
        Ok(Tensor {
            storage: Arc::new(storage),
            offset,
            shape: Dims::from_slice(shape),
            strides: Dims::from_slice(strides),
            dtype,
        })
    }

    /// A view of the same storage with element 0 at `byte_offset` from the storage start and the
    /// given layout; the one place a layout is checked against its storage.
    pub fn restride(
        &self,
        byte_offset: isize,
        shape: &[usize],
        strides: &[isize],
    ) -> Result<Tensor> {
        check_layout(
            self.storage.nbytes(),
            byte_offset,
            shape,
            strides,
            self.dtype,
        )?;
        Ok(Tensor {
            storage: self.storage.clone(),
            offset: byte_offset.clamp(0, self.storage.nbytes() as isize) as usize,
            shape: Dims::from_slice(shape),
            strides: Dims::from_slice(strides),
            dtype: self.dtype,
        })
    }

    /// A view with a layout derived from this tensor's own by basic indexing or by permuting
    /// axes: every element it reaches is one of this tensor's, so `restride`'s check is only
    /// repeated in debug builds. Views are made per `t[1:, ::2]` or `.T`: this keeps them cheap.
    ///
    /// # Safety
    /// For every in-range index of (shape, strides), element `elem_offset` (in elements from this
    /// tensor's element 0) plus the strided steps must be an element of this tensor.
    // Only the Python indexing path builds views from raw layouts.
    #[cfg(feature = "python")]
    #[inline(always)]
    pub(crate) unsafe fn subview(
        &self,
        elem_offset: isize,
        shape: Dims,
        strides: Dims<isize>,
    ) -> Tensor {
        let nbytes = self.storage.nbytes();
        let off = self.offset as isize + elem_offset * self.dtype.itemsize() as isize;
        debug_assert!(check_layout(nbytes, off, &shape, &strides, self.dtype).is_ok());
        Tensor {
            storage: self.storage.clone(),
            offset: off.clamp(0, nbytes as isize) as usize,
            shape,
            strides,
            dtype: self.dtype,
        }
    }

    /// This tensor's storage with a new layout relative to its own element 0.
    pub fn with_layout(
        &self,
        elem_offset: isize,
        shape: &[usize],
        strides: &[isize],
    ) -> Result<Tensor> {
        let off = self.offset as isize + elem_offset * self.dtype.itemsize() as isize;
        self.restride(off, shape, strides)
    }

    /// Same bytes seen as another dtype of the same item size (e.g. bool <-> uint8).
    pub fn reinterpret(&self, dtype: DType) -> Tensor {
        assert_eq!(dtype.itemsize(), self.dtype.itemsize());
        Tensor {
            dtype,
            ..self.clone()
        }
    }

    /// The real or imaginary parts of a complex tensor as a view of its real dtype (every part
    /// lies inside the complex elements, so the layout stays valid).
    pub fn complex_part(&self, imag: bool) -> Tensor {
        assert!(self.dtype.is_complex());
        let real = self.dtype.real_of();
        Tensor {
            dtype: real,
            offset: self.offset + if imag { real.itemsize() } else { 0 },
            strides: self.strides.iter().map(|s| s * 2).collect(),
            ..self.clone()
        }
    }

    /// A 0-d tensor holding one value given as raw native-endian bytes of `dtype`.
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
        Self::scalar_bytes(&v.to_ne_bytes(), DType::F64).expect("8-byte allocation")
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }
    /// Element strides.
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }
    pub fn dtype(&self) -> DType {
        self.dtype
    }
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }
    /// Logical bytes (size * itemsize), whatever the layout.
    pub fn nbytes(&self) -> usize {
        self.size() * self.dtype.itemsize()
    }
    pub fn readonly(&self) -> bool {
        self.storage.readonly()
    }
    /// True when the tensor wraps a foreign buffer without having copied it.
    pub fn is_view(&self) -> bool {
        self.storage.is_foreign()
    }
    pub fn is_contiguous(&self) -> bool {
        is_c_contiguous(&self.shape, &self.strides)
    }
    /// True when the tensor shares its storage object with `other` (views of one allocation).
    pub fn same_storage(&self, other: &Tensor) -> bool {
        Arc::ptr_eq(&self.storage, &other.storage)
    }
    /// True when the two tensors' byte ranges overlap (also across separate imports of one
    /// buffer).
    pub fn overlaps(&self, other: &Tensor) -> bool {
        self.view().overlaps_view(&other.view())
    }

    pub fn data(&self) -> *const u8 {
        // SAFETY (of the offset): offset lies inside the storage, checked by `restride`.
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

    /// Strides in bytes.
    pub fn byte_strides(&self) -> Dims<isize> {
        let isz = self.dtype.itemsize() as isize;
        self.strides.iter().map(|&s| s * isz).collect()
    }

    /// A C-contiguous tensor with the same values: this one when it already is, else a copy.
    pub fn contiguous(&self) -> Result<Tensor> {
        if self.is_contiguous() {
            Ok(self.clone())
        } else {
            self.astype(self.dtype)
        }
    }

    /// A new C-contiguous copy converted to `dtype` (a plain copy when the dtype is the same).
    pub fn astype(&self, dtype: DType) -> Result<Tensor> {
        let out = Tensor::empty(&self.shape, dtype)?;
        iter::copy_into(&self.view(), &out)?;
        Ok(out)
    }

    /// Same data, new shape (one dimension may be -1). A view when the layout allows (as NumPy's
    /// reshape without a copy), else `Ok(None)`.
    pub fn reshape_view(&self, spec: &[i64]) -> Result<Option<Tensor>> {
        let shape = layout::resolve_shape(spec, self.size(), self.dtype.itemsize())?;
        layout::reshape_strides(&self.shape, &self.strides, &shape)
            .map(|strides| self.with_layout(0, &shape, &strides))
            .transpose()
    }

    /// `reshape_view`, copying into a contiguous tensor when the layout does not allow a view.
    pub fn reshape(&self, spec: &[i64]) -> Result<Tensor> {
        match self.reshape_view(spec)? {
            Some(t) => Ok(t),
            None => self.contiguous()?.reshape(spec),
        }
    }

    /// Axes reordered: result axis i is this tensor's axis `axes[i]` (a permutation).
    pub fn permute(&self, axes: &[usize]) -> Result<Tensor> {
        let n = self.ndim();
        let mut seen: SmallVec<[bool; 8]> = smallvec::smallvec![false; n];
        if axes.len() != n
            || axes
                .iter()
                .any(|&a| a >= n || std::mem::replace(&mut seen[a], true))
        {
            return Err(CoreError::value(format!(
                "permute_dims: axes {axes:?} are not a permutation of the {n} axes"
            )));
        }
        let shape: Dims = axes.iter().map(|&a| self.shape[a]).collect();
        let strides: Dims<isize> = axes.iter().map(|&a| self.strides[a]).collect();
        self.with_layout(0, &shape, &strides)
    }

    /// This tensor with its (length, stride) pairs in another order: the same elements, so no
    /// layout check is needed (`.T`, `.mT`).
    #[inline(always)]
    fn reordered(&self, shape: Dims, strides: Dims<isize>) -> Tensor {
        Tensor {
            storage: self.storage.clone(),
            offset: self.offset,
            shape,
            strides,
            dtype: self.dtype,
        }
    }

    /// The last two axes swapped (the standard's `mT`).
    #[inline(always)]
    pub fn matrix_transpose(&self) -> Result<Tensor> {
        #[cold]
        fn too_few(shape: &[usize]) -> CoreError {
            CoreError::value(format!(
                "matrix transpose needs at least 2 dimensions, got shape {}",
                shape_str(shape)
            ))
        }
        let n = self.ndim();
        if n < 2 {
            return Err(too_few(&self.shape));
        }
        let (mut shape, mut strides): (Dims, Dims<isize>) = (
            Dims::from_slice(&self.shape),
            Dims::from_slice(&self.strides),
        );
        shape.swap(n - 2, n - 1);
        strides.swap(n - 2, n - 1);
        Ok(self.reordered(shape, strides))
    }

    /// All axes reversed (`.T`).
    #[inline(always)]
    pub fn transpose_all(&self) -> Result<Tensor> {
        let (mut shape, mut strides) = (Dims::new(), Dims::new());
        for k in (0..self.ndim()).rev() {
            shape.push(self.shape[k]);
            strides.push(self.strides[k]);
        }
        Ok(self.reordered(shape, strides))
    }

    /// A read view of this tensor broadcast to `shape` (zero strides; no memory).
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Tensor> {
        let strides =
            layout::broadcast_strides_to(&self.shape, &self.strides, shape).ok_or_else(|| {
                CoreError::value(format!(
                    "cannot broadcast a tensor of shape {} to shape {}",
                    shape_str(&self.shape),
                    shape_str(shape)
                ))
            })?;
        self.with_layout(0, shape, &strides)
    }

    /// A new axis of length 1 at position `axis` (already normalised to 0..=ndim).
    pub fn expand_dims(&self, axis: usize) -> Result<Tensor> {
        let mut shape = self.shape.clone();
        let mut strides = self.strides.clone();
        shape.insert(axis, 1);
        strides.insert(axis, 0);
        self.with_layout(0, &shape, &strides)
    }

    /// Removes the given axes (normalised, each of length 1).
    pub fn squeeze(&self, axes: &[usize]) -> Result<Tensor> {
        for &a in axes {
            if self.shape[a] != 1 {
                return Err(CoreError::value(format!(
                    "squeeze: axis {a} has length {}, not 1",
                    self.shape[a]
                )));
            }
        }
        let keep = |i: &usize| !axes.contains(i);
        let shape: Dims = (0..self.ndim())
            .filter(keep)
            .map(|i| self.shape[i])
            .collect();
        let strides: Dims<isize> = (0..self.ndim())
            .filter(keep)
            .map(|i| self.strides[i])
            .collect();
        self.with_layout(0, &shape, &strides)
    }

    /// The given axes reversed (negative strides; no copy).
    pub fn flip(&self, axes: &[usize]) -> Result<Tensor> {
        let mut strides = self.strides.clone();
        let mut off = 0isize;
        for &a in axes {
            if self.shape[a] > 0 {
                off += (self.shape[a] as isize - 1) * strides[a];
            }
            strides[a] = -strides[a];
        }
        self.with_layout(off, &self.shape, &strides)
    }

    /// Basic indexing along every axis: `start`, `step` (non-zero), `len` per kept axis, or a
    /// single index (axis dropped). Indices are already normalised and in range.
    pub fn slice(&self, parts: &[Index]) -> Result<Tensor> {
        let mut shape = Dims::new();
        let mut strides = Dims::new();
        let mut off = 0isize;
        let mut ax = 0usize;
        for p in parts {
            match *p {
                Index::At(i) => {
                    off += i as isize * self.strides[ax];
                    ax += 1;
                }
                Index::Range { start, step, len } => {
                    if len > 0 {
                        off += start as isize * self.strides[ax];
                    }
                    shape.push(len);
                    // A run of one element never steps (and a huge step must not overflow).
                    strides.push(if len > 1 { self.strides[ax] * step } else { 0 });
                    ax += 1;
                }
                Index::NewAxis => {
                    shape.push(1);
                    strides.push(0);
                }
            }
        }
        shape.extend_from_slice(&self.shape[ax..]);
        strides.extend_from_slice(&self.strides[ax..]);
        self.with_layout(off, &shape, &strides)
    }
}

/// One resolved basic index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    /// An integer: the axis is dropped.
    At(usize),
    /// A slice: `len` elements from `start` every `step`.
    Range {
        start: usize,
        step: isize,
        len: usize,
    },
    /// `None`: a new axis of length 1.
    NewAxis,
}

/// Checks that every element of a layout (element 0 at `byte_offset`) lies inside `nbytes`.
fn check_layout(
    nbytes: usize,
    byte_offset: isize,
    shape: &[usize],
    strides: &[isize],
    dtype: DType,
) -> Result<()> {
    let isz = dtype.itemsize() as isize;
    if checked_size(shape)? == 0 {
        return Ok(());
    }
    let (lo, hi) =
        layout::extent(shape, strides).ok_or_else(|| CoreError::value("strides are too large"))?;
    let first = lo.checked_mul(isz).and_then(|l| byte_offset.checked_add(l));
    let last = hi
        .checked_mul(isz)
        .and_then(|h| byte_offset.checked_add(h))
        .and_then(|h| h.checked_add(isz));
    match (first, last) {
        (Some(f), Some(l)) if f >= 0 && l as usize <= nbytes => Ok(()),
        _ => Err(CoreError::value(format!(
            "layout of shape {} with strides {strides:?} does not fit its buffer of {nbytes} bytes",
            shape_str(shape)
        ))),
    }
}

/// C-order element strides of `shape`.
pub fn contiguous_strides(shape: &[usize]) -> Dims<isize> {
    let mut strides: Dims<isize> = smallvec::smallvec![0isize; shape.len()];
    let mut acc = 1isize;
    for (s, &d) in strides.iter_mut().zip(shape).rev() {
        *s = acc;
        acc = acc.wrapping_mul(d.max(1) as isize);
    }
    strides
}

/// Calls `f(flat_row, index)` for every multi-index of `shape` in C order (once for a 0-d shape).
pub fn for_each_index(shape: &[usize], mut f: impl FnMut(usize, &[usize])) {
    if shape.contains(&0) {
        return;
    }
    let mut idx: Dims = smallvec::smallvec![0usize; shape.len()];
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
