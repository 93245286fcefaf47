//! corepy's core: tensors, dispatch to C++ SIMD kernels, and the policies around them
//! (validation, threading, chunking). Python bindings live in `python/` behind the `python`
//! feature, so the core builds and tests without an interpreter.

pub mod arena;
pub mod dispatch;
pub mod dtype;
pub mod error;
pub mod ffi;
pub mod fork;
pub mod gemm;
pub mod instrument;
pub mod interrupt;
pub mod kernels;
pub mod parallel;
pub mod reference;
pub mod tensor;

#[cfg(feature = "python")]
mod python;

/// Every allocation corepy's Rust code makes is counted (see `instrument::alloc`).
#[global_allocator]
static ALLOCATOR: instrument::alloc::Counting = instrument::alloc::Counting;

pub use dtype::DType;
pub use error::{CoreError, Result};
pub use tensor::Tensor;

#[cfg(test)]
mod tests;
