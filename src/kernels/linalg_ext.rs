//! The decompositions of `corepy.linalg` (cholesky, LU solve/inv/det/slogdet, QR, SVD, eigh, eig)
//! on faer: dtypes, shapes, batching and threading are decided here; the factorizations are
//! faer's. Every function takes a stack of matrices `(..., M, N)` in any layout (F-order,
//! transposed, negative or zero strides are read in place into faer's own column-major copy, which
//! every factorization makes anyway) and returns new C-contiguous tensors.

use crate::dispatch::{kernels, need};
use crate::dtype::{promote, DType};
use crate::error::{shape_str, CoreError, Result};
use crate::ffi::LU_SMALL_MAX;
use crate::instrument::alloc;
use crate::kernels::tridiag;
use crate::parallel;
use crate::tensor::{broadcast_shapes, Tensor};
use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::linalg::{cholesky, evd, householder, lu, qr, svd};
use faer::mat::AsMatMut;
use faer::traits::{ComplexField, Conjugate};
use faer::{c32, c64, Conj, Mat, MatMut, MatRef, Par};
use rayon::prelude::*;
use std::cell::RefCell;

/// An element type faer factorizes: float32, float64, complex64, complex128.
pub trait Elem:
    ComplexField
    + Copy
    + Send
    + Sync
    + bytemuck::Pod
    + std::ops::Sub<Output = Self>
    + std::ops::SubAssign
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + 'static
{
    /// The real type's smallest normal value and unit roundoff (LAPACK's safmin and eps), and
    /// its largest binary exponent.
    const SAFMIN: f64;
    const EPS: f64;
    const MAX_EXP: i32;
    /// Real and imaginary parts, widened to f64.
    fn parts(self) -> (f64, f64);
    fn from_parts(re: f64, im: f64) -> Self;
    /// Eigenvalues (and right eigenvectors, as columns) of a general square matrix, complex.
    fn eig(a: MatRef<'_, Self>, vectors: bool, par: Par) -> Result<(Vec<c64>, Option<Mat<c64>>)>;
    /// Workspace of [`Elem::eigh`].
    fn eigh_scratch(n: usize, vectors: bool, par: Par) -> StackReq {
        evd::self_adjoint_evd_scratch::<Self>(n, want_vectors(vectors), par, default())
    }
    /// Eigenvalues (ascending) and, into `u`, eigenvectors of the Hermitian matrix whose lower
    /// triangle is `a`: faer's, but for the real types (corepy's tridiagonalisation).
    fn eigh(
        a: MatRef<'_, Self>,
        w: faer::diag::DiagMut<'_, Self>,
        u: Option<MatMut<'_, Self>>,
        par: Par,
        mem: &mut MemStack,
    ) -> Result<()> {
        let params = evd::SelfAdjointEvdParams {
            secular: tridiag::secular_hooks(),
            ..faer::auto!(Self)
        };
        evd::self_adjoint_evd(a, w, u, par, mem, params.into()).map_err(|_| no_convergence("eigh"))
    }
}

macro_rules! real_elem {
    ($t:ty) => {
        impl Elem for $t {
            const SAFMIN: f64 = <$t>::MIN_POSITIVE as f64;
            const EPS: f64 = <$t>::EPSILON as f64 / 2.0;
            const MAX_EXP: i32 = <$t>::MAX_EXP;
            fn parts(self) -> (f64, f64) {
                (self as f64, 0.0)
            }
            fn from_parts(re: f64, _im: f64) -> Self {
                re as $t
            }
            fn eigh_scratch(n: usize, vectors: bool, par: Par) -> StackReq {
                tridiag::self_adjoint_evd_scratch::<$t>(n, vectors, par)
            }
            fn eigh(
                a: MatRef<'_, Self>,
                w: faer::diag::DiagMut<'_, Self>,
                u: Option<MatMut<'_, Self>>,
                par: Par,
                mem: &mut MemStack,
            ) -> Result<()> {
                let dt = <$t as tridiag::Real>::DTYPE;
                let symv = need(kernels().gemmk[dt.float_index("eigh")?].symv, "eigh", dt)?;
                tridiag::self_adjoint_evd(a, w, u, par, mem, symv)
                    .map_err(|_| no_convergence("eigh"))
            }
            fn eig(
                a: MatRef<'_, Self>,
                vectors: bool,
                par: Par,
            ) -> Result<(Vec<c64>, Option<Mat<c64>>)> {
                let n = a.nrows();
                let (mut re, mut im) = (
                    faer::diag::Diag::<$t>::zeros(n),
                    faer::diag::Diag::<$t>::zeros(n),
                );
                let mut u = vectors.then(|| Mat::<$t>::zeros(n, n));
                let want = if vectors {
                    evd::ComputeEigenvectors::Yes
                } else {
                    evd::ComputeEigenvectors::No
                };
                let req =
                    evd::evd_scratch::<$t>(n, evd::ComputeEigenvectors::No, want, par, default());
                let mut mem = MemBuffer::try_new(req).map_err(|_| oom("eig"))?;
                evd::evd_real(
                    a,
                    re.as_mut(),
                    im.as_mut(),
                    None,
                    u.as_mut().map(|u| u.as_mut()),
                    par,
                    MemStack::new(&mut mem),
                    default(),
                )
                .map_err(|_| no_convergence("eig"))?;
                // Complex-conjugate pairs come as two adjacent real columns (re, im), LAPACK's
                // packed form: unpack them into complex vectors.
                let w: Vec<c64> = (0..n)
                    .map(|j| c64::new(re[j] as f64, im[j] as f64))
                    .collect();
                let v = u.map(|u| {
                    let mut v = Mat::<c64>::zeros(n, n);
                    let mut j = 0;
                    while j < n {
                        if im[j] == 0.0 || j + 1 == n {
                            for i in 0..n {
                                v[(i, j)] = c64::new(u[(i, j)] as f64, 0.0);
                            }
                            j += 1;
                        } else {
                            for i in 0..n {
                                let (r, c) = (u[(i, j)] as f64, u[(i, j + 1)] as f64);
                                v[(i, j)] = c64::new(r, c);
                                v[(i, j + 1)] = c64::new(r, -c);
                            }
                            j += 2;
                        }
                    }
                    v
                });
                Ok((w, v))
            }
        }
    };
}
real_elem!(f32);
real_elem!(f64);

macro_rules! complex_elem {
    ($t:ty, $r:ty) => {
        impl Elem for $t {
            const SAFMIN: f64 = <$r>::MIN_POSITIVE as f64;
            const EPS: f64 = <$r>::EPSILON as f64 / 2.0;
            const MAX_EXP: i32 = <$r>::MAX_EXP;
            fn parts(self) -> (f64, f64) {
                (self.re as f64, self.im as f64)
            }
            fn from_parts(re: f64, im: f64) -> Self {
                <$t>::new(re as $r, im as $r)
            }
            fn eig(
                a: MatRef<'_, Self>,
                vectors: bool,
                par: Par,
            ) -> Result<(Vec<c64>, Option<Mat<c64>>)> {
                let n = a.nrows();
                let mut s = faer::diag::Diag::<$t>::zeros(n);
                let mut u = vectors.then(|| Mat::<$t>::zeros(n, n));
                let want = if vectors {
                    evd::ComputeEigenvectors::Yes
                } else {
                    evd::ComputeEigenvectors::No
                };
                let req =
                    evd::evd_scratch::<$t>(n, evd::ComputeEigenvectors::No, want, par, default());
                let mut mem = MemBuffer::try_new(req).map_err(|_| oom("eig"))?;
                evd::evd_cplx(
                    a,
                    s.as_mut(),
                    None,
                    u.as_mut().map(|u| u.as_mut()),
                    par,
                    MemStack::new(&mut mem),
                    default(),
                )
                .map_err(|_| no_convergence("eig"))?;
                let w = (0..n)
                    .map(|j| c64::new(s[j].re as f64, s[j].im as f64))
                    .collect();
                let v = u.map(|u| {
                    Mat::<c64>::from_fn(n, n, |i, j| {
                        c64::new(u[(i, j)].re as f64, u[(i, j)].im as f64)
                    })
                });
                Ok((w, v))
            }
        }
    };
}
complex_elem!(c32, f32);
complex_elem!(c64, f64);

/// The largest |a_ij| (of the lower triangle, when `lower`).
fn max_abs<T: Elem>(a: MatRef<'_, T>, lower: bool) -> f64 {
    let mut anrm = 0.0f64;
    for j in 0..a.ncols() {
        for i in if lower { j } else { 0 }..a.nrows() {
            let (re, im) = a[(i, j)].parts();
            anrm = anrm.max(re.hypot(im));
        }
    }
    anrm
}

/// The power of two that brings `anrm` near 1, representable in T (a subnormal `anrm` ends
/// near 2^-(its digits)); 1.0 for zero, inf or NaN.
fn toward_one<T: Elem>(anrm: f64) -> f64 {
    if anrm == 0.0 || !anrm.is_finite() {
        return 1.0;
    }
    2f64.powi((-anrm.log2().round() as i32).clamp(2 - T::MAX_EXP, T::MAX_EXP - 2))
}

/// LAPACK's scaling before syevd's reduction and gesdd, in one: when the largest |a_ij| lies
/// outside the range where the factorizations' squares cannot overflow or underflow and their
/// tolerances hold, the power of two that brings it near 1, else 1.0. faer does not scale: its
/// SVD of a matrix of norm 1e-200 was 40% off and of norm 1e200 did not converge. A power of two
/// scales exactly; values scale back by 1/sigma.
pub(crate) fn range_scale<T: Elem>(a: MatRef<'_, T>, lower: bool) -> f64 {
    let anrm = max_abs(a, lower);
    let (safmin, eps) = (T::SAFMIN, T::EPS);
    let lo = (safmin.sqrt() / eps).max((safmin / eps).sqrt());
    let hi = (eps / safmin.sqrt())
        .min(1.0 / safmin.sqrt().sqrt())
        .min((eps / safmin).sqrt());
    if (lo..=hi).contains(&anrm) {
        1.0
    } else {
        toward_one::<T>(anrm)
    }
}

/// `a` times the power of two `sigma`, as a new column-major matrix (none when sigma is 1).
fn scaled<T: Elem>(a: MatRef<'_, T>, sigma: f64) -> Option<Mat<T>> {
    let s = T::from_parts(sigma, 0.0);
    (sigma != 1.0).then(|| Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[(i, j)] * s))
}

pub(crate) fn want_vectors(vectors: bool) -> evd::ComputeEigenvectors {
    if vectors {
        evd::ComputeEigenvectors::Yes
    } else {
        evd::ComputeEigenvectors::No
    }
}

fn default<T: Default>() -> T {
    T::default()
}

fn oom(op: &str) -> CoreError {
    CoreError::Memory(format!(
        "{op}: cannot allocate the factorization's workspace"
    ))
}

fn no_convergence(op: &str) -> CoreError {
    CoreError::LinAlg(format!("{op}: the iteration did not converge"))
}

/// The dtype a decomposition computes in: float32/float64/complex64/complex128 as given,
/// integers in the default float (float64, as NumPy); bool and anything else is a TypeError.
pub fn compute_dtype(op: &str, dtype: DType) -> Result<DType> {
    match dtype {
        DType::F32 | DType::F64 | DType::C64 | DType::C128 => Ok(dtype),
        d if d.is_int() => Ok(DType::F64),
        d => Err(CoreError::type_err(format!(
            "{op}: expected a floating-point (or integer) array, got dtype {}",
            d.name()
        ))),
    }
}

/// Textbook flop counts of one matrix's factorization (Golub & Van Loan, one multiply-add = 2):
/// what the profiler records and what decides the threading.
pub mod flops {
    pub fn cholesky(n: usize) -> usize {
        n * n * n / 3
    }
    pub fn solve(n: usize, k: usize) -> usize {
        2 * n * n * n / 3 + 2 * n * n * k
    }
    pub fn inv(n: usize) -> usize {
        2 * n * n * n
    }
    pub fn det(n: usize) -> usize {
        2 * n * n * n / 3
    }
    /// Householder QR (2mn^2 - 2n^3/3 for m >= n) plus forming qc columns of Q.
    pub fn qr(m: usize, n: usize, qc: usize) -> usize {
        let k = m.min(n);
        (2 * m * n * k).saturating_sub(2 * k * k * k / 3) + 2 * m * qc * k
    }
    /// Golub-Reinsch: 4mn^2 - 4n^3/3 for the values, 4m^2n + 8mn^2 + 9n^3 with vectors (m >= n).
    pub fn svd(m: usize, n: usize, vectors: bool) -> usize {
        let (b, s) = (m.max(n), m.min(n));
        if vectors {
            4 * b * b * s + 8 * b * s * s + 9 * s * s * s
        } else {
            (4 * b * s * s).saturating_sub(4 * s * s * s / 3)
        }
    }
    /// Symmetric QR: 4n^3/3 for the values, 9n^3 with vectors.
    pub fn eigh(n: usize, vectors: bool) -> usize {
        if vectors {
            9 * n * n * n
        } else {
            4 * n * n * n / 3
        }
    }
    /// Hessenberg QR: 10n^3 for the values, 25n^3 with vectors.
    pub fn eig(n: usize, vectors: bool) -> usize {
        if vectors {
            25 * n * n * n
        } else {
            10 * n * n * n
        }
    }
}

/// A stack of matrices `(..., M, N)` read in place.
pub struct Stack {
    t: Tensor,
    batch: Vec<usize>,
    pub count: usize,
    pub m: usize,
    pub n: usize,
}

impl Stack {
    /// `x` as a stack in `dtype` (converted when it differs, or when its data is not aligned for
    /// faer's element type), with at least two dimensions, square when asked.
    pub fn new(op: &str, x: &Tensor, dtype: DType, square: bool) -> Result<Stack> {
        if x.ndim() < 2 {
            return Err(CoreError::value(format!(
                "{op}: expected a matrix or a stack of matrices (at least 2 dimensions), got \
                 shape {}",
                shape_str(x.shape())
            )));
        }
        let nd = x.ndim();
        let (m, n) = (x.shape()[nd - 2], x.shape()[nd - 1]);
        if square && m != n {
            return Err(CoreError::value(format!(
                "{op}: the last two dimensions must be square, got shape {}",
                shape_str(x.shape())
            )));
        }
        let align = dtype.real_of().itemsize();
        let t = if x.dtype() != dtype || (x.data() as usize) % align != 0 {
            x.astype(dtype)?
        } else {
            x.clone()
        };
        let batch = x.shape()[..nd - 2].to_vec();
        Ok(Stack {
            count: batch.iter().product(),
            batch,
            m,
            n,
            t,
        })
    }

    pub fn dtype(&self) -> DType {
        self.t.dtype()
    }

    pub fn batch(&self) -> &[usize] {
        &self.batch
    }

    pub fn nbytes(&self) -> usize {
        self.count * self.m * self.n * self.t.dtype().itemsize()
    }

    /// Broadcasts the batch dimensions to `batch` (a view: zero strides repeat a matrix).
    fn broadcast(&self, batch: &[usize]) -> Result<Stack> {
        let mut shape = batch.to_vec();
        shape.extend([self.m, self.n]);
        Ok(Stack {
            t: self.t.broadcast_to(&shape)?,
            batch: batch.to_vec(),
            count: batch.iter().product(),
            m: self.m,
            n: self.n,
        })
    }

    /// Matrix `b` of the stack (C order over the batch dimensions), in place.
    pub fn mat<T: Elem>(&self, b: usize) -> MatRef<'_, T> {
        assert!(b < self.count.max(1) && std::mem::size_of::<T>() == self.t.dtype().itemsize());
        let st = self.t.strides();
        let nd = st.len();
        let (mut rest, mut off) = (b, 0isize);
        for (d, &len) in self.batch.iter().enumerate().rev() {
            off += (rest % len) as isize * st[d];
            rest /= len;
        }
        let ptr = self.t.data() as *const T;
        // SAFETY: the tensor's layout was validated when it was made: every element at
        // `off + i * st[nd-2] + j * st[nd-1]` (i < m, j < n) lies inside its storage, which the
        // returned view borrows (through `self`); the data is aligned for T (checked in `new`)
        // and has T's size (asserted above). faer only reads through a MatRef.
        unsafe {
            MatRef::from_raw_parts(
                ptr.wrapping_offset(off),
                self.m,
                self.n,
                st[nd - 2],
                st[nd - 1],
            )
        }
    }
}

/// A new zeroed C-contiguous result (zeroed, not uninitialised: it is handed out as slices).
fn out(shape: &[usize], dtype: DType) -> Result<Tensor> {
    Tensor::zeros(shape, dtype)
}

fn shape_of(batch: &[usize], tail: &[usize]) -> Vec<usize> {
    batch.iter().chain(tail).copied().collect()
}

/// One task's workspace, reused from matrix to matrix of a stack (a batch of small matrices
/// would otherwise allocate faer's scratch once per matrix).
#[derive(Default)]
struct Work {
    mem: Option<(MemBuffer, StackReq)>,
    /// The small-matrix kernels' copy of a matrix (8-byte words: aligned for every dtype).
    small: Vec<u64>,
    /// The thread's kept scratch (`Work::kept`): a cache, allocated and freed uncounted.
    kept: bool,
}

/// Largest faer scratch a thread keeps between calls (a 1024 x 1024 float64 SVD's fits): fresh
/// scratch of that size is new pages from the kernel on every call, whose faults cost a large
/// factorization several percent of its time.
const KEEP_MAX: usize = 96 << 20;

thread_local! {
    static KEPT: RefCell<Option<(MemBuffer, StackReq)>> = const { RefCell::new(None) };
}

impl Work {
    /// A scratch stack of at least `req`, grown (reallocated) only when `req` asks for more.
    fn stack(&mut self, req: StackReq, op: &str) -> Result<&mut MemStack> {
        let fits = matches!(&self.mem, Some((_, have)) if have.or(req) == *have);
        if !fits {
            let want = match &self.mem {
                Some((_, have)) => have.or(req),
                None => req,
            };
            let grown = alloc::counting(!self.kept, || {
                self.mem = None;
                buffer(want, op)
            })?;
            self.mem = Some((grown, want));
        }
        let (mem, _) = self.mem.as_mut().expect("allocated above");
        Ok(MemStack::new(mem))
    }

    /// The scratch this thread kept from its last factorization run one matrix at a time.
    fn kept() -> Work {
        Work {
            mem: KEPT.with(|k| k.borrow_mut().take()),
            small: Vec::new(),
            kept: true,
        }
    }

    /// Keeps the scratch for the thread's next call, unless it is too large to hold on to.
    fn keep(self) {
        let Work { mem, small, .. } = self;
        drop(small);
        if let Some((mem, req)) = mem {
            if req.size_bytes() <= KEEP_MAX {
                KEPT.with(|k| *k.borrow_mut() = Some((mem, req)));
            } else {
                alloc::uncounted(|| drop(mem));
            }
        }
    }
}

impl Work {
    /// `len` elements of scratch for the small-matrix kernels (contents unspecified).
    fn small<T: Elem>(&mut self, len: usize) -> &mut [T] {
        let words = (len * std::mem::size_of::<T>()).div_ceil(8);
        if self.small.len() < words {
            self.small.resize(words, 0);
        }
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut self.small[..words]);
        typed::<T>(&mut bytes[..len * std::mem::size_of::<T>()])
    }
}

/// Flops (the textbook count) above which one matrix is worth faer's own parallelism: below it
/// (a 256 x 256 QR, Cholesky or solve) the threads' synchronisation costs more than it saves.
const INNER_PARALLEL_MIN: usize = 1 << 27;

/// Runs `f(b, outputs of b, par)` for every matrix `b` of a stack of `count`, each output tensor
/// split into `count` equal consecutive parts. `cost` is one matrix's flops: many small
/// matrices go in parallel across the stack (faer sequential on each), a few large ones one
/// after the other with faer's parallelism, both in corepy's pool.
fn for_each_matrix<F>(count: usize, cost: usize, outs: &mut [Tensor], f: F) -> Result<()>
where
    F: Fn(usize, &mut [&mut [u8]], Par, &mut Work) -> Result<()> + Sync + Send,
{
    if count == 0 {
        return Ok(());
    }
    let mut parts: Vec<Vec<&mut [u8]>> =
        (0..count).map(|_| Vec::with_capacity(outs.len())).collect();
    for t in outs.iter_mut() {
        let bytes = bytes_mut(t);
        let each = bytes.len() / count;
        if each == 0 {
            for p in parts.iter_mut() {
                p.push(&mut []);
            }
        } else {
            for (p, c) in parts.iter_mut().zip(bytes.chunks_mut(each)) {
                p.push(c);
            }
        }
    }
    let threads = parallel::num_threads();
    let total = count.saturating_mul(cost);
    let parallel =
        parallel::should_parallelize(total, parallel::threshold(parallel::Family::Matmul))
            && threads > 1;
    if !parallel {
        let mut w = Work::kept();
        let r = parts
            .iter_mut()
            .enumerate()
            .try_for_each(|(b, o)| f(b, o, Par::Seq, &mut w));
        w.keep();
        return r;
    }
    if count >= threads || cost < INNER_PARALLEL_MIN {
        parallel::install(|| {
            parts
                .par_iter_mut()
                .enumerate()
                .try_for_each_init(Work::default, |w, (b, o)| f(b, o, Par::Seq, w))
        })
    } else {
        parallel::install(|| {
            let mut w = Work::kept();
            let r = parts
                .iter_mut()
                .enumerate()
                .try_for_each(|(b, o)| f(b, o, Par::rayon(threads), &mut w));
            w.keep();
            r
        })
    }
}

/// The bytes of a tensor this module just allocated.
fn bytes_mut(t: &mut Tensor) -> &mut [u8] {
    let n = t.nbytes();
    if n == 0 {
        return &mut [];
    }
    let p = t.data_mut().expect("a fresh tensor is writable");
    // SAFETY: `t` was allocated by `out` (zeroed, C-contiguous, `n` bytes, owned by this call and
    // not shared with any other tensor yet); the slice borrows `t` mutably, so it is the only
    // access for its lifetime.
    unsafe { std::slice::from_raw_parts_mut(p, n) }
}

fn typed<T: Elem>(bytes: &mut [u8]) -> &mut [T] {
    // An empty part may be a dangling byte pointer, not aligned for T.
    if bytes.is_empty() {
        return &mut [];
    }
    bytemuck::cast_slice_mut(bytes)
}

/// Writes `src` (m x n; possibly a conjugated view) into a C-contiguous slice.
fn put<T: Elem, C: Conjugate<Canonical = T>>(dst: &mut [u8], src: MatRef<'_, C>) {
    let (m, n) = (src.nrows(), src.ncols());
    let dst = typed::<T>(dst);
    let canon = src.canonical();
    if Conj::get::<C>() == Conj::No && canon.row_stride() == 1 && m > 0 && n > 0 {
        transpose_tiles(dst, canon);
    } else {
        MatMut::from_row_major_slice_mut(dst, m, n).copy_from(src);
    }
}

/// A column-major `src` into a row-major `dst`, 32 columns at a time: the strip's source
/// columns stay in cache while each row's 32 outputs are written, where a plain element loop
/// misses the cache on one side.
fn transpose_tiles<T: Elem>(dst: &mut [T], src: MatRef<'_, T>) {
    const TILE: usize = 32;
    let (m, n) = (src.nrows(), src.ncols());
    for j0 in (0..n).step_by(TILE) {
        let j1 = (j0 + TILE).min(n);
        let cols: Vec<&[T]> = (j0..j1)
            .map(|j| {
                src.col(j)
                    .try_as_col_major()
                    .expect("unit row stride")
                    .as_slice()
            })
            .collect();
        for i in 0..m {
            for (d, col) in dst[i * n + j0..i * n + j1].iter_mut().zip(&cols) {
                *d = col[i];
            }
        }
    }
}

fn where_(op: &str, count: usize, b: usize) -> String {
    if count > 1 {
        format!("{op}: matrix {b} of the stack")
    } else {
        op.to_string()
    }
}

/// Dispatches a generic function on the stack's dtype.
macro_rules! by_dtype {
    ($dt:expr, $f:ident ( $($arg:expr),* )) => {
        match $dt {
            DType::F32 => $f::<f32>($($arg),*),
            DType::F64 => $f::<f64>($($arg),*),
            DType::C64 => $f::<c32>($($arg),*),
            DType::C128 => $f::<c64>($($arg),*),
            d => unreachable!("compute_dtype admits no {d:?}"),
        }
    };
}

fn buffer(req: StackReq, op: &str) -> Result<MemBuffer> {
    MemBuffer::try_new(req).map_err(|_| oom(op))
}

// ---- cholesky ---------------------------------------------------------------------------------

/// The Cholesky factor of each Hermitian positive-definite matrix (read from its lower triangle):
/// lower L with A = L L^H, or upper U = L^H when `upper`.
pub fn cholesky(s: &Stack, upper: bool) -> Result<Tensor> {
    let n = s.n;
    let mut outs = [out(&shape_of(s.batch(), &[n, n]), s.dtype())?];
    by_dtype!(s.dtype(), cholesky_t(s, upper, &mut outs))?;
    let [r] = outs;
    Ok(r)
}

fn cholesky_t<T: Elem>(s: &Stack, upper: bool, outs: &mut [Tensor]) -> Result<()> {
    let n = s.n;
    for_each_matrix(s.count, flops::cholesky(n), outs, |b, o, par, w| {
        let dst = typed::<T>(o[0]);
        if n == 0 {
            return Ok(());
        }
        {
            // The (zeroed) result read column-major is its transpose: A's lower triangle is
            // factored there, in faer's fast layout and without a copy of its own, leaving
            // L^T in the result's upper triangle.
            let mut l = MatMut::from_column_major_slice_mut(&mut *dst, n, n);
            l.copy_from_triangular_lower(s.mat::<T>(b));
            let req = cholesky::llt::factor::cholesky_in_place_scratch::<T>(n, par, default());
            let mem = w.stack(req, "cholesky")?;
            cholesky::llt::factor::cholesky_in_place(l, default(), par, &mut *mem, default())
                .map_err(|_| {
                    CoreError::LinAlg(format!(
                        "{}: the matrix is not positive definite",
                        where_("cholesky", s.count, b)
                    ))
                })?;
        }
        if upper {
            // U = L^H: L^T conjugated, without what faer may leave below the diagonal.
            let zero = T::from_parts(0.0, 0.0);
            for (i, row) in dst.chunks_exact_mut(n).enumerate() {
                row[..i].fill(zero);
                if !T::IS_REAL {
                    for v in &mut row[i..] {
                        let (re, im) = v.parts();
                        *v = T::from_parts(re, -im);
                    }
                }
            }
        } else {
            upper_to_lower(dst, n);
        }
        Ok(())
    })
}

/// Moves the upper triangle of a row-major n x n matrix to the lower one, transposed, leaving
/// zeros above the diagonal; tile by tile, so that both sides of a tile stay in cache.
fn upper_to_lower<T: Elem>(a: &mut [T], n: usize) {
    const TILE: usize = 32;
    let zero = T::from_parts(0.0, 0.0);
    for ib in (0..n).step_by(TILE) {
        for jb in (0..=ib).step_by(TILE) {
            for i in ib..(ib + TILE).min(n) {
                for j in jb..(jb + TILE).min(i) {
                    a[i * n + j] = a[j * n + i];
                    a[j * n + i] = zero;
                }
            }
        }
    }
}

// ---- LU: solve, inv, det, slogdet -------------------------------------------------------------

/// A partial-pivoting LU of one matrix: the packed factors, the row permutation and the
/// permutation's parity. `transposed`: the factors are those of A^T (see `new`).
struct Lu<T: Elem> {
    lu: Mat<T>,
    fwd: Vec<usize>,
    bwd: Vec<usize>,
    odd: bool,
    transposed: bool,
}

impl<T: Elem> Lu<T> {
    fn new(a: MatRef<'_, T>, par: Par, op: &str, w: &mut Work) -> Result<Lu<T>> {
        let n = a.nrows();
        // A row-major (C-order) matrix is its transpose in column-major order: factoring A^T
        // takes a plain copy instead of a transposing one, and A^T's factors solve with A (as
        // LAPACK's trans = 'T'); det(A^T) = det(A).
        let transposed = n > 1 && a.col_stride() == 1;
        let mut lu = if transposed {
            a.transpose().to_owned()
        } else {
            a.to_owned()
        };
        let (mut fwd, mut bwd) = (vec![0usize; n], vec![0usize; n]);
        let req =
            lu::partial_pivoting::factor::lu_in_place_scratch::<usize, T>(n, n, par, default());
        let mem = w.stack(req, op)?;
        let (info, _) = lu::partial_pivoting::factor::lu_in_place(
            lu.as_mut(),
            &mut fwd,
            &mut bwd,
            par,
            &mut *mem,
            default(),
        );
        Ok(Lu {
            lu,
            fwd,
            bwd,
            odd: info.transposition_count % 2 == 1,
            transposed,
        })
    }

    /// True when a pivot is exactly zero (LAPACK's getrf info > 0: NumPy's "Singular matrix").
    fn singular(&self) -> bool {
        (0..self.lu.nrows()).any(|i| {
            let (re, im) = self.lu[(i, i)].parts();
            re == 0.0 && im == 0.0
        })
    }

    fn perm(&self) -> faer::perm::PermRef<'_, usize> {
        faer::perm::PermRef::new_checked(&self.fwd, &self.bwd, self.fwd.len())
    }
}

fn singular(op: &str, count: usize, b: usize) -> CoreError {
    CoreError::LinAlg(format!(
        "{}: the matrix is singular (an exactly zero pivot in its LU factorization)",
        where_(op, count, b)
    ))
}

/// Solves A X = B for each pair of the broadcast stacks; `vector` when B is one vector `(N,)`
/// (the standard's rule for a 1-D x2), shared by every matrix.
pub fn solve(a: &Stack, b: &Stack, vector: bool) -> Result<Tensor> {
    let n = a.n;
    if b.m != n {
        return Err(CoreError::value(format!(
            "solve: x1 is a stack of {n}x{n} matrices but x2 has {} rows{}",
            b.m,
            if vector { " (a vector)" } else { "" }
        )));
    }
    let batch = broadcast_shapes(&[a.batch(), b.batch()]).map_err(|_| {
        CoreError::value(format!(
            "solve: the batch dimensions {} of x1 and {} of x2 do not broadcast",
            shape_str(a.batch()),
            shape_str(b.batch())
        ))
    })?;
    let (a, b) = (a.broadcast(&batch)?, b.broadcast(&batch)?);
    let k = b.n;
    let shape = if vector {
        shape_of(&batch, &[n])
    } else {
        shape_of(&batch, &[n, k])
    };
    let mut outs = [out(&shape, a.dtype())?];
    by_dtype!(a.dtype(), solve_t(&a, &b, &mut outs))?;
    let [r] = outs;
    Ok(r)
}

fn solve_t<T: Elem>(a: &Stack, b: &Stack, outs: &mut [Tensor]) -> Result<()> {
    let (n, k) = (a.n, b.n);
    if n <= LU_SMALL_MAX {
        // The active ISA's kernel (cp.set_isa applies), looked up once for the whole stack.
        let kernel = need(kernels().lu_solve[a.dtype().code()], "solve", a.dtype())?;
        return for_each_matrix(a.count, flops::solve(n, k), outs, |i, o, _, w| {
            let x = typed::<T>(o[0]);
            MatMut::from_row_major_slice_mut(&mut *x, n, k).copy_from(b.mat::<T>(i));
            // The kernel reads A row-major: a C-contiguous matrix of the stack as it is, any
            // other layout through a copy.
            let m = a.mat::<T>(i);
            let src = if n < 2 || (m.row_stride() == n as isize && m.col_stride() == 1) {
                m.as_ptr()
            } else {
                let lu = w.small::<T>(n * n);
                MatMut::from_row_major_slice_mut(&mut *lu, n, n).copy_from(m);
                lu.as_ptr()
            };
            // SAFETY: `src` points at n x n row-major elements of the kernel's dtype (T is the
            // Elem of a.dtype(), by_dtype!) that stay alive and unchanged for the call (the stack's
            // tensor or this closure's scratch); `x` holds n x k of them, a distinct buffer.
            match unsafe { kernel(n, k, src.cast(), x.as_mut_ptr().cast()) } {
                0 => Ok(()),
                1 => Err(singular("solve", a.count, i)),
                r => unreachable!("lu_solve returned {r} for order {n} <= LU_SMALL_MAX"),
            }
        });
    }
    for_each_matrix(a.count, flops::solve(n, k), outs, |i, o, par, w| {
        let f = Lu::<T>::new(a.mat(i), par, "solve", w)?;
        if f.singular() {
            return Err(singular("solve", a.count, i));
        }
        // One right-hand side is solved in the output itself (an n x 1 row-major slice is a
        // contiguous column); several go through a column-major copy, faer's fast layout.
        let mut owned = (k > 1).then(|| b.mat::<T>(i).to_owned());
        let mut x = match owned.as_mut() {
            Some(x) => x.as_mut(),
            None => {
                let mut x = MatMut::from_row_major_slice_mut(typed::<T>(o[0]), n, k);
                x.copy_from(b.mat::<T>(i));
                x
            }
        };
        let req = lu::partial_pivoting::solve::solve_in_place_scratch::<usize, T>(n, k, par);
        let mem = w.stack(req, "solve")?;
        let (l, u, p) = (f.lu.as_ref(), f.lu.as_ref(), f.perm());
        if f.transposed {
            lu::partial_pivoting::solve::solve_transpose_in_place(
                l,
                u,
                p,
                x.as_mut(),
                par,
                &mut *mem,
            );
        } else {
            lu::partial_pivoting::solve::solve_in_place(l, u, p, x.as_mut(), par, &mut *mem);
        }
        if let Some(x) = owned {
            put(o[0], x.as_ref());
        }
        Ok(())
    })
}

pub fn inv(s: &Stack) -> Result<Tensor> {
    let n = s.n;
    let mut outs = [out(&shape_of(s.batch(), &[n, n]), s.dtype())?];
    by_dtype!(s.dtype(), inv_t(s, &mut outs))?;
    let [r] = outs;
    Ok(r)
}

fn inv_t<T: Elem>(s: &Stack, outs: &mut [Tensor]) -> Result<()> {
    let n = s.n;
    for_each_matrix(s.count, flops::inv(n), outs, |b, o, par, w| {
        let f = Lu::<T>::new(s.mat(b), par, "inv", w)?;
        if f.singular() {
            return Err(singular("inv", s.count, b));
        }
        let req = lu::partial_pivoting::inverse::inverse_scratch::<usize, T>(n, par);
        let mem = w.stack(req, "inv")?;
        let dst = MatMut::from_row_major_slice_mut(typed::<T>(o[0]), n, n);
        // inv(A) = inv(A^T)^T: the inverse of transposed factors goes into the transposed view.
        let dst = if f.transposed {
            dst.transpose_mut()
        } else {
            dst
        };
        lu::partial_pivoting::inverse::inverse(
            dst,
            f.lu.as_ref(),
            f.lu.as_ref(),
            f.perm(),
            par,
            &mut *mem,
        );
        Ok(())
    })
}

/// The determinant as (re, im) in f64, or (sign, log|det|) with the complex sign as (re, im); a
/// singular matrix has sign 0 and log|det| -inf, as the standard says. The determinant is the
/// product of the pivots (not exp(logabsdet), which rounds).
fn det_one<T: Elem>(
    a: MatRef<'_, T>,
    par: Par,
    log: bool,
    w: &mut Work,
) -> Result<((f64, f64), f64)> {
    let f = Lu::<T>::new(a, par, if log { "slogdet" } else { "det" }, w)?;
    // After an exactly zero pivot faer's later pivots may be NaN (it divides by it): a zero
    // pivot decides alone.
    if f.singular() {
        return Ok(((0.0, 0.0), f64::NEG_INFINITY));
    }
    let mut acc = (if f.odd { -1.0 } else { 1.0 }, 0.0f64);
    let mut logabs = 0.0f64;
    for i in 0..a.nrows() {
        let (mut re, mut im) = f.lu[(i, i)].parts();
        if log {
            let r = re.hypot(im);
            logabs += r.ln();
            (re, im) = (re / r, im / r);
        }
        // Real factors multiply the real part alone: an overflowed product is then +-inf, as
        // NumPy's, where the complex form made NaN of inf * 0.
        acc = if im == 0.0 && acc.1 == 0.0 {
            (acc.0 * re, 0.0)
        } else {
            (acc.0 * re - acc.1 * im, acc.0 * im + acc.1 * re)
        };
    }
    Ok((acc, logabs))
}

/// The determinant (`log` false: one output) or (sign, logabsdet) of each matrix.
pub fn det(s: &Stack, log: bool) -> Result<Vec<Tensor>> {
    let dt = s.dtype();
    let mut outs = vec![out(s.batch(), dt)?];
    if log {
        outs.push(out(s.batch(), dt.real_of())?);
    }
    by_dtype!(dt, det_t(s, log, &mut outs))?;
    Ok(outs)
}

fn det_t<T: Elem>(s: &Stack, log: bool, outs: &mut [Tensor]) -> Result<()> {
    let n = s.n;
    for_each_matrix(s.count, flops::det(n), outs, |b, o, par, w| {
        let ((re, im), logabs) = det_one::<T>(s.mat(b), par, log, w)?;
        typed::<T>(o[0])[0] = T::from_parts(re, im);
        if log {
            put_real(o[1], std::iter::once(logabs), 1);
        }
        Ok(())
    })
}

// ---- QR ---------------------------------------------------------------------------------------

/// (Q, R) of each matrix: reduced (Q: M x K, R: K x N, K = min(M, N)) or complete (Q: M x M,
/// R: M x N).
pub fn qr(s: &Stack, complete: bool) -> Result<Vec<Tensor>> {
    let (m, n) = (s.m, s.n);
    let k = m.min(n);
    let qc = if complete { m } else { k };
    let mut outs = vec![
        out(&shape_of(s.batch(), &[m, qc]), s.dtype())?,
        out(&shape_of(s.batch(), &[qc, n]), s.dtype())?,
    ];
    by_dtype!(s.dtype(), qr_t(s, qc, &mut outs))?;
    Ok(outs)
}

fn qr_t<T: Elem>(s: &Stack, qc: usize, outs: &mut [Tensor]) -> Result<()> {
    let (m, n) = (s.m, s.n);
    let k = m.min(n);
    for_each_matrix(s.count, flops::qr(m, n, qc), outs, |b, o, par, w| {
        // Q is built in the (zeroed) result itself: the identity's first qc columns, then the
        // reflectors applied to it.
        let (qo, ro) = o.split_at_mut(1);
        let mut q = MatMut::from_row_major_slice_mut(typed::<T>(qo[0]), m, qc);
        for i in 0..qc {
            q[(i, i)] = T::from_parts(1.0, 0.0);
        }
        if k == 0 {
            return Ok(()); // nothing to factor: R is zero
        }
        let mut a = s.mat::<T>(b).to_owned();
        let bs = qr::no_pivoting::factor::recommended_block_size::<T>(m, n);
        let mut coeff = Mat::<T>::zeros(bs, k);
        let req = StackReq::any_of(&[
            qr::no_pivoting::factor::qr_in_place_scratch::<T>(m, n, bs, par, default()),
            householder::apply_block_householder_on_the_left_in_place_scratch::<T>(m, bs, qc),
        ]);
        let mem = w.stack(req, "qr")?;
        qr::no_pivoting::factor::qr_in_place(a.as_mut(), coeff.as_mut(), par, &mut *mem, default());
        // R: the upper trapezoid of the first k rows (rows k.. of a complete R stay zero).
        let mut r = MatMut::from_row_major_slice_mut(typed::<T>(ro[0]), qc, n);
        for i in 0..k {
            for j in i..n {
                r[(i, j)] = a[(i, j)];
            }
        }
        // Q = H_1 ... H_k I, the blocks applied last to first (as LAPACK's orgqr): when block
        // j0..j1 is applied, columns before j0 are still the identity's and rows before j0 are
        // untouched, so each block updates only Q[j0.., j0..] (about a third of the work of
        // applying every block to the whole identity). The basis is a's strictly lower part
        // (faer reads the reflectors' unit diagonal implicitly, not R above it).
        let mut j1 = k;
        let mut size = match k % bs {
            0 => bs,
            r => r,
        };
        while j1 > 0 {
            let j0 = j1 - size;
            householder::apply_block_householder_on_the_left_in_place_with_conj(
                a.get(j0.., j0..j1),
                coeff.get(..j1 - j0, j0..j1),
                Conj::No,
                q.as_mut().get_mut(j0.., j0..),
                par,
                &mut *mem,
            );
            (j1, size) = (j0, bs);
        }
        Ok(())
    })
}

// ---- SVD --------------------------------------------------------------------------------------

/// Singular values only (`vectors` None), or (U, S, Vh) full or thin.
pub fn svd(s: &Stack, vectors: Option<bool>) -> Result<Vec<Tensor>> {
    let (m, n) = (s.m, s.n);
    let k = m.min(n);
    let dt = s.dtype();
    let mut outs = Vec::new();
    if let Some(full) = vectors {
        let (uc, vr) = if full { (m, n) } else { (k, k) };
        outs.push(out(&shape_of(s.batch(), &[m, uc]), dt)?);
        outs.push(out(&shape_of(s.batch(), &[k]), dt.real_of())?);
        outs.push(out(&shape_of(s.batch(), &[vr, n]), dt)?);
    } else {
        outs.push(out(&shape_of(s.batch(), &[k]), dt.real_of())?);
    }
    by_dtype!(dt, svd_t(s, vectors, &mut outs))?;
    Ok(outs)
}

/// Writes real values (f64) into a float32 or float64 slice (told apart by the byte count).
fn put_real(dst: &mut [u8], vals: impl Iterator<Item = f64>, count: usize) {
    if dst.is_empty() {
        return;
    }
    if dst.len() == count * 4 {
        for (d, v) in typed::<f32>(dst).iter_mut().zip(vals) {
            *d = v as f32;
        }
    } else {
        for (d, v) in typed::<f64>(dst).iter_mut().zip(vals) {
            *d = v;
        }
    }
}

fn svd_t<T: Elem>(s: &Stack, vectors: Option<bool>, outs: &mut [Tensor]) -> Result<()> {
    let (m, n) = (s.m, s.n);
    let k = m.min(n);
    let cost = flops::svd(m, n, vectors.is_some());
    for_each_matrix(s.count, cost, outs, |b, o, par, w| {
        let a = s.mat::<T>(b);
        let mut sv = faer::diag::Diag::<T>::zeros(k);
        let compute = match vectors {
            Some(true) => svd::ComputeSvdVectors::Full,
            Some(false) => svd::ComputeSvdVectors::Thin,
            None => svd::ComputeSvdVectors::No,
        };
        let (uc, vc) = match vectors {
            Some(true) => (m, n),
            _ => (k, k),
        };
        // U and V (column-major, before the copies out) live in the scratch too, so that a kept
        // scratch leaves no large allocation to the call.
        let (um, un, vm, vn) = match vectors {
            Some(_) => (m, uc, n, vc),
            None => (0, 0, 0, 0),
        };
        let mut req = StackReq::all_of(&[
            faer::linalg::temp_mat_scratch::<T>(um, un),
            faer::linalg::temp_mat_scratch::<T>(vm, vn),
        ]);
        if k > 0 {
            let svd_req = svd::svd_scratch::<T>(m, n, compute, compute, par, default());
            req = StackReq::all_of(&[req, svd_req]);
        }
        let mem = w.stack(req, "svd")?;
        let (mut u, mem) = faer::linalg::temp_mat_zeroed::<T, _, _>(um, un, mem);
        let (mut v, mem) = faer::linalg::temp_mat_zeroed::<T, _, _>(vm, vn, mem);
        let (mut u, mut v) = (u.as_mat_mut(), v.as_mat_mut());
        let sigma = range_scale(a, false);
        let a_scaled = scaled(a, sigma);
        let a = a_scaled.as_ref().map_or(a, |c| c.as_ref());
        if k > 0 {
            svd::svd(
                a,
                sv.as_mut(),
                vectors.map(|_| u.as_mut()),
                vectors.map(|_| v.as_mut()),
                par,
                mem,
                default(),
            )
            .map_err(|_| no_convergence("svd"))?;
        } else if vectors.is_some() {
            // An empty matrix: its singular vectors complete to identities.
            u.copy_from(Mat::<T>::identity(m, uc));
            v.copy_from(Mat::<T>::identity(n, vc));
        }
        let vals = (0..k).map(|i| sv[i].parts().0 / sigma);
        if vectors.is_some() {
            put(o[0], u.as_ref());
            put_real(o[1], vals, k);
            put(o[2], v.adjoint());
        } else {
            put_real(o[0], vals, k);
        }
        Ok(())
    })
}

// ---- eigh -------------------------------------------------------------------------------------

/// Eigenvalues (ascending, real) and, when `vectors`, eigenvectors of each Hermitian matrix,
/// read from its lower triangle.
pub fn eigh(s: &Stack, vectors: bool) -> Result<Vec<Tensor>> {
    let n = s.n;
    let dt = s.dtype();
    let mut outs = vec![out(&shape_of(s.batch(), &[n]), dt.real_of())?];
    if vectors {
        outs.push(out(&shape_of(s.batch(), &[n, n]), dt)?);
    }
    by_dtype!(dt, eigh_t(s, vectors, &mut outs))?;
    Ok(outs)
}

fn eigh_t<T: Elem>(s: &Stack, vectors: bool, outs: &mut [Tensor]) -> Result<()> {
    let n = s.n;
    for_each_matrix(s.count, flops::eigh(n, vectors), outs, |b, o, par, work| {
        let a = s.mat::<T>(b);
        let mut w = faer::diag::Diag::<T>::zeros(n);
        // The eigenvectors (column-major, before the transposed copy out) live in the scratch
        // too, so that a kept scratch leaves no large allocation to the call.
        let un = if vectors { n } else { 0 };
        let req = StackReq::all_of(&[
            faer::linalg::temp_mat_scratch::<T>(un, un),
            T::eigh_scratch(n, vectors, par),
        ]);
        let mem = work.stack(req, "eigh")?;
        let (mut u, mem) = faer::linalg::temp_mat_zeroed::<T, _, _>(un, un, mem);
        let mut u = u.as_mat_mut();
        T::eigh(a, w.as_mut(), vectors.then_some(u.as_mut()), par, mem)?;
        put_real(o[0], (0..n).map(|i| w[i].parts().0), n);
        if vectors {
            put(o[1], u.as_ref());
        }
        Ok(())
    })
}

// ---- eig --------------------------------------------------------------------------------------

/// Eigenvalues (complex) and, when `vectors`, right eigenvectors (complex, unit 2-norm columns)
/// of each square matrix. Results are complex64 for float32/complex64, else complex128.
pub fn eig(s: &Stack, vectors: bool) -> Result<Vec<Tensor>> {
    let n = s.n;
    let cdt = promote(s.dtype(), DType::C64);
    let mut outs = vec![out(&shape_of(s.batch(), &[n]), cdt)?];
    if vectors {
        outs.push(out(&shape_of(s.batch(), &[n, n]), cdt)?);
    }
    by_dtype!(s.dtype(), eig_t(s, vectors, cdt, &mut outs))?;
    Ok(outs)
}

/// Scales each column to unit 2-norm (faer's eigenvectors are not normalized; LAPACK's are).
fn normalize_columns(v: &mut Mat<c64>) {
    for j in 0..v.ncols() {
        let norm = (0..v.nrows())
            .map(|i| v[(i, j)].norm_sqr())
            .sum::<f64>()
            .sqrt();
        if norm > 0.0 {
            for i in 0..v.nrows() {
                v[(i, j)] /= norm;
            }
        }
    }
}

fn eig_t<T: Elem>(s: &Stack, vectors: bool, cdt: DType, outs: &mut [Tensor]) -> Result<()> {
    let n = s.n;
    for_each_matrix(s.count, flops::eig(n, vectors), outs, |b, o, par, _w| {
        // Always near unit norm: faer's real eigenvectors have absolute thresholds (residuals of
        // 0.6 for matrices of norm 1e-16 and below), and its Schur form the SVD's range limits.
        let a = s.mat::<T>(b);
        let sigma = toward_one::<T>(max_abs(a, false));
        let a_scaled = scaled(a, sigma);
        let (mut w, mut v) = T::eig(a_scaled.as_ref().map_or(a, |c| c.as_ref()), vectors, par)?;
        for x in &mut w {
            *x /= sigma;
        }
        if let Some(v) = v.as_mut() {
            normalize_columns(v);
        }
        if cdt == DType::C64 {
            for (d, x) in typed::<c32>(o[0]).iter_mut().zip(&w) {
                *d = c32::new(x.re as f32, x.im as f32);
            }
            if let Some(v) = v {
                let dst = MatMut::from_row_major_slice_mut(typed::<c32>(o[1]), n, n);
                let mut dst = dst;
                for j in 0..n {
                    for i in 0..n {
                        dst[(i, j)] = c32::new(v[(i, j)].re as f32, v[(i, j)].im as f32);
                    }
                }
            }
        } else {
            typed::<c64>(o[0]).copy_from_slice(&w);
            if let Some(v) = v {
                put(o[1], v.as_ref());
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(v: &[f64], shape: &[usize]) -> Tensor {
        let mut t = out(shape, DType::F64).unwrap();
        typed::<f64>(bytes_mut(&mut t)).copy_from_slice(v);
        t
    }

    fn values(t: &Tensor) -> Vec<f64> {
        let s = Stack::new("test", &t.reshape(&[1, -1]).unwrap(), DType::F64, false).unwrap();
        let m = s.mat::<f64>(0);
        (0..m.ncols()).map(|j| m[(0, j)]).collect()
    }

    fn stack(t: &Tensor) -> Stack {
        Stack::new("test", t, DType::F64, false).unwrap()
    }

    /// A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], symmetric positive definite.
    fn spd() -> Tensor {
        tensor(&[4.0, 2.0, 0.0, 2.0, 5.0, 1.0, 0.0, 1.0, 3.0], &[3, 3])
    }

    fn matmul(a: &[f64], b: &[f64], n: usize, k: usize, m: usize) -> Vec<f64> {
        let mut c = vec![0.0; n * m];
        for i in 0..n {
            for j in 0..m {
                c[i * m + j] = (0..k).map(|l| a[i * k + l] * b[l * m + j]).sum();
            }
        }
        c
    }

    fn assert_close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12, "{a:?} != {b:?}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "faer's SIMD kernels are too slow under Miri")]
    fn cholesky_and_solve_reconstruct_on_a_transposed_view() {
        let a = spd().matrix_transpose().unwrap(); // symmetric, so the same matrix, F-order
        let l = values(&cholesky(&stack(&a), false).unwrap());
        let lt: Vec<f64> = (0..9).map(|i| l[(i % 3) * 3 + i / 3]).collect();
        assert_close(&matmul(&l, &lt, 3, 3, 3), &values(&spd()));
        let b = tensor(&[1.0, 2.0, 3.0], &[3, 1]);
        let x = values(&solve(&stack(&a), &stack(&b), false).unwrap());
        assert_close(&matmul(&values(&spd()), &x, 3, 3, 1), &[1.0, 2.0, 3.0]);
    }

    #[test]
    #[cfg_attr(miri, ignore = "faer's SIMD kernels are too slow under Miri")]
    fn singular_and_indefinite_matrices_are_linalg_errors() {
        let s = tensor(&[1.0, 2.0, 2.0, 4.0], &[2, 2]);
        assert!(matches!(inv(&stack(&s)), Err(CoreError::LinAlg(_))));
        assert_eq!(values(&det(&stack(&s), false).unwrap()[0]), [0.0]);
        let indefinite = tensor(&[1.0, 2.0, 2.0, 1.0], &[2, 2]);
        assert!(matches!(
            cholesky(&stack(&indefinite), false),
            Err(CoreError::LinAlg(_))
        ));
    }

    #[test]
    #[cfg_attr(miri, ignore = "faer's SIMD kernels are too slow under Miri")]
    fn qr_svd_and_eigh_of_small_matrices() {
        let a = spd();
        let qr = qr(&stack(&a), false).unwrap();
        let (q, r) = (values(&qr[0]), values(&qr[1]));
        assert_close(&matmul(&q, &r, 3, 3, 3), &values(&a));
        let d = tensor(&[3.0, 0.0, 0.0, -5.0], &[2, 2]);
        assert_close(&values(&svd(&stack(&d), None).unwrap()[0]), &[5.0, 3.0]);
        assert_close(&values(&eigh(&stack(&d), false).unwrap()[0]), &[-5.0, 3.0]);
        assert_close(&values(&det(&stack(&d), false).unwrap()[0]), &[-15.0]);
    }
}
