"""Plots: throughput or time against size per op, and the cache-aware roofline (matplotlib is
imported when a plot is drawn, never before)."""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import corepy as cp

from .catalogue import OPS
from .live import in_notebook
from .machine import by_threads, machine_limits

__all__ = [
    "figure_bytes",
    "figure_class",
    "plot",
    "readable_log_ticks",
    "register_figure_formatter",
    "roofline",
    "save_figure",
]


def figure_class():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure


def register_figure_formatter() -> None:
    """In Jupyter, let a returned matplotlib Figure display as a PNG even when pyplot (and with
    it the inline backend) was never imported: bench draws on bare Figure objects."""
    if not in_notebook():
        return
    Figure = figure_class()
    if Figure is None:
        return
    import IPython

    formatter = IPython.get_ipython().display_formatter.formatters["image/png"]
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        formatter.for_type(Figure, lambda fig: figure_bytes(fig, "png"))


def figure_bytes(fig, fmt: str) -> bytes:
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


def readable_log_ticks(ax) -> None:
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
    Figure = figure_class()
    if Figure is None:
        print("note: matplotlib is not installed; no plot (pip install matplotlib)")
        return None
    if metric not in ("throughput", "time"):
        raise ValueError(f"metric must be 'throughput' or 'time', got {metric!r}")
    register_figure_formatter()
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
        readable_log_ticks(ax)
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
    Figure = figure_class()
    if Figure is None:
        print("note: matplotlib is not installed; no roofline (pip install matplotlib)")
        return None
    register_figure_formatter()
    machine = machine or getattr(results, "machine", None) or machine_limits()
    if threads is None:
        threads = max((int(r.get("threads", 1)) for r in results), default=cp.get_num_threads())
    peak = by_threads(machine.get("peak_gflops", {}), threads) or math.nan
    bw = machine.get("bandwidth_gbps", {})
    read_bw = by_threads(bw.get("read", {}), threads) or math.nan
    add_bw = by_threads(bw.get("add", {}), threads) or math.nan

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
        lbw = by_threads(lv.get("bandwidth_gbps", {}).get("read", {}), threads)
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
    readable_log_ticks(ax)
    ax.set_xlabel("arithmetic intensity (flop / byte of compulsory traffic)")
    ax.set_ylabel("achieved GFLOP/s")
    ax.set_title(title or "Roofline (marker size grows with n)")
    ax.grid(True, which="both", alpha=0.3)
    if save is not None:
        save_figure(fig, save)
    return fig
