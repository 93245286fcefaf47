"""corepy: a performance lab for Python numerics.

Tensors with a Rust core and C++ SIMD kernels chosen at run time, and a conforming namespace of
the Python array API standard (``import corepy as xp``); see DESIGN.md for the contract.
"""

from . import bench, lab
from ._api import *  # noqa: F403 (the namespace functions, listed in _api.__all__)
from ._api import __all__ as _api_all
from ._api import __array_api_version__, __array_namespace_info__
from ._core import (
    AxisError,
    Tensor,
    __version__,
    add,
    all,
    any,
    bool,
    complex64,
    complex128,
    config,
    cpu_features,
    divide,
    dot,
    equal,
    float32,
    float64,
    get_isa,
    get_num_threads,
    greater,
    greater_equal,
    int8,
    int16,
    int32,
    int64,
    less,
    less_equal,
    machine,
    matmul,
    mean,
    multiply,
    not_equal,
    set_isa,
    set_num_threads,
    subtract,
    sum,
    uint8,
    uint16,
    uint32,
    uint64,
)
from ._magic import load_ipython_extension
from ._reductions import *  # noqa: F403 (the statistical functions: _reductions.__all__)
from ._reductions import __all__ as _reductions_all
from .profile import profile
from .tune import load_tuned as _load_tuned
from .tune import tune

Array = Tensor
bool_ = bool
# Short names kept from corepy's first API.
sub, mul, div = subtract, multiply, divide

_load_tuned()

__all__ = [
    "Array",
    "AxisError",
    "Tensor",
    "__array_api_version__",
    "__array_namespace_info__",
    "__version__",
    "add",
    "all",
    "any",
    "bench",
    "bool",
    "bool_",
    "complex64",
    "complex128",
    "config",
    "cpu_features",
    "div",
    "divide",
    "dot",
    "equal",
    "float32",
    "float64",
    "get_isa",
    "get_num_threads",
    "greater",
    "greater_equal",
    "int8",
    "int16",
    "int32",
    "int64",
    "lab",
    "less",
    "less_equal",
    "load_ipython_extension",
    "machine",
    "matmul",
    "mean",
    "mul",
    "multiply",
    "not_equal",
    "profile",
    "set_isa",
    "set_num_threads",
    "sub",
    "subtract",
    "sum",
    "tune",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    *_api_all,
    *_reductions_all,
]
