"""The lab for the user's own code: flamegraphs rooted at the user's Python frames (pool workers
under the call they serve), differential profiles, speedscope export."""

import inspect
import os
import time

import numpy as np
import pytest

import corepy as cp

HERE = os.path.basename(__file__)


def spin(seconds, fn):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        fn()


def user_step(x):
    return cp.sum(x)  # the op line


OP_LINE = inspect.getsourcelines(user_step)[1] + 1


def stacks(prof):
    """The collapsed stacks as (frames, count)."""
    out = []
    for line in prof.collapsed().splitlines():
        stack, count = line.rsplit(" ", 1)
        out.append((stack.split(";"), int(count)))
    return out


@pytest.fixture(scope="module")
def big():
    return cp.Tensor(np.ones(2_000_000, np.float32))


def test_flamegraph_starts_at_the_users_frames(big):
    def caller():
        user_step(big)

    with cp.profile(flamegraph=True) as prof:
        spin(0.5, caller)
    in_op = [(s, c) for s, c in stacks(prof) if "cp.sum" in s]
    assert in_op, prof.collapsed()
    me = "test_flamegraph_starts_at_the_users_frames"
    for s, _ in in_op:
        i = s.index("cp.sum")
        # user frames, root first: ... -> this test -> caller -> user_step (the op's line) -> op
        assert s[i - 1] == f"user_step ({HERE}:{OP_LINE})", s
        assert s[i - 2].startswith(f"{me}.<locals>.caller ({HERE}:"), s
        assert any(f.startswith(f"{me} ({HERE}:") for f in s[: i - 2]), s
        assert not any(f.startswith("python") for f in s[:i]), "no thread root above user frames"
    # the native frames follow the op, down to the SIMD kernel
    kernel = [s for s, _ in in_op if any(f.startswith("corepy_") for f in s[s.index("cp.sum") :])]
    assert kernel and any("sum<float>" in f for s in kernel for f in s)


def test_pool_workers_samples_hang_under_the_call_they_serve(big):
    before = cp.get_num_threads()
    cp.set_num_threads(2)
    try:
        worker_rows = []
        for _ in range(6):  # a worker's samples need it scheduled while the timer fires
            with cp.profile(flamegraph=True) as prof:
                spin(0.4, lambda: user_step(big))
            worker_rows = [r for r in prof.samples if r[0].startswith("corepy-worker")]
            if any(in_op for *_, in_op in worker_rows):
                break
    finally:
        cp.set_num_threads(before)
    served = [stack for _, stack, _, in_op in worker_rows if in_op]
    assert served, prof.samples
    for stack in served:
        frames = stack.split(";")
        i = frames.index("cp.sum")
        assert frames[i - 1] == f"user_step ({HERE}:{OP_LINE})"
        assert "parallel::join" in frames[i:], frames
    # in the merged stacks the worker's samples sit in the same subtree as the caller's
    assert any("parallel::join" in s and s[0] != "corepy-worker-0" for s, _ in stacks(prof))


def test_op_tags_end_with_the_call():
    """After an op (even a failed one) the thread's samples are no longer tagged with it."""
    x = cp.Tensor(np.ones(10, np.float32))
    with cp.profile(flamegraph=True) as prof:
        cp.sum(x)
        with pytest.raises(TypeError):
            cp.sum("not an array")
        spin(0.3, lambda: sum(range(1000)))  # pure Python: no op running
    tagged = sum(c for _, _, c, in_op in prof.samples if in_op)
    untagged = sum(c for _, _, c, in_op in prof.samples if not in_op)
    assert untagged > tagged
