//! GEMM tests: every rung, every ISA table this CPU has, float32 and float64, against a plain f64
//! reference loop over edge-heavy shapes (0, 1, MR±1, NR±1, KC±1, tall-skinny, k = 1), transposed
//! and strided operands, and 1 and 2 threads.

use super::driver::{self, GemmArgs};
use super::params::Blocking;
use super::{run, Algorithm};
use crate::dispatch::{available_isas, Isa};
use crate::dtype::DType;
use crate::error::CoreError;
use crate::ffi::KernelTable;
use crate::kernels::linalg::{matmul, matmul_with};
use crate::parallel;
use crate::tensor::Tensor;

use crate::tests::values;

trait Elem: Copy + Default {
    const DTYPE: usize;
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
    /// Allowed error per unit of sum(|a||b|) per step of k.
    const EPS: f64;
}
impl Elem for f32 {
    const DTYPE: usize = 0;
    fn from_f64(x: f64) -> f32 {
        x as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
    const EPS: f64 = 2.0 * f32::EPSILON as f64;
}
impl Elem for f64 {
    const DTYPE: usize = 1;
    fn from_f64(x: f64) -> f64 {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    const EPS: f64 = 2.0 * f64::EPSILON;
}

/// How an operand is laid out in memory.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layout {
    /// Row-major with a padded row stride (cols + 3).
    Rows,
    /// Column-major (a transposed tensor) with a padded column stride (rows + 2).
    Cols,
    /// Neither stride is 1: every other element of a padded row-major buffer.
    Strided,
}

const LAYOUTS: [Layout; 3] = [Layout::Rows, Layout::Cols, Layout::Strided];

/// A rows x cols operand in a buffer, with its strides and its values (as f64).
struct Operand<T> {
    buf: Vec<T>,
    rs: isize,
    cs: isize,
    vals: Vec<f64>,
}

fn operand<T: Elem>(rows: usize, cols: usize, layout: Layout, seed: u64) -> Operand<T> {
    let (rs, cs, len) = match layout {
        Layout::Rows => (cols + 3, 1, rows * (cols + 3)),
        Layout::Cols => (1, rows + 2, cols * (rows + 2)),
        Layout::Strided => (2 * cols + 1, 2, rows * (2 * cols + 1)),
    };
    let v = values(rows * cols, seed);
    let mut buf = vec![T::from_f64(f64::NAN); len.max(1)]; // padding is NaN: reading it shows
    let mut vals = vec![0.0; rows * cols];
    for i in 0..rows {
        for j in 0..cols {
            let x = T::from_f64(v[i * cols + j]);
            buf[i * rs + j * cs] = x;
            vals[i * cols + j] = x.to_f64();
        }
    }
    Operand {
        buf,
        rs: rs as isize,
        cs: cs as isize,
        vals,
    }
}

/// Runs `f` on a product of the given shape and layouts and checks C against the f64 reference.
fn check_with<T: Elem>(
    what: &str,
    (m, n, k): (usize, usize, usize),
    (la, lb): (Layout, Layout),
    f: impl FnOnce(&GemmArgs),
) {
    let a = operand::<T>(m, k, la, 1 + m as u64);
    let b = operand::<T>(k, n, lb, 2 + n as u64);
    let ldc = n + 1;
    let mut c = vec![T::from_f64(f64::NAN); (m * ldc).max(1)]; // NaN: every element must be written
    let x = GemmArgs {
        m,
        n,
        k,
        a: a.buf.as_ptr() as *const u8,
        a_rs: a.rs,
        a_cs: a.cs,
        b: b.buf.as_ptr() as *const u8,
        b_rs: b.rs,
        b_cs: b.cs,
        c: c.as_mut_ptr() as *mut u8,
        ldc: ldc as isize,
        itemsize: std::mem::size_of::<T>(),
    };
    f(&x);
    for i in 0..m {
        for j in 0..n {
            let (mut want, mut mag) = (0.0, 0.0);
            for p in 0..k {
                let t = a.vals[i * k + p] * b.vals[p * n + j];
                want += t;
                mag += t.abs();
            }
            let got = c[i * ldc + j].to_f64();
            let tol = T::EPS * (k as f64 + 2.0) * mag + 1e-30;
            assert!(
                (got - want).abs() <= tol,
                "{what}: {m}x{n}x{k} {la:?}/{lb:?} C[{i},{j}] = {got}, want {want}"
            );
        }
    }
}

/// Every (A, B) layout pair; under Miri (an interpreter) three pairs that still give each
/// operand every layout.
fn layout_pairs() -> impl Iterator<Item = (Layout, Layout)> {
    let n = LAYOUTS.len();
    (0..n * n)
        .map(move |i| (i / n, i % n))
        .filter(move |&(i, j)| !cfg!(miri) || j == (i + 1) % n)
        .map(|(i, j)| (LAYOUTS[i], LAYOUTS[j]))
}

fn check_run<T: Elem>(t: &KernelTable, algo: Algorithm, mnk: (usize, usize, usize)) {
    for lab in layout_pairs() {
        let what = format!("{}/{}", algo.name(), t_name(t));
        // SAFETY: check_with hands over buffers that hold every addressed element.
        check_with::<T>(&what, mnk, lab, |x| unsafe { run(t, T::DTYPE, algo, x) });
    }
}

fn t_name(t: &KernelTable) -> &'static str {
    Isa::ALL
        .into_iter()
        .find(|i| std::ptr::eq(i.table(), t))
        .map_or("?", |i| i.name())
}

/// Edge-heavy shapes for a table's tile and blocking.
fn shapes(t: &KernelTable, itemsize: usize) -> Vec<(usize, usize, usize)> {
    let g = &t.gemmk[if itemsize == 4 { 0 } else { 1 }];
    let (mr, nr) = (g.mr, g.nr);
    let kc = super::params::blocking(t.vector_bytes, itemsize, mr, nr).kc;
    let mut v = vec![
        (0, 5, 3),
        (5, 0, 3),
        (5, 3, 0),
        (1, 1, 1),
        (1, 1, 9),
        (1, 19, 9),
        (19, 1, 9),
        (mr - 1, nr + 1, 1),
        (mr + 1, nr - 1, 1),
        (mr, nr, 7),
        (mr + 1, nr + 1, kc - 1),
        (mr - 1, nr - 1, kc + 1),
        (2 * mr + 1, 3 * nr - 1, 33),
        (300, 3, 20),  // tall-skinny
        (3, 300, 20),  // short-wide
        (2, 3, 700),   // deep
        (70, 90, 130), // small path with both edges
        // Column edges around NR/2, where the half-width tile takes over.
        (mr, nr + nr / 2, 5),
        (mr + 3, nr + nr / 2 - 1, 9),
        (2 * mr - 1, nr / 2 + 1, 11),
        (mr - 2, nr / 2, 3),
        (3 * mr + 2, 2 * nr + nr / 2 + 1, 40),
    ];
    if cfg!(miri) {
        // An interpreter: keep the edge shapes, drop the large ones (the block-boundary test
        // crosses KC, MC and NC with small blocks instead).
        v.retain(|&(m, n, k)| m * n * k <= 2_000);
    }
    v
}

fn each_table(f: impl Fn(&'static KernelTable)) {
    for isa in available_isas() {
        f(isa.table());
    }
}

#[test]
fn algorithm_names_round_trip() {
    for a in Algorithm::ALL {
        assert_eq!(Algorithm::from_name(a.name()).unwrap(), a);
    }
    assert!(matches!(
        Algorithm::from_name("fastest"),
        Err(CoreError::Value(_))
    ));
}

#[test]
fn naive_and_blocked_rungs_match_reference() {
    each_table(|t| {
        for algo in [Algorithm::Naive, Algorithm::Blocked] {
            for mnk in shapes(t, 4) {
                check_run::<f32>(t, algo, mnk);
            }
            for mnk in shapes(t, 8) {
                check_run::<f64>(t, algo, mnk);
            }
        }
    });
}

#[test]
fn packed_simd_auto_rungs_match_reference() {
    each_table(|t| {
        for algo in [Algorithm::Packed, Algorithm::Simd, Algorithm::Auto] {
            for mnk in shapes(t, 4) {
                check_run::<f32>(t, algo, mnk);
            }
            for mnk in shapes(t, 8) {
                check_run::<f64>(t, algo, mnk);
            }
        }
    });
}

/// Tiny MC/KC/NC so every loop of the packed driver runs several times with partial blocks.
fn check_small_blocks<T: Elem>(t: &KernelTable, parallel: bool) {
    let g = &t.gemmk[T::DTYPE];
    let (mr, nr) = (g.mr, g.nr);
    let blk = Blocking {
        mc: 2 * mr,
        kc: 5,
        nc: 2 * nr,
    };
    for mnk in [
        (5 * mr + 1, 5 * nr + 3, 17),
        (2 * mr, 2 * nr, 10),
        (1, 3 * nr + 1, 6),
        (3 * mr - 1, 1, 11),
        (2 * mr + 1, 2 * nr + nr / 2, 12), // half-width edge tile, accumulating over KC steps
    ] {
        for lab in layout_pairs() {
            let what = format!("packed blocks/{}", t_name(t));
            // SAFETY: check_with hands over buffers that hold every addressed element.
            check_with::<T>(&what, mnk, lab, |x| unsafe {
                driver::packed_with(g, blk, x, parallel)
            });
        }
    }
}

#[test]
fn packed_driver_crosses_every_block_boundary() {
    each_table(|t| {
        check_small_blocks::<f32>(t, false);
        check_small_blocks::<f64>(t, false);
    });
}

/// The thread-count tests live in one function: the thread count is global.
#[test]
fn one_and_two_threads() {
    let before = parallel::num_threads();
    // Miri interprets: products small enough for it, made parallel by zero thresholds, so the
    // pool's threads still share every path (and Miri checks them for data races).
    let shapes: &[(usize, usize, usize)] = if cfg!(miri) {
        parallel::set_threshold("matmul", 0).unwrap();
        &[(9, 14, 5), (70, 1, 4)]
    } else {
        &[
            (300, 270, 40),  // packed, row split
            (20, 600, 300),  // packed, column split
            (130, 120, 100), // small path, parallel row ranges
            (50, 40, 30),    // small path, half-width column edge on the AVX tables
            (72, 72, 40),    // the same, more row tiles than threads
            (1, 5000, 40),   // gemv, m == 1
            (5000, 1, 40),   // gemv, n == 1
        ]
    };
    for threads in [1, 2] {
        parallel::set_num_threads(threads).unwrap();
        each_table(|t| {
            check_small_blocks::<f32>(t, true);
            if !cfg!(miri) {
                check_small_blocks::<f64>(t, true);
            }
            for &mnk in shapes {
                for (la, lb) in [(Layout::Rows, Layout::Rows), (Layout::Cols, Layout::Cols)] {
                    let what = format!("auto/{}/{threads} threads", t_name(t));
                    // SAFETY: check_with hands over buffers that hold every addressed element.
                    check_with::<f32>(&what, mnk, (la, lb), |x| unsafe {
                        run(t, 0, Algorithm::Auto, x)
                    });
                    check_with::<f64>(&what, mnk, (la, lb), |x| unsafe {
                        run(t, 1, Algorithm::Auto, x)
                    });
                }
            }
        });
    }
    parallel::set_num_threads(before).unwrap();
    if cfg!(miri) {
        parallel::reset_thresholds();
    }
}

fn tensor(v: &[f64], shape: &[usize], dtype: DType) -> Tensor {
    let t = Tensor::empty(shape, DType::F64).unwrap();
    // SAFETY: t owns exactly v.len() f64 slots.
    unsafe {
        std::ptr::copy_nonoverlapping(v.as_ptr(), t.data_mut().unwrap() as *mut f64, v.len())
    };
    t.astype(dtype).unwrap()
}

fn to_vec(t: &Tensor) -> Vec<f64> {
    let t = t.astype(DType::F64).unwrap();
    // SAFETY: t is a contiguous f64 tensor of t.size() elements.
    unsafe { std::slice::from_raw_parts(t.data() as *const f64, t.size()).to_vec() }
}

#[test]
fn matmul_with_trans_flags_every_rung() {
    // Under Miri (an interpreter) a product that still has edge tiles on the 4x4 scalar table.
    let (m, n, k) = if cfg!(miri) { (9, 11, 5) } else { (37, 45, 29) };
    for dtype in [DType::F32, DType::F64] {
        let av = values(m * k, 7);
        let bv = values(k * n, 8);
        let want = to_vec(
            &matmul_with(
                &tensor(&av, &[m, k], DType::F64).view(),
                false,
                &tensor(&bv, &[k, n], DType::F64).view(),
                false,
                Algorithm::Naive,
            )
            .unwrap(),
        );
        // Stored transposes: at is (k, m) with at[p][i] = a[i][p].
        let mut at = vec![0.0; m * k];
        let mut bt = vec![0.0; k * n];
        for i in 0..m {
            for p in 0..k {
                at[p * m + i] = av[i * k + p];
            }
        }
        for p in 0..k {
            for j in 0..n {
                bt[j * k + p] = bv[p * n + j];
            }
        }
        for algo in Algorithm::ALL {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = if ta {
                    tensor(&at, &[k, m], dtype)
                } else {
                    tensor(&av, &[m, k], dtype)
                };
                let b = if tb {
                    tensor(&bt, &[n, k], dtype)
                } else {
                    tensor(&bv, &[k, n], dtype)
                };
                let c = matmul_with(&a.view(), ta, &b.view(), tb, algo).unwrap();
                assert_eq!(c.shape(), &[m, n]);
                let tol = if dtype == DType::F32 { 1e-4 } else { 1e-12 };
                for (g, w) in to_vec(&c).iter().zip(&want) {
                    assert!((g - w).abs() <= tol, "{algo:?} {ta} {tb}: {g} vs {w}");
                }
            }
        }
    }
    // Transposed operands must be 2-D.
    let v = tensor(&values(6, 1), &[6], DType::F32);
    assert!(matches!(
        matmul_with(&v.view(), true, &v.view(), false, Algorithm::Auto),
        Err(CoreError::Value(_))
    ));
    let mismatch = tensor(&values(6, 1), &[2, 3], DType::F32);
    assert!(matches!(
        matmul_with(
            &mismatch.view(),
            false,
            &mismatch.view(),
            false,
            Algorithm::Auto
        ),
        Err(CoreError::Value(_))
    ));
    assert_eq!(
        matmul_with(
            &mismatch.view(),
            true,
            &mismatch.view(),
            false,
            Algorithm::Auto
        )
        .unwrap()
        .shape(),
        &[3, 3]
    );
}

#[test]
fn batched_matmul_broadcasts_through_the_driver() {
    // (2, 1, m, k) @ (3, k, n) -> (2, 3, m, n), with enough products to run them across tasks.
    let (m, n, k) = (9, 11, 13);
    for dtype in [DType::F32, DType::F64] {
        let av = values(2 * m * k, 3);
        let bv = values(3 * k * n, 4);
        let c = matmul(
            &tensor(&av, &[2, 1, m, k], dtype).view(),
            &tensor(&bv, &[3, k, n], dtype).view(),
        )
        .unwrap();
        assert_eq!(c.shape(), &[2, 3, m, n]);
        let c = to_vec(&c);
        for x in 0..2 {
            for y in 0..3 {
                for i in 0..m {
                    for j in 0..n {
                        let want: f64 = (0..k)
                            .map(|p| av[x * m * k + i * k + p] * bv[y * k * n + p * n + j])
                            .sum();
                        let got = c[((x * 3 + y) * m + i) * n + j];
                        assert!((got - want).abs() < 1e-4, "batch ({x},{y}) [{i},{j}]");
                    }
                }
            }
        }
    }
}
