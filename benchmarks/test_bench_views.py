"""The array core against NumPy (pytest-benchmark): element-wise ops on transposed and
broadcast views, view creation and indexing overhead, and the cost of importing a NumPy array
into a corepy call.

    make bench        # or: python -m pytest benchmarks/test_bench_views.py --benchmark-only
"""

from __future__ import annotations

import numpy as np
import pytest

import corepy as cp

LIBS = ["corepy", "numpy"]


def _pair(lib, f_cp, f_np):
    return f_cp if lib == "corepy" else f_np


@pytest.mark.parametrize("lib", LIBS)
def test_transposed_plus_row(benchmark, lib):
    """(4096, 4096) float32 transposed view plus a row: both libraries walk the input in
    memory order and write a result laid out like it."""
    a = np.random.default_rng(0).random((4096, 4096), dtype=np.float32)
    row = np.random.default_rng(1).random(4096, dtype=np.float32)
    ta, tr = cp.asarray(a), cp.asarray(row)
    benchmark.group = "transposed (4096, 4096) + row, float32"
    f = _pair(lib, lambda: ta.T + tr, lambda: a.T + row)
    r = benchmark(f)
    np.testing.assert_array_equal(np.asarray(r), a.T + row)


@pytest.mark.parametrize("lib", LIBS)
def test_column_broadcast_add(benchmark, lib):
    a = np.random.default_rng(0).random((2048, 2048), dtype=np.float32)
    col = np.random.default_rng(1).random((2048, 1), dtype=np.float32)
    ta, tc = cp.asarray(a), cp.asarray(col)
    benchmark.group = "(2048, 2048) + column (2048, 1), float32"
    r = benchmark(_pair(lib, lambda: ta + tc, lambda: a + col))
    np.testing.assert_array_equal(np.asarray(r), a + col)


@pytest.mark.parametrize("lib", LIBS)
def test_strided_slice_add(benchmark, lib):
    a = np.random.default_rng(0).random(4_000_000, dtype=np.float32)
    ta = cp.asarray(a)
    benchmark.group = "a[::2] + a[1::2], 4e6 float32"
    r = benchmark(_pair(lib, lambda: ta[::2] + ta[1::2], lambda: a[::2] + a[1::2]))
    np.testing.assert_array_equal(np.asarray(r), a[::2] + a[1::2])


@pytest.mark.parametrize("lib", LIBS)
def test_add_numpy_inputs_1000(benchmark, lib):
    """NumPy arrays passed straight to corepy: the import cost decides this size."""
    a = np.ones(1000, np.float32)
    b = np.ones(1000, np.float32)
    benchmark.group = "add of two 1,000-element NumPy float32 arrays"
    r = benchmark(_pair(lib, lambda: cp.add(a, b), lambda: np.add(a, b)))
    np.testing.assert_array_equal(np.asarray(r), a + b)


VIEWS = {
    "x[1:, ::2].T": lambda x: x[1:, ::2].T,
    "x.T": lambda x: x.T,
    "x.mT": lambda x: x.mT,
    "x[3]": lambda x: x[3],
    "x[None, ..., 1:]": lambda x: x[None, ..., 1:],
}


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("expr", list(VIEWS))
def test_view_creation(benchmark, lib, expr):
    """1,000 views per timed call, so the timer's own overhead (a few hundred ns) does not
    swamp a ~100 ns operation; both libraries pay the same loop."""
    a = np.zeros((64, 64), np.float32)
    x = cp.asarray(a) if lib == "corepy" else a
    f = VIEWS[expr]
    reps = range(1000)

    def run():
        for _ in reps:
            f(x)

    benchmark.group = f"view creation, 1,000 x {expr}"
    benchmark(run)
    np.testing.assert_array_equal(np.asarray(f(x)), f(a))


@pytest.mark.parametrize("lib", LIBS)
def test_integer_indexing(benchmark, lib):
    a = np.arange(1_000_000, dtype=np.float32)
    idx = np.random.default_rng(0).integers(0, a.size, 100_000)
    t, ti = cp.asarray(a), cp.asarray(idx)
    benchmark.group = "x[int64 index of 1e5] from 1e6 float32"
    r = benchmark(_pair(lib, lambda: t[ti], lambda: a[idx]))
    np.testing.assert_array_equal(np.asarray(r), a[idx])


@pytest.mark.parametrize("lib", LIBS)
def test_boolean_mask(benchmark, lib):
    a = np.random.default_rng(0).random(1_000_000).astype(np.float32)
    m = a > 0.5
    t, tm = cp.asarray(a), cp.asarray(m)
    benchmark.group = "x[mask] of 1e6 float32"
    r = benchmark(_pair(lib, lambda: t[tm], lambda: a[m]))
    np.testing.assert_array_equal(np.asarray(r), a[m])
