//! The one mapping from core errors to Python exceptions.

use crate::error::CoreError;
use pyo3::exceptions::{
    PyIndexError, PyKeyboardInterrupt, PyMemoryError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use pyo3::PyErr;

/// `corepy.AxisError`: an axis out of range, both a ValueError and an IndexError (as NumPy's).
pub fn axis_error(py: Python<'_>) -> &Bound<'_, PyType> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    T.get_or_init(py, || {
        let builtins = py.import("builtins").expect("builtins");
        let ty = builtins.getattr("type").expect("type");
        let bases = (py.get_type::<PyValueError>(), py.get_type::<PyIndexError>());
        let ns = pyo3::types::PyDict::new(py);
        ns.set_item("__module__", "corepy").expect("dict");
        ty.call1(("AxisError", bases, ns))
            .expect("a new exception class")
            .cast_into::<PyType>()
            .expect("a type")
            .unbind()
    })
    .bind(py)
}

/// `corepy.linalg.LinAlgError`: a singular or not positive-definite matrix (a ValueError, as
/// NumPy's).
pub fn linalg_error(py: Python<'_>) -> &Bound<'_, PyType> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    T.get_or_init(py, || {
        let builtins = py.import("builtins").expect("builtins");
        let ty = builtins.getattr("type").expect("type");
        let bases = (py.get_type::<PyValueError>(),);
        let ns = pyo3::types::PyDict::new(py);
        ns.set_item("__module__", "corepy.linalg").expect("dict");
        ty.call1(("LinAlgError", bases, ns))
            .expect("a new exception class")
            .cast_into::<PyType>()
            .expect("a type")
            .unbind()
    })
    .bind(py)
}

impl From<CoreError> for PyErr {
    fn from(e: CoreError) -> PyErr {
        match e {
            CoreError::Type(m) => PyTypeError::new_err(m),
            CoreError::Value(m) => PyValueError::new_err(m),
            CoreError::Index(m) => PyIndexError::new_err(m),
            CoreError::Axis(m) => Python::attach(|py| PyErr::from_type(axis_error(py).clone(), m)),
            CoreError::Memory(m) => PyMemoryError::new_err(m),
            CoreError::LinAlg(m) => {
                Python::attach(|py| PyErr::from_type(linalg_error(py).clone(), m))
            }
            CoreError::Interrupted => super::interrupt::take_pending()
                .unwrap_or_else(|| PyKeyboardInterrupt::new_err("interrupted")),
        }
    }
}
