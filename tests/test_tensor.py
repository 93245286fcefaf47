"""Construction, zero-copy import/export, read-only buffers, lifetimes and Tensor methods."""

from __future__ import annotations

import array
import gc
import sys

import numpy as np
import pytest
from helpers import (
    ALL_DTYPES,
    DTYPES,
    NEW_DTYPES,
    UNSUPPORTED_NUMPY_DTYPES,
    assert_tensor,
    random_array,
)

import corepy as cp

# --------------------------------------------------------------------------------------------
# dtype names
# --------------------------------------------------------------------------------------------


def test_dtype_constants_are_numpy_names():
    assert cp.float32 == "float32"
    assert cp.float64 == "float64"
    assert cp.int32 == "int32"
    assert cp.int64 == "int64"
    assert cp.bool_ == "bool"


@pytest.mark.parametrize("name", ALL_DTYPES)
def test_all_thirteen_dtypes_are_module_attributes(name):
    """Each compares equal to its NumPy name and to the NumPy dtype."""
    d = getattr(cp, name)
    assert d == name
    assert d == np.dtype(name)
    assert np.dtype(name) == d


# --------------------------------------------------------------------------------------------
# NumPy input: zero-copy for every layout
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(0,), (1,), (17,), (3, 5), (2, 3, 4), (4, 0)])
def test_from_c_contiguous_numpy_is_zero_copy(rng, dtype, shape):
    src = random_array(rng, shape, dtype)
    t = cp.Tensor(src)
    assert isinstance(t.dtype, str)
    assert t.dtype == dtype
    assert t.shape == shape
    assert type(t.shape) is tuple
    assert all(type(d) is int for d in t.shape)
    assert t.ndim == len(shape)
    assert t.size == src.size
    assert t.nbytes == src.nbytes
    assert t.is_view is True
    assert t.readonly is False
    out = np.asarray(t)
    assert out.dtype == src.dtype
    if src.size:
        assert np.shares_memory(out, src)
    np.testing.assert_array_equal(out, src)


@pytest.mark.parametrize("dtype", DTYPES)
def test_zero_copy_writes_are_shared_both_ways(rng, dtype):
    src = random_array(rng, (4, 6), dtype)
    t = cp.Tensor(src)
    src[1, 2] = 1 if dtype != "bool" else not src[1, 2]
    assert np.asarray(t)[1, 2] == src[1, 2]
    np.asarray(t)[3, 5] = 0
    assert src[3, 5] == 0


def test_zero_dim_numpy_array(rng):
    src = np.array(3.5, dtype=np.float32)
    t = cp.Tensor(src)
    assert t.shape == ()
    assert t.ndim == 0
    assert t.size == 1
    assert t.nbytes == 4
    assert t.dtype == "float32"
    assert np.asarray(t)[()] == np.float32(3.5)
    assert t.tolist() == 3.5


def _base(dtype, shape, seed=7):
    return random_array(np.random.default_rng(seed), shape, dtype)


LAYOUTS = {
    "transposed": lambda d: _base(d, (4, 6)).T,
    "fortran": lambda d: np.asfortranarray(_base(d, (5, 3))),
    "step3": lambda d: _base(d, (40,))[::3],
    "reversed": lambda d: _base(d, (33,))[::-1],
    "reversed_2d_step": lambda d: _base(d, (5, 8))[::-1, ::2],
    "column_slice": lambda d: _base(d, (6, 7))[:, 1:5],
    "3d_transpose": lambda d: _base(d, (2, 3, 4)).transpose(2, 0, 1),
    "broadcast_stride0": lambda d: np.broadcast_to(_base(d, (5,)), (3, 5)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_strided_input_is_a_zero_copy_view(dtype, layout):
    """Every layout NumPy can describe (transposed, stepped, negative and zero strides) is
    wrapped in place, and exported back with the same strides."""
    src = LAYOUTS[layout](dtype)
    assert not src.flags.c_contiguous
    t = cp.Tensor(src)
    assert t.is_view is True
    assert_tensor(t, np.ascontiguousarray(src))
    out = np.asarray(t)
    assert np.shares_memory(out, src)
    assert out.strides == src.strides
    assert memoryview(t).strides == src.strides


@pytest.mark.parametrize("layout", sorted(set(LAYOUTS) - {"broadcast_stride0"}))
def test_strided_view_writes_are_shared_both_ways(layout):
    src = LAYOUTS[layout]("float64")
    t = cp.Tensor(src)
    idx = (0,) * src.ndim
    last = tuple(d - 1 for d in src.shape)
    src[idx] = 1234.0
    assert np.asarray(t)[idx] == 1234.0
    t += 1.0  # in place through the strided view
    assert src[idx] == 1235.0
    np.asarray(t)[last] = -5.0
    assert src[last] == -5.0


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_copy_false_on_strided_input_is_a_view(layout):
    src = LAYOUTS[layout]("float32")
    t = cp.Tensor(src, copy=False)
    assert t.is_view is True
    assert np.shares_memory(np.asarray(t), src)
    assert_tensor(t, np.ascontiguousarray(src))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_copy_true_on_strided_input_is_an_independent_copy(layout):
    src = LAYOUTS[layout]("float64")
    expected = np.ascontiguousarray(src)
    t = cp.Tensor(src, copy=True)
    assert t.is_view is False
    assert_tensor(t, expected)
    assert not np.shares_memory(np.asarray(t), src)


def test_zero_stride_view_of_any_size_costs_no_memory():
    """A broadcast view wraps without a copy, however large its logical size."""
    src = np.broadcast_to(np.float32(2.5), (2**40,))
    with cp.profile() as prof:
        t = cp.Tensor(src)
    assert t.is_view is True
    assert t.shape == (2**40,)
    assert t.size == 2**40
    assert np.asarray(t).strides == (0,)
    assert prof.allocations["bytes"] < 1 << 20
    assert t[2**40 - 1].tolist() == 2.5


def test_copy_false_on_contiguous_input_is_a_view(rng):
    src = random_array(rng, (8,), "float64")
    t = cp.Tensor(src, copy=False)
    assert t.is_view is True
    assert np.shares_memory(np.asarray(t), src)


@pytest.mark.parametrize("dtype", DTYPES)
def test_copy_true_makes_an_independent_copy(rng, dtype):
    src = random_array(rng, (3, 4), dtype)
    keep = src.copy()
    t = cp.Tensor(src, copy=True)
    assert t.is_view is False
    assert not np.shares_memory(np.asarray(t), src)
    src[...] = 0
    assert_tensor(t, keep)


def test_misaligned_buffer_reads_correctly():
    # A C-contiguous float32 array that starts one byte into its buffer.
    raw = bytearray(4 * 37 + 1)
    a = np.frombuffer(raw, dtype=np.float32, offset=1, count=37)
    a[...] = np.arange(37, dtype=np.float32)
    t = cp.Tensor(a)
    assert_tensor(t, np.arange(37, dtype=np.float32))
    assert cp.sum(t) == float(np.arange(37).sum())
    assert_tensor(t + t, np.arange(37, dtype=np.float32) * 2)


# --------------------------------------------------------------------------------------------
# Byte buffers and array.array
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_bytes_with_dtype_is_zero_copy_and_readonly(rng, dtype):
    src = random_array(rng, (12,), dtype)
    raw = src.tobytes()
    t = cp.Tensor(raw, dtype=dtype)
    assert_tensor(t, src)
    assert t.is_view is True
    assert t.readonly is True
    out = np.asarray(t)
    assert out.flags.writeable is False
    assert np.shares_memory(out, np.frombuffer(raw, dtype=np.uint8))


@pytest.mark.parametrize("dtype", DTYPES)
def test_bytearray_with_dtype_is_zero_copy_and_writable(rng, dtype):
    src = random_array(rng, (9,), dtype)
    raw = bytearray(src.tobytes())
    t = cp.Tensor(raw, dtype=dtype)
    assert_tensor(t, src)
    assert t.is_view is True
    assert t.readonly is False
    assert np.shares_memory(np.asarray(t), np.frombuffer(raw, dtype=np.uint8))
    # Writing the bytearray is seen by the tensor.
    raw[:] = bytes(len(raw))
    assert_tensor(t, np.zeros(9, dtype=dtype))


@pytest.mark.parametrize("readonly", [False, True])
def test_memoryview_of_bytes_with_dtype(readonly):
    src = np.arange(10, dtype=np.int64)
    raw = src.tobytes() if readonly else bytearray(src.tobytes())
    view = memoryview(raw)
    assert view.format == "B"
    t = cp.Tensor(view, dtype="int64")
    assert_tensor(t, src)
    assert t.is_view is True
    assert t.readonly is readonly


@pytest.mark.parametrize("raw", [b"\x00" * 8, bytearray(8), memoryview(b"\x00" * 8)])
def test_byte_buffer_without_dtype_is_a_type_error(raw):
    with pytest.raises(TypeError, match="dtype"):
        cp.Tensor(raw)


@pytest.mark.parametrize(("dtype", "nbytes"), [("float32", 6), ("float64", 12), ("int32", 3)])
def test_byte_buffer_length_not_multiple_of_itemsize(dtype, nbytes):
    with pytest.raises(ValueError):
        cp.Tensor(bytes(nbytes), dtype=dtype)


@pytest.mark.parametrize(
    ("code", "dtype"), [("f", "float32"), ("d", "float64"), ("i", "int32"), ("q", "int64")]
)
def test_array_array_is_zero_copy(code, dtype):
    values = [1, 2, 3, 4, 5]
    arr = array.array(code, values)
    t = cp.Tensor(arr)
    assert_tensor(t, np.array(values, dtype=dtype))
    assert t.is_view is True
    assert np.shares_memory(np.asarray(t), np.frombuffer(arr, dtype=dtype))


def test_typed_buffer_with_other_dtype_converts():
    arr = array.array("i", [1, -2, 3])
    t = cp.Tensor(arr, dtype="float64")
    assert_tensor(t, np.array([1.0, -2.0, 3.0]))
    assert t.is_view is False
    with pytest.raises(ValueError):
        cp.Tensor(arr, dtype="float64", copy=False)


@pytest.mark.parametrize("src_dtype", DTYPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_with_other_dtype_converts_like_astype(src_dtype, dtype):
    src = np.array([-3, -1, 0, 1, 2, 5], dtype=src_dtype)
    t = cp.Tensor(src, dtype=dtype)
    assert_tensor(t, src.astype(dtype))
    if src_dtype == dtype:
        assert t.is_view is True
    else:
        assert t.is_view is False
        assert not np.shares_memory(np.asarray(t), src)


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("float32", "float32"),
        (np.float32, "float32"),
        (np.dtype("float32"), "float32"),
        ("int32", "int32"),
        (np.int32, "int32"),
        (np.dtype("int64"), "int64"),
        (float, "float64"),
        (int, "int64"),
        (bool, "bool"),
        (np.bool_, "bool"),
        (cp.float64, "float64"),
    ],
)
def test_dtype_spellings(spelling, expected):
    t = cp.Tensor([1, 0, 2], dtype=spelling)
    assert_tensor(t, np.array([1, 0, 2]).astype(expected))


@pytest.mark.parametrize(
    "dtype", ["float16", np.float16, "longdouble", np.longdouble, "U3", "notadtype", object]
)
def test_unknown_or_unsupported_dtype_argument(dtype):
    with pytest.raises(TypeError):
        cp.Tensor([1.0, 2.0], dtype=dtype)


@pytest.mark.parametrize("dtype", UNSUPPORTED_NUMPY_DTYPES)
def test_unsupported_numpy_dtype_names_the_dtype(dtype):
    with pytest.raises(TypeError) as info:
        cp.Tensor(np.zeros(2, dtype=dtype))
    assert "dtype" in str(info.value)


@pytest.mark.parametrize("dtype", NEW_DTYPES)
def test_new_dtypes_import_zero_copy(dtype):
    """The eight dtypes the array API contract added are imported in place from NumPy, in every
    layout."""
    src = np.array([[0, 1, 2], [3, 4, 100]], dtype=dtype)
    for view in (src, src.T, src[::-1, ::2]):
        t = cp.Tensor(view)
        assert t.dtype == dtype
        assert t.is_view is True
        assert np.shares_memory(np.asarray(t), src)
        assert_tensor(t, view)


@pytest.mark.parametrize("dtype", NEW_DTYPES)
def test_new_dtypes_convert_like_astype(dtype):
    """dtype= reaches the new dtypes from lists and other dtypes, and leaves them the same way."""
    src = np.array([[0, 1, 2], [3, 4, 100]], dtype=dtype)
    assert_tensor(cp.Tensor([1, 0, 2], dtype=dtype), np.array([1, 0, 2]).astype(dtype))
    assert_tensor(cp.Tensor(np.array([1.0, 0.0, 2.0]), dtype=dtype), np.array([1, 0, 2], dtype))
    # complex -> real is unspecified by the standard; corepy keeps the real part
    assert_tensor(cp.Tensor(src, dtype="float64"), src.real.astype("float64"))


# --------------------------------------------------------------------------------------------
# Lists, scalars, tensors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "dtype"),
    [
        ([1.0, 2.0, 3.0], "float64"),
        ([1, 2, 3], "int64"),
        ([True, False, True], "bool"),
        ([1, 2.5, 3], "float64"),
        ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float64"),
        ([[1], [2]], "int64"),
        ([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], "int64"),
        ([[True], [False]], "bool"),
    ],
)
def test_from_nested_lists_infers_like_numpy(obj, dtype):
    t = cp.Tensor(obj)
    assert t.is_view is False
    assert_tensor(t, np.array(obj, dtype=dtype))


def test_from_list_with_dtype():
    assert_tensor(cp.Tensor([1, 2, 3], dtype="float32"), np.array([1, 2, 3], dtype=np.float32))
    assert_tensor(cp.Tensor([[1.5, -2.0]], dtype="float32"), np.array([[1.5, -2.0]], np.float32))


def test_from_empty_list_with_dtype():
    assert_tensor(cp.Tensor([], dtype="float32"), np.zeros((0,), dtype=np.float32))


@pytest.mark.parametrize("obj", [[[1, 2], [3]], [[1.0], [2.0, 3.0]], [1, [2, 3]]])
def test_ragged_lists_raise_value_error(obj):
    with pytest.raises(ValueError):
        cp.Tensor(obj)


@pytest.mark.parametrize(
    ("value", "dtype"), [(3.5, "float64"), (7, "int64"), (True, "bool"), (-0.0, "float64")]
)
def test_from_python_scalar(value, dtype):
    t = cp.Tensor(value)
    assert t.shape == ()
    assert t.ndim == 0
    assert t.size == 1
    assert_tensor(t, np.array(value, dtype=dtype))
    assert t.tolist() == value
    assert type(t.tolist()) is type(value)


def test_from_python_scalar_with_dtype():
    assert_tensor(cp.Tensor(3, dtype="float32"), np.array(3.0, dtype=np.float32))
    assert_tensor(cp.Tensor(-4, dtype="int32"), np.array(-4, dtype=np.int32))


@pytest.mark.parametrize("dtype", DTYPES)
def test_from_tensor(rng, dtype):
    src = random_array(rng, (3, 4), dtype)
    t = cp.Tensor(cp.Tensor(src))
    assert_tensor(t, src)


# --------------------------------------------------------------------------------------------
# Read-only buffers stay read-only
# --------------------------------------------------------------------------------------------


def _readonly_numpy():
    a = np.arange(6, dtype=np.float32)
    a.setflags(write=False)
    return a, a


def _readonly_bytes():
    keep = np.arange(6, dtype=np.float32)
    raw = keep.tobytes()
    return raw, keep


@pytest.mark.parametrize("make", [_readonly_numpy, _readonly_bytes], ids=["numpy", "bytes"])
def test_readonly_input_stays_readonly(make):
    src, values = make()
    expected = np.array(values, copy=True)
    t = cp.Tensor(src, dtype="float32")
    assert t.readonly is True
    assert t.is_view is True
    assert np.asarray(t).flags.writeable is False
    assert memoryview(t).readonly is True
    with pytest.raises(ValueError):
        t += 1.0
    with pytest.raises(ValueError):
        t *= cp.Tensor(np.ones(6, np.float32))
    with pytest.raises(ValueError):
        cp.add(cp.Tensor(np.ones(6, np.float32)), 1.0, out=t)
    assert_tensor(t, expected)
    # Results of operations on read-only inputs are ordinary writable tensors.
    r = t + 1.0
    assert r.readonly is False
    assert_tensor(r, expected + 1)


def test_reshape_of_readonly_is_readonly():
    t = cp.Tensor(bytes(24), dtype="float32")
    r = t.reshape(2, 3)
    assert r.readonly is True
    assert np.asarray(r).flags.writeable is False


def test_writable_input_is_not_readonly():
    t = cp.Tensor(np.zeros(3))
    assert t.readonly is False
    assert memoryview(t).readonly is False
    assert np.asarray(t).flags.writeable is True


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dtype", "fmt"),
    [("float32", "f"), ("float64", "d"), ("int32", "i"), ("int64", "q"), ("bool", "?")],
)
def test_memoryview_export_is_zero_copy(rng, dtype, fmt):
    src = random_array(rng, (3, 5), dtype)
    t = cp.Tensor(src)
    m = memoryview(t)
    assert m.shape == (3, 5)
    assert m.ndim == 2
    assert m.itemsize == src.itemsize
    assert m.nbytes == src.nbytes
    assert m.c_contiguous
    # Native byte order; 'l' is also 8 bytes on 64-bit Linux, so NumPy reads it as int64 too.
    allowed = {fmt, "l"} if dtype == "int64" else {fmt}
    assert m.format.lstrip("@=") in allowed
    assert np.shares_memory(np.asarray(m), src)
    np.testing.assert_array_equal(np.asarray(m), src)


@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_method_is_zero_copy(rng, dtype):
    src = random_array(rng, (2, 7), dtype)
    t = cp.Tensor(src)
    out = t.numpy()
    assert type(out) is np.ndarray
    assert out.dtype == np.dtype(dtype)
    assert np.shares_memory(out, src)
    np.testing.assert_array_equal(out, src)


def test_export_of_owned_tensor_is_zero_copy():
    t = cp.Tensor([1.0, 2.0, 3.0])
    a = np.asarray(t)
    b = np.asarray(t)
    assert np.shares_memory(a, b)
    assert np.shares_memory(t.numpy(), a)
    a[0] = 42.0
    assert t.tolist() == [42.0, 2.0, 3.0]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3), (2, 0, 3), (2, 2, 2)])
def test_tolist_matches_numpy(rng, dtype, shape):
    src = random_array(rng, shape, dtype)
    got = cp.Tensor(src).tolist()
    want = src.tolist()
    assert got == want
    flat_got = np.array(got, dtype=object).ravel().tolist() if shape else [got]
    flat_want = np.array(want, dtype=object).ravel().tolist() if shape else [want]
    assert [type(x) for x in flat_got] == [type(x) for x in flat_want]


# --------------------------------------------------------------------------------------------
# reshape / astype / repr / len
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [((2, 6),), (2, 6), (-1,), (3, -1), ((-1, 4),), (1, 12), (2, 2, 3), ((12,),), (12, 1)],
)
def test_reshape_shares_memory(args):
    src = np.arange(12, dtype=np.float64)
    t = cp.Tensor(src)
    r = t.reshape(*args)
    assert isinstance(r, cp.Tensor)
    expected = src.reshape(*args)
    assert_tensor(r, expected)
    assert np.shares_memory(np.asarray(r), src)
    np.asarray(r).flat[5] = -1.0
    assert src[5] == -1.0


def test_reshape_empty():
    t = cp.Tensor(np.zeros((0, 4), dtype=np.float32))
    assert t.reshape(4, 0).shape == (4, 0)
    assert t.reshape(-1).shape == (0,)


@pytest.mark.parametrize("args", [(5,), (4, 4), (-1, -1), (-1, 5), (7, -1), ((2, 2),), (-2, -6)])
def test_reshape_bad_sizes_raise_value_error(args):
    t = cp.Tensor(np.arange(12, dtype=np.float32))
    with pytest.raises(ValueError):
        t.reshape(*args)


@pytest.mark.parametrize("src_dtype", DTYPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_astype_matches_numpy(src_dtype, dtype):
    if src_dtype == "bool":
        src = np.array([True, False, True, True], dtype=bool)
    else:
        src = np.array([-3, -1, 0, 1, 2, 100], dtype=src_dtype)
    t = cp.Tensor(src)
    r = t.astype(dtype)
    assert_tensor(r, src.astype(dtype))
    assert r.is_view is False
    assert not np.shares_memory(np.asarray(r), src)
    assert_tensor(t, src)


@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_astype_float_to_int_truncates_toward_zero(dtype):
    src = np.array([-2.75, -1.5, -0.5, 0.5, 1.5, 2.99, 1e6 + 0.25])
    assert_tensor(cp.Tensor(src).astype(dtype), src.astype(dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_astype_float_to_bool_nan_is_true_negative_zero_is_false(dtype):
    src = np.array([0.0, -0.0, np.nan, 1e-30, -np.inf], dtype=dtype)
    assert_tensor(cp.Tensor(src).astype("bool"), np.array([False, False, True, True, True]))


def test_astype_accepts_numpy_types():
    t = cp.Tensor([1, 2])
    assert t.astype(np.float32).dtype == "float32"
    assert t.astype(np.dtype("float64")).dtype == "float64"


def test_repr_example_from_the_docs():
    t = cp.Tensor(np.array([1.0, 2.0], dtype=np.float32))
    assert repr(t) == "tensor([1., 2.], dtype=float32)"


@pytest.mark.parametrize(
    ("values", "dtype", "body"),
    [
        ([1, 2, 3], "int32", "[1, 2, 3]"),
        ([1.0, 2.0, 3.0], "float32", "[1., 2., 3.]"),
        ([0.5, -1.25], "float64", "[ 0.5 , -1.25]"),
        ([7, -8], "int64", "[ 7, -8]"),
        ([True, False], "bool", "[ True, False]"),
    ],
)
def test_repr_resembles_numpy(values, dtype, body):
    src = np.array(values, dtype=dtype)
    text = repr(cp.Tensor(src))
    assert text.startswith("tensor(")
    assert text.endswith(")")
    assert body in text
    assert body in repr(src)  # keeps this table honest
    if "dtype=" in repr(src):  # NumPy leaves out the default dtypes
        assert f"dtype={dtype}" in text


def test_repr_2d_contains_all_rows():
    src = np.arange(6, dtype=np.int32).reshape(2, 3)
    text = repr(cp.Tensor(src))
    assert text.startswith("tensor(")
    assert "[0, 1, 2]" in text
    assert "[3, 4, 5]" in text
    assert "int32" in text


@pytest.mark.parametrize("shape", [(5,), (3, 4), (0, 2)])
def test_len(shape):
    t = cp.Tensor(np.zeros(shape, dtype=np.float32))
    assert len(t) == shape[0]


def test_len_of_zero_dim_is_type_error():
    with pytest.raises(TypeError):
        len(cp.Tensor(1.0))


# --------------------------------------------------------------------------------------------
# Lifetimes
# --------------------------------------------------------------------------------------------


def test_exporter_is_kept_alive():
    src = np.arange(100_000, dtype=np.float32)
    t = cp.Tensor(src)
    assert t.is_view
    del src
    gc.collect()
    # Allocate and fill some memory that could reuse a freed block.
    junk = [np.full(100_000, -1.0, dtype=np.float32) for _ in range(8)]
    assert_tensor(t, np.arange(100_000, dtype=np.float32))
    del junk


def test_exporter_kept_alive_through_reshape():
    t = cp.Tensor(np.arange(12, dtype=np.int64)).reshape(3, 4)
    gc.collect()
    assert_tensor(t, np.arange(12, dtype=np.int64).reshape(3, 4))


def test_bytearray_buffer_is_held():
    raw = bytearray(16)
    t = cp.Tensor(raw, dtype="float32")
    with pytest.raises(BufferError):
        raw.extend(b"\x00" * 4)  # resizing an exported buffer is refused
    assert t.shape == (4,)
    del t
    gc.collect()
    raw.extend(b"\x00" * 4)  # released once the tensor is gone
    assert len(raw) == 20


def test_exported_array_outlives_tensor():
    t = cp.Tensor([1.5, 2.5, 3.5])
    a = np.asarray(t)
    m = memoryview(cp.Tensor([4, 5, 6]))
    del t
    gc.collect()
    junk = [np.full(3, -7.0) for _ in range(100)]
    np.testing.assert_array_equal(a, [1.5, 2.5, 3.5])
    assert m.tolist() == [4, 5, 6]
    del junk


# --------------------------------------------------------------------------------------------
# NumPy arrays as op inputs: read in place for the call (convert.rs `Operand`)
# --------------------------------------------------------------------------------------------


def _layouts(rng):
    """NumPy operands of one (4, 6) float32 value in every layout the fast path must read or
    hand over to the buffer protocol: contiguous, transposed, negative and zero strides, a
    strided slice, misaligned, read-only, a subclass."""
    base = rng.random((4, 6), dtype=np.float32)
    raw = np.zeros(4 * 6 * 4 + 1, np.uint8)
    misaligned = raw[1:].view(np.float32).reshape(4, 6)
    misaligned[...] = base
    readonly = base.copy()
    readonly.flags.writeable = False
    wide = np.zeros((4, 12), np.float32)
    wide[:, ::2] = base

    class Sub(np.ndarray):
        pass

    return {
        "contiguous": base,
        "fortran": np.asfortranarray(base),
        "transposed": np.ascontiguousarray(base.T).T,
        "reversed": base[::-1, ::-1].copy()[::-1, ::-1],
        "broadcast row": np.broadcast_to(base[:1], (4, 6)),
        "strided": wide[:, ::2],
        "misaligned": misaligned,
        "readonly": readonly,
        "subclass": base.view(Sub),
    }


def test_numpy_operands_of_any_layout_match_numpy(rng):
    layouts = _layouts(rng)
    other = rng.random(6, dtype=np.float32)
    for name, a in layouts.items():
        want = np.asarray(a)
        np.testing.assert_array_equal(np.asarray(cp.add(a, other)), want + other, err_msg=name)
        np.testing.assert_array_equal(np.asarray(cp.subtract(other, a)), other - want, err_msg=name)
        np.testing.assert_array_equal(np.asarray(cp.negative(a)), -want, err_msg=name)
        np.testing.assert_array_equal(
            np.asarray(cp.where(want > 0.5, a, other)), np.where(want > 0.5, want, other), name
        )
        assert np.asarray(cp.add(a, 1.5)).dtype == np.float32, name  # the scalar stays weak
    with pytest.raises(TypeError, match="big-endian"):  # a dtype corepy does not have
        cp.add(layouts["contiguous"].astype(">f4"), other)


def test_numpy_operands_are_not_kept_or_leaked(rng):
    a = rng.random(1000, dtype=np.float32)
    b = rng.random(1000, dtype=np.float32)
    expect = a + b
    before = sys.getrefcount(a), sys.getrefcount(b)
    for _ in range(100):
        r = cp.add(a, b)
        cp.sqrt(a)
        cp.where(a > b, a, b)
    assert (sys.getrefcount(a), sys.getrefcount(b)) == before
    # The result owns its memory: writing the inputs afterwards does not change it.
    a[:] = 0
    np.testing.assert_array_equal(np.asarray(r), expect)


def test_numpy_operand_that_is_also_out(rng):
    a = rng.random(100, dtype=np.float32)
    want = a + a[::-1]
    cp.add(a, a[::-1], out=a)  # overlapping input and output: as if the inputs were read first
    np.testing.assert_array_equal(a, want)


def test_tensors_are_not_tracked_by_the_cycle_collector(rng):
    # As NumPy's arrays: views are made per indexing call, and tracking each one cost a GC
    # header, link/unlink and a collection every 700 views.
    a = rng.random((8, 8))
    for t in (cp.asarray(a), cp.asarray(a).T, cp.asarray(a)[1:, ::2], cp.zeros(3)):
        assert not gc.is_tracked(t)
    assert np.asarray(cp.asarray(a).T[2]).tolist() == a.T[2].tolist()


def test_dropping_a_view_of_a_numpy_array_releases_it(rng):
    a = rng.random((100, 10))
    before = sys.getrefcount(a)
    t = cp.asarray(a)
    v = t[::3].T
    del t
    assert sys.getrefcount(a) == before + 1  # the storage holds one reference
    np.testing.assert_array_equal(np.asarray(v), a[::3].T)
    del v
    assert sys.getrefcount(a) == before


def test_interpreter_exit_with_live_imported_tensors_is_clean():
    # Tensors over NumPy (and buffer-protocol) memory that are still alive at shutdown are
    # released while the interpreter finalises, in module globals and in a reference cycle.
    import subprocess

    code = (
        "import numpy as np, corepy as cp\n"
        "g = cp.asarray(np.arange(10.0))[::2]\n"
        "b = cp.asarray(bytearray(16), dtype='float32')\n"
        "class Holder: pass\n"
        "h = Holder(); h.self = h; h.t = cp.asarray(np.ones((4, 4))).T\n"
        "cp.set_num_threads(2)\n"
        "s = cp.sum(cp.asarray(np.ones(1 << 18)))\n"
        "print('ok', float(s))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["ok", str(float(1 << 18))]
    assert "panicked" not in r.stderr
