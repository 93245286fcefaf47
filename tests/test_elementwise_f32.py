"""The float32 paths of session 5's issue-15 work: float-lane kernels for exp, expm1, log1p, log2,
log10, sin, cos, asin, acos, atan, sinh, cosh, asinh, acosh, atanh and atan2 (math-inl.h),
comparisons and float predicates that pack four registers of masks per store (AVX2), and bool
outputs streamed when their inputs are large.

Accuracy over a million points is tests/test_ulp.py's; here: every lane of a vector gives the
bits the scalar tail gives for the same element (mixed vectors that take the rare paths: exp near
overflow and underflow, sin/cos beyond the float path's range), the values against a float64
reference within the bounds, and the packed bool stores against NumPy at every length and
offset around a 32-element block, every ISA.
"""

from __future__ import annotations

import numpy as np
import pytest

import corepy as cp

ISAS = list(cp.config()["available_isas"])


@pytest.fixture(params=ISAS)
def isa(request):
    prev = cp.get_isa()
    cp.set_isa(request.param)
    yield request.param
    cp.set_isa(prev)


def ulp_err(got: np.ndarray, ref64: np.ndarray) -> np.ndarray:
    """|got - ref| in float32 ulps at the reference (finite references only)."""
    r32 = ref64.astype(np.float32)
    ulp = np.spacing(np.abs(r32)).astype(np.float64)
    return np.abs(got.astype(np.float64) - ref64) / ulp


MATH = {
    "exp": (np.exp, 1.0),
    "expm1": (np.expm1, 1.0),
    "sinh": (np.sinh, 4.0),
    "cosh": (np.cosh, 4.0),
    "sin": (np.sin, 4.0),
    "cos": (np.cos, 4.0),
    "log1p": (np.log1p, 1.0),
    "log2": (np.log2, 1.0),
    "log10": (np.log10, 1.0),
    "asin": (np.arcsin, 4.0),
    "acos": (np.arccos, 4.0),
    "atan": (np.arctan, 4.0),
    "asinh": (np.arcsinh, 4.0),
    "acosh": (np.arccosh, 4.0),
    "atanh": (np.arctanh, 4.0),
}


def inputs(name: str, n: int = 4099, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if name == "exp":  # mostly ordinary, some near overflow and deep in the subnormal range
        x = rng.uniform(-20, 20, n)
        x[::37] = rng.uniform(85, 89, x[::37].size)
        x[5::41] = rng.uniform(-104, -86, x[5::41].size)
    elif name in ("expm1", "sinh", "cosh"):  # around zero (cancellation) and the big branches
        x = rng.uniform(-3, 3, n)
        x[::11] = rng.uniform(-1e-3, 1e-3, x[::11].size)
        x[::23] = rng.uniform(-95, 95, x[::23].size)
    elif name in ("sin", "cos"):  # some lanes beyond the float path (2^15) and huge
        x = rng.uniform(-100, 100, n)
        x[::29] = rng.uniform(2.0**15, 2.0**20, x[::29].size) * rng.choice([-1, 1], x[::29].size)
        x[3::31] = np.pi / 2 * rng.integers(-20000, 20000, x[3::31].size)
        x[7::97] = 1e30
    elif name in ("log2", "log10"):
        x = np.exp2(rng.uniform(-149, 128, n))
    elif name == "log1p":
        x = np.concatenate([rng.uniform(-1, 1, n // 2), np.exp2(rng.uniform(-30, 127, n - n // 2))])
    elif name in ("asin", "acos", "atanh"):
        x = rng.uniform(-1, 1, n)
    elif name == "acosh":
        x = 1 + np.exp2(rng.uniform(-23, 127, n))
    elif name == "asinh":
        x = np.exp2(rng.uniform(-140, 127, n)) * rng.choice([-1, 1], n)
    else:
        x = np.tan(rng.uniform(-1.5707, 1.5707, n)) * rng.choice([1, 1e-3, 1e3], n)
    return x.astype(np.float32)


@pytest.mark.parametrize("name", list(MATH))
def test_float32_math_lanes_match_tail_and_bound(isa, name):
    f_np, bound = MATH[name]
    x = inputs(name)
    got = getattr(cp, name)(cp.asarray(x)).numpy()
    # a one-element call runs the scalar tail: the same bits as the element's vector lane
    tail = np.array([getattr(cp, name)(cp.asarray(x[i : i + 1])).numpy()[0] for i in range(64)])
    assert np.array_equal(got[:64].view(np.uint32), tail.view(np.uint32)), name
    with np.errstate(all="ignore"):
        ref = f_np(x.astype(np.float64))
    fin = np.isfinite(ref) & (np.abs(ref) < float(np.finfo(np.float32).max))
    err = ulp_err(got[fin], ref[fin])
    assert err.max() <= bound, (name, isa, float(err.max()), x[fin][np.argmax(err)])
    # overflow to inf where the float64 result is beyond float32's range
    over = np.isfinite(ref) & (np.abs(ref) >= 2.0**128)
    assert np.all(np.isinf(got[over]))


def test_float32_math_special_values(isa):
    sp = np.array(
        [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.0**15, -(2.0**15), 3e38, -3e38],
        np.float32,
    )
    with np.errstate(all="ignore"):
        for name, (f_np, _) in MATH.items():
            got = getattr(cp, name)(cp.asarray(sp)).numpy()
            want = f_np(sp.astype(np.float64)).astype(np.float32)
            # the standard's special cases: NaN, infinities, zeros, and f(0) = 1 (exp, cos, cosh)
            exact = ~np.isfinite(want) | (want == 0) | (want == 1)
            assert np.array_equal(np.isnan(got), np.isnan(want)), name
            ok = np.isnan(want) | ((got == want) & (np.signbit(got) == np.signbit(want)))
            assert ok[exact].all(), (name, sp[exact][~ok[exact]], got[exact][~ok[exact]])
    # cos(0) and exp(0) are exactly one; sin and atan keep -0
    assert float(cp.cos(cp.asarray(np.float32(0)))) == 1.0
    assert np.signbit(cp.sin(cp.asarray(np.array([-0.0], np.float32))).numpy()[0])


def test_float32_atan2_quadrants_and_specials(isa):
    v = np.array(
        [0.0, -0.0, 1.0, -1.0, 3.5, -2.0, np.inf, -np.inf, np.nan, 1e-40, 3e38], np.float32
    )
    y, x = (a.ravel() for a in np.meshgrid(v, v))
    got = cp.atan2(cp.asarray(y), cp.asarray(x)).numpy()
    with np.errstate(all="ignore"):
        ref = np.arctan2(y.astype(np.float64), x.astype(np.float64))
    assert np.array_equal(np.isnan(got), np.isnan(ref))
    zero = ref == 0
    assert np.array_equal(np.signbit(got[zero]), np.signbit(ref[zero]))
    fin = np.isfinite(ref) & ~zero
    assert ulp_err(got[fin], ref[fin]).max() <= 4.0
    rng = np.random.default_rng(3)
    yy = (rng.standard_normal(5000) * np.exp(rng.uniform(-20, 20, 5000))).astype(np.float32)
    xx = (rng.standard_normal(5000) * np.exp(rng.uniform(-20, 20, 5000))).astype(np.float32)
    got = cp.atan2(cp.asarray(yy), cp.asarray(xx)).numpy()
    ref = np.arctan2(yy.astype(np.float64), xx.astype(np.float64))
    assert ulp_err(got, ref).max() <= 4.0


CMP = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]


@pytest.mark.parametrize("dtype", ["float32", "int32", "uint32"])
def test_packed_compares_every_length_and_offset(isa, dtype):
    rng = np.random.default_rng(7)
    a = rng.integers(0, 4, 200).astype(dtype)
    b = rng.integers(0, 4, 200).astype(dtype)
    if dtype == "float32":
        a[::13] = np.nan
        b[5::17] = np.nan
        a[3::19] = -0.0
    for name in CMP:
        f_cp, f_np = getattr(cp, name), getattr(np, name)
        for n in (1, 31, 32, 33, 63, 64, 65, 127, 130):
            for off in (0, 1, 3):
                x, y = a[off : off + n], b[off : off + n]
                got = f_cp(cp.asarray(x), cp.asarray(y)).numpy()
                assert np.array_equal(got, f_np(x, y)), (name, dtype, n, off)
                s = b[off]  # a broadcast operand on either side (the VS body, mirrored for SV)
                assert np.array_equal(f_cp(cp.asarray(x), s.item()).numpy(), f_np(x, s)), name
                assert np.array_equal(f_cp(s.item(), cp.asarray(x)).numpy(), f_np(s, x)), name


PRED = ["isnan", "isinf", "isfinite", "signbit", "logical_not"]


def test_packed_predicates_every_length_and_offset(isa):
    v = np.array(
        [0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan, -np.nan, 1e-45, -1e-45], np.float32
    )
    a = np.random.default_rng(9).choice(v, 200).astype(np.float32)
    for name in PRED:
        f_cp, f_np = getattr(cp, name), getattr(np, name)
        for n in (1, 31, 32, 33, 64, 65, 130):
            for off in (0, 1, 2):
                x = a[off : off + n]
                got = f_cp(cp.asarray(x)).numpy()
                assert got.dtype == np.bool_
                assert np.array_equal(got, f_np(x)), (name, n, off)


def test_streamed_bool_outputs_match_numpy():
    """Bool results of inputs past the streaming size (12 MiB of float32: the non-temporal row)."""
    n = (12 << 20) // 4 + 77
    rng = np.random.default_rng(11)
    x = rng.standard_normal(n).astype(np.float32)
    x[::1001] = np.nan
    y = rng.standard_normal(n).astype(np.float32)
    tx, ty = cp.asarray(x), cp.asarray(y)
    assert np.array_equal(cp.less(tx, ty).numpy(), np.less(x, y))
    assert np.array_equal(cp.greater_equal(tx, 0.25).numpy(), np.greater_equal(x, 0.25))
    assert np.array_equal(cp.isnan(tx).numpy(), np.isnan(x))
    assert np.array_equal(cp.signbit(tx).numpy(), np.signbit(x))
    # an unaligned output start (a view one element in) takes the staged head first
    out = np.empty(n + 1, np.bool_)
    cp.isfinite(tx, out=out[1:])
    assert np.array_equal(out[1:], np.isfinite(x))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sqrt_correctly_rounded(isa, dtype):
    """sqrt is IEEE's correctly rounded root on every ISA (AVX-512 computes it without the divide
    unit and checks each lane's residual): random bit patterns over every binade, subnormals, the
    lanes below the divide-free form's range, and the specials, against NumPy bit for bit."""
    rng = np.random.default_rng(7)
    ib = np.uint32 if dtype == "float32" else np.uint64
    top = 0x7F800000 if dtype == "float32" else 0x7FF0000000000000
    bits = rng.integers(0, top, 1 << 18, dtype=ib)
    x = bits.view(dtype).copy()
    tiny = np.finfo(dtype).smallest_subnormal
    edge = [0.0, -0.0, tiny, 2 * tiny, 2.0**-100, 2.0**-101, 1.0, 2.0, 4.0, np.inf, -np.inf, np.nan]
    special = np.array([*edge, -1.0, -tiny, np.finfo(dtype).max], dtype=dtype)
    x = np.concatenate([x, special, np.nextafter(x[:4096], np.inf)])
    got = np.asarray(cp.sqrt(cp.asarray(x)))
    with np.errstate(invalid="ignore"):
        ref = np.sqrt(x)
    same = (got.view(ib) == ref.view(ib)) | (np.isnan(got) & np.isnan(ref))
    assert same.all(), x[~same][:5]
