//! The scalar kernel table written again in Rust, operation for operation.
//!
//! Miri cannot call into C++, so under `cfg(miri)` every ISA resolves to this table and
//! `cargo miri test` checks the Rust core (arenas, views, the pool, the drivers' pointer
//! arithmetic) against the same kernel contract (`cpp/include/corepy_kernels.h`). Outside Miri a
//! test holds it to the C++ scalar table bit for bit (`reference_tests.rs`), so both stay one
//! definition: the same pairwise blocks and accumulator order, the same casts, the same complex
//! mul/div algorithms (C99 Annex G as libgcc's, written out in both languages so neither depends
//! on the toolchain's libgcc), the same microkernel loops.
//!
//! Every pointer is read and written with aligned `read`/`write`, so Miri also checks the
//! contract's natural-alignment promise.

use crate::ffi::{GemmKernels, KernelTable, NDTYPES};
use std::ffi::{c_int, c_void};

/// Storage of bool: one byte, any non-zero byte true (a type of its own, apart from u8).
#[derive(Clone, Copy, PartialEq)]
#[repr(transparent)]
struct B8(u8);

/// complex64 / complex128: real then imaginary part, aligned like one part.
#[derive(Clone, Copy, PartialEq)]
#[repr(C)]
struct Cx<R> {
    re: R,
    im: R,
}
type C64 = Cx<f32>;
type C128 = Cx<f64>;

/// Element types of the table. `truthy` is `!= 0` (NaN is truthy, -0.0 is not; a complex value
/// is truthy if either part is).
trait Elem: Copy + PartialEq + 'static {
    const ZERO: Self;
    fn truthy(self) -> bool {
        self != Self::ZERO
    }
}

/// The arithmetic the C++ kernels give each numeric type (integers wrap).
trait Arith: Elem {
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
}

macro_rules! float_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            const ZERO: Self = 0.0;
        }
        impl Arith for $t {
            fn add(self, o: Self) -> Self { self + o }
            fn sub(self, o: Self) -> Self { self - o }
            fn mul(self, o: Self) -> Self { self * o }
            fn div(self, o: Self) -> Self { self / o }
        }
    )*};
}
macro_rules! int_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            const ZERO: Self = 0;
        }
        impl Arith for $t {
            fn add(self, o: Self) -> Self { self.wrapping_add(o) }
            fn sub(self, o: Self) -> Self { self.wrapping_sub(o) }
            fn mul(self, o: Self) -> Self { self.wrapping_mul(o) }
            fn div(self, o: Self) -> Self { self.wrapping_div(o) }
        }
    )*};
}
float_elem!(f32, f64);
int_elem!(i8, i16, i32, i64, u8, u16, u32, u64);
impl Elem for B8 {
    const ZERO: Self = B8(0);
}

/// A part of a complex value: what complex mul/div need of f32 and f64.
trait Real:
    Elem
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
{
    const ONE: Self;
    const INF: Self;
    fn is_nan(self) -> bool;
    fn is_inf(self) -> bool;
    fn is_fin(self) -> bool;
    fn copysign(self, sign: Self) -> Self;
    /// The plain quotient (a + ib) / (c + id) as the C++ `complex_div` computes it before the
    /// special-value recovery: (a, b, c, d as scaled, then x, y).
    fn quotient(a: Self, b: Self, c: Self, d: Self) -> [Self; 6];
}

macro_rules! real {
    ($t:ty) => {
        const ONE: Self = 1.0;
        const INF: Self = <$t>::INFINITY;
        fn is_nan(self) -> bool {
            <$t>::is_nan(self)
        }
        fn is_inf(self) -> bool {
            <$t>::is_infinite(self)
        }
        fn is_fin(self) -> bool {
            <$t>::is_finite(self)
        }
        fn copysign(self, sign: Self) -> Self {
            <$t>::copysign(self, sign)
        }
    };
}

impl Real for f32 {
    real!(f32);
    /// complex64: the textbook formula in double precision.
    fn quotient(a: f32, b: f32, c: f32, d: f32) -> [f32; 6] {
        let (aa, bb, cc, dd) = (a as f64, b as f64, c as f64, d as f64);
        let denom = cc * cc + dd * dd;
        let x = ((aa * cc + bb * dd) / denom) as f32;
        let y = ((bb * cc - aa * dd) / denom) as f32;
        [a, b, c, d, x, y]
    }
}

impl Real for f64 {
    real!(f64);
    /// complex128: Smith's method with GCC 12's scaling against overflow and underflow.
    fn quotient(mut a: f64, mut b: f64, mut c: f64, mut d: f64) -> [f64; 6] {
        const BIG: f64 = f64::MAX / 2.0;
        const MIN: f64 = f64::MIN_POSITIVE;
        const MIN2: f64 = f64::EPSILON;
        const MIN_SCALE: f64 = 1.0 / f64::EPSILON;
        const MAX2: f64 = BIG * MIN2;
        let d_larger = c.abs() < d.abs();
        if (if d_larger { d } else { c }).abs() >= BIG {
            (a, b, c, d) = (a / 2.0, b / 2.0, c / 2.0, d / 2.0);
        }
        let big = (if d_larger { d } else { c }).abs();
        if big < MIN2
            || (a.abs() < MIN && b.abs() < MAX2 && big < MAX2)
            || (b.abs() < MIN && a.abs() < MAX2 && big < MAX2)
        {
            (a, b, c, d) = (a * MIN_SCALE, b * MIN_SCALE, c * MIN_SCALE, d * MIN_SCALE);
        }
        let (x, y);
        if d_larger {
            let ratio = c / d;
            let denom = c * ratio + d;
            if ratio.abs() > MIN {
                x = (a * ratio + b) / denom;
                y = (b * ratio - a) / denom;
            } else {
                x = (c * (a / d) + b) / denom;
                y = (c * (b / d) - a) / denom;
            }
        } else {
            let ratio = d / c;
            let denom = d * ratio + c;
            if ratio.abs() > MIN {
                x = (b * ratio + a) / denom;
                y = (b - a * ratio) / denom;
            } else {
                x = (a + d * (b / c)) / denom;
                y = (b - d * (a / c)) / denom;
            }
        }
        [a, b, c, d, x, y]
    }
}

/// C99 Annex G helpers: an infinite part boxed to +-1 (finite ones to +-0); a NaN part to +-0.
fn box_inf<R: Real>(v: R) -> R {
    (if v.is_inf() { R::ONE } else { R::ZERO }).copysign(v)
}
fn nan_to_zero<R: Real>(v: R) -> R {
    if v.is_nan() {
        R::ZERO.copysign(v)
    } else {
        v
    }
}

/// (a + ib)(c + id): the plain formula, and when both parts come out NaN the infinity recovery of
/// C99 Annex G (G.5.1) as libgcc's __mulsc3/__muldc3 do it (the C++ `complex_mul`).
fn complex_mul<R: Real>(z: Cx<R>, w: Cx<R>) -> Cx<R> {
    let (mut a, mut b, mut c, mut d) = (z.re, z.im, w.re, w.im);
    let (ac, bd, ad, bc) = (a * c, b * d, a * d, b * c);
    let (x, y) = (ac - bd, ad + bc);
    if !(x.is_nan() && y.is_nan()) {
        return Cx { re: x, im: y };
    }
    let mut recalc = false;
    if a.is_inf() || b.is_inf() {
        (a, b, c, d) = (box_inf(a), box_inf(b), nan_to_zero(c), nan_to_zero(d));
        recalc = true;
    }
    if c.is_inf() || d.is_inf() {
        (c, d, a, b) = (box_inf(c), box_inf(d), nan_to_zero(a), nan_to_zero(b));
        recalc = true;
    }
    if !recalc && (ac.is_inf() || bd.is_inf() || ad.is_inf() || bc.is_inf()) {
        (a, b, c, d) = (
            nan_to_zero(a),
            nan_to_zero(b),
            nan_to_zero(c),
            nan_to_zero(d),
        );
        recalc = true;
    }
    if !recalc {
        return Cx { re: x, im: y };
    }
    Cx {
        re: R::INF * (a * c - b * d),
        im: R::INF * (a * d + b * c),
    }
}

/// (a + ib) / (c + id): `Real::quotient`, then the zero and infinity recovery of C99 Annex G as
/// libgcc's __divsc3/__divdc3 (the C++ `complex_div`).
fn complex_div<R: Real>(z: Cx<R>, w: Cx<R>) -> Cx<R> {
    let [a, b, c, d, x, y] = R::quotient(z.re, z.im, w.re, w.im);
    if !(x.is_nan() && y.is_nan()) {
        return Cx { re: x, im: y };
    }
    if c == R::ZERO && d == R::ZERO && (!a.is_nan() || !b.is_nan()) {
        let inf = R::INF.copysign(c);
        return Cx {
            re: inf * a,
            im: inf * b,
        };
    }
    if (a.is_inf() || b.is_inf()) && c.is_fin() && d.is_fin() {
        let (a, b) = (box_inf(a), box_inf(b));
        return Cx {
            re: R::INF * (a * c + b * d),
            im: R::INF * (b * c - a * d),
        };
    }
    if (c.is_inf() || d.is_inf()) && a.is_fin() && b.is_fin() {
        let (c, d) = (box_inf(c), box_inf(d));
        return Cx {
            re: R::ZERO * (a * c + b * d),
            im: R::ZERO * (b * c - a * d),
        };
    }
    Cx { re: x, im: y }
}

impl<R: Real> Elem for Cx<R> {
    const ZERO: Self = Cx {
        re: R::ZERO,
        im: R::ZERO,
    };
}
impl<R: Real> Arith for Cx<R> {
    fn add(self, o: Self) -> Self {
        Cx {
            re: self.re + o.re,
            im: self.im + o.im,
        }
    }
    fn sub(self, o: Self) -> Self {
        Cx {
            re: self.re - o.re,
            im: self.im - o.im,
        }
    }
    fn mul(self, o: Self) -> Self {
        complex_mul(self, o)
    }
    fn div(self, o: Self) -> Self {
        complex_div(self, o)
    }
}

const ADD: u8 = 0;
const SUB: u8 = 1;
const MUL: u8 = 2;
const DIV: u8 = 3;
const EQ: u8 = 4;
const NE: u8 = 5;
const LT: u8 = 6;
const LE: u8 = 7;
const GT: u8 = 8;
const GE: u8 = 9;
const VV: u8 = 0;
const VS: u8 = 1;
const SV: u8 = 2;

/// Comparisons as the C++ `compare1`: IEEE for floats, truth values for bool (false < true),
/// EQ/NE only for complex (both parts equal).
trait Compare: Elem {
    fn compare(self, o: Self, op: u8) -> bool;
}
fn ordered<T: PartialOrd>(x: T, y: T, op: u8) -> bool {
    match op {
        EQ => x == y,
        NE => x != y,
        LT => x < y,
        LE => x <= y,
        GT => x > y,
        _ => x >= y,
    }
}
macro_rules! ordered_compare {
    ($($t:ty),*) => {$(
        impl Compare for $t {
            fn compare(self, o: Self, op: u8) -> bool { ordered(self, o, op) }
        }
    )*};
}
ordered_compare!(f32, f64, i8, i16, i32, i64, u8, u16, u32, u64);
impl Compare for B8 {
    fn compare(self, o: Self, op: u8) -> bool {
        ordered(self.0 != 0, o.0 != 0, op)
    }
}
impl<R: Real> Compare for Cx<R> {
    fn compare(self, o: Self, op: u8) -> bool {
        let eq = self.re == o.re && self.im == o.im;
        if op == EQ {
            eq
        } else {
            !eq
        }
    }
}

/// Per-element conversion with the C++ `cvt1` rules: to bool is truthiness; from bool is 0 or 1;
/// float to int saturates with NaN -> 0 (to unsigned: to [0, max]) and int to int wraps (both are
/// what `as` does); complex to real takes the real part; real to complex is (x, 0).
trait CastTo<To> {
    fn cast(self) -> To;
}
macro_rules! casts {
    ($($f:ty),*) => {$(
        casts!(@to $f; f32, f64, i8, i16, i32, i64, u8, u16, u32, u64);
        impl CastTo<B8> for $f {
            fn cast(self) -> B8 { B8(u8::from(self.truthy())) }
        }
        impl CastTo<$f> for B8 {
            fn cast(self) -> $f { u8::from(self.0 != 0) as $f }
        }
        impl CastTo<C64> for $f {
            fn cast(self) -> C64 { Cx { re: self as f32, im: 0.0 } }
        }
        impl CastTo<C128> for $f {
            fn cast(self) -> C128 { Cx { re: self as f64, im: 0.0 } }
        }
        impl CastTo<$f> for C64 {
            fn cast(self) -> $f { self.re as $f }
        }
        impl CastTo<$f> for C128 {
            fn cast(self) -> $f { self.re as $f }
        }
    )*};
    (@to $f:ty; $($t:ty),*) => {$(
        impl CastTo<$t> for $f {
            fn cast(self) -> $t { self as $t }
        }
    )*};
}
casts!(f32, f64, i8, i16, i32, i64, u8, u16, u32, u64);
/// bool to bool copies the byte, as the C++ same-type cast (a memcpy).
impl CastTo<B8> for B8 {
    fn cast(self) -> B8 {
        self
    }
}
macro_rules! complex_casts {
    ($($c:ty => $r:ty),*) => {$(
        impl CastTo<B8> for $c {
            fn cast(self) -> B8 { B8(u8::from(self.truthy())) }
        }
        impl CastTo<$c> for B8 {
            fn cast(self) -> $c { Cx { re: u8::from(self.0 != 0) as $r, im: 0.0 } }
        }
        impl CastTo<C64> for $c {
            fn cast(self) -> C64 { Cx { re: self.re as f32, im: self.im as f32 } }
        }
        impl CastTo<C128> for $c {
            fn cast(self) -> C128 { Cx { re: self.re as f64, im: self.im as f64 } }
        }
    )*};
}
complex_casts!(C64 => f32, C128 => f64);

/// `out[i] = f(a[i], b[i])` over n elements in one of the three operand modes, the scalar side
/// read once; `out` may alias an input exactly (each element is read before it is written).
///
/// # Safety
/// n readable, naturally aligned `T`s at a and b (one at the broadcast side) and n writable `O`s
/// at out.
unsafe fn map2<T: Elem, O, const MODE: u8>(
    a: *const c_void,
    b: *const c_void,
    out: *mut c_void,
    n: usize,
    f: impl Fn(T, T) -> O,
) {
    let (x, y, o) = (a as *const T, b as *const T, out as *mut O);
    if n == 0 {
        return;
    }
    // SAFETY (whole body): the caller's contract.
    let xs = unsafe {
        if MODE == SV {
            x.read()
        } else {
            T::ZERO
        }
    };
    let ys = unsafe {
        if MODE == VS {
            y.read()
        } else {
            T::ZERO
        }
    };
    for i in 0..n {
        let xi = if MODE == SV {
            xs
        } else {
            unsafe { x.add(i).read() }
        };
        let yi = if MODE == VS {
            ys
        } else {
            unsafe { y.add(i).read() }
        };
        unsafe { o.add(i).write(f(xi, yi)) };
    }
}

/// `out[i] = a[i] op b[i]` (the C++ `binary` kernels).
unsafe extern "C" fn binary<T: Arith, const OP: u8, const MODE: u8>(
    a: *const c_void,
    b: *const c_void,
    out: *mut c_void,
    n: usize,
) {
    // SAFETY: forwarded kernel contract.
    unsafe {
        map2::<T, T, MODE>(a, b, out, n, |x, y| match OP {
            ADD => x.add(y),
            SUB => x.sub(y),
            MUL => x.mul(y),
            _ => x.div(y),
        })
    }
}

/// `out[i] = a[i] op b[i]` as one 0/1 byte (the C++ comparison kernels).
unsafe extern "C" fn compare<T: Compare, const OP: u8, const MODE: u8>(
    a: *const c_void,
    b: *const c_void,
    out: *mut c_void,
    n: usize,
) {
    // SAFETY: forwarded kernel contract (out holds n bytes).
    unsafe { map2::<T, u8, MODE>(a, b, out, n, |x, y| u8::from(x.compare(y, OP))) }
}

/// Pairwise block of the C++ scalar table: 8 accumulators, kBlock = 128 elements.
const BLOCK: usize = 128;

trait Float: Arith + PartialOrd {
    const ONE: Self;
    const MAX_FINITE: Self;
    fn magnitude(self) -> Self;
    fn root(self) -> Self;
}
macro_rules! float_impl {
    ($($t:ty),*) => {$(
        impl Float for $t {
            const ONE: Self = 1.0;
            const MAX_FINITE: Self = <$t>::MAX;
            fn magnitude(self) -> Self { self.abs() }
            fn root(self) -> Self { self.sqrt() }
        }
    )*};
}
float_impl!(f32, f64);

/// `block_sum` with one lane: eight running sums over consecutive elements, then the tree.
unsafe fn block_sum<T: Float, const DOT: bool>(a: *const T, b: *const T, n: usize) -> T {
    let term = |i: usize| unsafe {
        // SAFETY: i < n, inside both ranges of the caller's contract.
        if DOT {
            a.add(i).read().mul(b.add(i).read())
        } else {
            a.add(i).read()
        }
    };
    let mut s = [T::ZERO; 8];
    let mut i = 0;
    while i + 8 <= n {
        for (j, sj) in s.iter_mut().enumerate() {
            *sj = sj.add(term(i + j));
        }
        i += 8;
    }
    let mut rest = T::ZERO;
    while i < n {
        rest = rest.add(term(i));
        i += 1;
    }
    let tree = (s[0].add(s[1]).add(s[2].add(s[3]))).add(s[4].add(s[5]).add(s[6].add(s[7])));
    tree.add(rest)
}

unsafe fn pairwise<T: Float, const DOT: bool>(a: *const T, b: *const T, n: usize) -> T {
    if n <= BLOCK {
        // SAFETY: forwarded contract.
        return unsafe { block_sum::<T, DOT>(a, b, n) };
    }
    let h = (n / 2 / BLOCK * BLOCK).max(BLOCK);
    // SAFETY: both halves lie inside [0, n).
    unsafe {
        let bh = if DOT { b.add(h) } else { b };
        pairwise::<T, DOT>(a, b, h).add(pairwise::<T, DOT>(a.add(h), bh, n - h))
    }
}

unsafe extern "C" fn sum_float<T: Float>(x: *const c_void, n: usize, out: *mut c_void) {
    // SAFETY: n readable elements at x; out holds one T.
    unsafe { (out as *mut T).write(pairwise::<T, false>(x as *const T, std::ptr::null(), n)) }
}

/// Wrapping 64-bit sum of integers, written as int64 (for unsigned inputs, the bits of the
/// wrapping uint64 sum).
unsafe extern "C" fn sum_int<T: Elem + CastTo<i64>>(x: *const c_void, n: usize, out: *mut c_void) {
    let x = x as *const T;
    // SAFETY: n readable elements at x; out holds one i64.
    let total = (0..n).fold(0i64, |t, i| {
        t.wrapping_add(unsafe { x.add(i).read() }.cast())
    });
    unsafe { (out as *mut i64).write(total) }
}

unsafe extern "C" fn sum_bool(x: *const c_void, n: usize, out: *mut c_void) {
    let x = x as *const B8;
    // SAFETY: n readable bytes at x; out holds one i64.
    let count = (0..n)
        .filter(|&i| unsafe { x.add(i).read() }.truthy())
        .count();
    unsafe { (out as *mut i64).write(count as i64) }
}

unsafe extern "C" fn dot<T: Float>(a: *const c_void, b: *const c_void, n: usize, out: *mut c_void) {
    // SAFETY: n readable elements at a and b; out holds one T.
    unsafe { (out as *mut T).write(pairwise::<T, true>(a as *const T, b as *const T, n)) }
}

unsafe extern "C" fn scan<T: Elem, const ANY: bool>(x: *const c_void, n: usize) -> c_int {
    let x = x as *const T;
    // SAFETY: n readable elements at x.
    let hit = (0..n).any(|i| unsafe { x.add(i).read() }.truthy() == ANY);
    c_int::from(hit == ANY)
}

unsafe extern "C" fn accumulate<T: Elem, const ANY: bool>(
    x: *const c_void,
    n: usize,
    acc: *mut u8,
) {
    let x = x as *const T;
    for i in 0..n {
        // SAFETY: n readable elements at x and n 0/1 bytes at acc.
        unsafe {
            let (c, t) = (acc.add(i).read() != 0, x.add(i).read().truthy());
            acc.add(i)
                .write(u8::from(if ANY { c || t } else { c && t }));
        }
    }
}

unsafe extern "C" fn cast<F: Elem + CastTo<To>, To: Elem>(
    src: *const c_void,
    dst: *mut c_void,
    n: usize,
) {
    let (s, d) = (src as *const F, dst as *mut To);
    for i in 0..n {
        // SAFETY: n readable F at src and n writable To at dst.
        unsafe { d.add(i).write(s.add(i).read().cast()) }
    }
}

unsafe extern "C" fn gather<T: Elem>(
    src: *const c_void,
    stride: isize,
    dst: *mut c_void,
    n: usize,
) {
    let (s, d) = (src as *const u8, dst as *mut T);
    for i in 0..n {
        // SAFETY: element i sits at src + i * stride bytes (the caller's strided row); n
        // writable elements at dst.
        unsafe {
            d.add(i)
                .write((s.offset(i as isize * stride) as *const T).read())
        }
    }
}

/// Element (i, j) of a strided matrix.
unsafe fn at<T>(p: *const T, i: usize, rs: isize, j: usize, cs: isize) -> *const T {
    // SAFETY: the caller's matrix holds element (i, j).
    unsafe { p.offset(i as isize * rs + j as isize * cs) }
}

/// The table's correctness-first GEMM: i-p-j order into a zeroed row of C.
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn gemm<T: Float>(
    m: usize,
    n: usize,
    k: usize,
    a: *const c_void,
    a_rs: isize,
    a_cs: isize,
    b: *const c_void,
    b_rs: isize,
    b_cs: isize,
    c: *mut c_void,
    ldc: isize,
) {
    let (a, b, c) = (a as *const T, b as *const T, c as *mut T);
    // SAFETY (whole body): A is m x k, B is k x n, C is m x n with the given strides.
    for i in 0..m {
        let ci = unsafe { c.offset(i as isize * ldc) };
        for j in 0..n {
            unsafe { ci.add(j).write(T::ZERO) };
        }
        for p in 0..k {
            let aip = unsafe { at(a, i, a_rs, p, a_cs).read() };
            for j in 0..n {
                unsafe {
                    let bj = at(b, p, b_rs, j, b_cs).read();
                    ci.add(j).write(ci.add(j).read().add(aip.mul(bj)));
                }
            }
        }
    }
}

/// The teaching ladder's first rung: i-j-p with one accumulator.
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn gemm_naive<T: Float>(
    m: usize,
    n: usize,
    k: usize,
    a: *const c_void,
    a_rs: isize,
    a_cs: isize,
    b: *const c_void,
    b_rs: isize,
    b_cs: isize,
    c: *mut c_void,
    ldc: isize,
) {
    let (a, b, c) = (a as *const T, b as *const T, c as *mut T);
    for i in 0..m {
        for j in 0..n {
            let mut s = T::ZERO;
            for p in 0..k {
                // SAFETY: (i, p) of A and (p, j) of B are in bounds.
                s = s.add(unsafe {
                    at(a, i, a_rs, p, a_cs)
                        .read()
                        .mul(at(b, p, b_rs, j, b_cs).read())
                });
            }
            // SAFETY: (i, j) of C is in bounds.
            unsafe { c.offset(i as isize * ldc + j as isize).write(s) };
        }
    }
}

/// Scalar tile: MR x NR values (4 x 4), as the C++ scalar table.
const MR: usize = 4;
const NR: usize = 4;

/// `rows` x `k` of a strided matrix into panels of W rows: dst[(r/W)*k*W + p*W + r%W], the last
/// panel zero-filled to W rows.
unsafe fn pack_panels<T: Float, const W: usize>(
    rows: usize,
    k: usize,
    src: *const T,
    rs: isize,
    cs: isize,
    dst: *mut T,
) {
    for r0 in (0..rows).step_by(W) {
        let panel = r0 / W * k * W;
        for p in 0..k {
            for r in 0..W {
                // SAFETY: rows r0 + r < rows of the source are in bounds; dst holds
                // ceil(rows / W) panels of k x W.
                unsafe {
                    let v = if r0 + r < rows {
                        at(src, r0 + r, rs, p, cs).read()
                    } else {
                        T::ZERO
                    };
                    dst.add(panel + p * W + r).write(v);
                }
            }
        }
    }
}

unsafe extern "C" fn pack_a<T: Float>(
    mc: usize,
    kc: usize,
    a: *const c_void,
    rs: isize,
    cs: isize,
    dst: *mut c_void,
) {
    // SAFETY: forwarded contract.
    unsafe { pack_panels::<T, MR>(mc, kc, a as *const T, rs, cs, dst as *mut T) }
}

unsafe extern "C" fn pack_b<T: Float>(
    kc: usize,
    nc: usize,
    b: *const c_void,
    rs: isize,
    cs: isize,
    dst: *mut c_void,
) {
    // Packing B is packing B^T the way A is packed.
    // SAFETY: forwarded contract.
    unsafe { pack_panels::<T, NR>(nc, kc, b as *const T, cs, rs, dst as *mut T) }
}

/// One tile C[m x n] (+)= A[MR x k] * B[k x NV], every MR row of A and NV column of B read.
#[allow(clippy::too_many_arguments)]
unsafe fn micro_tile<T: Float, const NV: usize>(
    k: usize,
    a: *const T,
    a_rs: isize,
    a_cs: isize,
    b: *const T,
    b_rs: isize,
    c: *mut T,
    ldc: isize,
    m: usize,
    n: usize,
    accumulate: c_int,
) {
    let mut acc = [[T::ZERO; NV]; MR];
    for p in 0..k {
        for (i, row) in acc.iter_mut().enumerate() {
            // SAFETY (loop): all MR rows of A and NV values of B row p are readable.
            let ai = unsafe { at(a, i, a_rs, p, a_cs).read() };
            for (v, cell) in row.iter_mut().enumerate() {
                *cell =
                    cell.add(unsafe { b.offset(p as isize * b_rs + v as isize).read() }.mul(ai));
            }
        }
    }
    for (i, row) in acc.iter().enumerate().take(m) {
        for (v, &x) in row.iter().enumerate().take(n) {
            // SAFETY: (i, v) with i < m, v < n is inside the caller's C tile.
            unsafe {
                let cv = c.offset(i as isize * ldc + v as isize);
                cv.write(if accumulate != 0 { cv.read().add(x) } else { x });
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn ukernel<T: Float, const NV: usize>(
    kc: usize,
    a: *const c_void,
    b: *const c_void,
    c: *mut c_void,
    ldc: isize,
    m: usize,
    n: usize,
    accumulate: c_int,
) {
    let (a, b) = (a as *const T, b as *const T);
    // SAFETY: packed micro-panels of kc x MR and kc x NR; forwarded contract for C.
    unsafe {
        micro_tile::<T, NV>(
            kc,
            a,
            1,
            MR as isize,
            b,
            NR as isize,
            c as *mut T,
            ldc,
            m,
            n,
            accumulate,
        )
    }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn ukernel_sup<T: Float, const NV: usize>(
    k: usize,
    a: *const c_void,
    a_rs: isize,
    a_cs: isize,
    b: *const c_void,
    b_rs: isize,
    c: *mut c_void,
    ldc: isize,
    m: usize,
    n: usize,
    accumulate: c_int,
) {
    let (a, b) = (a as *const T, b as *const T);
    // SAFETY: forwarded contract.
    unsafe {
        micro_tile::<T, NV>(
            k,
            a,
            a_rs,
            a_cs,
            b,
            b_rs,
            c as *mut T,
            ldc,
            m,
            n,
            accumulate,
        )
    }
}

/// y = M x: rows contiguous as four dot products at a time; columns contiguous as y += x[p] *
/// column p, eight columns per pass; anything else element by element.
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn gemv<T: Float>(
    m: usize,
    k: usize,
    mat: *const c_void,
    rs: isize,
    cs: isize,
    x: *const c_void,
    incx: isize,
    y: *mut c_void,
) {
    let (mat, x, y) = (mat as *const T, x as *const T, y as *mut T);
    // SAFETY (whole body): M is m x k with strides (rs, cs), x holds k values incx apart, y m.
    let xp = |p: usize| unsafe { x.offset(p as isize * incx).read() };
    let el = |i: usize, p: usize| unsafe { at(mat, i, rs, p, cs).read() };
    if cs == 1 && incx == 1 {
        // Four rows at a time share the loads of x; each row's sum runs in order of p.
        for i in 0..m {
            let t = (0..k).fold(T::ZERO, |t, p| t.add(el(i, p).mul(xp(p))));
            unsafe { y.add(i).write(t) };
        }
        return;
    }
    for i in 0..m {
        unsafe { y.add(i).write(T::ZERO) };
    }
    if rs == 1 {
        const C: usize = 8;
        let full = k / C * C;
        for p0 in (0..full).step_by(C) {
            for i in 0..m {
                let mut acc = unsafe { y.add(i).read() };
                for j in 0..C {
                    acc = acc.add(xp(p0 + j).mul(el(i, p0 + j)));
                }
                unsafe { y.add(i).write(acc) };
            }
        }
        for p in full..k {
            let s = xp(p);
            for i in 0..m {
                unsafe { y.add(i).write(y.add(i).read().add(s.mul(el(i, p)))) };
            }
        }
        return;
    }
    for i in 0..m {
        let t = (0..k).fold(T::ZERO, |t, p| t.add(el(i, p).mul(xp(p))));
        unsafe { y.add(i).write(t) };
    }
}

unsafe extern "C" fn stream_copy(a: *const f64, c: *mut f64, _s: f64, n: usize) {
    // SAFETY: n elements at a and c.
    (0..n).for_each(|i| unsafe { c.add(i).write(a.add(i).read()) });
}
unsafe extern "C" fn stream_scale(a: *const f64, c: *mut f64, s: f64, n: usize) {
    // SAFETY: n elements at a and c.
    (0..n).for_each(|i| unsafe { c.add(i).write(s * a.add(i).read()) });
}
unsafe extern "C" fn stream_add(a: *const f64, b: *const f64, c: *mut f64, _s: f64, n: usize) {
    // SAFETY: n elements at a, b and c.
    (0..n).for_each(|i| unsafe { c.add(i).write(a.add(i).read() + b.add(i).read()) });
}
unsafe extern "C" fn stream_triad(a: *const f64, b: *const f64, c: *mut f64, s: f64, n: usize) {
    // SAFETY: n elements at a, b and c.
    (0..n).for_each(|i| unsafe { c.add(i).write(a.add(i).read() + s * b.add(i).read()) });
}

/// Twelve independent chains acc -> acc * x + y, one lane each; returns the flops done.
unsafe extern "C" fn fma_peak(iters: usize) -> f64 {
    let mut acc: [f32; 12] = std::array::from_fn(|k| 1.0 + 0.125 * k as f32);
    for _ in 0..iters {
        for a in acc.iter_mut() {
            *a = *a * 0.9999 + 0.001;
        }
    }
    std::hint::black_box(acc.iter().sum::<f32>());
    2.0 * 12.0 * iters as f64
}

type Binary = Option<crate::ffi::BinaryFn>;
const NONE: [Binary; 3] = [None; 3];

const fn modes<T: Arith, const OP: u8>() -> [Binary; 3] {
    [
        Some(binary::<T, OP, VV>),
        Some(binary::<T, OP, VS>),
        Some(binary::<T, OP, SV>),
    ]
}

const fn cmp_modes<T: Compare, const OP: u8>() -> [Binary; 3] {
    [
        Some(compare::<T, OP, VV>),
        Some(compare::<T, OP, VS>),
        Some(compare::<T, OP, SV>),
    ]
}

/// ADD/SUB/MUL for every dtype but bool; DIV (`floats_only`) for the float and complex ones.
const fn arith_row<const OP: u8>(floats_only: bool) -> [[Binary; 3]; NDTYPES] {
    let ints = !floats_only;
    [
        modes::<f32, OP>(),
        modes::<f64, OP>(),
        if ints { modes::<i32, OP>() } else { NONE },
        if ints { modes::<i64, OP>() } else { NONE },
        NONE,
        if ints { modes::<i8, OP>() } else { NONE },
        if ints { modes::<i16, OP>() } else { NONE },
        if ints { modes::<u8, OP>() } else { NONE },
        if ints { modes::<u16, OP>() } else { NONE },
        if ints { modes::<u32, OP>() } else { NONE },
        if ints { modes::<u64, OP>() } else { NONE },
        modes::<C64, OP>(),
        modes::<C128, OP>(),
    ]
}

/// A comparison for every dtype; complex only for EQ and NE.
const fn cmp_row<const OP: u8>() -> [[Binary; 3]; NDTYPES] {
    let complex = OP == EQ || OP == NE;
    [
        cmp_modes::<f32, OP>(),
        cmp_modes::<f64, OP>(),
        cmp_modes::<i32, OP>(),
        cmp_modes::<i64, OP>(),
        cmp_modes::<B8, OP>(),
        cmp_modes::<i8, OP>(),
        cmp_modes::<i16, OP>(),
        cmp_modes::<u8, OP>(),
        cmp_modes::<u16, OP>(),
        cmp_modes::<u32, OP>(),
        cmp_modes::<u64, OP>(),
        if complex {
            cmp_modes::<C64, OP>()
        } else {
            NONE
        },
        if complex {
            cmp_modes::<C128, OP>()
        } else {
            NONE
        },
    ]
}

const BINARY: [[[Binary; 3]; NDTYPES]; crate::ffi::NBINOPS] = [
    arith_row::<ADD>(false),
    arith_row::<SUB>(false),
    arith_row::<MUL>(false),
    arith_row::<DIV>(true),
    cmp_row::<EQ>(),
    cmp_row::<NE>(),
    cmp_row::<LT>(),
    cmp_row::<LE>(),
    cmp_row::<GT>(),
    cmp_row::<GE>(),
    // The standard's other binary functions have no Rust twin: Python tests hold them to NumPy,
    // and `tests::every_isa_matches_the_scalar_table_on_every_entry` holds the SIMD tables to the
    // C++ scalar one. Under Miri they are unsupported.
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
    [NONE; NDTYPES],
];

/// One entry per dtype, in code order.
macro_rules! per_dtype {
    ($f:ident $(, $arg:tt)*) => {
        [
            Some($f::<f32 $(, $arg)*>),
            Some($f::<f64 $(, $arg)*>),
            Some($f::<i32 $(, $arg)*>),
            Some($f::<i64 $(, $arg)*>),
            Some($f::<B8 $(, $arg)*>),
            Some($f::<i8 $(, $arg)*>),
            Some($f::<i16 $(, $arg)*>),
            Some($f::<u8 $(, $arg)*>),
            Some($f::<u16 $(, $arg)*>),
            Some($f::<u32 $(, $arg)*>),
            Some($f::<u64 $(, $arg)*>),
            Some($f::<C64 $(, $arg)*>),
            Some($f::<C128 $(, $arg)*>),
        ]
    };
}

macro_rules! cast_row {
    ($f:ty) => {
        [
            Some(cast::<$f, f32>),
            Some(cast::<$f, f64>),
            Some(cast::<$f, i32>),
            Some(cast::<$f, i64>),
            Some(cast::<$f, B8>),
            Some(cast::<$f, i8>),
            Some(cast::<$f, i16>),
            Some(cast::<$f, u8>),
            Some(cast::<$f, u16>),
            Some(cast::<$f, u32>),
            Some(cast::<$f, u64>),
            Some(cast::<$f, C64>),
            Some(cast::<$f, C128>),
        ]
    };
}

/// y += columns [c0, c1) of A x, A symmetric (lower triangle, column-major): four columns at a
/// time (their 4 x 4 diagonal block row by row, then each row below it), then single columns;
/// each column's dot product is its diagonal-block part plus the part below.
unsafe extern "C" fn symv<T: Float>(
    m: usize,
    c0: usize,
    c1: usize,
    a: *const c_void,
    lda: isize,
    x: *const c_void,
    y: *mut c_void,
) {
    let (a, x, y) = (a as *const T, x as *const T, y as *mut T);
    // SAFETY (whole body): A holds columns c0..c1 of m rows lda apart; x and y hold m values.
    let el = |i: usize, j: usize| unsafe { at(a, i, 1, j, lda).read() };
    let xp = |i: usize| unsafe { x.add(i).read() };
    let add_y = |i: usize, v: T| unsafe { y.add(i).write(y.add(i).read().add(v)) };
    const C: usize = 4;
    let mut j = c0;
    while j + C <= c1 {
        let (mut dot, mut acc) = ([T::ZERO; C], [T::ZERO; C]);
        for r in 0..C {
            let mut yr = T::ZERO;
            for (q, d) in dot.iter_mut().enumerate().take(r + 1) {
                let v = el(j + r, j + q);
                *d = d.add(v.mul(xp(j + r)));
                if q < r {
                    yr = yr.add(v.mul(xp(j + q)));
                }
            }
            add_y(j + r, yr);
        }
        for i in j + C..m {
            let mut yi = unsafe { y.add(i).read() };
            for (q, s) in acc.iter_mut().enumerate() {
                let v = el(i, j + q);
                yi = yi.add(v.mul(xp(j + q)));
                *s = s.add(v.mul(xp(i)));
            }
            unsafe { y.add(i).write(yi) };
        }
        for q in 0..C {
            add_y(j + q, acc[q].add(dot[q]));
        }
        j += C;
    }
    for j in j..c1 {
        let dot = el(j, j).mul(xp(j));
        let mut acc = T::ZERO;
        for i in j + 1..m {
            add_y(i, el(i, j).mul(xp(j)));
            acc = acc.add(el(i, j).mul(xp(i)));
        }
        add_y(j, acc.add(dot));
    }
}

/// `out[p] = sum_i z_i (z_i / ((d_i - shift[p]) - mu[p]))`, in order from zero (one lane).
unsafe extern "C" fn secular<T: Float>(
    n: usize,
    d: *const c_void,
    z: *const c_void,
    m: usize,
    shift: *const c_void,
    mu: *const c_void,
    out: *mut c_void,
) {
    // SAFETY (whole body): d and z hold n values, shift, mu and out m.
    let (d, z) = unsafe {
        (
            core::slice::from_raw_parts(d as *const T, n),
            core::slice::from_raw_parts(z as *const T, n),
        )
    };
    for p in 0..m {
        let (s, u) = unsafe {
            (
                (shift as *const T).add(p).read(),
                (mu as *const T).add(p).read(),
            )
        };
        let mut acc = T::ZERO;
        for (&di, &zi) in d.iter().zip(z) {
            acc = acc.add(zi.mul(zi.div(di.sub(s).sub(u))));
        }
        unsafe { (out as *mut T).add(p).write(acc.add(T::ZERO)) };
    }
}

/// `out_i = z_i / ((d_i - shift) - mu)`; the norm's squares scaled by the largest `|out_i|`.
unsafe extern "C" fn secular_vector<T: Float>(
    n: usize,
    d: *const c_void,
    z: *const c_void,
    shift: *const c_void,
    mu: *const c_void,
    out: *mut c_void,
    norm: *mut c_void,
) {
    // SAFETY (whole body): d, z and out hold n values, shift, mu and norm one.
    let (d, z) = unsafe {
        (
            core::slice::from_raw_parts(d as *const T, n),
            core::slice::from_raw_parts(z as *const T, n),
        )
    };
    let (s, u) = unsafe { ((shift as *const T).read(), (mu as *const T).read()) };
    let out = unsafe { core::slice::from_raw_parts_mut(out as *mut T, n) };
    let mut mx = T::ZERO;
    for ((o, &di), &zi) in out.iter_mut().zip(d).zip(z) {
        *o = zi.div(di.sub(s).sub(u));
        if o.magnitude() > mx {
            mx = o.magnitude();
        }
    }
    let scaled = mx > T::ZERO && mx <= T::MAX_FINITE;
    let (scale, unscale) = if scaled {
        (T::ONE.div(mx), mx)
    } else {
        (T::ONE, T::ONE)
    };
    let mut acc = T::ZERO;
    for &o in out.iter() {
        let t = o.mul(scale);
        acc = acc.add(t.mul(t));
    }
    unsafe { (norm as *mut T).write(unscale.mul(acc.add(T::ZERO).root())) };
}

/// `(mu_i + (shift_i - d_i)) prod_{j != i} (mu_j + (shift_j - d_i)) / (d_j - d_i)`.
unsafe extern "C" fn loewner<T: Float>(
    n: usize,
    d: *const c_void,
    mu: *const c_void,
    shift: *const c_void,
    i: usize,
    out: *mut c_void,
) {
    // SAFETY (whole body): d, mu and shift hold n > i values, out one.
    let (d, mu, shift) = unsafe {
        (
            core::slice::from_raw_parts(d as *const T, n),
            core::slice::from_raw_parts(mu as *const T, n),
            core::slice::from_raw_parts(shift as *const T, n),
        )
    };
    let di = d[i];
    let mut rest = T::ONE;
    for j in (0..i).chain(i + 1..n) {
        rest = rest.mul(mu[j].add(shift[j].sub(di)).div(d[j].sub(di)));
    }
    let head = mu[i].add(shift[i].sub(di));
    unsafe { (out as *mut T).write(head.mul(T::ONE.mul(rest))) };
}

const fn gemm_kernels<T: Float>() -> GemmKernels {
    GemmKernels {
        mr: MR,
        nr: NR,
        naive: Some(gemm_naive::<T>),
        pack_a: Some(pack_a::<T>),
        pack_b: Some(pack_b::<T>),
        ukernel: Some(ukernel::<T, NR>),
        ukernel_sup: Some(ukernel_sup::<T, NR>),
        ukernel_half: Some(ukernel::<T, { NR / 2 }>),
        ukernel_sup_half: Some(ukernel_sup::<T, { NR / 2 }>),
        gemv: Some(gemv::<T>),
        symv: Some(symv::<T>),
        secular: Some(secular::<T>),
        secular_vector: Some(secular_vector::<T>),
        loewner: Some(loewner::<T>),
    }
}

/// The table, shaped like the C++ scalar one (`vector_bytes` 8, 4 x 4 tiles).
pub static TABLE: KernelTable = KernelTable {
    isa: c"scalar".as_ptr(),
    vector_bytes: 8,
    binary: BINARY,
    binary_nt: BINARY,
    sum: [
        Some(sum_float::<f32>),
        Some(sum_float::<f64>),
        Some(sum_int::<i32>),
        Some(sum_int::<i64>),
        Some(sum_bool),
        Some(sum_int::<i8>),
        Some(sum_int::<i16>),
        Some(sum_int::<u8>),
        Some(sum_int::<u16>),
        Some(sum_int::<u32>),
        Some(sum_int::<u64>),
        None, // complex sums: a later issue, as in the C++ table
        None,
    ],
    all: per_dtype!(scan, false),
    any: per_dtype!(scan, true),
    all_acc: per_dtype!(accumulate, false),
    any_acc: per_dtype!(accumulate, true),
    cast: [
        cast_row!(f32),
        cast_row!(f64),
        cast_row!(i32),
        cast_row!(i64),
        cast_row!(B8),
        cast_row!(i8),
        cast_row!(i16),
        cast_row!(u8),
        cast_row!(u16),
        cast_row!(u32),
        cast_row!(u64),
        cast_row!(C64),
        cast_row!(C128),
    ],
    gather: per_dtype!(gather),
    dot: [Some(dot::<f32>), Some(dot::<f64>)],
    gemm: [Some(gemm::<f32>), Some(gemm::<f64>)],
    stream_copy: Some(stream_copy),
    stream_scale: Some(stream_scale),
    stream_add: Some(stream_add),
    stream_triad: Some(stream_triad),
    fma_peak: Some(fma_peak),
    gemmk: [gemm_kernels::<f32>(), gemm_kernels::<f64>()],
    // As the binary functions from MAX on: no Rust twin.
    unary: [[None; NDTYPES]; crate::ffi::NUNOPS],
    // Sorting has no Rust reference (tests that need it skip under Miri).
    sort_keys: [None; NDTYPES],
    sort_values: [None; NDTYPES],
    sort_take: [None; NDTYPES],
    sort: [None; 2],
    sort_partition: [None; 2],
    sort_indices: [None; 2],
    sort_search: [None; 2],
    sort_isin: [None; 2],
    sort_unique: [None; 2],
    matmul_other: [None; NDTYPES],
    // Reductions, statistics and scans (issue 16): no Rust reference yet; under Miri these ops
    // raise TypeError (kernel missing) and their tests do not run there.
    red_sum: [None; NDTYPES],
    red_prod: [None; NDTYPES],
    red_min: [None; NDTYPES],
    red_max: [None; NDTYPES],
    argmin: [None; NDTYPES],
    argmax: [None; NDTYPES],
    count_nonzero: [None; NDTYPES],
    acc_sum: [None; NDTYPES],
    acc_prod: [None; NDTYPES],
    acc_min: [None; NDTYPES],
    acc_max: [None; NDTYPES],
    acc_count: [None; NDTYPES],
    acc_argmin: [None; NDTYPES],
    acc_argmax: [None; NDTYPES],
    cumsum: [None; NDTYPES],
    cumprod: [None; NDTYPES],
    moments: [None; 2],
    welford: [None; 2],
    var_finish: [None; 2],
    arg_merge_min: [None; NDTYPES],
    arg_merge_max: [None; NDTYPES],
    // Vectorised sort: no Rust reference (sorting has none, see above).
    sort_range: [None; 2],
    sort_hist: [None; 2],
    sort_scatter: [None; 2],
    // Element-wise non-temporal unary rows: none (the unary table has no reference either).
    unary_nt: [[None; NDTYPES]; crate::ffi::NUNOPS],
    // Integer-array and boolean-mask indexing (issue 14).
    index_take: [
        Some(index_take::<u8>),
        Some(index_take::<u16>),
        Some(index_take::<u32>),
        Some(index_take::<u64>),
        Some(index_take::<u128>),
    ],
    index_compress: [
        Some(index_compress::<u8>),
        Some(index_compress::<u16>),
        Some(index_compress::<u32>),
        Some(index_compress::<u64>),
        Some(index_compress::<u128>),
    ],
    index_take_rows: Some(index_take_rows),
    index_compress_rows: Some(index_compress_rows),
    index_count: Some(index_count),
    index_positions: Some(index_positions),
    // The small-matrix solve: no Rust twin (under Miri, linalg.solve of n <= 32 raises TypeError).
    lu_solve: [None; NDTYPES],
};

/// Element j of a gather's source, checked against [-len, len) (None when outside).
fn wrap_index(j: i64, len: usize) -> Option<isize> {
    let j = if j < 0 { j + len as i64 } else { j };
    (0..len as i64).contains(&j).then_some(j as isize)
}

unsafe extern "C" fn index_take<T: Copy>(
    src: *const c_void,
    stride: isize,
    len: usize,
    idx: *const i64,
    n: usize,
    dst: *mut c_void,
) -> usize {
    // SAFETY: n indices readable; n writable elements at dst.
    unsafe { index_take_rows(src, stride, len, idx, n, dst, size_of::<T>()) }
}

unsafe extern "C" fn index_take_rows(
    src: *const c_void,
    stride: isize,
    len: usize,
    idx: *const i64,
    n: usize,
    dst: *mut c_void,
    row_bytes: usize,
) -> usize {
    for i in 0..n {
        // SAFETY: n indices readable at idx.
        let Some(j) = wrap_index(unsafe { idx.add(i).read() }, len) else {
            return i;
        };
        // SAFETY: row j (in range) of the source and row i of dst, row_bytes each.
        unsafe {
            std::ptr::copy_nonoverlapping(
                (src as *const u8).offset(j * stride),
                (dst as *mut u8).add(i * row_bytes),
                row_bytes,
            )
        };
    }
    n
}

unsafe extern "C" fn index_compress<T: Copy>(
    src: *const c_void,
    stride: isize,
    mask: *const c_void,
    n: usize,
    count: usize,
    dst: *mut c_void,
) {
    // SAFETY: the caller's contract, as for the rows form.
    unsafe { index_compress_rows(src, stride, mask, n, count, dst, size_of::<T>()) }
}

unsafe extern "C" fn index_compress_rows(
    src: *const c_void,
    stride: isize,
    mask: *const c_void,
    n: usize,
    count: usize,
    dst: *mut c_void,
    row_bytes: usize,
) {
    let mut j = 0;
    for i in 0..n {
        // SAFETY: n mask bytes readable; row i of src in range; j < count rows fit dst.
        unsafe {
            if j < count && (mask as *const u8).add(i).read() != 0 {
                std::ptr::copy_nonoverlapping(
                    (src as *const u8).offset(i as isize * stride),
                    (dst as *mut u8).add(j * row_bytes),
                    row_bytes,
                );
                j += 1;
            }
        }
    }
}

unsafe extern "C" fn index_count(mask: *const c_void, n: usize) -> usize {
    // SAFETY: n readable mask bytes.
    let m = unsafe { std::slice::from_raw_parts(mask as *const u8, n) };
    m.iter().filter(|&&b| b != 0).count()
}

unsafe extern "C" fn index_positions(
    mask: *const c_void,
    n: usize,
    base: i64,
    count: usize,
    dst: *mut i64,
) {
    // SAFETY: n readable mask bytes.
    let m = unsafe { std::slice::from_raw_parts(mask as *const u8, n) };
    for (j, (i, _)) in m
        .iter()
        .enumerate()
        .filter(|(_, &b)| b != 0)
        .take(count)
        .enumerate()
    {
        // SAFETY: j < count slots at dst.
        unsafe { dst.add(j).write(base + i as i64) };
    }
}

#[cfg(all(test, not(miri)))]
#[path = "reference_tests.rs"]
mod tests;
