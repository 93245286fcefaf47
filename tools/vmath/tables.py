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


if __name__ == "__main__":
    tails, highs = exp_table()
    print("/* exp: 2^(j/16) = H_j (1 + T_j): T_j bits, H_j bits - j 2^48; tools/vmath/tables.py */")
    for name, t in (("kVmExp16T", tails), ("kVmExp16H", highs)):
        print(f"alignas(64) constexpr uint64_t {name}[16] = {{")
        for k in range(0, 16, 4):
            print("    " + ", ".join(f"0x{v:016x}ull" for v in t[k : k + 4]) + ",")
        print("};")
    rows, worst = log_table()
    print(f"/* log: (invc, -log(invc) hi, lo), 256 subintervals, |r| <= {mp.nstr(worst, 5)} */")
    print("alignas(64) constexpr double kVmLogTab[256][4] = {")
    for invc, hi, lo in rows:
        print(f"    {{{invc.hex()}, {hi.hex()}, {lo.hex()}, 0.0}},")
    print("};")
    invcs, logcs, worst = log_table16()
    print(f"/* log for float32 results: invc, -log(invc) bits, 16 subintervals, |r| <= {mp.nstr(worst, 5)} */")
    for name, t in (("kVmLog16I", invcs), ("kVmLog16C", logcs)):
        print(f"alignas(64) constexpr uint64_t {name}[16] = {{")
        for k in range(0, 16, 4):
            print("    " + ", ".join(f"0x{v:016x}ull" for v in t[k : k + 4]) + ",")
        print("};")
