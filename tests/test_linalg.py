"""dot and matmul against NumPy: shapes, layouts, dtypes, zero-sized dims, errors."""

from __future__ import annotations

import math

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from helpers import FLOAT_DTYPES, INT_DTYPES, assert_tensor, random_reals, shape_str
from hypothesis import given
from hypothesis import strategies as st

import corepy as cp

SIDES = [1, 7, 8, 15, 16, 17, 33, 65]


def small_ints(rng, shape, dtype):
    """Integers in [-4, 4]: every product and partial sum is exact, so results must match NumPy
    exactly whatever the blocking or accumulation order."""
    return rng.integers(-4, 5, size=shape).astype(dtype)


# --------------------------------------------------------------------------------------------
# dot
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 1023, 1025, 100_003])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_dot_exact_on_integral_values(rng, dtype, n):
    a, b = small_ints(rng, (n,), dtype), small_ints(rng, (n,), dtype)
    got = cp.dot(cp.Tensor(a), cp.Tensor(b))
    assert type(got) is float
    assert got == float(np.dot(a.astype(np.float64), b.astype(np.float64)))
    assert cp.dot(a, b) == got  # NumPy arrays directly


@pytest.mark.parametrize("n", [1000, 100_000, 1_000_000])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_dot_accuracy(rng, dtype, n):
    a, b = random_reals(rng, (n,), dtype), random_reals(rng, (n,), dtype)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    exact = math.fsum((a64 * b64).tolist())
    scale = float(np.abs(a64 * b64).sum())
    tol = (1e-5 if dtype == "float32" else 1e-13) * scale
    assert abs(cp.dot(a, b) - exact) <= tol


def test_dot_strided_inputs(rng):
    a = small_ints(rng, (300,), "float32")
    b = small_ints(rng, (200,), "float32")
    got = cp.dot(a[::3], b[::-2])
    assert got == float(np.dot(a[::3].astype(np.float64), b[::-2].astype(np.float64)))


@pytest.mark.parametrize(("na", "nb"), [(3, 4), (0, 1), (17, 16)])
def test_dot_length_mismatch_names_both_shapes(na, nb):
    with pytest.raises(ValueError) as info:
        cp.dot(np.ones(na, dtype=np.float32), np.ones(nb, dtype=np.float32))
    assert shape_str((na,)) in str(info.value)
    assert shape_str((nb,)) in str(info.value)


@pytest.mark.parametrize(("sa", "sb"), [((2, 2), (2, 2)), ((4,), (1, 4)), ((), (3,)), ((3,), ())])
def test_dot_needs_1d(sa, sb):
    with pytest.raises(ValueError) as info:
        cp.dot(np.ones(sa), np.ones(sb))
    assert shape_str(sa) in str(info.value)
    assert shape_str(sb) in str(info.value)


@pytest.mark.parametrize("dtype", [*INT_DTYPES, "bool"])
def test_dot_of_non_floats_is_type_error(dtype):
    with pytest.raises(TypeError):
        cp.dot(np.ones(4, dtype=dtype), np.ones(4, dtype=dtype))


@pytest.mark.parametrize(
    ("da", "db"),
    [("float32", "float64"), ("float64", "float32"), ("int32", "float64"), ("float32", "int32")],
)
def test_dot_mixed_dtypes_promote(da, db):
    """Mixed dtypes promote like NumPy (float32 with float64 or int32 is float64) before the
    product: 1 + 2**-30 is lost in float32, kept in float64."""
    a = np.array([1, 3, -2, 1], dtype=da)
    b = np.array([1 + 2**-30, 2, 5, 2**-30]) if db.startswith("float") else np.array([1, 2, 5, 1])
    b = b.astype(db)
    rt = np.result_type(a.dtype, b.dtype)
    assert rt == np.float64
    want = float(np.dot(a.astype(rt), b.astype(rt)))
    assert cp.dot(a, b) == want
    assert cp.dot(cp.Tensor(a), cp.Tensor(b)) == want
    if da == "float32" and db == "float64":
        assert want != float(np.dot(a, b.astype(np.float32)))  # the case tells the two apart


# --------------------------------------------------------------------------------------------
# matmul: 2-D and 1-D rules
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("k", SIDES)
@pytest.mark.parametrize("n", SIDES)
@pytest.mark.parametrize("m", [1, 8, 17, 33])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_matmul_2d_shapes_exact(rng, dtype, m, n, k):
    a, b = small_ints(rng, (m, k), dtype), small_ints(rng, (k, n), dtype)
    expected = a @ b
    got = cp.matmul(cp.Tensor(a), cp.Tensor(b))
    assert_tensor(got, expected)
    assert_tensor(cp.Tensor(a) @ cp.Tensor(b), expected)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("k", [1, 16, 17, 65])
def test_matmul_1d_rules(rng, dtype, k):
    a2, b2 = small_ints(rng, (9, k), dtype), small_ints(rng, (k, 13), dtype)
    v, w = small_ints(rng, (k,), dtype), small_ints(rng, (k,), dtype)
    # (k,) @ (k, n) -> (n,)
    assert_tensor(cp.matmul(v, b2), v @ b2)
    # (m, k) @ (k,) -> (m,)
    assert_tensor(cp.matmul(a2, w), a2 @ w)
    # (k,) @ (k,) -> a 0-d tensor (the standard; NumPy gives its 0-d scalar)
    got = cp.matmul(v, w)
    assert isinstance(got, cp.Tensor) and got.shape == () and got.dtype == dtype
    assert float(got) == float(v @ w)
    got_op = cp.Tensor(v) @ cp.Tensor(w)
    assert got_op.shape == () and float(got_op) == float(got)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(
    ("sa", "sb"),
    [
        ((0, 3), (3, 4)),
        ((2, 0), (0, 3)),
        ((3, 4), (4, 0)),
        ((0, 0), (0, 0)),
        ((0,), (0, 5)),
        ((4, 0), (0,)),
    ],
)
def test_matmul_zero_sized(dtype, sa, sb):
    a = np.full(sa, 3, dtype=dtype)
    b = np.full(sb, 5, dtype=dtype)
    expected = a @ b
    got = cp.matmul(a, b)
    assert_tensor(got, expected)
    if 0 not in expected.shape:  # (2,0)@(0,3): k == 0 gives zeros, not garbage
        assert not np.asarray(got).any()


def test_matmul_zero_length_vectors():
    assert cp.matmul(np.ones(0), np.ones(0)) == 0.0


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_matmul_transposed_and_strided_operands(rng, dtype):
    a = small_ints(rng, (17, 33), dtype)
    b = small_ints(rng, (15, 17), dtype)
    c = small_ints(rng, (40, 70), dtype)
    # a.T is Fortran-ordered, b.T too; pass NumPy views directly and as Tensors.
    assert_tensor(cp.matmul(a.T, b.T), a.T @ b.T)
    assert_tensor(cp.matmul(b, a), b @ a)
    assert_tensor(cp.Tensor(b) @ a, b @ a)
    view = c[::2, 1::3][:17, :16]
    assert_tensor(cp.matmul(view.T, a), view.T @ a)
    assert_tensor(cp.matmul(a[::-1], c[:33, ::-4]), a[::-1] @ c[:33, ::-4])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("n", [64, 129, 256])
def test_matmul_accuracy_random_reals(rng, dtype, n):
    a, b = random_reals(rng, (n, n + 3), dtype), random_reals(rng, (n + 3, n - 5), dtype)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    got = cp.matmul(a, b)
    assert got.dtype == dtype
    atol = (2e-5 if dtype == "float32" else 1e-13) * (n + 3)
    np.testing.assert_allclose(np.asarray(got), ref, rtol=0, atol=atol)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(
    ("sa", "sb"),
    [
        ((2, 3, 4), (2, 4, 5)),
        ((2, 3, 4), (4, 5)),
        ((3, 4), (2, 4, 5)),
        ((2, 1, 3, 4), (5, 4, 6)),
        ((2, 3, 4), (4,)),
        ((4,), (2, 4, 5)),
        ((1, 3, 4), (7, 4, 2)),
        ((0, 3, 4), (4, 5)),
    ],
)
def test_matmul_batched(rng, dtype, sa, sb):
    a, b = small_ints(rng, sa, dtype), small_ints(rng, sb, dtype)
    assert_tensor(cp.matmul(a, b), a @ b)
    assert_tensor(cp.Tensor(a) @ cp.Tensor(b), a @ b)


@pytest.mark.parametrize(
    ("sa", "sb"),
    [((2, 3), (4, 5)), ((3,), (4,)), ((5,), (4, 5)), ((2, 3), (2,)), ((2, 3, 4), (3, 4, 5))],
)
def test_matmul_shape_mismatch_names_both_shapes(sa, sb):
    a, b = np.ones(sa, dtype=np.float32), np.ones(sb, dtype=np.float32)
    for call in (lambda: cp.matmul(a, b), lambda: cp.Tensor(a) @ cp.Tensor(b)):
        with pytest.raises(ValueError) as info:
            call()
        assert shape_str(sa) in str(info.value)
        assert shape_str(sb) in str(info.value)


def test_matmul_zero_dim_operand_is_value_error():
    with pytest.raises(ValueError):
        cp.matmul(np.ones(()), np.ones((2, 2)))
    with pytest.raises(ValueError):
        cp.matmul(np.ones(3), cp.Tensor(1.0))


@pytest.mark.parametrize("dtype", ["bool"])
def test_matmul_of_non_numeric_is_type_error(dtype):
    """bool is not numeric (integers and complex multiply: tests/test_matmul_dtypes.py)."""
    a = np.ones((2, 2), dtype=dtype)
    with pytest.raises(TypeError):
        cp.matmul(a, a)
    with pytest.raises(TypeError):
        cp.Tensor(a) @ cp.Tensor(a)


@pytest.mark.parametrize(("da", "db"), [("float32", "float64"), ("float64", "float32")])
def test_matmul_mixed_dtypes_promote(rng, da, db):
    """float32 @ float64 is float64 (the array API's table), computed in float64: the 2**-30 parts
    survive (every product and sum here is exact in float64, so any order gives NumPy's answer)."""
    a = small_ints(rng, (5, 17), da) + (2**-30 if da == "float64" else 0)
    b = small_ints(rng, (17, 3), db) + (2**-30 if db == "float64" else 0)
    a, b = a.astype(da), b.astype(db)
    expected = a @ b
    assert expected.dtype == np.float64
    assert_tensor(cp.Tensor(a) @ cp.Tensor(b), expected)
    assert_tensor(cp.matmul(a, b), expected)
    assert_tensor(cp.matmul(a[0], b), a[0] @ b)  # 1-D rules too


def test_matmul_leaves_inputs_alone(rng):
    a, b = small_ints(rng, (5, 6), "float64"), small_ints(rng, (6, 7), "float64")
    a0, b0 = a.copy(), b.copy()
    cp.matmul(a, b)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)


@given(
    dims=st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)),
    transpose=st.tuples(st.booleans(), st.booleans()),
    dtype=st.sampled_from(FLOAT_DTYPES),
    data=st.data(),
)
def test_property_matmul_matches_numpy(dims, transpose, dtype, data):
    m, n, k = dims
    ints = st.integers(-8, 8).map(float)
    shape_a = (k, m) if transpose[0] else (m, k)
    shape_b = (n, k) if transpose[1] else (k, n)
    a = data.draw(hnp.arrays(dtype, shape_a, elements=ints))
    b = data.draw(hnp.arrays(dtype, shape_b, elements=ints))
    a = a.T if transpose[0] else a
    b = b.T if transpose[1] else b
    assert_tensor(cp.matmul(a, b), a @ b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(
    ("m", "k"), [(5, 63), (33, 64), (130, 65), (1000, 1000), (17, 1025), (9, 4100)]
)
def test_matrix_vector_with_column_major_matrix(rng, dtype, m, k):
    """`a.T @ v` and `v @ a` read the matrix by columns: column blocks with partial sums, the same
    answer for any thread count."""
    a = random_reals(rng, (k, m), dtype)  # a.T is (m, k), column-major
    v = random_reals(rng, (k,), dtype)
    w = random_reals(rng, (k,), dtype)
    ref_t = a.T.astype(np.float64) @ v.astype(np.float64)
    ref_l = w.astype(np.float64) @ a.astype(np.float64)
    tol = (3e-6 if dtype == "float32" else 1e-14) * k
    got = {}
    for threads in (1, 2):
        cp.set_num_threads(threads)
        got[threads] = (np.asarray(cp.matmul(a.T, v)), np.asarray(cp.matmul(w, a)))
    cp.set_num_threads(2)
    np.testing.assert_allclose(got[1][0], ref_t, rtol=0, atol=tol)
    np.testing.assert_allclose(got[1][1], ref_l, rtol=0, atol=tol)
    np.testing.assert_array_equal(got[1][0], got[2][0])
    np.testing.assert_array_equal(got[1][1], got[2][1])
