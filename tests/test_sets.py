"""unique_all / unique_counts / unique_inverse / unique_values and isin against NumPy and
array-api-strict: every real dtype, shapes and layouts, NaN (each one distinct), -0.0, ISAs."""

from __future__ import annotations

import array_api_strict as xps
import numpy as np
import pytest
from helpers import REAL_DTYPES
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import corepy as cp

ISAS = cp.config()["available_isas"]


def values(rng, shape, dtype, distinct=12):
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype.startswith("float"):
        x = rng.integers(-distinct, distinct, size=shape).astype(dtype) / 2
        flat = x.reshape(-1)
        if flat.size:
            for v in (np.nan, np.inf, -np.inf, -0.0):
                flat[rng.integers(0, flat.size, size=max(1, flat.size // 25))] = v
        return x
    info = np.iinfo(dtype)
    pool = rng.integers(info.min, info.max, size=distinct, dtype=dtype, endpoint=True)
    return pool[rng.integers(0, distinct, size=shape)]


def check_unique(x):
    v, idx, inv, cnt = np.unique(
        x, return_index=True, return_inverse=True, return_counts=True, equal_nan=False
    )
    inv = inv.reshape(x.shape)
    r = cp.unique_all(x)
    assert type(r).__name__ == "UniqueAllResult"
    assert r._fields == ("values", "indices", "inverse_indices", "counts")
    np.testing.assert_array_equal(np.asarray(r.values), v)
    assert r.values.dtype == x.dtype.name
    np.testing.assert_array_equal(np.asarray(r.indices), idx)
    np.testing.assert_array_equal(np.asarray(r.inverse_indices), inv)
    np.testing.assert_array_equal(np.asarray(r.counts), cnt)
    for t in (r.indices, r.inverse_indices, r.counts):
        assert t.dtype == "int64"
    assert r.inverse_indices.shape == x.shape
    c = cp.unique_counts(x)
    assert c._fields == ("values", "counts")
    np.testing.assert_array_equal(np.asarray(c.values), v)
    np.testing.assert_array_equal(np.asarray(c.counts), cnt)
    i = cp.unique_inverse(x)
    assert i._fields == ("values", "inverse_indices")
    np.testing.assert_array_equal(np.asarray(i.values), v)
    np.testing.assert_array_equal(np.asarray(i.inverse_indices), inv)
    np.testing.assert_array_equal(np.asarray(cp.unique_values(x)), v)
    # the inverse rebuilds x
    np.testing.assert_array_equal(np.asarray(r.values)[np.asarray(r.inverse_indices)], x)


@pytest.mark.parametrize("dtype", REAL_DTYPES)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (1000,), (13, 17), (3, 4, 5), ()])
def test_unique_matches_numpy(rng, dtype, shape):
    check_unique(values(rng, shape, dtype))


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", ["int16", "int64", "float32", "float64"])
def test_unique_large_every_isa(rng, isa, threads, dtype):
    cp.set_isa(isa)
    cp.set_num_threads(threads)
    check_unique(values(rng, 100_000, dtype, distinct=5000))
    check_unique(values(rng, 20_000, dtype, distinct=20_000))


def test_each_nan_distinct_and_signed_zero():
    x = np.array([np.nan, 0.0, -np.nan, -0.0, np.nan, 1.0])
    r = cp.unique_all(x)
    got = np.asarray(r.values)
    np.testing.assert_array_equal(got[:2], [0.0, 1.0])
    assert np.isnan(got[2:]).all() and got.size == 5
    np.testing.assert_array_equal(np.asarray(r.counts), [2, 1, 1, 1, 1])
    np.testing.assert_array_equal(np.asarray(r.indices), [1, 5, 0, 2, 4])


def test_layouts(rng):
    base = values(rng, (40, 60), "int32")
    for v in (base.T, base[::3, ::-2], np.broadcast_to(base[:1], (5, 60))):
        check_unique(v)
    t = cp.asarray(base)
    r = cp.unique_inverse(t.T)
    np.testing.assert_array_equal(
        np.asarray(r.inverse_indices), np.unique(base.T, return_inverse=True)[1].reshape(60, 40)
    )


def test_against_array_api_strict(rng):
    x = values(rng, (9, 11), "float64")
    want = xps.unique_all(xps.asarray(x))
    got = cp.unique_all(x)
    for w, g in zip(want, got, strict=True):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


def test_unique_bad_inputs():
    for f in (cp.unique_values, cp.unique_all, cp.unique_counts, cp.unique_inverse):
        with pytest.raises(TypeError):
            f(np.array([1 + 1j, 2j]))


@given(
    hnp.arrays(
        dtype=st.sampled_from(["int8", "uint64", "float32", "float64", "bool"]),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=30),
    )
)
def test_unique_hypothesis(x):
    check_unique(x)


# ---------------------------------------------------------------------------- isin


@pytest.mark.parametrize("dtype", REAL_DTYPES)
def test_isin_matches_numpy(rng, dtype):
    x1 = values(rng, (31, 7), dtype, distinct=20)
    x2 = values(rng, 15, dtype, distinct=20)
    for invert in (False, True):
        got = cp.isin(x1, x2, invert=invert)
        assert got.dtype == "bool" and got.shape == x1.shape
        np.testing.assert_array_equal(np.asarray(got), np.isin(x1, x2, invert=invert))


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("threads", [1, 2])
def test_isin_large(rng, isa, threads):
    cp.set_isa(isa)
    cp.set_num_threads(threads)
    x1 = rng.integers(0, 1 << 20, size=200_000)
    x2 = rng.integers(0, 1 << 20, size=50_000)
    np.testing.assert_array_equal(np.asarray(cp.isin(x1, x2)), np.isin(x1, x2))
    f1, f2 = x1.astype("float32") / 7, x2.astype("float32") / 7
    np.testing.assert_array_equal(np.asarray(cp.isin(f1, f2)), np.isin(f1, f2))


def test_isin_nan_zero_promotion_scalars():
    x1 = np.array([np.nan, -0.0, 1.0, 2.5])
    np.testing.assert_array_equal(
        np.asarray(cp.isin(x1, np.array([np.nan, 0.0, 2.5]))), [0, 1, 0, 1]
    )
    # mixed dtypes compare in the promoted dtype, as equal() does
    np.testing.assert_array_equal(
        np.asarray(cp.isin(np.array([1, 2, 3], dtype="int8"), np.array([2.0, 3.5]))), [0, 1, 0]
    )
    np.testing.assert_array_equal(
        np.asarray(
            cp.isin(np.array([1, 2, 300], dtype="int16"), np.array([44, 300], dtype="int64"))
        ),
        [0, 0, 1],
    )
    r = cp.isin(2, np.array([1, 2]))
    assert r.shape == () and bool(r)
    np.testing.assert_array_equal(np.asarray(cp.isin(np.array([1, 2]), 2)), [0, 1])
    np.testing.assert_array_equal(
        np.asarray(cp.isin(np.array([], dtype="int64"), np.array([1]))), []
    )
    np.testing.assert_array_equal(
        np.asarray(cp.isin(np.array([1]), np.array([], dtype="int64"))), [0]
    )
    want = xps.isin(xps.asarray([1, 2, 3]), xps.asarray([3, 1]))
    np.testing.assert_array_equal(
        np.asarray(cp.isin(np.array([1, 2, 3]), np.array([3, 1]))), np.asarray(want)
    )


def test_isin_bad_inputs():
    with pytest.raises(TypeError):
        cp.isin(np.array([1j]), np.array([1j]))
    with pytest.raises(TypeError):
        cp.isin(np.array([1]), np.array([1]), invert=1)
    with pytest.raises(TypeError):
        cp.isin(np.array([1]), np.array([1]), False)
