"""The soak run (tests/soak.py, `make soak` for the long one): a short version, and checks that
its detectors fire (a hang, a failure, memory growth)."""

from __future__ import annotations

import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

SOAK = Path(__file__).with_name("soak.py")


def run_soak(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SOAK), *args], capture_output=True, text=True, timeout=timeout
    )


def test_short_soak_keeps_memory_flat_and_finishes():
    # ~25 s of every op on every layout, flamegraph profiles, forks, thread-count and ISA
    # switches and Ctrl-C, with two background threads: no failure, hang or crash; memory flat.
    # corepy's own live bytes keep the long run's tight bound. RSS gets more room than in the
    # 30-minute run: 25 s after a 5 s warm-up is too short for glibc's per-thread malloc arenas
    # (the run switches between 1 and 4 threads) and NumPy's caches to settle (a run here saw
    # +76 MiB of RSS with live bytes -0.9 MiB).
    out = run_soak(
        "--minutes",
        "0.4",
        "--report-every",
        "3",
        "--hang-seconds",
        "60",
        "--rss-tolerance-mb",
        "192",
        timeout=240,
    )
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-6000:]
    summary = out.stdout[out.stdout.index("soak:") :]
    assert "0 failures" in summary, summary
    for event in ("flamegraph profiles", "forks", "ISA switches", "Ctrl-C"):
        assert f" 0 {event}" not in summary, summary


def test_the_soak_watchdog_ends_a_hung_run_with_every_threads_stack():
    out = run_soak("--minutes", "1", "--inject", "hang", "--hang-seconds", "3", timeout=120)
    assert out.returncode != 0
    assert "Timeout" in out.stderr and "Thread 0x" in out.stderr, out.stderr[-3000:]


@pytest.fixture
def soak_module():
    sys.path.insert(0, str(SOAK.parent))
    try:
        import soak

        yield soak
    finally:
        sys.path.remove(str(SOAK.parent))


def _verdict(soak, rows, failures=()):
    s = soak.Soak.__new__(soak.Soak)  # only the verdict: no threads, no temp dir
    s.args = Namespace(rss_tolerance_mb=64.0, live_tolerance_mb=16.0)
    s.failures = list(failures)
    s.counts = dict.fromkeys(
        ["rounds", "ops", "checked", "profiles", "forks", "threads", "isa", "ctrl_c"], 0
    )
    return s.verdict(rows, warmup=10.0)


def test_the_soak_verdict_judges_growth_outside_the_cache(soak_module):
    mib = soak_module.MIB
    # (t, rss, live, cached): flat outside the cache although the cache swings by 200 MiB.
    flat = [(t, (300 + c) * mib, (50 + c) * mib, c * mib) for t, c in enumerate([0, 200] * 20)]
    assert _verdict(soak_module, flat) == 0
    # corepy's live bytes growing 1 MiB per report: 30 MiB from the warm-up to the end.
    leak = [(t, 300 * mib, (50 + t) * mib, 0) for t in range(45)]
    assert _verdict(soak_module, leak) == 1
    # RSS growing 3 MiB per report with corepy's own bytes flat.
    rss = [(t, (300 + 3 * t) * mib, 50 * mib, 0) for t in range(45)]
    assert _verdict(soak_module, rss) == 1
    # One spike at the end is not growth (medians of three reports).
    spike = flat + [(40, 600 * mib, 200 * mib, 0), (41, 300 * mib, 50 * mib, 0)]
    assert _verdict(soak_module, spike) == 0
    # A wrong answer, a failed child or an exception in a thread fails the run.
    assert _verdict(soak_module, flat, failures=["add float32 strided n=1000: wrong"]) == 1
