"""Type stub of corepy.linalg, the array API standard's linear algebra extension (2025.12)."""

from collections.abc import Sequence
from typing import Literal, NamedTuple

from . import Tensor, _ArrayLike, _DTypeLike

__all__ = [
    "EigResult",
    "EighResult",
    "LinAlgError",
    "QRResult",
    "SVDResult",
    "SlogdetResult",
    "cholesky",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "trace",
    "vecdot",
    "vector_norm",
]

class LinAlgError(ValueError): ...

class EighResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor

class EigResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor

class QRResult(NamedTuple):
    Q: Tensor
    R: Tensor

class SlogdetResult(NamedTuple):
    sign: Tensor
    logabsdet: Tensor

class SVDResult(NamedTuple):
    U: Tensor
    S: Tensor
    Vh: Tensor

def cholesky(x: _ArrayLike, /, *, upper: bool = False) -> Tensor: ...
def cross(x1: _ArrayLike, x2: _ArrayLike, /, *, axis: int = -1) -> Tensor: ...
def det(x: _ArrayLike, /) -> Tensor: ...
def diagonal(x: _ArrayLike, /, *, offset: int = 0) -> Tensor: ...
def eig(x: _ArrayLike, /) -> EigResult: ...
def eigh(x: _ArrayLike, /) -> EighResult: ...
def eigvals(x: _ArrayLike, /) -> Tensor: ...
def eigvalsh(x: _ArrayLike, /) -> Tensor: ...
def inv(x: _ArrayLike, /) -> Tensor: ...
def matmul(x1: _ArrayLike, x2: _ArrayLike, /) -> Tensor: ...
def matrix_norm(
    x: _ArrayLike,
    /,
    *,
    keepdims: bool = False,
    ord: int | float | Literal["fro", "nuc"] = "fro",
) -> Tensor: ...
def matrix_power(x: _ArrayLike, n: int, /) -> Tensor: ...
def matrix_rank(x: _ArrayLike, /, *, rtol: float | _ArrayLike | None = None) -> Tensor: ...
def matrix_transpose(x: _ArrayLike, /) -> Tensor: ...
def outer(x1: _ArrayLike, x2: _ArrayLike, /) -> Tensor: ...
def pinv(x: _ArrayLike, /, *, rtol: float | _ArrayLike | None = None) -> Tensor: ...
def qr(x: _ArrayLike, /, *, mode: Literal["reduced", "complete"] = "reduced") -> QRResult: ...
def slogdet(x: _ArrayLike, /) -> SlogdetResult: ...
def solve(x1: _ArrayLike, x2: _ArrayLike, /) -> Tensor: ...
def svd(x: _ArrayLike, /, *, full_matrices: bool = True) -> SVDResult: ...
def svdvals(x: _ArrayLike, /) -> Tensor: ...
def tensordot(
    x1: _ArrayLike,
    x2: _ArrayLike,
    /,
    *,
    axes: int | tuple[Sequence[int], Sequence[int]] = 2,
) -> Tensor: ...
def trace(x: _ArrayLike, /, *, offset: int = 0, dtype: _DTypeLike | None = None) -> Tensor: ...
def vecdot(x1: _ArrayLike, x2: _ArrayLike, /, *, axis: int = -1) -> Tensor: ...
def vector_norm(
    x: _ArrayLike,
    /,
    *,
    axis: int | tuple[int, ...] | None = None,
    keepdims: bool = False,
    ord: int | float = 2,
) -> Tensor: ...
