"""`python -m corepy.report` (the main job) runs end to end and writes its files."""

from __future__ import annotations

import json

import pytest

import corepy.report as report
from corepy import bench
from corepy.lab import catalogue, harness

# `quick_report` (conftest.py): one quick `--cache` run, shared with test_lab_cache.py.


def test_report_quick_run(quick_report):
    out, printed = quick_report
    assert "numpy / corepy" in printed  # the ratio tables
    assert "MISMATCH" not in printed
    assert "Wrote" in printed

    data = json.loads((out / "results.json").read_text())
    assert {"generated", "machine", "settings", "notes", "results", "ratios"} <= set(data)
    machine = data["machine"]
    assert machine["corepy_config"]["kernel_isa"] == machine["corepy_config"]["isa"]
    assert isinstance(machine["cpu_features"], dict)
    assert {"bandwidth_gbps", "peak_gflops", "cpu_model", "versions"} <= set(machine)
    assert machine["versions"]["numpy"]
    plan = report.suite(quick=True)
    assert {r["op"] for r in data["results"]} == set(plan)
    assert {"corepy", "numpy"} <= {r["lib"] for r in data["results"]}
    for r in data["results"]:
        assert r["agrees"] is True, r
        assert r["median_s"] > 0
        assert r["size"] in plan[r["op"]]
    if harness.torch_module() is None:
        assert any("torch is not installed" in n for n in data["notes"])

    page = (out / "index.html").read_text()
    assert page.startswith("<!doctype html>")
    assert "<h2>Machine</h2>" in page and "<h2>Flamegraph</h2>" in page
    for op in plan:
        assert f"<h3>{op}</h3>" in page
    # The flamegraph's samples in speedscope's format, next to the SVG and linked from the page.
    scope = json.loads((out / "flamegraph.speedscope.json").read_text())
    assert scope["$schema"] == "https://www.speedscope.app/file-format-schema.json"
    assert scope["profiles"] and scope["shared"]["frames"]
    assert "href='flamegraph.speedscope.json'" in page

    # results.json reads back as bench results (so two reports can be compared)
    back = bench.load(out / "results.json")
    assert len(back) == len(data["results"])
    assert len(bench.compare_runs(back, back)) == len(back)


def test_report_plots_are_svg_files_embedded_in_the_page(quick_report):
    pytest.importorskip("matplotlib", reason="matplotlib is not installed: the report has no plots")
    out, _ = quick_report
    svgs = sorted(p.name for p in out.glob("*.svg"))
    assert "roofline.svg" in svgs and "speedup_numpy.svg" in svgs
    assert "throughput_matmul.svg" in svgs
    page = (out / "index.html").read_text()
    assert page.count("<svg") >= len([s for s in svgs if s != "flamegraph.svg"])
    assert "<?xml" not in page  # inlined without their prologs


def test_full_plan():
    quick, normal, full = report.suite(quick=True), report.suite(), report.suite(full=True)
    ops = {"sum", "mean", "add", "add_out", "mul", "all", "any", "dot", "matmul"}
    ops |= {"exp", "log", "sin", "tanh", "sqrt", "maximum"}  # the element-wise math section
    ops |= {"max", "argmax", "std", "var", "cumulative_sum", "sort", "argsort"}  # reductions
    ops |= {"sum_axis0", "sum_axis1", "max_axis0", "max_axis1"}  # along the axes of a matrix
    assert set(quick) == set(normal) == set(full) == ops
    assert normal["sum_axis0"] == [256, 1024, 4096] and normal["sort"] == [10**5, 10**6]
    assert normal["exp"] == [10**5, 10**7] and max(quick["exp"]) <= 10**5
    assert normal["sum"] == [10**3, 10**4, 10**5, 10**6, 10**7]
    assert full["sum"][-1] == 10**8 and max(quick["sum"]) <= 10**5
    assert normal["matmul"] == [64, 128, 256, 512, 1024]
    assert quick["matmul"] == [64, 128, 256]
    # One definition of each size list: the report's are the lab catalogue's.
    assert quick["matmul"] == bench.default_sizes("matmul", quick=True)
    assert quick["sum"] == bench.default_sizes("sum", quick=True)
    assert quick["sum_axis0"] == bench.default_sizes("sum_axis0", quick=True)
    assert normal["exp"] == list(catalogue.MATH_SIZES.normal)


def test_op_table_ratios():
    rows = [
        {
            "op": "add",
            "size": 1000,
            "lib": lib,
            "median_s": t,
            "bound": "memory",
            "gbps": 1.0,
            "gflops": 0.1,
            "pct_of_peak": 50.0,
            "agrees": True,
        }  # fmt: skip
        for lib, t in (("corepy", 1e-6), ("numpy", 2e-6))
    ]
    table = report.op_table(rows, "add", ["corepy", "numpy"])
    assert table["head"][-2] == "numpy / corepy"
    ratio = table["rows"][0][-2]
    assert ratio["text"] == "2.00x" and ratio["class"] == "faster"
    assert report.geomean_ratios(rows, "numpy") == {"add": 2.0}
