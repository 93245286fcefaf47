"""Bad input raises the right built-in exception with a useful message, never crashes, and leaves
inputs and out= untouched."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import DTYPES, NEW_DTYPES, UNSUPPORTED_NUMPY_DTYPES, assert_tensor, shape_str

import corepy as cp

BINARY = [cp.add, cp.subtract, cp.multiply, cp.divide]


def _np_binary(fn, a, b):
    """NumPy's answer for the corepy binary function `fn` (warnings silenced: x/0 is defined)."""
    ref = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide}
    with np.errstate(all="ignore"):
        return ref[fn.__name__](a, b)


# --------------------------------------------------------------------------------------------
# Mixed dtypes promote (the array API table, NumPy 2 where it is silent): no TypeError
# --------------------------------------------------------------------------------------------

MIXED_PAIRS = [
    ("float32", "float64"),
    ("int32", "int64"),
    ("float64", "int64"),
    ("int32", "float32"),
    ("int64", "float32"),
    ("bool", "int32"),
    ("bool", "float32"),
    ("bool", "int64"),
]


def _mixed_operands(da, db):
    """Values that tell the promoted dtype apart from either input's: 2**24 + 1 is not a float32,
    0.1 is not the same number in float32 and float64. (A zero divisor gives inf or nan, as in
    NumPy.)"""
    a = np.array([2**24 + 1, -3, 7, 1, 0], dtype=np.float64)
    b = np.array([0.1, 2, -5, 1, 3], dtype=np.float64)
    if da == "bool":
        a = a != 0
    if db == "bool":
        b = np.ones(5, dtype=bool)
    return a.astype(da), b.astype(db)


@pytest.mark.parametrize("fn", BINARY)
@pytest.mark.parametrize("swap", [False, True], ids=["ab", "ba"])
@pytest.mark.parametrize(("da", "db"), MIXED_PAIRS)
def test_mixed_dtypes_promote_like_numpy(fn, da, db, swap):
    a, b = _mixed_operands(da, db)
    if swap:
        a, b = b, a
    expected = _np_binary(fn, a, b)
    if fn is not cp.divide:  # (int / int is float64)
        assert expected.dtype == np.result_type(a.dtype, b.dtype)
    got = fn(cp.Tensor(a), cp.Tensor(b))
    assert_tensor(got, expected)
    assert_tensor(fn(a, b), expected)  # NumPy operands directly
    assert_tensor(fn(cp.Tensor(a), b), expected)


def test_mixed_dtypes_through_operators():
    a_np = np.array([1.5, 2**24 + 1, -3.0], dtype=np.float32)
    b_np = np.array([0.1, 1.0, 2.0], dtype=np.float64)
    a, b = cp.Tensor(a_np), cp.Tensor(b_np)
    for got, want in (
        (a + b, a_np + b_np),
        (a - b, a_np - b_np),
        (a * b, a_np * b_np),
        (a / b, a_np / b_np),
        (b - a, b_np - a_np),
        (b / a, b_np / a_np),
    ):
        assert want.dtype == np.float64
        assert_tensor(got, want)
    m_a = cp.Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    m_b = cp.Tensor(np.full((3, 2), 0.1, dtype=np.float64))
    want = np.asarray(m_a) @ np.asarray(m_b)
    assert want.dtype == np.float64
    assert_tensor(m_a @ m_b, want, rtol=1e-15)


def test_mixed_dtypes_with_numpy_operand():
    i = np.array([1, -2, 2**31 - 1], dtype=np.int32)
    f = np.array([0.5, 0.25, 0.1], dtype=np.float64)
    assert_tensor(cp.Tensor(i) + f, i + f)
    assert_tensor(cp.subtract(f, cp.Tensor(i)), f - i)
    assert_tensor(cp.Tensor(i) * f.astype(np.float32), i * f.astype(np.float32))  # float64


def test_refused_dtypes_name_what_was_given():
    t = cp.Tensor(np.array([True, False]))
    for call in (lambda: t + t, lambda: cp.subtract(t, t), lambda: t / t):
        with pytest.raises(TypeError) as info:
            call()
        assert "bool" in str(info.value)


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
        *(np.zeros(3, dtype=d) for d in UNSUPPORTED_NUMPY_DTYPES),
        np.array([1.0, 2.0], dtype=object),
        np.array(["a", "bc"]),
        np.array([b"a", b"bc"]),
        np.zeros(2, dtype=[("x", np.float32), ("y", np.int32)]),
    ],
    ids=lambda a: str(a.dtype),
)
def test_unsupported_numpy_dtype_is_type_error(src):
    with pytest.raises(TypeError):
        cp.Tensor(src)
    with pytest.raises(TypeError):
        cp.add(src, src)


@pytest.mark.parametrize("dtype", NEW_DTYPES)
def test_new_numpy_dtypes_are_supported(dtype):
    """int8/int16, the unsigned ints and complex were TypeErrors before the array API contract."""
    src = np.array([1, 2, 3, 100], dtype=dtype)
    t = cp.Tensor(src)
    assert t.is_view is True
    assert_tensor(t, src)
    with np.errstate(all="ignore"):
        expected = src + src  # wraps like NumPy for the small ints
    assert_tensor(cp.add(src, src), expected)


@pytest.mark.parametrize("obj", [None, object(), {"a": 1}, "abc", ["a", "b"], [1, None]])
def test_unsupported_objects_are_type_errors(obj):
    with pytest.raises(TypeError):
        cp.Tensor(obj)


def test_complex_python_scalar_is_a_complex128_tensor():
    assert_tensor(cp.Tensor(1 + 2j), np.array(1 + 2j))


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
def test_float_scalar_with_int_tensor_promotes_to_float64(dtype):
    a = np.arange(3, dtype=dtype)
    t = cp.Tensor(a)
    for got, want in (
        (t + 1.5, a + 1.5),
        (2.0 * t, 2.0 * a),
        (cp.subtract(t, 0.0), a - 0.0),
        (t - 1.0, a - 1.0),
        (0.5 / t[1:], 0.5 / a[1:]),
    ):
        assert want.dtype == np.float64
        assert_tensor(got, want)


def test_int_scalar_out_of_int32_range_is_overflow_error():
    """NumPy 2 (NEP 50): a Python int the tensor's int dtype cannot hold is an OverflowError."""
    a = np.arange(3, dtype=np.int32)
    t = cp.Tensor(a)
    for s in (2**31, -(2**31) - 1, 2**40):
        with pytest.raises(OverflowError):
            a + s  # the oracle
        with pytest.raises(OverflowError):
            t + s
        with pytest.raises(OverflowError):
            s * t
        with pytest.raises(OverflowError):
            cp.subtract(t, s)
    assert_tensor(t, a)


def test_int_scalar_out_of_int64_range():
    t = cp.Tensor(np.arange(3, dtype=np.int64))
    for s in (2**63, -(2**63) - 1, 2**100):
        with pytest.raises(OverflowError):
            np.arange(3, dtype=np.int64) + s  # the oracle
        with pytest.raises(OverflowError):
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
        # float32 with float64 promotes to float64, which a float32 out= cannot hold.
        (np.ones(4, dtype=np.float32), np.ones(4, dtype=np.float64), TypeError),
        (np.ones(4, dtype=np.float32), np.ones(5, dtype=np.float32), ValueError),
        (np.ones(4, dtype=np.float32), "x", TypeError),
        (np.ones(4, dtype=np.bool_), np.ones(4, dtype=np.bool_), TypeError),
    ],
)
@pytest.mark.parametrize("fn", BINARY)
@pytest.mark.parametrize("wrap", [True, False], ids=["tensor_out", "numpy_out"])
def test_failed_op_leaves_out_untouched(fn, a, b, exc, wrap):
    backing = np.full(4, 7.0, dtype=np.float32)
    out = cp.Tensor(backing) if wrap else backing
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
    for bad in (lambda: cp.Tensor(np.ones(3, np.float16)), lambda: cp.dot(a, a[:3])):
        with pytest.raises((TypeError, ValueError)):
            bad()
    assert cp.sum(a) == 10
    assert bool(cp.all(a)) is True
