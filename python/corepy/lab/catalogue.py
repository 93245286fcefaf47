"""The catalogue: the ops the lab times, their inputs, traffic and flops, the NumPy reference
of each, and how closely a result must agree with it."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .. import _core

__all__ = [
    "AXIS_SIZES",
    "FULL_EXTRA_SIZES",
    "MATH_SIZES",
    "MATMUL_SIZES",
    "MATVEC_SIZES",
    "NP_NAMES",
    "OPS",
    "SORT_SIZES",
    "VECTOR_SIZES",
    "Op",
    "Sizes",
    "agree",
    "axis_op",
    "default_sizes",
    "get_op",
    "make_inputs",
    "quick_mode",
    "reference",
    "result_tolerance",
    "tolerance",
]


def quick_mode() -> bool:
    """True when ``COREPY_QUICK`` is set (to anything but "" or "0"): small sizes, short budgets."""
    return os.environ.get("COREPY_QUICK", "") not in ("", "0")


@dataclass(frozen=True)
class Op:
    """One benchmarked operation.

    ``size`` is the element count of each 1-D operand, or n for the n x n matrices of matmul and
    matvec. ``arrays`` counts the n-element (or n x n) arrays moved: read and written.
    """

    name: str
    # "reduce", "scan", "elementwise", "unary", "dot", "matmul", "matvec", "sort", or "axis" (a
    # reduction of an n x n matrix along `axis`)
    kind: str
    pattern: str  # the STREAM kernel of cp.machine() it is held against ("read" or "add")
    bound: str  # "memory" or "compute": what pct_of_peak is measured against
    bool_input: bool = False
    axis: int | None = None

    def nbytes(self, n: int, itemsize: int) -> int:
        """Compulsory traffic of one call in bytes (each input read once, the output written)."""
        if self.kind == "reduce":
            return n * itemsize
        if self.kind == "axis":
            return n * n * itemsize
        if self.kind == "scan":
            return 2 * n * itemsize
        if self.kind == "elementwise":
            return 3 * n * itemsize
        if self.kind == "unary":
            return 2 * n * itemsize
        if self.kind == "dot":
            return 2 * n * itemsize
        if self.kind == "matmul":
            return 3 * n * n * itemsize
        if self.kind == "sort":
            return 2 * n * itemsize  # read once, written once (argsort writes int64 indices)
        return (n * n + 2 * n) * itemsize  # matvec

    def flops(self, n: int) -> int | None:
        """Floating-point operations of one call (None for logical reductions)."""
        if self.bool_input or self.kind == "sort":
            return None
        if self.kind in ("reduce", "scan", "elementwise", "unary"):
            return n
        if self.kind == "axis":
            return n * n
        if self.kind == "dot":
            return 2 * n
        if self.kind == "matmul":
            return 2 * n**3
        return 2 * n * n  # matvec


OPS: dict[str, Op] = {
    op.name: op
    for op in (
        Op("sum", "reduce", "read", "memory"),
        Op("mean", "reduce", "read", "memory"),
        Op("max", "reduce", "read", "memory"),
        Op("min", "reduce", "read", "memory"),
        Op("argmax", "reduce", "read", "memory"),
        Op("std", "reduce", "read", "memory"),
        Op("var", "reduce", "read", "memory"),
        Op("cumulative_sum", "scan", "copy", "memory"),
        Op("sum_axis0", "axis", "read", "memory", axis=0),
        Op("sum_axis1", "axis", "read", "memory", axis=1),
        Op("max_axis0", "axis", "read", "memory", axis=0),
        Op("max_axis1", "axis", "read", "memory", axis=1),
        Op("all", "reduce", "read", "memory", bool_input=True),
        Op("any", "reduce", "read", "memory", bool_input=True),
        Op("add", "elementwise", "add", "memory"),
        Op("add_out", "elementwise", "add", "memory"),
        Op("sub", "elementwise", "add", "memory"),
        Op("mul", "elementwise", "add", "memory"),
        Op("div", "elementwise", "add", "memory"),
        Op("dot", "dot", "read", "memory"),
        Op("matvec", "matvec", "read", "memory"),
        Op("matmul", "matmul", "read", "compute"),
        Op("sort", "sort", "add", "memory"),
        Op("argsort", "sort", "add", "memory"),
    )
}

# NumPy's names where the standard's differ.
NP_NAMES = {
    "sub": "subtract",
    "mul": "multiply",
    "div": "divide",
    "matvec": "matmul",
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "asinh": "arcsinh",
    "acosh": "arccosh",
    "atanh": "arctanh",
    "atan2": "arctan2",
    "pow": "power",
}


def _catalogue_from_op_table() -> None:
    """Every float function of corepy's op table joins the catalogue: unary ones against STREAM
    copy (one array read, one written), binary ones against STREAM add."""
    for name, kind in _core._op_table():
        if name in OPS or name in ("add", "subtract", "multiply", "divide"):
            continue
        if kind in ("math", "unary") and name not in _NO_FLOAT_BENCH:
            OPS[name] = Op(name, "unary", "copy", "memory")
        elif kind == "arithmetic" and name not in _NO_FLOAT_BENCH:
            OPS[name] = Op(name, "elementwise", "add", "memory")


# Integer/bool-only functions and ones with bool results (the harness times float inputs).
_NO_FLOAT_BENCH = {
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "bitwise_invert",
    "isnan",
    "isinf",
    "isfinite",
    "signbit",
    "logical_not",
}
_catalogue_from_op_table()


class Sizes(NamedTuple):
    """The sizes of a kind of op: the normal run and quick mode's (`quick_mode`)."""

    normal: tuple[int, ...]
    quick: tuple[int, ...]

    def pick(self, quick: bool) -> list[int]:
        return list(self.quick if quick else self.normal)


# Every size list of the lab, defined once: `compare`'s defaults by kind of op, and the
# report's sparser sets for its secondary sections (`corepy.lab.report.suite`).
VECTOR_SIZES = Sizes((10**3, 10**4, 10**5, 10**6, 10**7), (10**3, 10**4, 10**5))
FULL_EXTRA_SIZES = (10**8,)  # the report's --full adds these to the vector sizes
MATMUL_SIZES = Sizes((64, 128, 256, 512, 1024), (64, 128, 256))
MATVEC_SIZES = Sizes((128, 512, 2048, 4096), (64, 256))
AXIS_SIZES = Sizes((256, 1024, 4096), (64, 256))
MATH_SIZES = Sizes((10**5, 10**7), (10**4,))  # the report: element-wise math, reductions
SORT_SIZES = Sizes((10**5, 10**6), (10**4,))
_BY_KIND = {"matmul": MATMUL_SIZES, "matvec": MATVEC_SIZES, "axis": AXIS_SIZES}


def default_sizes(op: str, quick: bool | None = None) -> list[int]:
    """The sizes `compare` uses for `op` when none are given (smaller in quick mode)."""
    quick = quick_mode() if quick is None else quick
    return _BY_KIND.get(get_op(op).kind, VECTOR_SIZES).pick(quick)


def get_op(name: str) -> Op:
    try:
        return OPS[name]
    except KeyError:
        raise ValueError(f"unknown op {name!r}; expected one of {', '.join(OPS)}") from None


def make_inputs(op: Op, n: int, dtype: np.dtype, rng: np.random.Generator) -> list[np.ndarray]:
    """The operands, as C-contiguous NumPy arrays (all/any: all True / all False, so the whole
    input must be read)."""
    if op.name == "all":
        return [np.ones(n, dtype=bool)]
    if op.name == "any":
        return [np.zeros(n, dtype=bool)]

    def rand(shape, low=0.0):
        if dtype.kind == "f":
            return (rng.random(shape, dtype=np.float64) + low).astype(dtype)
        return rng.integers(max(1, int(low)), 10, size=shape).astype(dtype)

    if op.kind == "sort":
        # distinct random keys (floats) or a wide range (ints): ties only where values collide
        if dtype.kind == "f":
            return [rng.random(n).astype(dtype)]
        return [rng.integers(-(2**30), 2**30, size=n).astype(dtype)]
    if op.kind in ("reduce", "scan"):
        return [rand(n)]
    if op.kind == "axis":
        return [rand((n, n))]
    if op.kind == "unary":  # inside every function's domain: (0.01, 0.99), acosh (1, 2)
        x = rng.random(n, dtype=np.float64)
        return [(x + 1.0 if op.name == "acosh" else 0.01 + 0.98 * x).astype(dtype)]
    if op.kind in ("elementwise", "dot"):
        return [rand(n), rand(n, low=0.5 if op.name == "div" else 0.0)]
    if op.kind == "matmul":
        return [rand((n, n)), rand((n, n))]
    return [rand((n, n)), rand(n)]  # matvec


_REFERENCE: dict[str, Callable[..., Any]] = {
    "sum": np.sum,
    "mean": np.mean,
    "max": np.max,
    "min": np.min,
    "argmax": np.argmax,
    "std": np.std,
    "var": np.var,
    "cumulative_sum": np.cumsum,
    "all": np.all,
    "any": np.any,
    "add": np.add,
    "add_out": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.divide,
    "dot": np.dot,
    "matvec": np.matmul,
    "matmul": np.matmul,
    "sort": np.sort,
    # stable: every library's stable argsort gives the same indices, ties included
    "argsort": lambda x: np.argsort(x, kind="stable"),
}


def axis_op(op: Op) -> tuple[str, int]:
    """("sum", 0) for "sum_axis0"."""
    assert op.axis is not None
    return op.name.split("_axis")[0], op.axis


def reference(op: Op, arrays: list[np.ndarray]) -> np.ndarray:
    """The answer in float64 (floats) or exactly (ints, bools), computed by NumPy."""
    up = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in arrays]
    if op.kind == "axis":
        base, axis = axis_op(op)
        return np.asarray(getattr(np, base)(up[0], axis=axis))
    fn = _REFERENCE.get(op.name) or getattr(np, NP_NAMES.get(op.name, op.name))
    return np.asarray(fn(*up))


def tolerance(op: str, dtype: str) -> tuple[float, float]:
    """(rtol, atol) for `np.allclose(result, float64_reference)`.

    Element-wise results are one rounding away from the reference; reductions, dot and matmul
    sum many terms in an order that each library picks, so they get more room. Inputs are
    non-negative, so a relative tolerance is meaningful even for long sums."""
    kind = get_op(op).kind
    dt = np.dtype(dtype)
    if kind == "sort":
        return (0.0, 0.0)  # a permutation of the input: exact
    if dt.kind in "biu":
        return (1e-12, 0.0) if op in ("mean", "div") else (0.0, 0.0)
    single = dt.itemsize <= 4
    if kind in ("elementwise", "unary"):
        return (2e-6, 1e-30) if single else (1e-13, 1e-300)
    if kind == "scan":
        # running sums: a sequential float32 scan (NumPy's) drifts far more than a blocked one
        return (1e-2, 1e-6) if single else (1e-9, 1e-12)
    return (2e-4, 1e-6) if single else (1e-10, 1e-12)


def agree(got: Any, expected: np.ndarray, rtol: float, atol: float) -> tuple[bool, float]:
    g = np.asarray(got)
    if g.shape != expected.shape:
        return False, math.inf
    g64 = g.astype(np.float64)
    e64 = expected.astype(np.float64)
    diff = float(np.max(np.abs(g64 - e64))) if g.size else 0.0
    ok = bool(np.allclose(g64, e64, rtol=rtol, atol=atol, equal_nan=True))
    return ok, diff


def result_tolerance(x: Any) -> tuple[float, float]:
    """(rtol, atol) for results of x's dtype: exact for integers and bools, a few roundings
    accumulated for floats (sums in another order included)."""
    dt = np.asarray(x).dtype
    if dt.kind in "biu":
        return 0.0, 0.0
    return (1e-4, 1e-6) if dt.itemsize <= 4 or dt == np.complex64 else (1e-9, 1e-12)
