"""Timing: batched runs taken round-robin across the libraries, with a settle pause between
them, and how busy the rest of the machine was meanwhile."""

from __future__ import annotations

import gc
import math
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = [
    "BUSY_SHARE",
    "DEFAULT_BUDGET_S",
    "MAX_RUNS",
    "MIN_RUNS",
    "MIN_RUN_S",
    "QUICK_BUDGET_S",
    "QUICK_MIN_RUN_S",
    "SETTLE_S",
    "STEADY_RUN_S",
    "OthersLoad",
    "cpu_idle",
    "quartiles",
    "sample_fields",
    "time_round_robin",
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


class OthersLoad:
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


def quartiles(xs: list[float]) -> tuple[float, float, float]:
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], statistics.median(xs), q[2]


def sample_fields(xs: list[float], number: int) -> dict[str, Any]:
    """A result row's timing fields from one library's per-call samples."""
    q1, med, q3 = quartiles(xs)
    return {
        "median_s": med,
        "q1_s": q1,
        "q3_s": q3,
        "min_s": min(xs),
        "max_s": max(xs),
        "runs": len(xs),
        "calls_per_run": number,
    }
