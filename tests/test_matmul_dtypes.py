"""matmul of integers (wrapping, as NumPy) and complex against NumPy: shapes, layouts, batches,
ISAs and thread counts; the float ladder's rungs refuse other dtypes."""

from __future__ import annotations

import array_api_strict as xps
import numpy as np
import pytest

import corepy as cp

INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
COMPLEX_DTYPES = ["complex64", "complex128"]
ISAS = cp.config()["available_isas"]


def operand(rng, shape, dtype):
    if dtype.startswith("complex"):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    if dtype.startswith("float"):
        return rng.standard_normal(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


def check(a, b):
    got = cp.matmul(a, b)
    want = np.matmul(np.asarray(a), np.asarray(b))
    if want.ndim == 0:
        # 1-D @ 1-D: corepy's matmul returns a Python scalar (ops.rs element_to_py)
        got = np.asarray(got, dtype=want.dtype)
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind in "fc":
        tol = 1e-4 if want.dtype.itemsize <= 8 and want.dtype != np.float64 else 1e-12
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * np.abs(want).max(initial=1))
    else:
        np.testing.assert_array_equal(got, want)  # wrapping, bit for bit


@pytest.mark.parametrize("dtype", INT_DTYPES + COMPLEX_DTYPES)
@pytest.mark.parametrize(
    ("sa", "sb"),
    [
        ((5, 7), (7, 3)),
        ((1, 1), (1, 1)),
        ((0, 4), (4, 3)),
        ((4, 0), (0, 3)),
        ((9,), (9, 4)),
        ((6, 9), (9,)),
        ((9,), (9,)),
        ((2, 3, 5, 7), (7, 4)),
        ((3, 1, 4, 6), (5, 6, 2)),
    ],
)
def test_matches_numpy(rng, dtype, sa, sb):
    check(operand(rng, sa, dtype), operand(rng, sb, dtype))


@pytest.mark.parametrize("dtype", ["int16", "int64", "uint32", "complex128"])
def test_layouts(rng, dtype):
    a = operand(rng, (40, 30), dtype)
    b = operand(rng, (30, 50), dtype)
    check(a.T.copy().T, b[:, ::-1])
    check(a[::2], b[:, ::3])
    check(np.asfortranarray(a), np.asfortranarray(b))
    check(cp.asarray(a.T.copy()).T, cp.asarray(b))


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint64", "complex64"])
def test_large_every_isa(rng, isa, threads, dtype):
    cp.set_isa(isa)
    cp.set_num_threads(threads)
    check(operand(rng, (131, 97), dtype), operand(rng, (97, 113), dtype))
    check(operand(rng, (8, 33, 20), dtype), operand(rng, (8, 20, 17), dtype))


def test_mixed_dtypes_promote(rng):
    a = operand(rng, (4, 5), "int8")
    b = operand(rng, (5, 3), "int32")
    check(a, b)
    check(a, operand(rng, (5, 3), "float64"))
    check(operand(rng, (4, 5), "complex64"), operand(rng, (5, 3), "float64"))


def test_operator_and_strict(rng):
    a = operand(rng, (6, 4), "int64")
    b = operand(rng, (4, 5), "int64")
    np.testing.assert_array_equal(np.asarray(cp.asarray(a) @ cp.asarray(b)), a @ b)
    want = xps.matmul(xps.asarray(a), xps.asarray(b))
    np.testing.assert_array_equal(np.asarray(cp.matmul(a, b)), np.asarray(want))


def test_ladder_rungs_are_float_only(rng):
    a = operand(rng, (8, 8), "int32")
    for algorithm in ("naive", "blocked", "packed", "simd"):
        with pytest.raises(TypeError):
            cp.matmul(a, a, algorithm=algorithm)
    check(a, a)  # "auto" works
    with pytest.raises(TypeError):
        cp.matmul(a > 0, a > 0)
    with pytest.raises(ValueError):
        cp.matmul(a, operand(rng, (7, 2), "int32"))


# ---------------------------------------------------------------------------- tensordot, vecdot


@pytest.mark.parametrize("dtype", ["int32", "int64", "float64", "uint8"])
@pytest.mark.parametrize(
    "axes", [0, 1, 2, ([1, 2], [0, 1]), ([2, 1], [1, 0]), ([0], [2]), ((-1,), (-3,))]
)
def test_tensordot_matches_numpy(rng, dtype, axes):
    a = operand(rng, (3, 4, 5), dtype) if dtype != "float64" else rng.standard_normal((3, 4, 5))
    b = operand(rng, (4, 5, 3), dtype) if dtype != "float64" else rng.standard_normal((4, 5, 3))
    if axes == ((-1,), (-3,)):
        b = np.moveaxis(b, 1, 0).copy()  # (5, 4, 3): x1's last axis against x2's first
    try:
        want = np.tensordot(a, b, axes=axes)
    except ValueError:
        with pytest.raises(ValueError):
            cp.tensordot(a, b, axes=axes)
        return
    got = np.asarray(cp.tensordot(a, b, axes=axes))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_tensordot_strict_and_errors(rng):
    a = operand(rng, (2, 3), "int64")
    b = operand(rng, (3, 4), "int64")
    want = xps.tensordot(xps.asarray(a), xps.asarray(b), axes=1)
    np.testing.assert_array_equal(np.asarray(cp.tensordot(a, b, axes=1)), np.asarray(want))
    with pytest.raises(ValueError):
        cp.tensordot(a, b, axes=2)  # lengths differ
    with pytest.raises(ValueError):
        cp.tensordot(a, b, axes=-1)
    with pytest.raises(ValueError):
        cp.tensordot(a, b, axes=([0, 1], [0]))
    with pytest.raises(TypeError):
        cp.tensordot(a, b, axes=1.5)
    with pytest.raises(cp.AxisError):
        cp.tensordot(a, b, axes=([5], [0]))


@pytest.mark.parametrize("dtype", ["int16", "int64", "float32", "float64"])
def test_vecdot_matches_numpy(rng, dtype):
    for sa, sb, axis in [
        ((5,), (5,), -1),
        ((4, 1, 6), (3, 6), -1),
        ((6, 3), (6, 3), 0),
        ((2, 7, 3), (7, 3), -2),
    ]:
        a = (
            operand(rng, sa, dtype)
            if dtype.startswith("int")
            else rng.standard_normal(sa).astype(dtype)
        )
        b = (
            operand(rng, sb, dtype)
            if dtype.startswith("int")
            else rng.standard_normal(sb).astype(dtype)
        )
        want = np.vecdot(a, b, axis=axis)
        got = np.asarray(cp.vecdot(a, b, axis=axis))
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == "float32" else 1e-12)
    want = xps.vecdot(xps.asarray([1, 2, 3]), xps.asarray([4, 5, 6]))
    assert int(cp.vecdot(np.array([1, 2, 3]), np.array([4, 5, 6]))) == int(want)


def test_vecdot_errors(rng):
    with pytest.raises(ValueError):
        cp.vecdot(np.ones(3), np.ones(4))
    with pytest.raises(ValueError):
        cp.vecdot(np.ones((2, 3)), np.ones((4, 3)))  # batch axes do not broadcast
    with pytest.raises(cp.AxisError):
        cp.vecdot(np.ones(3), np.ones(3), axis=1)
    c = operand(rng, (4,), "complex128")
    if hasattr(cp, "conj"):
        np.testing.assert_allclose(np.asarray(cp.vecdot(c, c)), np.vecdot(c, c))
    else:
        with pytest.raises(TypeError):
            cp.vecdot(c, c)
