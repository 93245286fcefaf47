"""Profiler overhead: a 1e6-element float32 add with no profile, counters on, sampling on; and the
per-call cost of an open profile on a 16-element add.

Run with `make bench`; compare the medians of the three (target: counters-off cost under 2%,
which is the difference between no profile and the bare kernel path, i.e. one atomic load).
"""

import numpy as np
import pytest

import corepy as cp

N = 1_000_000


@pytest.fixture(scope="module")
def operands():
    a = cp.Tensor(np.ones(N, np.float32))
    out = cp.Tensor(np.empty(N, np.float32))
    return a, out


@pytest.mark.parametrize("mode", ["off", "counters", "sampling"])
def test_add_profile_overhead(benchmark, operands, mode):
    a, out = operands
    benchmark.group = "profile overhead: add 1e6 float32 (out=)"
    if mode == "off":
        benchmark(cp.add, a, a, out=out)
        return
    with cp.profile(flamegraph=(mode == "sampling")) as prof:
        benchmark(cp.add, a, a, out=out)
    assert prof.ops["add"]["calls"] >= 1


def _deep(depth, fn):
    return fn() if depth == 0 else _deep(depth - 1, fn)


@pytest.mark.parametrize("depth", [0, 30])
@pytest.mark.parametrize("mode", ["off", "profile"])
def test_small_op_profile_overhead(benchmark, mode, depth):
    """Per-call cost of an open profile (call-site capture of the whole Python stack): a
    16-element add, called `depth` frames below the benchmark; compare 'profile' with 'off'."""
    a = cp.Tensor(np.ones(16, np.float32))
    out = cp.Tensor(np.empty(16, np.float32))
    benchmark.group = f"profile overhead per call: add 16 float32 (out=), {depth} frames deep"

    def run():
        return benchmark(cp.add, a, a, out=out)

    if mode == "off":
        _deep(depth, run)
        return
    with cp.profile() as prof:
        _deep(depth, run)
    assert prof.ops["add"]["calls"] >= 1
