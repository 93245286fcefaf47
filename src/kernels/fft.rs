//! Discrete Fourier transforms along axes (`corepy.fft`): rustfft computes the complex
//! transforms, realfft the real ones; everything around them is decided here.
//!
//! One transform along one axis reads each line (any strides, any layout) into scratch, cropped
//! or zero-padded to the transform length, transforms it, scales it for the `norm` mode and
//! writes it to a fresh C-contiguous result. Lines are taken in groups (consecutive lines of a
//! strided axis lie side by side in memory, so a group is gathered a row of neighbours at a
//! time), and groups are shared out to corepy's pool. Along the last axis the result's lines
//! are themselves contiguous: the data is gathered straight into the result and transformed in
//! place there. N-dimensional transforms are one-axis transforms applied axis by axis, as
//! NumPy's are.
//!
//! Plans (twiddle tables, the chosen algorithm) are made on the calling thread by per-thread
//! planners that keep them by length and direction, and shared with the pool's threads.

use crate::dtype::DType;
use crate::error::{CoreError, Result};
use crate::instrument::alloc;
use crate::kernels::sort::with_scratch;
use crate::parallel::{self, SendPtr};
use crate::tensor::{normalize_axis, Tensor, View};
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex;
use rustfft::num_traits::Zero;
use rustfft::{Fft, FftDirection, FftNum, FftPlanner};
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

/// Work (lines x length) from which the lines of a transform are shared with the pool.
const PARALLEL_MIN: usize = 1 << 15;
/// Elements of one task's lines: enough to amortise a task, small enough to stay in L2.
const TASK_ELEMS: usize = 1 << 14;
/// Lines gathered side by side when the transformed axis is strided: 64 complex64 are 512
/// bytes read per step along the axis (each step is a new page when rows are long).
const STRIDED_GROUP: usize = 64;
/// Elements of one task's lines on a strided axis (512 KiB of complex64: within L2).
const STRIDED_TASK_ELEMS: usize = 1 << 16;
/// Distinct plans a thread keeps before its planners start afresh (NumPy's pocketfft keeps 16).
const MAX_PLANS: usize = 64;

/// The `norm` argument: which direction is scaled, and by what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Norm {
    /// No scaling forward, 1/n backward (the default).
    Backward,
    /// 1/sqrt(n) both ways.
    Ortho,
    /// 1/n forward, none backward.
    Forward,
}

impl Norm {
    pub fn from_name(op: &str, name: &str) -> Result<Norm> {
        match name {
            "backward" => Ok(Norm::Backward),
            "ortho" => Ok(Norm::Ortho),
            "forward" => Ok(Norm::Forward),
            _ => Err(CoreError::value(format!(
                "{op}: norm must be 'backward', 'ortho' or 'forward', got {name:?}"
            ))),
        }
    }

    /// The factor a transform of length `n` is multiplied by.
    fn factor(self, n: usize, inverse: bool) -> f64 {
        match (self, inverse) {
            (Norm::Backward, false) | (Norm::Forward, true) => 1.0,
            (Norm::Ortho, _) => 1.0 / (n as f64).sqrt(),
            _ => 1.0 / n as f64,
        }
    }
}

/// A one-dimensional transform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `fft`: complex to complex, e^(-2 pi i jk/n).
    Forward,
    /// `ifft`: complex to complex, e^(+2 pi i jk/n).
    Inverse,
    /// `rfft`: n reals to their n/2+1 non-negative frequencies.
    Real,
    /// `irfft`: n/2+1 frequencies of a Hermitian spectrum to n reals.
    InverseReal,
    /// `hfft`: the irfft of the conjugate, scaled as a forward transform.
    Hermitian,
    /// `ihfft`: the conjugate of the rfft, scaled as an inverse transform.
    InverseHermitian,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Forward => "fft",
            Kind::Inverse => "ifft",
            Kind::Real => "rfft",
            Kind::InverseReal => "irfft",
            Kind::Hermitian => "hfft",
            Kind::InverseHermitian => "ihfft",
        }
    }

    fn real_input(self) -> bool {
        matches!(self, Kind::Real | Kind::InverseHermitian)
    }

    fn real_output(self) -> bool {
        matches!(self, Kind::InverseReal | Kind::Hermitian)
    }

    /// Scaled as an inverse transform (hfft is irfft with the norm swapped, ihfft rfft).
    fn inverse(self) -> bool {
        matches!(
            self,
            Kind::Inverse | Kind::InverseReal | Kind::InverseHermitian
        )
    }

    /// The conjugate is taken of the input (hfft) or of the output (ihfft).
    fn conj(self) -> bool {
        matches!(self, Kind::Hermitian | Kind::InverseHermitian)
    }

    /// Elements of the input used per line for a transform of length `n`.
    fn input_len(self, n: usize) -> usize {
        if self.real_output() {
            n / 2 + 1
        } else {
            n
        }
    }

    fn output_len(self, n: usize) -> usize {
        if self.real_input() {
            n / 2 + 1
        } else {
            n
        }
    }

    /// The transform length when `n` is not given, from the input's length `m` along the axis.
    fn default_n(self, m: usize) -> usize {
        if self.real_output() {
            2 * m.saturating_sub(1)
        } else {
            m
        }
    }

    /// The textbook operation count of one transform of length `n`: 5 n log2 n for a complex
    /// one, half that for a real one.
    fn flops(self, n: usize) -> f64 {
        let f = 5.0 * n as f64 * (n as f64).log2();
        if matches!(self, Kind::Forward | Kind::Inverse) {
            f
        } else {
            f / 2.0
        }
    }

    /// The input dtype this transform takes (TypeError otherwise, as the standard says).
    fn check_input(self, dt: DType) -> Result<()> {
        let ok = if self.real_input() {
            dt == DType::F32 || dt == DType::F64
        } else {
            dt.is_complex()
        };
        if ok {
            return Ok(());
        }
        let want = if self.real_input() {
            "a real floating-point dtype (float32 or float64)"
        } else {
            "a complex floating-point dtype (complex64 or complex128)"
        };
        Err(CoreError::type_err(format!(
            "{}: expected {want}, got {}",
            self.name(),
            dt.name()
        )))
    }
}

/// The plan of one transform (shared by every thread that runs its lines).
enum Plan<T: FftNum> {
    Complex(Arc<dyn Fft<T>>),
    RealForward(Arc<dyn RealToComplex<T>>),
    RealInverse(Arc<dyn ComplexToReal<T>>),
}

impl<T: FftNum> Plan<T> {
    fn scratch_len(&self) -> usize {
        match self {
            Plan::Complex(p) => p.get_inplace_scratch_len(),
            Plan::RealForward(p) => p.get_scratch_len(),
            Plan::RealInverse(p) => p.get_scratch_len(),
        }
    }
}

/// One thread's planners; each keeps the plans it made (rustfft's and realfft's caches).
struct Planners<T: FftNum> {
    complex: FftPlanner<T>,
    real: RealFftPlanner<T>,
    made: HashSet<(usize, Kind)>,
}

impl<T: FftNum> Planners<T> {
    fn new() -> Planners<T> {
        Planners {
            complex: FftPlanner::new(),
            real: RealFftPlanner::new(),
            made: HashSet::new(),
        }
    }

    fn plan(&mut self, n: usize, kind: Kind) -> Plan<T> {
        let key = (
            n,
            match kind {
                Kind::Hermitian => Kind::InverseReal,
                Kind::InverseHermitian => Kind::Real,
                k => k,
            },
        );
        if !self.made.contains(&key) && self.made.len() >= MAX_PLANS {
            *self = Planners::new();
        }
        self.made.insert(key);
        match key.1 {
            Kind::Forward => Plan::Complex(self.complex.plan_fft(n, FftDirection::Forward)),
            Kind::Inverse => Plan::Complex(self.complex.plan_fft(n, FftDirection::Inverse)),
            Kind::Real => Plan::RealForward(self.real.plan_fft_forward(n)),
            _ => Plan::RealInverse(self.real.plan_fft_inverse(n)),
        }
    }
}

/// f32 or f64: the precision a transform runs in, with its thread's planners.
trait Float: FftNum {
    const REAL: DType;
    const COMPLEX: DType;
    fn with_planners<R>(f: impl FnOnce(&mut Planners<Self>) -> R) -> R;
}

thread_local! {
    static PLANNERS_F32: RefCell<Option<Planners<f32>>> = const { RefCell::new(None) };
    static PLANNERS_F64: RefCell<Option<Planners<f64>>> = const { RefCell::new(None) };
}

macro_rules! float_impl {
    ($t:ty, $real:expr, $complex:expr, $slot:ident) => {
        impl Float for $t {
            const REAL: DType = $real;
            const COMPLEX: DType = $complex;
            fn with_planners<R>(f: impl FnOnce(&mut Planners<Self>) -> R) -> R {
                $slot.with(|p| f(p.borrow_mut().get_or_insert_with(Planners::new)))
            }
        }
    };
}
float_impl!(f32, DType::F32, DType::C64, PLANNERS_F32);
float_impl!(f64, DType::F64, DType::C128, PLANNERS_F64);

/// The plan for a transform of length `n` from this thread's planners. Plans are a cache that
/// lives as long as the thread, like the pool's own bookkeeping: not counted as an op's
/// allocation (a profile would show the first call of each length as a leak otherwise).
fn plan<T: Float>(n: usize, kind: Kind) -> Plan<T> {
    alloc::uncounted(|| T::with_planners(|p| p.plan(n, kind)))
}

/// An element of a line: a real or complex value of precision `T`.
trait Elem<T: FftNum>: Copy + Send + Sync {
    fn zero() -> Self;
    fn scaled(self, s: T) -> Self;
    fn conj(self) -> Self;
}

impl<T: FftNum> Elem<T> for T {
    fn zero() -> T {
        <T as Zero>::zero()
    }
    fn scaled(self, s: T) -> T {
        self * s
    }
    fn conj(self) -> T {
        self
    }
}

impl<T: FftNum> Elem<T> for Complex<T> {
    fn zero() -> Complex<T> {
        <Complex<T> as Zero>::zero()
    }
    fn scaled(self, s: T) -> Complex<T> {
        Complex::new(self.re * s, self.im * s)
    }
    fn conj(self) -> Complex<T> {
        Complex::new(self.re, -self.im)
    }
}

/// The other axes of a transform: the byte offsets of line `r` in the input and the output.
struct Lines {
    outer: Vec<usize>,
    in_strides: Vec<isize>,
    out_strides: Vec<isize>,
}

impl Lines {
    fn new(x: &View, out: &Tensor, ax: usize) -> Lines {
        let (isz, osz) = (
            x.dtype().itemsize() as isize,
            out.dtype().itemsize() as isize,
        );
        let mut l = Lines {
            outer: vec![],
            in_strides: vec![],
            out_strides: vec![],
        };
        for a in (0..x.ndim()).filter(|&a| a != ax) {
            l.outer.push(x.shape()[a]);
            l.in_strides.push(x.strides()[a] * isz);
            l.out_strides.push(out.strides()[a] * osz);
        }
        l
    }

    fn offsets(&self, mut r: usize) -> (isize, isize) {
        let (mut i, mut o) = (0isize, 0isize);
        for d in (0..self.outer.len()).rev() {
            let k = r % self.outer[d];
            r /= self.outer[d];
            i += k as isize * self.in_strides[d];
            o += k as isize * self.out_strides[d];
        }
        (i, o)
    }
}

/// Copies `used` elements of each line at `src + offs[b]` (byte stride `ss`) into line `b` of
/// `dst` (`len` elements per line), conjugated when `conj`, and zeroes the rest of each line.
/// Contiguous lines are copied one after the other; strided ones a tile of steps at a time
/// over the group, so neighbouring lines of a strided axis are read side by side.
///
/// # Safety
/// Every line must have `used` readable elements of `E` at its offset and stride; `dst` must be
/// writable for `offs.len() * len` elements.
unsafe fn gather<T: FftNum, E: Elem<T>>(
    src: *const u8,
    offs: &[isize],
    ss: isize,
    used: usize,
    len: usize,
    dst: *mut E,
    conj: bool,
) {
    if ss == size_of::<E>() as isize {
        for (b, &o) in offs.iter().enumerate() {
            // SAFETY: line b of x holds `used` consecutive elements (caller); line b of dst is
            // `len >= used` elements, which x cannot overlap (dst is the op's own memory).
            unsafe {
                let d = dst.add(b * len);
                std::ptr::copy_nonoverlapping(src.offset(o), d as *mut u8, used * size_of::<E>());
                if conj {
                    let line = std::slice::from_raw_parts_mut(d, used);
                    line.iter_mut().for_each(|v| *v = v.conj());
                }
            }
        }
    } else {
        // Tiles of one cache line per destination line: the tile's source rows (neighbouring
        // lines side by side) and destination lines both stay in L1, where a plain step-major
        // loop wrote one element per line per step, lines a power of two apart missing L1 on
        // every store.
        let tile = (64 / size_of::<E>()).max(1);
        for k0 in (0..used).step_by(tile) {
            let k1 = (k0 + tile).min(used);
            for (b, &o) in offs.iter().enumerate() {
                for k in k0..k1 {
                    // SAFETY: element k of line b, inside x (caller); the destination is line b.
                    unsafe {
                        let v = (src.offset(o + k as isize * ss) as *const E).read_unaligned();
                        *dst.add(b * len + k) = if conj { v.conj() } else { v };
                    }
                }
            }
        }
    }
    for b in 0..offs.len() {
        // SAFETY: the tail of line b of dst.
        let tail = unsafe { std::slice::from_raw_parts_mut(dst.add(b * len + used), len - used) };
        tail.fill(E::zero());
    }
}

/// Writes line `b` of `src` (`len` elements per line) to `dst + offs[b]` (byte stride `ds`),
/// scaled by `scale` when given, conjugated when `conj`: line by line when the destination
/// lines are contiguous, in tiles over the group otherwise.
///
/// # Safety
/// `src` must hold `offs.len() * len` elements; every destination line must be writable.
unsafe fn scatter<T: FftNum, E: Elem<T>>(
    src: *const E,
    len: usize,
    dst: *mut u8,
    offs: &[isize],
    ds: isize,
    scale: Option<T>,
    conj: bool,
) {
    let map = |mut v: E| {
        if let Some(s) = scale {
            v = v.scaled(s);
        }
        if conj {
            v.conj()
        } else {
            v
        }
    };
    if ds == std::mem::size_of::<E>() as isize {
        for (b, &o) in offs.iter().enumerate() {
            // SAFETY: line b of src, and the destination line of `len` contiguous elements
            // (caller); the result never overlaps the scratch.
            unsafe {
                let from = std::slice::from_raw_parts(src.add(b * len), len);
                let to = std::slice::from_raw_parts_mut(dst.offset(o) as *mut E, len);
                to.iter_mut().zip(from).for_each(|(t, &f)| *t = map(f));
            }
        }
        return;
    }
    // Tiled as in `gather`.
    let tile = (64 / size_of::<E>()).max(1);
    for k0 in (0..len).step_by(tile) {
        let k1 = (k0 + tile).min(len);
        for (b, &o) in offs.iter().enumerate() {
            for k in k0..k1 {
                // SAFETY: element k of line b of src, and of the destination line (caller).
                unsafe {
                    *(dst.offset(o + k as isize * ds) as *mut E) = map(*src.add(b * len + k))
                };
            }
        }
    }
}

/// Scales (and conjugates) a block in place.
fn finish<T: FftNum, E: Elem<T>>(block: &mut [E], scale: Option<T>, conj: bool) {
    match (scale, conj) {
        (None, false) => {}
        (Some(s), false) => block.iter_mut().for_each(|v| *v = v.scaled(s)),
        (None, true) => block.iter_mut().for_each(|v| *v = v.conj()),
        (Some(s), true) => block.iter_mut().for_each(|v| *v = v.scaled(s).conj()),
    }
}

/// What one transform along one axis does, shared by its tasks.
struct Job<'a, T: Float> {
    kind: Kind,
    plan: Plan<T>,
    n: usize,
    /// Input elements read per line (the rest of the transform's input is zero).
    used: usize,
    in_len: usize,
    out_len: usize,
    scale: Option<T>,
    lines: Lines,
    /// Byte strides along the axis.
    ss: isize,
    ds: isize,
    /// The result's lines are consecutive and contiguous (the axis is its last non-trivial one).
    direct: bool,
    src: SendPtr,
    dst: SendPtr,
    _x: std::marker::PhantomData<&'a ()>,
}

impl<T: Float> Job<'_, T> {
    /// Scratch bytes of a task of `g` lines.
    fn scratch_bytes(&self, g: usize) -> usize {
        let c = std::mem::size_of::<Complex<T>>();
        let r = std::mem::size_of::<T>();
        let fft = self.plan.scratch_len() * c;
        let in_bytes = match (&self.plan, self.direct) {
            (Plan::Complex(_), true) => 0,
            (Plan::RealForward(_), _) => g * self.in_len * r,
            _ => g * self.in_len * c,
        };
        let out_bytes = match (&self.plan, self.direct) {
            (_, true) | (Plan::Complex(_), _) => 0,
            (Plan::RealForward(_), false) => g * self.out_len * c,
            (Plan::RealInverse(_), false) => g * self.out_len * r,
        };
        // Each part starts 64-byte aligned.
        [fft, in_bytes, out_bytes]
            .iter()
            .map(|b| b.next_multiple_of(64))
            .sum()
    }

    /// Transforms lines `r0..r1`.
    fn run(&self, r0: usize, r1: usize) -> Result<()> {
        let g = r1 - r0;
        let mut in_offs = Vec::with_capacity(g);
        let mut out_offs = Vec::with_capacity(g);
        for r in r0..r1 {
            let (i, o) = self.lines.offsets(r);
            in_offs.push(i);
            out_offs.push(o);
        }
        with_scratch(self.scratch_bytes(g), |buf| {
            let c = std::mem::size_of::<Complex<T>>();
            let fft_len = self.plan.scratch_len();
            let in_buf = buf.wrapping_add((fft_len * c).next_multiple_of(64));
            // SAFETY: the scratch holds fft_len complex values first (64-byte aligned).
            let scratch =
                unsafe { std::slice::from_raw_parts_mut(buf as *mut Complex<T>, fft_len) };
            // SAFETY: the lines r0..r1 are inside x and out (offsets from their shapes and
            // strides); the scratch buffers are sized by `scratch_bytes`.
            unsafe { self.lines_with(g, &in_offs, &out_offs, in_buf, scratch) };
            Ok(())
        })
    }

    /// # Safety
    /// See `run`: offsets of `g` lines inside x and out; `in_buf` the scratch after the FFT's.
    unsafe fn lines_with(
        &self,
        g: usize,
        in_offs: &[isize],
        out_offs: &[isize],
        in_buf: *mut u8,
        scratch: &mut [Complex<T>],
    ) {
        let src = self.src.get() as *const u8;
        let dst = self.dst.get();
        let conj = self.kind.conj();
        let (n, il, ol) = (self.n, self.in_len, self.out_len);
        // The first line of the group in a direct result (its lines are consecutive).
        let direct_at = dst.wrapping_offset(out_offs[0]);
        // SAFETY (whole body): pointers and lengths as the caller guarantees; slices are made
        // over disjoint regions of the scratch or over this group's lines of the result.
        unsafe {
            match &self.plan {
                Plan::Complex(p) => {
                    let block = if self.direct {
                        direct_at as *mut Complex<T>
                    } else {
                        in_buf as *mut Complex<T>
                    };
                    gather::<T, Complex<T>>(src, in_offs, self.ss, self.used, n, block, false);
                    let lines = std::slice::from_raw_parts_mut(block, g * n);
                    p.process_with_scratch(lines, scratch);
                    if self.direct {
                        finish(lines, self.scale, false);
                    } else {
                        scatter(block, n, dst, out_offs, self.ds, self.scale, false);
                    }
                }
                Plan::RealForward(p) => {
                    let reals = in_buf as *mut T;
                    gather::<T, T>(src, in_offs, self.ss, self.used, il, reals, false);
                    let out_block = if self.direct {
                        direct_at as *mut Complex<T>
                    } else {
                        in_buf
                            .wrapping_add((g * il * std::mem::size_of::<T>()).next_multiple_of(64))
                            as *mut Complex<T>
                    };
                    for b in 0..g {
                        let input = std::slice::from_raw_parts_mut(reals.add(b * il), il);
                        let output = std::slice::from_raw_parts_mut(out_block.add(b * ol), ol);
                        p.process_with_scratch(input, output, scratch)
                            .expect("buffers sized from the plan");
                    }
                    if self.direct {
                        let all = std::slice::from_raw_parts_mut(out_block, g * ol);
                        finish(all, self.scale, conj);
                    } else {
                        scatter(out_block, ol, dst, out_offs, self.ds, self.scale, conj);
                    }
                }
                Plan::RealInverse(p) => {
                    let spectra = in_buf as *mut Complex<T>;
                    gather::<T, Complex<T>>(src, in_offs, self.ss, self.used, il, spectra, conj);
                    let out_block = if self.direct {
                        direct_at as *mut T
                    } else {
                        in_buf.wrapping_add(
                            (g * il * std::mem::size_of::<Complex<T>>()).next_multiple_of(64),
                        ) as *mut T
                    };
                    for b in 0..g {
                        let input = std::slice::from_raw_parts_mut(spectra.add(b * il), il);
                        let output = std::slice::from_raw_parts_mut(out_block.add(b * ol), ol);
                        // The imaginary parts of the zero (and Nyquist) frequency cannot enter
                        // a real result: realfft ignores them and says so; so does NumPy.
                        match p.process_with_scratch(input, output, scratch) {
                            Ok(()) | Err(realfft::FftError::InputValues(..)) => {}
                            Err(e) => panic!("buffers sized from the plan: {e}"),
                        }
                    }
                    if self.direct {
                        let all = std::slice::from_raw_parts_mut(out_block, g * ol);
                        finish(all, self.scale, false);
                    } else {
                        scatter(out_block, ol, dst, out_offs, self.ds, self.scale, false);
                    }
                }
            }
        }
    }
}

/// The result of a transform: the tensor and its operation count (for the profiler).
pub struct Transformed {
    pub tensor: Tensor,
    pub flops: f64,
}

/// One 1-D transform of `x` along `axis`, of length `n` (None: the standard's default).
pub fn transform(
    x: &View,
    n: Option<i64>,
    axis: i64,
    kind: Kind,
    norm: Norm,
) -> Result<Transformed> {
    kind.check_input(x.dtype())?;
    let ax = normalize_axis(axis, x.ndim())?;
    let n = resolve_n(kind, n, x.shape()[ax])?;
    axis_transform(x, ax, n, kind, norm)
}

/// The transform length: `n` when given (at least 1), else the default from the axis length.
fn resolve_n(kind: Kind, n: Option<i64>, m: usize) -> Result<usize> {
    let n = match n {
        Some(n) if n < 1 => {
            return Err(CoreError::value(format!(
                "{}: n must be at least 1, got {n}",
                kind.name()
            )))
        }
        Some(n) => usize::try_from(n).map_err(|_| CoreError::value("n is too large"))?,
        None => kind.default_n(m),
    };
    if n == 0 {
        return Err(CoreError::value(format!(
            "{}: the output would have 0 points (input of length {m} along the axis); pass n",
            kind.name()
        )));
    }
    Ok(n)
}

fn axis_transform(x: &View, ax: usize, n: usize, kind: Kind, norm: Norm) -> Result<Transformed> {
    if x.dtype() == DType::F32 || x.dtype() == DType::C64 {
        axis_transform_t::<f32>(x, ax, n, kind, norm)
    } else {
        axis_transform_t::<f64>(x, ax, n, kind, norm)
    }
}

fn axis_transform_t<T: Float>(
    x: &View,
    ax: usize,
    n: usize,
    kind: Kind,
    norm: Norm,
) -> Result<Transformed> {
    let (in_len, out_len) = (kind.input_len(n), kind.output_len(n));
    let mut shape = x.shape().to_vec();
    shape[ax] = out_len;
    let out_dt = if kind.real_output() {
        T::REAL
    } else {
        T::COMPLEX
    };
    let out = Tensor::empty(&shape, out_dt)?;
    let rows = out.size().checked_div(out_len).unwrap_or(0);
    if rows == 0 {
        return Ok(Transformed {
            tensor: out,
            flops: 0.0,
        });
    }
    let factor = norm.factor(n, kind.inverse());
    let job = Job::<T> {
        kind,
        plan: plan::<T>(n, kind),
        n,
        used: x.shape()[ax].min(in_len),
        in_len,
        out_len,
        scale: (factor != 1.0).then(|| T::from_f64(factor).expect("a float converts")),
        lines: Lines::new(x, &out, ax),
        ss: x.strides()[ax] * x.dtype().itemsize() as isize,
        ds: out.strides()[ax] * out_dt.itemsize() as isize,
        direct: shape[ax + 1..].iter().all(|&d| d == 1),
        src: SendPtr(x.data() as *mut u8),
        dst: SendPtr(out.data_mut()?),
        _x: std::marker::PhantomData,
    };
    let per = if job.direct {
        (TASK_ELEMS / n).max(1)
    } else {
        (STRIDED_TASK_ELEMS / n).clamp(1, STRIDED_GROUP)
    };
    let per = per.min(rows);
    let work = rows.saturating_mul(n.max(x.shape()[ax]));
    let par = rows > per && parallel::should_parallelize(work, PARALLEL_MIN);
    let failed = std::sync::Mutex::new(None);
    parallel::run_tasks_checked(rows.div_ceil(per), par, per * n, |t| {
        let (r0, r1) = (t * per, ((t + 1) * per).min(rows));
        if let Err(e) = job.run(r0, r1) {
            *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
        }
    })?;
    if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    Ok(Transformed {
        tensor: out,
        flops: rows as f64 * kind.flops(n),
    })
}

/// The n-dimensional transforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NdKind {
    /// fftn
    Forward,
    /// ifftn
    Inverse,
    /// rfftn: rfft along the last of the axes, then fft along the others.
    Real,
    /// irfftn: ifft along all but the last of the axes, then irfft along it.
    InverseReal,
}

impl NdKind {
    pub fn name(self) -> &'static str {
        match self {
            NdKind::Forward => "fftn",
            NdKind::Inverse => "ifftn",
            NdKind::Real => "rfftn",
            NdKind::InverseReal => "irfftn",
        }
    }

    /// The 1-D transforms: along the last of the axes, and along the others.
    fn steps(self) -> (Kind, Kind) {
        match self {
            NdKind::Forward => (Kind::Forward, Kind::Forward),
            NdKind::Inverse => (Kind::Inverse, Kind::Inverse),
            NdKind::Real => (Kind::Real, Kind::Forward),
            NdKind::InverseReal => (Kind::InverseReal, Kind::Inverse),
        }
    }
}

/// `fftn`, `ifftn`, `rfftn`, `irfftn` of `x` over `axes` with output lengths `s`, resolved as
/// the standard (and NumPy 2) say: no axes and no s, every axis; s alone, the last len(s) axes;
/// an s entry of -1, the input's length along that axis (for irfftn's last axis, when s is not
/// given: 2 * (m - 1)). A repeated axis is transformed again.
pub fn transform_nd(
    x: &View,
    s: Option<&[i64]>,
    axes: Option<&[i64]>,
    kind: NdKind,
    norm: Norm,
) -> Result<Transformed> {
    let op = kind.name();
    let (last_kind, other_kind) = kind.steps();
    last_kind.check_input(x.dtype())?;
    let nd = x.ndim();
    let axes: Vec<usize> = match (axes, s) {
        (Some(a), _) => a
            .iter()
            .map(|&a| normalize_axis(a, nd))
            .collect::<Result<_>>()?,
        (None, None) => (0..nd).collect(),
        (None, Some(s)) => {
            if s.len() > nd {
                return Err(CoreError::value(format!(
                    "{op}: s has {} entries but x has only {nd} dimensions",
                    s.len()
                )));
            }
            (nd - s.len()..nd).collect()
        }
    };
    if let Some(s) = s {
        if s.len() != axes.len() {
            return Err(CoreError::value(format!(
                "{op}: s and axes must have the same length, got {} and {}",
                s.len(),
                axes.len()
            )));
        }
        if let Some(bad) = s.iter().find(|&&v| v < 1 && v != -1) {
            return Err(CoreError::value(format!(
                "{op}: every entry of s must be at least 1 (or -1 for the input's length), got {bad}"
            )));
        }
    }
    if axes.is_empty() {
        if matches!(kind, NdKind::Real | NdKind::InverseReal) {
            return Err(CoreError::value(format!(
                "{op}: needs at least one axis to transform, got axes=()"
            )));
        }
        return Ok(Transformed {
            tensor: x.to_contiguous()?,
            flops: 0.0,
        });
    }
    // The lengths, from the input's shape (NumPy's `_cook_nd_args`).
    let k = axes.len();
    let ns: Vec<i64> = (0..k)
        .map(|i| {
            let m = x.shape()[axes[i]] as i64;
            match s {
                Some(s) if s[i] != -1 => s[i],
                None if kind == NdKind::InverseReal && i == k - 1 => 2 * (m - 1),
                _ => m,
            }
        })
        .collect();
    let mut cur: Option<Tensor> = None;
    let mut flops = 0.0;
    let mut step = |i: usize, kind1: Kind| -> Result<()> {
        let v = match &cur {
            Some(t) => t.view(),
            None => *x,
        };
        let ax = axes[i];
        let n = resolve_n(kind1, Some(ns[i]), v.shape()[ax])?;
        let r = axis_transform(&v, ax, n, kind1, norm)?;
        flops += r.flops;
        cur = Some(r.tensor);
        Ok(())
    };
    match kind {
        NdKind::Forward | NdKind::Inverse => {
            for i in (0..k).rev() {
                step(i, other_kind)?;
            }
        }
        NdKind::Real => {
            step(k - 1, last_kind)?;
            for i in (0..k - 1).rev() {
                step(i, other_kind)?;
            }
        }
        NdKind::InverseReal => {
            for i in 0..k - 1 {
                step(i, other_kind)?;
            }
            step(k - 1, last_kind)?;
        }
    }
    Ok(Transformed {
        tensor: cur.expect("at least one axis was transformed"),
        flops,
    })
}

/// `fftshift` (`inverse` false) or `ifftshift` of `x` over `axes` (None: all): each axis of
/// length m rolled by m/2 (ifftshift: by -(m/2)); a repeated axis is rolled again. One pass:
/// the result is copied in at most 2^k blocks for k rolled axes.
pub fn shift(x: &Tensor, axes: Option<&[i64]>, inverse: bool) -> Result<Tensor> {
    let op = if inverse { "ifftshift" } else { "fftshift" };
    if !x.dtype().is_inexact() {
        return Err(CoreError::type_err(format!(
            "{op}: expected a floating-point dtype, got {}",
            x.dtype().name()
        )));
    }
    let nd = x.ndim();
    let axes: Vec<usize> = match axes {
        Some(a) => a
            .iter()
            .map(|&a| normalize_axis(a, nd))
            .collect::<Result<_>>()?,
        None => (0..nd).collect(),
    };
    let mut roll = vec![0usize; nd];
    for &a in &axes {
        let m = x.shape()[a];
        if m > 0 {
            let by = if inverse { m - m / 2 } else { m / 2 };
            roll[a] = (roll[a] + by) % m;
        }
    }
    let out = Tensor::empty(x.shape(), x.dtype())?;
    if out.size() == 0 {
        return Ok(out);
    }
    let rolled: Vec<usize> = (0..nd).filter(|&a| roll[a] != 0).collect();
    // Block `mask` takes, along each rolled axis a, either the input's first m - roll elements
    // (to the end of the result) or its last roll elements (to the front).
    for mask in 0..1usize << rolled.len() {
        let mut from = Vec::with_capacity(nd);
        let mut to = Vec::with_capacity(nd);
        for (a, (&m, &r)) in x.shape().iter().zip(&roll).enumerate() {
            let (f, t) = match rolled.iter().position(|&ra| ra == a) {
                None => ((0, m), (0, m)),
                Some(bit) => {
                    if mask >> bit & 1 == 0 {
                        ((0, m - r), (r, m - r))
                    } else {
                        ((m - r, r), (0, r))
                    }
                }
            };
            from.push(crate::tensor::Index::Range {
                start: f.0,
                step: 1,
                len: f.1,
            });
            to.push(crate::tensor::Index::Range {
                start: t.0,
                step: 1,
                len: t.1,
            });
        }
        let block = x.slice(&from)?;
        let dst = out.slice(&to)?;
        crate::tensor::iter::copy_into(&block.view(), &dst)?;
    }
    Ok(out)
}

/// `fftfreq` (`real` false) or `rfftfreq`: the sample frequencies of a transform of length
/// `n` with sample spacing `d`, computed in float64 (k / (n d), as NumPy) and stored as `dtype`.
pub fn frequencies(n: i64, d: f64, dtype: DType, real: bool) -> Result<Tensor> {
    let op = if real { "rfftfreq" } else { "fftfreq" };
    if dtype != DType::F32 && dtype != DType::F64 {
        return Err(CoreError::value(format!(
            "{op}: dtype must be a real floating-point dtype, got {}",
            dtype.name()
        )));
    }
    if n < 1 {
        return Err(CoreError::value(format!(
            "{op}: n must be at least 1, got {n}"
        )));
    }
    if d == 0.0 {
        return Err(CoreError::value(format!(
            "{op}: the sample spacing d must be non-zero"
        )));
    }
    let n = usize::try_from(n).map_err(|_| CoreError::value("n is too large"))?;
    let val = 1.0 / (n as f64 * d);
    let len = if real { n / 2 + 1 } else { n };
    let values: Vec<f64> = (0..len)
        .map(|i| {
            let k = if !real && i > (n - 1) / 2 {
                i as f64 - n as f64
            } else {
                i as f64
            };
            k * val
        })
        .collect();
    let t = Tensor::empty(&[len], dtype)?;
    let p = t.data_mut()?;
    for (i, v) in values.iter().enumerate() {
        // SAFETY: t is a fresh contiguous tensor of len elements of dtype.
        unsafe {
            if dtype == DType::F32 {
                *(p as *mut f32).add(i) = *v as f32;
            } else {
                *(p as *mut f64).add(i) = *v;
            }
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complex128(shape: &[usize], f: impl Fn(usize) -> (f64, f64)) -> Tensor {
        let t = Tensor::empty(shape, DType::C128).unwrap();
        let p = t.data_mut().unwrap() as *mut f64;
        for i in 0..t.size() {
            let (re, im) = f(i);
            // SAFETY: element i of a fresh contiguous complex128 tensor.
            unsafe {
                *p.add(2 * i) = re;
                *p.add(2 * i + 1) = im;
            }
        }
        t
    }

    /// The values of a tensor as f64 (complex: re, im interleaved), in C order.
    fn values(t: &Tensor) -> Vec<f64> {
        let c = t.view().to_contiguous().unwrap();
        let n = c.size() * if c.dtype().is_complex() { 2 } else { 1 };
        // SAFETY: a contiguous float64/complex128 tensor of n doubles.
        unsafe { std::slice::from_raw_parts(c.data() as *const f64, n).to_vec() }
    }

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12, "{a:?} != {b:?}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "planning and AVX kernels are too slow under Miri")]
    fn an_impulse_transforms_to_ones_along_any_layout() {
        // Row r has an impulse at r: its transform is e^(-2 pi i r k / 8), |.| = 1, and the
        // inverse brings the impulse back, along the last axis and along a strided one.
        let x = complex128(&[3, 8], |i| {
            if i % 8 == i / 8 {
                (1.0, 0.0)
            } else {
                (0.0, 0.0)
            }
        });
        let f = transform(&x.view(), None, -1, Kind::Forward, Norm::Backward).unwrap();
        let v = values(&f.tensor);
        for r in 0..3 {
            for k in 0..8 {
                let ang = -2.0 * std::f64::consts::PI * (r * k) as f64 / 8.0;
                let (re, im) = (v[2 * (r * 8 + k)], v[2 * (r * 8 + k) + 1]);
                assert!((re - ang.cos()).abs() < 1e-12 && (im - ang.sin()).abs() < 1e-12);
            }
        }
        assert_eq!(f.flops, 3.0 * 5.0 * 8.0 * 3.0);
        let back = transform(&f.tensor.view(), None, 1, Kind::Inverse, Norm::Backward).unwrap();
        close(&values(&back.tensor), &values(&x));
        let t = f.tensor.transpose_all().unwrap(); // (8, 3), axis 0 strided
        let back_t = transform(&t.view(), None, 0, Kind::Inverse, Norm::Backward).unwrap();
        close(
            &values(&back_t.tensor),
            &values(&x.transpose_all().unwrap()),
        );
    }

    #[test]
    #[cfg_attr(miri, ignore = "planning and AVX kernels are too slow under Miri")]
    fn real_round_trip_with_padding() {
        let x = complex128(&[5], |i| (i as f64 + 1.0, 0.0));
        let re = x.complex_part(false).view().to_contiguous().unwrap(); // float64 [1..5]
        let spec = transform(&re.view(), Some(8), 0, Kind::Real, Norm::Ortho).unwrap();
        assert_eq!(spec.tensor.shape(), &[5]);
        let back = transform(
            &spec.tensor.view(),
            Some(8),
            0,
            Kind::InverseReal,
            Norm::Ortho,
        );
        let v = values(&back.unwrap().tensor);
        close(&v, &[1.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn bad_arguments_are_errors() {
        let x = complex128(&[4], |_| (0.0, 0.0));
        let v = x.view();
        let err = |r: Result<Transformed>| r.err().expect("an error");
        assert!(matches!(
            err(transform(&v, Some(0), 0, Kind::Forward, Norm::Backward)),
            CoreError::Value(_)
        ));
        assert!(matches!(
            err(transform(&v, None, 1, Kind::Forward, Norm::Backward)),
            CoreError::Axis(_)
        ));
        assert!(matches!(
            err(transform(&v, None, 0, Kind::Real, Norm::Backward)),
            CoreError::Type(_)
        ));
        assert!(Norm::from_name("fft", "none").is_err());
        assert_eq!(Norm::Ortho.factor(4, false), 0.5);
        assert_eq!(Norm::Forward.factor(4, false), 0.25);
        assert_eq!(Norm::Forward.factor(4, true), 1.0);
    }

    #[test]
    fn shift_rolls_by_half() {
        let x = complex128(&[5], |i| (i as f64, 0.0));
        let re = x.complex_part(false).view().to_contiguous().unwrap();
        close(
            &values(&shift(&re, None, false).unwrap()),
            &[3.0, 4.0, 0.0, 1.0, 2.0],
        );
        close(
            &values(&shift(&re, Some(&[-1i64][..]), true).unwrap()),
            &[2.0, 3.0, 4.0, 0.0, 1.0],
        );
    }
}
