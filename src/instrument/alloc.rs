//! A counting global allocator: every byte corepy's Rust code allocates is counted (C++ kernels
//! allocate nothing themselves). Relaxed atomics keep it near free; the profiler suspends
//! counting on its own thread while it builds reports, so its allocations are not corepy's.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub struct Counting;

static COUNT: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SUSPENDED: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    // try_with: during thread teardown the flag may be gone; count those allocations.
    !SUSPENDED.try_with(|s| s.get()).unwrap_or(false)
}

fn on_alloc(size: usize) {
    if counted() {
        COUNT.fetch_add(1, Relaxed);
        BYTES.fetch_add(size, Relaxed);
        let live = LIVE.fetch_add(size, Relaxed) + size;
        // A read first: a new peak is rare, and the read-modify-write costs ~20 cycles.
        if live > PEAK.load(Relaxed) {
            PEAK.fetch_max(live, Relaxed);
        }
    }
}

fn on_free(size: usize) {
    if counted() {
        // Saturating: a block allocated while suspended may be freed while counting.
        let _ = LIVE.fetch_update(Relaxed, Relaxed, |l| Some(l.saturating_sub(size)));
    }
}

// SAFETY: forwards every call to the system allocator unchanged; only counts on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            on_alloc(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            on_alloc(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        on_free(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as ours.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            on_free(layout.size());
            on_alloc(new_size);
        }
        p
    }
}

/// (allocations, bytes allocated, live bytes, peak live bytes) since the process started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllocSnapshot {
    pub count: usize,
    pub bytes: usize,
    pub live: usize,
    pub peak: usize,
}

pub fn snapshot() -> AllocSnapshot {
    AllocSnapshot {
        count: COUNT.load(Relaxed),
        bytes: BYTES.load(Relaxed),
        live: LIVE.load(Relaxed),
        peak: PEAK.load(Relaxed),
    }
}

/// Restarts the peak from the current live bytes (a profile block measures its own peak).
pub fn reset_peak() {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
}

/// Runs `f` without counting this thread's allocations (the profiler's own work).
pub fn uncounted<R>(f: impl FnOnce() -> R) -> R {
    counting(false, f)
}

/// Runs `f` with this thread's allocations counted (`on`) or not, then restores the thread's
/// previous state.
pub fn counting<R>(on: bool, f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SUSPENDED.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(SUSPENDED.with(|s| s.replace(!on)));
    f()
}

/// Stops counting this thread's allocations outside [`counting`]`(true, ..)` scopes: the pool's
/// workers, whose idle bookkeeping (rayon's and crossbeam-epoch's, which allocates when its
/// garbage bags fill) is not an op's work and would otherwise land in whatever profile is open.
pub fn stop_counting_this_thread() {
    SUSPENDED.with(|s| s.set(true));
}
