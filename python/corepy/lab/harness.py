"""`compare`: corepy, NumPy and PyTorch (or the user's own callables) timed side by side on
this machine, each point checked against a reference (see the package's docs)."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import corepy as cp

from .catalogue import (
    NP_NAMES,
    OPS,
    VECTOR_SIZES,
    Op,
    agree,
    axis_op,
    default_sizes,
    get_op,
    make_inputs,
    quick_mode,
    reference,
    result_tolerance,
    tolerance,
)
from .live import Live, in_notebook, tqdm_missing
from .machine import bandwidth_ceiling, limit_level, machine_limits
from .plots import figure_class, save_figure
from .plots import plot as draw_plot
from .results import Results, Row
from .timing import (
    BUSY_SHARE,
    DEFAULT_BUDGET_S,
    MIN_RUN_S,
    QUICK_BUDGET_S,
    QUICK_MIN_RUN_S,
    SETTLE_S,
    STEADY_RUN_S,
    OthersLoad,
    sample_fields,
    time_round_robin,
    wait_for_idle,
)

__all__ = ["LIBRARIES", "compare", "torch_module"]

LIBRARIES = ("corepy", "numpy", "torch")


def torch_module():
    try:
        import torch
    except ImportError:
        return None
    return torch


def _prepare_corepy(op: Op, arrays: list[np.ndarray]) -> tuple[Callable[[], Any], Callable]:
    # Functions are looked up on the module at call time, so a test can monkeypatch them.
    ts = [cp.Tensor(a) for a in arrays]
    name = op.name
    if op.kind in ("reduce", "scan", "sort"):
        (x,) = ts
        return (lambda: getattr(cp, name)(x)), np.asarray
    if op.kind == "axis":
        (x,) = ts
        base, axis = axis_op(op)
        return (lambda: getattr(cp, base)(x, axis=axis)), np.asarray
    if name == "add_out":
        a, b = ts
        out = cp.Tensor(np.empty_like(arrays[0]))
        return (lambda: cp.add(a, b, out=out)), np.asarray
    if op.kind == "unary":
        (x,) = ts
        return (lambda: getattr(cp, name)(x)), np.asarray
    a, b = ts
    fn_name = {"matvec": "matmul"}.get(name, name)
    return (lambda: getattr(cp, fn_name)(a, b)), np.asarray


def _prepare_numpy(op: Op, arrays: list[np.ndarray]) -> tuple[Callable[[], Any], Callable]:
    name = op.name
    if name in ("sort",):
        (x,) = arrays
        return (lambda: np.sort(x)), np.asarray
    if name == "argsort":
        (x,) = arrays
        return (lambda: np.argsort(x, kind="stable")), np.asarray
    if op.kind == "axis":
        (x,) = arrays
        base, axis = axis_op(op)
        fa = getattr(np, base)
        return (lambda: fa(x, axis=axis)), np.asarray
    if op.kind in ("reduce", "scan"):
        (x,) = arrays
        f = np.cumsum if name == "cumulative_sum" else getattr(np, name)
        return (lambda: f(x)), np.asarray
    if name == "add_out":
        a, b = arrays
        out = np.empty_like(a)
        return (lambda: np.add(a, b, out=out)), np.asarray
    fn = getattr(np, NP_NAMES.get(name, name))
    return (lambda: fn(*arrays)), np.asarray


def _prepare_torch(op: Op, arrays: list[np.ndarray]) -> tuple[Callable[[], Any], Callable]:
    torch = torch_module()
    assert torch is not None
    ts = [torch.from_numpy(a) for a in arrays]

    def to_numpy(r):
        return r.detach().cpu().numpy() if hasattr(r, "detach") else np.asarray(r)

    name = op.name
    if op.kind == "axis":
        (x,) = ts
        base, axis = axis_op(op)
        ft = {"sum": torch.sum, "max": torch.amax}[base]
        return (lambda: ft(x, dim=axis)), to_numpy
    if op.kind in ("reduce", "scan"):
        (x,) = ts
        special = {
            "std": lambda: torch.std(x, correction=0),
            "var": lambda: torch.var(x, correction=0),
            "cumulative_sum": lambda: torch.cumsum(x, 0),
        }
        return special.get(name, lambda: getattr(torch, name)(x)), to_numpy
    if op.kind == "unary":
        (x,) = ts
        return (lambda: getattr(torch, name)(x)), to_numpy
    if name == "sort":
        (x,) = ts
        return (lambda: torch.sort(x, stable=True).values), to_numpy
    if name == "argsort":
        (x,) = ts
        return (lambda: torch.argsort(x, stable=True)), to_numpy
    a, b = ts
    if name == "add_out":
        out = torch.empty_like(a)
        return (lambda: torch.add(a, b, out=out)), to_numpy
    fn_name = {"matvec": "mv", "remainder": "remainder", "floor_divide": "floor_divide"}.get(
        name, name
    )
    return (lambda: getattr(torch, fn_name)(a, b)), to_numpy


_PREPARE = {"corepy": _prepare_corepy, "numpy": _prepare_numpy, "torch": _prepare_torch}


def _available(lib: str) -> bool:
    return lib != "torch" or torch_module() is not None


@contextlib.contextmanager
def _threads(threads: int | None, torch_mod):
    old_cp = cp.get_num_threads()
    old_torch = torch_mod.get_num_threads() if torch_mod is not None else None
    try:
        if threads is not None:
            cp.set_num_threads(threads)
        if torch_mod is not None:
            torch_mod.set_num_threads(cp.get_num_threads())
        yield cp.get_num_threads()
    finally:
        cp.set_num_threads(old_cp)
        if torch_mod is not None and old_torch is not None:
            torch_mod.set_num_threads(old_torch)


def compare(
    op: str | Sequence[str] | dict[str, Callable[..., Any]],
    sizes: Sequence[int] | dict[str, Sequence[int]] | None = None,
    libs: Sequence[str] = LIBRARIES,
    dtype: str = "float32",
    budget: float | None = None,
    threads: int | None = None,
    plot: bool | str | None = None,
    *,
    save: str | os.PathLike | None = None,
    progress: bool | None = None,
    machine: dict[str, Any] | None = None,
    wait_idle: bool = True,
    print_table: bool | None = None,
    quick: bool | None = None,
    seed: int = 0,
    setup: Callable[[int], Any] | None = None,
    flops: Callable[[int], float] | None = None,
    nbytes: Callable[[int], float] | None = None,
    check: bool | Callable[[Any, Any], bool] = True,
    name: str = "callables",
) -> Results:
    """Times `op` (a name from `OPS`, or a list of them) at each size for each library, or the
    user's own callables.

    Args:
        op: "sum", "mean", "max", "min", "argmax", "std", "var", "cumulative_sum", "all", "any"
            (bool input), "add", "add_out" (out=), "sub", "mul", "div", "dot", "matvec",
            "matmul", "sort", "argsort" or any float function of the op table (`OPS`); or a
            list of these. Or a dict {label: callable}: each callable is timed on the arguments
            `setup(n)` returns (a tuple, or one value) at each size, and `libs` is ignored.
        setup, flops, nbytes, check, name: for callables only. `flops(n)` and `nbytes(n)`
            give throughput and the roofline position; `check=True` requires every result to
            agree with the first callable's (dtype-aware tolerance), a function `check(got,
            first) -> bool` customises that, False skips it; `name` labels the rows' op.
        sizes: elements per operand (n for n x n matrices), or {op: sizes}; None (or an op
            missing from the dict): `default_sizes(op)`.
        libs: any of "corepy", "numpy", "torch"; missing ones are skipped with a note.
        dtype: of the inputs (all/any always take bool).
        budget: seconds of timing per point, all libraries together (default 0.25; 0.02 in
            quick mode, see `quick_mode`).
        threads: corepy's thread count for the run (None: as it is); PyTorch gets the same.
        plot: draw time ("time") or throughput (True or "throughput") against size, live in
            Jupyter; None: throughput in Jupyter, no plot elsewhere; False: no plot.
        save: also save the final plot (PNG or SVG, by suffix; `plot` defaults to throughput).
        progress: tqdm bar in Jupyter / a line per point elsewhere (None: on; False: silent).
        machine: `cp.machine()` numbers for pct_of_peak (None: measured once and cached).
        wait_idle: first wait (a few seconds at most) for the CPUs to be idle. Each row's
            ``others_load`` is the share of CPU time other processes took while its point ran
            (None where unknown); a note flags points where it was high.
        print_table: print the final table (None: outside Jupyter, unless progress=False).
        quick: small budgets (None: from COREPY_QUICK).

    Returns:
        `Results`: a list with one dict per op, size and library (see `Results`), printed as a
        table outside Jupyter and shown as one inside.
    """
    if isinstance(op, dict):
        if setup is None:
            raise ValueError("compare: callables need setup=lambda n: args")
        funcs = dict(op)
        if not funcs or not all(callable(f) for f in funcs.values()):
            raise TypeError("compare: op must map labels to callables")
        custom = _Custom(name, funcs, setup, flops, nbytes, check)
        ops, libs = [name], list(funcs)
    else:
        custom = None
        ops = [op] if isinstance(op, str) else list(op)
        for opname in ops:
            get_op(opname)
    quick = quick_mode() if quick is None else quick
    budget = budget if budget is not None else (QUICK_BUDGET_S if quick else DEFAULT_BUDGET_S)
    min_run_s = QUICK_MIN_RUN_S if quick else MIN_RUN_S
    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        if progress is not False:
            print(f"note: {text}", flush=True)

    run_libs = []
    for lib in dict.fromkeys(libs):
        if custom is not None:
            run_libs.append(lib)
        elif lib not in _PREPARE:
            raise ValueError(f"unknown library {lib!r}; expected some of {', '.join(_PREPARE)}")
        if _available(lib):
            run_libs.append(lib)
        else:
            note(f"{lib} is not installed: skipped (pip install {lib} to compare with it)")
    if not run_libs:
        return Results([], notes)

    if machine is None:
        machine = machine_limits()
    if wait_idle:
        idle = wait_for_idle(sample_s=0.05 if quick else 0.2, max_wait_s=0.2 if quick else 3.0)
        if not idle["idle_ok"]:
            note(
                f"the machine is busy (CPU idle {idle['idle']:.0%} after waiting "
                f"{idle['waited_s']:.1f} s): timings may be noisy"
            )

    points = []
    for opname in ops:
        op_sizes = sizes.get(opname) if isinstance(sizes, dict) else sizes
        if op_sizes is None and custom is not None:
            op_sizes = VECTOR_SIZES.pick(quick)
        for n in op_sizes if op_sizes is not None else default_sizes(opname, quick):
            points.append((opname, int(n)))
    plot_metric: str | None
    if plot is None:
        plot_metric = "throughput" if (in_notebook() or save is not None) else None
    elif plot is False:
        plot_metric = None
    else:
        plot_metric = plot if isinstance(plot, str) else "throughput"
    if plot_metric is not None and figure_class() is None:
        note("matplotlib is not installed: no plot (pip install matplotlib)")
        plot_metric = None
    if progress is not False and in_notebook() and tqdm_missing():
        note("tqdm is not installed: no progress bar (pip install tqdm)")

    rows: list[Row] = []
    rng = np.random.default_rng(seed)
    torch_mod = torch_module() if "torch" in run_libs else None
    live = Live(len(points), plot_metric, False if progress is False else None)
    load = OthersLoad()
    with _threads(threads, torch_mod) as nthreads:
        if torch_mod is not None:
            notes.append(f"torch {torch_mod.__version__} with {nthreads} threads")
        try:
            for opname, n in points:
                load.start()
                if custom is not None:
                    new = custom.measure(n, budget, min_run_s, nthreads, machine, note)
                else:
                    new = _measure_point(
                        OPS[opname],
                        n,
                        dtype,
                        run_libs,
                        budget,
                        min_run_s,
                        nthreads,
                        machine,
                        rng,
                        note,
                    )
                others = load.stop()
                for r in new:
                    r["others_load"] = None if others is None else round(others, 3)
                rows.extend(new)
                live.point(rows, new)
        finally:
            live.close(rows)
    busy = sorted({(r["op"], r["size"]) for r in rows if (r["others_load"] or 0) > BUSY_SHARE})
    if busy:
        worst = max(r["others_load"] for r in rows if r["others_load"] is not None)
        note(
            f"other processes used over {BUSY_SHARE:.0%} of the CPUs (up to {worst:.0%}) while "
            f"{len(busy)} point(s) ran, e.g. {busy[0][0]} n={busy[0][1]}: see others_load; "
            "those timings may be noisy"
        )
    meta = {"budget_s": budget, "quick": quick, "threads": nthreads, "libs": run_libs}
    results = Results(rows, notes, machine, meta)
    if plot_metric is not None and save is not None:
        fig = draw_plot(results, metric=plot_metric)
        if fig is not None:
            save_figure(fig, save)
    if print_table if print_table is not None else (progress is not False and not in_notebook()):
        print(results.table(), flush=True)
    return results


@dataclass
class _Custom:
    """The user's callables of one `compare` call (see `compare`)."""

    name: str
    funcs: dict[str, Callable[..., Any]]
    setup: Callable[[int], Any]
    flops: Callable[[int], float] | None
    nbytes: Callable[[int], float] | None
    check: bool | Callable[[Any, Any], bool]

    def measure(self, n, budget, min_run_s, threads, machine, note) -> list[Row]:
        args = self.setup(n)
        args = args if isinstance(args, tuple) else (args,)
        fns = {label: (lambda f=f: f(*args)) for label, f in self.funcs.items()}
        first_label, first = None, None
        agrees: dict[str, tuple[bool | None, float | None]] = {}
        for label, fn in fns.items():
            got = fn()
            if self.check is False:
                agrees[label] = (None, None)
                continue
            if first_label is None:
                first_label, first = label, got
                agrees[label] = (True, 0.0)
                continue
            if callable(self.check):
                agrees[label] = (bool(self.check(got, first)), None)
            else:
                g, f = np.asarray(got), np.asarray(first)
                if g.shape != f.shape:
                    agrees[label] = (False, math.inf)
                else:
                    rtol, atol = result_tolerance(f)
                    agrees[label] = agree(
                        g,
                        f.astype(np.complex128 if f.dtype.kind == "c" else np.float64),
                        rtol,
                        atol,
                    )
            if agrees[label][0] is False:
                note(f"{label} disagrees with {first_label} at n={n}")
        settle = 0.0
        if min_run_s >= MIN_RUN_S:
            min_run_s, settle = max(min_run_s, STEADY_RUN_S), SETTLE_S
        timings = time_round_robin(fns, budget, min_run_s, settle)
        nb = self.nbytes(n) if self.nbytes else None
        fl = self.flops(n) if self.flops else None
        bw, level = bandwidth_ceiling("add", threads, machine, nb)
        rows = []
        for label, (xs, number) in timings.items():
            t = sample_fields(xs, number)
            med = t["median_s"]
            gbps = nb / med / 1e9 if nb else None
            gflops = fl / med / 1e9 if fl else None
            rows.append(
                Row(
                    op=self.name,
                    size=n,
                    lib=label,
                    dtype=str(np.asarray(args[0]).dtype) if args else "",
                    threads=threads,
                    **t,
                    bytes=nb,
                    flops=fl,
                    gbps=gbps,
                    gflops=gflops,
                    intensity=fl / nb if fl and nb else None,
                    bound="memory",
                    pattern="add",
                    pct_of_peak=100.0 * gbps / bw if gbps and bw else math.nan,
                    limit_level=level,
                    agrees=agrees[label][0],
                    max_abs_diff=agrees[label][1],
                )
            )
        return rows


def _measure_point(
    op: Op,
    n: int,
    dtype: str,
    libs: list[str],
    budget: float,
    min_run_s: float,
    threads: int,
    machine: dict[str, Any],
    rng: np.random.Generator,
    note: Callable[[str], None],
) -> list[Row]:
    dt = np.dtype(bool) if op.bool_input else np.dtype(dtype)
    arrays = make_inputs(op, n, dt, rng)
    expected = reference(op, arrays)
    rtol, atol = tolerance(op.name, dt.name)
    fns: dict[str, Callable[[], Any]] = {}
    checks: dict[str, tuple[bool, float]] = {}
    for lib in libs:
        try:
            fn, to_numpy = _PREPARE[lib](op, arrays)
            got = to_numpy(fn())
        except Exception as e:  # a library that cannot do this op/dtype is skipped, not fatal
            note(f"{lib} failed on {op.name} {dt.name} n={n}: {type(e).__name__}: {e}")
            continue
        checks[lib] = agree(got, expected, rtol, atol)
        if not checks[lib][0]:
            note(
                f"{lib} disagrees with the reference on {op.name} {dt.name} n={n} "
                f"(max |diff| {checks[lib][1]:.3g}, rtol {rtol:g})"
            )
        fns[lib] = fn
    if not fns:
        return []
    settle = 0.0
    if min_run_s >= MIN_RUN_S:
        min_run_s, settle = max(min_run_s, STEADY_RUN_S), SETTLE_S
    timings = time_round_robin(fns, budget, min_run_s, settle)
    nbytes = op.nbytes(n, dt.itemsize)
    flops = op.flops(n)
    limit, unit, level = limit_level(op.name, dt.name, threads, machine, nbytes)
    rows = []
    for lib, (xs, number) in timings.items():
        t = sample_fields(xs, number)
        med = t["median_s"]
        gbps = nbytes / med / 1e9
        gflops = flops / med / 1e9 if flops else None
        achieved = gflops if unit == "GFLOP/s" else gbps
        pct = 100.0 * achieved / limit if achieved is not None and limit > 0 else math.nan
        rows.append(
            Row(
                op=op.name,
                size=n,
                lib=lib,
                dtype=dt.name,
                threads=threads,
                **t,
                bytes=nbytes,
                flops=flops,
                gbps=gbps,
                gflops=gflops,
                intensity=flops / nbytes if flops else None,
                bound=op.bound,
                pattern=op.pattern if op.bound == "memory" else "peak_gflops",
                pct_of_peak=pct,
                limit_level=level,
                agrees=checks[lib][0],
                max_abs_diff=checks[lib][1],
            )
        )
    return rows
