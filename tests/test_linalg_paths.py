"""The layout paths of corepy.linalg's LU ops (solve, inv, det): a C-order matrix is factored as
its transpose, one right-hand side is solved in the output, a stack reuses one workspace per task.
Every path is checked against NumPy, plus a few hypothesis examples over shapes, dtypes and batch
dimensions for solve, inv, cholesky and qr."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import close, rand, tol
from hypothesis import given, settings
from hypothesis import strategies as st

import corepy as cp
from corepy import linalg as la

FLOATS = ["float32", "float64", "complex64", "complex128"]


def well_conditioned(shape, dtype, seed=0):
    n = shape[-1]
    return (rand(shape, dtype, seed) + n * np.eye(n)).astype(dtype)


def layouts(a):
    """The same stack as C-order, F-order (per matrix), a strided view and a transposed view."""
    f = np.swapaxes(np.ascontiguousarray(np.swapaxes(a, -1, -2)), -1, -2)
    big = np.zeros(a.shape[:-2] + (2 * a.shape[-2], 3 * a.shape[-1]), a.dtype)
    big[..., ::2, ::3] = a
    return {"C": np.ascontiguousarray(a), "F": f, "strided": big[..., ::2, ::3]}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("k", [None, 1, 3])
def test_solve_every_layout_and_rhs(dtype, layout, k):
    a = layouts(well_conditioned((3, 6, 6), dtype))[layout]
    b = rand((6,) if k is None else (3, 6, k), dtype, seed=2)
    got = la.solve(a, b)
    want = np.linalg.solve(a, b[..., None])[..., 0] if k is None else np.linalg.solve(a, b)
    close(got, want, tol(dtype, 6))
    # The residual too: a transposed factorization must solve A, not A^T (nor A^H).
    res = a @ np.asarray(got)[..., None] if k is None else a @ np.asarray(got)
    close(
        res[..., 0] if k is None else res,
        np.broadcast_to(b, res.shape[:-1] if k is None else res.shape),
        tol(dtype, 6) * 10,
    )


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_inv_and_det_every_layout(dtype, layout):
    a = layouts(well_conditioned((2, 5, 5), dtype, seed=1))[layout]
    close(la.inv(a), np.linalg.inv(a), tol(dtype, 5))
    close(la.det(a), np.linalg.det(a), tol(dtype, 5) * 100)
    sign, logabs = la.slogdet(a)
    ws, wl = np.linalg.slogdet(a)
    close(sign, ws, tol(dtype, 5))
    close(logabs, wl, tol(dtype, 5))


def test_non_symmetric_c_order_is_not_mistaken_for_its_transpose():
    # A C-order matrix is factored as A^T: solve, inv and det must still be those of A.
    a = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 5.0], [3.0, 0.0, 1.0]])
    b = np.array([1.0, 2.0, 3.0])
    close(la.solve(a, b), np.linalg.solve(a, b), 1e-14)
    close(la.inv(a), np.linalg.inv(a), 1e-14)
    close(la.det(a), np.linalg.det(a), 1e-13)
    c = (a + 1j * a[::-1]).astype("complex128")
    close(la.solve(c, b.astype("complex128")), np.linalg.solve(c, b.astype("complex128")), 1e-14)
    close(la.inv(c), np.linalg.inv(c), 1e-14)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("threads", [1, 2])
def test_singular_matrix_in_a_batch_raises(layout, threads):
    a = well_conditioned((40, 8, 8), "float64")
    a[17] = 0.0
    a[17, :, 0] = 1.0  # rank 1: an exactly zero pivot
    a = layouts(a)[layout]
    before = cp.get_num_threads()
    try:
        cp.set_num_threads(threads)
        for f in (lambda: la.solve(a, np.ones(8)), lambda: la.inv(a)):
            with pytest.raises(la.LinAlgError, match="singular"):
                f()
        assert np.asarray(la.det(a))[17] == 0.0
    finally:
        cp.set_num_threads(before)


@pytest.mark.parametrize("threads", [1, 2])
def test_batched_solve_reuses_workspaces_across_sizes(threads):
    # Many small matrices (one workspace per task), then a larger one, then small again.
    before = cp.get_num_threads()
    try:
        cp.set_num_threads(threads)
        for shape in [(64, 4, 4), (64, 32, 32), (2, 200, 200), (64, 3, 3)]:
            a = well_conditioned(shape, "float64")
            b = rand(shape[:-1] + (2,), "float64", seed=3)
            close(la.solve(a, b), np.linalg.solve(a, b), 1e-11)
    finally:
        cp.set_num_threads(before)


@st.composite
def stacks(draw):
    dtype = draw(st.sampled_from(FLOATS))
    batch = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    n = draw(st.integers(0, 7))
    order = draw(st.sampled_from(["C", "F", "strided"]))
    seed = draw(st.integers(0, 2**16))
    return dtype, batch, n, order, seed


@settings(max_examples=25, deadline=None)
@given(stacks())
def test_hypothesis_solve_inv_cholesky_qr(case):
    dtype, batch, n, order, seed = case
    shape = batch + (n, n)
    a = layouts(well_conditioned(shape, dtype, seed))[order]
    t = tol(dtype, n)
    b = rand(batch + (n, 2), dtype, seed + 1)
    close(la.solve(a, b), np.linalg.solve(a, b), t)
    close(la.inv(a), np.linalg.inv(a), t)
    r = rand(shape, dtype, seed + 2)
    spd = (r @ np.conj(np.swapaxes(r, -1, -2)) + n * np.eye(n)).astype(dtype)
    spd = layouts(spd)[order]
    lo = np.asarray(la.cholesky(spd))
    close(lo @ np.conj(np.swapaxes(lo, -1, -2)), np.asarray(spd), t * max(n, 1))
    q, rr = (np.asarray(x) for x in la.qr(a))
    close(q @ rr, np.asarray(a), t * max(n, 1))
