//! Quick GFLOP/s table for square matmul: `cargo run --release --example gemm_gflops -- [f32|f64] [algo] n...`
//! (COREPY_ISA and COREPY_NUM_THREADS pick the table and threads).

use corepy::kernels::elementwise::{binary, BinOp};
use corepy::kernels::linalg::{matmul_with, Algorithm};
use corepy::{DType, Tensor};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dtype = if args.first().map(|s| s.as_str()) == Some("f64") {
        DType::F64
    } else {
        DType::F32
    };
    let algo = Algorithm::from_name(args.get(1).map_or("auto", |s| s.as_str())).unwrap();
    let sizes: Vec<usize> = args.iter().skip(2).filter_map(|s| s.parse().ok()).collect();
    for n in sizes {
        let half = Tensor::from_f64(0.5).astype(dtype).unwrap();
        let a = binary(
            BinOp::Add,
            &Tensor::zeros(&[n, n], dtype).unwrap().view(),
            &half.view(),
            None,
        )
        .unwrap();
        let flops = 2.0 * (n * n * n) as f64;
        let reps = ((2e9 / flops) as usize).clamp(3, 2000);
        let mut times = Vec::new();
        for _ in 0..7 {
            let t = Instant::now();
            for _ in 0..reps {
                std::hint::black_box(
                    matmul_with(&a.view(), false, &a.view(), false, algo).unwrap(),
                );
            }
            times.push(t.elapsed().as_secs_f64() / reps as f64);
        }
        times.sort_by(|x, y| x.partial_cmp(y).unwrap());
        println!(
            "n={n:5} {:>7} median {:7.1} best {:7.1} GFLOP/s",
            algo.name(),
            flops / times[3] / 1e9,
            flops / times[0] / 1e9
        );
    }
}
