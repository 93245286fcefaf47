"""The fft extension of the array API standard (2025.12): ``corepy.fft``.

Transforms are computed by rustfft (complex) and realfft (real) in corepy's Rust core, which
decides everything around them: validation, cropping and zero-padding to ``n``, axes,
normalisation, batching the lines of an axis across corepy's thread pool with the GIL
released. float32/complex64 input is transformed in single precision (complex64 or float32
result), float64/complex128 in double. Every call is recorded by ``cp.profile()`` with its
flops (5 n log2 n per complex transform of length n, half that per real one).

As the standard says: fft, ifft, fftn, ifftn, irfft, irfftn and hfft take complex floating
input; rfft, rfftn and ihfft real floating input; anything else is a TypeError.
"""

from . import _api, _core

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


def fft(x, /, *, n=None, axis=-1, norm="backward"):
    """The 1-D discrete Fourier transform of complex ``x`` along ``axis``, cropped or
    zero-padded to ``n`` points."""
    return _core._fft("fft", x, n, axis, norm)


def ifft(x, /, *, n=None, axis=-1, norm="backward"):
    """The 1-D inverse discrete Fourier transform of complex ``x`` along ``axis``."""
    return _core._fft("ifft", x, n, axis, norm)


def fftn(x, /, *, s=None, axes=None, norm="backward"):
    """The n-D discrete Fourier transform of complex ``x`` over ``axes`` (all when None; the
    last ``len(s)`` when only ``s`` is given), output lengths ``s`` (-1: the input's)."""
    return _core._fftn("fftn", x, s, axes, norm)


def ifftn(x, /, *, s=None, axes=None, norm="backward"):
    """The n-D inverse discrete Fourier transform of complex ``x``."""
    return _core._fftn("ifftn", x, s, axes, norm)


def rfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The 1-D transform of real ``x``: the ``n // 2 + 1`` non-negative frequencies."""
    return _core._fft("rfft", x, n, axis, norm)


def irfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The inverse of rfft: ``n`` reals (default ``2 * (m - 1)``) from the non-negative
    frequencies of a Hermitian spectrum (the imaginary parts of the zero and Nyquist terms
    are ignored)."""
    return _core._fft("irfft", x, n, axis, norm)


def rfftn(x, /, *, s=None, axes=None, norm="backward"):
    """The n-D transform of real ``x``: rfft along the last of ``axes``, fft along the rest."""
    return _core._fftn("rfftn", x, s, axes, norm)


def irfftn(x, /, *, s=None, axes=None, norm="backward"):
    """The inverse of rfftn: ifft along all but the last of ``axes``, irfft along it."""
    return _core._fftn("irfftn", x, s, axes, norm)


def hfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The transform of a signal with Hermitian symmetry given by its first half (complex
    ``x``): ``n`` real points (default ``2 * (m - 1)``)."""
    return _core._fft("hfft", x, n, axis, norm)


def ihfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The inverse of hfft, from real ``x``: ``n // 2 + 1`` complex points."""
    return _core._fft("ihfft", x, n, axis, norm)


def fftfreq(n, /, *, d=1.0, dtype=None, device=None):
    """The sample frequencies of an ``n``-point transform with sample spacing ``d``:
    ``[0, 1, ..., (n - 1) // 2, -(n // 2), ..., -1] / (d * n)``, float64 unless ``dtype``
    (a real floating dtype) says otherwise."""
    _api._check_device(device)
    return _core._fftfreq(n, float(d), dtype, False)


def rfftfreq(n, /, *, d=1.0, dtype=None, device=None):
    """The sample frequencies of rfft's output: ``[0, 1, ..., n // 2] / (d * n)``."""
    _api._check_device(device)
    return _core._fftfreq(n, float(d), dtype, True)


def fftshift(x, /, *, axes=None):
    """``x`` with the zero frequency moved to the centre: each of ``axes`` (all when None)
    rolled by half its length."""
    return _core._fftshift(x, axes, False)


def ifftshift(x, /, *, axes=None):
    """The inverse of fftshift."""
    return _core._fftshift(x, axes, True)
