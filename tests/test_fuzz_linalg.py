"""Hostile inputs to the linalg and fft extensions never crash (issue 18's fuzz suite): every
dtype of the contract plus unsupported ones, shapes from 0-d to stacks with empty and non-square
matrices, NumPy's layouts (reversed, transposed, strided, broadcast), IEEE specials and integer
limits as values, and wrong-kind or out-of-range arguments (n, axis, axes, norm, ord, offset).

Each call either returns a result or raises the documented exception: TypeError for a type or
dtype, ValueError (LinAlgError included) for a shape or value, MemoryError for an impossible
size. Anything else (another exception, a crash of the interpreter) fails. Where the inputs are
valid for both, the result's shapes are NumPy's; for the shape-only functions (diagonal, trace,
outer, cross, vecdot, tensordot, the fft family) a call NumPy accepts on a supported float or
complex dtype must succeed too. Values are checked against NumPy in test_linalg*.py and
test_fft.py; here they are IEEE specials, so only shapes are compared.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_fuzz import DOCUMENTED, SUPPORTED, _examples, _ref, any_arrays

import corepy as cp

# The op fuzzers' dtypes: the 13 of the contract and one NumPy has that corepy refuses.
DTYPES = sorted(SUPPORTED) + ["float16"]
FLOATS = {"float32", "float64", "complex64", "complex128"}


def _shapes_of(result) -> list:
    """The shapes of a result: one array, or each array of a named tuple (slogdet, qr, ...)."""
    items = result if isinstance(result, tuple) else (result,)
    return [tuple(np.shape(np.asarray(x))) for x in items]


def _agree(got, want) -> None:
    """Both calls succeeded: NumPy's shapes."""
    assert _shapes_of(got) == _shapes_of(want), (_shapes_of(got), _shapes_of(want))


def _call(fn):
    """corepy's result, or the documented exception it raised (anything else propagates)."""
    try:
        return fn()
    except DOCUMENTED as e:
        return e


def _stack_shapes(max_batch: int = 2, max_side: int = 4):
    """(..., M, N) stacks: rank 0 to 4, sides 0 to max_side (so empty and non-square)."""
    return hnp.array_shapes(min_dims=0, max_dims=max_batch + 2, min_side=0, max_side=max_side)


MATRIX_FNS = {
    "cholesky": (lambda a: cp.linalg.cholesky(a), lambda a: np.linalg.cholesky(a)),
    "det": (lambda a: cp.linalg.det(a), lambda a: np.linalg.det(a)),
    "slogdet": (lambda a: cp.linalg.slogdet(a), lambda a: np.linalg.slogdet(a)),
    "inv": (lambda a: cp.linalg.inv(a), lambda a: np.linalg.inv(a)),
    "eigh": (lambda a: cp.linalg.eigh(a), lambda a: np.linalg.eigh(a)),
    "eigvalsh": (lambda a: cp.linalg.eigvalsh(a), lambda a: np.linalg.eigvalsh(a)),
    "eig": (lambda a: cp.linalg.eig(a), lambda a: np.linalg.eig(a)),
    "eigvals": (lambda a: cp.linalg.eigvals(a), lambda a: np.linalg.eigvals(a)),
    "qr": (lambda a: cp.linalg.qr(a), lambda a: np.linalg.qr(a)),
    "svd": (
        lambda a: cp.linalg.svd(a, full_matrices=False),
        lambda a: np.linalg.svd(a, full_matrices=False),
    ),
    "svdvals": (lambda a: cp.linalg.svdvals(a), lambda a: np.linalg.svd(a, compute_uv=False)),
    "matrix_rank": (lambda a: cp.linalg.matrix_rank(a), lambda a: np.linalg.matrix_rank(a)),
    "pinv": (lambda a: cp.linalg.pinv(a), lambda a: np.linalg.pinv(a)),
    "matrix_norm": (lambda a: cp.linalg.matrix_norm(a), lambda a: np.linalg.norm(a, axis=(-2, -1))),
}


@_examples(200)
@given(op=st.sampled_from(sorted(MATRIX_FNS)), dtype=st.sampled_from(DTYPES), data=st.data())
def test_decompositions_never_crash(op, dtype, data):
    a = data.draw(any_arrays(dtype=dtype, shape=data.draw(_stack_shapes())))
    ours, numpys = MATRIX_FNS[op]
    got = _call(lambda: ours(a))
    if a.dtype.kind in "fc" and not np.isfinite(a).all():
        return  # NumPy's LAPACK can loop forever on NaN (dgesdd's dbdsqr, seen here)
    want = _ref(lambda: numpys(a))
    if not isinstance(got, Exception) and not isinstance(want, Exception):
        if a.size or op not in ("matrix_rank", "pinv", "matrix_norm"):  # NumPy's empty cases vary
            _agree(got, want)


@_examples(100)
@given(
    dtype=st.sampled_from(DTYPES),
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=4, max_side=4),
    data=st.data(),
)
def test_solve_never_crashes(dtype, shapes, data):
    a = data.draw(any_arrays(dtype=dtype, shape=shapes.input_shapes[0]))
    b = data.draw(
        any_arrays(dtype=data.draw(st.sampled_from(DTYPES)), shape=shapes.input_shapes[1])
    )
    _call(lambda: cp.linalg.solve(a, b))


@_examples(100)
@given(
    dtype=st.sampled_from(DTYPES),
    shape=_stack_shapes(),
    p=st.sampled_from([-3, -1, 0, 1, 2, 5, 2.5, "2", None, True, 2**70]),
    data=st.data(),
)
def test_matrix_power_and_norm_arguments_never_crash(dtype, shape, p, data):
    a = data.draw(any_arrays(dtype=dtype, shape=shape))
    _call(lambda: cp.linalg.matrix_power(a, p))
    _call(lambda: cp.linalg.vector_norm(a, ord=p if p is not None else 2))
    _call(lambda: cp.linalg.matrix_norm(a, ord=p if p is not None else "fro"))
    for axis in data.draw(st.sampled_from([None, 0, -1, (0, 1), (0, 0), 7, (-9,), "x"])), None:
        _call(lambda axis=axis: cp.linalg.vector_norm(a, axis=axis))


SHAPE_FNS = {
    "diagonal": (
        lambda a, b, k: cp.linalg.diagonal(a, offset=k),
        lambda a, b, k: np.diagonal(a, offset=k, axis1=-2, axis2=-1),
    ),
    "trace": (
        lambda a, b, k: cp.linalg.trace(a, offset=k),
        lambda a, b, k: np.trace(a, offset=k, axis1=-2, axis2=-1),
    ),
    "outer": (lambda a, b, k: cp.linalg.outer(a, b), lambda a, b, k: np.outer(a, b)),
    "cross": (
        lambda a, b, k: cp.linalg.cross(a, b, axis=k),
        lambda a, b, k: np.cross(a, b, axis=k),
    ),
    "vecdot": (
        lambda a, b, k: cp.linalg.vecdot(a, b, axis=k),
        lambda a, b, k: np.vecdot(a, b, axis=k),
    ),
    "tensordot": (
        lambda a, b, k: cp.linalg.tensordot(a, b, axes=k),
        lambda a, b, k: np.tensordot(a, b, axes=k),
    ),
    "matmul": (lambda a, b, k: cp.linalg.matmul(a, b), lambda a, b, k: np.matmul(a, b)),
}


@_examples(300)
@given(
    op=st.sampled_from(sorted(SHAPE_FNS)),
    dtype=st.sampled_from(DTYPES),
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4),
    k=st.integers(-4, 4),
    data=st.data(),
)
def test_shape_functions_never_crash(op, dtype, shapes, k, data):
    a = data.draw(any_arrays(dtype=dtype, shape=shapes.input_shapes[0]))
    b = data.draw(any_arrays(dtype=dtype, shape=shapes.input_shapes[1]))
    ours, numpys = SHAPE_FNS[op]
    got = _call(lambda: ours(a, b, k))
    want = _ref(lambda: numpys(a, b, k))
    if isinstance(want, Exception) or dtype not in FLOATS or not _standard_allows(op, a, b, k):
        return
    assert not isinstance(got, Exception), (got, _shapes_of(want))
    _agree(got, want)


def _standard_allows(op: str, a, b, k: int) -> bool:
    """Where NumPy is more permissive than the standard, the standard decides."""
    if op == "outer":  # NumPy flattens; the standard takes two 1-D arrays
        return a.ndim == 1 and b.ndim == 1
    if op in ("cross", "vecdot"):  # the standard's axis: in [-N, -1], N the smaller ndim
        if not -min(a.ndim, b.ndim) <= k <= -1:
            return False
    if op == "cross":  # NumPy also takes 2-element vectors; the standard only 3
        return a.shape[k] == 3 and b.shape[k] == 3
    if op == "tensordot":  # NumPy takes a negative count of axes as 0
        return k >= 0
    return True


FFT_FNS = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
FFTN_FNS = ["fftn", "ifftn", "rfftn", "irfftn"]
NORMS = ["backward", "ortho", "forward", "nope", None, 3]


@_examples(300)
@given(
    op=st.sampled_from(FFT_FNS),
    dtype=st.sampled_from(DTYPES),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6),
    n=st.sampled_from([None, -1, 0, 1, 2, 5, 8, 2.0, "4", True]),
    axis=st.integers(-4, 3) | st.sampled_from([1.0, None, "0"]),
    norm=st.sampled_from(NORMS),
    data=st.data(),
)
def test_fft_arguments_never_crash(op, dtype, shape, n, axis, norm, data):
    a = data.draw(any_arrays(dtype=dtype, shape=shape))
    kwargs = {"n": n, "axis": axis} | ({} if norm is None else {"norm": norm})
    got = _call(lambda: getattr(cp.fft, op)(a, **kwargs))
    want = _ref(lambda: getattr(np.fft, op)(a, **kwargs))
    valid = (
        dtype in FLOATS
        and (n is None or type(n) is int)
        and type(axis) is int
        and norm in ("backward", "ortho", "forward", None)
        # the standard: rfft and ihfft take real input, the others complex (array-api-strict
        # raises TypeError otherwise, as corepy does)
        and ("complex" in dtype) != (op in ("rfft", "ihfft"))
    )
    if valid and not isinstance(want, Exception):
        assert not isinstance(got, Exception), (got, _shapes_of(want))
        _agree(got, want)


@_examples(100)
@given(
    op=st.sampled_from(FFTN_FNS),
    dtype=st.sampled_from(DTYPES),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
    s=st.sampled_from([None, (4,), (2, 3), (0,), (-1,), (4, 4, 4, 4)]),
    axes=st.sampled_from([None, (0,), (-1,), (0, 1), (1, 0), (0, 0), (5,), ()]),
    norm=st.sampled_from(NORMS),
    data=st.data(),
)
def test_fftn_arguments_never_crash(op, dtype, shape, s, axes, norm, data):
    a = data.draw(any_arrays(dtype=dtype, shape=shape))
    kwargs = {"s": s, "axes": axes} | ({} if norm is None else {"norm": norm})
    _call(lambda: getattr(cp.fft, op)(a, **kwargs))


@_examples(50)
@given(
    n=st.sampled_from([0, 1, 5, 8, -1, 2.0, "3", None, 2**70]),
    d=st.sampled_from([1.0, 0.5, 0.0, -2.0, "x", None, 3]),
)
def test_fftfreq_arguments_never_crash(n, d):
    for f in (cp.fft.fftfreq, cp.fft.rfftfreq):
        got = _call(lambda f=f: f(n, d=d))
        if type(n) is int and 0 < n < 2**31 and type(d) in (int, float) and d != 0:
            assert not isinstance(got, Exception), got
