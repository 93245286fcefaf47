"""corepy.linalg: the linear algebra extension of the array API standard (2025.12).

The decompositions (cholesky, solve, inv, det, slogdet, qr, svd, svdvals, eigh, eigvalsh, eig,
eigvals) are Rust functions on the faer crate (corepy._core._linalg_*): dtype rules, shapes,
batching over leading dimensions and threading in corepy's pool are decided there, with the GIL
released. The rest are compositions of corepy's own ops (matmul, views, reductions).
"""

from __future__ import annotations

import functools
import math
import operator
from typing import NamedTuple

import corepy as _cp

from . import _api, _core
from ._core import LinAlgError
from ._products import tensordot as _tensordot
from ._products import vecdot as _vecdot

__all__ = [
    "EigResult",
    "EighResult",
    "LinAlgError",
    "QRResult",
    "SVDResult",
    "SlogdetResult",
    "cholesky",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "trace",
    "vecdot",
    "vector_norm",
]


class EighResult(NamedTuple):
    eigenvalues: _core.Tensor
    eigenvectors: _core.Tensor


class EigResult(NamedTuple):
    eigenvalues: _core.Tensor
    eigenvectors: _core.Tensor


class QRResult(NamedTuple):
    Q: _core.Tensor
    R: _core.Tensor


class SlogdetResult(NamedTuple):
    sign: _core.Tensor
    logabsdet: _core.Tensor


class SVDResult(NamedTuple):
    U: _core.Tensor
    S: _core.Tensor
    Vh: _core.Tensor


# ---- decompositions (Rust, faer) ---------------------------------------------------------------


def cholesky(x, /, *, upper=False):
    """The Cholesky factor of each Hermitian positive-definite matrix (its lower triangle is
    read): lower L with x = L L^H, or upper U = L^H when ``upper``. LinAlgError if a matrix is
    not positive definite."""
    return _core._linalg_cholesky(x, bool(upper))


def solve(x1, x2, /):
    """The solution of x1 @ x = x2 for each square matrix of x1. x2 is one vector when 1-D
    (shape (M,), shared by every matrix), else a stack of (M, K) matrices; batch dimensions
    broadcast. LinAlgError if a matrix is singular."""
    return _core._linalg_solve(x1, x2)


def inv(x, /):
    """The inverse of each square matrix; LinAlgError if one is singular."""
    return _core._linalg_inv(x)


def det(x, /):
    """The determinant of each square matrix."""
    return _core._linalg_det(x)


def slogdet(x, /):
    """(sign, logabsdet) of each square matrix's determinant; a singular matrix has sign 0 and
    logabsdet -inf. For complex matrices sign has modulus 1."""
    return SlogdetResult(*_core._linalg_slogdet(x))


def qr(x, /, *, mode="reduced"):
    """The QR decomposition of each matrix: mode 'reduced' (Q: M x K, R: K x N, K = min(M, N)) or
    'complete' (Q: M x M, R: M x N)."""
    return QRResult(*_core._linalg_qr(x, mode))


def svd(x, /, *, full_matrices=True):
    """(U, S, Vh) with x = U @ diag(S) @ Vh, S descending (real); full_matrices=False gives the
    thin factors (U: M x K, Vh: K x N)."""
    return SVDResult(*_core._linalg_svd(x, bool(full_matrices)))


def svdvals(x, /):
    """The singular values of each matrix, descending."""
    return _core._linalg_svdvals(x)


def eigh(x, /):
    """(eigenvalues, eigenvectors) of each Hermitian matrix (its lower triangle is read):
    eigenvalues real and ascending, eigenvectors the columns of a unitary matrix."""
    return EighResult(*_core._linalg_eigh(x))


def eigvalsh(x, /):
    """The eigenvalues of each Hermitian matrix, real and ascending."""
    return _core._linalg_eigvalsh(x)


def eig(x, /):
    """(eigenvalues, eigenvectors) of each square matrix, both complex (complex64 for float32 and
    complex64 input, else complex128); eigenvectors are columns of unit 2-norm."""
    return EigResult(*_core._linalg_eig(x))


def eigvals(x, /):
    """The eigenvalues of each square matrix (complex, as in ``eig``)."""
    return _core._linalg_eigvals(x)


# ---- compositions of corepy ops ------------------------------------------------------------------


def _recorded(name):
    """Records each call of a composed function in the open profiles under ``name`` (with the
    elements and bytes of its result and array arguments), around the ops it is made of."""

    def wrap(fn):
        @functools.wraps(fn)
        def call(*args, **kwargs):
            c = _core._linalg_begin(name)
            r = fn(*args, **kwargs)
            read = sum(getattr(a, "nbytes", 0) for a in args)
            c.finish(getattr(r, "size", 1), read, getattr(r, "nbytes", 0))
            return r

        return call

    return wrap


tensordot = _recorded("linalg.tensordot")(_tensordot)
vecdot = _recorded("linalg.vecdot")(_vecdot)


def _floating(name, x):
    """x as an array in a floating-point dtype: integers go to float64 (as NumPy); bool and
    anything else is a TypeError."""
    x = _api.asarray(x)
    d = str(x.dtype)
    if d in ("float32", "float64", "complex64", "complex128"):
        return x
    if d.startswith(("int", "uint")):
        return _core.Tensor(x, dtype="float64")
    raise TypeError(f"{name}: expected a floating-point (or integer) array, got dtype {d}")


def _real_dtype(d):
    return {"complex64": "float32", "complex128": "float64"}.get(str(d), str(d))


def _need_matrix(name, x):
    if x.ndim < 2:
        raise ValueError(
            f"{name}: expected a matrix or a stack of matrices (at least 2 dimensions), got "
            f"shape {tuple(x.shape)}"
        )


@_recorded("linalg.matmul")
def matmul(x1, x2, /):
    """The matrix product (the standard's matmul: 1-D operands are promoted and the added
    dimension removed, batch dimensions broadcast)."""
    return _core.matmul(x1, x2)


@_recorded("matrix_transpose")
def matrix_transpose(x, /):
    """The transpose of each matrix (a view)."""
    return _api.matrix_transpose(x)


def diagonal(x, /, *, offset=0):
    """The diagonal at ``offset`` of each matrix (a view): offset > 0 above the main diagonal,
    offset < 0 below."""
    return _core._linalg_diagonal(x, operator.index(offset))


@_recorded("trace")
def trace(x, /, *, offset=0, dtype=None):
    """The sum of the diagonal at ``offset`` of each matrix; dtype as the standard's sum (integers
    to the default integer unless ``dtype`` is given)."""
    return _cp.sum(diagonal(x, offset=offset), axis=-1, dtype=dtype)


@_recorded("outer")
def outer(x1, x2, /):
    """The outer product of two vectors: shape (N, M)."""
    a, b = _api.asarray(x1), _api.asarray(x2)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(
            f"outer: expected two 1-D arrays, got shapes {tuple(a.shape)} and {tuple(b.shape)}"
        )
    return _cp.multiply(_api.expand_dims(a, axis=1), _api.expand_dims(b, axis=0))


@_recorded("cross")
def cross(x1, x2, /, *, axis=-1):
    """The cross product of 3-element vectors along ``axis`` (after broadcasting)."""
    a, b = _api.asarray(x1), _api.asarray(x2)
    for t in (a, b):
        if str(t.dtype) == "bool":
            raise TypeError("cross: expected numeric arrays, got dtype bool")
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("cross: operands must have at least one dimension")
    shape = _api.broadcast_shapes(a.shape, b.shape)
    ax = _api._axis(axis, len(shape))
    if ax - len(shape) < -min(a.ndim, b.ndim):
        raise ValueError(f"cross: axis {axis} is not an axis of both operands")
    if shape[ax] != 3 or a.shape[ax - len(shape)] != 3 or b.shape[ax - len(shape)] != 3:
        raise ValueError(
            f"cross: the vectors along axis {axis} must have 3 elements, got shapes "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    a = _api.moveaxis(_api.broadcast_to(a, shape), ax, -1)
    b = _api.moveaxis(_api.broadcast_to(b, shape), ax, -1)
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    c = _api.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return _api.moveaxis(c, -1, ax)


def _ord_value(name, ord):
    if isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise TypeError(f"{name}: ord must be a number, got {ord!r}")
    return ord


@_recorded("vector_norm")
def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The vector p-norm over ``axis`` (None: all elements; a tuple: those axes together):
    ord inf/-inf max/min of |x|, 0 the count of non-zeros, else (sum |x|^ord)^(1/ord). Real
    result in the precision of x."""
    x = _floating("vector_norm", x)
    ord = _ord_value("vector_norm", ord)
    rdt = _real_dtype(x.dtype)
    if axis is None and x.ndim != 1:
        ax = tuple(range(x.ndim))
    elif axis is None:
        ax = 0
    else:
        ax = axis
    if isinstance(ax, tuple) and len(ax) == 0:
        ax = tuple(range(x.ndim))
    a = _cp.abs(x)
    if ord == math.inf:
        r = _cp.max(a, axis=ax, keepdims=keepdims)
    elif ord == -math.inf:
        r = _cp.min(a, axis=ax, keepdims=keepdims)
    elif ord == 0:
        r = _cp.sum(_core.Tensor(a != 0, dtype=rdt), axis=ax, keepdims=keepdims)
    elif ord == 1:
        r = _cp.sum(a, axis=ax, keepdims=keepdims)
    elif ord == 2:
        r = _cp.sqrt(_cp.sum(a * a, axis=ax, keepdims=keepdims))
    else:
        r = _cp.pow(_cp.sum(_cp.pow(a, ord), axis=ax, keepdims=keepdims), 1.0 / ord)
    if axis is None and not keepdims and x.ndim != 1 and r.ndim:
        r = _api.reshape(r, ())
    return _api.astype(r, rdt, copy=False)


@_recorded("matrix_norm")
def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The matrix norm of each matrix: 'fro' (Frobenius), 'nuc' (sum of singular values), 1/-1
    (max/min column sum of |x|), inf/-inf (max/min row sum), 2/-2 (largest/smallest singular
    value). Real result in the precision of x."""
    x = _floating("matrix_norm", x)
    _need_matrix("matrix_norm", x)
    rdt = _real_dtype(x.dtype)
    if ord == "fro":
        a = _cp.abs(x)
        r = _cp.sqrt(_cp.sum(a * a, axis=(-2, -1)))
    elif ord == "nuc":
        r = _cp.sum(svdvals(x), axis=-1)
    elif isinstance(ord, str):
        raise ValueError(
            f"matrix_norm: ord must be 'fro', 'nuc', 1, -1, 2, -2, inf or -inf, got {ord!r}"
        )
    elif _ord_value("matrix_norm", ord) in (1, -1, math.inf, -math.inf):
        col = abs(ord) == 1
        sums = _cp.sum(_cp.abs(x), axis=-2 if col else -1)
        r = _cp.max(sums, axis=-1) if ord > 0 else _cp.min(sums, axis=-1)
    elif ord in (2, -2):
        s = svdvals(x)
        r = _cp.max(s, axis=-1) if ord > 0 else _cp.min(s, axis=-1)
    else:
        raise ValueError(
            f"matrix_norm: ord must be 'fro', 'nuc', 1, -1, 2, -2, inf or -inf, got {ord!r}"
        )
    if keepdims:
        r = _api.expand_dims(_api.expand_dims(r, axis=-1), axis=-1)
    return _api.astype(r, rdt, copy=False)


@_recorded("matrix_power")
def matrix_power(x, n, /):
    """x raised to the integer power n by repeated squaring (matmul); n = 0 gives the identity,
    n < 0 the power of the inverse (floating-point x only)."""
    if isinstance(n, bool):
        raise TypeError("matrix_power: n must be an int, got a bool")
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"matrix_power: n must be an int, got {type(n).__name__}") from None
    x = _api.asarray(x)
    _need_matrix("matrix_power", x)
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"matrix_power: the last two dimensions must be square, got shape {tuple(x.shape)}"
        )
    if n == 0:
        eye = _api.eye(x.shape[-1], dtype=x.dtype)
        return _api.astype(_api.broadcast_to(eye, x.shape), x.dtype, copy=True)
    if n < 0:
        if str(x.dtype) not in ("float32", "float64", "complex64", "complex128"):
            raise TypeError(
                f"matrix_power: a negative power needs a floating-point matrix, got dtype {x.dtype}"
            )
        x = inv(x)
        n = -n
    result = None
    base = x
    while True:
        if n & 1:
            result = base if result is None else _core.matmul(result, base)
        n >>= 1
        if not n:
            break
        base = _core.matmul(base, base)
    if result is x:
        result = _api.astype(x, x.dtype, copy=True)
    return result


def _rtol(x, rtol, k):
    """The relative cutoff per matrix: max(M, N) * eps of x's precision by default."""
    rdt = _real_dtype(x.dtype)
    if rtol is None:
        return max(x.shape[-2], x.shape[-1]) * _api.finfo(rdt).eps
    return _api.astype(_api.asarray(rtol), rdt)


@_recorded("matrix_rank")
def matrix_rank(x, /, *, rtol=None):
    """The number of singular values of each matrix above rtol * (its largest singular value)."""
    x = _floating("matrix_rank", x)
    _need_matrix("matrix_rank", x)
    s = svdvals(x)
    if s.shape[-1] == 0:
        return _api.zeros(x.shape[:-2], dtype="int64")
    tol = _cp.max(s, axis=-1, keepdims=True) * _api.expand_dims(
        _api.asarray(_rtol(x, rtol, s.shape[-1])), axis=-1
    )
    return _cp.count_nonzero(s > tol, axis=-1)


@_recorded("pinv")
def pinv(x, /, *, rtol=None):
    """The Moore-Penrose pseudo-inverse of each matrix, from its SVD, singular values at most
    rtol * (the largest) taken as zero."""
    x = _floating("pinv", x)
    _need_matrix("pinv", x)
    m, n = x.shape[-2], x.shape[-1]
    u, s, vh = svd(x, full_matrices=False)
    if s.shape[-1] == 0:
        return _api.zeros((*x.shape[:-2], n, m), dtype=x.dtype)
    tol = _cp.max(s, axis=-1, keepdims=True) * _api.expand_dims(
        _api.asarray(_rtol(x, rtol, s.shape[-1])), axis=-1
    )
    keep = s > tol
    sinv = _cp.where(keep, 1.0 / _cp.where(keep, s, 1.0), 0.0)
    sinv = _api.astype(sinv, _real_dtype(x.dtype), copy=False)
    v = (
        _api.matrix_transpose(_cp.conj(vh))
        if "complex" in str(x.dtype)
        else _api.matrix_transpose(vh)
    )
    uh = (
        _api.matrix_transpose(_cp.conj(u))
        if "complex" in str(x.dtype)
        else _api.matrix_transpose(u)
    )
    return _core.matmul(v * _api.expand_dims(sinv, axis=-2), uh)
