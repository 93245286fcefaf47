"""Tables of cpp/kernels/math-inl.h's float64 exp and log (Tang's table-driven reductions, the
glibc / ARM optimized-routines layout), computed in mpmath and printed as C initialisers.

    python3 tools/vmath/tables.py       (needs mpmath)

exp, N = 16: 2^(j/N) = H_j (1 + T_j); two arrays of 16 (small enough for two registers of
AVX-512, looked up by vpermt2q): the bits of T_j, and the bits of H_j - j 2^48, so that adding
k << 48 (k = q N + j) to the second gives 2^(q + j/N) rounded.

log, N = 256 subintervals of z in [0x1.6p-1, 0x1.6p0) (by the top 8 mantissa bits of z's pattern
minus 0x3fe6000000000000): invc_i, 9 significant bits, near 1/centre, so that r = z invc_i - 1 is
exact with one FMA (|r| < 2^-8, z's and invc's last bits 2^-61 apart); -log(invc_i) as hi + lo,
hi a multiple of 2^-43 so that k ln2hi + hi is exact. The two subintervals next to 1 take invc = 1
(r = z - 1 exact): the answer near 1 is then r + r^2 P(r), no cancellation against log c.

log for float32 results (evaluated in float64 lanes), N = 16 subintervals of z in [0x1.f8p-1,
0x1.f8p0) by the top 4 mantissa bits of z's pattern minus 0x3fef800000000000: the first,
[0x1.f8p-1, 0x1.08p0), takes invc = 1 (1 in its middle: no cancellation against log c near 1);
the others invc = 1/centre rounded to 28 bits, so that r = z invc - 1 is exact for any z with
float's 24 significant bits (|r| < 2^-5); log c = -log(invc) as one double. Two arrays of 16
bit patterns (AVX-512 looks them up by vpermt2q).

float32 log family in float lanes (AVX-512), N = 32 subintervals of z in [1 - 2^-7, 2 - 2^-6) by
the top 5 mantissa bits of z's pattern minus that of 1 - 2^-7: the first, [1 - 2^-7, 1 + 2^-6),
takes invc = 1; the others invc = 1/centre with 6 significant bits, so that r = z invc - 1 is
exact for every float z (|r| < 0.0232 < 2^-5, the bound for 6-bit invc); -log_b(invc) for b = e,
2, 10 as hi + lo floats, hi a multiple of 2^-15 so that k log_b(2)_hi + hi is exact. Arrays of 32
float bit patterns (two registers each, looked up by vpermt2ps).

float32 tanh in float lanes (AVX-512): |x| in [0, 9) in 32 intervals of width 9/32, polynomials
of degree 6 in u = |x| S - (j + 1/2), S = 32/9 rounded to float, u in [-1/2, 1/2] (fitted on
[-0.51, 0.51] at Chebyshev nodes: the index comes from a rounded product); interval 0 holds
tanh(a)/a (the result is a p, relative near 0). Seven arrays of 32 (coefficient k of every
interval), looked up by vpermt2ps.
"""

import struct

import mpmath as mp

mp.mp.dps = 50


def bits(v):
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def dbl(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def exp_table(n=16):
    shift = 52 - (n.bit_length() - 1)
    tails, highs = [], []
    for j in range(n):
        e = mp.mpf(2) ** (mp.mpf(j) / n)
        h = float(e)
        tails.append(bits(float((e - h) / h)))
        highs.append((bits(h) - (j << shift)) % 2**64)
    return tails, highs


def round_bits(v, nb):
    """v rounded to nb significant bits."""
    m, e = mp.frexp(v)
    return float(mp.ldexp(mp.nint(mp.ldexp(m, nb)), e - nb))


def log_table(n=256, nb=9):
    off = 0x3FE6000000000000
    rows, worst = [], 0
    for i in range(n):
        lo_b, hi_b = off + (i << 44), off + ((i + 1) << 44)
        a, b = mp.mpf(dbl(lo_b)), mp.mpf(dbl(hi_b))  # z in [a, b)
        if a <= 1 < b or b == 1:
            invc = 1.0
        else:
            best = None
            c0 = round_bits(2 / (a + b), nb)
            m, e = mp.frexp(c0)
            step = mp.ldexp(1, e - nb)
            for d in range(-3, 4):
                cand = float(c0 + d * step)
                rmax = max(abs(a * cand - 1), abs(b * cand - 1))
                if best is None or rmax < best[0]:
                    best = (rmax, cand)
            invc = best[1]
        rmax = max(abs(a * invc - 1), abs(b * invc - 1))
        worst = max(worst, rmax)
        # exactness of r = fma(z, invc, -1): r a multiple of ulp(z) ulp(invc), |r| < 2^53 of them
        uz = mp.mpf(2) ** (-53 if b <= 1 else -52)
        ui = mp.ldexp(1, mp.frexp(invc)[1] - nb)
        assert rmax < 2**53 * uz * ui, (i, rmax)
        lc = -mp.log(invc)
        hi = float(mp.nint(lc * 2**43) / 2**43)
        lo = float(lc - hi)
        assert invc == 1.0 or abs(hi) >= rmax, i  # hi + r by a fast two-sum
        rows.append((invc, hi, lo))
    return rows, worst


def log_rcp_table(base=None, bits=43):
    """-log_b c = hi + lo (hi a multiple of 2^-bits) for AVX-512's rcp14 reduction: c = (16 +
    i)/32, i = 1..15, the index being c's top four mantissa bits; i = 0 is c = 1 (c = 1/2 shares
    it). b = e (bits 43: e ln2_hi + hi exact), 2 (bits 42: e + hi exact for |e| < 2^11) or 10
    (bits 43: e log10(2)_hi + hi exact)."""
    his, los = [], []
    for i in range(16):
        c = mp.mpf(1) if i == 0 else mp.mpf(16 + i) / 32
        lc = -mp.log(c) if base is None else -mp.log(c) / mp.log(base)
        hi = float(mp.nint(lc * 2**bits) / 2**bits)
        his.append(hi)
        los.append(float(lc - hi))
    # hi + r M by a fast two-sum (M = 1/ln b): |hi| >= |r M| (with e != 0, |e log_b 2 + hi| >=
    # log_b(17/16) is larger)
    m = 1 if base is None else 1 / mp.log(base)
    assert min(abs(h) for h in his[1:]) >= (2**-5 + 2**-13) * m
    return his, los


def log_table16():
    off = 0x3FEF800000000000
    invcs, logcs, worst = [], [], 0
    for j in range(16):
        a = mp.mpf(63) / 64 if j == 0 else 1 + mp.mpf(2) ** -5 + (j - 1) * mp.mpf(2) ** -4
        b = a + (mp.mpf(2) ** -5 + mp.mpf(2) ** -6 if j == 0 else mp.mpf(2) ** -4)
        lo_b, hi_b = off + (j << 48), off + ((j + 1) << 48)  # the same interval from the patterns
        assert dbl(lo_b) == a and (j == 15 or dbl(hi_b) == b), j
        invc = 1.0 if j == 0 else round_bits(2 / (a + b), 28)
        worst = max(worst, abs(a * invc - 1), abs(b * invc - 1))
        invcs.append(bits(invc))
        logcs.append(bits(float(-mp.log(invc))))
    assert worst <= mp.mpf(2) ** -5, worst  # z < b: |r| < 2^-5
    return invcs, logcs, worst


def flt(v):
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def fbits(v):
    return struct.unpack("<I", struct.pack("<f", v))[0]


def log_table_f32(nb=6):
    invcs, his, los, worst = [], [[], [], []], [[], [], []], 0
    for j in range(32):
        if j == 0:
            a, b, invc = 1 - mp.mpf(2) ** -7, 1 + mp.mpf(2) ** -6, 1.0
        else:
            a = 1 + mp.mpf(2) ** -6 + (j - 1) * mp.mpf(2) ** -5
            b = a + mp.mpf(2) ** -5
            invc = round_bits(2 / (a + b), nb)
        rmax = max(abs(a * invc - 1), abs(b * invc - 1))
        worst = max(worst, rmax)
        # r exact: a multiple of ulp(z) ulp(invc) = 2^-23 2^-nb (invc < 1) below 2^24 of them
        assert invc == 1.0 or (invc < 1 and rmax < mp.mpf(2) ** (1 - nb)), (j, rmax)
        assert flt(invc) == invc
        invcs.append(fbits(invc))
        for i, base in enumerate((mp.e, 2, 10)):
            v = -mp.log(invc, base)
            hi = flt(mp.nint(v * 2**15) / 2**15)
            his[i].append(fbits(hi))
            los[i].append(fbits(flt(v - hi)))
    return invcs, his, los, worst


def exp_table_f32():
    """float32 exp in float lanes (AVX-512): 2^(j/32) = H_j + L_j as floats, j = 0..31."""
    his, los = [], []
    for j in range(32):
        t = mp.mpf(2) ** (mp.mpf(j) / 32)
        h = flt(t)
        his.append(fbits(h))
        los.append(fbits(flt(t - h)))
    return his, los


def tanh_table_f32(d=6):
    s = flt(mp.mpf(32) / 9)
    coef, worst = [[] for _ in range(d + 1)], 0
    for j in range(32):
        f = (lambda a: mp.tanh(a) / a if a else mp.mpf(1)) if j == 0 else mp.tanh
        nodes = [mp.cos(mp.pi * (2 * i + 1) / (2 * d + 2)) * mp.mpf("0.51") for i in range(d + 1)]
        m = mp.matrix([[u**k for k in range(d + 1)] for u in nodes])
        c = mp.lu_solve(m, mp.matrix([f((u + j + mp.mpf("0.5")) / s) for u in nodes]))
        c = [flt(c[k]) for k in range(d + 1)]
        for i in range(101):  # relative error of the float coefficients, exact arithmetic
            u = mp.mpf("-0.51") + mp.mpf("1.02") * i / 100
            p = mp.mpf(0)
            for ck in reversed(c):
                p = p * u + ck
            t = f((u + j + mp.mpf("0.5")) / s)
            worst = max(worst, abs(p - t) / abs(t))
        for k in range(d + 1):
            coef[k].append(fbits(c[k]))
    assert worst < mp.mpf(2) ** -23, worst
    return s, coef, worst


def emit(name, tabs, bits):
    """One C array of bit patterns: tabs is a list of rows (one row: a flat array)."""
    wide = bits == 64
    ctype, fmt, per = ("uint64_t", "0x{:016x}ull", 4) if wide else ("uint32_t", "0x{:08x}u", 8)
    dims = "".join(f"[{d}]" for d in ([len(tabs)] if len(tabs) > 1 else []) + [len(tabs[0])])
    print(f"alignas(64) constexpr {ctype} {name}{dims} = {{")
    pad = "        " if len(tabs) > 1 else "    "
    for t in tabs:
        if len(tabs) > 1:
            print("    {")
        for k in range(0, len(t), per):
            print(pad + ", ".join(fmt.format(v) for v in t[k : k + per]) + ",")
        if len(tabs) > 1:
            print("    },")
    print("};")


if __name__ == "__main__":
    tails, highs = exp_table()
    print("/* exp: 2^(j/16) = H_j (1 + T_j): T_j bits, H_j bits - j 2^48; tools/vmath/tables.py */")
    emit("kVmExp16T", [tails], 64)
    emit("kVmExp16H", [highs], 64)
    rows, worst = log_table()
    print(f"/* log: (invc, -log(invc) hi, lo), 256 subintervals, |r| <= {mp.nstr(worst, 5)} */")
    print("alignas(64) constexpr double kVmLogTab[256][4] = {")
    for invc, hi, lo in rows:
        print(f"    {{{invc.hex()}, {hi.hex()}, {lo.hex()}, 0.0}},")
    print("};")
    tabs = [log_rcp_table(base, nb) for base, nb in ((None, 43), (2, 42), (10, 43))]
    print(
        "/* log_b, b = e, 2, 10, AVX-512 rcp14 reduction: -log_b c = H + L, c = (16 + i)/32 (i = 0: "
        "c = 1); H a multiple of 2^-43, 2^-42 (log2: e + H exact), 2^-43 */"
    )
    for col, name in ((0, "kVmLogRcpH"), (1, "kVmLogRcpL")):
        print(f"constexpr double {name}[3][16] = {{")
        for t in tabs:
            vals = [v.hex() for v in t[col]]
            print("    {" + ",\n     ".join(", ".join(vals[k : k + 4]) for k in range(0, 16, 4)) + "},")
        print("};")
    l2h = float(mp.nint(mp.log10(2) * 2**43) / 2**43)
    print(f"/* log10(2) = {l2h.hex()} + {float(mp.log10(2) - l2h).hex()} (e times the first exact) */")
    invcs, logcs, worst = log_table16()
    print(
        "/* log for float32 results: invc, -log(invc) bits, 16 subintervals, "
        f"|r| <= {mp.nstr(worst, 5)} */"
    )
    emit("kVmLog16I", [invcs], 64)
    emit("kVmLog16C", [logcs], 64)
    invcs, his, los, worst = log_table_f32()
    print(
        "/* float32 log family: invc, then -log_b(invc) as hi, lo for b = e, 2, 10; "
        f"32 subintervals, |r| <= {mp.nstr(worst, 5)} */"
    )
    emit("kVmLogF32I", [invcs], 32)
    emit("kVmLogF32H", his, 32)
    emit("kVmLogF32L", los, 32)
    for name, b in (("ln2", mp.log(2)), ("log10_2", mp.log10(2))):
        hi = flt(mp.nint(b * 2**15) / 2**15)
        print(f"/* {name} = {hi.hex()} + {flt(b - hi).hex()} */")
    for name, m in (("1/ln2", 1 / mp.log(2)), ("1/ln10", 1 / mp.log(10))):
        h = flt(m)
        print(f"/* {name} = {h.hex()} + {flt(m - h).hex()} */")
    his, los = exp_table_f32()
    print("/* float32 exp: 2^(j/32) = H_j + L_j, float bits */")
    emit("kVmExp32H", [his], 32)
    emit("kVmExp32L", [los], 32)
    s, coef, worst = tanh_table_f32()
    print(
        f"/* float32 tanh: S = {s.hex()}, coefficient k of interval j (degree 6 in u); relative "
        f"error of the float coefficients <= {mp.nstr(worst, 3)} */"
    )
    emit("kVmTanhF32", coef, 32)
