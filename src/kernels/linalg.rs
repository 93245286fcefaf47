//! dot and matmul with NumPy's rules for 1-D, 2-D and stacked operands.

use crate::arena;
use crate::dispatch::{kernels, need};
use crate::dtype::same_dtype;
use crate::error::{shape_str, CoreError, Result};
use crate::kernels::elementwise::{broadcast_shapes, broadcast_strides};
use crate::kernels::reduce::{read_scalar, Scalar, BLOCK};
use crate::parallel::{self, SendPtr};
use crate::tensor::Tensor;
use std::ffi::c_void;

/// Inner product of two 1-D float tensors of equal length, blockwise like `sum` so the result
/// does not depend on the thread count.
pub fn dot(a: &Tensor, b: &Tensor) -> Result<Scalar> {
    let dtype = same_dtype("dot", a.dtype(), b.dtype())?;
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
    let par = parallel::should_parallelize(n, parallel::threshold("dot"));
    let sum = need(table.sum[dtype.code()], "dot", dtype)?;
    let mut out = [0u8; 8];
    arena::with_arena(|scratch| {
        let partials = scratch.uninit::<u64>(blocks);
        let (pa, pb, pp) = (
            SendPtr(a.data() as *mut u8),
            SendPtr(b.data() as *mut u8),
            SendPtr(partials.as_mut_ptr().cast()),
        );
        parallel::map_tasks(blocks, par, |blk| {
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
        });
        // SAFETY: the tasks wrote `blocks` values of dtype, packed at stride isz.
        unsafe {
            sum(
                pp.get() as *const c_void,
                blocks,
                out.as_mut_ptr() as *mut c_void,
            )
        };
    });
    // SAFETY: out holds one value of dtype.
    Ok(unsafe { read_scalar(out.as_ptr(), dtype) })
}

/// Multiply-adds per matmul slab (one gemm call): a few milliseconds of work.
const SLAB_MACS: usize = 1 << 24;
/// Multiply-adds per wave of slabs between two interruption checks, for many small products.
const WAVE_MACS: usize = 1 << 26;

/// `a @ b` with NumPy's matmul rules. A 1-D @ 1-D product gives a 0-d tensor.
pub fn matmul(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = same_dtype("matmul", a.dtype(), b.dtype())?;
    let fi = dtype.float_index("matmul")?;
    let mismatch = || {
        CoreError::value(format!(
            "matmul: shapes {} and {} are not aligned",
            shape_str(a.shape()),
            shape_str(b.shape())
        ))
    };
    if a.ndim() == 0 || b.ndim() == 0 {
        return Err(CoreError::value(format!(
            "matmul: operands must have at least one dimension, got shapes {} and {}",
            shape_str(a.shape()),
            shape_str(b.shape())
        )));
    }
    // Promote 1-D operands to matrices: (k,) is a row on the left, a column on the right.
    let (sa, sb) = (a.shape(), b.shape());
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
    let batch = broadcast_shapes("matmul", batch_a, batch_b).map_err(|_| mismatch())?;
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
    let gemm = need(kernels().gemm[fi], "matmul", dtype)?;
    let isz = dtype.itemsize();
    let nbatch: usize = batch.iter().product();
    let (stra, strb) = (
        broadcast_strides(batch_a, &batch),
        broadcast_strides(batch_b, &batch),
    );
    let (pa, pb, pc) = (
        SendPtr(a.data() as *mut u8),
        SendPtr(b.data() as *mut u8),
        SendPtr(out.data_mut()?),
    );
    // Split every batch into row slabs so two threads share even a single large product, and
    // cap a slab at about SLAB_MACS multiply-adds so a long product can be interrupted (Ctrl-C):
    // slabs run in waves, with an interruption check on the calling thread between waves.
    let flops = nbatch.saturating_mul(m).saturating_mul(n).saturating_mul(k);
    let par = parallel::should_parallelize(flops, parallel::threshold("matmul"));
    let slabs = if par {
        (parallel::num_threads() * 2).min(m)
    } else {
        1
    };
    let row_macs = n.saturating_mul(k).max(1);
    let rows_per = m.div_ceil(slabs).min((SLAB_MACS / row_macs).max(1));
    let slabs = m.div_ceil(rows_per);
    let slab_macs = rows_per.saturating_mul(row_macs);
    let wave = (parallel::num_threads() * 2).max(WAVE_MACS / slab_macs);
    parallel::map_tasks_checked(nbatch * slabs, par, wave, |t| {
        let (bi, s) = (t / slabs, t % slabs);
        let r0 = s * rows_per;
        if r0 >= m {
            return;
        }
        let rows = rows_per.min(m - r0);
        // Matrix offsets of this batch entry, through broadcast strides (in matrices).
        let (mut oa, mut ob, mut r) = (0isize, 0isize, bi);
        for d in (0..batch.len()).rev() {
            let i = (r % batch[d]) as isize;
            r /= batch[d];
            oa += i * stra[d];
            ob += i * strb[d];
        }
        let a0 = pa
            .get()
            .wrapping_offset((oa * (m * k) as isize + (r0 * k) as isize) * isz as isize);
        let b0 = pb
            .get()
            .wrapping_offset(ob * (k * n) as isize * isz as isize);
        let c0 = pc.get().wrapping_add((bi * m * n + r0 * n) * isz);
        // SAFETY: the slab's rows of A, the batch's B and the slab of C are in bounds of
        // contiguous tensors of the checked shapes; slabs write disjoint rows of C.
        unsafe {
            gemm(
                rows,
                n,
                k,
                a0 as *const c_void,
                k as isize,
                1,
                b0 as *const c_void,
                n as isize,
                1,
                c0 as *mut c_void,
                n as isize,
            )
        }
    })?;
    Ok(out)
}
