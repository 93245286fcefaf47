"""The SIMD paths of min/max/argmin/argmax against NumPy. Along an outer axis (the vertical
fold: each input row folds into a running extreme and its row index, over 32-byte vectors that
store only where a lane changes, row blocks merged in order): every real dtype, ties (the first
occurrence), NaN (the first NaN wins), columns that end mid-vector, several row blocks, layouts,
ISAs, the same indices for any thread count. Along the contiguous axis (max/min instructions with
NaN noted on the side; argmax over two interleaved accumulator pairs): NaN and ties at every
position class (the first vectors, the middle, the tail).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ALL_DTYPES

import corepy as cp

REAL = [d for d in ALL_DTYPES if not d.startswith("complex")]
NAMES = ["argmax", "argmin"]


def _ties(rng, shape, dtype):
    """Few distinct values (many ties), over the dtype's extremes for integers."""
    if dtype == "bool":
        return rng.random(shape) < 0.3
    if dtype.startswith("float"):
        return rng.integers(-3, 4, shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.choice(np.array([info.min, info.min + 1, 0, info.max - 1, info.max], dtype), shape)


def _check(name, a, axis):
    got = np.asarray(getattr(cp, name)(a, axis=axis))
    want = getattr(np, name)(a, axis=axis)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", REAL)
@pytest.mark.parametrize("name", NAMES)
def test_ties_every_dtype(name, dtype):
    rng = np.random.default_rng(0)
    # 37 columns: whole 32-byte vectors then a tail; 3000 rows x 37 make one row block, 9000
    # x 45 several (merged in block order).
    for shape in ((3000, 37), (9000, 45), (5, 3)):
        _check(name, _ties(rng, shape, dtype), 0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", NAMES)
def test_nan_first_occurrence_wins(name, dtype):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((9000, 41)).astype(dtype)
    a[7000, 3] = np.nan  # a NaN in a later block only
    a[100, 5] = np.nan  # the first NaN of its column in the first block ...
    a[8500, 5] = np.nan  # ... and another in a later block
    a[:, 40] = np.inf if name == "argmax" else -np.inf  # ties of infinities
    a[4000, 40] = np.nan
    a[:, 39] = 0.0
    a[2000, 39] = -0.0  # equal to 0.0: the first row keeps it
    a[:, 38] = np.nan  # all NaN: row 0
    _check(name, a, 0)


@pytest.mark.parametrize("name", NAMES)
def test_increasing_rows_update_every_lane(name):
    """Every row beats the last (every lane stores), and a decreasing run that never does."""
    a = np.arange(6000 * 19, dtype=np.float32).reshape(6000, 19)
    _check(name, a, 0)
    _check(name, -a, 0)
    u = (np.arange(3000 * 9, dtype=np.uint64) + np.uint64(2**63 - 10)).reshape(3000, 9)
    _check(name, u, 0)  # unsigned order across 2**63


@pytest.mark.parametrize("name", NAMES)
def test_layouts_and_keepdims(name):
    rng = np.random.default_rng(2)
    a = rng.integers(-5, 5, (40, 300, 6)).astype(np.float32)
    for view in (a, a[::-1], a[:, ::-2], a.transpose(1, 0, 2), a[..., ::-1]):
        for axis in (0, 1):
            _check(name, view, axis)
        got = getattr(cp, name)(view, axis=0, keepdims=True)
        np.testing.assert_array_equal(
            np.asarray(got), getattr(np, name)(view, axis=0, keepdims=True)
        )


@pytest.mark.parametrize("isa", cp.config()["available_isas"])
def test_every_isa(isa):
    cp.set_isa(isa)
    rng = np.random.default_rng(3)
    for dtype in REAL:
        a = _ties(rng, (2500, 27), dtype)
        for name in NAMES:
            _check(name, a, 0)


def test_same_indices_for_any_thread_count():
    a = np.random.default_rng(4).integers(0, 50, (20000, 70)).astype(np.float32)
    a[12345, 7] = np.nan
    got = []
    for threads in (1, 2, 3):
        cp.set_num_threads(threads)
        got.append(np.asarray(cp.argmax(a, axis=0)).copy())
    np.testing.assert_array_equal(got[0], np.argmax(a, axis=0))
    for g in got[1:]:
        np.testing.assert_array_equal(g, got[0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_contiguous_rows_nan_ties_and_infinities(dtype):
    n = 1000  # 4 vectors of 8 or 4 lanes fit many times, with a tail
    rng = np.random.default_rng(5)
    rows = []
    for pos in (0, 3, 17, 40, 500, 997, 999):
        r = rng.standard_normal(n).astype(dtype)
        r[pos] = np.nan
        rows.append(r)
    r = rng.standard_normal(n).astype(dtype)
    r[[10, 600]] = np.nan
    rows.append(r)
    r = np.zeros(n, dtype)
    r[::3] = -0.0
    rows.append(r)
    r = rng.integers(-2, 3, n).astype(dtype)  # ties of the extreme in many lanes
    rows.append(r)
    r = np.full(n, -np.inf, dtype)
    r[n - 1] = np.inf
    rows.append(r)
    a = np.stack(rows)
    for name in ("max", "min"):
        got = np.asarray(getattr(cp, name)(a, axis=1))
        np.testing.assert_array_equal(got, getattr(np, name)(a, axis=1))
    for name in NAMES:
        _check(name, a, 1)
        for k in range(len(rows)):  # odd lengths: the pairs' loop, one more vector, the tail
            for m in (9, 17, 31, 63, 70):
                got = int(getattr(cp, name)(a[k, :m]))
                assert got == int(getattr(np, name)(a[k, :m])), (k, m)
