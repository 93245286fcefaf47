"""``corepy.tune()``: measures where each op family starts to gain from threads on this machine
and stores the crossovers, loaded again at import.

The stored file is JSON in the user's cache directory (``$XDG_CACHE_HOME/corepy`` or
``~/.cache/corepy``), or ``$COREPY_TUNE_FILE`` when set.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

from . import _core

__all__ = ["tune", "tune_file", "load_tuned"]

NEVER = 1 << 40  # "never parallel": above any size this machine can hold


def tune_file() -> Path:
    if os.environ.get("COREPY_TUNE_FILE"):
        return Path(os.environ["COREPY_TUNE_FILE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corepy" / "thresholds.json"


def _median_time(fn, budget: float) -> float:
    fn()
    times: list[float] = []
    end = time.perf_counter() + budget
    while len(times) < 5 or (time.perf_counter() < end and len(times) < 200):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# Square matmul sides for the "matmul" family, whose threshold counts multiply-adds (m * n * k):
# a ladder of its own, fine around the sides where two threads start to pay off.
MATMUL_SIDES = (16, 24, 32, 40, 48, 56, 64, 72, 80, 96, 128, 160)


def _matmul_workloads():
    rng = np.random.default_rng(0)
    for s in MATMUL_SIDES:
        a = _core.Tensor(rng.random((s, s), dtype=np.float32))
        b = _core.Tensor(rng.random((s, s), dtype=np.float32))
        yield s**3, lambda a=a, b=b: _core.matmul(a, b)


def _workloads(n: int):
    rng = np.random.default_rng(n)
    x = _core.Tensor(rng.random(n, dtype=np.float32))
    y = _core.Tensor(rng.random(n, dtype=np.float32))
    out = _core.Tensor(np.empty(n, dtype=np.float32))
    flags = _core.Tensor(np.ones(n, dtype=bool))
    return {
        "elementwise": lambda: _core.add(x, y, out=out),
        "sum": lambda: x.sum(),
        "dot": lambda: _core.dot(x, y),
        "all_any": lambda: flags.all(),
        "cast": lambda: x.astype("float64"),
    }


def tune(
    sizes: list[int] | None = None,
    budget: float = 0.05,
    save: bool = True,
    verbose: bool = False,
) -> dict[str, int]:
    """Measures sequential vs parallel time per op family over `sizes` and sets each threshold
    to the smallest size from which the parallel path is at least 10% faster at every larger
    size (or "never" when it does not pay). Returns the thresholds; saves them unless told not to.
    """
    if _core.get_num_threads() < 2:
        raise ValueError("tune() needs at least 2 threads (see corepy.set_num_threads)")
    sizes = sorted(sizes or [1 << k for k in range(12, 24, 2)])
    before = dict(_core.config()["thresholds"])
    timings: dict[str, list[tuple[int, float, float]]] = {}
    work = [(op, n, fn) for n in sizes for op, fn in _workloads(n).items()]
    work += [("matmul", n, fn) for n, fn in _matmul_workloads()]
    try:
        for op, n, fn in work:
            _core._set_threshold(op, NEVER)
            seq = _median_time(fn, budget)
            _core._set_threshold(op, 0)
            par = _median_time(fn, budget)
            _core._set_threshold(op, before[op])
            timings.setdefault(op, []).append((n, seq, par))
            if verbose:
                print(f"{op:<12} n={n:<9} seq {seq * 1e6:9.1f} us  par {par * 1e6:9.1f} us")
    finally:
        for op, v in before.items():
            _core._set_threshold(op, v)
    result: dict[str, int] = {}
    for op, rows in timings.items():
        crossover = NEVER
        for n, seq, par in reversed(rows):
            if par * 1.1 <= seq:
                crossover = n
            else:
                break
        result[op] = crossover
        _core._set_threshold(op, crossover)
    if save:
        path = tune_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"threads": _core.get_num_threads(), "thresholds": result}
        path.write_text(json.dumps(payload, indent=2))
    return result


def load_tuned() -> dict[str, int] | None:
    """Applies stored thresholds if they exist and were measured with this thread count."""
    path = tune_file()
    try:
        payload = json.loads(path.read_text())
        if payload.get("threads") != _core.get_num_threads():
            return None
        for op, n in payload["thresholds"].items():
            _core._set_threshold(op, int(n))
        return payload["thresholds"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
