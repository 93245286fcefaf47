"""The Python half of the protocols Tensor speaks to NumPy, Dask and pickle.

``Tensor.__array_ufunc__`` (NEP 13), ``Tensor.__array_function__`` (NEP 18) and
``Tensor.__reduce_ex__`` (PEP 574) are thin Rust methods calling ``array_ufunc``,
``array_function`` and ``reduce_ex`` here. A NumPy ufunc or function over tensors runs corepy's
function of the same meaning and returns a Tensor; where corepy has no such function (or an
argument it does not take, such as ``where=`` or ``order="F"``) the answer is NotImplemented, so
NumPy raises TypeError rather than quietly computing a NumPy array: in a Dask graph of corepy
chunks every chunk stays a Tensor. ``np.asarray(t)`` is the explicit zero-copy way to NumPy.
"""

from __future__ import annotations

import builtins
import operator
import pickle
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import Tensor

__all__ = ["HANDLED_FUNCTIONS", "UFUNCS", "array_function", "array_ufunc", "reduce_ex"]

_NOVALUE = np._NoValue


def _cp():
    import corepy

    return corepy


# ------------------------------------------------------------------------------ ufuncs (NEP 13)

# NumPy ufunc name -> corepy function name, where the two differ.
_UFUNC_ALIASES = {
    "absolute": "abs",
    "arccos": "acos",
    "arccosh": "acosh",
    "arcsin": "asin",
    "arcsinh": "asinh",
    "arctan": "atan",
    "arctan2": "atan2",
    "arctanh": "atanh",
    "bitwise_not": "bitwise_invert",
    "invert": "bitwise_invert",
    "conjugate": "conj",
    "left_shift": "bitwise_left_shift",
    "right_shift": "bitwise_right_shift",
    "mod": "remainder",
    "power": "pow",
    "true_divide": "divide",
    "rint": "round",
}
# Ufuncs with a corepy function of the same name (one output each).
_UFUNC_SAME = (
    "add subtract multiply divide floor_divide remainder negative positive sign square sqrt "
    "reciprocal exp expm1 log log1p log2 log10 logaddexp sin cos tan sinh cosh tanh floor ceil "
    "trunc isnan isinf isfinite signbit copysign nextafter hypot maximum minimum equal not_equal "
    "less less_equal greater greater_equal logical_and logical_or logical_xor logical_not "
    "bitwise_and bitwise_or bitwise_xor matmul"
).split()
UFUNCS: dict[str, str] = {**{n: n for n in _UFUNC_SAME}, **_UFUNC_ALIASES}

# ufunc.reduce / ufunc.accumulate -> corepy reduction / scan.
_REDUCE = {
    "add": "sum",
    "multiply": "prod",
    "maximum": "max",
    "minimum": "min",
    "logical_and": "all",
    "logical_or": "any",
}
_ACCUMULATE = {"add": "cumulative_sum", "multiply": "cumulative_prod"}


def _operand_ok(x: Any) -> bool:
    return isinstance(x, (Tensor, np.ndarray, np.generic, int, float, complex))


def array_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    out = kwargs.pop("out", None)
    if out is not None:
        if len(out) != 1:
            return NotImplemented
        out = out[0]
    if not builtins.all(_operand_ok(x) for x in inputs) or (
        out is not None and not isinstance(out, (Tensor, np.ndarray))
    ):
        return NotImplemented
    if kwargs.pop("where", True) is not True:
        return NotImplemented
    if kwargs.pop("casting", "same_kind") != "same_kind" or kwargs.pop("order", "K") != "K":
        return NotImplemented
    kwargs.pop("subok", None)
    cp = _cp()
    name = ufunc.__name__
    if method == "__call__":
        target = UFUNCS.get(name)
        dtype = kwargs.pop("dtype", None)
        if target is None or kwargs or ufunc.nout != 1:
            return NotImplemented
        f = getattr(cp, target)
        if target == "matmul":
            if out is not None or dtype is not None:
                return NotImplemented
            return cp.matmul(*inputs)
        if dtype is not None:
            inputs = tuple(cp.astype(cp.asarray(x), dtype) for x in inputs)
        return f(*inputs) if out is None else f(*inputs, out=out)
    if method == "reduce":
        target = _REDUCE.get(name)
        if target is None or len(inputs) != 1:
            return NotImplemented
        axis = kwargs.pop("axis", 0)
        dtype = kwargs.pop("dtype", None)
        keepdims = kwargs.pop("keepdims", False)
        if kwargs.pop("initial", _NOVALUE) is not _NOVALUE or kwargs:
            return NotImplemented
        return _reduction(target, inputs[0], axis, dtype, out, keepdims)
    if method == "accumulate":
        target = _ACCUMULATE.get(name)
        if target is None or len(inputs) != 1:
            return NotImplemented
        axis = kwargs.pop("axis", 0)
        dtype = kwargs.pop("dtype", None)
        if kwargs or out is not None:
            return NotImplemented
        return getattr(cp, target)(inputs[0], axis=axis, dtype=dtype)
    return NotImplemented


# --------------------------------------------------------------------------- functions (NEP 18)

HANDLED_FUNCTIONS: dict[Callable, Callable] = {}


def _implements(*funcs: Callable) -> Callable:
    def register(impl: Callable) -> Callable:
        for f in funcs:
            HANDLED_FUNCTIONS[f] = impl
        return impl

    return register


def array_function(func: Callable, types: Any, args: tuple, kwargs: dict) -> Any:
    impl = HANDLED_FUNCTIONS.get(func)
    if impl is None or not builtins.all(issubclass(t, (Tensor, np.ndarray)) for t in types):
        return NotImplemented
    return impl(*args, **kwargs)


class _Unsupported(Exception):
    """An argument corepy does not take: the call answers NotImplemented."""


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else _cp().asarray(x)


def _no(cond: bool) -> None:
    if cond:
        raise _Unsupported


def _guard(impl: Callable) -> Callable:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return impl(*args, **kwargs)
        except _Unsupported:
            return NotImplemented

    wrapper.__name__ = wrapper.__qualname__ = impl.__name__
    wrapper.__doc__ = impl.__doc__
    return wrapper


def _dtype_name(dtype: Any) -> str:
    """corepy's name of any dtype spelling (a name, a NumPy dtype or scalar type)."""
    return str(np.dtype(str(dtype) if isinstance(dtype, str) else dtype))


def _is_float(d: Any) -> bool:
    return str(d) in ("float32", "float64", "complex64", "complex128")


def _reduction(name: str, a: Any, axis: Any, dtype: Any, out: Any, keepdims: bool) -> Any:
    cp = _cp()
    a = _t(a)
    if dtype is not None and name in ("sum", "prod"):
        return getattr(cp, name)(a, axis=axis, dtype=dtype, keepdims=keepdims, out=out)
    if dtype is not None:
        a = cp.astype(a, dtype)
    f = getattr(cp, name)
    return (
        f(a, axis=axis, keepdims=keepdims)
        if out is None
        else f(a, axis=axis, keepdims=keepdims, out=out)
    )


def _simple_reduction(name: str, *numpy_funcs: Callable) -> None:
    @_implements(*numpy_funcs)
    @_guard
    def impl(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NOVALUE, where=True):
        _no(initial is not _NOVALUE or where is not True)
        return _reduction(name, a, axis, dtype, out, bool(keepdims))

    impl.__name__ = name


_simple_reduction("sum", np.sum)
_simple_reduction("prod", np.prod)


def _minmax(name: str, *numpy_funcs: Callable) -> None:
    @_implements(*numpy_funcs)
    @_guard
    def impl(a, axis=None, out=None, keepdims=False, initial=_NOVALUE, where=True):
        _no(initial is not _NOVALUE or where is not True)
        return _reduction(name, a, axis, None, out, bool(keepdims))

    impl.__name__ = name


_minmax("max", np.max, np.amax)
_minmax("min", np.min, np.amin)


def _logical(name: str, numpy_func: Callable) -> None:
    @_implements(numpy_func)
    @_guard
    def impl(a, axis=None, out=None, keepdims=False, *, where=True):
        _no(where is not True)
        return _reduction(name, a, axis, None, out, bool(keepdims))

    impl.__name__ = name


_logical("all", np.all)
_logical("any", np.any)


def _floating(a: Tensor, dtype: Any) -> Tensor:
    """The input of mean/std/var: NumPy averages integers and bools in float64."""
    cp = _cp()
    if dtype is not None:
        return cp.astype(a, dtype)
    return a if _is_float(a.dtype) else cp.astype(a, "float64")


@_implements(np.mean)
@_guard
def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    _no(where is not True)
    cp = _cp()
    a = _floating(_t(a), dtype)
    if out is None:
        return cp.mean(a, axis=axis, keepdims=bool(keepdims))
    return cp.mean(a, axis=axis, keepdims=bool(keepdims), out=out)


def _moment(name: str, numpy_func: Callable) -> None:
    @_implements(numpy_func)
    @_guard
    def impl(
        a,
        axis=None,
        dtype=None,
        out=None,
        ddof=0,
        keepdims=False,
        *,
        where=True,
        mean=_NOVALUE,
        correction=_NOVALUE,
    ):
        _no(where is not True or mean is not _NOVALUE)
        corr = ddof if correction is _NOVALUE else correction
        f = getattr(_cp(), name)
        a = _floating(_t(a), dtype)
        if out is None:
            return f(a, axis=axis, correction=corr, keepdims=bool(keepdims))
        return f(a, axis=axis, correction=corr, keepdims=bool(keepdims), out=out)

    impl.__name__ = name


_moment("std", np.std)
_moment("var", np.var)


def _arg(name: str, numpy_func: Callable) -> None:
    @_implements(numpy_func)
    @_guard
    def impl(a, axis=None, out=None, *, keepdims=False):
        _no(out is not None)
        return getattr(_cp(), name)(_t(a), axis=axis, keepdims=bool(keepdims))

    impl.__name__ = name


_arg("argmax", np.argmax)
_arg("argmin", np.argmin)


@_implements(np.count_nonzero)
def count_nonzero(a, axis=None, *, keepdims=False):
    return _cp().count_nonzero(_t(a), axis=axis, keepdims=keepdims)


def _cast_all(arrays: list[Tensor], dtype: Any) -> list[Tensor]:
    return arrays if dtype is None else [_cp().astype(a, dtype) for a in arrays]


@_implements(np.concatenate)
@_guard
def concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    _no(out is not None or casting != "same_kind")
    cp = _cp()
    arrays = _cast_all([_t(a) for a in arrays], dtype)
    if axis is None:
        arrays, axis = [cp.reshape(a, (-1,)) for a in arrays], 0
    return cp.concat(arrays, axis=axis)


@_implements(np.stack)
@_guard
def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    _no(out is not None or casting != "same_kind")
    return _cp().stack(_cast_all([_t(a) for a in arrays], dtype), axis=axis)


@_implements(np.where)
def where(condition, x=_NOVALUE, y=_NOVALUE):
    cp = _cp()
    if x is _NOVALUE and y is _NOVALUE:
        return cp.nonzero(_t(condition))
    return cp.where(condition, x, y)


@_implements(np.broadcast_to)
def broadcast_to(array, shape, subok=False):
    return _cp().broadcast_to(_t(array), tuple(shape) if not isinstance(shape, int) else (shape,))


@_implements(np.broadcast_arrays)
def broadcast_arrays(*args, subok=False):
    return tuple(_cp().broadcast_arrays(*[_t(a) for a in args]))


@_implements(np.reshape)
@_guard
def reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    _no(order != "C")
    shape = newshape if shape is None else shape
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return _cp().reshape(_t(a), shape, copy=copy)


@_implements(np.ravel)
@_guard
def ravel(a, order="C"):
    _no(order != "C")
    return _cp().reshape(_t(a), (-1,))


@_implements(np.transpose)
def transpose(a, axes=None):
    a = _t(a)
    axes = tuple(reversed(range(a.ndim))) if axes is None else tuple(axes)
    return _cp().permute_dims(a, axes)


@_implements(np.swapaxes)
def swapaxes(a, axis1, axis2):
    a = _t(a)
    axes = list(range(a.ndim))
    i, j = (
        operator.index(axis1) % builtins.max(a.ndim, 1),
        operator.index(axis2) % builtins.max(a.ndim, 1),
    )
    axes[i], axes[j] = axes[j], axes[i]
    return _cp().permute_dims(a, tuple(axes))


@_implements(np.moveaxis)
def moveaxis(a, source, destination):
    return _cp().moveaxis(_t(a), source, destination)


@_implements(np.squeeze)
def squeeze(a, axis=None):
    a = _t(a)
    if axis is None:
        axis = tuple(i for i, n in enumerate(a.shape) if n == 1)
    return _cp().squeeze(a, axis=axis)


@_implements(np.expand_dims)
def expand_dims(a, axis):
    cp = _cp()
    a = _t(a)
    if isinstance(axis, (tuple, list)):
        ndim = a.ndim + len(axis)
        for ax in sorted(operator.index(x) % ndim for x in axis):
            a = cp.expand_dims(a, axis=ax)
        return a
    return cp.expand_dims(a, axis=axis)


@_implements(np.tensordot)
def tensordot(a, b, axes=2):
    if not isinstance(axes, int):
        axes = tuple(tuple(x) if isinstance(x, (list, tuple)) else (x,) for x in axes)
    return _cp().tensordot(_t(a), _t(b), axes=axes)


@_implements(np.dot)
@_guard
def dot(a, b, out=None):
    _no(out is not None)
    a, b = _t(a), _t(b)
    _no(a.ndim == 0 or b.ndim == 0 or b.ndim > 2)
    return _cp().matmul(a, b)


@_implements(np.take)
@_guard
def take(a, indices, axis=None, out=None, mode="raise"):
    _no(out is not None or mode != "raise")
    cp = _cp()
    a = _t(a)
    if axis is None:
        a, axis = cp.reshape(a, (-1,)), 0
    return cp.take(a, _t(indices), axis=axis)


@_implements(np.unravel_index)
@_guard
def unravel_index(indices, shape, order="C"):
    _no(order != "C")
    cp = _cp()
    rest = _t(indices)
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    out = []
    for n in reversed(dims):
        out.append(cp.remainder(rest, n))
        rest = cp.floor_divide(rest, n)
    return tuple(reversed(out))


@_implements(np.ravel_multi_index)
@_guard
def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    _no(mode != "raise" or order != "C")
    cp = _cp()
    dims = tuple(dims)
    idx = [_t(i) for i in multi_index]
    if len(idx) != len(dims):
        raise ValueError(
            f"parameter multi_index must be a sequence of length {len(dims)}, got {len(idx)}"
        )
    flat = None
    for i, n in zip(idx, dims, strict=True):
        if builtins.bool(cp.any(cp.logical_or(i < 0, i >= n))):
            raise ValueError("invalid entry in coordinates array")
        flat = i if flat is None else flat * n + i
    return flat


@_implements(np.take_along_axis)
def take_along_axis(arr, indices, axis=-1):
    return _cp().take_along_axis(_t(arr), _t(indices), axis=axis)


@_implements(np.clip)
@_guard
def clip(a, a_min=_NOVALUE, a_max=_NOVALUE, out=None, *, min=_NOVALUE, max=_NOVALUE, **kw):
    _no(out is not None or builtins.bool(kw))
    lo = a_min if a_min is not _NOVALUE else (None if min is _NOVALUE else min)
    hi = a_max if a_max is not _NOVALUE else (None if max is _NOVALUE else max)
    return _cp().clip(_t(a), min=lo, max=hi)


def _scan(name: str, numpy_func: Callable) -> None:
    @_implements(numpy_func)
    @_guard
    def impl(a, axis=None, dtype=None, out=None):
        _no(out is not None)
        cp = _cp()
        a = _t(a)
        if axis is None:
            a, axis = cp.reshape(a, (-1,)), 0
        return getattr(cp, name)(a, axis=axis, dtype=dtype)

    impl.__name__ = name


_scan("cumulative_sum", np.cumsum)
_scan("cumulative_prod", np.cumprod)


def _sorter(name: str, np_fn: Callable) -> None:
    """np.sort / np.argsort: corepy's, with NumPy's axis=None (the flattened array)."""

    @_implements(np_fn)
    @_guard
    def impl(a, axis=-1, kind=None, order=None, *, stable=None):
        _no(order is not None)
        cp = _cp()
        a = _t(a)
        if axis is None:
            a, axis = cp.reshape(a, (-1,)), -1
        return getattr(cp, name)(a, axis=axis)

    impl.__name__ = name


_sorter("sort", np.sort)
_sorter("argsort", np.argsort)


@_implements(np.flip)
def flip(m, axis=None):
    return _cp().flip(_t(m), axis=axis)


@_implements(np.roll)
def roll(a, shift, axis=None):
    return _cp().roll(_t(a), shift=shift, axis=axis)


@_implements(np.repeat)
def repeat(a, repeats, axis=None):
    return _cp().repeat(_t(a), repeats, axis=axis)


@_implements(np.tile)
def tile(A, reps):
    return _cp().tile(_t(A), (reps,) if isinstance(reps, int) else tuple(reps))


@_implements(np.nonzero)
def nonzero(a):
    return _cp().nonzero(_t(a))


@_implements(np.isin)
@_guard
def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    _no(kind is not None)
    return _cp().isin(_t(element), _t(test_elements), invert=invert)


@_implements(np.diff)
def diff(a, n=1, axis=-1, prepend=_NOVALUE, append=_NOVALUE):
    kw = {}
    if prepend is not _NOVALUE:
        kw["prepend"] = _t(prepend)
    if append is not _NOVALUE:
        kw["append"] = _t(append)
    return _cp().diff(_t(a), axis=axis, n=n, **kw)


@_implements(np.round, np.around)
@_guard
def round_(a, decimals=0, out=None):
    _no(decimals != 0)
    return _cp().round(_t(a)) if out is None else _cp().round(_t(a), out=out)


@_implements(np.tril)
def tril(m, k=0):
    return _cp().tril(_t(m), k=k)


@_implements(np.triu)
def triu(m, k=0):
    return _cp().triu(_t(m), k=k)


@_implements(np.searchsorted)
@_guard
def searchsorted(a, v, side="left", sorter=None):
    _no(sorter is not None)
    return _cp().searchsorted(_t(a), _t(v), side=side)


@_implements(np.matmul)
def matmul(a, b, **kwargs):  # np.matmul is a ufunc in NumPy 2; a function before
    return NotImplemented if kwargs else _cp().matmul(_t(a), _t(b))


@_implements(np.astype)
def astype(x, dtype, /, *, copy=True, device=None):
    return _cp().astype(_t(x), dtype, copy=copy)


@_implements(np.copy)
@_guard
def copy(a, order="K", subok=False):
    _no(order not in ("K", "C", "A"))
    return _cp().asarray(_t(a), copy=True)


def _like(kind: str, numpy_func: Callable) -> None:
    @_implements(numpy_func)
    @_guard
    def impl(a, *args, dtype=None, order="K", subok=True, shape=None, device=None, **kw):
        if kind == "full":
            if "fill_value" in kw:
                args = (kw.pop("fill_value"), *args)
            _no(not args)
            fill, args = args[0], args[1:]
        if args:
            dtype, args = args[0], args[1:]
        _no(order not in ("K", "C", "A") or builtins.bool(kw) or builtins.bool(args))
        cp = _cp()
        a = _t(a)
        dtype = a.dtype if dtype is None else _dtype_name(dtype)
        shape = a.shape if shape is None else ((shape,) if isinstance(shape, int) else shape)
        if kind == "full":
            return cp.full(tuple(shape), fill, dtype=dtype)
        return getattr(cp, kind)(tuple(shape), dtype=dtype)

    impl.__name__ = kind + "_like"


_like("zeros", np.zeros_like)
_like("ones", np.ones_like)
_like("empty", np.empty_like)
_like("full", np.full_like)


@_implements(np.array, np.asarray, np.asanyarray)
@_guard
def array(a, dtype=None, *args, copy=None, order="K", subok=False, ndmin=0, like=None, **kw):
    """np.array(..., like=tensor) (Dask builds chunks this way): a Tensor."""
    _no(builtins.bool(args) or builtins.bool(kw) or order not in ("K", "C", "A", None))
    cp = _cp()
    t = cp.asarray(a, dtype=None if dtype is None else _dtype_name(dtype), copy=copy)
    while t.ndim < ndmin:
        t = cp.expand_dims(t, axis=0)
    return t


def _creation_impl(kind: str, numpy_func: Callable) -> None:
    @_implements(numpy_func)
    @_guard
    def impl(shape, *args, dtype=None, order="C", like=None, device=None, **kw):
        if kind == "full":
            if "fill_value" in kw:
                args = (kw.pop("fill_value"), *args)
            _no(not args)
            fill, args = args[0], args[1:]
        if args:
            dtype, args = args[0], args[1:]
        _no(builtins.bool(args) or builtins.bool(kw) or order != "C")
        cp = _cp()
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        d = None if dtype is None else _dtype_name(dtype)
        if kind == "full":
            return cp.full(shape, fill, dtype=d)
        return getattr(cp, kind)(shape, dtype=d or "float64")

    impl.__name__ = kind


for _k in ("full", "zeros", "ones", "empty"):
    _creation_impl(_k, getattr(np, _k))


def _nan_fill(a: Tensor, fill: Any) -> Tensor:
    cp = _cp()
    if not _is_float(a.dtype):
        return a
    return cp.where(cp.isnan(a), cp.asarray(fill, dtype=a.dtype), a)


def _nan_reduction(name: str, fill: Any, numpy_func: Callable) -> None:
    @_implements(numpy_func)
    @_guard
    def impl(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NOVALUE, where=True):
        _no(initial is not _NOVALUE or where is not True)
        return _reduction(name, _nan_fill(_t(a), fill), axis, dtype, out, bool(keepdims))

    impl.__name__ = "nan" + name


_nan_reduction("sum", 0, np.nansum)
_nan_reduction("prod", 1, np.nanprod)


def _nan_minmax(name: str, fill: float, numpy_func: Callable) -> None:
    @_implements(numpy_func)
    @_guard
    def impl(a, axis=None, out=None, keepdims=False, initial=_NOVALUE, where=True):
        _no(initial is not _NOVALUE or where is not True or out is not None)
        cp = _cp()
        a = _t(a)
        r = _reduction(name, _nan_fill(a, fill), axis, None, None, bool(keepdims))
        if _is_float(a.dtype):  # an all-NaN slice is NaN (NumPy warns; corepy does not)
            allnan = cp.all(cp.isnan(a), axis=axis, keepdims=bool(keepdims))
            r = cp.where(allnan, cp.asarray(float("nan"), dtype=a.dtype), r)
        return r

    impl.__name__ = "nan" + name


_nan_minmax("max", float("-inf"), np.nanmax)
_nan_minmax("min", float("inf"), np.nanmin)


@_implements(np.nanmean)
@_guard
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    _no(where is not True or out is not None)
    cp = _cp()
    a = _floating(_t(a), dtype)
    keep = bool(keepdims)
    total = cp.sum(_nan_fill(a, 0), axis=axis, keepdims=keep)
    count = cp.sum(cp.logical_not(cp.isnan(a)), axis=axis, keepdims=keep)
    return total / cp.astype(count, a.dtype if "complex" not in str(a.dtype) else "float64")


# Queries whose answer is not an array: NumPy's own implementation over zero-copy views (no
# chunk ever becomes a NumPy array through these).
def _numpy_query(numpy_func: Callable) -> None:
    impl_np = getattr(numpy_func, "_implementation", numpy_func)

    @_implements(numpy_func)
    def impl(*args, **kwargs):
        args = [np.asarray(a) if isinstance(a, Tensor) else a for a in args]
        kwargs = {k: np.asarray(v) if isinstance(v, Tensor) else v for k, v in kwargs.items()}
        return impl_np(*args, **kwargs)

    impl.__name__ = numpy_func.__name__


for _f in (
    np.shape,
    np.ndim,
    np.size,
    np.allclose,
    np.array_equal,
    np.array_equiv,
    np.shares_memory,
    np.may_share_memory,
    np.iscomplexobj,
    np.isrealobj,
):
    _numpy_query(_f)


@_implements(np.result_type)
def result_type(*arrays_and_dtypes):
    return np.result_type(
        *[np.dtype(str(a.dtype)) if isinstance(a, Tensor) else a for a in arrays_and_dtypes]
    )


@_implements(np.can_cast)
def can_cast(from_, to, casting="safe"):
    from_ = np.dtype(str(from_.dtype)) if isinstance(from_, Tensor) else from_
    return np.can_cast(from_, to, casting=casting)


# ---------------------------------------------------------------------------- pickle (PEP 574)


def reduce_ex(t: Tensor, protocol: int) -> tuple:
    """Tensor.__reduce_ex__: protocol 5 gives pickle a PickleBuffer over the tensor's memory
    (a strided view is made contiguous first), which a pickler with a buffer_callback sends
    out-of-band without a copy; protocols below 5 carry the bytes in-band."""
    dtype = str(t.dtype)
    if not t.is_contiguous:
        t = _cp().asarray(t, copy=True)
    if protocol >= 5:
        return (_rebuild, (pickle.PickleBuffer(t), dtype, t.shape))
    return (_rebuild_bytes, (bytes(memoryview(t)), dtype, t.shape))


def _bytes_view(buf: Any) -> memoryview:
    """A 1-D unsigned-byte view of a received buffer (untyped: read with dtype=, in place)."""
    m = buf.raw() if isinstance(buf, pickle.PickleBuffer) else memoryview(buf)
    return m if m.format == "B" and m.ndim == 1 else m.cast("B")


def _rebuild(buf: Any, dtype: str, shape: tuple) -> Tensor:
    """Unpickles a protocol-5 tensor: wraps the received buffer without a copy (as NumPy does),
    read-only when the buffer is."""
    _dask_hook()
    t = Tensor(_bytes_view(buf), dtype=dtype)
    return t.reshape(shape)


def _rebuild_bytes(data: bytes, dtype: str, shape: tuple) -> Tensor:
    """Unpickles an in-band tensor (protocols 0-4) into fresh, writable memory."""
    _dask_hook()
    t = Tensor(memoryview(data), dtype=dtype, copy=True)
    return t.reshape(shape)


def _dask_hook() -> None:
    # A Dask worker may receive a tensor before it has imported corepy.dask (whose import
    # registers Tensor with dask.array's dispatch tables): import it once dask.array is in use.
    if "dask.array" in sys.modules and "corepy.dask" not in sys.modules:
        import corepy.dask  # noqa: F401


# ------------------------------------------------------------------- NumPy-style Tensor methods
# Dask (and code written for NumPy) calls these on chunks; each is the NumPy function above, so
# it returns a Tensor. Set on the class at import (install_methods), listed in __init__.pyi.


def _call(numpy_func: Callable, name: str, *args: Any, **kwargs: Any) -> Any:
    r = HANDLED_FUNCTIONS[numpy_func](*args, **kwargs)
    if r is NotImplemented:
        raise TypeError(f"Tensor.{name}: an argument corepy does not take ({args[1:]}, {kwargs})")
    return r


class _Methods:
    """NumPy's ndarray methods of these names, each the NumPy function above (a Tensor)."""

    def squeeze(self, axis=None):
        return squeeze(self, axis)

    def copy(self):
        return _cp().asarray(self, copy=True)

    def ravel(self):
        return _cp().reshape(self, (-1,))

    def flatten(self):
        return _cp().reshape(_cp().asarray(self, copy=True), (-1,))

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], int)):
            axes = axes[0]
        return transpose(self, axes or None)

    def swapaxes(self, axis1, axis2):
        return swapaxes(self, axis1, axis2)

    def max(self, axis=None, out=None, keepdims=False):
        return _call(np.max, "max", self, axis=axis, out=out, keepdims=keepdims)

    def min(self, axis=None, out=None, keepdims=False):
        return _call(np.min, "min", self, axis=axis, out=out, keepdims=keepdims)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False):
        return _call(np.prod, "prod", self, axis, dtype, out, keepdims)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return _call(np.std, "std", self, axis, dtype, out, ddof, keepdims)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return _call(np.var, "var", self, axis, dtype, out, ddof, keepdims)

    def argmax(self, axis=None, out=None, *, keepdims=False):
        return _call(np.argmax, "argmax", self, axis, out, keepdims=keepdims)

    def argmin(self, axis=None, out=None, *, keepdims=False):
        return _call(np.argmin, "argmin", self, axis, out, keepdims=keepdims)

    def cumsum(self, axis=None, dtype=None, out=None):
        return _call(np.cumsum, "cumsum", self, axis, dtype, out)

    def cumprod(self, axis=None, dtype=None, out=None):
        return _call(np.cumprod, "cumprod", self, axis, dtype, out)

    def clip(self, min=None, max=None):
        return _cp().clip(self, min=min, max=max)

    def round(self, decimals=0):
        return _call(np.round, "round", self, decimals)

    def repeat(self, repeats, axis=None):
        return _cp().repeat(self, repeats, axis=axis)

    def take(self, indices, axis=None):
        return _call(np.take, "take", self, indices, axis)

    def nonzero(self):
        return _cp().nonzero(self)

    def dot(self, b):
        return _call(np.dot, "dot", self, b)


METHODS: dict[str, Callable] = {
    name: f for name, f in vars(_Methods).items() if not name.startswith("_") and callable(f)
}


def install_methods() -> None:
    """Sets the NumPy-style methods on Tensor (never replacing one the Rust class defines)."""
    for name, f in METHODS.items():
        if name not in Tensor.__dict__:
            setattr(Tensor, name, f)
