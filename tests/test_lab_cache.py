"""cp.lab.cache_profile: the cachegrind parser (no valgrind needed), real runs under valgrind
(skipped, saying so, where valgrind is missing), repeatability, the error without valgrind, and
the cache section of ``python -m corepy.report --cache``.

The real runs share module-scoped fixtures: each valgrind start-up costs several seconds."""

from __future__ import annotations

import json
import shutil
import textwrap

import numpy as np
import pytest

import corepy as cp
from corepy import lab
from corepy.lab import cachesim

needs_valgrind = pytest.mark.skipif(
    not lab.has_valgrind(),
    reason="valgrind is not installed (apt-get install valgrind, or make cache-deps): "
    "no cache simulation",
)

N = 100_000  # float32 elements: 400 KB, 6,250 cache lines of 64 B
SETUP = f"""
rng = np.random.default_rng(0)
xn = rng.random({N}, dtype=np.float32)
x = cp.Tensor(xn)
"""

# --------------------------------------------------------------------------------------------
# The parser, on a synthetic file
# --------------------------------------------------------------------------------------------

SUM = "void corepy_avx2::sum<float>(void const*, unsigned long, void*)"
SYNTHETIC = f"""\
desc: I1 cache:         32768 B, 64 B, 8-way associative
desc: D1 cache:         32768 B, 64 B, 8-way associative
desc: LL cache:         268435456 B, 64 B, direct-mapped
cmd: python bench.py
events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
fl=/src/cpp/kernels/kernels-inl.h
fn={SUM}
10 100 1 1 40 20 2 4 1 0
11 50 0 0 10 5 0 6 2 1
fl=/src/cpp/kernels/isa_avx2.cpp
fn={SUM}
3 10 0 0 10 0 0
fl=/rustc/abc/library/core/src/ptr/mod.rs
fn=core::ptr::drop_in_place<corepy::tensor::Tensor>
5 7 1 0 2

fl=/src/src/kernels/reduce.rs
fn=corepy::kernels::reduce::sum_into
20 30 0 0 5 1 0 5 0 0
fl=???
fn=_PyEval_EvalFrameDefault
1 1000 10 1 300 30 3 100 10 1
summary: 1197 12 2 367 56 5 115 13 2
"""


def test_parse_sums_each_function_over_files_and_lines():
    cg = lab.parse_cachegrind(SYNTHETIC)
    assert cg.events == list(lab.EVENTS)
    assert cg.cmd == "python bench.py"
    # Two files and three rows; the short row's missing counts are zeros.
    assert cg.functions[SUM] == [160, 1, 1, 60, 25, 2, 10, 3, 1]
    assert cg.files[SUM] == ["/src/cpp/kernels/kernels-inl.h", "/src/cpp/kernels/isa_avx2.cpp"]
    assert cg.functions["core::ptr::drop_in_place<corepy::tensor::Tensor>"] == [
        7, 1, 0, 2, 0, 0, 0, 0, 0
    ]  # fmt: skip
    assert cg.summary == [1197, 12, 2, 367, 56, 5, 115, 13, 2]
    # The summary line agrees with the column sums.
    assert [sum(c[i] for c in cg.functions.values()) for i in range(9)] == cg.summary
    assert cg.caches() == {
        "I1": {"size": 32768, "assoc": 8, "line": 64},
        "D1": {"size": 32768, "assoc": 8, "line": 64},
        "LL": {"size": 268435456, "assoc": 1, "line": 64},
    }


def test_parse_takes_irregular_rows():
    # Extra fields beyond the events are ignored; runs of spaces or tabs still separate fields
    # (the fast path assumes single spaces and falls back to splitting each row).
    extra = SYNTHETIC.replace("3 10 0 0 10 0 0\n", "3 10 0 0 10 0 0 0 0 0 99 99\n")
    assert lab.parse_cachegrind(extra).functions == lab.parse_cachegrind(SYNTHETIC).functions
    spaced = SYNTHETIC.replace("11 50 0 0", "11  50\t0 0")
    assert lab.parse_cachegrind(spaced).functions == lab.parse_cachegrind(SYNTHETIC).functions
    # Many rows of many functions: the per-function sums equal a plain Python sum.
    rng = np.random.default_rng(1)
    lines, want = ["events: Ir Dr Dw"], {}
    for k in range(2000):
        name = f"f{rng.integers(50)}"
        lines.append(f"fn={name}")
        row = [int(v) for v in rng.integers(0, 10**12, rng.integers(1, 4))]
        lines.append(" ".join(map(str, [k, *row])))
        acc = want.setdefault(name, [0, 0, 0])
        for i, v in enumerate(row):
            acc[i] += v
    assert lab.parse_cachegrind("\n".join(lines) + "\n").functions == want


def test_parse_reads_a_path(tmp_path):
    path = tmp_path / "cachegrind.out.123"
    path.write_text(SYNTHETIC)
    assert lab.parse_cachegrind(path).functions == lab.parse_cachegrind(str(path)).functions


def test_parse_takes_a_command_line_with_newlines():
    cmd = "python -c import os\n1 + 2\nos.getpid(): 1"
    cg = lab.parse_cachegrind(SYNTHETIC.replace("cmd: python bench.py", f"cmd: {cmd}"))
    assert cg.cmd == cmd
    assert cg.functions == lab.parse_cachegrind(SYNTHETIC).functions


def test_parse_rejects_what_is_not_cachegrind():
    with pytest.raises(ValueError, match="events"):
        lab.parse_cachegrind("desc: x\ncmd: y\n")
    with pytest.raises(ValueError, match="fn="):
        lab.parse_cachegrind("events: Ir Dr\n1 2 3\n")


def test_profile_rows_rates_and_kernels():
    cg = lab.parse_cachegrind(SYNTHETIC)
    prof = lab.CacheProfile("synthetic", "cp.sum(x)", cg)
    # Most data reads first.
    assert [f["name"] for f in prof.functions] == [
        "_PyEval_EvalFrameDefault",
        SUM,
        "corepy::kernels::reduce::sum_into",
        "core::ptr::drop_in_place<corepy::tensor::Tensor>",
    ]
    # corepy's own: its C++ kernels and its Rust crate, not generic code instantiated for it.
    assert [(k["short"], k["layer"], k["isa"]) for k in prof.kernels] == [
        ("corepy_avx2::sum<float>", "C++", "avx2"),
        ("corepy::kernels::reduce::sum_into", "Rust", None),
    ]
    k = prof.kernel("sum<float>")
    assert k["Dr"] == 60 and k["D1mr"] == 25 and k["DLmw"] == 1
    assert k["d1_read_miss_rate"] == pytest.approx(25 / 60)
    assert k["d1_write_miss_rate"] == pytest.approx(3 / 10)
    assert k["ll_read_miss_rate"] == pytest.approx(2 / 60)
    assert k["ll_write_miss_rate"] == pytest.approx(1 / 10)
    assert k["d1_miss_rate"] == pytest.approx(28 / 70)
    drop = prof.find("drop_in_place")[0]
    assert drop["d1_write_miss_rate"] is None  # no writes: no rate, not 0
    assert prof.totals["Dr"] == 367 and prof.totals["d1_read_miss_rate"] == pytest.approx(56 / 367)
    assert prof.kernel_totals["Dr"] == 65 and prof.kernel_totals["D1mr"] == 26
    assert prof.caches["D1"]["size"] == 32768
    text = prof.table()
    assert "* corepy_avx2::sum<float>" in text and "workload total" in text
    assert "<table>" in prof._repr_html_()
    d = json.loads(json.dumps(prof.to_dict()))
    assert d["kernel_totals"]["Dr"] == 65 and len(d["functions"]) == 4


def test_diff_is_per_function_and_drops_unchanged():
    before = lab.parse_cachegrind(SYNTHETIC)
    after_text = SYNTHETIC.replace("11 50 0 0 10 5 0 6 2 1", "11 150 0 0 110 55 0 6 2 1")
    after_text = after_text.replace("summary: 1197 12 2 367", "summary: 1297 12 2 467")
    after_text = after_text.replace("467 56 5", "467 106 5")
    d = lab.diff_cachegrind(lab.parse_cachegrind(after_text), before)
    assert d.functions == {SUM: [100, 0, 0, 100, 50, 0, 0, 0, 0]}
    assert d.summary == [100, 0, 0, 100, 50, 0, 0, 0, 0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (SUM, ("C++", "avx2")),
        ("float corepy_scalar::pairwise<float, false>(float const*) [clone .isra.0]",
         ("C++", "scalar")),
        ("corepy_kernels_avx512", ("C++", "avx512")),
        ("corepy::gemm::driver::run", ("Rust", None)),
        ("<corepy::tensor::storage::Storage as core::ops::drop::Drop>::drop", ("Rust", None)),
        ("core::ptr::drop_in_place<corepy::tensor::Tensor>", (None, None)),
        ("corepy::fork::parent", (None, None)),
        ("corepy::parallel::fork_prepare", (None, None)),
        ("<corepy::python::sampler::fork_prepare::Held as corepy::fork::Held>::in_child",
         (None, None)),
        ("rayon_core::join::join_context<corepy::x>", (None, None)),
        ("_PyEval_EvalFrameDefault", (None, None)),
        ("???", (None, None)),
    ],
)  # fmt: skip
def test_classify(name, expected):
    assert lab.classify(name) == expected


def test_short_names():
    assert lab.short_name(SUM) == "corepy_avx2::sum<float>"
    assert (
        lab.short_name("float corepy_avx2::pairwise<float, false>(float const*) [clone .isra.0]")
        == "corepy_avx2::pairwise<float, false>"
    )
    assert lab.short_name("corepy::parallel::map_tasks") == "corepy::parallel::map_tasks"


def test_cache_geometry_arguments():
    assert cachesim._cache_args(None) == []
    assert cachesim._cache_args({"D1": (32768, 8, 64), "ll": "1048576,16,64"}) == [
        "--D1=32768,8,64",
        "--LL=1048576,16,64",
    ]
    with pytest.raises(ValueError, match="L2"):
        cachesim._cache_args({"L2": (1 << 20, 16, 64)})
    with pytest.raises(ValueError, match="size_bytes"):
        cachesim._cache_args({"D1": (32768, 8)})


# --------------------------------------------------------------------------------------------
# Arguments, callables and the error without valgrind (no valgrind run)
# --------------------------------------------------------------------------------------------


def test_without_valgrind_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(cachesim.shutil, "which", lambda name: None)
    assert not lab.has_valgrind() and lab.valgrind_version() is None
    with pytest.raises(RuntimeError, match="apt-get install valgrind"):
        lab.cache_profile("cp.sum(x)", setup=SETUP)


def test_bad_arguments_are_rejected_before_running():
    with pytest.raises(ValueError, match="AVX-512"):
        lab.cache_profile("pass", isa="avx512")
    with pytest.raises(ValueError, match="isa"):
        lab.cache_profile("pass", isa="sse9")
    with pytest.raises(ValueError, match="threads"):
        lab.cache_profile("pass", threads=0)
    with pytest.raises(ValueError, match="setup"):
        lab.cache_profile("pass", setup="x = (")
    with pytest.raises(TypeError, match="lambda"):
        lab.cache_profile(lambda: None)


def module_level_workload():
    return cp.sum(np.ones(10, np.float32))


def test_callables_become_code():
    # Importable by name: imported in the subprocess.
    setup, call = cachesim._callable_code(module_level_workload, 0)
    assert setup == f"import {__name__} as _corepy_lab_mod0\n"
    assert call == "_corepy_lab_mod0.module_level_workload()\n"

    # Anything else is re-created from its source (it may use np, cp and what setup defines).
    def local_workload():
        cp.dot(x, x)  # noqa: F821 (x comes from setup)

    setup, call = cachesim._callable_code(local_workload, 1)
    assert setup.startswith("def local_workload():") and call == "local_workload()\n"

    y = 1

    def closure():
        return y

    with pytest.raises(TypeError, match="enclosing function"):
        cachesim._callable_code(closure, 2)


# --------------------------------------------------------------------------------------------
# The runner's error paths, run natively by a stand-in for valgrind (a second, not ten)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def fake_valgrind(tmp_path, monkeypatch):
    """A "valgrind" that drops its options and runs the program natively. It writes no
    cachegrind files, so only runs that fail before the counts are read mean anything."""
    exe = tmp_path / "valgrind"
    exe.write_text('#!/bin/sh\nwhile [ "${1#--}" != "$1" ]; do shift; done\nexec "$@"\n')
    exe.chmod(0o755)
    which = shutil.which
    monkeypatch.setattr(
        cachesim.shutil, "which", lambda name: str(exe) if name == "valgrind" else which(name)
    )


def test_a_failing_workload_reports_its_traceback(fake_valgrind):
    with pytest.raises(RuntimeError, match=r"workload 'bad' raised:(.|\n)*ZeroDivisionError"):
        lab.cache_profiles({"ok": "cp.sum(x)", "bad": "1 / 0"}, setup="x = np.ones(8)")
    with pytest.raises(RuntimeError, match=r"setup failed(.|\n)*NameError"):
        lab.cache_profile("pass", setup="undefined_name")


def test_the_subprocess_gets_the_environment_it_was_promised(fake_valgrind, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "8")
    probe = (
        "import os\n"
        "seen = {k: os.environ.get(k) for k in ('COREPY_ISA', 'COREPY_NUM_THREADS', "
        "'OPENBLAS_NUM_THREADS', 'PYTHONHASHSEED')}\n"
        "seen['tune_file_exists'] = os.path.exists(os.environ['COREPY_TUNE_FILE'])\n"
        "seen['isa'] = cp.get_isa(); seen['threads'] = cp.get_num_threads()\n"
        "raise RuntimeError(f'SEEN={seen!r}')\n"
    )
    with pytest.raises(RuntimeError, match="SEEN=") as e:
        lab.cache_profile(probe, isa="scalar", threads=2, label="probe")
    seen = eval(str(e.value).rsplit("SEEN=", 1)[1].splitlines()[0])
    assert seen == {
        "COREPY_ISA": "scalar",
        "COREPY_NUM_THREADS": "2",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "tune_file_exists": False,
        "isa": "scalar",
        "threads": 2,
    }


# --------------------------------------------------------------------------------------------
# Real runs under valgrind
# --------------------------------------------------------------------------------------------


LABELS = ("sum", "sum again", "strided", "function")


def _run() -> lab.CacheProfiles:
    if not lab.has_valgrind():
        pytest.skip("valgrind is not installed (apt-get install valgrind): no cache simulation")

    def dot_workload():  # a function: re-created in the subprocess from its source
        cp.dot(x, x)  # noqa: F821 (x comes from SETUP)

    workloads = ["cp.sum(x)", "cp.sum(x)", "cp.sum(xn[::16])", dot_workload]
    return lab.cache_profiles(dict(zip(LABELS, workloads, strict=True)), setup=SETUP)


@pytest.fixture(scope="module")
def runs():
    """One valgrind run: the same sum twice, a strided sum, and a function."""
    return _run()


@pytest.fixture(scope="module")
def second_run():
    """The same run again, in another valgrind process."""
    return _run()


def _main_kernel(prof: lab.CacheProfile) -> dict:
    k = prof.kernels[0]
    assert k["layer"] == "C++", prof.table()
    return k


@needs_valgrind
def test_sum_finds_the_corepy_kernel(runs):
    prof = runs["sum"]
    assert prof.kernel_isa == "avx2" and prof.isa == "avx2"
    k = _main_kernel(prof)
    assert k["isa"] == "avx2" and k["corepy"]
    assert k["Dr"] >= N // 8  # at least one read per 8 float32 (a 256-bit load)
    lines = N * 4 // 64
    # No prefetcher in the model: a streaming read misses once per line, and only then.
    assert lines <= k["D1mr"] <= lines * 1.02, prof.table()
    assert k["d1_read_miss_rate"] == pytest.approx(k["D1mr"] / k["Dr"])
    # Start-up, imports and setup are not in the workload's counts: a sum of 1e5 is ~30k
    # instructions, an interpreter start-up hundreds of millions.
    assert k["Ir"] < prof.totals["Ir"] < 10 * k["Ir"]
    assert prof.caches["D1"]["line"] == 64
    assert set(runs.timings) >= {"startup", "imports", "setup", "workloads", "total"}
    assert "corepy_avx2::" in prof.table() and "corepy_avx2::" in runs.table()
    assert "corepy_avx2::" in runs._repr_html_()


@needs_valgrind
def test_a_strided_input_shows_the_gather_copy(runs):
    prof = runs["strided"]
    gather = prof.kernel("gather")
    assert gather is not None, prof.table()
    n = N // 16
    # One element per 64-byte line: every read misses.
    assert gather["Dr"] >= n and gather["D1mr"] >= n
    assert gather["d1_read_miss_rate"] > 0.9
    assert runs["sum"].kernel("gather") is None


@needs_valgrind
def test_a_function_runs_as_a_workload(runs):
    prof = runs["function"]
    assert prof.code == "dot_workload()\n"
    assert any(k["layer"] == "C++" and k["Dr"] >= N // 8 for k in prof.kernels), prof.table()


def _counts_of(k: dict) -> list:
    return [k["name"], *(k[e] for e in lab.EVENTS)]


ACCESSES = ("Ir", "Dr", "Dw")
MISSES = tuple(e for e in lab.EVENTS if e not in ACCESSES)


def _assert_repeats(first: lab.CacheProfile, again: lab.CacheProfile, label: str) -> None:
    """Same functions, instructions and accesses; misses within two lines.

    A workload starts right after D1 is flushed, but what the harness touches between the flush
    and the workload varies a little with its heap (a pymalloc pool or a stack line more or
    less), so a line that one fork finds in D1 the other may miss: seen once for a Rust glue
    write miss and once for a C++ kernel's (CI: pairwise sum, D1mw 13 vs 14).
    """
    a_rows, b_rows = first.kernels, again.kernels
    assert [k["name"] for k in a_rows] == [k["name"] for k in b_rows], label
    for a, b in zip(a_rows, b_rows, strict=True):
        assert [a[e] for e in ACCESSES] == [b[e] for e in ACCESSES], (label, a["name"])
        assert all(abs(a[e] - b[e]) <= 2 for e in MISSES), (label, _counts_of(a), _counts_of(b))


@needs_valgrind
def test_counts_repeat(runs, second_run):
    # The same workload twice in one run (two forks of the same process) ...
    _assert_repeats(runs["sum"], runs["sum again"], "sum")
    # ... and every workload across two runs. With address randomisation off (setarch -R) that
    # holds as is; with it on, addresses and so cache sets may move, so only the main kernel's
    # D1 read misses are held to two lines.
    for label in LABELS:
        if second_run.aslr_disabled:
            _assert_repeats(runs[label], second_run[label], label)
        else:
            first, again = runs[label].kernels, second_run[label].kernels
            accesses = [[k["name"], *(k[e] for e in ACCESSES)] for k in first]
            assert accesses == [[k["name"], *(k[e] for e in ACCESSES)] for k in again], label
            assert abs(first[0]["D1mr"] - again[0]["D1mr"]) <= 2, label  # the main kernel


# --------------------------------------------------------------------------------------------
# python -m corepy.report --cache
# --------------------------------------------------------------------------------------------


def test_report_cache_section(quick_report):
    out, printed = quick_report  # conftest.py: one quick --cache run, shared with test_report
    data = json.loads((out / "results.json").read_text())
    assert data["settings"]["cache"] is True
    section = data["cache"]
    page = (out / "index.html").read_text()
    assert "<h2>Cache efficiency</h2>" in page
    assert "hardware counters:" in printed
    counters = section["counters"]
    if counters["status"] != "available":
        assert counters["status"].startswith("unavailable \u2014 ")
        assert counters["status"] in page and counters["status"] in printed
    else:
        assert counters["rows"] and counters["rows"][0]["instructions"] > 0
    if not lab.has_valgrind():
        assert "valgrind is not installed" in section["note"]
        return
    assert section["note"] is None, section["note"]
    workloads = {r["workload"] for r in section["rows"]}
    assert workloads == set(section["workloads"]), textwrap.shorten(str(section["rows"]), 500)
    sums = [r for r in section["rows"] if r["workload"].startswith("sum n=")]
    assert sums and sums[0]["layer"] == "C++" and sums[0]["Dr"] > 0
    assert any("gather" in r["kernel"] for r in section["rows"])
    assert "corepy_avx2::" in page and "corepy_avx2::" in printed
