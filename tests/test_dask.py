"""corepy tensors as Dask array chunks (corepy.dask): on the threaded scheduler, results equal the
same computation on NumPy chunks across dtypes, shapes and chunkings; on a real
dask.distributed LocalCluster (2 worker processes) the chunks are Tensors on the workers,
corepy's thread count follows each worker's, a killed worker's tasks are retried, and
cp.profile(client=...) merges every worker's profile. Skips, saying so, without dask."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

import corepy as cp

da = pytest.importorskip(
    "dask.array", reason="dask[array] is not installed (pip install 'corepy[dask]')"
)
import dask  # noqa: E402

import corepy.dask as cpd  # noqa: E402

DTYPES = ["float32", "float64", "int32", "int64"]
# (shape, chunks) pairs: ragged edges, one chunk, 1-D, 3-D.
LAYOUTS = [
    ((13, 10), (5, 4)),
    ((12, 9), (12, 9)),
    ((31,), (8,)),
    ((6, 5, 4), (4, 2, 3)),
]


def sample(dtype: str, shape, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype.startswith("int"):
        return rng.integers(-5, 9, shape).astype(dtype)
    return (rng.standard_normal(shape) + 1.5).astype(dtype)


def pair(x: np.ndarray, chunks):
    """The same data as a dask array of NumPy chunks and of corepy chunks."""
    return da.from_array(x, chunks=chunks), cpd.from_numpy(x, chunks=chunks)


def blocks(d) -> list:
    return list(dask.compute(*d.to_delayed().ravel(), scheduler="threads"))


def check(dc, dn, rtol=None, chunks=True):
    """dc (corepy chunks) equals dn (NumPy chunks), same dtype and shape; with `chunks`, every
    chunk of dc is a Tensor too (a second compute)."""
    assert isinstance(dc._meta, cp.Tensor), type(dc._meta)
    got = dc.compute(scheduler="threads")
    want = dn.compute(scheduler="threads")
    assert isinstance(got, cp.Tensor), type(got)
    g = np.asarray(got)
    assert g.shape == want.shape and g.dtype == want.dtype, (g.shape, g.dtype, want.dtype)
    if rtol is None:
        np.testing.assert_array_equal(g, want)
    else:
        np.testing.assert_allclose(g, want, rtol=rtol, atol=rtol)
    if chunks:
        assert all(isinstance(b, cp.Tensor) for b in blocks(dc))


@pytest.fixture(scope="module", autouse=True)
def threads_scheduler():
    with dask.config.set(scheduler="threads"):
        yield


# ------------------------------------------------------------------ meta and conversions


@pytest.mark.parametrize("ndim", [0, 1, 3])
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint64", "float32", "complex128"])
def test_meta_tensors(ndim, dtype):
    m = cpd.meta(ndim, dtype)
    assert isinstance(m, cp.Tensor) and m.shape == (0,) * ndim and m.dtype == dtype
    # Dask's own meta derivation over a corepy meta stays corepy (zero-size, 0-d).
    from dask.array.utils import meta_from_array

    for nd in (0, 1, 2):
        mm = meta_from_array(m, ndim=nd)
        assert isinstance(mm, cp.Tensor) and mm.ndim == nd and mm.size == 0 or nd == 0
        assert isinstance(mm, cp.Tensor) and mm.dtype == dtype


def test_conversions_both_ways():
    x = sample("float64", (10, 6))
    d = cpd.from_numpy(x, chunks=(4, 3))
    assert cpd.is_corepy_chunked(d) and d.dtype == np.float64 and d.dtype.kind == "f"
    assert d.chunks == ((4, 4, 2), (3, 3))
    assert cpd.asarray(d) is d
    n = cpd.to_numpy_chunks(d)
    assert isinstance(n._meta, np.ndarray)
    assert all(type(b) is np.ndarray for b in blocks(n))
    np.testing.assert_array_equal(n.compute(), x)
    back = cpd.asarray(n)
    assert all(isinstance(b, cp.Tensor) for b in blocks(back))
    np.testing.assert_array_equal(np.asarray(back.compute()), x)
    # asarray of anything else (here a NumPy array) goes through da.asarray first.
    assert cpd.is_corepy_chunked(cpd.asarray(x, chunks=5))


# ------------------------------------------------ threaded scheduler: equal to NumPy chunks


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,chunks", LAYOUTS)
def test_elementwise(dtype, shape, chunks):
    x, y = sample(dtype, shape, 1), sample(dtype, shape, 2)
    (nx, cx), (ny, cy) = pair(x, chunks), pair(y, chunks)
    rtol = 1e-6 if dtype.startswith("float") else None
    check(cx * cy + 3, nx * ny + 3, rtol)
    check(cx - cy * 2, nx - ny * 2, rtol)
    check(da.maximum(cx, cy), da.maximum(nx, ny))
    check(cx > cy, nx > ny)
    check(da.where(cx > 1, cx, cy), da.where(nx > 1, nx, ny))
    check(abs(-cx), abs(-nx))
    if dtype.startswith("float"):
        check(da.exp(cx / 4) + np.sqrt(abs(cy)), da.exp(nx / 4) + np.sqrt(abs(ny)), 1e-5)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,chunks", LAYOUTS)
def test_reductions_with_axis_and_keepdims(dtype, shape, chunks):
    x = sample(dtype, shape, 3)
    nx, cx = pair(x, chunks)
    fr = 1e-5 if dtype.startswith("float") else None  # float sums: another summation order
    axes = [None, 0, -1] + ([(0, len(shape) - 1)] if len(shape) > 1 else [])
    for i, axis in enumerate(axes):
        # Each axis with both keepdims for sum/mean/std; the others alternate.
        for keepdims in (False, True):
            kw = {"axis": axis, "keepdims": keepdims}
            check(cx.sum(**kw), nx.sum(**kw), fr, chunks=keepdims)
            check(cx.mean(**kw), nx.mean(**kw), 1e-5, chunks=False)
            check(cx.std(**kw), nx.std(**kw), 1e-5, chunks=False)
        kw = {"axis": axis, "keepdims": i % 2 == 1}
        name = ("max", "min", "any", "var")[i % 4]
        check(getattr(cx, name)(**kw), getattr(nx, name)(**kw), 1e-5, chunks=False)
        check(cx.prod(**kw), nx.prod(**kw), rtol=1e-5 if dtype[0] == "f" else None, chunks=False)
        if not isinstance(axis, tuple):
            check(cx.argmax(axis=axis), nx.argmax(axis=axis), chunks=False)
            check(cx.cumsum(axis=axis or 0), nx.cumsum(axis=axis or 0), rtol=1e-5, chunks=False)
    # The benchmark's expression.
    check((cx - cx.mean(axis=0)).std(axis=0), (nx - nx.mean(axis=0)).std(axis=0), rtol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_matmul_and_tensordot(dtype):
    a, b = sample(dtype, (13, 11), 4), sample(dtype, (11, 7), 5)
    (na, ca), (nb, cb) = pair(a, (5, 4)), pair(b, (4, 3))
    rtol = 1e-5 if dtype.startswith("float") else None
    check(ca @ cb, na @ nb, rtol)
    check(da.matmul(ca, cb), da.matmul(na, nb), rtol)
    check(da.tensordot(ca, cb, axes=1), da.tensordot(na, nb, axes=1), rtol)
    check(da.tensordot(ca, ca, axes=([0], [0])), da.tensordot(na, na, axes=([0], [0])), rtol)
    check(da.dot(ca, cb), da.dot(na, nb), rtol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_slicing_rechunking_concatenation(dtype):
    x = sample(dtype, (17, 12), 6)
    nx, cx = pair(x, (5, 5))
    for key in [
        (slice(2, 15), slice(None, None, 2)),
        (slice(None, None, -3), 4),
        (Ellipsis, None, slice(1, 3)),
        (np.array([0, 16, 3]),),
        (nx[:, 0] > 1.0,),
    ]:
        ckey = tuple(cpd.asarray(k) if isinstance(k, da.Array) else k for k in key)
        check(cx[ckey], nx[key])
    check(cx.rechunk((7, 12)), nx.rechunk((7, 12)))
    fr = 1e-6 if dtype.startswith("float") else None
    check(cx.rechunk((3, 2)).sum(axis=1), nx.rechunk((3, 2)).sum(axis=1), fr)
    check(da.concatenate([cx, cx[:4]], axis=0), da.concatenate([nx, nx[:4]], axis=0))
    check(da.stack([cx, cx], axis=1), da.stack([nx, nx], axis=1))
    check(cx.T.reshape(12 * 17), nx.T.reshape(12 * 17))


def test_unsupported_chunk_function_raises():
    _, cx = pair(sample("float64", (8, 8)), (4, 4))
    # np.percentile has no corepy function: a TypeError, not NumPy chunks in disguise.
    with pytest.raises(TypeError):
        cx.map_blocks(lambda b: np.percentile(b, 50, keepdims=True), dtype="float64").compute()


# -------------------------------------------------------------- dask.distributed LocalCluster


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip(
        "distributed", reason="distributed is not installed (pip install 'corepy[dask]')"
    )
    with (
        dask.config.set({"distributed.worker.daemon": False, "distributed.admin.tick.limit": "5s"}),
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=":0",  # a free port: xdist workers may each start a cluster
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        cpd.setup(c)
        yield c


def _chunk_types(dask_worker):
    return sorted({type(v).__module__ + "." + type(v).__name__ for v in dask_worker.data.values()})


def test_cluster_results_and_chunk_types(client):
    from distributed import wait

    x = sample("float32", (400, 120), 7)
    nx, cx = pair(x, (50, 60))
    cx = client.persist(cx)
    wait(cx)
    types = client.run(_chunk_types)
    assert len(types) == 2 and all(t == ["corepy.Tensor"] for t in types.values()), types
    for dc, dn, rtol in [
        ((cx * cx + 1).sum(), (nx * nx + 1).sum(), 1e-5),
        ((cx - cx.mean(axis=0)).std(axis=0), (nx - nx.mean(axis=0)).std(axis=0), 1e-5),
        (cx.T @ cx, nx.T @ nx, 1e-4),
        (cx[::7, 3:90].rechunk((20, 40)).max(axis=1), nx[::7, 3:90].max(axis=1), None),
    ]:
        got = client.compute(dc).result()
        assert isinstance(got, cp.Tensor), type(got)
        np.testing.assert_allclose(np.asarray(got), dn.compute(), rtol=rtol or 0)


def test_cluster_threads_follow_workers(client):
    info = client.run(cpd._worker_info)
    nthreads = client.nthreads()
    assert info.keys() == nthreads.keys()
    for addr, i in info.items():
        assert i["registered"] and i["corepy_threads"] == nthreads[addr] == 1, i


def _slow_square(block):
    time.sleep(0.15)
    return block * block


def test_cluster_killed_worker_is_retried(client):
    from distributed import wait

    x = sample("float64", (24, 10), 8)
    nx, cx = pair(x, (2, 10))  # 12 slow tasks: ~1 s per worker
    fut = client.compute(cx.map_blocks(_slow_square).sum(axis=0))
    time.sleep(0.6)
    pids = client.run(os.getpid)
    victim = sorted(pids)[0]
    os.kill(pids[victim], signal.SIGKILL)
    got = fut.result(timeout=60)
    np.testing.assert_allclose(np.asarray(got), (x * x).sum(axis=0), rtol=1e-12)
    # The nanny restarted the worker; the plugin set corepy up there too.
    client.wait_for_workers(2, timeout=30)
    wait(client.submit(os.getpid, pure=False))
    info = client.run(cpd._worker_info)
    assert len(info) == 2 and all(
        i["registered"] and i["corepy_threads"] == 1 for i in info.values()
    )


def test_cluster_profile_merges_workers(client):
    x = sample("float32", (600, 400), 9)
    cx = client.persist(cpd.from_numpy(x, chunks=(100, 400)))
    with cp.profile(client=client, flamegraph=True, name="dask") as prof:
        # A few runs: enough for samples on both workers; their first flamegraph's
        # symbolisation (at close, once per worker process) is most of this test's time.
        for _ in range(10):
            r = client.compute(((cx * cx + cx) - cx.mean(axis=0)).std(axis=0)).result()
    np.testing.assert_allclose(np.asarray(r), ((x * x + x) - x.mean(axis=0)).std(axis=0), rtol=1e-4)
    workers = client.run(lambda dask_worker: cpd._worker_name(dask_worker))
    names = set(workers.values())
    assert set(prof.workers) == names and len(names) == 2
    # Totals are the sum of every process's share, and each worker did multiply work.
    for op, o in prof.ops.items():
        shares = o["workers"]
        assert sum(s["calls"] for s in shares.values()) == o["calls"], op
        assert abs(sum(s["seconds"] for s in shares.values()) - o["seconds"]) < 1e-9
    assert names <= set(prof.ops["multiply"]["workers"])
    for w in names:
        assert prof.workers[w].ops["multiply"]["calls"] > 0
    # Worker time is attributed to the Dask task that ran it.
    tasks = {e["function"]: e for e in prof.lines if e["file"] == "<task>"}
    assert tasks, prof.lines
    assert any(set(e.get("workers", {})) == names for e in tasks.values()), tasks
    # Dask fuses the element-wise ops into the variance's chunk task ("var"); the column means
    # are their own tasks.
    assert "mean_chunk" in tasks and "var" in tasks, sorted(tasks)
    assert set(tasks["var"]["ops"]) >= {"multiply", "add", "subtract", "sum"}
    # Flamegraph stacks start with the process's name.
    assert all(line.split(";", 1)[0] in names | {"client"} for line in prof.folded)
    assert {line.split(";", 1)[0] for line in prof.folded} & names
    d = prof.to_dict()
    assert set(d["workers"]) == names and "multiply" in d["ops"]


def test_distributed_serialization_sends_tensor_memory_out_of_band():
    protocol = pytest.importorskip("distributed.protocol", reason="distributed is not installed")
    a = np.arange(100_000, dtype=np.float64)
    t = cp.asarray(a)
    header, frames = protocol.serialize(t)
    # Pickle protocol 5: a few bytes of metadata in-band, the tensor's own memory as a frame
    # (no copy on the way out, as for NumPy arrays), wrapped without a copy on the way in.
    sizes = sorted(memoryview(f).nbytes for f in frames)
    assert sizes[-1] == t.nbytes and sum(sizes[:-1]) < 200, sizes
    big = max(frames, key=lambda f: memoryview(f).nbytes)
    assert np.shares_memory(np.asarray(big), a)
    r = protocol.deserialize(header, frames)
    assert isinstance(r, cp.Tensor) and np.shares_memory(np.asarray(r), a)
    np.testing.assert_array_equal(np.asarray(r), a)
    nheader, nframes = protocol.serialize(a)
    assert sum(memoryview(f).nbytes for f in nframes) >= a.nbytes  # NumPy's: one frame too
