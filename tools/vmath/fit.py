"""Polynomial coefficients of cpp/kernels/math-inl.h: weighted least squares at Chebyshev nodes in
mpmath (60 digits), printed as C hex-float literals with the largest weighted error on a dense grid.

    python3 tools/vmath/fit.py       (needs mpmath)

Near-minimax is enough: each fit is one degree above what the target error needs."""

import mpmath as mp

mp.mp.dps = 60


def fit(name, g, w, lo, hi, deg, ftype="double", nodes=None):
    n = nodes or 8 * (deg + 1)
    xs = [(lo + hi) / 2 + (hi - lo) / 2 * mp.cos(mp.pi * (k + mp.mpf(0.5)) / n) for k in range(n)]
    a = mp.matrix(n, deg + 1)
    b = mp.matrix(n, 1)
    for i, x in enumerate(xs):
        wx = w(x)
        for j in range(deg + 1):
            a[i, j] = wx * x**j
        b[i] = wx * g(x)
    c, _ = mp.qr_solve(a, b)
    rnd = float if ftype == "double" else (lambda v: float(mp.mpf(mp.nstr(v, 9))))
    cs = [rnd(c[j]) for j in range(deg + 1)]
    if ftype == "float":
        import struct

        cs = [struct.unpack("f", struct.pack("f", v))[0] for v in cs]
    worst = 0
    for k in range(2001):
        x = lo + (hi - lo) * k / 2000
        p = sum(mp.mpf(cj) * x**j for j, cj in enumerate(cs))
        worst = max(worst, abs(w(x) * (g(x) - p)))
    unit = mp.mpf(2) ** (-53 if ftype == "double" else -24)
    print(f"/* {name}: degree {deg} on [{mp.nstr(lo, 6)}, {mp.nstr(hi, 6)}], weighted error {mp.nstr(worst / unit, 3)} ulp */")
    print("{" + ", ".join(v.hex() for v in cs) + "}")
    return cs


def safe(f, x0):
    """f with its limit at x0 (series value), for the node that may sit on it."""
    return lambda x: f(x) if abs(x - x0) > mp.mpf(10) ** -25 else f(x0 + mp.mpf(10) ** -25)


ln2 = mp.log(2)
# exp / expm1: e^r = 1 + r + r^2 P(r); weight |r| keeps expm1's relative error small too.
# e^r = 1 + r + r^2/2 + r^3 P(r); weight r^2: the tail's error relative to expm1(r) ~ r
fit("exp P", safe(lambda r: (mp.exp(r) - 1 - r - r * r / 2) / r**3, 0), lambda r: r * r,
    -ln2 / 2 - mp.mpf(0.01), ln2 / 2 + mp.mpf(0.01), 9)
# log: log1p(f) = 2s + s^3 (2/3 + z Q(z)), s = f/(2+f), z = s^2
smax = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1) + mp.mpf(0.002)
fit("log Q", safe(lambda z: ((2 * mp.atanh(mp.sqrt(z)) - 2 * mp.sqrt(z)) / mp.sqrt(z) ** 3 - mp.mpf(2) / 3) / z, 0),
    lambda z: z * z, mp.mpf(0), smax**2, 7)
# sin(x) = x + x^3 S(z), cos(x) = 1 - z/2 + z^2 C(z), z = x^2, |x| <= pi/4
q = (mp.pi / 4 + mp.mpf(0.001)) ** 2
fit("sin S", safe(lambda z: (mp.sin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), q, 6)
fit("cos C", safe(lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z**2, 0), lambda z: z, mp.mpf(0), q, 6)
# asin(x) = x + x^3 A(z), |x| <= 0.5
fit("asin A", safe(lambda z: (mp.asin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), mp.mpf(0.25), 12)
# atan(u) = u + u^3 T(z), |u| <= tan(pi/8)
t8 = mp.tan(mp.pi / 8) + mp.mpf(0.001)
fit("atan T", safe(lambda z: (mp.atan(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), t8**2, 11)

# float32 kernels
fit("exp P (float)", safe(lambda r: (mp.exp(r) - 1 - r - r * r / 2) / r**3, 0), lambda r: r * r,
    -ln2 / 2 - mp.mpf(0.01), ln2 / 2 + mp.mpf(0.01), 4, "float")
fit("log Q (float)", safe(lambda z: ((2 * mp.atanh(mp.sqrt(z)) - 2 * mp.sqrt(z)) / mp.sqrt(z) ** 3 - mp.mpf(2) / 3) / z, 0),
    lambda z: z * z, mp.mpf(0), smax**2, 2, "float")
fit("sin S (float)", safe(lambda z: (mp.sin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), q, 3, "float")
fit("cos C (float)", safe(lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z**2, 0), lambda z: z, mp.mpf(0), q, 3, "float")
fit("tanh T (float)", safe(lambda z: (mp.tanh(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), mp.mpf(0.5625) ** 2, 6, "float")
# float32 kernels in float lanes: sin d = d + d^3 P(d^2), |d| <= pi/2 (sin and cos share it);
# atan u = u + u^3 P(u^2) on [0, 1]; asin w = w + w^3 P(w^2), |w| <= 1/2 (acos)
q2 = (mp.pi / 2 + mp.mpf(0.002)) ** 2
fit("sin P pi/2 (float)", safe(lambda z: (mp.sin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), q2, 3, "float")
fit("atan P [0,1] (float)", safe(lambda z: (mp.atan(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), mp.mpf(1), 8, "float")
fit("asin P (float)", safe(lambda z: (mp.asin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), mp.mpf(0.25), 4, "float")
# sinh x = x + x^3 S(x^2), |x| < 1 (float64; above, e^|x|/2 - 1/(4 e^|x|/2) from the exp table)
fit("sinh S", safe(lambda z: (mp.sinh(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0), lambda z: z, mp.mpf(0), mp.mpf(1), 7)
# float64 cos: sin d = d + d^3 S(d^2), |d| <= pi/2 (x = q pi/2 + d, q odd); weight: relative to sin d
q2d = (mp.pi / 2 + mp.mpf(0.001)) ** 2
fit("sin S pi/2", safe(lambda z: (mp.sin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0),
    lambda z: z * mp.sqrt(z) / mp.sin(mp.sqrt(z)) if z > 0 else mp.mpf(0), mp.mpf(0), q2d, 9)
# float64 exp, 16-entry table: e^r - 1 = r Q(r), |r| <= ln2/32; weight |r|: r Q absolute
h32 = ln2 / 32 + mp.mpf(0.0001)
fit("exp tab Q", safe(lambda r: (mp.exp(r) - 1) / r, 0), lambda r: abs(r), -h32, h32, 5)
# float64 log, AVX-512 rcp14 reduction: log1p(r) = r + r^2 P(r), |r| <= 2^-5 + 2^-13; weight |r|
hr = mp.mpf(2) ** -5 + mp.mpf(2) ** -13
fit("log rcp P", safe(lambda r: (mp.log1p(r) - r) / r**2, 0), lambda r: abs(r), -hr, hr, 8)
# float32 tan: tan d = d + d^3 T(d^2), |d| <= pi/4 (x = q pi/2 + d); weight: relative to tan d
q4 = (mp.pi / 4 + mp.mpf(0.0005)) ** 2
fit("tan T (float)", safe(lambda z: (mp.tan(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0),
    lambda z: z * mp.sqrt(z) / mp.tan(mp.sqrt(z)) if z > 0 else mp.mpf(0), mp.mpf(0), q4, 6, "float")
# float64 tan: tan d = d + d^3 T(d^2), |d| <= pi/4 (x = q pi/2 + d); weight: relative to tan d
q4d = (mp.pi / 4 + mp.mpf(0.002)) ** 2
fit("tan T", safe(lambda z: (mp.tan(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3, 0),
    lambda z: z * mp.sqrt(z) / mp.tan(mp.sqrt(z)) if z > 0 else mp.mpf(0), mp.mpf(0), q4d, 13)
# float64 tanh's t = e^2|x| - 1 by the exp table: e^r - 1 = r + r^2 Q1(r), |r| <= ln2/32; weight |r|
fit("expm1 tab Q1", safe(lambda r: ((mp.exp(r) - 1) / r - 1) / r, 0), lambda r: abs(r), -h32, h32, 5)
# float32 expm1 on AVX-512, in float64 lanes: e^r - 1 = r + r^2 Q(r), |r| <= ln2/32, degree 3 (2^-41)
fit("expm1 tab Q (float results)", safe(lambda r: ((mp.exp(r) - 1) / r - 1) / r, 0), lambda r: abs(r), -h32, h32, 3)
