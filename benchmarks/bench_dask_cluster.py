"""NumPy chunks vs corepy chunks on a 2-worker dask.distributed LocalCluster (issue 19).

    .venv/bin/python benchmarks/bench_dask_cluster.py            # 4 GB float32, 64 MB chunks
    .venv/bin/python benchmarks/bench_dask_cluster.py --gb 0.5   # a quick run

Not part of `make test` (minutes, gigabytes). The data are generated on the workers and persisted
as NumPy chunks; the corepy version wraps the same chunks without a copy (corepy.dask.asarray),
so both read the same memory. Timed end to end from the client (graph submission, scheduling,
the kernels, the reduction's transfers): `(a * b + c).sum()` with a, b, c each a third of the
size (together the given size), and `(x - x.mean(axis=0)).std(axis=0)` over the whole size.
Peak worker memory is each worker's resident set size, sampled every 20 ms during the timed
runs, minus its size before them (the persisted inputs). Prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from pathlib import Path

import dask.array as da
import numpy as np
from distributed import Client, LocalCluster, wait

import corepy as cp
import corepy.dask as cpd


def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


# This script's functions reach the workers by value (cloudpickle), module globals included:
# the sampler's state lives on the worker object instead.
def _sampler_start(token: str, dask_worker=None) -> int:
    state = {"peak": _rss(), "stop": threading.Event()}

    def loop():
        while not state["stop"].wait(0.02):
            state["peak"] = max(state["peak"], _rss())

    threading.Thread(target=loop, daemon=True).start()
    dask_worker.__dict__.setdefault("_corepy_bench_samplers", {})[token] = state
    return state["peak"]


def _sampler_stop(token: str, dask_worker=None) -> int:
    state = dask_worker.__dict__["_corepy_bench_samplers"].pop(token)
    state["stop"].set()
    return max(state["peak"], _rss())


def timed(client: Client, make, repeat: int) -> dict:
    """Median and min seconds of computing make() to a small result, and the peak RSS growth
    per worker over the runs."""
    token = f"s{time.monotonic_ns()}"
    before = client.run(_sampler_start, token)
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = client.compute(make()).result()
        times.append(time.perf_counter() - t0)
    after = client.run(_sampler_stop, token)
    growth = {w: after[w] - before[w] for w in before}
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "runs": times,
        "peak_rss_growth_mb": {w: g / 1e6 for w, g in growth.items()},
        "peak_rss_mb": {w: after[w] / 1e6 for w in after},
        "result": np.asarray(result).ravel()[:4].tolist(),
    }


def bench_abc(client: Client, a, b, c, repeat: int) -> dict:
    a, b, c = (client.persist(v) for v in (a, b, c))
    wait([a, b, c])
    ca, cb, cc = (client.persist(cpd.asarray(v)) for v in (a, b, c))
    wait([ca, cb, cc])
    return {
        "numpy": timed(client, lambda: (a * b + c).sum(), repeat),
        "corepy": timed(client, lambda: (ca * cb + cc).sum(), repeat),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gb", type=float, default=4.0, help="total float32 data (GB, 1e9 bytes)")
    ap.add_argument("--chunk-mb", type=float, default=64.0, help="chunk size (MB, 2**20 bytes)")
    ap.add_argument("--cols", type=int, default=4096)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default="bench_dask_cluster.json")
    args = ap.parse_args()

    cols = args.cols
    chunk_rows = int(args.chunk_mb * 2**20 / 4 / cols)
    rows = int(args.gb * 1e9 / 4 / cols) // chunk_rows * chunk_rows
    third = rows // 3 // chunk_rows * chunk_rows
    print(
        f"x: {rows} x {cols} float32 = {rows * cols * 4 / 1e9:.2f} GB in "
        f"{rows // chunk_rows} chunks of {chunk_rows * cols * 4 / 2**20:.0f} MiB; a, b, c: "
        f"{third} rows each"
    )
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit=0,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as client,
    ):
        cpd.setup(client)
        rng = da.random.default_rng(0)
        out: dict = {
            "config": {
                "gb": rows * cols * 4 / 1e9,
                "chunk_mib": chunk_rows * cols * 4 / 2**20,
                "workers": 2,
                "threads_per_worker": 1,
                "corepy_threads": client.run(cp.get_num_threads),
                "corepy_isa": cp.get_isa(),
            }
        }

        def gen(n):
            return rng.standard_normal((n, cols), dtype=np.float32, chunks=(chunk_rows, cols))

        # ---- (a * b + c).sum(): a, b, c persisted as NumPy chunks, wrapped as corepy chunks.
        out["(a*b+c).sum()"] = bench_abc(client, gen(third), gen(third), gen(third), args.repeat)
        time.sleep(1.0)  # the inputs are released

        # ---- (x - x.mean(axis=0)).std(axis=0) over the whole size.
        x = client.persist(gen(rows))
        wait(x)
        cx = client.persist(cpd.asarray(x))
        wait(cx)
        name = "(x-x.mean(0)).std(0)"
        out[name] = {
            "numpy": timed(client, lambda: (x - x.mean(axis=0)).std(axis=0), args.repeat),
            "corepy": timed(client, lambda: (cx - cx.mean(axis=0)).std(axis=0), args.repeat),
        }

    print(f"{'expression':<24} {'chunks':<7} {'median s':>9} {'min s':>8} {'peak +MB/worker':>18}")
    for name in ("(a*b+c).sum()", "(x-x.mean(0)).std(0)"):
        r = out[name]
        for kind in ("numpy", "corepy"):
            t = r[kind]
            peak = "/".join(f"{v:.0f}" for v in t["peak_rss_growth_mb"].values())
            print(f"{name:<24} {kind:<7} {t['median_s']:>9.3f} {t['min_s']:>8.3f} {peak:>18}")
        ratio = r["numpy"]["median_s"] / r["corepy"]["median_s"]
        r["speedup_median"] = ratio
        print(f"{name:<24} corepy speed-up (median): {ratio:.2f}x")
    Path(args.out).write_text(json.dumps(out, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
