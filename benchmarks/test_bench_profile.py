"""Profiler overhead on a 1e6-element float32 add: no profile, counters on, sampling on.

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
