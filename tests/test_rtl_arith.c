/* test_rtl_arith.c - rtl/nc_arith.v's primitives against nc_arith.h, through the verilated
 * testbench hw/arith/nc_arith_tb.v:
 *   1. every check vector of LSNN_NC_ARITH_VECTORS through every RTL instance of its operation
 *      whose operand ranges hold it; a vector that no instance holds fails, by name, so that a
 *      new vector comes with its instance;
 *   2. seeded random operands over each instance's ranges (edges, rounding ties and saturation
 *      boundaries drawn on purpose) against the nc_arith.h functions, saturation flags
 *      included.
 * Usage: test_rtl_arith [COUNT [SEED]]: COUNT random operands in all (default 100000), SEED 1. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "hwconfig.h"
#include "nc_arith.h"
#include "nc_arith_tb.h"
#include "rng.h"

enum { RSHR, LEAK, SATS, SATU, THRESH, FIRES };
static const char *const op_name[] = {"RSHR", "LEAK", "SATS", "SATU", "THRESH", "FIRES"};

/* One RTL instance: its operation and the x, y, z it computes exactly (nc_arith_tb.v). */
typedef struct {
    int id;
    const char *name;
    int op;
    int64_t lo[3], hi[3];
} inst;

static int64_t pow2(int n)
{
    return (int64_t)1 << n;
}

/* nc_arith.h's value for (op, x, y, z), as tests/test_nc_arith.c reads a vector; *sat: the
 * clamp changed the value. */
static int64_t apply(int op, int64_t x, int64_t y, int64_t z, int *sat)
{
    uint64_t n = 0;
    int64_t r;
    switch (op) {
    case RSHR:
        r = lsnn_nc_rshr(x, (int)y);
        break;
    case LEAK:
        r = lsnn_nc_leak(x, y, (int)z);
        break;
    case SATS:
        r = lsnn_nc_clamp(x, lsnn_nc_smin((int)y), lsnn_nc_smax((int)y), &n);
        break;
    case SATU:
        r = lsnn_nc_clamp(x, 0, lsnn_nc_umax((int)y), &n);
        break;
    case THRESH:
        r = lsnn_nc_threshold(x, y, (int)z);
        break;
    default:
        r = lsnn_nc_fires(x, y, z);
        break;
    }
    *sat = n != 0;
    return r;
}

static int holds(const inst *in, const int64_t v[3])
{
    for (int i = 0; i < 3; i++)
        if (v[i] < in->lo[i] || v[i] > in->hi[i]) return 0;
    return 1;
}

static int n_inst;
static inst insts[NC_ARITH_TB_COUNT];

static void add(int id, const char *name, int op, int64_t xlo, int64_t xhi, int64_t ylo,
                int64_t yhi, int64_t zlo, int64_t zhi)
{
    insts[n_inst++] = (inst){id, name, op, {xlo, ylo, zlo}, {xhi, yhi, zhi}};
}

/* The instances of nc_arith_tb.v and their ranges: nc_neuron's at the default core's widths
 * (nc_neuron.v's localparams), the others at the widths the vectors need. */
static void build_table(void)
{
    lsnn_hw_config c;
    lsnn_hw_defaults(&c);
    int V = c.v_bits, U = c.acc_bits, G = c.a_frac_bits, Q = c.ref_bits, K = c.decay_bits;
    int AW = V + G, PVW = V + K + 1, PAW = AW + K + 1, RVW = (PVW > 32 ? PVW : 32) + 1;
    int TW = V + 2, SW0 = U > TW ? U : TW, SW = (SW0 > RVW ? SW0 : RVW) + 4, YAW = AW + 3;
#define ID(name) NC_ARITH_TB_##name, #name
    add(ID(rshr64), RSHR, -pow2(62), pow2(62), 0, 62, 0, 0); /* nc_arith.h's rshr domain */
    add(ID(rshr_pv), RSHR, -pow2(PVW - 1), pow2(PVW - 1) - 1, 0, 31, 0, 0);
    add(ID(rshr_pa), RSHR, -pow2(PAW - 1), pow2(PAW - 1) - 1, 0, 31, 0, 0);
    add(ID(leak_v), LEAK, -pow2(V - 1), pow2(V - 1) - 1, 0, pow2(K) - 1, 0, 31);
    add(ID(leak_a), LEAK, 0, pow2(AW) - 1, 0, pow2(K) - 1, 0, 31);
    add(ID(leak_wide), LEAK, -pow2(31), pow2(31) - 1, 0, pow2(17) - 1, 0, 31);
    add(ID(sats24), SATS, INT64_MIN, INT64_MAX, 24, 24, 0, 0);
    add(ID(sats28), SATS, INT64_MIN, INT64_MAX, 28, 28, 0, 0);
    add(ID(sat_v), SATS, -pow2(SW - 1), pow2(SW - 1) - 1, V, V, 0, 0);
    add(ID(satu8), SATU, INT64_MIN, INT64_MAX, 8, 8, 0, 0);
    add(ID(satu32), SATU, INT64_MIN, INT64_MAX, 32, 32, 0, 0);
    add(ID(sat_a), SATU, -pow2(YAW - 1), pow2(YAW - 1) - 1, AW, AW, 0, 0);
    add(ID(thr), THRESH, 0, pow2(V - 1) - 1, 0, pow2(AW) - 1, G, G);
    add(ID(thr_g0), THRESH, 0, pow2(V - 1) - 1, 0, pow2(V) - 1, 0, 0);
    add(ID(fires), FIRES, 0, pow2(Q) - 1, -pow2(V - 1), pow2(V - 1) - 1, 0, pow2(TW) - 1);
#undef ID
}

static nc_arith_tb *tb;

/* Runs one vector through every instance that holds it; 0 instances is a failure. */
static void run_vector(int op, int64_t x, int64_t y, int64_t z, int64_t want)
{
    const int64_t v[3] = {x, y, z};
    int ran = 0;
    for (int i = 0; i < n_inst; i++) {
        const inst *in = &insts[i];
        if (in->op != op || !holds(in, v)) continue;
        int sat;
        int64_t got = nc_arith_tb_eval(tb, in->id, x, y, z, &sat);
        CHECK(got == want,
              "%s(%" PRId64 ", %" PRId64 ", %" PRId64 ") on %s: rtl %" PRId64 ", want %" PRId64,
              op_name[op], x, y, z, in->name, got, want);
        /* a clamp is saturated exactly when it changed x */
        int want_sat = (op == SATS || op == SATU) && want != x;
        CHECK(sat == want_sat, "%s(%" PRId64 ", %" PRId64 ", %" PRId64 ") on %s: sat %d, want %d",
              op_name[op], x, y, z, in->name, sat, want_sat);
        ran++;
    }
    CHECK(ran > 0,
          "no RTL instance holds the vector %s(%" PRId64 ", %" PRId64 ", %" PRId64
          "): add one for its widths to hw/arith/nc_arith_tb.v (and nc_arith_tb.h, this table)",
          op_name[op], x, y, z);
}

static lsnn_rng rng;

static uint64_t next(void)
{
    return lsnn_rng_next(&rng);
}

/* v if it lies in [lo, hi], else fallback */
static int64_t within(int64_t v, int64_t lo, int64_t hi, int64_t fallback)
{
    return v >= lo && v <= hi ? v : fallback;
}

/* A value in [lo, hi]: uniform, of a random bit length (small and large magnitudes alike), or
 * an edge (lo, hi, 0, +-1 and their neighbours). */
static int64_t draw(int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo, r = next();
    int64_t u = span == UINT64_MAX ? (int64_t)r : (int64_t)((uint64_t)lo + r % (span + 1));
    int d = (int)(next() % 5) - 2;
    switch (next() % 8) {
    case 4:
    case 5: {
        int bits = (int)(next() % 64);
        int64_t m = bits ? (int64_t)(next() >> (64 - bits)) : 0;
        return within(next() & 1 ? -m : m, lo, hi, u);
    }
    case 6:
        return within((int64_t)((uint64_t)lo + (uint64_t)(d + 2)), lo, hi, u);
    case 7:
        return within((int64_t)((uint64_t)hi + (uint64_t)(d - 2)), lo, hi, u);
    default:
        return next() % 16 == 0 ? within(d, lo, hi, u) : u;
    }
}

/* x moved onto (or next to) a rounding tie of a shift by s: x = q*2^s + 2^(s-1) + d */
static int64_t tie(int64_t x, int s, int64_t lo, int64_t hi)
{
    if (s < 1 || s > 61) return x;
    int64_t t = (x >> s) * pow2(s) + pow2(s - 1) + (int64_t)(next() % 3) - 1;
    return within(t, lo, hi, x);
}

/* Random operands for one instance; the operation's interesting points on purpose. */
static void draw_operands(const inst *in, int64_t v[3])
{
    for (int i = 0; i < 3; i++)
        v[i] = draw(in->lo[i], in->hi[i]);
    int d = (int)(next() % 5) - 2, pick = (int)(next() % 4);
    switch (in->op) {
    case RSHR:
        if (pick == 0) v[0] = tie(v[0], (int)v[1], in->lo[0], in->hi[0]);
        break;
    case LEAK:
        if (pick == 0) v[1] = within(pow2((int)v[2]), in->lo[1], in->hi[1], v[1]); /* k = 2^f */
        if (pick == 1) { /* k = 1: x itself on a tie */
            v[1] = 1;
            v[0] = tie(v[0], (int)v[2], in->lo[0], in->hi[0]);
        }
        break;
    case SATS: /* around -2^(n-1) and 2^(n-1) - 1 */
        if (pick < 2) {
            int64_t b = pick ? lsnn_nc_smax((int)v[1]) : lsnn_nc_smin((int)v[1]);
            v[0] = within(b + d, in->lo[0], in->hi[0], v[0]);
        }
        break;
    case SATU: /* around 0 and 2^n - 1 */
        if (pick < 2) {
            int64_t b = pick ? lsnn_nc_umax((int)v[1]) : 0;
            v[0] = within(b + d, in->lo[0], in->hi[0], v[0]);
        }
        break;
    case THRESH:
        if (pick == 0) v[1] = tie(v[1], (int)v[2], in->lo[1], in->hi[1]);
        break;
    default: /* FIRES: not refractory half the time, v next to A */
        if (pick < 2) v[0] = 0;
        if (pick != 1) v[1] = within(v[2] + d, in->lo[1], in->hi[1], v[1]);
        break;
    }
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    build_table();
    tb = nc_arith_tb_new();

#define VECTOR(op, x, y, z, want) run_vector(op, x, y, z, want);
    LSNN_NC_ARITH_VECTORS(VECTOR)
#undef VECTOR

    long per = (count + n_inst - 1) / n_inst;
    for (int i = 0; i < n_inst; i++) {
        const inst *in = &insts[i];
        rng = lsnn_rng_derive(seed, 0x617269746862ULL, (uint64_t)i); /* one stream each */
        long bad = 0, sat = 0, ones = 0;
        for (long j = 0; j < per; j++) {
            int64_t v[3];
            draw_operands(in, v);
            int want_sat, got_sat;
            int64_t want = apply(in->op, v[0], v[1], v[2], &want_sat);
            int64_t got = nc_arith_tb_eval(tb, in->id, v[0], v[1], v[2], &got_sat);
            sat += want_sat;
            ones += in->op == FIRES && want;
            if (got == want && got_sat == want_sat) continue;
            if (bad++ < 5)
                fprintf(stderr,
                        "%s on %s (seed %" PRIu64 "): (%" PRId64 ", %" PRId64 ", %" PRId64
                        ") rtl %" PRId64 " sat %d, want %" PRId64 " sat %d\n",
                        op_name[in->op], in->name, seed, v[0], v[1], v[2], got, got_sat, want,
                        want_sat);
        }
        CHECK(bad == 0, "%s: %ld of %ld random operands differ from nc_arith.h", in->name, bad,
              per);
        /* the draws reach both sides of a clamp and of the spike test */
        if (in->op == SATS || in->op == SATU)
            CHECK(sat > per / 20 && sat < per - per / 20, "%s: %ld of %ld saturated", in->name, sat,
                  per);
        if (in->op == FIRES)
            CHECK(ones > per / 20 && ones < per - per / 20, "%s: %ld of %ld fire", in->name, ones,
                  per);
        printf("%-9s %-6s %ld random operands, %ld differ\n", in->name, op_name[in->op], per, bad);
    }
    nc_arith_tb_free(tb);
    return check_report();
}
