"""corepy: a performance lab for Python numerics.

Tensors with a Rust core and C++ SIMD kernels chosen at run time, and a conforming namespace of
the Python array API standard (``import corepy as xp``); see DESIGN.md for the contract.
"""

import sys as _sys

from . import (
    fft,  # the fft extension of the standard (corepy.fft)
    linalg,  # the linalg extension of the standard (corepy.linalg)
)
from ._api import *  # noqa: F403 (the namespace functions, listed in _api.__all__)
from ._api import __all__ as _api_all
from ._api import __array_api_version__, __array_namespace_info__
from ._core import (
    AxisError,
    Tensor,
    __version__,
    abs,
    acos,
    acosh,
    add,
    all,
    any,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    bitwise_and,
    bitwise_invert,
    bitwise_left_shift,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    ceil,
    config,
    conj,
    copysign,
    cos,
    cosh,
    cpu_features,
    divide,
    dot,
    equal,
    exp,
    expm1,
    floor,
    floor_divide,
    get_isa,
    get_num_threads,
    greater,
    greater_equal,
    hypot,
    imag,
    isfinite,
    isinf,
    isnan,
    less,
    less_equal,
    log,
    log1p,
    log2,
    log10,
    logaddexp,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    matmul,
    maximum,
    mean,
    minimum,
    multiply,
    negative,
    nextafter,
    not_equal,
    positive,
    pow,
    real,
    reciprocal,
    remainder,
    round,
    set_isa,
    set_num_threads,
    sign,
    signbit,
    sin,
    sinh,
    sqrt,
    square,
    subtract,
    sum,
    tan,
    tanh,
    trunc,
    where,
)
from ._dtype import DTYPES as _DTYPES
from ._machine import machine
from ._magic import load_ipython_extension
from ._products import tensordot, vecdot
from ._protocols import install_methods as _install_methods
from ._reductions import *  # noqa: F403 (the statistical functions: _reductions.__all__)
from ._reductions import __all__ as _reductions_all
from ._sorting import *  # noqa: F403 (sorting, searching, sets: _sorting.__all__)
from ._sorting import __all__ as _sorting_all
from .profile import profile
from .tune import load_tuned as _load_tuned
from .tune import tune

# The dtype objects Tensor.dtype returns (a str with NumPy's dtype attributes: _dtype.py).
bool, int8, int16, int32, int64 = (_DTYPES[n] for n in ("bool", "int8", "int16", "int32", "int64"))
uint8, uint16, uint32, uint64 = (_DTYPES[n] for n in ("uint8", "uint16", "uint32", "uint64"))
float32, float64, complex64, complex128 = (
    _DTYPES[n] for n in ("float32", "float64", "complex64", "complex128")
)
Array = Tensor
bool_ = bool
# Short names kept from corepy's first API.
sub, mul, div = subtract, multiply, divide

_load_tuned()
_install_methods()

# Tensor as a Dask chunk type: registered by importing corepy.dask, done here when dask.array is
# already in use (a Dask worker unpickling corepy tasks), so dispatch finds corepy's functions.
if "dask.array" in _sys.modules:
    from . import dask as _dask  # noqa: F401

__all__ = [
    "Array",
    "AxisError",
    "Tensor",
    "__array_api_version__",
    "__array_namespace_info__",
    "__version__",
    "abs",
    "acos",
    "acosh",
    "add",
    "all",
    "any",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "bench",  # noqa: F405 (loaded on first use: __getattr__)
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "bool",
    "bool_",
    "ceil",
    "complex128",
    "complex64",
    "config",
    "conj",
    "copysign",
    "cos",
    "cosh",
    "cpu_features",
    "div",
    "divide",
    "dot",
    "equal",
    "exp",
    "expm1",
    "fft",
    "float32",
    "float64",
    "floor",
    "floor_divide",
    "get_isa",
    "get_num_threads",
    "greater",
    "greater_equal",
    "hypot",
    "imag",
    "int16",
    "int32",
    "int64",
    "int8",
    "isfinite",
    "isinf",
    "isnan",
    "lab",  # noqa: F405 (loaded on first use: __getattr__)
    "linalg",
    "less",
    "less_equal",
    "load_ipython_extension",
    "log",
    "log10",
    "log1p",
    "log2",
    "logaddexp",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "machine",
    "matmul",
    "maximum",
    "mean",
    "minimum",
    "mul",
    "multiply",
    "negative",
    "nextafter",
    "not_equal",
    "positive",
    "pow",
    "profile",
    "real",
    "reciprocal",
    "remainder",
    "round",
    "set_isa",
    "set_num_threads",
    "sign",
    "signbit",
    "sin",
    "sinh",
    "sqrt",
    "square",
    "sub",
    "subtract",
    "sum",
    "tan",
    "tanh",
    "trunc",
    "tune",
    "uint16",
    "uint32",
    "uint64",
    "uint8",
    "where",
    *_api_all,
    *_sorting_all,
    "tensordot",
    "vecdot",
    *_reductions_all,
]


def __getattr__(name: str):
    # The lab (cp.bench, cp.lab) loads on first use: `import corepy` does not pay for it.
    if name in ("bench", "lab"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
