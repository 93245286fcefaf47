"""The ratio table of an issue's benchmark module (test_bench_issue16.py, test_bench_issue18.py):
each peer's median over corepy's, the targets, and whether they are met, printed at the end of
the module and saved to .benchmarks/<name>_ratios.json. A target keyed "best" is against the
faster of the peers."""

from __future__ import annotations

import json
import pathlib
import time

import pytest

import corepy as cp

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None

THREADS = 2
PEERS = ["numpy", *(["torch"] if torch is not None else [])]


def report(request, name: str, cases, medians: dict[str, dict[str, float]]) -> None:
    """`cases`: (case id, family, arguments, {peer or "best": target ratio}) tuples."""
    if not medians:
        return
    width = max(len(c[0]) for c in cases) + 2
    rows, lines = [], [f"{'case':<{width}}{'corepy':>11}" + "".join(f"{p:>17}" for p in PEERS)]
    lines[0] += "  target"
    for cid, _, _, targets in cases:
        m = medians.get(cid)
        if not m or "corepy" not in m:
            continue
        ratios = {p: m[p] / m["corepy"] for p in PEERS if p in m}
        if ratios:
            ratios["best"] = min(m[p] for p in PEERS if p in m) / m["corepy"]
        met = all(ratios.get(k, 0.0) >= v for k, v in targets.items() if k in ratios)
        cells = "".join(
            f"{m[p] * 1e3:9.2f}ms {ratios[p]:5.2f}x" if p in m else f"{'-':>17}" for p in PEERS
        )
        goal = ", ".join(f">={v}x {k}" for k, v in targets.items())
        lines.append(
            f"{cid:<{width}}{m['corepy'] * 1e3:9.2f}ms{cells}  {goal} {'ok' if met else 'MISS'}"
        )
        rows.append({"case": cid, "medians_s": m, "ratios": ratios, "targets": targets, "met": met})
    out = pathlib.Path(".benchmarks")
    out.mkdir(exist_ok=True)
    (out / f"{name}_ratios.json").write_text(json.dumps(rows, indent=1))
    title = f"{name} ratios (peer median / corepy median, {THREADS} threads)"
    text = "\n".join(["", title, *lines])
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print(text)
    else:
        print(text)


@pytest.fixture(autouse=True)
def threads():
    """corepy and PyTorch on THREADS threads for each benchmark, after a short settle."""
    before = cp.get_num_threads()
    cp.set_num_threads(THREADS)
    if torch is not None:
        torch.set_num_threads(THREADS)
    time.sleep(0.2)  # settle: let the previous library's worker threads go idle
    yield
    cp.set_num_threads(before)
