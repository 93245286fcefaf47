"""Performance report: corepy against NumPy on this machine.

    python -m corepy.report --out report

Times sum, add, dot and matmul (float32) at several sizes, checks that corepy and NumPy agree, and
writes ``DIR/results.json`` and ``DIR/index.html`` (a table). Progress and the table are printed
as it runs. Each time is the median of many samples; corepy and NumPy samples are interleaved so a
noisy neighbour or a frequency change hits both alike. ``ratio`` is numpy_time / corepy_time:
above 1 means corepy is faster.

Plots, flamegraphs and the roofline are planned; this first version is the table.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import html
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

import corepy as cp

DEFAULT_BUDGET_S = 0.2  # wall time spent measuring each point (both libraries together)
QUICK_BUDGET_S = 0.02
MIN_SAMPLE_S = 1e-3  # calls are batched so one timed sample lasts at least this long
MIN_SAMPLES = 5
MAX_SAMPLES = 2000


@dataclass
class Case:
    op: str
    dtype: str
    size: int  # elements per operand; for matmul the side n of the n x n matrices
    label: str
    rtol: float
    atol: float
    make: Callable[[np.random.Generator], tuple[Callable[[], Any], Callable[[], Any]]]


@dataclass
class Result:
    op: str
    dtype: str
    size: int
    label: str
    corepy_s: float
    numpy_s: float
    ratio: float
    agree: bool
    max_abs_diff: float
    samples: int
    calls_per_sample: int


# --------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------


def _sum_case(n: int):
    def make(rng):
        x = rng.random(n, dtype=np.float32)
        t = cp.Tensor(x)
        return (lambda: cp.sum(t)), (lambda: np.sum(x))

    return make


def _add_case(n: int):
    def make(rng):
        a, b = rng.random(n, dtype=np.float32), rng.random(n, dtype=np.float32)
        ta, tb = cp.Tensor(a), cp.Tensor(b)
        return (lambda: ta + tb), (lambda: a + b)

    return make


def _dot_case(n: int):
    def make(rng):
        a, b = rng.random(n, dtype=np.float32), rng.random(n, dtype=np.float32)
        ta, tb = cp.Tensor(a), cp.Tensor(b)
        return (lambda: cp.dot(ta, tb)), (lambda: np.dot(a, b))

    return make


def _matmul_case(n: int):
    def make(rng):
        a, b = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
        ta, tb = cp.Tensor(a), cp.Tensor(b)
        return (lambda: ta @ tb), (lambda: a @ b)

    return make


def _label(n: int) -> str:
    exp = round(math.log10(n)) if n > 0 else 0
    return f"n=1e{exp}" if n == 10**exp else f"n={n:,}"


def build_cases(quick: bool) -> list[Case]:
    """The points of the report; `quick` keeps only the small ones (for smoke tests)."""
    cases: list[Case] = []
    for n in (10**3, 10**5, 10**6, 10**7):
        cases.append(Case("sum", "float32", n, _label(n), 1e-5, 0.0, _sum_case(n)))
    for n in (10**3, 10**6, 10**7):
        cases.append(Case("add", "float32", n, _label(n), 1e-6, 0.0, _add_case(n)))
    for n in (10**5, 10**6):
        cases.append(Case("dot", "float32", n, _label(n), 1e-4, 0.0, _dot_case(n)))
    for n in (64, 128, 256):
        cases.append(Case("matmul", "float32", n, f"{n}x{n}", 1e-4, 1e-5 * n, _matmul_case(n)))
    if quick:
        cases = [c for c in cases if c.size <= (64 if c.op == "matmul" else 10**5)]
    return cases


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------


def _per_call(fn: Callable[[], Any], calls: int = 3) -> float:
    best = math.inf
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return max(best, 1e-9)


def _sample(fn: Callable[[], Any], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def time_pair(
    f_corepy: Callable[[], Any], f_numpy: Callable[[], Any], budget_s: float
) -> tuple[float, float, int, int]:
    """Median seconds per call of each function, sampled alternately within `budget_s`.

    Returns (corepy_s, numpy_s, samples_per_library, calls_per_sample)."""
    for _ in range(2):  # warm-up: caches, page faults, thread pools
        f_corepy()
        f_numpy()
    one = max(_per_call(f_corepy), _per_call(f_numpy))
    number = max(1, math.ceil(MIN_SAMPLE_S / one))
    samples = int(budget_s / (2 * number * one))
    samples = min(MAX_SAMPLES, max(MIN_SAMPLES, samples))
    t_cp: list[float] = []
    t_np: list[float] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for i in range(samples):
            if i % 2 == 0:  # alternate who goes first
                t_cp.append(_sample(f_corepy, number))
                t_np.append(_sample(f_numpy, number))
            else:
                t_np.append(_sample(f_numpy, number))
                t_cp.append(_sample(f_corepy, number))
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(t_cp), statistics.median(t_np), samples, number


def compare(got: Any, expected: Any, rtol: float, atol: float) -> tuple[bool, float]:
    """Do the two results agree? Returns (agree, max absolute difference)."""
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if g.shape != e.shape:
        return False, math.inf
    diff = float(np.max(np.abs(g - e))) if g.size else 0.0
    return bool(np.allclose(g, e, rtol=rtol, atol=atol)), diff


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


def machine_info() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_model": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "corepy_config": cp.config(),
        "cpu_features": cp.cpu_features(),
    }


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.3f} s"


def fmt_ratio(ratio: float) -> str:
    if ratio >= 10:
        return f"{ratio:.1f}x"
    if ratio >= 0.1:
        return f"{ratio:.2f}x"
    return f"{ratio:.2g}x"


COLUMNS = ("op", "dtype", "size", "corepy", "numpy", "ratio", "agree")


def _row(r: Result) -> tuple[str, ...]:
    return (
        r.op,
        r.dtype,
        r.label,
        fmt_time(r.corepy_s),
        fmt_time(r.numpy_s),
        fmt_ratio(r.ratio),
        "yes" if r.agree else "NO",
    )


def format_table(results: Sequence[Result]) -> str:
    rows = [COLUMNS, *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for k, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < 3 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_html(path: Path, machine: dict[str, Any], results: Sequence[Result], when: str) -> None:
    esc = html.escape
    cfg = machine["corepy_config"]
    info = [
        ("CPU", machine["cpu_model"]),
        ("Logical CPUs", str(machine["logical_cpus"])),
        ("Platform", machine["platform"]),
        ("Python / NumPy", f"{machine['python']} / {machine['numpy']}"),
        ("corepy", str(cfg.get("version"))),
        ("ISA (kernel table)", f"{cfg.get('isa')} ({cfg.get('kernel_isa')})"),
        ("Available ISAs", ", ".join(map(str, cfg.get("available_isas", [])))),
        ("Threads", str(cfg.get("num_threads"))),
    ]
    info_rows = "\n".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in info)
    head = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS)
    body = []
    for r in results:
        cells = _row(r)
        cls = "faster" if r.ratio >= 1.0 else "slower"
        agree_cls = "" if r.agree else ' class="bad"'
        body.append(
            "<tr>"
            + "".join(f"<td>{esc(c)}</td>" for c in cells[:5])
            + f'<td class="{cls}">{esc(cells[5])}</td>'
            + f"<td{agree_cls}>{esc(cells[6])}</td>"
            + "</tr>"
        )
    path.write_text(
        f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>corepy performance report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: right; }}
th {{ background: #f3f3f3; }}
td:nth-child(-n+3) {{ text-align: left; }}
.faster {{ color: #17692c; }} .slower {{ color: #a33; }} .bad {{ background: #fbb; }}
</style>
</head>
<body>
<h1>corepy vs NumPy</h1>
<p>Generated {esc(when)}. Median time per call; ratio = NumPy time / corepy time
(above 1: corepy is faster). Raw numbers: <a href="results.json">results.json</a>.</p>
<h2>Machine</h2>
<table>
{info_rows}
</table>
<h2>Results</h2>
<table>
<tr>{head}</tr>
{chr(10).join(body)}
</table>
</body>
</html>
""",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def run(cases: Sequence[Case], budget_s: float, seed: int = 0) -> list[Result]:
    results = []
    rng = np.random.default_rng(seed)
    for i, case in enumerate(cases, 1):
        prefix = f"[{i:>2}/{len(cases)}] {case.op:<6} {case.dtype} {case.label:<9}"
        print(f"{prefix} ...", end="", flush=True)
        f_cp, f_np = case.make(rng)
        agree, diff = compare(f_cp(), f_np(), case.rtol, case.atol)
        t_cp, t_np, samples, number = time_pair(f_cp, f_np, budget_s)
        result = Result(
            op=case.op,
            dtype=case.dtype,
            size=case.size,
            label=case.label,
            corepy_s=t_cp,
            numpy_s=t_np,
            ratio=t_np / t_cp,
            agree=agree,
            max_abs_diff=diff,
            samples=samples,
            calls_per_sample=number,
        )
        status = "ok" if agree else f"MISMATCH (max |diff| {diff:.3g})"
        print(
            f" corepy {fmt_time(t_cp):>10}  numpy {fmt_time(t_np):>10}  "
            f"ratio {fmt_ratio(result.ratio):>6}  {status}",
            flush=True,
        )
        results.append(result)
        del f_cp, f_np
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corepy.report", description="Compare corepy with NumPy on this machine."
    )
    parser.add_argument("--out", default="report", help="output directory (default: report)")
    parser.add_argument(
        "--budget",
        type=float,
        default=None,
        help=f"seconds of measurement per point (default {DEFAULT_BUDGET_S})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("COREPY_QUICK", "") not in ("", "0"),
        help="small sizes and a short budget (also set by COREPY_QUICK=1)",
    )
    args = parser.parse_args(argv)
    budget = (
        args.budget
        if args.budget is not None
        else (QUICK_BUDGET_S if args.quick else DEFAULT_BUDGET_S)
    )

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    cfg = machine["corepy_config"]
    print(f"corepy {cfg.get('version')} vs NumPy {np.__version__}")
    print(f"CPU: {machine['cpu_model']} ({machine['logical_cpus']} logical CPUs)")
    print(
        f"ISA: {cfg.get('isa')} (kernel table {cfg.get('kernel_isa')}; available "
        f"{', '.join(map(str, cfg.get('available_isas', [])))}), threads: {cfg.get('num_threads')}"
    )
    print(f"Median of interleaved samples, ~{budget:g} s per point. ratio = numpy / corepy.\n")

    results = run(build_cases(args.quick), budget)
    when = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")

    payload = {
        "generated": when,
        "machine": machine,
        "settings": {"budget_s": budget, "quick": args.quick, "min_sample_s": MIN_SAMPLE_S},
        "results": [asdict(r) for r in results],
    }
    (out / "results.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    write_html(out / "index.html", machine, results, when)

    print()
    print(format_table(results))
    print(f"\nWrote {out / 'results.json'} and {out / 'index.html'}")
    bad = [r for r in results if not r.agree]
    if bad:
        names = ", ".join(f"{r.op} {r.label}" for r in bad)
        print(f"ERROR: corepy and NumPy disagree on: {names}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
