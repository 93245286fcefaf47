//! dot and matmul with NumPy's rules for 1-D, 2-D and stacked operands.

use crate::arena;
use crate::dispatch::{kernels, need};
use crate::dtype::promote;
use crate::error::{shape_str, CoreError, Result};
pub use crate::gemm::Algorithm;
use crate::gemm::{self, GemmArgs};
use crate::kernels::reduce::{read_scalar, Scalar, BLOCK};
use crate::parallel::{self, SendPtr};
use crate::tensor::{broadcast_shapes, contiguous_strides, with_dense, Tensor, View};
use std::ffi::c_void;

/// Inner product of two 1-D float tensors of equal length, blockwise like `sum` so the result
/// does not depend on the thread count.
pub fn dot(a: &View, b: &View) -> Result<Scalar> {
    let dtype = promote(a.dtype(), b.dtype());
    if a.dtype() != dtype {
        return dot(&a.astype(dtype)?.view(), b);
    }
    if b.dtype() != dtype {
        return dot(a, &b.astype(dtype)?.view());
    }
    with_dense(a, |a| with_dense(b, |b| dot_dense(a, b, dtype)))
}

fn dot_dense(a: &View, b: &View, dtype: crate::dtype::DType) -> Result<Scalar> {
    let fi = dtype.float_index("dot")?;
    if a.ndim() != 1 || b.ndim() != 1 || a.size() != b.size() {
        return Err(CoreError::value(format!(
            "dot: shapes {} and {} not aligned (need two 1-D tensors of equal length)",
            shape_str(a.shape()),
            shape_str(b.shape())
        )));
    }
    let table = kernels();
    let f = need(table.dot[fi], "dot", dtype)?;
    let n = a.size();
    let isz = dtype.itemsize();
    let blocks = n.div_ceil(BLOCK).max(1);
    let par = parallel::should_parallelize(n, parallel::threshold(parallel::Family::Dot));
    let sum = need(table.sum[dtype.code()], "dot", dtype)?;
    // One 8-byte slot, aligned for the result as the kernel contract requires.
    let mut out = 0u64;
    arena::with_arena(|scratch| {
        let partials = scratch.uninit::<u64>(blocks);
        let (pa, pb, pp) = (
            SendPtr(a.data() as *mut u8),
            SendPtr(b.data() as *mut u8),
            SendPtr(partials.as_mut_ptr().cast()),
        );
        // Blocks are claimed by the caller and the pool's workers (a late worker costs nothing).
        parallel::share_tasks(blocks, par, |_, next| {
            while let Some(blk) = next() {
                let start = blk * BLOCK;
                let len = BLOCK.min(n - start.min(n));
                // SAFETY: block `blk` lies inside both inputs; partial `blk` inside `partials`.
                unsafe {
                    f(
                        pa.get().add(start * isz) as *const c_void,
                        pb.get().add(start * isz) as *const c_void,
                        len,
                        pp.get().add(blk * isz) as *mut c_void,
                    )
                }
            }
        });
        // SAFETY: the tasks wrote `blocks` values of dtype, packed at stride isz.
        unsafe {
            sum(
                pp.get() as *const c_void,
                blocks,
                &mut out as *mut u64 as *mut c_void,
            )
        };
    });
    // SAFETY: out holds one value of dtype.
    Ok(unsafe { read_scalar(out.to_ne_bytes().as_ptr(), dtype) })
}

/// The common case of [`matmul_with`], two matrices: no batch bookkeeping (for the smallest
/// products its allocations were a visible part of the call).
fn matmul_2d(
    a: &View,
    a_trans: bool,
    b: &View,
    b_trans: bool,
    algo: Algorithm,
    dtype: crate::dtype::DType,
) -> Result<Tensor> {
    let logical = |t: &View, trans: bool| {
        let s = t.shape();
        if trans {
            (s[1], s[0])
        } else {
            (s[0], s[1])
        }
    };
    let ((m, k), (k2, n)) = (logical(a, a_trans), logical(b, b_trans));
    if k != k2 {
        return Err(CoreError::value(format!(
            "matmul: shapes {} and {} are not aligned",
            shape_str(&[m, k]),
            shape_str(&[k2, n])
        )));
    }
    let out = Tensor::empty(&[m, n], a.dtype())?;
    if out.size() == 0 {
        return Ok(out);
    }
    let x = GemmArgs {
        m,
        n,
        k,
        a: a.data(),
        a_rs: if a_trans { 1 } else { k as isize },
        a_cs: if a_trans { m as isize } else { 1 },
        b: b.data(),
        b_rs: if b_trans { 1 } else { n as isize },
        b_cs: if b_trans { k as isize } else { 1 },
        c: out.data_mut()?,
        ldc: n as isize,
        itemsize: a.dtype().itemsize(),
    };
    // SAFETY: A and B are contiguous matrices of the checked logical shapes (the strides above
    // describe them exactly); C is the new output, so it overlaps neither.
    unsafe { product(dtype, algo, &x, None)? };
    crate::interrupt::take_stop()?;
    Ok(out)
}

/// One product C = A * B: the float ladder's rung `algo`, or for integers and complex the plain
/// i-k-j kernel over blocks of C's rows (in parallel when large, unless `across` batch entries
/// already are: then `Some(true)` runs the ladder's sequential auto rung).
///
/// # Safety
/// As `gemm::run`: `x` describes readable A and B and a writable C that overlaps neither.
unsafe fn product(
    dtype: crate::dtype::DType,
    algo: Algorithm,
    x: &GemmArgs,
    across: Option<bool>,
) -> Result<()> {
    let table = kernels();
    if let Ok(fi) = dtype.float_index("matmul") {
        // SAFETY: forwarded contract.
        unsafe {
            match across {
                Some(true) => gemm::auto(table, fi, x, false),
                _ => gemm::run(table, fi, algo, x),
            }
        }
        return Ok(());
    }
    if algo != Algorithm::Auto {
        return Err(CoreError::type_err(format!(
            "matmul: the algorithm ladder has float32 and float64 rungs only, got {} \
             (use algorithm=\"auto\")",
            dtype.name()
        )));
    }
    let f = need(table.matmul_other[dtype.code()], "matmul", dtype)?;
    let work = x.m.saturating_mul(x.n).saturating_mul(x.k);
    let par = across != Some(true)
        && parallel::should_parallelize(work, parallel::threshold(parallel::Family::Matmul));
    let rows = if par {
        x.m.div_ceil(parallel::num_threads() * 4).max(1)
    } else {
        x.m.max(1)
    };
    let isz = x.itemsize as isize;
    let (pa, pb, pc) = (
        SendPtr(x.a as *mut u8),
        SendPtr(x.b as *mut u8),
        SendPtr(x.c),
    );
    parallel::run_tasks_checked(x.m.div_ceil(rows), par, rows * x.n.max(1), |t| {
        let r0 = t * rows;
        let mr = rows.min(x.m - r0);
        // SAFETY: rows [r0, r0 + mr) of A and C (offsets from their row strides); B whole.
        unsafe {
            f(
                mr,
                x.n,
                x.k,
                pa.get().wrapping_offset(r0 as isize * x.a_rs * isz) as *const c_void,
                x.a_rs,
                x.a_cs,
                pb.get() as *const c_void,
                x.b_rs,
                x.b_cs,
                pc.get().wrapping_offset(r0 as isize * x.ldc * isz) as *mut c_void,
                x.ldc,
            )
        };
    })
}

/// `a @ b` with NumPy's matmul rules. A 1-D @ 1-D product gives a 0-d tensor.
pub fn matmul(a: &View, b: &View) -> Result<Tensor> {
    matmul_with(a, false, b, false, Algorithm::Auto)
}

/// `op(a) @ op(b)` with NumPy's matmul rules, computed by rung `algo` of the matmul ladder.
/// `a_trans` means the logical operand is the transpose of `a`, which must then be a (contiguous)
/// 2-D tensor: NumPy's `x.T` arrives this way without a copy, and packing absorbs the transpose.
pub fn matmul_with(
    a: &View,
    a_trans: bool,
    b: &View,
    b_trans: bool,
    algo: Algorithm,
) -> Result<Tensor> {
    let dtype = promote(a.dtype(), b.dtype());
    if a.dtype() != dtype {
        return matmul_with(&a.astype(dtype)?.view(), a_trans, b, b_trans, algo);
    }
    if b.dtype() != dtype {
        return matmul_with(a, a_trans, &b.astype(dtype)?.view(), b_trans, algo);
    }
    with_dense(a, |a| {
        with_dense(b, |b| matmul_dense(a, a_trans, b, b_trans, algo, dtype))
    })
}

fn matmul_dense(
    a: &View,
    a_trans: bool,
    b: &View,
    b_trans: bool,
    algo: Algorithm,
    dtype: crate::dtype::DType,
) -> Result<Tensor> {
    if dtype == crate::dtype::DType::Bool {
        return Err(CoreError::type_err(
            "matmul is not supported for dtype bool (expected a numeric dtype)",
        ));
    }
    if (a_trans && a.ndim() != 2) || (b_trans && b.ndim() != 2) {
        return Err(CoreError::value(format!(
            "matmul: transposed operands must be 2-D, got shapes {} (transposed: {a_trans}) and {} \
             (transposed: {b_trans})",
            shape_str(a.shape()),
            shape_str(b.shape())
        )));
    }
    if a.ndim() == 2 && b.ndim() == 2 {
        return matmul_2d(a, a_trans, b, b_trans, algo, dtype);
    }
    let logical = |t: &View, trans: bool| -> Vec<usize> {
        let mut s = t.shape().to_vec();
        if trans {
            s.swap(0, 1);
        }
        s
    };
    let (sa, sb) = (logical(a, a_trans), logical(b, b_trans));
    let mismatch = || {
        CoreError::value(format!(
            "matmul: shapes {} and {} are not aligned",
            shape_str(&sa),
            shape_str(&sb)
        ))
    };
    if a.ndim() == 0 || b.ndim() == 0 {
        return Err(CoreError::value(format!(
            "matmul: operands must have at least one dimension, got shapes {} and {}",
            shape_str(&sa),
            shape_str(&sb)
        )));
    }
    // Promote 1-D operands to matrices: (k,) is a row on the left, a column on the right.
    let (m, k) = if a.ndim() == 1 {
        (1, sa[0])
    } else {
        (sa[sa.len() - 2], sa[sa.len() - 1])
    };
    let (k2, n) = if b.ndim() == 1 {
        (sb[0], 1)
    } else {
        (sb[sb.len() - 2], sb[sb.len() - 1])
    };
    if k != k2 {
        return Err(mismatch());
    }
    let batch_a = &sa[..sa.len().saturating_sub(2)];
    let batch_b = &sb[..sb.len().saturating_sub(2)];
    let batch = broadcast_shapes(&[batch_a, batch_b]).map_err(|_| mismatch())?;
    let mut out_shape = batch.clone();
    if a.ndim() > 1 {
        out_shape.push(m);
    }
    if b.ndim() > 1 {
        out_shape.push(n);
    }
    let out = Tensor::empty(&out_shape, dtype)?;
    if out.size() == 0 {
        return Ok(out);
    }
    let isz = dtype.itemsize();
    // Element strides of the logical operands: a transposed (k, m) tensor reads A(i, p) at p*m + i.
    let (a_rs, a_cs) = if a_trans {
        (1, m as isize)
    } else {
        (k as isize, 1)
    };
    let (b_rs, b_cs) = if b_trans {
        (1, k as isize)
    } else {
        (n as isize, 1)
    };
    let nbatch: usize = batch.iter().product();
    let (stra, strb) = (
        crate::tensor::layout_broadcast(batch_a, &contiguous_strides(batch_a), &batch),
        crate::tensor::layout_broadcast(batch_b, &contiguous_strides(batch_b), &batch),
    );
    let (pa, pb, pc) = (
        SendPtr(a.data() as *mut u8),
        SendPtr(b.data() as *mut u8),
        SendPtr(out.data_mut()?),
    );
    let args = |bi: usize| {
        // Matrix offsets of this batch entry, through broadcast strides (in matrices).
        let (mut oa, mut ob, mut r) = (0isize, 0isize, bi);
        for d in (0..batch.len()).rev() {
            let i = (r % batch[d]) as isize;
            r /= batch[d];
            oa += i * stra[d];
            ob += i * strb[d];
        }
        GemmArgs {
            m,
            n,
            k,
            a: pa.get().wrapping_offset(oa * (m * k * isz) as isize),
            a_rs,
            a_cs,
            b: pb.get().wrapping_offset(ob * (k * n * isz) as isize),
            b_rs,
            b_cs,
            c: pc.get().wrapping_add(bi * m * n * isz),
            ldc: n as isize,
            itemsize: isz,
        }
    };
    // Many small products: one per task, each single-threaded. Otherwise the products run in
    // turn and each one uses the pool itself.
    let per = m.saturating_mul(n).saturating_mul(k);
    let across = algo == Algorithm::Auto
        && nbatch > 1
        && per < parallel::threshold(parallel::Family::Matmul).saturating_mul(64)
        && parallel::should_parallelize(
            per.saturating_mul(nbatch),
            parallel::threshold(parallel::Family::Matmul),
        );
    let results = parallel::map_tasks(nbatch, across, |bi| {
        let x = args(bi);
        // SAFETY: batch entry bi's A and B lie inside the contiguous inputs of the checked shapes
        // (the strides above describe them exactly), C entry bi inside `out`, which is new and so
        // overlaps neither; tasks write disjoint C entries.
        unsafe { product(dtype, algo, &x, Some(across)) }
    });
    results.into_iter().collect::<Result<Vec<()>>>()?;
    // A block loop that saw Ctrl-C stopped early: report it instead of a partial product.
    crate::interrupt::take_stop()?;
    Ok(out)
}
