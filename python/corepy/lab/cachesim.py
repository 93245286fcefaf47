"""``corepy.lab.cachesim`` (``cp.lab.cache_profile``): cache efficiency measured by simulation, for
machines without cache counters.

    prof = cp.lab.cache_profile("cp.sum(x)", setup="x = cp.Tensor(np.ones(10**5, np.float32))")
    prof.kernels[0]          # the corepy kernel with the most data reads: Dr, D1mr, rates ...
    print(prof.table())      # every function the workload ran, by data reads

    many = cp.lab.cache_profiles({"contiguous": "cp.sum(x)", "strided": "cp.sum(xs[::16])"},
                                 setup="...")
    print(many.table())      # one row per workload and corepy kernel

Hardware counters (``cp.profile(counters=True)``) say what the real caches did, when the machine
exposes them (a VM often has no PMU). This module runs a workload under valgrind's *cachegrind*
instead: a simulated I1, D1 and last-level (LL) cache that sees every load and store, so the
counts are exact, repeatable (misses to within a line or two) and attributed to functions,
corepy's C++ kernels (namespaces ``corepy_scalar``, ``corepy_avx2``, ``corepy_avx512``) and
Rust code (crate ``corepy``) among them.

How a run works: one subprocess runs this interpreter (``sys.executable``) under
``valgrind --tool=cachegrind --cache-sim=yes`` (with address randomisation off, ``setarch -R``)
on a generated script that imports NumPy (as ``np``) and corepy (as ``cp``) and runs ``setup``
once. Then, per workload, it forks a *baseline* child that exits at once and a child that runs the
workload. Cachegrind writes each process's counts when it exits, and a forked process starts from
its parent's counts and cache state, so (run - baseline) is the workload's own: interpreter
start-up, imports and ``setup`` are left out, and nothing one workload does is seen by the next.
Right before the workload (and in the baseline) a read of 4x D1's size flushes D1, and the
cyclic garbage collector is off, so every workload starts from the same state: its inputs in LL
(where setup left them), not in D1. One valgrind start-up (several seconds: Python and NumPy run
~50x slower under valgrind) serves many workloads. With the same environment, instructions and
accesses are the same on every run and misses move by a line or two at most: what the harness
touches between the flush and the workload varies slightly with its own heap. A workload's
totals include ~4k instructions of the harness itself (the ``exec`` of its code); corepy's own
rows include none of it.

Limits of the model, worth knowing when reading the numbers:

* cachegrind simulates no hardware prefetcher and ignores non-temporal hints: the misses of a
  streaming loop are the lines it touches, most of which a real prefetcher would hide;
* caches are write-allocate, and there is one simulated cache for all threads; ``threads=1``
  (the default) gives repeatable counts, more threads are serialised by valgrind;
* valgrind 3.19 does not execute AVX-512, and it reports a virtual CPU without AVX-512 to the
  program, so kernels run as ``avx2`` (the default ``isa``) or ``scalar``;
* ``Dr``/``Dw`` count accesses as valgrind executes them: some AVX instructions are split, e.g. an
  FMA with a memory operand counts one read per lane (8 for float32 AVX2). Miss *counts* (lines
  fetched) are unaffected, miss *rates* are not: compare kernels by misses per element or per
  flop rather than by rate;
* the default cache geometry is valgrind's reading of this CPU (``prof.caches`` says what was
  simulated); ``cache={"D1": (32768, 8, 64), "LL": (1 << 20, 16, 64)}`` picks another
  (size in bytes, associativity, line size); there are only two data levels, D1 and LL;
* functions are told apart by name: generic library code instantiated for corepy (say, Rust's
  ``LocalKey::with`` around an arena) keeps its library's name and is not in ``kernels``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import subprocess

# inspect, platform, subprocess, tempfile and textwrap are imported where they are used: every
# `import corepy` (and so every cachegrind run, ~50x slower) would pay for them otherwise.

__all__ = [
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

EVENTS = ("Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw")
# rate name -> (numerator events, denominator events)
RATES = {
    "d1_read_miss_rate": (("D1mr",), ("Dr",)),
    "d1_write_miss_rate": (("D1mw",), ("Dw",)),
    "ll_read_miss_rate": (("DLmr",), ("Dr",)),
    "ll_write_miss_rate": (("DLmw",), ("Dw",)),
    "d1_miss_rate": (("D1mr", "D1mw"), ("Dr", "Dw")),
    "ll_miss_rate": (("DLmr", "DLmw"), ("Dr", "Dw")),
    "i1_miss_rate": (("I1mr",), ("Ir",)),
}
CACHE_LEVELS = ("I1", "D1", "LL")
ISAS = ("auto", "scalar", "avx2")
INSTALL_HINT = (
    "install valgrind (Debian/Ubuntu: apt-get install valgrind; Fedora: dnf install valgrind), "
    "or run `make cache-deps`"
)
DEFAULT_TIMEOUT_S = 600.0


# --------------------------------------------------------------------------------------------
# valgrind
# --------------------------------------------------------------------------------------------


def has_valgrind() -> bool:
    """True when ``valgrind`` is on PATH (cachegrind comes with it)."""
    return shutil.which("valgrind") is not None


def _valgrind() -> str:
    exe = shutil.which("valgrind")
    if exe is None:
        raise RuntimeError(
            "corepy.lab.cache_profile runs workloads under valgrind's cachegrind, and valgrind "
            f"is not installed (not on PATH): {INSTALL_HINT}. Machines with a hardware PMU can "
            "use cp.profile(counters=True) instead."
        )
    return exe


def valgrind_version() -> str | None:
    """valgrind's version string ("valgrind-3.19.0"), or None when it is not installed."""
    import subprocess

    exe = shutil.which("valgrind")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


# --------------------------------------------------------------------------------------------
# The cachegrind file format
# --------------------------------------------------------------------------------------------


class Cachegrind:
    """A parsed cachegrind out file: counts summed per function.

    ``events`` are the event names of the ``events:`` line, ``functions`` maps a function name
    to its counts (one per event, summed over every ``fl=`` file and line it appears under),
    ``files`` maps a function to the source files it was seen in, ``desc`` holds the ``desc:``
    lines (the simulated caches), ``cmd`` the command, and ``summary`` the ``summary:`` totals
    (or the column sums when the file has none).
    """

    def __init__(
        self,
        events: Sequence[str],
        functions: dict[str, list[int]],
        files: dict[str, list[str]] | None = None,
        desc: Sequence[str] = (),
        cmd: str = "",
        summary: Sequence[int] | None = None,
    ) -> None:
        self.events = list(events)
        self.functions = functions
        self.files = files or {}
        self.desc = list(desc)
        self.cmd = cmd
        if summary is None:
            summary = [sum(c[i] for c in functions.values()) for i in range(len(self.events))]
        self.summary = list(summary)

    def caches(self) -> dict[str, dict[str, int]]:
        """The simulated caches from the ``desc:`` lines: {"D1": {"size", "line", "assoc"}}."""
        return _parse_desc(self.desc)


_DESC = re.compile(
    r"(?P<level>\w+) cache:\s+(?P<size>\d+) B, (?P<line>\d+) B, "
    r"(?:(?P<assoc>\d+)-way associative|(?P<direct>direct-mapped)|(?P<full>fully associative))"
)


def _parse_desc(desc: Iterable[str]) -> dict[str, dict[str, int]]:
    caches: dict[str, dict[str, int]] = {}
    for line in desc:
        m = _DESC.search(line)
        if not m:
            continue
        size, line_size = int(m["size"]), int(m["line"])
        if m["assoc"]:
            assoc = int(m["assoc"])
        elif m["direct"]:
            assoc = 1
        else:
            assoc = size // line_size
        caches[m["level"]] = {"size": size, "assoc": assoc, "line": line_size}
    return caches


def parse_cachegrind(source: str | os.PathLike | Iterable[str]) -> Cachegrind:
    """Reads a cachegrind out file (a path, its text, or its lines) and sums counts per function.

    The format: header lines (``desc:``, ``cmd:``, ``events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw
    DLmw``), then ``fl=<file>`` and ``fn=<function>`` lines, each followed by rows
    ``<line> <count> <count> ...`` (counts missing at the end of a row are zeros), and a final
    ``summary:`` line. ``fi=``/``fe=`` (inlined-file) lines are accepted too.
    """
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source):
        with open(source, encoding="utf-8", errors="replace") as f:
            return _parse_lines(f)
    if isinstance(source, str):
        return _parse_lines(source.splitlines())
    return _parse_lines(source)


_HEADER_KEYS = frozenset(
    ("desc", "cmd", "events", "summary", "positions", "version", "creator", "pid", "part")
)


def _parse_lines(lines: Iterable[str]) -> Cachegrind:
    events: list[str] = []
    desc: list[str] = []
    cmd = ""
    summary: list[int] | None = None
    names: list[str] = []
    index: dict[str, int] = {}
    files: dict[str, list[str]] = {}
    fl = "???"
    current = -1
    # Count rows are summed at the end, in one NumPy pass: a file has ~60,000 of them, and
    # converting them one by one in Python took most of a cache profile's parse time.
    rows: list[str] = []
    owner: list[int] = []
    in_cmd = False
    for raw in lines:
        line = raw.rstrip("\n")
        if in_cmd:
            key, sep, _ = line.partition(":")
            if not (sep and key in _HEADER_KEYS):
                cmd += "\n" + line  # a command line with newlines runs on to the next header
                continue
            in_cmd = False
        if not line:
            continue
        if line[0].isdigit():
            if current < 0:
                raise ValueError(f"cachegrind: a count row before any fn= line: {line!r}")
            rows.append(line)
            owner.append(current)
            continue
        key, sep, value = line.partition("=")
        if sep and key in ("fl", "fi", "fe"):
            fl = value
            continue
        if sep and key == "fn":
            if not events:
                raise ValueError("cachegrind: fn= before the events: line")
            current = index.get(value, -1)
            if current < 0:
                current = index[value] = len(names)
                names.append(value)
                files[value] = []
            if fl not in files[value]:
                files[value].append(fl)
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"cachegrind: unexpected line {line!r}")
        value = value.strip()
        if key == "events":
            events = value.split()
        elif key == "desc":
            desc.append(value)
        elif key == "cmd":
            cmd = value
            in_cmd = True
        elif key == "summary":
            summary = [int(v) for v in value.split()]
            summary += [0] * (len(events) - len(summary))
        # other header lines (version:, creator:, pid:, positions:, ...) carry nothing we need
    if not events:
        raise ValueError("cachegrind: no events: line (is this a cachegrind out file?)")
    sums = _sum_rows(rows, owner, len(names), len(events))
    functions = dict(zip(names, sums.tolist(), strict=True))
    return Cachegrind(events, functions, files, desc, cmd, summary)


def _sum_rows(rows: list[str], owner: list[int], nfn: int, nev: int) -> np.ndarray:
    """Per-function column sums of count rows ``<line> <count> ...`` (missing counts at the end
    of a row are zeros, counts beyond the events are ignored): an (nfn, nev) int64 array."""
    width = nev + 1
    # Each row padded or cut to `width` fields (cachegrind separates them by single spaces).
    fixed = []
    for r in rows:
        gaps = r.count(" ")
        if gaps < nev:
            r += " 0" * (nev - gaps)
        elif gaps > nev:
            r = " ".join(r.split()[:width])
        fixed.append(r)
    flat = (
        np.fromstring(" ".join(fixed), dtype=np.int64, sep=" ") if fixed else np.zeros(0, np.int64)
    )
    if flat.size != len(rows) * width:
        # Irregular spacing: the exact, slower way, field by field.
        flat = np.array(
            [int(v) for r in rows for v in (r.split() + ["0"] * width)[:width]], dtype=np.int64
        )
    counts = flat.reshape(len(rows), width)[:, 1:]
    sums = np.zeros((nfn, nev), dtype=np.int64)
    np.add.at(sums, np.asarray(owner, dtype=np.intp), counts)
    return sums


def diff_cachegrind(after: Cachegrind, before: Cachegrind) -> Cachegrind:
    """``after - before`` per function (both from one process: a fork child and its baseline).

    Functions whose counts are all unchanged are dropped. Miss counts of code that ran in both
    (e.g. the exit path) can differ by a few either way, since the cache state differs."""
    if after.events != before.events:
        raise ValueError(f"different events: {after.events} vs {before.events}")
    n = len(after.events)
    zero = [0] * n
    functions: dict[str, list[int]] = {}
    for name in {**after.functions, **before.functions}:
        a = after.functions.get(name, zero)
        b = before.functions.get(name, zero)
        d = [x - y for x, y in zip(a, b, strict=True)]
        if any(d):
            functions[name] = d
    files = {k: after.files.get(k) or before.files.get(k, []) for k in functions}
    summary = [x - y for x, y in zip(after.summary, before.summary, strict=True)]
    return Cachegrind(after.events, functions, files, after.desc, after.cmd, summary)


# --------------------------------------------------------------------------------------------
# Which functions are corepy's
# --------------------------------------------------------------------------------------------

_CPP_NS = re.compile(r"\bcorepy_(scalar|avx2|avx512)::")


def _head(name: str) -> str:
    """The part of a demangled name that says whose function it is: no template arguments, no
    parameters; for a Rust trait impl ``<Type as Trait>::f``, the type."""
    if name.startswith("<"):
        return name[1:].split(" as ", 1)[0]
    return name.split("<", 1)[0].split("(", 1)[0]


# corepy's fork handlers (src/fork.rs) run around every fork, so in the harness's baseline and
# workload children alike: harness, not workload (their few cache misses differ between forks).
_FORK_HANDLERS = re.compile(r"^corepy::fork::|::fork_prepare\b|\bas corepy::fork::Held>")


def classify(name: str) -> tuple[str | None, str | None]:
    """(layer, isa) of a function name: ("C++", "avx2") for a corepy C++ kernel, ("Rust", None)
    for the corepy crate, (None, None) for anything else (Python, NumPy, libc, ...; and corepy's
    fork handlers, which run in every fork the harness makes)."""
    if _FORK_HANDLERS.search(name):
        return None, None
    head = _head(name)
    m = _CPP_NS.search(head)
    if m:
        return "C++", m.group(1)
    if head.startswith("corepy_kernels_"):
        return "C++", head[len("corepy_kernels_") :] or None
    if head.startswith("corepy::"):
        return "Rust", None
    return None, None


def short_name(name: str) -> str:
    """A kernel's name without return type, parameters or ``[clone ...]`` suffixes:
    ``void corepy_avx2::sum<float>(void const*, ...)`` -> ``corepy_avx2::sum<float>``."""
    m = _CPP_NS.search(name)
    s = name[m.start() :] if m else name
    s = re.sub(r"\s*\[clone [^\]]*\]", "", s)
    depth = 0
    for i, ch in enumerate(s):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "(" and depth == 0 and i > 0:
            return s[:i]
    return s


def _rates(c: Mapping[str, int]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key, (num, den) in RATES.items():
        d = sum(c.get(e, 0) for e in den)
        out[key] = sum(c.get(e, 0) for e in num) / d if d > 0 else None
    return out


def _counts(events: Sequence[str], values: Sequence[int]) -> dict[str, Any]:
    c = dict(zip(events, values, strict=True))
    for e in EVENTS:
        c.setdefault(e, 0)
    c.update(_rates(c))
    return c


def _function_rows(cg: Cachegrind) -> list[dict[str, Any]]:
    rows = []
    for name, values in cg.functions.items():
        layer, isa = classify(name)
        row: dict[str, Any] = {
            "name": name,
            "short": short_name(name),
            "corepy": layer is not None,
            "layer": layer,
            "isa": isa,
            "files": list(cg.files.get(name, [])),
        }
        row.update(_counts(cg.events, values))
        rows.append(row)
    rows.sort(key=lambda r: (-r["Dr"], -r["Dw"], -r["Ir"], r["name"]))
    return rows


def _total(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    c = {e: 0 for e in EVENTS}
    for r in rows:
        for e in EVENTS:
            c[e] += r[e]
    c.update(_rates(c))
    return c


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v * 100:.1f}%"


def _int(v: int) -> str:
    return f"{v:,}"


_COLUMNS = (  # (header, key, formatter)
    ("Dr", "Dr", _int),
    ("D1mr", "D1mr", _int),
    ("D1 rd miss", "d1_read_miss_rate", _pct),
    ("DLmr", "DLmr", _int),
    ("LL rd miss", "ll_read_miss_rate", _pct),
    ("Dw", "Dw", _int),
    ("D1mw", "D1mw", _int),
    ("D1 wr miss", "d1_write_miss_rate", _pct),
    ("DLmw", "DLmw", _int),
    ("LL wr miss", "ll_write_miss_rate", _pct),
    ("Ir", "Ir", _int),
)


def _text_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    out = []
    for k, row in enumerate([head, *rows]):
        out.append(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _html_table(
    head: Sequence[str], rows: Sequence[tuple[Sequence[str], bool]], left: int = 1
) -> str:
    """Rows of (cells, bold); the first `left` columns (names) are left-aligned."""
    esc = html.escape
    out = ["<table>", "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"]
    for cells, strong in rows:
        style = ' style="font-weight:600"' if strong else ""
        out.append(
            f"<tr{style}>"
            + "".join(
                f'<td style="text-align:{"left" if i < left else "right"}">{esc(str(c))}</td>'
                for i, c in enumerate(cells)
            )
            + "</tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 3] + "..."


class CacheProfile:
    """One workload's simulated cache behaviour (see the module docs).

    * ``functions``: a dict per function the workload ran, most data reads (``Dr``) first:
      ``name``, ``short``, ``corepy`` (bool), ``layer`` ("C++" | "Rust" | None), ``isa``, the
      cachegrind counts ``Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw`` and the rates
      ``d1_read_miss_rate`` (D1mr/Dr), ``d1_write_miss_rate`` (D1mw/Dw), ``ll_read_miss_rate``
      (DLmr/Dr), ``ll_write_miss_rate`` (DLmw/Dw), ``d1_miss_rate``, ``ll_miss_rate``,
      ``i1_miss_rate`` (None where nothing was accessed);
    * ``kernels``: the corepy subset (C++ kernels and the Rust crate), in the same order;
    * ``totals``: counts and rates over the whole workload; ``kernel_totals``: over ``kernels``;
    * ``caches``: the simulated caches; ``isa``/``kernel_isa``: the ISA asked for and the one
      corepy reported running; ``seconds``: wall time of the workload under valgrind.
    """

    def __init__(
        self,
        label: str,
        code: str,
        cg: Cachegrind,
        *,
        setup: str = "",
        isa: str = "avx2",
        threads: int = 1,
        config: Mapping[str, Any] | None = None,
        seconds: float | None = None,
        timings: Mapping[str, Any] | None = None,
        aslr_disabled: bool = False,
    ) -> None:
        self.label = label
        self.code = code
        self.setup = setup
        self.isa = isa
        self.threads = threads
        self.config = dict(config or {})
        self.kernel_isa = self.config.get("kernel_isa")
        self.seconds = seconds
        # The whole run's timings (shared by the workloads of one cache_profiles call).
        self.timings = dict(timings or {})
        # True when valgrind ran with address randomisation off (setarch -R): every count is
        # then the same from run to run.
        self.aslr_disabled = aslr_disabled
        self.caches = cg.caches()
        self.events = list(cg.events)
        self.functions = _function_rows(cg)
        self.kernels = [f for f in self.functions if f["corepy"]]
        self.totals = _counts(cg.events, cg.summary)
        self.kernel_totals = _total(self.kernels)

    def find(self, pattern: str) -> list[dict[str, Any]]:
        """Functions whose name contains `pattern` (e.g. "gather", "corepy_avx2::sum")."""
        return [f for f in self.functions if pattern in f["name"]]

    def kernel(self, pattern: str = "") -> dict[str, Any] | None:
        """The corepy function with the most data reads whose name contains `pattern`."""
        for f in self.kernels:
            if pattern in f["name"]:
                return f
        return None

    def _rows(self, limit: int | None, kernels_only: bool) -> list[dict[str, Any]]:
        rows = self.kernels if kernels_only else self.functions
        return rows[:limit] if limit else rows

    def table(self, limit: int | None = 12, kernels_only: bool = False) -> str:
        """Plain text: the top `limit` functions by data reads (corepy's marked ``*``), then
        the corepy kernels' sum and the workload's total."""
        head = ["function"] + [h for h, _, _ in _COLUMNS]
        body = []
        for f in self._rows(limit, kernels_only):
            mark = "* " if f["corepy"] else "  "
            body.append([mark + _clip(f["short"], 56)] + [fmt(f[k]) for _, k, fmt in _COLUMNS])
        body.append(["  corepy (sum)"] + [fmt(self.kernel_totals[k]) for _, k, fmt in _COLUMNS])
        body.append(["  workload total"] + [fmt(self.totals[k]) for _, k, fmt in _COLUMNS])
        return f"{self._title()}\n" + _text_table(head, body)

    def _title(self) -> str:
        caches = ", ".join(
            f"{lvl} {_fmt_bytes(c['size'])} {c['assoc']}-way" for lvl, c in self.caches.items()
        )
        when = f", {self.seconds:.2f} s under valgrind" if self.seconds is not None else ""
        return (
            f"cachegrind: {self.label!r} (isa {self.kernel_isa or self.isa}, "
            f"{self.threads} thread{'s' if self.threads != 1 else ''}{when}; simulated {caches})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "code": self.code,
            "setup": self.setup,
            "isa": self.isa,
            "kernel_isa": self.kernel_isa,
            "threads": self.threads,
            "seconds": self.seconds,
            "aslr_disabled": self.aslr_disabled,
            "caches": self.caches,
            "events": self.events,
            "totals": self.totals,
            "kernel_totals": self.kernel_totals,
            "kernels": [dict(f) for f in self.kernels],
            "functions": [dict(f) for f in self.functions],
        }

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        head = ["function"] + [h for h, _, _ in _COLUMNS]
        rows = [
            ([_clip(f["short"], 70)] + [fmt(f[k]) for _, k, fmt in _COLUMNS], f["corepy"])
            for f in self._rows(12, False)
        ]
        rows.append(
            (["corepy (sum)"] + [fmt(self.kernel_totals[k]) for _, k, fmt in _COLUMNS], True)
        )
        rows.append((["workload total"] + [fmt(self.totals[k]) for _, k, fmt in _COLUMNS], False))
        return (
            f"<p><b>{html.escape(self._title())}</b><br>corepy's functions in bold; "
            "D1 = first-level data cache, LL = last level.</p>" + _html_table(head, rows)
        )


def _fmt_bytes(n: int) -> str:
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} B"


class CacheProfiles(Mapping[str, CacheProfile]):
    """Several workloads profiled in one valgrind run: ``{label: CacheProfile}``, plus
    ``table()`` (a row per workload and corepy kernel), ``to_dict()``, ``_repr_html_`` and the
    run's ``timings`` (seconds: ``startup`` of the interpreter, ``imports``, ``setup``, each
    workload, and ``total``)."""

    def __init__(
        self,
        profiles: Mapping[str, CacheProfile],
        timings: Mapping[str, Any],
        stdout: str = "",
        aslr_disabled: bool = False,
    ) -> None:
        self._profiles = dict(profiles)
        self.timings = dict(timings)
        self.stdout = stdout  # what the setup and workloads printed
        self.aslr_disabled = aslr_disabled

    def __getitem__(self, label: str) -> CacheProfile:
        return self._profiles[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._profiles)

    def __len__(self) -> int:
        return len(self._profiles)

    def rows(self, top: int = 3, min_share: float = 0.01) -> list[dict[str, Any]]:
        """A dict per workload and kernel: the `top` corepy kernels of each workload by data
        accesses (those with at least `min_share` of the workload's corepy accesses)."""
        out = []
        for label, p in self._profiles.items():
            total = p.kernel_totals["Dr"] + p.kernel_totals["Dw"]
            for f in p.kernels[:top]:
                if total and (f["Dr"] + f["Dw"]) / total < min_share:
                    continue
                out.append({"workload": label, "kernel": f["short"], **f})
        return out

    def table(self, top: int = 3) -> str:
        head = ["workload", "kernel"] + [h for h, _, _ in _COLUMNS]
        body = [
            [r["workload"], _clip(r["kernel"], 44)] + [fmt(r[k]) for _, k, fmt in _COLUMNS]
            for r in self.rows(top)
        ]
        return _text_table(head, body)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timings": self.timings,
            "aslr_disabled": self.aslr_disabled,
            "profiles": {k: p.to_dict() for k, p in self._profiles.items()},
        }

    def __repr__(self) -> str:
        t = self.timings.get("total")
        when = f" in {t:.1f} s" if t is not None else ""
        return f"cachegrind: {len(self)} workload(s){when}\n{self.table()}"

    def _repr_html_(self) -> str:
        head = ["workload", "kernel"] + [h for h, _, _ in _COLUMNS]
        rows = [
            ([r["workload"], _clip(r["kernel"], 60)] + [fmt(r[k]) for _, k, fmt in _COLUMNS], False)
            for r in self.rows()
        ]
        return _html_table(head, rows, left=2)


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------

_RUNNER = r"""
# Generated by corepy.lab: runs under valgrind's cachegrind (see corepy/lab.py).
import gc
import json
import os
import sys
import time
import traceback

T0 = time.time()
with open(sys.argv[1], encoding="utf-8") as _f:
    SPEC = json.load(_f)
for _p in SPEC["sys_path"]:
    if _p not in sys.path:
        sys.path.append(_p)
INFO = {"t_first_line": T0, "workloads": []}


def _save():
    with open(SPEC["info_path"], "w", encoding="utf-8") as f:
        json.dump(INFO, f, default=str)


try:
    import numpy as np

    import corepy as cp

    INFO["t_imported"] = time.time()
    if SPEC["isa"] != "auto":
        cp.set_isa(SPEC["isa"])
    cp.set_num_threads(SPEC["threads"])
    INFO["config"] = cp.config()
    NS = {"__name__": "__corepy_cache__", "np": np, "cp": cp}
    exec(compile(SPEC["setup"], "<setup>", "exec"), NS)
    CODES = [compile(src, "<workload %s>" % label, "exec") for label, src in SPEC["workloads"]]
except BaseException:
    INFO["error"] = traceback.format_exc()
    _save()
    sys.exit(3)
INFO["t_setup"] = time.time()
OUT = SPEC["dir"]
# Read right before each workload (and by its baseline): D1 then holds only these lines, so every
# workload starts from the same D1 state, its inputs in LL (where setup left them), not in D1.
FLUSH = np.ones(SPEC["flush_bytes"] // 8)
FLUSH.sum()
# No cyclic garbage collection during the workloads: it would start wherever an allocation
# count happens to run out, and its sweep would change what the caches hold.
gc.collect()
gc.disable()
for i, code in enumerate(CODES):
    sys.stdout.flush()
    sys.stderr.flush()
    t = time.time()
    # A baseline child, then a child that runs the workload. Cachegrind writes each process's
    # counts when it exits, and a fork starts from its parent's counts and cache state. Between
    # the two forks this process returns from a fork and waits for a child; the baseline does
    # the same (one fork and a waitpid) before it exits, so (run - baseline) is the workload.
    base = os.fork()
    if base == 0:
        w = os.fork()
        if w == 0:
            os._exit(0)
        os.waitpid(w, 0)
        FLUSH.sum()
        os._exit(0)
    os.waitpid(base, 0)
    pid = os.fork()
    if pid == 0:
        FLUSH.sum()
        try:
            exec(code, NS)
        except BaseException:
            with open(os.path.join(OUT, "error.%d" % i), "w", encoding="utf-8") as f:
                f.write(traceback.format_exc())
            os._exit(1)
        sys.stdout.flush()
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    INFO["workloads"].append(
        {"pid": pid, "baseline_pid": base, "status": status, "seconds": time.time() - t}
    )
INFO["t_done"] = time.time()
_save()
"""


def _flush_bytes(cache: Mapping[str, Any] | None) -> int:
    """4x the simulated D1: reading that much leaves nothing else in D1 (LRU)."""
    d1 = 0
    for level, spec in (cache or {}).items():
        if str(level).upper() == "D1":
            d1 = int(_cache_args({"D1": spec})[0].split("=")[1].split(",")[0])
    if d1 <= 0:
        try:
            d1 = int(os.sysconf("SC_LEVEL1_DCACHE_SIZE"))
        except (ValueError, OSError, AttributeError):
            d1 = 0
    return 4 * (d1 if d1 > 0 else 48 * 1024)


_NO_ASLR: list[str] | None = None


def _no_aslr_prefix() -> list[str]:
    """``setarch <machine> -R``, which runs valgrind with address-space randomisation off, so
    that the addresses (and with them the cache sets) and so every count are the same on each
    run; [] where setarch is missing or refused (counts of a kernel may then differ by a line
    or two between runs)."""
    import platform
    import subprocess

    global _NO_ASLR
    if _NO_ASLR is None:
        exe = shutil.which("setarch")
        prefix = [exe, platform.machine(), "-R"] if exe else []
        if prefix:
            try:
                ok = subprocess.run([*prefix, "true"], capture_output=True, timeout=30)
                if ok.returncode != 0:
                    prefix = []
            except (OSError, subprocess.TimeoutExpired):
                prefix = []
        _NO_ASLR = prefix
    return list(_NO_ASLR)


def _cache_args(cache: Mapping[str, Any] | None) -> list[str]:
    """``{"D1": (32768, 8, 64)}`` or ``{"D1": "32768,8,64"}`` -> ["--D1=32768,8,64"]."""
    if not cache:
        return []
    args = []
    for level, spec in cache.items():
        key = str(level).upper()
        if key not in CACHE_LEVELS:
            raise ValueError(f"cache: unknown level {level!r}; expected one of {CACHE_LEVELS}")
        if isinstance(spec, str):
            parts = [p.strip() for p in spec.split(",")]
        elif isinstance(spec, Mapping):
            parts = [spec.get("size"), spec.get("assoc"), spec.get("line", 64)]
        else:
            parts = list(spec)
        try:
            size, assoc, line = (int(p) for p in parts)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(
                f"cache[{level!r}] = {spec!r}: expected (size_bytes, associativity, line_bytes), "
                'e.g. (32768, 8, 64) or "32768,8,64"'
            ) from None
        args.append(f"--{key}={size},{assoc},{line}")
    return args


def _callable_code(fn: Callable[[], Any], index: int) -> tuple[str, str]:
    """(setup code, workload code) that call `fn` in the subprocess.

    A function importable by name (module-level in a module other than ``__main__``) is
    imported; any other (a notebook cell's function, say) is re-created from its source, so it
    may use ``np``, ``cp`` and what ``setup`` defines, but no other globals and no closures."""
    import inspect
    import textwrap

    name = getattr(fn, "__name__", None)
    qual = getattr(fn, "__qualname__", name) or ""
    mod = getattr(fn, "__module__", None)
    if not callable(fn) or name is None:
        raise TypeError(f"expected a code string or a function, got {type(fn).__name__}")
    if name == "<lambda>":
        raise TypeError(
            "a lambda's source cannot be recovered on its own: pass the code as a string, "
            "e.g. cache_profile('cp.sum(x)', setup=...)"
        )
    if mod and mod != "__main__" and "<locals>" not in qual:
        obj: Any = sys.modules.get(mod)
        for part in qual.split("."):
            obj = getattr(obj, part, None)
        if obj is fn:
            alias = f"_corepy_lab_mod{index}"
            return f"import {mod} as {alias}\n", f"{alias}.{qual}()\n"
    code = getattr(fn, "__code__", None)
    if code is not None and code.co_freevars:
        raise TypeError(
            f"{qual} uses variables of an enclosing function ({', '.join(code.co_freevars)}); "
            "define it at the top level, or pass code strings for setup and workload"
        )
    try:
        src = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as e:
        raise TypeError(
            f"cannot read the source of {qual} ({e}): pass the workload as a code string"
        ) from None
    return src + "\n", f"{name}()\n"


def _normalise(
    workloads: Mapping[str, str | Callable[[], Any]] | Sequence[str | Callable[[], Any]],
) -> list[tuple[str, str | Callable[[], Any]]]:
    if isinstance(workloads, Mapping):
        items = [(str(k), v) for k, v in workloads.items()]
    elif isinstance(workloads, str) or callable(workloads):
        items = [(_label(workloads), workloads)]
    else:
        items = [(_label(w), w) for w in workloads]
        seen: dict[str, int] = {}
        for i, (label, w) in enumerate(items):
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                items[i] = (f"{label} #{seen[label]}", w)
    if not items:
        raise ValueError("no workloads given")
    return items


def _label(w: str | Callable[[], Any]) -> str:
    if isinstance(w, str):
        lines = [ln.strip() for ln in w.strip().splitlines() if ln.strip()]
        return _clip(lines[-1] if lines else "(empty)", 40)
    return getattr(w, "__qualname__", None) or repr(w)


def _default_isa() -> str:
    from .. import _core

    return "avx2" if "avx2" in _core.config().get("available_isas", []) else "scalar"


def cache_profiles(
    workloads: Mapping[str, str | Callable[[], Any]] | Sequence[str | Callable[[], Any]],
    *,
    setup: str | None = None,
    isa: str | None = None,
    threads: int = 1,
    cache: Mapping[str, Any] | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    keep: str | os.PathLike | None = None,
) -> CacheProfiles:
    """Profiles several workloads in one cachegrind run (one valgrind start-up for all).

    `workloads` is ``{label: code}`` (or a list, labelled by their last line); each code is a
    string of Python or a function taking no arguments. `setup` (a string) runs once before
    them, outside the measurement; both see ``np`` (NumPy) and ``cp`` (corepy) and, since each
    workload runs in a fork of the process that ran `setup`, nothing a workload does is seen
    by the next. `isa` is "avx2" (the default where the CPU has it), "scalar" or "auto" (the best
    valgrind can run); `threads` sets ``cp.set_num_threads``; `cache` sets the simulated caches:
    ``{"I1"|"D1"|"LL": (size_bytes, assoc, line_bytes)}``. `keep` names a directory to keep
    cachegrind's files in (``cg_annotate`` reads them); otherwise they are deleted.

    Raises RuntimeError if valgrind is missing (saying how to install it), if `setup` or a
    workload raises (with its traceback), or if valgrind fails.
    """
    import subprocess
    import tempfile
    import textwrap

    isa = _default_isa() if isa is None else str(isa).lower()
    if isa == "avx512":
        raise ValueError(
            "isa='avx512': valgrind (3.19 and later) cannot execute AVX-512 instructions and "
            "hides AVX-512 from the program; simulate 'avx2' or 'scalar' kernels instead"
        )
    if isa not in ISAS:
        raise ValueError(f"isa={isa!r}: expected one of {ISAS}")
    threads = int(threads)
    if threads < 1:
        raise ValueError(f"threads={threads}: expected at least 1")
    cache_args = _cache_args(cache)
    items = _normalise(workloads)
    setup_src = textwrap.dedent(setup or "")
    codes: list[tuple[str, str]] = []
    for i, (label, w) in enumerate(items):
        if isinstance(w, str):
            codes.append((label, textwrap.dedent(w)))
        else:
            defs, call = _callable_code(w, i)
            setup_src += "\n" + defs
            codes.append((label, call))
    for label, src in [("setup", setup_src), *codes]:
        try:
            compile(src, f"<{label}>", "exec")
        except SyntaxError as e:
            raise ValueError(f"{label}: {e}") from None
    valgrind = _valgrind()

    tmp = tempfile.mkdtemp(prefix="corepy-cachegrind-")
    work = Path(tmp)
    cg_dir = work / "out"
    cg_dir.mkdir()
    spec = {
        "dir": str(cg_dir),
        "info_path": str(work / "info.json"),
        "isa": isa,
        "threads": threads,
        "setup": setup_src,
        "workloads": codes,
        "sys_path": [p for p in sys.path if p],
        "runner": _RUNNER,
        "flush_bytes": _flush_bytes(cache),
    }
    (work / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    # The environment shapes the process (its strings sit on the stack, and Python copies them
    # onto the heap), so it must be the same for runs to count the same: pytest's
    # PYTEST_CURRENT_TEST, different for every test, is left out.
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env.update(
        {
            "COREPY_ISA": isa,
            "COREPY_NUM_THREADS": str(threads),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            # Not the user's tuned thresholds: a profile should not depend on them. (A path
            # that cannot exist, and the same on every run, like everything the process sees.)
            "COREPY_TUNE_FILE": "/dev/null/corepy-cachegrind-no-tune-file.json",
            # Resolve every symbol at start-up, not on a workload's first call.
            "LD_BIND_NOW": "1",
            # The same hashes (and so the same interpreter work) on every run.
            "PYTHONHASHSEED": "0",
        }
    )
    cmd = [
        *_no_aslr_prefix(),
        valgrind,
        "--tool=cachegrind",
        "--cache-sim=yes",
        f"--cachegrind-out-file={cg_dir}/cg.%p",
        f"--log-file={work}/valgrind.%p.log",
        *cache_args,
        sys.executable,
        # The script comes inside the spec, not as a file in the temporary directory: that
        # directory's random name would be on sys.path, and hashing it would make the counts
        # differ from run to run.
        "-c",
        "import json, sys; exec(json.load(open(sys.argv[1]))['runner'])",
        str(work / "spec.json"),
    ]
    t0 = time.time()
    try:
        proc = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=os.getcwd()
        )
        total = time.time() - t0
        info = _read_info(work, proc)
        results = _collect(codes, info, cg_dir, proc)
        if keep is not None:
            dest = Path(keep)
            dest.mkdir(parents=True, exist_ok=True)
            for p in cg_dir.iterdir():
                shutil.copy2(p, dest / p.name)
    except subprocess.TimeoutExpired:
        raise RuntimeError(
            f"cachegrind did not finish in {timeout:g} s: make the workloads smaller "
            "(valgrind runs code ~50x slower) or pass a larger timeout="
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    timings = {
        "startup": info["t_first_line"] - t0,
        "imports": info["t_imported"] - info["t_first_line"],
        "setup": info["t_setup"] - info["t_imported"],
        "workloads": {
            label: seconds for (label, _), (_, seconds) in zip(codes, results, strict=True)
        },
        "total": total,
    }
    aslr_disabled = bool(cmd[0] != valgrind)
    profiles = {
        label: CacheProfile(
            label,
            src,
            cg,
            setup=setup_src,
            isa=isa,
            threads=threads,
            config=info.get("config"),
            seconds=seconds,
            timings=timings,
            aslr_disabled=aslr_disabled,
        )
        for (label, src), (cg, seconds) in zip(codes, results, strict=True)
    }
    return CacheProfiles(profiles, timings, proc.stdout, aslr_disabled)


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _read_info(work: Path, proc: subprocess.CompletedProcess) -> dict[str, Any]:
    info_path = work / "info.json"
    logs = sorted(work.glob("valgrind.*.log"))
    log = logs[0].read_text(errors="replace") if logs else ""
    if not info_path.exists():
        raise RuntimeError(
            f"cachegrind run failed (exit status {proc.returncode}).\nstderr:\n"
            f"{_tail(proc.stderr)}\nvalgrind log:\n{_tail(log)}"
        )
    info = json.loads(info_path.read_text(encoding="utf-8"))
    if "error" in info:
        raise RuntimeError(f"the cachegrind run's setup failed:\n{info['error']}")
    if proc.returncode != 0:
        raise RuntimeError(
            f"cachegrind run failed (exit status {proc.returncode}).\nstderr:\n"
            f"{_tail(proc.stderr)}\nvalgrind log:\n{_tail(log)}"
        )
    return info


def _collect(
    codes: Sequence[tuple[str, str]],
    info: Mapping[str, Any],
    cg_dir: Path,
    proc: subprocess.CompletedProcess,
) -> list[tuple[Cachegrind, float]]:
    done = info["workloads"]
    # Failures first (a workload's own traceback says most), then the counts.
    for i, (label, _src) in enumerate(codes):
        if i >= len(done):
            raise RuntimeError(f"workload {label!r} did not run:\n{_tail(proc.stderr)}")
        err = cg_dir / f"error.{i}"
        if err.exists():
            raise RuntimeError(f"workload {label!r} raised:\n{err.read_text()}")
        if done[i]["status"] != 0:
            log = cg_dir.parent / f"valgrind.{done[i]['pid']}.log"
            text = log.read_text(errors="replace") if log.exists() else proc.stderr
            raise RuntimeError(
                f"workload {label!r} died (wait status {done[i]['status']}); under valgrind "
                f"this is often an instruction it cannot run:\n{_tail(text)}"
            )
    out = []
    for (label, _src), w in zip(codes, done, strict=False):
        run_file, base_file = cg_dir / f"cg.{w['pid']}", cg_dir / f"cg.{w['baseline_pid']}"
        if not (run_file.exists() and base_file.exists()):
            raise RuntimeError(
                f"workload {label!r}: cachegrind wrote no file for the run or its baseline "
                f"({run_file.name}, {base_file.name})"
            )
        run = parse_cachegrind(run_file)
        base = parse_cachegrind(base_file)
        out.append((diff_cachegrind(run, base), float(w["seconds"])))
    return out


def cache_profile(
    code: str | Callable[[], Any],
    *,
    setup: str | None = None,
    isa: str | None = None,
    threads: int = 1,
    cache: Mapping[str, Any] | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    keep: str | os.PathLike | None = None,
    label: str | None = None,
) -> CacheProfile:
    """Runs `code` (a string of Python, or a function taking no arguments) under cachegrind and
    returns its per-function cache counts and miss rates; see ``cache_profiles`` for the
    arguments. ``setup`` runs first, unmeasured::

        prof = cp.lab.cache_profile("cp.sum(x)",
                                    setup="x = cp.Tensor(np.ones(100_000, np.float32))")
        k = prof.kernels[0]      # e.g. corepy_avx2::pairwise<float, false>
        k["D1mr"], k["d1_read_miss_rate"]
    """
    label = label or _label(code)
    runs = cache_profiles(
        {label: code},
        setup=setup,
        isa=isa,
        threads=threads,
        cache=cache,
        timeout=timeout,
        keep=keep,
    )
    return runs[label]
