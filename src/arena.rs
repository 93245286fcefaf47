//! Thread-local bump arenas for an op's temporaries (reduction partials, contiguous copies of
//! strided inputs, packing buffers).
//!
//! `with_arena(|s| ...)` lends the calling thread's arena for one op as a `Scratch<'a>`; every
//! slice it hands out borrows `'a`, and the closure must work for *any* `'a`, so no arena memory
//! can outlive the op (the compiler rejects it). The arena resets when the outermost
//! `with_arena` on the thread returns; the chunk it grew to is kept, so steady-state ops hit.

use bumpalo::Bump;
use std::alloc::Layout;
use std::cell::{Cell, UnsafeCell};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, OnceLock};

/// Default first-chunk size: holds a float32 GEMM's packed B panel (KC x NC) plus A blocks.
pub const DEFAULT_ARENA_BYTES: usize = 8 << 20;

/// Bytes each thread's arena reserves up front (`COREPY_ARENA_SIZE`, in bytes).
pub fn arena_size() -> usize {
    static SIZE: OnceLock<usize> = OnceLock::new();
    *SIZE.get_or_init(|| {
        std::env::var("COREPY_ARENA_SIZE")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(DEFAULT_ARENA_BYTES)
    })
}

/// One thread's arena counters; all of them live in the registry so totals can be summed.
#[derive(Default)]
pub struct ArenaStats {
    pub thread: String,
    /// Allocations served from memory the arena already had.
    pub hits: AtomicUsize,
    /// Allocations that made the arena grow a new chunk.
    pub misses: AtomicUsize,
    /// Bytes handed out.
    pub bytes: AtomicUsize,
    /// Largest capacity the arena reached.
    pub high_water: AtomicUsize,
}

/// A snapshot of one thread's (or all threads') arena counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArenaSnapshot {
    pub thread: String,
    pub hits: usize,
    pub misses: usize,
    pub bytes: usize,
    pub high_water: usize,
}

impl ArenaStats {
    fn snapshot(&self) -> ArenaSnapshot {
        ArenaSnapshot {
            thread: self.thread.clone(),
            hits: self.hits.load(Relaxed),
            misses: self.misses.load(Relaxed),
            bytes: self.bytes.load(Relaxed),
            high_water: self.high_water.load(Relaxed),
        }
    }
}

static REGISTRY: Mutex<Vec<Arc<ArenaStats>>> = Mutex::new(Vec::new());
/// The summed counters of threads that have exited (their registry entries are removed, so the
/// registry does not grow with every pool rebuild; the totals stay monotonic).
static RETIRED: ArenaStats = ArenaStats {
    thread: String::new(),
    hits: AtomicUsize::new(0),
    misses: AtomicUsize::new(0),
    bytes: AtomicUsize::new(0),
    high_water: AtomicUsize::new(0),
};

/// Holds the registry's lock across a fork (`crate::fork`). The child keeps the counters of the
/// threads it did not inherit: they are totals, like the allocation counters.
pub(crate) fn fork_prepare() -> Box<dyn crate::fork::Held> {
    Box::new(REGISTRY.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Per-thread snapshots of every thread that has used an arena.
pub fn snapshot_per_thread() -> Vec<ArenaSnapshot> {
    let reg = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    reg.iter().map(|s| s.snapshot()).collect()
}

/// Totals over every thread, exited ones included (high-water mark: the largest single arena).
pub fn snapshot_total() -> ArenaSnapshot {
    // Under the registry's lock: an exiting thread moves its counters to RETIRED under it.
    let all: Vec<ArenaSnapshot> = {
        let reg = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
        reg.iter()
            .map(|s| s.snapshot())
            .chain([RETIRED.snapshot()])
            .collect()
    };
    all.into_iter().fold(
        ArenaSnapshot {
            thread: "all".into(),
            ..Default::default()
        },
        |acc, s| ArenaSnapshot {
            thread: acc.thread,
            hits: acc.hits + s.hits,
            misses: acc.misses + s.misses,
            bytes: acc.bytes + s.bytes,
            high_water: acc.high_water.max(s.high_water),
        },
    )
}

struct Local {
    bump: UnsafeCell<Bump>,
    depth: Cell<usize>,
    stats: Arc<ArenaStats>,
}

impl Local {
    fn new() -> Local {
        let stats = Arc::new(ArenaStats {
            thread: std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_string(),
            ..Default::default()
        });
        REGISTRY
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(stats.clone());
        let bump = Bump::try_with_capacity(arena_size()).unwrap_or_else(|_| Bump::new());
        stats.high_water.store(bump.allocated_bytes(), Relaxed);
        Local {
            bump: UnsafeCell::new(bump),
            depth: Cell::new(0),
            stats,
        }
    }
}

impl Drop for Local {
    /// At thread exit: the arena's memory is freed, and counted as freed even on a pool worker
    /// (which counts allocations only inside an op's tasks, where its arena grew: without this
    /// every exited worker left its arena in the live bytes); its counters retire.
    fn drop(&mut self) {
        crate::instrument::alloc::counting(true, || {
            drop(std::mem::take(self.bump.get_mut()));
            let s = &self.stats;
            let mut reg = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
            RETIRED.hits.fetch_add(s.hits.load(Relaxed), Relaxed);
            RETIRED.misses.fetch_add(s.misses.load(Relaxed), Relaxed);
            RETIRED.bytes.fetch_add(s.bytes.load(Relaxed), Relaxed);
            RETIRED
                .high_water
                .fetch_max(s.high_water.load(Relaxed), Relaxed);
            reg.retain(|r| !Arc::ptr_eq(r, s));
        });
    }
}

thread_local! {
    static LOCAL: Local = Local::new();
}

/// An op's view of its thread's arena. `'a` is the op; nothing allocated here outlives it.
pub struct Scratch<'a> {
    bump: &'a Bump,
    stats: &'a ArenaStats,
    /// Not Send: the arena belongs to this thread (tasks on other threads use their own).
    _not_send: PhantomData<*const ()>,
}

impl<'a> Scratch<'a> {
    /// `n` elements of scratch, 64-byte aligned, contents unspecified (the op writes before it
    /// reads, e.g. packing buffers and per-block partials filled by kernels).
    pub fn uninit<T: Copy>(&self, n: usize) -> &'a mut [MaybeUninit<T>] {
        let size = n
            .checked_mul(std::mem::size_of::<T>())
            .expect("arena request overflows");
        let layout = Layout::from_size_align(size, 64).expect("arena request fits a layout");
        let before = self.bump.allocated_bytes();
        let ptr = self
            .bump
            .alloc_layout(layout)
            .cast::<MaybeUninit<T>>()
            .as_ptr();
        let s = self.stats;
        let after = self.bump.allocated_bytes();
        if after > before {
            s.misses.fetch_add(1, Relaxed);
            s.high_water.fetch_max(after, Relaxed);
        } else {
            s.hits.fetch_add(1, Relaxed);
        }
        s.bytes.fetch_add(size, Relaxed);
        // SAFETY: a fresh allocation of n MaybeUninit<T> (which need no initialisation), aligned,
        // exclusively ours and alive for as long as the arena borrow 'a.
        unsafe { std::slice::from_raw_parts_mut(ptr, n) }
    }

    /// True when a temporary of `bytes` is too big for the arena (beyond `arena_size()`, which
    /// would keep a chunk that large alive on this thread after the op): the caller uses the heap
    /// instead, counted as a miss.
    pub fn too_big(&self, bytes: usize) -> bool {
        let big = bytes > arena_size();
        if big {
            self.stats.misses.fetch_add(1, Relaxed);
        }
        big
    }

    /// `n` zeroed elements.
    pub fn zeroed<T: Copy + Default>(&self, n: usize) -> &'a mut [T] {
        let s = self.uninit::<T>(n);
        for x in s.iter_mut() {
            x.write(T::default());
        }
        // SAFETY: every element was just initialised.
        unsafe { &mut *(s as *mut [MaybeUninit<T>] as *mut [T]) }
    }
}

/// Runs one op with the calling thread's arena; resets it when the outermost call returns.
pub fn with_arena<R>(f: impl for<'a> FnOnce(&Scratch<'a>) -> R) -> R {
    LOCAL.with(|local| {
        struct Exit<'l>(&'l Local);
        impl Drop for Exit<'_> {
            fn drop(&mut self) {
                let d = self.0.depth.get() - 1;
                self.0.depth.set(d);
                if d == 0 {
                    // SAFETY: depth 0 means no Scratch (and so no slice from it) is alive on this
                    // thread, and arenas are never shared across threads.
                    unsafe { (*self.0.bump.get()).reset() };
                }
            }
        }
        local.depth.set(local.depth.get() + 1);
        let _exit = Exit(local);
        // SAFETY: only shared references to the Bump exist while depth > 0; the one `&mut`
        // (reset) happens at depth 0 in Exit::drop.
        let bump = unsafe { &*local.bump.get() };
        f(&Scratch {
            bump,
            stats: &local.stats,
            _not_send: PhantomData,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exited_threads_arena_leaves_the_registry_and_its_counters_stay_in_the_totals() {
        let name = "arena-retire-test";
        let before = snapshot_total();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                // Like a pool worker: allocations count only inside an op's tasks.
                crate::instrument::alloc::stop_counting_this_thread();
                crate::instrument::alloc::counting(true, || {
                    with_arena(|s| s.zeroed::<u8>(3)[0]);
                    with_arena(|s| s.zeroed::<u8>(5)[0]);
                });
                assert!(snapshot_per_thread().iter().any(|s| s.thread == name));
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(
            !snapshot_per_thread().iter().any(|s| s.thread == name),
            "the registry kept an exited thread"
        );
        let after = snapshot_total();
        assert!(after.hits + after.misses >= before.hits + before.misses + 2);
        assert!(after.bytes >= before.bytes + 8);
    }
}
