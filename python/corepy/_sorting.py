"""Sorting, searching and set functions of the array API standard (2025.12), by sort.

The work is in Rust and C++ (corepy._core: integer sort keys, a vectorised introsort, parallel
on large inputs); this module gives the standard's signatures and result tuples.

Float order: -0.0 and +0.0 are equal; NaNs sort after +inf (ascending), so a descending sort,
the exact reverse order, puts them first. Each NaN is a distinct value in the set functions.
"""

from . import _core

__all__ = ["argsort", "sort"]


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """A sorted copy of ``x`` along ``axis`` (stable unless ``stable=False``)."""
    return _core._sort(x, axis, descending, stable)


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """The int64 indices that sort ``x`` along ``axis``; a stable sort keeps equal values in
    their original order, also when descending."""
    return _core._argsort(x, axis, descending, stable)
