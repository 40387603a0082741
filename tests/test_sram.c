/* test_sram.c - the SRAM model: its sourced anchor points, monotonic in size and width, banks
 * no larger than the limit, leakage and area per bit, errors naming the memory. */
#include "check.h"
#include "energy.h"

#include <math.h>

static lsnn_tech_table odin, horowitz;

static int near(double got, double want)
{
    return fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want));
}

static void load(const char *file, lsnn_tech_table *t)
{
    char path[1024];
    const char *root = getenv("LSNN_SOURCE_DIR");
    lsnn_error e = {{0}};
    snprintf(path, sizeof path, "%s/models/tech/%s", root ? root : "..", file);
    if (lsnn_tech_load(path, t, &e) != 0) {
        fprintf(stderr, "%s: %s\n", path, e.msg);
        exit(1);
    }
}

/* The 64-bit read energy of one unbanked array of `kib` KiB. */
static double read64(const lsnn_tech_sram *m, double kib)
{
    lsnn_tech_sram big = *m;
    lsnn_sram_mem r;
    lsnn_error e = {{0}};
    big.bank_max.value = 1e6; /* no banking */
    uint64_t rows = (uint64_t)llround(kib * 8192 / 64);
    if (lsnn_sram_price(&big, "t", rows, 64, 1, &r, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        exit(1);
    }
    return r.read_pj;
}

/* A model with Horowitz's own 45 nm anchors (the reference_ops table's sram64_* entries). */
static lsnn_tech_sram horowitz_model(void)
{
    lsnn_tech_sram m = odin.sram;
    m.n_anchors = 3;
    m.anchor_kib[0] = 8, m.anchor_kib[1] = 32, m.anchor_kib[2] = 1024;
    m.read64[0].value = horowitz.ops[LSNN_OP_SRAM64_8KB].value;
    m.read64[1].value = horowitz.ops[LSNN_OP_SRAM64_32KB].value;
    m.read64[2].value = horowitz.ops[LSNN_OP_SRAM64_1MB].value;
    return m;
}

/* At its anchors the model gives the sourced figures exactly: Horowitz's 10, 20, 100 pJ at
 * 45 nm, and the 28 nm table's anchors, which are Horowitz's times one factor f. */
static void test_anchors(void)
{
    lsnn_tech_sram h = horowitz_model();
    CHECK(near(read64(&h, 8), 10) && near(read64(&h, 32), 20) && near(read64(&h, 1024), 100),
          "45 nm anchors %g %g %g", read64(&h, 8), read64(&h, 32), read64(&h, 1024));
    CHECK(odin.has_equal_terms && odin.sram.n_anchors == 3, "28 nm table has the SRAM model");
    double f = odin.sram.read64[0].value / h.read64[0].value;
    for (int k = 0; k < odin.sram.n_anchors; k++) {
        double kib = odin.sram.anchor_kib[k];
        CHECK(near(read64(&odin.sram, kib), odin.sram.read64[k].value), "28 nm anchor %g KiB", kib);
        CHECK(near(odin.sram.read64[k].value, f * read64(&h, kib)),
              "28 nm anchor %g KiB = f x Horowitz (f = %g)", kib, f);
    }
    /* between 8 and 32 KiB Horowitz's step is sqrt(4) = 2: the model is sqrt there */
    CHECK(near(read64(&h, 16), 10 * sqrt(2)), "16 KiB %g", read64(&h, 16));
    /* beyond the anchors: the size exponent */
    double x = h.size_exponent.value;
    CHECK(near(read64(&h, 2), 10 * pow(0.25, x)) && near(read64(&h, 4096), 100 * pow(4, x)),
          "extrapolation %g %g", read64(&h, 2), read64(&h, 4096));
}

/* Non-decreasing in size (0.03 KiB .. 8 MiB) and in width; strictly increasing in width. */
static void test_monotonic(void)
{
    lsnn_error e = {{0}};
    double prev = 0;
    int bad = 0;
    for (double kib = 0.03125; kib <= 8192; kib *= 1.07) {
        double v = read64(&odin.sram, kib);
        bad += v < prev;
        prev = v;
    }
    CHECK(bad == 0, "%d size steps decrease", bad);
    lsnn_sram_mem a, b;
    bad = 0;
    for (int w = 1; w < 256; w++) {
        CHECK(lsnn_sram_price(&odin.sram, "w", 1024, w, 1, &a, &e) == 0, "%s", e.msg);
        CHECK(lsnn_sram_price(&odin.sram, "w", 1024, w + 1, 1, &b, &e) == 0, "%s", e.msg);
        bad += !(b.read_pj > a.read_pj) || !(b.write_pj > a.write_pj);
    }
    CHECK(bad == 0, "%d width steps do not increase", bad);
}

/* Banks: equal, whole rows, none above bank_max; an access costs a bank's read. */
static void test_banks(void)
{
    lsnn_error e = {{0}};
    lsnn_sram_mem syn, one;
    double max_bits = odin.sram.bank_max.value * 8192;
    /* the default core's SYN: 65536 x 76 bits = 608 KiB */
    CHECK(lsnn_sram_price(&odin.sram, "SYN", 65536, 76, 1, &syn, &e) == 0, "%s", e.msg);
    CHECK(syn.banks >= ceil(65536.0 * 76 / max_bits) && syn.bank_bits <= max_bits &&
              (double)syn.bank_rows * (uint64_t)syn.banks >= 65536,
          "SYN %d banks of %llu rows", syn.banks, (unsigned long long)syn.bank_rows);
    CHECK(lsnn_sram_price(&odin.sram, "one", syn.bank_rows, 76, 1, &one, &e) == 0, "%s", e.msg);
    CHECK(one.banks == 1 && near(one.read_pj, syn.read_pj), "bank read %g vs %g", one.read_pj,
          syn.read_pj);
    /* leakage and area per built bit, the same figure for every memory */
    double pw = odin.sram.bit_leakage.value, um2 = odin.sram.bit_area.value;
    CHECK(near(syn.leak_w, syn.bits * pw * 1e-12) && near(syn.area_um2, syn.bits * um2) &&
              near(syn.bank_leak_w * syn.banks, syn.leak_w) && syn.bits >= 65536.0 * 76,
          "leak %g area %g", syn.leak_w, syn.area_um2);
    /* instances multiply bits, not the access energy */
    lsnn_sram_mem acc4;
    CHECK(lsnn_sram_price(&odin.sram, "ACC", 1024, 28, 4, &acc4, &e) == 0, "%s", e.msg);
    CHECK(lsnn_sram_price(&odin.sram, "ACC1", 1024, 28, 1, &one, &e) == 0, "%s", e.msg);
    CHECK(near(acc4.read_pj, one.read_pj) && near(acc4.bits, 4 * one.bits), "instances");
}

static void test_errors(void)
{
    lsnn_error e = {{0}};
    lsnn_sram_mem r;
    r.rows = 77;
    CHECK(lsnn_sram_price(&odin.sram, "RTE", 0, 27, 1, &r, &e) == -1 &&
              strstr(e.msg, "memory RTE") && strstr(e.msg, "rows must be in 1..2^40") &&
              r.rows == 77,
          "%s", e.msg);
    CHECK(lsnn_sram_price(&odin.sram, "RTE", 10, 0, 1, &r, &e) == -1 &&
              strstr(e.msg, "width in 1..4096"),
          "%s", e.msg);
    lsnn_tech_sram small = odin.sram;
    small.bank_max.value = 0.001; /* 8.192 bits */
    CHECK(lsnn_sram_price(&small, "SYN", 10, 76, 1, &r, &e) == -1 &&
              strstr(e.msg, "a 76-bit row does not fit a bank"),
          "%s", e.msg);
    lsnn_tech_sram none = {0};
    CHECK(lsnn_sram_price(&none, "X", 10, 8, 1, &r, &e) == -1 && strstr(e.msg, "no SRAM model"),
          "%s", e.msg);
}

int main(void)
{
    load("odin_reckon_28nm.yaml", &odin);
    load("horowitz_45nm.yaml", &horowitz);
    test_anchors();
    test_monotonic();
    test_banks();
    test_errors();
    return check_report();
}
