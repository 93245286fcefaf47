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


def user_matmul(a):
    return cp.matmul(a, a)  # the matmul line


MATMUL_LINE = inspect.getsourcelines(user_matmul)[1] + 1


def test_pool_workers_samples_hang_under_the_call_they_serve():
    a = cp.Tensor(np.ones((384, 384), np.float32))
    before = cp.get_num_threads()
    cp.set_num_threads(2)
    try:
        served = []
        for _ in range(6):  # a worker's samples need it scheduled while the timer fires
            with cp.profile(flamegraph=True) as prof:
                spin(0.4, lambda: user_matmul(a))
            workers = [r for r in prof.samples if r[0].startswith("corepy-worker")]
            served = [stack for _, stack, _, in_op in workers if in_op]
            if served:
                break
    finally:
        cp.set_num_threads(before)
    if not served:
        pytest.skip("no pool worker was sampled while serving a call (a loaded machine)")
    for stack in served:
        frames = stack.split(";")
        i = frames.index("cp.matmul")
        assert frames[i - 1] == f"user_matmul ({HERE}:{MATMUL_LINE})"
        assert "parallel::join" in frames[i:], frames
    # in the merged stacks the worker's samples sit in the same subtree as the caller's
    merged = [s for s, _ in stacks(prof) if "parallel::join" in s]
    assert merged and all(s[0] == served[0].split(";")[0] for s in merged)


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


def user_step_v2(x):
    return cp.sum(x), cp.exp(x)  # v2 adds an exp


def test_diff_marks_what_the_second_version_added(big, tmp_path):
    with cp.profile(flamegraph=True, name="v1") as v1:
        spin(0.3, lambda: user_step(big))
    with cp.profile(flamegraph=True, name="v2") as v2:
        spin(0.3, lambda: user_step_v2(big))
    d = v2.diff(v1)
    assert d.ops["exp"]["seconds"]["before"] == 0 and d.ops["exp"]["seconds"]["after"] > 0
    assert d.ops["exp"]["calls"]["after"] == v2.ops["exp"]["calls"]
    assert d.ops["sum"]["calls"]["before"] == v1.ops["sum"]["calls"]
    s = d.ops["sum"]["seconds"]
    assert s["delta"] == pytest.approx(s["after"] - s["before"])
    exp_line = next(r for r in d.lines if "cp.exp(x)" in r["source"])
    assert exp_line["function"] == "user_step_v2" and exp_line["seconds"]["before"] == 0
    assert exp_line["calls"]["after"] == v2.ops["exp"]["calls"] + v2.ops["sum"]["calls"]
    rows = [line.rsplit(" ", 2) for line in d.collapsed().splitlines()]
    assert rows and all(int(b) >= 0 and int(a) >= 0 for _, b, a in rows)
    total_after = sum(int(line.rsplit(" ", 1)[1]) for line in v2.folded)
    assert sum(int(a) for _, _, a in rows) == total_after
    # the baseline is scaled to the same total (up to rounding, one per stack)
    assert abs(sum(int(b) for _, b, _ in rows) - total_after) <= len(rows)
    added = [(b, a) for stack, b, a in rows if "cp.exp" in stack]
    assert added and all(b == "0" for b, _ in added)
    # line numbers are dropped from Python frames so that versions line up
    assert not any(f"({HERE}:" in stack for stack, _, _ in rows)
    svg = d.flamegraph(tmp_path / "diff.svg").read_text()
    assert svg.startswith("<?xml") and "v2 vs v1" in svg
    assert "cp.exp" in d.summary() and d.to_dict()["ops"]["exp"]["calls"]["before"] == 0
    with pytest.raises(TypeError, match="ProfileResult"):
        v2.diff({"ops": {}})
    with cp.profile() as empty:
        pass
    with pytest.raises(RuntimeError, match="differential"):
        empty.diff(v1).flamegraph(tmp_path / "none.svg")


# speedscope's file format (src/lib/file-format-spec.ts), the parts a sampled profile uses.
SPEEDSCOPE_SCHEMA = {
    "type": "object",
    "required": ["$schema", "shared", "profiles"],
    "properties": {
        "$schema": {"const": "https://www.speedscope.app/file-format-schema.json"},
        "shared": {
            "type": "object",
            "required": ["frames"],
            "properties": {
                "frames": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string"},
                            "file": {"type": "string"},
                            "line": {"type": "number"},
                            "col": {"type": "number"},
                        },
                    },
                }
            },
        },
        "profiles": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "type",
                    "name",
                    "unit",
                    "startValue",
                    "endValue",
                    "samples",
                    "weights",
                ],
                "properties": {
                    "type": {"const": "sampled"},
                    "name": {"type": "string"},
                    "unit": {
                        "enum": [
                            "none",
                            "nanoseconds",
                            "microseconds",
                            "milliseconds",
                            "seconds",
                            "bytes",
                        ]
                    },
                    "startValue": {"type": "number"},
                    "endValue": {"type": "number"},
                    "samples": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                    },
                    "weights": {"type": "array", "items": {"type": "number"}},
                },
            },
        },
        "name": {"type": "string"},
        "activeProfileIndex": {"type": "integer"},
        "exporter": {"type": "string"},
    },
}


def test_speedscope_export(big, tmp_path):
    import json

    jsonschema = pytest.importorskip("jsonschema")
    with cp.profile(flamegraph=True, hz=499, name="sc") as prof:
        spin(0.3, lambda: user_step(big))
    doc = json.loads(prof.speedscope(tmp_path / "p.speedscope.json").read_text())
    jsonschema.validate(doc, SPEEDSCOPE_SCHEMA)
    frames = doc["shared"]["frames"]
    total = 0.0
    for p in doc["profiles"]:
        assert len(p["samples"]) == len(p["weights"]) > 0
        assert all(0 <= i < len(frames) for s in p["samples"] for i in s)
        assert p["endValue"] == pytest.approx(sum(p["weights"]))
        total += sum(p["weights"])
    samples = sum(c for _, _, c, _ in prof.samples)
    assert total == pytest.approx(samples / 499)
    assert {p["name"] for p in doc["profiles"]} == {t for t, _, _, _ in prof.samples}
    assert {"name": "user_step", "file": HERE, "line": OP_LINE} in frames
    assert {"name": "cp.sum"} in frames
    with cp.profile() as empty:
        pass
    with pytest.raises(RuntimeError, match="flamegraph=True"):
        empty.speedscope(tmp_path / "none.json")


def via_a(x):
    return user_step(x)


def via_b(x):
    return user_step(x)


def test_stacks_follow_callers_and_their_lines(big):
    """The per-call cache of callers: a caller that moved to another line, and the same function
    reached through two callers, each give their own stack."""
    first = inspect.currentframe().f_lineno + 4
    with cp.profile(flamegraph=True) as prof:
        end = time.perf_counter() + 0.5
        while time.perf_counter() < end:
            via_a(big)
            via_b(big)
    seen = set()
    for s, _ in stacks(prof):
        if "cp.sum" not in s:
            continue
        i = s.index("cp.sum")
        assert s[i - 1] == f"user_step ({HERE}:{OP_LINE})"
        caller, me = s[i - 2], s[i - 3]
        seen.add((caller.split(" ")[0], me))
    me = "test_stacks_follow_callers_and_their_lines"
    assert seen == {
        ("via_a", f"{me} ({HERE}:{first})"),
        ("via_b", f"{me} ({HERE}:{first + 1})"),
    }
