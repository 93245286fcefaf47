"""Runtime ISA dispatch and threading: every ISA this CPU runs gives NumPy's answers, the kernel
table reports which code really ran, and thread count never changes a result."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
import sys

import numpy as np
import pytest
from helpers import (
    EDGE_SIZES,
    FLOAT_DTYPES,
    KNOWN_ISAS,
    NUMERIC_DTYPES,
    assert_tensor,
    random_array,
)

import corepy as cp

FEATURE_KEYS = {"sse2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"}
CONFIG_KEYS = {"isa", "kernel_isa", "available_isas", "num_threads", "thresholds", "arena_size"}
CONFIG_KEYS |= {"version", "kernel_library"}

AVAILABLE = cp.config()["available_isas"]


@pytest.fixture(params=AVAILABLE)
def isa(request):
    """Forces each ISA this CPU can run; the autouse fixture in conftest restores "auto"."""
    cp.set_isa(request.param)
    return request.param


def _parallel_size(op: str, floor: int) -> int:
    """An element count above corepy's threshold for `op`, so the threaded path runs (capped)."""
    thresholds = cp.config()["thresholds"]
    threshold = thresholds.get(op, max(thresholds.values(), default=0))
    return max(floor, min(int(threshold) + 1001, 4_000_000))


# --------------------------------------------------------------------------------------------
# Introspection
# --------------------------------------------------------------------------------------------


def test_config_keys_and_types():
    cfg = cp.config()
    assert CONFIG_KEYS <= set(cfg)
    assert isinstance(cfg["isa"], str)
    assert isinstance(cfg["kernel_isa"], str)
    assert isinstance(cfg["available_isas"], list)
    assert type(cfg["num_threads"]) is int
    assert cfg["num_threads"] >= 1
    assert isinstance(cfg["thresholds"], dict)
    assert all(
        isinstance(k, str) and type(v) is int and v >= 0 for k, v in cfg["thresholds"].items()
    )
    assert type(cfg["arena_size"]) is int
    assert cfg["arena_size"] >= 0
    assert cfg["version"] == importlib.metadata.version("corepy")


def test_available_isas():
    assert "scalar" in AVAILABLE
    assert set(AVAILABLE) <= set(KNOWN_ISAS)
    assert len(set(AVAILABLE)) == len(AVAILABLE)
    features = cp.cpu_features()
    if "avx2" in AVAILABLE:
        assert features["avx2"] and features["fma"]
    if "avx512" in AVAILABLE:
        assert features["avx512f"]


def test_auto_picks_a_real_isa():
    cp.set_isa("auto")
    active = cp.get_isa()
    assert active != "auto"
    assert active in AVAILABLE
    cfg = cp.config()
    assert cfg["isa"] == active
    assert cfg["kernel_isa"] == active


def test_cpu_features_shape():
    features = cp.cpu_features()
    assert isinstance(features, dict)
    assert FEATURE_KEYS <= set(features)
    assert all(type(v) is bool for v in features.values())


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 only")
def test_cpu_features_agree_with_proc_cpuinfo():
    try:
        with open("/proc/cpuinfo") as f:
            flags_line = next(line for line in f if line.startswith("flags"))
    except (OSError, StopIteration):
        pytest.skip("no /proc/cpuinfo flags")
    flags = set(flags_line.split(":", 1)[1].split())
    features = cp.cpu_features()
    assert features["sse2"] is True  # part of x86-64 itself
    for key in ("avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"):
        assert features[key] is (key in flags), key


@pytest.mark.parametrize("name", AVAILABLE)
def test_corepy_isa_environment_variable(name):
    """COREPY_ISA picks the kernel table at start-up, and kernel_isa proves it was used."""
    code = (
        "import corepy as cp, numpy as np\n"
        "assert cp.sum(np.ones(1000, dtype=np.float32)) == 1000.0\n"
        "print(cp.get_isa(), cp.config()['kernel_isa'], cp.get_num_threads())"
    )
    env = {**os.environ, "COREPY_ISA": name, "COREPY_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [name, name, "1"]


def test_kernel_library_default_is_linked():
    # make sanitize runs the suite with COREPY_KERNELS_SO set: then it names that library.
    assert cp.config()["kernel_library"] == os.environ.get("COREPY_KERNELS_SO")


@pytest.mark.parametrize(
    ("library", "message"),
    [
        ("/nonexistent/libcorepy_kernels.so", "cannot open shared object"),
        ("libm.so.6", "not a corepy kernel library"),
    ],
)
def test_unusable_kernel_library_fails_the_import(library, message):
    """COREPY_KERNELS_SO naming a missing or foreign library is an ImportError that says which."""
    env = {**os.environ, "COREPY_KERNELS_SO": library}
    done = subprocess.run(
        [sys.executable, "-c", "import corepy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "ImportError" in done.stderr
    assert f"COREPY_KERNELS_SO={library}" in done.stderr
    assert message in done.stderr


# --------------------------------------------------------------------------------------------
# Every ISA: forced, proven, and right
# --------------------------------------------------------------------------------------------


def test_forced_isa_is_the_one_that_runs(isa):
    assert cp.get_isa() == isa
    cfg = cp.config()
    assert cfg["isa"] == isa
    # kernel_isa comes from the compiled C++ table itself (the compiler's target macros).
    assert cfg["kernel_isa"] == isa


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
def test_each_isa_elementwise(rng, isa, dtype):
    for size in [*EDGE_SIZES, _parallel_size("add", 5000)]:
        a = random_array(rng, (size,), dtype, full_range=True)
        b = random_array(rng, (size,), dtype, full_range=True)
        with np.errstate(all="ignore"):
            assert_tensor(cp.add(a, b), a + b)
            assert_tensor(cp.subtract(a, b), a - b)
            assert_tensor(cp.multiply(a, b), a * b)
            assert_tensor(cp.Tensor(a) * 3, a * np.dtype(dtype).type(3))
            assert_tensor(3 - cp.Tensor(a), np.dtype(dtype).type(3) - a)
            if dtype in FLOAT_DTYPES:
                d = np.where(b == 0, np.ones((), dtype), b)
                assert_tensor(cp.divide(a, d), a / d)
                assert_tensor(2 / cp.Tensor(d), np.dtype(dtype).type(2) / d)
    assert cp.config()["kernel_isa"] == isa


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
def test_each_isa_elementwise_on_views_and_mixed_dtypes(rng, isa, threads, dtype):
    """The kernels read strided, negative-stride, transposed and zero-stride (broadcast) operands
    in place, and mixed dtypes promote, on every ISA and thread count, sequential and parallel."""
    cp.set_num_threads(threads)
    for rows in (3, _parallel_size("elementwise", 5000) // 64 + 1):
        base = random_array(rng, (2 * rows, 128), dtype, full_range=True)
        a, b = base[::2, ::2], base[::-2, 1::2]  # (rows, 64): strided and negative strides
        row = random_array(rng, (64,), "float64")  # broadcast along rows, another dtype
        with np.errstate(all="ignore"):
            assert_tensor(cp.add(a, b), a + b)
            assert_tensor(cp.multiply(cp.Tensor(a), b), a * b)
            assert_tensor(cp.subtract(a, row), a - row)
            assert_tensor(cp.Tensor(a.T) - cp.Tensor(b.T), a.T - b.T)
            assert_tensor(cp.add(a, np.broadcast_to(row[:1], a.shape)), a + row[:1])
            if dtype in FLOAT_DTYPES:
                d = np.where(b == 0, np.ones((), dtype), b)
                assert_tensor(cp.divide(a, d), a / d)
    assert cp.config()["kernel_isa"] == isa


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64", "bool"])
def test_each_isa_reductions(rng, isa, dtype):
    for size in [*EDGE_SIZES, 4097, _parallel_size("sum", 100_003)]:
        a = random_array(rng, (size,), dtype)  # integral values: sums are exact
        t = cp.Tensor(a)
        assert cp.sum(t) == np.sum(a).item()
        assert bool(cp.all(t)) is bool(np.all(a))
        assert bool(cp.any(t)) is bool(np.any(a))
        if size:
            # One truthy/falsy element at the very end: the tail loop must see it.
            z = np.zeros(size, dtype=dtype)
            z[-1] = 1
            assert bool(cp.any(z)) is True
            o = np.ones(size, dtype=dtype)
            o[-1] = 0
            assert bool(cp.all(o)) is False
    m = random_array(rng, (33, 65), dtype)
    for axis in (0, 1):
        with np.errstate(all="ignore"):
            assert_tensor(cp.all(m, axis=axis), np.all(m, axis=axis))
            assert_tensor(cp.any(m, axis=axis), np.any(m, axis=axis))
            if dtype in FLOAT_DTYPES:
                assert_tensor(cp.sum(m, axis=axis), np.sum(m, axis=axis))
    assert cp.config()["kernel_isa"] == isa


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_each_isa_dot_and_matmul(rng, isa, dtype):
    for n in [*EDGE_SIZES, _parallel_size("dot", 100_003)]:
        a = rng.integers(-4, 5, size=n).astype(dtype)
        b = rng.integers(-4, 5, size=n).astype(dtype)
        assert cp.dot(a, b) == float(np.dot(a.astype(np.float64), b.astype(np.float64)))
    for m, n, k in [(1, 1, 1), (7, 9, 17), (16, 16, 16), (17, 33, 15), (65, 31, 64), (3, 0, 5),
                    (4, 6, 0), (130, 129, 67)]:  # fmt: skip
        a = rng.integers(-4, 5, size=(m, k)).astype(dtype)
        b = rng.integers(-4, 5, size=(k, n)).astype(dtype)
        assert_tensor(cp.matmul(a, b), a @ b)
        assert_tensor(cp.matmul(a.T.copy().T, b.T.copy().T), a @ b)  # Fortran-ordered operands
    assert cp.config()["kernel_isa"] == isa


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_isas_agree_bit_for_bit_on_elementwise(rng, dtype):
    a = rng.standard_normal(10_007).astype(dtype)
    b = rng.standard_normal(10_007).astype(dtype)
    results = {}
    for name in AVAILABLE:
        cp.set_isa(name)
        fns = (cp.add, cp.subtract, cp.multiply, cp.divide)
        results[name] = [np.asarray(f(a, b)).copy() for f in fns]
    for name in AVAILABLE:
        for got, expected in zip(results[name], results["scalar"], strict=True):
            np.testing.assert_array_equal(got, expected)


# --------------------------------------------------------------------------------------------
# Threads
# --------------------------------------------------------------------------------------------


def test_set_and_get_num_threads():
    for n in (1, 2, 3):
        cp.set_num_threads(n)
        assert cp.get_num_threads() == n
        assert cp.config()["num_threads"] == n


def test_sum_is_bit_identical_across_thread_counts(rng):
    a = rng.random(1_000_000, dtype=np.float32)
    cp.set_num_threads(1)
    one = cp.sum(a)
    cp.set_num_threads(2)
    assert cp.sum(a) == one
    b = rng.standard_normal(_parallel_size("sum", 1_000_000))
    cp.set_num_threads(1)
    one = cp.sum(b)
    cp.set_num_threads(2)
    assert cp.sum(b) == one


@pytest.mark.parametrize("threads", [1, 2])
def test_results_right_with_each_thread_count(rng, isa, threads):
    cp.set_num_threads(threads)
    n = _parallel_size("add", 1_000_003)
    a = rng.integers(-50, 51, size=n).astype(np.float32)
    b = rng.integers(-50, 51, size=n).astype(np.float32)
    assert_tensor(cp.add(a, b), a + b)
    assert_tensor(cp.Tensor(a) * 2.0, a * np.float32(2.0))
    assert cp.sum(a) == float(a.astype(np.float64).sum())
    assert cp.dot(a, b) == float(np.dot(a.astype(np.float64), b.astype(np.float64)))
    assert bool(cp.any(np.zeros(n, dtype=bool))) is False
    rows = a[: (n // 1003) * 1003].reshape(-1, 1003)
    assert_tensor(cp.sum(rows, axis=0), rows.sum(axis=0))
    assert_tensor(cp.sum(rows, axis=1), rows.sum(axis=1))
    m = rng.integers(-4, 5, size=(200, 150)).astype(np.float32)
    assert_tensor(cp.matmul(m, m.T), m @ m.T)
