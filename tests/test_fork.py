"""Fork safety (issue 20): forked children work whatever corepy's other threads were doing at the
fork (parallel ops, lingering pool helpers, profiles and the SIGPROF sampler), multiprocessing
pools of corepy workers give right answers under every start method, and Ctrl-C ends a parent
with such a pool cleanly. Every child runs under an alarm, so a hang fails instead of blocking.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import corepy as cp

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    # Python 3.12+ warns when a multi-threaded process forks (corepy's pool threads make every
    # process that ran a parallel op one); forking from threads is what these tests are about.
    pytest.mark.filterwarnings(r"ignore:.*use of fork\(\) may lead to deadlocks"),
]

N = 1_000_000  # above every parallel threshold: the pool and its lingering helpers are busy
CHILD_ALARM = 20  # seconds before a hung child dies of SIGALRM


def _exit_code(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _profile_until_sampled(work, budget_s: float = 2.0):
    """Profiles `work` in rounds of ~10 ms of CPU time until the sampler caught a stack (it
    ticks on process CPU time, ~250 Hz at most, so one short round may catch none)."""
    t0 = time.process_time()
    while True:
        with cp.profile(flamegraph=True) as prof:
            c0 = time.process_time()
            while time.process_time() - c0 < 0.01:
                work()
        if prof.folded or time.process_time() - t0 > budget_s:
            return prof


def _child_checks(a: np.ndarray, expect_sum: float, svg: str | None) -> int:
    """In a forked child: 0 if corepy works, else a code saying what failed."""
    signal.alarm(CHILD_ALARM)
    try:
        cp.set_num_threads(2)
        small = a[:1000]  # below every threshold: sequential
        if abs(float(cp.sum(small)) - float(small.sum(dtype=np.float64))) > 1e-4 * small.sum():
            return 3
        if abs(float(cp.sum(a)) - expect_sum) > 1e-4 * abs(expect_sum):  # parallel
            return 4
        part = a[:200_000]  # a parallel element-wise op (an 800 kB output: cheap to check)
        if not np.array_equal(np.asarray(cp.add(part, part)), part + part):
            return 5
        with cp.profile() as prof:
            cp.multiply(part, part)
        parallel = part.size >= cp.config()["thresholds"]["elementwise"]
        if prof.ops.get("multiply", {}).get("parallel_calls") != int(parallel):
            return 6
        if svg is not None:
            prof = _profile_until_sampled(lambda: cp.sum(a))
            prof.flamegraph(svg)
            if not open(svg).read().startswith("<?xml"):
                return 7
        return 0
    except BaseException:
        import traceback

        traceback.print_exc()
        return 8


def test_forks_while_threads_run_parallel_ops_and_profiles(tmp_path):
    """120 forks while two threads run parallel ops and a third opens and closes flamegraph
    profiles: no child hangs, every child's corepy works (every 10th child also samples and
    writes a flamegraph), and so does the parent's afterwards."""
    rng = np.random.default_rng(20)
    a = rng.random(N, dtype=np.float32)
    b = rng.random(4 * N, dtype=np.float32)  # 16 MB results: the large-buffer cache
    expect = float(a.sum(dtype=np.float64))
    cp.set_num_threads(2)
    stop = threading.Event()
    errors: list[BaseException] = []
    profiles = {"sampled": 0, "empty": 0}

    def ops(x):
        try:
            while not stop.is_set():
                cp.sum(x)
                cp.add(x, x)
        except BaseException as e:
            errors.append(e)

    def profiler():
        try:
            while not stop.is_set():
                with cp.profile(flamegraph=True) as prof:
                    c0 = time.process_time()
                    while time.process_time() - c0 < 0.02:
                        cp.sum(a)
                profiles["sampled" if prof.folded else "empty"] += 1
                if prof.folded:
                    prof.flamegraph(tmp_path / "parent.svg")
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=ops, args=(x,)) for x in (a, b)]
    threads.append(threading.Thread(target=profiler))
    for t in threads:
        t.start()
    codes: dict[int, int] = {}
    try:
        for i in range(120):
            svg = str(tmp_path / f"child{i}.svg") if i % 10 == 0 else None
            pid = os.fork()
            if pid == 0:
                os._exit(_child_checks(a, expect, svg))
            code = _exit_code(pid)
            codes[code] = codes.get(code, 0) + 1
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors, errors
    assert codes == {0: 120}, f"child exit codes (-14: hung, SIGALRM): {codes}"
    assert profiles["sampled"] > 0, profiles
    assert len(list(tmp_path.glob("child*.svg"))) == 12
    # The parent: its pool, its buffers and its sampler still work.
    assert abs(float(cp.sum(a)) - expect) <= 1e-4 * expect
    prof = _profile_until_sampled(lambda: cp.sum(a))
    prof.flamegraph(tmp_path / "after.svg")


def test_a_childs_profile_leaves_the_parents_sampler_working(tmp_path):
    # pprof kept its samples in a temporary file that it reopened and deleted by path: a child
    # that profiled deleted the file of the parent's next profile, which then failed.
    a = np.random.default_rng(1).random(N, dtype=np.float32)
    _profile_until_sampled(lambda: cp.sum(a)).flamegraph(tmp_path / "p1.svg")
    pid = os.fork()
    if pid == 0:
        signal.alarm(CHILD_ALARM)
        try:
            _profile_until_sampled(lambda: cp.sum(a)).flamegraph(tmp_path / "c.svg")
            os._exit(0)
        except BaseException:
            os._exit(1)
    assert _exit_code(pid) == 0
    _profile_until_sampled(lambda: cp.sum(a)).flamegraph(tmp_path / "p2.svg")


def test_fork_inside_a_flamegraph_profile(tmp_path):
    # The child inherits the open profile: closing it there gives no samples (those before the
    # fork are the parent's, and no timer ticks in the child), then the child samples on its
    # own. The parent's profile, closed after the child is done, is unaffected.
    a = np.random.default_rng(2).random(N, dtype=np.float32)
    parent = os.getpid()

    def burn(cpu_seconds):
        c0 = time.process_time()
        while time.process_time() - c0 < cpu_seconds:
            cp.sum(a)

    def profiled_fork():
        child_code = None
        with cp.profile(flamegraph=True) as prof:
            burn(0.1)  # the parent's samples
            pid = os.fork()
            if pid == 0:
                signal.alarm(CHILD_ALARM)
            else:
                child_code = _exit_code(pid)
            burn(0.1)
        return pid, prof, child_code

    try:
        pid, outer, child_code = profiled_fork()
    except BaseException:
        if os.getpid() != parent:
            os._exit(4)
        raise
    if pid == 0:
        try:
            ok = outer.ops["sum"]["calls"] > 0 and outer.folded == []
            _profile_until_sampled(lambda: cp.sum(a)).flamegraph(tmp_path / "child.svg")
            os._exit(0 if ok else 2)
        except BaseException:
            os._exit(3)
    assert child_code == 0
    assert outer.folded, "the parent's profile sampled nothing"
    outer.flamegraph(tmp_path / "outer.svg")


# --------------------------------------------------------------------------------------------
# multiprocessing
# --------------------------------------------------------------------------------------------


def _worker(seed: int) -> tuple[float, float, float, float]:
    """corepy ops in a pool worker: parallel and sequential sums, an element-wise op on a
    transposed (strided) input, a matmul."""
    rng = np.random.default_rng(seed)
    x = rng.random(N, dtype=np.float32)
    m = rng.random((256, 384), dtype=np.float32)
    return (
        float(cp.sum(x)),
        float(cp.sum(x[:1000])),
        float(np.asarray(cp.mul(m.T, 2.0)).sum(dtype=np.float64)),
        float(np.asarray(cp.matmul(m, m.T)).sum(dtype=np.float64)),
    )


def _expected(seed: int) -> tuple[float, float, float, float]:
    rng = np.random.default_rng(seed)
    x = rng.random(N, dtype=np.float32)
    m = rng.random((256, 384), dtype=np.float32)
    return (
        float(x.sum(dtype=np.float64)),
        float(x[:1000].sum(dtype=np.float64)),
        float((m.T * 2).sum(dtype=np.float64)),
        float((m.astype(np.float64) @ m.T.astype(np.float64)).sum()),
    )


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_multiprocessing_pool_workers_compute_right_answers(method):
    if method not in mp.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    a = np.random.default_rng(3).random(N, dtype=np.float32)
    stop = threading.Event()

    def busy():  # the parent keeps its pool busy while the workers are forked
        while not stop.is_set():
            cp.sum(a)

    t = threading.Thread(target=busy)
    t.start()
    try:
        with mp.get_context(method).Pool(2) as pool:
            got = pool.map_async(_worker, range(6)).get(timeout=120)
    finally:
        stop.set()
        t.join()
    for seed, g in enumerate(got):
        np.testing.assert_allclose(g, _expected(seed), rtol=1e-4)


_CTRL_C_PARENT = textwrap.dedent(
    """
    import multiprocessing as mp, os, signal, sys, threading, time
    import numpy as np, corepy as cp

    def started(q):
        q.put(os.getpid())

    def work(i):
        x = np.ones((1536, 1536), np.float32)
        t0 = time.time()
        while time.time() - t0 < 60:  # far longer than the test waits
            cp.matmul(x, x)
            cp.sum(x)
        return i

    if __name__ == "__main__":
        # Python's Ctrl-C handler, as in a terminal, also where this test runs with SIGINT
        # ignored (a background job inherits that, and Python then leaves it ignored).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        a = np.ones(1_000_000, np.float32)
        stop = False
        def busy():
            while not stop:
                cp.sum(a)
        threading.Thread(target=busy, daemon=True).start()
        ctx = mp.get_context(sys.argv[1])
        q = ctx.Queue()
        try:
            with ctx.Pool(2, initializer=started, initargs=(q,)) as pool:
                res = pool.map_async(work, range(4), chunksize=1)
                print("workers", q.get(timeout=60), q.get(timeout=60), flush=True)
                time.sleep(0.5)  # the workers are inside corepy ops
                print("ready", flush=True)
                res.get(timeout=120)
            print("finished", flush=True)
        except KeyboardInterrupt:
            stop = True
            print("interrupted", flush=True)
    """
)


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie no one reaped yet counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.parametrize(
    "method,group", [("fork", True), ("fork", False), ("spawn", True), ("forkserver", False)]
)
def test_ctrl_c_ends_a_parent_with_a_pool_of_corepy_workers(method, group, tmp_path):
    """SIGINT to the parent alone, or to its whole process group (what Ctrl-C in a terminal
    does, reaching the workers mid-op too): the parent gets KeyboardInterrupt, the pool is torn
    down and every process is gone within the timeout."""
    if method not in mp.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    script = tmp_path / "parent.py"
    script.write_text(_CTRL_C_PARENT)
    code = elapsed = None
    workers: list[int] = []
    with subprocess.Popen(
        [sys.executable, str(script), method],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job would have
    ) as p:
        try:
            workers = [int(w) for w in p.stdout.readline().split()[1:]]
            if len(workers) == 2 and p.stdout.readline().strip() == "ready":
                if group:
                    os.killpg(p.pid, signal.SIGINT)
                else:
                    p.send_signal(signal.SIGINT)
                t0 = time.perf_counter()
                code = p.wait(timeout=30)
                elapsed = time.perf_counter() - t0
        except subprocess.TimeoutExpired:
            pass
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
    assert len(workers) == 2, err
    assert code is not None, f"the parent did not end within 30 s of SIGINT: {err}"
    assert code == 0, err
    assert out.strip() == "interrupted", (out, err)
    assert elapsed < 15, f"the parent took {elapsed:.1f}s to end after SIGINT"
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "pool workers outlived the parent"
