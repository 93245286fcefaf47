"""add/subtract/multiply/divide: operators and functions, broadcasting, scalars, out=, in-place,
IEEE cases."""

from __future__ import annotations

import operator

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from helpers import (
    EDGE_SIZES,
    FLOAT_DTYPES,
    INT_DTYPES,
    NUMERIC_DTYPES,
    assert_tensor,
    nonzero_array,
    random_array,
    shape_str,
)
from hypothesis import given
from hypothesis import strategies as st

import corepy as cp

# name -> (operator, corepy function, in-place operator, numpy ufunc)
OPS = {
    "add": (operator.add, cp.add, operator.iadd, np.add),
    "subtract": (operator.sub, cp.subtract, operator.isub, np.subtract),
    "multiply": (operator.mul, cp.multiply, operator.imul, np.multiply),
    "divide": (operator.truediv, cp.divide, operator.itruediv, np.true_divide),
}
INT_OPS = ["add", "subtract", "multiply"]


def test_short_names_are_aliases():
    """sub/mul/div are kept from corepy's first API: the same functions as the standard's names."""
    assert cp.sub is cp.subtract
    assert cp.mul is cp.multiply
    assert cp.div is cp.divide
    for name in OPS:
        assert OPS[name][1].__name__ == name


def _reference(name, a, b):
    """NumPy's answer, with its floating-point and overflow warnings silenced."""
    with np.errstate(all="ignore"):
        return OPS[name][3](a, b)


def _operands(rng, name, shape_a, shape_b, dtype, full_range=False):
    a = random_array(rng, shape_a, dtype, full_range=full_range)
    if name == "divide":
        b = nonzero_array(rng, shape_b, dtype)
    else:
        b = random_array(rng, shape_b, dtype, full_range=full_range)
    return a, b


def _cases():
    for name in OPS:
        for dtype in NUMERIC_DTYPES:
            if dtype in INT_DTYPES and name == "divide":
                continue
            yield name, dtype


# --------------------------------------------------------------------------------------------
# Same-shape operands at every edge size, through every entry point
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", EDGE_SIZES)
@pytest.mark.parametrize(("name", "dtype"), list(_cases()))
def test_same_shape_all_sizes(rng, name, dtype, size):
    op, fn, _, _ = OPS[name]
    a, b = _operands(rng, name, (size,), (size,), dtype, full_range=True)
    expected = _reference(name, a, b)
    ta, tb = cp.Tensor(a), cp.Tensor(b)
    assert_tensor(op(ta, tb), expected)
    assert_tensor(fn(ta, tb), expected)
    # NumPy arrays are accepted directly, on either side of a Tensor, or both.
    assert_tensor(fn(a, b), expected)
    assert_tensor(op(ta, b), expected)
    assert_tensor(fn(a, tb), expected)
    # Inputs are left alone.
    assert_tensor(ta, a)
    assert_tensor(tb, b)


@pytest.mark.parametrize(("name", "dtype"), list(_cases()))
def test_strided_and_reversed_inputs(rng, name, dtype):
    _, fn, _, _ = OPS[name]
    a, b = _operands(rng, name, (6, 70), (6, 70), dtype)
    a_view, b_view = a[::2, ::3], b[::-2, ::-3]
    assert_tensor(fn(a_view, b_view), _reference(name, a_view, b_view))
    assert_tensor(fn(a.T, b.T), _reference(name, a.T, b.T))


@pytest.mark.parametrize(("name", "dtype"), list(_cases()))
def test_multidimensional(rng, name, dtype):
    op, _, _, _ = OPS[name]
    a, b = _operands(rng, name, (3, 5, 17), (3, 5, 17), dtype)
    assert_tensor(op(cp.Tensor(a), cp.Tensor(b)), _reference(name, a, b))


# --------------------------------------------------------------------------------------------
# Broadcasting
# --------------------------------------------------------------------------------------------

BROADCAST_PAIRS = [
    ((3, 1), (1, 4)),
    ((2, 3, 4), (4,)),
    ((2, 3, 4), (3, 1)),
    ((4, 1, 6), (1, 5, 1)),
    ((5,), ()),
    ((), (5,)),
    ((), ()),
    ((1,), (17,)),
    ((17,), (1,)),
    ((0, 3), (1, 3)),
    ((0, 3), (3,)),
    ((2, 1, 33), (2, 7, 1)),
    ((1, 1, 1), (2, 3, 4)),
    ((65, 1), (65,)),
]


@pytest.mark.parametrize(("shape_a", "shape_b"), BROADCAST_PAIRS)
@pytest.mark.parametrize(
    ("name", "dtype"),
    [("add", "float32"), ("subtract", "int64"), ("multiply", "int32"), ("divide", "float64")],
)
def test_broadcasting(rng, name, dtype, shape_a, shape_b):
    op, fn, _, _ = OPS[name]
    a, b = _operands(rng, name, shape_a, shape_b, dtype)
    expected = _reference(name, a, b)
    assert_tensor(op(cp.Tensor(a), cp.Tensor(b)), expected)
    assert_tensor(fn(a, b), expected)


@pytest.mark.parametrize(
    ("shape_a", "shape_b"), [((3,), (4,)), ((2, 3), (3, 2)), ((5, 4), (5,)), ((0,), (2,))]
)
def test_broadcast_mismatch_names_both_shapes(shape_a, shape_b):
    a = cp.Tensor(np.zeros(shape_a, dtype=np.float32))
    b = cp.Tensor(np.zeros(shape_b, dtype=np.float32))
    for call in (lambda: a + b, lambda: cp.multiply(a, b), lambda: b - a):
        with pytest.raises(ValueError) as info:
            call()
        assert shape_str(shape_a) in str(info.value)
        assert shape_str(shape_b) in str(info.value)


# --------------------------------------------------------------------------------------------
# Python scalars of the tensor's kind take its dtype (NEP 50); other kinds promote like NumPy
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
@pytest.mark.parametrize("scalar", [3, -7, 0])
def test_tensor_int_scalar(rng, dtype, scalar):
    a = random_array(rng, (37,), dtype, full_range=True)
    t = cp.Tensor(a)
    s = np.dtype(dtype).type(scalar)
    for name in INT_OPS:
        op = OPS[name][0]
        assert_tensor(op(t, scalar), _reference(name, a, s))
        assert_tensor(op(scalar, t), _reference(name, s, a))
        assert_tensor(OPS[name][1](t, scalar), _reference(name, a, s))


def test_scalar_minus_tensor_and_scalar_over_tensor():
    t = cp.Tensor(np.array([1.0, 2.0, 4.0, -8.0], dtype=np.float32))
    assert_tensor(10 - t, np.array([9.0, 8.0, 6.0, 18.0], dtype=np.float32))
    assert_tensor(2.0 / t, np.array([2.0, 1.0, 0.5, -0.25], dtype=np.float32))
    assert_tensor(t / 2, np.array([0.5, 1.0, 2.0, -4.0], dtype=np.float32))
    assert_tensor(cp.divide(1.0, t), np.array([1.0, 0.5, 0.25, -0.125], dtype=np.float32))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("scalar", [0.1, -2.5, 1e-3, 3])
def test_tensor_float_scalar_keeps_tensor_dtype(rng, dtype, scalar):
    a = nonzero_array(rng, (33,), dtype) / np.dtype(dtype).type(7)
    t = cp.Tensor(a)
    s = np.dtype(dtype).type(scalar)  # the scalar is rounded to the tensor's dtype first
    for name, (op, fn, _, _) in OPS.items():
        assert_tensor(op(t, scalar), _reference(name, a, s))
        assert_tensor(op(scalar, t), _reference(name, s, a))
        assert_tensor(fn(t, scalar), _reference(name, a, s))


def test_int32_scalar_arithmetic_wraps():
    t = cp.Tensor(np.array([2**31 - 1, -(2**31), 5], dtype=np.int32))
    assert_tensor(t + 1, np.array([-(2**31), -(2**31) + 1, 6], dtype=np.int32))
    assert_tensor(t - 1, np.array([2**31 - 2, 2**31 - 1, 4], dtype=np.int32))
    assert_tensor(t * 2, np.array([-2, 0, 10], dtype=np.int32))


def test_int64_arithmetic_wraps():
    a = np.array([2**63 - 1, -(2**63), 3], dtype=np.int64)
    b = np.array([1, -1, 2**62], dtype=np.int64)
    for name in INT_OPS:
        assert_tensor(OPS[name][1](a, b), _reference(name, a, b))


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_int_division_gives_float64(rng, dtype):
    a = random_array(rng, (50,), dtype, full_range=True)
    b = nonzero_array(rng, (50,), dtype)
    expected = a / b
    assert expected.dtype == np.float64
    assert_tensor(cp.Tensor(a) / cp.Tensor(b), expected)
    assert_tensor(cp.divide(a, b), expected)
    assert_tensor(cp.Tensor(a) / 4, a / 4)
    assert_tensor(7 / cp.Tensor(b), 7 / b)


@pytest.mark.parametrize("scalar", [2**31, -(2**31) - 1, 2**40, 2**63, -(2**63) - 1, 2**70])
@pytest.mark.parametrize("dtype", [*INT_DTYPES, "bool"])
def test_int_true_division_with_a_big_python_int_follows_numpy(dtype, scalar):
    """int / int is float64, so NumPy 2 divides by a Python int the tensor's dtype cannot hold
    (it raises OverflowError only where the result would have the int dtype)."""
    a = np.array([1, 0, 1], dtype=dtype)
    t = cp.Tensor(a)
    assert_tensor(t / scalar, a / scalar)
    assert_tensor(scalar / t, _reference("divide", scalar, a))
    assert_tensor(cp.divide(a, scalar), a / scalar)


NUMPY_SCALARS = [np.float64(1.5), np.float32(1.5), np.int64(-3), np.int32(7), np.bool_(True)]


@pytest.mark.parametrize(
    ("dtype", "scalar"),
    [
        pytest.param(d, s, id=f"{d}-{type(s).__name__}")
        for d in [*NUMERIC_DTYPES, "bool"]
        for s in NUMPY_SCALARS
        if not (d == "bool" and isinstance(s, np.bool_))  # bool with bool: a TypeError
    ],
)
@pytest.mark.parametrize("name", list(OPS))
def test_numpy_scalars_are_typed_like_numpy(name, dtype, scalar):
    """NEP 50: only Python scalars are weak. A NumPy scalar has its dtype (np.float64 too, though
    it subclasses Python's float): float32 with np.float64 is float64."""
    a = np.array([1, 2, 0, 4]).astype(dtype)
    op, fn, _, _ = OPS[name]
    want = _reference(name, a, scalar)
    assert_tensor(fn(a, scalar), want)
    assert_tensor(op(cp.Tensor(a), scalar), want)
    assert_tensor(fn(scalar, a), _reference(name, scalar, a))


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_int_division_by_zero(dtype):
    a = np.array([1, -1, 0, 5], dtype=dtype)
    b = np.zeros(4, dtype=dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = a / b
    assert_tensor(cp.divide(a, b), expected)


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t + t,
        lambda t: t - t,
        lambda t: t * t,
        lambda t: t / t,
        lambda t: t + True,
        lambda t: cp.add(t, t),
        lambda t: cp.multiply(t, True),
        lambda t: cp.divide(False, t),
    ],
)
def test_bool_arithmetic_is_type_error(call):
    """Arithmetic is for numeric dtypes (the array API): bool with bool is refused."""
    t = cp.Tensor(np.array([True, False, True]))
    with pytest.raises(TypeError):
        call(t)


@pytest.mark.parametrize("scalar", [1, -7, 2**40, 2.5, -0.0])
@pytest.mark.parametrize("name", list(OPS))
def test_bool_tensor_with_number_scalar_promotes_like_numpy(name, scalar):
    """Bool with a Python int or float: NumPy 2 (NEP 50) gives int64 or float64."""
    a = np.array([True, False, True])
    op, fn, _, _ = OPS[name]
    t = cp.Tensor(a)
    for got, want in (
        (op(t, scalar), _reference(name, a, scalar)),
        (op(scalar, t), _reference(name, scalar, a)),
        (fn(t, scalar), _reference(name, a, scalar)),
    ):
        assert want.dtype in (np.int64, np.float64)
        assert_tensor(got, want)


DTYPE_PAIRS = [
    (da, db)
    for da in [*NUMERIC_DTYPES, "bool"]
    for db in [*NUMERIC_DTYPES, "bool"]
    if (da, db) != ("bool", "bool")  # a TypeError: test_bool_arithmetic_is_type_error
]


@pytest.mark.parametrize(("da", "db"), DTYPE_PAIRS)
@pytest.mark.parametrize("name", list(OPS))
def test_mixed_dtypes_promote_like_numpy(rng, name, da, db):
    """Every pair of dtypes: the result dtype is NumPy's (np.result_type, float64 for int / int)
    and so are the values, with broadcasting."""
    a = random_array(rng, (3, 1, 5), da, full_range=True)
    b = nonzero_array(rng, (4, 1), db) if name == "divide" else random_array(rng, (4, 1), db)
    expected = _reference(name, a, b)
    if name != "divide":
        assert expected.dtype == np.result_type(a.dtype, b.dtype)
    assert_tensor(OPS[name][0](cp.Tensor(a), cp.Tensor(b)), expected)
    assert_tensor(OPS[name][1](a, b), expected)


# --------------------------------------------------------------------------------------------
# out=
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "dtype"), list(_cases()))
def test_out_is_written_and_returned(rng, name, dtype):
    _, fn, _, _ = OPS[name]
    a, b = _operands(rng, name, (3, 1), (1, 40), dtype)
    backing = np.full((3, 40), 99, dtype=dtype)
    out = cp.Tensor(backing)
    result = fn(cp.Tensor(a), cp.Tensor(b), out=out)
    assert result is out
    expected = _reference(name, a, b)
    assert_tensor(out, expected)
    np.testing.assert_array_equal(backing, expected)  # written in place, no copy


@pytest.mark.parametrize("name", list(OPS))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_large_outputs_streamed_past_the_cache(rng, name, dtype):
    """Outputs from 12 MiB on take the non-temporal-store kernels: every mode, an out= buffer off
    vector alignment (a scalar head reaches it), in place, and an odd tail."""
    if name == "divide" and dtype == "int64":
        pytest.skip("int division gives float64: covered by the float cases")
    _, fn, _, _ = OPS[name]
    n = (13 << 20) // np.dtype(dtype).itemsize + 3
    a, b = _operands(rng, name, (n,), (n,), dtype)
    expected = _reference(name, a, b)
    assert_tensor(fn(cp.Tensor(a), cp.Tensor(b)), expected)
    assert_tensor(fn(cp.Tensor(a), b[:1].item()), _reference(name, a, b[:1]))
    assert_tensor(fn(a[:1].item(), cp.Tensor(b)), _reference(name, a[:1], b))
    raw = np.zeros(n * a.itemsize + 64, np.uint8)
    skip = (-raw.ctypes.data) % 64 + a.itemsize  # one element past a 64-byte line
    out_np = raw[skip : skip + n * a.itemsize].view(dtype)
    fn(cp.Tensor(a), cp.Tensor(b), out=cp.Tensor(out_np))
    np.testing.assert_array_equal(out_np, expected)
    ta = cp.Tensor(a.copy())
    fn(ta, cp.Tensor(b), out=ta)
    assert_tensor(ta, expected)


@pytest.mark.parametrize("name", list(OPS))
def test_out_may_alias_an_input(rng, name):
    _, fn, _, _ = OPS[name]
    a, b = _operands(rng, name, (100,), (100,), "float64")
    expected = _reference(name, a, b)
    ta = cp.Tensor(a.copy())
    assert fn(ta, cp.Tensor(b), out=ta) is ta
    assert_tensor(ta, expected)
    tb = cp.Tensor(b.copy())
    assert fn(cp.Tensor(a), tb, out=tb) is tb
    assert_tensor(tb, expected)


def test_out_int_division_needs_float64_out():
    a = np.array([1, 2, 3], dtype=np.int32)
    out = cp.Tensor(np.zeros(3))
    assert cp.divide(a, np.full(3, 2, dtype=np.int32), out=out) is out
    assert_tensor(out, np.array([0.5, 1.0, 1.5]))


def _check_out_rejected(out_backing, exc, *, a_shape=(4,), b_shape=(4,), out_is_tensor=True):
    a = cp.Tensor(np.ones(a_shape, dtype=np.float32))
    b = cp.Tensor(np.ones(b_shape, dtype=np.float32))
    before = out_backing.copy()
    out = cp.Tensor(out_backing) if out_is_tensor else out_backing
    with pytest.raises(exc):
        cp.add(a, b, out=out)
    np.testing.assert_array_equal(out_backing, before)


@pytest.mark.parametrize("out_is_tensor", [True, False], ids=["tensor_out", "numpy_out"])
def test_out_wrong_shape_is_value_error(out_is_tensor):
    kw = {"out_is_tensor": out_is_tensor}
    _check_out_rejected(np.full(5, 7, dtype=np.float32), ValueError, **kw)
    _check_out_rejected(np.full((4, 1), 7, dtype=np.float32), ValueError, **kw)
    _check_out_rejected(np.full((1, 4), 7, dtype=np.float32), ValueError, a_shape=(3, 1), **kw)
    # NumPy would broadcast the result into a larger out; corepy wants exactly the result shape.
    _check_out_rejected(np.full((2, 4), 7, dtype=np.float32), ValueError, **kw)


@pytest.mark.parametrize("out_is_tensor", [True, False], ids=["tensor_out", "numpy_out"])
def test_out_wrong_dtype_is_type_error(out_is_tensor):
    _check_out_rejected(np.full(4, 7, dtype=np.float64), TypeError, out_is_tensor=out_is_tensor)
    _check_out_rejected(np.full(4, 7, dtype=np.int32), TypeError, out_is_tensor=out_is_tensor)


@pytest.mark.parametrize(
    "make_out",
    [
        lambda: np.full((3, 40), 99.0),
        lambda: np.full((40, 3), 99.0).T,  # column-major
        lambda: np.full((6, 80), 99.0)[::-2, 1::2],  # negative and non-unit strides
    ],
    ids=["contiguous", "transposed", "strided"],
)
@pytest.mark.parametrize("name", list(OPS))
def test_out_may_be_a_numpy_array(rng, name, make_out):
    """out= takes any writable buffer of the result's shape and dtype, a NumPy array included:
    written in place (any layout) and returned."""
    _, fn, _, _ = OPS[name]
    a, b = _operands(rng, name, (3, 1), (1, 40), "float64")
    out = make_out()
    result = fn(cp.Tensor(a), b, out=out)
    assert result is out
    np.testing.assert_array_equal(out, _reference(name, a, b))


def test_out_not_a_buffer_is_type_error():
    a = np.ones(2)
    for out in ([0.0, 0.0], (0.0, 0.0), 0.0, "xy", object()):
        with pytest.raises(TypeError):
            cp.add(a, a, out=out)
    np.testing.assert_array_equal(a, np.ones(2))


@pytest.mark.parametrize("out_is_tensor", [True, False], ids=["tensor_out", "numpy_out"])
def test_out_readonly_is_value_error(out_is_tensor):
    backing = np.full(4, 7, dtype=np.float32)
    backing.setflags(write=False)
    _check_out_rejected(backing, ValueError, out_is_tensor=out_is_tensor)


# --------------------------------------------------------------------------------------------
# In-place operators
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "dtype"), list(_cases()))
def test_inplace_operators_write_in_place(rng, name, dtype):
    _, _, iop, _ = OPS[name]
    a, b = _operands(rng, name, (4, 33), (33,), dtype)
    expected = _reference(name, a, b)
    t = cp.Tensor(a)
    same = t
    t = iop(t, cp.Tensor(b))
    assert t is same
    assert_tensor(t, expected)
    np.testing.assert_array_equal(a, expected)  # the wrapped NumPy array was updated


def test_inplace_with_scalars_and_numpy_operands():
    a = np.arange(10, dtype=np.float64)
    t = cp.Tensor(a)
    t += 1
    t *= 2.0
    t -= np.ones(10)
    t /= 4
    np.testing.assert_array_equal(a, ((np.arange(10) + 1) * 2.0 - 1) / 4)
    i = cp.Tensor(np.arange(5, dtype=np.int32))
    i += 3
    i *= -2
    assert_tensor(i, (np.arange(5, dtype=np.int32) + 3) * -2)


def test_inplace_that_would_grow_the_shape_is_value_error():
    a = np.arange(3, dtype=np.float32)
    t = cp.Tensor(a)
    with pytest.raises(ValueError):
        t += np.ones((2, 3), dtype=np.float32)
    np.testing.assert_array_equal(a, np.arange(3, dtype=np.float32))


def test_inplace_dtype_mismatch_is_type_error():
    a = np.arange(3, dtype=np.float32)
    t = cp.Tensor(a)
    with pytest.raises(TypeError):
        t += np.ones(3, dtype=np.float64)
    i = cp.Tensor(np.arange(1, 4, dtype=np.int64))
    with pytest.raises(TypeError):
        i /= 2  # int / int is float64, which cannot be stored back
    with pytest.raises(TypeError):
        i += 0.5
    np.testing.assert_array_equal(a, np.arange(3, dtype=np.float32))
    assert_tensor(i, np.arange(1, 4, dtype=np.int64))


# --------------------------------------------------------------------------------------------
# IEEE special values: like NumPy, and without warnings (pytest turns warnings into errors)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_division_by_zero_gives_inf_and_nan(dtype):
    a = np.array([1.0, -1.0, 0.0, np.inf, np.nan, 2.0, -0.0, 5.0], dtype=dtype)
    b = np.array([0.0, 0.0, 0.0, 0.0, 0.0, -0.0, -0.0, np.inf], dtype=dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = a / b
    got = cp.divide(a, b)
    assert_tensor(got, expected)
    # Signs of zeros and infinities match too (a NaN's sign is not specified).
    ok = ~np.isnan(expected)
    np.testing.assert_array_equal(np.signbit(np.asarray(got))[ok], np.signbit(expected)[ok])
    with np.errstate(divide="ignore", invalid="ignore"):
        assert_tensor(cp.Tensor(a) / 0.0, a / np.dtype(dtype).type(0.0))


@pytest.mark.parametrize("name", list(OPS))
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_special_values(name, dtype):
    specials = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan], dtype=dtype)
    a, b = np.meshgrid(specials, specials)
    a, b = a.ravel(), b.ravel()
    expected = _reference(name, a, b)
    got = OPS[name][1](a, b)
    assert_tensor(got, expected)
    ok = ~np.isnan(expected)
    np.testing.assert_array_equal(np.signbit(np.asarray(got))[ok], np.signbit(expected)[ok])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_overflow_to_inf(dtype):
    big = np.finfo(dtype).max
    a = np.array([big, -big, big], dtype=dtype)
    b = np.array([big, -big, -big], dtype=dtype)
    assert_tensor(cp.add(a, b), _reference("add", a, b))
    assert_tensor(cp.multiply(a, b), _reference("multiply", a, b))


# --------------------------------------------------------------------------------------------
# Property tests against NumPy
# --------------------------------------------------------------------------------------------

FLOAT_ELEMENTS = {
    "float32": st.floats(width=32, allow_nan=False, allow_infinity=False),
    "float64": st.floats(allow_nan=False, allow_infinity=False),
}


@st.composite
def broadcast_operands(draw, dtypes):
    dtype = draw(st.sampled_from(dtypes))
    shapes = draw(
        hnp.mutually_broadcastable_shapes(
            num_shapes=2, min_dims=0, max_dims=4, min_side=0, max_side=7
        )
    )
    if dtype in FLOAT_ELEMENTS:
        elements = FLOAT_ELEMENTS[dtype]
    else:
        elements = st.integers(np.iinfo(dtype).min, np.iinfo(dtype).max)
    a = draw(hnp.arrays(dtype, shapes.input_shapes[0], elements=elements))
    b = draw(hnp.arrays(dtype, shapes.input_shapes[1], elements=elements))
    return a, b


@given(operands=broadcast_operands(FLOAT_DTYPES), name=st.sampled_from(list(OPS)))
def test_property_float_ops_match_numpy(operands, name):
    a, b = operands
    expected = _reference(name, a, b)
    assert_tensor(OPS[name][1](a, b), expected)
    assert_tensor(OPS[name][0](cp.Tensor(a), cp.Tensor(b)), expected)


@given(operands=broadcast_operands(INT_DTYPES), name=st.sampled_from(INT_OPS))
def test_property_int_ops_wrap_like_numpy(operands, name):
    a, b = operands
    assert_tensor(OPS[name][0](cp.Tensor(a), cp.Tensor(b)), _reference(name, a, b))


@given(
    a=hnp.arrays(
        np.float32,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=40),
        elements=st.floats(-1e6, 1e6, width=32),
    ),
    scalar=st.floats(-1e3, 1e3).filter(lambda x: abs(x) > 1e-3),
    name=st.sampled_from(list(OPS)),
    reflected=st.booleans(),
)
def test_property_scalar_ops(a, scalar, name, reflected):
    s = np.float32(scalar)
    op = OPS[name][0]
    if reflected:
        got, expected = op(scalar, cp.Tensor(a)), _reference(name, s, a)
    else:
        got, expected = op(cp.Tensor(a), scalar), _reference(name, a, s)
    assert_tensor(got, expected)


@given(
    a=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, max_side=20),
        elements=st.floats(-1e3, 1e3),
    ),
    data=st.data(),
)
def test_property_strided_views(a, data):
    rows = data.draw(st.sampled_from([1, 2, -1]))
    cols = data.draw(st.sampled_from([1, 3, -2]))
    view = a[::rows, ::cols]
    assert_tensor(cp.Tensor(view) * 3.0 - view, view * 3.0 - view)
