//! Memory behind a tensor: either corepy's own 64-byte aligned allocation, or a foreign buffer
//! (a Python exporter) kept alive by an opaque owner handle.

use crate::error::{CoreError, Result};
use std::alloc::{self, Layout};
use std::ptr::NonNull;
use std::sync::Mutex;

/// Alignment of every buffer corepy allocates: one cache line, also the AVX-512 vector width.
pub const ALIGN: usize = 64;

/// From this size on, buffers are 2 MiB aligned with transparent huge pages requested (one page
/// fault per 2 MiB instead of per 4 KiB) and are recycled through a small cache when dropped:
/// a fresh 40 MB output otherwise costs more in page faults than the kernel that fills it.
pub const LARGE: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;
/// Upper bound on the bytes the recycling cache may hold.
pub const CACHE_BYTES: usize = 256 << 20;
const CACHE_ENTRIES: usize = 8;

/// Dropped large buffers waiting for reuse: (layout, pointer).
struct Cache(Vec<(Layout, NonNull<u8>)>);
// SAFETY: the cache exclusively owns the parked allocations.
unsafe impl Send for Cache {}
static CACHE: Mutex<Cache> = Mutex::new(Cache(Vec::new()));

/// Holds the cache's lock across a fork (`crate::fork`); the parked buffers stay valid in the
/// child, which has its own copy of them.
pub(crate) fn fork_prepare() -> Box<dyn crate::fork::Held> {
    Box::new(CACHE.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Takes a cached buffer of at least `size` bytes (and at most twice that, to bound waste).
fn cache_take(size: usize) -> Option<(Layout, NonNull<u8>)> {
    let mut c = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let best =
        c.0.iter()
            .enumerate()
            .filter(|(_, (l, _))| l.size() >= size && l.size() <= size.saturating_mul(2))
            .min_by_key(|(_, (l, _))| l.size())
            .map(|(i, _)| i)?;
    Some(c.0.swap_remove(best))
}

/// Parks a large buffer for reuse. Room is made by evicting the oldest parked buffers: a cache
/// that refused newcomers once full kept whatever filled it first (e.g. `cp.machine()`'s STREAM
/// arrays), which then never matched a request, and every large output paid its page faults
/// again. Returns the evicted buffers (or the newcomer, if it alone exceeds the limit) for the
/// caller to free outside the lock.
fn cache_put(layout: Layout, ptr: NonNull<u8>) -> Vec<(Layout, NonNull<u8>)> {
    if layout.size() > CACHE_BYTES {
        return vec![(layout, ptr)];
    }
    let mut c = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let mut held: usize = c.0.iter().map(|(l, _)| l.size()).sum();
    let mut evicted = Vec::new();
    while !c.0.is_empty() && (c.0.len() >= CACHE_ENTRIES || held + layout.size() > CACHE_BYTES) {
        let old = c.0.remove(0);
        held -= old.0.size();
        evicted.push(old);
    }
    c.0.push((layout, ptr));
    evicted
}

/// Bytes currently parked in the large-buffer cache.
pub fn cached_bytes() -> usize {
    CACHE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .0
        .iter()
        .map(|(l, _)| l.size())
        .sum()
}

/// Frees every parked buffer.
pub fn clear_cache() {
    let parked = std::mem::take(&mut CACHE.lock().unwrap_or_else(|e| e.into_inner()).0);
    for (layout, ptr) in parked {
        // SAFETY: parked buffers were allocated with exactly this layout and are unused.
        unsafe { alloc::dealloc(ptr.as_ptr(), layout) }
    }
}

enum Kind {
    Owned(Layout),
    /// Dropping the owner releases the foreign buffer (e.g. `PyBuffer_Release`).
    Foreign(#[allow(dead_code)] Owner),
}

/// What keeps foreign memory alive: a handle and the function that lets it go. A raw pair, not
/// a `Box<dyn Any>`: the usual owner (a NumPy array) is one pointer already, and boxing it cost
/// an allocation and a free per imported operand.
pub struct Owner {
    handle: *mut (),
    release: unsafe fn(*mut ()),
}

// SAFETY: `Owner::raw`'s contract (and `boxed`'s bounds) make releasing from any thread sound.
unsafe impl Send for Owner {}
unsafe impl Sync for Owner {}

impl Owner {
    /// Owns any value; dropping the owner drops it.
    pub fn boxed<T: Send + Sync + 'static>(value: T) -> Owner {
        unsafe fn release<T>(p: *mut ()) {
            // SAFETY: `p` came from Box::into_raw of a Box<T> below and is released once.
            drop(unsafe { Box::from_raw(p.cast::<T>()) })
        }
        Owner {
            handle: Box::into_raw(Box::new(value)).cast(),
            release: release::<T>,
        }
    }

    /// An owner from a handle that already holds its resource (e.g. a strong reference).
    ///
    /// # Safety
    /// Calling `release(handle)` exactly once, from any thread, must be sound.
    pub unsafe fn raw(handle: *mut (), release: unsafe fn(*mut ())) -> Owner {
        Owner { handle, release }
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        // SAFETY: the constructors' contracts; drop runs once.
        unsafe { (self.release)(self.handle) }
    }
}

pub struct Storage {
    /// What the allocator returned (freed on drop); `ptr` is it rounded up to ALIGN.
    base: NonNull<u8>,
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
            let ptr =
                NonNull::new(std::ptr::null_mut::<u8>().wrapping_add(ALIGN)).expect("non-null");
            return Ok(Storage {
                base: ptr,
                ptr,
                nbytes,
                readonly: false,
                kind: Kind::Owned(Layout::new::<()>()),
            });
        }
        let large = nbytes >= LARGE;
        if large {
            if let Some((layout, ptr)) = cache_take(nbytes) {
                if zeroed {
                    // SAFETY: the parked buffer holds layout.size() >= nbytes writable bytes.
                    unsafe { std::ptr::write_bytes(ptr.as_ptr(), 0, nbytes) };
                }
                return Ok(Storage {
                    base: ptr,
                    ptr,
                    nbytes,
                    readonly: false,
                    kind: Kind::Owned(layout),
                });
            }
        }
        // Small buffers: over-allocate with malloc's natural alignment and round up, which is
        // several times cheaper than an aligned allocation (posix_memalign) on every op.
        let layout = if large {
            Layout::from_size_align(nbytes, HUGE_PAGE)
        } else {
            Layout::from_size_align(nbytes.saturating_add(ALIGN), 16)
        }
        .map_err(|_| CoreError::Memory(format!("cannot allocate {nbytes} bytes")))?;
        // SAFETY: layout has non-zero size.
        let raw = unsafe {
            if zeroed {
                alloc::alloc_zeroed(layout)
            } else {
                alloc::alloc(layout)
            }
        };
        let base = NonNull::new(raw).ok_or_else(|| {
            CoreError::Memory(format!("cannot allocate {nbytes} bytes for a tensor"))
        })?;
        let pad = raw.align_offset(ALIGN);
        // SAFETY: pad < ALIGN and the allocation has ALIGN spare bytes (large ones need none:
        // they are already HUGE_PAGE aligned, so pad == 0).
        let ptr = unsafe { NonNull::new_unchecked(raw.add(pad)) };
        if large {
            // Advice only: failure just means 4 KiB pages.
            // SAFETY: [ptr, ptr + nbytes rounded down to whole huge pages) is our allocation.
            unsafe {
                libc::madvise(
                    raw.cast(),
                    nbytes / HUGE_PAGE * HUGE_PAGE,
                    libc::MADV_HUGEPAGE,
                )
            };
        }
        Ok(Storage {
            base,
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
    pub unsafe fn foreign(ptr: *mut u8, nbytes: usize, readonly: bool, owner: Owner) -> Storage {
        let ptr = NonNull::new(ptr).unwrap_or(NonNull::dangling());
        Storage {
            base: ptr,
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
            if self.nbytes >= LARGE {
                for (layout, ptr) in cache_put(layout, self.base) {
                    // SAFETY: every cached buffer was allocated with exactly its layout, and
                    // is unused (parked, or this storage's own, now dropped).
                    unsafe { alloc::dealloc(ptr.as_ptr(), layout) }
                }
                return;
            }
            if self.nbytes != 0 {
                // SAFETY: `base` was allocated in `alloc` with exactly this layout.
                unsafe { alloc::dealloc(self.base.as_ptr(), layout) }
            }
        }
    }
}
