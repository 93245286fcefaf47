"""The in-cache bucket sort's MSD path (keys whose range is too wide for three LSD passes: one
digit of about log2(n) + 2 bits, sub-buckets of more than 16 keys sorted in turn, one insertion
pass over the bucket) and the long-row bucket scratch (a reused per-thread block, or the row's
own scratch for buckets too large for it), against NumPy on every ISA, 1 and 2 threads."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import stable_ref

import corepy as cp

ISAS = cp.config()["available_isas"]


def wide(dtype, n, rng):
    """Keys over the dtype's whole range: every bucket takes the MSD path."""
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=n, dtype=dtype, endpoint=True)


def clustered(dtype, n, rng):
    """Wide-range keys with dense clusters and duplicates: sub-buckets far above 16 keys (the MSD
    recursion) and runs of equal keys (stability)."""
    x = wide(dtype, n, rng)
    info = np.iinfo(dtype)
    centres = rng.integers(info.min // 2, info.max // 2, size=3, dtype=dtype)
    k = n // 2
    x[:k] = centres[rng.integers(0, 3, k)] + rng.integers(0, 40, k).astype(dtype)
    rng.shuffle(x)
    return x


def check(x, axis=-1):
    """sort and argsort (stable and default, both directions) of x along axis, against NumPy."""
    cx = cp.asarray(x)
    want = np.sort(x, axis=axis)
    np.testing.assert_array_equal(np.asarray(cp.sort(cx, axis=axis)), want)
    np.testing.assert_array_equal(
        np.asarray(cp.sort(cx, axis=axis, descending=True)), np.flip(want, axis=axis)
    )
    for desc in (False, True):
        got = np.asarray(cp.argsort(cx, axis=axis, descending=desc, stable=True))
        np.testing.assert_array_equal(got, stable_ref(x, desc, axis))
        plain = np.asarray(cp.argsort(cx, axis=axis, descending=desc, stable=False))
        taken = np.take_along_axis(x, plain, axis=axis)
        np.testing.assert_array_equal(taken, np.flip(want, axis=axis) if desc else want)


# Row lengths around the bucket sort's thresholds: 256 (int64 keys) and 1024 (int32 keys) take
# it, 2^13 and 2^14 + 1 meet the widest MSD digit; many rows keep each row in one bucket sort.
@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint64", "int16"])
@pytest.mark.parametrize("n", [255, 256, 257, 1023, 1024, 1025, 3000, 8192, 16385])
def test_short_rows_wide_keys(isa, dtype, n):
    cp.set_isa(isa)
    rng = np.random.default_rng(n)
    rows = max(2, 20000 // n)
    check(wide(dtype, rows * n, rng).reshape(rows, n))
    check(clustered(dtype, rows * n, rng).reshape(n, rows), axis=0)


# Payload-free runs choose between LSD passes and the introsort by the range of their keys
# (int64: one or two passes of at most 11 bits, given a run of at least twice the histogram;
# int32: always the introsort on vector ISAs): ranges just inside and outside 2^22, far from zero,
# and runs just below and at 2^12 keys.
@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["int64", "int32"])
@pytest.mark.parametrize("bits", [8, 11, 21, 22, 23, 30])
@pytest.mark.parametrize("n", [2047, 4096, 5000])
def test_runs_around_the_lsd_range_limit(isa, dtype, bits, n):
    cp.set_isa(isa)
    rng = np.random.default_rng(bits * n)
    rows = 3
    base = np.iinfo(dtype).min // 3
    x = (base + rng.integers(0, 2**bits, size=(rows, n))).astype(dtype)
    x[:, 0] = base  # the full range in every row
    x[:, 1] = base + 2**bits - 1
    check(x)
    check(np.ascontiguousarray(x.T), axis=0)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["int64", "float64", "int32"])
@pytest.mark.parametrize("threads", [1, 2])
def test_long_rows_wide_and_clustered(isa, dtype, threads):
    cp.set_isa(isa)
    cp.set_num_threads(threads)
    rng = np.random.default_rng(7)
    n = 150_001
    if dtype == "float64":
        x = rng.standard_normal(n) * np.exp(rng.uniform(-300, 300, n))
        x[rng.integers(0, n, 50)] = np.nan
        x[rng.integers(0, n, 50)] = -0.0
        x[rng.integers(0, n, 50)] = 0.0
        cx = cp.asarray(x)
        np.testing.assert_array_equal(np.asarray(cp.sort(cx)), np.sort(x))
        got = np.asarray(cp.argsort(cx, stable=True))
        # -0.0 and 0.0 compare equal: NumPy's stable order is the reference
        np.testing.assert_array_equal(got, np.argsort(x, kind="stable"))
        return
    check(wide(dtype, n, rng))
    check(clustered(dtype, n, rng))


# The long-row scatter combines its writes per bucket into 64-byte lines (non-temporal stores
# for lines a chunk wrote whole, plain stores for the lines chunks and buckets share) for more
# than 64 write streams and up to 1024 buckets, and stores directly otherwise (the scalar table
# always): row lengths that are and are not multiples of a line's keys, payloads or not (4-byte
# keys combine from ~600k keys with payloads), one and two chunks, and an int64 argsort of 3e6
# keys (1024 buckets, the limit).
@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["int64", "int32", "float32", "float64"])
@pytest.mark.parametrize("n", [65_536, 65_543, 200_000, 200_005, 600_000, 600_005])
@pytest.mark.parametrize("threads", [1, 2])
def test_long_row_combined_writes(isa, dtype, n, threads):
    cp.set_isa(isa)
    cp.set_num_threads(threads)
    rng = np.random.default_rng(n)
    if dtype.startswith("float"):
        x = rng.standard_normal(n).astype(dtype)
        cx = cp.asarray(x)
        np.testing.assert_array_equal(np.asarray(cp.sort(cx)), np.sort(x))
        np.testing.assert_array_equal(
            np.asarray(cp.argsort(cx, stable=True)), np.argsort(x, kind="stable")
        )
        taken = x[np.asarray(cp.argsort(cx, descending=True))]
        np.testing.assert_array_equal(taken, np.sort(x)[::-1])
        return
    check(clustered(dtype, n, rng))


@pytest.mark.parametrize("threads", [1, 2])
def test_long_row_at_the_combined_bucket_limit(threads):
    cp.set_num_threads(threads)
    x = wide("int64", 3_000_000, np.random.default_rng(17))
    cx = cp.asarray(x)
    np.testing.assert_array_equal(
        np.asarray(cp.argsort(cx, stable=True)), np.argsort(x, kind="stable")
    )
    np.testing.assert_array_equal(np.asarray(cp.sort(cx)), np.sort(x))


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", ["int64", "int32", "float32"])
def test_long_row_bucket_larger_than_the_thread_scratch(threads, dtype):
    # One value fills a bucket of 200k keys (MBs with payloads): it is sorted in the row's own
    # scratch or a block of its own (argsort of int32 / int64 reads its keys from the input),
    # beside buckets sorted in the per-thread block.
    cp.set_num_threads(threads)
    rng = np.random.default_rng(3)
    n = 300_000
    x = rng.integers(-(10**12), 10**12, n).astype(dtype)
    x[rng.permutation(n)[:200_000]] = 12345
    check(x)


def test_one_and_two_threads_agree():
    rng = np.random.default_rng(11)
    x = clustered("int64", 200_003, rng)
    cx = cp.asarray(x)
    out = {}
    for t in (1, 2):
        cp.set_num_threads(t)
        out[t] = (np.asarray(cp.sort(cx)), np.asarray(cp.argsort(cx, stable=True)))
    np.testing.assert_array_equal(out[1][0], out[2][0])
    np.testing.assert_array_equal(out[1][1], out[2][1])


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_long_row_payload_in_the_output(threads, dtype):
    # argsort and a stable float sort meeting -0.0 / NaN carry an index payload, parked in the
    # output until the scatter has read it; a bucket of 120k equal keys is sorted in a block of
    # its own.
    cp.set_num_threads(threads)
    rng = np.random.default_rng(13)
    n = 200_001
    x = rng.standard_normal(n).astype(dtype)
    x[rng.permutation(n)[:120_000]] = 0.5
    x[rng.integers(0, n, 40)] = np.nan
    x[rng.integers(0, n, 40)] = -0.0
    x[rng.integers(0, n, 40)] = 0.0
    cx = cp.asarray(x)
    got = np.asarray(cp.sort(cx, stable=True))
    np.testing.assert_array_equal(
        got.view(f"u{x.itemsize}"), x[np.argsort(x, kind="stable")].view(f"u{x.itemsize}")
    )
    for desc in (False, True):
        np.testing.assert_array_equal(
            np.asarray(cp.argsort(cx, stable=True, descending=desc)), stable_ref(x, desc)
        )
