"""Hostile inputs never crash: every op family against NumPy over hypothesis-generated shapes
(0-d, empty, rank up to 32), strides (negative, zero via broadcast_to, overlapping as_strided
views), every NumPy dtype (supported or not), buffer kinds (bytes, bytearray, memoryview casts,
array.array, ctypes, misaligned views), wrong-kind scalars and out= aliasing an input.

Each case either matches NumPy or raises the documented exception: TypeError for a type or
dtype, ValueError for a shape or value, MemoryError for an impossible size. Anything else
(another exception, a wrong answer, a crash of the interpreter) fails.

Default run: a few thousand cases in well under a minute. `HYPOTHESIS_PROFILE=thorough`
(or `make fuzz`) runs ~15x more, plus the tests marked slow.
"""

from __future__ import annotations

import array
import ctypes
import math
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import corepy as cp

# The 13 dtypes of the contract (DESIGN.md).
SUPPORTED = {
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
}
# Every other NumPy dtype kind (width, byte order, string, void, object, time): TypeError.
UNSUPPORTED = [
    "float16",
    "longdouble",
    ">f4",
    ">i8",
    "<U3",
    "S2",
    "V4",
    "O",
    "datetime64[s]",
    "timedelta64[ms]",
]
ALL_DTYPES = sorted(SUPPORTED) + UNSUPPORTED
# The dtypes the op fuzzers below draw from. The eight newer dtypes have their own tests here
# (construction, byte buffers, astype, binary ops and scalars), so that a gap in their kernels
# does not hide a failure on these five.
OP_DTYPES = ["bool", "float32", "float64", "int32", "int64"]
DOCUMENTED = (TypeError, ValueError, MemoryError)


def _examples(n: int):
    """`n` examples in the default run, 15x that under the thorough profile."""
    return settings(max_examples=n * (15 if settings.default.max_examples >= 1000 else 1))


# --------------------------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------------------------


def _values(dtype: str):
    """Elements that keep float sums exact (small integers) plus the IEEE specials and the
    integer limits."""
    kind = np.dtype(dtype).kind
    if kind == "b":
        return st.booleans()
    if kind in "iu":
        info = np.iinfo(dtype)
        small = st.integers(-50, 50) if kind == "i" else st.integers(0, 100)
        return small | st.sampled_from([int(info.min), int(info.max), 0])
    real = st.integers(-50, 50).map(float) | st.sampled_from([0.0, -0.0, math.inf, -math.inf])
    if kind == "c":
        return st.builds(complex, real, real)
    return real


def _shapes(max_dims: int = 4, max_side: int = 5):
    return hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=max_side)


@st.composite
def base_arrays(draw, dtype=None, shape=None):
    dtype = dtype or draw(st.sampled_from(OP_DTYPES))
    shape = shape if shape is not None else draw(_shapes())
    return draw(hnp.arrays(dtype, shape, elements=_values(dtype)))


@st.composite
def layouts(draw, arr):
    """The same values as `arr` in another memory layout NumPy produces."""
    kind = draw(st.sampled_from(["contig", "reversed", "transposed", "strided", "broadcast"]))
    if kind == "reversed" and arr.ndim:
        return arr[(slice(None, None, -1),) * arr.ndim].copy()[(slice(None, None, -1),) * arr.ndim]
    if kind == "transposed" and arr.ndim >= 2:
        return np.ascontiguousarray(arr.T).T
    if kind == "strided" and arr.ndim:
        big = np.repeat(arr, 2, axis=-1)
        return big[..., ::2]
    if kind == "broadcast" and arr.ndim and arr.shape[0] == 1:
        return np.broadcast_to(arr[:1].copy(), arr.shape)
    return arr


@st.composite
def any_arrays(draw, dtype=None, shape=None):
    a = draw(base_arrays(dtype=dtype, shape=shape))
    return draw(layouts(a))


@st.composite
def broadcast_pairs(draw, dtype=None):
    dtype = dtype or draw(st.sampled_from(OP_DTYPES))
    shapes = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=5)
    )
    a = draw(any_arrays(dtype=dtype, shape=shapes.input_shapes[0]))
    b = draw(any_arrays(dtype=dtype, shape=shapes.input_shapes[1]))
    return a, b


def _ref(fn):
    """NumPy's answer, or the exception NumPy raised; warnings silenced (x/0 is defined)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - compared by kind below
            return e


def _check(got, want, *, rtol=0.0):
    """`got` (a Tensor or a Python scalar) equals NumPy's `want` in value, shape and dtype."""
    want = np.asarray(want)
    if isinstance(got, cp.Tensor):
        assert got.dtype == want.dtype.name, (got.dtype, want.dtype)
        assert got.shape == want.shape, (got.shape, want.shape)
        g = np.asarray(got)
    else:
        assert isinstance(got, (bool, int, float)), type(got)
        g = np.asarray(got)
        want = want.astype(g.dtype) if want.dtype.kind != g.dtype.kind else want
    if want.dtype.kind == "c":
        _check_complex(g, want)
    elif rtol:
        np.testing.assert_allclose(g, want, rtol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(g, want)


def _check_complex(g, want):
    """Complex results: corepy multiplies and divides by C99 Annex G (libgcc), NumPy naively and
    by Smith's algorithm. The standard leaves their infinite and NaN cases to the implementation
    (Annex G recovers 0 / (inf+infj) = 0 where NumPy gives NaN) and the two roundings may differ
    in the last bit: so values agree to a few ulps wherever NumPy's are finite."""
    finite = np.isfinite(want)
    eps = np.finfo(want.dtype).eps
    np.testing.assert_allclose(
        g[finite], want[finite], rtol=4 * eps, atol=4 * eps * np.abs(want[finite]).max(initial=0)
    )


def _outcome(call):
    try:
        return call()
    except DOCUMENTED as e:
        return e


# --------------------------------------------------------------------------------------------
# Construction from every dtype, layout and buffer kind
# --------------------------------------------------------------------------------------------


@_examples(400)
@given(dtype=st.sampled_from(ALL_DTYPES), shape=_shapes(), data=st.data())
def test_tensor_from_any_numpy_dtype_and_layout(dtype, shape, data):
    a = np.zeros(shape, dtype=dtype)
    if data.draw(st.booleans()) and a.ndim:
        a = a[..., ::-1]
    if dtype not in SUPPORTED:
        with pytest.raises(TypeError):
            cp.Tensor(a)
        return
    a = data.draw(any_arrays(dtype=dtype, shape=shape))
    t = cp.Tensor(a)
    _check(t, a)
    # Every layout NumPy makes here (aligned: reversed, transposed, strided, broadcast) is
    # wrapped in place.
    assert t.is_view is True
    if a.size:
        assert np.shares_memory(np.asarray(t), a)


@_examples(300)
@given(
    dtype=st.sampled_from(sorted(SUPPORTED)),
    n=st.integers(0, 20),
    offset=st.integers(0, 7),
    kind=st.sampled_from(["bytes", "bytearray", "memoryview", "numpy_u8", "pickle"]),
    copy=st.sampled_from([None, True, False]),
)
def test_tensor_from_byte_buffers_at_any_offset(dtype, n, offset, kind, copy):
    """Untyped bytes (bytes, bytearray, memoryview) read with dtype=, including misaligned starts
    (float32 at offset 1). A buffer that says it holds uint8 (a NumPy array, a PickleBuffer) is
    typed: dtype= converts its values, like astype."""
    itemsize = np.dtype(dtype).itemsize
    raw = bytes(range(256)) * 2
    raw = raw[offset : offset + n * itemsize + offset % 3]
    expected_len_ok = len(raw) % itemsize == 0
    src = {
        "bytes": lambda: bytes(raw),
        "bytearray": lambda: bytearray(raw),
        "memoryview": lambda: memoryview(bytearray(b"\0" * offset + raw))[offset:],
        "numpy_u8": lambda: np.frombuffer(bytearray(b"\0" * offset + raw), np.uint8)[offset:],
        "pickle": lambda: pickle.PickleBuffer(bytearray(raw)),
    }[kind]()
    out = _outcome(lambda: cp.Tensor(src, dtype=dtype, copy=copy))
    if kind in ("numpy_u8", "pickle"):
        u8 = np.frombuffer(bytes(raw), dtype=np.uint8)
        if copy is False and dtype != "uint8":
            assert isinstance(out, ValueError), out  # converting needs a copy
            return
        assert isinstance(out, cp.Tensor), out
        assert out.is_view is (dtype == "uint8" and copy is not True)
        _check(out, u8.astype(dtype))
        return
    if not expected_len_ok:
        assert isinstance(out, ValueError)
        return
    if isinstance(out, ValueError):
        # Only copy=False may refuse, and only for a misaligned start.
        assert copy is False
        return
    assert isinstance(out, cp.Tensor), out
    want = np.frombuffer(bytes(raw), dtype=dtype)
    if dtype == "bool":
        want = want.view(np.uint8) != 0
        np.testing.assert_array_equal(np.asarray(out).view(np.uint8) != 0, want)
    else:
        _check(out, want)


@pytest.mark.parametrize(
    ("obj", "expected", "dtype"),
    [
        (array.array("d", [1.0, 2.0]), [1.0, 2.0], "float64"),
        (array.array("f", [1.5]), [1.5], "float32"),
        (array.array("i", [1, -2]), [1, -2], "int32"),
        (array.array("l", [3]), [3], "int64"),
        (array.array("q", [2**62]), [2**62], "int64"),
        (array.array("b", [1, -1]), [1, -1], "int8"),
        (array.array("H", [1, 65535]), [1, 65535], "uint16"),
        (array.array("Q", [2**64 - 1]), [2**64 - 1], "uint64"),
        ((ctypes.c_double * 3)(1, 2, 3), [1.0, 2.0, 3.0], "float64"),
        ((ctypes.c_int32 * 2)(7, 8), [7, 8], "int32"),
        ((ctypes.c_long * 2)(7, 8), [7, 8], "int64"),
        ((ctypes.c_longdouble * 2)(), TypeError, None),
        ((ctypes.c_uint16 * 2)(3, 4), [3, 4], "uint16"),
        (((ctypes.c_float * 3) * 2)(), [[0.0] * 3] * 2, "float32"),
        (memoryview(bytearray(24)).cast("f", shape=[1, 2, 3]), [[[0.0] * 3] * 2], "float32"),
        (memoryview(bytearray(8)).cast("d", shape=[]), 0.0, "float64"),
        (memoryview(bytearray(24)).cast("d")[::-1], [0.0] * 3, "float64"),
        (memoryview(bytearray(24)).cast("d")[::2], [0.0] * 2, "float64"),
        (memoryview(bytearray(12)).cast("h"), [0] * 6, "int16"),
        (memoryview(np.zeros(2, np.float16)), TypeError, None),
        (np.zeros(3, "M8[s]"), TypeError, None),
        (np.zeros(2, [("a", "f4"), ("b", "i4")]), TypeError, None),
        (np.zeros(2, ">f8"), TypeError, None),
        (np.float32(2.5), 2.5, "float32"),
        (np.int8(1), 1, "int8"),
        (np.complex64(1 - 2j), 1 - 2j, "complex64"),
        ([[1, 2], [3]], ValueError, None),
        ([2**70], TypeError, None),
        ("text", TypeError, None),
        (None, TypeError, None),
        (object(), TypeError, None),
        (1j, 1j, "complex128"),
    ],
    ids=lambda v: type(v).__name__ if v is not None and not isinstance(v, str) else None,
)
def test_tensor_from_unusual_exporters(obj, expected, dtype):
    if isinstance(expected, type):
        with pytest.raises(expected):
            cp.Tensor(obj)
        return
    t = cp.Tensor(obj)
    assert t.dtype == dtype
    assert t.tolist() == expected


class _Evil:
    """An object whose conversion hooks raise or lie."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("boom")


def test_broken_array_protocol_does_not_crash():
    # Not a documented error (the object itself raised), but never a crash.
    with pytest.raises(RuntimeError):
        cp.Tensor(_Evil())


def test_byte_buffer_cannot_resize_while_viewed():
    ba = bytearray(16)
    t = cp.Tensor(ba, dtype="float64")
    with pytest.raises(BufferError):
        ba.extend(b"12345678")
    with pytest.raises(BufferError):
        del ba[:8]
    del t
    ba.extend(b"12345678")  # released with the tensor
    assert len(ba) == 24


def test_high_rank():
    for nd in (16, 32, 64):
        a = np.arange(2 * 3, dtype=np.float64).reshape((2,) + (1,) * (nd - 2) + (3,))
        t = cp.Tensor(a)
        _check(t + t, a + a)
        _check(cp.sum(a, axis=-1), a.sum(axis=-1))
        _check(cp.sum(a, axis=0), a.sum(axis=0))
        assert cp.sum(a) == a.sum()
        _check(t.reshape(-1), a.reshape(-1))
        b = np.ones((3,) + (1,) * (nd - 2) + (2,))[..., ::-1]  # strided, high rank
        _check(cp.Tensor(b), b)


# --------------------------------------------------------------------------------------------
# Element-wise ops
# --------------------------------------------------------------------------------------------

BINOPS = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide}
SYMBOLS = {"add": "__add__", "subtract": "__sub__", "multiply": "__mul__", "divide": "__truediv__"}


def _is_bool(x) -> bool:
    return isinstance(x, bool) or getattr(x, "dtype", None) == np.bool_


def _binary_ref(op, a, b):
    """NumPy's answer (mixed dtypes promote as NumPy 2 does), except that arithmetic on two bools
    is a TypeError (the array API's numeric-only rule)."""
    if _is_bool(a) and _is_bool(b):
        return TypeError
    return _ref(lambda: BINOPS[op](a, b))


@_examples(600)
@given(op=st.sampled_from(sorted(BINOPS)), pair=broadcast_pairs(), data=st.data())
def test_binary_matches_numpy(op, pair, data):
    a, b = pair
    if data.draw(st.booleans()):  # often mixed dtypes: they promote like NumPy
        with np.errstate(all="ignore"):
            b = b.astype(data.draw(st.sampled_from(OP_DTYPES)))
    fn = getattr(cp, op)
    want = _binary_ref(op, a, b)
    if isinstance(want, Exception):  # NumPy refused the shapes
        with pytest.raises(ValueError):
            fn(a, b)
        return
    if want is TypeError:
        with pytest.raises(TypeError):
            fn(a, b)
        return
    _check(fn(a, b), want)
    # Operators on Tensors agree with the functions.
    _check(getattr(cp.Tensor(a), SYMBOLS[op])(cp.Tensor(b)), want)


@_examples(300)
@given(
    op=st.sampled_from(sorted(BINOPS)),
    da=st.sampled_from(sorted(SUPPORTED)),
    db=st.sampled_from(sorted(SUPPORTED)),
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4),
    data=st.data(),
)
def test_binary_on_every_dtype_pair_matches_numpy(op, da, db, shapes, data):
    """All 13 x 13 dtype pairs, in any layout: NumPy's result dtype and values."""
    a = data.draw(any_arrays(dtype=da, shape=shapes.input_shapes[0]))
    b = data.draw(any_arrays(dtype=db, shape=shapes.input_shapes[1]))
    want = _binary_ref(op, a, b)
    if want is TypeError:
        with pytest.raises(TypeError):
            getattr(cp, op)(a, b)
        return
    _check(getattr(cp, op)(a, b), want)
    _check(getattr(cp.Tensor(a), SYMBOLS[op])(cp.Tensor(b)), want)


def _raised_kind(e: Exception) -> type:
    """The documented kind of exception `e` is (NumPy's UFuncTypeError is a TypeError)."""
    return next(k for k in (TypeError, OverflowError, ValueError) if isinstance(e, k))


def _check_scalar_op(op, a, scalar, left):
    """`op` with a scalar on either side against NumPy 2 (NEP 50: a Python scalar is weak, so
    one of the array's kind takes its dtype, and an int it cannot hold is an OverflowError;
    another kind promotes: float with an int array is float64)."""
    fn = getattr(cp, op)
    args = (scalar, a) if left else (a, scalar)
    if isinstance(scalar, np.float16):
        want = TypeError()  # corepy has no float16 (NumPy would promote it)
    else:
        want = _binary_ref(op, *args)
        want = TypeError() if want is TypeError else want
    if getattr(want, "dtype", np.dtype("f8")).kind in "OSUV":
        want = TypeError()  # NumPy made an object or string array of None, "1" ...
    if isinstance(want, Exception):
        with pytest.raises(_raised_kind(want)):
            fn(*args)
        return
    _check(fn(*args), want)


@_examples(300)
@given(
    op=st.sampled_from(sorted(BINOPS)),
    a=any_arrays(),
    scalar=st.one_of(
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.sampled_from([2**31, -(2**31) - 1, 2**63, -(2**63) - 1, 10**400]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([None, "1", b"1", object(), [1.0], np.float16(1)]),
    ),
    left=st.booleans(),
)
def test_binary_with_scalars_of_any_kind(op, a, scalar, left):
    _check_scalar_op(op, a, scalar, left)


@_examples(200)
@given(
    op=st.sampled_from(sorted(BINOPS)),
    a=any_arrays(),
    scalar=st.one_of(
        st.complex_numbers(max_magnitude=10),
        st.sampled_from([np.int8(1), np.uint8(200), np.int16(-3), np.uint64(7)]),
    ),
    left=st.booleans(),
)
def test_binary_with_complex_and_new_dtype_scalars(op, a, scalar, left):
    """A complex Python scalar promotes to complex; NumPy scalars of the newer dtypes are typed."""
    _check_scalar_op(op, a, scalar, left)


@_examples(300)
@given(
    op=st.sampled_from(sorted(BINOPS)),
    dtype=st.sampled_from(["float32", "float64", "int32", "int64"]),
    n=st.integers(1, 40),
    shift_a=st.integers(-6, 6),
    shift_b=st.integers(-6, 6),
    inplace=st.booleans(),
)
def test_out_aliasing_inputs_partially(op, dtype, n, shift_a, shift_b, inplace):
    """out= overlapping an input by any offset: the result is as if the inputs were copied first,
    as in NumPy."""
    rdtype = "float64" if op == "divide" and dtype.startswith("int") else dtype
    buf = (np.arange(n + 20) % 7 + 1).astype(rdtype)
    out_np = buf[10 : 10 + n]
    out = cp.Tensor(out_np)
    assert out.is_view
    a = buf[10 + shift_a : 10 + shift_a + n]
    b = buf[10 + shift_b : 10 + shift_b + n]
    if rdtype != dtype:
        a, b = a.astype(dtype), b.astype(dtype)
    want = _ref(lambda: BINOPS[op](a.copy(), b.copy()))
    if inplace:
        # out op= b where out is itself a view of the buffer (for int division: a float64 out
        # with an int b, which promotes to float64 and so can be stored back).
        ta = out
        sym = {"add": "__iadd__", "subtract": "__isub__", "multiply": "__imul__"}
        sym["divide"] = "__itruediv__"
        want = _ref(lambda: BINOPS[op](out_np.copy(), b.copy()))
        assert want.dtype == rdtype
        assert getattr(ta, sym[op])(b) is ta
        np.testing.assert_array_equal(out_np, want)
        return
    getattr(cp, op)(a, b, out=out)
    np.testing.assert_array_equal(out_np, want.astype(rdtype))


@_examples(200)
@given(pair=broadcast_pairs(dtype="float64"), data=st.data())
def test_failed_out_call_leaves_everything_untouched(pair, data):
    """A bad out= (a Tensor or a NumPy array: wrong dtype, shape, read-only; or no buffer at all)
    raises and leaves the inputs and out= as they were."""
    a, b = pair
    shape = np.broadcast_shapes(a.shape, b.shape)
    bad = data.draw(st.sampled_from(["dtype", "shape", "readonly", "not_a_buffer"]))
    wrap = data.draw(st.booleans())  # out= a Tensor over the array, or the NumPy array itself
    if bad == "dtype":
        out_np = np.full(shape, 7, np.float32)
    elif bad == "shape":
        out_np = np.full(shape + (2,), 7.0)
    elif bad == "readonly":
        out_np = np.full(shape, 7.0)
        out_np.flags.writeable = False
    else:
        out_np = None
    a0, b0 = a.copy(), b.copy()
    snapshot = None if out_np is None else out_np.copy()
    if out_np is None:
        out = np.full(shape, 7.0).tolist()  # a list (or a float, for 0-d) is not a buffer
    else:
        out = cp.Tensor(out_np) if wrap else out_np
    with pytest.raises(ValueError if bad in ("shape", "readonly") else TypeError):
        cp.add(a, b, out=out)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)
    if snapshot is not None:
        np.testing.assert_array_equal(out_np, snapshot)


@_examples(200)
@given(pair=broadcast_pairs(), op=st.sampled_from(sorted(BINOPS)), data=st.data())
def test_out_may_be_a_numpy_array_of_any_layout(pair, op, data):
    a, b = pair
    want = _binary_ref(op, a, b)
    want = np.asarray(want) if isinstance(want, np.generic) else want  # 0-d results
    assume(isinstance(want, np.ndarray))
    out = data.draw(layouts(np.full(want.shape, 7, dtype=want.dtype)))
    assume(out.flags.writeable)  # (a broadcast layout is read-only)
    assert getattr(cp, op)(a, b, out=out) is out
    np.testing.assert_array_equal(out, want)


# --------------------------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------------------------

REDUCTIONS = ["sum", "mean", "all", "any"]


@_examples(600)
@given(
    kind=st.sampled_from(REDUCTIONS),
    a=any_arrays(),
    axis=st.one_of(st.none(), st.integers(-6, 6)),
    method=st.booleans(),
)
def test_reductions_match_numpy(kind, a, axis, method):
    want = _ref(lambda: getattr(np, kind)(a, axis=axis))
    if a.ndim == 0 and axis is not None:
        want = ValueError()  # NumPy's sum/all/any take axis 0 on 0-d input; corepy refuses
    call = (
        (lambda: getattr(cp.Tensor(a), kind)(axis=axis))
        if method
        else (lambda: getattr(cp, kind)(a, axis=axis))
    )
    if kind == "mean" and a.dtype.kind not in "fc":
        want = TypeError()  # the standard's mean takes floating-point input only
    if isinstance(want, TypeError):
        with pytest.raises(TypeError):
            call()
        return
    if isinstance(want, Exception):
        with pytest.raises(cp.AxisError):  # a ValueError and an IndexError, like NumPy's
            call()
        return
    got = call()
    assert isinstance(got, cp.Tensor)
    if axis is None:
        assert got.shape == ()
    if kind == "mean" and a.size:
        # Summation order differs from NumPy's: allow rounding relative to the largest term.
        big = float(np.max(np.abs(a[np.isfinite(a)]), initial=0))
        eps = np.finfo(np.float32 if a.dtype == np.float32 else np.float64).eps
        g = np.asarray(got if not isinstance(got, cp.Tensor) else np.asarray(got))
        np.testing.assert_allclose(g, want, rtol=4 * eps, atol=big * a.size * eps)
        assert g.shape == np.shape(want)
        return
    _check(got, want)


@pytest.mark.parametrize("axis", [2**70, -(2**70), 1.5, "0", [0]])
def test_reduction_axis_of_the_wrong_kind(axis):
    a = np.ones((2, 3))
    for kind in REDUCTIONS:
        with pytest.raises((TypeError, ValueError)):
            getattr(cp, kind)(a, axis=axis)
        with pytest.raises((TypeError, ValueError)):
            getattr(cp.Tensor(a), kind)(axis=axis)


# --------------------------------------------------------------------------------------------
# dot, matmul, reshape, astype
# --------------------------------------------------------------------------------------------


@_examples(300)
@given(
    dtype=st.sampled_from(OP_DTYPES),
    sa=_shapes(max_dims=3),
    sb=_shapes(max_dims=3),
    data=st.data(),
)
def test_dot_and_matmul_match_numpy(dtype, sa, sb, data):
    if data.draw(st.booleans()):  # often make the inner dims agree
        sb = (sa[-1],) + sb[1:] if sa and sb else sb
    a = data.draw(any_arrays(dtype=dtype, shape=sa))
    b = data.draw(any_arrays(dtype=dtype, shape=sb))
    float_ok = dtype in ("float32", "float64")
    # dot: 1-D floats of equal length only.
    d = _outcome(lambda: cp.dot(a, b))
    if not float_ok:
        assert isinstance(d, TypeError)
    elif a.ndim != 1 or b.ndim != 1 or a.shape != b.shape:
        assert isinstance(d, ValueError)
    else:
        want_d = _ref(lambda: float(np.dot(a.astype(np.float64), b.astype(np.float64))))
        assert d == pytest.approx(want_d, nan_ok=True)
    m = _outcome(lambda: cp.matmul(a, b))
    want = _ref(lambda: np.matmul(a, b))
    if dtype == "bool":  # matmul: every numeric dtype (integers wrap, as NumPy's)
        assert isinstance(m, TypeError)
    elif isinstance(want, Exception):
        assert isinstance(m, ValueError), (m, want)
    elif isinstance(m, cp.Tensor):
        _check(m, want)
    else:
        assert m == pytest.approx(float(want), nan_ok=True)


@_examples(300)
@given(
    a=any_arrays(),
    spec=st.lists(st.integers(-3, 8) | st.sampled_from([2**62, 2**70, -(2**70)]), max_size=5),
    as_tuple=st.booleans(),
)
def test_reshape_matches_numpy(a, spec, as_tuple):
    t = cp.Tensor(a)
    want = _ref(lambda: a.reshape(spec))
    if any(d < -1 for d in spec):
        want = ValueError()  # NumPy reads any negative as -1; corepy refuses all but -1
    got = _outcome(lambda: t.reshape(tuple(spec)) if as_tuple else t.reshape(*spec))
    if isinstance(want, Exception):
        assert isinstance(got, (TypeError, ValueError)), (got, want)
        return
    _check(got, want)


@_examples(300)
@given(a=any_arrays(), to=st.sampled_from(ALL_DTYPES + [None, 3, "float", np.float32, int]))
def test_astype_matches_numpy(a, to):
    t = cp.Tensor(a)
    got = _outcome(lambda: t.astype(to))
    # Spellings corepy accepts: the 13 names, and Python/NumPy types of those dtypes.
    accepted = SUPPORTED | {"float", np.float32, int}
    target = np.dtype(to) if to in accepted else None
    if target is None:
        assert isinstance(got, TypeError), got
        return
    assert isinstance(got, cp.Tensor), got
    with np.errstate(all="ignore"):
        want = a.astype(target)
    if a.dtype.kind == "f" and target.kind in "iu":
        # corepy saturates (NaN -> 0); NumPy's result there is platform-defined.
        info = np.iinfo(target)
        ok = np.isfinite(a) & (a >= info.min) & (a <= info.max)
        np.testing.assert_array_equal(np.asarray(got)[ok], want[ok])
        assert got.shape == want.shape and got.dtype == want.dtype.name
        return
    _check(got, want)


# --------------------------------------------------------------------------------------------
# Overlapping and zero-stride views from as_strided / broadcast_to as inputs
# --------------------------------------------------------------------------------------------


@_examples(300)
@given(
    dtype=st.sampled_from(OP_DTYPES),
    n=st.integers(1, 30),
    shape=st.lists(st.integers(0, 5), min_size=1, max_size=3),
    data=st.data(),
)
def test_overlapping_as_strided_views(dtype, n, shape, data):
    base = (np.arange(n) % 5).astype(dtype)
    isz = base.itemsize
    strides = [data.draw(st.integers(-2, 2)) * isz for _ in shape]
    # Start where every element of the view stays inside `base`.
    lo = sum(min(0, s) * (d - 1) for s, d in zip(strides, shape, strict=True) if d)
    hi = sum(max(0, s) * (d - 1) for s, d in zip(strides, shape, strict=True) if d)
    assume(hi - lo < n * isz)
    start = -lo // isz
    v = np.lib.stride_tricks.as_strided(base[start:], shape=shape, strides=strides, writeable=False)
    t = cp.Tensor(v)
    _check(t, v)
    for kind in REDUCTIONS:
        if kind == "mean" and np.dtype(dtype).kind not in "fc":
            continue  # floating-point input only (the standard)
        want = _ref(lambda k=kind: getattr(np, k)(v))
        _check(getattr(cp, kind)(v), want, rtol=1e-6 if kind == "mean" else 0)
    if dtype != "bool":
        _check(cp.multiply(v, v), v * v)


# --------------------------------------------------------------------------------------------
# Sizes near 2**31 elements (64-bit indexing) and impossible sizes
# --------------------------------------------------------------------------------------------


def test_impossible_sizes_raise_memory_error():
    huge = np.broadcast_to(np.float32(0), (2**40,))
    t = cp.Tensor(huge)  # a zero-stride view: wrapped in place, whatever its logical size
    assert t.is_view and t.shape == (2**40,)
    with pytest.raises(MemoryError):
        cp.Tensor(huge, copy=True)  # a 4 TiB contiguous copy
    with pytest.raises(MemoryError):
        cp.Tensor(huge, dtype="float64")  # a converted copy: 8 TiB
    with pytest.raises(MemoryError):
        t + 1.0  # a 4 TiB result
    col = np.broadcast_to(np.float32(1), (2**20, 1))
    row = np.broadcast_to(np.float32(1), (1, 2**20))
    with pytest.raises(MemoryError):
        cp.add(col, row)  # a 4 TiB output from two zero-stride views
    with pytest.raises(MemoryError):
        cp.matmul(col, row)
    # Outputs whose byte count does not fit 64 bits (inputs are tiny: empty along k).
    for m in (2**31, 2**40):
        a, b = np.zeros((m, 0), np.float32), np.zeros((0, m), np.float32)
        with pytest.raises((MemoryError, ValueError)):
            cp.matmul(a, b)
    # Reductions gather a zero-stride view into a contiguous copy: one of 2**40 elements cannot
    # be.
    with pytest.raises(MemoryError):
        cp.sum(np.broadcast_to(np.float64(1), (2**40,)))
    # The process is fine afterwards.
    assert cp.sum(np.ones(10, np.float32)) == 10


@pytest.mark.slow
def test_bool_reductions_over_2_pow_31_plus_1_elements():
    """2**31 + 1 bytes (one 2.1 GB array at a time): counts and positions past 2**31 survive."""
    n = 2**31 + 1
    x = np.zeros(n, dtype=np.bool_)
    x[-1] = True
    t = cp.Tensor(x)
    assert bool(cp.any(t)) is True
    assert bool(cp.all(t)) is False
    assert cp.sum(t) == 1
    x[:] = True
    assert cp.sum(t) == n
    assert bool(cp.all(t)) is True
    del t, x
    ones = np.broadcast_to(np.True_, (n,))  # zero stride: gathered into a 2.1 GB copy
    assert cp.sum(ones) == n


# --------------------------------------------------------------------------------------------
# The standard's other element-wise functions
# --------------------------------------------------------------------------------------------

FUZZ_UNARY = [
    "abs",
    "sign",
    "floor",
    "round",
    "sqrt",
    "exp",
    "log1p",
    "sin",
    "tanh",
    "atanh",
    "isnan",
    "isfinite",
    "signbit",
    "logical_not",
    "bitwise_invert",
    "conj",
    "square",
]
FUZZ_BINARY = [
    "maximum",
    "minimum",
    "pow",
    "remainder",
    "floor_divide",
    "atan2",
    "hypot",
    "copysign",
    "logaddexp",
    "bitwise_and",
    "bitwise_left_shift",
    "logical_xor",
]


def _close_or_same(got, want):
    """Same shape; values within a few ulp of NumPy's where NumPy's are finite, NaN where NaN."""
    g, w = np.asarray(got), np.asarray(want)
    assert g.shape == w.shape
    if g.dtype.kind in "biu" or w.dtype.kind in "biu":
        np.testing.assert_array_equal(g, w)
        return
    tol = 64 * np.finfo(g.dtype).eps
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(g, w.astype(g.dtype), rtol=tol, atol=0, equal_nan=True)


@_examples(300)
@given(op=st.sampled_from(FUZZ_UNARY), dtype=st.sampled_from(sorted(SUPPORTED)), data=st.data())
def test_unary_functions_on_any_layout_never_crash(op, dtype, data):
    """Any dtype and layout: NumPy's values (floats within a few ulp), or a TypeError for a
    dtype the function does not take; never a crash or another exception."""
    a = data.draw(any_arrays(dtype=dtype))
    try:
        got = getattr(cp, op)(a)
    except TypeError:
        return
    assert got.shape == a.shape
    np_name = {"atanh": "arctanh", "bitwise_invert": "invert"}.get(op, op)
    want = _ref(
        lambda: getattr(np, np_name)(
            a.astype(np.float64)
            if a.dtype.kind in "iu" and op in ("sqrt", "exp", "log1p", "sin", "tanh", "atanh")
            else a
        )
    )
    if (
        isinstance(want, Exception)
        or a.dtype.kind == "c"
        and op in ("sign", "sqrt", "exp", "log1p", "sin", "tanh", "atanh")
    ):
        return  # complex special values: C99 Annex G (libm) vs NumPy's own; checked elsewhere
    _close_or_same(got, want)


@_examples(300)
@given(
    op=st.sampled_from(FUZZ_BINARY),
    da=st.sampled_from(sorted(SUPPORTED)),
    db=st.sampled_from(sorted(SUPPORTED)),
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4),
    data=st.data(),
)
def test_binary_functions_on_any_dtype_pair_never_crash(op, da, db, shapes, data):
    """Every dtype pair, any layout, broadcasting: a result of the broadcast shape, or the
    documented exception; never a crash."""
    a = data.draw(any_arrays(dtype=da, shape=shapes.input_shapes[0]))
    b = data.draw(any_arrays(dtype=db, shape=shapes.input_shapes[1]))
    try:
        got = getattr(cp, op)(a, b)
    except DOCUMENTED:
        return
    assert got.shape == shapes.result_shape
    if (
        op in ("maximum", "minimum", "bitwise_and", "logical_xor", "copysign")
        and a.dtype == b.dtype
    ):
        want = _ref(lambda: getattr(np, op)(a, b))
        if not isinstance(want, Exception):
            _close_or_same(got, want)
