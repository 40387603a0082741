/* test_pmath.c - the portable exp, log, cos and integer power (runtime/include/lsnn/pmath.h):
 * errors against long double references over the callers' ranges and beyond, distance to
 * glibc's double functions, and special values. Always tests the portable code, also in
 * LSNN_NATIVE builds (tests/CMakeLists.txt compiles this file with -ffp-contract=off). */
#undef LSNN_NATIVE
#include "pmath.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "rng.h"

/* Errors of one function over one range. */
typedef struct {
    const char *what;
    double max_ulp;   /* against the long double reference */
    long max_dist;    /* in ulps from glibc's double result */
    long n, n_differ; /* samples, samples not equal to glibc's */
    double worst_arg; /* where max_ulp was reached */
    long worst_n;
} stats;

/* The error of got in units of the last place of the exact value ref (ulp of a double). */
static double ulp_error(double got, long double ref)
{
    if (isnan(got) || isnan((double)ref)) return isnan(got) && isnan((double)ref) ? 0 : INFINITY;
    if (isinf(got) || isinf((double)ref)) return got == (double)ref ? 0 : INFINITY;
    int e;
    frexpl(ref, &e);
    long double ulp = ldexpl(1, e - 53 < -1074 ? -1074 : e - 53);
    return (double)(fabsl((long double)got - ref) / ulp);
}

/* Doubles in order as integers: distance in ulps. */
static long ulp_dist(double a, double b)
{
    int64_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    if (ia < 0) ia = INT64_MIN - ia;
    if (ib < 0) ib = INT64_MIN - ib;
    int64_t d = ia > ib ? ia - ib : ib - ia;
    return d > LONG_MAX ? LONG_MAX : (long)d;
}

static void add(stats *s, double arg, long n, double got, long double ref, double libm)
{
    double u = ulp_error(got, ref);
    if (u > s->max_ulp || s->n == 0) s->max_ulp = u, s->worst_arg = arg, s->worst_n = n;
    long d = ulp_dist(got, libm);
    if (d > s->max_dist) s->max_dist = d;
    s->n_differ += d != 0;
    s->n++;
}

static void report(const stats *s, double max_ulp)
{
    printf("%-34s %8ld samples: max %.3f ulp (at %.17g, n %ld); glibc: %ld differ, by <= %ld\n",
           s->what, s->n, s->max_ulp, s->worst_arg, s->worst_n, s->n_differ, s->max_dist);
    CHECK(s->max_ulp < max_ulp, "%s: %.3f ulp at %.17g", s->what, s->max_ulp, s->worst_arg);
    CHECK(s->max_dist <= 1, "%s: %ld ulps from glibc", s->what, s->max_dist);
}

static double uniform(lsnn_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * lsnn_rng_uniform(r);
}

/* Positive doubles with uniformly random bits between two exponents. */
static double random_bits(lsnn_rng *r, int e_lo, int e_hi)
{
    uint64_t m = lsnn_rng_next(r) >> 12;
    uint64_t e = (uint64_t)(e_lo + (int)lsnn_rng_below(r, (uint32_t)(e_hi - e_lo + 1)) + 1023);
    double x;
    uint64_t u = e << 52 | m;
    memcpy(&x, &u, sizeof x);
    return x;
}

#define SAMPLES 400000

static void exp_range(lsnn_rng *r, const char *what, double lo, double hi)
{
    stats s = {.what = what};
    for (long i = 0; i < SAMPLES; i++) {
        double x = uniform(r, lo, hi);
        add(&s, x, 0, lsnn_exp(x), expl(x), exp(x));
    }
    report(&s, 1);
}

static void test_exp(lsnn_rng *r)
{
    exp_range(r, "exp [-20, 0] (softmax, decays)", -20, 0);
    exp_range(r, "exp [-1, 1]", -1, 1);
    exp_range(r, "exp [-708, 709.78]", -708, 709.78);
    exp_range(r, "exp [-745.13, -708] (subnormal)", -745.13, -708);
    exp_range(r, "exp [-2^-20, 2^-20]", -0x1p-20, 0x1p-20);
    CHECK(lsnn_exp(0) == 1 && lsnn_exp(-0.0) == 1, "exp(0)");
    CHECK(ulp_error(lsnn_exp(1), expl(1)) < 1, "exp(1) = %.17g", lsnn_exp(1));
    CHECK(lsnn_exp(INFINITY) == INFINITY && lsnn_exp(-INFINITY) == 0, "exp(+-inf)");
    CHECK(isnan(lsnn_exp(NAN)), "exp(nan)");
    CHECK(lsnn_exp(709.78) < INFINITY && lsnn_exp(709.79) == INFINITY, "exp overflow");
    CHECK(lsnn_exp(DBL_MAX) == INFINITY && lsnn_exp(-DBL_MAX) == 0, "exp(+-max)");
    CHECK(lsnn_exp(-745.13) == 0x1p-1074 && lsnn_exp(-745.14) == 0, "exp underflow: %a",
          lsnn_exp(-745.13));
    CHECK(lsnn_exp(0x1p-1074) == 1 && lsnn_exp(-0x1p-1074) == 1, "exp(subnormal)");
}

static void log_bits(lsnn_rng *r, const char *what, int e_lo, int e_hi)
{
    stats s = {.what = what};
    for (long i = 0; i < SAMPLES; i++) {
        double x = random_bits(r, e_lo, e_hi);
        add(&s, x, 0, lsnn_log(x), logl(x), log(x));
    }
    report(&s, 1);
}

static void test_log(lsnn_rng *r)
{
    stats s = {.what = "log 1 - u (Box-Muller, (0, 1])"};
    for (long i = 0; i < SAMPLES; i++) {
        double x = 1.0 - lsnn_rng_uniform(r);
        add(&s, x, 0, lsnn_log(x), logl(x), log(x));
    }
    report(&s, 1);
    stats t = {.what = "log [1, 64] (softmax sums)"};
    for (long i = 0; i < SAMPLES; i++) {
        double x = uniform(r, 1, 64);
        add(&t, x, 0, lsnn_log(x), logl(x), log(x));
    }
    report(&t, 1);
    stats c = {.what = "log [0.999, 1.001]"};
    for (long i = 0; i < SAMPLES; i++) {
        double x = uniform(r, 0.999, 1.001);
        add(&c, x, 0, lsnn_log(x), logl(x), log(x));
    }
    report(&c, 1);
    log_bits(r, "log (all normal doubles)", -1022, 1023);
    stats sub = {.what = "log (subnormal)"};
    for (long i = 0; i < SAMPLES / 8; i++) {
        double x = (double)(lsnn_rng_next(r) >> 12 | 1) * 0x1p-1074;
        add(&sub, x, 0, lsnn_log(x), logl(x), log(x));
    }
    report(&sub, 1);
    CHECK(lsnn_log(1) == 0 && !signbit(lsnn_log(1)), "log(1) = +0");
    CHECK(lsnn_log(2) == log(2) && lsnn_log(0.5) == log(0.5), "log(2), log(0.5)");
    CHECK(lsnn_log(0) == -INFINITY && lsnn_log(-0.0) == -INFINITY, "log(0)");
    CHECK(isnan(lsnn_log(-1)) && isnan(lsnn_log(-INFINITY)) && isnan(lsnn_log(NAN)), "log nan");
    CHECK(lsnn_log(INFINITY) == INFINITY, "log(inf)");
    CHECK(lsnn_log(0x1p-1074) == log(0x1p-1074) && lsnn_log(DBL_MAX) == log(DBL_MAX),
          "log(min subnormal), log(max)");
}

static void cos_range(lsnn_rng *r, const char *what, double lo, double hi)
{
    stats s = {.what = what};
    for (long i = 0; i < SAMPLES; i++) {
        double x = uniform(r, lo, hi);
        add(&s, x, 0, lsnn_cos(x), cosl(x), cos(x));
    }
    report(&s, 1);
}

static void test_cos(lsnn_rng *r)
{
    stats s = {.what = "cos 2 pi u (Box-Muller, [0, 2 pi))"};
    for (long i = 0; i < SAMPLES; i++) {
        double x = 6.283185307179586 * lsnn_rng_uniform(r);
        add(&s, x, 0, lsnn_cos(x), cosl(x), cos(x));
    }
    report(&s, 1);
    cos_range(r, "cos [-pi/4, pi/4]", -0.7853981633974483, 0.7853981633974483);
    cos_range(r, "cos [-100, 100]", -100, 100);
    cos_range(r, "cos [-2^20 pi/2, 2^20 pi/2]", -1647099.0, 1647099.0);
    /* near the zeros, where the reduction cancels */
    stats z = {.what = "cos near k pi/2 (k < 2^20)"};
    for (long i = 0; i < SAMPLES / 4; i++) {
        double x = (double)(long)lsnn_rng_below(r, 1u << 20) * 1.5707963267948966;
        for (int k = (int)lsnn_rng_below(r, 8); k > 0; k--)
            x = nextafter(x, INFINITY);
        add(&z, x, 0, lsnn_cos(x), cosl(x), cos(x));
    }
    report(&z, 1);
    CHECK(lsnn_cos(0) == 1 && lsnn_cos(-0.0) == 1 && lsnn_cos(0x1p-1074) == 1, "cos(0)");
    CHECK(lsnn_cos(1) == cos(1), "cos(1) = %.17g", lsnn_cos(1));
    CHECK(isnan(lsnn_cos(INFINITY)) && isnan(lsnn_cos(-INFINITY)) && isnan(lsnn_cos(NAN)),
          "cos(inf), cos(nan)");
    CHECK(isnan(lsnn_cos(2e6)) && isnan(lsnn_cos(-1e300)), "cos beyond 2^20 pi/2: NaN");
}

static void powi_range(lsnn_rng *r, const char *what, double lo, double hi, long n_lo, long n_hi)
{
    stats s = {.what = what}, sub = {.what = "  its subnormal results"};
    for (long i = 0; i < SAMPLES / 2; i++) {
        double x = uniform(r, lo, hi);
        long n = n_lo + (long)lsnn_rng_below(r, (uint32_t)(n_hi - n_lo + 1));
        long double ref = powl(x, n);
        /* a subnormal result is rounded twice: to 53 bits, then to its precision */
        add(fabsl(ref) < DBL_MIN ? &sub : &s, x, n, lsnn_powi(x, n), ref, pow(x, (double)n));
    }
    report(&s, 0.51);
    if (sub.n) report(&sub, 1);
}

static void test_powi(lsnn_rng *r)
{
    powi_range(r, "powi (0.9, 1)^[0, 1e4] (Adam beta1)", 0.9, 1, 0, 10000);
    powi_range(r, "powi (0.999, 1)^[0, 1e6] (Adam beta2)", 0.999, 1, 0, 1000000);
    powi_range(r, "powi [0.1, 1]^[0, 20] (lr decay)", 0.1, 1, 0, 20);
    powi_range(r, "powi [0.5, 2]^[-1000, 1000]", 0.5, 2, -1000, 1000);
    powi_range(r, "powi [-3, 3]^[-300, 300]", -3, 3, -300, 300);
    powi_range(r, "powi [1-2^-30, 1+2^-30]^[0, 2^31]", 1 - 0x1p-30, 1 + 0x1p-30, 0, INT32_MAX);
    CHECK(lsnn_powi(2, 10) == 1024 && lsnn_powi(-2, 3) == -8 && lsnn_powi(-2, 4) == 16, "ints");
    CHECK(lsnn_powi(10, -1) == 0.1 && lsnn_powi(10, 22) == 1e22, "10^-1, 10^22");
    CHECK(lsnn_powi(0.5, 1074) == 0x1p-1074 && lsnn_powi(0.5, 1075) == 0, "2^-1074, 2^-1075");
    CHECK(lsnn_powi(2, 1023) == 0x1p1023 && lsnn_powi(2, 1024) == INFINITY, "2^1023, 2^1024");
    CHECK(lsnn_powi(1e300, 2) == INFINITY && lsnn_powi(1e-300, 2) == 0, "over-, underflow");
    CHECK(lsnn_powi(1e-300, -2) == INFINITY && lsnn_powi(-1e300, 3) == -INFINITY, "overflow");
    CHECK(lsnn_powi(0x1p-1074, 1) == 0x1p-1074 && lsnn_powi(0x1p-1074, -1) == INFINITY,
          "subnormal x");
    CHECK(lsnn_powi(1.5, LONG_MAX) == INFINITY && lsnn_powi(1.5, LONG_MIN) == 0, "n extremes");
    CHECK(lsnn_powi(-1, LONG_MAX) == -1 && lsnn_powi(-1, LONG_MIN) == 1, "(-1)^n");
    CHECK(lsnn_powi(0, 0) == 1 && lsnn_powi(NAN, 0) == 1 && lsnn_powi(INFINITY, 0) == 1, "x^0");
    CHECK(lsnn_powi(0, 3) == 0 && lsnn_powi(0, -1) == INFINITY, "0^n");
    CHECK(signbit(lsnn_powi(-0.0, 3)) && lsnn_powi(-0.0, -1) == -INFINITY, "-0^odd");
    CHECK(!signbit(lsnn_powi(-0.0, 2)) && lsnn_powi(-0.0, -2) == INFINITY, "-0^even");
    CHECK(lsnn_powi(INFINITY, 2) == INFINITY && lsnn_powi(-INFINITY, 3) == -INFINITY &&
              lsnn_powi(INFINITY, -1) == 0,
          "inf^n");
    CHECK(isnan(lsnn_powi(NAN, 1)) && isnan(lsnn_powi(NAN, -2)), "nan^n");
    double e = lsnn_powi(1 + 0x1p-52, 1L << 52);
    CHECK(ulp_error(e, powl(1 + 0x1p-52, 0x1p52)) < 1, "(1 + 2^-52)^(2^52) = %.17g", e);
}

int main(void)
{
    lsnn_rng r = lsnn_rng_derive(2024, 1, 0);
    test_exp(&r);
    test_log(&r);
    test_cos(&r);
    test_powi(&r);
    return check_report();
}
