//! The Rust reference table against the C++ scalar table, entry by entry and bit for bit, over
//! edge sizes and edge values (NaN, infinities, signed zeros, subnormals, integer extremes and the
//! float values at every integer type's bounds, bool bytes other than 0 and 1, complex values
//! with special parts, odd strides).

#![allow(clippy::needless_range_loop)] // d indexes both tables and the dtype list

use super::TABLE as RUST;
use crate::dtype::DType;
use crate::ffi::{self, KernelTable, NDTYPES};
use crate::tests::{edge_data, finite_data};
use std::ffi::c_void;

fn cpp() -> &'static KernelTable {
    // SAFETY: the getter returns a pointer to an immutable static table.
    unsafe { &*ffi::corepy_kernels_scalar() }
}

const SIZES: [usize; 9] = [0, 1, 7, 8, 127, 128, 129, 1000, 4099];

fn itemsize(d: usize) -> usize {
    DType::ALL[d].itemsize()
}

fn data(d: usize, n: usize, seed: u64) -> Vec<u64> {
    edge_data(DType::ALL[d], n, seed)
}

fn finite(d: usize, n: usize, seed: u64) -> Vec<u64> {
    finite_data(DType::ALL[d], n, seed)
}

/// A float32/float64 sum's bits with every NaN made one pattern; other dtypes' bits unchanged.
fn nan_canonical(d: usize, bits: u64) -> u64 {
    match DType::ALL[d] {
        DType::F32 if f32::from_bits(bits as u32).is_nan() => u64::MAX,
        DType::F64 if f64::from_bits(bits).is_nan() => u64::MAX,
        _ => bits,
    }
}

fn bytes(buf: &[u64], nbytes: usize) -> Vec<u8> {
    // SAFETY: buf holds at least nbytes bytes.
    unsafe { std::slice::from_raw_parts(buf.as_ptr() as *const u8, nbytes).to_vec() }
}

/// Both tables have an entry or neither does; runs `f` on each and compares what it returns.
fn same<F: Copy, R: PartialEq + std::fmt::Debug>(
    what: &str,
    pick: impl Fn(&'static KernelTable) -> Option<F>,
    f: impl Fn(F) -> R,
) {
    match (pick(rust()), pick(cpp())) {
        (Some(r), Some(c)) => assert_eq!(f(r), f(c), "{what}: Rust and C++ scalar tables differ"),
        (None, None) => {}
        _ => panic!("{what}: present in one table only"),
    }
}

fn rust() -> &'static KernelTable {
    &RUST
}

#[test]
fn the_tables_have_the_entries_the_header_promises() {
    for t in [rust(), cpp()] {
        for (d, dtype) in DType::ALL.into_iter().enumerate() {
            // The reference covers the binary ops up to GE (see reference.rs).
            for op in 0..ffi::MAX {
                let want = match op {
                    ffi::ADD | ffi::SUB | ffi::MUL => dtype != DType::Bool,
                    ffi::DIV => dtype.is_inexact(),
                    ffi::EQ | ffi::NE => true,
                    _ => !dtype.is_complex(),
                };
                for mode in 0..ffi::NMODES {
                    assert_eq!(t.binary[op][d][mode].is_some(), want, "op {op} {dtype:?}");
                    assert_eq!(
                        t.binary_nt[op][d][mode].is_some(),
                        want,
                        "nt {op} {dtype:?}"
                    );
                }
            }
            assert_eq!(t.sum[d].is_some(), !dtype.is_complex(), "sum {dtype:?}");
            for e in [t.all[d], t.any[d]] {
                assert!(e.is_some());
            }
            for e in [t.all_acc[d], t.any_acc[d]] {
                assert!(e.is_some());
            }
            assert!(t.gather[d].is_some());
            assert!(t.cast[d].iter().all(Option::is_some));
        }
    }
}

#[test]
fn elementwise_reductions_and_casts_match_the_cpp_scalar_table() {
    assert_eq!(RUST.vector_bytes, cpp().vector_bytes);
    for n in SIZES {
        for d in 0..NDTYPES {
            let (a, b) = (data(d, n, 1), data(d, n, 2));
            for op in 0..ffi::MAX {
                // Comparisons write one byte per element.
                let nb = n * if op >= ffi::EQ { 1 } else { itemsize(d) };
                for mode in 0..ffi::NMODES {
                    for nt in [false, true] {
                        let what = format!("binary op {op} dtype {d} mode {mode} nt {nt} n {n}");
                        same(
                            &what,
                            |t| {
                                if nt {
                                    t.binary_nt[op][d][mode]
                                } else {
                                    t.binary[op][d][mode]
                                }
                            },
                            |f| {
                                let mut out = vec![0u64; a.len()];
                                // SAFETY: a, b and out hold n elements of dtype d.
                                unsafe {
                                    f(
                                        a.as_ptr() as *const c_void,
                                        b.as_ptr() as *const c_void,
                                        out.as_mut_ptr() as *mut c_void,
                                        n,
                                    )
                                };
                                bytes(&out, nb)
                            },
                        );
                    }
                }
            }
            // Finite values too: one NaN would make every float sum agree trivially. A sum of
            // edge values meets NaNs of both signs (inf + -inf gives x86's default -NaN), and
            // which one an add of two NaNs returns is the operand order the compiler chose:
            // there any NaN matches any NaN (`nan_canonical`).
            for x in [&a, &finite(d, n, 10)] {
                same(
                    &format!("sum dtype {d} n {n}"),
                    |t| t.sum[d],
                    |f| {
                        let mut out = [0u64; 1];
                        // SAFETY: n elements at x; out holds 8 bytes.
                        unsafe {
                            f(
                                x.as_ptr() as *const c_void,
                                n,
                                out.as_mut_ptr() as *mut c_void,
                            )
                        };
                        nan_canonical(d, out[0])
                    },
                );
            }
            for (name, pick) in [("all", 0), ("any", 1)] {
                // Edge inputs too: all truthy (bytes made non-zero) and all falsy.
                for variant in 0..3 {
                    let mut x = a.clone();
                    if variant > 0 {
                        let fill = if variant == 1 {
                            0u64
                        } else {
                            0x0101_0101_0101_0101
                        };
                        x.iter_mut().for_each(|w| *w = fill);
                    }
                    let what = format!("{name} dtype {d} n {n} variant {variant}");
                    same(
                        &what,
                        |t| if pick == 0 { t.all[d] } else { t.any[d] },
                        |f| {
                            // SAFETY: n elements at x.
                            unsafe { f(x.as_ptr() as *const c_void, n) }
                        },
                    );
                    let acc0: Vec<u8> = (0..n).map(|i| (i % 3 == 0) as u8).collect();
                    let what = format!("{name}_acc dtype {d} n {n} variant {variant}");
                    same(
                        &what,
                        |t| {
                            if pick == 0 {
                                t.all_acc[d]
                            } else {
                                t.any_acc[d]
                            }
                        },
                        |f| {
                            let mut acc = acc0.clone();
                            // SAFETY: n elements at x, n bytes at acc.
                            unsafe { f(x.as_ptr() as *const c_void, n, acc.as_mut_ptr()) };
                            acc
                        },
                    );
                }
            }
            for to in 0..NDTYPES {
                same(
                    &format!("cast {d} -> {to} n {n}"),
                    |t| t.cast[d][to],
                    |f| {
                        let mut out = vec![0u64; (n * itemsize(to)).div_ceil(8) + 1];
                        // SAFETY: n elements of d at a, room for n of `to` at out.
                        unsafe {
                            f(
                                a.as_ptr() as *const c_void,
                                out.as_mut_ptr() as *mut c_void,
                                n,
                            )
                        };
                        bytes(&out, n * itemsize(to))
                    },
                );
            }
            for stride in [1isize, 3, -2, 0] {
                let sz = itemsize(d) as isize;
                let len = n / 3; // every stride stays inside the n elements of a
                let start = if stride < 0 { len as isize * 2 } else { 0 };
                same(
                    &format!("gather dtype {d} stride {stride} n {len}"),
                    |t| t.gather[d],
                    |f| {
                        let mut out = vec![0u64; a.len()];
                        // SAFETY: element start + i * stride lies in [0, n) for i < len.
                        unsafe {
                            let src = (a.as_ptr() as *const u8).offset(start * sz);
                            f(
                                src as *const c_void,
                                stride * sz,
                                out.as_mut_ptr() as *mut c_void,
                                len,
                            )
                        };
                        bytes(&out, len * itemsize(d))
                    },
                );
            }
        }
        for d in 0..2 {
            let (a, b) = (finite(d, n, 3), finite(d, n, 4));
            same(
                &format!("dot dtype {d} n {n}"),
                |t| t.dot[d],
                |f| {
                    let mut out = [0u64; 1];
                    // SAFETY: n elements at a and b; out holds 8 bytes.
                    unsafe {
                        f(
                            a.as_ptr() as *const c_void,
                            b.as_ptr() as *const c_void,
                            n,
                            out.as_mut_ptr() as *mut c_void,
                        )
                    };
                    out[0]
                },
            );
        }
        let (a, b) = (data(1, n, 5), data(1, n, 6));
        let (pa, pb) = (a.as_ptr() as *const f64, b.as_ptr() as *const f64);
        for k in 0..4 {
            same(&format!("stream kernel {k} n {n}"), Some, |t| {
                let mut c = vec![0u64; a.len()];
                let pc = c.as_mut_ptr() as *mut f64;
                // SAFETY: n f64 at a, b and c.
                unsafe {
                    match k {
                        0 => t.stream_copy.unwrap()(pa, pc, 0.5, n),
                        1 => t.stream_scale.unwrap()(pa, pc, 0.5, n),
                        2 => t.stream_add.unwrap()(pa, pb, pc, 0.5, n),
                        _ => t.stream_triad.unwrap()(pa, pb, pc, 0.5, n),
                    }
                };
                c
            });
        }
    }
    same("fma_peak", |t| t.fma_peak, |f| unsafe { f(1000) });
}

#[test]
fn symv_matches_the_cpp_scalar_table() {
    for d in 0..2 {
        let sz = itemsize(d);
        for (m, c0, c1) in [
            (1, 0, 1),
            (5, 0, 5),
            (9, 2, 9),
            (13, 1, 6),
            (16, 4, 16),
            (7, 3, 3),
        ] {
            let lda = m + 3;
            let a = finite(d, lda * m + 8, 11);
            let x = finite(d, m + 1, 12);
            let y0 = finite(d, m + 1, 13);
            same(
                &format!("symv m {m} columns {c0}..{c1} dtype {d}"),
                |t| t.gemmk[d].symv,
                |f| {
                    let mut y = y0.clone();
                    // SAFETY: A holds m columns of m rows lda apart, x and y m values each.
                    unsafe {
                        f(
                            m,
                            c0,
                            c1,
                            a.as_ptr() as *const c_void,
                            lda as isize,
                            x.as_ptr() as *const c_void,
                            y.as_mut_ptr() as *mut c_void,
                        )
                    };
                    bytes(&y, m * sz)
                },
            );
        }
    }
}

/// The eigh merge's secular-equation loops over poles d (increasing), weights z and roots
/// shift + mu strictly between poles; bit for bit, as the scalar table sums in order.
#[test]
fn secular_kernels_match_the_cpp_scalar_table() {
    fn run<T: Copy + Default + PartialEq + std::fmt::Debug + From<i16>>(
        d: usize,
        of: fn(f64) -> T,
    ) {
        for n in [1usize, 2, 7, 8, 9, 33] {
            let dv: Vec<T> = (0..n)
                .map(|i| of(i as f64 + 0.3 * (i as f64).sin()))
                .collect();
            let zv: Vec<T> = (0..n)
                .map(|i| of(0.5 + 0.4 * (1.7 * i as f64).cos()))
                .collect();
            let shift: Vec<T> = (0..4).map(|p| dv[(p * 3) % n]).collect();
            let mu: Vec<T> = (0..4).map(|p| of(0.1 + 0.2 * p as f64)).collect();
            let p = |v: &Vec<T>| v.as_ptr() as *const c_void;
            for m in 1..=4 {
                same(
                    &format!("secular n {n} m {m} dtype {d}"),
                    |t| t.gemmk[d].secular,
                    |f| {
                        let mut out = vec![T::default(); m];
                        // SAFETY: d and z hold n values, shift, mu and out at least m.
                        unsafe {
                            f(
                                n,
                                p(&dv),
                                p(&zv),
                                m,
                                p(&shift),
                                p(&mu),
                                out.as_mut_ptr() as *mut c_void,
                            )
                        };
                        out
                    },
                );
            }
            same(
                &format!("secular_vector n {n} dtype {d}"),
                |t| t.gemmk[d].secular_vector,
                |f| {
                    let (mut out, mut norm) = (vec![T::default(); n], T::default());
                    // SAFETY: d, z and out hold n values; shift, mu and norm one.
                    unsafe {
                        f(
                            n,
                            p(&dv),
                            p(&zv),
                            p(&shift),
                            p(&mu),
                            out.as_mut_ptr() as *mut c_void,
                            &mut norm as *mut T as *mut c_void,
                        )
                    };
                    (out, norm)
                },
            );
            // roots between the poles: mus below each gap, shifts at its left pole
            let mus: Vec<T> = (0..n).map(|i| of(0.05 + 0.01 * i as f64)).collect();
            for i in [0, n / 2, n - 1] {
                same(
                    &format!("loewner n {n} i {i} dtype {d}"),
                    |t| t.gemmk[d].loewner,
                    |f| {
                        let mut out = T::default();
                        // SAFETY: d, mu and shift hold n > i values; out one.
                        unsafe {
                            f(
                                n,
                                p(&dv),
                                p(&mus),
                                p(&dv),
                                i,
                                &mut out as *mut T as *mut c_void,
                            )
                        };
                        out
                    },
                );
            }
        }
    }
    run::<f32>(0, |x| x as f32);
    run::<f64>(1, |x| x);
}

#[test]
fn gemm_pieces_match_the_cpp_scalar_table() {
    for d in 0..2 {
        let (r, c) = (&RUST.gemmk[d], &cpp().gemmk[d]);
        assert_eq!((r.mr, r.nr), (c.mr, c.nr));
        let sz = itemsize(d);
        let vp = |v: &Vec<u64>| v.as_ptr() as *const c_void;
        for (m, n, k) in [
            (1, 1, 1),
            (3, 5, 2),
            (4, 4, 4),
            (5, 9, 7),
            (8, 3, 16),
            (13, 2, 0),
        ] {
            let lda = k + 2;
            let ldb = n + 3;
            let a = finite(d, m.max(1) * lda.max(k.max(1)) * 2 + 8, 7);
            let b = finite(d, k.max(1) * ldb * 2 + 8, 8);
            // (rs, cs) pairs: row-major and transposed (column-major) operands.
            let a_strides = [(lda as isize, 1isize), (1, m as isize + 1)];
            let b_strides = [(ldb as isize, 1isize), (1, k as isize + 1)];
            for (ars, acs) in a_strides {
                for (brs, bcs) in b_strides {
                    let what = format!("{m}x{n}x{k} dtype {d} a ({ars},{acs}) b ({brs},{bcs})");
                    let run = |f: ffi::GemmFn| {
                        let mut out = vec![0u64; m * (n + 1) + 1];
                        let ldc = n as isize + 1;
                        // SAFETY: A, B in bounds for these strides (buffers sized generously).
                        unsafe {
                            f(
                                m,
                                n,
                                k,
                                vp(&a),
                                ars,
                                acs,
                                vp(&b),
                                brs,
                                bcs,
                                out.as_mut_ptr() as *mut c_void,
                                ldc,
                            )
                        };
                        bytes(&out, m * (n + 1) * sz)
                    };
                    same(&format!("gemm {what}"), |t| t.gemm[d], run);
                    same(&format!("naive {what}"), |t| t.gemmk[d].naive, run);
                    same(
                        &format!("gemv {what}"),
                        |t| t.gemmk[d].gemv,
                        |f| {
                            let mut y = vec![0u64; m + 1];
                            // SAFETY: x = column 0 of B (k values brs apart), M = A.
                            unsafe {
                                f(
                                    m,
                                    k,
                                    vp(&a),
                                    ars,
                                    acs,
                                    vp(&b),
                                    brs,
                                    y.as_mut_ptr() as *mut c_void,
                                )
                            };
                            bytes(&y, m * sz)
                        },
                    );
                    let (mr, nr) = (r.mr, r.nr);
                    let pack_len = (m.div_ceil(mr) * mr).max(n.div_ceil(nr) * nr) * k.max(1) + 1;
                    // Packs A (m x k, row panels) or B (k x n, column panels): the two packers
                    // share one signature, (rows, cols, src, rs, cs, dst).
                    let pack = |f: ffi::GemmPackAFn, rows, cols, src: &Vec<u64>, rs, cs| {
                        let mut dst = vec![0u64; pack_len];
                        // SAFETY: src is rows x cols at (rs, cs); dst holds every panel.
                        unsafe { f(rows, cols, vp(src), rs, cs, dst.as_mut_ptr() as *mut c_void) };
                        dst
                    };
                    let packed_a =
                        |t: &KernelTable| pack(t.gemmk[d].pack_a.unwrap(), m, k, &a, ars, acs);
                    let packed_b =
                        |t: &KernelTable| pack(t.gemmk[d].pack_b.unwrap(), k, n, &b, brs, bcs);
                    assert_eq!(packed_a(rust()), packed_a(cpp()), "pack_a {what}");
                    assert_eq!(packed_b(rust()), packed_b(cpp()), "pack_b {what}");
                    // One tile from the first packed panels, full and half width, both forms.
                    let (pa, pb) = (packed_a(cpp()), packed_b(cpp()));
                    let (tm, tn) = (m.min(mr), n.min(nr));
                    for acc in [0, 1] {
                        let tile = |half: bool, sup: bool, t: &KernelTable| {
                            let tn = if half { tn.min(nr / 2) } else { tn };
                            let mut out = finite(d, mr * (nr + 1) + 1, 9);
                            let co = out.as_mut_ptr() as *mut c_void;
                            let g = &t.gemmk[d];
                            // SAFETY: packed panels hold mr x k and k x nr values (zero
                            // padded); C is mr x (nr + 1).
                            unsafe {
                                match (half, sup) {
                                    (false, false) => g.ukernel.unwrap()(
                                        k,
                                        vp(&pa),
                                        vp(&pb),
                                        co,
                                        nr as isize + 1,
                                        tm,
                                        tn,
                                        acc,
                                    ),
                                    (true, false) => g.ukernel_half.unwrap()(
                                        k,
                                        vp(&pa),
                                        vp(&pb),
                                        co,
                                        nr as isize + 1,
                                        tm,
                                        tn,
                                        acc,
                                    ),
                                    (false, true) => g.ukernel_sup.unwrap()(
                                        k,
                                        vp(&pa),
                                        1,
                                        mr as isize,
                                        vp(&pb),
                                        nr as isize,
                                        co,
                                        nr as isize + 1,
                                        tm,
                                        tn,
                                        acc,
                                    ),
                                    (true, true) => g.ukernel_sup_half.unwrap()(
                                        k,
                                        vp(&pa),
                                        1,
                                        mr as isize,
                                        vp(&pb),
                                        nr as isize,
                                        co,
                                        nr as isize + 1,
                                        tm,
                                        tn,
                                        acc,
                                    ),
                                }
                            };
                            bytes(&out, mr * (nr + 1) * sz)
                        };
                        for half in [false, true] {
                            for sup in [false, true] {
                                assert_eq!(
                                    tile(half, sup, rust()),
                                    tile(half, sup, cpp()),
                                    "tile half {half} sup {sup} acc {acc} {what}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
