"""corepy.profile(): exact counters for known op sequences, arenas, zero-copy rate, flamegraphs,
the SIGPROF hazards, and the GIL being released around large kernels."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import corepy as cp


def spin(seconds, fn):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        fn()


def test_exact_counts_for_ten_adds():
    n = 1000
    a, b = np.ones(n, np.float32), np.ones(n, np.float32)
    with cp.profile() as prof:
        for _ in range(10):
            cp.add(a, b)
    add = prof.ops["add"]
    assert add["calls"] == 10
    assert add["elements"] == 10 * n
    assert add["bytes_read"] == 10 * 2 * n * 4
    assert add["bytes_written"] == 10 * n * 4
    assert add["isa"] == cp.get_isa()
    assert add["parallel_calls"] == 0
    assert "sequential" in add["last_decision"]
    assert set(prof.ops) == {"add"}


def test_parallel_decision_is_reported():
    n = cp.config()["thresholds"]["elementwise"] * 2
    x = np.ones(n, np.float32)
    cp.set_num_threads(2)
    with cp.profile() as prof:
        cp.add(x, x)
    assert prof.ops["add"]["parallel_calls"] == 1
    assert prof.ops["add"]["last_decision"].startswith("parallel")


def test_reductions_use_the_arena():
    x = cp.Tensor(np.ones(1_000_000, np.float32))
    x.sum()  # warm: the first use on a thread may grow the arena
    with cp.profile() as prof:
        for _ in range(5):
            assert x.sum() == 1_000_000
            cp.dot(x, x)
    arena = prof.arena
    assert arena["hits"] >= 10
    assert arena["hit_rate"] == 1.0
    assert arena["bytes"] > 0


def test_elementwise_ops_read_strided_inputs_in_place():
    """Strided, negative-stride, transposed and broadcast views: the element-wise kernels read them
    where they are, so nothing is copied, nothing comes from the arena, and the allocator sees
    nothing the size of an input."""
    base = np.arange(2 * 4096, dtype=np.float32).reshape(64, 128)
    a, b = base[:, ::2], base[::-1, 1::2]  # strided and negative-stride views: 64 x 64
    row = np.broadcast_to(base[0, :64], (64, 64))  # zero stride
    out = cp.Tensor(np.empty((64, 64), np.float32))
    cp.add(a, b, out=out)  # warm the pool
    with cp.profile() as prof:
        cp.add(a, b, out=out)
        cp.multiply(a.T, row, out=out)
    np.testing.assert_array_equal(out.numpy(), a.T * row)
    for name in ("add", "multiply"):
        assert prof.ops[name]["copied_inputs"] == 0
        assert prof.ops[name]["zero_copy_inputs"] == 2
    assert prof.zero_copy_rate == 1.0
    assert prof.arena["bytes"] == 0
    assert prof.allocations["bytes"] < a.size * 4
    # Without out=, only the result is allocated.
    with cp.profile() as prof:
        r = cp.subtract(a, b)
    np.testing.assert_array_equal(r.numpy(), a - b)
    assert prof.ops["subtract"]["copied_inputs"] == 0
    assert prof.allocations["bytes"] < 2 * a.size * 4


def test_reductions_and_matmul_gather_strided_inputs_into_the_arena():
    base = np.arange(2 * 4096, dtype=np.float32).reshape(64, 128)
    a, b = base[:, ::2], base[::-1, 1::2]  # strided and negative-stride views: 64 x 64
    cp.sum(a)  # warm the arena
    cp.dot(a[0], b[0])
    with cp.profile() as prof:
        s = cp.sum(a)
        d = cp.dot(a[0], b[0])
    assert s == pytest.approx(float(a.sum(dtype=np.float64)), rel=1e-6)
    assert d == pytest.approx(float(np.dot(a[0].astype(np.float64), b[0])), rel=1e-6)
    assert prof.ops["sum"]["copied_inputs"] == 1
    assert prof.ops["dot"]["copied_inputs"] == 2
    # The three gathered copies (16 KiB + 2 x 256 B) come from the arena, so the allocator saw
    # nothing the size of a copy.
    assert prof.arena["bytes"] >= a.size * 4 + 2 * a.shape[1] * 4
    assert prof.arena["misses"] == 0
    assert prof.allocations["bytes"] < a.size * 4
    # matmul too: the allocator sees the result, not the two gathered operands. (One thread: a
    # pool worker's first GEMM would reserve that worker's own arena, a real one-time allocation.)
    threads = cp.get_num_threads()
    cp.set_num_threads(1)
    try:
        cp.matmul(a, b)
        with cp.profile() as prof:
            m = cp.matmul(a, b)
    finally:
        cp.set_num_threads(threads)
    np.testing.assert_allclose(m.numpy(), a @ b, rtol=1e-5)
    assert prof.ops["matmul"]["copied_inputs"] == 2
    assert prof.arena["bytes"] >= 2 * a.size * 4
    assert prof.allocations["bytes"] < 2 * a.size * 4
    # A copy bigger than the arena goes to the heap and counts as a miss.
    big = np.ones((cp.config()["arena_size"] // 4 + 64) * 2, np.float32)[::2]
    with cp.profile() as prof:
        assert cp.sum(big) == big.size
    assert prof.ops["sum"]["copied_inputs"] == 1
    assert prof.arena["misses"] >= 1
    assert prof.allocations["peak_bytes"] >= big.size * 4


def test_zero_copy_rate():
    a = np.ones((64, 64), np.float32)
    with cp.profile() as prof:
        cp.add(a, a)
        cp.sum(a)
    assert prof.zero_copy_rate == 1.0
    # Element-wise ops read strided views in place: still no copies.
    with cp.profile() as prof:
        cp.add(a[:, ::2], a[:, ::-2])
        cp.add(a.T, a)
    assert prof.zero_copy_rate == 1.0
    assert prof.ops["add"]["copied_inputs"] == 0
    # A reduction gathers a strided input: one copy.
    with cp.profile() as prof:
        cp.sum(a[:, ::2])
        cp.sum(a)
    assert prof.ops["sum"]["copied_inputs"] == 1


def test_each_input_is_counted_once():
    """An input is either used in place or copied, never both: a strided input that a reduction
    gathers counts as copied only, so the zero-copy rate of one gathered and one contiguous
    input is one half."""
    a = np.ones((64, 64), np.float32)
    with cp.profile() as prof:
        cp.sum(a[:, ::2])
        cp.sum(a)
        cp.dot(a[0], a[:, 0])  # one contiguous input, one strided
    assert prof.ops["sum"]["copied_inputs"] == 1
    assert prof.ops["sum"]["zero_copy_inputs"] == 1
    assert prof.ops["dot"]["copied_inputs"] == 1
    assert prof.ops["dot"]["zero_copy_inputs"] == 1
    assert prof.zero_copy_rate == 0.5


def test_op_names_are_the_standard_names():
    """The profiler records subtract/multiply/divide whichever spelling was called (the short
    names sub/mul/div are aliases, operators go through the same functions)."""
    x = np.ones(100, np.float32)
    t = cp.Tensor(x)
    with cp.profile() as prof:
        cp.sub(x, x)
        cp.subtract(x, x)
        t - t
        cp.mul(x, x)
        cp.multiply(x, x)
        t * t
        cp.div(x, x)
        cp.divide(x, x)
        t / t
        t + t
    assert set(prof.ops) == {"add", "subtract", "multiply", "divide"}
    for name in ("subtract", "multiply", "divide"):
        assert prof.ops[name]["calls"] == 3
    assert prof.ops["add"]["calls"] == 1


def test_allocations_are_counted_and_released():
    x = np.ones(1 << 16, np.float64)
    with cp.profile() as prof:
        out = cp.add(x, x)
    assert prof.allocations["count"] >= 1
    assert prof.allocations["bytes"] >= x.nbytes
    assert prof.allocations["peak_bytes"] >= x.nbytes
    del out
    with cp.profile() as prof2:
        pass
    assert prof2.allocations["count"] == 0


def test_ops_on_other_threads_are_counted():
    x = np.ones(100, np.float32)
    with cp.profile() as prof:
        ts = [threading.Thread(target=lambda: [cp.sum(x) for _ in range(50)]) for _ in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    assert prof.ops["sum"]["calls"] == 200


def test_nested_profiles_and_one_sampler_at_a_time():
    x = np.ones(10, np.float32)
    with cp.profile(flamegraph=True) as outer:
        with cp.profile() as inner:
            cp.sum(x)
        with pytest.raises(RuntimeError, match="already sampling"):
            with cp.profile(flamegraph=True):
                pass
        cp.sum(x)
    assert inner.ops["sum"]["calls"] == 1
    assert outer.ops["sum"]["calls"] == 2


def test_flamegraph_names_the_kernel(tmp_path):
    x = cp.Tensor(np.ones(4_000_000, np.float32))
    with cp.profile(flamegraph=True, name="sum test") as prof:
        spin(0.6, x.sum)
    path = prof.flamegraph(tmp_path / "sum.svg")
    svg = path.read_text()
    assert svg.startswith("<?xml") and "sum test" in svg
    assert "corepy_" in svg and "sum&lt;float&gt;" in svg
    assert path.stat().st_size < 500_000
    text = prof.collapsed(tmp_path / "sum.folded")
    assert any("sum<float>" in line for line in text.splitlines())
    html = prof._repr_html_()
    assert "<iframe" in html and "srcdoc=" in html


def test_flamegraph_without_samples_is_a_clear_error(tmp_path):
    with cp.profile(flamegraph=False) as prof:
        pass
    with pytest.raises(RuntimeError, match="no flamegraph"):
        prof.flamegraph(tmp_path / "x.svg")


def test_chrome_trace_and_to_dict(tmp_path):
    x = np.ones(100, np.float32)
    with cp.profile() as prof:
        for _ in range(3):
            cp.add(x, x)
        cp.dot(x, x)
    trace = json.loads(prof.chrome_trace(tmp_path / "t.json").read_text())
    assert [e["name"] for e in trace["traceEvents"]] == ["add", "add", "add", "dot"]
    assert all(e["ph"] == "X" and e["dur"] >= 0 for e in trace["traceEvents"])
    d = json.loads(json.dumps(prof.to_dict()))
    assert d["ops"]["add"]["calls"] == 3
    assert "add" in prof.summary()


def test_decorator_keeps_last_profile():
    @cp.profile()
    def work(x):
        return cp.sum(x) + cp.sum(x)

    assert work(np.ones(8, np.float32)) == 16
    assert work.last_profile.ops["sum"]["calls"] == 2


def test_host_sigprof_handler_is_restored():
    seen = []

    def handler(signum, frame):
        seen.append(signum)

    old = signal.signal(signal.SIGPROF, handler)
    try:
        with cp.profile(flamegraph=True):
            cp.sum(np.ones(10, np.float32))
        # A real signal reaches the host's handler only if the OS-level handler was restored.
        os.kill(os.getpid(), signal.SIGPROF)
        deadline = time.time() + 5
        while not seen and time.time() < deadline:
            time.sleep(0.001)
        assert seen == [signal.SIGPROF]
    finally:
        signal.signal(signal.SIGPROF, old)


def test_default_sigprof_is_left_ignored_not_default():
    # Under SIG_DFL a stray SIGPROF kills the process: after profiling it must be ignored.
    code = (
        "import os, signal, corepy as cp\n"
        "signal.signal(signal.SIGPROF, signal.SIG_DFL)\n"
        "with cp.profile(flamegraph=True):\n"
        "    cp.sum(cp.Tensor([1.0, 2.0]))\n"
        "os.kill(os.getpid(), signal.SIGPROF)\n"
        "print('alive')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "alive", out.stderr


def test_sampler_stress_200_cycles_while_kernels_run():
    cp.set_num_threads(2)
    x = cp.Tensor(np.ones(1 << 20, np.float32))
    stop = threading.Event()
    errors = []

    def worker():
        try:
            while not stop.is_set():
                assert x.sum() == float(1 << 20)
                cp.add(x, x)
        except Exception as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for _ in range(200):
            with cp.profile(flamegraph=True, hz=2000):
                time.sleep(0.001)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors
    assert not any(t.is_alive() for t in threads)
    assert signal.getsignal(signal.SIGPROF) in (signal.SIG_IGN, signal.SIG_DFL)


def test_cell_magic():
    ip_mod = pytest.importorskip("IPython.core.interactiveshell")
    shell = ip_mod.InteractiveShell.instance()
    shell.run_line_magic("load_ext", "corepy")
    shell.run_cell_magic(
        "corepy_profile", "", "import corepy, numpy\ncorepy.sum(numpy.ones(4, 'f'))"
    )
    assert shell.user_ns["_corepy_profile"].ops["sum"]["calls"] == 1


def test_gil_is_released_around_large_kernels():
    x = cp.Tensor(np.ones(1 << 24, np.float32))
    cp.set_num_threads(1)
    ticks = []
    stop = threading.Event()

    def counter():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0)

    t = threading.Thread(target=counter)
    t.start()
    time.sleep(0.01)
    before = len(ticks)
    for _ in range(20):
        x.sum()
    during = len(ticks) - before
    stop.set()
    t.join()
    assert during > 20


def _pmu_available():
    with cp.profile(counters=True) as prof:
        pass
    return prof.counters_unavailable is None


def test_counters_say_plainly_when_unavailable():
    with cp.profile(counters=True) as prof:
        cp.sum(np.ones(1000, np.float32))
    if prof.counters_unavailable is None:
        pytest.skip("this machine has a hardware PMU: the available path is tested instead")
    assert prof.counters is None
    assert "unavailable" in prof.summary()
    assert prof.to_dict()["counters"] is None
    # And a second session can open after the first (nothing was left open).
    with cp.profile(counters=True) as again:
        pass
    assert again.counters_unavailable == prof.counters_unavailable


def test_counters_count_when_a_pmu_exists():
    if not _pmu_available():
        pytest.skip("no hardware PMU on this machine (perf_event_open finds no hardware events)")
    x = cp.Tensor(np.ones(1 << 20, np.float32))
    with cp.profile(counters=True) as prof:
        for _ in range(10):
            x.sum()
    c = prof.counters
    assert c["instructions"] > (1 << 20) // 16 and c["cycles"] > 0
    assert c["ipc"] > 0


@pytest.mark.parametrize(
    ("algorithm", "scalar_rung"), [("naive", True), ("packed", True), ("simd", False)]
)
def test_profile_records_the_isa_that_ran_each_matmul_rung(algorithm, scalar_rung):
    a = np.ones((16, 16), np.float32)
    with cp.profile(flamegraph=False) as prof:
        cp.matmul(a, a, algorithm=algorithm)
    assert prof.ops["matmul"]["isa"] == ("scalar" if scalar_rung else cp.get_isa())


def _user_step(x, w):
    y = cp.exp(x)  # the exp line
    z = cp.clip(y, 0.0, 2.0)  # clip: maximum and minimum called inside corepy/_api.py
    return cp.add(z, w)


def test_op_time_by_python_line():
    """Each op call is attributed to the first frame outside corepy: the user's own line."""
    x = np.linspace(0, 1, 5000, dtype=np.float32)
    w = np.ones(5000, np.float32)
    with cp.profile() as prof:
        for _ in range(3):
            _user_step(x, w)
    by_src = {e["source"]: e for e in prof.lines}
    exp_line = by_src["y = cp.exp(x)  # the exp line"]
    assert exp_line["file"] == __file__ and exp_line["function"] == "_user_step"
    assert exp_line["calls"] == 3 and set(exp_line["ops"]) == {"exp"}
    clip_line = next(e for e in prof.lines if e["source"].startswith("z = cp.clip"))
    assert set(clip_line["ops"]) == {"maximum", "minimum"} and clip_line["calls"] == 6
    assert sum(e["seconds"] for e in prof.lines) == pytest.approx(
        sum(o["seconds"] for o in prof.ops.values())
    )
    text = prof.summary(by="line")
    assert "_user_step" in text and "cp.exp(x)" in text
    assert "cp.exp(x)" in prof._repr_html_()
    assert prof.to_dict()["lines"][0]["calls"] >= 3
    with pytest.raises(ValueError, match="by"):
        prof.summary(by="file")
