"""Tensor's protocols with NumPy and pickle: dtype objects with NumPy's attributes, NEP 13
(__array_ufunc__), NEP 18 (__array_function__), the NumPy-style methods, and pickling with
protocol 5 out-of-band buffers (PEP 574). Dask relies on all of them (tests/test_dask.py)."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pytest
from helpers import ALL_DTYPES

import corepy as cp

REAL = ["int8", "int32", "int64", "uint8", "uint64", "float32", "float64"]


def sample(dtype: str, shape=(3, 4), seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith(("int", "uint")):
        return rng.integers(1, 9, shape).astype(dtype)
    x = rng.standard_normal(shape) + 2.0
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def assert_tensor_equal(got, want: np.ndarray, rtol=None) -> None:
    assert isinstance(got, cp.Tensor), type(got)
    g = np.asarray(got)
    assert g.shape == want.shape and g.dtype == want.dtype, (
        g.shape,
        g.dtype,
        want.shape,
        want.dtype,
    )
    if rtol is None:
        np.testing.assert_array_equal(g, want)
    else:
        np.testing.assert_allclose(g, want, rtol=rtol)


# ----------------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("name", ALL_DTYPES)
def test_dtype_objects_carry_numpy_attributes(name):
    t = cp.asarray(sample(name))
    d, nd = t.dtype, np.dtype(name)
    assert d is getattr(cp, name) and isinstance(d, str)
    assert d == name and d == nd and nd == d and hash(d) == hash(name)
    assert d == nd.type and not (d != nd.type)
    assert (d.kind, d.itemsize, d.char, d.type, d.name, d.str) == (
        nd.kind,
        nd.itemsize,
        nd.char,
        nd.type,
        nd.name,
        nd.str,
    )
    assert np.dtype(d) == nd and d.numpy() == nd
    assert pickle.loads(pickle.dumps(d)) is d
    # Not array-like: no shape/ndim; a misspelt attribute is an AttributeError.
    assert not hasattr(d, "shape") and not hasattr(d, "ndim")
    with pytest.raises(AttributeError):
        d.kindd  # noqa: B018
    assert d != "float16" and d != np.float16


# ------------------------------------------------------------------------------ NEP 13 ufuncs

BINARY = [
    np.add,
    np.subtract,
    np.multiply,
    np.true_divide,
    np.maximum,
    np.minimum,
    np.equal,
    np.less,
    np.greater_equal,
    np.logical_and,
    np.power,
]
UNARY_FLOAT = [np.exp, np.log, np.sqrt, np.sin, np.arctan, np.negative, np.absolute, np.floor]


@pytest.mark.parametrize("ufunc", BINARY, ids=lambda u: u.__name__)
@pytest.mark.parametrize("dtype", ["int32", "int64", "float32", "float64"])
def test_binary_ufuncs_run_corepy(ufunc, dtype):
    a, b = sample(dtype, seed=1), sample(dtype, (4,), seed=2)
    ta, tb = cp.asarray(a), cp.asarray(b)
    want = ufunc(a, b)
    rtol = 1e-6 if want.dtype.kind == "f" else None
    assert_tensor_equal(ufunc(ta, tb), want, rtol)
    # A NumPy operand beside a tensor: still corepy's answer, a Tensor.
    assert_tensor_equal(ufunc(a, tb), want, rtol)
    assert_tensor_equal(ufunc(ta, b), want, rtol)


@pytest.mark.parametrize("ufunc", UNARY_FLOAT, ids=lambda u: u.__name__)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_ufuncs_run_corepy(ufunc, dtype):
    a = sample(dtype)
    assert_tensor_equal(ufunc(cp.asarray(a)), ufunc(a), rtol=2e-6)


def test_ufunc_out_dtype_and_operators():
    a = sample("float64")
    t = cp.asarray(a)
    out = cp.empty((3, 4), dtype="float64")
    r = np.multiply(t, 2.0, out=out)
    assert r is out
    assert_tensor_equal(out, a * 2.0)
    nout = np.empty((3, 4))
    assert np.add(t, 1.0, out=nout) is nout
    np.testing.assert_array_equal(nout, a + 1.0)
    assert_tensor_equal(np.add(t, t, dtype="float32"), np.add(a, a, dtype="float32"), rtol=1e-6)
    # ndarray <op> tensor defers to the tensor (__array_ufunc__, __array_priority__).
    assert_tensor_equal(a + t, a + a)
    assert_tensor_equal(a * t > 3, a * a > 3)
    assert_tensor_equal(np.matmul(t, cp.asarray(a.T)), a @ a.T, rtol=1e-12)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_power_of_two_is_the_square(dtype):
    # x ** 2 takes the square's kernel (NumPy's fast path); dtype and values are pow's.
    a = sample(dtype)
    t = cp.asarray(a)
    for e in (2, 2.0, 3):
        with np.errstate(over="ignore"):
            want = a**e
        if dtype == "bool" and e == 2.0:
            continue  # NumPy 2: bool ** float is float64, corepy's pow says the same
        rtol = 1e-6 if want.dtype.kind in "fc" else None
        assert_tensor_equal(t**e, want, rtol)


def test_ufunc_reduce_and_accumulate():
    a = sample("float64", (4, 5))
    t = cp.asarray(a)
    assert_tensor_equal(np.add.reduce(t), np.add.reduce(a), rtol=1e-12)
    assert_tensor_equal(np.add.reduce(t, axis=1, keepdims=True), a.sum(1, keepdims=True), 1e-12)
    assert_tensor_equal(np.maximum.reduce(t, axis=None), np.maximum.reduce(a, axis=None))
    assert_tensor_equal(np.multiply.accumulate(t, axis=1), np.multiply.accumulate(a, 1), 1e-12)
    b = a > 2
    assert_tensor_equal(np.logical_or.reduce(cp.asarray(b), axis=0), b.any(0))


def test_ufuncs_corepy_lacks_raise_type_error():
    t = cp.asarray(sample("float64"))
    # No corepy function, or an argument corepy does not take: NotImplemented -> TypeError,
    # never a silent NumPy array.
    for call in (
        lambda: np.divmod(t, 2.0),
        lambda: np.cbrt(t),
        lambda: np.add(t, 1.0, where=np.ones((3, 4), bool)),
        lambda: np.add.outer(t, t),
        lambda: np.add.reduceat(t, [0, 1]),
        lambda: np.add(t, 1.0, casting="unsafe"),
    ):
        with pytest.raises(TypeError):
            call()
    # Wrong dtype for the op: corepy's own TypeError.
    with pytest.raises(TypeError):
        np.bitwise_and(t, t)


# ---------------------------------------------------------------------------- NEP 18 functions


@pytest.mark.parametrize("dtype", REAL)
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_numpy(dtype, axis, keepdims):
    a = sample(dtype, (3, 4, 2))
    t = cp.asarray(a)
    kw = {"axis": axis, "keepdims": keepdims}
    for f in (np.sum, np.prod, np.max, np.min, np.any, np.all):
        want = f(a, **kw)
        assert_tensor_equal(f(t, **kw), want, rtol=1e-5 if want.dtype.kind == "f" else None)
    for f in (np.mean, np.std, np.var):
        want = f(a, **kw)
        assert_tensor_equal(f(t, **kw), want, rtol=1e-5)
    assert_tensor_equal(np.std(t, ddof=1, **kw), np.std(a, ddof=1, **kw), rtol=1e-5)
    assert_tensor_equal(np.sum(t, dtype="float64", **kw), np.sum(a, dtype="float64", **kw), 1e-9)
    if axis is None or isinstance(axis, int):
        for f in (np.argmax, np.argmin, np.cumsum):
            if f is np.cumsum and keepdims:
                continue
            args = {"axis": axis} if f is np.cumsum else kw
            want = f(a, **args)
            assert_tensor_equal(f(t, **args), want, rtol=1e-6 if want.dtype.kind == "f" else None)


def test_nan_reductions():
    a = sample("float64", (4, 3))
    a[1, 2] = np.nan
    a[:, 0] = np.nan
    t = cp.asarray(a)
    for f in (np.nansum, np.nanprod, np.nanmean, np.nanmax, np.nanmin):
        for axis in (None, 0, 1):
            with warnings.catch_warnings():  # NumPy warns of the all-NaN column
                warnings.simplefilter("ignore", RuntimeWarning)
                want = f(a, axis=axis)
            assert_tensor_equal(f(t, axis=axis), want, rtol=1e-12)


def test_manipulation_and_creation_functions():
    a = sample("float32", (3, 4))
    t = cp.asarray(a)
    assert_tensor_equal(np.concatenate([t, t], axis=1), np.concatenate([a, a], axis=1))
    assert_tensor_equal(np.concatenate([t, a], axis=None), np.concatenate([a, a], axis=None))
    assert_tensor_equal(np.stack([t, t], axis=-1), np.stack([a, a], axis=-1))
    assert_tensor_equal(np.where(t > 2, t, 0.0), np.where(a > 2, a, np.float32(0)))
    assert_tensor_equal(np.broadcast_to(t[:1], (5, 4)), np.broadcast_to(a[:1], (5, 4)))
    assert_tensor_equal(np.reshape(t, (2, 6)), a.reshape(2, 6))
    assert_tensor_equal(np.transpose(t), a.T)
    assert_tensor_equal(np.transpose(t[None], (2, 0, 1)), np.transpose(a[None], (2, 0, 1)))
    assert_tensor_equal(np.expand_dims(t, (0, 2)), np.expand_dims(a, (0, 2)))
    assert_tensor_equal(np.squeeze(t[None, :, None]), a)
    assert_tensor_equal(np.tensordot(t, t, axes=([0], [0])), np.tensordot(a, a, ([0], [0])), 1e-5)
    assert_tensor_equal(np.tensordot(t, t.T, axes=1), np.tensordot(a, a.T, 1), rtol=1e-5)
    assert_tensor_equal(np.dot(t, t.T), a @ a.T, rtol=1e-5)
    assert_tensor_equal(np.clip(t, 1.5, 2.5), np.clip(a, 1.5, 2.5))
    assert_tensor_equal(np.take(t, [2, 0], axis=1), np.take(a, [2, 0], axis=1))
    assert_tensor_equal(np.moveaxis(t, 0, 1), np.moveaxis(a, 0, 1))
    for f in (np.zeros_like, np.ones_like):
        assert_tensor_equal(f(t), f(a))
        assert_tensor_equal(f(t, dtype="int8", shape=(2,)), f(a, dtype="int8", shape=(2,)))
    assert_tensor_equal(np.full_like(t, 7, shape=(2, 2)), np.full_like(a, 7, shape=(2, 2)))
    assert_tensor_equal(np.full_like(t, 7, "int16"), np.full_like(a, 7, "int16"))
    e = np.empty_like(t, shape=(0, 3))
    assert isinstance(e, cp.Tensor) and e.shape == (0, 3) and e.dtype == "float32"
    # like= creation (Dask builds chunks and metas this way).
    assert_tensor_equal(np.array([], like=t, ndmin=2, dtype="float32"), np.empty((1, 0), "f4"))
    assert_tensor_equal(np.asarray([1, 2], like=t), np.asarray([1, 2]))
    assert_tensor_equal(np.zeros((2, 3), like=t), np.zeros((2, 3)))
    assert_tensor_equal(np.full((2,), 3.0, like=t, dtype="float32"), np.full(2, 3.0, "f4"))
    # Queries answer as NumPy does.
    assert np.allclose(t, a) and np.array_equal(t, a) and np.shape(t) == (3, 4)
    assert np.shares_memory(t, np.asarray(t)) and np.result_type(t, 1.0) == np.float32


def test_functions_corepy_lacks_raise_type_error():
    t = cp.asarray(sample("float64"))
    for call in (
        lambda: np.einsum("ij->i", t),
        lambda: np.sum(t, where=np.ones((3, 4), bool)),
        lambda: np.reshape(t, (4, 3), order="F"),
        lambda: np.concatenate([t, t], out=np.empty((6, 4))),
        lambda: np.round(t, 2),
        lambda: np.percentile(t, 50),
    ):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(cp.AxisError):
        np.sum(t, axis=3)
    with pytest.raises(ValueError):
        np.concatenate([t, t.T])


def test_numpy_style_methods():
    a = sample("float64", (1, 3, 4))
    t = cp.asarray(a)
    assert_tensor_equal(t.squeeze(0), a.squeeze(0))
    assert_tensor_equal(t.squeeze(), a.squeeze())
    assert_tensor_equal(t.ravel(), a.ravel())
    assert_tensor_equal(t.transpose(2, 0, 1), a.transpose(2, 0, 1))
    assert_tensor_equal(t.transpose(), a.transpose())
    assert_tensor_equal(t.swapaxes(0, 2), a.swapaxes(0, 2))
    assert_tensor_equal(t.max(axis=1), a.max(axis=1))
    assert_tensor_equal(t.std(axis=2, ddof=1), a.std(axis=2, ddof=1), rtol=1e-12)
    assert_tensor_equal(t.cumsum(axis=2), a.cumsum(axis=2), rtol=1e-12)
    assert_tensor_equal(t.argmin(axis=2), a.argmin(axis=2))
    c = t.copy()
    c[0, 0, 0] = -1.0
    assert float(t[0, 0, 0]) == a[0, 0, 0] and t.flatten().shape == (12,)
    with pytest.raises(TypeError):
        t.round(3)


# ---------------------------------------------------------------------------------- pickling


def _layouts(dtype: str):
    a = sample(dtype, (4, 6))
    base = cp.asarray(a)
    yield "contiguous", base, a
    yield "0-d", cp.asarray(a[1, 2]), a[1, 2].reshape(())
    yield "empty", cp.asarray(a[:0]), a[:0]
    yield "strided view", base[::2, 1::2], a[::2, 1::2]
    yield "transposed", base.T, a.T
    yield "negative strides", base[::-1, ::-3], a[::-1, ::-3]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trips(dtype, protocol):
    for what, t, want in _layouts(dtype):
        r = pickle.loads(pickle.dumps(t, protocol=protocol))
        assert_tensor_equal(r, want)
        # As NumPy: protocol 5 keeps a read-only tensor read-only (the 0-d one wraps a NumPy
        # scalar's buffer); older protocols give fresh, writable memory.
        assert r.readonly == (t.readonly and protocol >= 5), what
        assert not np.shares_memory(np.asarray(r), np.asarray(t)), what


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_pickle_protocol5_out_of_band_copies_nothing(dtype):
    for what, t, want in _layouts(dtype):
        buffers: list[pickle.PickleBuffer] = []
        data = pickle.dumps(t, protocol=5, buffer_callback=buffers.append)
        assert len(buffers) == 1, what
        # The stream holds no element bytes: only the metadata.
        assert len(data) < 200, (what, len(data))
        r = pickle.loads(data, buffers=buffers)
        assert_tensor_equal(r, want)
        if t.is_contiguous:
            # The buffer handed to pickle is the tensor's memory; the unpickled tensor wraps
            # the received buffer without a copy (as NumPy does).
            assert buffers[0].raw().nbytes == t.nbytes
            assert np.shares_memory(np.asarray(r), np.asarray(t)) or t.size == 0, what
        else:
            # A strided view is made contiguous once, then sent without further copies.
            assert not np.shares_memory(np.asarray(r), np.asarray(t)), what
            assert np.shares_memory(np.asarray(r), np.asarray(buffers[0].raw()))


def test_pickle_matches_numpy_sizes_and_readonly():
    a = np.arange(1000, dtype=np.float64)
    t = cp.asarray(a, copy=True)
    for protocol in (2, 4, 5):
        nd, td = len(pickle.dumps(a, protocol)), len(pickle.dumps(t, protocol))
        assert td <= nd + 200, (protocol, td, nd)
    # Out-of-band buffers received read-only give a read-only tensor (NumPy's rule too).
    bufs: list = []
    data = pickle.dumps(t, protocol=5, buffer_callback=bufs.append)
    ro = pickle.loads(data, buffers=[bytes(bufs[0].raw())])
    assert ro.readonly and np.array_equal(np.asarray(ro), a)
    with pytest.raises(ValueError):
        ro[0] = 1.0
    assert_tensor_equal(copy.deepcopy(t), a)
    assert_tensor_equal(copy.copy(t[::2]), a[::2])
