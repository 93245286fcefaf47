//! The Python side of `crate::interrupt`: the hook re-attaches to the interpreter and runs its
//! signal handlers; the exception a handler raised (KeyboardInterrupt for Ctrl-C) is kept on
//! this thread until the interrupted op returns it (`error.rs`).

use pyo3::prelude::*;
use std::cell::RefCell;

thread_local! {
    static PENDING: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// `crate::interrupt::Hook`: true when a signal handler raised. Python runs handlers only on
/// the main thread, so on other threads this is a cheap no-op apart from the GIL round trip.
pub fn check_signals() -> bool {
    Python::attach(|py| match py.check_signals() {
        Ok(()) => false,
        Err(e) => {
            PENDING.with(|p| *p.borrow_mut() = Some(e));
            true
        }
    })
}

/// The exception that interrupted this thread's last op, if any.
pub fn take_pending() -> Option<PyErr> {
    PENDING.with(|p| p.borrow_mut().take())
}
