"""cp.tune() measures per-op thresholds, applies them, stores them and loads them again."""

import importlib
import json
import os
import subprocess
import sys

import pytest

import corepy as cp

tune_mod = importlib.import_module("corepy.tune")  # the module: corepy.tune is the function


@pytest.fixture
def tune_file(tmp_path, monkeypatch):
    path = tmp_path / "thresholds.json"
    monkeypatch.setenv("COREPY_TUNE_FILE", str(path))
    before = dict(cp.config()["thresholds"])
    yield path
    for op, n in before.items():
        cp._core._set_threshold(op, n)


def test_tune_measures_stores_and_applies(tune_file):
    cp.set_num_threads(2)
    result = cp.tune(sizes=[1 << 12, 1 << 20], budget=0.005)
    assert set(result) == {"elementwise", "sum", "dot", "all_any", "cast", "matmul"}
    matmul_work = {s**3 for s in tune_mod.MATMUL_SIDES}
    for op, n in result.items():
        allowed = matmul_work if op == "matmul" else {1 << 12, 1 << 20}
        assert n in allowed | {1 << 40}
        assert cp.config()["thresholds"][op] == n
    stored = json.loads(tune_file.read_text())
    assert stored["thresholds"] == result and stored["threads"] == 2


def test_stored_thresholds_load_at_import(tune_file):
    tune_file.write_text(json.dumps({"threads": 2, "thresholds": {"sum": 12345}}))
    env = dict(os.environ, COREPY_NUM_THREADS="2")
    code = "import corepy; print(corepy.config()['thresholds']['sum'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "12345", out.stderr


def test_tune_needs_two_threads(tune_file):
    cp.set_num_threads(1)
    with pytest.raises(ValueError, match="2 threads"):
        cp.tune()


def test_arena_size_from_environment():
    env = dict(os.environ, COREPY_ARENA_SIZE=str(1 << 20))
    code = "import corepy; print(corepy.config()['arena_size'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == str(1 << 20), out.stderr


def test_unknown_threshold_is_value_error():
    with pytest.raises(ValueError, match="unknown threshold"):
        cp._core._set_threshold("bogus", 1)
