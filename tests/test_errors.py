"""Bad input raises the right built-in exception with a useful message, never crashes, and leaves
inputs and out= untouched."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import DTYPES, shape_str

import corepy as cp

BINARY = [cp.add, cp.sub, cp.mul, cp.div]


# --------------------------------------------------------------------------------------------
# Mixed dtypes -> TypeError naming both
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", BINARY)
@pytest.mark.parametrize(
    ("da", "db"),
    [("float32", "float64"), ("int32", "int64"), ("float64", "int64"), ("int32", "float32")],
)
def test_mixed_dtypes_name_both(fn, da, db):
    a = cp.Tensor(np.ones(3, dtype=da))
    b = cp.Tensor(np.ones(3, dtype=db))
    with pytest.raises(TypeError) as info:
        fn(a, b)
    assert da in str(info.value)
    assert db in str(info.value)


def test_mixed_dtypes_through_operators():
    a = cp.Tensor(np.ones(3, dtype=np.float32))
    b = cp.Tensor(np.ones(3, dtype=np.float64))
    for call in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a / b, lambda: a @ b):
        with pytest.raises(TypeError) as info:
            call()
        assert "float32" in str(info.value)
        assert "float64" in str(info.value)


def test_mixed_dtypes_with_numpy_operand():
    with pytest.raises(TypeError) as info:
        cp.Tensor(np.ones(3, dtype=np.int32)) + np.ones(3, dtype=np.float64)
    assert "int32" in str(info.value)
    assert "float64" in str(info.value)


# --------------------------------------------------------------------------------------------
# Shape mismatch -> ValueError naming both
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", BINARY)
def test_shape_mismatch_names_both_shapes(fn):
    a = cp.Tensor(np.ones(3, dtype=np.float64))
    b = cp.Tensor(np.ones(4, dtype=np.float64))
    with pytest.raises(ValueError) as info:
        fn(a, b)
    message = str(info.value)
    assert "(3,)" in message
    assert "(4,)" in message


def test_matmul_and_dot_mismatch_name_both_shapes():
    with pytest.raises(ValueError) as info:
        cp.matmul(np.ones((2, 3)), np.ones((4, 5)))
    assert shape_str((2, 3)) in str(info.value)
    assert shape_str((4, 5)) in str(info.value)
    with pytest.raises(ValueError) as info:
        cp.dot(np.ones(3), np.ones(4))
    assert "(3,)" in str(info.value)
    assert "(4,)" in str(info.value)


# --------------------------------------------------------------------------------------------
# Unsupported inputs -> TypeError; bad values -> ValueError
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        np.ones(3, dtype=np.complex64),
        np.ones(3, dtype=np.complex128),
        np.ones(3, dtype=np.float16),
        np.array([1.0, 2.0], dtype=object),
        np.array(["a", "bc"]),
        np.array([b"a", b"bc"]),
        np.ones(3, dtype=np.uint8),
        np.ones(3, dtype=np.int8),
        np.ones(3, dtype=np.uint32),
        np.ones(3, dtype=np.uint64),
        np.array(["2024-01-01"], dtype="datetime64[D]"),
        np.zeros(2, dtype=[("x", np.float32), ("y", np.int32)]),
    ],
    ids=lambda a: str(a.dtype),
)
def test_unsupported_numpy_dtype_is_type_error(src):
    with pytest.raises(TypeError):
        cp.Tensor(src)
    with pytest.raises(TypeError):
        cp.add(src, src)


@pytest.mark.parametrize("obj", [None, object(), {"a": 1}, "abc", ["a", "b"], [1, None], 1 + 2j])
def test_unsupported_objects_are_type_errors(obj):
    with pytest.raises(TypeError):
        cp.Tensor(obj)


@pytest.mark.parametrize("other", [None, "abc", object(), [1, "x"]])
def test_unsupported_operands_are_type_errors(other):
    t = cp.Tensor(np.ones(3))
    with pytest.raises(TypeError):
        t + other
    with pytest.raises(TypeError):
        cp.mul(t, other)
    with pytest.raises(TypeError):
        cp.sum(other)


@pytest.mark.parametrize(("dtype", "nbytes"), [("float32", 7), ("float64", 4), ("int64", 12)])
def test_bytes_length_not_multiple_of_itemsize(dtype, nbytes):
    with pytest.raises(ValueError):
        cp.Tensor(b"\x01" * nbytes, dtype=dtype)
    with pytest.raises(ValueError):
        cp.Tensor(bytearray(nbytes), dtype=dtype)


@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_float_scalar_with_int_tensor_is_type_error(dtype):
    t = cp.Tensor(np.arange(3, dtype=dtype))
    for call in (lambda: t + 1.5, lambda: 2.0 * t, lambda: cp.sub(t, 0.0), lambda: t - 1.0):
        with pytest.raises(TypeError):
            call()


def test_int_scalar_out_of_int32_range_is_value_error():
    t = cp.Tensor(np.arange(3, dtype=np.int32))
    for s in (2**31, -(2**31) - 1, 2**40):
        with pytest.raises(ValueError):
            t + s
        with pytest.raises(ValueError):
            s * t


def test_int_scalar_out_of_int64_range():
    t = cp.Tensor(np.arange(3, dtype=np.int64))
    # ValueError per the contract; OverflowError (Python's own for a too-large int) is tolerated.
    for s in (2**63, -(2**63) - 1, 2**100):
        with pytest.raises((ValueError, OverflowError)):
            t + s


def test_int_scalars_at_the_int32_limits_are_fine():
    t = cp.Tensor(np.zeros(2, dtype=np.int32))
    np.testing.assert_array_equal(np.asarray(t + (2**31 - 1)), [2**31 - 1] * 2)
    np.testing.assert_array_equal(np.asarray(t + -(2**31)), [-(2**31)] * 2)


# --------------------------------------------------------------------------------------------
# A failed call leaves out= and the inputs untouched
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "exc"),
    [
        (np.ones(4, dtype=np.float32), np.ones(4, dtype=np.float64), TypeError),
        (np.ones(4, dtype=np.float32), np.ones(5, dtype=np.float32), ValueError),
        (np.ones(4, dtype=np.float32), "x", TypeError),
        (np.ones(4, dtype=np.bool_), np.ones(4, dtype=np.bool_), TypeError),
    ],
)
@pytest.mark.parametrize("fn", BINARY)
def test_failed_op_leaves_out_untouched(fn, a, b, exc):
    backing = np.full(4, 7.0, dtype=np.float32)
    out = cp.Tensor(backing)
    a0 = a.copy()
    with pytest.raises(exc):
        fn(a, b, out=out)
    np.testing.assert_array_equal(backing, np.full(4, 7.0, dtype=np.float32))
    np.testing.assert_array_equal(a, a0)


# --------------------------------------------------------------------------------------------
# Runtime controls
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bogus", "", "AVX9", "sse", "neon"])
def test_set_isa_unknown_is_value_error(name):
    before = cp.get_isa()
    with pytest.raises(ValueError):
        cp.set_isa(name)
    assert cp.get_isa() == before


def test_set_isa_wrong_type_is_type_error():
    with pytest.raises(TypeError):
        cp.set_isa(2)


def test_set_isa_unsupported_by_this_cpu_is_value_error():
    unsupported = [i for i in ("avx2", "avx512") if i not in cp.config()["available_isas"]]
    if not unsupported:
        pytest.skip("this CPU runs every ISA corepy has")
    for name in unsupported:
        with pytest.raises(ValueError):
            cp.set_isa(name)


@pytest.mark.parametrize("n", [0, -1, -100])
def test_set_num_threads_below_one_is_value_error(n):
    before = cp.get_num_threads()
    with pytest.raises(ValueError):
        cp.set_num_threads(n)
    assert cp.get_num_threads() == before


@pytest.mark.parametrize("n", [1.5, "2", None])
def test_set_num_threads_wrong_type_is_type_error(n):
    with pytest.raises(TypeError):
        cp.set_num_threads(n)


# --------------------------------------------------------------------------------------------
# After all that, the library still works
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_still_works_after_errors(dtype):
    a = np.ones(10, dtype=dtype)
    for bad in (lambda: cp.Tensor(np.ones(3, np.complex64)), lambda: cp.dot(a, a[:3])):
        with pytest.raises((TypeError, ValueError)):
            bad()
    assert cp.sum(a) == 10
    assert cp.all(a) is True
