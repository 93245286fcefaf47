//! Arena vs heap for an op's temporaries: time and allocation count per op for the pattern every
//! reduction uses (a partials buffer per call), at a few sizes.

use corepy::arena::with_arena;
use corepy::instrument::alloc;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

fn via_arena(n: usize) -> u64 {
    with_arena(|s| {
        let buf = s.zeroed::<u64>(n);
        buf[n / 2] = 1;
        black_box(&*buf).iter().sum()
    })
}

fn via_heap(n: usize) -> u64 {
    let mut buf = vec![0u64; n];
    buf[n / 2] = 1;
    black_box(&buf).iter().sum()
}

fn allocations_per_call(f: impl Fn()) -> f64 {
    f();
    let before = alloc::snapshot().count;
    for _ in 0..1000 {
        f();
    }
    (alloc::snapshot().count - before) as f64 / 1000.0
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("temporaries");
    for n in [16usize, 1024, 65536] {
        eprintln!(
            "n={n}: allocations per op: arena {:.2}, heap {:.2}",
            allocations_per_call(|| {
                via_arena(n);
            }),
            allocations_per_call(|| {
                via_heap(n);
            })
        );
        g.bench_with_input(BenchmarkId::new("arena", n), &n, |b, &n| {
            b.iter(|| via_arena(n))
        });
        g.bench_with_input(BenchmarkId::new("heap", n), &n, |b, &n| {
            b.iter(|| via_heap(n))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
