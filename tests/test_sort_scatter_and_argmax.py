"""The single-pass float argmax/argmin kernel (per-lane best and first index) and the long-row
sort's scatter (bucket slices of every chunk starting and ending mid-line), against NumPy, on 1
and 2 threads."""

from __future__ import annotations

import numpy as np
import pytest

import corepy as cp


@pytest.fixture(params=[1, 2])
def threads(request):
    before = cp.get_num_threads()
    cp.set_num_threads(request.param)
    yield request.param
    cp.set_num_threads(before)


def _arg_cases(dtype):
    rng = np.random.default_rng(5)
    for n in (1, 3, 7, 8, 9, 16, 17, 33, 100, 4099):
        x = rng.integers(-3, 4, n).astype(dtype)  # many ties of the extreme
        yield x
        y = x.copy()
        y[rng.integers(0, n)] = np.nan
        yield y
        z = x.copy()
        z[rng.integers(0, n, 2)] = np.nan  # first of several NaNs
        yield z
        yield np.full(n, np.nan, dtype)
        w = np.zeros(n, dtype)
        w[rng.integers(0, n, max(1, n // 3))] = -0.0  # -0.0 ties 0.0: the first index wins
        yield w
        inf = x.copy()
        inf[-1] = np.inf
        inf[n // 2] = -np.inf
        yield inf


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_float_argminmax_matches_numpy(dtype, op):
    for x in _arg_cases(dtype):
        got = int(getattr(cp, op)(cp.asarray(x)))
        assert got == int(getattr(np, op)(x)), (x, got)


@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_float_argminmax_rows(op, threads):
    rng = np.random.default_rng(6)
    a = rng.integers(-5, 6, (64, 203)).astype(np.float32)
    a[3, 150] = np.nan
    a[7, [10, 190]] = np.nan
    a[9, 200:] = np.inf if op == "argmax" else -np.inf  # the extreme only in the tail
    for axis in (0, 1, None):
        got = np.asarray(getattr(cp, op)(cp.asarray(a), axis=axis))
        np.testing.assert_array_equal(got, getattr(np, op)(a, axis=axis))


def _sort_inputs():
    rng = np.random.default_rng(7)
    # Odd lengths so bucket slices start and end mid-line; keys above 65536 take the long-row
    # path (parallel chunks on 2 threads).
    for n in (65537, 70001, 131075):
        yield rng.integers(0, 2, n).astype(np.bool_)
        yield rng.integers(-128, 128, n).astype(np.int8)
        yield rng.integers(-(2**31), 2**31, n).astype(np.int32)
        yield rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
        # keys that differ only in the top byte (every lower byte constant), with negatives
        yield (rng.integers(-128, 128, n).astype(np.int64) << 56) | 0x5A5A5A
        yield (rng.integers(-128, 128, n).astype(np.int32) << 24) | 0x123
        f = rng.standard_normal(n).astype(np.float32)
        f[rng.integers(0, n, 50)] = np.nan
        f[rng.integers(0, n, 50)] = -0.0
        f[rng.integers(0, n, 50)] = 0.0
        yield f
        yield rng.integers(-3, 4, n).astype(np.float32)  # few distinct keys: few buckets


@pytest.mark.parametrize("stable", [True, False])
def test_long_row_sort_matches_numpy(threads, stable):
    for x in _sort_inputs():
        got = np.asarray(cp.sort(cp.asarray(x), stable=stable))
        want = np.sort(x, kind="stable")
        if x.dtype.kind == "f" and stable:
            np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))
        else:
            np.testing.assert_array_equal(got, want)
        idx = np.asarray(cp.argsort(cp.asarray(x), stable=True))
        np.testing.assert_array_equal(idx, np.argsort(x, kind="stable"))
