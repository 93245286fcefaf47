"""Issue 16's performance targets in one run, with the ratio table (corepy vs NumPy and PyTorch
when installed, 2 threads, medians, steady state after a warm-up round and a short settle):

    .venv/bin/python -m pytest benchmarks/test_bench_issue16.py --benchmark-only -q

    sort / argsort (stable, and unstable as NumPy's default SIMD quicksort) of 1e6 and 1e7
        float32 and int64: >= 3x NumPy, >= 5x PyTorch
    sum / max / min / argmax along axis 0 and 1 of 4096x4096 float32: >= 1.5x the faster peer
    std / var of 1e7 float32: >= 1.5x the faster peer; cumulative_sum 1e7: >= 1.0x the faster peer
    unique_values of 1e6 int64: >= 1.0x NumPy; int64 matmul 512x512: >= 5x NumPy

The table (each peer's median / corepy's, the target, and whether it is met) is printed at the
end of the module and saved to .benchmarks/issue16_ratios.json. Inputs and callables come from
test_bench_sort.py and test_bench_reductions.py; every result is checked against NumPy's.
"""

from __future__ import annotations

import numpy as np
import pytest
import ratio_table
from ratio_table import PEERS, THREADS, torch
from test_bench_reductions import _matrix_fn, _np, _vector_fn
from test_bench_sort import _callable as _sort_callable
from test_bench_sort import _input as _sort_input

import corepy as cp

threads = ratio_table.threads  # autouse: 2 threads, settle

# (case id, family, arguments, {peer: target ratio}); "best" = the faster of the peers.
CASES: list[tuple[str, str, tuple, dict[str, float]]] = []
for _op in ("sort", "argsort"):
    for _dt in ("float32", "int64"):
        for _n in (1_000_000, 10_000_000):
            for _stable in (True, False):
                _kind = "stable" if _stable else "default"
                CASES.append(
                    (
                        f"{_op} {_dt} {_n:.0e} {_kind}",
                        "sort",
                        (_op, _dt, _n, _stable),
                        {"numpy": 3.0, "torch": 5.0},
                    )
                )
for _op in ("sum", "max", "min", "argmax"):
    for _axis in (0, 1):
        CASES.append((f"{_op} axis={_axis} 4096x4096", "matrix", (_op, _axis), {"best": 1.5}))
for _op, _target in (("std", 1.5), ("var", 1.5), ("cumulative_sum", 1.0)):
    CASES.append((f"{_op} float32 1e7", "vector", (_op,), {"best": _target}))
CASES.append(("unique_values int64 1e6", "unique", (), {"numpy": 1.0}))
CASES.append(("matmul int64 512x512", "imatmul", (), {"numpy": 5.0}))

_MEDIANS: dict[str, dict[str, float]] = {}


def _sort_fn(lib: str, op: str, x: np.ndarray, stable: bool):
    if stable:
        return _sort_callable(lib, op, x)
    if lib == "corepy":
        t = cp.asarray(x)
        f = cp.sort if op == "sort" else cp.argsort
        return lambda: f(t, stable=False)
    if lib == "numpy":
        return _sort_callable("numpy-default", op, x)
    t = torch.from_numpy(x)
    if op == "sort":
        return lambda: torch.sort(t).values
    return lambda: torch.argsort(t)


def _check_sort(op: str, x: np.ndarray, stable: bool, got) -> None:
    got = _np(got)
    want = np.sort(x, kind="stable") if op == "sort" else np.argsort(x, kind="stable")
    if op == "argsort" and not stable:
        np.testing.assert_array_equal(x[got], x[want])  # equal keys may come in any order
    else:
        np.testing.assert_array_equal(got, want)


@pytest.fixture(scope="module")
def matrix():
    return np.random.default_rng(0).standard_normal((4096, 4096)).astype(np.float32)


@pytest.fixture(scope="module")
def vector():
    return np.random.default_rng(1).standard_normal(10_000_000).astype(np.float32)


@pytest.fixture(scope="module", autouse=True)
def _table(request):
    yield
    ratio_table.report(request, "issue16", CASES, _MEDIANS)


def _callable(family: str, args: tuple, lib: str, matrix, vector):
    """(the timed callable, a check of its result)."""
    if family == "sort":
        op, dt, n, stable = args
        x = _sort_input(dt, n)
        return _sort_fn(lib, op, x, stable), lambda r: _check_sort(op, x, stable, r)
    if family == "matrix":
        op, axis = args
        want = getattr(np, op)(matrix, axis=axis)
        return _matrix_fn(lib, op, matrix, axis), lambda r: np.testing.assert_allclose(
            _np(r), want, rtol=1e-3, atol=1e-3
        )
    if family == "vector":
        (op,) = args
        want = getattr(np, op)(vector.astype(np.float64))
        return _vector_fn(lib, op, vector), lambda r: np.testing.assert_allclose(
            _np(r), want, rtol=1e-3, atol=2e-2
        )
    if family == "unique":
        x = np.random.default_rng(2).integers(0, 500_000, size=1_000_000)
        want = np.unique(x)
        f = {
            "corepy": lambda: cp.unique_values(cp.asarray(x)),
            "numpy": lambda: np.unique(x),
            "torch": lambda: torch.unique(torch.from_numpy(x)),
        }[lib]
        return f, lambda r: np.testing.assert_array_equal(_np(r), want)
    rng = np.random.default_rng(3)
    a, b = (rng.integers(-100, 100, size=(512, 512)) for _ in range(2))
    want = a @ b
    if lib == "corepy":
        ta, tb = cp.asarray(a), cp.asarray(b)
        f = lambda: ta @ tb  # noqa: E731
    elif lib == "numpy":
        f = lambda: a @ b  # noqa: E731
    else:
        xa, xb = torch.from_numpy(a), torch.from_numpy(b)
        f = lambda: xa @ xb  # noqa: E731
    return f, lambda r: np.testing.assert_array_equal(_np(r), want)


@pytest.mark.parametrize("lib", ["corepy", *PEERS])
@pytest.mark.parametrize(
    ("cid", "family", "args", "targets"), CASES, ids=[c[0].replace(" ", "-") for c in CASES]
)
def test_issue16(benchmark, matrix, vector, cid, family, args, targets, lib):
    f, check = _callable(family, args, lib, matrix, vector)
    benchmark.group = cid
    benchmark.extra_info.update(case=cid, lib=lib, threads=THREADS)
    big = family == "sort" and args[2] >= 10_000_000
    result = benchmark.pedantic(f, rounds=3 if big else 9, iterations=1, warmup_rounds=1)
    check(result)
    _MEDIANS.setdefault(cid, {})[lib] = benchmark.stats.stats.median
