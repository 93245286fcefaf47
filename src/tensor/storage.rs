//! Memory behind a tensor: either corepy's own 64-byte aligned allocation, or a foreign buffer
//! (a Python exporter) kept alive by an opaque owner handle.

use crate::error::{CoreError, Result};
use std::alloc::{self, Layout};
use std::any::Any;
use std::ptr::NonNull;

/// Alignment of every buffer corepy allocates: one cache line, also the AVX-512 vector width.
pub const ALIGN: usize = 64;

enum Kind {
    Owned(Layout),
    /// Dropping the owner releases the foreign buffer (e.g. `PyBuffer_Release`).
    Foreign(#[allow(dead_code)] Box<dyn Any + Send + Sync>),
}

pub struct Storage {
    ptr: NonNull<u8>,
    nbytes: usize,
    readonly: bool,
    kind: Kind,
}

// SAFETY: Storage is a pointer plus length, like NumPy's data pointer. Element access only ever
// happens through raw pointers inside kernels (never through Rust references), and concurrent
// writes from several Python threads are value-level races as in NumPy, never out of bounds.
unsafe impl Send for Storage {}
unsafe impl Sync for Storage {}

impl Storage {
    /// Allocates `nbytes` (uninitialised unless `zeroed`), 64-byte aligned.
    pub fn alloc(nbytes: usize, zeroed: bool) -> Result<Storage> {
        if nbytes == 0 {
            // A dangling, aligned, never-dereferenced pointer, as Vec does for empty allocations.
            let ptr = NonNull::new(ALIGN as *mut u8).expect("non-null");
            return Ok(Storage {
                ptr,
                nbytes,
                readonly: false,
                kind: Kind::Owned(Layout::new::<()>()),
            });
        }
        let layout = Layout::from_size_align(nbytes, ALIGN)
            .map_err(|_| CoreError::Memory(format!("cannot allocate {nbytes} bytes")))?;
        // SAFETY: layout has non-zero size.
        let raw = unsafe {
            if zeroed {
                alloc::alloc_zeroed(layout)
            } else {
                alloc::alloc(layout)
            }
        };
        let ptr = NonNull::new(raw).ok_or_else(|| {
            CoreError::Memory(format!("cannot allocate {nbytes} bytes for a tensor"))
        })?;
        Ok(Storage {
            ptr,
            nbytes,
            readonly: false,
            kind: Kind::Owned(layout),
        })
    }

    /// Wraps foreign memory.
    ///
    /// # Safety
    /// `ptr` must be valid for reads of `nbytes` bytes (and writes too unless `readonly`) for as
    /// long as `owner` is alive.
    pub unsafe fn foreign(
        ptr: *mut u8,
        nbytes: usize,
        readonly: bool,
        owner: Box<dyn Any + Send + Sync>,
    ) -> Storage {
        let ptr = NonNull::new(ptr).unwrap_or(NonNull::dangling());
        Storage {
            ptr,
            nbytes,
            readonly,
            kind: Kind::Foreign(owner),
        }
    }

    pub fn ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }
    pub fn nbytes(&self) -> usize {
        self.nbytes
    }
    pub fn readonly(&self) -> bool {
        self.readonly
    }
    pub fn is_foreign(&self) -> bool {
        matches!(self.kind, Kind::Foreign(_))
    }
}

impl Drop for Storage {
    fn drop(&mut self) {
        if let Kind::Owned(layout) = self.kind {
            if self.nbytes != 0 {
                // SAFETY: allocated in `alloc` with exactly this layout.
                unsafe { alloc::dealloc(self.ptr.as_ptr(), layout) }
            }
        }
    }
}
