"""``corepy.profile()``: where an op's time and memory went, from inside a notebook.

    with cp.profile(flamegraph=True) as prof:
        ...
    prof.summary(); prof.ops["add"]["calls"]; prof.flamegraph("add.svg")

Counters come from the Rust core's one registry (allocations, arenas, per-op calls); the
flamegraph comes from a pprof SIGPROF sampler rendered by inferno. Profiles nest; only one may
sample at a time.
"""

from __future__ import annotations

import functools
import html
import json
import linecache
import re
import threading
import time
from pathlib import Path
from typing import Any

from . import _core

__all__ = ["Profile", "ProfileDiff", "ProfileResult", "profile"]


def _arena_delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    t0, t1 = before["total"], after["total"]
    hits = t1["hits"] - t0["hits"]
    misses = t1["misses"] - t0["misses"]
    per_thread = []
    old = {t["thread"]: t for t in before["threads"]}
    for t in after["threads"]:
        o = old.get(t["thread"], {"hits": 0, "misses": 0, "bytes": 0})
        h, m = t["hits"] - o["hits"], t["misses"] - o["misses"]
        if h or m:
            per_thread.append(
                {
                    "thread": t["thread"],
                    "hits": h,
                    "misses": m,
                    "bytes": t["bytes"] - o["bytes"],
                    "high_water": t["high_water"],
                }
            )
    return {
        "hits": hits,
        "misses": misses,
        "hit_rate": hits / (hits + misses) if hits + misses else None,
        "bytes": t1["bytes"] - t0["bytes"],
        "high_water": t1["high_water"],
        "threads": per_thread,
    }


class ProfileResult:
    """What one profiled block did. Filled in when the block exits."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name or "corepy profile"
        self.seconds = 0.0
        self.allocations: dict[str, int] = {}
        self.arena: dict[str, Any] = {}
        self.ops: dict[str, dict[str, Any]] = {}
        self.spans: list[tuple[str, int, float, float, int]] = []
        # Op time by the user's Python line: one dict per line (see `lines`).
        self._lines: list[tuple[str, int, str, str, int, float, int]] = []
        # cp.profile(client=...): each Dask worker's own result, by worker name, and the
        # workers' share of each line ((file, line, function, worker) -> (calls, seconds)).
        self.workers: dict[str, ProfileResult] = {}
        self._line_workers: dict[tuple[str, int, str, str], tuple[int, float]] = {}
        self.folded: list[str] = []
        # Sampled stacks per thread: (thread, "frame;frame", count, in_op); see `_set_samples`.
        self.samples: list[tuple[str, str, int, bool]] = []
        self.hz = 0  # the sampler's rate (0 without flamegraph=True)
        self._svg: str | None = None
        # Hardware counters (profile(counters=True)): a dict of counts and derived rates, or
        # None with `counters_unavailable` saying why (e.g. no hardware PMU in this VM).
        self.counters: dict[str, Any] | None = None
        self.counters_unavailable: str | None = None

    @property
    def zero_copy_rate(self) -> float | None:
        """Share of op inputs used in place (no copy) over the block; None if no inputs."""
        zc = sum(o["zero_copy_inputs"] for o in self.ops.values())
        cp = sum(o["copied_inputs"] for o in self.ops.values())
        return zc / (zc + cp) if zc + cp else None

    def _set_samples(self, samples: list[tuple[str, str, int, bool]]) -> None:
        """Sampled stacks from the sampler: a sample taken in an op call starts at the call's
        Python frames (then ``cp.<op>``, then native frames), on whichever thread ran it, so a
        pool worker's samples merge under the call they served; other samples start at their
        thread's name."""
        self.samples = list(samples)
        merged: dict[str, int] = {}
        for thread, stack, count, in_op in self.samples:
            key = stack if in_op else f"{thread.replace(';', '_').replace(' ', '_')};{stack}"
            merged[key] = merged.get(key, 0) + count
        self.folded = [f"{k} {v}" for k, v in sorted(merged.items())]

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Op time by call site: the first Python frame outside corepy of every op call, slowest
        first. Each: file, line, function, source (the line's text), calls, seconds, bytes, and
        ops ({op: {calls, seconds}}). Under ``profile(client=...)`` the Dask workers' op time is
        attributed to the running task's name (file "<task>", function the task name) and
        such entries carry ``workers`` ({worker: {calls, seconds}})."""
        by: dict[tuple[str, int, str], dict[str, Any]] = {}
        for file, line, func, op, calls, seconds, nbytes in self._lines:
            e = by.setdefault(
                (file, line, func),
                {
                    "file": file,
                    "line": line,
                    "function": func,
                    "source": linecache.getline(file, line).strip() if line else "",
                    "calls": 0,
                    "seconds": 0.0,
                    "bytes": 0,
                    "ops": {},
                },
            )
            e["calls"] += calls
            e["seconds"] += seconds
            e["bytes"] += nbytes
            o = e["ops"].setdefault(op, {"calls": 0, "seconds": 0.0})
            o["calls"] += calls
            o["seconds"] += seconds
        for (file, line, func, worker), (calls, seconds) in self._line_workers.items():
            w = by[(file, line, func)].setdefault("workers", {})
            w[worker] = {"calls": calls, "seconds": seconds}
        return sorted(by.values(), key=lambda e: -e["seconds"])

    def _lines_summary(self) -> str:
        rows = [f"{'ms':>9} {'calls':>7} {'MB':>8}  line"]
        for e in self.lines:
            where = f"{Path(e['file']).name}:{e['line']} ({e['function']})"
            ops = ", ".join(sorted(e["ops"], key=lambda k: -e["ops"][k]["seconds"]))
            rows.append(
                f"{e['seconds'] * 1e3:>9.3f} {e['calls']:>7} {e['bytes'] / 1e6:>8.2f}  "
                f"{where}: {e['source']}  [{ops}]"
            )
        return "\n".join(rows)

    def svg(self) -> str | None:
        """The flamegraph as SVG text (None without flamegraph=True or without samples)."""
        if self._svg is None and self.folded:
            self._svg = _core._render_flamegraph(self.folded, self.name)
        return self._svg

    def flamegraph(self, path: str | Path) -> Path:
        """Writes the flamegraph SVG; raises RuntimeError if nothing was sampled."""
        svg = self.svg()
        if svg is None:
            raise RuntimeError(
                "no flamegraph: profile with flamegraph=True around work that runs long "
                "enough to be sampled (the sampler ticks at most ~250 times a second)"
            )
        path = Path(path)
        path.write_text(svg)
        return path

    def collapsed(self, path: str | Path | None = None) -> str:
        """The folded stacks ("frame;frame count" lines), written to `path` if given."""
        text = "\n".join(self.folded) + ("\n" if self.folded else "")
        if path is not None:
            Path(path).write_text(text)
        return text

    def chrome_trace(self, path: str | Path) -> Path:
        """One span per op call, for Perfetto or chrome://tracing."""
        events = [
            {
                "name": op,
                "ph": "X",
                "ts": start,
                "dur": dur,
                "pid": 1,
                "tid": tid,
                "args": {"elements": n},
            }
            for op, tid, start, dur, n in self.spans
        ]
        path = Path(path)
        path.write_text(json.dumps({"traceEvents": events, "displayTimeUnit": "ms"}))
        return path

    def diff(self, other: ProfileResult) -> ProfileDiff:
        """How this profile differs from `other` (the baseline): per-op and per-line deltas,
        and a differential flamegraph (red where this profile spent more)."""
        if not isinstance(other, ProfileResult):
            raise TypeError(f"diff: expected a ProfileResult, got {type(other).__name__}")
        return ProfileDiff(self, other)

    def speedscope(self, path: str | Path) -> Path:
        """Writes the samples in speedscope's JSON format (https://www.speedscope.app): one
        sampled profile per thread, weights in seconds (samples / hz)."""
        if not self.samples:
            raise RuntimeError("no samples: profile with flamegraph=True to export speedscope")
        path = Path(path)
        path.write_text(json.dumps(_speedscope(self.name, self.samples, self.hz)))
        return path

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seconds": self.seconds,
            "allocations": dict(self.allocations),
            "arena": dict(self.arena),
            "ops": {k: dict(v) for k, v in self.ops.items()},
            "lines": self.lines,
            "zero_copy_rate": self.zero_copy_rate,
            "counters": self.counters,
            "counters_unavailable": self.counters_unavailable,
            "samples": sum(int(line.rsplit(" ", 1)[1]) for line in self.folded),
            "workers": {k: w.to_dict() for k, w in self.workers.items()},
        }

    def summary(self, by: str = "op") -> str:
        """A text table by op (default) or by="line": op time by the user's source line."""
        if by == "line":
            return f"{self.name}: {self.seconds * 1e3:.2f} ms wall\n" + self._lines_summary()
        if by != "op":
            raise ValueError(f"summary: by must be 'op' or 'line', got {by!r}")
        rows = [
            f"{self.name}: {self.seconds * 1e3:.2f} ms wall",
            f"{'op':<8} {'calls':>7} {'elements':>12} {'MB':>9} {'ms':>9} "
            f"{'GB/s':>7} {'isa':>7} {'par':>5} {'0copy':>6} {'copied':>6}",
        ]
        for name, o in sorted(self.ops.items(), key=lambda kv: -kv[1]["seconds"]):
            mb = (o["bytes_read"] + o["bytes_written"]) / 1e6
            gbps = mb / 1e3 / o["seconds"] if o["seconds"] else 0.0
            rows.append(
                f"{name:<8} {o['calls']:>7} {o['elements']:>12} {mb:>9.1f} "
                f"{o['seconds'] * 1e3:>9.3f} {gbps:>7.1f} {o['isa']:>7} "
                f"{o['parallel_calls']:>5} {o['zero_copy_inputs']:>6} {o['copied_inputs']:>6}"
            )
        a, ar = self.allocations, self.arena
        rate = ar.get("hit_rate")
        rows.append(
            f"allocations: {a.get('count', 0)} ({a.get('bytes', 0) / 1e6:.2f} MB), "
            f"peak live {a.get('peak_bytes', 0) / 1e6:.2f} MB"
        )
        rows.append(
            f"arena: {ar.get('hits', 0)} hits, {ar.get('misses', 0)} misses"
            + (f" (hit rate {rate:.1%})" if rate is not None else "")
        )
        zc = self.zero_copy_rate
        rows.append("zero-copy rate: " + ("n/a" if zc is None else f"{zc:.1%}"))
        if self.counters is not None:
            c = self.counters
            ipc, miss = c["ipc"], c["cache_miss_rate"]
            rows.append(
                f"counters: {c['cycles']} cycles, {c['instructions']} instructions"
                + (f", IPC {ipc:.2f}" if ipc is not None else "")
                + (f", cache miss rate {miss:.1%}" if miss is not None else "")
                + f", L1d read misses {c['l1d_read_misses']}"
            )
        elif self.counters_unavailable is not None:
            rows.append(f"counters: unavailable \u2014 {self.counters_unavailable}")
        return "\n".join(rows)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        parts = [f"<pre>{html.escape(self.summary())}</pre>"]
        lines = self.lines
        if lines:
            top = lines[0]["seconds"] or 1.0
            rows = []
            for e in lines[:20]:
                width = 100.0 * e["seconds"] / top
                rows.append(
                    "<tr><td style='text-align:right'>{ms:.3f} ms</td>"
                    "<td style='width:120px'><div style='background:#e4572e;height:10px;"
                    "width:{w:.0f}%'></div></td><td>{calls}</td><td><code>{where}</code></td>"
                    "<td><code>{src}</code></td><td>{ops}</td></tr>".format(
                        ms=e["seconds"] * 1e3,
                        w=width,
                        calls=e["calls"],
                        where=html.escape(f"{Path(e['file']).name}:{e['line']}"),
                        src=html.escape(e["source"]),
                        ops=html.escape(", ".join(e["ops"])),
                    )
                )
            parts.append(
                "<table><tr><th>time</th><th></th><th>calls</th><th>line</th><th>source</th>"
                "<th>ops</th></tr>" + "".join(rows) + "</table>"
            )
        svg = self.svg()
        if svg is not None:
            # srcdoc iframes keep each flamegraph's script and ids apart from the others.
            # A bare SVG in srcdoc lays out at a default width; a full-width page does not.
            page = (
                "<!DOCTYPE html><html><head><style>body{margin:0}svg{width:100%;height:auto}"
                "</style></head><body>" + svg + "</body></html>"
            )
            parts.append(
                '<iframe style="width:100%;height:460px;border:0" srcdoc="'
                + html.escape(page, quote=True)
                + '"></iframe>'
            )
        return "\n".join(parts)


_PY_FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*):(?P<line>\d+)\)$")


def _speedscope(name: str, samples: list[tuple[str, str, int, bool]], hz: int) -> dict[str, Any]:
    frames: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def frame(label: str) -> int:
        i = index.get(label)
        if i is None:
            i = index[label] = len(frames)
            m = _PY_FRAME.match(label)
            if m:
                frames.append({"name": m["name"], "file": m["file"], "line": int(m["line"])})
            else:
                frames.append({"name": label})
        return i

    per_thread: dict[str, tuple[list[list[int]], list[float]]] = {}
    for thread, stack, count, _ in samples:
        stacks, weights = per_thread.setdefault(thread, ([], []))
        stacks.append([frame(f) for f in stack.split(";")])
        weights.append(count / hz if hz else float(count))
    profiles = [
        {
            "type": "sampled",
            "name": thread,
            "unit": "seconds" if hz else "none",
            "startValue": 0,
            "endValue": sum(weights),
            "samples": stacks,
            "weights": weights,
        }
        for thread, (stacks, weights) in sorted(per_thread.items())
    ]
    return {
        "$schema": "https://www.speedscope.app/file-format-schema.json",
        "shared": {"frames": frames},
        "profiles": profiles,
        "name": name,
        "activeProfileIndex": 0,
        "exporter": "corepy",
    }


_PY_LINE = re.compile(r" \(([^();]*):\d+\)(?=;|$)")
# The file of a notebook cell's code: IPython's "<ipython-input-N-hash>", ipykernel's
# "<hash of the source>.py". It changes with every cell, so a diff compares cells as "<cell>".
_CELL_FILE = re.compile(r" \((?:<ipython-input-\d+-[0-9a-f]+>|\d+\.py)\)(?=;|$)")


def _folded_counts(folded: list[str], lines: bool = True) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in folded:
        stack, count = line.rsplit(" ", 1)
        if not lines:
            stack = _CELL_FILE.sub(" (<cell>)", _PY_LINE.sub(r" (\1)", stack))
        out[stack] = out.get(stack, 0) + int(count)
    return out


def _delta(after: float, before: float) -> dict[str, Any]:
    return {
        "before": before,
        "after": after,
        "delta": after - before,
        "ratio": after / before if before else None,
    }


class ProfileDiff:
    """`prof.diff(base)`: what `prof` (after) spent against `base` (before), by op, by line and
    by sampled stack. ``flamegraph(path)`` is inferno's differential flamegraph: widths from
    `prof`, red where it spent more, blue where less, the baseline's samples scaled to the same
    total first."""

    def __init__(self, after: ProfileResult, before: ProfileResult) -> None:
        self.after = after
        self.before = before
        self.name = f"{after.name} vs {before.name}"

    @property
    def ops(self) -> dict[str, dict[str, Any]]:
        """Per op: calls and seconds, each as {before, after, delta, ratio}; slowest change
        first."""
        out = {}
        for op in set(self.after.ops) | set(self.before.ops):
            a = self.after.ops.get(op, {})
            b = self.before.ops.get(op, {})
            out[op] = {
                "calls": _delta(a.get("calls", 0), b.get("calls", 0)),
                "seconds": _delta(a.get("seconds", 0.0), b.get("seconds", 0.0)),
            }
        return dict(sorted(out.items(), key=lambda kv: -abs(kv[1]["seconds"]["delta"])))

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Per user source line (file, line, function, source): calls and seconds as
        {before, after, delta, ratio}; largest change first."""
        rows: dict[tuple[str, int], dict[str, Any]] = {}
        for side, prof in (("after", self.after), ("before", self.before)):
            for e in prof.lines:
                r = rows.setdefault(
                    (e["file"], e["line"]),
                    {k: e[k] for k in ("file", "line", "function", "source")}
                    | {"after": (0, 0.0), "before": (0, 0.0)},
                )
                r[side] = (e["calls"], e["seconds"])
        out = []
        for r in rows.values():
            (ca, sa), (cb, sb) = r.pop("after"), r.pop("before")
            out.append(r | {"calls": _delta(ca, cb), "seconds": _delta(sa, sb)})
        return sorted(out, key=lambda r: -abs(r["seconds"]["delta"]))

    def collapsed(self, path: str | Path | None = None) -> str:
        """Differential folded stacks, "stack before after" (inferno-diff-folded's format), the
        baseline's counts scaled to this profile's total samples. Python frames are compared
        by function and file ("step (model.py)"), without line numbers, so that two versions
        of a function line up; notebook cells (whose code IPython files under a name that
        changes with each cell) compare as one file, "<cell>"."""
        a = _folded_counts(self.after.folded, lines=False)
        b = _folded_counts(self.before.folded, lines=False)
        ta, tb = sum(a.values()), sum(b.values())
        scale = ta / tb if tb else 1.0
        lines = [
            f"{stack} {round(b.get(stack, 0) * scale)} {a.get(stack, 0)}"
            for stack in sorted(set(a) | set(b))
        ]
        text = "\n".join(lines) + ("\n" if lines else "")
        if path is not None:
            Path(path).write_text(text)
        return text

    def svg(self) -> str | None:
        lines = self.collapsed().splitlines()
        if not lines or not self.after.folded:
            return None
        return _core._render_flamegraph(lines, self.name)

    def flamegraph(self, path: str | Path) -> Path:
        """Writes the differential flamegraph SVG; raises RuntimeError without samples."""
        svg = self.svg()
        if svg is None:
            raise RuntimeError(
                "no differential flamegraph: both profiles need flamegraph=True and samples"
            )
        path = Path(path)
        path.write_text(svg)
        return path

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seconds": _delta(self.after.seconds, self.before.seconds),
            "ops": self.ops,
            "lines": self.lines,
        }

    def summary(self) -> str:
        rows = [
            f"{self.name}: {self.after.seconds * 1e3:.2f} ms vs {self.before.seconds * 1e3:.2f} ms",
            f"{'op':<12} {'ms before':>10} {'ms after':>10} {'delta ms':>10} {'ratio':>7}",
        ]
        for op, d in self.ops.items():
            s = d["seconds"]
            ratio = "n/a" if s["ratio"] is None else f"{s['ratio']:.2f}x"
            rows.append(
                f"{op:<12} {s['before'] * 1e3:>10.3f} {s['after'] * 1e3:>10.3f} "
                f"{s['delta'] * 1e3:>+10.3f} {ratio:>7}"
            )
        lines = self.lines
        if lines:
            rows.append("by line:")
            for r in lines[:20]:
                s = r["seconds"]
                rows.append(
                    f"{s['delta'] * 1e3:>+10.3f} ms  {Path(r['file']).name}:{r['line']} "
                    f"({r['function']}): {r['source']}"
                )
        return "\n".join(rows)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        parts = [f"<pre>{html.escape(self.summary())}</pre>"]
        svg = self.svg()
        if svg is not None:
            page = (
                "<!DOCTYPE html><html><head><style>body{margin:0}svg{width:100%;height:auto}"
                "</style></head><body>" + svg + "</body></html>"
            )
            parts.append(
                '<iframe style="width:100%;height:460px;border:0" srcdoc="'
                + html.escape(page, quote=True)
                + '"></iframe>'
            )
        return "\n".join(parts)


class Profile:
    """Context manager (and decorator) that profiles a block. See module docs."""

    _local = threading.local()

    def __init__(
        self,
        flamegraph: bool = False,
        hz: int = 997,
        name: str | None = None,
        counters: bool = False,
        client: Any = None,
    ):
        self.flamegraph = flamegraph
        self.counters = counters
        self.client = client
        self.hz = int(hz)
        self.result = ProfileResult(name)
        self._id: int | None = None

    def __enter__(self) -> ProfileResult:
        self.result = ProfileResult(self.result.name)
        self._remote = None
        if self.client is not None:
            from . import dask as _cpdask

            self._remote = _cpdask._profile_open(
                self.client, self.flamegraph, self.hz, self.counters, self.result.name
            )
        self._arena0 = _core._arena_stats()
        self._alloc0 = _core._alloc_stats()
        self._id = _core._profile_open()
        if self.counters:
            self.result.counters_unavailable = _core._counters_start()
        if self.flamegraph:
            try:
                _core._sampler_start(self.hz)
            except BaseException:
                _core._profile_close(self._id)
                _core._counters_stop()
                if self._remote is not None:  # the workers' profiles close too
                    from . import dask as _cpdask

                    _cpdask._profile_close(self.client, self._remote, ProfileResult())
                raise
        self._t0 = time.perf_counter()
        return self.result

    def __exit__(self, *exc: object) -> None:
        r = self.result
        r.seconds = time.perf_counter() - self._t0
        if self.flamegraph:
            r._set_samples(_core._sampler_stop())
            r.hz = self.hz
        if self.counters and r.counters_unavailable is None:
            r.counters = _core._counters_stop()
        alloc1 = _core._alloc_stats()
        data = _core._profile_close(self._id)
        r.ops = dict(data["ops"])
        r.spans = list(data["spans"])
        r._lines = list(data["lines"])
        r.allocations = {
            "count": alloc1["count"] - self._alloc0["count"],
            "bytes": alloc1["bytes"] - self._alloc0["bytes"],
            "live_bytes": alloc1["live_bytes"],
            "live_delta": alloc1["live_bytes"] - self._alloc0["live_bytes"],
            "peak_bytes": alloc1["peak_bytes"],
        }
        r.arena = _arena_delta(self._arena0, _core._arena_stats())
        if self._remote is not None:
            from . import dask as _cpdask

            _cpdask._profile_close(self.client, self._remote, r)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            name = self.result.name or fn.__name__
            with Profile(self.flamegraph, self.hz, name, self.counters, self.client) as r:
                out = fn(*args, **kwargs)
            wrapper.last_profile = r
            return out

        wrapper.last_profile = None
        return wrapper


def profile(
    flamegraph: bool = False,
    hz: int = 997,
    name: str | None = None,
    counters: bool = False,
    client: Any = None,
) -> Profile:
    """Profile a block: ``with cp.profile(flamegraph=True) as prof: ...``.

    ``counters=True`` also reads hardware counters (cycles, instructions, cache references and
    misses, L1d read misses) on every corepy thread; where the machine has no PMU the result says
    so in ``prof.counters_unavailable`` instead of reporting zeros.
    Also a decorator: ``@cp.profile()``; the wrapped function's ``last_profile`` holds the result.

    ``client=`` (a dask.distributed Client) also profiles every worker of its cluster and
    merges them into the result on exit: ``prof.ops`` sums every process's calls (each op's
    ``workers`` entry splits them by process), ``prof.workers`` holds each worker's own
    result, flamegraph stacks start with the process's name ("client", "worker-0", ...) and
    ``prof.lines`` attributes worker time to the Dask task that ran it (corepy.dask).
    """
    return Profile(flamegraph=flamegraph, hz=hz, name=name, counters=counters, client=client)
