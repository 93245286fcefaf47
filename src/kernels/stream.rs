//! Measures this machine's limits: STREAM-style memory bandwidth (copy, scale, add, triad and a
//! read-only sum) for one thread and for the whole pool, and peak FMA FLOP/s. Benchmarks and
//! notebooks state every memory-bound result as a share of these numbers. The kernels that write
//! use non-temporal stores, as corepy's element-wise ops do for large outputs, so "% of add" holds
//! an op against the same access pattern at its best.

use crate::dispatch::{kernels, need};
use crate::dtype::DType;
use crate::error::Result;
use crate::parallel::{self, SendPtr};
use crate::tensor::Tensor;
use std::ffi::c_void;
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct BandwidthResult {
    pub kernel: &'static str,
    pub threads: usize,
    /// Best of the repeats, in GB/s (1e9 bytes), counting STREAM's bytes (no write-allocate).
    pub gbps: f64,
}

#[derive(Debug, Clone)]
pub struct MachineReport {
    pub array_bytes: usize,
    pub bandwidth: Vec<BandwidthResult>,
    /// (threads, GFLOP/s) for float32 FMA chains.
    pub peak_gflops: Vec<(usize, f64)>,
}

/// Splits `[0, n)` into `threads` near-equal parts and runs `f(start, len)` on each, in the pool.
fn split(n: usize, threads: usize, f: impl Fn(usize, usize) + Sync + Send) {
    let per = n.div_ceil(threads).next_multiple_of(64);
    parallel::on_threads(threads, |t| {
        let start = (t * per).min(n);
        f(start, per.min(n - start));
    });
}

pub fn machine(array_bytes: usize, repeats: usize) -> Result<MachineReport> {
    let table = kernels();
    let n = (array_bytes / 8).max(1024);
    let [a, b, c] = [0; 3].map(|_| Tensor::empty(&[n], DType::F64));
    let (a, b, c) = (a?, b?, c?);
    let (pa, pb, pc) = (
        SendPtr(a.data_mut()?),
        SendPtr(b.data_mut()?),
        SendPtr(c.data_mut()?),
    );
    let copy = need(table.stream_copy, "stream", DType::F64)?;
    let scale = need(table.stream_scale, "stream", DType::F64)?;
    let add = need(table.stream_add, "stream", DType::F64)?;
    let triad = need(table.stream_triad, "stream", DType::F64)?;
    let sum = need(table.sum[DType::F64.code()], "stream", DType::F64)?;
    let all = parallel::num_threads();
    // First touch from every thread maps the pages before anything is timed.
    split(n, all, |s, l| {
        // SAFETY: [s, s+l) lies inside each of the three n-element arrays.
        unsafe {
            for p in [pa, pb, pc] {
                std::ptr::write_bytes(p.get().cast::<f64>().add(s), 0, l);
            }
        }
    });
    let mut bandwidth = Vec::new();
    let mut thread_counts = vec![1];
    if all > 1 {
        thread_counts.push(all);
    }
    let kinds: [(&'static str, usize); 5] = [
        ("copy", 2),
        ("scale", 2),
        ("add", 3),
        ("triad", 3),
        ("read", 1),
    ];
    for &threads in &thread_counts {
        for (kernel, arrays) in kinds {
            let mut best = f64::INFINITY;
            for _ in 0..repeats.max(1) {
                let t0 = Instant::now();
                split(n, threads, |s, l| {
                    // SAFETY: [s, s+l) lies inside each n-element array; tasks are disjoint.
                    unsafe {
                        let (x, y, z) = (
                            pa.get().cast::<f64>().add(s),
                            pb.get().cast::<f64>().add(s),
                            pc.get().cast::<f64>().add(s),
                        );
                        match kernel {
                            "copy" => copy(x, z, 0.0, l),
                            "scale" => scale(x, z, 3.0, l),
                            "add" => add(x, y, z, 0.0, l),
                            "triad" => triad(x, y, z, 3.0, l),
                            _ => {
                                let mut out = 0f64;
                                sum(x as *const c_void, l, &mut out as *mut f64 as *mut c_void);
                                std::hint::black_box(out);
                            }
                        }
                    }
                });
                best = best.min(t0.elapsed().as_secs_f64());
            }
            bandwidth.push(BandwidthResult {
                kernel,
                threads,
                gbps: (arrays * n * 8) as f64 / best / 1e9,
            });
        }
    }
    let fma = need(table.fma_peak, "fma_peak", DType::F32)?;
    let mut peak_gflops = Vec::new();
    for &threads in &thread_counts {
        let iters = 20_000_000 / threads.max(1);
        let mut best = 0f64;
        for _ in 0..repeats.max(1) {
            let t0 = Instant::now();
            // SAFETY: fma_peak touches no memory of ours.
            let flops: f64 = parallel::on_threads(threads, |_| unsafe { fma(iters) })
                .into_iter()
                .sum();
            best = best.max(flops / t0.elapsed().as_secs_f64() / 1e9);
        }
        peak_gflops.push((threads, best));
    }
    Ok(MachineReport {
        array_bytes: n * 8,
        bandwidth,
        peak_gflops,
    })
}

// ---- Cache levels (the lab's cache-aware roofline) ----

/// Bandwidth with a working set of `bytes` (all of a kernel's arrays together), for one thread
/// and for the whole pool: sized to fit a cache level, it measures that level's ceiling for the
/// two patterns the lab holds ops against: "read" (a sum) and "add" (corepy's own element-wise
/// add, with the ordinary stores it uses for in-cache outputs: STREAM's non-temporal stores
/// would bypass the very cache being measured). Each timing runs every thread's share of the set
/// enough times (at least 64 MB of traffic) to outlast the pool's dispatch; the best of
/// `repeats` timings counts.
pub fn level_bandwidth(bytes: usize, repeats: usize) -> Result<Vec<BandwidthResult>> {
    let table = kernels();
    let cap = (bytes / 8).max(3 * 64);
    let [a, b, c] = [0; 3].map(|_| Tensor::empty(&[cap], DType::F64));
    let (a, b, c) = (a?, b?, c?);
    let (pa, pb, pc) = (
        SendPtr(a.data_mut()?),
        SendPtr(b.data_mut()?),
        SendPtr(c.data_mut()?),
    );
    // SAFETY: the three arrays hold `cap` elements each.
    unsafe {
        for p in [pa, pb, pc] {
            std::ptr::write_bytes(p.get().cast::<f64>(), 0, cap);
        }
    }
    let add_op = crate::kernels::elementwise::BinOp::Add.kernel();
    let add = need(
        table.binary[add_op][DType::F64.code()][crate::ffi::VV],
        "add",
        DType::F64,
    )?;
    let sum = need(table.sum[DType::F64.code()], "stream", DType::F64)?;
    let all = parallel::num_threads();
    let mut thread_counts = vec![1];
    if all > 1 {
        thread_counts.push(all);
    }
    let kinds: [(&'static str, usize); 2] = [("add", 3), ("read", 1)];
    let mut out = Vec::new();
    for &threads in &thread_counts {
        for (kernel, arrays) in kinds {
            // Elements per array: the working set split over the kernel's arrays.
            let n = (bytes / (8 * arrays)).clamp(64, cap);
            let passes = ((64usize << 20) / (arrays * n * 8)).max(1);
            let mut best = f64::INFINITY;
            for _ in 0..repeats.max(1) {
                let t0 = Instant::now();
                split(n, threads, |s, l| {
                    for _ in 0..passes {
                        // SAFETY: [s, s+l) lies inside each array (n <= cap); threads' ranges
                        // are disjoint.
                        unsafe {
                            let (x, y, z) = (
                                pa.get().cast::<f64>().add(s),
                                pb.get().cast::<f64>().add(s),
                                pc.get().cast::<f64>().add(s),
                            );
                            match kernel {
                                "add" => add(x as *const c_void, y as *const c_void, z.cast(), l),
                                _ => {
                                    let mut out = 0f64;
                                    sum(x as *const c_void, l, &mut out as *mut f64 as *mut c_void);
                                    std::hint::black_box(out);
                                }
                            }
                        }
                    }
                });
                best = best.min(t0.elapsed().as_secs_f64());
            }
            out.push(BandwidthResult {
                kernel,
                threads,
                gbps: (passes * arrays * n * 8) as f64 / best / 1e9,
            });
        }
    }
    Ok(out)
}
