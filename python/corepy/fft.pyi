"""Type stubs for corepy.fft, the array API's fft extension (2025.12)."""

from collections.abc import Sequence
from typing import Literal, TypeAlias

from . import Tensor, _ArrayLike, _DTypeLike

_Norm: TypeAlias = Literal["backward", "ortho", "forward"]

__all__ = [
    "fft",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "ifft",
    "ifftn",
    "ifftshift",
    "ihfft",
    "irfft",
    "irfftn",
    "rfft",
    "rfftfreq",
    "rfftn",
]

def fft(
    x: _ArrayLike, /, *, n: int | None = None, axis: int = -1, norm: _Norm = "backward"
) -> Tensor: ...
def ifft(
    x: _ArrayLike, /, *, n: int | None = None, axis: int = -1, norm: _Norm = "backward"
) -> Tensor: ...
def fftn(
    x: _ArrayLike,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: _Norm = "backward",
) -> Tensor: ...
def ifftn(
    x: _ArrayLike,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: _Norm = "backward",
) -> Tensor: ...
def rfft(
    x: _ArrayLike, /, *, n: int | None = None, axis: int = -1, norm: _Norm = "backward"
) -> Tensor: ...
def irfft(
    x: _ArrayLike, /, *, n: int | None = None, axis: int = -1, norm: _Norm = "backward"
) -> Tensor: ...
def rfftn(
    x: _ArrayLike,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: _Norm = "backward",
) -> Tensor: ...
def irfftn(
    x: _ArrayLike,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: _Norm = "backward",
) -> Tensor: ...
def hfft(
    x: _ArrayLike, /, *, n: int | None = None, axis: int = -1, norm: _Norm = "backward"
) -> Tensor: ...
def ihfft(
    x: _ArrayLike, /, *, n: int | None = None, axis: int = -1, norm: _Norm = "backward"
) -> Tensor: ...
def fftfreq(
    n: int,
    /,
    *,
    d: float = 1.0,
    dtype: _DTypeLike | None = None,
    device: Literal["cpu"] | None = None,
) -> Tensor: ...
def rfftfreq(
    n: int,
    /,
    *,
    d: float = 1.0,
    dtype: _DTypeLike | None = None,
    device: Literal["cpu"] | None = None,
) -> Tensor: ...
def fftshift(x: _ArrayLike, /, *, axes: int | Sequence[int] | None = None) -> Tensor: ...
def ifftshift(x: _ArrayLike, /, *, axes: int | Sequence[int] | None = None) -> Tensor: ...
