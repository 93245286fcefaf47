"""Performance report: corepy against NumPy (and PyTorch, when installed) on this machine.

    python -m corepy.report --out report          # sizes 1e3..1e7, matmul 64..1024
    python -m corepy.report --out report --quick  # small sizes, short budgets (the tests)
    python -m corepy.report --out report --full   # adds n=1e8
    python -m corepy.report --out report --cache  # adds cache miss rates (valgrind's cachegrind)

Built on `corepy.bench`: every point is timed with the libraries interleaved round-robin,
checked against a float64 NumPy reference, and stated as GB/s or GFLOP/s and as a share of this
machine's limits measured by ``cp.machine()``. Writes to DIR:

* ``index.html``: machine, summary, a table per op with ratios, plots and the roofline, the
  flamegraph (when ``cp.profile`` exists); every SVG is embedded, so the page stands alone;
* ``results.json``: machine, settings, notes and one row per op, size and library
  (``corepy.load`` reads it back, ``corepy.compare_runs`` compares two runs);
* ``throughput_<op>.svg``, ``speedup.svg``, ``roofline.svg``, ``flamegraph.svg`` and
  ``flamegraph.speedscope.json`` (the same samples for speedscope, linked from the page).

With ``--cache`` the page and ``results.json`` ("cache") also hold a cache section: the miss
rates of corepy's kernels in a few small workloads, simulated by ``corepy.cache_profiles``
(cachegrind; the section says how to install valgrind when it is missing), and whether
``cp.profile(counters=True)`` can read this machine's hardware counters (with their numbers for
the same workloads when it can).

``ratio`` is the other library's median time / corepy's: above 1 means corepy is faster.
Exit status 1 if any library disagrees with the reference.
"""

from __future__ import annotations

import argparse
import base64
import datetime as _dt
import html
import importlib.metadata
import json
import math
import os
import platform
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import corepy as cp

from .cachesim import INSTALL_HINT, cache_profiles, valgrind_version
from .catalogue import (
    AXIS_SIZES,
    FULL_EXTRA_SIZES,
    MATH_SIZES,
    MATMUL_SIZES,
    SORT_SIZES,
    VECTOR_SIZES,
    quick_mode,
)
from .harness import compare
from .machine import by_threads, machine_limits
from .plots import figure_class, plot, readable_log_ticks, roofline, save_figure
from .results import (
    FORMAT,
    Results,
    compare_runs,
    fmt_num,
    fmt_size,
    fmt_time,
    jsonable,
    load,
    parse_threshold,
)
from .timing import DEFAULT_BUDGET_S, QUICK_BUDGET_S

__all__ = [
    "AXIS_OPS",
    "MATH_OPS",
    "REDUCE_OPS",
    "SORT_OPS",
    "VECTOR_OPS",
    "cache_section",
    "flamegraph",
    "geomean_ratios",
    "machine_info",
    "main",
    "make_plots",
    "op_table",
    "suite",
    "write_html",
]

VECTOR_OPS = ("sum", "mean", "add", "add_out", "mul", "all", "any", "dot")
# Element-wise math (issue 15's section): in cache (1e5) and from DRAM (1e7).
MATH_OPS = ("exp", "log", "sin", "tanh", "sqrt", "maximum")
# Reductions, scans and sorts (issue 16's section): whole-array ones on vectors, axis ones on
# n x n matrices (n = 256: in L2; 1024: in L3; 4096: 64 MB, from DRAM).
REDUCE_OPS = ("max", "argmax", "std", "var", "cumulative_sum")
AXIS_OPS = ("sum_axis0", "sum_axis1", "max_axis0", "max_axis1")
SORT_OPS = ("sort", "argsort")
# Sizes and budgets are the lab's (corepy.lab.catalogue, corepy.lab.timing), defined once.


def suite(quick: bool = False, full: bool = False) -> dict[str, list[int]]:
    """{op: sizes} of the report."""
    vec = VECTOR_SIZES.pick(quick)
    if full and not quick:
        vec += list(FULL_EXTRA_SIZES)
    plan = {op: vec for op in VECTOR_OPS}
    plan.update({op: MATH_SIZES.pick(quick) for op in MATH_OPS + REDUCE_OPS})
    plan.update({op: AXIS_SIZES.pick(quick) for op in AXIS_OPS})
    plan.update({op: SORT_SIZES.pick(quick) for op in SORT_OPS})
    plan["matmul"] = MATMUL_SIZES.pick(quick)
    return plan


# --------------------------------------------------------------------------------------------
# Machine description
# --------------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine_info(limits: dict[str, Any]) -> dict[str, Any]:
    """Platform, CPU, versions, corepy's configuration and the measured limits (flat, so that
    `load` finds bandwidth_gbps and peak_gflops at the top)."""
    return {
        **limits,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_model": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "versions": {
            "corepy": cp.__version__,
            "numpy": np.__version__,
            "torch": _version("torch"),
            "matplotlib": _version("matplotlib"),
        },
        "corepy_config": cp.config(),
        "cpu_features": cp.cpu_features(),
    }


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def _fmt_time(s: float | None) -> str:
    return fmt_time(s if s is not None else math.nan)


def _fmt_ratio(r: float | None) -> str:
    if r is None or not math.isfinite(r):
        return "-"
    return f"{r:.1f}x" if r >= 10 else f"{r:.2f}x"


def _throughput(row: dict[str, Any]) -> tuple[float | None, str]:
    if row["bound"] == "compute":
        return row.get("gflops"), "GFLOP/s"
    return row.get("gbps"), "GB/s"


def _fmt_pct_level(row: dict[str, Any]) -> str:
    """corepy's share of its ceiling with the level that ceiling belongs to: "87 (L2)"."""
    text = fmt_num(row.get("pct_of_peak"))
    level = row.get("limit_level")
    return f"{text} ({level})" if level and text != "-" else text


def op_table(results: Sequence[dict[str, Any]], op: str, libs: Sequence[str]) -> dict[str, Any]:
    """One op's table: a row per size with each library's time, corepy's throughput and share
    of the machine's limit, and ratios (other library / corepy)."""
    rows = [r for r in results if r["op"] == op]
    by = {(r["size"], r["lib"]): r for r in rows}
    sizes = sorted({r["size"] for r in rows})
    unit = _throughput(rows[0])[1] if rows else ""
    others = [lib for lib in libs if lib != "corepy"]
    head = ["size"] + [f"{lib}" for lib in libs] + [f"corepy {unit}", "corepy % of limit"]
    head += [f"{lib} / corepy" for lib in others] + ["agree"]
    body = []
    for n in sizes:
        c = by.get((n, "corepy"))
        cells: list[dict[str, Any]] = [{"text": fmt_size(op, n)}]
        cells += [
            {"text": _fmt_time(by[(n, lib)]["median_s"]) if (n, lib) in by else "-"} for lib in libs
        ]
        tp = _throughput(c)[0] if c else None
        cells.append({"text": fmt_num(tp)})
        cells.append({"text": _fmt_pct_level(c) if c else "-"})
        for lib in others:
            o = by.get((n, lib))
            ratio = o["median_s"] / c["median_s"] if (o and c) else None
            cls = None if ratio is None else ("faster" if ratio >= 1 else "slower")
            cells.append({"text": _fmt_ratio(ratio), "class": cls, "ratio": ratio})
        agree = all(by[(n, lib)]["agrees"] for lib in libs if (n, lib) in by)
        cells.append({"text": "yes" if agree else "NO", "class": None if agree else "bad"})
        body.append(cells)
    return {"op": op, "head": head, "rows": body}


def format_text_table(table: dict[str, Any]) -> str:
    rows = [table["head"], *[[c["text"] for c in row] for row in table["rows"]]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, row in enumerate(rows):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def geomean_ratios(results: Sequence[dict[str, Any]], lib: str) -> dict[str, float]:
    """Per op: the geometric mean over sizes of lib's time / corepy's."""
    by = {(r["op"], r["size"], r["lib"]): r for r in results}
    out: dict[str, float] = {}
    for op in dict.fromkeys(r["op"] for r in results):
        logs = [
            math.log(by[(op, n, lib)]["median_s"] / r["median_s"])
            for (o, n, lb), r in by.items()
            if o == op and lb == "corepy" and (op, n, lib) in by
        ]
        if logs:
            out[op] = math.exp(sum(logs) / len(logs))
    return out


# --------------------------------------------------------------------------------------------
# Plots
# --------------------------------------------------------------------------------------------


def speedup_figure(results: Sequence[dict[str, Any]], lib: str = "numpy"):
    """corepy's speedup over `lib` (lib time / corepy time) against size, a line per op."""
    Figure = figure_class()
    if Figure is None:
        return None
    fig = Figure(figsize=(7.5, 4.5), layout="constrained")
    ax = fig.add_subplot()
    by = {(r["op"], r["size"], r["lib"]): r for r in results}
    for op in dict.fromkeys(r["op"] for r in results):
        pts = sorted(
            (n, by[(op, n, lib)]["median_s"] / r["median_s"])
            for (o, n, lb), r in by.items()
            if o == op and lb == "corepy" and (op, n, lib) in by
        )
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", ms=4, label=op)
    ax.axhline(1.0, color="k", lw=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n (elements; matmul: n x n)")
    ax.set_ylabel(f"{lib} time / corepy time")
    ax.set_title(f"corepy vs {lib}: above 1, corepy is faster")
    ax.grid(True, which="both", alpha=0.3)
    readable_log_ticks(ax)
    ax.legend(fontsize="small", ncols=3)
    return fig


def _svg_text(path: Path) -> str:
    """An SVG file's markup without its XML prolog, for inlining into HTML."""
    text = path.read_text(encoding="utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def make_plots(results: Results, out: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """Writes the SVGs; returns ([(caption, path)], notes)."""
    if figure_class() is None:
        return [], ["matplotlib is not installed: no plots (pip install matplotlib)"]
    made: list[tuple[str, Path]] = []
    libs = list(dict.fromkeys(r["lib"] for r in results))
    for other in [lib for lib in libs if lib != "corepy"]:
        fig = speedup_figure(results, other)
        if fig is not None:
            made.append(
                (
                    f"Speedup of corepy over {other}",
                    save_figure(fig, out / f"speedup_{other}.svg"),
                )
            )
    fig = roofline(results, machine=results.machine)
    if fig is not None:
        made.append(("Roofline", save_figure(fig, out / "roofline.svg")))
    for op in dict.fromkeys(r["op"] for r in results):
        fig = plot([r for r in results if r["op"] == op])
        if fig is not None:
            made.append((f"{op}: throughput", save_figure(fig, out / f"throughput_{op}.svg")))
    return made, []


def flamegraph(out: Path, quick: bool) -> dict[str, Any]:
    """Profiles a mixed workload with ``cp.profile(flamegraph=True)`` when corepy has it.

    Returns {"note": str} or {"svg": Path, "summary": str}."""
    if not hasattr(cp, "profile"):
        return {"note": "cp.profile is not available in this build: no flamegraph"}
    n = 10**5 if quick else 10**6
    rng = np.random.default_rng(1)
    a = cp.Tensor(rng.random(n, dtype=np.float32))
    b = cp.Tensor(rng.random(n, dtype=np.float32))
    m = cp.Tensor(rng.random((128, 128), dtype=np.float32))
    seconds = 0.4 if quick else 1.5
    try:
        with cp.profile(flamegraph=True) as prof:
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                c = a + b
                cp.sum(c)
                cp.dot(a, b)
                m @ m
        path = prof.flamegraph(out / "flamegraph.svg")
        speedscope = prof.speedscope(out / "flamegraph.speedscope.json")
        summary = prof.summary()
    except Exception as e:  # the profiler is young: a failure is reported, not fatal
        return {"note": f"flamegraph failed: {type(e).__name__}: {e}"}
    return {
        "svg": Path(path),
        "speedscope": Path(speedscope),
        "summary": summary,
        "seconds": seconds,
    }


# --------------------------------------------------------------------------------------------
# Cache efficiency
# --------------------------------------------------------------------------------------------

MATMUL_ALGORITHMS = ("naive", "blocked", "packed", "simd")
CACHE_COLUMNS = (  # (header, key, formatter) of the report's cache table
    ("Dr", "Dr", "{:,}"),
    ("D1 read miss", "d1_read_miss_rate", "pct"),
    ("LL read miss", "ll_read_miss_rate", "pct"),
    ("Dw", "Dw", "{:,}"),
    ("D1 write miss", "d1_write_miss_rate", "pct"),
    ("LL write miss", "ll_write_miss_rate", "pct"),
    ("Ir", "Ir", "{:,}"),
)


def matmul_algorithms() -> list[str]:
    """The ``algorithm=`` values this build's cp.matmul takes ([] if it takes none)."""
    probe = cp.Tensor(np.ones((2, 2), dtype=np.float32))
    try:
        cp.matmul(probe, probe, algorithm="auto")
    except TypeError:
        return []
    out = []
    for algo in MATMUL_ALGORITHMS:
        try:
            cp.matmul(probe, probe, algorithm=algo)
        except (TypeError, ValueError):
            continue
        out.append(algo)
    return out


def cache_workloads(quick: bool) -> tuple[str, dict[str, str]]:
    """(setup, {label: code}) of the cache section: small enough for valgrind (~50x slower)."""
    n = 10**5 if quick else 10**6
    m = 64 if quick else 128
    setup = (
        "rng = np.random.default_rng(0)\n"
        f"xn = rng.random({n}, dtype=np.float32)\n"
        "x = cp.Tensor(xn)\n"
        f"y = cp.Tensor(rng.random({n}, dtype=np.float32))\n"
        f"z = cp.Tensor(np.zeros({n}, dtype=np.float32))\n"
        f"a = cp.Tensor(rng.random(({m}, {m}), dtype=np.float32))\n"
    )
    size = fmt_size("sum", n)
    work = {
        f"sum n={size}": "cp.sum(x)",
        f"sum of x[::16] (n={n // 16:,})": "cp.sum(xn[::16])",
        f"add n={size}": "x + y",
        f"add out= n={size}": "cp.add(x, y, out=z)",
        f"dot n={size}": "cp.dot(x, y)",
        f"matmul {m}x{m}": "a @ a",
    }
    for algo in matmul_algorithms():
        work[f"matmul {m}x{m} {algo}"] = f"cp.matmul(a, a, algorithm={algo!r})"
    # Each workload once, unmeasured: the steady state (output buffers recycled, arenas grown,
    # pages touched), not the first call.
    setup += "".join(f"{code}\n" for code in work.values())
    return setup, work


def hardware_counters(setup: str, workloads: dict[str, str]) -> dict[str, Any]:
    """Runs the workloads natively under ``cp.profile(counters=True)``.

    {"status": "unavailable — <why>"} where the machine has no counters, else
    {"status": "available", "rows": [{workload, cycles, instructions, ipc, ...}]}."""
    ns: dict[str, Any] = {"np": np, "cp": cp}
    exec(compile(setup, "<cache setup>", "exec"), ns)
    rows = []
    for label, code in workloads.items():
        compiled = compile(code, f"<{label}>", "exec")
        exec(compiled, ns)  # warm: the first call pays for page faults and pool start-up
        with cp.profile(counters=True) as prof:
            exec(compiled, ns)
        if prof.counters is None:
            why = prof.counters_unavailable or "no counters"
            return {"status": f"unavailable \u2014 {why}", "reason": why, "rows": []}
        rows.append({"workload": label, **prof.counters})
    return {"status": "available", "reason": None, "rows": rows}


def cache_section(quick: bool) -> dict[str, Any]:
    """The report's cache section (see the module docs); never raises for a missing valgrind."""
    setup, work = cache_workloads(quick)
    section: dict[str, Any] = {
        "workloads": work,
        "setup": setup,
        "counters": hardware_counters(setup, work),
        "rows": [],
        "note": None,
    }
    version = valgrind_version()
    section["valgrind"] = version
    if version is None:
        section["note"] = f"no cache simulation: valgrind is not installed ({INSTALL_HINT})"
        return section
    try:
        runs = cache_profiles(work, setup=setup)
    except (RuntimeError, ValueError) as e:
        section["note"] = f"cache simulation failed: {e}"
        return section
    first = next(iter(runs.values()))
    section.update(
        {
            "caches": first.caches,
            "isa": first.kernel_isa or first.isa,
            "timings": runs.timings,
            "aslr_disabled": runs.aslr_disabled,
            "rows": [{k: v for k, v in r.items() if k != "files"} for r in runs.rows(top=3)],
        }
    )
    return section


def _cache_cell(row: dict[str, Any], key: str, fmt: str) -> str:
    v = row.get(key)
    if v is None:
        return "-"
    return f"{v * 100:.1f}%" if fmt == "pct" else fmt.format(v)


def cache_table(section: dict[str, Any]) -> dict[str, Any]:
    head = ["workload", "corepy kernel"] + [h for h, _, _ in CACHE_COLUMNS]
    rows = [
        [{"text": r["workload"]}, {"text": r["kernel"], "class": "name"}]
        + [{"text": _cache_cell(r, k, f)} for _, k, f in CACHE_COLUMNS]
        for r in section["rows"]
    ]
    return {"op": "cache", "head": head, "rows": rows}


def counters_table(section: dict[str, Any]) -> dict[str, Any] | None:
    c = section["counters"]
    if not c["rows"]:
        return None
    head = ["workload", "cycles", "instructions", "IPC", "cache miss rate", "L1d read misses"]
    rows = []
    for r in c["rows"]:
        ipc, miss = r.get("ipc"), r.get("cache_miss_rate")
        rows.append(
            [
                {"text": r["workload"]},
                {"text": f"{r['cycles']:,}"},
                {"text": f"{r['instructions']:,}"},
                {"text": "-" if ipc is None else f"{ipc:.2f}"},
                {"text": "-" if miss is None else f"{miss:.1%}"},
                {"text": f"{r['l1d_read_misses']:,}"},
            ]
        )
    return {"op": "counters", "head": head, "rows": rows}


def _caches_text(caches: dict[str, dict[str, int]]) -> str:
    return ", ".join(
        f"{lvl} {_fmt_bytes(c['size'])} {c['assoc']}-way, {c['line']} B lines"
        for lvl, c in caches.items()
    )


def cache_html(section: dict[str, Any]) -> list[str]:
    esc = html.escape
    parts = ["<h2>Cache efficiency</h2>"]
    counters = section["counters"]
    parts.append(
        "<p>Hardware counters (<code>cp.profile(counters=True)</code>): "
        f"<b>{esc(counters['status'])}</b>.</p>"
    )
    table = counters_table(section)
    if table is not None:
        parts.append(_html_table(table["head"], table["rows"]))
    if section.get("note"):
        parts.append(f"<p class='note'>{esc(section['note'])}</p>")
    if section["rows"]:
        t = section.get("timings", {})
        parts.append(
            "<p>Simulated by valgrind's cachegrind "
            f"({esc(section.get('valgrind') or '')}; {esc(_caches_text(section['caches']))}; "
            f"{esc(str(section.get('isa')))} kernels, one thread; "
            f"{t.get('total', 0):.1f} s for all workloads). The process that made the inputs "
            "ran each workload once; then each runs in a fork of it, with D1 flushed, so the "
            "counts are the workload's own, in its steady state, and repeatable (instructions and "
            "accesses exactly, misses to within a line or two). "
            "Dr/Dw: data reads/writes as valgrind executes them (an FMA reading memory counts "
            "one read per lane, so compare miss counts rather than rates across kernels); D1: "
            "first-level data cache; LL: last level. No hardware prefetcher is simulated: a "
            "streaming kernel misses once per 64-byte line it touches.</p>"
        )
        table = cache_table(section)
        parts.append(_html_table(table["head"], table["rows"]))
    return parts


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222;
       padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
.faster { color: #17692c; font-weight: 600; } .slower { color: #a33; }
.bad { background: #fbb; } .note { color: #8a5a00; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #555; }
.grid { display: flex; flex-wrap: wrap; gap: 1em; } .grid figure { flex: 1 1 500px; }
table.kv td { text-align: left; } td.name { text-align: left; }
.op { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.op figure { margin: 0; flex: 1 1 340px; max-width: 520px; }
iframe.flame { width: 100%; border: 1px solid #ccc; }
pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
"""


def _html_table(head: Sequence[str] | None, rows: Sequence[Sequence[Any]], cls: str = "") -> str:
    esc = html.escape
    out = [f'<table class="{cls}">' if cls else "<table>"]
    if head:
        out.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>")
    for row in rows:
        cells = []
        for c in row:
            if isinstance(c, dict):
                cls = f' class="{c["class"]}"' if c.get("class") else ""
                cells.append(f"<td{cls}>{esc(c['text'])}</td>")
            else:
                cells.append(f"<td>{esc(str(c))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _fmt_bytes(n: Any) -> str:
    if not isinstance(n, int | float):
        return str(n)
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n} B"


def _machine_rows(m: dict[str, Any]) -> list[tuple[str, str]]:
    cfg = m["corepy_config"]
    v = m["versions"]
    bw = m.get("bandwidth_gbps", {})
    peak = m.get("peak_gflops", {})

    def per_threads(d: dict) -> str:
        return ", ".join(
            f"{v:.0f} ({k} thr)" for k, v in sorted(d.items(), key=lambda kv: int(kv[0]))
        )

    rows = [
        ("CPU", f"{m['cpu_model']} ({m['logical_cpus']} logical CPUs)"),
        ("Platform", m["platform"]),
        (
            "Versions",
            f"corepy {v['corepy']}, Python {m['python']}, NumPy {v['numpy']}, "
            f"PyTorch {v['torch'] or 'not installed'}, matplotlib {v['matplotlib'] or '-'}",
        ),
        ("ISA (kernel table)", f"{cfg.get('isa')} ({cfg.get('kernel_isa')})"),
        ("Available ISAs", ", ".join(map(str, cfg.get("available_isas", [])))),
        ("Threads", str(cfg.get("num_threads"))),
        (
            "Parallel thresholds",
            ", ".join(f"{k} {v:,}" for k, v in cfg.get("thresholds", {}).items()),
        ),
        ("Arena size", _fmt_bytes(cfg.get("arena_size"))),
        ("CPU features", ", ".join(k for k, on in m.get("cpu_features", {}).items() if on)),
    ]
    for kernel, d in bw.items():
        rows.append((f"STREAM {kernel} GB/s", per_threads(d)))
    rows.append(("Peak float32 FMA GFLOP/s", per_threads(peak)))
    rows.append(("STREAM array size", f"{m.get('array_bytes', 0) / 2**20:.0f} MiB per array"))
    return rows


def write_html(
    path: Path,
    machine: dict[str, Any],
    results: Results,
    tables: list[dict[str, Any]],
    summary: list[list[Any]],
    summary_head: list[str],
    plots: list[tuple[str, Path]],
    flame: dict[str, Any],
    notes: list[str],
    settings: dict[str, Any],
    when: str,
    cache: dict[str, Any] | None = None,
) -> None:
    esc = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>corepy performance report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>corepy performance report</h1>",
        f"<p>Generated {esc(when)}. Median time per call of interleaved runs, "
        f"~{settings['budget_s']:g} s per point{' (quick mode)' if settings['quick'] else ''}. "
        "Ratios are the other library's time / corepy's: <span class='faster'>above 1</span>, "
        "corepy is faster. Throughput counts compulsory traffic (bytes read + written) or "
        "flops; <i>% of limit</i> holds it against this machine's STREAM bandwidth in the cache "
        "level its working set fits in (L1, L2, L3 or DRAM, named in brackets), or the FMA peak "
        '(peak) for matmul. Raw numbers: <a href="results.json">results.json</a>.</p>',
    ]
    if notes:
        parts.append("<ul>" + "".join(f"<li class='note'>{esc(n)}</li>" for n in notes) + "</ul>")
    parts.append("<h2>Machine</h2>")
    parts.append(_html_table(None, _machine_rows(machine), cls="kv"))
    parts.append("<h2>Summary</h2>")
    parts.append(
        "<p>Geometric mean over sizes of the time ratio, and corepy's best throughput.</p>"
    )
    parts.append(_html_table(summary_head, summary))
    by_caption = dict(plots)
    overview = [(c, p) for c, p in plots if not c.endswith("throughput")]
    if overview:
        parts.append("<h2>Overview</h2><div class='grid'>")
        for caption, p in overview:
            parts.append(f"<figure>{_svg_text(p)}<figcaption>{esc(caption)}</figcaption></figure>")
        parts.append("</div>")
    parts.append("<h2>Per op</h2>")
    for t in tables:
        parts.append(f"<h3>{esc(t['op'])}</h3><div class='op'>")
        parts.append(_html_table(t["head"], t["rows"]))
        p = by_caption.get(f"{t['op']}: throughput")
        if p is not None:
            parts.append(f"<figure>{_svg_text(p)}</figure>")
        parts.append("</div>")
    parts.append("<h2>Flamegraph</h2>")
    if "svg" in flame:
        svg = Path(flame["svg"]).read_text(encoding="utf-8")
        parts.append(
            f"<p>Where the time of a mixed workload (add, sum, dot, matmul; "
            f"{flame['seconds']:g} s) went, sampled by <code>cp.profile(flamegraph=True)</code>. "
            "Click a frame to zoom. Files: <a href='flamegraph.svg'>flamegraph.svg</a>, "
            f"<a href='{flame['speedscope'].name}' download>{flame['speedscope'].name}</a> "
            "(every thread's samples in speedscope's format: open it at "
            "<a href='https://www.speedscope.app/'>speedscope.app</a> or with the "
            "<code>speedscope</code> command, for its time-ordered and sandwich views).</p>"
        )
        # Its own document (a data: URL) keeps the flamegraph's script, ids and zooming apart
        # from the rest of the page, at the page's full width.
        m = re.search(r'<svg[^>]*\sheight="(\d+)"', svg)
        height = int(m.group(1)) + 24 if m else 560
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        parts.append(
            f'<iframe class="flame" style="height:{height}px" '
            f'src="data:image/svg+xml;base64,{data}"></iframe>'
        )
        if flame.get("summary"):
            parts.append(f"<pre>{esc(flame['summary'])}</pre>")
    else:
        parts.append(f"<p class='note'>{esc(flame.get('note', ''))}</p>")
    if cache is not None:
        parts.extend(cache_html(cache))
    parts.append("</body></html>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corepy.report",
        description="Compare corepy with NumPy (and PyTorch) on this machine; write a report.",
    )
    parser.add_argument("--out", default="report", help="output directory (default: report)")
    parser.add_argument(
        "--budget",
        type=float,
        default=None,
        help=f"seconds of measurement per point (default {DEFAULT_BUDGET_S}; quick "
        f"{QUICK_BUDGET_S})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        default=quick_mode(),
        help="small sizes and short budgets (also set by COREPY_QUICK=1)",
    )
    parser.add_argument("--full", action="store_true", help="also n=1e8 (needs ~1.2 GB)")
    parser.add_argument(
        "--cache",
        action="store_true",
        help="add cache miss rates of corepy's kernels (cachegrind) and the hardware-counter "
        "status",
    )
    parser.add_argument(
        "--libs", default="corepy,numpy,torch", help="comma-separated (default: %(default)s)"
    )
    parser.add_argument(
        "--baseline",
        metavar="RESULTS_JSON",
        help="a saved run (an earlier report's results.json or cp.save): show each "
        "point's change against it and exit with status 2 on a regression",
    )
    parser.add_argument(
        "--threshold",
        "--fail-on-regression",
        default="10%",
        metavar="PCT",
        help="a regression is a slowdown of the median beyond PCT and beyond both runs' spread "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--results",
        metavar="RESULTS_JSON",
        help="with --baseline: compare this saved run instead of measuring a new one",
    )
    args = parser.parse_args(argv)
    if args.results is not None:
        if args.baseline is None:
            parser.error("--results needs --baseline")
        return _gate(load(args.baseline), load(args.results), args.threshold)
    try:
        parse_threshold(args.threshold)
    except ValueError as e:
        parser.error(str(e))
    quick = args.quick
    budget = (
        args.budget if args.budget is not None else (QUICK_BUDGET_S if quick else DEFAULT_BUDGET_S)
    )
    libs = [s.strip() for s in args.libs.split(",") if s.strip()]
    if "corepy" not in libs:
        libs.insert(0, "corepy")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    print("Measuring this machine (cp.machine: STREAM bandwidth, FMA peak) ...", flush=True)
    limits = machine_limits(array_mb=8 if quick else 64, repeats=2 if quick else 5)
    machine = machine_info(limits)
    cfg = machine["corepy_config"]
    print(f"CPU: {machine['cpu_model']} ({machine['logical_cpus']} logical CPUs)")
    print(
        f"corepy {cp.__version__} (ISA {cfg.get('isa')}, {cfg.get('num_threads')} threads), "
        f"NumPy {np.__version__}, PyTorch {machine['versions']['torch'] or 'not installed'}"
    )
    bw = limits["bandwidth_gbps"]
    nthr = cfg.get("num_threads", 1)
    print(
        f"STREAM read {by_threads(bw['read'], nthr):.0f} GB/s, add "
        f"{by_threads(bw['add'], nthr):.0f} GB/s, FMA peak "
        f"{by_threads(limits['peak_gflops'], nthr):.0f} GFLOP/s ({nthr} threads)"
    )
    plan = suite(quick, args.full)
    print(f"\nTiming {sum(map(len, plan.values()))} points, ~{budget:g} s each ...", flush=True)
    results = compare(
        list(plan),
        plan,
        libs=libs,
        budget=budget,
        plot=False,
        machine=limits,
        quick=quick,
        print_table=False,
    )
    ran_libs = [lib for lib in libs if any(r["lib"] == lib for r in results)]

    tables = [op_table(results, op, ran_libs) for op in plan]
    others = [lib for lib in ran_libs if lib != "corepy"]
    geo = {lib: geomean_ratios(results, lib) for lib in others}
    summary_head = ["op"] + [f"{lib} / corepy" for lib in others] + ["corepy best", "at n"]
    summary = []
    for op in plan:
        rows = [r for r in results if r["op"] == op and r["lib"] == "corepy"]
        best = max(rows, key=lambda r: _throughput(r)[0] or 0.0) if rows else None
        cells: list[Any] = [op]
        for lib in others:
            g = geo[lib].get(op)
            cls = None if g is None else ("faster" if g >= 1 else "slower")
            cells.append({"text": _fmt_ratio(g), "class": cls})
        if best is not None:
            tp, unit = _throughput(best)
            pct = best.get("pct_of_peak")
            where = best.get("limit_level") or "limit"
            ok = pct is not None and math.isfinite(pct)
            pct_txt = f" ({pct:.0f}% of {where})" if ok else ""
            cells += [f"{fmt_num(tp)} {unit}{pct_txt}", fmt_size(op, best["size"])]
        else:
            cells += ["-", "-"]
        summary.append(cells)

    print("\nMaking plots ...", flush=True)
    plots, plot_notes = make_plots(results, out)
    print("Profiling a workload for the flamegraph ...", flush=True)
    flame = flamegraph(out, quick)
    notes = list(results.notes) + plot_notes + ([flame["note"]] if "note" in flame else [])
    cache = None
    if args.cache:
        print("Simulating caches (valgrind's cachegrind) ...", flush=True)
        cache = cache_section(quick)
        if cache["note"]:
            notes.append(cache["note"])

    when = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    settings = {
        "budget_s": budget,
        "quick": quick,
        "full": args.full,
        "libs": ran_libs,
        "cache": args.cache,
    }
    payload = {
        "format": FORMAT,
        "generated": when,
        "machine": machine,
        "settings": settings,
        "notes": notes,
        "results": list(results),
        "ratios": {lib: results.ratios(lib) for lib in others},
    }
    if cache is not None:
        payload["cache"] = cache
    (out / "results.json").write_text(
        json.dumps(jsonable(payload), indent=1) + "\n", encoding="utf-8"
    )
    write_html(
        out / "index.html",
        machine,
        results,
        tables,
        summary,
        summary_head,
        plots,
        flame,
        notes,
        settings,
        when,
        cache,
    )

    for t in tables:
        print(f"\n{t['op']}")
        print(format_text_table(t))
    if cache is not None:
        print(f"\ncache efficiency\nhardware counters: {cache['counters']['status']}")
        if cache["rows"]:
            print(f"cachegrind ({_caches_text(cache['caches'])}):")
            print(format_text_table(cache_table(cache)))
    for n in notes:
        print(f"note: {n}")
    files = ["index.html", "results.json"] + [p.name for _, p in plots]
    if "svg" in flame:
        files += [Path(flame["svg"]).name, Path(flame["speedscope"]).name]
    print(f"\nWrote {out}/: {', '.join(files)} in {time.perf_counter() - t0:.1f} s")
    bad = sorted({f"{r['lib']} {r['op']} n={r['size']}" for r in results if not r["agrees"]})
    if bad:
        print(f"ERROR: results disagree with the reference: {', '.join(bad)}", file=sys.stderr)
        return 1
    if args.baseline is not None:
        return _gate(load(args.baseline), results, args.threshold)
    return 0


def _gate(baseline: Sequence[dict[str, Any]], run: Sequence[dict[str, Any]], threshold) -> int:
    """Prints the run against the baseline; 2 if a point regressed (see compare_runs)."""
    cmp = compare_runs(baseline, run, threshold=threshold)
    print(f"\nagainst the baseline (a = baseline, b = this run)\n{cmp.table()}")
    if not cmp.ok:
        worst = ", ".join(
            f"{r['lib']} {r['op']} n={r['size']} {r['change']:+.0%}" for r in cmp.regressions
        )
        print(
            f"REGRESSION beyond {cmp.threshold:.0%} and the runs' spread: {worst}", file=sys.stderr
        )
        return 2
    print(f"no regression beyond {cmp.threshold:.0%} and the runs' spread")
    return 0


if __name__ == "__main__":
    sys.exit(main())
