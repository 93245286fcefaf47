"""The array API namespace functions that compose corepy's core primitives.

Creation values are computed in Rust (``_core._arange`` ...), views come from the core's layout
operations (``Tensor._permute`` ...), copies from its strided copy kernel (``Tensor._assign``).
Nothing here computes element values in Python or through NumPy.
"""

from __future__ import annotations

import builtins
import math
import operator
from collections import namedtuple

from . import _core
from ._core import Tensor

__array_api_version__ = "2025.12"

__all__ = [
    "arange",
    "asarray",
    "astype",
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "can_cast",
    "clip",
    "concat",
    "e",
    "empty",
    "empty_like",
    "expand_dims",
    "eye",
    "finfo",
    "flip",
    "from_dlpack",
    "full",
    "full_like",
    "iinfo",
    "inf",
    "isdtype",
    "linspace",
    "matrix_transpose",
    "meshgrid",
    "moveaxis",
    "nan",
    "newaxis",
    "ones",
    "ones_like",
    "permute_dims",
    "pi",
    "repeat",
    "reshape",
    "result_type",
    "roll",
    "squeeze",
    "stack",
    "take",
    "take_along_axis",
    "tile",
    "tril",
    "triu",
    "unstack",
    "zeros",
    "zeros_like",
]

e = math.e
pi = math.pi
inf = math.inf
nan = math.nan
newaxis = None

_INT = ("int8", "int16", "int32", "int64")
_UINT = ("uint8", "uint16", "uint32", "uint64")
_REAL = ("float32", "float64")
_COMPLEX = ("complex64", "complex128")
_ALL = ("bool",) + _INT + _UINT + _REAL + _COMPLEX


def _dt(dtype):
    return None if dtype is None else _core._dtype_name(dtype)


def _check_device(device):
    if device is not None and device != "cpu":
        raise ValueError(f"unsupported device {device!r}: corepy runs on 'cpu'")


def _shape(shape):
    if isinstance(shape, int) or hasattr(shape, "__index__") and not isinstance(shape, tuple):
        shape = (operator.index(shape),)
    shape = tuple(operator.index(d) for d in shape)
    for d in shape:
        if d < 0:
            raise ValueError(f"negative dimensions are not allowed, got shape {shape}")
    return shape


def _axis(axis, ndim):
    a = operator.index(axis)
    if not -ndim <= a < ndim:
        raise _core.AxisError(f"axis {a} is out of bounds for a tensor of dimension {ndim}")
    return a % ndim if ndim else 0


def _t(x):
    return x if isinstance(x, Tensor) else Tensor(x)


def _default_dtype(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, complex):
        return "complex128"
    raise TypeError(f"fill value must be a Python bool, int, float or complex, got {value!r}")


# ---------------------------------------------------------------- creation


def asarray(obj, /, *, dtype=None, device=None, copy=None):
    _check_device(device)
    if isinstance(obj, Tensor) and copy is not True and (dtype is None or _dt(dtype) == obj.dtype):
        return obj
    return Tensor(obj, dtype=_dt(dtype), copy=copy)


def empty(shape, *, dtype=None, device=None):
    _check_device(device)
    return _core._empty(list(_shape(shape)), _dt(dtype) or "float64")


def zeros(shape, *, dtype=None, device=None):
    _check_device(device)
    return _core._zeros(list(_shape(shape)), _dt(dtype) or "float64")


def full(shape, fill_value, *, dtype=None, device=None):
    _check_device(device)
    if isinstance(fill_value, Tensor):
        if fill_value.ndim != 0:
            raise ValueError("fill_value must be a scalar or a 0-d tensor")
        dtype = dtype or fill_value.dtype
    d = _dt(dtype) or _default_dtype(fill_value)
    out = _core._empty(list(_shape(shape)), d)
    out._assign(fill_value)
    return out


def ones(shape, *, dtype=None, device=None):
    d = _dt(dtype) or "float64"
    return full(shape, True if d == "bool" else 1, dtype=d, device=device)


def empty_like(x, /, *, dtype=None, device=None):
    return empty(x.shape, dtype=dtype or x.dtype, device=device)


def zeros_like(x, /, *, dtype=None, device=None):
    return zeros(x.shape, dtype=dtype or x.dtype, device=device)


def ones_like(x, /, *, dtype=None, device=None):
    return ones(x.shape, dtype=dtype or x.dtype, device=device)


def full_like(x, /, fill_value, *, dtype=None, device=None):
    return full(x.shape, fill_value, dtype=dtype or x.dtype, device=device)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None):
    _check_device(device)
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    for v in (start, stop, step):
        if isinstance(v, complex) or not isinstance(v, (int, float)):
            raise TypeError(f"arange takes real Python numbers, got {v!r}")
    ints = all(isinstance(v, int) for v in (start, stop, step))
    d = _dt(dtype) or ("int64" if ints else "float64")
    n = builtins.max(0, math.ceil((stop - start) / step))
    if d in _INT + _UINT and not ints:
        start, step = int(start), int(step)
    return _core._arange(start, step, n, d)


def linspace(start, stop, /, num, *, dtype=None, device=None, endpoint=True):
    _check_device(device)
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"linspace: num must be non-negative, got {num}")
    if (
        isinstance(start, complex)
        or isinstance(stop, complex)
        or (dtype and "complex" in _dt(dtype))
    ):
        d = _dt(dtype) or "complex128"
        real = _core._linspace(complex(start).real, complex(stop).real, num, endpoint, "float64")
        imag = _core._linspace(complex(start).imag, complex(stop).imag, num, endpoint, "float64")
        return (real + imag * 1j).astype(d)
    return _core._linspace(float(start), float(stop), num, endpoint, _dt(dtype) or "float64")


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    _check_device(device)
    n_cols = n_rows if n_cols is None else n_cols
    return _core._eye(
        operator.index(n_rows), operator.index(n_cols), int(k), _dt(dtype) or "float64"
    )


def tril(x, /, *, k=0):
    return _core._tri(x, int(k), False)


def triu(x, /, *, k=0):
    return _core._tri(x, int(k), True)


def meshgrid(*arrays, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing must be 'xy' or 'ij', got {indexing!r}")
    arrays = [_t(a) for a in arrays]
    for a in arrays:
        if a.ndim != 1:
            raise ValueError("meshgrid takes 1-D tensors")
    if len({a.dtype for a in arrays}) > 1:
        raise TypeError("meshgrid: every input must have the same dtype")
    shape = [a.shape[0] for a in arrays]
    if indexing == "xy" and len(arrays) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, a in enumerate(arrays):
        ax = i
        if indexing == "xy" and len(arrays) >= 2 and i < 2:
            ax = 1 - i
        view_shape = [1] * len(arrays)
        view_shape[ax] = a.shape[0]
        out.append(a.reshape(view_shape)._broadcast_to(shape).astype(a.dtype))
    return out


def from_dlpack(x, /, *, device=None, copy=None):
    """A tensor over the memory of any DLPack exporter (zero-copy on the CPU)."""
    import numpy as np

    _check_device(device)
    arr = np.from_dlpack(x, copy=copy) if copy is not None else np.from_dlpack(x)
    return Tensor(arr)


# ---------------------------------------------------------------- data types


def astype(x, dtype, /, *, copy=True, device=None):
    _check_device(device)
    return _t(x).astype(dtype, copy=copy)


def can_cast(from_, to, /):
    if isinstance(from_, Tensor):
        from_ = from_.dtype
    return _core._can_cast(from_, to)


def result_type(*arrays_and_dtypes):
    dtypes = []
    scalars = []
    for a in arrays_and_dtypes:
        if isinstance(a, (bool, int, float, complex)):
            scalars.append(a)
        elif isinstance(a, Tensor) or hasattr(a, "dtype") and not isinstance(a, str):
            dtypes.append(_dt(a.dtype))
        else:
            dtypes.append(_dt(a))
    if not dtypes:
        if not scalars:
            raise ValueError("result_type needs at least one array or dtype")
        dtypes.append(_default_dtype(scalars.pop(0)))
    r = dtypes[0]
    for d in dtypes[1:]:
        r = _core._promote(r, d)
    for s in scalars:
        r = _weak(s, r)
    return r


def _weak(s, d):
    if isinstance(s, bool):
        return d
    if isinstance(s, int):
        return "int64" if d == "bool" else d
    if isinstance(s, float):
        return d if d in _REAL + _COMPLEX else "float64"
    return d if d in _COMPLEX else ("complex64" if d == "float32" else "complex128")


finfo_object = namedtuple("finfo_object", "bits eps max min smallest_normal dtype")
iinfo_object = namedtuple("iinfo_object", "bits max min dtype")


def finfo(type, /):
    import numpy as np

    d = _dt(type.dtype if isinstance(type, Tensor) else type)
    if d not in _REAL + _COMPLEX:
        raise ValueError(f"finfo takes a floating-point dtype, got {d}")
    f = np.finfo(d)
    real = {"complex64": "float32", "complex128": "float64"}.get(d, d)
    return finfo_object(
        int(f.bits), float(f.eps), float(f.max), float(f.min), float(f.smallest_normal), real
    )


def iinfo(type, /):
    d = _dt(type.dtype if isinstance(type, Tensor) else type)
    if d not in _INT + _UINT:
        raise ValueError(f"iinfo takes an integer dtype, got {d}")
    bits = int(d.lstrip("uint")) if d.startswith("u") else int(d[3:])
    if d.startswith("u"):
        return iinfo_object(bits, 2**bits - 1, 0, d)
    return iinfo_object(bits, 2 ** (bits - 1) - 1, -(2 ** (bits - 1)), d)


_KINDS = {
    "bool": ("bool",),
    "signed integer": _INT,
    "unsigned integer": _UINT,
    "integral": _INT + _UINT,
    "real floating": _REAL,
    "complex floating": _COMPLEX,
    "numeric": _INT + _UINT + _REAL + _COMPLEX,
}


def isdtype(dtype, kind):
    d = _dt(dtype)
    if isinstance(kind, tuple):
        return builtins.any(isdtype(d, k) for k in kind)
    if isinstance(kind, str) and kind in _KINDS:
        return d in _KINDS[kind]
    return d == _dt(kind)


class _Info:
    """What `__array_namespace_info__()` returns: the namespace's capabilities and defaults."""

    def capabilities(self):
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        return "cpu"

    def devices(self):
        return ["cpu"]

    def default_dtypes(self, *, device=None):
        _check_device(device)
        return {
            "real floating": "float64",
            "complex floating": "complex128",
            "integral": "int64",
            "indexing": "int64",
        }

    def dtypes(self, *, device=None, kind=None):
        _check_device(device)
        names = _ALL if kind is None else [d for d in _ALL if isdtype(d, kind)]
        return {d: d for d in names}


def __array_namespace_info__():
    return _Info()


# ---------------------------------------------------------------- manipulation


def broadcast_shapes(*shapes):
    nd = builtins.max((len(s) for s in shapes), default=0)
    out = [1] * nd
    for s in shapes:
        for i, d in enumerate(s):
            j = nd - len(s) + i
            if out[j] == 1:
                out[j] = d
            elif d != 1 and d != out[j]:
                raise ValueError(f"shapes {shapes} could not be broadcast together")
    return tuple(out)


def broadcast_to(x, /, shape):
    return _t(x)._broadcast_to(list(_shape(shape)))


def broadcast_arrays(*arrays):
    arrays = [_t(a) for a in arrays]
    shape = broadcast_shapes(*(a.shape for a in arrays))
    return [a._broadcast_to(list(shape)) for a in arrays]


def permute_dims(x, /, axes):
    x = _t(x)
    return x._permute([_axis(a, x.ndim) for a in axes])


def matrix_transpose(x, /):
    return _t(x).mT


def expand_dims(x, /, axis=0):
    x = _t(x)
    axes = axis if isinstance(axis, tuple) else (axis,)
    n = x.ndim + len(axes)
    norm = sorted(_axis(a, n) for a in axes)
    if len(set(norm)) != len(norm):
        raise ValueError(f"expand_dims: repeated axis in {axis}")
    for a in norm:
        x = x._expand_dims(a)
    return x


def squeeze(x, /, axis):
    x = _t(x)
    axes = axis if isinstance(axis, tuple) else (axis,)
    norm = [_axis(a, x.ndim) for a in axes]
    if len(set(norm)) != len(norm):
        raise ValueError(f"squeeze: repeated axis in {axis}")
    return x._squeeze(norm)


def flip(x, /, *, axis=None):
    x = _t(x)
    axes = range(x.ndim) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    return x._flip([_axis(a, x.ndim) for a in axes])


def reshape(x, /, shape, *, copy=None):
    return _t(x).reshape(tuple(shape), copy=copy)


def moveaxis(x, source, destination, /):
    x = _t(x)
    src = source if isinstance(source, tuple) else (source,)
    dst = destination if isinstance(destination, tuple) else (destination,)
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of axes")
    src = [_axis(a, x.ndim) for a in src]
    dst = [_axis(a, x.ndim) for a in dst]
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError("moveaxis: repeated axis")
    order = [a for a in range(x.ndim) if a not in src]
    for d, s in sorted(zip(dst, src, strict=False)):
        order.insert(d, s)
    return x._permute(order)


def concat(arrays, /, *, axis=0):
    arrays = [_t(a) for a in arrays]
    if not arrays:
        raise ValueError("concat needs at least one tensor")
    dtype = result_type(*arrays)
    if axis is None:
        arrays = [a.reshape(-1) for a in arrays]
        axis = 0
    nd = arrays[0].ndim
    if nd == 0:
        raise ValueError("concat: 0-d tensors cannot be concatenated")
    ax = _axis(axis, nd)
    for a in arrays:
        if (
            a.ndim != nd
            or a.shape[:ax] + a.shape[ax + 1 :] != arrays[0].shape[:ax] + arrays[0].shape[ax + 1 :]
        ):
            raise ValueError(
                f"concat: shapes {[t.shape for t in arrays]} differ outside axis {axis}"
            )
    shape = list(arrays[0].shape)
    shape[ax] = builtins.sum(a.shape[ax] for a in arrays)
    out = _core._empty(shape, dtype)
    pos = 0
    lead = (slice(None),) * ax
    for a in arrays:
        n = a.shape[ax]
        out[lead + (slice(pos, pos + n),)] = a
        pos += n
    return out


def stack(arrays, /, *, axis=0):
    arrays = [_t(a) for a in arrays]
    if not arrays:
        raise ValueError("stack needs at least one tensor")
    if len({a.shape for a in arrays}) != 1:
        raise ValueError(
            f"stack: all tensors must have the same shape, got {[a.shape for a in arrays]}"
        )
    nd = arrays[0].ndim + 1
    ax = _axis(axis, nd)
    return concat([a._expand_dims(ax) for a in arrays], axis=ax)


def unstack(x, /, *, axis=0):
    x = _t(x)
    if x.ndim == 0:
        raise ValueError("unstack: a 0-d tensor has no axis to unstack")
    ax = _axis(axis, x.ndim)
    lead = (slice(None),) * ax
    return tuple(x[lead + (i,)] for i in range(x.shape[ax]))


def take(x, indices, /, *, axis=None):
    x = _t(x)
    if axis is None:
        if x.ndim != 1:
            raise ValueError("take: axis is required for tensors of more than one dimension")
        axis = 0
    ax = _axis(axis, x.ndim)
    idx = _t(indices)
    if idx.dtype not in _INT + _UINT:
        raise TypeError(f"take: indices must be integers, got {idx.dtype}")
    return x[(slice(None),) * ax + (idx,)]


def take_along_axis(x, indices, /, *, axis=-1):
    x = _t(x)
    idx = _t(indices)
    if idx.ndim != x.ndim:
        raise ValueError("take_along_axis: x and indices must have the same number of dimensions")
    if idx.dtype not in _INT + _UINT:
        raise TypeError(f"take_along_axis: indices must be integers, got {idx.dtype}")
    ax = _axis(axis, x.ndim)
    key = []
    for i in range(x.ndim):
        if i == ax:
            key.append(idx)
        else:
            shape = [1] * x.ndim
            shape[i] = x.shape[i]
            key.append(arange(x.shape[i]).reshape(shape))
    return x[tuple(key)]


def repeat(x, repeats, /, *, axis=None):
    x = _t(x)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    ax = _axis(axis, x.ndim)
    n = x.shape[ax]
    if isinstance(repeats, int):
        if repeats < 0:
            raise ValueError("repeat: repeats must be non-negative")
        counts = [repeats] * n
    else:
        counts = [int(c) for c in _t(repeats).tolist()]
        if len(counts) == 1:
            counts = counts * n
        if len(counts) != n or builtins.any(c < 0 for c in counts):
            raise ValueError("repeat: repeats must be non-negative and match the axis length")
    idx = [i for i, c in enumerate(counts) for _ in range(c)]
    return take(x, asarray(idx, dtype="int64"), axis=ax)


def tile(x, repetitions, /):
    x = _t(x)
    reps = tuple(repetitions)
    nd = builtins.max(x.ndim, len(reps))
    reps = (1,) * (nd - len(reps)) + reps
    x = x.reshape((1,) * (nd - x.ndim) + x.shape)
    # Broadcast to (r0, d0, r1, d1, ...) and merge pairs: one strided copy.
    inter = []
    for r, d in zip(reps, x.shape, strict=False):
        inter += [r, d]
    view_shape = []
    for d in x.shape:
        view_shape += [1, d]
    y = x.reshape(view_shape)._broadcast_to(inter).astype(x.dtype)
    return y.reshape(tuple(r * d for r, d in zip(reps, x.shape, strict=False)))


def roll(x, /, shift, *, axis=None):
    x = _t(x)
    if axis is None:
        return roll(x.reshape(-1), shift, axis=0).reshape(x.shape)
    shifts = shift if isinstance(shift, tuple) else (shift,)
    axes = axis if isinstance(axis, tuple) else (axis,)
    if len(shifts) != len(axes):
        if len(shifts) == 1:
            shifts = shifts * len(axes)
        else:
            raise ValueError("roll: shift and axis must have the same length")
    out = x
    for s, a in zip(shifts, axes, strict=False):
        a = _axis(a, out.ndim)
        n = out.shape[a]
        if n == 0:
            continue
        s %= n
        lead = (slice(None),) * a
        out = concat([out[lead + (slice(n - s, None),)], out[lead + (slice(0, n - s),)]], axis=a)
    return out if out is not x else x.astype(x.dtype)


def clip(x, /, min=None, max=None):
    """x limited to [min, max] element-wise (bounds broadcast; NaN anywhere gives NaN); the
    result keeps x's dtype."""
    x = _t(x)
    r = x
    if min is not None:
        r = _core.maximum(r, min)
    if max is not None:
        r = _core.minimum(r, max)
    if r is x:
        return astype(x, x.dtype, copy=True)
    return r if r.dtype == x.dtype else astype(r, x.dtype, copy=False)
