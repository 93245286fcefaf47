//! Core tests without Python: every ISA table against the scalar reference over edge-heavy sizes,
//! and the drivers (broadcasting, reductions, matmul) against straightforward Rust loops.

use crate::dispatch::{available_isas, Isa};
use crate::dtype::DType;
use crate::kernels::elementwise::{binary, BinOp};
use crate::kernels::linalg::{dot, matmul};
use crate::kernels::reduce::{reduce_all, reduce_axis, Reduction, Scalar};
use crate::parallel;
use crate::tensor::Tensor;
use std::ffi::c_void;

/// Edge sizes around vector, unroll and block widths; Miri (an interpreter, where every table is
/// the one Rust reference) gets a few.
const SIZES: &[usize] = if cfg!(miri) {
    &[0, 1, 7, 8, 17, 33, 65, 129]
} else {
    &[
        0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1023, 1024, 1025, 4097, 100_003,
    ]
};

/// Deterministic pseudo-random values in [-1, 1) (shared by the crate's test modules).
pub(crate) fn values(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        })
        .collect()
}

/// Floats the kernels must get exactly right: NaN, infinities, signed zeros, subnormals, values at
/// and around every integer type's bounds (for casts), halves (for truncation), huge and tiny
/// magnitudes (complex mul/div overflow and underflow). Only the positive NaN: which of two NaN
/// operands an add returns is the compiler's choice of operand order, not the kernels' contract.
pub(crate) const SPECIAL_FLOATS: [f64; 32] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -0.0,
    0.0,
    1.0,
    -1.0,
    -0.5,
    0.5,
    127.5,
    -128.5,
    255.5,
    256.0,
    -32768.0,
    65535.9,
    65536.0,
    2147483647.5,
    -2147483648.0,
    4294967295.5,
    4294967296.0,
    9.223372036854775e18,
    -9.223372036854776e18,
    1.8446744073709552e19,
    3e9,
    -3e9,
    1e20,
    1e300,
    -1e-300,
    4.9e-324,
    1e-40,
    3.4e38,
    f64::MAX,
];

/// 8-byte aligned storage for `n` elements of `dtype` (one spare word), filled with values that
/// exercise the kernels' edge cases: the special floats (some at the same positions for every
/// seed, so two operands meet equal specials, some at seed-dependent ones, so different specials
/// meet), integer extremes, full-width random integer bits, bool bytes other than 0 and 1, and
/// complex values mixing special and ordinary parts.
pub(crate) fn edge_data(dtype: DType, n: usize, seed: u64) -> Vec<u64> {
    let v = values(2 * n, seed);
    let mut bits = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        bits ^= bits << 13;
        bits ^= bits >> 7;
        bits ^= bits << 17;
        bits
    };
    let mut out = vec![0u64; (n * dtype.itemsize()).div_ceil(8) + 1];
    let p = out.as_mut_ptr() as *mut u8;
    for i in 0..n {
        let r = next();
        // A float for part k (0 real, 1 imaginary) of element i.
        let float = |k: usize, r: u64| {
            let j = 2 * i + k;
            if j % 11 == 5 {
                SPECIAL_FLOATS[(j / 11) % SPECIAL_FLOATS.len()]
            } else if r % 4 == 0 {
                SPECIAL_FLOATS[(r >> 8) as usize % SPECIAL_FLOATS.len()]
            } else if r % 4 == 1 {
                (v[j] * 100.0).round()
            } else {
                v[j] * 1000.0
            }
        };
        let f = float(0, r);
        // Integers: extremes at fixed positions, random bits at some, else the value rounded.
        let int = |min: i64, max: i64| -> i64 {
            match (i % 17, r % 5) {
                (3, _) => min,
                (4, _) => max,
                (5, _) => -1,
                (_, 0) => (next_bits(r) as i64).clamp(min, max),
                _ => (f as i64).clamp(min, max),
            }
        };
        // SAFETY: element i fits in `out` (sized for n elements of this dtype).
        unsafe {
            match dtype {
                DType::F32 => (p as *mut f32).add(i).write(f as f32),
                DType::F64 => (p as *mut f64).add(i).write(f),
                DType::I8 => (p as *mut i8).add(i).write(int(-128, 127) as i8),
                DType::I16 => (p as *mut i16).add(i).write(int(-32768, 32767) as i16),
                DType::I32 => (p as *mut i32)
                    .add(i)
                    .write(int(i32::MIN as i64, i32::MAX as i64) as i32),
                DType::I64 => (p as *mut i64).add(i).write(int(i64::MIN, i64::MAX)),
                // Unsigned: the signed pattern's bits (so -1 is the maximum) or random bits.
                DType::U8 => p.add(i).write(int(-128, 255) as u8),
                DType::U16 => (p as *mut u16).add(i).write(int(-32768, 65535) as u16),
                DType::U32 => (p as *mut u32)
                    .add(i)
                    .write(int(i32::MIN as i64, u32::MAX as i64) as u32),
                DType::U64 => (p as *mut u64).add(i).write(if r % 5 == 0 {
                    next_bits(r)
                } else {
                    int(i64::MIN, i64::MAX) as u64
                }),
                DType::Bool => p.add(i).write(match r % 6 {
                    0 => 2,
                    1 => 255,
                    2 | 3 => 1,
                    _ => 0,
                }),
                DType::C64 => {
                    let q = (p as *mut f32).add(2 * i);
                    q.write(f as f32);
                    q.add(1).write(float(1, r >> 3) as f32);
                }
                DType::C128 => {
                    let q = (p as *mut f64).add(2 * i);
                    q.write(f);
                    q.add(1).write(float(1, r >> 3));
                }
            }
        }
    }
    out
}

/// Full-width bits from a seed word (a splitmix64 step).
fn next_bits(r: u64) -> u64 {
    let mut z = r.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `edge_data` with every float part replaced by an ordinary value in (-1000, 1000): one NaN
/// would make every float sum agree trivially.
#[cfg_attr(miri, allow(dead_code))] // its user, reference_tests.rs, calls C++ (not under Miri)
pub(crate) fn finite_data(dtype: DType, n: usize, seed: u64) -> Vec<u64> {
    let mut out = edge_data(dtype, n, seed);
    let p = out.as_mut_ptr();
    let v = values(2 * n, seed);
    // SAFETY: the float parts written lie inside the n elements `edge_data` sized `out` for.
    unsafe {
        match dtype {
            DType::F32 | DType::C64 => {
                let parts = if dtype == DType::C64 { 2 * n } else { n };
                for (j, &x) in v.iter().enumerate().take(parts) {
                    (p as *mut f32).add(j).write((x * 1000.0) as f32);
                }
            }
            DType::F64 | DType::C128 => {
                let parts = if dtype == DType::C128 { 2 * n } else { n };
                for (j, &x) in v.iter().enumerate().take(parts) {
                    (p as *mut f64).add(j).write(x * 1000.0);
                }
            }
            _ => {}
        }
    }
    out
}

fn tensor_f64(v: &[f64], shape: &[usize]) -> Tensor {
    let t = Tensor::empty(shape, DType::F64).unwrap();
    // SAFETY: t owns exactly v.len() f64 slots.
    unsafe {
        std::ptr::copy_nonoverlapping(v.as_ptr(), t.data_mut().unwrap() as *mut f64, v.len())
    };
    t
}

fn to_vec_f64(t: &Tensor) -> Vec<f64> {
    let t = t.astype(DType::F64).unwrap();
    // SAFETY: t is a contiguous f64 tensor of t.size() elements.
    unsafe { std::slice::from_raw_parts(t.data() as *const f64, t.size()).to_vec() }
}

fn bytes_of(t: &Tensor) -> Vec<u8> {
    // SAFETY: t's data holds nbytes readable bytes.
    unsafe { std::slice::from_raw_parts(t.data(), t.nbytes()).to_vec() }
}

#[test]
fn every_isa_table_reports_its_own_isa() {
    for isa in available_isas() {
        assert_eq!(isa.compiled_name(), isa.name());
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls C++")]
fn kernel_table_layout_matches_the_header() {
    // src/ffi.rs mirrors cpp/include/corepy_kernels.h by hand; a field added to one only would
    // shift every later entry. (A kernel library loaded at run time is held to the same size.)
    // SAFETY: a plain C function of no arguments.
    let c_size = unsafe { crate::ffi::corepy_kernels_table_size() };
    assert_eq!(c_size, std::mem::size_of::<crate::ffi::KernelTable>());
}

#[test]
fn binary_kernels_match_scalar_reference() {
    let reference = Isa::Scalar.table();
    for isa in available_isas() {
        let table = isa.table();
        for dtype in DType::ALL {
            for op in [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div] {
                for mode in 0..3 {
                    let (Some(f), Some(g)) = (
                        table.binary[op as usize][dtype.code()][mode],
                        reference.binary[op as usize][dtype.code()][mode],
                    ) else {
                        assert!(table.binary[op as usize][dtype.code()][mode].is_none());
                        continue;
                    };
                    for &n in SIZES {
                        let a = tensor_f64(&values(n, 1), &[n]).astype(dtype).unwrap();
                        let b = tensor_f64(
                            &values(n, 2)
                                .iter()
                                .map(|x| x * 7.0 + 0.5)
                                .collect::<Vec<_>>(),
                            &[n],
                        )
                        .astype(dtype)
                        .unwrap();
                        let (o1, o2) = (
                            Tensor::empty(&[n], dtype).unwrap(),
                            Tensor::empty(&[n], dtype).unwrap(),
                        );
                        // SAFETY: all buffers hold n elements (scalar modes read element 0 only,
                        // and are skipped for n == 0).
                        unsafe {
                            if n == 0 && mode != 0 {
                                continue;
                            }
                            f(
                                a.data() as *const c_void,
                                b.data() as *const c_void,
                                o1.data_mut().unwrap() as *mut c_void,
                                n,
                            );
                            g(
                                a.data() as *const c_void,
                                b.data() as *const c_void,
                                o2.data_mut().unwrap() as *mut c_void,
                                n,
                            );
                        }
                        assert_eq!(
                            bytes_of(&o1),
                            bytes_of(&o2),
                            "{} {:?} {dtype:?} mode {mode} n {n}",
                            isa.name(),
                            op
                        );
                    }
                }
            }
        }
    }
}

/// Bytes `off` elements into an 8-byte aligned copy of `src` with `pad` spare bytes.
fn shifted(src: &[u64], off_bytes: usize, nbytes: usize, pad: usize) -> Vec<u64> {
    let mut v = vec![0u64; (off_bytes + nbytes + pad).div_ceil(8) + 1];
    // SAFETY: v holds off_bytes + nbytes bytes; src at least nbytes.
    unsafe {
        std::ptr::copy_nonoverlapping(
            src.as_ptr() as *const u8,
            (v.as_mut_ptr() as *mut u8).add(off_bytes),
            nbytes,
        )
    };
    v
}

/// The alignment the kernel contract promises for `dtype` (complex: that of one part).
fn natural_align(dtype: DType) -> usize {
    if dtype.is_complex() {
        dtype.itemsize() / 2
    } else {
        dtype.itemsize()
    }
}

/// Float (or complex) bytes with every NaN replaced by one canonical NaN.
fn nans_canonical(mut v: Vec<u8>, dtype: DType) -> Vec<u8> {
    let part = if matches!(dtype, DType::F64 | DType::C128) {
        8
    } else {
        4
    };
    for c in v.chunks_mut(part) {
        if part == 8 && f64::from_ne_bytes(c.try_into().unwrap()).is_nan() {
            c.copy_from_slice(&f64::NAN.to_ne_bytes());
        } else if part == 4 && f32::from_ne_bytes(c.try_into().unwrap()).is_nan() {
            c.copy_from_slice(&f32::NAN.to_ne_bytes());
        }
    }
    v
}

fn byte_range(v: &[u64], off: usize, len: usize) -> Vec<u8> {
    // SAFETY: v holds off + len bytes.
    unsafe { std::slice::from_raw_parts((v.as_ptr() as *const u8).add(off), len).to_vec() }
}

/// Every SIMD table against the scalar one on every element-wise, cast and truth entry, bit for
/// bit, over edge values, operands and outputs shifted by whole elements (so the non-temporal
/// kernels' unaligned heads and staged pieces all run), in place too.
#[test]
#[cfg_attr(miri, ignore = "under Miri every ISA is the one Rust reference table")]
fn every_isa_matches_the_scalar_table_on_every_entry() {
    use crate::ffi::{EQ, MAX, NBINOPS, NMODES};
    let reference = Isa::Scalar.table();
    let sizes = [0usize, 1, 3, 8, 31, 33, 64, 129, 1000, 9001];
    for isa in available_isas() {
        let table = isa.table();
        for dtype in DType::ALL {
            let (d, sz) = (dtype.code(), dtype.itemsize());
            for &n in &sizes {
                let (a, b) = (edge_data(dtype, n, 21), edge_data(dtype, n, 22));
                // Offsets in units of each type's natural alignment (half a complex value), so every
                // pointer's alignment varies down to what the contract allows.
                let off = n % 4;
                let ia = natural_align(dtype);
                let (sa, sb) = (
                    shifted(&a, off * ia, n * sz, 0),
                    shifted(&b, off * ia, n * sz, 0),
                );
                let (pa, pb) = (
                    (sa.as_ptr() as *const u8).wrapping_add(off * ia) as *const c_void,
                    (sb.as_ptr() as *const u8).wrapping_add(off * ia) as *const c_void,
                );
                for op in 0..NBINOPS {
                    let (osz, oa) = if (EQ..MAX).contains(&op) {
                        (1, 1)
                    } else {
                        (sz, ia)
                    };
                    for mode in 0..NMODES {
                        for nt in [false, true] {
                            let pick = |t: &crate::ffi::KernelTable| {
                                if nt {
                                    t.binary_nt[op][d][mode]
                                } else {
                                    t.binary[op][d][mode]
                                }
                            };
                            let (Some(f), Some(g)) = (pick(table), pick(reference)) else {
                                assert!(pick(table).is_none() && pick(reference).is_none());
                                continue;
                            };
                            let run = |k: crate::ffi::BinaryFn| {
                                let mut out = vec![0u64; (off * oa + n * osz).div_ceil(8) + 1];
                                let po = (out.as_mut_ptr() as *mut u8).wrapping_add(off * oa);
                                // SAFETY: n elements at pa, pb and po (n >= 1 for scalar modes
                                // is not needed: kernels return before reading when n == 0).
                                unsafe { k(pa, pb, po as *mut c_void, n) };
                                byte_range(&out, off * oa, n * osz)
                            };
                            let what = format!(
                                "{} op {op} {dtype:?} mode {mode} nt {nt} n {n}",
                                isa.name()
                            );
                            // pow, atan2, hypot and logaddexp of floats are vector math in
                            // the SIMD tables: within 4 ulp of libm (tests/test_ulp.py and
                            // tests/test_elementwise_vec.py bound them).
                            let math = [BinOp::Pow, BinOp::Atan2, BinOp::Hypot, BinOp::Logaddexp]
                                .iter()
                                .any(|b| *b as usize == op)
                                && dtype.is_float();
                            if math {
                                assert_ulps(&run(f), &run(g), dtype, 4, &what);
                                continue;
                            }
                            // NaN's sign and payload are unspecified (IEEE 754, NumPy): x86's
                            // invalid operations give -NaN, a vector constant +NaN.
                            let float_out = osz == sz && dtype.is_inexact();
                            let canon = |v: Vec<u8>| {
                                if float_out {
                                    nans_canonical(v, dtype)
                                } else {
                                    v
                                }
                            };
                            assert_eq!(canon(run(f)), canon(run(g)), "{what}");
                            // In place: out is a (same element size only).
                            if osz == sz && mode != 2 {
                                let inplace = |k: crate::ffi::BinaryFn| {
                                    let mut x = sa.clone();
                                    let px = (x.as_mut_ptr() as *mut u8).wrapping_add(off * ia);
                                    // SAFETY: out aliases a exactly; n elements each.
                                    unsafe { k(px as *const c_void, pb, px as *mut c_void, n) };
                                    byte_range(&x, off * ia, n * sz)
                                };
                                assert_eq!(canon(inplace(f)), canon(inplace(g)), "{what} in place");
                            }
                        }
                    }
                }
                // Unary ops: the output is x's dtype, bool, or the real part's dtype.
                for (op, _) in crate::kernels::elementwise::UnOp::ALL {
                    let (Some(f), Some(g)) =
                        (table.unary[op as usize][d], reference.unary[op as usize][d])
                    else {
                        assert!(table.unary[op as usize][d].is_none());
                        continue;
                    };
                    let odt = op.dtypes(dtype).1;
                    let (osz, oa) = (odt.itemsize(), natural_align(odt));
                    let run = |k: crate::ffi::UnaryFn| {
                        let mut out = vec![0u64; (off * oa + n * osz).div_ceil(8) + 1];
                        let po = (out.as_mut_ptr() as *mut u8).wrapping_add(off * oa);
                        // SAFETY: n elements of dtype at pa, room for n outputs at po.
                        unsafe { k(pa, po as *mut c_void, n) };
                        byte_range(&out, off * oa, n * osz)
                    };
                    let what = format!("{} unary {op:?} {dtype:?} n {n}", isa.name());
                    if op.is_math() && odt.is_inexact() {
                        // Vector math may differ from libm by a few ulp (its bound is measured in
                        // tests/test_ulp.py); here: same NaNs, infinities and signs, <= 4 ulp.
                        assert_ulps(&run(f), &run(g), odt.real_of(), 4, &what);
                    } else {
                        assert_eq!(run(f), run(g), "{what}");
                    }
                }
                for to in DType::ALL {
                    let (tsz, ta) = (to.itemsize(), natural_align(to));
                    let run = |k: crate::ffi::CastFn| {
                        let mut out = vec![0u64; (off * ta + n * tsz).div_ceil(8) + 1];
                        let po = (out.as_mut_ptr() as *mut u8).wrapping_add(off * ta);
                        // SAFETY: n elements of dtype at pa, room for n of `to` at po.
                        unsafe { k(pa, po as *mut c_void, n) };
                        byte_range(&out, off * ta, n * tsz)
                    };
                    let (f, g) = (
                        table.cast[d][to.code()].unwrap(),
                        reference.cast[d][to.code()].unwrap(),
                    );
                    assert_eq!(
                        run(f),
                        run(g),
                        "{} cast {dtype:?} -> {to:?} n {n}",
                        isa.name()
                    );
                }
                for any in [false, true] {
                    let pick = |t: &crate::ffi::KernelTable| if any { t.any[d] } else { t.all[d] };
                    let pick_acc =
                        |t: &crate::ffi::KernelTable| if any { t.any_acc[d] } else { t.all_acc[d] };
                    for fill in [None, Some(0u8), Some(1u8)] {
                        let mut x = sa.clone();
                        if let Some(byte) = fill {
                            // SAFETY: x holds off*sz + n*sz bytes.
                            unsafe {
                                std::ptr::write_bytes(
                                    (x.as_mut_ptr() as *mut u8).add(off * ia),
                                    byte,
                                    n * sz,
                                )
                            };
                        }
                        let px = (x.as_ptr() as *const u8).wrapping_add(off * ia) as *const c_void;
                        let what =
                            format!("{} any {any} {dtype:?} n {n} fill {fill:?}", isa.name());
                        // SAFETY: n elements at px.
                        unsafe {
                            assert_eq!(
                                pick(table).unwrap()(px, n),
                                pick(reference).unwrap()(px, n),
                                "{what}"
                            );
                        }
                        let acc = |k: crate::ffi::AccumulateFn| {
                            let mut acc: Vec<u8> = (0..n).map(|i| (i % 3 != 1) as u8).collect();
                            // SAFETY: n elements at px, n bytes at acc.
                            unsafe { k(px, n, acc.as_mut_ptr()) };
                            acc
                        };
                        assert_eq!(
                            acc(pick_acc(table).unwrap()),
                            acc(pick_acc(reference).unwrap()),
                            "{what} acc"
                        );
                    }
                }
                // Integer sums are exact (float sums differ by lane count; tested elsewhere).
                if dtype.is_int() || dtype.is_bool() {
                    let sum = |k: crate::ffi::SumFn| {
                        let mut out = 0u64;
                        // SAFETY: n elements at pa; out holds the int64 result.
                        unsafe { k(pa, n, &mut out as *mut u64 as *mut c_void) };
                        out
                    };
                    assert_eq!(
                        sum(table.sum[d].unwrap()),
                        sum(reference.sum[d].unwrap()),
                        "{} sum {dtype:?} n {n}",
                        isa.name()
                    );
                }
                for stride in [1isize, -1, 3, 0] {
                    let len = n / 3;
                    let start = if stride < 0 { len } else { 0 };
                    let run = |k: crate::ffi::GatherFn| {
                        let mut out = vec![0u64; (len * sz).div_ceil(8) + 1];
                        // SAFETY: elements start + i * stride, i < len, lie inside the n at pa.
                        unsafe {
                            k(
                                (pa as *const u8).wrapping_add(start * sz) as *const c_void,
                                stride * sz as isize,
                                out.as_mut_ptr() as *mut c_void,
                                len,
                            )
                        };
                        byte_range(&out, 0, len * sz)
                    };
                    assert_eq!(
                        run(table.gather[d].unwrap()),
                        run(reference.gather[d].unwrap()),
                        "{} gather {dtype:?}",
                        isa.name()
                    );
                }
            }
        }
    }
}

/// A tensor of `dtype` holding `edge_data`'s bytes.
fn edge_tensor(dtype: DType, shape: &[usize], seed: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let t = Tensor::empty(shape, dtype).unwrap();
    let v = edge_data(dtype, n, seed);
    // SAFETY: t owns n * itemsize bytes; v holds at least that many.
    unsafe {
        std::ptr::copy_nonoverlapping(
            v.as_ptr() as *const u8,
            t.data_mut().unwrap(),
            n * dtype.itemsize(),
        )
    };
    t
}

/// Element i of an integer or bool tensor, widened (sign- or zero-extended) to i128.
fn int_at(t: &Tensor, i: usize) -> i128 {
    // SAFETY: i < t.size(); every read is of the tensor's own dtype.
    unsafe {
        let p = t.data().add(i * t.dtype().itemsize());
        match t.dtype() {
            DType::I8 => (p as *const i8).read() as i128,
            DType::I16 => (p as *const i16).read_unaligned() as i128,
            DType::I32 => (p as *const i32).read_unaligned() as i128,
            DType::I64 => (p as *const i64).read_unaligned() as i128,
            DType::U8 => p.read() as i128,
            DType::U16 => (p as *const u16).read_unaligned() as i128,
            DType::U32 => (p as *const u32).read_unaligned() as i128,
            DType::U64 => (p as *const u64).read_unaligned() as i128,
            DType::Bool => (p.read() != 0) as i128,
            other => panic!("not an integer dtype: {other:?}"),
        }
    }
}

/// sum/mean/all/any of every integer dtype and bool, whole and along an axis, against loops:
/// unsigned sums come back as uint64 (wrapping, as NumPy's), signed ones and bool as int64.
#[test]
fn integer_reductions_of_every_dtype_match_loops() {
    let n = if cfg!(miri) { 3 * 701 } else { 3 * 40_001 }; // several reduction blocks
    for dtype in DType::ALL.into_iter().filter(|d| d.is_int() || d.is_bool()) {
        let t = edge_tensor(dtype, &[n], 9);
        let total: i128 = (0..n).map(|i| int_at(&t, i)).sum();
        let wrapped = total.rem_euclid(1 << 64) as u64;
        let want = if dtype.is_unsigned() {
            Scalar::U64(wrapped)
        } else {
            Scalar::I64(wrapped as i64)
        };
        assert_eq!(
            reduce_all(Reduction::Sum, &t.view()).unwrap(),
            want,
            "{dtype:?}"
        );
        let Scalar::F64(mean) = reduce_all(Reduction::Mean, &t.view()).unwrap() else {
            panic!("{dtype:?}: mean is a float");
        };
        let exact = total as f64 / n as f64;
        assert!(
            (mean - exact).abs() <= 1e-9 * exact.abs().max(1.0),
            "{dtype:?} mean {mean} vs {exact}"
        );
        let all = (0..n).all(|i| int_at(&t, i) != 0);
        let any = (0..n).any(|i| int_at(&t, i) != 0);
        assert_eq!(
            reduce_all(Reduction::All, &t.view()).unwrap(),
            Scalar::Bool(all)
        );
        assert_eq!(
            reduce_all(Reduction::Any, &t.view()).unwrap(),
            Scalar::Bool(any)
        );
        // Along axis 0 of (3, n/3): rows of the sum dtype added together (inner > 1), and along
        // axis 1: each row summed by the kernel (inner == 1).
        let m = n / 3;
        let t2 = edge_tensor(dtype, &[3, m], 9);
        let s0 = reduce_axis(Reduction::Sum, &t2.view(), 0).unwrap();
        let s1 = reduce_axis(Reduction::Sum, &t2.view(), 1).unwrap();
        assert_eq!(s0.dtype(), dtype.sum_dtype());
        assert_eq!(s1.dtype(), dtype.sum_dtype());
        for j in (0..m).step_by(97) {
            let col: i128 = (0..3).map(|r| int_at(&t2, r * m + j)).sum();
            assert_eq!(
                int_at(&s0, j).rem_euclid(1 << 64),
                col.rem_euclid(1 << 64),
                "{dtype:?} column {j}"
            );
        }
        for r in 0..3 {
            let row: i128 = (0..m).map(|j| int_at(&t2, r * m + j)).sum();
            assert_eq!(
                int_at(&s1, r).rem_euclid(1 << 64),
                row.rem_euclid(1 << 64),
                "{dtype:?} row {r}"
            );
        }
    }
}

#[test]
fn sums_match_exact_reference_closely_on_every_isa() {
    for isa in available_isas() {
        let f = isa.table().sum[DType::F64.code()].unwrap();
        for &n in SIZES {
            let v = values(n, 3);
            let exact: f64 = v.iter().sum();
            let mut out = 0f64;
            // SAFETY: v holds n f64; out receives one f64.
            unsafe {
                f(
                    v.as_ptr() as *const c_void,
                    n,
                    &mut out as *mut f64 as *mut c_void,
                )
            };
            assert!(
                (out - exact).abs() <= 1e-12 * (n as f64).max(1.0),
                "{} n {n}",
                isa.name()
            );
        }
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "20 million elements take hours in Miri; the next test runs the blocks"
)]
fn float32_sum_of_twenty_million_ones_is_exact() {
    let ones = Tensor::from_f64(1.0).astype(DType::F32).unwrap();
    let x = Tensor::zeros(&[20_000_000], DType::F32).unwrap();
    let x = binary(BinOp::Add, &x.view(), &ones.view(), None).unwrap();
    assert_eq!(
        reduce_all(Reduction::Sum, &x.view()).unwrap(),
        Scalar::F64(2e7)
    );
}

#[test]
fn sum_is_identical_for_any_thread_count() {
    // Several reduction blocks and above the parallel threshold, but small enough for Miri.
    let n = if cfg!(miri) { 140_003 } else { 1_000_003 };
    let x = tensor_f64(&values(n, 4), &[n]).astype(DType::F32).unwrap();
    parallel::set_num_threads(1).unwrap();
    let one = reduce_all(Reduction::Sum, &x.view()).unwrap();
    parallel::set_num_threads(3).unwrap();
    let three = reduce_all(Reduction::Sum, &x.view()).unwrap();
    parallel::set_num_threads(2).unwrap();
    assert_eq!(one, three);
}

#[test]
fn broadcasting_matches_index_arithmetic() {
    let (a, b) = (values(12, 5), values(2, 6));
    let ta = tensor_f64(&a, &[3, 1, 4]);
    let tb = tensor_f64(&b, &[2, 1]);
    // (3,1,4) - (2,1) -> (3,2,4)
    let out = binary(BinOp::Sub, &ta.view(), &tb.view(), None).unwrap();
    assert_eq!(out.shape(), &[3, 2, 4]);
    let got = to_vec_f64(&out);
    for i in 0..3 {
        for j in 0..2 {
            for k in 0..4 {
                assert_eq!(got[(i * 2 + j) * 4 + k], a[i * 4 + k] - b[j]);
            }
        }
    }
    let bad = binary(
        BinOp::Add,
        &tensor_f64(&a[..3], &[3]).view(),
        &tensor_f64(&a[..4], &[4]).view(),
        None,
    );
    assert!(
        matches!(bad, Err(crate::CoreError::Value(m)) if m.contains("(3,)") && m.contains("(4,)"))
    );
}

#[test]
fn axis_reductions_match_loops() {
    let v = values(2 * 3 * 5, 7);
    let t = tensor_f64(&v, &[2, 3, 5]);
    let s1 = to_vec_f64(&reduce_axis(Reduction::Sum, &t.view(), 1).unwrap());
    let s2 = to_vec_f64(&reduce_axis(Reduction::Sum, &t.view(), -1).unwrap());
    for i in 0..2 {
        for k in 0..5 {
            let e: f64 = (0..3).map(|j| v[(i * 3 + j) * 5 + k]).sum();
            assert!((s1[i * 5 + k] - e).abs() < 1e-12);
        }
        for j in 0..3 {
            let e: f64 = (0..5).map(|k| v[(i * 3 + j) * 5 + k]).sum();
            assert!((s2[i * 3 + j] - e).abs() < 1e-12);
        }
    }
    assert!(reduce_axis(Reduction::Sum, &t.view(), 3).is_err());
}

#[test]
fn matmul_and_dot_match_loops() {
    for &(m, k, n) in &[
        (1, 1, 1),
        (7, 9, 17),
        (33, 1, 5),
        (16, 65, 31),
        (0, 3, 4),
        (2, 0, 3),
    ] {
        let (a, b) = (values(m * k, 8), values(k * n, 9));
        let c = to_vec_f64(
            &matmul(
                &tensor_f64(&a, &[m, k]).view(),
                &tensor_f64(&b, &[k, n]).view(),
            )
            .unwrap(),
        );
        for i in 0..m {
            for j in 0..n {
                let e: f64 = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
                assert!((c[i * n + j] - e).abs() < 1e-12, "{m}x{k}x{n}");
            }
        }
    }
    let (a, b) = (values(1000, 10), values(1000, 11));
    let e: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    let Scalar::F64(d) = dot(
        &tensor_f64(&a, &[1000]).view(),
        &tensor_f64(&b, &[1000]).view(),
    )
    .unwrap() else {
        panic!("dot gives a float")
    };
    assert!((d - e).abs() < 1e-12);
}

#[test]
fn threshold_families_match_their_names() {
    use crate::parallel::{Family, THRESHOLD_OPS};
    let pairs = [
        (Family::Elementwise, "elementwise"),
        (Family::Sum, "sum"),
        (Family::AllAny, "all_any"),
        (Family::Cast, "cast"),
        (Family::Dot, "dot"),
        (Family::Matmul, "matmul"),
        (Family::Gather, "gather"),
    ];
    assert_eq!(pairs.len(), THRESHOLD_OPS.len());
    for (family, name) in pairs {
        assert_eq!(THRESHOLD_OPS[family as usize], name);
        parallel::set_threshold(name, 777).unwrap();
        assert_eq!(parallel::threshold(family), 777);
    }
    parallel::reset_thresholds();
}

/// Element (i, j, ...) of a strided tensor read through its layout.
fn at_f64(t: &Tensor, idx: &[usize]) -> f64 {
    let off: isize = idx
        .iter()
        .zip(t.strides())
        .map(|(&i, &s)| i as isize * s)
        .sum();
    // SAFETY: idx is in range, so the element lies inside the tensor's storage.
    unsafe { t.data().cast::<f64>().offset(off).read() }
}

#[test]
fn views_share_storage_and_read_the_right_elements() {
    let t = tensor_f64(&values(24, 3), &[2, 3, 4]);
    let base = to_vec_f64(&t);
    let p = t.permute(&[2, 0, 1]).unwrap();
    assert_eq!(p.shape(), &[4, 2, 3]);
    assert!(p.same_storage(&t) && !p.is_contiguous());
    let f = t.flip(&[0, 2]).unwrap();
    let b = t
        .slice(&[crate::tensor::Index::At(1)])
        .unwrap()
        .expand_dims(0)
        .unwrap()
        .broadcast_to(&[5, 3, 4])
        .unwrap();
    for i in 0..2 {
        for j in 0..3 {
            for k in 0..4 {
                let v = base[(i * 3 + j) * 4 + k];
                assert_eq!(at_f64(&p, &[k, i, j]), v);
                assert_eq!(at_f64(&f, &[1 - i, j, 3 - k]), v);
                if i == 1 {
                    assert_eq!(at_f64(&b, &[4, j, k]), v);
                }
            }
        }
    }
    // A layout that would reach outside the storage is refused.
    assert!(t.with_layout(0, &[25], &[1]).is_err());
    assert!(t.with_layout(0, &[3], &[-1]).is_err());
}

#[test]
fn reshape_views_only_when_the_layout_allows() {
    let t = tensor_f64(&values(12, 4), &[3, 4]);
    assert!(t.reshape_view(&[2, 6]).unwrap().is_some());
    assert!(t.reshape_view(&[12, 1, 1]).unwrap().is_some());
    let tt = t.transpose_all().unwrap();
    assert!(tt.reshape_view(&[12]).unwrap().is_none());
    assert!(tt.reshape_view(&[2, 2, 3]).unwrap().is_some()); // splits an axis: still a view
    let flat = tt.reshape(&[12]).unwrap();
    let want: Vec<f64> = (0..12).map(|n| at_f64(&tt, &[n / 3, n % 3])).collect();
    assert_eq!(to_vec_f64(&flat), want);
}

#[test]
fn binary_on_strided_and_broadcast_views_matches_index_arithmetic() {
    let a = tensor_f64(&values(6 * 7, 5), &[6, 7]);
    let b = tensor_f64(&values(6 * 7, 6), &[6, 7]);
    let cases: Vec<(Tensor, Tensor)> = vec![
        (a.transpose_all().unwrap(), b.transpose_all().unwrap()),
        (a.flip(&[0, 1]).unwrap(), b.clone()),
        (
            a.slice(&[crate::tensor::Index::Range {
                start: 1,
                step: 2,
                len: 3,
            }])
            .unwrap(),
            b.slice(&[crate::tensor::Index::Range {
                start: 0,
                step: 2,
                len: 3,
            }])
            .unwrap(),
        ),
        (a.clone(), b.slice(&[crate::tensor::Index::At(2)]).unwrap()),
    ];
    let before = parallel::num_threads();
    for threads in [1, 2] {
        parallel::set_num_threads(threads).unwrap();
        for (x, y) in &cases {
            let r = binary(BinOp::Sub, &x.view(), &y.view(), None).unwrap();
            let ys = y.broadcast_to(r.shape()).unwrap();
            for i in 0..r.shape()[0] {
                for j in 0..r.shape()[1] {
                    assert_eq!(
                        at_f64(&r, &[i, j]),
                        at_f64(x, &[i, j]) - at_f64(&ys, &[i, j])
                    );
                }
            }
            // A copy into a strided destination writes through it.
            let dst = Tensor::zeros(&[x.shape()[1], x.shape()[0]], DType::F64)
                .unwrap()
                .transpose_all()
                .unwrap();
            crate::tensor::iter::copy_into(&x.view(), &dst).unwrap();
            for i in 0..x.shape()[0] {
                for j in 0..x.shape()[1] {
                    assert_eq!(at_f64(&dst, &[i, j]), at_f64(x, &[i, j]));
                }
            }
        }
    }
    parallel::set_num_threads(before).unwrap();
}

/// Every float part of `a` within `max` ulp of `b`'s (NaN only against NaN, same sign).
#[cfg(not(miri))]
fn assert_ulps(a: &[u8], b: &[u8], real: DType, max: u64, what: &str) {
    let wide = real == DType::F64;
    let sz = if wide { 8 } else { 4 };
    for (i, (x, y)) in a.chunks(sz).zip(b.chunks(sz)).enumerate() {
        let (fx, fy, bx, by) = if wide {
            let (x, y) = (
                f64::from_ne_bytes(x.try_into().unwrap()),
                f64::from_ne_bytes(y.try_into().unwrap()),
            );
            (x, y, x.to_bits() as i64, y.to_bits() as i64)
        } else {
            let (x, y) = (
                f32::from_ne_bytes(x.try_into().unwrap()),
                f32::from_ne_bytes(y.try_into().unwrap()),
            );
            (x as f64, y as f64, x.to_bits() as i64, y.to_bits() as i64)
        };
        if fx.is_nan() || fy.is_nan() {
            assert!(fx.is_nan() && fy.is_nan(), "{what}: part {i}: {fx} vs {fy}");
            continue;
        }
        if fx == fy {
            continue;
        }
        assert_eq!(
            fx.is_sign_negative(),
            fy.is_sign_negative(),
            "{what}: part {i}: {fx} vs {fy}"
        );
        assert!(bx.abs_diff(by) <= max, "{what}: part {i}: {fx} vs {fy}");
    }
}
