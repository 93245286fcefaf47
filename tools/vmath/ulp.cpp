/* Accuracy and speed of math-inl.h: max ULP error of every function (float32, float64, each ISA
 * copy this CPU runs) over >= 1e6 points plus edge values, against glibc's long double (x87,
 * 64-bit mantissa) functions; NaN, infinities and signed zeros must match exactly (C99 Annex F,
 * which is what the array API standard specifies for these). Checks too that the one-lane
 * version (a vector loop's tail) gives the same bits as the vector lanes. Then ns per element
 * against glibc's scalar libm.
 *   ulp [points] [function...]      (default 1000000 points, every function) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <limits>
#include <string>
#include <vector>

#include "fns.h"

extern "C" const VmEntry *vm_avx2_table(void);
extern "C" const VmEntry *vm_avx512_table(void);
extern "C" const VmEntry *vm_avx2w_table(void);

/* ---- references (long double) and the libm functions timed, as pointers */
typedef long double (*RefFn)(long double, long double);
typedef double (*LibD)(double, double);
typedef float (*LibF)(float, float);
struct Fns {
    RefFn ref;
    LibD d;
    LibF f;
};
#define U1(name)                                                                                        \
    if (n == #name)                                                                                     \
        return {[](long double x, long double) { return name##l(x); }, [](double x, double) { return name(x); }, \
                [](float x, float) { return name##f(x); }};
#define U2(name)                                                                                        \
    if (n == #name)                                                                                     \
        return {[](long double x, long double y) { return name##l(x, y); }, [](double x, double y) { return name(x, y); }, \
                [](float x, float y) { return name##f(x, y); }};
/* logaddexp (no libm function): max + log1p(e^-|x - y|), x == y (infinities too) x + ln 2 */
template <class T, class L, class E> static T lae(T x, T y, L log1p_, E exp_) {
    if (x != x || y != y) return x + y;
    if (x == y) return x + (T)0.693147180559945309417232121458176568L;
    const T m = x > y ? x : y, d = x > y ? x - y : y - x;
    return m + log1p_(exp_(-d));
}
static Fns fns(const std::string &n) {
    if (n == "logaddexp")
        return {[](long double x, long double y) { return lae<long double>(x, y, [](long double v) { return log1pl(v); }, [](long double v) { return expl(v); }); },
                [](double x, double y) { return lae<double>(x, y, [](double v) { return log1p(v); }, [](double v) { return exp(v); }); },
                [](float x, float y) { return lae<float>(x, y, [](float v) { return log1pf(v); }, [](float v) { return expf(v); }); }};
    U1(exp) U1(expm1) U1(log) U1(log1p) U1(log2) U1(log10) U1(sin) U1(cos) U1(tan) U1(asin) U1(acos)
    U1(atan) U1(sinh) U1(cosh) U1(tanh) U1(asinh) U1(acosh) U1(atanh) U2(atan2) U2(pow) U2(hypot)
    abort();
}

/* ---- random inputs */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd() {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double uni(double lo, double hi) { return lo + (hi - lo) * ((rnd() >> 11) * 0x1p-53); }
template <class T> static T randbits() { /* any finite value, both signs */
    for (;;) {
        T v;
        if (sizeof(T) == 8) {
            uint64_t b = rnd();
            memcpy(&v, &b, 8);
        } else {
            uint32_t b = (uint32_t)rnd();
            memcpy(&v, &b, 4);
        }
        if (isfinite(v)) return v;
    }
}
static double logu(double elo, double ehi, bool sign) { /* |x| = 2^uniform(elo, ehi) */
    double v = exp2(uni(elo, ehi));
    return sign && (rnd() & 1) ? -v : v;
}

template <class T> static void gen(const std::string &f, size_t n, std::vector<T> &xs, std::vector<T> &ys) {
    const bool F = sizeof(T) == 4;
    for (size_t i = 0; i < n; i++) {
        const double u = uni(0, 1);
        double x = 0, y = 0;
        if (f == "exp") {
            x = u < .5 ? (F ? uni(-105, 90) : uni(-750, 712)) : u < .75 ? uni(-1, 1) : u < .9 ? logu(-60, 10, true) : randbits<T>();
        } else if (f == "expm1") {
            x = u < .4 ? (F ? uni(-20, 90) : uni(-50, 712)) : u < .7 ? uni(-1, 1) : u < .9 ? logu(-60, 2, true) : randbits<T>();
        } else if (f == "log" || f == "log2" || f == "log10") {
            x = u < .4 ? fabs((double)randbits<T>()) : u < .8 ? uni(.5, 2) : u < .9 ? 1 + uni(-0x1p-20, 0x1p-20) : randbits<T>();
        } else if (f == "log1p") {
            x = u < .3 ? uni(-1, 1) : u < .6 ? logu(-60, 0, true) : u < .9 ? fabs((double)randbits<T>()) : randbits<T>();
        } else if (f == "sin" || f == "cos" || f == "tan") {
            if (u < .4) x = uni(-10, 10);
            else if (u < .6) x = uni(-1e5, 1e5);
            else if (u < .7) x = (T)(floor(uni(-1e6, 1e6)) * 1.5707963267948966192L) * (1 + uni(-4, 4) * (F ? 0x1p-24 : 0x1p-53));
            else if (u < .9) x = randbits<T>();
            else x = logu(-30, 40, true);
        } else if (f == "asin" || f == "acos" || f == "atanh") {
            x = u < .6 ? uni(-1, 1) : u < .8 ? logu(-60, 0, true) : u < .9 ? ((rnd() & 1) ? -1 : 1) * (1 - logu(-53, -2, false)) : randbits<T>();
        } else if (f == "atan" || f == "asinh") {
            x = u < .3 ? uni(-5, 5) : u < .8 ? randbits<T>() : logu(-60, 60, true);
        } else if (f == "sinh" || f == "cosh") {
            x = u < .4 ? (F ? uni(-90, 90) : uni(-712, 712)) : u < .7 ? uni(-2, 2) : u < .9 ? logu(-60, 3, true) : randbits<T>();
        } else if (f == "tanh") {
            x = u < .4 ? uni(-25, 25) : u < .7 ? uni(-1.5, 1.5) : u < .9 ? logu(-60, 3, true) : randbits<T>();
        } else if (f == "acosh") {
            x = u < .4 ? uni(1, 5) : u < .6 ? 1 + logu(-52, 0, false) : u < .9 ? fabs((double)randbits<T>()) : randbits<T>();
        } else if (f == "atan2" || f == "hypot") {
            if (u < .5) x = randbits<T>(), y = randbits<T>();
            else if (u < .9) x = uni(-5, 5), y = uni(-5, 5);
            else x = logu(-100, 100, true), y = logu(-100, 100, true);
        } else if (f == "pow") {
            if (u < .4) {
                x = logu(-30, 30, false);
                const double t = F ? uni(-103, 88) : uni(-740, 705);
                y = (T)(t / log(x));
            } else if (u < .6) {
                x = uni(0, 4), y = uni(-30, 30);
            } else if (u < .8) {
                x = uni(-4, 0), y = floor(uni(-60, 60));
            } else if (u < .9) {
                x = 1 + logu(F ? -23 : -52, -3, true);
                y = (T)((F ? uni(-80, 80) : uni(-700, 700)) / log((T)x));
            } else {
                x = randbits<T>(), y = randbits<T>();
            }
        } else if (f == "logaddexp") {
            if (u < .5) x = uni(-10, 10), y = uni(-10, 10);
            else if (u < .6 && F) x = uni(-2, 2), y = -x * (1 + uni(-0.01, 0.01)); /* float64: cancels, as NumPy's */
            else if (u < .8) x = uni(-100, 100), y = x + uni(-30, 30);
            else if (u < .9) x = randbits<T>(), y = randbits<T>();
            else x = logu(-60, 60, true), y = logu(-60, 60, true);
        } else {
            abort();
        }
        xs.push_back((T)x);
        ys.push_back((T)y);
    }
}

template <class T> static std::vector<T> edges() {
    const T inf = INFINITY, mx = std::numeric_limits<T>::max(), mn = std::numeric_limits<T>::min(),
            dn = std::numeric_limits<T>::denorm_min();
    std::vector<double> d = {0, -0.0, dn, -dn, (double)mn - dn, mn, -mn, 1, -1, 0.5, -0.5, 2, -2, 3, -3, mx, -mx, inf, -inf, (T)NAN,
                        0.1, (T)M_PI_2, (T)-M_PI_2, (T)M_PI, (T)-M_PI, (T)M_PI_4, 709.78, 709.79, 710, -745.13, -745.2,
                        -708.4, 88.72, 88.73, -103.97, -87.3, 22, -22, 0.3466, 1e10, 1e22, 0x1p30, 0x1p52, 0x1p53,
                        0x1p60, (T)1e300, 0x1.a827999fcef32p-2, 2.4142135623730951, 0x1p28, 0x1p-28, 0.70710678118654752,
                        1.4142135623730951, (T)1e-300, (T)1e-310, 0x1.6ac5b262ca1ffp+849, 1e-5, 0.99, 0.999999, 40, -40};
    std::vector<T> e;
    for (double v : d) e.push_back((T)v);
    const size_t base = e.size();
    for (size_t i = 0; i < base; i++) { /* and the neighbours */
        e.push_back(nextafter(e[i], inf));
        e.push_back(nextafter(e[i], -inf));
    }
    for (int k = 1; k < 200; k++) e.push_back((T)(k * 1.5707963267948966192L));
    return e;
}

/* ---- ULP error of got against the long double reference, in units of T's ulp at ref */
template <class T> static double ulp_err(T got, long double r, bool &special_bad) {
    const int dig = sizeof(T) == 8 ? 53 : 24, emin = sizeof(T) == 8 ? -1022 : -126, emax = sizeof(T) == 8 ? 1023 : 127;
    if (isnan(r) || isnan(got)) {
        if (!(isnan(r) && isnan(got))) special_bad = true;
        return 0;
    }
    if (r == 0 || isinf(r)) { /* exact results: same value, same sign */
        if ((long double)got != r || signbit(got) != signbit(r)) special_bad = true;
        return 0;
    }
    const T rt = (T)r; /* correctly rounded */
    if (isinf(rt) && isinf(got) && signbit(rt) == signbit(got)) return 0;
    long double g = got;
    if (isinf(got)) g = copysignl(ldexpl(1.0L, emax + 1), got);
    int e;
    frexpl(r, &e);
    e -= 1;
    if (e < emin) e = emin;
    if (e > emax) e = emax;
    return (double)(fabsl(g - r) / ldexpl(1.0L, e - (dig - 1)));
}

/* Typical inputs for the timings: the range an application would use. */
template <class T> static void timing_input(const std::string &f, T &x, T &y) {
    double lo = -10, hi = 10;
    y = (T)uni(-10, 10);
    if (f == "exp" || f == "sinh" || f == "cosh") lo = -50, hi = 50;
    if (f == "log" || f == "log2" || f == "log10" || f == "acosh") lo = 1, hi = 1000;
    if (f == "log1p") lo = -0.9, hi = 10;
    if (f == "sin" || f == "cos" || f == "tan") lo = -100, hi = 100;
    if (f == "asin" || f == "acos" || f == "atanh") lo = -1, hi = 1;
    if (f == "pow") lo = 0.1, hi = 10;
    x = (T)uni(lo, hi);
}

static double now() {
    timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

template <class T> static bool same_bits(T a, T b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

template <class T> struct Result {
    double max_ulp = 0;
    T wx = 0, wy = 0;
    long special_bad = 0, lane_bad = 0;
    T sx = 0, sy = 0, sgot = 0;
    double ns_vec = 0, ns_libm = 0;
};

template <class T> static Result<T> measure(const VmEntry &en, size_t n, bool timing) {
    std::vector<T> xs, ys;
    gen<T>(en.name, n, xs, ys);
    const std::vector<T> ed = edges<T>();
    if (en.arity == 1) {
        for (T v : ed) xs.push_back(v), ys.push_back(0);
    } else {
        for (size_t i = 0; i < ed.size(); i++) /* every pair of edge values (neighbours included) */
            for (size_t j = 0; j < ed.size(); j++) xs.push_back(ed[i]), ys.push_back(ed[j]);
        for (T v : ed) xs.push_back(v), ys.push_back(1), xs.push_back(1), ys.push_back(v);
        for (T v : ed) xs.push_back(-2), ys.push_back(v), xs.push_back(-1), ys.push_back(v);
        for (T v : ed) xs.push_back(0.5), ys.push_back(v), xs.push_back(-0.5), ys.push_back(v);
    }
    const size_t m = xs.size();
    std::vector<T> out(m), lane(m);
    vm_fn_d vd = en.vec_d, ld = en.lane_d;
    vm_fn_f vf = en.vec_f, lf = en.lane_f;
    auto vec = [&](const T *x, const T *y, T *o, size_t k) {
        if constexpr (sizeof(T) == 8) vd(x, y, o, k); else vf(x, y, o, k);
    };
    vec(xs.data(), ys.data(), out.data(), m);
    if constexpr (sizeof(T) == 8) ld(xs.data(), ys.data(), lane.data(), m); else lf(xs.data(), ys.data(), lane.data(), m);
    const Fns F = fns(en.name);
    const bool lae_name = std::string(en.name) == "logaddexp";
    Result<T> res;
    for (size_t i = 0; i < m; i++) {
        if (!same_bits(out[i], lane[i])) res.lane_bad++;
        bool sb = false;
        const long double ref = F.ref(xs[i], ys[i]);
        /* logaddexp: max + log1p(e^-|x-y|) cancels where the result is small against max(x, y)
         * (NumPy's formula too): measured away from there, as tests/test_elementwise_vec.py does */
        if (lae_name && isfinite(ref) && fabsl(ref) < 0.5L * fabsl((long double)(xs[i] > ys[i] ? xs[i] : ys[i]))) continue;
        const double u = ulp_err<T>(out[i], ref, sb);
        if (sb) {
            if (res.special_bad++ == 0) res.sx = xs[i], res.sy = ys[i], res.sgot = out[i];
        }
        if (u > res.max_ulp) res.max_ulp = u, res.wx = xs[i], res.wy = ys[i];
    }
    if (timing) { /* 4096 typical inputs (no huge trig arguments ...), repeated */
        const size_t k = 4096;
        std::vector<T> o2(k);
        xs.resize(k), ys.resize(k);
        for (size_t i = 0; i < k; i++) timing_input(en.name, xs[i], ys[i]);
        /* the fastest of 40 batches: the machine is shared, a batch may lose its core */
        auto best = [&](auto &&body) {
            double b = 1e30;
            for (int rep = 0; rep < 40; rep++) {
                const double t0 = now();
                body();
                b = fmin(b, now() - t0);
            }
            return b / k * 1e9;
        };
        res.ns_vec = best([&] { vec(xs.data(), ys.data(), o2.data(), k); });
        res.ns_libm = best([&] {
            for (size_t i = 0; i < k; i++) {
                if constexpr (sizeof(T) == 8) o2[i] = F.d(xs[i], ys[i]); else o2[i] = F.f(xs[i], ys[i]);
            }
            __asm__ volatile("" : : "r"(o2.data()) : "memory");
        });
    }
    return res;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoul(argv[1], 0, 10) : 1000000;
    std::vector<std::string> only(argv + (argc > 2 ? 2 : argc), argv + argc);
    struct Isa {
        const char *name;
        const VmEntry *t;
    };
    std::vector<Isa> isas = {{"avx2", vm_avx2_table()}};
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
        isas.push_back({"avx512", vm_avx512_table()});
    else
        printf("# avx512: compiled, not run (this CPU has no AVX-512); avx2-w64 runs its lane layout\n");
    if (getenv("VM_WIDE") == nullptr || atoi(getenv("VM_WIDE")) != 0) isas.push_back({"avx2-w64", vm_avx2w_table()});
    printf("| function | dtype | ISA | max ULP | worst input | special-case failures | lane != tail | ns/elem | libm ns/elem | speed-up |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
    int bad = 0;
    for (const Isa &isa : isas) {
        for (int i = 0; i < kVmCount; i++) {
            const VmEntry &en = isa.t[i];
            if (!only.empty()) {
                bool want = false;
                for (auto &o : only) want |= o == en.name;
                if (!want) continue;
            }
            const std::string nm = en.name;
            const double bound = (nm == "exp" || nm == "expm1" || nm == "log" || nm == "log1p" || nm == "log2" || nm == "log10") ? 1.0 : 4.0;
            for (int d = 0; d < 2; d++) {
                double mu, ns, nl;
                long sbad, lbad;
                char wi[160], si[200] = "";
                if (d == 0) {
                    Result<float> r = measure<float>(en, n, true);
                    mu = r.max_ulp, ns = r.ns_vec, nl = r.ns_libm, sbad = r.special_bad, lbad = r.lane_bad;
                    snprintf(wi, sizeof wi, en.arity == 1 ? "%a" : "%a, %a", r.wx, r.wy);
                    if (sbad) snprintf(si, sizeof si, " (e.g. %a, %a -> %a)", r.sx, r.sy, r.sgot);
                } else {
                    Result<double> r = measure<double>(en, n, true);
                    mu = r.max_ulp, ns = r.ns_vec, nl = r.ns_libm, sbad = r.special_bad, lbad = r.lane_bad;
                    snprintf(wi, sizeof wi, en.arity == 1 ? "%a" : "%a, %a", r.wx, r.wy);
                    if (sbad) snprintf(si, sizeof si, " (e.g. %a, %a -> %a)", r.sx, r.sy, r.sgot);
                }
                const bool fail = mu > bound || sbad || lbad;
                bad |= fail;
                printf("| %s | %s | %s | %.3f%s | %s | %ld%s | %ld | %.2f | %.2f | %.1fx |\n", en.name, d ? "float64" : "float32", isa.name, mu,
                       fail ? " FAIL" : "", wi, sbad, si, lbad, ns, nl, nl / ns);
                fflush(stdout);
            }
        }
    }
    return bad;
}

