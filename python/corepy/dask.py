"""corepy tensors as Dask array chunks, on threads or on a dask.distributed cluster.

    import corepy as cp, corepy.dask
    x = corepy.dask.from_numpy(np_array, chunks=(1000, 1000))   # a dask array of Tensors
    y = corepy.dask.asarray(dask_array_of_numpy_chunks)          # the same, from Dask
    ((x * x + 1).sum(axis=0)).compute()                          # a Tensor, computed by corepy
    corepy.dask.to_numpy_chunks(x)                               # back to NumPy chunks

Importing this module registers ``corepy.Tensor`` as a Dask chunk type and corepy's functions
in ``dask.array.dispatch`` (concatenate, tensordot, take, empty, divide, to_numpy). On a
cluster, ``corepy.dask.setup(client)`` installs a worker plugin that imports corepy.dask on
every worker and sets corepy's thread count to the worker's, and ``cp.profile(client=client)``
profiles every worker and the client as one.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import dask.array as da
import numpy as np
from dask.array import dispatch
from dask.sizeof import sizeof

import corepy as cp
from corepy import Tensor

__all__ = [
    "asarray",
    "from_numpy",
    "is_corepy_chunked",
    "meta",
    "register",
    "setup",
    "to_numpy_chunks",
]


def _dtype_name(dtype: Any) -> str:
    return str(np.dtype(str(dtype) if isinstance(dtype, str) else dtype))


def meta(ndim: int = 0, dtype: Any = "float64") -> Tensor:
    """A zero-size tensor (shape (0,) * ndim; 0-d for ndim 0) of `dtype`: a Dask meta."""
    shape = (0,) * ndim
    return cp.empty(shape, dtype=_dtype_name(dtype))


def _concatenate(arrays, axis=0):
    arrays = [a if isinstance(a, Tensor) else cp.asarray(a) for a in arrays]
    if axis is None:
        arrays, axis = [cp.reshape(a, (-1,)) for a in arrays], 0
    return cp.concat(arrays, axis=axis)


def _tensordot(a, b, axes=2):
    return np.tensordot(cp.asarray(a), cp.asarray(b), axes=axes)


def _take(a, indices, axis=None):
    return np.take(cp.asarray(a), indices, axis=axis)


def _empty(shape, dtype=None, **kwargs):
    return cp.empty(shape, dtype=_dtype_name(dtype or "float64"))


def _divide(a, b, dtype=None):
    r = cp.divide(a, b)
    return r if dtype is None else cp.astype(r, _dtype_name(dtype))


def _to_numpy(data, **kwargs):
    return np.asarray(data)


def _sizeof(t: Tensor) -> int:
    return int(t.nbytes)


_registered = False
_lock = threading.Lock()


def register() -> None:
    """Registers Tensor with Dask (idempotent; importing corepy.dask does it)."""
    global _registered
    with _lock:
        if _registered:
            return
        da.register_chunk_type(Tensor)
        dispatch.concatenate_lookup.register(Tensor, _concatenate)
        dispatch.tensordot_lookup.register(Tensor, _tensordot)
        dispatch.take_lookup.register(Tensor, _take)
        dispatch.empty_lookup.register(Tensor, _empty)
        dispatch.divide_lookup.register(Tensor, _divide)
        dispatch.to_numpy_dispatch.register(Tensor, _to_numpy)
        # Dask's memory accounting (spilling, memory limits, the dashboard) by the bytes a
        # chunk shows, as for NumPy arrays; without this it counts ~100 bytes per Tensor.
        sizeof.register(Tensor, _sizeof)
        _registered = True


def _to_tensor(block):
    # Zero-copy: the Tensor wraps the NumPy chunk's memory and keeps it alive.
    return block if isinstance(block, Tensor) else cp.asarray(block)


def is_corepy_chunked(x: da.Array) -> bool:
    """True when the dask array's meta (and so its chunks) are corepy Tensors."""
    return isinstance(x._meta, Tensor)


def asarray(x: Any, chunks: Any = "auto") -> da.Array:
    """A dask array of corepy chunks from a dask array (of NumPy chunks: each chunk is wrapped
    without a copy) or from anything da.asarray takes."""
    if not isinstance(x, da.Array):
        x = da.asarray(x, chunks=chunks)
    if is_corepy_chunked(x):
        return x
    return x.map_blocks(_to_tensor, dtype=x.dtype, meta=meta(x.ndim, x.dtype))


def from_numpy(x: Any, chunks: Any = "auto") -> da.Array:
    """A dask array of corepy chunks over a NumPy array (``da.from_array`` then ``asarray``)."""
    return asarray(da.from_array(np.asarray(x), chunks=chunks))


def _to_numpy_block(block):
    return np.asarray(block)


def to_numpy_chunks(x: da.Array) -> da.Array:
    """The same dask array with NumPy chunks (each a zero-copy view of the corepy chunk)."""
    if isinstance(x._meta, np.ndarray):
        return x
    return x.map_blocks(
        _to_numpy_block, dtype=x.dtype, meta=np.empty((0,) * x.ndim, dtype=_dtype_name(x.dtype))
    )


# ---------------------------------------------------------------------------- dask.distributed


def __getattr__(name: str) -> Any:
    # The worker plugin subclasses distributed's WorkerPlugin: importing distributed (~0.6 s)
    # waits until a cluster is in use.
    if name == "CorepyWorkerPlugin":
        from ._dask_worker import CorepyWorkerPlugin

        return CorepyWorkerPlugin
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def setup(client: Any, nthreads: int | None = None) -> None:
    """Prepares a dask.distributed cluster for corepy chunks: registers CorepyWorkerPlugin on
    every worker (present and future). `nthreads` overrides each worker's own thread count."""
    from ._dask_worker import CorepyWorkerPlugin

    client.register_plugin(CorepyWorkerPlugin(nthreads))


def _worker_info() -> dict[str, Any]:
    """What a worker reports about corepy (tests and notebooks read it via client.run)."""
    return {
        "corepy_threads": cp.get_num_threads(),
        "registered": _registered,
        "corepy_dask_imported": "corepy.dask" in sys.modules,
    }


# ---------------------------------------------------------------- profiling across workers
# cp.profile(client=client) calls _profile_open before its own block and _profile_close after:
# every worker opens a corepy profile (client.run), and on exit each returns its result, which
# is merged into the client's (profile.py keeps the merge's shape: ops totals with a per-worker
# breakdown, prof.workers, flamegraph stacks under the process's name, lines by task name).

_WORKER_PROFILES: dict[str, Any] = {}


def _task_label() -> str | None:
    """The name of the Dask task the calling thread runs (key_split: "mean_chunk", "add", ...),
    None outside a task: corepy's line attribution on a worker (profiling.rs's label hook)."""
    from dask.utils import key_split
    from distributed.worker import thread_state

    key = getattr(thread_state, "key", None)
    return None if key is None else key_split(key)


def _worker_name(worker: Any) -> str:
    name = worker.name
    return f"worker-{name}" if isinstance(name, int) else str(name)


def _worker_profile_open(
    token: str, flamegraph: bool, hz: int, counters: bool, name: str | None, client_pid: int
) -> bool:
    import os

    from corepy import _core
    from corepy.profile import Profile

    if os.getpid() == client_pid:  # a worker in the client's process: the client's profile
        return False  # already sees its ops (and only one sampler may run per process)
    register()
    p = Profile(flamegraph=flamegraph, hz=hz, name=name, counters=counters)
    p.__enter__()
    _WORKER_PROFILES[token] = p
    _core._set_site_label_hook(_task_label)
    return True


def _worker_profile_close(token: str, dask_worker: Any = None) -> dict[str, Any] | None:
    from corepy import _core

    p = _WORKER_PROFILES.pop(token, None)
    if p is None:
        return None
    if not _WORKER_PROFILES:
        _core._set_site_label_hook(None)
    p.__exit__(None, None, None)
    r = p.result
    return {
        "worker": _worker_name(dask_worker) if dask_worker is not None else "worker",
        "seconds": r.seconds,
        "allocations": r.allocations,
        "arena": r.arena,
        "ops": r.ops,
        "lines": r._lines,
        "folded": r.folded,
        "spans": r.spans,
        "counters": r.counters,
        "counters_unavailable": r.counters_unavailable,
    }


def _profile_open(client: Any, flamegraph: bool, hz: int, counters: bool, name: str | None):
    import os
    import uuid

    token = uuid.uuid4().hex
    opened = client.run(_worker_profile_open, token, flamegraph, hz, counters, name, os.getpid())
    return token, opened


_OP_FIELDS = (
    "calls",
    "elements",
    "bytes_read",
    "bytes_written",
    "seconds",
    "parallel_calls",
    "zero_copy_inputs",
    "copied_inputs",
)


def _profile_close(client: Any, remote: tuple[str, dict[str, bool]], result: Any) -> None:
    """Closes the workers' profiles and merges them into the client's `result`."""
    from corepy.profile import ProfileResult

    token, _opened = remote
    payloads = client.run(_worker_profile_close, token)
    ops: dict[str, dict[str, Any]] = {}

    def add_ops(process: str, process_ops: dict[str, dict[str, Any]]) -> None:
        for op, o in process_ops.items():
            tot = ops.setdefault(op, {**{f: 0 for f in _OP_FIELDS}, "seconds": 0.0})
            for f in _OP_FIELDS:
                tot[f] += o[f]
            tot["isa"] = o["isa"]
            tot["last_decision"] = o.get("last_decision", "")
            tot.setdefault("workers", {})[process] = {f: o[f] for f in _OP_FIELDS}

    add_ops("client", result.ops)
    folded = [f"client;{line}" for line in result.folded]
    for _addr, pl in sorted(payloads.items(), key=lambda kv: str(kv[1] and kv[1]["worker"])):
        if pl is None:
            continue
        w = ProfileResult(f"{result.name} on {pl['worker']}")
        w.seconds, w.allocations, w.arena = pl["seconds"], pl["allocations"], pl["arena"]
        w.ops, w._lines, w.folded, w.spans = pl["ops"], pl["lines"], pl["folded"], pl["spans"]
        w.counters, w.counters_unavailable = pl["counters"], pl["counters_unavailable"]
        result.workers[pl["worker"]] = w
        add_ops(pl["worker"], w.ops)
        folded += [f"{pl['worker']};{line}" for line in w.folded]
        result._lines = list(result._lines) + list(w._lines)
        for file, line, func, _op, calls, seconds, _nbytes in w._lines:
            k = (file, line, func, pl["worker"])
            c, sec = result._line_workers.get(k, (0, 0.0))
            result._line_workers[k] = (c + calls, sec + seconds)
    result.ops = ops
    result.folded = folded
    result._svg = None


register()
