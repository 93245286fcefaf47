"""`cp.bench`: side-by-side timing, agreement checks, JSON round trips and plots."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
import types

import numpy as np
import pytest

import corepy as cp
from corepy import bench
from corepy.lab import catalogue, harness, timing

TINY = {"budget": 0.003, "wait_idle": False, "progress": False, "quick": True}
ROW_KEYS = {
    "op",
    "size",
    "lib",
    "dtype",
    "threads",
    "median_s",
    "q1_s",
    "q3_s",
    "min_s",
    "max_s",
    "runs",
    "calls_per_run",
    "bytes",
    "flops",
    "gbps",
    "gflops",
    "intensity",
    "bound",
    "pattern",
    "pct_of_peak",
    "limit_level",
    "agrees",
    "max_abs_diff",
    "others_load",
}


@pytest.fixture(scope="module")
def machine():
    return bench.machine_limits(array_mb=8, repeats=2)


def test_compare_returns_tidy_rows(machine):
    res = bench.compare("sum", [1000, 20_000], libs=("corepy", "numpy"), machine=machine, **TINY)
    assert isinstance(res, list) and len(res) == 4
    assert {(r["lib"], r["size"]) for r in res} == {
        (lib, n) for lib in ("corepy", "numpy") for n in (1000, 20_000)
    }
    for r in res:
        assert isinstance(r, bench.Row) and set(r) == ROW_KEYS
        assert r.median_s == r["median_s"] and dict(r)["lib"] == r.lib
        assert r["op"] == "sum" and r["dtype"] == "float32" and r["agrees"] is True
        assert 0 < r["min_s"] <= r["q1_s"] <= r["median_s"] <= r["q3_s"] <= r["max_s"]
        assert r["runs"] >= bench.MIN_RUNS
        assert r["bytes"] == 4 * r["size"] and r["flops"] == r["size"]
        assert math.isclose(r["gbps"], r["bytes"] / r["median_s"] / 1e9)
        assert r["pattern"] == "read" and r["bound"] == "memory"
        assert r["pct_of_peak"] > 0
    ratios = res.ratios("numpy")
    assert [x["lib"] for x in ratios] == ["corepy", "corepy"]
    assert "vs numpy" in res.table()


def test_every_op_runs_and_agrees(machine):
    ops = list(bench.OPS)
    sizes = {op: [48] if bench.OPS[op].kind in ("matmul", "matvec") else [3001] for op in ops}
    res = bench.compare(ops, sizes, libs=("corepy", "numpy"), machine=machine, **TINY)
    assert {r["op"] for r in res} == set(ops)
    bad = [(r["op"], r["lib"], r["max_abs_diff"]) for r in res if not r["agrees"]]
    assert not bad
    by_op = {r["op"]: r for r in res if r["lib"] == "corepy"}
    assert by_op["all"]["dtype"] == "bool" and by_op["all"]["flops"] is None
    assert by_op["matmul"]["flops"] == 2 * 48**3 and by_op["matmul"]["bound"] == "compute"
    assert by_op["add_out"]["pattern"] == "add" and by_op["dot"]["pattern"] == "read"


def test_float64_and_threads(machine):
    before = cp.get_num_threads()
    res = bench.compare(
        "dot", [5000], libs=("corepy", "numpy"), dtype="float64", threads=1, machine=machine, **TINY
    )
    assert {r["dtype"] for r in res} == {"float64"}
    assert {r["threads"] for r in res} == {1}
    assert all(r["agrees"] for r in res)
    assert cp.get_num_threads() == before  # restored afterwards


def test_missing_library_is_skipped_with_a_note(machine, monkeypatch, capsys):
    monkeypatch.setattr(harness, "torch_module", lambda: None)  # as on a machine without PyTorch
    res = bench.compare("add", [1000], machine=machine, **{**TINY, "progress": None})
    assert {r["lib"] for r in res} == {"corepy", "numpy"}
    assert any("torch is not installed" in n for n in res.notes), res.notes
    assert "note: torch is not installed" in capsys.readouterr().out


def test_torch_absent_here_is_not_an_error(machine):
    if harness.torch_module() is not None:
        pytest.skip("torch is installed here: the skip note cannot show")
    res = bench.compare("mul", [1000], machine=machine, **TINY)
    assert "torch" not in {r["lib"] for r in res}
    assert any("torch" in n for n in res.notes)


def test_a_wrong_result_is_caught(machine, monkeypatch):
    monkeypatch.setattr(cp, "sum", lambda x, axis=None: 0.0)
    res = bench.compare("sum", [1000], libs=("corepy", "numpy"), machine=machine, **TINY)
    agrees = {r["lib"]: r["agrees"] for r in res}
    assert agrees == {"corepy": False, "numpy": True}
    assert any("corepy disagrees" in n for n in res.notes)
    assert "NO" in res.table()


def test_unknown_op_or_library_raises():
    with pytest.raises(ValueError, match="unknown op"):
        bench.compare("frobnicate", [10], **TINY)
    with pytest.raises(ValueError, match="unknown library"):
        bench.compare("sum", [10], libs=("corepy", "jax"), **TINY)


def test_tolerances_depend_on_dtype_and_op():
    assert bench.tolerance("add", "float32")[0] > bench.tolerance("add", "float64")[0]
    assert bench.tolerance("sum", "float32")[0] > bench.tolerance("add", "float32")[0]
    assert bench.tolerance("sum", "int64") == (0.0, 0.0)


def test_json_roundtrip_and_compare_runs(machine, tmp_path):
    res = bench.compare("add", [1000, 4000], libs=("corepy", "numpy"), machine=machine, **TINY)
    res.notes.append("a note")
    path = bench.save(res, tmp_path / "run.json")
    assert json.loads(path.read_text())["format"] == bench.FORMAT
    back = bench.load(path)
    assert isinstance(back, bench.Results)
    assert back == list(res)
    assert back.notes == res.notes
    assert back.machine["peak_gflops"].keys() == machine["peak_gflops"].keys()  # int keys again

    slower = [{**r, "median_s": 2 * r["median_s"]} for r in res]
    cmp = bench.compare_runs(slower, back)
    assert len(cmp) == 4
    assert all(math.isclose(r["speedup"], 2.0) for r in cmp)
    assert "speedup" in cmp.table()


def test_to_frame_when_pandas_is_installed(machine):
    pd = pytest.importorskip("pandas")
    res = bench.compare("sum", [1000], libs=("corepy", "numpy"), machine=machine, **TINY)
    frame = res.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) == 2


def test_plots_save_svg(machine, tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is not installed: no plots")
    res = bench.compare(
        ["sum", "matmul"],
        {"sum": [1000, 10_000], "matmul": [32, 64]},
        libs=("corepy", "numpy"),
        machine=machine,
        **TINY,
    )
    for metric in ("throughput", "time"):
        fig = bench.plot(res, metric=metric, save=tmp_path / f"{metric}.svg")
        assert len(fig.axes) == 2
        assert "<svg" in (tmp_path / f"{metric}.svg").read_text()
    fig = bench.roofline(res, save=tmp_path / "roofline.svg")
    assert fig is not None
    text = (tmp_path / "roofline.svg").read_text()
    assert "<svg" in text and "STREAM read" in text
    bench.compare("dot", [1000], libs=("corepy",), machine=machine, save=tmp_path / "d.png", **TINY)
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"


def test_wait_for_idle_never_hangs():
    start = time.perf_counter()
    state = bench.wait_for_idle(min_idle=1.01, max_wait_s=0.3, sample_s=0.05)  # never idle enough
    assert time.perf_counter() - start < 1.0
    if state["idle"] is None:
        pytest.skip("no /proc/stat on this system")
    assert state["idle_ok"] is False and 0.0 <= state["idle"] <= 1.0


def test_machine_limits_are_cached(machine):
    assert bench.machine_limits(array_mb=8, repeats=2) is machine
    limit, unit = bench.limit_for("add", "float32", 1, machine)
    assert unit == "GB/s" and limit == machine["bandwidth_gbps"]["add"][1]
    limit, unit = bench.limit_for("matmul", "float64", 1, machine)
    assert unit == "GFLOP/s" and math.isclose(limit, machine["peak_gflops"][1] / 2)


def test_inputs_make_all_and_any_read_everything():
    rng = np.random.default_rng(0)
    (x,) = catalogue.make_inputs(bench.OPS["all"], 100, np.dtype(bool), rng)
    (y,) = catalogue.make_inputs(bench.OPS["any"], 100, np.dtype(bool), rng)
    assert x.all() and not y.any()


def test_a_busy_machine_is_flagged(machine, monkeypatch):
    monkeypatch.setattr(timing.OthersLoad, "stop", lambda self: 0.9)
    res = bench.compare("sum", [1000], libs=("corepy",), machine=machine, **TINY)
    assert res[0]["others_load"] == 0.9
    assert any("other processes used over" in n for n in res.notes), res.notes


def test_torch_plumbing_with_a_stand_in(machine, monkeypatch):
    """PyTorch is not installed here: a NumPy-backed stand-in with torch's names checks that
    inputs go through from_numpy, that torch gets corepy's thread count, and that it is put back."""
    fake = types.ModuleType("torch")
    fake.__version__ = "0.0+stand-in"
    calls = {"from_numpy": 0, "threads": [4]}
    fake.get_num_threads = lambda: calls["threads"][-1]
    fake.set_num_threads = lambda n: calls["threads"].append(n)

    def from_numpy(a):
        calls["from_numpy"] += 1
        return a

    fake.from_numpy = from_numpy
    for name, fn in {
        "sum": np.sum,
        "mean": np.mean,
        "all": np.all,
        "any": np.any,
        "add": np.add,
        "sub": np.subtract,
        "mul": np.multiply,
        "div": np.divide,
        "dot": np.dot,
        "matmul": np.matmul,
        "mv": np.matmul,
        "empty_like": np.empty_like,
    }.items():
        setattr(fake, name, fn)
    monkeypatch.setitem(sys.modules, "torch", fake)

    res = bench.compare(["add_out", "matvec"], [64], threads=1, machine=machine, **TINY)
    assert {r["lib"] for r in res} == {"corepy", "numpy", "torch"}
    assert all(r["agrees"] for r in res)
    assert calls["from_numpy"] == 4  # two inputs per op
    assert calls["threads"] == [4, 1, 4]  # corepy's count during the run, then restored
    assert any("torch 0.0+stand-in with 1 threads" in n for n in res.notes)


def _pair(n):
    rng = np.random.default_rng(n)
    return rng.random(n).astype(np.float32), rng.random(n).astype(np.float32)


def test_compare_takes_any_callables(machine):
    res = bench.compare(
        {"numpy": lambda a, b: a * b + 1, "corepy": lambda a, b: cp.add(cp.multiply(a, b), 1)},
        [1000, 4000],
        setup=_pair,
        nbytes=lambda n: 12 * n,
        flops=lambda n: 2 * n,
        name="fma-ish",
        machine=machine,
        **TINY,
    )
    assert [(r["op"], r["size"], r["lib"]) for r in res] == [
        ("fma-ish", n, lib) for n in (1000, 4000) for lib in ("numpy", "corepy")
    ]
    assert all(r["agrees"] for r in res)
    r = res[-1]
    assert r["bytes"] == 48000 and r["flops"] == 8000
    assert r["gbps"] == pytest.approx(48000 / r["median_s"] / 1e9)
    assert "fma-ish" in res.table()


def test_callables_that_disagree_are_flagged(machine, capsys):
    res = bench.compare(
        {"right": lambda a, b: a + b, "wrong": lambda a, b: a - b},
        [500],
        setup=_pair,
        machine=machine,
        **TINY,
    )
    assert [r["agrees"] for r in res] == [True, False]
    # a custom check, and none at all
    res = bench.compare(
        {"a": lambda a, b: a + b, "b": lambda a, b: a - b},
        [500],
        setup=_pair,
        check=lambda got, first: got.shape == first.shape,
        machine=machine,
        **TINY,
    )
    assert all(r["agrees"] for r in res)
    res = bench.compare({"a": np.sum}, [10], setup=lambda n: np.ones(n), check=False, **TINY)
    assert res[0]["agrees"] is None


def test_callables_need_setup_and_callables():
    with pytest.raises(ValueError, match="setup"):
        bench.compare({"a": np.sum}, [10])
    with pytest.raises(TypeError, match="callables"):
        bench.compare({"a": 3}, [10], setup=lambda n: n)


def test_rows_are_typed_and_round_trip_through_json(tmp_path):
    row = bench.Row(op="sum", size=10, lib="corepy", dtype="float32", median_s=1e-6)
    assert row["q1_s"] != row["q1_s"]  # nan default
    row["others_load"] = 0.5
    with pytest.raises(KeyError):
        row["colour"] = "red"
    with pytest.raises(KeyError):
        row["colour"]
    with pytest.raises(TypeError):
        bench.Row.from_dict({"op": "sum", "size": 1, "lib": "x", "dtype": "f", "colour": 1})
    back = bench.load(bench.save(bench.Results([row]), tmp_path / "r.json"))
    assert isinstance(back[0], bench.Row) and back[0].others_load == 0.5
    # An older file without the newest keys still loads as rows; other row shapes stay dicts.
    old = {k: v for k, v in dict(row).items() if k not in ("limit_level", "others_load")}
    (tmp_path / "old.json").write_text(json.dumps({"rows": [old, {"op": "x", "speedup": 2}]}))
    loaded = bench.load(tmp_path / "old.json")
    assert isinstance(loaded[0], bench.Row) and loaded[0].limit_level is None
    assert loaded[1] == {"op": "x", "speedup": 2}


def test_import_corepy_loads_neither_the_lab_nor_matplotlib():
    code = (
        "import sys, corepy as cp\n"
        "assert 'matplotlib' not in sys.modules\n"
        "assert not any(m.startswith(('corepy.lab', 'corepy.bench')) for m in sys.modules)\n"
        "cp.bench.compare\n"
        "assert 'corepy.lab.harness' in sys.modules and 'matplotlib' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lab_modules_import_no_private_names_from_each_other():
    import ast
    import pathlib

    import corepy.lab

    for path in pathlib.Path(corepy.lab.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private or private == ["__all__"], (path.name, private)
