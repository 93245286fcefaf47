"""sort, argsort and unique_values: corepy vs NumPy vs PyTorch (when installed), 2 threads.

    python -m pytest benchmarks/test_bench_sort.py --benchmark-only

Targets (issue 16): sort and argsort of 1e6 and 1e7 float32 and int64 at least 3x NumPy and 5x
PyTorch; unique_values of 1e6 int64 at least 1.0x NumPy. Every library's stable variant is timed
(the standard's default), so all three return the same answer, which is checked.
"""

from __future__ import annotations

import numpy as np
import pytest
import ratio_table

import corepy as cp

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None

# "numpy-default": NumPy's default kind (its SIMD quicksort where it has one), unstable.
LIBS = ["corepy", "numpy", "numpy-default", *(["torch"] if torch is not None else [])]
CASES = [
    (op, dtype, n)
    for op in ("sort", "argsort")
    for dtype in ("float32", "int64")
    for n in (1_000_000, 10_000_000)
] + [("unique_values", "int64", 1_000_000)]
THREADS = ratio_table.THREADS
threads = ratio_table.threads  # autouse: THREADS threads, settle


def _input(dtype: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    if dtype == "float32":
        return rng.random(n, dtype=np.float32)
    return rng.integers(-(2**62), 2**62, size=n)


def _callable(lib: str, op: str, x: np.ndarray):
    if lib == "corepy":
        t = cp.asarray(x)
        return {
            "sort": lambda: cp.sort(t),
            "argsort": lambda: cp.argsort(t),
            "unique_values": lambda: cp.unique_values(t),
        }[op]
    if lib == "numpy-default":
        return {
            "sort": lambda: np.sort(x),
            "argsort": lambda: np.argsort(x),
            "unique_values": lambda: np.unique(x),
        }[op]
    if lib == "numpy":
        return {
            "sort": lambda: np.sort(x, kind="stable"),
            "argsort": lambda: np.argsort(x, kind="stable"),
            "unique_values": lambda: np.unique(x),
        }[op]
    t = torch.from_numpy(x)
    return {
        "sort": lambda: torch.sort(t, stable=True).values,
        "argsort": lambda: torch.argsort(t, stable=True),
        "unique_values": lambda: torch.unique(t),
    }[op]


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize(
    ("op", "dtype", "n"), CASES, ids=[f"{op}-{dt}-{n:.0e}" for op, dt, n in CASES]
)
def test_sort(benchmark, op, dtype, n, lib):
    x = _input(dtype, n)
    f = _callable(lib, op, x)
    benchmark.group = f"{op} {dtype} n={n:,}"
    benchmark.extra_info.update(op=op, dtype=dtype, n=n, lib=lib, threads=THREADS)
    rounds = 3 if n >= 10_000_000 else 7
    result = benchmark.pedantic(f, rounds=rounds, iterations=1, warmup_rounds=1)
    got = result.numpy() if hasattr(result, "numpy") and lib == "torch" else np.asarray(result)
    want = np.asarray(_callable("numpy", op, x)())
    if lib == "numpy-default" and op == "argsort":
        # unstable: equal keys may come in any order; the indices must still sort
        np.testing.assert_array_equal(x[got], x[want])
    else:
        np.testing.assert_array_equal(got, want)
