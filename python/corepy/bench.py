"""``cp.bench``: corepy, NumPy and PyTorch side by side on this machine (the benchmarking
names of `corepy.lab`, gathered; each lives in the lab module of its concern).

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

Rows are `Row` dataclasses that also read like the dicts they used to be (``r["op"]``).
"""

from __future__ import annotations

from .lab.catalogue import (
    AXIS_SIZES,
    MATMUL_SIZES,
    MATVEC_SIZES,
    OPS,
    VECTOR_SIZES,
    Op,
    default_sizes,
    quick_mode,
    tolerance,
)
from .lab.harness import LIBRARIES, compare
from .lab.live import in_notebook
from .lab.machine import bandwidth_ceiling, limit_for, limit_level, machine_limits
from .lab.plots import plot, roofline, save_figure
from .lab.results import FORMAT, Results, Row, compare_runs, load, parse_threshold, save
from .lab.timing import (
    DEFAULT_BUDGET_S,
    MIN_RUN_S,
    MIN_RUNS,
    QUICK_BUDGET_S,
    cpu_idle,
    time_round_robin,
    wait_for_idle,
)

__all__ = [
    "AXIS_SIZES",
    "DEFAULT_BUDGET_S",
    "FORMAT",
    "LIBRARIES",
    "MATMUL_SIZES",
    "MATVEC_SIZES",
    "MIN_RUNS",
    "MIN_RUN_S",
    "OPS",
    "QUICK_BUDGET_S",
    "VECTOR_SIZES",
    "Op",
    "Results",
    "Row",
    "bandwidth_ceiling",
    "compare",
    "compare_runs",
    "cpu_idle",
    "default_sizes",
    "in_notebook",
    "limit_for",
    "limit_level",
    "load",
    "machine_limits",
    "parse_threshold",
    "plot",
    "quick_mode",
    "roofline",
    "save",
    "save_figure",
    "time_round_robin",
    "tolerance",
    "wait_for_idle",
]
