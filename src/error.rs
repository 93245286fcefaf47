//! The one core error type. It carries no PyO3: `python/error.rs` maps each kind to the matching
//! Python exception in one place.

use std::fmt;

/// What went wrong, by the Python exception it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreError {
    /// Wrong type or dtype (TypeError).
    Type(String),
    /// Wrong shape or value (ValueError).
    Value(String),
    /// An index out of bounds (IndexError).
    Index(String),
    /// An axis argument out of range (NumPy's AxisError: both a ValueError and an IndexError).
    Axis(String),
    /// An allocation the machine cannot satisfy (MemoryError).
    Memory(String),
    /// A singular or not positive-definite matrix, or a decomposition that did not converge
    /// (`corepy.linalg.LinAlgError`, a ValueError).
    LinAlg(String),
    /// The host asked a running op to stop (`crate::interrupt`); in Python, the exception the
    /// signal handler raised (KeyboardInterrupt for Ctrl-C).
    Interrupted,
}

pub type Result<T> = std::result::Result<T, CoreError>;

impl CoreError {
    pub fn type_err(msg: impl Into<String>) -> Self {
        CoreError::Type(msg.into())
    }
    pub fn value(msg: impl Into<String>) -> Self {
        CoreError::Value(msg.into())
    }
}

impl fmt::Display for CoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoreError::Type(m)
            | CoreError::Value(m)
            | CoreError::Index(m)
            | CoreError::Axis(m)
            | CoreError::Memory(m)
            | CoreError::LinAlg(m) => f.write_str(m),
            CoreError::Interrupted => f.write_str("interrupted"),
        }
    }
}

impl std::error::Error for CoreError {}

/// Formats a shape the way Python prints a tuple: `(3,)`, `(2, 4)`, `()`.
pub fn shape_str(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_string(),
        [n] => format!("({n},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
            format!("({})", parts.join(", "))
        }
    }
}
