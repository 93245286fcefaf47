"""sort and argsort against NumPy and array-api-strict: every real dtype, axis, descending,
stability, NaN / inf / -0.0, layouts, sizes around every kernel path, ISAs and thread counts."""

from __future__ import annotations

import array_api_strict as xps
import numpy as np
import pytest
from helpers import REAL_DTYPES
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import corepy as cp

ISAS = cp.config()["available_isas"]
# Around the register networks (8 vectors), the radix / bucket start (4096) and the parallel
# split of one long row (65536).
SIZES = [0, 1, 2, 3, 7, 8, 9, 31, 32, 33, 64, 65, 255, 257, 4095, 4096, 4097, 70001]


def keys(rng, shape, dtype, *, distinct=10):
    """Random values with many duplicates (distinct values at most `distinct`), and for floats
    NaNs of both signs, infinities and zeros of both signs; distinct=None: random values."""
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype.startswith("float"):
        if distinct is None:
            x = rng.standard_normal(shape).astype(dtype) * 1e3
        else:
            x = rng.integers(-distinct // 2, distinct // 2 + 1, size=shape).astype(dtype) / 4
        flat = x.reshape(-1)
        n = flat.size
        if n:
            for v in (np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0):
                flat[rng.integers(0, n, size=max(1, n // 20))] = v
        return x
    info = np.iinfo(dtype)
    if distinct is None:
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    pool = rng.integers(info.min, info.max, size=distinct, dtype=dtype, endpoint=True)
    pool[:2] = [info.min, info.max]
    return pool[rng.integers(0, distinct, size=shape)]


def ref_argsort(x, axis, descending):
    """Stable argsort; descending keeps equal values in their original order (array-api-strict's
    definition: the reversed ascending sort of the reversed array)."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    flipped = np.flip(np.argsort(np.flip(x, axis), axis=axis, kind="stable"), axis)
    return x.shape[axis] - 1 - flipped


def ref_sort(x, axis, descending):
    return np.take_along_axis(x, ref_argsort(x, axis, descending), axis=axis)


def same_bits(got, want):
    """Equal values bit for bit (-0.0 is not 0.0, NaN payloads count) with dtype and shape."""
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "f":
        u = f"u{want.dtype.itemsize}"
        np.testing.assert_array_equal(got.view(u), want.view(u))
    else:
        np.testing.assert_array_equal(got, want)


def check(x, axis=-1, descending=False, stable=True):
    s = cp.sort(x, axis=axis, descending=descending, stable=stable)
    a = cp.argsort(x, axis=axis, descending=descending, stable=stable)
    assert isinstance(s, cp.Tensor) and isinstance(a, cp.Tensor)
    assert a.dtype == "int64"
    want_a = ref_argsort(x, axis, descending)
    want_s = ref_sort(x, axis, descending)
    if stable:
        same_bits(s, want_s)
        np.testing.assert_array_equal(np.asarray(a), want_a)
    else:
        # Any order among equal values: the values match (-0.0 == 0.0, NaN == NaN), and the
        # indices are a permutation that sorts.
        np.testing.assert_array_equal(np.asarray(s), want_s)
        got_a = np.asarray(a)
        np.testing.assert_array_equal(np.take_along_axis(x, got_a, axis=axis), want_s)
        np.testing.assert_array_equal(np.sort(got_a, axis=axis), np.sort(want_a, axis=axis))


@pytest.mark.parametrize("dtype", REAL_DTYPES)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("stable", [True, False])
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_matches_numpy_2d(rng, dtype, descending, stable, axis):
    check(keys(rng, (23, 301), dtype), axis, descending, stable)


@pytest.mark.parametrize("dtype", REAL_DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_sizes_every_path(rng, dtype, n):
    x = keys(rng, n, dtype, distinct=max(2, n // 3))
    for descending in (False, True):
        check(x, descending=descending)


@pytest.mark.parametrize("dtype", ["int32", "int64", "float32", "float64", "uint64", "uint32"])
def test_distinct_full_range(rng, dtype):
    """Distinct keys over the whole range (no duplicates: unstable sorts must agree too)."""
    if dtype.startswith("float"):
        x = rng.standard_normal(100_000).astype(dtype) * 1e30
    else:
        info = np.iinfo(dtype)
        x = rng.integers(info.min, info.max, size=100_000, dtype=dtype, endpoint=True)
    for descending in (False, True):
        for stable in (False, True):
            check(x, descending=descending, stable=stable)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", ["int8", "uint16", "int32", "int64", "float32", "float64"])
def test_every_isa_and_thread_count(rng, isa, threads, dtype):
    cp.set_isa(isa)
    cp.set_num_threads(threads)
    for n, distinct in ((300_001, 7), (150_000, None), (5000, 50)):
        x = keys(rng, n, dtype, distinct=distinct)
        check(x)
        check(x, descending=True, stable=False)
    check(keys(rng, (40, 3001), dtype), axis=0)


def test_stability_many_duplicates(rng):
    x = rng.integers(0, 3, size=200_000).astype("float32")
    for descending in (False, True):
        got = np.asarray(cp.argsort(x, descending=descending))
        np.testing.assert_array_equal(got, ref_argsort(x, 0, descending))
    same_bits(cp.sort(np.array([0.0, -0.0, 0.0, -0.0])), np.array([0.0, -0.0, 0.0, -0.0]))


def test_float_order_nan_last_and_first():
    x = np.array([np.nan, 1.0, -np.inf, -0.0, np.inf, -np.nan, 0.0, -2.0], dtype="float64")
    got = np.asarray(cp.sort(x))
    np.testing.assert_array_equal(got[:6], [-np.inf, -2.0, 0.0, 0.0, 1.0, np.inf])
    assert np.isnan(got[6:]).all()
    got = np.asarray(cp.sort(x, descending=True))
    assert np.isnan(got[:2]).all()
    np.testing.assert_array_equal(got[2:], [np.inf, 1.0, 0.0, 0.0, -2.0, -np.inf])
    # the unstable sort gives the values back bit for bit (a permutation of the input)
    u = np.sort(np.asarray(cp.sort(x, stable=False)).view("u8"))
    np.testing.assert_array_equal(u, np.sort(x.view("u8")))


@pytest.mark.parametrize("dtype", ["int64", "float32", "uint8"])
def test_layouts(rng, dtype):
    base = keys(rng, (64, 90), dtype)
    views = [base[::2, ::-3], base.T, base[:, 5], base[::-1], np.broadcast_to(base[:1], (7, 90))]
    for v in views:
        for axis in range(-v.ndim, v.ndim):
            check(v, axis=axis)
    t = cp.asarray(base)
    for v in (t.T, t[::3, 1::2], t.mT):
        for axis in (0, 1):
            got = np.asarray(cp.sort(v, axis=axis))
            same_bits(got, ref_sort(np.asarray(v), axis, False))


def test_3d_every_axis(rng):
    x = keys(rng, (5, 6, 700), "int16")
    for axis in (-3, -2, -1, 0, 1, 2):
        check(x, axis=axis, descending=True)


def test_empty_and_one_element():
    for shape in [(0,), (3, 0), (0, 4), (1,), (1, 1)]:
        x = np.zeros(shape, dtype="float32")
        for axis in range(-len(shape), len(shape)):
            check(x, axis=axis)


def test_against_array_api_strict(rng):
    x = keys(rng, (9, 50), "int32")
    for descending in (False, True):
        for axis in (0, 1):
            want = xps.argsort(xps.asarray(x), axis=axis, descending=descending)
            got = cp.argsort(x, axis=axis, descending=descending)
            np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
            want = xps.sort(xps.asarray(x), axis=axis, descending=descending)
            np.testing.assert_array_equal(
                np.asarray(cp.sort(x, axis=axis, descending=descending)), np.asarray(want)
            )


def test_bad_inputs():
    x = np.arange(6.0).reshape(2, 3)
    for f in (cp.sort, cp.argsort):
        with pytest.raises(cp.AxisError):
            f(x, axis=2)
        with pytest.raises(cp.AxisError):
            f(x, axis=-3)
        with pytest.raises(cp.AxisError):  # 0-d: no axis is valid
            f(np.float64(3.0))
        with pytest.raises(TypeError):
            f(np.array([1 + 2j, 3j]))
        with pytest.raises(TypeError):
            f(x, axis=1.0)
        with pytest.raises(TypeError):
            f(x, axis=None)
        with pytest.raises(TypeError):
            f(x, 0)  # axis is keyword-only
    # a failed call leaves the input untouched
    np.testing.assert_array_equal(x, np.arange(6.0).reshape(2, 3))


def test_input_untouched_and_result_fresh(rng):
    x = keys(rng, 100_000, "float64")
    before = x.copy()
    s = cp.sort(x)
    same_bits(x, before)
    assert not np.shares_memory(np.asarray(s), x)


@given(
    hnp.arrays(
        dtype=st.sampled_from(["int8", "uint32", "int64", "float32", "float64", "bool"]),
        shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=40),
    ),
    st.data(),
)
def test_hypothesis(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    descending = data.draw(st.booleans())
    stable = data.draw(st.booleans())
    check(x, axis=axis, descending=descending, stable=stable)


def patterns(rng, n, dtype):
    """Inputs that break naive quicksorts or radix sorts: sorted, reversed, all equal, organ
    pipe, sawtooth, two values, and a skewed range (most keys in a tiny span plus a few far
    outliers, so one radix bucket holds nearly everything)."""
    base = keys(rng, n, dtype, distinct=None)
    s = np.sort(base)
    half = np.concatenate([s[: n // 2], s[: n - n // 2][::-1]])
    saw = np.tile(np.sort(base[:97]), n // 97 + 1)[:n]
    two = base[rng.integers(0, 2, size=n) * 3]
    if dtype.startswith("float"):
        skew = (1.0 + rng.random(n) * 1e-3).astype(dtype)
    else:
        skew = rng.integers(1000, 1100, size=n).astype(dtype)
    skew[rng.integers(0, n, size=5)] = base[:5]
    return {
        "sorted": s,
        "reversed": s[::-1].copy(),
        "equal": np.full(n, base[0]),
        "organ": half,
        "saw": saw,
        "two": two,
        "skew": skew,
    }


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", ["float32", "int64", "uint32", "float64", "int16"])
def test_adversarial_patterns_long_rows(rng, dtype, threads):
    """Long rows (the parallel radix path) and mid-sized ones (the in-cache bucket sort) on
    patterns that would make a plain quicksort quadratic; sorted, equal and skewed inputs too."""
    cp.set_num_threads(threads)
    for n in (70_001, 3000):
        for name, x in patterns(rng, n, dtype).items():
            check(x)
            check(x, descending=True, stable=False)
            assert x.shape == (n,), name


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_bucket_sizes_every_isa(rng, isa, dtype):
    """Rows around the in-cache radix bucket sort's limits (256 and 1024 keys from, 2^16 up to)
    with duplicates, signed zeros and NaNs, stable and not, on every ISA."""
    cp.set_isa(isa)
    for n in (255, 256, 1023, 1024, 1025, 65535, 65536, 65537):
        for distinct in (None, 40):
            x = keys(rng, n, dtype, distinct=distinct)
            check(x)
            check(x, descending=True)
            check(x, stable=False)


def test_float_specials_long_row_stable(rng):
    """A long row with -0.0 / +0.0 and NaNs of both signs: the stable sort keeps their input
    order (the index path), the unstable one gives the same values."""
    x = keys(rng, 200_000, "float32", distinct=20)
    for threads in (1, 2):
        cp.set_num_threads(threads)
        check(x)
        check(x, descending=True)
        check(x, stable=False)


def bucket_map_inputs(rng, n, dtype):
    """Long rows whose key distributions stress the split into equal-depth buckets: uniform
    [0, 1) floats (half the keys in one binade), one value holding half the row (a fine bin far
    above the bucket size), a range narrower than the fine histogram, the full integer range."""
    if dtype.startswith("float"):
        uniform = rng.random(n).astype(dtype)
        heavy = uniform.copy()
        heavy[rng.random(n) < 0.5] = 0.75
        narrow = (rng.integers(0, 1000, size=n) / 1024 + 1).astype(dtype)
        return {"uniform": uniform, "heavy": heavy, "narrow": narrow}
    info = np.iinfo(dtype)
    wide = rng.integers(info.min, info.max, size=n, dtype=dtype, endpoint=True)
    heavy = wide.copy()
    heavy[rng.random(n) < 0.5] = 7
    narrow = rng.integers(-3000, 3000, size=n).astype(dtype)
    return {"wide": wide, "heavy": heavy, "narrow": narrow}


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", ["float32", "int64", "float64", "int32"])
def test_long_row_equal_depth_buckets(rng, dtype, threads):
    """One long row is split into buckets of consecutive fine histogram bins of similar counts:
    every distribution above sorts (stable, descending, unstable) and argsorts as NumPy does."""
    cp.set_num_threads(threads)
    for name, x in bucket_map_inputs(rng, 200_001, dtype).items():
        check(x)
        check(x, descending=True)
        check(x, stable=False)
        assert x.shape == (200_001,), name
