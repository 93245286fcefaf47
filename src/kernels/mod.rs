//! Op drivers: validation, shapes, chunking and threading around the C++ kernels.

pub mod elementwise;
pub mod fft;
pub mod index;
pub mod linalg;
#[cfg(feature = "linalg")]
pub mod linalg_ext;
pub mod reduce;
pub mod sort;
pub mod stats;
pub mod stream;
#[cfg(feature = "linalg")]
pub mod tridiag;
