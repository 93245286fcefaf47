"""``cp.machine()``: this machine's limits, with a bandwidth ceiling per cache level.

The DRAM figures (``bandwidth_gbps``) come from STREAM over arrays far larger than the last-level
cache; ``levels`` adds a read (sum) and an add (corepy's own, with ordinary stores) over working
sets that fit L1, L2 and L3 (half of each level's size, from the CPU's cache description or
given), so that an in-cache result can be held against the ceiling of the level its data lives
in (Intel Advisor's cache-aware roofline).
"""

from __future__ import annotations

import glob
import os
from typing import Any

from . import _core

__all__ = ["cache_sizes", "machine"]

_UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def _parse_size(text: str) -> int:
    text = text.strip().upper()
    if text and text[-1] in _UNITS:
        return int(text[:-1]) * _UNITS[text[-1]]
    return int(text)


def cache_sizes(root: str = "/sys/devices/system/cpu/cpu0/cache") -> dict[str, int]:
    """Data cache size in bytes per level ({"L1": ..., "L2": ..., "L3": ...}) from Linux's
    cache description; empty where there is none."""
    out: dict[str, int] = {}
    for index in sorted(glob.glob(os.path.join(root, "index*"))):
        try:
            with open(os.path.join(index, "type")) as f:
                kind = f.read().strip()
            with open(os.path.join(index, "level")) as f:
                level = int(f.read())
            with open(os.path.join(index, "size")) as f:
                size = _parse_size(f.read())
        except (OSError, ValueError):
            continue
        if kind in ("Data", "Unified") and size > 0:
            out[f"L{level}"] = size
    return dict(sorted(out.items()))


def machine(
    array_mb: int = 256,
    repeats: int = 5,
    *,
    levels: bool = True,
    cache_bytes: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Measures memory bandwidth (STREAM kernels, 1 thread and all) and peak FMA FLOP/s.

    Arrays of `array_mb` MB each for DRAM: STREAM's rule is at least 4x the last-level cache.
    With ``levels`` (default), also ``levels``: {"L1"|"L2"|"L3"|"DRAM": {"bytes": the level's
    size (None for DRAM), "working_set_bytes", "bandwidth_gbps": {"read"|"add": {threads:
    GB/s}}}} (DRAM: all of STREAM's kernels), measured over working sets of half each level;
    ``cache_bytes`` overrides the sizes read from the CPU's cache description (e.g.
    {"L1": 48 << 10, "L2": 2 << 20}).
    """
    m = _core.machine(array_mb, repeats)
    if not levels:
        return m
    sizes = cache_bytes if cache_bytes is not None else cache_sizes()
    out: dict[str, Any] = {}
    for name, size in sorted(sizes.items(), key=lambda kv: kv[1]):
        if not isinstance(size, int) or size <= 0:
            raise ValueError(f"machine: cache_bytes[{name!r}] must be a positive int, got {size!r}")
        ws = size // 2
        out[name] = {
            "bytes": size,
            "working_set_bytes": ws,
            "bandwidth_gbps": _core._level_bandwidth(ws, max(1, min(repeats, 3))),
        }
    out["DRAM"] = {
        "bytes": None,
        "working_set_bytes": m["array_bytes"],
        "bandwidth_gbps": m["bandwidth_gbps"],
    }
    m["levels"] = out
    return m
