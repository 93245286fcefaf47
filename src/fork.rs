//! Fork safety: `pthread_atfork` handlers that make `fork()` safe whatever corepy's other threads
//! are doing at that moment (as OpenBLAS and PyTorch do for theirs).
//!
//! `fork()` copies the whole address space but only the calling thread. A lock that another
//! thread held at that instant stays held for ever in the child, state that other threads were
//! midway through updating stays half-updated, and the pool's worker threads are gone. So:
//!
//! - **prepare** (in the parent, on the forking thread, before the fork): takes every lock
//!   corepy's code ever holds, in one fixed order, and finishes every lazy initialisation
//!   (`OnceLock`) that another thread may be running. The fork then happens at a moment when no
//!   other thread is inside any of corepy's critical sections.
//! - **parent** (after the fork, in the parent): releases them.
//! - **child** (after the fork, in the child): first forgets what belonged to the threads that
//!   no longer exist (the pool and its worker threads, the pool's current job and its lingering
//!   helpers, other threads' open profiles, an inherited sampler), then releases the locks. The
//!   next parallel op builds a new pool.
//!
//! No lock in this list is ever held by a thread while it waits for the GIL, for a lock taken
//! earlier in the list, or for another thread that could be waiting for one of them; Python
//! calls `fork()` holding the GIL, so `prepare` waits only for short critical sections.
//! Lock order (prepare takes them in this order): the Python layer's (sampler, then pprof's own
//! lock, which its SIGPROF handler only tries; flamegraph rendering; hardware counters), then the
//! pool, the pool's current job, open profiles, arena registry, large-buffer cache.
//!
//! Not covered: a fork made on a thread while that same thread is inside a parallel op (from a
//! Python signal handler that runs during the op's interruption check): the child's copy of
//! the op would wait for pool helpers that do not exist there.

use std::cell::RefCell;
use std::sync::{Once, OnceLock};

/// The locks one part of corepy holds across a fork (taken by its prepare function); dropping
/// it releases them.
pub trait Held {
    /// In the child, before the locks are released: forget the state of threads that do not
    /// exist in this process. Runs in a forked child of a possibly multi-threaded parent: it
    /// must not wait for anything.
    fn in_child(&mut self) {}
}

/// Takes one layer's locks, in its order.
pub type Prepare = fn() -> Vec<Box<dyn Held>>;

/// The Python layer's prepare function (its locks come first in the order).
static OUTER: OnceLock<Prepare> = OnceLock::new();

thread_local! {
    /// The locks taken by `prepare`, on the forking thread, until `parent` or `child`.
    static HELD: RefCell<Vec<Box<dyn Held>>> = const { RefCell::new(Vec::new()) };
}

/// Registers the fork handlers (once per process; later calls do nothing).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers three `extern "C" fn()` handlers that live for the whole process;
        // glibc calls them around every fork() on the forking thread.
        let rc = unsafe { libc::pthread_atfork(Some(prepare), Some(parent), Some(child)) };
        assert_eq!(rc, 0, "pthread_atfork failed");
    });
}

/// Registers the handlers with `outer`'s locks taken before corepy's core ones. Called once, by
/// the Python extension when it loads; a second call is ignored.
pub fn install_with(outer: Prepare) {
    let _ = OUTER.set(outer);
    install();
}

extern "C" fn prepare() {
    let mut held: Vec<Box<dyn Held>> = Vec::new();
    if let Some(outer) = OUTER.get() {
        held.extend(outer());
    }
    held.extend(prepare_core());
    // try_with: a thread that forks while its thread-locals are being torn down gets no
    // protection rather than a panic across the C boundary (the guards are released here).
    let _ = HELD.try_with(|h| *h.borrow_mut() = held);
}

extern "C" fn parent() {
    let held = HELD.try_with(|h| std::mem::take(&mut *h.borrow_mut()));
    // Released in reverse order of taking.
    for g in held.unwrap_or_default().into_iter().rev() {
        drop(g);
    }
}

extern "C" fn child() {
    let held = HELD.try_with(|h| std::mem::take(&mut *h.borrow_mut()));
    let mut held = held.unwrap_or_default();
    for g in held.iter_mut() {
        g.in_child();
    }
    for g in held.into_iter().rev() {
        drop(g);
    }
}

/// corepy core's locks, in order, after finishing its lazy initialisations: a `OnceLock` that
/// another thread was initialising at the fork would block its first use in the child for ever.
fn prepare_core() -> Vec<Box<dyn Held>> {
    crate::arena::arena_size();
    crate::dispatch::cpu_features();
    crate::gemm::params::env_override();
    crate::instrument::epoch();
    vec![
        crate::parallel::fork_prepare(),
        crate::instrument::fork_prepare(),
        crate::arena::fork_prepare(),
        crate::tensor::fork_prepare(),
    ]
}

/// A lock held across the fork with nothing to reset in the child.
impl<T: ?Sized> Held for std::sync::MutexGuard<'static, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Forks (with a lock of every kind held by another thread until just after the fork
    /// request) and runs `f` in the child; the child's exit status 0 means `f` returned true
    /// within 10 s (an alarm kills a hung child).
    fn in_child(f: impl FnOnce() -> bool) -> i32 {
        // SAFETY: fork; the child only runs `f` and `_exit`s, never returning into the test
        // harness.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            // SAFETY: alarm is async-signal-safe; a hung child dies of SIGALRM.
            unsafe { libc::alarm(10) };
            // A panic must not unwind into the test harness's copy in this child.
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(false);
            // SAFETY: ends only this child, without running the harness's exit handlers.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let mut status = 0;
        // SAFETY: waits for the child forked above.
        unsafe { libc::waitpid(pid, &mut status, 0) };
        status
    }

    /// Work in a child that needs every lock of the core: a parallel loop (pool, current job),
    /// a profile (open profiles), a new thread's arena (arena registry) and a large buffer
    /// (large-buffer cache).
    fn use_every_lock() -> bool {
        let n = std::sync::atomic::AtomicUsize::new(0);
        crate::parallel::for_chunks(1 << 18, 1, |_, len| {
            n.fetch_add(len, std::sync::atomic::Ordering::Relaxed);
        });
        let id = crate::instrument::open();
        crate::instrument::close(id);
        let arena = std::thread::spawn(|| crate::arena::with_arena(|s| s.zeroed::<u64>(8)[7]));
        let big = crate::tensor::Tensor::zeros(&[1 << 21], crate::DType::F32);
        drop(big);
        let big = crate::tensor::Tensor::zeros(&[1 << 21], crate::DType::F32);
        n.into_inner() == 1 << 18 && arena.join().ok() == Some(0) && big.is_ok()
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri cannot fork")]
    fn fork_waits_for_a_lock_another_thread_holds_and_the_child_can_take_it() {
        install();
        use_every_lock(); // the pool, a cached buffer and this thread's arena exist
        let takers: [fn() -> Box<dyn Held>; 4] = [
            crate::parallel::fork_prepare,
            crate::instrument::fork_prepare,
            crate::arena::fork_prepare,
            crate::tensor::fork_prepare,
        ];
        for (i, take) in takers.into_iter().enumerate() {
            // Another thread holds the lock for 100 ms from just before the fork; without the
            // handlers the child would inherit it held and hang.
            let (tx, rx) = std::sync::mpsc::channel();
            let holder = std::thread::spawn(move || {
                let held = take();
                tx.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(100));
                drop(held);
            });
            rx.recv().unwrap();
            let status = in_child(use_every_lock);
            holder.join().unwrap();
            assert_eq!(
                status, 0,
                "lock {i}: the child hung or failed (status {status})"
            );
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri cannot fork")]
    fn a_child_runs_parallel_ops_while_the_parent_keeps_the_pool_busy() {
        install();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let busy: Vec<_> = (0..2)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        crate::parallel::for_chunks(1 << 18, 1, |_, _| {});
                        let _ = crate::tensor::Tensor::zeros(&[1 << 21], crate::DType::F32);
                    }
                })
            })
            .collect();
        let mut bad = 0;
        for _ in 0..50 {
            let status = in_child(|| {
                let n = std::sync::atomic::AtomicUsize::new(0);
                crate::parallel::for_chunks(1 << 18, 1, |_, len| {
                    n.fetch_add(len, std::sync::atomic::Ordering::Relaxed);
                });
                let t = crate::tensor::Tensor::zeros(&[1 << 21], crate::DType::F32);
                n.into_inner() == 1 << 18 && t.is_ok()
            });
            bad += (status != 0) as usize;
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in busy {
            t.join().unwrap();
        }
        assert_eq!(bad, 0, "children that hung or failed");
    }
}
