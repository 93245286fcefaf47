"""The paths added for issue 18's targets: solve of small matrices (n <= 32) by corepy's own
partial-pivot LU kernel (cpp/kernels/lu-inl.h, on every ISA this CPU runs), cholesky factored in
the result buffer (lower by an in-place tiled transpose, upper conjugated in place), and QR's Q
built block by block on the identity's trailing part. Each is checked against NumPy, on both
sides of the size boundaries (32/33 for solve, the 32-element tile for cholesky, faer's QR block
size)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import close, rand, tol

import corepy as cp
from corepy import linalg as la

FLOATS = ["float32", "float64", "complex64", "complex128"]
ISAS = cp.config()["available_isas"]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n", [1, 2, 7, 32, 33])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("isa", ISAS)
def test_small_solve_needs_pivoting(dtype, n, threads, isa):
    # A zero leading diagonal and tiny diagonal entries: without row exchanges the
    # factorization divides by zero or loses every digit.
    a = rand((16, n, n), dtype, seed=n)
    a[..., np.arange(n), np.arange(n)] *= 1e-12
    if n > 1:
        a[:, 0, 0] = 0
    b = rand((16, n, 3), dtype, seed=1)
    before = cp.get_num_threads()
    cp.set_isa(isa)  # conftest restores "auto"
    try:
        cp.set_num_threads(threads)
        got = la.solve(a, b)
    finally:
        cp.set_num_threads(before)
    cond = max(np.linalg.cond(a.astype("complex128")).max(), 1.0) if n > 1 else 1.0
    close(got, np.linalg.solve(a, b), tol(dtype, n) * min(cond, 1e4))
    close(a @ np.asarray(got), b, tol(dtype, n) * min(cond, 1e4) * n)


@pytest.mark.parametrize("dtype", FLOATS)
def test_small_solve_strided_broadcast_and_vector(dtype):
    n = 5
    big = rand((3, 2 * n, 3 * n), dtype)
    a = big[:, ::2, ::-3]  # strided, negative column stride
    a = a + n * np.eye(n, dtype=dtype)
    aview = big[:, ::2, ::-3]
    aview[...] = a  # the view itself is what corepy reads
    b = rand((n,), dtype, seed=3)  # one vector shared by the stack
    close(la.solve(aview, b), np.linalg.solve(a, b[:, None])[..., 0], tol(dtype, n))
    bs = rand((4, 1, n, 2), dtype, seed=4)  # batch dimensions broadcast
    close(la.solve(aview, bs), np.linalg.solve(a, bs), tol(dtype, n))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("isa", ISAS)
def test_small_solve_singular_matrix_raises(dtype, isa):
    cp.set_isa(isa)
    a = rand((8, 6, 6), dtype) + 6 * np.eye(6, dtype=dtype)
    a[5, :, 3] = 0  # a zero column: an exactly zero pivot
    b = rand((8, 6), dtype)[..., None]
    with pytest.raises(la.LinAlgError, match="matrix 5 of the stack.*singular"):
        la.solve(a, b)
    with pytest.raises(la.LinAlgError, match="singular"):
        la.solve(np.zeros((3, 3), dtype), np.ones(3, dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("isa", ISAS)
def test_small_solve_every_order_and_width(dtype, isa):
    # Real types eliminate [A | B] two columns per pass, with rows padded to whole vectors of
    # the ISA: every order up to 32 (odd orders end on a single step), one right-hand side (its
    # own back substitution) and several, and B too wide for the padded rows (the other path).
    cp.set_isa(isa)
    for n in range(1, 33):
        a = rand((3, n, n), dtype, seed=n)
        a[0, :, 0] *= 1e-6  # row exchanges in every column of the first matrix
        for k in (1, 2, 9, 40):
            b = rand((3, n, k), dtype, seed=k)
            cond = max(np.linalg.cond(a.astype("complex128")).max(), 1.0)
            t = tol(dtype, n) * min(cond, 1e4)
            close(la.solve(a, b), np.linalg.solve(a, b), t)
        # x2 one vector shared by the stack
        v = b[0, :, 0]
        close(la.solve(a, v), np.linalg.solve(a, v[:, None])[..., 0], t)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("col", [1, 2, 5, 8, 16, 31])
def test_small_solve_singular_in_either_column_of_a_pass(dtype, isa, col):
    # Column col zero: it stays exactly zero through the elimination, so the zero pivot shows
    # up at column col, found by the pass's scalar search (odd col) or by the previous pass's
    # vector search (even col).
    cp.set_isa(isa)
    a = rand((2, 32, 32), dtype, seed=col) + 8 * np.eye(32, dtype=dtype)
    a[1, :, col] = 0
    with pytest.raises(la.LinAlgError, match="matrix 1 of the stack.*singular"):
        la.solve(a, rand((2, 32, 1), dtype))


@pytest.mark.parametrize("isa", ISAS)
def test_small_solve_non_finite_entries_make_nan_not_garbage(isa):
    # An infinite or NaN entry may turn into NaN (as in LAPACK), never into a finite wrong
    # answer: a NaN entry poisons every row it is eliminated into, which is all of them here.
    cp.set_isa(isa)
    for n in (3, 8, 17, 32):
        a = rand((n, n), "float64", seed=n) + n * np.eye(n)
        a[n // 2, 0] = np.nan
        got = np.asarray(la.solve(a, np.ones(n)))
        assert np.isnan(got).all()
        a = rand((n, n), "float64", seed=n) + n * np.eye(n)
        a[n - 1, n - 1] = np.inf  # the last pivot: x[n-1] = 0 exactly, the rest is finite
        got = np.asarray(la.solve(a, np.ones(n)))
        want = np.linalg.solve(a[:-1, :-1], np.ones(n - 1))
        assert got[-1] == 0
        close(got[:-1], want, tol("float64", n))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n", [1, 31, 32, 33, 70])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_in_the_result_buffer(dtype, n, upper):
    r = rand((2, n, n), dtype, seed=n)
    a = (r @ np.conj(np.swapaxes(r, -1, -2)) + n * np.eye(n)).astype(dtype)
    junk = a.copy()
    iu = np.triu_indices(n, 1)
    junk[:, iu[0], iu[1]] = 1e3  # only the lower triangle is read
    got = np.asarray(la.cholesky(junk, upper=upper))
    want = np.linalg.cholesky(a)
    if upper:
        want = np.conj(np.swapaxes(want, -1, -2))
        assert np.all(np.tril(got, -1) == 0)
    else:
        assert np.all(np.triu(got, 1) == 0)
    close(got, want, tol(dtype, n))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (70, 70), (130, 40), (40, 130)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_q_built_on_the_trailing_part(dtype, shape, mode):
    a = rand(shape, dtype, seed=sum(shape))
    q, r = (np.asarray(x) for x in la.qr(a, mode=mode))
    qn, rn = np.linalg.qr(a, mode=mode)
    assert q.shape == qn.shape and r.shape == rn.shape
    t = tol(dtype, max(shape))
    close(q @ r, a, t * max(shape))
    eye = np.eye(q.shape[1], dtype=dtype)
    close(np.conj(q.T) @ q, eye, t * max(shape))
    assert np.all(np.tril(r, -1) == 0)
    # The same factors as LAPACK up to the signs (phases) of R's rows.
    k = min(shape)
    d = np.diagonal(r)[:k] / np.diagonal(rn)[:k]
    close(r[:k], d[:, None] * rn[:k], t * max(shape))
