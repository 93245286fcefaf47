from __future__ import annotations

import contextlib
import io
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import corepy as cp

# Property tests: no deadline (the first call may pay for thread-pool start-up), modest example
# counts so the whole suite stays well under two minutes on two cores.
# On CI the examples are derandomized (the same every run) and no example database is kept.
_CI = {"derandomize": True, "database": None} if os.environ.get("CI") else {}
settings.register_profile(
    "corepy",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    **_CI,
)
settings.register_profile("thorough", parent=settings.get_profile("corepy"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "corepy"))


def pytest_report_header(config):
    cfg = cp.config()
    return [
        f"corepy {cfg.get('version')}: isa={cfg.get('isa')} kernel_isa={cfg.get('kernel_isa')} "
        f"available={cfg.get('available_isas')} threads={cfg.get('num_threads')}"
        f"{' kernels=' + cfg['kernel_library'] if cfg.get('kernel_library') else ''}",
        f"numpy {np.__version__}",
    ]


# The ISA and thread count the session started with: "auto" and all cores, unless COREPY_ISA /
# COREPY_NUM_THREADS chose others (e.g. `COREPY_ISA=scalar make pytest` runs everything on the
# scalar reference kernels).
_SESSION_ISA = cp.get_isa()
_SESSION_THREADS = cp.get_num_threads()


@pytest.fixture(autouse=True)
def _restore_runtime():
    """Tests that force an ISA or a thread count cannot leak it into the next test."""
    try:
        yield
    finally:
        cp.set_isa(_SESSION_ISA)
        cp.set_num_threads(_SESSION_THREADS)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory):
    """One quick `python -m corepy.report --cache` run, shared by test_report.py and
    test_lab_cache.py: (output directory, what it printed). Under pytest-xdist every worker
    has its own session, so the first worker to ask runs the report (minutes: benchmarks and
    valgrind) and the others wait on a file lock and read its output."""
    import fcntl

    import corepy.report as report

    # The parent of the base temp dir is shared by all workers of one run (xdist's own advice).
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    out, log = shared / "quick_report", shared / "quick_report.txt"
    done = shared / "quick_report.ok"
    with open(shared / "quick_report.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            out.mkdir(exist_ok=True)
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                status = report.main(["--out", str(out), "--quick", "--budget", "0.003", "--cache"])
            log.write_text(printed.getvalue())
            if status == 0:
                done.touch()
    assert done.exists(), log.read_text()
    return out, log.read_text()
