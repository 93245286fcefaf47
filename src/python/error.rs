//! The one mapping from core errors to Python exceptions.

use crate::error::CoreError;
use pyo3::exceptions::{PyKeyboardInterrupt, PyMemoryError, PyTypeError, PyValueError};
use pyo3::PyErr;

impl From<CoreError> for PyErr {
    fn from(e: CoreError) -> PyErr {
        match e {
            CoreError::Type(m) => PyTypeError::new_err(m),
            CoreError::Value(m) => PyValueError::new_err(m),
            CoreError::Memory(m) => PyMemoryError::new_err(m),
            CoreError::Interrupted => super::interrupt::take_pending()
                .unwrap_or_else(|| PyKeyboardInterrupt::new_err("interrupted")),
        }
    }
}
