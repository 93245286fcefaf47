"""Shared constants and checks for the corepy test suite (NumPy is the reference everywhere)."""

from __future__ import annotations

import numpy as np

import corepy as cp

DTYPES = ["float32", "float64", "int32", "int64", "bool"]
FLOAT_DTYPES = ["float32", "float64"]
INT_DTYPES = ["int32", "int64"]
NUMERIC_DTYPES = FLOAT_DTYPES + INT_DTYPES
# The dtypes the array API contract added to the five above (DESIGN.md: 13 dtypes in all).
NEW_DTYPES = [
    "int8",
    "int16",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "complex64",
    "complex128",
]
ALL_DTYPES = DTYPES + NEW_DTYPES
# Every dtype with an order (all but complex): what sorting, searching and sets take.
REAL_DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
REAL_DTYPES += ["float32", "float64"]
# NumPy dtypes corepy does not have: importing them is a TypeError.
UNSUPPORTED_NUMPY_DTYPES = [
    "float16",
    "longdouble",
    ">f4",
    ">i8",
    "O",
    "<U3",
    "S2",
    "V4",
    "datetime64[s]",
    "timedelta64[ms]",
]

# Lengths around every vector width (4/8/16 lanes) and unroll factor, plus the empty case.
EDGE_SIZES = [0, 1, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 1023, 1025]

# The ISAs corepy knows; which of them this machine can run is cp.config()["available_isas"].
KNOWN_ISAS = ["scalar", "avx2", "avx512"]


def random_array(rng: np.random.Generator, shape, dtype: str, *, full_range: bool = False):
    """Random values of `dtype`.

    Floats are small integers (exact in float32, so any summation order gives the same answer)
    unless they are divided; ints span the whole range when `full_range` (to exercise wrapping).
    """
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype in INT_DTYPES:
        if full_range:
            info = np.iinfo(dtype)
            return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
        return rng.integers(-50, 51, size=shape, dtype=dtype)
    return rng.integers(-50, 51, size=shape).astype(dtype)


def random_reals(rng: np.random.Generator, shape, dtype: str, low=-1.0, high=1.0):
    """Random non-integral floats (for accuracy checks)."""
    return rng.uniform(low, high, size=shape).astype(dtype)


def nonzero_array(rng: np.random.Generator, shape, dtype: str):
    """Random values with no zeros (divisors)."""
    a = random_array(rng, shape, dtype)
    return np.where(a == 0, np.ones((), dtype=dtype), a).astype(dtype)


def assert_tensor(t, expected, *, rtol: float = 0.0, atol: float = 0.0) -> None:
    """`t` is a Tensor with exactly the dtype and shape of the NumPy array `expected`, and its
    values equal it (exactly when rtol == atol == 0; NaNs compare equal)."""
    expected = np.asarray(expected)
    assert isinstance(t, cp.Tensor), f"expected a Tensor, got {type(t).__name__}"
    assert t.dtype == expected.dtype.name, f"dtype {t.dtype!r}, expected {expected.dtype.name!r}"
    assert t.shape == expected.shape, f"shape {t.shape}, expected {expected.shape}"
    got = np.asarray(t)
    assert got.dtype == expected.dtype
    assert got.shape == expected.shape
    if rtol == 0.0 and atol == 0.0:
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


def shape_str(shape: tuple[int, ...]) -> str:
    """How a shape appears in corepy's error messages: as a Python tuple, e.g. "(3,)"."""
    return str(tuple(shape))


# Linear algebra tests (test_linalg_paths.py, test_linalg_small.py, test_linalg_ext.py).
def rand(shape, dtype, seed=0):
    """Standard normal entries (complex: both parts) of `dtype`."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if "complex" in dtype:
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dtype)


def tol(dtype, n):
    """A tolerance for n x n factorizations: 500 eps n."""
    return 500 * np.finfo(np.dtype(dtype)).eps * max(n, 1)


def close(got, want, t):
    """Same shape and dtype, and max |got - want| <= t * max(1, max |want|)."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, got.dtype, want.dtype)
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    err = float(np.max(np.abs(got - want))) if want.size else 0.0
    assert err <= t * scale, f"max error {err:.3g} > {t:.3g} * {scale:.3g}"


def stable_ref(x, descending: bool, axis: int = -1):
    """The indices of a stable sort along `axis` (NumPy's), descending too: ties keep their
    order in both directions, as the standard's stable argsort does."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    n = x.shape[axis]
    return n - 1 - np.flip(np.argsort(np.flip(x, axis=axis), axis=axis, kind="stable"), axis=axis)
