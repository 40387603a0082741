/* test_nc_arith.c - the neurocore's integer primitives (nc_arith.h) on their check vectors and
 * against independent formulas (floor division, explicit comparisons) over random operands. */
#include <stdint.h>

#include "check.h"
#include "nc_arith.h"
#include "rng.h"

enum { RSHR, LEAK, SATS, SATU, THRESH, FIRES };

static int64_t apply(int op, int64_t x, int64_t y, int64_t z)
{
    uint64_t sat = 0;
    switch (op) {
    case RSHR:
        return lsnn_nc_rshr(x, (int)y);
    case LEAK:
        return lsnn_nc_leak(x, y, (int)z);
    case SATS:
        return lsnn_nc_clamp(x, lsnn_nc_smin((int)y), lsnn_nc_smax((int)y), &sat);
    case SATU:
        return lsnn_nc_clamp(x, 0, lsnn_nc_umax((int)y), &sat);
    case THRESH:
        return lsnn_nc_threshold(x, y, (int)z);
    default:
        return lsnn_nc_fires(x, y, z);
    }
}

/* floor(x / 2^s + 1/2) by long division, without shifts of negative numbers. */
static int64_t rshr_by_division(int64_t x, int s)
{
    int64_t d = (int64_t)1 << s, q = x / d, r = x % d; /* C truncates toward 0 */
    if (r < 0) q--, r += d;                            /* now floor: x = q*d + r, 0 <= r < d */
    return q + (2 * r >= d && s > 0);
}

int main(void)
{
#define VECTOR(op, x, y, z, want)                                                                  \
    CHECK(apply(op, x, y, z) == (int64_t)(want), #op "(%lld, %lld, %lld) = %lld, want %lld",       \
          (long long)(x), (long long)(y), (long long)(z), (long long)apply(op, x, y, z),           \
          (long long)(want));
    LSNN_NC_ARITH_VECTORS(VECTOR)
#undef VECTOR
    lsnn_rng r = lsnn_rng_derive(7, 0, 0);
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        int s = (int)(lsnn_rng_next(&r) % 40);
        int64_t x = (int64_t)(lsnn_rng_next(&r) >> 24) - ((int64_t)1 << 39);
        if (lsnn_nc_rshr(x, s) != rshr_by_division(x, s)) bad++;
        int f = (int)(lsnn_rng_next(&r) % 31);
        int64_t k = (int64_t)(lsnn_rng_next(&r) % (((uint64_t)1 << f) + 1)), v = x >> 16;
        if (lsnn_nc_leak(v, k, f) != v - rshr_by_division(v * k, f)) bad++;
    }
    CHECK(bad == 0,
          "rshr and leak agree with floor division on 200,000 random operands (%d differ)", bad);
    uint64_t sat = 0;
    lsnn_nc_clamp(5, 0, 3, &sat);
    lsnn_nc_clamp(2, 0, 3, &sat);
    lsnn_nc_clamp(-1, 0, 3, &sat);
    CHECK(sat == 2, "clamp counts only the values it changes (%llu)", (unsigned long long)sat);
    return check_report();
}
