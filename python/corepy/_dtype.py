"""corepy's dtype objects: what ``Tensor.dtype`` and ``cp.float32`` etc. are.

A dtype is its NumPy name as a ``str`` (so it compares equal to "float32" and to
``np.dtype("float32")``, hashes like the name and works wherever a name does), with NumPy's dtype
attributes (``kind``, ``itemsize``, ``char``, ``type``, ...) for code that reads them, as Dask
does on array chunks and metas.
"""

from __future__ import annotations

from typing import Any

from . import _core

__all__ = ["DType", "DTYPES"]

# DType::ALL order in src/dtype.rs (the kernel-table codes), which _set_dtype_objects checks.
_NAMES = (
    "float32",
    "float64",
    "int32",
    "int64",
    "bool",
    "int8",
    "int16",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "complex64",
    "complex128",
)


_NUMPY_ATTRS = frozenset(
    "kind itemsize char type num name str byteorder alignment isbuiltin isnative hasobject "
    "fields names subdtype base descr flags metadata".split()
)


class DType(str):
    """A corepy dtype: the NumPy name, with NumPy's dtype attributes (``d.kind``, ...)."""

    __slots__ = ()

    def numpy(self) -> Any:
        """The NumPy dtype of the same name."""
        import numpy as np

        return np.dtype(str(self))

    def __getattr__(self, name: str) -> Any:
        # Only names str lacks get here. Not shape/ndim: a dtype must not look like an array.
        if name not in _NUMPY_ATTRS:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self.numpy(), name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str.__eq__(self, other)
        # NumPy scalar types (np.float32) and dtypes compare as NumPy's own dtype does.
        if isinstance(other, type) or type(other).__module__ == "numpy":
            try:
                return bool(self.numpy() == other)
            except TypeError:
                return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = str.__hash__

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (_dtype, (str(self),))


DTYPES: dict[str, DType] = {n: DType(n) for n in _NAMES}


def _dtype(name: str) -> DType:
    """The dtype object of a name (unpickling)."""
    return DTYPES[name]


_core._set_dtype_objects([DTYPES[n] for n in _NAMES])
