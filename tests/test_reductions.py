"""sum/mean/all/any: whole-tensor (0-d Tensors), per-axis, empty inputs, accuracy.

The rest of the standard's statistical functions: tests/test_reductions_api.py.
"""

from __future__ import annotations

import math
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from helpers import DTYPES, EDGE_SIZES, FLOAT_DTYPES, assert_tensor, random_array
from hypothesis import given
from hypothesis import strategies as st

import corepy as cp

REDUCTIONS = ["sum", "mean", "all", "any"]
SIZES = [*EDGE_SIZES, 4096, 4097, 100_003]

# dtype of a per-axis result, by reduction and input dtype
AXIS_RESULT_DTYPE = {
    "sum": {
        "float32": "float32",
        "float64": "float64",
        "int32": "int64",
        "int64": "int64",
        "bool": "int64",
    },
    # mean takes floating-point input only (the standard; array-api-strict raises TypeError)
    "mean": {"float32": "float32", "float64": "float64"},
    "all": dict.fromkeys(DTYPES, "bool"),
    "any": dict.fromkeys(DTYPES, "bool"),
}


def np_reduce(name, a, axis=None):
    """NumPy's answer; empty means warn in NumPy, so warnings are silenced on this side only."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return getattr(np, name)(a, axis=axis)


def assert_reduced(name, dtype, got, expected):
    """Exact, except mean, whose final division may round either way (sum / n vs sum * (1/n))."""
    expected = np.asarray(expected)
    if name == "mean":
        rtol = 1e-6 if dtype == "float32" else 1e-12
        assert_tensor(got, expected, rtol=rtol, atol=1e-12)
    else:
        assert_tensor(got, expected)


def cp_reduce(name, x, axis=None, *, method=False):
    if method:
        return getattr(x, name)(axis=axis)
    return getattr(cp, name)(x, axis=axis)


# --------------------------------------------------------------------------------------------
# axis=None: 0-d Tensors of the right dtype
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_sum_whole_tensor(rng, dtype, size):
    # Small integer values: every partial sum is exact, so any summation order gives NumPy's answer.
    a = random_array(rng, (size,), dtype)
    t = cp.Tensor(a)
    got = cp.sum(t)
    want = np_reduce("sum", a)
    assert isinstance(got, cp.Tensor) and got.shape == ()
    assert got.dtype == want.dtype
    assert got.tolist() == want.item()
    assert t.sum().tolist() == got.tolist()
    assert cp.sum(a).tolist() == got.tolist()  # a NumPy array directly


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_mean_whole_tensor(rng, dtype, size):
    a = random_array(rng, (size,), dtype)
    if dtype not in FLOAT_DTYPES:
        with pytest.raises(TypeError):
            cp.mean(cp.Tensor(a))
        return
    got = cp.mean(cp.Tensor(a))
    assert got.shape == () and got.dtype == dtype
    if size == 0:
        assert math.isnan(float(got))
        return
    want = math.fsum(a.astype(np.float64).tolist()) / size
    rtol = 1e-6 if dtype == "float32" else 1e-12
    assert float(got) == pytest.approx(want, rel=rtol, abs=1e-12)
    assert float(cp.Tensor(a).mean()) == float(got)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_all_any_whole_tensor(rng, dtype, size):
    a = random_array(rng, (size,), dtype)
    t = cp.Tensor(a)
    for name in ("all", "any"):
        got = cp_reduce(name, t)
        assert got.shape == () and got.dtype == "bool"
        assert bool(got) is bool(np_reduce(name, a))
        assert bool(cp_reduce(name, t, method=True)) is bool(got)


def test_int32_sum_accumulates_in_int64():
    a = np.full(4, 2**31 - 1, dtype=np.int32)
    assert int(cp.sum(a)) == 4 * (2**31 - 1) == int(np.sum(a))


def test_int64_sum_wraps_like_numpy():
    a = np.array([2**62, 2**62], dtype=np.int64)
    assert int(cp.sum(a)) == int(np.sum(a)) == -(2**63)


def test_bool_sum_counts_true():
    a = np.zeros(1001, dtype=bool)
    a[::3] = True
    got = cp.sum(a)
    assert got.dtype == "int64"
    assert int(got) == 334


# --------------------------------------------------------------------------------------------
# Empty inputs follow NumPy, without warnings
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(0,), (0, 3), (4, 0)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_empty_whole_tensor(dtype, shape):
    t = cp.Tensor(np.zeros(shape, dtype=dtype))
    total = cp.sum(t)
    assert total.tolist() == 0
    assert total.dtype == np.sum(np.zeros(shape, dtype=dtype)).dtype
    assert bool(cp.all(t)) is True
    assert bool(cp.any(t)) is False
    if dtype in FLOAT_DTYPES:
        mean = cp.mean(t)
        assert mean.dtype == dtype
        assert math.isnan(float(mean))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("shape", "axis"), [((0, 3), 0), ((0, 3), 1), ((3, 0), 0), ((3, 0), 1)])
def test_empty_along_axis(dtype, shape, axis):
    a = np.zeros(shape, dtype=dtype)
    t = cp.Tensor(a)
    for name in REDUCTIONS:
        if dtype not in AXIS_RESULT_DTYPE[name]:
            continue
        expected = np_reduce(name, a, axis=axis).astype(AXIS_RESULT_DTYPE[name][dtype])
        assert_reduced(name, dtype, cp_reduce(name, t, axis), expected)


# --------------------------------------------------------------------------------------------
# Per-axis reductions return Tensors
# --------------------------------------------------------------------------------------------

AXIS_SHAPES = [(7,), (3, 4, 5), (1, 17), (17, 33), (2, 1, 65), (65, 3), (4, 1025)]


def _axes(shape):
    n = len(shape)
    return list(range(n)) + list(range(-n, 0))


@pytest.mark.parametrize("shape", AXIS_SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduce_along_axis(rng, name, dtype, shape):
    a = random_array(rng, shape, dtype)
    t = cp.Tensor(a)
    if dtype not in AXIS_RESULT_DTYPE[name]:
        with pytest.raises(TypeError):
            cp_reduce(name, t, 0)
        return
    for axis in _axes(shape):
        expected = np.asarray(np_reduce(name, a, axis=axis))
        assert expected.dtype.name == AXIS_RESULT_DTYPE[name][dtype]
        got = cp_reduce(name, t, axis)
        assert_reduced(name, dtype, got, expected)
        method = cp_reduce(name, t, axis, method=True)
        assert_tensor(method, np.asarray(got))


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduce_along_axis_of_strided_input(rng, name):
    a = random_array(rng, (9, 40), "float64")[::2, ::-3]
    for axis in (0, 1):
        assert_reduced(name, "float64", cp_reduce(name, a, axis), np_reduce(name, a, axis=axis))


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduce_1d_along_axis_gives_zero_dim_tensor(name):
    a = np.array([1.0, 0.0, 3.0])
    got = cp_reduce(name, cp.Tensor(a), 0)
    assert isinstance(got, cp.Tensor)
    assert got.shape == ()
    assert_reduced(name, "float64", got, np_reduce(name, a, axis=0))


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize(
    ("shape", "axis"), [((3,), 1), ((3,), -2), ((2, 3), 2), ((2, 3), -3), ((), 0), ((2, 3, 4), 3)]
)
def test_axis_out_of_range_is_axis_error(name, shape, axis):
    """corepy.AxisError, like NumPy's: both a ValueError and an IndexError."""
    assert issubclass(cp.AxisError, ValueError) and issubclass(cp.AxisError, IndexError)
    t = cp.Tensor(np.ones(shape, dtype=np.float32))
    with pytest.raises(cp.AxisError) as info:
        cp_reduce(name, t, axis)
    assert str(axis) in str(info.value)
    with pytest.raises(cp.AxisError):
        cp_reduce(name, t, axis, method=True)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_axis_of_wrong_type_is_type_error(name):
    t = cp.Tensor(np.ones((2, 3), dtype=np.float32))
    with pytest.raises(TypeError):
        cp_reduce(name, t, 1.5)
    with pytest.raises(TypeError):
        cp_reduce(name, t, "0")


# --------------------------------------------------------------------------------------------
# Truthiness: NaN is true, -0.0 is false; one odd element anywhere is found
# --------------------------------------------------------------------------------------------

FALSY = {"float32": -0.0, "float64": -0.0, "int32": 0, "int64": 0, "bool": False}
TRUTHY = {
    "float32": [np.nan, 1e-40, -np.inf],  # NaN, a subnormal, -inf
    "float64": [np.nan, 5e-324, -np.inf],
    "int32": [-(2**31), 1, -1],  # INT_MIN has only the sign bit set
    "int64": [-(2**63), 1, -1],
    "bool": [True],
}


def _positions(size):
    return sorted({0, size // 2, size - 1, max(size - 8, 0)})


@pytest.mark.parametrize("size", [s for s in EDGE_SIZES if s > 0])
@pytest.mark.parametrize("dtype", DTYPES)
def test_any_finds_one_truthy_element(dtype, size):
    for value in TRUTHY[dtype]:
        for pos in _positions(size):
            a = np.full(size, FALSY[dtype], dtype=dtype)
            assert bool(cp.any(a)) is False
            a[pos] = value
            assert bool(cp.any(a)) is True, (value, pos)
            assert bool(cp.all(a)) is (size == 1), (value, pos)


@pytest.mark.parametrize("size", [s for s in EDGE_SIZES if s > 0])
@pytest.mark.parametrize("dtype", DTYPES)
def test_all_finds_one_falsy_element(dtype, size):
    for value in TRUTHY[dtype]:
        for pos in _positions(size):
            a = np.full(size, value, dtype=dtype)
            assert bool(cp.all(a)) is True
            a[pos] = FALSY[dtype]
            assert bool(cp.all(a)) is False, (value, pos)
            assert bool(cp.any(a)) is (size > 1), (value, pos)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_nan_and_negative_zero(dtype):
    assert bool(cp.all(np.array([np.nan, np.nan], dtype=dtype))) is True
    assert bool(cp.any(np.array([np.nan], dtype=dtype))) is True
    assert bool(cp.any(np.array([-0.0, 0.0, -0.0], dtype=dtype))) is False
    assert bool(cp.all(np.array([1.0, -0.0], dtype=dtype))) is False
    a = np.array([[np.nan, -0.0], [-0.0, -0.0], [1.0, np.nan]], dtype=dtype)
    for axis in (0, 1):
        assert_tensor(cp.all(a, axis=axis), np.all(a, axis=axis))
        assert_tensor(cp.any(a, axis=axis), np.any(a, axis=axis))


# --------------------------------------------------------------------------------------------
# Accuracy
# --------------------------------------------------------------------------------------------


def test_float32_sum_of_twenty_million_ones_is_exact():
    # Sequential float32 accumulation stalls at 2**24 = 16_777_216.
    a = np.ones(20_000_000, dtype=np.float32)
    assert float(cp.sum(a)) == 20_000_000.0
    assert float(cp.mean(a)) == 1.0


def test_float32_sum_error_no_worse_than_numpy(rng):
    a = rng.random(1_000_000, dtype=np.float32)
    exact = math.fsum(a.astype(np.float64).tolist())
    err_numpy = abs(float(np.sum(a)) - exact)
    err_corepy = abs(float(cp.sum(a)) - exact)
    # Allow a couple of float32 ulps of the answer: the final rounding alone costs half of one.
    ulp = float(np.spacing(np.float32(exact)))
    assert err_corepy <= max(2 * err_numpy, 2 * ulp), (err_corepy, err_numpy, ulp)


def test_float32_sum_with_cancellation(rng):
    a = (rng.standard_normal(1_000_003) * 1e3).astype(np.float32)
    exact = math.fsum(a.astype(np.float64).tolist())
    bound = 1e-6 * float(np.abs(a.astype(np.float64)).sum())
    assert abs(float(cp.sum(a)) - exact) <= bound


def test_float64_sum_accuracy(rng):
    a = rng.standard_normal(1_000_003)
    exact = math.fsum(a.tolist())
    bound = 1e-14 * float(np.abs(a).sum())
    assert abs(float(cp.sum(a)) - exact) <= bound


@given(
    a=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=9),
        elements=st.integers(-1000, 1000).map(float),
    ),
    data=st.data(),
)
def test_property_sum_matches_numpy_exactly_on_integral_values(a, data):
    assert float(cp.sum(a)) == float(np.sum(a))
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    assert_tensor(cp.sum(a, axis=axis), np.sum(a, axis=axis))
    assert_tensor(cp.any(a, axis=axis), np.any(a, axis=axis))
    assert_tensor(cp.all(a, axis=axis), np.all(a, axis=axis))
