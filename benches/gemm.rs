//! Matmul benchmarks through the core API (no Python): square float32 products with the "auto"
//! rung over n = 64..1024, float64 at 1000, and every rung of the ladder at n = 256.
//! Throughput is in FLOP (2 n^3 per product).

use corepy::kernels::elementwise::{binary, BinOp};
use corepy::kernels::linalg::{matmul_with, Algorithm};
use corepy::{DType, Tensor};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

fn filled(n: usize, dtype: DType) -> Tensor {
    let half = Tensor::from_f64(0.5).astype(dtype).unwrap();
    binary(
        BinOp::Add,
        &Tensor::zeros(&[n, n], dtype).unwrap().view(),
        &half.view(),
        None,
    )
    .unwrap()
}

fn bench_gemm(c: &mut Criterion) {
    let mut g = c.benchmark_group("matmul_f32");
    for n in [64usize, 128, 256, 512, 1024] {
        let a = filled(n, DType::F32);
        g.throughput(Throughput::Elements((2 * n * n * n) as u64));
        g.bench_with_input(BenchmarkId::new("auto", n), &n, |b, _| {
            b.iter(|| {
                black_box(matmul_with(&a.view(), false, &a.view(), false, Algorithm::Auto).unwrap())
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("matmul_f64");
    let n = 1000;
    let a = filled(n, DType::F64);
    g.throughput(Throughput::Elements((2 * n * n * n) as u64));
    g.bench_with_input(BenchmarkId::new("auto", n), &n, |b, _| {
        b.iter(|| {
            black_box(matmul_with(&a.view(), false, &a.view(), false, Algorithm::Auto).unwrap())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("matmul_f32_ladder");
    let n = 256;
    let a = filled(n, DType::F32);
    g.throughput(Throughput::Elements((2 * n * n * n) as u64));
    for algo in Algorithm::ALL {
        g.bench_with_input(BenchmarkId::new(algo.name(), n), &n, |b, _| {
            b.iter(|| black_box(matmul_with(&a.view(), false, &a.view(), false, algo).unwrap()))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = bench_gemm
}
criterion_main!(benches);
