"""corepy.fft against NumPy (np.fft, computed in float64 as the reference) and array-api-strict:
every function, result dtypes, n shorter and longer than the axis, axes subsets and negative
axes, every norm, round trips, strided and transposed inputs, the parallel path, empty and
0-d inputs, and the errors the standard asks for. Tolerances scale with the dtype's epsilon and
log2 of the transform length."""

from __future__ import annotations

import array_api_strict as xps
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import corepy as cp
from corepy import fft as cfft

NORMS = ["backward", "ortho", "forward"]
COMPLEX = ["complex64", "complex128"]
REAL = ["float32", "float64"]
# Complex input: fft, ifft, irfft, hfft; real input: rfft, ihfft.
ONE_D = {
    "fft": COMPLEX,
    "ifft": COMPLEX,
    "rfft": REAL,
    "irfft": COMPLEX,
    "hfft": COMPLEX,
    "ihfft": REAL,
}
RESULT = {  # (input dtype) -> result dtype, per function
    "fft": {"complex64": "complex64", "complex128": "complex128"},
    "ifft": {"complex64": "complex64", "complex128": "complex128"},
    "rfft": {"float32": "complex64", "float64": "complex128"},
    "irfft": {"complex64": "float32", "complex128": "float64"},
    "hfft": {"complex64": "float32", "complex128": "float64"},
    "ihfft": {"float32": "complex64", "float64": "complex128"},
}


def data(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def check(got, ref, dtype_in, n):
    """`got` (corepy) against the float64 reference, within eps(dtype) * log2(n) of the
    reference's scale."""
    got = np.asarray(got)
    eps = np.finfo(_real(dtype_in)).eps
    scale = max(float(np.max(np.abs(ref))) if ref.size else 0.0, 1e-300)
    tol = 16 * eps * max(np.log2(max(n, 2)), 1.0) * scale
    assert got.shape == ref.shape, (got.shape, ref.shape)
    np.testing.assert_allclose(got, ref, rtol=0, atol=tol)


def _real(dtype):
    return {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)


def np_ref(name, x, **kw):
    """NumPy's transform of x in double precision."""
    wide = x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)
    return getattr(np.fft, name)(wide, **kw)


# ------------------------------------------------------------------------- the module itself


def test_is_a_real_submodule():
    import importlib

    mod = importlib.import_module("corepy.fft")
    assert cp.fft is mod is cfft
    assert cp.Tensor([1.0]).__array_namespace__().fft is mod
    assert sorted(mod.__all__) == sorted(xps.fft.__all__)
    for name in mod.__all__:
        assert callable(getattr(mod, name))


# ------------------------------------------------------------------------- 1-D transforms


@pytest.mark.parametrize("name", sorted(ONE_D))
@pytest.mark.parametrize("precision", [0, 1])
@pytest.mark.parametrize("m,n", [(16, None), (16, 10), (16, 23), (17, None), (12, 31), (1, 1)])
@pytest.mark.parametrize("norm", NORMS)
def test_one_d_matches_numpy(name, precision, m, n, norm):
    dtype = ONE_D[name][precision]
    rng = np.random.default_rng(m * 31 + (n or 0))
    x = data(rng, (3, m), dtype)
    if name in ("irfft", "hfft") and m == 1 and n is None:
        n = 1  # the default 2 * (m - 1) would be 0 points
    got = getattr(cfft, name)(x, n=n, norm=norm)
    ref = np_ref(name, x, n=n, norm=norm)
    assert got.dtype == RESULT[name][dtype]
    check(got, ref, dtype, n or m)


@pytest.mark.parametrize("name", sorted(ONE_D))
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_one_d_any_axis(name, axis):
    dtype = ONE_D[name][1]
    rng = np.random.default_rng(abs(axis))
    x = data(rng, (5, 6, 7), dtype)
    got = getattr(cfft, name)(x, axis=axis)
    check(got, np_ref(name, x, axis=axis), dtype, x.shape[axis])
    # and with n, cropping along a middle axis
    got = getattr(cfft, name)(x, n=4, axis=axis)
    check(got, np_ref(name, x, n=4, axis=axis), dtype, 4)


@pytest.mark.parametrize("name", sorted(ONE_D))
def test_strided_and_transposed_inputs(name):
    dtype = ONE_D[name][0]
    rng = np.random.default_rng(7)
    base = data(rng, (12, 18, 10), dtype)
    views = [
        base[::2, ::-3, 1:9],  # negative and >1 steps
        base.transpose(2, 0, 1),  # transposed (the axis is strided)
        np.asfortranarray(base),
        base[:, 3, :],  # a slice
        np.broadcast_to(base[:1], (4, 18, 10)),  # zero stride
    ]
    for v in views:
        for axis in range(v.ndim):
            for source in (v, cp.asarray(v)):
                got = getattr(cfft, name)(source, axis=axis)
                check(got, np_ref(name, v, axis=axis), dtype, v.shape[axis])
    t = cp.permute_dims(cp.asarray(base), (1, 2, 0))  # a corepy view, not contiguous
    check(getattr(cfft, name)(t, axis=0), np_ref(name, base.transpose(1, 2, 0), axis=0), dtype, 18)


@pytest.mark.parametrize("dtype", COMPLEX)
def test_parallel_batches_match(dtype):
    # Enough lines to be shared with the pool, along the last axis and a strided one.
    rng = np.random.default_rng(3)
    x = data(rng, (256, 384), dtype)
    for axis in (0, 1):
        check(cfft.fft(x, axis=axis), np_ref("fft", x, axis=axis), dtype, x.shape[axis])
        check(cfft.ifft(x, axis=axis), np_ref("ifft", x, axis=axis), dtype, x.shape[axis])
    r = data(rng, (300, 256), _real(dtype))
    for axis in (0, 1):
        check(cfft.rfft(r, axis=axis), np_ref("rfft", r, axis=axis), dtype, r.shape[axis])
    with cp.profile() as prof:
        cfft.fft(x)
    assert prof.ops["fft"]["parallel_calls"] == (1 if cp.get_num_threads() > 1 else 0)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 97, 128, 1009, 4096, 6000])
def test_lengths_prime_and_composite(n):
    # Radix-2/3/5 and Bluestein (primes) paths, one line each, single and double.
    rng = np.random.default_rng(n)
    for dtype in COMPLEX:
        x = data(rng, (n,), dtype)
        check(cfft.fft(x), np_ref("fft", x), dtype, n)
    for dtype in REAL:
        x = data(rng, (n,), dtype)
        check(cfft.rfft(x), np_ref("rfft", x), dtype, n)
        check(cfft.irfft(np.fft.rfft(x), n=n), x.astype(np.float64), dtype, n)


def test_input_is_not_modified():
    rng = np.random.default_rng(0)
    for name, dtypes in ONE_D.items():
        x = data(rng, (4, 10), dtypes[0])
        before = x.copy()
        getattr(cfft, name)(x)
        getattr(cfft, name)(x, n=25)
        np.testing.assert_array_equal(x, before)


def test_irfft_ignores_imaginary_dc_and_nyquist():
    rng = np.random.default_rng(1)
    spec = data(rng, (9,), "complex128")  # DC and Nyquist with non-zero imaginary parts
    check(cfft.irfft(spec), np.fft.irfft(spec), "complex128", 16)
    check(cfft.irfft(spec, n=17), np.fft.irfft(spec, n=17), "complex128", 17)
    check(cfft.hfft(spec), np.fft.hfft(spec), "complex128", 16)


@pytest.mark.parametrize("dtype", COMPLEX)
@pytest.mark.parametrize("n", [8, 9])
def test_round_trips(dtype, n):
    rng = np.random.default_rng(n)
    x = data(rng, (4, n), dtype)
    r = data(rng, (4, n), _real(dtype))
    for norm in NORMS:
        check(cfft.ifft(cfft.fft(x, norm=norm), norm=norm), x.astype(np.complex128), dtype, n)
        back = cfft.irfft(cfft.rfft(r, norm=norm), n=n, norm=norm)
        check(back, r.astype(np.float64), dtype, n)
        back = cfft.hfft(cfft.ihfft(r, norm=norm), n=n, norm=norm)
        check(back, r.astype(np.float64), dtype, n)
        back = cfft.ifftn(cfft.fftn(x, norm=norm), norm=norm)
        check(back, x.astype(np.complex128), dtype, 4 * n)
        back = cfft.irfftn(cfft.rfftn(r, norm=norm), s=r.shape, axes=(0, 1), norm=norm)
        check(back, r.astype(np.float64), dtype, 4 * n)


def test_long_complex64_accuracy():
    # One long single-precision line (radix-4 passes): relative error of float32 order.
    rng = np.random.default_rng(5)
    x = data(rng, (1 << 14,), "complex64")
    got = np.asarray(cfft.fft(x))
    ref = np.fft.fft(x.astype(np.complex128))
    err = np.max(np.abs(got - ref)) / np.max(np.abs(ref))
    assert got.dtype == np.complex64
    assert err < 1e-5


# ------------------------------------------------------------------------- n-D transforms

ND_CASES = [
    {},
    {"axes": (0,)},
    {"axes": (-1, 0)},
    {"axes": (0, 2)},
    {"axes": (2, 0, 1)},
    {"axes": (1, 2), "s": (6, 9)},
    {"axes": (0, 1, 2), "s": (-1, 3, 8)},
    {"axes": (-2,), "s": (11,)},
]


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn"])
@pytest.mark.parametrize("case", range(len(ND_CASES)))
@pytest.mark.parametrize("norm", NORMS)
def test_n_d_matches_numpy(name, case, norm):
    kw = ND_CASES[case]
    dtype = "float64" if name == "rfftn" else "complex128"
    for dt in (dtype, {"float64": "float32", "complex128": "complex64"}[dtype]):
        rng = np.random.default_rng(case)
        x = data(rng, (4, 5, 6), dt)
        got = getattr(cfft, name)(x, norm=norm, **kw)
        ref = np_ref(name, x, norm=norm, **kw)
        expected = {"fftn": dt, "ifftn": dt}.get(name)
        if name == "rfftn":
            expected = {"float32": "complex64", "float64": "complex128"}[dt]
        if name == "irfftn":
            expected = _real(dt)
        assert got.dtype == expected
        check(got, ref, dt, x.size)


def test_n_d_repeated_axes_and_s_without_axes():
    rng = np.random.default_rng(2)
    x = data(rng, (4, 6), "complex128")
    check(cfft.fftn(x, axes=(1, 1)), np.fft.fftn(x, axes=(1, 1)), "complex128", 36)
    with pytest.warns(DeprecationWarning):
        ref = np.fft.fftn(x, s=(5,))
    check(cfft.fftn(x, s=(5,)), ref, "complex128", 5)  # the last len(s) axes
    # No axes: a copy of the input.
    got = cfft.fftn(x, axes=())
    np.testing.assert_array_equal(np.asarray(got), x)


def test_n_d_strided_input():
    rng = np.random.default_rng(4)
    base = data(rng, (8, 10, 12), "complex64")
    v = base[::2, ::-1].transpose(2, 0, 1)
    check(cfft.fftn(v), np_ref("fftn", v), "complex64", v.size)
    r = data(rng, (8, 10, 12), "float32")[1::2].transpose(1, 2, 0)
    check(cfft.rfftn(r), np_ref("rfftn", r), "float32", r.size)
    spec = np.fft.rfftn(r).astype(np.complex64)
    spec_t = np.asfortranarray(spec)
    check(cfft.irfftn(spec_t, s=r.shape, axes=(0, 1, 2)), r.astype(np.float64), "float32", r.size)


# ------------------------------------------------------------------------- array-api-strict


@pytest.mark.parametrize("name", sorted(ONE_D) + ["fftn", "ifftn", "rfftn", "irfftn"])
@pytest.mark.parametrize("precision", [0, 1])
def test_matches_array_api_strict(name, precision):
    real_in = name in ("rfft", "ihfft", "rfftn")
    dtype = (REAL if real_in else COMPLEX)[precision]
    rng = np.random.default_rng(precision)
    x = data(rng, (6, 8), dtype)
    ref = getattr(xps.fft, name)(xps.asarray(x))
    got = getattr(cfft, name)(cp.asarray(x))
    ref = np.asarray(ref)
    assert got.dtype == ref.dtype
    check(
        got,
        np.asarray(ref).astype(np.complex128 if "complex" in str(ref.dtype) else float),
        dtype,
        48,
    )


@pytest.mark.parametrize("name", ["fft", "ifft", "irfft", "hfft", "fftn", "ifftn", "irfftn"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_complex_only_functions_reject_real_input(name, dtype):
    x = np.ones((4, 4), dtype=dtype)
    with pytest.raises(TypeError):
        getattr(xps.fft, name)(xps.asarray(x))
    with pytest.raises(TypeError, match="complex"):
        getattr(cfft, name)(x)


@pytest.mark.parametrize("name", ["rfft", "ihfft", "rfftn"])
@pytest.mark.parametrize("dtype", ["complex64", "complex128", "int32", "bool"])
def test_real_only_functions_reject_other_input(name, dtype):
    x = np.ones((4, 4), dtype=dtype)
    with pytest.raises(TypeError):
        getattr(xps.fft, name)(xps.asarray(x))
    with pytest.raises(TypeError, match="real floating"):
        getattr(cfft, name)(x)


# ------------------------------------------------------------------------- errors and edges


@pytest.mark.parametrize("name", sorted(ONE_D))
def test_bad_n_and_axis(name):
    x = np.ones((3, 4), dtype=ONE_D[name][0])
    for n in (0, -1, -5):
        with pytest.raises(ValueError, match="n must be at least 1"):
            getattr(cfft, name)(x, n=n)
    for n in (2.0, "4", [4]):
        with pytest.raises(TypeError):
            getattr(cfft, name)(x, n=n)
    for axis in (2, -3, 100):
        with pytest.raises(cp.AxisError):
            getattr(cfft, name)(x, axis=axis)
    with pytest.raises(TypeError):
        getattr(cfft, name)(x, axis=1.0)
    with pytest.raises(ValueError, match="norm"):
        getattr(cfft, name)(x, norm="backwards")
    with pytest.raises(cp.AxisError):  # a 0-d input has no axis to transform
        getattr(cfft, name)(x[0, 0])


def test_bad_n_d_arguments():
    x = np.ones((3, 4), dtype="complex128")
    with pytest.raises(ValueError, match="same length"):
        cfft.fftn(x, s=(3, 4), axes=(0,))
    with pytest.raises(ValueError, match="at least 1"):
        cfft.fftn(x, s=(0, 4), axes=(0, 1))
    with pytest.raises(ValueError, match="at least 1"):
        cfft.ifftn(x, s=(-2,), axes=(1,))
    with pytest.raises(cp.AxisError):
        cfft.fftn(x, axes=(0, 2))
    with pytest.raises(ValueError):
        cfft.fftn(x, s=(1, 2, 3))  # more entries than dimensions
    with pytest.raises(TypeError):
        cfft.fftn(x, axes=1)
    with pytest.raises(TypeError):
        cfft.fftn(x, s=(2.5, 3), axes=(0, 1))
    with pytest.raises(ValueError):
        cfft.rfftn(np.ones((3, 4)), axes=())
    with pytest.raises(ValueError, match="norm"):
        cfft.irfftn(x, norm="none")


def test_default_irfft_length_of_one_point_is_an_error():
    with pytest.raises(ValueError):
        np.fft.irfft(np.ones(1, dtype=complex))
    with pytest.raises(ValueError):
        cfft.irfft(np.ones(1, dtype=complex))
    with pytest.raises(ValueError):
        cfft.hfft(np.ones((2, 1), dtype=complex))


def test_empty_inputs():
    # Other axes empty: an empty result of the right shape.
    x = np.ones((0, 8), dtype="complex64")
    for name, shape in (("fft", (0, 8)), ("ifft", (0, 8)), ("irfft", (0, 14)), ("hfft", (0, 14))):
        got = getattr(cfft, name)(x)
        assert got.shape == shape and got.shape == np.fft.__dict__[name](x).shape
    got = cfft.rfft(np.ones((0, 8), dtype="float32"))
    assert got.shape == (0, 5) and got.dtype == "complex64"
    # The transformed axis empty: an error without n, zero-padding with it.
    e = np.ones((3, 0), dtype="complex128")
    with pytest.raises(ValueError):
        cfft.fft(e)
    check(cfft.fft(e, n=4), np.fft.fft(e, n=4), "complex128", 4)
    check(
        cfft.fftn(np.ones((2, 0, 3), "complex64"), s=(2, 2, 3), axes=(0, 1, 2)),
        np.zeros((2, 2, 3)),
        "complex64",
        12,
    )


def test_python_lists_and_corepy_tensors():
    x = [[1 + 1j, 2, 3, 4], [0, 1j, 0, 0]]
    check(cfft.fft(x), np.fft.fft(x), "complex128", 4)
    t = cp.asarray(np.arange(8.0))
    check(cfft.rfft(t), np.fft.rfft(np.arange(8.0)), "float64", 8)


# ------------------------------------------------------------------------- frequencies, shifts


@pytest.mark.parametrize("n", [1, 2, 5, 8, 11])
@pytest.mark.parametrize("d", [1.0, 0.25, 3])
def test_fftfreq_and_rfftfreq(n, d):
    for fn in ("fftfreq", "rfftfreq"):
        got = getattr(cfft, fn)(n, d=d)
        ref = getattr(np.fft, fn)(n, d=d)
        assert got.dtype == "float64"
        np.testing.assert_array_equal(np.asarray(got), ref)
        got32 = getattr(cfft, fn)(n, d=d, dtype=cp.float32, device="cpu")
        assert got32.dtype == "float32"
        strict = getattr(xps.fft, fn)(n, d=d, dtype=xps.float32)
        np.testing.assert_array_equal(np.asarray(got32), np.asarray(strict))


def test_fftfreq_errors():
    for fn in (cfft.fftfreq, cfft.rfftfreq):
        with pytest.raises(ValueError):
            fn(0)
        with pytest.raises(ValueError):
            fn(4, dtype=cp.int64)
        with pytest.raises(ValueError):
            fn(4, dtype="complex128")
        with pytest.raises(ValueError):
            fn(4, device="gpu")
        with pytest.raises(ValueError):
            fn(4, d=0.0)
        with pytest.raises(TypeError):
            fn(4.0)


@pytest.mark.parametrize("shape", [(7,), (8,), (4, 5), (3, 1, 6), (0, 3)])
@pytest.mark.parametrize("axes", [None, 0, -1, (0, -1), (-1, 0, -1)])
@pytest.mark.parametrize("dtype", ["float32", "complex128"])
def test_fftshift_and_ifftshift(shape, axes, dtype):
    rng = np.random.default_rng(len(shape))
    x = data(rng, shape, dtype)
    for name in ("fftshift", "ifftshift"):
        got = getattr(cfft, name)(x, axes=axes)
        ref = getattr(np.fft, name)(x, axes=axes)
        assert got.dtype == dtype
        np.testing.assert_array_equal(np.asarray(got), ref)
    back = cfft.ifftshift(cfft.fftshift(x, axes=axes), axes=axes)
    np.testing.assert_array_equal(np.asarray(back), x)


def test_fftshift_strided_and_errors():
    x = np.arange(60.0).reshape(6, 10)[::-2, 1::3].T
    np.testing.assert_array_equal(np.asarray(cfft.fftshift(x)), np.fft.fftshift(x))
    with pytest.raises(TypeError):
        xps.fft.fftshift(xps.asarray([1, 2, 3]))
    with pytest.raises(TypeError):
        cfft.fftshift(np.arange(4))
    with pytest.raises(cp.AxisError):
        cfft.ifftshift(np.ones((2, 2)), axes=2)
    with pytest.raises(TypeError):
        cfft.fftshift(np.ones(3), axes="0")
    np.testing.assert_array_equal(np.asarray(cfft.fftshift(np.float64(2.0))), 2.0)


# ------------------------------------------------------------------------- the profiler


def test_profile_records_calls_bytes_and_flops():
    rng = np.random.default_rng(0)
    x = data(rng, (16, 64), "complex64")
    r = data(rng, (10, 32), "float64")
    with cp.profile() as prof:
        cfft.fft(x)
        cfft.fft(x, n=128)
        cfft.rfft(r)
        cfft.fftn(x)
        cfft.fftshift(r)
    ops = prof.ops
    assert ops["fft"]["calls"] == 2
    assert ops["fft"]["flops"] == int(16 * 5 * 64 * 6) + int(16 * 5 * 128 * 7)
    assert ops["fft"]["bytes_read"] == 2 * x.nbytes
    assert ops["fft"]["bytes_written"] == x.nbytes + 2 * x.nbytes
    assert ops["rfft"]["flops"] == int(10 * 2.5 * 32 * 5)
    assert ops["rfft"]["bytes_written"] == 10 * 17 * 16
    assert ops["fftn"]["flops"] == int(16 * 5 * 64 * 6 + 64 * 5 * 16 * 4)
    assert ops["fftshift"]["calls"] == 1
    assert prof.ops["fft"]["elements"] == x.size + 2 * x.size


# ------------------------------------------------------------------------- properties


@given(
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    n=st.one_of(st.none(), st.integers(1, 9)),
    axis=st.integers(-3, 2),
    name=st.sampled_from(sorted(ONE_D)),
    precision=st.integers(0, 1),
    norm=st.sampled_from(NORMS),
    step=st.sampled_from([1, -1, 2]),
)
def test_property_one_d(shape, n, axis, name, precision, norm, step):
    dtype = ONE_D[name][precision]
    x = data(np.random.default_rng(0), tuple(shape), dtype)[..., ::step]
    if not -x.ndim <= axis < x.ndim:
        with pytest.raises(cp.AxisError):
            getattr(cfft, name)(x, n=n, axis=axis, norm=norm)
        return
    m = x.shape[axis]
    if n is None and name in ("irfft", "hfft") and m == 1:
        with pytest.raises(ValueError):
            getattr(cfft, name)(x, n=n, axis=axis, norm=norm)
        return
    got = getattr(cfft, name)(x, n=n, axis=axis, norm=norm)
    check(got, np_ref(name, x, n=n, axis=axis, norm=norm), dtype, n or m)
