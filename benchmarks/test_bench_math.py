"""Transcendental functions: corepy vs NumPy vs PyTorch (when importable), float32 and float64,
n = 1e5 (in cache) and 1e7 (memory), grouped by function, dtype and size.

    python -m pytest benchmarks/test_bench_math.py --benchmark-only [-k "exp and float32"]

Not part of `make test`: pytest's testpaths is tests/.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import corepy as cp

try:
    import torch

    torch.set_num_threads(int(os.environ.get("COREPY_BENCH_THREADS", cp.get_num_threads())))
except ImportError:
    torch = None

LIBS = ["corepy", "numpy"] + (["torch"] if torch is not None else [])
# name -> (numpy function, torch name, typical input range of x, of y for binary functions)
FUNCS = {
    "exp": (np.exp, "exp", (-50, 50), None),
    "expm1": (np.expm1, "expm1", (-5, 5), None),
    "log": (np.log, "log", (1e-3, 1e3), None),
    "log1p": (np.log1p, "log1p", (-0.9, 10), None),
    "log2": (np.log2, "log2", (1e-3, 1e3), None),
    "log10": (np.log10, "log10", (1e-3, 1e3), None),
    "sin": (np.sin, "sin", (-100, 100), None),
    "cos": (np.cos, "cos", (-100, 100), None),
    "tan": (np.tan, "tan", (-100, 100), None),
    "asin": (np.arcsin, "asin", (-1, 1), None),
    "acos": (np.arccos, "acos", (-1, 1), None),
    "atan": (np.arctan, "atan", (-10, 10), None),
    "sinh": (np.sinh, "sinh", (-10, 10), None),
    "cosh": (np.cosh, "cosh", (-10, 10), None),
    "tanh": (np.tanh, "tanh", (-10, 10), None),
    "asinh": (np.arcsinh, "asinh", (-100, 100), None),
    "acosh": (np.arccosh, "acosh", (1, 100), None),
    "atanh": (np.arctanh, "atanh", (-0.99, 0.99), None),
    "atan2": (np.arctan2, "atan2", (-10, 10), (-10, 10)),
    "pow": (np.power, "pow", (0.1, 10), (-10, 10)),
    "hypot": (np.hypot, "hypot", (-10, 10), (-10, 10)),
}
SIZES = [100_000, 10_000_000]
DTYPES = ["float32", "float64"]


def _operands(name: str, n: int, dtype: str):
    rng = np.random.default_rng(0)
    _, _, xr, yr = FUNCS[name]
    x = rng.uniform(*xr, n).astype(dtype)
    return (x,) if yr is None else (x, rng.uniform(*yr, n).astype(dtype))


def _callable(lib: str, name: str, args):
    if lib == "numpy":
        f = FUNCS[name][0]
        return lambda: f(*args)
    if lib == "torch":
        f = getattr(torch, FUNCS[name][1])
        targs = [torch.from_numpy(a) for a in args]
        return lambda: f(*targs)
    f = getattr(cp, name)
    cargs = [cp.asarray(a) for a in args]  # zero-copy views of the same memory
    return lambda: f(*cargs)


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES, ids=[f"n={n:.0e}" for n in SIZES])
@pytest.mark.parametrize("name", list(FUNCS))
def test_math(benchmark, name, n, dtype, lib):
    args = _operands(name, n, dtype)
    f = _callable(lib, name, args)
    benchmark.group = f"{name} {dtype} n={n:,}"
    benchmark.extra_info.update(op=name, n=n, dtype=dtype, lib=lib, isa=cp.get_isa())
    result = benchmark(f)
    # A fast wrong answer is not a result: within a few ulps of NumPy's float64 value.
    ref = FUNCS[name][0](*(a.astype(np.float64) for a in args))
    got = np.asarray(result.numpy() if lib == "torch" else result, dtype=np.float64)
    np.testing.assert_allclose(got, ref, rtol=2e-6 if dtype == "float32" else 1e-13, atol=1e-30)
