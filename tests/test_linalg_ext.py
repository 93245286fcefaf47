"""corepy.linalg (the standard's linalg extension) against NumPy and array-api-strict.

Decompositions are checked by reconstruction (Q R = A, U S Vh = A, A x = b, A V = V diag(w)) with
tolerances scaled by the dtype's eps, the size and the condition number, and by comparison of
the unique parts (singular values, eigenvalues, determinants) with np.linalg.
"""

from __future__ import annotations

import types

import array_api_strict as xps
import numpy as np
import pytest
from helpers import rand

import corepy as cp
from corepy import linalg as la

FLOATS = ["float32", "float64", "complex64", "complex128"]
REAL = {"float32": "float32", "float64": "float64", "complex64": "float32", "complex128": "float64"}
COMPLEX = {"float32": "complex64", "float64": "complex128", "complex64": "complex64"}
COMPLEX["complex128"] = "complex128"
# Stacks: one matrix, a batch, an empty batch, 0x0 and 1x1 matrices.
SHAPES = [(4, 4), (3, 5, 5), (0, 3, 3), (2, 0, 0), (1, 1)]


def eps(dtype):
    return float(np.finfo(REAL[str(dtype)]).eps)


def well_conditioned(shape, dtype, seed=0):
    """A random square stack plus n on the diagonal: condition number O(1)."""
    a = rand(shape, dtype, seed)
    n = shape[-1]
    return (a + n * np.eye(n, dtype=dtype)).astype(dtype)


def hpd(shape, dtype, seed=0):
    """Hermitian positive definite: B B^H + n I."""
    b = rand(shape, dtype, seed)
    n = shape[-1]
    return (b @ np.conj(np.swapaxes(b, -1, -2)) + n * np.eye(n)).astype(dtype)


def hermitian(shape, dtype, seed=0):
    a = rand(shape, dtype, seed)
    return ((a + np.conj(np.swapaxes(a, -1, -2))) / 2).astype(dtype)


def H(a):
    return np.conj(np.swapaxes(a, -1, -2))


def close(got, want, tol):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    err = float(np.max(np.abs(got - want))) if want.size else 0.0
    assert err <= tol * scale, f"max error {err:.3g} > {tol:.3g} * {scale:.3g}"


def tol(dtype, n, cond=10.0):
    return 50 * eps(dtype) * max(n, 1) * cond


# ---------------------------------------------------------------------------- the module


def test_linalg_is_a_submodule_with_the_standard_names():
    import corepy.linalg

    assert isinstance(cp.linalg, types.ModuleType)
    assert cp.linalg is corepy.linalg is la
    for name in la.__all__:
        assert hasattr(la, name), name
    # array-api-strict 2.6 predates eig/eigvals (added in 2025.12)
    standard = {*xps.linalg.__all__, "eig", "eigvals"}
    missing = sorted(n for n in standard if not hasattr(la, n))
    assert not missing, missing
    assert issubclass(la.LinAlgError, ValueError)
    assert la.LinAlgError.__module__ == "corepy.linalg"


# ---------------------------------------------------------------------------- cholesky


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_cholesky_reconstructs(dtype, shape):
    a = hpd(shape, dtype)
    n = shape[-1]
    L = la.cholesky(a)
    assert L.dtype == dtype and L.shape == a.shape
    L = np.asarray(L)
    assert np.all(np.triu(L, 1) == 0)
    close(L @ H(L), a, tol(dtype, n))
    close(L, np.linalg.cholesky(a), tol(dtype, n))
    U = np.asarray(la.cholesky(a, upper=True))
    assert np.all(np.tril(U, -1) == 0)
    close(H(U) @ U, a, tol(dtype, n))


def test_cholesky_reads_the_lower_triangle():
    a = hpd((4, 4), "float64")
    junk = a + np.triu(np.full((4, 4), 99.0), 1)
    close(la.cholesky(junk), np.linalg.cholesky(a), 1e-12)


@pytest.mark.parametrize("dtype", FLOATS)
def test_cholesky_not_positive_definite(dtype):
    a = np.array([[1.0, 2.0], [2.0, 1.0]], dtype=dtype)
    with pytest.raises(la.LinAlgError, match="not positive definite"):
        la.cholesky(a)
    stack = np.stack([hpd((2, 2), dtype), a])
    with pytest.raises(ValueError, match="matrix 1 of the stack"):
        la.cholesky(stack)


# ---------------------------------------------------------------------------- LU family


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_solve_residuals(dtype, shape):
    a = well_conditioned(shape, dtype)
    n = shape[-1]
    b = rand((*shape[:-1], 2), dtype, seed=1)
    x = la.solve(a, b)
    assert x.dtype == dtype and x.shape == b.shape
    close(a @ np.asarray(x), b, tol(dtype, n))
    close(x, np.linalg.solve(a, b), tol(dtype, n))


@pytest.mark.parametrize("dtype", ["float64", "complex64"])
def test_solve_vector_and_broadcast(dtype):
    a = well_conditioned((3, 4, 4), dtype)
    v = rand((4,), dtype, seed=2)
    x = np.asarray(la.solve(a, v))
    assert x.shape == (3, 4)
    close(np.einsum("bij,bj->bi", a, x), np.broadcast_to(v, (3, 4)), tol(dtype, 4))
    # one matrix, a stack of right-hand sides (and the other way round)
    b = rand((2, 3, 4, 2), dtype, seed=3)
    x = np.asarray(la.solve(a[0], b))
    assert x.shape == (2, 3, 4, 2)
    close(a[0] @ x, b, tol(dtype, 4))
    x = np.asarray(la.solve(a[:, None], b[:1]))
    assert x.shape == (3, 3, 4, 2)
    close(a[:, None] @ x, np.broadcast_to(b[:1], x.shape), tol(dtype, 4))


def test_solve_promotes_and_checks():
    a = np.array([[2, 1], [1, 3]])
    x = la.solve(a, np.array([1, 2]))
    assert x.dtype == "float64"
    close(x, np.linalg.solve(a, [1, 2]), 1e-14)
    assert la.solve(a.astype("float32"), np.array([1.0, 2.0], "float32")).dtype == "float32"
    assert la.solve(a.astype("float32"), np.array([1.0, 2.0])).dtype == "float64"
    with pytest.raises(ValueError, match="rows"):
        la.solve(np.eye(3), np.ones(2))
    with pytest.raises(ValueError, match="square"):
        la.solve(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="broadcast"):
        la.solve(np.ones((2, 3, 3)), np.ones((4, 3, 1)))
    with pytest.raises(ValueError):
        la.solve(np.ones(3), np.ones(3))
    with pytest.raises(TypeError, match="bool"):
        la.solve(np.eye(2, dtype=bool), np.ones(2))


@pytest.mark.parametrize("dtype", FLOATS)
def test_singular_matrices_raise(dtype):
    s = np.array([[1.0, 2.0], [2.0, 4.0]], dtype=dtype)
    with pytest.raises(la.LinAlgError, match="singular"):
        la.inv(s)
    with pytest.raises(la.LinAlgError, match="singular"):
        la.solve(s, np.ones(2, dtype))
    z = np.zeros((3, 3), dtype)
    with pytest.raises(la.LinAlgError):
        la.inv(z)
    # det and slogdet do not raise: 0 and (0, -inf)
    assert complex(la.det(z)) == 0
    sign, logabs = la.slogdet(z)
    assert complex(sign) == 0 and float(logabs) == -np.inf


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_inv(dtype, shape):
    a = well_conditioned(shape, dtype)
    n = shape[-1]
    ai = la.inv(a)
    assert ai.dtype == dtype and ai.shape == a.shape
    close(a @ np.asarray(ai), np.broadcast_to(np.eye(n), a.shape), tol(dtype, n))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_det_and_slogdet(dtype, shape):
    a = well_conditioned(shape, dtype) / 2
    n = shape[-1]
    d = la.det(a)
    assert d.dtype == dtype and d.shape == shape[:-2]
    want = np.linalg.det(a.astype("complex128" if "complex" in dtype else "float64"))
    close(d, want, tol(dtype, n) * 10)
    sign, logabs = la.slogdet(a)
    assert isinstance(la.slogdet(a), la.SlogdetResult)
    assert sign.dtype == dtype and logabs.dtype == REAL[dtype]
    ws, wl = np.linalg.slogdet(a)
    close(sign, ws, tol(dtype, n))
    close(logabs, wl, tol(dtype, n))


# A determinant beyond the float range is +-inf as NumPy's (not NaN: a real product must not go
# through the complex form's inf * 0), with slogdet finite.
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_det_overflows_to_signed_infinity(dtype):
    n, scale = 30, (1e20 if dtype == "float64" else 1e3)  # det about scale^30: beyond the range
    a = scale * (np.eye(n) + 0.01 * rand((n, n), "float64", seed=2))
    a[0] *= -np.sign(np.linalg.slogdet(a)[0])  # a negative determinant
    a = a.astype(dtype)
    assert float(la.det(a)) == -np.inf
    sign, logabs = la.slogdet(a)
    ws, wl = np.linalg.slogdet(a.astype(np.float64))
    assert float(sign) == ws == -1.0 and abs(float(logabs) - wl) <= 1e-5 * abs(wl)


def test_det_sign_of_permutations():
    p = np.eye(4)[[1, 0, 3, 2]]
    assert float(la.det(p)) == 1.0
    assert float(la.det(np.eye(3)[[1, 0, 2]])) == -1.0
    assert float(la.slogdet(np.eye(3)[[2, 0, 1]]).sign) == 1.0


# ---------------------------------------------------------------------------- QR


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (2, 6, 4), (0, 3, 2), (3, 0), (0, 3)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_reconstructs(dtype, shape, mode):
    a = rand(shape, dtype)
    q, r = la.qr(a, mode=mode)
    assert isinstance(la.qr(a, mode=mode), la.QRResult)
    wq, wr = np.linalg.qr(a, mode=mode)
    assert q.shape == wq.shape and r.shape == wr.shape
    assert q.dtype == dtype and r.dtype == dtype
    q, r = np.asarray(q), np.asarray(r)
    t = tol(dtype, max(shape[-2:], default=1))
    close(q @ r, a, t)
    k = q.shape[-1]
    close(H(q) @ q, np.broadcast_to(np.eye(k), (*shape[:-2], k, k)), t)
    assert np.all(np.tril(r, -1) == 0)


def test_qr_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        la.qr(np.eye(3), mode="r")


# ---------------------------------------------------------------------------- SVD


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (2, 6, 4), (0, 3, 2), (3, 0), (2, 0, 0)])
@pytest.mark.parametrize("full", [True, False])
def test_svd_reconstructs(dtype, shape, full):
    a = rand(shape, dtype)
    u, s, vh = la.svd(a, full_matrices=full)
    assert isinstance(la.svd(a), la.SVDResult)
    wu, ws, wvh = np.linalg.svd(a, full_matrices=full)
    assert (u.shape, s.shape, vh.shape) == (wu.shape, ws.shape, wvh.shape)
    assert u.dtype == dtype and vh.dtype == dtype and s.dtype == REAL[dtype]
    u, s, vh = np.asarray(u), np.asarray(s), np.asarray(vh)
    t = tol(dtype, max(shape[-2:], default=1))
    k = s.shape[-1]
    close((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], a, t)
    close(s, ws, t)
    assert np.all(np.diff(s, axis=-1) <= 0)
    close(H(u) @ u, np.broadcast_to(np.eye(u.shape[-1]), H(u).shape[:-1] + (u.shape[-1],)), t)
    close(vh @ H(vh), np.broadcast_to(np.eye(vh.shape[-2]), vh.shape[:-1] + (vh.shape[-2],)), t)
    sv = la.svdvals(a)
    assert sv.dtype == REAL[dtype]
    close(sv, ws, t)


# ---------------------------------------------------------------------------- eigh, eig


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_eigh(dtype, shape):
    a = hermitian(shape, dtype)
    n = shape[-1]
    w, v = la.eigh(a)
    assert isinstance(la.eigh(a), la.EighResult)
    assert w.dtype == REAL[dtype] and v.dtype == dtype
    w, v = np.asarray(w), np.asarray(v)
    t = tol(dtype, n)
    close(a @ v, v * w[..., None, :], t)
    close(H(v) @ v, np.broadcast_to(np.eye(n), a.shape), t)
    close(w, np.linalg.eigvalsh(a), t)
    assert np.all(np.diff(w, axis=-1) >= 0)
    wv = la.eigvalsh(a)
    assert wv.dtype == REAL[dtype]
    close(wv, np.linalg.eigvalsh(a), t)


# Orders around the real reduction's panel width (32), its last-panel crossover (64) and the
# order from which its symmetric products split into tasks (512), with structured matrices whose
# reflectors are degenerate (zero columns below the diagonal, repeated eigenvalues).
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [2, 3, 33, 64, 65, 97, 130, 600])
@pytest.mark.parametrize("kind", ["random", "diagonal", "tridiagonal", "low-rank", "identity"])
def test_eigh_real_blocked_reduction(dtype, n, kind):
    if n == 600 and kind != "random":
        pytest.skip("the task split is exercised by the random matrix")
    rng = np.random.default_rng(n)
    if kind == "random":
        a = hermitian((n, n), dtype, seed=n)
    elif kind == "diagonal":
        a = np.diag(rng.standard_normal(n)).astype(dtype)
    elif kind == "tridiagonal":
        d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
        a = (np.diag(d) + np.diag(e, 1) + np.diag(e, -1)).astype(dtype)
    elif kind == "low-rank":
        x = rng.standard_normal((n, 2))
        a = (x @ x.T).astype(dtype)
    else:
        a = np.eye(n, dtype=dtype)
    w, v = (np.asarray(r) for r in la.eigh(a))
    want = np.linalg.eigvalsh(a.astype(np.float64))
    t = tol(dtype, n)
    close(w, want, t)
    close(a.astype(np.float64) @ v, v * w[None, :], t)
    close(v.T @ v, np.eye(n), t)
    close(la.eigvalsh(a), want, t)
    # The lower triangle alone is read, as the standard's eigh may assume symmetry.
    upper_noise = np.triu(rng.standard_normal((n, n)), 1).astype(dtype)
    close(la.eigvalsh(np.tril(a) + upper_noise), want, t)


# eigvalsh of a real matrix runs its own root-free QL iteration on the tridiagonal form: spectra
# that stress its deflation test and shifts (entries graded over twelve decades, a tight cluster,
# Wilkinson's matrix with its nearly equal pairs, a scaled-up and a negative definite matrix,
# zero) against NumPy's, relative to the norm; an inf or NaN raises, as eigh does.
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [1, 2, 3, 8, 65, 257])
@pytest.mark.parametrize(
    "kind", ["graded", "cluster", "wilkinson", "huge", "negative", "zero", "2x2-blocks"]
)
def test_eigvalsh_root_free_ql(dtype, n, kind):
    rng = np.random.default_rng(n)
    a = hermitian((n, n), "float64", seed=n)
    if kind == "graded":
        g = np.logspace(0, -12, n)
        a = a * np.outer(g, g)
    elif kind == "cluster":
        q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        a = (q * (1 + 1e-9 * np.arange(n))) @ q.T
    elif kind == "wilkinson":
        k = np.abs(np.arange(n) - n // 2).astype(float)
        a = np.diag(k) + np.diag(np.ones(n - 1), 1) + np.diag(np.ones(n - 1), -1)
    elif kind == "huge":  # squares of the entries overflow, unscaled
        a = a * (1e150 if dtype == "float64" else 1e25)
    elif kind == "negative":
        a = -(a @ a.T) - np.eye(n)
    elif kind == "zero":
        a = np.zeros((n, n))
    else:  # decoupled 2 x 2 blocks: every split ends in the closed-form 2 x 2 case
        a = np.zeros((n, n))
        for i in range(0, n - 1, 3):
            a[i : i + 2, i : i + 2] = [[rng.standard_normal(), 1.0], [1.0, rng.standard_normal()]]
    a = a.astype(dtype)
    want = np.linalg.eigvalsh(a.astype(np.float64))
    got = np.asarray(la.eigvalsh(a))
    scale = max(float(np.max(np.abs(want))), np.finfo(dtype).tiny) if n else 1.0
    assert got.dtype == np.dtype(dtype) and np.all(np.diff(got) >= 0)
    assert np.max(np.abs(got - want)) <= tol(dtype, n) * scale
    if n > 1:
        for bad in (np.nan, np.inf):
            b = a.copy()
            b[n - 1, 0] = bad
            with pytest.raises(la.LinAlgError, match="converge"):
                la.eigvalsh(b)


# The reduction's symv kernel and the divide-and-conquer merge's secular-equation kernels
# (complex eigh merges real tridiagonal blocks too) come from the active ISA's table.
@pytest.mark.parametrize("isa", cp.config()["available_isas"])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n", [97, 600])
def test_eigh_on_every_isa(isa, dtype, n):
    a = hermitian((n, n), dtype, seed=7)
    cp.set_isa(isa)  # conftest restores "auto"
    w, v = (np.asarray(r) for r in la.eigh(a))
    t = tol(dtype, n)
    close(w, np.linalg.eigvalsh(a.astype(COMPLEX[dtype])), t)
    close(a.astype(COMPLEX[dtype]) @ v, v * w[None, :], t)
    close(H(v) @ v, np.eye(n), t)


# faer's divide and conquer has absolute deflation tolerances and stopping tests, so corepy scales
# the tridiagonal matrix to unit norm first (as LAPACK's stedc; without it a matrix of norm 1e-12
# lost six digits), and the real reduction brings extreme matrices into range (as syevd). The
# merge's root finder takes 1/x from an estimate and Newton steps where x is in the estimate's
# range and divides elsewhere; a tight cluster and a graded spectrum stress deflation and roots
# next to poles. Errors relative to the norm.
@pytest.mark.parametrize("isa", cp.config()["available_isas"])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("kind", ["tiny", "small", "large", "huge", "cluster", "graded"])
def test_eigh_scaled_and_clustered(isa, dtype, kind):
    n = 200
    rng = np.random.default_rng(11)
    a = hermitian((n, n), "complex128", seed=11)
    if not dtype.startswith("complex"):
        a = a.real
    big = 1e300 if REAL[dtype] == "float64" else 1e35
    scale = {"tiny": 1 / big, "small": 1e-12, "large": 1e12, "huge": big / (4 * n)}.get(kind)
    if scale is not None:
        a = a * scale
    else:
        q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        if kind == "cluster":
            a = (q * (1 + 1e-6 * np.repeat(np.arange(10), n // 10))) @ q.T
        else:
            a = (q * np.logspace(0, -12, n)) @ q.T
    a = a.astype(dtype)
    cp.set_isa(isa)
    w, v = (np.asarray(r) for r in la.eigh(a))
    assert np.all(np.isfinite(w)) and np.all(np.isfinite(v))
    want = np.linalg.eigvalsh(a.astype(np.complex128))
    norm = float(np.max(np.abs(want)))
    t = tol(dtype, n)
    assert np.max(np.abs(w - want)) <= t * norm
    resid = (a.astype(np.complex128) / norm) @ v - v * (w / norm)[None, :]
    assert np.max(np.abs(resid)) <= t
    close(H(v) @ v, np.eye(n), t)


# The divide-and-conquer merges run their roots and columns in parallel ranges, and the
# reduction splits its products by order alone: each root's arithmetic is the same on any thread,
# so eigh's results are too. (faer's SVD is not: its bidiagonalisation differs by thread count.)
def test_eigh_same_bits_for_any_thread_count():
    a = hermitian((600, 600), "float64", seed=3)
    before = cp.get_num_threads()
    try:
        got = []
        for threads in (1, 2):
            cp.set_num_threads(threads)
            got.append([np.asarray(r) for r in la.eigh(a)])
    finally:
        cp.set_num_threads(before)
    for x, y in zip(*got, strict=True):
        assert np.array_equal(x, y)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_eig(dtype, shape):
    a = rand(shape, dtype)
    n = shape[-1]
    w, v = la.eig(a)
    assert isinstance(la.eig(a), la.EigResult)
    assert w.dtype == COMPLEX[dtype] and v.dtype == COMPLEX[dtype]
    w, v = np.asarray(w), np.asarray(v)
    t = tol(dtype, n, cond=100)
    close(a @ v, v * w[..., None, :], t)
    if v.size:
        close(np.linalg.norm(v, axis=-2), np.ones(w.shape), t)
    ev = np.asarray(la.eigvals(a))
    assert ev.dtype == COMPLEX[dtype]
    want = np.linalg.eigvals(a)
    assert ev.shape == want.shape
    if n:
        close(np.sort_complex(ev.reshape(-1, n)), np.sort_complex(want.reshape(-1, n)), t)


# faer scales nothing: its SVD of a matrix of norm 1e-200 was 40% off and of norm 1e200 did not
# converge, and its real eigenvectors had residuals of 0.6 at norms of 1e-16 and below. corepy
# scales by a power of two first (LAPACK's gesdd/geev ranges; eig always to unit norm), so the
# results scale with the matrix, against NumPy's relative to the norm.
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("exp10", [-300, -150, -20, -16, 16, 150, 300])
def test_svd_and_eig_of_scaled_matrices(dtype, exp10):
    real = REAL[dtype]
    bound = {"float32": 37, "float64": 307}[real]
    if abs(exp10) > bound:
        exp10 = int(np.sign(exp10)) * (bound - 3)
    n = 40
    wide = "complex128" if "complex" in dtype else "float64"
    a = (rand((n, n), wide, seed=5) * 10.0**exp10).astype(dtype)
    a64 = a.astype(wide)
    norm = float(np.max(np.abs(a64)))
    t = tol(dtype, n, cond=100)
    want = np.linalg.svd(a64, compute_uv=False)
    assert np.max(np.abs(np.asarray(la.svdvals(a)) - want)) <= t * want[0]
    u, sv, vh = (np.asarray(r) for r in la.svd(a, full_matrices=False))
    assert np.max(np.abs((u * sv) @ vh - a64)) <= t * norm
    w, v = (np.asarray(r) for r in la.eig(a))
    assert np.all(np.isfinite(w)) and np.all(np.isfinite(v))
    assert np.max(np.abs(a64 @ v - v * w)) <= t * norm
    ev = np.sort_complex(np.asarray(la.eigvals(a)))
    assert np.max(np.abs(ev - np.sort_complex(np.linalg.eigvals(a64)))) <= t * norm


def test_eig_of_a_rotation_is_complex():
    w = np.asarray(la.eigvals(np.array([[0.0, -1.0], [1.0, 0.0]])))
    close(np.sort_complex(w), np.array([-1j, 1j]), 1e-14)


# ---------------------------------------------------------------------------- layouts


@pytest.mark.parametrize(
    "layout",
    ["fortran", "transposed_view", "negative", "broadcast", "strided", "corepy_mT"],
)
def test_layouts_read_in_place_give_the_same_answers(layout):
    base = well_conditioned((3, 5, 5), "float64")
    sym = hpd((3, 5, 5), "float64")
    if layout == "fortran":
        a, s = np.asfortranarray(base), np.asfortranarray(sym)
    elif layout == "transposed_view":
        a, s = np.swapaxes(np.ascontiguousarray(np.swapaxes(base, -1, -2)), -1, -2), sym.T.T
    elif layout == "negative":
        a, s = base[::-1, ::-1, ::-1], sym[::-1, ::-1, ::-1]
    elif layout == "broadcast":
        a, s = np.broadcast_to(base[:1], base.shape), np.broadcast_to(sym[:1], sym.shape)
    elif layout == "strided":
        big = np.zeros((3, 10, 15))
        big[:, ::2, ::3] = base
        a = big[:, ::2, ::3]
        s = sym
    else:
        a, s = cp.asarray(base).mT, cp.asarray(sym).mT
    an, sn = np.asarray(a), np.asarray(s)
    close(la.solve(a, np.ones(5)), np.linalg.solve(an, np.ones(5)), 1e-12)
    close(la.inv(a), np.linalg.inv(an), 1e-12)
    close(la.det(a), np.linalg.det(an), 1e-9)
    close(la.cholesky(s), np.linalg.cholesky(sn), 1e-12)
    close(la.svdvals(a), np.linalg.svd(an, compute_uv=False), 1e-12)
    close(la.eigvalsh(s), np.linalg.eigvalsh(sn), 1e-12)
    q, r = la.qr(a)
    close(np.asarray(q) @ np.asarray(r), an, 1e-12)


@pytest.mark.parametrize("threads", [1, 2])
def test_batches_and_large_matrices_under_each_thread_count(threads):
    before = cp.get_num_threads()
    try:
        cp.set_num_threads(threads)
        a = well_conditioned((64, 32, 32), "float64")
        b = rand((64, 32, 3), "float64", seed=4)
        close(la.solve(a, b), np.linalg.solve(a, b), 1e-12)
        big = well_conditioned((160, 160), "float64")
        close(la.inv(big), np.linalg.inv(big), 1e-12)
        w, v = la.eigh(hermitian((160, 160), "float64"))
        close(w, np.linalg.eigvalsh(hermitian((160, 160), "float64")), 1e-11)
        s = la.svdvals(rand((150, 120), "float64"))
        close(s, np.linalg.svd(rand((150, 120), "float64"), compute_uv=False), 1e-11)
    finally:
        cp.set_num_threads(before)


def test_ill_conditioned_solve_within_its_condition_number():
    n = 8
    hilbert = 1.0 / (np.arange(n)[:, None] + np.arange(n)[None, :] + 1)
    x_true = np.ones(n)
    b = hilbert @ x_true
    x = np.asarray(la.solve(hilbert, b))
    cond = np.linalg.cond(hilbert)
    assert np.linalg.norm(hilbert @ x - b) <= 100 * eps("float64") * np.linalg.norm(b) * n
    assert np.linalg.norm(x - x_true) <= 100 * eps("float64") * cond * n


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "fn",
    [la.cholesky, la.inv, la.det, la.slogdet, la.eigh, la.eigvalsh, la.eig, la.eigvals],
)
def test_square_functions_reject_bad_shapes_and_dtypes(fn):
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        fn(np.ones(3))
    with pytest.raises(ValueError, match="square"):
        fn(np.ones((2, 3)))
    with pytest.raises(TypeError, match="bool"):
        fn(np.eye(2, dtype=bool))


@pytest.mark.parametrize("fn", [la.qr, la.svd, la.svdvals, la.matrix_rank, la.pinv, la.matrix_norm])
def test_matrix_functions_reject_vectors(fn):
    with pytest.raises(ValueError):
        fn(np.ones(3))
    with pytest.raises(TypeError):
        fn(np.ones((2, 2), dtype=bool))


@pytest.mark.parametrize(
    "fn", [la.inv, la.det, la.svdvals, la.eigvalsh, la.qr, la.cholesky, la.eigvals]
)
def test_integers_promote_to_float64(fn):
    a = np.array([[4, 1], [1, 3]], dtype="int32")
    r = fn(a)
    r = r[0] if isinstance(r, tuple) else r
    assert str(r.dtype) in ("float64", "complex128")


# ---------------------------------------------------------------------------- compositions


def strict(a):
    return xps.asarray(np.asarray(a))


def same(got, want, rtol=1e-12):
    want = np.asarray(want)
    assert str(got.dtype) == str(want.dtype), (got.dtype, want.dtype)
    assert tuple(got.shape) == want.shape
    np.testing.assert_allclose(np.asarray(got), want, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128", "int32"])
def test_vector_norm_against_strict(dtype):
    x = (
        (rand((3, 4), "float64") * 3).astype(dtype)
        if dtype != "complex128"
        else rand((3, 4), dtype)
    )
    r = 1e-5 if dtype == "float32" else 1e-12
    for ord in [2, 1, 0, np.inf, -np.inf, 3, 0.5, -1]:
        for axis in [None, 0, -1, (0, 1)]:
            for keepdims in [False, True]:
                # integers: the float64 result (array-api-strict refuses integer input)
                xs = strict(x.astype("float64") if dtype == "int32" else x)
                with np.errstate(divide="ignore"):  # negative ord over zeros
                    want = xps.linalg.vector_norm(xs, axis=axis, keepdims=keepdims, ord=ord)
                same(la.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord), want, r)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf])
def test_matrix_norm_against_strict(dtype, ord):
    x = rand((2, 3, 4), dtype)
    r = 1e-5 if REAL[dtype] == "float32" else 1e-12
    for keepdims in [False, True]:
        want = xps.linalg.matrix_norm(strict(x), keepdims=keepdims, ord=ord)
        same(la.matrix_norm(x, keepdims=keepdims, ord=ord), want, r)
    with pytest.raises(ValueError):
        la.matrix_norm(x, ord=3)


def test_trace_diagonal_outer_cross_against_strict():
    x = np.arange(2 * 3 * 4, dtype="int32").reshape(2, 3, 4)
    for k in [-3, -1, 0, 1, 2, 5]:
        same(la.diagonal(x, offset=k), xps.linalg.diagonal(strict(x), offset=k))
        same(la.trace(x, offset=k), xps.linalg.trace(strict(x), offset=k))
    d = la.diagonal(cp.asarray(x))
    assert d.is_view
    same(
        la.trace(x.astype("float32"), dtype="float64"),
        np.trace(x, axis1=-2, axis2=-1).astype("float64"),
    )
    a, b = np.arange(3.0), np.arange(4, dtype="int64")
    same(la.outer(a, b), xps.linalg.outer(strict(a), strict(b)))
    with pytest.raises(ValueError):
        la.outer(np.ones((2, 2)), a)
    u, v = rand((2, 3), "float64"), rand((4, 1, 3), "float64", seed=1)
    same(la.cross(u, v), np.cross(u, v))
    same(
        la.cross(u.T, v[0].T.repeat(2, axis=1), axis=0),
        np.cross(u.T, v[0].T.repeat(2, axis=1), axis=0),
    )
    with pytest.raises(ValueError):
        la.cross(np.ones(4), np.ones(4))
    i = np.array([1, 0, 0], dtype="int8")
    same(la.cross(i, np.array([0, 1, 0], dtype="int8")), np.array([0, 0, 1], dtype="int8"))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -1, -2])
def test_matrix_power(n):
    a = well_conditioned((2, 3, 3), "float64") / 3
    same(la.matrix_power(a, n), np.linalg.matrix_power(a, n), 1e-10)
    ai = np.arange(9).reshape(3, 3)
    if n >= 0:
        same(la.matrix_power(ai, n), np.linalg.matrix_power(ai, n))
    else:
        with pytest.raises(TypeError):
            la.matrix_power(ai, n)
    with pytest.raises(ValueError):
        la.matrix_power(np.ones((2, 3)), n)
    with pytest.raises(TypeError):
        la.matrix_power(a, 1.5)


def test_matrix_rank_and_pinv():
    rng = np.random.default_rng(5)
    low = rng.standard_normal((3, 6, 2)) @ rng.standard_normal((3, 2, 5))
    same(la.matrix_rank(low), xps.linalg.matrix_rank(strict(low)))
    assert list(np.asarray(la.matrix_rank(low))) == [2, 2, 2]
    assert int(la.matrix_rank(np.eye(4), rtol=0.5)) == 4
    for x in [low, rand((4, 3), "complex128"), rand((3, 5), "float32")]:
        r = 1e-4 if x.dtype == np.float32 else 1e-9
        same(la.pinv(x), np.linalg.pinv(x), r)
        p = np.asarray(la.pinv(x))
        close(x @ p @ x, x, r * 10)
    assert la.pinv(np.zeros((2, 0, 3))).shape == (2, 3, 0)
    assert la.matrix_rank(np.zeros((2, 0, 3))).shape == (2,)


def test_matmul_tensordot_vecdot_matrix_transpose_are_the_namespace_ones():
    a, b = rand((2, 3, 4), "float64"), rand((4, 5), "float64")
    same(la.matmul(a, b), a @ b)
    same(la.tensordot(a, b, axes=1), np.tensordot(a, b, axes=1))
    same(la.vecdot(a, a), np.sum(a * a, axis=-1))
    same(la.matrix_transpose(a), np.swapaxes(a, -1, -2))


# ---------------------------------------------------------------------------- results vs strict


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
def test_result_dtypes_and_shapes_match_strict(dtype):
    a = hpd((2, 3, 3), dtype)
    s = strict(a)
    pairs = [
        (la.cholesky(a), xps.linalg.cholesky(s)),
        (la.inv(a), xps.linalg.inv(s)),
        (la.det(a), xps.linalg.det(s)),
        (la.eigvalsh(a), xps.linalg.eigvalsh(s)),
        (la.svdvals(a), xps.linalg.svdvals(s)),
        (la.pinv(a), xps.linalg.pinv(s)),
        (la.matrix_rank(a), xps.linalg.matrix_rank(s)),
        (la.solve(a, a), xps.linalg.solve(s, s)),
        (la.matrix_norm(a), xps.linalg.matrix_norm(s)),
        (la.vector_norm(a), xps.linalg.vector_norm(s)),
        (la.trace(a), xps.linalg.trace(s)),
    ]
    pairs += zip(la.slogdet(a), xps.linalg.slogdet(s), strict=True)
    pairs += zip(la.eigh(a), xps.linalg.eigh(s), strict=True)
    pairs += zip(la.qr(a), xps.linalg.qr(s), strict=True)
    pairs += zip(la.svd(a), xps.linalg.svd(s), strict=True)
    for got, want in pairs:
        want = np.asarray(want)
        assert str(got.dtype) == str(want.dtype) and tuple(got.shape) == want.shape


# ---------------------------------------------------------------------------- profiler


def test_decompositions_are_profiled_with_flops():
    a = well_conditioned((64, 64), "float64")
    with cp.profile() as prof:
        la.solve(a, np.ones(64))
        la.cholesky(hpd((64, 64), "float64"))
        la.svd(a)
        la.matrix_norm(a, ord=2)
        la.trace(a)
    for op in ("solve", "cholesky", "svd"):
        assert prof.ops[op]["calls"] == 1
        assert prof.ops[op]["flops"] > 0
        assert prof.ops[op]["bytes_read"] > 0
    assert prof.ops["cholesky"]["flops"] == 64**3 // 3
    # compositions are recorded under their own names, around the ops they are made of
    assert prof.ops["matrix_norm"]["calls"] == 1 and prof.ops["svdvals"]["calls"] == 1
    assert prof.ops["trace"]["calls"] == 1 and prof.ops["diagonal"]["calls"] == 1
