//! Layout arithmetic on (shape, element strides): no memory is touched here.

use super::Dims;
use crate::error::{shape_str, CoreError, Result};

/// Lowest and highest element offsets a non-empty layout reaches, or None on overflow.
pub fn extent(shape: &[usize], strides: &[isize]) -> Option<(isize, isize)> {
    let (mut lo, mut hi) = (0isize, 0isize);
    for (&d, &s) in shape.iter().zip(strides) {
        let far = isize::try_from(d - 1).ok()?.checked_mul(s)?;
        if far < 0 {
            lo = lo.checked_add(far)?;
        } else {
            hi = hi.checked_add(far)?;
        }
    }
    Some((lo, hi))
}

/// C-contiguous: strides are the C-order ones, ignoring axes of length 1 (any empty layout is).
pub fn is_c_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    let mut expect = 1isize;
    for (&d, &s) in shape.iter().zip(strides).rev() {
        if d == 0 {
            return true;
        }
        if d != 1 && s != expect {
            return false;
        }
        expect = expect.wrapping_mul(d as isize);
    }
    true
}

/// An axis argument in [-ndim, ndim) as an index, or an AxisError naming it.
pub fn normalize_axis(axis: i64, ndim: usize) -> Result<usize> {
    let n = ndim as i64;
    if axis < -n || axis >= n {
        return Err(CoreError::Axis(format!(
            "axis {axis} is out of bounds for a tensor of dimension {ndim}"
        )));
    }
    Ok(if axis < 0 { axis + n } else { axis } as usize)
}

/// NumPy's broadcasting rule over any number of shapes; the error names them.
pub fn broadcast_shapes(shapes: &[&[usize]]) -> Result<Dims> {
    let nd = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out: Dims = smallvec::smallvec![1; nd];
    for s in shapes {
        let lead = nd - s.len();
        for (i, &d) in s.iter().enumerate() {
            let o = &mut out[lead + i];
            if *o == 1 {
                *o = d;
            } else if d != 1 && d != *o {
                let shown: Vec<String> = shapes.iter().map(|s| shape_str(s)).collect();
                return Err(CoreError::value(format!(
                    "shapes {} could not be broadcast together",
                    shown.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

/// Strides of (shape, strides) seen through the broadcast shape `to` (0 on broadcast axes), or
/// None if it does not broadcast to `to`.
pub fn broadcast_strides_to(
    shape: &[usize],
    strides: &[isize],
    to: &[usize],
) -> Option<Dims<isize>> {
    if shape.len() > to.len() {
        return None;
    }
    let lead = to.len() - shape.len();
    let mut out: Dims<isize> = smallvec::smallvec![0; to.len()];
    for i in 0..shape.len() {
        if shape[i] == to[lead + i] {
            out[lead + i] = if shape[i] == 1 { 0 } else { strides[i] };
        } else if shape[i] != 1 {
            return None;
        }
    }
    Some(out)
}

/// A reshape spec (one entry may be -1) for `size` elements as a shape.
pub fn resolve_shape(spec: &[i64], size: usize, itemsize: usize) -> Result<Dims> {
    let mut shape = Dims::with_capacity(spec.len());
    let mut infer = None;
    let mut known = 1usize;
    for (i, &d) in spec.iter().enumerate() {
        if d == -1 {
            if infer.replace(i).is_some() {
                return Err(CoreError::value(
                    "reshape: can only specify one unknown dimension",
                ));
            }
            shape.push(0);
        } else if d < 0 {
            return Err(CoreError::value(format!("reshape: negative dimension {d}")));
        } else {
            known = known
                .checked_mul(d as usize)
                .ok_or_else(|| CoreError::value("reshape: requested shape is too large"))?;
            shape.push(d as usize);
        }
    }
    // As NumPy: the non-zero dimensions must fit in memory even when the size is 0.
    let fits = shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(itemsize, |acc, &d| acc.checked_mul(d))
        .is_some_and(|b| b <= isize::MAX as usize);
    if !fits {
        return Err(CoreError::value(format!(
            "reshape: requested shape {spec:?} is too large"
        )));
    }
    if let Some(i) = infer {
        if known == 0 || size % known != 0 {
            return Err(CoreError::value(format!(
                "cannot reshape tensor of size {size} into shape {spec:?}"
            )));
        }
        shape[i] = size / known;
    } else if known != size {
        return Err(CoreError::value(format!(
            "cannot reshape tensor of size {size} into shape {}",
            shape_str(&shape)
        )));
    }
    Ok(shape)
}

/// Strides giving `new` the same elements in C order as (old, strides) without moving data, or
/// None when the layout does not allow it (NumPy's `_attempt_nocopy_reshape`).
pub fn reshape_strides(old: &[usize], strides: &[isize], new: &[usize]) -> Option<Dims<isize>> {
    if old.contains(&0) || new.contains(&0) || new.iter().product::<usize>() <= 1 {
        // Empty or single-element: any strides do.
        return Some(super::contiguous_strides(new));
    }
    // Drop length-1 axes of the old layout; they constrain nothing.
    let (od, os): (Dims, Dims<isize>) = old
        .iter()
        .zip(strides)
        .filter(|(&d, _)| d != 1)
        .map(|(&d, &s)| (d, s))
        .unzip();
    let mut out: Dims<isize> = smallvec::smallvec![0; new.len()];
    let (mut oi, mut oj, mut ni, mut nj) = (0usize, 1usize, 0usize, 1usize);
    while ni < new.len() && oi < od.len() {
        let (mut np, mut op) = (new[ni], od[oi]);
        while np != op {
            if np < op {
                np *= new[nj];
                nj += 1;
            } else {
                op *= od[oj];
                oj += 1;
            }
        }
        // The old axes oi..oj must be contiguous among themselves.
        for k in oi..oj - 1 {
            if os[k] != os[k + 1] * od[k + 1] as isize {
                return None;
            }
        }
        out[nj - 1] = os[oj - 1];
        for k in (ni + 1..nj).rev() {
            out[k - 1] = out[k] * new[k] as isize;
        }
        ni = nj;
        nj += 1;
        oi = oj;
        oj += 1;
    }
    // Trailing new axes of length 1.
    for s in out.iter_mut().skip(ni) {
        *s = 1;
    }
    Some(out)
}
