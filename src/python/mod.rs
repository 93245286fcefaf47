//! The PyO3 layer: the `corepy._core` extension module. Nothing outside this folder knows Python.

mod buffer;
mod convert;
mod creation;
mod error;
mod fft;
mod index;
mod interrupt;
mod linalg;
mod ops;
mod profiling;
mod reductions;
mod sampler;
mod sorting;
mod tensor;

use pyo3::prelude::*;

/// The Python layer's locks for `crate::fork`, in order: sampler (with pprof's) and flamegraph
/// rendering, then the hardware-counter session (held while it starts counters on the pool).
fn fork_prepare() -> Vec<Box<dyn crate::fork::Held>> {
    let mut held = sampler::fork_prepare();
    held.push(profiling::fork_prepare());
    held
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // A kernel library named by COREPY_KERNELS_SO that cannot be used fails the import, not a
    // later op.
    if let Err(e) = crate::dispatch::kernel_library() {
        return Err(pyo3::exceptions::PyImportError::new_err(e.to_string()));
    }
    crate::fork::install_with(fork_prepare);
    crate::interrupt::set_hook(Some(interrupt::check_signals));
    m.add_class::<tensor::PyTensor>()?;
    tensor::make_untracked(m.py());
    m.add_function(wrap_pyfunction!(tensor::_set_dtype_objects, m)?)?;
    ops::register(m)?;
    reductions::register(m)?;
    creation::register(m)?;
    profiling::register(m)?;
    sorting::register(m)?;
    fft::register(m)?;
    linalg::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("AxisError", error::axis_error(m.py()))?;
    Ok(())
}
