"""Every float element-wise function: corepy vs NumPy vs PyTorch, one run, one ratio table.

    python benchmarks/bench_elementwise.py [--only exp,add] [--dtypes float32] [--sizes 1e5]
                                           [--threads 2] [--json out.json]

For each function x dtype x size it times corepy, NumPy and PyTorch (when importable) with
``cp.bench.compare`` on callables (the same steady-state round-robin harness as the catalogue:
warm-up, settle, batched runs, medians), then prints one table: the medians, the faster peer's
median over corepy's (above 1: corepy is faster), the target (1.5x for the transcendental
functions at n = 1e5, 1x elsewhere) and, for the memory-bound functions at the largest size, the
achieved bandwidth (bytes read + written / median) against the DRAM figure of ``cp.machine()``
for the STREAM kernel with the same traffic (copy for unary functions, add for binary ones; read
for the predicates and comparisons, whose boolean output is an eighth of an input or less: their
time is the reads', and a machine whose reads alone stream slower than a copy's reads and writes
together would otherwise hold them to a figure no read stream reaches) and the goal of 85% of it.

Not part of `make test`: timing takes ~15 minutes for the full table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import corepy as cp
from corepy import bench
from corepy.lab.machine import by_threads
from corepy.lab.results import fmt_time

try:
    import torch
except ImportError:  # the table then has no PyTorch column
    torch = None


@dataclass(frozen=True)
class Fn:
    name: str
    numpy: Callable | None
    th: str | None  # the torch function's name
    arity: int
    x: tuple[float, float]  # the range of the inputs (uniform)
    y: tuple[float, float] | None = None
    kind: str = "memory"  # "memory": held to the DRAM goal at 1e7; "math": 1.5x at 1e5; "other"
    out_bool: bool = False
    y_nonzero: bool = False  # divisors: |y| in [y0, y1] with a random sign


def _u(*, name, np_f, th, x=(-10.0, 10.0), y=None, arity=1, kind="memory", **kw) -> Fn:
    return Fn(name, np_f, th, arity, x, y, kind, **kw)


FUNCS: list[Fn] = [
    # memory-bound unary
    _u(name="abs", np_f=np.abs, th="abs"),
    _u(name="negative", np_f=np.negative, th="neg"),
    _u(name="positive", np_f=np.positive, th=None),  # torch.positive returns a view
    _u(name="square", np_f=np.square, th="square"),
    _u(name="sqrt", np_f=np.sqrt, th="sqrt", x=(0.0, 100.0), kind="other"),
    _u(name="reciprocal", np_f=np.reciprocal, th="reciprocal", x=(0.5, 10.0)),
    _u(name="sign", np_f=np.sign, th="sign"),
    _u(name="floor", np_f=np.floor, th="floor"),
    _u(name="ceil", np_f=np.ceil, th="ceil"),
    _u(name="trunc", np_f=np.trunc, th="trunc"),
    _u(name="round", np_f=np.round, th="round"),
    _u(name="isnan", np_f=np.isnan, th="isnan", out_bool=True),
    _u(name="isinf", np_f=np.isinf, th="isinf", out_bool=True),
    _u(name="isfinite", np_f=np.isfinite, th="isfinite", out_bool=True),
    _u(name="signbit", np_f=np.signbit, th="signbit", out_bool=True),
    # transcendental unary
    _u(name="exp", np_f=np.exp, th="exp", x=(-50.0, 50.0), kind="math"),
    _u(name="expm1", np_f=np.expm1, th="expm1", x=(-5.0, 5.0), kind="math"),
    _u(name="log", np_f=np.log, th="log", x=(1e-3, 1e3), kind="math"),
    _u(name="log1p", np_f=np.log1p, th="log1p", x=(-0.9, 10.0), kind="math"),
    _u(name="log2", np_f=np.log2, th="log2", x=(1e-3, 1e3), kind="math"),
    _u(name="log10", np_f=np.log10, th="log10", x=(1e-3, 1e3), kind="math"),
    _u(name="sin", np_f=np.sin, th="sin", x=(-100.0, 100.0), kind="math"),
    _u(name="cos", np_f=np.cos, th="cos", x=(-100.0, 100.0), kind="math"),
    _u(name="tan", np_f=np.tan, th="tan", x=(-100.0, 100.0), kind="math"),
    _u(name="asin", np_f=np.arcsin, th="asin", x=(-1.0, 1.0), kind="math"),
    _u(name="acos", np_f=np.arccos, th="acos", x=(-1.0, 1.0), kind="math"),
    _u(name="atan", np_f=np.arctan, th="atan", kind="math"),
    _u(name="sinh", np_f=np.sinh, th="sinh", kind="math"),
    _u(name="cosh", np_f=np.cosh, th="cosh", kind="math"),
    _u(name="tanh", np_f=np.tanh, th="tanh", kind="math"),
    _u(name="asinh", np_f=np.arcsinh, th="asinh", x=(-100.0, 100.0), kind="math"),
    _u(name="acosh", np_f=np.arccosh, th="acosh", x=(1.0, 100.0), kind="math"),
    _u(name="atanh", np_f=np.arctanh, th="atanh", x=(-0.99, 0.99), kind="math"),
    # memory-bound binary
    _u(name="add", np_f=np.add, th="add", arity=2, y=(-10.0, 10.0)),
    _u(name="subtract", np_f=np.subtract, th="sub", arity=2, y=(-10.0, 10.0)),
    _u(name="multiply", np_f=np.multiply, th="mul", arity=2, y=(-10.0, 10.0)),
    _u(name="divide", np_f=np.divide, th="div", arity=2, y=(0.5, 10.0), y_nonzero=True),
    _u(name="maximum", np_f=np.maximum, th="maximum", arity=2, y=(-10.0, 10.0)),
    _u(name="minimum", np_f=np.minimum, th="minimum", arity=2, y=(-10.0, 10.0)),
    _u(name="copysign", np_f=np.copysign, th="copysign", arity=2, y=(-10.0, 10.0)),
    _u(name="nextafter", np_f=np.nextafter, th="nextafter", arity=2, y=(-10.0, 10.0)),
    _u(name="equal", np_f=np.equal, th="eq", arity=2, y=(-10.0, 10.0), out_bool=True),
    _u(name="not_equal", np_f=np.not_equal, th="ne", arity=2, y=(-10.0, 10.0), out_bool=True),
    _u(name="less", np_f=np.less, th="lt", arity=2, y=(-10.0, 10.0), out_bool=True),
    _u(name="less_equal", np_f=np.less_equal, th="le", arity=2, y=(-10.0, 10.0), out_bool=True),
    _u(name="greater", np_f=np.greater, th="gt", arity=2, y=(-10.0, 10.0), out_bool=True),
    _u(
        name="greater_equal",
        np_f=np.greater_equal,
        th="ge",
        arity=2,
        y=(-10.0, 10.0),
        out_bool=True,
    ),
    # division-like binary: a vector division an element, then memory
    _u(
        name="remainder",
        np_f=np.remainder,
        th="remainder",
        arity=2,
        x=(-100.0, 100.0),
        y=(0.5, 10.0),
        y_nonzero=True,
        kind="other",
    ),
    _u(
        name="floor_divide",
        np_f=np.floor_divide,
        th="floor_divide",
        arity=2,
        x=(-100.0, 100.0),
        y=(0.5, 10.0),
        y_nonzero=True,
        kind="other",
    ),
    # transcendental binary
    _u(name="atan2", np_f=np.arctan2, th="atan2", arity=2, y=(-10.0, 10.0), kind="math"),
    _u(name="hypot", np_f=np.hypot, th="hypot", arity=2, y=(-10.0, 10.0), kind="math"),
    _u(name="pow", np_f=np.power, th="pow", arity=2, x=(0.1, 10.0), y=(-10.0, 10.0), kind="math"),
    _u(name="logaddexp", np_f=np.logaddexp, th="logaddexp", arity=2, y=(-10.0, 10.0), kind="math"),
]
BY_NAME = {f.name: f for f in FUNCS}
SIZES = (100_000, 10_000_000)
DTYPES = ("float32", "float64")
DRAM_GOAL = 0.85
MATH_GOAL_IN_CACHE = 1.5


def operands(f: Fn, n: int, dtype: str, seed: int = 0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(*f.x, n).astype(dtype)
    if f.arity == 1:
        return (x,)
    y = rng.uniform(*f.y, n)
    if f.y_nonzero:
        y = y * rng.choice([-1.0, 1.0], n)
    return x, y.astype(dtype)


def _converted(convert: Callable) -> Callable:
    """The operands converted once per operand set (as the catalogue's preparation does): a
    timed call then costs the library's function only."""
    memo: dict = {}

    def get(arrays):
        key = tuple(id(a) for a in arrays)
        if key not in memo:
            memo.clear()
            memo[key] = (arrays, [convert(a) for a in arrays])  # keeps the arrays alive
        return memo[key][1]

    return get


def callables(f: Fn) -> dict[str, Callable]:
    """{library: function of the NumPy operands}: corepy wraps them zero-copy (cp.Tensor, as the
    catalogue's corepy side does), PyTorch through torch.from_numpy (zero-copy too)."""
    cp_f = getattr(cp, f.name)
    cp_args = _converted(cp.Tensor)
    out = {"corepy": lambda *a: cp_f(*cp_args(a))}
    if f.numpy is not None:
        out["numpy"] = f.numpy
    if torch is not None and f.th is not None:
        th_f = getattr(torch, f.th)
        th_args = _converted(torch.from_numpy)
        out["torch"] = lambda *a: th_f(*th_args(a))
    return out


def traffic(f: Fn, n: int, dtype: str) -> int:
    """Bytes one call must move: each input read once, the output written once."""
    isz = np.dtype(dtype).itemsize
    return f.arity * n * isz + n * (1 if f.out_bool else isz)


def _agree(got, ref) -> bool:
    g = np.asarray(
        got.numpy() if hasattr(got, "numpy") and not isinstance(got, np.ndarray) else got
    )
    r = np.asarray(ref)
    if g.shape != r.shape:
        return False
    if r.dtype == bool:
        return bool(np.array_equal(g, r))
    tol = 1e-5 if r.dtype == np.float32 else 1e-12
    return bool(np.allclose(g, r, rtol=tol, atol=tol, equal_nan=True))


def measure(
    fns: list[Fn],
    sizes,
    dtypes,
    threads: int,
    budget: float | None,
    progress: bool = True,
) -> list[dict]:
    rows = []
    first = True
    for dtype in dtypes:
        for f in fns:
            libs = callables(f)
            res = bench.compare(
                libs,
                sizes=list(sizes),
                threads=threads,
                setup=lambda n, f=f, dtype=dtype: operands(f, n, dtype),
                nbytes=lambda n, f=f, dtype=dtype: traffic(f, n, dtype),
                check=_agree,
                name=f.name,
                budget=budget,
                plot=False,
                progress=False,
                print_table=False,
                wait_idle=first,
            )
            first = False
            res = [dict(r) for r in res]  # Rows have fixed fields; this table adds its own
            for r in res:
                r["dtype"] = dtype  # the first operand's dtype (bench sets it too)
                r["kind"] = f.kind
                r["arity"] = f.arity
            rows.extend(res)
            if progress:
                done = {(r["size"], r["lib"]): r["median_s"] for r in res}
                cells = [
                    f"n={n:.0e} "
                    + " ".join(
                        f"{lib}={fmt_time(done[(n, lib)])}" for lib in libs if (n, lib) in done
                    )
                    for n in sizes
                ]
                print(f"{f.name:14s} {dtype}  " + " | ".join(cells), flush=True)
    return rows


def dram_gbps(machine: dict, pattern: str, threads: int) -> float:
    return by_threads(machine["bandwidth_gbps"][pattern], threads) or math.nan


def table(rows: list[dict], machine: dict, threads: int) -> tuple[str, list[dict]]:
    """The ratio table (text) and its rows as dicts."""
    by = {(r["op"], r["dtype"], r["size"], r["lib"]): r for r in rows}
    keys = sorted(
        {(r["op"], r["dtype"], r["size"]) for r in rows},
        key=lambda k: ([f.name for f in FUNCS].index(k[0]), k[1], k[2]),
    )
    big = max(r["size"] for r in rows)
    head = [
        "function",
        "dtype",
        "n",
        "corepy",
        "numpy",
        "torch",
        "peer/corepy",
        "goal",
        "ok",
        "GB/s",
        "% DRAM",
    ]
    out_rows, lines = [], []
    for op, dtype, n in keys:
        f = BY_NAME[op]
        c = by.get((op, dtype, n, "corepy"))
        npy = by.get((op, dtype, n, "numpy"))
        th = by.get((op, dtype, n, "torch"))
        if c is None:
            continue
        peers = [r["median_s"] for r in (npy, th) if r is not None]
        best = min(peers) if peers else math.nan
        ratio = best / c["median_s"]
        goal = MATH_GOAL_IN_CACHE if (f.kind == "math" and n < 10**6) else 1.0
        gbps = c["bytes"] / c["median_s"] / 1e9
        pct = None
        if f.kind == "memory" and n == big:
            pattern = "read" if f.out_bool else "copy" if f.arity == 1 else "add"
            pct = 100.0 * gbps / dram_gbps(machine, pattern, threads)
        ok = ratio >= goal and (pct is None or pct >= 100 * DRAM_GOAL)
        agree = all(r.get("agrees") is not False for r in (c, npy, th) if r is not None)
        row = {
            "function": op,
            "dtype": dtype,
            "n": n,
            "corepy_s": c["median_s"],
            "numpy_s": npy["median_s"] if npy else None,
            "torch_s": th["median_s"] if th else None,
            "ratio": ratio,
            "goal": goal,
            "ok": ok,
            "gbps": gbps,
            "pct_dram": pct,
            "agrees": agree,
            "others_load": c.get("others_load"),
        }
        out_rows.append(row)
        lines.append(
            [
                op,
                dtype,
                f"{n:.0e}",
                fmt_time(c["median_s"]),
                fmt_time(npy["median_s"]) if npy else "-",
                fmt_time(th["median_s"]) if th else "-",
                f"{ratio:.2f}x",
                f"{goal:g}x",
                ("yes" if ok else "NO") + ("" if agree else " (disagrees)"),
                f"{gbps:.1f}",
                f"{pct:.0f}%" if pct is not None else "",
            ]
        )
    widths = [max(len(x) for x in col) for col in zip(head, *lines, strict=True)]
    text = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    text.append("  ".join("-" * w for w in widths))
    text += ["  ".join(c.ljust(w) for c, w in zip(ln, widths, strict=True)) for ln in lines]
    misses = [r for r in out_rows if not r["ok"]]
    text.append(f"{len(out_rows) - len(misses)} of {len(out_rows)} points meet their goal")
    return "\n".join(text), out_rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", help="comma-separated function names (default: all)")
    p.add_argument("--dtypes", default=",".join(DTYPES))
    p.add_argument("--sizes", default=",".join(f"{n:.0e}" for n in SIZES))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--budget", type=float, default=None, help="seconds per point (bench default)")
    p.add_argument("--json", help="write the rows (and the machine's DRAM figures) here")
    a = p.parse_args(argv)
    names = a.only.split(",") if a.only else [f.name for f in FUNCS]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        p.error(f"unknown function(s): {', '.join(unknown)}")
    sizes = [int(float(s)) for s in a.sizes.split(",")]
    dtypes = a.dtypes.split(",")
    machine = bench.machine_limits()
    for pat in ("copy", "add", "read"):
        print(f"cp.machine() DRAM {pat}: {dram_gbps(machine, pat, a.threads):.1f} GB/s", flush=True)
    if torch is not None:
        torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    rows = measure([BY_NAME[n] for n in names], sizes, dtypes, a.threads, a.budget)
    text, out = table(rows, machine, a.threads)
    print(text)
    print(
        f"({time.perf_counter() - t0:.0f} s; corepy {cp.__version__} isa {cp.get_isa()}, "
        f"numpy {np.__version__}, torch {torch.__version__ if torch else 'absent'}, "
        f"{a.threads} threads, {os.cpu_count()} CPUs)"
    )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(
                {
                    "rows": out,
                    "dram_gbps": {
                        pat: dram_gbps(machine, pat, a.threads) for pat in ("copy", "add", "read")
                    },
                    "threads": a.threads,
                },
                fh,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
