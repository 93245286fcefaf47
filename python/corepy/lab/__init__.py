"""``corepy.lab``: the performance lab, one module per concern.

* `catalogue`: the ops the lab times (`OPS`), their inputs, traffic, flops, NumPy references,
  tolerances, and every size list (`VECTOR_SIZES`, ..., quick mode's included);
* `timing`: batched round-robin runs, budgets, how busy the machine was;
* `machine`: ``cp.machine()`` cached per process and the ceiling each result is held against;
* `results`: typed rows (`Row`), `Results`, JSON save/load, `compare_runs` and its gate;
* `plots`: throughput/time plots and the cache-aware roofline (matplotlib, imported on use);
* `live`: progress bar and live plot in Jupyter;
* `harness`: `compare`, over the catalogue or the user's own callables (``cp.bench.compare``);
* `cachesim`: cache misses per kernel under valgrind's cachegrind (this package's own names:
  ``cp.lab.cache_profile``, ``cp.lab.cache_profiles``, ...);
* `report`: ``python -m corepy.report``, the HTML performance report.

``cp.bench`` gathers the benchmarking names (compare, plot, roofline, save, load, ...).
``import corepy`` imports none of this: ``cp.bench`` and ``cp.lab`` load on first use, and
matplotlib only when a plot is drawn.
"""

from .cachesim import (
    CACHE_LEVELS,
    EVENTS,
    INSTALL_HINT,
    ISAS,
    RATES,
    Cachegrind,
    CacheProfile,
    CacheProfiles,
    cache_profile,
    cache_profiles,
    classify,
    diff_cachegrind,
    has_valgrind,
    parse_cachegrind,
    short_name,
    valgrind_version,
)

__all__ = [
    "CACHE_LEVELS",
    "EVENTS",
    "INSTALL_HINT",
    "ISAS",
    "RATES",
    "CacheProfile",
    "CacheProfiles",
    "Cachegrind",
    "cache_profile",
    "cache_profiles",
    "classify",
    "diff_cachegrind",
    "has_valgrind",
    "parse_cachegrind",
    "short_name",
    "valgrind_version",
]
