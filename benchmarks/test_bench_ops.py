"""corepy vs NumPy micro-benchmarks (pytest-benchmark), grouped by op and size.

    make bench        # or: python -m pytest benchmarks --benchmark-only

Not part of `make test`: pytest's testpaths is tests/.
"""

from __future__ import annotations

import numpy as np
import pytest

import corepy as cp

LIBS = ["corepy", "numpy"]
CASES = [
    ("sum", 1_000),
    ("sum", 100_000),
    ("sum", 10_000_000),
    ("add", 1_000),
    ("add", 1_000_000),
    ("add", 10_000_000),
    ("dot", 100_000),
    ("dot", 1_000_000),
    ("matmul", 64),
    ("matmul", 128),
    ("matmul", 256),
]


def _operands(op: str, n: int):
    rng = np.random.default_rng(0)
    shape = (n, n) if op == "matmul" else (n,)
    return rng.random(shape, dtype=np.float32), rng.random(shape, dtype=np.float32)


def _functions(op: str, a: np.ndarray, b: np.ndarray):
    """(corepy callable, numpy callable) for one case; corepy wraps the same memory zero-copy."""
    ta, tb = cp.Tensor(a), cp.Tensor(b)
    return {
        "sum": (lambda: cp.sum(ta), lambda: np.sum(a)),
        "add": (lambda: ta + tb, lambda: a + b),
        "dot": (lambda: cp.dot(ta, tb), lambda: np.dot(a, b)),
        "matmul": (lambda: ta @ tb, lambda: a @ b),
    }[op]


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize(("op", "n"), CASES, ids=[f"{op}-{n}" for op, n in CASES])
def test_op(benchmark, op, n, lib):
    a, b = _operands(op, n)
    f_corepy, f_numpy = _functions(op, a, b)
    benchmark.group = f"{op} float32 n={n:,}"
    benchmark.extra_info.update(op=op, n=n, lib=lib, isa=cp.get_isa())
    result = benchmark(f_corepy if lib == "corepy" else f_numpy)
    # A fast wrong answer is not a result.
    np.testing.assert_allclose(np.asarray(result), np.asarray(f_numpy()), rtol=1e-4)
