"""corepy.fft vs NumPy's pocketfft (and PyTorch / SciPy when installed), 2 threads.

    python -m pytest benchmarks/test_bench_fft.py --benchmark-only

Targets (issue 18): fft of 2^20 complex64 and rfft of 2^22 float32 at least 1.0x NumPy; and a
batched case, 1024 x 1024 complex64 along axis -1 (contiguous lines) and axis 0 (strided lines).
NumPy computes complex64 in complex128 (its result is cast back here, as array-api-strict does),
so the answers agree to float32 accuracy, which is checked.
"""

from __future__ import annotations

import numpy as np
import pytest
import ratio_table

import corepy as cp

try:
    import torch
except ImportError:  # optional
    torch = None
try:
    import scipy.fft as sfft
except ImportError:  # optional
    sfft = None

THREADS = ratio_table.THREADS
threads = ratio_table.threads  # autouse: THREADS threads, settle
LIBS = ["corepy", "numpy", *(["torch"] if torch is not None else [])]
LIBS += ["scipy"] if sfft is not None else []
# (op, dtype, shape, axis)
CASES = [
    ("fft", "complex64", (1 << 20,), -1),
    ("rfft", "float32", (1 << 22,), -1),
    ("fft", "complex64", (1024, 1024), -1),
    ("fft", "complex64", (1024, 1024), 0),
]


def _input(dtype: str, shape) -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def _callable(lib: str, op: str, x: np.ndarray, axis: int):
    if lib == "corepy":
        t = cp.asarray(x)
        f = getattr(cp.fft, op)
        return lambda: f(t, axis=axis)
    if lib == "numpy":
        f = getattr(np.fft, op)
        return lambda: f(x, axis=axis)
    if lib == "scipy":
        f = getattr(sfft, op)
        return lambda: f(x, axis=axis, workers=THREADS)
    t = torch.from_numpy(x)
    f = getattr(torch.fft, op)
    return lambda: f(t, dim=axis)


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize(
    ("op", "dtype", "shape", "axis"),
    CASES,
    ids=[f"{op}-{dt}-{'x'.join(map(str, s))}-axis{a}" for op, dt, s, a in CASES],
)
def test_fft(benchmark, op, dtype, shape, axis, lib):
    x = _input(dtype, shape)
    f = _callable(lib, op, x, axis)
    benchmark.group = f"{op} {dtype} {shape} axis={axis}"
    benchmark.extra_info.update(op=op, dtype=dtype, shape=shape, axis=axis, lib=lib)
    n = shape[axis]
    lines = x.size // n
    flops = lines * 5 * n * np.log2(n) / (2 if op == "rfft" else 1)
    benchmark.extra_info.update(flops=flops, threads=THREADS)
    result = benchmark.pedantic(f, rounds=7, iterations=1, warmup_rounds=2)
    got = result.numpy() if lib == "torch" else np.asarray(result)
    ref = getattr(np.fft, op)(
        x.astype(np.complex128 if "complex" in dtype else np.float64), axis=axis
    )
    tol = 1e-5 * np.max(np.abs(ref)) * np.log2(n)
    np.testing.assert_allclose(got, ref, rtol=0, atol=tol)
