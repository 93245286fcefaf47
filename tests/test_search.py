"""searchsorted (side, sorter) and nonzero against NumPy and array-api-strict."""

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


def values(rng, shape, dtype):
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype.startswith("float"):
        x = (rng.integers(-20, 20, size=shape) / 2).astype(dtype)
        flat = x.reshape(-1)
        if flat.size:
            flat[rng.integers(0, flat.size, size=max(1, flat.size // 10))] = np.nan
            flat[rng.integers(0, flat.size, size=max(1, flat.size // 10))] = -0.0
        return x
    info = np.iinfo(dtype)
    pool = rng.integers(info.min, info.max, size=25, dtype=dtype, endpoint=True)
    return pool[rng.integers(0, 25, size=shape)]


@pytest.mark.parametrize("dtype", REAL_DTYPES)
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted_matches_numpy(rng, dtype, side):
    x1 = np.sort(values(rng, 200, dtype))
    x2 = values(rng, (7, 9), dtype)
    got = cp.searchsorted(x1, x2, side=side)
    assert got.dtype == "int64" and got.shape == x2.shape
    np.testing.assert_array_equal(np.asarray(got), np.searchsorted(x1, x2, side=side))


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted_sorter_large(rng, isa, threads, side):
    cp.set_isa(isa)
    cp.set_num_threads(threads)
    x1 = values(rng, 100_000, "float64")
    sorter = np.argsort(x1, kind="stable")
    x2 = values(rng, 50_000, "float64")
    got = cp.searchsorted(x1, x2, side=side, sorter=sorter)
    np.testing.assert_array_equal(
        np.asarray(got), np.searchsorted(x1, x2, side=side, sorter=sorter)
    )
    got = cp.searchsorted(x1, x2, side=side, sorter=cp.argsort(x1))
    np.testing.assert_array_equal(
        np.asarray(got), np.searchsorted(x1, x2, side=side, sorter=sorter)
    )


def test_searchsorted_edges():
    x1 = np.array([1.0, 2.0, 2.0, np.inf, np.nan])
    for side in ("left", "right"):
        for x2 in (np.array([np.nan, -np.inf, 2.0, -0.0, np.inf]), np.array([]), 2.0):
            want = np.searchsorted(x1, x2, side=side)
            got = cp.searchsorted(x1, x2, side=side)
            np.testing.assert_array_equal(np.asarray(got), want)
            assert got.shape == np.shape(want)
    assert np.asarray(cp.searchsorted(np.array([], dtype="int64"), np.array([1, 2]))).tolist() == [
        0,
        0,
    ]
    # mixed dtypes: compared in the promoted dtype
    np.testing.assert_array_equal(
        np.asarray(cp.searchsorted(np.array([1, 2, 3], dtype="int8"), np.array([1.5, 2.0]))), [1, 1]
    )
    want = xps.searchsorted(xps.asarray([1, 3, 5]), xps.asarray([0, 3, 6]), side="right")
    got = cp.searchsorted(np.array([1, 3, 5]), np.array([0, 3, 6]), side="right")
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    # strided / transposed inputs
    base = np.arange(40.0)
    np.testing.assert_array_equal(
        np.asarray(cp.searchsorted(base[::3], base.reshape(5, 8).T)),
        np.searchsorted(base[::3], base.reshape(5, 8).T),
    )


def test_searchsorted_bad_inputs():
    x1 = np.array([1, 2, 3])
    with pytest.raises(ValueError):
        cp.searchsorted(np.ones((2, 2)), x1)
    with pytest.raises(ValueError):
        cp.searchsorted(x1, x1, side="middle")
    with pytest.raises(IndexError):
        cp.searchsorted(x1, x1, sorter=np.array([0, 1, 3]))
    with pytest.raises(IndexError):
        cp.searchsorted(x1, x1, sorter=np.array([0, -1, 2]))
    with pytest.raises(ValueError):
        cp.searchsorted(x1, x1, sorter=np.array([0, 1]))
    with pytest.raises(TypeError):
        cp.searchsorted(x1, x1, sorter=np.array([0.0, 1.0, 2.0]))
    with pytest.raises(TypeError):
        cp.searchsorted(np.array([1j]), np.array([1j]))
    with pytest.raises(TypeError):
        cp.searchsorted(x1, x1, "left")  # side is keyword-only


@given(
    hnp.arrays(dtype=st.sampled_from(["int16", "float32", "uint8"]), shape=st.integers(0, 50)),
    hnp.arrays(
        dtype=st.sampled_from(["int16", "float32", "uint8"]),
        shape=hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=6),
    ),
    st.sampled_from(["left", "right"]),
)
def test_searchsorted_hypothesis(x1, x2, side):
    x1 = np.sort(x1)
    dt = np.result_type(x1, x2)
    want = np.searchsorted(x1.astype(dt), x2.astype(dt), side=side)
    np.testing.assert_array_equal(np.asarray(cp.searchsorted(x1, x2, side=side)), want)


# ---------------------------------------------------------------------------- nonzero


@pytest.mark.parametrize("dtype", [*REAL_DTYPES, "complex64", "complex128"])
@pytest.mark.parametrize("shape", [(0,), (1,), (50,), (6, 7), (3, 4, 5), (2, 0, 3)])
def test_nonzero_matches_numpy(rng, dtype, shape):
    if dtype.startswith("complex"):
        x = (rng.integers(0, 2, size=shape) + 1j * rng.integers(0, 2, size=shape)).astype(dtype)
    else:
        x = values(rng, shape, dtype)
        if x.size and dtype != "bool":
            x.reshape(-1)[::3] = 0
    got = cp.nonzero(x)
    want = np.nonzero(x)
    assert isinstance(got, tuple) and len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == "int64"
        np.testing.assert_array_equal(np.asarray(g), w)


def test_nonzero_layouts_and_specials():
    base = np.arange(30.0).reshape(5, 6) % 4
    for v in (base.T, base[::2, ::-1], cp.asarray(base).T):
        want = np.nonzero(np.asarray(v))
        for g, w in zip(cp.nonzero(v), want, strict=True):
            np.testing.assert_array_equal(np.asarray(g), w)
    got = cp.nonzero(np.array([0.0, -0.0, np.nan, 1e-300]))
    np.testing.assert_array_equal(np.asarray(got[0]), [2, 3])
    want = xps.nonzero(xps.asarray([[0, 1], [2, 0]]))
    for g, w in zip(cp.nonzero(np.array([[0, 1], [2, 0]])), want, strict=True):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


def test_nonzero_0d_is_an_error():
    with pytest.raises(ValueError):
        cp.nonzero(np.float64(1.0))
    with pytest.raises(ValueError):
        cp.nonzero(cp.asarray(3))
