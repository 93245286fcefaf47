"""The matmul ladder (algorithm=) and zero-copy transposed operands, against NumPy."""

import numpy as np
import pytest

import corepy as cp

ALGOS = ["naive", "blocked", "packed", "simd", "auto"]


@pytest.mark.parametrize("algo", ALGOS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (7, 9, 17), (33, 65, 31), (64, 64, 64), (0, 3, 4)])
def test_every_rung_matches_numpy(algo, dtype, m, k, n):
    rng = np.random.default_rng(m * 100 + k * 10 + n)
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, n)).astype(dtype)
    got = np.asarray(cp.matmul(a, b, algorithm=algo))
    ref = a.astype(np.float64) @ b.astype(np.float64)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(got, ref, rtol=tol, atol=tol * max(k, 1))
    assert got.dtype == dtype


@pytest.mark.parametrize("algo", ALGOS)
def test_transposed_numpy_operands(algo):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((40, 30)).astype(np.float32)
    b = rng.standard_normal((40, 20)).astype(np.float32)
    got = np.asarray(cp.matmul(a.T, b, algorithm=algo))
    np.testing.assert_allclose(got, a.T.astype(np.float64) @ b, rtol=1e-4, atol=1e-4)
    got = np.asarray(cp.matmul(b.T, a, algorithm=algo))
    np.testing.assert_allclose(got, b.T.astype(np.float64) @ a, rtol=1e-4, atol=1e-4)


def test_transposed_operand_is_not_copied():
    a = np.ones((64, 32), np.float32)
    with cp.profile() as prof:
        cp.matmul(a.T, a)
    assert prof.ops["matmul"]["copied_inputs"] == 0
    assert prof.zero_copy_rate == 1.0


def test_unknown_algorithm_is_value_error():
    a = np.ones((2, 2), np.float32)
    with pytest.raises(ValueError, match="unknown matmul algorithm"):
        cp.matmul(a, a, algorithm="strassen")
