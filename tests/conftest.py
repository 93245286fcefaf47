from __future__ import annotations

import os

import corepy as cp
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Property tests: no deadline (the first call may pay for thread-pool start-up), modest example
# counts so the whole suite stays well under two minutes on two cores.
settings.register_profile(
    "corepy",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", parent=settings.get_profile("corepy"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "corepy"))


def pytest_report_header(config):
    cfg = cp.config()
    return [
        f"corepy {cfg.get('version')}: isa={cfg.get('isa')} kernel_isa={cfg.get('kernel_isa')} "
        f"available={cfg.get('available_isas')} threads={cfg.get('num_threads')}",
        f"numpy {np.__version__}",
    ]


@pytest.fixture(autouse=True)
def _restore_runtime():
    """Every test starts and ends with automatic ISA choice and the default thread count."""
    threads = cp.get_num_threads()
    try:
        yield
    finally:
        cp.set_isa("auto")
        cp.set_num_threads(threads)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)
