"""The standard's statistical functions, arg-reductions and cumulative ops (issue 16).

The reductions themselves are Rust functions (corepy._core); this module re-exports them and
adds `diff`, which is element-wise over slices.
"""

from __future__ import annotations

import operator

from . import _core
from ._core import (
    argmax,
    argmin,
    count_nonzero,
    cumulative_prod,
    cumulative_sum,
    max,
    min,
    prod,
    std,
    var,
)

__all__ = [
    "argmax",
    "argmin",
    "count_nonzero",
    "cumulative_prod",
    "cumulative_sum",
    "diff",
    "max",
    "min",
    "prod",
    "std",
    "var",
]


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    """The n-th discrete difference along `axis`, after joining `prepend` and `append` to `x`."""
    from . import _api

    x = _core.Tensor(x) if not isinstance(x, _core.Tensor) else x
    if x.dtype == "bool":
        raise TypeError("diff: expected a numeric dtype, got bool")
    if x.ndim == 0:
        raise ValueError("diff: x must have at least one dimension")
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            n = operator.index(n)
        except TypeError:
            raise TypeError(f"diff: n must be an int, got {n!r}") from None
    if n < 0:
        raise ValueError(f"diff: n must be non-negative, got {n}")
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise TypeError(f"diff: axis must be an int, got {axis!r}")
    if not -x.ndim <= axis < x.ndim:
        raise _core.AxisError(f"axis {axis} is out of bounds for a tensor of dimension {x.ndim}")
    axis %= x.ndim
    parts = [p for p in (prepend, x, append) if p is not None]
    if len(parts) > 1:
        parts = [_core.Tensor(p) if not isinstance(p, _core.Tensor) else p for p in parts]
        x = _api.concat(parts, axis=axis)
    head = (slice(None),) * axis
    for _ in range(n):
        x = _core.subtract(x[(*head, slice(1, None))], x[(*head, slice(None, -1))])
    return x
