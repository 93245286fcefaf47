"""Type stub for corepy's public API: a namespace of the Python array API standard 2025.12 plus
corepy's own additions (the matmul ladder, runtime controls, profiler and lab).

The Tensor class, the element-wise functions, reductions, matmul and the runtime controls come
from the Rust extension corepy._core; the other namespace functions from corepy/_api.py.
tests/test_stubs.py checks this file against the runtime.
"""

import builtins
import sys
from collections.abc import Callable, Iterator, Sequence
from types import EllipsisType, ModuleType
from typing import (
    Any,
    ClassVar,
    Final,
    Literal,
    NamedTuple,
    Protocol,
    SupportsIndex,
    TypeAlias,
    TypedDict,
    TypeVar,
    overload,
    type_check_only,
)

import numpy as np
import numpy.typing as npt

from . import bench as bench  # the lab: cp.bench.compare, roofline, save/load (pure Python)
from . import fft as fft  # the array API's fft extension (its stubs: fft.pyi)
from . import lab as lab  # cp.lab.cache_profile: cache misses per kernel under cachegrind
from . import linalg as linalg  # the standard's linalg extension (python/corepy/linalg.pyi)
from .profile import Profile

if sys.version_info >= (3, 12):
    from collections.abc import Buffer
else:
    from typing_extensions import Buffer

if sys.version_info >= (3, 11):
    from typing import Self
else:
    from typing_extensions import Self

# `bool` is the dtype constant in this module, so the Python type is spelled `_Bool`.
_Bool: TypeAlias = builtins.bool

# ---------------------------------------------------------------------------- type aliases
# Stub-only names (private: nothing of these exists at run time).

_DTypeName: TypeAlias = Literal[
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
]
# A dtype: its name ("float32", also NumPy spellings such as "f4" or "<f4"), a NumPy dtype or
# scalar type, or a Python type (bool, int -> int64, float -> float64, complex -> complex128).
_DTypeLike: TypeAlias = (
    _DTypeName
    | str
    | np.dtype[Any]
    | type[np.generic]
    | type[_Bool]
    | type[int]
    | type[float]
    | type[complex]
)
_DTypeKind: TypeAlias = Literal[
    "bool",
    "signed integer",
    "unsigned integer",
    "integral",
    "real floating",
    "complex floating",
    "numeric",
]
_Device: TypeAlias = Literal["cpu"]
_IsaName: TypeAlias = Literal["scalar", "avx2", "avx512"]
# Python scalars are weak (NEP 50): they take the other operand's dtype where their kind allows.
_Scalar: TypeAlias = _Bool | int | float | complex
# What functions accept: Tensors, any buffer-protocol object (NumPy arrays, bytes-like objects
# with dtype=, array.array, memoryview) in any layout, nested sequences and Python scalars.
_ArrayLike: TypeAlias = Tensor | Buffer | npt.NDArray[Any] | Sequence[Any] | _Scalar
# What the operators accept (anything else gives NotImplemented): the same, with nested lists
# and tuples as the only sequences.
_Operand: TypeAlias = Tensor | Buffer | npt.NDArray[Any] | list[Any] | tuple[Any, ...] | _Scalar
_ShapeLike: TypeAlias = SupportsIndex | Sequence[SupportsIndex]
_Axes: TypeAlias = int | tuple[int, ...]
# One item of an index: basic items (int, slice, ..., None) give views; integer arrays and
# boolean masks (Tensors, NumPy arrays, lists) copy on read and scatter on write.
_IndexItem: TypeAlias = (
    SupportsIndex
    | slice
    | EllipsisType
    | None
    | Tensor
    | npt.NDArray[np.integer[Any] | np.bool_]
    | list[Any]
)
_Key: TypeAlias = _IndexItem | tuple[_IndexItem, ...]
# An `out=` argument: any writable buffer of the result's shape and dtype; it is returned.
_OutT = TypeVar("_OutT", bound=Tensor | npt.NDArray[Any] | Buffer)

@type_check_only
class _SupportsDLPack(Protocol):
    def __dlpack__(self, *, stream: Any = None) -> Any: ...
    def __dlpack_device__(self) -> tuple[int, int]: ...

# ---------------------------------------------------------------------------- constants

__version__: str
__array_api_version__: Final = "2025.12"

# dtypes are their NumPy names: `cp.float32 == "float32" == np.dtype("float32")`, a str (at run
# time corepy._dtype.DType) with NumPy's dtype attributes (`cp.float32.kind == "f"`) for code
# that reads them, as Dask does. `Tensor.dtype` is one of these objects.
@type_check_only
class _DType(str):
    @property
    def kind(self) -> str: ...
    @property
    def itemsize(self) -> int: ...
    @property
    def char(self) -> str: ...
    @property
    def type(self) -> type[np.generic]: ...
    @property
    def name(self) -> str: ...
    @property
    def str(self) -> builtins.str: ...
    def numpy(self) -> np.dtype[Any]:
        """The NumPy dtype of the same name."""

bool: Final[_DType]
int8: Final[_DType]
int16: Final[_DType]
int32: Final[_DType]
int64: Final[_DType]
uint8: Final[_DType]
uint16: Final[_DType]
uint32: Final[_DType]
uint64: Final[_DType]
float32: Final[_DType]
float64: Final[_DType]
complex64: Final[_DType]
complex128: Final[_DType]
bool_ = bool  # alias of `bool` kept from corepy's first API

e: Final[float]
pi: Final[float]
inf: Final[float]
nan: Final[float]
newaxis: Final = None

class AxisError(ValueError, IndexError):
    """An axis out of range for the tensor's number of dimensions (as NumPy's AxisError)."""

# ---------------------------------------------------------------------------- the array

class Tensor:
    """An n-d strided view over shared storage (shape, strides that may be negative or zero,
    offset) of one of the 13 dtypes.

    Basic indexing, ``.T``, ``.mT``, ``permute_dims``, ``expand_dims``, ``squeeze``,
    ``broadcast_to``, ``flip`` and ``reshape`` (when the layout allows) return views without a
    copy; integer-array and boolean-mask indexing copy; ``t[key] = v`` writes through views.

    Built from any buffer-protocol object (NumPy arrays included) it wraps every layout NumPy can
    describe zero-copy (``is_view``) and keeps the exporter alive; read-only buffers stay
    read-only (writes raise ValueError). Untyped byte buffers need ``dtype`` and are read in
    place. A ``dtype`` that differs from a typed buffer's converts (a copy); ``copy=False`` raises
    ValueError when a copy is needed, ``copy=True`` always copies. Nested sequences and Python
    scalars are parsed as NumPy would, then copied.

    Operators promote by the standard's table (NumPy 2 rules where it is silent), with Python
    scalars weak (NEP 50): ``float32_tensor * 2.0`` stays float32. ``np.asarray(t)`` and
    ``memoryview(t)`` are zero-copy, with strides.
    """

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(
        self, obj: _ArrayLike, dtype: _DTypeLike | None = None, copy: _Bool | None = None
    ) -> None: ...
    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def strides(self) -> tuple[int, ...]:
        """Strides in bytes, as NumPy reports them (negative for reversed axes, 0 where
        broadcast)."""
    @property
    def ndim(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def nbytes(self) -> int: ...
    @property
    def itemsize(self) -> int: ...
    @property
    def dtype(self) -> _DType:
        """The dtype: its NumPy name as a str, with NumPy's dtype attributes (``kind`` ...)."""
    @property
    def device(self) -> _Device: ...
    @property
    def T(self) -> Tensor:
        """The transpose of a 2-D tensor, a view (ValueError for other ranks: use ``mT``)."""
    @property
    def mT(self) -> Tensor:
        """The last two axes swapped, a view (ValueError below 2 dimensions)."""
    @property
    def is_view(self) -> _Bool:
        """True when the memory belongs to a foreign exporter (a NumPy array, bytearray ...)
        wrapped without a copy; False for memory corepy allocated, views of it included."""
    @property
    def readonly(self) -> _Bool: ...
    @property
    def is_contiguous(self) -> _Bool:
        """True when the layout is C-contiguous."""
    def to_device(self, device: _Device, /, *, stream: Any = None) -> Self:
        """Returns the tensor itself for "cpu"; ValueError for any other device."""
    def __array_namespace__(self, *, api_version: str | None = None) -> ModuleType:
        """The `corepy` module (ValueError for an unknown `api_version`)."""
    def __array__(
        self, dtype: npt.DTypeLike | None = None, copy: _Bool | None = None
    ) -> npt.NDArray[Any]:
        """NumPy's protocol: zero-copy unless a dtype conversion or a copy is asked for."""
    def __dlpack__(
        self,
        *,
        stream: None = None,
        max_version: tuple[int, int] | None = None,
        dl_device: tuple[int, int] | None = None,
        copy: _Bool | None = None,
    ) -> Any:
        """A DLPack capsule over this tensor's memory (versioned when `max_version` allows);
        the capsule keeps the tensor alive."""
    def __dlpack_device__(self) -> tuple[int, int]:
        """(1, 0): kDLCPU, device 0."""
    def numpy(self) -> npt.NDArray[Any]:
        """A zero-copy NumPy view (the same as ``np.asarray(t)``)."""
    def tolist(self) -> Any: ...
    def reshape(
        self, *shape: SupportsIndex | Sequence[SupportsIndex], copy: _Bool | None = None
    ) -> Tensor:
        """``t.reshape(2, 3)`` or ``t.reshape((2, 3))``; one -1 is inferred. A view when the
        layout allows, else a copy; ``copy=False`` raises ValueError when a copy is needed,
        ``copy=True`` always copies."""
    def astype(self, dtype: _DTypeLike, /, *, copy: _Bool = True) -> Tensor:
        """A converted copy; ``copy=False`` returns the tensor itself when the dtype matches."""
    # Reductions (the module functions on this tensor): always a Tensor, 0-d for axis=None.
    def sum(
        self,
        axis: _Axes | None = None,
        *,
        dtype: _DTypeLike | None = None,
        keepdims: _Bool = False,
    ) -> Tensor: ...
    def mean(self, axis: _Axes | None = None, *, keepdims: _Bool = False) -> Tensor: ...
    def all(self, axis: _Axes | None = None, *, keepdims: _Bool = False) -> Tensor: ...
    def any(self, axis: _Axes | None = None, *, keepdims: _Bool = False) -> Tensor: ...
    def __len__(self) -> int:
        """The length of the first axis (TypeError for a 0-d tensor)."""
    def __iter__(self) -> Iterator[Tensor]: ...
    def __getitem__(self, key: _Key, /) -> Tensor:
        """Basic indices give a view (a 0-d Tensor for a full integer index); integer arrays
        and boolean masks give a copy."""
    def __setitem__(self, key: _Key, value: _ArrayLike, /) -> None:
        """Writes `value` (broadcast and cast) through this view."""
    # One-element tensors only (ValueError otherwise, as NumPy).
    def __bool__(self) -> _Bool: ...
    def __int__(self) -> int: ...
    def __float__(self) -> float: ...
    def __complex__(self) -> complex: ...
    def __index__(self) -> int:
        """Integer dtypes only (TypeError otherwise)."""
    def __repr__(self) -> str: ...
    def __format__(self, format_spec: str, /) -> str:
        """A 0-d tensor formats as its Python scalar (``f"{cp.sum(x):.3f}"``), others as str()."""
    # The buffer protocol (a C slot; visible as these methods from Python 3.12): zero-copy with
    # strides; asking for a C-contiguous buffer of a non-contiguous tensor raises BufferError.
    def __buffer__(self, flags: int, /) -> memoryview: ...
    def __release_buffer__(self, buffer: memoryview, /) -> None: ...
    def __add__(self, other: _Operand, /) -> Tensor: ...
    def __radd__(self, other: _Operand, /) -> Tensor: ...
    def __iadd__(self, other: _Operand, /) -> Self: ...
    def __sub__(self, other: _Operand, /) -> Tensor: ...
    def __rsub__(self, other: _Operand, /) -> Tensor: ...
    def __isub__(self, other: _Operand, /) -> Self: ...
    def __mul__(self, other: _Operand, /) -> Tensor: ...
    def __rmul__(self, other: _Operand, /) -> Tensor: ...
    def __imul__(self, other: _Operand, /) -> Self: ...
    def __truediv__(self, other: _Operand, /) -> Tensor: ...
    def __rtruediv__(self, other: _Operand, /) -> Tensor: ...
    def __itruediv__(self, other: _Operand, /) -> Self: ...
    # Comparisons give bool tensors.
    def __eq__(self, other: _Operand, /) -> Tensor: ...  # type: ignore[override]
    def __ne__(self, other: _Operand, /) -> Tensor: ...  # type: ignore[override]
    def __lt__(self, other: _Operand, /) -> Tensor: ...
    def __le__(self, other: _Operand, /) -> Tensor: ...
    def __gt__(self, other: _Operand, /) -> Tensor: ...
    def __ge__(self, other: _Operand, /) -> Tensor: ...
    # ** // % & | ^ << >>: pow, floor_divide, remainder and the bitwise functions.
    def __pow__(self, other: _Operand, mod: None = None, /) -> Tensor: ...
    def __rpow__(self, other: _Operand, mod: None = None, /) -> Tensor: ...
    def __ipow__(self, other: _Operand, /) -> Self: ...
    def __floordiv__(self, other: _Operand, /) -> Tensor: ...
    def __rfloordiv__(self, other: _Operand, /) -> Tensor: ...
    def __ifloordiv__(self, other: _Operand, /) -> Self: ...
    def __mod__(self, other: _Operand, /) -> Tensor: ...
    def __rmod__(self, other: _Operand, /) -> Tensor: ...
    def __imod__(self, other: _Operand, /) -> Self: ...
    def __and__(self, other: _Operand, /) -> Tensor: ...
    def __rand__(self, other: _Operand, /) -> Tensor: ...
    def __iand__(self, other: _Operand, /) -> Self: ...
    def __or__(self, other: _Operand, /) -> Tensor: ...
    def __ror__(self, other: _Operand, /) -> Tensor: ...
    def __ior__(self, other: _Operand, /) -> Self: ...
    def __xor__(self, other: _Operand, /) -> Tensor: ...
    def __rxor__(self, other: _Operand, /) -> Tensor: ...
    def __ixor__(self, other: _Operand, /) -> Self: ...
    def __lshift__(self, other: _Operand, /) -> Tensor: ...
    def __rlshift__(self, other: _Operand, /) -> Tensor: ...
    def __ilshift__(self, other: _Operand, /) -> Self: ...
    def __rshift__(self, other: _Operand, /) -> Tensor: ...
    def __rrshift__(self, other: _Operand, /) -> Tensor: ...
    def __irshift__(self, other: _Operand, /) -> Self: ...
    def __neg__(self) -> Tensor: ...
    def __pos__(self) -> Tensor:
        """A copy."""
    def __abs__(self) -> Tensor: ...
    def __invert__(self) -> Tensor: ...
    # Matrix product (every numeric dtype; not with Python scalars): 1-D @ 1-D gives a 0-d
    # tensor. `@=` writes the product into self and keeps its shape and dtype.
    def __matmul__(
        self, other: Tensor | Buffer | npt.NDArray[Any] | list[Any] | tuple[Any, ...], /
    ) -> Tensor: ...
    def __rmatmul__(
        self, other: Tensor | Buffer | npt.NDArray[Any] | list[Any] | tuple[Any, ...], /
    ) -> Tensor: ...
    def __imatmul__(
        self, other: Tensor | Buffer | npt.NDArray[Any] | list[Any] | tuple[Any, ...], /
    ) -> Self: ...
    # ---- NumPy and Dask interoperability (corepy/_protocols.py) ----
    # NumPy's binary operators defer to the tensor: ndarray + tensor is a tensor.
    __array_priority__: ClassVar[float]
    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """NEP 13: a NumPy ufunc (``__call__``, ``reduce``, ``accumulate``) runs corepy's
        function of the same meaning and returns a Tensor; NotImplemented (NumPy raises
        TypeError) where corepy has none or for arguments it does not take (``where=``)."""
    def __array_function__(
        self, func: Callable[..., Any], types: Any, args: Any, kwargs: Any
    ) -> Any:
        """NEP 18: np.sum, np.concatenate, np.tensordot, np.where, np.zeros_like ... over
        tensors run corepy's and return Tensors; NotImplemented (TypeError) where corepy has no
        such function. ``np.asarray(t)`` stays the zero-copy way to NumPy."""
    def __reduce_ex__(self, protocol_version: SupportsIndex, /) -> tuple[Any, ...]:
        """Pickling: protocol 5 hands pickle a PickleBuffer over the tensor's memory
        (out-of-band, no copy, with a buffer_callback: PEP 574; a strided view is made
        contiguous first); protocols 0-4 carry the bytes in-band."""
    # NumPy's ndarray methods of these names (Dask calls them on chunks); each returns a Tensor.
    def squeeze(self, axis: int | tuple[int, ...] | None = None) -> Tensor: ...
    def copy(self) -> Tensor: ...
    def ravel(self) -> Tensor: ...
    def flatten(self) -> Tensor: ...
    def transpose(self, *axes: int | Sequence[int] | None) -> Tensor: ...
    def swapaxes(self, axis1: int, axis2: int) -> Tensor: ...
    def max(
        self,
        axis: _Axes | None = None,
        out: Tensor | npt.NDArray[Any] | None = None,
        keepdims: _Bool = False,
    ) -> Tensor: ...
    def min(
        self,
        axis: _Axes | None = None,
        out: Tensor | npt.NDArray[Any] | None = None,
        keepdims: _Bool = False,
    ) -> Tensor: ...
    def prod(
        self,
        axis: _Axes | None = None,
        dtype: _DTypeLike | None = None,
        out: Tensor | npt.NDArray[Any] | None = None,
        keepdims: _Bool = False,
    ) -> Tensor: ...
    def std(
        self,
        axis: _Axes | None = None,
        dtype: _DTypeLike | None = None,
        out: Tensor | npt.NDArray[Any] | None = None,
        ddof: float = 0,
        keepdims: _Bool = False,
    ) -> Tensor: ...
    def var(
        self,
        axis: _Axes | None = None,
        dtype: _DTypeLike | None = None,
        out: Tensor | npt.NDArray[Any] | None = None,
        ddof: float = 0,
        keepdims: _Bool = False,
    ) -> Tensor: ...
    def argmax(
        self, axis: int | None = None, out: None = None, *, keepdims: _Bool = False
    ) -> Tensor: ...
    def argmin(
        self, axis: int | None = None, out: None = None, *, keepdims: _Bool = False
    ) -> Tensor: ...
    def cumsum(
        self, axis: int | None = None, dtype: _DTypeLike | None = None, out: None = None
    ) -> Tensor: ...
    def cumprod(
        self, axis: int | None = None, dtype: _DTypeLike | None = None, out: None = None
    ) -> Tensor: ...
    def clip(
        self, min: _Scalar | Tensor | None = None, max: _Scalar | Tensor | None = None
    ) -> Tensor: ...
    def round(self, decimals: int = 0) -> Tensor: ...
    def repeat(self, repeats: int | Tensor, axis: int | None = None) -> Tensor: ...
    def take(self, indices: _ArrayLike, axis: int | None = None) -> Tensor: ...
    def nonzero(self) -> tuple[Tensor, ...]: ...
    def dot(self, b: _ArrayLike) -> Tensor: ...

Array: TypeAlias = Tensor

# ---------------------------------------------------------------------------- element-wise
# With broadcasting and type promotion (Python scalars weak, NEP 50). `out` is any writable
# buffer (a corepy Tensor or a NumPy array) of exactly the result's shape and dtype; it is
# written in place and returned. divide of integers gives float64; comparisons give bool.

@overload
def add(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def add(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def subtract(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def subtract(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def multiply(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def multiply(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def divide(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def divide(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def equal(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def equal(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def not_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def not_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def less(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def less(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def less_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def less_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def greater(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def greater(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def greater_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def greater_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...

# Short names kept from corepy's first API.

# The standard's other element-wise functions (same rules; integer inputs of the float
# functions compute in float64; logical_* read truth values; isnan, isinf, isfinite, signbit and
# logical_not give bool; abs of complex gives its real dtype).
@overload
def maximum(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def maximum(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def minimum(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def minimum(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def pow(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def pow(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def remainder(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def remainder(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def floor_divide(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def floor_divide(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def atan2(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def atan2(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def hypot(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def hypot(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def copysign(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def copysign(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def nextafter(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def nextafter(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def logaddexp(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def logaddexp(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def bitwise_and(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def bitwise_and(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def bitwise_or(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def bitwise_or(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def bitwise_xor(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def bitwise_xor(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def bitwise_left_shift(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def bitwise_left_shift(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def bitwise_right_shift(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def bitwise_right_shift(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def logical_and(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def logical_and(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def logical_or(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def logical_or(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def logical_xor(x1: _ArrayLike, x2: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def logical_xor(x1: _ArrayLike, x2: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def negative(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def negative(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def positive(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def positive(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def abs(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def abs(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def square(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def square(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def reciprocal(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def reciprocal(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def sign(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def sign(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def floor(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def floor(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def ceil(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def ceil(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def trunc(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def trunc(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def round(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def round(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def sqrt(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def sqrt(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def isnan(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def isnan(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def isinf(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def isinf(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def isfinite(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def isfinite(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def signbit(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def signbit(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def logical_not(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def logical_not(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def bitwise_invert(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def bitwise_invert(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def conj(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def conj(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def exp(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def exp(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def expm1(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def expm1(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def log(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def log(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def log1p(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def log1p(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def log2(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def log2(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def log10(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def log10(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def sin(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def sin(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def cos(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def cos(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def tan(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def tan(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def asin(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def asin(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def acos(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def acos(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def atan(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def atan(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def sinh(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def sinh(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def cosh(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def cosh(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def tanh(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def tanh(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def asinh(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def asinh(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def acosh(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def acosh(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
@overload
def atanh(x: _ArrayLike, /, out: None = None) -> Tensor: ...
@overload
def atanh(x: _ArrayLike, /, out: _OutT) -> _OutT: ...
def where(condition: _ArrayLike, x1: _ArrayLike, x2: _ArrayLike, /) -> Tensor: ...
def real(x: _ArrayLike, /) -> Tensor: ...
def imag(x: _ArrayLike, /) -> Tensor: ...
def clip(
    x: _ArrayLike, /, min: _ArrayLike | None = None, max: _ArrayLike | None = None
) -> Tensor: ...

sub = subtract
mul = multiply
div = divide

# ---------------------------------------------------------------------------- reductions
# Statistical functions, arg-reductions and cumulative ops (issue 16): results are Tensors (0-d for
# axis=None). axis: an int or a tuple of ints (argmin/argmax/cumulative_*: one int); a repeated
# axis is a ValueError, one out of range corepy.AxisError. Sums and products of integers
# accumulate in int64 (uint64 for unsigned, int64 for bool); mean takes floating-point input,
# std/var real floating-point (TypeError otherwise); min/max/argmin/argmax of zero elements are
# a ValueError; NaN propagates through min/max and wins argmin/argmax (first occurrence).

@overload
def sum(
    x: _ArrayLike,
    /,
    axis: _Axes | None = None,
    *,
    dtype: _DTypeLike | None = None,
    keepdims: _Bool = False,
    out: None = None,
) -> Tensor: ...
@overload
def sum(
    x: _ArrayLike,
    /,
    axis: _Axes | None = None,
    *,
    dtype: _DTypeLike | None = None,
    keepdims: _Bool = False,
    out: _OutT,
) -> _OutT: ...
@overload
def prod(
    x: _ArrayLike,
    /,
    axis: _Axes | None = None,
    *,
    dtype: _DTypeLike | None = None,
    keepdims: _Bool = False,
    out: None = None,
) -> Tensor: ...
@overload
def prod(
    x: _ArrayLike,
    /,
    axis: _Axes | None = None,
    *,
    dtype: _DTypeLike | None = None,
    keepdims: _Bool = False,
    out: _OutT,
) -> _OutT: ...
@overload
def mean(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: None = None
) -> Tensor: ...
@overload
def mean(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: _OutT
) -> _OutT: ...
@overload
def min(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: None = None
) -> Tensor: ...
@overload
def min(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: _OutT
) -> _OutT: ...
@overload
def max(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: None = None
) -> Tensor: ...
@overload
def max(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: _OutT
) -> _OutT: ...
@overload
def all(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: None = None
) -> Tensor: ...
@overload
def all(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: _OutT
) -> _OutT: ...
@overload
def any(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: None = None
) -> Tensor: ...
@overload
def any(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False, out: _OutT
) -> _OutT: ...
@overload
def var(
    x: _ArrayLike,
    /,
    axis: _Axes | None = None,
    *,
    correction: float = 0.0,
    keepdims: _Bool = False,
    out: None = None,
) -> Tensor: ...
@overload
def var(
    x: _ArrayLike,
    /,
    axis: _Axes | None = None,
    *,
    correction: float = 0.0,
    keepdims: _Bool = False,
    out: _OutT,
) -> _OutT: ...
@overload
def std(
    x: _ArrayLike,
    /,
    axis: _Axes | None = None,
    *,
    correction: float = 0.0,
    keepdims: _Bool = False,
    out: None = None,
) -> Tensor: ...
@overload
def std(
    x: _ArrayLike,
    /,
    axis: _Axes | None = None,
    *,
    correction: float = 0.0,
    keepdims: _Bool = False,
    out: _OutT,
) -> _OutT: ...
def count_nonzero(
    x: _ArrayLike, /, axis: _Axes | None = None, *, keepdims: _Bool = False
) -> Tensor:
    """Elements that are not zero (int64)."""

def argmax(x: _ArrayLike, /, axis: int | None = None, *, keepdims: _Bool = False) -> Tensor:
    """int64 index of the first maximum (flat C-order index for axis=None)."""

def argmin(x: _ArrayLike, /, axis: int | None = None, *, keepdims: _Bool = False) -> Tensor:
    """int64 index of the first minimum (flat C-order index for axis=None)."""

def cumulative_sum(
    x: _ArrayLike,
    /,
    *,
    axis: int | None = None,
    dtype: _DTypeLike | None = None,
    include_initial: _Bool = False,
) -> Tensor: ...
def cumulative_prod(
    x: _ArrayLike,
    /,
    *,
    axis: int | None = None,
    dtype: _DTypeLike | None = None,
    include_initial: _Bool = False,
) -> Tensor: ...
def diff(
    x: _ArrayLike,
    /,
    *,
    axis: int = -1,
    n: int = 1,
    prepend: _ArrayLike | None = None,
    append: _ArrayLike | None = None,
) -> Tensor: ...

# ---------------------------------------------------------------------------- linear algebra

def dot(a: _ArrayLike, b: _ArrayLike) -> float:
    """The inner product of two 1-D float32/float64 vectors, as a Python float."""

def matmul(
    a: _ArrayLike,
    b: _ArrayLike,
    algorithm: Literal["naive", "blocked", "packed", "simd", "auto"] = "auto",
) -> Tensor:
    """NumPy's matmul rules (float32/float64; 1-D @ 1-D gives a 0-d tensor); `algorithm`
    picks a rung of the teaching ladder, every rung computing the same product."""

# ---------------------------------------------------------------------------- creation
# `device` is "cpu" or None (ValueError otherwise). Default dtypes: float64, int64.

def asarray(
    obj: _ArrayLike,
    /,
    *,
    dtype: _DTypeLike | None = None,
    device: _Device | None = None,
    copy: _Bool | None = None,
) -> Tensor:
    """A Tensor is returned as is unless `dtype` differs or ``copy=True``; other inputs as
    ``Tensor(obj, dtype, copy)`` (buffers wrapped zero-copy in any layout)."""

def empty(
    shape: _ShapeLike, *, dtype: _DTypeLike | None = None, device: _Device | None = None
) -> Tensor: ...
def zeros(
    shape: _ShapeLike, *, dtype: _DTypeLike | None = None, device: _Device | None = None
) -> Tensor: ...
def ones(
    shape: _ShapeLike, *, dtype: _DTypeLike | None = None, device: _Device | None = None
) -> Tensor: ...
def full(
    shape: _ShapeLike,
    fill_value: _Scalar | Tensor,
    *,
    dtype: _DTypeLike | None = None,
    device: _Device | None = None,
) -> Tensor:
    """Without `dtype`, the fill value's: bool, int64, float64, complex128 or a 0-d tensor's."""

def empty_like(
    x: Tensor, /, *, dtype: _DTypeLike | None = None, device: _Device | None = None
) -> Tensor: ...
def zeros_like(
    x: Tensor, /, *, dtype: _DTypeLike | None = None, device: _Device | None = None
) -> Tensor: ...
def ones_like(
    x: Tensor, /, *, dtype: _DTypeLike | None = None, device: _Device | None = None
) -> Tensor: ...
def full_like(
    x: Tensor,
    /,
    fill_value: _Scalar | Tensor,
    *,
    dtype: _DTypeLike | None = None,
    device: _Device | None = None,
) -> Tensor: ...
def arange(
    start: int | float,
    /,
    stop: int | float | None = None,
    step: int | float = 1,
    *,
    dtype: _DTypeLike | None = None,
    device: _Device | None = None,
) -> Tensor:
    """int64 when every argument is an int, else float64 (unless `dtype` says otherwise)."""

def linspace(
    start: complex,
    stop: complex,
    /,
    num: SupportsIndex,
    *,
    dtype: _DTypeLike | None = None,
    device: _Device | None = None,
    endpoint: _Bool = True,
) -> Tensor: ...
def eye(
    n_rows: SupportsIndex,
    n_cols: SupportsIndex | None = None,
    /,
    *,
    k: int = 0,
    dtype: _DTypeLike | None = None,
    device: _Device | None = None,
) -> Tensor: ...
def tril(x: _ArrayLike, /, *, k: int = 0) -> Tensor: ...
def triu(x: _ArrayLike, /, *, k: int = 0) -> Tensor: ...
def meshgrid(*arrays: _ArrayLike, indexing: Literal["xy", "ij"] = "xy") -> list[Tensor]: ...
def from_dlpack(
    x: _SupportsDLPack, /, *, device: _Device | None = None, copy: _Bool | None = None
) -> Tensor:
    """A tensor over the memory of any DLPack exporter (zero-copy on the CPU)."""

# ---------------------------------------------------------------------------- data types

@type_check_only
class _FInfo(NamedTuple):
    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: Literal["float32", "float64"]

@type_check_only
class _IInfo(NamedTuple):
    bits: int
    max: int
    min: int
    dtype: _DTypeName

def astype(
    x: _ArrayLike,
    dtype: _DTypeLike,
    /,
    *,
    copy: _Bool = True,
    device: _Device | None = None,
) -> Tensor: ...
def can_cast(from_: _DTypeLike | Tensor, to: _DTypeLike, /) -> _Bool: ...
def result_type(
    *arrays_and_dtypes: Tensor | npt.NDArray[Any] | _DTypeLike | _Scalar,
) -> _DTypeName:
    """The standard's promotion table; Python scalars are weak (NEP 50)."""

def finfo(type: _DTypeLike | Tensor, /) -> _FInfo:
    """Floating-point limits (for complex dtypes, those of the real component)."""

def iinfo(type: _DTypeLike | Tensor, /) -> _IInfo: ...
def isdtype(
    dtype: _DTypeLike,
    kind: _DTypeLike | _DTypeKind | tuple[_DTypeLike | _DTypeKind, ...],
) -> _Bool: ...

_Capabilities = TypedDict(
    "_Capabilities",
    {"boolean indexing": _Bool, "data-dependent shapes": _Bool, "max dimensions": int},
)
_DefaultDTypes = TypedDict(
    "_DefaultDTypes",
    {
        "real floating": _DTypeName,
        "complex floating": _DTypeName,
        "integral": _DTypeName,
        "indexing": _DTypeName,
    },
)

@type_check_only
class _Info:
    """The namespace's capabilities, device and dtypes (corepy._api._Info at run time)."""

    def capabilities(self) -> _Capabilities: ...
    def default_device(self) -> _Device: ...
    def devices(self) -> list[_Device]: ...
    def default_dtypes(self, *, device: _Device | None = None) -> _DefaultDTypes: ...
    def dtypes(
        self,
        *,
        device: _Device | None = None,
        kind: _DTypeKind | tuple[_DTypeKind, ...] | None = None,
    ) -> dict[str, _DTypeName]: ...

def __array_namespace_info__() -> _Info: ...

# ---------------------------------------------------------------------------- manipulation
# Views where the standard allows: broadcast_to, broadcast_arrays, permute_dims,
# matrix_transpose, expand_dims, squeeze, flip, moveaxis and reshape (when the layout allows).

def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]: ...
def broadcast_to(x: _ArrayLike, /, shape: _ShapeLike) -> Tensor: ...
def broadcast_arrays(*arrays: _ArrayLike) -> list[Tensor]: ...
def permute_dims(x: _ArrayLike, /, axes: Sequence[SupportsIndex]) -> Tensor: ...
def matrix_transpose(x: _ArrayLike, /) -> Tensor: ...
def expand_dims(x: _ArrayLike, /, axis: _Axes = 0) -> Tensor: ...
def squeeze(x: _ArrayLike, /, axis: _Axes) -> Tensor: ...
def flip(x: _ArrayLike, /, *, axis: _Axes | None = None) -> Tensor: ...
def reshape(
    x: _ArrayLike, /, shape: Sequence[SupportsIndex], *, copy: _Bool | None = None
) -> Tensor: ...
def moveaxis(x: _ArrayLike, source: _Axes, destination: _Axes, /) -> Tensor: ...
def concat(arrays: Sequence[_ArrayLike], /, *, axis: int | None = 0) -> Tensor:
    """``axis=None`` flattens the inputs first."""

def stack(arrays: Sequence[_ArrayLike], /, *, axis: int = 0) -> Tensor: ...
def unstack(x: _ArrayLike, /, *, axis: int = 0) -> tuple[Tensor, ...]:
    """Views, one per index along `axis`."""

def take(x: _ArrayLike, indices: _ArrayLike, /, *, axis: int | None = None) -> Tensor: ...
def take_along_axis(x: _ArrayLike, indices: _ArrayLike, /, *, axis: int = -1) -> Tensor: ...
def repeat(x: _ArrayLike, repeats: int | _ArrayLike, /, *, axis: int | None = None) -> Tensor: ...
def tile(x: _ArrayLike, repetitions: Sequence[int], /) -> Tensor: ...
def roll(x: _ArrayLike, /, shift: _Axes, *, axis: _Axes | None = None) -> Tensor: ...

# ---------------------------------------------------------------- sorting, searching, sets
# (python/corepy/_sorting.py). NaNs sort after +inf (first when descending); -0.0 == +0.0; in the
# set functions every NaN is a distinct value.

class UniqueAllResult(NamedTuple):
    values: Tensor
    indices: Tensor
    inverse_indices: Tensor
    counts: Tensor

class UniqueCountsResult(NamedTuple):
    values: Tensor
    counts: Tensor

class UniqueInverseResult(NamedTuple):
    values: Tensor
    inverse_indices: Tensor

def sort(
    x: _ArrayLike, /, *, axis: int = -1, descending: _Bool = False, stable: _Bool = True
) -> Tensor: ...
def argsort(
    x: _ArrayLike, /, *, axis: int = -1, descending: _Bool = False, stable: _Bool = True
) -> Tensor: ...
def unique_values(x: _ArrayLike, /) -> Tensor: ...
def unique_counts(x: _ArrayLike, /) -> UniqueCountsResult: ...
def unique_inverse(x: _ArrayLike, /) -> UniqueInverseResult: ...
def unique_all(x: _ArrayLike, /) -> UniqueAllResult: ...
def isin(x1: _ArrayLike, x2: _ArrayLike, /, *, invert: _Bool = False) -> Tensor: ...
def searchsorted(
    x1: _ArrayLike,
    x2: _ArrayLike,
    /,
    *,
    side: Literal["left", "right"] = "left",
    sorter: _ArrayLike | None = None,
) -> Tensor: ...
def nonzero(x: _ArrayLike, /) -> tuple[Tensor, ...]: ...

# tensordot, vecdot (python/corepy/_products.py): on matmul, every numeric dtype.
def tensordot(
    x1: _ArrayLike,
    x2: _ArrayLike,
    /,
    *,
    axes: int | tuple[Sequence[int], Sequence[int]] = 2,
) -> Tensor: ...
def vecdot(x1: _ArrayLike, x2: _ArrayLike, /, *, axis: int = -1) -> Tensor: ...

# ---------------------------------------------------------------------------- runtime controls

def set_num_threads(n: int) -> None: ...
def get_num_threads() -> int: ...
def set_isa(name: Literal["auto", "scalar", "avx2", "avx512"]) -> None: ...
def get_isa() -> _IsaName: ...
def cpu_features() -> dict[str, _Bool]: ...
def config() -> dict[str, Any]:
    """Keys: isa, kernel_isa, kernel_library (None, or the COREPY_KERNELS_SO library in
    use), available_isas, num_threads, thresholds, arena_size, buffer_cache_limit,
    reduction_block, version."""

def machine(
    array_mb: int = 256,
    repeats: int = 5,
    *,
    levels: _Bool = True,
    cache_bytes: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Measures memory bandwidth (STREAM kernels, 1 thread and all) and peak FMA FLOP/s.

    Arrays of `array_mb` MB each: STREAM's rule is at least 4x the last-level cache (with 64 MB
    arrays a 32 MiB L3 still served a quarter of the reads here).

    Keys: array_bytes, isa, num_threads, bandwidth_gbps ({kernel: {threads: GB/s}}),
    peak_gflops ({threads: GFLOP/s}), and with `levels` a read and an add per cache level:
    levels ({"L1"|"L2"|"L3"|"DRAM": {bytes, working_set_bytes, bandwidth_gbps}}), over working
    sets of half each level (sizes from the CPU's cache description, or `cache_bytes`)."""

def tune(
    sizes: list[int] | None = None, budget: float = 0.05, save: _Bool = True, verbose: _Bool = False
) -> dict[str, int]:
    """Measures sequential vs parallel crossovers per op family; applies and stores them."""

# ---------------------------------------------------------------------------- profiling

def profile(
    flamegraph: _Bool = False,
    hz: int = 997,
    name: str | None = None,
    counters: _Bool = False,
    client: Any = None,
) -> Profile:
    """``with cp.profile(flamegraph=True) as prof:`` -- or ``@cp.profile()`` as a decorator.
    ``client=`` (a dask.distributed Client) profiles every worker too and merges them:
    ``prof.workers``, per-worker shares in ``prof.ops[op]["workers"]``, flamegraph stacks
    under each process's name, worker time in ``prof.lines`` by Dask task."""

def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext corepy``: registers the ``%%corepy_profile`` cell magic (``-f``, ``--hz N``,
    ``--name NAME`` keeps the profile, ``--diff NAME`` shows the cell against it)."""
