"""Sort paths added for issue 16's speed targets, against NumPy on every ISA: the float key map a
register at a time (specials in every lane and in the scalar tail), and long int32 / int64 rows
whose keys are read in place from the input (which must stay untouched)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import stable_ref

import corepy as cp

ISAS = cp.config()["available_isas"]


def same_bits(got, want):
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got.view(f"u{got.itemsize}"), want.view(f"u{want.itemsize}"))


def specials(dtype, n, rng):
    """n values, each lane position of a register meeting NaNs of both signs, signed zeros,
    infinities and subnormals."""
    tiny = np.finfo(dtype).smallest_subnormal
    pool = np.array(
        [np.nan, -np.nan, 0.0, -0.0, np.inf, -np.inf, tiny, -tiny, 1.5, -1.5], dtype=dtype
    )
    x = pool[rng.integers(0, pool.size, size=n)]
    x[::3] = rng.standard_normal(x[::3].size).astype(dtype)
    return x


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_key_map_every_lane(isa, dtype):
    cp.set_isa(isa)
    rng = np.random.default_rng(16)
    for n in (1, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 70_001):
        x = specials(dtype, n, rng)
        for descending in (False, True):
            want = stable_ref(x, descending)
            np.testing.assert_array_equal(np.asarray(cp.argsort(x, descending=descending)), want)
            same_bits(cp.sort(x, descending=descending), x[want])
            got = np.asarray(cp.sort(x, descending=descending, stable=False))
            ref = x[want]
            np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
            np.testing.assert_array_equal(got[~np.isnan(got)], ref[~np.isnan(ref)])


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["int32", "int64"])
@pytest.mark.parametrize("threads", [1, 2])
def test_long_int_row_keys_in_place(isa, dtype, threads):
    cp.set_isa(isa)
    cp.set_num_threads(threads)
    rng = np.random.default_rng(17)
    info = np.iinfo(dtype)
    n = 150_001
    wide = rng.integers(info.min, info.max, size=n, dtype=dtype, endpoint=True)
    dup = rng.integers(-50, 50, size=n).astype(dtype)
    for x in (wide, dup):
        before = x.copy()
        for stable in (True, False):
            np.testing.assert_array_equal(np.asarray(cp.sort(x, stable=stable)), np.sort(x))
            np.testing.assert_array_equal(x, before)  # the keys were read in place, not moved
        np.testing.assert_array_equal(np.asarray(cp.sort(x, descending=True)), np.sort(x)[::-1])
        np.testing.assert_array_equal(np.asarray(cp.argsort(x)), np.argsort(x, kind="stable"))
        t = cp.asarray(x)
        np.testing.assert_array_equal(np.asarray(cp.sort(t)), np.sort(x))
        np.testing.assert_array_equal(np.asarray(t), before)
        # a strided row is not read in place: it takes the copying path
        np.testing.assert_array_equal(np.asarray(cp.sort(x[::2])), np.sort(x[::2]))
