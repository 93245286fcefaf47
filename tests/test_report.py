"""`python -m corepy.report` (the main job) runs end to end and writes its files."""

from __future__ import annotations

import json

import numpy as np

import corepy.report as report


def test_report_quick_run(tmp_path, capsys):
    out = tmp_path / "report"
    assert report.main(["--out", str(out), "--quick", "--budget", "0.005"]) == 0
    printed = capsys.readouterr().out
    assert "ratio" in printed
    assert "MISMATCH" not in printed

    data = json.loads((out / "results.json").read_text())
    assert {"generated", "machine", "settings", "results"} <= set(data)
    machine = data["machine"]
    assert machine["corepy_config"]["kernel_isa"] == machine["corepy_config"]["isa"]
    assert isinstance(machine["cpu_features"], dict)
    ops = {r["op"] for r in data["results"]}
    assert ops == {"sum", "add", "dot", "matmul"}
    for r in data["results"]:
        assert r["agree"] is True, r
        assert r["corepy_s"] > 0
        assert r["numpy_s"] > 0
        assert abs(r["ratio"] - r["numpy_s"] / r["corepy_s"]) < 1e-9 * r["ratio"]
        assert r["samples"] >= report.MIN_SAMPLES

    page = (out / "index.html").read_text()
    assert page.startswith("<!doctype html>")
    assert page.count("<tr>") >= len(data["results"]) + 1


def test_full_case_list_matches_the_plan():
    cases = report.build_cases(quick=False)
    sizes = {(c.op, c.size) for c in cases}
    assert sizes == {
        ("sum", 10**3),
        ("sum", 10**5),
        ("sum", 10**6),
        ("sum", 10**7),
        ("add", 10**3),
        ("add", 10**6),
        ("add", 10**7),
        ("dot", 10**5),
        ("dot", 10**6),
        ("matmul", 64),
        ("matmul", 128),
        ("matmul", 256),
    }
    assert all(c.dtype == "float32" for c in cases)


def test_compare_detects_disagreement():
    assert report.compare(np.ones(3), np.ones(3), 1e-6, 0.0) == (True, 0.0)
    agree, diff = report.compare(np.ones(3), np.array([1.0, 1.0, 1.5]), 1e-6, 0.0)
    assert agree is False
    assert diff == 0.5
    assert report.compare(np.ones(3), np.ones(4), 1e-6, 0.0)[0] is False
    assert report.compare(2.0, 2.0 + 1e-9, 1e-6, 0.0)[0] is True
