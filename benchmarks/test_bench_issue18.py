"""Issue 18's performance targets in one run, with the ratio table (corepy vs NumPy and PyTorch
when installed, 2 threads, medians, steady state after warm-up rounds and a short settle):

    .venv/bin/python -m pytest benchmarks/test_bench_issue18.py --benchmark-only -q

    solve, cholesky, qr, svd, eigh of 256x256 and 1024x1024 float64: >= 1.0x NumPy (LAPACK)
    batched solve of 64 x (32x32) float64: >= 2.0x NumPy
    fft of 2^20 complex64 and rfft of 2^22 float32: >= 1.0x NumPy (pocketfft)

The table (each peer's median / corepy's, the target, and whether it is met) is printed at the
end of the module and saved to .benchmarks/issue18_ratios.json. Inputs, callables and result
checks come from test_bench_linalg.py and test_bench_fft.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import ratio_table
import test_bench_fft as bf
import test_bench_linalg as bl
from ratio_table import PEERS, THREADS

threads = ratio_table.threads  # autouse: 2 threads, settle

# (case id, family, arguments, {peer: target ratio})
CASES: list[tuple[str, str, tuple, dict[str, float]]] = []
for _op in bl.OPS:
    for _n in (256, 1024):
        CASES.append((f"{_op} float64 {_n}x{_n}", "linalg", (_op, _n, 1), {"numpy": 1.0}))
CASES.append(("solve float64 64x32x32", "linalg", ("solve", 32, 64), {"numpy": 2.0}))
CASES.append(("fft complex64 2^20", "fft", ("fft", "complex64", (1 << 20,)), {"numpy": 1.0}))
CASES.append(("rfft float32 2^22", "fft", ("rfft", "float32", (1 << 22,)), {"numpy": 1.0}))

_MEDIANS: dict[str, dict[str, float]] = {}


@pytest.fixture(scope="module", autouse=True)
def _table(request):
    yield
    ratio_table.report(request, "issue18", CASES, _MEDIANS)


def _callable(family: str, args: tuple, lib: str):
    """(the timed callable, a check of its result, rounds)."""
    if family == "linalg":
        op, n, batch = args
        a = bl._input(op, n, batch)

        def check(r):
            if lib == "torch":
                r = tuple(x.numpy() for x in r) if isinstance(r, tuple) else r.numpy()
            bl._check(op, a, r)

        return bl._callable(lib, op, a), check, 5 if n >= 1024 else 15
    op, dtype, shape = args
    x = bf._input(dtype, shape)
    ref = getattr(np.fft, op)(x.astype(np.complex128 if "complex" in dtype else np.float64))
    tol = 1e-5 * np.max(np.abs(ref)) * np.log2(shape[-1])

    def check(r):
        got = r.numpy() if lib == "torch" else np.asarray(r)
        np.testing.assert_allclose(got, ref, rtol=0, atol=tol)

    return bf._callable(lib, op, x, -1), check, 9


@pytest.mark.parametrize("lib", ["corepy", *PEERS])
@pytest.mark.parametrize(
    ("cid", "family", "args", "targets"), CASES, ids=[c[0].replace(" ", "-") for c in CASES]
)
def test_issue18(benchmark, cid, family, args, targets, lib):
    f, check, rounds = _callable(family, args, lib)
    benchmark.group = cid
    benchmark.extra_info.update(case=cid, lib=lib, threads=THREADS)
    result = benchmark.pedantic(f, rounds=rounds, iterations=1, warmup_rounds=2)
    check(result)
    _MEDIANS.setdefault(cid, {})[lib] = benchmark.stats.stats.median
