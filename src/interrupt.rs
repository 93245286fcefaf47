//! Cooperative interruption of long kernels (Ctrl-C during a 10-second matmul).
//!
//! The core knows nothing of Python: drivers call [`check`] between slabs/chunks on the thread
//! that called the op (never inside rayon tasks), and it returns `Err(CoreError::Interrupted)`
//! when the host asks to stop. The host installs a [`Hook`] once (the Python layer's hook
//! re-attaches to the interpreter and runs `PyErr_CheckSignals`, keeping the exception it got).
//!
//! Cost: `check` does nothing unless the calling thread is inside [`armed`], and even then it
//! calls the hook at most once per [`INTERVAL`]; between hook calls it is one clock read.
//! So small ops never pay, and a long op pays one brief GIL re-acquire per interval.
//!
//! An interrupted op may leave its output (including an `out=` tensor) partially written.

use crate::error::{CoreError, Result};
use std::cell::Cell;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::time::{Duration, Instant};

/// Returns true when the running op should stop.
pub type Hook = fn() -> bool;

/// Longest time between two hook calls on an armed thread.
pub const INTERVAL: Duration = Duration::from_millis(20);

static HOOK: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());

thread_local! {
    /// While armed: when the hook is next due. None: not armed (check is a no-op).
    static NEXT: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Installs (or with None removes) the process-wide hook.
pub fn set_hook(hook: Option<Hook>) {
    let p = hook.map_or(std::ptr::null_mut(), |h| h as *mut ());
    HOOK.store(p, Ordering::Release);
}

fn hook() -> Option<Hook> {
    let p = HOOK.load(Ordering::Acquire);
    if p.is_null() {
        None
    } else {
        // SAFETY: the only non-null values stored are `Hook` function pointers (set_hook).
        Some(unsafe { std::mem::transmute::<*mut (), Hook>(p) })
    }
}

/// Runs `f` with interruption checks enabled on this thread (the first hook call is due one
/// INTERVAL from now). Nested calls keep the outer deadline.
pub fn armed<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            NEXT.with(|n| n.set(self.0));
        }
    }
    let prev = NEXT.with(|n| {
        let prev = n.get();
        if prev.is_none() {
            n.set(Some(Instant::now() + INTERVAL));
        }
        prev
    });
    let _restore = Restore(prev);
    f()
}

/// Between two slabs of work: Err(Interrupted) if the host asked to stop.
pub fn check() -> Result<()> {
    let due = NEXT.with(|n| match n.get() {
        Some(next) => {
            let now = Instant::now();
            if now >= next {
                n.set(Some(now + INTERVAL));
                true
            } else {
                false
            }
        }
        None => false,
    });
    if due && hook().is_some_and(|h| h()) {
        return Err(CoreError::Interrupted);
    }
    Ok(())
}

thread_local! {
    /// Set when a loop that cannot return an error saw a stop request (see `should_stop`).
    static STOPPED: Cell<bool> = const { Cell::new(false) };
}

/// For loops that cannot return an error (the gemm driver's block loops): true once the host
/// asked to stop; the loop breaks out, and the op reports it with [`take_stop`].
pub fn should_stop() -> bool {
    if STOPPED.with(Cell::get) {
        return true;
    }
    let stop = check().is_err();
    if stop {
        STOPPED.with(|s| s.set(true));
    }
    stop
}

/// Err(Interrupted) if a loop on this thread stopped early since the last call (and clears it).
pub fn take_stop() -> Result<()> {
    if STOPPED.with(|s| s.replace(false)) {
        Err(CoreError::Interrupted)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    static CALLS: AtomicUsize = AtomicUsize::new(0);
    fn stop_after_two() -> bool {
        CALLS.fetch_add(1, SeqCst) >= 1
    }

    #[test]
    fn check_is_inert_unless_armed_and_due() {
        set_hook(Some(stop_after_two));
        assert!(check().is_ok(), "not armed: the hook is never called");
        assert_eq!(CALLS.load(SeqCst), 0);
        let r = armed(|| {
            assert!(check().is_ok(), "not due yet");
            assert_eq!(CALLS.load(SeqCst), 0);
            loop {
                std::thread::sleep(INTERVAL);
                if let Err(e) = check() {
                    return e;
                }
            }
        });
        assert_eq!(r, CoreError::Interrupted);
        assert_eq!(CALLS.load(SeqCst), 2);
        set_hook(None);
        assert!(check().is_ok());
    }
}
