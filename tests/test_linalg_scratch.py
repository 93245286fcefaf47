"""eigh and svd through the scratch a thread keeps between calls (grown, reused smaller, reused
after a NaN input) and the tiled copy of their vectors out (sizes around the 32-element tile,
non-square, empty, 1x1): checked by reconstruction and against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import rand, tol

import corepy as cp
from corepy import linalg as la

FLOATS = ["float32", "float64", "complex64", "complex128"]


def hermitian(n, dtype, seed=0):
    a = rand((n, n), dtype, seed)
    return ((a + a.conj().T) / 2).astype(dtype)


def check_eigh(a, dtype):
    n = a.shape[-1]
    w, v = la.eigh(cp.asarray(a))
    w, v = np.asarray(w), np.asarray(v)
    assert v.dtype == np.dtype(dtype) and v.shape == a.shape
    t = tol(dtype, n) * max(1.0, float(np.max(np.abs(a), initial=0.0)))
    assert np.max(np.abs(a @ v - v * w), initial=0.0) <= t
    assert np.max(np.abs(v.conj().T @ v - np.eye(n)), initial=0.0) <= tol(dtype, n)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(a), rtol=0, atol=t)


def check_svd(a, dtype, full):
    m, n = a.shape
    k = min(m, n)
    u, s, vh = (np.asarray(x) for x in la.svd(cp.asarray(a), full_matrices=full))
    uc, vr = (m, n) if full else (k, k)
    assert u.shape == (m, uc) and s.shape == (k,) and vh.shape == (vr, n)
    t = tol(dtype, max(m, n)) * max(1.0, float(np.max(np.abs(a), initial=0.0)))
    assert np.max(np.abs((u[:, :k] * s) @ vh[:k] - a), initial=0.0) <= t
    assert np.max(np.abs(u.conj().T @ u - np.eye(uc)), initial=0.0) <= tol(dtype, m)
    assert np.max(np.abs(vh @ vh.conj().T - np.eye(vr)), initial=0.0) <= tol(dtype, n)
    np.testing.assert_allclose(s, np.linalg.svd(a, compute_uv=False), rtol=0, atol=t)


@pytest.mark.parametrize("dtype", FLOATS)
def test_eigh_sizes_grow_and_shrink_through_one_scratch(dtype):
    for i, n in enumerate([70, 3, 31, 32, 33, 1, 0, 65, 5]):
        check_eigh(hermitian(n, dtype, seed=i), dtype)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("full", [True, False])
def test_svd_shapes_around_the_tile_through_one_scratch(dtype, full):
    for i, shape in enumerate([(70, 33), (3, 3), (33, 70), (32, 32), (1, 1), (65, 2), (0, 4)]):
        check_svd(rand(shape, dtype, seed=i), dtype, full)


def test_eigvalsh_and_svdvals_after_calls_with_vectors():
    a = hermitian(40, "float64")
    check_eigh(a, "float64")
    np.testing.assert_allclose(
        np.asarray(la.eigvalsh(cp.asarray(a))), np.linalg.eigvalsh(a), rtol=0, atol=1e-10
    )
    b = rand((40, 25), "float64", seed=3)
    check_svd(b, "float64", False)
    np.testing.assert_allclose(
        np.asarray(la.svdvals(cp.asarray(b))), np.linalg.svd(b, compute_uv=False), atol=1e-10
    )


def test_a_nan_matrix_then_a_finite_one():
    a = hermitian(20, "float64")
    bad = a.copy()
    bad[3, 5] = bad[5, 3] = np.nan
    for f in (la.eigh, la.svd):
        try:
            out = f(cp.asarray(bad))
        except la.LinAlgError:
            pass
        else:
            assert any(np.isnan(np.asarray(x)).any() for x in out)
    check_eigh(a, "float64")
    check_svd(a, "float64", True)


def test_batched_and_one_large_matrix():
    # A stack runs across the pool; 300 x 300 (above the inner-parallel cost) runs with faer's
    # threads in a pool task, whose thread keeps its own scratch.
    before = cp.get_num_threads()
    cp.set_num_threads(2)
    try:
        _batched_and_large()
    finally:
        cp.set_num_threads(before)


def _batched_and_large():
    a = np.stack([hermitian(24, "float64", seed=s) for s in range(6)])
    w, v = (np.asarray(x) for x in la.eigh(cp.asarray(a)))
    assert np.max(np.abs(a @ v - v * w[..., None, :])) <= tol("float64", 24) * 4
    for _ in range(2):
        check_eigh(hermitian(300, "float64", seed=9), "float64")
        check_svd(rand((300, 200), "float64", seed=8), "float64", False)
