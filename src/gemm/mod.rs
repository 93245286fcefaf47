//! Matrix multiplication in the BLIS shape, as a teaching ladder of algorithms.
//!
//! - `params.rs`: MC/KC/NC cache blocking per ISA, each constant with the cache level it targets.
//! - `driver.rs`: the loops: five-loop packed driver, small-matrix and gemv paths, naive and
//!   blocked rungs.
//! - C++ (`cpp/kernels/gemm-inl.h`, one copy per ISA): the naive kernel, packing routines, the
//!   MR x NR register microkernels and gemv, reached through the kernel table's `gemmk` entries.

pub mod driver;
pub mod params;

#[cfg(test)]
mod tests;

use crate::dispatch::Isa;
use crate::error::{CoreError, Result};
use crate::ffi::KernelTable;
pub use driver::GemmArgs;

/// The rungs of the matmul ladder, slowest to fastest. Every rung computes the same product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Plain i-j-p triple loop, scalar, one C++ kernel.
    Naive,
    /// Cache-blocked loops without packing, over the strided i-k-j kernel.
    Blocked,
    /// BLIS loops with packing, but the scalar-reference microkernel.
    Packed,
    /// Packed + the ISA's SIMD microkernel, single-threaded.
    Simd,
    /// Simd + threads + the small-matrix and gemv paths.
    Auto,
}

impl Algorithm {
    pub const ALL: [Algorithm; 5] = [
        Algorithm::Naive,
        Algorithm::Blocked,
        Algorithm::Packed,
        Algorithm::Simd,
        Algorithm::Auto,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Naive => "naive",
            Algorithm::Blocked => "blocked",
            Algorithm::Packed => "packed",
            Algorithm::Simd => "simd",
            Algorithm::Auto => "auto",
        }
    }

    /// Parses "naive" | "blocked" | "packed" | "simd" | "auto".
    pub fn from_name(name: &str) -> Result<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                CoreError::value(format!(
                    "unknown matmul algorithm {name:?}: expected one of \"naive\", \"blocked\", \
                     \"packed\", \"simd\", \"auto\""
                ))
            })
    }
}

impl Algorithm {
    /// The ISA whose kernels the rung runs when `active` is the active one: the naive and packed
    /// rungs always run the scalar reference kernels (the profiler reports this, not `active`).
    pub fn kernel_isa(self, active: Isa) -> Isa {
        match self {
            Algorithm::Naive | Algorithm::Packed => Isa::Scalar,
            _ => active,
        }
    }
}

/// Computes one product with `algo`, using `table`'s kernels (the naive and packed rungs always
/// use the scalar reference table's kernels, by definition of the rung). `dtype`: 0 f32, 1 f64.
///
/// # Safety
/// `x` must describe valid, in-bounds operands (see [`GemmArgs`]) whose element size matches
/// `dtype`, and C must not overlap A or B.
pub unsafe fn run(table: &KernelTable, dtype: usize, algo: Algorithm, x: &GemmArgs) {
    if x.m == 0 || x.n == 0 {
        return;
    }
    let scalar = Isa::Scalar.table();
    // SAFETY (every arm): forwarded contract.
    unsafe {
        match algo {
            Algorithm::Naive => driver::naive(&scalar.gemmk[dtype], x),
            Algorithm::Blocked => driver::blocked(table, dtype, x),
            Algorithm::Packed => {
                driver::packed(&scalar.gemmk[dtype], scalar.vector_bytes, x, false)
            }
            Algorithm::Simd => driver::packed(&table.gemmk[dtype], table.vector_bytes, x, false),
            Algorithm::Auto => auto(table, dtype, x, true),
        }
    }
}

/// The "auto" rung: gemv for vectors, the unpacked path for small products, else the packed
/// driver; threads when the work passes the "matmul" threshold and `parallel` allows.
///
/// # Safety
/// As [`run`].
pub unsafe fn auto(table: &KernelTable, dtype: usize, x: &GemmArgs, parallel: bool) {
    let g = &table.gemmk[dtype];
    let par = parallel
        && crate::parallel::should_parallelize(
            x.m.saturating_mul(x.n).saturating_mul(x.k),
            crate::parallel::threshold(crate::parallel::Family::Matmul),
        );
    // SAFETY (every arm): forwarded contract.
    unsafe {
        if x.k == 0 {
            driver::zero_c(x)
        } else if driver::is_gemv(x) {
            driver::gemv(table, dtype, x, parallel)
        } else if driver::is_small(x) {
            driver::small(g, x, par)
        } else {
            driver::packed(g, table.vector_bytes, x, par)
        }
    }
}
