"""Reductions along axes, std/var and cumulative_sum: corepy vs NumPy (and PyTorch when
installed), 2 threads, pytest-benchmark. Issue 16's targets, side by side:

    sum/max/min/argmax along either axis of a 4096x4096 float32 matrix;
    std/var of 1e7 float32 (one pass over memory); cumulative_sum of 1e7 float32.

    .venv/bin/python -m pytest benchmarks/test_bench_reductions.py --benchmark-only

Not part of `make test`. A short sleep before each library lets other libraries' OpenMP threads
stop spinning.
"""

from __future__ import annotations

import numpy as np
import pytest
import ratio_table

import corepy as cp

try:
    import torch
except ImportError:
    torch = None

threads = ratio_table.threads  # autouse: 2 threads, settle

LIBS = ["corepy", "numpy"] + (["torch"] if torch is not None else [])
MATRIX_OPS = ["sum", "max", "min", "argmax"]
VECTOR_OPS = ["std", "var", "cumulative_sum"]


@pytest.fixture(scope="module")
def matrix():
    return np.random.default_rng(0).standard_normal((4096, 4096)).astype(np.float32)


@pytest.fixture(scope="module")
def vector():
    return np.random.default_rng(1).standard_normal(10_000_000).astype(np.float32)


def _matrix_fn(lib, op, a, axis):
    if lib == "corepy":
        t = cp.Tensor(a)
        return lambda: getattr(cp, op)(t, axis=axis)
    if lib == "numpy":
        return lambda: getattr(np, op)(a, axis=axis)
    t = torch.from_numpy(a)
    f = {"sum": torch.sum, "max": torch.amax, "min": torch.amin, "argmax": torch.argmax}[op]
    return lambda: f(t, dim=axis)


def _vector_fn(lib, op, v):
    if lib == "corepy":
        t = cp.Tensor(v)
        return lambda: getattr(cp, op)(t)
    if lib == "numpy":
        return lambda: getattr(np, op)(v)
    t = torch.from_numpy(v)
    return {
        "std": lambda: torch.std(t, correction=0),
        "var": lambda: torch.var(t, correction=0),
        "cumulative_sum": lambda: torch.cumsum(t, 0),
    }[op]


def _np(r):
    return r.numpy() if hasattr(r, "numpy") else np.asarray(r)


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("op", MATRIX_OPS)
def test_matrix_axis(benchmark, matrix, op, axis, lib):
    f = _matrix_fn(lib, op, matrix, axis)
    benchmark.group = f"{op} axis={axis} float32 4096x4096"
    benchmark.extra_info.update(op=op, axis=axis, lib=lib, threads=2)
    result = benchmark(f)
    want = getattr(np, op)(matrix, axis=axis)
    np.testing.assert_allclose(_np(result), want, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("op", VECTOR_OPS)
def test_vector(benchmark, vector, op, lib):
    f = _vector_fn(lib, op, vector)
    benchmark.group = f"{op} float32 n=1e7"
    benchmark.extra_info.update(op=op, lib=lib, threads=2)
    result = benchmark(f)
    want = getattr(np, op)(vector.astype(np.float64))
    np.testing.assert_allclose(_np(result), want, rtol=1e-3, atol=2e-2)
