"""Results: one typed row per op, size and library (`Row`), the `Results` list that holds them
with the run's notes and machine, JSON save/load, and run-to-run comparison with a regression
gate."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from .catalogue import OPS

__all__ = [
    "FORMAT",
    "Results",
    "Row",
    "RunComparison",
    "compare_runs",
    "fmt_num",
    "fmt_size",
    "fmt_time",
    "jsonable",
    "load",
    "parse_threshold",
    "save",
]

FORMAT = "corepy.bench/1"


_NAN = math.nan


@dataclass(eq=False)
class Row(Mapping):
    """One measured point: one op, size and library. Also a read-only-keyed mapping (``r["op"]``,
    ``r.get("gbps")``, ``{**r}``, ``dict(r)``), as rows were plain dicts before.

    Times are seconds per call (median, quartiles, extremes over `runs` runs of
    `calls_per_run` calls); `bytes`/`flops` are one call's compulsory traffic and work;
    `pct_of_peak` holds the result against `limit_level`'s ceiling ("L1".."L3", "DRAM",
    "peak"); `others_load` is the CPU share other processes took while the point ran."""

    op: str
    size: int
    lib: str
    dtype: str
    threads: int = 1
    median_s: float = _NAN
    q1_s: float = _NAN
    q3_s: float = _NAN
    min_s: float = _NAN
    max_s: float = _NAN
    runs: int = 0
    calls_per_run: int = 0
    bytes: float | None = None
    flops: float | None = None
    gbps: float | None = None
    gflops: float | None = None
    intensity: float | None = None
    bound: str = "memory"
    pattern: str = "read"
    pct_of_peak: float = _NAN
    limit_level: str | None = None
    agrees: bool | None = None
    max_abs_diff: float | None = None
    others_load: float | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Row:
        """A row from a dict with (a subset of) these keys; unknown keys raise TypeError."""
        return cls(**d)

    def __getitem__(self, key: str) -> Any:
        if key not in _ROW_KEY_SET:
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in _ROW_KEY_SET:
            raise KeyError(f"a Row has no field {key!r}")
        setattr(self, key, value)

    def __iter__(self) -> Iterator[str]:
        return iter(_ROW_KEYS)

    def __len__(self) -> int:
        return len(_ROW_KEYS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Row({', '.join(f'{k}={v!r}' for k, v in self.items())})"


_ROW_KEYS = tuple(f.name for f in fields(Row))
_ROW_KEY_SET = frozenset(_ROW_KEYS)
_ROW_REQUIRED = frozenset(("op", "size", "lib", "dtype"))


def _as_row(d: Mapping[str, Any]) -> Row | dict[str, Any]:
    """A loaded row as a `Row` when it is one (older files may lack newer keys), else the dict
    (e.g. saved `compare_runs` rows)."""
    keys = set(d)
    if _ROW_REQUIRED <= keys <= _ROW_KEY_SET:
        return Row.from_dict(d)
    return dict(d)


def fmt_time(s: float) -> str:
    if not math.isfinite(s):
        return "-"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1.0:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"


def fmt_size(op: str, n: int) -> str:
    if OPS.get(op) is not None and OPS[op].kind in ("matmul", "matvec", "axis"):
        return f"{n}x{n}"
    exp = round(math.log10(n)) if n > 0 else 0
    return f"1e{exp}" if n == 10**exp else f"{n:,}"


def fmt_num(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        if not math.isfinite(v):
            return "-"
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


class Results(list):
    """The rows of a run (one `Row` per op, size and library; `compare_runs` gives dicts): a
    list, plus

    * ``notes``: what was skipped or looks doubtful (also printed while running);
    * ``machine``: the ``cp.machine()`` numbers the percentages refer to;
    * ``to_frame()``: a pandas DataFrame (pandas is optional);
    * ``table()``: a plain-text table; ``ratios()``: baseline time / library time per point;
    * ``save(path)``: JSON (see `save` and `load`).

    Row keys: op, size, lib, dtype, threads, median_s, q1_s, q3_s, min_s, max_s, runs,
    calls_per_run, bytes, flops, gbps, gflops, intensity (flops/byte), bound, pattern,
    pct_of_peak, agrees, max_abs_diff, others_load (CPU share other processes took meanwhile).
    """

    def __init__(
        self,
        rows: Iterable[dict[str, Any]] = (),
        notes: Iterable[str] = (),
        machine: dict[str, Any] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(rows)
        self.notes: list[str] = list(notes)
        self.machine: dict[str, Any] = machine or {}
        self.meta: dict[str, Any] = meta or {}

    def to_frame(self):
        """The rows as a pandas DataFrame (raises ImportError naming pandas if it is missing)."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("Results.to_frame() needs pandas: pip install pandas") from e
        return pd.DataFrame([dict(r) for r in self])

    def ratios(self, baseline: str = "numpy") -> list[dict[str, Any]]:
        """For each op, size and library other than `baseline`: baseline median / its median
        (above 1: that library is faster than the baseline)."""
        base = {(r["op"], r["size"], r["dtype"]): r for r in self if r["lib"] == baseline}
        out = []
        for r in self:
            b = base.get((r["op"], r["size"], r["dtype"]))
            if r["lib"] == baseline or b is None:
                continue
            out.append(
                {
                    "op": r["op"],
                    "size": r["size"],
                    "dtype": r["dtype"],
                    "lib": r["lib"],
                    "baseline": baseline,
                    "ratio": b["median_s"] / r["median_s"],
                }
            )
        return out

    def _table_rows(self) -> tuple[list[str], list[list[str]]]:
        base = {(r["op"], r["size"], r["dtype"]): r for r in self if r["lib"] == "numpy"}
        head = ["op", "size", "lib", "dtype", "median", "q1..q3", "GB/s", "GFLOP/s"]
        head += ["% peak", "vs numpy", "agrees"]
        rows = []
        for r in self:
            b = base.get((r["op"], r["size"], r["dtype"]))
            ratio = f"{b['median_s'] / r['median_s']:.2f}x" if b else "-"
            rows.append(
                [
                    r["op"],
                    fmt_size(r["op"], r["size"]),
                    r["lib"],
                    r["dtype"],
                    fmt_time(r["median_s"]),
                    f"{fmt_time(r['q1_s'])}..{fmt_time(r['q3_s'])}",
                    fmt_num(r.get("gbps")),
                    fmt_num(r.get("gflops")),
                    fmt_num(r.get("pct_of_peak")),
                    ratio,
                    fmt_num(r["agrees"]),
                ]
            )
        return head, rows

    def table(self) -> str:
        """A plain-text table; "vs numpy" is NumPy's median / this library's (above 1: faster)."""
        head, rows = self._table_rows()
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        for row in rows:
            cells = [
                c.ljust(w) if i < 4 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(cells))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        import html

        head, rows = self._table_rows()
        th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        notes = "".join(f"<p><i>note: {html.escape(n)}</i></p>" for n in self.notes)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>{notes}"

    def save(self, path: str | os.PathLike) -> Path:
        return save(self, path)


def jsonable(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, np.generic):
        return jsonable(obj.item())
    return obj


def _int_keys(obj: Any) -> Any:
    """JSON turns the {threads: value} keys of cp.machine() into strings; turn them back."""
    if isinstance(obj, dict):
        return {
            (int(k) if isinstance(k, str) and k.isdigit() else k): _int_keys(v)
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_int_keys(v) for v in obj]
    return obj


def save(results: Sequence[dict[str, Any]], path: str | os.PathLike) -> Path:
    """Writes `results` (rows, notes, machine) as JSON to `path`; returns the path."""
    path = Path(path)
    payload = {
        "format": FORMAT,
        "machine": getattr(results, "machine", {}),
        "notes": getattr(results, "notes", []),
        "meta": getattr(results, "meta", {}),
        "rows": list(results),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(jsonable(payload), indent=1) + "\n", encoding="utf-8")
    return path


def load(path: str | os.PathLike) -> Results:
    """Reads a file written by `save` (or a report's results.json) back into `Results`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, list):
        return Results([_as_row(r) for r in data])
    rows = data.get("rows", data.get("results", []))
    for r in rows:
        for k, v in r.items():
            if v is None and k.endswith(("_s", "pct_of_peak", "max_abs_diff")):  # were nan/inf
                r[k] = math.nan
    return Results(
        [_as_row(r) for r in rows],
        notes=data.get("notes", []),
        machine=_int_keys(data.get("machine", {})),
        meta=data.get("meta", {}),
    )


def parse_threshold(value: float | str) -> float:
    """A regression threshold as a fraction: "10%", "10" and 10 are 10% (0.1); a float below 1
    (0.1) is already a fraction."""
    text = str(value).strip()
    pct = text.endswith("%")
    try:
        v = float(text.rstrip("%"))
    except ValueError:
        raise ValueError(f"threshold must be a percentage like '10%', got {value!r}") from None
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"threshold must be a non-negative percentage, got {value!r}")
    return v / 100 if pct or v >= 1 else v


def _spread(r: dict[str, Any]) -> tuple[float, float]:
    """A run's spread around its median: its quartiles, else its min and max, else the median."""
    med = r["median_s"]
    lo = r.get("q1_s", r.get("min_s", med))
    hi = r.get("q3_s", r.get("max_s", med))
    lo = med if lo is None or not math.isfinite(lo) else lo
    hi = med if hi is None or not math.isfinite(hi) else hi
    return lo, hi


def _verdict(old: dict[str, Any], new: dict[str, Any], threshold: float) -> str:
    """ "regression" when `new` is slower than `old` by more than `threshold` (medians) AND its
    spread lies wholly above old's (the change is outside both runs' noise); "improvement" the
    same way down; else "within noise"."""
    a, b = old["median_s"], new["median_s"]
    (a_lo, a_hi), (b_lo, b_hi) = _spread(old), _spread(new)
    if b > a * (1 + threshold) and b_lo > a_hi:
        return "regression"
    if b * (1 + threshold) < a and b_hi < a_lo:
        return "improvement"
    return "within noise"


def compare_runs(
    a: Sequence[dict[str, Any]], b: Sequence[dict[str, Any]], threshold: float | str | None = None
) -> Results:
    """Points measured in both runs, with ``speedup`` = a's median / b's median (above 1: b is
    faster, e.g. a = before a change, b = after). Returns `Results` (print it for a table).

    With `threshold` (e.g. "10%"), a regression gate: each row gets ``change`` (b's median / a's
    - 1) and ``verdict``: "regression" only when b is slower by more than the threshold AND its
    quartile range lies wholly above a's (outside both runs' spread), "improvement" likewise,
    else "within noise". The result's ``regressions`` lists the regressed rows and ``ok`` is
    False when there is one."""
    thr = None if threshold is None else parse_threshold(threshold)
    key = ("op", "size", "lib", "dtype")
    first = {tuple(r[k] for k in key): r for r in a}
    rows = []
    for r in b:
        old = first.get(tuple(r[k] for k in key))
        if old is None:
            continue
        row = {
            **{k: r[k] for k in key},
            "a_median_s": old["median_s"],
            "b_median_s": r["median_s"],
            "speedup": old["median_s"] / r["median_s"],
            "agrees": bool(old.get("agrees", True) and r.get("agrees", True)),
        }
        if thr is not None:
            row["change"] = r["median_s"] / old["median_s"] - 1
            row["verdict"] = _verdict(old, r, thr)
        rows.append(row)
    res = RunComparison(rows)
    res.threshold = thr
    missing = len(first) - len(rows)
    if missing > 0:
        res.notes.append(f"{missing} point(s) of the first run are not in the second")
    return res


class RunComparison(Results):
    threshold: float | None = None

    @property
    def regressions(self) -> list[dict[str, Any]]:
        """Rows the gate calls regressions (empty without a threshold)."""
        return [r for r in self if r.get("verdict") == "regression"]

    @property
    def ok(self) -> bool:
        """No regression beyond the threshold and the runs' spread."""
        return not self.regressions

    def table(self) -> str:
        gated = self.threshold is not None
        head = ["op", "size", "lib", "dtype", "a", "b", "speedup (a/b)"]
        if gated:
            head += ["change", f"verdict (threshold {self.threshold:.0%})"]
        rows = [
            [
                r["op"],
                fmt_size(r["op"], r["size"]),
                r["lib"],
                r["dtype"],
                fmt_time(r["a_median_s"]),
                fmt_time(r["b_median_s"]),
                f"{r['speedup']:.2f}x",
            ]
            + ([f"{r['change']:+.1%}", r["verdict"]] if gated else [])
            for r in self
        ]
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(self.table()) + "</pre>"
