"""What issue 15's in-cache goals ask of one core, measured in one run:

    .venv/bin/python benchmarks/bounds_issue15.py [--budget 0.3] [--only exp,log]

1. The transcendental functions at 1.5x the faster peer at n = 1e5, 2 threads. PyTorch runs
   its kernels on both cores there too (its grain is 32768 elements), so 1.5x over PyTorch needs
   corepy's kernel to be 1.5x faster per core; NumPy runs one thread, so 1.5x over NumPy needs,
   with perfect scaling, corepy's per-core time at most 2/1.5 of NumPy's. Each library's
   per-core time is measured on one thread at n = 16384 (in cache) by bench_elementwise's own
   harness; the table gives the per-core time the goal requires and corepy's.
2. sqrt at 1x PyTorch: how many of PyTorch's results differ from the correctly rounded ones
   (NumPy's IEEE sqrt, which corepy's matches), and the per-core times of the three.
"""

from __future__ import annotations

import argparse

import numpy as np
from bench_elementwise import FUNCS, MATH_GOAL_IN_CACHE, measure, torch

import corepy as cp

N = 16384  # elements per call: in cache on one core
THREADS = 2  # of the goal


def per_core(names: list[str], budget: float) -> dict[tuple[str, str], dict[str, float]]:
    """{(function, dtype): {library: ns per element on one thread}}."""
    fns = [f for f in FUNCS if f.name in names]
    rows = measure(fns, [N], ["float32", "float64"], threads=1, budget=budget, progress=False)
    out: dict[tuple[str, str], dict[str, float]] = {}
    for r in rows:
        out.setdefault((r["op"], r["dtype"]), {})[r["lib"]] = r["median_s"] / N * 1e9
    return out


def math_bound(budget: float, only: list[str] | None) -> list[str]:
    names = [f.name for f in FUNCS if f.kind == "math" and (not only or f.name in only)]
    lines = [
        f"{'function':10s} {'dtype':8s} {'corepy':>7s} {'torch':>7s} {'numpy':>7s} "
        f"{'needed':>7s}  corepy/needed   (ns per element, one thread, n = {N})"
    ]
    met = 0
    times = per_core(names, budget)
    for (name, dtype), t in times.items():
        need = []
        if "torch" in t:
            need.append(t["torch"] / MATH_GOAL_IN_CACHE)
        if "numpy" in t:
            need.append(t["numpy"] * THREADS / MATH_GOAL_IN_CACHE)
        needed = min(need)
        met += t["corepy"] <= needed
        cells = " ".join(
            f"{t[lib]:7.3f}" if lib in t else f"{'-':>7s}" for lib in ("corepy", "torch", "numpy")
        )
        lines.append(f"{name:10s} {dtype:8s} {cells} {needed:7.3f}  {t['corepy'] / needed:.2f}")
    lines.append(f"{met} of {len(times)} per-core times within what the goal needs")
    return lines


def sqrt_rounding(budget: float) -> list[str]:
    lines = []
    x = np.random.default_rng(1).uniform(0.0, 100.0, 2_000_000)
    for dtype in ("float32", "float64"):
        a = x.astype(dtype)
        ieee = np.sqrt(a)
        ours = np.asarray(cp.sqrt(cp.asarray(a)))
        differ = int((ours != ieee).sum())
        line = f"sqrt {dtype}: corepy differs from the IEEE result in {differ} of {a.size}"
        if torch is not None:
            theirs = torch.sqrt(torch.from_numpy(a)).numpy()
            line += f", PyTorch in {int((theirs != ieee).sum())}"
        lines.append(line)
    t = per_core(["sqrt"], budget)
    for (_, dtype), v in t.items():
        lines.append(
            f"sqrt {dtype}, one thread, n = {N}: "
            + ", ".join(f"{k} {s:.3f} ns" for k, s in v.items())
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--budget", type=float, default=0.3, help="seconds per point")
    p.add_argument("--only", default="", help="comma-separated functions")
    a = p.parse_args(argv)
    if torch is not None:
        torch.set_num_threads(1)
    only = [s for s in a.only.split(",") if s]
    for line in math_bound(a.budget, only) + sqrt_rounding(a.budget):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
