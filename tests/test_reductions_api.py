"""The standard's statistical functions and arg-reductions (issue 16), against NumPy and
array-api-strict: values, dtypes, shapes, keepdims, axis tuples, empty inputs, NaN, layouts
(strided, transposed, broadcast, 0-d), every ISA and thread count, and bad inputs.

sum/mean/all/any basics (accuracy, truthiness) are in tests/test_reductions.py.
"""

from __future__ import annotations

import itertools
import warnings

import array_api_strict as xp
import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from helpers import ALL_DTYPES, assert_tensor
from hypothesis import given
from hypothesis import strategies as st

import corepy as cp

REDUCTIONS = ["sum", "prod", "mean", "std", "var", "min", "max", "all", "any", "count_nonzero"]
ARG = ["argmax", "argmin"]
REAL = [d for d in ALL_DTYPES if not d.startswith("complex")]
FLOATS = ["float32", "float64"]
COMPLEX = ["complex64", "complex128"]


def _name(dtype) -> str:
    """An array-api-strict dtype's NumPy name."""
    return str(dtype).rsplit(".", 1)[-1]


def allowed(name: str, dtype: str) -> bool:
    """Whether corepy takes `dtype` for `name` (the standard's rules, as array-api-strict; bool
    also for sum/prod/min/max/arg*, as NumPy: the standard leaves those open)."""
    if name in ("mean",):
        return dtype in FLOATS + COMPLEX
    if name in ("std", "var"):
        return dtype in FLOATS
    if name in ("min", "max", "argmax", "argmin"):
        return dtype not in COMPLEX
    return True


def values(rng, shape, dtype, *, small=True):
    """Random values of `dtype` (small integers for the integer and exact float paths)."""
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype.startswith("complex"):
        return (rng.integers(-3, 4, shape) + 1j * rng.integers(-3, 4, shape)).astype(dtype)
    if dtype.startswith("float"):
        return (
            (rng.integers(-8, 9, shape) / 4).astype(dtype)
            if small
            else rng.standard_normal(shape).astype(dtype)
        )
    info = np.iinfo(dtype)
    lo, hi = (max(info.min, -4), min(info.max, 4)) if small else (info.min, info.max)
    return rng.integers(lo, hi, size=shape, endpoint=True).astype(dtype)


def np_ref(name, a, axis=None, keepdims=False, **kw):
    """NumPy's answer with the standard's dtypes (sum/prod of small ints in int64/uint64)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if name in ("sum", "prod") and a.dtype.kind in "biu":
            dt = np.uint64 if a.dtype.kind == "u" else np.int64
            return np.asarray(getattr(np, name)(a, axis=axis, keepdims=keepdims, dtype=dt))
        if name in ("std", "var"):
            kw = {"ddof": kw.get("correction", 0.0)}
        return np.asarray(getattr(np, name)(a, axis=axis, keepdims=keepdims, **kw))


def tol(name, dtype):
    """Floating-point reductions round in a different order than NumPy's: a relative tolerance,
    and an absolute one for sums that cancel to near zero."""
    if name in ("mean", "std", "var", "sum", "prod") and dtype[0] in "fc":
        return (1e-4, 1e-3) if dtype in ("float32", "complex64") else (1e-11, 1e-9)
    return (0.0, 0.0)


def check(name, a, got, axis=None, keepdims=False, **kw):
    want = np_ref(name, a, axis=axis, keepdims=keepdims, **kw)
    rtol, atol = tol(name, a.dtype.name)
    assert_tensor(got, want, rtol=rtol, atol=atol)


# ------------------------------------------------------------------------------ signatures


@pytest.mark.parametrize("name", [*REDUCTIONS, *ARG, "cumulative_sum", "cumulative_prod", "diff"])
def test_every_function_exists_like_the_standard(name):
    import inspect

    ours = inspect.signature(getattr(cp, name))
    theirs = inspect.signature(getattr(xp, name))
    for p in theirs.parameters.values():
        assert p.name in ours.parameters, (name, p.name)
        q = ours.parameters[p.name]
        assert q.default == p.default or (q.default is None and p.default is None), (name, p.name)
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name != "axis":
            assert q.kind is inspect.Parameter.KEYWORD_ONLY, (name, p.name)


# ------------------------------------------------------------------------------ dtypes


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("name", [*REDUCTIONS, *ARG])
def test_result_dtype_matches_array_api_strict(name, dtype):
    """Where array-api-strict gives a result, corepy's dtype is the same; where it raises
    TypeError, so does corepy, except the bool cases the standard leaves open."""
    a = values(np.random.default_rng(0), (3, 4), dtype)
    try:
        want = getattr(xp, name)(xp.asarray(a))
    except TypeError:
        want = None
    if not allowed(name, dtype):
        assert want is None
        with pytest.raises(TypeError):
            getattr(cp, name)(a)
        return
    got = getattr(cp, name)(a)
    assert isinstance(got, cp.Tensor) and got.shape == ()
    if want is not None:
        assert got.dtype == _name(want.dtype), (name, dtype)
    else:
        assert dtype == "bool", (name, dtype)
        assert got.dtype == {"sum": "int64", "prod": "int64"}.get(name, got.dtype)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("name", [*REDUCTIONS, *ARG])
def test_values_of_every_dtype_every_axis(name, dtype):
    if not allowed(name, dtype):
        return
    rng = np.random.default_rng(1)
    a = values(rng, (3, 5, 7), dtype)
    axes = [None, 0, 1, 2, -1] if name in ARG else [None, 0, 1, 2, -1, (0, 2), (1, 2), (0, 1, 2)]
    for axis in axes:
        for keepdims in (False, True):
            got = getattr(cp, name)(a, axis=axis, keepdims=keepdims)
            check(name, a, got, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("name", ["sum", "prod"])
@pytest.mark.parametrize(
    ("src", "dst"),
    [
        ("int32", "int8"),
        ("int8", "int64"),
        ("uint8", "uint16"),
        ("float32", "float64"),
        ("int16", "float64"),
        ("float64", "float32"),
        ("bool", "int32"),
        ("float32", "complex64"),
    ],
)
def test_dtype_argument(name, src, dst):
    a = values(np.random.default_rng(2), (4, 6), src)
    for axis in (None, 0, 1):
        got = getattr(cp, name)(a, axis=axis, dtype=dst)
        want = np.asarray(getattr(np, name)(a, axis=axis, dtype=dst))
        assert_tensor(got, want, rtol=1e-6 if "float32" in (src, dst) else 1e-12)
        if src != "bool":
            strict = getattr(xp, name)(xp.asarray(a), axis=axis, dtype=getattr(xp, dst))
            assert got.dtype == _name(strict.dtype)


def test_integer_sums_wrap_and_products_wrap_like_numpy():
    a = np.array([2**62, 2**62, 3], dtype=np.int64)
    assert int(cp.sum(a)) == int(np.sum(a))
    assert int(cp.prod(a)) == int(np.prod(a))
    u = np.array([2**63, 2**63, 5], dtype=np.uint64)
    assert int(cp.sum(u)) == int(np.sum(u))
    assert cp.sum(u).dtype == "uint64"
    assert int(cp.prod(np.array([255] * 9, np.uint8))) == int(
        np.prod(np.array([255] * 9, np.uint8), dtype=np.uint64)
    )


# ------------------------------------------------------------------------------ axes


@pytest.mark.parametrize("name", REDUCTIONS)
def test_axis_tuples_negative_and_keepdims(name):
    a = values(np.random.default_rng(3), (2, 3, 4, 5), "float64")
    for r in range(0, 5):
        for axes in itertools.combinations(range(4), r):
            for axis in (axes, tuple(x - 4 for x in axes)):
                for keepdims in (False, True):
                    got = getattr(cp, name)(a, axis=axis, keepdims=keepdims)
                    check(name, a, got, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("name", [*REDUCTIONS, *ARG])
def test_bad_axes(name):
    t = cp.Tensor(np.ones((2, 3), np.float32))
    f = getattr(cp, name)
    with pytest.raises(cp.AxisError):
        f(t, axis=2)
    with pytest.raises(cp.AxisError):
        f(t, axis=-3)
    with pytest.raises(TypeError):
        f(t, axis=1.0)
    with pytest.raises(TypeError):
        f(t, axis="0")
    if name in ARG:
        with pytest.raises(TypeError):
            f(t, axis=(0, 1))
    else:
        with pytest.raises(ValueError):
            f(t, axis=(0, 0))
        with pytest.raises(ValueError):
            f(t, axis=(1, -1))
        with pytest.raises(cp.AxisError):
            f(t, axis=(0, 5))
        with pytest.raises(TypeError):
            f(t, axis=(0, 1.0))


def test_bad_dtype_and_types():
    with pytest.raises(TypeError):
        cp.mean(np.arange(5))
    with pytest.raises(TypeError):
        cp.std(np.ones(3, np.complex64))
    with pytest.raises(TypeError):
        cp.max(np.ones(3, np.complex128))
    with pytest.raises(TypeError):
        cp.argmin(np.ones(3, np.complex64))
    with pytest.raises(TypeError):
        cp.sum(np.ones(3), dtype="float128")
    with pytest.raises(TypeError):
        cp.sum(object())
    with pytest.raises(TypeError):
        cp.cumulative_sum(np.ones(3), axis=0.5)


# ------------------------------------------------------------------------------ empty, NaN


@pytest.mark.parametrize("name", [*REDUCTIONS, *ARG])
@pytest.mark.parametrize(
    ("shape", "axis"), [((0,), None), ((0, 3), 0), ((0, 3), 1), ((3, 0), 1), ((3, 0), None)]
)
def test_empty(name, shape, axis):
    a = np.zeros(shape, np.float32)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            want = np_ref(name, a, axis=axis)
        except ValueError:
            want = None
    if want is None:
        with pytest.raises(ValueError):
            getattr(cp, name)(a, axis=axis)
        with pytest.raises(ValueError):
            getattr(xp, name)(xp.asarray(a), axis=axis)
    else:
        assert_tensor(getattr(cp, name)(a, axis=axis), want)


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_propagates_through_min_max_and_wins_arg(dtype):
    rng = np.random.default_rng(4)
    a = rng.standard_normal((6, 70)).astype(dtype)
    a[2, 5] = np.nan
    a[4, 50] = np.nan
    a[:, 60] = np.inf
    for name in ("min", "max", "argmin", "argmax", "sum", "mean", "var"):
        for axis in (None, 0, 1):
            check(name, a, getattr(cp, name)(a, axis=axis), axis=axis)
    b = np.full(100_000, 1.0, dtype)
    b[77_777] = np.nan
    b[88_888] = np.nan
    assert int(cp.argmax(b)) == 77_777 == int(np.argmax(b))
    assert np.isnan(float(cp.min(b)))


def test_first_occurrence_of_ties():
    a = np.zeros((5, 3000), np.int16)
    a[:, 100] = 7
    a[:, 2500] = 7
    a[3, 0] = 7
    for axis in (None, 0, 1):
        check("argmax", a, cp.argmax(a, axis=axis), axis=axis)
        check("argmin", a, cp.argmin(a, axis=axis), axis=axis)
    b = np.full(200_000, 3.0, np.float32)
    b[150_000] = 9.0
    b[199_999] = 9.0
    assert int(cp.argmax(b)) == 150_000
    assert int(cp.argmin(b)) == 0


# ------------------------------------------------------------------------------ layouts


def layouts(a):
    yield "contiguous", a
    yield "transposed", a.T
    yield "strided", a[::2, ::3]
    yield "reversed", a[::-1, ::-2]
    yield "broadcast", np.broadcast_to(a[:1], a.shape)
    yield "fortran", np.asfortranarray(a)


@pytest.mark.parametrize("name", [*REDUCTIONS, *ARG])
def test_layouts(name):
    rng = np.random.default_rng(5)
    base = values(rng, (37, 130), "float32")
    for label, a in layouts(base):
        axes = [None, 0, 1] if name in ARG else [None, 0, 1, (0, 1)]
        for axis in axes:
            got = getattr(cp, name)(cp.Tensor(a), axis=axis)
            try:
                check(name, a, got, axis=axis)
            except AssertionError as e:
                raise AssertionError(f"{label} axis={axis}: {e}") from e


@pytest.mark.parametrize("name", [*REDUCTIONS, *ARG])
def test_zero_dim_and_one_element(name):
    for a in (np.array(2.5, np.float64), np.array([[3.0]], np.float32), np.ones((1, 1, 1))):
        check(name, a, getattr(cp, name)(a))
        if a.ndim:
            check(name, a, getattr(cp, name)(a, axis=0, keepdims=True), axis=0, keepdims=True)


def test_zero_dim_results_behave_like_scalars():
    x = np.arange(10, dtype=np.float32)
    s = cp.sum(x)
    assert s.shape == () and s.ndim == 0
    assert float(s) == 45.0 and int(s) == 45
    assert f"{s:.3f}" == "45.000"
    assert f"{cp.argmax(x)}" == "9"
    assert f"{cp.all(x > -1)}" == "True"
    assert bool(cp.any(x > 8))
    assert s + 1 == 46.0
    assert format(cp.Tensor([1, 2]), "") == str(cp.Tensor([1, 2]))


# ------------------------------------------------------------------------------ out=


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "std", "var", "min", "max", "all", "any"])
def test_out_argument(name):
    a = values(np.random.default_rng(6), (4, 6), "float64")
    want = np_ref(name, a, axis=0)
    out = np.empty(want.shape, want.dtype)
    r = getattr(cp, name)(a, axis=0, out=out)
    assert r is out
    np.testing.assert_allclose(out, want, rtol=1e-12)
    t = cp.Tensor(np.empty(want.shape, want.dtype))
    assert getattr(cp, name)(a, axis=0, out=t) is t
    with pytest.raises(ValueError):
        getattr(cp, name)(a, axis=1, out=np.empty(want.shape, want.dtype))
    with pytest.raises(TypeError):
        getattr(cp, name)(a, axis=0, out=np.empty(want.shape, np.int8))


# ------------------------------------------------------------------------------ std/var


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("correction", [0, 1, 0.5, 3])
def test_var_std_correction(dtype, correction):
    a = np.random.default_rng(7).standard_normal((9, 300)).astype(dtype) * 10 + 1000
    for axis in (None, 0, 1, (0, 1)):
        for name in ("var", "std"):
            got = getattr(cp, name)(a, axis=axis, correction=correction)
            want = getattr(np, name)(a.astype(np.float64), axis=axis, ddof=correction)
            rtol = 1e-3 if dtype == "float32" else 1e-10
            np.testing.assert_allclose(np.asarray(got), want, rtol=rtol)
            assert got.dtype == dtype


def test_var_of_large_offset_data_is_accurate():
    """One pass without cancellation: a large mean does not swamp a small variance."""
    rng = np.random.default_rng(8)
    a = (1e6 + rng.standard_normal(1_000_003)).astype(np.float64)
    np.testing.assert_allclose(float(cp.var(a)), np.var(a), rtol=1e-9)
    f = (1e3 + rng.standard_normal(3_000_001)).astype(np.float32)
    np.testing.assert_allclose(float(cp.var(f)), np.var(f.astype(np.float64)), rtol=1e-3)
    np.testing.assert_allclose(float(cp.std(f)), np.std(f.astype(np.float64)), rtol=1e-3)


def test_var_with_too_few_elements_is_nan_or_inf_like_numpy():
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for a, c in ((np.array([1.0]), 1), (np.array([1.0, 2.0]), 3)):
            assert_tensor(cp.var(a, correction=c), np.var(a, ddof=c))


# ------------------------------------------------------------------------------ ISAs, threads


@pytest.mark.parametrize("isa", cp.config()["available_isas"])
def test_every_isa(isa):
    cp.set_isa(isa)
    rng = np.random.default_rng(9)
    for dtype in ALL_DTYPES:
        a = values(rng, (33, 131), dtype)
        for name in [*REDUCTIONS, *ARG]:
            if not allowed(name, dtype):
                continue
            if name == "prod" and dtype[0] in "fc":
                a = np.sign(a)  # no overflow: libraries differ in how complex overflow rounds
            for axis in (None, 0, 1):
                check(name, a, getattr(cp, name)(a, axis=axis), axis=axis)
        for name, ref in (
            ("cumulative_sum", np.cumulative_sum),
            ("cumulative_prod", np.cumulative_prod),
        ):
            for axis in (0, 1):
                got = getattr(cp, name)(a, axis=axis)
                assert_tensor(got, ref(a, axis=axis, dtype=got.dtype), rtol=1e-5)


@pytest.mark.parametrize("name", ["sum", "mean", "var", "max", "argmax", "prod"])
def test_same_bits_one_and_two_threads(name):
    rng = np.random.default_rng(11)
    inputs = [
        (rng.standard_normal((700, 2100)).astype(np.float32), 0),
        (rng.standard_normal((700, 2100)).astype(np.float32), 1),
        (rng.standard_normal(2_500_003).astype(np.float64), None),
        (rng.standard_normal((64, 50_000)).astype(np.float32).T, 1),
    ]
    for a, axis in inputs:
        cp.set_num_threads(1)
        one = np.asarray(getattr(cp, name)(a, axis=axis)).copy()
        cp.set_num_threads(2)
        two = np.asarray(getattr(cp, name)(a, axis=axis))
        np.testing.assert_array_equal(one, two)
        if name != "prod":
            check(name, a, getattr(cp, name)(a, axis=axis), axis=axis)


def test_cumulative_sum_same_bits_one_and_two_threads():
    v = np.random.default_rng(18).standard_normal(3_000_017).astype(np.float32)
    m = np.random.default_rng(19).standard_normal((300, 4000)).astype(np.float32)
    for x, axis in ((v, None), (m, 0), (m, 1)):
        cp.set_num_threads(1)
        one = np.asarray(cp.cumulative_sum(x, axis=axis)).copy()
        cp.set_num_threads(2)
        np.testing.assert_array_equal(np.asarray(cp.cumulative_sum(x, axis=axis)), one)


# ------------------------------------------------------------------------------ large inputs


@pytest.mark.parametrize("name", ["sum", "max", "min", "argmax", "argmin", "count_nonzero", "mean"])
def test_large_matrix_both_axes(name):
    a = np.random.default_rng(12).standard_normal((1000, 1500)).astype(np.float32)
    for axis in (None, 0, 1):
        got = getattr(cp, name)(a, axis=axis)
        want = np_ref(name, a, axis=axis)
        rtol = 1e-4 if name in ("sum", "mean") else 0
        assert_tensor(got, want, rtol=rtol, atol=1e-4 if rtol else 0)


# ------------------------------------------------------------------------------ cumulative


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_cumulative_dtypes_and_include_initial(name, dtype):
    a = values(np.random.default_rng(13), (4, 7), dtype)
    ref = getattr(np, name)
    for axis in (0, 1, -1):
        for include_initial in (False, True):
            got = getattr(cp, name)(a, axis=axis, include_initial=include_initial)
            if dtype != "bool":
                strict = getattr(xp, name)(
                    xp.asarray(a), axis=axis, include_initial=include_initial
                )
                assert got.dtype == _name(strict.dtype)
            want = ref(a, axis=axis, include_initial=include_initial, dtype=got.dtype)
            assert_tensor(got, want, rtol=1e-6 if "32" in dtype or "64" in dtype else 0)


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
def test_cumulative_axis_rules_and_dtype_argument(name):
    f = getattr(cp, name)
    with pytest.raises(ValueError):
        f(np.ones((2, 3)))
    with pytest.raises(cp.AxisError):
        f(np.ones((2, 3)), axis=2)
    assert_tensor(
        f(np.ones(4, np.int8), dtype="float32"),
        getattr(np, name)(np.ones(4, np.int8), dtype=np.float32),
    )
    assert_tensor(f(np.array(3.0)), np.array([3.0]))
    assert_tensor(
        f(np.array(3.0), include_initial=True),
        getattr(np, name)(np.array([3.0]), include_initial=True),
    )
    assert_tensor(f(np.zeros((0,), np.float32)), np.zeros((0,), np.float32))
    e = f(np.zeros((0,), np.float32), include_initial=True)
    assert_tensor(e, np.array([0.0 if name == "cumulative_sum" else 1.0], np.float32))


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
def test_cumulative_layouts_and_long_rows(name):
    rng = np.random.default_rng(14)
    base = (rng.random((37, 130)) + 0.5).astype(np.float64)
    ref = getattr(np, name)
    for label, a in layouts(base):
        for axis in (0, 1):
            got = getattr(cp, name)(cp.Tensor(a), axis=axis)
            assert_tensor(got, ref(a, axis=axis), rtol=1e-9), label
    v = (
        rng.standard_normal(1_000_003).astype(np.float32)
        if name == "cumulative_sum"
        else (1 + rng.standard_normal(300_001) * 1e-6)
    )
    got = np.asarray(getattr(cp, name)(v))
    want = ref(v.astype(np.float64))
    np.testing.assert_allclose(got, want, rtol=1e-3 if v.dtype == np.float32 else 1e-9, atol=1e-2)


# ------------------------------------------------------------------------------ diff


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8", "complex64"])
def test_diff(dtype):
    a = values(np.random.default_rng(15), (5, 6), dtype)
    for axis in (0, 1, -1):
        for n in (0, 1, 2, 7):
            got = cp.diff(a, axis=axis, n=n)
            assert_tensor(got, np.diff(a, axis=axis, n=n))
            strict = xp.diff(xp.asarray(a), axis=axis, n=n)
            assert got.dtype == _name(strict.dtype)
    pre = values(np.random.default_rng(16), (5, 1), dtype)
    app = values(np.random.default_rng(17), (5, 2), dtype)
    assert_tensor(
        cp.diff(a, axis=1, prepend=pre, append=app), np.diff(a, axis=1, prepend=pre, append=app)
    )


def test_diff_bad_inputs():
    with pytest.raises(TypeError):
        cp.diff(np.ones(3, bool))
    with pytest.raises(ValueError):
        cp.diff(np.ones(3), n=-1)
    with pytest.raises(cp.AxisError):
        cp.diff(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError):
        cp.diff(np.array(1.0))


# ------------------------------------------------------------------------------ hypothesis


@given(
    dtype=st.sampled_from(["float32", "float64", "int16", "uint32", "int64"]),
    data=st.data(),
    name=st.sampled_from(
        ["sum", "prod", "min", "max", "count_nonzero", "any", "all", "argmax", "argmin"]
    ),
    keepdims=st.booleans(),
)
def test_property_matches_numpy(dtype, data, name, keepdims):
    # Integral values: every summation order is exact.
    lo = 0 if dtype.startswith("u") else -100
    shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6)
    a = data.draw(hnp.arrays(dtype, shapes, elements=st.integers(lo, 100)))
    if name in ARG:
        axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1))) if a.ndim else None
    else:
        axis = data.draw(
            st.one_of(
                st.none(),
                st.lists(st.integers(0, a.ndim - 1), unique=True, max_size=a.ndim).map(tuple)
                if a.ndim
                else st.none(),
            )
        )
    if data.draw(st.booleans()) and a.ndim >= 2:
        a = np.swapaxes(a, 0, -1)
    try:
        want = np_ref(name, a, axis=axis, keepdims=keepdims)
    except ValueError:
        with pytest.raises(ValueError):
            getattr(cp, name)(a, axis=axis, keepdims=keepdims)
        return
    if name == "prod" and a.dtype.kind == "f":
        return  # products of up to 6**4 values of |x| <= 100 overflow float32 differently
    assert_tensor(getattr(cp, name)(a, axis=axis, keepdims=keepdims), want)


@pytest.mark.parametrize("name", ["min", "max", "argmin", "argmax"])
def test_reducing_empty_axes_raises_even_when_the_result_is_empty(name):
    """NumPy raises for max of a (0, 0) array along axis 0 although the result would be (0,)."""
    x = np.empty((0, 0), np.float32)
    with pytest.raises(ValueError):
        getattr(np, name)(x, axis=0)
    with pytest.raises(ValueError, match="zero-size"):
        getattr(cp, name)(x, axis=0)
    assert getattr(cp, name)(np.empty((0, 3), np.float32), axis=1).shape == (0,)
