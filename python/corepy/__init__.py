"""corepy: a performance lab for Python numerics.

Tensors with a Rust core and C++ SIMD kernels chosen at run time; see DESIGN.md for the contract.
"""

from . import bench, lab
from ._core import (
    Tensor,
    __version__,
    add,
    all,
    any,
    bool_,
    config,
    cpu_features,
    div,
    dot,
    float32,
    float64,
    get_isa,
    get_num_threads,
    int32,
    int64,
    machine,
    matmul,
    mean,
    mul,
    set_isa,
    set_num_threads,
    sub,
    sum,
)
from ._magic import load_ipython_extension
from .profile import profile
from .tune import load_tuned as _load_tuned
from .tune import tune

_load_tuned()

__all__ = [
    "Tensor",
    "__version__",
    "add",
    "all",
    "any",
    "bench",
    "bool_",
    "config",
    "cpu_features",
    "div",
    "dot",
    "float32",
    "float64",
    "get_isa",
    "get_num_threads",
    "int32",
    "int64",
    "lab",
    "machine",
    "matmul",
    "mean",
    "mul",
    "profile",
    "set_isa",
    "set_num_threads",
    "sub",
    "sum",
    "tune",
    "load_ipython_extension",
]
