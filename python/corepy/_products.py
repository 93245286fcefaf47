"""tensordot and vecdot of the array API standard (2025.12), on top of matmul (every numeric
dtype: the float ladder, integers wrapping, complex) and views (permute, reshape)."""

import operator

from . import _api, _core

__all__ = ["tensordot", "vecdot"]


def _axes_list(axes, name):
    try:
        return [operator.index(a) for a in axes]
    except TypeError:
        raise TypeError(f"tensordot: {name} must be a sequence of ints, got {axes!r}") from None


def tensordot(x1, x2, /, *, axes=2):
    """Contracts ``axes`` of ``x1`` with ``axes`` of ``x2``: an int N pairs the last N axes of x1
    with the first N of x2 (in order); a pair of sequences names them. Result shape: x1's free
    axes, then x2's."""
    a, b = _api.asarray(x1), _api.asarray(x2)
    if isinstance(axes, bool):
        raise TypeError("tensordot: axes must be an int or a pair of sequences, got a bool")
    if isinstance(axes, int):
        if axes < 0:
            raise ValueError(f"tensordot: axes must be non-negative, got {axes}")
        if axes > a.ndim or axes > b.ndim:
            raise ValueError(
                f"tensordot: cannot contract {axes} axes of operands with {a.ndim} and "
                f"{b.ndim} dimensions"
            )
        ax1 = list(range(a.ndim - axes, a.ndim))
        ax2 = list(range(axes))
    else:
        try:
            first, second = axes
        except (TypeError, ValueError):
            raise TypeError(
                f"tensordot: axes must be an int or a pair of sequences, got {axes!r}"
            ) from None
        ax1 = [_api._axis(ax, a.ndim) for ax in _axes_list(first, "axes[0]")]
        ax2 = [_api._axis(ax, b.ndim) for ax in _axes_list(second, "axes[1]")]
        if len(ax1) != len(ax2):
            raise ValueError(f"tensordot: axes {axes!r} name different numbers of axes")
        if len(set(ax1)) != len(ax1) or len(set(ax2)) != len(ax2):
            raise ValueError(f"tensordot: repeated axis in {axes!r}")
    for i, j in zip(ax1, ax2, strict=True):
        if a.shape[i] != b.shape[j]:
            raise ValueError(
                f"tensordot: contracted axis {i} of x1 has length {a.shape[i]}, axis {j} of x2 "
                f"has {b.shape[j]}"
            )
    free1 = [i for i in range(a.ndim) if i not in ax1]
    free2 = [j for j in range(b.ndim) if j not in ax2]
    k = 1
    for i in ax1:
        k *= a.shape[i]
    m = 1
    for i in free1:
        m *= a.shape[i]
    n = 1
    for j in free2:
        n *= b.shape[j]
    am = _api.reshape(_api.permute_dims(a, free1 + ax1), (m, k))
    bm = _api.reshape(_api.permute_dims(b, ax2 + free2), (k, n))
    out = _core.matmul(am, bm)
    shape = tuple(a.shape[i] for i in free1) + tuple(b.shape[j] for j in free2)
    return _api.reshape(out, shape)


def vecdot(x1, x2, /, *, axis=-1):
    """The dot product of vectors along ``axis`` (after broadcasting the other axes):
    ``sum(conj(x1) * x2, axis=axis)``, computed by matmul."""
    a, b = _api.asarray(x1), _api.asarray(x2)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("vecdot: operands must have at least one dimension")
    if "complex" in str(a.dtype):
        a = _core.conj(a)
    nd = max(a.ndim, b.ndim)
    ax = _api._axis(axis, nd)
    # the contracted axis of each operand (counted from the end, so broadcasting keeps it)
    ra, rb = ax - nd + a.ndim, ax - nd + b.ndim
    if ra < 0 or rb < 0:
        raise ValueError(f"vecdot: axis {axis} is not an axis of both operands")
    if a.shape[ra] != b.shape[rb]:
        raise ValueError(
            f"vecdot: the contracted axis has length {a.shape[ra]} in x1 and {b.shape[rb]} in x2"
        )
    a = _api.moveaxis(a, ra, -1)
    b = _api.moveaxis(b, rb, -1)
    k = a.shape[-1]
    batch = _api.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    a = _api.broadcast_to(a, (*batch, k))
    b = _api.broadcast_to(b, (*batch, k))
    # (..., 1, K) @ (..., K, 1) -> (..., 1, 1)
    out = _core.matmul(_api.expand_dims(a, axis=-2), _api.expand_dims(b, axis=-1))
    return _api.reshape(out, batch)
