"""The lab's bench: corepy, NumPy and PyTorch side by side on this machine.

    import corepy as cp
    res = cp.bench.compare("add", [10**3, 10**5, 10**7])   # live plot + progress bar in Jupyter
    res.to_frame()                    # a pandas DataFrame (if pandas is installed)
    cp.bench.roofline(res)            # where each op sits under this machine's roofs
    cp.bench.save(res, "run.json"); cp.bench.compare_runs(cp.bench.load("old.json"), res)

How a point is measured (one op, one size, several libraries):

* every library gets the same NumPy-made inputs (corepy wraps them zero-copy, PyTorch through
  ``torch.from_numpy``), is called once to check its answer against a float64 NumPy reference
  (``agrees``), and is warmed up;
* calls are batched so one *run* lasts at least ``MIN_RUN_S``; runs go round-robin across the
  libraries (the first library rotates every round), so a noisy neighbour or a clock change hits
  all of them alike, until the point's time ``budget`` (all libraries together) is spent; runs
  last at least 50 ms and start after 0.12 s idle, since thread pools (OpenBLAS, OpenMP,
  corepy's) spin on the other cores after each call and would otherwise take the next library's
  second core (quick mode keeps short runs and no pause);
* a row reports the median seconds per call with its quartiles and extremes, throughput (GB/s of
  compulsory traffic, bytes read + written, and GFLOP/s), and ``pct_of_peak``: memory-bound ops as
  a share of the matching STREAM bandwidth from ``cp.machine()`` (sum/mean/all/any/dot/matvec:
  "read", add/sub/mul/div/add_out: "add"), matmul as a share of the float32 FMA peak (half of it
  for float64). Both are measured once per process at the thread count in use.

Libraries that are not installed are skipped with a printed note that is also kept in
``results.notes``; they never raise. matplotlib, tqdm and pandas are optional in the same way.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import math
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import corepy as cp

from . import _core

__all__ = [
    "OPS",
    "Results",
    "bandwidth_ceiling",
    "compare",
    "compare_runs",
    "default_sizes",
    "in_notebook",
    "limit_level",
    "parse_threshold",
    "load",
    "machine_limits",
    "plot",
    "quick_mode",
    "roofline",
    "save",
    "wait_for_idle",
]

DEFAULT_BUDGET_S = 0.25  # seconds of timing per point, all libraries together
QUICK_BUDGET_S = 0.02
MIN_RUN_S = 1e-3  # calls are batched so one timed run lasts at least this long
# Thread pools of the libraries spin on the other cores for a while after a call (OpenBLAS
# ~0.1 s, PyTorch's OpenMP likewise) and sleep after that, so a short run right after another
# library's run measures a contended core and wake-ups more than the kernel. Outside quick mode
# each run starts after SETTLE_S idle and lasts at least STEADY_RUN_S: every library is timed in
# the steady state of a loop, as if it ran alone.
STEADY_RUN_S = 0.05
SETTLE_S = 0.12
QUICK_MIN_RUN_S = 2e-4
BUSY_SHARE = 0.25  # others_load above this is reported in the notes
MIN_RUNS = 5  # per library and point, even when the budget is spent
MAX_RUNS = 1000
FORMAT = "corepy.bench/1"
LIBRARIES = ("corepy", "numpy", "torch")


def quick_mode() -> bool:
    """True when ``COREPY_QUICK`` is set (to anything but "" or "0"): small sizes, short budgets."""
    return os.environ.get("COREPY_QUICK", "") not in ("", "0")


# --------------------------------------------------------------------------------------------
# Ops: inputs, traffic, flops
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One benchmarked operation.

    ``size`` is the element count of each 1-D operand, or n for the n x n matrices of matmul and
    matvec. ``arrays`` counts the n-element (or n x n) arrays moved: read and written.
    """

    name: str
    # "reduce", "scan", "elementwise", "unary", "dot", "matmul", "matvec", "sort", or "axis" (a
    # reduction of an n x n matrix along `axis`)
    kind: str
    pattern: str  # the STREAM kernel of cp.machine() it is held against ("read" or "add")
    bound: str  # "memory" or "compute": what pct_of_peak is measured against
    bool_input: bool = False
    axis: int | None = None

    def nbytes(self, n: int, itemsize: int) -> int:
        """Compulsory traffic of one call in bytes (each input read once, the output written)."""
        if self.kind == "reduce":
            return n * itemsize
        if self.kind == "axis":
            return n * n * itemsize
        if self.kind == "scan":
            return 2 * n * itemsize
        if self.kind == "elementwise":
            return 3 * n * itemsize
        if self.kind == "unary":
            return 2 * n * itemsize
        if self.kind == "dot":
            return 2 * n * itemsize
        if self.kind == "matmul":
            return 3 * n * n * itemsize
        if self.kind == "sort":
            return 2 * n * itemsize  # read once, written once (argsort writes int64 indices)
        return (n * n + 2 * n) * itemsize  # matvec

    def flops(self, n: int) -> int | None:
        """Floating-point operations of one call (None for logical reductions)."""
        if self.bool_input or self.kind == "sort":
            return None
        if self.kind in ("reduce", "scan", "elementwise", "unary"):
            return n
        if self.kind == "axis":
            return n * n
        if self.kind == "dot":
            return 2 * n
        if self.kind == "matmul":
            return 2 * n**3
        return 2 * n * n  # matvec


OPS: dict[str, Op] = {
    op.name: op
    for op in (
        Op("sum", "reduce", "read", "memory"),
        Op("mean", "reduce", "read", "memory"),
        Op("max", "reduce", "read", "memory"),
        Op("min", "reduce", "read", "memory"),
        Op("argmax", "reduce", "read", "memory"),
        Op("std", "reduce", "read", "memory"),
        Op("var", "reduce", "read", "memory"),
        Op("cumulative_sum", "scan", "copy", "memory"),
        Op("sum_axis0", "axis", "read", "memory", axis=0),
        Op("sum_axis1", "axis", "read", "memory", axis=1),
        Op("max_axis0", "axis", "read", "memory", axis=0),
        Op("max_axis1", "axis", "read", "memory", axis=1),
        Op("all", "reduce", "read", "memory", bool_input=True),
        Op("any", "reduce", "read", "memory", bool_input=True),
        Op("add", "elementwise", "add", "memory"),
        Op("add_out", "elementwise", "add", "memory"),
        Op("sub", "elementwise", "add", "memory"),
        Op("mul", "elementwise", "add", "memory"),
        Op("div", "elementwise", "add", "memory"),
        Op("dot", "dot", "read", "memory"),
        Op("matvec", "matvec", "read", "memory"),
        Op("matmul", "matmul", "read", "compute"),
        Op("sort", "sort", "add", "memory"),
        Op("argsort", "sort", "add", "memory"),
    )
}

# NumPy's names where the standard's differ.
_NP_NAMES = {
    "sub": "subtract",
    "mul": "multiply",
    "div": "divide",
    "matvec": "matmul",
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "asinh": "arcsinh",
    "acosh": "arccosh",
    "atanh": "arctanh",
    "atan2": "arctan2",
    "pow": "power",
}


def _catalogue_from_op_table() -> None:
    """Every float function of corepy's op table joins the catalogue: unary ones against STREAM
    copy (one array read, one written), binary ones against STREAM add."""
    for name, kind in _core._op_table():
        if name in OPS or name in ("add", "subtract", "multiply", "divide"):
            continue
        if kind in ("math", "unary") and name not in _NO_FLOAT_BENCH:
            OPS[name] = Op(name, "unary", "copy", "memory")
        elif kind == "arithmetic" and name not in _NO_FLOAT_BENCH:
            OPS[name] = Op(name, "elementwise", "add", "memory")


# Integer/bool-only functions and ones with bool results (the harness times float inputs).
_NO_FLOAT_BENCH = {
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "bitwise_invert",
    "isnan",
    "isinf",
    "isfinite",
    "signbit",
    "logical_not",
}
_catalogue_from_op_table()

VECTOR_SIZES = (10**3, 10**4, 10**5, 10**6, 10**7)
QUICK_VECTOR_SIZES = (10**3, 10**4, 10**5)
MATMUL_SIZES = (64, 128, 256, 512, 1024)
QUICK_MATMUL_SIZES = (32, 64, 128)
MATVEC_SIZES = (128, 512, 2048, 4096)
QUICK_MATVEC_SIZES = (64, 256)
AXIS_SIZES = (256, 1024, 4096)
QUICK_AXIS_SIZES = (64, 256)


def default_sizes(op: str, quick: bool | None = None) -> list[int]:
    """The sizes `compare` uses for `op` when none are given (smaller in quick mode)."""
    quick = quick_mode() if quick is None else quick
    kind = _op(op).kind
    if kind == "matmul":
        return list(QUICK_MATMUL_SIZES if quick else MATMUL_SIZES)
    if kind == "matvec":
        return list(QUICK_MATVEC_SIZES if quick else MATVEC_SIZES)
    if kind == "axis":
        return list(QUICK_AXIS_SIZES if quick else AXIS_SIZES)
    return list(QUICK_VECTOR_SIZES if quick else VECTOR_SIZES)


def _op(name: str) -> Op:
    try:
        return OPS[name]
    except KeyError:
        raise ValueError(f"unknown op {name!r}; expected one of {', '.join(OPS)}") from None


def _inputs(op: Op, n: int, dtype: np.dtype, rng: np.random.Generator) -> list[np.ndarray]:
    """The operands, as C-contiguous NumPy arrays (all/any: all True / all False, so the whole
    input must be read)."""
    if op.name == "all":
        return [np.ones(n, dtype=bool)]
    if op.name == "any":
        return [np.zeros(n, dtype=bool)]

    def rand(shape, low=0.0):
        if dtype.kind == "f":
            return (rng.random(shape, dtype=np.float64) + low).astype(dtype)
        return rng.integers(max(1, int(low)), 10, size=shape).astype(dtype)

    if op.kind == "sort":
        # distinct random keys (floats) or a wide range (ints): ties only where values collide
        if dtype.kind == "f":
            return [rng.random(n).astype(dtype)]
        return [rng.integers(-(2**30), 2**30, size=n).astype(dtype)]
    if op.kind in ("reduce", "scan"):
        return [rand(n)]
    if op.kind == "axis":
        return [rand((n, n))]
    if op.kind == "unary":  # inside every function's domain: (0.01, 0.99), acosh (1, 2)
        x = rng.random(n, dtype=np.float64)
        return [(x + 1.0 if op.name == "acosh" else 0.01 + 0.98 * x).astype(dtype)]
    if op.kind in ("elementwise", "dot"):
        return [rand(n), rand(n, low=0.5 if op.name == "div" else 0.0)]
    if op.kind == "matmul":
        return [rand((n, n)), rand((n, n))]
    return [rand((n, n)), rand(n)]  # matvec


_REFERENCE: dict[str, Callable[..., Any]] = {
    "sum": np.sum,
    "mean": np.mean,
    "max": np.max,
    "min": np.min,
    "argmax": np.argmax,
    "std": np.std,
    "var": np.var,
    "cumulative_sum": np.cumsum,
    "all": np.all,
    "any": np.any,
    "add": np.add,
    "add_out": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.divide,
    "dot": np.dot,
    "matvec": np.matmul,
    "matmul": np.matmul,
    "sort": np.sort,
    # stable: every library's stable argsort gives the same indices, ties included
    "argsort": lambda x: np.argsort(x, kind="stable"),
}


def _axis_op(op: Op) -> tuple[str, int]:
    """("sum", 0) for "sum_axis0"."""
    assert op.axis is not None
    return op.name.split("_axis")[0], op.axis


def _reference(op: Op, arrays: list[np.ndarray]) -> np.ndarray:
    """The answer in float64 (floats) or exactly (ints, bools), computed by NumPy."""
    up = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in arrays]
    if op.kind == "axis":
        base, axis = _axis_op(op)
        return np.asarray(getattr(np, base)(up[0], axis=axis))
    fn = _REFERENCE.get(op.name) or getattr(np, _NP_NAMES.get(op.name, op.name))
    return np.asarray(fn(*up))


def tolerance(op: str, dtype: str) -> tuple[float, float]:
    """(rtol, atol) for `np.allclose(result, float64_reference)`.

    Element-wise results are one rounding away from the reference; reductions, dot and matmul
    sum many terms in an order that each library picks, so they get more room. Inputs are
    non-negative, so a relative tolerance is meaningful even for long sums."""
    kind = _op(op).kind
    dt = np.dtype(dtype)
    if kind == "sort":
        return (0.0, 0.0)  # a permutation of the input: exact
    if dt.kind in "biu":
        return (1e-12, 0.0) if op in ("mean", "div") else (0.0, 0.0)
    single = dt.itemsize <= 4
    if kind in ("elementwise", "unary"):
        return (2e-6, 1e-30) if single else (1e-13, 1e-300)
    if kind == "scan":
        # running sums: a sequential float32 scan (NumPy's) drifts far more than a blocked one
        return (1e-2, 1e-6) if single else (1e-9, 1e-12)
    return (2e-4, 1e-6) if single else (1e-10, 1e-12)


def _agree(got: Any, expected: np.ndarray, rtol: float, atol: float) -> tuple[bool, float]:
    g = np.asarray(got)
    if g.shape != expected.shape:
        return False, math.inf
    g64 = g.astype(np.float64)
    e64 = expected.astype(np.float64)
    diff = float(np.max(np.abs(g64 - e64))) if g.size else 0.0
    ok = bool(np.allclose(g64, e64, rtol=rtol, atol=atol, equal_nan=True))
    return ok, diff


# --------------------------------------------------------------------------------------------
# Libraries
# --------------------------------------------------------------------------------------------


def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def _prepare_corepy(op: Op, arrays: list[np.ndarray]) -> tuple[Callable[[], Any], Callable]:
    # Functions are looked up on the module at call time, so a test can monkeypatch them.
    ts = [cp.Tensor(a) for a in arrays]
    name = op.name
    if op.kind in ("reduce", "scan", "sort"):
        (x,) = ts
        return (lambda: getattr(cp, name)(x)), np.asarray
    if op.kind == "axis":
        (x,) = ts
        base, axis = _axis_op(op)
        return (lambda: getattr(cp, base)(x, axis=axis)), np.asarray
    if name == "add_out":
        a, b = ts
        out = cp.Tensor(np.empty_like(arrays[0]))
        return (lambda: cp.add(a, b, out=out)), np.asarray
    if op.kind == "unary":
        (x,) = ts
        return (lambda: getattr(cp, name)(x)), np.asarray
    a, b = ts
    fn_name = {"matvec": "matmul"}.get(name, name)
    return (lambda: getattr(cp, fn_name)(a, b)), np.asarray


def _prepare_numpy(op: Op, arrays: list[np.ndarray]) -> tuple[Callable[[], Any], Callable]:
    name = op.name
    if name in ("sort",):
        (x,) = arrays
        return (lambda: np.sort(x)), np.asarray
    if name == "argsort":
        (x,) = arrays
        return (lambda: np.argsort(x, kind="stable")), np.asarray
    if op.kind == "axis":
        (x,) = arrays
        base, axis = _axis_op(op)
        fa = getattr(np, base)
        return (lambda: fa(x, axis=axis)), np.asarray
    if op.kind in ("reduce", "scan"):
        (x,) = arrays
        f = np.cumsum if name == "cumulative_sum" else getattr(np, name)
        return (lambda: f(x)), np.asarray
    if name == "add_out":
        a, b = arrays
        out = np.empty_like(a)
        return (lambda: np.add(a, b, out=out)), np.asarray
    fn = getattr(np, _NP_NAMES.get(name, name))
    return (lambda: fn(*arrays)), np.asarray


def _prepare_torch(op: Op, arrays: list[np.ndarray]) -> tuple[Callable[[], Any], Callable]:
    torch = _torch()
    assert torch is not None
    ts = [torch.from_numpy(a) for a in arrays]

    def to_numpy(r):
        return r.detach().cpu().numpy() if hasattr(r, "detach") else np.asarray(r)

    name = op.name
    if op.kind == "axis":
        (x,) = ts
        base, axis = _axis_op(op)
        ft = {"sum": torch.sum, "max": torch.amax}[base]
        return (lambda: ft(x, dim=axis)), to_numpy
    if op.kind in ("reduce", "scan"):
        (x,) = ts
        special = {
            "std": lambda: torch.std(x, correction=0),
            "var": lambda: torch.var(x, correction=0),
            "cumulative_sum": lambda: torch.cumsum(x, 0),
        }
        return special.get(name, lambda: getattr(torch, name)(x)), to_numpy
    if op.kind == "unary":
        (x,) = ts
        return (lambda: getattr(torch, name)(x)), to_numpy
    if name == "sort":
        (x,) = ts
        return (lambda: torch.sort(x, stable=True).values), to_numpy
    if name == "argsort":
        (x,) = ts
        return (lambda: torch.argsort(x, stable=True)), to_numpy
    a, b = ts
    if name == "add_out":
        out = torch.empty_like(a)
        return (lambda: torch.add(a, b, out=out)), to_numpy
    fn_name = {"matvec": "mv", "remainder": "remainder", "floor_divide": "floor_divide"}.get(
        name, name
    )
    return (lambda: getattr(torch, fn_name)(a, b)), to_numpy


_PREPARE = {"corepy": _prepare_corepy, "numpy": _prepare_numpy, "torch": _prepare_torch}


def _available(lib: str) -> bool:
    return lib != "torch" or _torch() is not None


# --------------------------------------------------------------------------------------------
# The machine: limits and idleness
# --------------------------------------------------------------------------------------------

_MACHINE: dict[tuple[int, int], dict[str, Any]] = {}


def machine_limits(
    array_mb: int | None = None, repeats: int | None = None, *, refresh: bool = False
) -> dict[str, Any]:
    """`cp.machine()`, measured once per process (and per arguments) and then cached.

    Defaults: 256 MB arrays (DRAM, not L3) and 5 repeats, or 8 MB and 2 in quick mode. A
    cached measurement with larger arrays is reused for smaller requests."""
    quick = quick_mode()
    mb = array_mb if array_mb is not None else (8 if quick else 256)
    reps = repeats if repeats is not None else (2 if quick else 5)
    if not refresh:
        best = [k for k in _MACHINE if k[0] >= mb and k[1] >= reps]
        if best:
            return _MACHINE[max(best)]
    m = cp.machine(array_mb=mb, repeats=reps)
    _MACHINE[(mb, reps)] = m
    return m


def _by_threads(table: dict, threads: int) -> float | None:
    """The entry of a {threads: value} map (keys int, or str after JSON) for `threads`, or the
    nearest measured thread count below it."""
    vals = {int(k): float(v) for k, v in table.items()}
    if not vals:
        return None
    below = [k for k in vals if k <= threads]
    return vals[max(below)] if below else vals[min(vals)]


def limit_for(op: str, dtype: str, threads: int, machine: dict[str, Any]) -> tuple[float, str]:
    """(limit, unit) that `op` is held against: STREAM GB/s of its pattern, or peak GFLOP/s."""
    o = _op(op)
    if o.bound == "compute":
        peak = _by_threads(machine.get("peak_gflops", {}), threads) or math.nan
        # cp.machine() measures float32 FMA chains; float64 vectors hold half as many lanes.
        return peak * 4 / max(4, np.dtype(dtype).itemsize), "GFLOP/s"
    bw = machine.get("bandwidth_gbps", {}).get(o.pattern, {})
    return _by_threads(bw, threads) or math.nan, "GB/s"


def bandwidth_ceiling(
    pattern: str, threads: int, machine: dict[str, Any], nbytes: float | None = None
) -> tuple[float, str]:
    """(GB/s, level) that a memory-bound result moving `nbytes` is held against: the bandwidth
    of `pattern` (a STREAM kernel) in the smallest cache level of ``machine["levels"]`` whose
    size holds the working set, else DRAM's (``machine["bandwidth_gbps"]``). Without `nbytes` or
    levels, DRAM."""
    levels = machine.get("levels") or {}
    if nbytes is not None:
        sized = [(lv["bytes"], name, lv) for name, lv in levels.items() if lv.get("bytes")]
        for size, name, lv in sorted(sized, key=lambda t: t[0]):
            if nbytes <= size:
                bw = _by_threads(lv.get("bandwidth_gbps", {}).get(pattern, {}), threads)
                if bw:
                    return bw, name
                break
    bw = _by_threads(machine.get("bandwidth_gbps", {}).get(pattern, {}), threads)
    return (bw or math.nan), "DRAM"


def limit_level(
    op: str, dtype: str, threads: int, machine: dict[str, Any], nbytes: float | None = None
) -> tuple[float, str, str]:
    """(limit, unit, level): like `limit_for`, a memory-bound op judged against the ceiling of
    the cache level its working set (`nbytes`) fits in; level is "L1".."L3", "DRAM" or "peak"
    (compute-bound: the FMA peak)."""
    o = _op(op)
    if o.bound == "compute":
        limit, unit = limit_for(op, dtype, threads, machine)
        return limit, unit, "peak"
    bw, level = bandwidth_ceiling(o.pattern, threads, machine, nbytes)
    return bw, "GB/s", level


def _cpu_times() -> tuple[int, int] | None:
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    values = [int(v) for v in fields[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return idle, sum(values[:8])  # guest time is already counted in user


class _OthersLoad:
    """The share of all CPUs' time that *other* processes used between `start` and `stop`:
    /proc/stat's busy time minus this process's own CPU time. None where /proc/stat is missing
    or the interval is too short for its clock ticks (10 ms) to say anything."""

    TICK_S = 1.0 / (os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100)

    def start(self) -> None:
        self.t0 = _cpu_times()
        own = os.times()
        self.own0 = own.user + own.system

    def stop(self) -> float | None:
        t1 = _cpu_times()
        if self.t0 is None or t1 is None:
            return None
        own = os.times()
        own_s = own.user + own.system - self.own0
        total_s = (t1[1] - self.t0[1]) * self.TICK_S
        if total_s < 0.2:  # fewer than ~20 ticks: too coarse
            return None
        busy_s = total_s - (t1[0] - self.t0[0]) * self.TICK_S
        return min(1.0, max(0.0, (busy_s - own_s) / total_s))


def cpu_idle(sample_s: float = 0.2) -> float | None:
    """The share of CPU time (all cores) that was idle over the next `sample_s` seconds, from
    /proc/stat; None where that file does not exist."""
    first = _cpu_times()
    if first is None:
        return None
    time.sleep(sample_s)
    second = _cpu_times()
    if second is None:
        return None
    total = second[1] - first[1]
    return 1.0 if total <= 0 else (second[0] - first[0]) / total


def wait_for_idle(
    min_idle: float = 0.75, max_wait_s: float = 3.0, sample_s: float = 0.2
) -> dict[str, Any]:
    """Waits (at most `max_wait_s`) until at least `min_idle` of the CPU time is idle.

    Never hangs: returns {"idle": last measured share or None, "waited_s": ..., "idle_ok": bool}
    when the machine is idle, when the time is up, or at once where /proc/stat is missing."""
    start = time.perf_counter()
    while True:
        idle = cpu_idle(sample_s)
        waited = time.perf_counter() - start
        if idle is None or idle >= min_idle or waited + sample_s > max_wait_s:
            return {
                "idle": idle,
                "waited_s": waited,
                "idle_ok": idle is None or idle >= min_idle,
            }


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


def _fmt_time(s: float) -> str:
    if not math.isfinite(s):
        return "-"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1.0:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"


def _fmt_size(op: str, n: int) -> str:
    if OPS.get(op) is not None and OPS[op].kind in ("matmul", "matvec", "axis"):
        return f"{n}x{n}"
    exp = round(math.log10(n)) if n > 0 else 0
    return f"1e{exp}" if n == 10**exp else f"{n:,}"


def _fmt_num(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        if not math.isfinite(v):
            return "-"
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


class Results(list):
    """The rows of a run (one dict per op, size and library): a plain list of dicts, plus

    * ``notes``: what was skipped or looks doubtful (also printed while running);
    * ``machine``: the ``cp.machine()`` numbers the percentages refer to;
    * ``to_frame()``: a pandas DataFrame (pandas is optional);
    * ``table()``: a plain-text table; ``ratios()``: baseline time / library time per point;
    * ``save(path)``: JSON (see `save` and `load`).

    Row keys: op, size, lib, dtype, threads, median_s, q1_s, q3_s, min_s, max_s, runs,
    calls_per_run, bytes, flops, gbps, gflops, intensity (flops/byte), bound, pattern,
    pct_of_peak, agrees, max_abs_diff, others_load (CPU share other processes took meanwhile).
    """

    def __init__(
        self,
        rows: Iterable[dict[str, Any]] = (),
        notes: Iterable[str] = (),
        machine: dict[str, Any] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(rows)
        self.notes: list[str] = list(notes)
        self.machine: dict[str, Any] = machine or {}
        self.meta: dict[str, Any] = meta or {}

    def to_frame(self):
        """The rows as a pandas DataFrame (raises ImportError naming pandas if it is missing)."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("Results.to_frame() needs pandas: pip install pandas") from e
        return pd.DataFrame(list(self))

    def ratios(self, baseline: str = "numpy") -> list[dict[str, Any]]:
        """For each op, size and library other than `baseline`: baseline median / its median
        (above 1: that library is faster than the baseline)."""
        base = {(r["op"], r["size"], r["dtype"]): r for r in self if r["lib"] == baseline}
        out = []
        for r in self:
            b = base.get((r["op"], r["size"], r["dtype"]))
            if r["lib"] == baseline or b is None:
                continue
            out.append(
                {
                    "op": r["op"],
                    "size": r["size"],
                    "dtype": r["dtype"],
                    "lib": r["lib"],
                    "baseline": baseline,
                    "ratio": b["median_s"] / r["median_s"],
                }
            )
        return out

    def _table_rows(self) -> tuple[list[str], list[list[str]]]:
        base = {(r["op"], r["size"], r["dtype"]): r for r in self if r["lib"] == "numpy"}
        head = ["op", "size", "lib", "dtype", "median", "q1..q3", "GB/s", "GFLOP/s"]
        head += ["% peak", "vs numpy", "agrees"]
        rows = []
        for r in self:
            b = base.get((r["op"], r["size"], r["dtype"]))
            ratio = f"{b['median_s'] / r['median_s']:.2f}x" if b else "-"
            rows.append(
                [
                    r["op"],
                    _fmt_size(r["op"], r["size"]),
                    r["lib"],
                    r["dtype"],
                    _fmt_time(r["median_s"]),
                    f"{_fmt_time(r['q1_s'])}..{_fmt_time(r['q3_s'])}",
                    _fmt_num(r.get("gbps")),
                    _fmt_num(r.get("gflops")),
                    _fmt_num(r.get("pct_of_peak")),
                    ratio,
                    _fmt_num(r["agrees"]),
                ]
            )
        return head, rows

    def table(self) -> str:
        """A plain-text table; "vs numpy" is NumPy's median / this library's (above 1: faster)."""
        head, rows = self._table_rows()
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        for row in rows:
            cells = [
                c.ljust(w) if i < 4 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(cells))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        import html

        head, rows = self._table_rows()
        th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        notes = "".join(f"<p><i>note: {html.escape(n)}</i></p>" for n in self.notes)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>{notes}"

    def save(self, path: str | os.PathLike) -> Path:
        return save(self, path)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, np.generic):
        return _jsonable(obj.item())
    return obj


def _int_keys(obj: Any) -> Any:
    """JSON turns the {threads: value} keys of cp.machine() into strings; turn them back."""
    if isinstance(obj, dict):
        return {
            (int(k) if isinstance(k, str) and k.isdigit() else k): _int_keys(v)
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_int_keys(v) for v in obj]
    return obj


def save(results: Sequence[dict[str, Any]], path: str | os.PathLike) -> Path:
    """Writes `results` (rows, notes, machine) as JSON to `path`; returns the path."""
    path = Path(path)
    payload = {
        "format": FORMAT,
        "machine": getattr(results, "machine", {}),
        "notes": getattr(results, "notes", []),
        "meta": getattr(results, "meta", {}),
        "rows": list(results),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_jsonable(payload), indent=1) + "\n", encoding="utf-8")
    return path


def load(path: str | os.PathLike) -> Results:
    """Reads a file written by `save` (or a report's results.json) back into `Results`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, list):
        return Results(data)
    rows = data.get("rows", data.get("results", []))
    for r in rows:
        for k, v in r.items():
            if v is None and k.endswith(("_s", "pct_of_peak", "max_abs_diff")):  # were nan/inf
                r[k] = math.nan
    return Results(
        rows,
        notes=data.get("notes", []),
        machine=_int_keys(data.get("machine", {})),
        meta=data.get("meta", {}),
    )


def parse_threshold(value: float | str) -> float:
    """A regression threshold as a fraction: "10%", "10" and 10 are 10% (0.1); a float below 1
    (0.1) is already a fraction."""
    text = str(value).strip()
    pct = text.endswith("%")
    try:
        v = float(text.rstrip("%"))
    except ValueError:
        raise ValueError(f"threshold must be a percentage like '10%', got {value!r}") from None
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"threshold must be a non-negative percentage, got {value!r}")
    return v / 100 if pct or v >= 1 else v


def _spread(r: dict[str, Any]) -> tuple[float, float]:
    """A run's spread around its median: its quartiles, else its min and max, else the median."""
    med = r["median_s"]
    lo = r.get("q1_s", r.get("min_s", med))
    hi = r.get("q3_s", r.get("max_s", med))
    lo = med if lo is None or not math.isfinite(lo) else lo
    hi = med if hi is None or not math.isfinite(hi) else hi
    return lo, hi


def _verdict(old: dict[str, Any], new: dict[str, Any], threshold: float) -> str:
    """ "regression" when `new` is slower than `old` by more than `threshold` (medians) AND its
    spread lies wholly above old's (the change is outside both runs' noise); "improvement" the
    same way down; else "within noise"."""
    a, b = old["median_s"], new["median_s"]
    (a_lo, a_hi), (b_lo, b_hi) = _spread(old), _spread(new)
    if b > a * (1 + threshold) and b_lo > a_hi:
        return "regression"
    if b * (1 + threshold) < a and b_hi < a_lo:
        return "improvement"
    return "within noise"


def compare_runs(
    a: Sequence[dict[str, Any]], b: Sequence[dict[str, Any]], threshold: float | str | None = None
) -> Results:
    """Points measured in both runs, with ``speedup`` = a's median / b's median (above 1: b is
    faster, e.g. a = before a change, b = after). Returns `Results` (print it for a table).

    With `threshold` (e.g. "10%"), a regression gate: each row gets ``change`` (b's median / a's
    - 1) and ``verdict``: "regression" only when b is slower by more than the threshold AND its
    quartile range lies wholly above a's (outside both runs' spread), "improvement" likewise,
    else "within noise". The result's ``regressions`` lists the regressed rows and ``ok`` is
    False when there is one."""
    thr = None if threshold is None else parse_threshold(threshold)
    key = ("op", "size", "lib", "dtype")
    first = {tuple(r[k] for k in key): r for r in a}
    rows = []
    for r in b:
        old = first.get(tuple(r[k] for k in key))
        if old is None:
            continue
        row = {
            **{k: r[k] for k in key},
            "a_median_s": old["median_s"],
            "b_median_s": r["median_s"],
            "speedup": old["median_s"] / r["median_s"],
            "agrees": bool(old.get("agrees", True) and r.get("agrees", True)),
        }
        if thr is not None:
            row["change"] = r["median_s"] / old["median_s"] - 1
            row["verdict"] = _verdict(old, r, thr)
        rows.append(row)
    res = _RunComparison(rows)
    res.threshold = thr
    missing = len(first) - len(rows)
    if missing > 0:
        res.notes.append(f"{missing} point(s) of the first run are not in the second")
    return res


class _RunComparison(Results):
    threshold: float | None = None

    @property
    def regressions(self) -> list[dict[str, Any]]:
        """Rows the gate calls regressions (empty without a threshold)."""
        return [r for r in self if r.get("verdict") == "regression"]

    @property
    def ok(self) -> bool:
        """No regression beyond the threshold and the runs' spread."""
        return not self.regressions

    def table(self) -> str:
        gated = self.threshold is not None
        head = ["op", "size", "lib", "dtype", "a", "b", "speedup (a/b)"]
        if gated:
            head += ["change", f"verdict (threshold {self.threshold:.0%})"]
        rows = [
            [
                r["op"],
                _fmt_size(r["op"], r["size"]),
                r["lib"],
                r["dtype"],
                _fmt_time(r["a_median_s"]),
                _fmt_time(r["b_median_s"]),
                f"{r['speedup']:.2f}x",
            ]
            + ([f"{r['change']:+.1%}", r["verdict"]] if gated else [])
            for r in self
        ]
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(self.table()) + "</pre>"


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------


def _estimate(fn: Callable[[], Any], tries: int = 3) -> float:
    best = math.inf
    for _ in range(tries):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return max(best, 1e-9)


def _run(fn: Callable[[], Any], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def time_round_robin(
    fns: dict[str, Callable[[], Any]],
    budget_s: float,
    min_run_s: float = MIN_RUN_S,
    settle_s: float = 0.0,
) -> dict[str, tuple[list[float], int]]:
    """Seconds per call of each function, {name: (one value per run, calls per run)}.

    Warms each function up, batches calls so a run lasts at least `min_run_s`, then takes runs
    round-robin (rotating who goes first) until `budget_s` is spent, with at least MIN_RUNS and
    at most MAX_RUNS runs each. `settle_s` of idle time before each run lets the previous
    library's spinning threads (threaded BLAS) go quiet; it counts against the budget."""
    names = list(fns)
    for _ in range(2):  # warm-up: caches, page faults, thread pools
        for name in names:
            fns[name]()
    number = {name: max(1, math.ceil(min_run_s / _estimate(fns[name]))) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    start = time.perf_counter()
    try:
        r = 0
        while r < MAX_RUNS and (r < MIN_RUNS or time.perf_counter() - start < budget_s):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                if settle_s:
                    time.sleep(settle_s)
                samples[name].append(_run(fns[name], number[name]))
            r += 1
    finally:
        if gc_was_enabled:
            gc.enable()
    return {name: (samples[name], number[name]) for name in names}


def _quartiles(xs: list[float]) -> tuple[float, float, float]:
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], statistics.median(xs), q[2]


# --------------------------------------------------------------------------------------------
# Display: notebook detection, live plot, progress
# --------------------------------------------------------------------------------------------


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where plots and progress bars are drawn live)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _matplotlib():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure


def _register_figure_formatter() -> None:
    """In Jupyter, let a returned matplotlib Figure display as a PNG even when pyplot (and with
    it the inline backend) was never imported: bench draws on bare Figure objects."""
    if not in_notebook():
        return
    Figure = _matplotlib()
    if Figure is None:
        return
    import IPython

    formatter = IPython.get_ipython().display_formatter.formatters["image/png"]
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        formatter.for_type(Figure, lambda fig: _figure_bytes(fig, "png"))


def _figure_bytes(fig, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=100)
    return buf.getvalue()


def _svg_rc():
    import matplotlib

    # Text as <text>, not glyph paths: smaller files, no clashing glyph ids when several SVGs
    # are inlined into one HTML page; a fixed hash salt makes the files reproducible.
    return matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "corepy"})


def save_figure(fig, path: str | os.PathLike) -> Path:
    """Saves a figure as PNG or SVG (by the suffix of `path`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _svg_rc():
        fig.savefig(path, dpi=110)
    return path


def _readable_log_ticks(ax) -> None:
    """Plain numbers on log axes ("60", not "6 x 10^1"); where an axis spans less than two
    decades, the 2s and 5s between the powers of ten are labelled too."""
    from matplotlib.ticker import FuncFormatter

    def major(v, _pos):
        exp = math.log10(v) if v > 0 else 0.0
        if abs(exp) >= 3 and abs(exp - round(exp)) < 1e-9:
            return f"$10^{{{round(exp)}}}$"
        return f"{v:g}"

    def minor_for(axis):
        def fmt(v, _pos):
            lo, hi = sorted(axis.get_view_interval())
            if lo <= 0 or v <= 0:
                return ""
            decades = math.log10(hi / lo)
            lead = round(v / 10 ** math.floor(math.log10(v) + 1e-9), 6)
            if decades < 0.5 or (decades < 1.0 and lead in (2.0, 3.0, 5.0)):
                return f"{v:g}"
            return f"{v:g}" if decades < 2.0 and lead in (2.0, 5.0) else ""

        return fmt

    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            axis.set_major_formatter(FuncFormatter(major))
            axis.set_minor_formatter(FuncFormatter(minor_for(axis)))


_LIB_STYLE = {
    "corepy": {"color": "#d62728", "marker": "o"},
    "numpy": {"color": "#1f77b4", "marker": "s"},
    "torch": {"color": "#ff7f0e", "marker": "^"},
}
_OTHER_COLORS = ("#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")
_OTHER_MARKERS = ("D", "v", "P", "X", "<", ">", "*")


def _lib_styles(libs: Iterable[str]) -> dict[str, dict[str, str]]:
    """Fixed colors for corepy/numpy/torch; others (e.g. "corepy avx2") get the next free ones."""
    styles, k = {}, 0
    for lib in dict.fromkeys(libs):
        if lib in _LIB_STYLE:
            styles[lib] = _LIB_STYLE[lib]
        else:
            styles[lib] = {"color": _OTHER_COLORS[k % 7], "marker": _OTHER_MARKERS[k % 7]}
            k += 1
    return styles


def plot(
    results: Sequence[dict[str, Any]],
    metric: str = "throughput",
    save: str | os.PathLike | None = None,
    ops: Sequence[str] | None = None,
    title: str | None = None,
):
    """Time or throughput against size (log axes), one panel per op, one line per library.

    `metric`: "throughput" (GB/s for memory-bound ops, GFLOP/s for matmul) or "time".
    Returns a matplotlib Figure (None, with a printed note, if matplotlib is missing)."""
    Figure = _matplotlib()
    if Figure is None:
        print("note: matplotlib is not installed; no plot (pip install matplotlib)")
        return None
    if metric not in ("throughput", "time"):
        raise ValueError(f"metric must be 'throughput' or 'time', got {metric!r}")
    _register_figure_formatter()
    ops = list(ops) if ops is not None else list(dict.fromkeys(r["op"] for r in results))
    cols = min(3, max(1, len(ops)))
    rows_n = max(1, math.ceil(len(ops) / cols))
    styles = _lib_styles(r["lib"] for r in results)
    fig = Figure(figsize=(4.6 * cols, 3.4 * rows_n), layout="constrained")
    for i, op in enumerate(ops):
        ax = fig.add_subplot(rows_n, cols, i + 1)
        compute = OPS[op].bound == "compute" if op in OPS else False
        rs = [r for r in results if r["op"] == op]
        for lib in dict.fromkeys(r["lib"] for r in rs):
            pts = sorted((r["size"], r) for r in rs if r["lib"] == lib)
            xs = [s for s, _ in pts]
            if metric == "time":
                ys = [r["median_s"] for _, r in pts]
                lo = [r["median_s"] - r["q1_s"] for _, r in pts]
                hi = [r["q3_s"] - r["median_s"] for _, r in pts]
            else:
                key = "gflops" if compute else "gbps"
                ys = [r.get(key) or math.nan for _, r in pts]
                # the time quartiles, turned into throughput error bars
                lo = [y - y * r["median_s"] / r["q3_s"] for y, (_, r) in zip(ys, pts, strict=True)]
                hi = [y * r["median_s"] / r["q1_s"] - y for y, (_, r) in zip(ys, pts, strict=True)]
            style = styles[lib]
            ax.errorbar(xs, ys, yerr=[lo, hi], label=lib, capsize=2, markersize=4, **style)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(op)
        square = op in OPS and OPS[op].kind in ("matmul", "matvec", "axis")
        ax.set_xlabel("n (n x n matrices)" if square else "n")
        if metric == "time":
            ax.set_ylabel("seconds per call (median)")
        else:
            ax.set_ylabel("GFLOP/s" if compute else "GB/s")
        ax.grid(True, which="both", alpha=0.3)
        _readable_log_ticks(ax)
        sizes = sorted({r["size"] for r in rs})
        if square and len(sizes) <= 8:  # label the matrix sides measured: 64, 128, ...
            ax.set_xticks(sizes, labels=[str(n) for n in sizes])
            ax.set_xticks([], minor=True)
        ax.legend(fontsize="small")
    if title:
        fig.suptitle(title)
    if save is not None:
        save_figure(fig, save)
    return fig


def roofline(
    results: Sequence[dict[str, Any]],
    machine: dict[str, Any] | None = None,
    save: str | os.PathLike | None = None,
    threads: int | None = None,
    title: str | None = None,
):
    """The roofline of this machine with every measured point placed under it.

    x: arithmetic intensity (flops per byte of compulsory traffic); y: achieved GFLOP/s. The
    roofs come from `cp.machine()` (given, the run's own, or measured now): the slanted one is
    bandwidth x intensity (STREAM "read", and "add" dashed), the flat one the float32 FMA peak.
    all/any (no flops) are left out. Returns a matplotlib Figure (None if matplotlib is missing).
    """
    Figure = _matplotlib()
    if Figure is None:
        print("note: matplotlib is not installed; no roofline (pip install matplotlib)")
        return None
    _register_figure_formatter()
    machine = machine or getattr(results, "machine", None) or machine_limits()
    if threads is None:
        threads = max((int(r.get("threads", 1)) for r in results), default=cp.get_num_threads())
    peak = _by_threads(machine.get("peak_gflops", {}), threads) or math.nan
    bw = machine.get("bandwidth_gbps", {})
    read_bw = _by_threads(bw.get("read", {}), threads) or math.nan
    add_bw = _by_threads(bw.get("add", {}), threads) or math.nan

    pts = [r for r in results if r.get("flops") and r.get("gflops")]
    xs_all = [r["intensity"] for r in pts] or [0.1, 10.0]
    lo = min(min(xs_all) / 3, 0.05)
    hi = max(max(xs_all) * 3, 4 * peak / read_bw if read_bw else 100)
    grid = np.geomspace(lo, hi, 200)

    fig = Figure(figsize=(8.5, 5), layout="constrained")
    ax = fig.add_subplot()
    plural = "s" if threads != 1 else ""
    ax.plot(
        grid, np.minimum(peak, read_bw * grid), "k-", lw=2, label=f"STREAM read {read_bw:.0f} GB/s"
    )
    ax.plot(
        grid, np.minimum(peak, add_bw * grid), "k--", lw=1, label=f"STREAM add {add_bw:.0f} GB/s"
    )
    levels = machine.get("levels") or {}
    shades = ["#c0392b", "#e67e22", "#27ae60"]
    cache = sorted(
        ((lv["bytes"], name, lv) for name, lv in levels.items() if lv.get("bytes")),
        key=lambda t: t[0],
    )
    for i, (_, name, lv) in enumerate(cache):
        lbw = _by_threads(lv.get("bandwidth_gbps", {}).get("read", {}), threads)
        if lbw:
            ax.plot(
                grid,
                np.minimum(peak, lbw * grid),
                ls=":",
                lw=1.2,
                color=shades[i % len(shades)],
                label=f"{name} read {lbw:.0f} GB/s",
            )
    ax.text(
        hi / 1.3,
        peak * 1.15,
        f"float32 FMA peak {peak:.0f} GFLOP/s ({threads} thread{plural})",
        fontsize="small",
        ha="right",
    )
    op_names = list(dict.fromkeys(r["op"] for r in pts))
    cmap = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
    cmap += ["#bcbd22", "#17becf", "#000080", "#808000", "#ff1493"]  # no gray: that is the libs
    colors = {op: cmap[i % len(cmap)] for i, op in enumerate(op_names)}
    seen = set()
    lib_styles = _lib_styles(r["lib"] for r in pts)
    for r in pts:
        style = lib_styles[r["lib"]]
        ax.scatter(
            r["intensity"],
            r["gflops"],
            color=colors[r["op"]],
            marker=style["marker"],
            s=14 + 10 * math.log10(max(10, r["size"])),
            alpha=0.8,
            edgecolors="k" if r["lib"] == "corepy" else "none",
            linewidths=0.6,
        )
        seen.add(r["lib"])
    from matplotlib.lines import Line2D

    handles = ax.get_legend_handles_labels()[0]
    handles += [Line2D([], [], color=colors[o], marker="o", ls="", label=o) for o in op_names]
    for lib in sorted(seen):
        marker = lib_styles[lib]["marker"]
        edge = "k" if lib == "corepy" else "none"
        handles.append(Line2D([], [], color="gray", marker=marker, mec=edge, ls="", label=lib))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ys = [r["gflops"] for r in pts] + [read_bw * lo]
    ax.set_xlim(lo, hi)
    ax.set_ylim(max(min(ys) / 3, 1e-3), peak * 2.5)
    _readable_log_ticks(ax)
    ax.set_xlabel("arithmetic intensity (flop / byte of compulsory traffic)")
    ax.set_ylabel("achieved GFLOP/s")
    ax.set_title(title or "Roofline (marker size grows with n)")
    ax.grid(True, which="both", alpha=0.3)
    if save is not None:
        save_figure(fig, save)
    return fig


_plot = plot  # `compare` has a parameter named plot


class _Live:
    """Progress (tqdm bar in Jupyter, one printed line per point elsewhere) and, in Jupyter, a
    plot redrawn in place as points arrive."""

    def __init__(self, total: int, plot_metric: str | None, progress: bool | None) -> None:
        self.notebook = in_notebook()
        self.bar = None
        self.lines = not self.notebook if progress is None else (progress and not self.notebook)
        want_bar = self.notebook if progress is None else (progress and self.notebook)
        if want_bar:
            self.bar = _tqdm(total)
        self.metric = plot_metric if self.notebook else None
        self.handle = None
        self.last_draw = 0.0
        self.min_gap = 0.5  # seconds between redraws; grows with the cost of a redraw
        self.total = total
        self.done = 0

    def point(self, rows: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
            if new:
                self.bar.set_postfix_str(
                    f"{new[0]['op']} {_fmt_size(new[0]['op'], new[0]['size'])}"
                )
        if self.lines and new:
            self._print_line(new)
        if self.metric and time.perf_counter() - self.last_draw > self.min_gap:
            self.draw(rows)

    def _print_line(self, new: list[dict[str, Any]]) -> None:
        r0 = new[0]
        base = next((r for r in new if r["lib"] == "numpy"), None)
        parts = []
        for r in new:
            compute = r.get("bound") == "compute"
            tp = r.get("gflops") if compute else r.get("gbps")
            unit = "GFLOP/s" if compute else "GB/s"
            part = f"{r['lib']} {_fmt_time(r['median_s']):>9} {_fmt_num(tp):>6} {unit}"
            if base is not None and r is not base:
                part += f" ({base['median_s'] / r['median_s']:.2f}x)"
            if r["agrees"] is False:
                part += " MISMATCH"
            parts.append(part)
        width = len(str(self.total))
        size = _fmt_size(r0["op"], r0["size"])
        head = f"[{self.done:>{width}}/{self.total}] {r0['op']:<7} {size:>9}"
        print(f"{head}  " + " | ".join(parts), flush=True)

    def draw(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        from IPython.display import Image, display

        start = time.perf_counter()
        fig = plot(rows, metric=self.metric)
        if fig is None:
            self.metric = None
            return
        img = Image(data=_figure_bytes(fig, "png"), format="png")
        if self.handle is None:
            self.handle = display(img, display_id=True)
        else:
            self.handle.update(img)
        self.last_draw = time.perf_counter()
        # Drawing may take at most ~1/5 of the time: a big grid of panels redraws less often.
        self.min_gap = max(0.5, 4 * (self.last_draw - start))

    def close(self, rows: list[dict[str, Any]]) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.metric:
            self.draw(rows)


def _tqdm(total: int):
    try:
        import ipywidgets  # noqa: F401 - the notebook bar needs it
        from tqdm.notebook import tqdm
    except ImportError:
        try:
            from tqdm.std import tqdm
        except ImportError:
            return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tqdm(total=total, desc="bench", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# compare
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _threads(threads: int | None, torch_mod):
    old_cp = cp.get_num_threads()
    old_torch = torch_mod.get_num_threads() if torch_mod is not None else None
    try:
        if threads is not None:
            cp.set_num_threads(threads)
        if torch_mod is not None:
            torch_mod.set_num_threads(cp.get_num_threads())
        yield cp.get_num_threads()
    finally:
        cp.set_num_threads(old_cp)
        if torch_mod is not None and old_torch is not None:
            torch_mod.set_num_threads(old_torch)


def compare(
    op: str | Sequence[str] | dict[str, Callable[..., Any]],
    sizes: Sequence[int] | dict[str, Sequence[int]] | None = None,
    libs: Sequence[str] = LIBRARIES,
    dtype: str = "float32",
    budget: float | None = None,
    threads: int | None = None,
    plot: bool | str | None = None,
    *,
    save: str | os.PathLike | None = None,
    progress: bool | None = None,
    machine: dict[str, Any] | None = None,
    wait_idle: bool = True,
    print_table: bool | None = None,
    quick: bool | None = None,
    seed: int = 0,
    setup: Callable[[int], Any] | None = None,
    flops: Callable[[int], float] | None = None,
    nbytes: Callable[[int], float] | None = None,
    check: bool | Callable[[Any, Any], bool] = True,
    name: str = "callables",
) -> Results:
    """Times `op` (a name from `OPS`, or a list of them) at each size for each library, or the
    user's own callables.

    Args:
        op: "sum", "mean", "max", "min", "argmax", "std", "var", "cumulative_sum", "all", "any"
            (bool input), "add", "add_out" (out=), "sub", "mul", "div", "dot", "matvec",
            "matmul", "sort", "argsort" or any float function of the op table (`OPS`); or a
            list of these. Or a dict {label: callable}: each callable is timed on the arguments
            `setup(n)` returns (a tuple, or one value) at each size, and `libs` is ignored.
        setup, flops, nbytes, check, name: for callables only. `flops(n)` and `nbytes(n)`
            give throughput and the roofline position; `check=True` requires every result to
            agree with the first callable's (dtype-aware tolerance), a function `check(got,
            first) -> bool` customises that, False skips it; `name` labels the rows' op.
        sizes: elements per operand (n for n x n matrices), or {op: sizes}; None (or an op
            missing from the dict): `default_sizes(op)`.
        libs: any of "corepy", "numpy", "torch"; missing ones are skipped with a note.
        dtype: of the inputs (all/any always take bool).
        budget: seconds of timing per point, all libraries together (default 0.25; 0.02 in
            quick mode, see `quick_mode`).
        threads: corepy's thread count for the run (None: as it is); PyTorch gets the same.
        plot: draw time ("time") or throughput (True or "throughput") against size, live in
            Jupyter; None: throughput in Jupyter, no plot elsewhere; False: no plot.
        save: also save the final plot (PNG or SVG, by suffix; `plot` defaults to throughput).
        progress: tqdm bar in Jupyter / a line per point elsewhere (None: on; False: silent).
        machine: `cp.machine()` numbers for pct_of_peak (None: measured once and cached).
        wait_idle: first wait (a few seconds at most) for the CPUs to be idle. Each row's
            ``others_load`` is the share of CPU time other processes took while its point ran
            (None where unknown); a note flags points where it was high.
        print_table: print the final table (None: outside Jupyter, unless progress=False).
        quick: small budgets (None: from COREPY_QUICK).

    Returns:
        `Results`: a list with one dict per op, size and library (see `Results`), printed as a
        table outside Jupyter and shown as one inside.
    """
    if isinstance(op, dict):
        if setup is None:
            raise ValueError("compare: callables need setup=lambda n: args")
        funcs = dict(op)
        if not funcs or not all(callable(f) for f in funcs.values()):
            raise TypeError("compare: op must map labels to callables")
        custom = _Custom(name, funcs, setup, flops, nbytes, check)
        ops, libs = [name], list(funcs)
    else:
        custom = None
        ops = [op] if isinstance(op, str) else list(op)
        for opname in ops:
            _op(opname)
    quick = quick_mode() if quick is None else quick
    budget = budget if budget is not None else (QUICK_BUDGET_S if quick else DEFAULT_BUDGET_S)
    min_run_s = QUICK_MIN_RUN_S if quick else MIN_RUN_S
    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        if progress is not False:
            print(f"note: {text}", flush=True)

    run_libs = []
    for lib in dict.fromkeys(libs):
        if custom is not None:
            run_libs.append(lib)
        elif lib not in _PREPARE:
            raise ValueError(f"unknown library {lib!r}; expected some of {', '.join(_PREPARE)}")
        if _available(lib):
            run_libs.append(lib)
        else:
            note(f"{lib} is not installed: skipped (pip install {lib} to compare with it)")
    if not run_libs:
        return Results([], notes)

    if machine is None:
        machine = machine_limits()
    if wait_idle:
        idle = wait_for_idle(sample_s=0.05 if quick else 0.2, max_wait_s=0.2 if quick else 3.0)
        if not idle["idle_ok"]:
            note(
                f"the machine is busy (CPU idle {idle['idle']:.0%} after waiting "
                f"{idle['waited_s']:.1f} s): timings may be noisy"
            )

    points = []
    for opname in ops:
        op_sizes = sizes.get(opname) if isinstance(sizes, dict) else sizes
        if op_sizes is None and custom is not None:
            op_sizes = list(QUICK_VECTOR_SIZES if quick else VECTOR_SIZES)
        for n in op_sizes if op_sizes is not None else default_sizes(opname, quick):
            points.append((opname, int(n)))
    plot_metric: str | None
    if plot is None:
        plot_metric = "throughput" if (in_notebook() or save is not None) else None
    elif plot is False:
        plot_metric = None
    else:
        plot_metric = plot if isinstance(plot, str) else "throughput"
    if plot_metric is not None and _matplotlib() is None:
        note("matplotlib is not installed: no plot (pip install matplotlib)")
        plot_metric = None
    if progress is not False and in_notebook() and _tqdm_missing():
        note("tqdm is not installed: no progress bar (pip install tqdm)")

    rows: list[dict[str, Any]] = []
    rng = np.random.default_rng(seed)
    torch_mod = _torch() if "torch" in run_libs else None
    live = _Live(len(points), plot_metric, False if progress is False else None)
    load = _OthersLoad()
    with _threads(threads, torch_mod) as nthreads:
        if torch_mod is not None:
            notes.append(f"torch {torch_mod.__version__} with {nthreads} threads")
        try:
            for opname, n in points:
                load.start()
                if custom is not None:
                    new = custom.measure(n, budget, min_run_s, nthreads, machine, note)
                else:
                    new = _measure_point(
                        OPS[opname],
                        n,
                        dtype,
                        run_libs,
                        budget,
                        min_run_s,
                        nthreads,
                        machine,
                        rng,
                        note,
                    )
                others = load.stop()
                for r in new:
                    r["others_load"] = None if others is None else round(others, 3)
                rows.extend(new)
                live.point(rows, new)
        finally:
            live.close(rows)
    busy = sorted({(r["op"], r["size"]) for r in rows if (r["others_load"] or 0) > BUSY_SHARE})
    if busy:
        worst = max(r["others_load"] for r in rows if r["others_load"] is not None)
        note(
            f"other processes used over {BUSY_SHARE:.0%} of the CPUs (up to {worst:.0%}) while "
            f"{len(busy)} point(s) ran, e.g. {busy[0][0]} n={busy[0][1]}: see others_load; "
            "those timings may be noisy"
        )
    meta = {"budget_s": budget, "quick": quick, "threads": nthreads, "libs": run_libs}
    results = Results(rows, notes, machine, meta)
    if plot_metric is not None and save is not None:
        fig = _plot(results, metric=plot_metric)
        if fig is not None:
            save_figure(fig, save)
    if print_table if print_table is not None else (progress is not False and not in_notebook()):
        print(results.table(), flush=True)
    return results


def _tqdm_missing() -> bool:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return True
    return False


def _result_tolerance(x: Any) -> tuple[float, float]:
    """(rtol, atol) for results of x's dtype: exact for integers and bools, a few roundings
    accumulated for floats (sums in another order included)."""
    dt = np.asarray(x).dtype
    if dt.kind in "biu":
        return 0.0, 0.0
    return (1e-4, 1e-6) if dt.itemsize <= 4 or dt == np.complex64 else (1e-9, 1e-12)


@dataclass
class _Custom:
    """The user's callables of one `compare` call (see `compare`)."""

    name: str
    funcs: dict[str, Callable[..., Any]]
    setup: Callable[[int], Any]
    flops: Callable[[int], float] | None
    nbytes: Callable[[int], float] | None
    check: bool | Callable[[Any, Any], bool]

    def measure(self, n, budget, min_run_s, threads, machine, note) -> list[dict[str, Any]]:
        args = self.setup(n)
        args = args if isinstance(args, tuple) else (args,)
        fns = {label: (lambda f=f: f(*args)) for label, f in self.funcs.items()}
        first_label, first = None, None
        agrees: dict[str, tuple[bool | None, float | None]] = {}
        for label, fn in fns.items():
            got = fn()
            if self.check is False:
                agrees[label] = (None, None)
                continue
            if first_label is None:
                first_label, first = label, got
                agrees[label] = (True, 0.0)
                continue
            if callable(self.check):
                agrees[label] = (bool(self.check(got, first)), None)
            else:
                g, f = np.asarray(got), np.asarray(first)
                if g.shape != f.shape:
                    agrees[label] = (False, math.inf)
                else:
                    rtol, atol = _result_tolerance(f)
                    agrees[label] = _agree(
                        g,
                        f.astype(np.complex128 if f.dtype.kind == "c" else np.float64),
                        rtol,
                        atol,
                    )
            if agrees[label][0] is False:
                note(f"{label} disagrees with {first_label} at n={n}")
        settle = 0.0
        if min_run_s >= MIN_RUN_S:
            min_run_s, settle = max(min_run_s, STEADY_RUN_S), SETTLE_S
        timings = time_round_robin(fns, budget, min_run_s, settle)
        nb = self.nbytes(n) if self.nbytes else None
        fl = self.flops(n) if self.flops else None
        bw, level = bandwidth_ceiling("add", threads, machine, nb)
        rows = []
        for label, (xs, number) in timings.items():
            q1, med, q3 = _quartiles(xs)
            gbps = nb / med / 1e9 if nb else None
            gflops = fl / med / 1e9 if fl else None
            rows.append(
                {
                    "op": self.name,
                    "size": n,
                    "lib": label,
                    "dtype": str(np.asarray(args[0]).dtype) if args else "",
                    "threads": threads,
                    "median_s": med,
                    "q1_s": q1,
                    "q3_s": q3,
                    "min_s": min(xs),
                    "max_s": max(xs),
                    "runs": len(xs),
                    "calls_per_run": number,
                    "bytes": nb,
                    "flops": fl,
                    "gbps": gbps,
                    "gflops": gflops,
                    "intensity": fl / nb if fl and nb else None,
                    "bound": "memory",
                    "pattern": "add",
                    "pct_of_peak": 100.0 * gbps / bw if gbps and bw else math.nan,
                    "limit_level": level,
                    "agrees": agrees[label][0],
                    "max_abs_diff": agrees[label][1],
                }
            )
        return rows


def _measure_point(
    op: Op,
    n: int,
    dtype: str,
    libs: list[str],
    budget: float,
    min_run_s: float,
    threads: int,
    machine: dict[str, Any],
    rng: np.random.Generator,
    note: Callable[[str], None],
) -> list[dict[str, Any]]:
    dt = np.dtype(bool) if op.bool_input else np.dtype(dtype)
    arrays = _inputs(op, n, dt, rng)
    expected = _reference(op, arrays)
    rtol, atol = tolerance(op.name, dt.name)
    fns: dict[str, Callable[[], Any]] = {}
    checks: dict[str, tuple[bool, float]] = {}
    for lib in libs:
        try:
            fn, to_numpy = _PREPARE[lib](op, arrays)
            got = to_numpy(fn())
        except Exception as e:  # a library that cannot do this op/dtype is skipped, not fatal
            note(f"{lib} failed on {op.name} {dt.name} n={n}: {type(e).__name__}: {e}")
            continue
        checks[lib] = _agree(got, expected, rtol, atol)
        if not checks[lib][0]:
            note(
                f"{lib} disagrees with the reference on {op.name} {dt.name} n={n} "
                f"(max |diff| {checks[lib][1]:.3g}, rtol {rtol:g})"
            )
        fns[lib] = fn
    if not fns:
        return []
    settle = 0.0
    if min_run_s >= MIN_RUN_S:
        min_run_s, settle = max(min_run_s, STEADY_RUN_S), SETTLE_S
    timings = time_round_robin(fns, budget, min_run_s, settle)
    nbytes = op.nbytes(n, dt.itemsize)
    flops = op.flops(n)
    limit, unit, level = limit_level(op.name, dt.name, threads, machine, nbytes)
    rows = []
    for lib, (xs, number) in timings.items():
        q1, med, q3 = _quartiles(xs)
        gbps = nbytes / med / 1e9
        gflops = flops / med / 1e9 if flops else None
        achieved = gflops if unit == "GFLOP/s" else gbps
        pct = 100.0 * achieved / limit if achieved is not None and limit > 0 else math.nan
        rows.append(
            {
                "op": op.name,
                "size": n,
                "lib": lib,
                "dtype": dt.name,
                "threads": threads,
                "median_s": med,
                "q1_s": q1,
                "q3_s": q3,
                "min_s": min(xs),
                "max_s": max(xs),
                "runs": len(xs),
                "calls_per_run": number,
                "bytes": nbytes,
                "flops": flops,
                "gbps": gbps,
                "gflops": gflops,
                "intensity": flops / nbytes if flops else None,
                "bound": op.bound,
                "pattern": op.pattern if op.bound == "memory" else "peak_gflops",
                "pct_of_peak": pct,
                "limit_level": level,
                "agrees": checks[lib][0],
                "max_abs_diff": checks[lib][1],
            }
        )
    return rows
