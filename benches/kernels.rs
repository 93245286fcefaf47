//! Kernel benchmarks per ISA through the core API (no Python): sum, add, dot, matmul.

use corepy::dispatch::{available_isas, set_isa};
use corepy::kernels::elementwise::{binary, BinOp};
use corepy::kernels::linalg::{dot, matmul};
use corepy::kernels::reduce::{reduce_all, Reduction};
use corepy::{DType, Tensor};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

fn filled(n: usize, dtype: DType) -> Tensor {
    let half = Tensor::from_f64(0.5).astype(dtype).unwrap();
    binary(
        BinOp::Add,
        &Tensor::zeros(&[n], dtype).unwrap().view(),
        &half.view(),
        None,
    )
    .unwrap()
}

fn bench_isas(c: &mut Criterion) {
    for isa in available_isas() {
        set_isa(isa.name()).unwrap();
        let mut g = c.benchmark_group(format!("f32/{}", isa.name()));
        for n in [1_000usize, 100_000, 1_000_000] {
            let x = filled(n, DType::F32);
            let y = filled(n, DType::F32);
            let out = Tensor::empty(&[n], DType::F32).unwrap();
            g.throughput(Throughput::Bytes((n * 4) as u64));
            g.bench_with_input(BenchmarkId::new("sum", n), &n, |b, _| {
                b.iter(|| black_box(reduce_all(Reduction::Sum, &x.view()).unwrap()))
            });
            g.bench_with_input(BenchmarkId::new("add_out", n), &n, |b, _| {
                b.iter(|| black_box(binary(BinOp::Add, &x.view(), &y.view(), Some(&out)).unwrap()))
            });
            g.bench_with_input(BenchmarkId::new("dot", n), &n, |b, _| {
                b.iter(|| black_box(dot(&x.view(), &y.view()).unwrap()))
            });
        }
        for n in [64usize, 256] {
            let a = filled(n * n, DType::F32)
                .reshape(&[n as i64, n as i64])
                .unwrap();
            g.throughput(Throughput::Elements((2 * n * n * n) as u64));
            g.bench_with_input(BenchmarkId::new("matmul", n), &n, |b, _| {
                b.iter(|| black_box(matmul(&a.view(), &a.view()).unwrap()))
            });
        }
        g.finish();
    }
    set_isa("auto").unwrap();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = bench_isas
}
criterion_main!(benches);
