/* pmath.h - exp, log, cos and integer powers in double precision, the same on every CPU.
 *
 * glibc chooses its exp/log/pow/cos code by CPU (FMA, AVX2), and the choices can differ in
 * the last bit; one bit early in training changes the trained weights. These use only IEEE
 * + - * / (each rounded once: the build sets -ffp-contract=off), comparisons and bit
 * operations, so every x86-64 CPU computes the same results. Errors against the exact value
 * are measured by tests/test_pmath.c (within 1 ulp; lsnn_powi nearly correctly rounded).
 *
 * With LSNN_NATIVE (the -march=native build) they are libm's, which that build always used.
 *
 * lsnn_exp, lsnn_log and lsnn_cos follow fdlibm (e_exp.c, e_log.c, k_cos.c, k_sin.c,
 * e_rem_pio2.c, as musl has them), coefficients included:
 *   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunPro, a Sun Microsystems, Inc. business.
 *   Permission to use, copy, modify, and distribute this software is freely granted,
 *   provided that this notice is preserved. */
#ifndef LSNN_PMATH_H
#define LSNN_PMATH_H

#include <math.h>

#ifdef LSNN_NATIVE

static inline double lsnn_exp(double x)
{
    return exp(x);
}
static inline double lsnn_log(double x)
{
    return log(x);
}
static inline double lsnn_cos(double x)
{
    return cos(x);
}
static inline double lsnn_powi(double x, long n)
{
    return pow(x, (double)n);
}

#else

#include <stdint.h>
#include <string.h>

static inline uint64_t lsnn_pm_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double lsnn_pm_double(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* x * 2^k for |x| in [0.5, 4): exact, or one rounding into the subnormals (the last
 * multiply), or overflow to infinity. */
static inline double lsnn_pm_scale(double x, long k)
{
    if (k > 1023) {
        x *= 0x1p1023;
        k -= 1023;
        if (k > 1023) k = 1023; /* overflows below, as it must */
    } else if (k < -1022) {
        x *= 0x1p-1020; /* still normal: exact */
        k += 1020;
        if (k < -1022) k = -1022; /* underflows to 0 below, as it must */
    }
    return x * lsnn_pm_double((uint64_t)(k + 1023) << 52);
}

/* e^x: all doubles (0 below -745.14, infinity above 709.78). */
static inline double lsnn_exp(double x)
{
    const double ln2_hi = 6.93147180369123816490e-01; /* 32 bits: k * ln2_hi is exact */
    const double ln2_lo = 1.90821492927058770002e-10, inv_ln2 = 1.44269504088896338700e+00;
    const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03;
    const double P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06;
    const double P5 = 4.13813679705723846039e-08;
    if (x != x) return x + x;
    if (x > 7.09782712893383973096e+02) return HUGE_VAL;
    if (x < -7.45133219101941108420e+02) return 0;
    if (x > -0x1p-28 && x < 0x1p-28) return 1 + x;
    /* x = k ln2 + r, |r| <= ln2/2, r = hi - lo; e^r from a minimax rational in r */
    int k = (int)(x * inv_ln2 + (x < 0 ? -0.5 : 0.5));
    double hi = x - k * ln2_hi, lo = k * ln2_lo, r = hi - lo;
    double t = r * r, c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    return lsnn_pm_scale(1 - ((lo - (r * c) / (2 - c)) - hi), k);
}

/* Natural logarithm: all doubles (-infinity at 0, NaN below). */
static inline double lsnn_log(double x)
{
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01;
    const double Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01;
    const double Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01;
    const double Lg7 = 1.479819860511658591e-01;
    if (x != x) return x + x;
    if (x < 0) return NAN;
    if (x == 0) return -HUGE_VAL;
    if (x == HUGE_VAL) return x;
    int k = 0;
    if (x < 0x1p-1022) { /* subnormal */
        x *= 0x1p54;
        k = -54;
    }
    /* x = 2^k m with m in [sqrt(2)/2, sqrt(2)); f = m - 1 is exact */
    uint64_t u = lsnn_pm_bits(x);
    k += (int)(u >> 52) - 1023;
    double m = lsnn_pm_double((u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
    if (m > 0x1.6a09e667f3bcdp0) m *= 0.5, k++;
    /* log(1+f) = f - f^2/2 + s (f^2/2 + R(s)), s = f/(2+f), R a minimax polynomial */
    double f = m - 1, hfsq = 0.5 * f * f, s = f / (2 + f), z = s * s, w = z * z;
    double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    double R = t2 + t1, dk = k;
    return s * (hfsq + R) + dk * ln2_lo - hfsq + f + dk * ln2_hi;
}

/* cos(x + y) for |x| <= pi/4, |y| tiny against x. */
static inline double lsnn_pm_cos_kernel(double x, double y)
{
    const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03;
    const double C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07;
    const double C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
    double z = x * x, w = z * z;
    double r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    double hz = 0.5 * z;
    w = 1 - hz;
    return w + (((1 - w) - hz) + (z * r - x * y));
}

/* sin(x + y) for |x| <= pi/4, |y| tiny against x. */
static inline double lsnn_pm_sin_kernel(double x, double y)
{
    const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03;
    const double S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06;
    const double S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    double z = x * x, w = z * z;
    double r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    double v = z * x;
    return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/* Cosine for |x| < 2^20 pi/2 (about 1.6e6; Box-Muller needs [0, 2 pi)). Larger arguments
 * would need a multi-word pi (fdlibm's __kernel_rem_pio2): NaN there, as for infinities. */
static inline double lsnn_cos(double x)
{
    const double inv_pio2 = 6.36619772367581382433e-01, to_int = 0x1.8p52;
    /* pi/2 in 33-bit pieces (n * piece is exact for n < 2^20), each with its tail */
    const double pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11;
    const double pio2_2 = 6.07710050630396597660e-11, pio2_2t = 2.02226624879595063154e-21;
    const double pio2_3 = 2.02226624871116645580e-21, pio2_3t = 8.47842766036889956997e-32;
    uint64_t ax = lsnn_pm_bits(x) & 0x7fffffffffffffffULL;
    if (ax <= 0x3fe921fb54442d18ULL) return lsnn_pm_cos_kernel(x, 0); /* |x| <= pi/4 */
    if (ax >= 0x413921fb54442d18ULL) return x != x ? x + x : NAN;     /* |x| >= 2^20 pi/2 */
    /* x = n pi/2 + (y0 + y1), |y0| <= pi/4: more pieces of pi/2 when the first cancel */
    double fn = (x * inv_pio2 + to_int) - to_int;
    int n = (int)fn, ex = (int)(ax >> 52);
    double r = x - fn * pio2_1, w = fn * pio2_1t, y0 = r - w;
    if (ex - (int)((lsnn_pm_bits(y0) >> 52) & 0x7ff) > 16) {
        double t = r;
        w = fn * pio2_2;
        r = t - w;
        w = fn * pio2_2t - ((t - r) - w);
        y0 = r - w;
        if (ex - (int)((lsnn_pm_bits(y0) >> 52) & 0x7ff) > 49) {
            t = r;
            w = fn * pio2_3;
            r = t - w;
            w = fn * pio2_3t - ((t - r) - w);
            y0 = r - w;
        }
    }
    double y1 = (r - y0) - w;
    switch (n & 3) {
    case 0:
        return lsnn_pm_cos_kernel(y0, y1);
    case 1:
        return -lsnn_pm_sin_kernel(y0, y1);
    case 2:
        return -lsnn_pm_cos_kernel(y0, y1);
    default:
        return lsnn_pm_sin_kernel(y0, y1);
    }
}

/* a * b = p + *e exactly (Dekker's product; |a|, |b| < 2^995, no FMA needed). */
static inline double lsnn_pm_two_prod(double a, double b, double *e)
{
    const double split = 0x1p27 + 1;
    double p = a * b, ca = split * a, cb = split * b;
    double ah = ca - (ca - a), al = a - ah, bh = cb - (cb - b), bl = b - bh;
    *e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    return p;
}

/* Double-double a * b, renormalised to a hi in [1, 2) times 2^(*k += ...). */
static inline void lsnn_pm_dd_mul(double *hi, double *lo, long *k, double bh, double bl, long bk)
{
    double e, p = lsnn_pm_two_prod(*hi, bh, &e);
    e += *hi * bl + *lo * bh;
    double s = p + e;
    int sk = (int)((lsnn_pm_bits(s) >> 52) & 0x7ff) - 1023;
    double scale = lsnn_pm_double((uint64_t)(1023 - sk) << 52);
    *hi = s * scale;
    *lo = (e - (s - p)) * scale;
    *k += bk + sk;
}

/* x^n for integer n, the step schedule's and Adam's powers: all x and n. Products in
 * double-double with the exponent kept apart, so the result is within 0.5 ulp + |n| 2^-100
 * relative (one more rounding for subnormal results). pow(x, 0) = 1 even for NaN, as C's. */
static inline double lsnn_powi(double x, long n)
{
    if (n == 0) return 1;
    int neg = (lsnn_pm_bits(x) >> 63) && (n & 1); /* -0 too */
    unsigned long un = n < 0 ? 0 - (unsigned long)n : (unsigned long)n;
    double ax = lsnn_pm_double(lsnn_pm_bits(x) & 0x7fffffffffffffffULL);
    if (x != x) return x + x;
    if (ax == 0 || ax == HUGE_VAL) {
        double r = (ax == 0) == (n > 0) ? 0 : HUGE_VAL;
        return neg ? -r : r;
    }
    long bk = 0;
    if (ax < 0x1p-1022) ax *= 0x1p54, bk = -54;
    uint64_t u = lsnn_pm_bits(ax);
    bk += (long)(u >> 52) - 1023;
    double bh = lsnn_pm_double((u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL), bl = 0;
    double h = 1, l = 0;
    long k = 0;
    for (;;) { /* |value| = (h + l) 2^k, the base (bh + bl) 2^bk */
        if (un & 1) lsnn_pm_dd_mul(&h, &l, &k, bh, bl, bk);
        un >>= 1;
        if (!un) break;
        if (bk > 4096 || bk < -4096) { /* the next factor alone over- or underflows */
            k = bk;
            break;
        }
        double b2h = bh, b2l = bl;
        lsnn_pm_dd_mul(&bh, &bl, &bk, b2h, b2l, bk);
    }
    if (n < 0) { /* 1 / (h + l): one Newton step on q = 1/h */
        double e, q = 1 / h, p = lsnn_pm_two_prod(q, h, &e);
        double c = q * (((1 - p) - e) - q * l);
        h = q + c;
        l = c - (h - q);
        k = -k;
    }
    if (k > 2046) k = 2046;
    if (k < -2044) k = -2044;
    double r = lsnn_pm_scale(h + l, k);
    return neg ? -r : r;
}

#endif

#endif
