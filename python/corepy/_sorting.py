"""Sorting, searching and set functions of the array API standard (2025.12), by sort.

The work is in Rust and C++ (corepy._core: integer sort keys, a vectorised sort, parallel on
large inputs); this module gives the standard's signatures and result tuples.

Float order: -0.0 and +0.0 are equal; NaNs sort after +inf (ascending), so a descending sort,
the exact reverse order, puts them first. Each NaN is a distinct value in the set functions.
"""

from typing import NamedTuple

from . import _core

__all__ = [
    "UniqueAllResult",
    "UniqueCountsResult",
    "UniqueInverseResult",
    "argsort",
    "isin",
    "nonzero",
    "searchsorted",
    "sort",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
]


class UniqueAllResult(NamedTuple):
    values: _core.Tensor
    indices: _core.Tensor
    inverse_indices: _core.Tensor
    counts: _core.Tensor


class UniqueCountsResult(NamedTuple):
    values: _core.Tensor
    counts: _core.Tensor


class UniqueInverseResult(NamedTuple):
    values: _core.Tensor
    inverse_indices: _core.Tensor


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """A sorted copy of ``x`` along ``axis`` (stable unless ``stable=False``)."""
    return _core._sort(x, axis, descending, stable)


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """The int64 indices that sort ``x`` along ``axis``; a stable sort keeps equal values in
    their original order, also when descending."""
    return _core._argsort(x, axis, descending, stable)


def unique_values(x, /):
    """The distinct values of ``x`` (flattened), sorted; every NaN is distinct."""
    return _core._unique(x, False, False, False)[0]


def unique_counts(x, /):
    """The distinct values of ``x`` and how often each occurs."""
    v, _, _, c = _core._unique(x, False, False, True)
    return UniqueCountsResult(v, c)


def unique_inverse(x, /):
    """The distinct values of ``x`` and, with ``x``'s shape, the index of each element's value."""
    v, _, inv, _ = _core._unique(x, False, True, False)
    return UniqueInverseResult(v, inv)


def unique_all(x, /):
    """The distinct values, the index of each one's first occurrence in flattened ``x``, the
    inverse indices (``x``'s shape) and the counts."""
    return UniqueAllResult(*_core._unique(x, True, True, True))


def isin(x1, x2, /, *, invert=False):
    """Whether each element of ``x1`` equals some element of ``x2`` (NaN equals nothing), compared
    in the two inputs' promoted dtype; ``invert=True`` negates the result."""
    if not isinstance(invert, bool):
        raise TypeError(f"isin: invert must be a bool, got {type(invert).__name__}")
    return _core._isin(x1, x2, invert)


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    """Indices (int64, ``x2``'s shape) at which the elements of ``x2`` would be inserted into the
    ascending 1-D ``x1`` (or ``x1[sorter]``) to keep it sorted: before equal elements
    (``side="left"``) or after them (``side="right"``)."""
    return _core._searchsorted(x1, x2, side, sorter)


def nonzero(x, /):
    """A tuple of int64 index arrays, one per axis of ``x``, of its non-zero elements in C order."""
    return _core._nonzero(x)
