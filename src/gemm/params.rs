//! Cache-blocking constants per ISA and dtype: the loop each one cuts and the cache it targets.
//!
//! This machine (the tuning target): AMD EPYC (Zen 4), per core 32 KiB L1d, 1 MiB L2; 32 MiB
//! shared L3; one 512-bit FMA pipe per core (as two 256-bit halves).
//! The loops (src/gemm/driver.rs) are BLIS's:
//!
//! ```text
//! jc over n by NC   B panel KC x NC packed once per (jc, pc) and shared by all threads: L3
//!  pc over k by KC  depth of one rank-KC update
//!   ic over m by MC A block MC x KC packed per thread: lives in that core's L2
//!    jr over NC by NR  one B micro-panel KC x NR: stays in L1 while every ir tile uses it
//!     ir over MC by MR one A micro-panel KC x MR streamed from L2 through the microkernel
//! ```
//!
//! `COREPY_GEMM_BLOCKING="mc,kc,nc"` overrides the constants (for tuning experiments; MC is rounded
//! up to a multiple of MR, NC to a multiple of NR).

use std::sync::OnceLock;

/// MC x KC x NC cache blocking of the five-loop driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocking {
    /// Rows of A per packed block (multiple of MR): MC x KC elements sit in L2.
    pub mc: usize,
    /// Depth of one rank-KC update: a KC x NR micro-panel of B must stay in L1.
    pub kc: usize,
    /// Columns of B per packed panel (multiple of NR): KC x NC elements sit in L3.
    pub nc: usize,
}

pub(crate) fn env_override() -> Option<(usize, usize, usize)> {
    static OVERRIDE: OnceLock<Option<(usize, usize, usize)>> = OnceLock::new();
    *OVERRIDE.get_or_init(|| {
        let v = std::env::var("COREPY_GEMM_BLOCKING").ok()?;
        let p: Vec<usize> = v.split(',').filter_map(|s| s.trim().parse().ok()).collect();
        match p[..] {
            [mc, kc, nc] if mc > 0 && kc > 0 && nc > 0 => Some((mc, kc, nc)),
            _ => None,
        }
    })
}

/// Blocking for a microkernel of `mr` x `nr` from a table with `vector_bytes` registers, for
/// elements of `itemsize` bytes.
pub fn blocking(vector_bytes: usize, itemsize: usize, mr: usize, nr: usize) -> Blocking {
    let (mc, kc, nc) = env_override().unwrap_or(match (vector_bytes, itemsize) {
        // AVX-512 f32, 8 x 32 tile. Measured on Zen 4: a deep KC (fewer passes over C) beats
        // keeping the KC x NR B micro-panel in L1: at KC = 512 it is 512 x 32 x 4 = 64 KiB and
        // streams from L2 next to the MC x KC A block (96 x 512 x 4 = 192 KiB); the B panel
        // 512 x 2048 x 4 = 4 MiB sits in L3. (KC = 128..256 measured 5-10 % slower at n >= 1024.)
        (64, 4) => (96, 512, 2048),
        // AVX-512 f64, 8 x 16 tile: same B micro-panel bytes; A block 64 x 512 x 8 = 256 KiB in
        // L2; B panel 512 x 1024 x 8 = 4 MiB in L3.
        (64, _) => (64, 512, 1024),
        // AVX2 f32, 6 x 16 tile: B micro-panel 256 x 16 x 4 = 16 KiB (half of L1).
        (32, 4) => (144, 256, 3072),
        // AVX2 f64, 6 x 8 tile: B micro-panel 256 x 8 x 8 = 16 KiB.
        (32, _) => (96, 256, 1536),
        // Scalar reference 4 x 4: small blocks, the reference is about correctness.
        _ => (64, 128, 512),
    });
    Blocking {
        mc: mc.next_multiple_of(mr),
        kc,
        nc: nc.next_multiple_of(nr),
    }
}

/// Blocks of the "blocked" teaching rung (no packing): a C block of MC x NC and the A and B blocks
/// feeding it (MC x KC, KC x NC) together fit in L2.
pub const BLOCKED: Blocking = Blocking {
    mc: 64,
    kc: 256,
    nc: 256,
};

/// Products whose every dimension is at most this many elements, with `m * n * k` at most
/// [`SMALL_FLOPS`], skip packing: the microkernel reads A and B in place (B rows contiguous).
pub const SMALL_DIM: usize = 256;
pub const SMALL_FLOPS: usize = 160 * 160 * 160;
