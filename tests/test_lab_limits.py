"""The lab's judgement of results, without timing: the cache-aware ceiling each point is held
against (synthetic machines), the per-level measurement's shape, and the regression gate on
synthetic result files (python -m corepy.report --baseline)."""

import json
import math

import pytest

import corepy as cp
from corepy import bench, report

# A synthetic machine: per-level read/add bandwidth for 1 and 2 threads (keys as JSON leaves
# them: strings), DRAM from the STREAM arrays.
MACHINE = {
    "bandwidth_gbps": {"read": {"1": 20.0, "2": 30.0}, "add": {"1": 15.0, "2": 25.0}},
    "peak_gflops": {"1": 100.0, "2": 200.0},
    "levels": {
        "L1": {"bytes": 32 << 10, "bandwidth_gbps": {"read": {"1": 200.0, "2": 400.0}}},
        "L2": {"bytes": 512 << 10, "bandwidth_gbps": {"read": {"1": 100.0}, "add": {"1": 90.0}}},
        "L3": {"bytes": 32 << 20, "bandwidth_gbps": {"read": {"1": 50.0}, "add": {"1": 45.0}}},
        "DRAM": {"bytes": None, "bandwidth_gbps": {"read": {"1": 20.0}}},
    },
}


@pytest.mark.parametrize(
    ("nbytes", "threads", "expected"),
    [
        (16 << 10, 1, (200.0, "L1")),
        (32 << 10, 2, (400.0, "L1")),  # exactly the level's size still fits
        ((32 << 10) + 1, 1, (100.0, "L2")),
        (4 << 20, 1, (50.0, "L3")),
        (4 << 20, 2, (50.0, "L3")),  # nearest measured thread count below
        (100 << 20, 1, (20.0, "DRAM")),
        (100 << 20, 2, (30.0, "DRAM")),
        (None, 1, (20.0, "DRAM")),
    ],
)
def test_ceiling_of_the_level_the_working_set_fits_in(nbytes, threads, expected):
    assert bench.bandwidth_ceiling("read", threads, MACHINE, nbytes) == expected


def test_ceiling_falls_back_to_dram():
    # a level that did not measure the pattern: DRAM, not a smaller level's figure
    assert bench.bandwidth_ceiling("add", 1, MACHINE, 1 << 10) == (15.0, "DRAM")
    assert bench.bandwidth_ceiling("add", 1, MACHINE, 1 << 18) == (90.0, "L2")
    no_levels = {k: v for k, v in MACHINE.items() if k != "levels"}
    assert bench.bandwidth_ceiling("read", 1, no_levels, 1 << 10) == (20.0, "DRAM")
    bw, level = bench.bandwidth_ceiling("triad", 1, no_levels, 1 << 10)
    assert math.isnan(bw) and level == "DRAM"


def test_limit_level_by_op_kind():
    assert bench.limit_level("sum", "float32", 1, MACHINE, 8 << 10) == (200.0, "GB/s", "L1")
    assert bench.limit_level("add", "float32", 1, MACHINE, 200 << 10) == (90.0, "GB/s", "L2")
    limit, unit, level = bench.limit_level("matmul", "float32", 1, MACHINE, 8 << 10)
    assert (limit, unit, level) == (100.0, "GFLOP/s", "peak")


def test_an_in_cache_point_is_judged_against_its_level_not_dram():
    # 24 KB summed at 150 GB/s: 750% of DRAM's 20 GB/s, 75% of L1's 200 GB/s.
    nbytes = 24 << 10
    limit, _, level = bench.limit_level("sum", "float32", 1, MACHINE, nbytes)
    assert level == "L1" and 100.0 * 150.0 / limit == pytest.approx(75.0)


def _row(op, size, lib="corepy", med=1e-3, q1=None, q3=None, **extra):
    row = {
        "op": op,
        "size": size,
        "lib": lib,
        "dtype": "float32",
        "threads": 1,
        "median_s": med,
        "q1_s": med if q1 is None else q1,
        "q3_s": med if q3 is None else q3,
        "agrees": True,
        "bound": "memory",
        "gbps": 10.0,
        "pct_of_peak": 75.0,
        "limit_level": "L1",
    }
    row.update(extra)
    return row


def test_report_names_the_level_in_the_limit_column():
    rows = [_row("add", 1000), _row("add", 10**7, limit_level="DRAM", pct_of_peak=80.0)]
    table = report.op_table(rows, "add", ["corepy"])
    col = table["head"].index("corepy % of limit")
    assert [r[col]["text"] for r in table["rows"]] == ["75 (L1)", "80 (DRAM)"]


def test_machine_measures_each_level():
    m = cp.machine(array_mb=1, repeats=1, cache_bytes={"L1": 32 << 10, "L2": 256 << 10})
    assert list(m["levels"]) == ["L1", "L2", "DRAM"]
    for name in ("L1", "L2"):
        lv = m["levels"][name]
        assert lv["working_set_bytes"] == lv["bytes"] // 2
        assert set(lv["bandwidth_gbps"]) == {"add", "read"}
        assert all(v > 0 for per in lv["bandwidth_gbps"].values() for v in per.values())
    assert m["levels"]["DRAM"]["bandwidth_gbps"] == m["bandwidth_gbps"]
    assert "levels" not in cp.machine(array_mb=1, repeats=1, levels=False)
    with pytest.raises(ValueError, match="positive"):
        cp.machine(array_mb=1, repeats=1, cache_bytes={"L1": 0})


def test_cache_sizes_from_the_cpu_description(tmp_path):
    for i, (level, kind, size) in enumerate(
        [
            (1, "Data", "48K"),
            (1, "Instruction", "32K"),
            (2, "Unified", "2048K"),
            (3, "Unified", "32M"),
        ]
    ):
        d = tmp_path / f"index{i}"
        d.mkdir()
        (d / "level").write_text(f"{level}\n")
        (d / "type").write_text(f"{kind}\n")
        (d / "size").write_text(f"{size}\n")
    assert cp._machine.cache_sizes(str(tmp_path)) == {
        "L1": 48 << 10,
        "L2": 2 << 20,
        "L3": 32 << 20,
    }
    assert cp._machine.cache_sizes(str(tmp_path / "missing")) == {}


# --------------------------------------------------------------------------- regression gate


def _runs(slow_factor, spread):
    """A baseline and a run whose add at n=1000 takes `slow_factor` times as long; each point's
    quartiles are +-`spread` around its median."""
    base, new = [], []
    for op, n, med in [("add", 1000, 1e-6), ("add", 10**6, 1e-4), ("sum", 1000, 2e-6)]:
        base.append(_row(op, n, med=med, q1=med * (1 - spread), q3=med * (1 + spread)))
        m2 = med * (slow_factor if (op, n) == ("add", 1000) else 1.0)
        new.append(_row(op, n, med=m2, q1=m2 * (1 - spread), q3=m2 * (1 + spread)))
    return base, new


def test_gate_flags_a_slowdown_beyond_threshold_and_noise():
    base, new = _runs(1.5, 0.02)
    cmp = bench.compare_runs(base, new, threshold="10%")
    assert not cmp.ok
    (reg,) = cmp.regressions
    assert (reg["op"], reg["size"]) == ("add", 1000)
    assert reg["change"] == pytest.approx(0.5)
    assert {r["verdict"] for r in cmp if r is not reg} == {"within noise"}
    assert "regression" in cmp.table() and "+50.0%" in cmp.table()


def test_gate_ignores_a_slowdown_within_the_runs_spread():
    # 15% slower, beyond 10%, but each run's quartiles are +-20%: within noise
    base, new = _runs(1.15, 0.20)
    cmp = bench.compare_runs(base, new, threshold=0.10)
    assert cmp.ok and {r["verdict"] for r in cmp} == {"within noise"}


def test_gate_ignores_a_slowdown_under_the_threshold():
    base, new = _runs(1.05, 0.001)
    assert bench.compare_runs(base, new, threshold="10%").ok
    assert not bench.compare_runs(base, new, threshold="2%").ok


def test_gate_reports_improvements():
    base, new = _runs(0.5, 0.02)
    cmp = bench.compare_runs(base, new, threshold="10%")
    assert cmp.ok
    assert [r["verdict"] for r in cmp if r["op"] == "add" and r["size"] == 1000] == ["improvement"]


def test_compare_runs_without_threshold_is_unchanged():
    base, new = _runs(1.5, 0.02)
    cmp = bench.compare_runs(base, new)
    assert cmp.ok and "verdict" not in cmp[0] and cmp.regressions == []


@pytest.mark.parametrize(
    ("text", "value"), [("10%", 0.10), ("10", 0.10), (10, 0.10), (0.1, 0.1), ("2.5%", 0.025)]
)
def test_parse_threshold(text, value):
    assert bench.parse_threshold(text) == pytest.approx(value)


@pytest.mark.parametrize("bad", ["ten", "-5%", "nan"])
def test_parse_threshold_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="threshold"):
        bench.parse_threshold(bad)


def _save(path, rows):
    path.write_text(json.dumps({"format": bench.FORMAT, "results": rows}))
    return str(path)


def test_report_cli_exits_nonzero_on_a_regression(tmp_path, capsys):
    base, slow = _runs(1.5, 0.02)
    _, noisy = _runs(1.15, 0.20)
    b = _save(tmp_path / "base.json", base)
    assert report.main(["--baseline", b, "--results", _save(tmp_path / "s.json", slow)]) == 2
    captured = capsys.readouterr()
    assert "REGRESSION" in captured.err and "add n=1000 +50%" in captured.err
    base_noisy, _ = _runs(1.0, 0.20)
    b2 = _save(tmp_path / "base2.json", base_noisy)
    assert report.main(["--baseline", b2, "--results", _save(tmp_path / "n.json", noisy)]) == 0
    assert "no regression" in capsys.readouterr().out
    # a looser threshold lets the 50% slowdown through
    args = ["--baseline", b, "--results", str(tmp_path / "s.json"), "--threshold", "60%"]
    assert report.main(args) == 0
    with pytest.raises(SystemExit):
        report.main(["--results", str(tmp_path / "s.json")])  # --results needs --baseline
