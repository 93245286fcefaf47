"""The standard's element-wise functions beyond + - * / and the comparisons: values against
NumPy, result dtypes against array-api-strict, special values, layouts, out=, operators, every
ISA, and bad inputs."""

from __future__ import annotations

import operator
import warnings
import zlib

import array_api_strict as xs
import numpy as np
import pytest

import corepy as cp

INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
REAL = ["float32", "float64"]
CPX = ["complex64", "complex128"]
ALL = ["bool", *INTS, *REAL, *CPX]

# The dtypes the standard gives each function ("real" = integers and real floats).
KINDS = {
    "numeric": INTS + REAL + CPX,
    "real": INTS + REAL,
    "floating": REAL + CPX,
    "real floating": REAL,
    "integer": INTS,
    "integer or bool": ["bool", *INTS],
    "bool": ["bool"],
}

# name -> (NumPy function, the standard's dtypes, exact: bit-exact against NumPy)
UNARY = {
    "abs": (np.abs, "numeric", True),
    "negative": (np.negative, "numeric", True),
    "positive": (np.positive, "numeric", True),
    "square": (np.square, "numeric", False),
    "sign": (np.sign, "numeric", False),
    "floor": (np.floor, "real", True),
    "ceil": (np.ceil, "real", True),
    "trunc": (np.trunc, "real", True),
    "round": (np.round, "numeric", True),
    "isnan": (np.isnan, "numeric", True),
    "isinf": (np.isinf, "numeric", True),
    "isfinite": (np.isfinite, "numeric", True),
    "signbit": (np.signbit, "real floating", True),
    "logical_not": (np.logical_not, "bool", True),
    "bitwise_invert": (np.invert, "integer or bool", True),
    "conj": (np.conj, "numeric", True),
    "reciprocal": (np.reciprocal, "floating", False),
    "sqrt": (np.sqrt, "floating", False),
    "exp": (np.exp, "floating", False),
    "expm1": (np.expm1, "floating", False),
    "log": (np.log, "floating", False),
    "log1p": (np.log1p, "floating", False),
    "log2": (np.log2, "floating", False),
    "log10": (np.log10, "floating", False),
    "sin": (np.sin, "floating", False),
    "cos": (np.cos, "floating", False),
    "tan": (np.tan, "floating", False),
    "asin": (np.arcsin, "floating", False),
    "acos": (np.arccos, "floating", False),
    "atan": (np.arctan, "floating", False),
    "sinh": (np.sinh, "floating", False),
    "cosh": (np.cosh, "floating", False),
    "tanh": (np.tanh, "floating", False),
    "asinh": (np.arcsinh, "floating", False),
    "acosh": (np.arccosh, "floating", False),
    "atanh": (np.arctanh, "floating", False),
}

BINARY = {
    "maximum": (np.maximum, "real", True),
    "minimum": (np.minimum, "real", True),
    "pow": (np.power, "numeric", False),
    "remainder": (np.remainder, "real", True),
    "floor_divide": (np.floor_divide, "real", True),
    "atan2": (np.arctan2, "real floating", False),
    "hypot": (np.hypot, "real floating", False),
    "copysign": (np.copysign, "real floating", True),
    "nextafter": (np.nextafter, "real floating", True),
    "logaddexp": (np.logaddexp, "real floating", False),
    "bitwise_and": (np.bitwise_and, "integer or bool", True),
    "bitwise_or": (np.bitwise_or, "integer or bool", True),
    "bitwise_xor": (np.bitwise_xor, "integer or bool", True),
    "bitwise_left_shift": (np.left_shift, "integer", True),
    "bitwise_right_shift": (np.right_shift, "integer", True),
    "logical_and": (np.logical_and, "bool", True),
    "logical_or": (np.logical_or, "bool", True),
    "logical_xor": (np.logical_xor, "bool", True),
}

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, np.inf, -np.inf, np.nan, 1e-30, -1e-30, 1e30, 3.0]


def values(rng, dtype, n=200, fn=None):
    """Random values of dtype with its edge values mixed in (float: +-0, +-inf, NaN, tiny, huge)."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.integers(0, 2, n).astype(bool)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        lo, hi = max(int(info.min), -100), min(int(info.max), 100)
        x = rng.integers(lo, hi + 1, n).astype(dt)
        x[:4] = [info.min, info.max, 0, 1]
        return x
    real = np.dtype(dtype if dt.kind == "f" else ("float32" if dt == np.complex64 else "float64"))
    x = (rng.standard_normal(n) * 3).astype(real)
    x[: len(SPECIAL)] = np.array(SPECIAL).astype(real)
    if fn in ("acosh",):
        x[len(SPECIAL) :] = np.abs(x[len(SPECIAL) :]) + 1
    if dt.kind == "c":
        y = (rng.standard_normal(n) * 3).astype(real)
        return (x + 1j * y).astype(dt)
    return x


def ulps(a, b):
    """Units in the last place between float arrays of one dtype (NaN/inf must match exactly)."""
    a, b = np.asarray(a), np.asarray(b)
    bits = np.int32 if a.dtype == np.float32 else np.int64
    ia, ib = a.view(bits).astype(np.int64), b.view(bits).astype(np.int64)
    # Map the sign-magnitude bit patterns to one ordered integer line.
    big = np.int64(np.iinfo(bits).min)
    ia = np.where(ia < 0, big - ia, ia)
    ib = np.where(ib < 0, big - ib, ib)
    return np.abs(ia - ib)


def assert_close(got, want, exact, max_ulp=8):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    if exact or got.dtype.kind in "biu":
        np.testing.assert_array_equal(got, want)
        if got.dtype.kind in "fc":  # signed zeros too (a NaN's sign means nothing)
            num = ~np.isnan(want.real)
            np.testing.assert_array_equal(np.signbit(got.real[num]), np.signbit(want.real[num]))
        return
    if got.dtype.kind == "c":
        np.testing.assert_allclose(got, want, rtol=2e-5 if got.dtype == np.complex64 else 1e-12)
        return
    nan = np.isnan(want)
    np.testing.assert_array_equal(np.isnan(got), nan)
    u = ulps(got[~nan], want[~nan])
    assert u.size == 0 or u.max() <= max_ulp, (
        u.max(),
        got[~nan][u.argmax()],
        want[~nan][u.argmax()],
    )


# The vectorised functions of the SIMD tables (cpp/kernels/math-inl.h): within these ULP of the
# exact value (tests/test_ulp.py measures them), so not always glibc's bits; special values exact.
VMATH_ULP = {
    **dict.fromkeys(["exp", "expm1", "log", "log1p", "log2", "log10"], 1),
    **dict.fromkeys(["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh"], 4),
    **dict.fromkeys(["asinh", "acosh", "atanh", "atan2", "pow", "hypot"], 4),
}


def assert_special_exact(got, want, max_ulp):
    """NaN, infinite and zero results exactly (sign included), finite ones within max_ulp
    (glibc's reference may itself be an ulp off, hence one more)."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    special = ~np.isfinite(want) | (want == 0)
    assert_close(got[special], want[special], exact=True)
    np.testing.assert_array_equal(np.isfinite(got[~special]), True)
    assert_close(got[~special], want[~special], exact=False, max_ulp=max_ulp + 1)


def np_reference(fn, *args, dtype):
    """NumPy's answer in the result dtype; float32 math from float64 (correctly rounded there)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if (
            np.dtype(dtype) == np.float32
            and all(a.dtype == np.float32 for a in args)
            and fn
            not in (
                np.nextafter,
                np.copysign,
            )
        ):
            return fn(*(a.astype(np.float64) for a in args)).astype(np.float32)
        if np.dtype(dtype).kind == "f" and all(a.dtype.kind in "iu" for a in args):
            return fn(*(a.astype(np.float64) for a in args))
        return fn(*args)


def strict_dtype(name, *arrays):
    f = getattr(xs, name)
    with np.errstate(all="ignore"):
        return str(f(*(xs.asarray(a) for a in arrays)).dtype).rsplit(".", 1)[-1]


def unary_cases():
    for name, (_, kind, _) in UNARY.items():
        for d in KINDS[kind]:
            yield name, d


@pytest.mark.parametrize("name,dtype", list(unary_cases()))
def test_unary_matches_numpy_and_strict_dtypes(name, dtype):
    fn, _, exact = UNARY[name]
    x = values(np.random.default_rng(zlib.crc32(f"{name}-{dtype}".encode())), dtype, fn=name)
    got = getattr(cp, name)(x)
    assert got.dtype == strict_dtype(name, x)
    want = np_reference(fn, x, dtype=got.dtype)
    if name == "sign" and x.dtype.kind == "c":
        # NumPy gives 0+1j for sign(nan+infj); the standard: NaN in either part gives NaN.
        x = x[np.isfinite(x)]
        got = cp.sign(x)
        with np.errstate(all="ignore"):
            want = np.where(x == 0, 0, x / np.abs(x)).astype(x.dtype)
    assert_close(got, want, exact and not (name == "abs" and x.dtype.kind == "c"))


def binary_cases():
    for name, (_, kind, _) in BINARY.items():
        for d in KINDS[kind]:
            yield name, d


@pytest.mark.parametrize("name,dtype", list(binary_cases()))
def test_binary_matches_numpy_and_strict_dtypes(name, dtype):
    fn, _, exact = BINARY[name]
    rng = np.random.default_rng(zlib.crc32(f"{name}-{dtype}".encode()))
    a, b = values(rng, dtype), values(rng, dtype)
    if name.startswith("bitwise_") and "shift" in name:
        b = rng.integers(0, np.dtype(dtype).itemsize * 8, a.size).astype(dtype)
    if name == "pow" and np.dtype(dtype).kind in "iu":
        b = rng.integers(0, 5, a.size).astype(dtype)
    if name == "pow" and np.dtype(dtype).kind == "c":
        a, b = a[len(SPECIAL) :], b[len(SPECIAL) :]  # finite values: libm's cpow vs NumPy's own
    got = getattr(cp, name)(a, b)
    assert got.dtype == strict_dtype(name, a, b)
    assert_close(got, np_reference(fn, a, b, dtype=got.dtype), exact)


@pytest.mark.parametrize("x", SPECIAL + [5e-324, -5e-324])
@pytest.mark.parametrize("y", SPECIAL)
@pytest.mark.parametrize(
    "name",
    [
        "maximum",
        "minimum",
        "remainder",
        "floor_divide",
        "atan2",
        "hypot",
        "copysign",
        "nextafter",
        "logaddexp",
        "pow",
    ],
)
def test_binary_special_values_as_numpy(name, x, y):
    """The IEEE special cases the standard lists (NaN, signed zeros, infinities) in float64."""
    a, b = np.array([x]), np.array([y])
    got, want = getattr(cp, name)(a, b), np_reference(BINARY[name][0], a, b, dtype="float64")
    if name in VMATH_ULP:
        assert_special_exact(got, want, VMATH_ULP[name])
    else:
        assert_close(got, want, exact=True)


@pytest.mark.parametrize(
    "name", [n for n, v in UNARY.items() if "floating" in v[1] or v[1] in ("real", "numeric")]
)
def test_unary_special_values_as_numpy(name):
    """Special cases of each function on the standard's list: NaN in, NaN out; exp(-inf) = +0,
    log(0) = -inf, log(-1) = NaN, sin(-0) = -0, tanh(+-inf) = +-1, sqrt(-0) = -0 ..."""
    x = np.array(SPECIAL + [5e-324, -5e-324, 710.0, -745.5, 1e300], dtype=np.float64)
    fn, _, _ = UNARY[name]
    got, want = getattr(cp, name)(x), np_reference(fn, x, dtype="float64")
    if name in VMATH_ULP:
        assert_special_exact(got, want, VMATH_ULP[name])
    else:
        assert_close(got, want, exact=True)


def test_integer_division_by_zero_is_zero_and_min_over_minus_one_wraps():
    a = np.array([7, -7, 0, np.iinfo(np.int32).min], dtype=np.int32)
    b = np.array([0, 0, 0, -1], dtype=np.int32)
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(np.asarray(cp.floor_divide(a, b)), np.floor_divide(a, b))
        np.testing.assert_array_equal(np.asarray(cp.remainder(a, b)), np.remainder(a, b))


def test_shift_counts_outside_the_width_shift_everything_out():
    a = np.array([1, -8, 5, -1], dtype=np.int8)
    b = np.array([8, 9, 100, 127], dtype=np.int8)
    np.testing.assert_array_equal(np.asarray(cp.bitwise_left_shift(a, b)), [0, 0, 0, 0])
    np.testing.assert_array_equal(np.asarray(cp.bitwise_right_shift(a, b)), [0, -1, 0, -1])


def test_integer_pow_to_negative_power_is_a_value_error():
    with pytest.raises(ValueError, match="negative integer powers"):
        cp.pow(np.array([2, 3], dtype=np.int64), np.array([1, -1], dtype=np.int64))
    # unsigned exponents and non-negative ones are fine; 0**0 == 1
    np.testing.assert_array_equal(
        np.asarray(cp.pow(np.array([0, 2], np.uint8), np.array([0, 7], np.uint8))), [1, 128]
    )


@pytest.mark.parametrize(
    "name,args",
    [
        ("bitwise_and", (np.ones(3), np.ones(3))),
        ("bitwise_left_shift", (np.ones(3, bool), np.ones(3, bool))),
        ("bitwise_invert", (np.ones(3),)),
        ("maximum", (np.ones(3, np.complex64), np.ones(3, np.complex64))),
        ("remainder", (np.ones(3, np.complex128), np.ones(3, np.complex128))),
        ("floor", (np.ones(3, np.complex128),)),
        ("signbit", (np.ones(3, np.complex128),)),
        ("atan2", (np.ones(3, np.complex128), np.ones(3))),
        ("exp", (np.ones(3, bool),)),
        ("negative", (np.ones(3, bool),)),
        ("sqrt", ("abc",)),
    ],
)
def test_unsupported_dtypes_are_type_errors(name, args):
    with pytest.raises(TypeError):
        getattr(cp, name)(*args)


def test_broadcast_mismatch_and_bad_out():
    with pytest.raises(ValueError, match="broadcast"):
        cp.maximum(np.ones(3), np.ones(4))
    out = np.empty(3, np.float32)
    with pytest.raises(TypeError, match="dtype"):
        cp.exp(np.ones(3), out=out)
    before = out.copy()
    with pytest.raises(ValueError, match="shape"):
        cp.exp(np.ones(3, np.float32), out=np.empty(4, np.float32))
    np.testing.assert_array_equal(out.view(np.uint32), before.view(np.uint32))


def test_integer_inputs_of_float_functions_compute_in_float64():
    x = np.arange(1, 6, dtype=np.int16)
    r = cp.log(x)
    assert r.dtype == cp.float64
    np.testing.assert_allclose(np.asarray(r), np.log(x.astype(np.float64)), rtol=1e-15)
    assert cp.atan2(x, 2).dtype == cp.float64


@pytest.mark.parametrize("isa", cp.config()["available_isas"])
@pytest.mark.parametrize(
    "name",
    ["exp", "log", "sin", "tanh", "sqrt", "floor", "abs", "isnan", "atan2", "maximum", "pow"],
)
def test_every_isa_strided_broadcast_and_out(isa, name):
    """Transposed, strided and broadcast operands, in-place out=, on every ISA and thread count."""
    rng = np.random.default_rng(7)
    base = (rng.standard_normal((40, 66)) * 2).astype(np.float32)
    x = base[::2, 1::3].T  # strided and transposed: (22, 20)
    fn = getattr(cp, name)
    ref_fn = UNARY.get(name, BINARY.get(name))[0]
    with _isa(isa):
        if name in BINARY:
            y = np.abs(base[0, :20]) + 0.5  # broadcast along rows
            got = fn(x, y)
            want = np_reference(ref_fn, x, y.astype(np.float32), dtype="float32")
        else:
            got = fn(x)
            want = np_reference(ref_fn, x, dtype=str(np.asarray(got).dtype))
        assert_close(got, want, exact=UNARY.get(name, BINARY.get(name))[2])
        if name not in BINARY and np.asarray(got).dtype == np.float32:
            buf = np.array(x)  # in place: out is the input
            r = fn(buf, out=buf)
            assert r is buf
            assert_close(buf, want, exact=UNARY[name][2])
        for threads in (1, 2):
            cp.set_num_threads(threads)
            big = np.abs(rng.standard_normal(70001)).astype(np.float64) + 0.25
            if name in BINARY:
                got_big, want_big = (
                    fn(big, big[::-1]),
                    np_reference(ref_fn, big, big[::-1], dtype="float64"),
                )
            else:
                got_big, want_big = (
                    fn(big),
                    np_reference(ref_fn, big, dtype=str(np.asarray(fn(big[:1])).dtype)),
                )
            assert_close(got_big, want_big, exact=UNARY.get(name, BINARY.get(name))[2])


class _isa:
    def __init__(self, isa):
        self.isa = isa

    def __enter__(self):
        self.prev = cp.get_isa()
        cp.set_isa(self.isa)

    def __exit__(self, *exc):
        cp.set_isa(self.prev)


def test_zero_d_and_python_scalars():
    r = cp.exp(cp.asarray(1.0, dtype=cp.float32))
    assert r.shape == () and r.dtype == cp.float32
    assert float(r) == pytest.approx(np.e, rel=1e-6)
    t = cp.asarray(np.arange(5, dtype=np.int8))
    assert cp.maximum(t, 3).dtype == cp.int8  # weak Python scalar
    assert cp.atan2(cp.asarray([1.0], dtype=cp.float32), 1).dtype == cp.float32
    np.testing.assert_array_equal(
        np.asarray(cp.where(t > 2, t, -1)), np.where(np.arange(5) > 2, np.arange(5), -1)
    )


OPERATORS = [
    ("**", operator.pow, operator.ipow, np.power),
    ("//", operator.floordiv, operator.ifloordiv, np.floor_divide),
    ("%", operator.mod, operator.imod, np.remainder),
    ("&", operator.and_, operator.iand, np.bitwise_and),
    ("|", operator.or_, operator.ior, np.bitwise_or),
    ("^", operator.xor, operator.ixor, np.bitwise_xor),
    ("<<", operator.lshift, operator.ilshift, np.left_shift),
    (">>", operator.rshift, operator.irshift, np.right_shift),
]


@pytest.mark.parametrize("sym,op,iop,ref", OPERATORS, ids=[o[0] for o in OPERATORS])
def test_operators_reflected_and_in_place(sym, op, iop, ref):
    a = np.array([1, 2, 3, 7, 9], dtype=np.int32)
    b = np.array([1, 3, 2, 2, 1], dtype=np.int32)
    ta, tb = cp.asarray(a), cp.asarray(b)
    np.testing.assert_array_equal(np.asarray(op(ta, tb)), ref(a, b))
    np.testing.assert_array_equal(np.asarray(op(ta, 2)), ref(a, 2))
    np.testing.assert_array_equal(np.asarray(op(2, ta)), ref(2, a))
    t = cp.asarray(a.copy())
    t2 = iop(t, tb)
    assert t2 is t
    np.testing.assert_array_equal(np.asarray(t), ref(a, b))


def test_unary_operators():
    a = np.array([-2, 0, 3], dtype=np.int16)
    t = cp.asarray(a)
    np.testing.assert_array_equal(np.asarray(abs(t)), np.abs(a))
    np.testing.assert_array_equal(np.asarray(~t), ~a)
    np.testing.assert_array_equal(np.asarray(-t), -a)
    f = cp.asarray(np.array([1.5, -2.0], np.float32))
    assert (f**2).dtype == cp.float32
    with pytest.raises(TypeError):
        operator.invert(f)
    with pytest.raises(TypeError):
        operator.neg(cp.asarray([True]))


def test_in_place_operator_keeps_the_dtype():
    t = cp.asarray(np.arange(3, dtype=np.int32))
    with pytest.raises(TypeError):
        t **= 0.5  # would need float64


def test_real_imag_conj_clip():
    z = np.array([1 + 2j, -3 - 0j, np.nan + 1j], np.complex64)
    np.testing.assert_array_equal(np.asarray(cp.real(z)), z.real)
    np.testing.assert_array_equal(np.asarray(cp.imag(z)), z.imag)
    assert cp.real(z).dtype == cp.float32
    np.testing.assert_array_equal(np.asarray(cp.conj(z)), np.conj(z))
    x = np.array([-3.0, 0.5, 7.0, np.nan])
    np.testing.assert_array_equal(np.asarray(cp.clip(x, -1, 1)), np.clip(x, -1, 1))
    np.testing.assert_array_equal(np.asarray(cp.clip(x, max=0.0)), np.clip(x, None, 0.0))
    i = np.arange(10, dtype=np.uint8)
    r = cp.clip(i, 2, 5)
    assert r.dtype == cp.uint8
    np.testing.assert_array_equal(np.asarray(r), np.clip(i, 2, 5))
    with pytest.raises(TypeError):
        cp.real(np.arange(3))


def test_hypothesis_strategies_namespace_works():
    """hypothesis' array API strategies need isnan/isfinite and the namespace's dtypes."""
    from hypothesis import given, settings
    from hypothesis.extra.array_api import make_strategies_namespace

    xps = make_strategies_namespace(cp)

    @settings(max_examples=20)
    @given(xps.arrays(dtype=xps.floating_dtypes(), shape=xps.array_shapes(max_side=5)))
    def check(x):
        assert isinstance(x, cp.Tensor)
        np.testing.assert_array_equal(np.asarray(cp.isnan(x)), np.isnan(np.asarray(x)))

    check()


def test_vecdot_conjugates_complex_x1():
    rng = np.random.default_rng(3)
    a = (rng.standard_normal((4, 5)) + 1j * rng.standard_normal((4, 5))).astype(np.complex128)
    b = (rng.standard_normal(5) + 1j * rng.standard_normal(5)).astype(np.complex128)
    np.testing.assert_allclose(np.asarray(cp.vecdot(a, b)), np.vecdot(a, b), rtol=1e-12)
