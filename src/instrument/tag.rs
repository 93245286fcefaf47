//! What each thread is doing, for the sampler: the op call it runs or serves (a pool worker
//! running a task takes the tag of the call that shared it). The SIGPROF handler reads the
//! sampled thread's tag (`read_in_signal`), so the flamegraph can hang the sample under that
//! call's Python stack.
//!
//! A fixed table keyed by `pthread_self()`, not a thread-local: the handler may not touch a
//! thread-local of a `dlopen`ed library (its first access on a thread may allocate), and it may
//! interrupt any thread of the process. Writers only ever write their own slot.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

const SLOTS: usize = 256;

/// `pthread_self()` of each slot's owner (0: free).
static OWNER: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];
static TAG: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];
/// Slots ever claimed: the handler scans only these.
static USED: AtomicUsize = AtomicUsize::new(0);

fn me() -> u64 {
    // SAFETY: pthread_self takes no arguments and cannot fail.
    unsafe { libc::pthread_self() as u64 }
}

/// This thread's slot, released when the thread exits.
struct Slot(usize);

impl Slot {
    fn claim() -> Slot {
        let me = me();
        for i in 0..SLOTS {
            if OWNER[i].compare_exchange(0, me, Relaxed, Relaxed).is_ok() {
                TAG[i].store(0, Relaxed);
                USED.fetch_max(i + 1, Relaxed);
                return Slot(i);
            }
        }
        Slot(usize::MAX) // table full: this thread's samples go untagged
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if self.0 < SLOTS {
            TAG[self.0].store(0, Relaxed);
            OWNER[self.0].store(0, Relaxed);
        }
    }
}

thread_local! {
    static SLOT: Slot = Slot::claim();
    /// This thread's tag, mirrored here so that reading it takes no table lookup.
    static CURRENT: Cell<u64> = const { Cell::new(0) };
}

/// Sets this thread's tag; returns the previous one (to restore when the call ends).
pub fn swap(tag: u64) -> u64 {
    let prev = CURRENT.try_with(|c| c.replace(tag)).unwrap_or(0);
    let _ = SLOT.try_with(|s| {
        if s.0 < SLOTS {
            TAG[s.0].store(tag, Relaxed);
        }
    });
    prev
}

/// This thread's tag (0: none).
pub fn current() -> u64 {
    CURRENT.try_with(Cell::get).unwrap_or(0)
}

/// The calling thread's tag, for a signal handler: no locks, no allocation, no thread-locals.
pub fn read_in_signal() -> u64 {
    let me = me();
    let used = USED.load(Relaxed).min(SLOTS);
    for i in 0..used {
        if OWNER[i].load(Relaxed) == me {
            return TAG[i].load(Relaxed);
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_thread_reads_its_own_tag() {
        assert_eq!(swap(7), 0);
        assert_eq!(read_in_signal(), 7);
        let other = std::thread::spawn(|| {
            let before = read_in_signal();
            swap(9);
            (before, read_in_signal(), current())
        })
        .join()
        .unwrap();
        assert_eq!(other, (0, 9, 9));
        assert_eq!(read_in_signal(), 7, "the other thread's tag is its own");
        assert_eq!(swap(0), 7);
        assert_eq!(read_in_signal(), 0);
    }
}
