"""What issue 16's hardest targets ask of this machine, measured in one run (2 threads):

    .venv/bin/python benchmarks/bounds_issue16.py [--budget 1.0]

1. sum / max / min along axis 1 of the 4096x4096 float32 matrix at 1.5x PyTorch. The matrix
   (64 MB) cannot be read faster than one streaming pass over all of it: the faster of corepy's
   and PyTorch's sums of the same memory as one flat vector. If PyTorch's time over that pass is
   below 1.5, no reduction along the axis can be 1.5x PyTorch's here.
2. The default (unstable) sort of 1e6 float32 and int64 keys at 3x NumPy's single-threaded
   AVX-512 quicksort. With 2 threads and perfect scaling, each core must then spend at most
   2/3 of NumPy's time per key, all in: key mapping, splitting the keys into cache-sized
   pieces, sorting each piece, writing out. The cheapest part alone, sorting pieces already in
   cache, is timed as NumPy's own sort of the same keys cut into rows of 1024 (its best per-key
   rate on this machine, below corepy's); what remains per key is the budget for splitting 1e6
   keys into such pieces and for the copies in and out.

Timing is `cp.bench.compare` on callables (steady state, round-robin, medians).
"""

from __future__ import annotations

import argparse

import numpy as np

import corepy as cp

try:
    import torch
except ImportError:  # the axis rows then have no peer to measure
    torch = None

THREADS = 2
ROW = 1024  # keys per in-cache row


def _median(res, label: str) -> float:
    return next(r.median_s for r in res if r.lib == label)


def reductions(budget: float) -> list[str]:
    if torch is None:
        return ["PyTorch not installed: the axis-1 rows have no peer"]
    x = np.random.default_rng(0).standard_normal((4096, 4096)).astype(np.float32)
    flat, t = cp.asarray(x.reshape(-1)), torch.from_numpy(x)
    reads = {"corepy sum, one flat pass": lambda: cp.sum(flat), "torch sum, one flat pass": t.sum}
    funcs = {
        **reads,
        "torch sum axis=1": lambda: t.sum(1),
        "torch max axis=1": lambda: t.amax(1),
        "torch min axis=1": lambda: t.amin(1),
    }
    res = cp.bench.compare(
        funcs, [x.size], setup=lambda n: (), check=False, budget=budget, threads=THREADS,
        progress=False, print_table=False, name="axis-1 bound",
    )  # fmt: skip
    floor = min(_median(res, label) for label in reads)
    lines = [
        f"full read of the 64 MB matrix (fastest sum of it as one vector): {floor * 1e3:.3f} ms"
    ]
    for label in list(funcs)[len(reads) :]:
        peer = _median(res, label)
        lines.append(
            f"{label}: {peer * 1e3:.3f} ms; 1.5x needs {peer / 1.5 * 1e3:.3f} ms; "
            f"the most any reduction can reach: {peer / floor:.2f}x"
        )
    return lines


def sorts(budget: float) -> list[str]:
    rng = np.random.default_rng(0)
    n = 1_000_000 // ROW * ROW
    keys = {
        "float32": rng.random(n, dtype=np.float32),
        "int64": rng.integers(-(2**62), 2**62, size=n),
    }
    lines = []
    for dt, x in keys.items():
        rows = x.reshape(-1, ROW)
        res = cp.bench.compare(
            {"numpy sort": lambda x=x: np.sort(x), "numpy rows": lambda r=rows: np.sort(r, axis=1)},
            [n], setup=lambda n: (), check=False, budget=budget, threads=THREADS, progress=False,
            print_table=False, name=f"sort bound {dt}",
        )  # fmt: skip
        whole, in_cache = _median(res, "numpy sort") / n, _median(res, "numpy rows") / n
        allowed = whole * THREADS / 3.0
        lines.append(
            f"sort {dt} {n:.0e}: NumPy {whole * 1e9:.2f} ns/key; 3x with {THREADS} threads allows "
            f"{allowed * 1e9:.2f} ns/key per core, all in; sorting {ROW}-key rows in cache alone "
            f"takes {in_cache * 1e9:.2f}, leaving {(allowed - in_cache) * 1e9:.2f} ns/key to split "
            "the keys into such rows and copy them in and out"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--budget", type=float, default=1.0, help="seconds per point")
    a = p.parse_args(argv)
    if torch is not None:
        torch.set_num_threads(THREADS)
    for line in reductions(a.budget) + sorts(a.budget):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
