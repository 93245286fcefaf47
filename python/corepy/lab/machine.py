"""This machine's limits as the lab uses them: ``cp.machine()`` measured once per process, and
the ceiling each result is held against (the STREAM pattern of its op, in the cache level its
working set fits in, or the FMA peak)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import corepy as cp

from .catalogue import get_op, quick_mode

__all__ = ["bandwidth_ceiling", "by_threads", "limit_for", "limit_level", "machine_limits"]

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


def by_threads(table: dict, threads: int) -> float | None:
    """The entry of a {threads: value} map (keys int, or str after JSON) for `threads`, or the
    nearest measured thread count below it."""
    vals = {int(k): float(v) for k, v in table.items()}
    if not vals:
        return None
    below = [k for k in vals if k <= threads]
    return vals[max(below)] if below else vals[min(vals)]


def limit_for(op: str, dtype: str, threads: int, machine: dict[str, Any]) -> tuple[float, str]:
    """(limit, unit) that `op` is held against: STREAM GB/s of its pattern, or peak GFLOP/s."""
    o = get_op(op)
    if o.bound == "compute":
        peak = by_threads(machine.get("peak_gflops", {}), threads) or math.nan
        # cp.machine() measures float32 FMA chains; float64 vectors hold half as many lanes.
        return peak * 4 / max(4, np.dtype(dtype).itemsize), "GFLOP/s"
    bw = machine.get("bandwidth_gbps", {}).get(o.pattern, {})
    return by_threads(bw, threads) or math.nan, "GB/s"


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
                bw = by_threads(lv.get("bandwidth_gbps", {}).get(pattern, {}), threads)
                if bw:
                    return bw, name
                break
    bw = by_threads(machine.get("bandwidth_gbps", {}).get(pattern, {}), threads)
    return (bw or math.nan), "DRAM"


def limit_level(
    op: str, dtype: str, threads: int, machine: dict[str, Any], nbytes: float | None = None
) -> tuple[float, str, str]:
    """(limit, unit, level): like `limit_for`, a memory-bound op judged against the ceiling of
    the cache level its working set (`nbytes`) fits in; level is "L1".."L3", "DRAM" or "peak"
    (compute-bound: the FMA peak)."""
    o = get_op(op)
    if o.bound == "compute":
        limit, unit = limit_for(op, dtype, threads, machine)
        return limit, unit, "peak"
    bw, level = bandwidth_ceiling(o.pattern, threads, machine, nbytes)
    return bw, "GB/s", level
