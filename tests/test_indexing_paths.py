"""The fast indexing paths against NumPy: basic keys parsed in one pass (views), `.T`/`.mT`,
integer-array gathers and boolean-mask compresses (index kernels, parallel when large), the
stride-2 gather under element-wise ops, and the buffer export's strides."""

from __future__ import annotations

import ctypes
import mmap

import numpy as np
import pytest
from helpers import ALL_DTYPES, KNOWN_ISAS, random_array

import corepy as cp

ISAS = [i for i in KNOWN_ISAS if i in cp.config()["available_isas"]]


def arr(t):
    return np.asarray(t)


def shares(t, a):
    return np.shares_memory(arr(t), a)


# ---------------------------------------------------------------- basic keys


BASIC_KEYS = [
    0,
    -1,
    (1, 2),
    (-3, -1),
    slice(None),
    slice(1, None),
    slice(None, None, 2),
    slice(None, None, -1),
    slice(-2, 0, -2),
    slice(10**30, -(10**30), -3),
    slice(3, 1),
    (slice(1, None), slice(None, None, 2)),
    (Ellipsis, 1),
    (1, Ellipsis),
    (None, 1, None, slice(None, None, -2)),
    (Ellipsis, None),
    (None,),
    (),
    Ellipsis,
    (slice(None), 0, Ellipsis),
    (0, 0, 0),
    (2, slice(4, 0, -3), 1),
]


@pytest.mark.parametrize("key", BASIC_KEYS, ids=repr)
@pytest.mark.parametrize("layout", ["c", "reversed", "transposed", "broadcast"])
def test_basic_keys_give_numpy_views(key, layout):
    base = np.arange(3 * 5 * 4, dtype=np.int32).reshape(3, 5, 4)
    a = {
        "c": base,
        "reversed": base[::-1, :, ::-1],
        "transposed": base.transpose(2, 0, 1)[:3, :, :4].transpose(0, 2, 1),
        "broadcast": np.broadcast_to(base[:, :1, :], (3, 5, 4)),
    }[layout]
    t = cp.asarray(a)
    want = a[key]
    got = t[key]
    assert isinstance(got, cp.Tensor)
    assert got.shape == want.shape
    np.testing.assert_array_equal(arr(got), want)
    if want.size:
        assert shares(got, base)


def test_basic_views_write_through():
    a = np.zeros((4, 6), np.float64)
    t = cp.asarray(a)
    v = t[1:, ::-2][..., None]
    v[...] = 7.0
    b = np.zeros((4, 6))
    b[1:, ::-2] = 7.0
    np.testing.assert_array_equal(a, b)


def test_basic_keys_on_0d_and_empty():
    z = cp.asarray(np.array(5.0))
    assert z[()].shape == () and float(z[()]) == 5.0
    assert z[...].shape == ()
    assert z[None].shape == (1,)
    assert z[None, ..., None].shape == (1, 1)
    e = np.zeros((0, 3), np.float32)
    te = cp.asarray(e)
    for key in [(slice(None), 1), (slice(5, None),), (slice(None), slice(None, None, -1)), None]:
        assert te[key].shape == e[key].shape
    with pytest.raises(IndexError):
        te[0]


@pytest.mark.parametrize(
    ("key", "exc"),
    [
        (5, IndexError),
        (-6, IndexError),
        ((0, 7), IndexError),
        ((0, 0, 0), IndexError),
        ((Ellipsis, Ellipsis), IndexError),
        (slice(None, None, 0), ValueError),
        (2**70, IndexError),
        ((slice(0, 2**70), 0), None),
        (1.0, IndexError),
        ("a", IndexError),
        (slice("a", None), IndexError),
    ],
    ids=repr,
)
def test_basic_key_errors_match_numpy(key, exc):
    a = np.arange(30.0).reshape(5, 6)
    t = cp.asarray(a)
    if exc is None:
        np.testing.assert_array_equal(arr(t[key]), a[key])
        return
    with pytest.raises(exc):
        t[key]


def test_keys_outside_the_fast_path_still_work():
    a = np.arange(30.0).reshape(5, 6)
    t = cp.asarray(a)
    # numpy integers, bools, a tuple subclass, a list index
    np.testing.assert_array_equal(arr(t[np.int64(2)]), a[np.int64(2)])
    np.testing.assert_array_equal(arr(t[np.int32(-1), 1:]), a[np.int32(-1), 1:])
    np.testing.assert_array_equal(arr(t[True]), a[True])
    from collections import namedtuple

    key = namedtuple("K", "r c")(1, slice(None, None, 2))
    np.testing.assert_array_equal(arr(t[key]), a[tuple(key)])
    np.testing.assert_array_equal(arr(t[[0, 4]]), a[[0, 4]])


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (1, 5), (0, 3), (4, 1, 0)])
def test_transposes_are_views(shape):
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)[..., ::-1]
    t = cp.asarray(a)
    np.testing.assert_array_equal(arr(t.mT), np.swapaxes(a, -1, -2))
    if len(shape) == 2:
        np.testing.assert_array_equal(arr(t.T), a.T)
        np.testing.assert_array_equal(arr(t[1:, ::2].T), a[1:, ::2].T)
        if a.size:
            assert shares(t.T, a)
    else:
        with pytest.raises(ValueError):
            _ = t.T
    with pytest.raises(ValueError):
        _ = cp.asarray(np.arange(3.0)).mT


def test_buffer_export_strides_per_view():
    a = np.arange(24, dtype=np.int16).reshape(4, 6)
    t = cp.asarray(a)
    for v, want in [(t, a), (t[::2, ::-3], a[::2, ::-3]), (t.T, a.T), (t[None, 1], a[None, 1])]:
        with memoryview(v) as m:
            assert m.strides == want.strides
            assert m.shape == want.shape
            np.testing.assert_array_equal(np.asarray(m), want)
    # many exports of one view, released in any order
    v = t[:, 1::2]
    views = [memoryview(v) for _ in range(5)]
    for m in views[::2] + views[1::2]:
        assert m.strides == a[:, 1::2].strides
        m.release()


# ---------------------------------------------------------------- integer arrays


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_integer_array_take_every_dtype(rng, dtype):
    a = random_array(rng, 50, dtype)
    idx = rng.integers(-50, 50, size=37)
    t = cp.asarray(a)
    np.testing.assert_array_equal(arr(t[cp.asarray(idx)]), a[idx])
    np.testing.assert_array_equal(arr(t[idx.reshape(37, 1)]), a[idx.reshape(37, 1)])
    rows = random_array(rng, (20, 3), dtype)
    ridx = rng.integers(-20, 20, size=11)
    got = cp.asarray(rows)[cp.asarray(ridx)]
    assert got.dtype == rows.dtype
    np.testing.assert_array_equal(arr(got), rows[ridx])


@pytest.mark.parametrize(
    "make",
    [
        lambda a: a,
        lambda a: a[::-1],
        lambda a: a[::3],
        lambda a: a[:, ::2],  # trailing block not contiguous: general path
        lambda a: a.T,
        lambda a: np.broadcast_to(a[:1], a.shape),
    ],
)
@pytest.mark.parametrize("index_dtype", ["int64", "int32", "uint8", "int8"])
def test_integer_array_take_layouts(rng, make, index_dtype):
    a = make(rng.standard_normal((12, 6)))
    n = a.shape[0]
    lo = 0 if index_dtype == "uint8" else -n
    idx = rng.integers(lo, n, size=(3, 4)).astype(index_dtype)
    t = cp.asarray(a)
    for key in [idx, idx[::-1, ::2], idx[0], idx[0, 0], np.array([], dtype=index_dtype)]:
        want = a[key]
        got = t[cp.asarray(key)]
        assert got.shape == want.shape
        np.testing.assert_array_equal(arr(got), want)


@pytest.mark.parametrize("bad", [12, -13, 2**40, -(2**40)])
def test_integer_array_out_of_bounds(bad):
    a = np.arange(12.0)
    t = cp.asarray(a)
    with pytest.raises(IndexError, match=str(bad)):
        t[cp.asarray([0, 3, bad, 1])]
    with pytest.raises(IndexError):
        a[[0, 3, bad, 1]]
    with pytest.raises(IndexError):
        cp.asarray(a.reshape(12, 1))[cp.asarray([bad])]
    with pytest.raises(IndexError):
        cp.asarray(np.zeros(0))[cp.asarray([0])]
    assert cp.asarray(np.zeros(0))[cp.asarray(np.zeros(0, np.int64))].shape == (0,)


@pytest.mark.parametrize("threads", [1, 2])
def test_integer_array_take_large_parallel(rng, threads):
    cp.set_num_threads(threads)
    a = rng.standard_normal(300_000).astype(np.float32)
    idx = rng.integers(-a.size, a.size, size=200_000)
    t = cp.asarray(a)
    np.testing.assert_array_equal(arr(t[cp.asarray(idx)]), a[idx])
    rows = rng.standard_normal((70_000, 3))
    ridx = rng.integers(0, rows.shape[0], size=50_000)
    np.testing.assert_array_equal(arr(cp.asarray(rows)[cp.asarray(ridx)]), rows[ridx])
    # the first bad index is reported, wherever the chunks ran
    idx[150_000] = a.size + 5
    idx[190_000] = -a.size - 9
    with pytest.raises(IndexError, match=f"index {a.size + 5} is out"):
        t[cp.asarray(idx)]


# ---------------------------------------------------------------- boolean masks


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_mask_every_dtype(rng, dtype):
    a = random_array(rng, (9, 7), dtype)
    m = rng.random((9, 7)) < 0.4
    t = cp.asarray(a)
    np.testing.assert_array_equal(arr(t[cp.asarray(m)]), a[m])
    np.testing.assert_array_equal(arr(t[cp.asarray(m[:, 0])]), a[m[:, 0]])
    np.testing.assert_array_equal(arr(t.mT[cp.asarray(m.T)]), a.T[m.T])


@pytest.mark.parametrize(
    "make",
    [
        lambda a: a,
        lambda a: a[::-1],
        lambda a: a[::2],
        lambda a: a[:, :, ::-1],
        lambda a: a.transpose(1, 0, 2),  # leading axes do not flatten: general path
        lambda a: np.broadcast_to(a[:1], a.shape),
    ],
)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_mask_layouts(rng, make, k):
    a = make(rng.standard_normal((8, 6, 5)))
    m = rng.random(a.shape[:k]) < 0.5
    t = cp.asarray(a)
    for mask in [m, ~m, np.zeros_like(m), np.ones_like(m)]:
        want = a[mask]
        got = t[cp.asarray(mask)]
        assert got.shape == want.shape
        np.testing.assert_array_equal(arr(got), want)
    # a strided mask view
    mm = (rng.random(tuple(2 * d for d in a.shape[:k])) < 0.5)[(slice(None, None, 2),) * k]
    np.testing.assert_array_equal(arr(t[cp.asarray(mm)]), a[mm])


def test_mask_shape_mismatch_and_0d():
    a = np.arange(12.0).reshape(3, 4)
    t = cp.asarray(a)
    with pytest.raises(IndexError):
        t[cp.asarray(np.ones(4, bool))]
    with pytest.raises(IndexError):
        t[cp.asarray(np.ones((3, 4, 1), bool))]
    for m in [np.array(True), np.array(False)]:
        np.testing.assert_array_equal(arr(t[cp.asarray(m)]), a[m])
    e = np.zeros((0, 4))
    assert cp.asarray(e)[cp.asarray(np.zeros(0, bool))].shape == (0, 4)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("p", [0.0, 0.03, 0.5, 0.97, 1.0])
def test_mask_large_parallel(rng, threads, p):
    cp.set_num_threads(threads)
    a = rng.standard_normal(300_001).astype(np.float32)
    m = rng.random(a.size) < p
    t = cp.asarray(a)
    np.testing.assert_array_equal(arr(t[cp.asarray(m)]), a[m])
    rows = a[:300_000].reshape(100_000, 3)
    np.testing.assert_array_equal(arr(cp.asarray(rows)[cp.asarray(m[:100_000])]), rows[m[:100_000]])
    m2 = m[:300_000].reshape(600, 500)
    np.testing.assert_array_equal(arr(cp.nonzero(cp.asarray(m2))[1]), np.nonzero(m2)[1])


def test_mask_bytes_other_than_one_are_true():
    a = np.arange(6.0)
    raw = np.array([0, 2, 255, 0, 1, 128], np.uint8)
    m = cp.asarray(raw.tobytes(), dtype=cp.bool)
    np.testing.assert_array_equal(arr(cp.asarray(a)[m]), a[raw != 0])


# ---------------------------------------------------------------- stride-2 gathers


def guarded(nbytes):
    """A read-only NumPy byte array that ends exactly at an inaccessible page: a kernel that
    reads one byte past it crashes the test."""
    page = mmap.PAGESIZE
    span = -(-nbytes // page) * page
    m = mmap.mmap(-1, span + page)
    base = ctypes.addressof(ctypes.c_char.from_buffer(m))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    assert libc.mprotect(base + span, page, 0) == 0
    return np.frombuffer(m, np.uint8, count=nbytes, offset=span - nbytes), m


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_stride2_binary_ops_match_numpy(rng, isa, dtype):
    cp.set_isa(isa)
    for n in [2, 3, 17, 64, 65, 130, 4099]:
        a = random_array(rng, n, dtype)
        t = cp.asarray(a)
        e = n - n % 2
        op = np.logical_xor if dtype == "bool" else np.add
        got = cp.logical_xor(t[:e:2], t[1::2]) if dtype == "bool" else t[:e:2] + t[1::2]
        np.testing.assert_array_equal(arr(got), op(a[:e:2], a[1::2]))
        np.testing.assert_array_equal(
            arr(cp.abs(t[1::2]) if dtype != "bool" else ~t[1::2]),
            np.abs(a[1::2]) if dtype != "bool" else ~a[1::2],
        )


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["uint8", "int16", "float32", "float64", "complex64"])
def test_stride2_gather_stops_at_the_buffer_end(isa, dtype):
    cp.set_isa(isa)
    isz = np.dtype(dtype).itemsize
    for n in [64, 257, 4096]:
        raw, keep = guarded(n * isz)
        a = raw.view(dtype)
        t = cp.asarray(a)
        np.testing.assert_array_equal(arr(t[1::2] + t[1::2]), a[1::2] + a[1::2])
        np.testing.assert_array_equal(arr(t[::2] * t[::2]), a[::2] * a[::2])
        assert len(keep) > n * isz


def test_complex_parts_through_stride2(rng):
    z = (rng.standard_normal(1001) + 1j * rng.standard_normal(1001)).astype(np.complex64)
    t = cp.asarray(z)
    np.testing.assert_array_equal(arr(cp.real(t) + cp.imag(t)), z.real + z.imag)


@pytest.mark.parametrize("bad", [2**63, 2**64 - 1])
def test_uint64_indices_beyond_int64_are_out_of_bounds(bad):
    """A uint64 index above int64's range is out of bounds (the standard allows -n <= i < n),
    whichever path (gather or general) takes the key. NumPy and array-api-strict cast it to
    intp first, so 2**64 - 1 silently means -1 (the last element) there: corepy raises instead
    of answering with an element nobody asked for."""
    x = np.arange(10.0)
    t = cp.asarray(x)
    idx = np.array([1, bad], dtype=np.uint64)
    with pytest.raises(IndexError, match="out of bounds"):
        t[idx]
    with pytest.raises(IndexError, match="out of bounds"):
        t[(idx,)]
    t2 = cp.asarray(np.arange(20.0).reshape(2, 10))
    with pytest.raises(IndexError, match="out of bounds"):
        t2[:, idx]
    ok = np.array([0, 9, 3], dtype=np.uint64)
    np.testing.assert_array_equal(np.asarray(t[ok]), x[ok])
