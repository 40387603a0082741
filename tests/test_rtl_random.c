/* test_rtl_random.c - the RTL neurocore (rtl/, hw/rtl_core.h) against the reference, every tick.
 *
 * Random cores (random profiles, CUBA or not (§17), NCFG, initial STATE near threshold and
 * currents up to saturation, AXT segments, SYN lanes
 * with weights near saturation, RIX/RTE with local, other-core and host routes, bad and
 * duplicate axons) are programmed through the lsnn_ref_set_* setters, packed into an image and
 * loaded into the RTL through the programming port or through $readmemh. Then random EVENT
 * words (many per tick, so the AER-in FIFO fills), reserved words, CLEARs and TICKs go to both.
 * After every tick the test compares every neuron's STATE, all 32 counters, the tick's cycle
 * count and the output words (per port, in order); the first difference prints the tick, the
 * neuron or counter, and both values, and the network fails.
 *
 * LSNN_RTL_NETS (default 40) networks x LSNN_RTL_TICKS (default 200) ticks, spread over the
 * verilated configs of hw/configs.txt (stress_c has the zero-width fields: S = 1, D = 1, G = 0);
 * LSNN_RTL_SEED picks the first seed and LSNN_RTL_CONFIG (default, small, stress_a, stress_b,
 * stress_c) runs one config only. Arguments: [nets [ticks]]. */
#include "check.h"
#include "random_core.h"
#include "image.h"
#include "ref_core.h"
#include "rtl_check.h"
#include "rtl_core.h"
#include "target.h"
#include "target_rtl.h"

#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void must(int rc, const lsnn_error *e, const char *what)
{
    must_at("test_rtl_random", rc, e, what);
}

static uint64_t totals[LSNN_REF_NCOUNTERS]; /* the reference's counters over all networks */

static int verdict(int rc, const lsnn_target *pair, const lsnn_error *e, int t)
{
    return lockstep_verdict(rc, pair, e, t, "RTL");
}

/* One network: returns 0 when every tick matched. */
static int run_net(const lsnn_hw_config *g, uint64_t seed, int ticks, int use_readmemh,
                   uint64_t *sim_cycles)
{
    rs = seed * 0x9E3779B97F4A7C15ull + 1;
    lsnn_error e = {{0}};
    lsnn_ref_core *c = random_core(g);
    lsnn_image img;
    lsnn_ref_core *cores[1] = {c};
    must(lsnn_image_from_cores(cores, 1, &img, &e), &e, "image");
    char dir[1200] = "random";
    if (use_readmemh) {
        char cwd[1024];
        const char *tmp = check_tmpdir("test_rtl_random");
        if (tmp[0] != '/' && getcwd(cwd, sizeof cwd))
            snprintf(dir, sizeof dir, "%s/%s/img%" PRIu64, cwd, tmp, seed);
        else
            snprintf(dir, sizeof dir, "%s/img%" PRIu64, tmp, seed);
        must(lsnn_image_write(&img, dir, &e), &e, "image write");
    }
    /* the reference core and the RTL in lockstep (runtime/chip/lockstep.c, as lsnn verify) */
    lsnn_ref_chip *chip = lsnn_ref_chip_wrap(cores, 1, &e);
    must(!chip, &e, "chip");
    lsnn_target ref, rtl, pair;
    lsnn_target_ref(chip, 1, &ref);
    must(lsnn_target_rtl_open(&img, dir, NULL, use_readmemh, &rtl, &e), &e, "rtl load");
    ref.neurons = rtl.neurons = g->neurons; /* every neuron, NU and above */
    must(lsnn_lockstep_open(&ref, &rtl, &pair, &e), &e, "lockstep");
    int fail = verdict(lsnn_lockstep_check(&pair, 0, &e), &pair, &e, 0);
    int X = g->axons, XB = 0;
    while ((1 << XB) < X)
        XB++;
    int hot = (int)below(3); /* event density of this network */
    for (int t = 0; t < ticks && !fail; t++) {
        int nev = hot == 0   ? (int)below(4)
                  : hot == 1 ? (int)below((uint32_t)(3 * g->fifo_in + 4))
                             : (int)below((uint32_t)c->xu + 8);
        for (int i = 0; i < nev; i++) {
            uint32_t w;
            if (chance(3))
                w = 0xC0000000u | below(1u << 30); /* reserved */
            else if (chance(3))
                w = (below((1u << (30 - XB)) - 1) + 1) << XB | below((uint32_t)X); /* bad bits */
            else
                w = chance(90) && c->xu ? below(c->xu) : below((uint32_t)X);
            must(pair.word(pair.ctx, 0, w, &e), &e, "event");
        }
        if (chance(2) && (fail = verdict(pair.clear(pair.ctx, &e), &pair, &e, t))) break;
        fail = verdict(pair.tick(pair.ctx, &e), &pair, &e, t);
    }
    *sim_cycles += rtl.sim_cycles(rtl.ctx);
    for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
        totals[i] += c->counters[i];
    lsnn_target_close(&pair);
    lsnn_target_close(&rtl);
    lsnn_ref_chip_free(chip);
    lsnn_image_free(&img);
    lsnn_ref_free(c);
    return fail;
}

int main(int argc, char **argv)
{
    const char *s = getenv("LSNN_RTL_NETS");
    int nets = s ? atoi(s) : 40;
    s = getenv("LSNN_RTL_TICKS");
    int ticks = s ? atoi(s) : 200;
    s = getenv("LSNN_RTL_SEED");
    uint64_t seed0 = s ? strtoull(s, NULL, 10) : 1;
    if (argc > 1) nets = atoi(argv[1]);
    if (argc > 2) ticks = atoi(argv[2]);
    char names[256];
    lsnn_rtl_models(names, sizeof names);
    printf("verilated models: %s\n", names);
    /* the default core is the slowest to load and run: every 8th network; the others take
     * turns in hw/configs.txt order (small, stress_a, stress_b, stress_c, ...) */
    const cfgdef *dflt = cfg_named("default"), *others[NCFGS];
    int nothers = 0;
    for (int k = 0; k < NCFGS; k++)
        if (&cfgs[k] != dflt) others[nothers++] = &cfgs[k];
    const char *s_only = getenv("LSNN_RTL_CONFIG"); /* one config only, by name */
    const cfgdef *only = s_only ? cfg_named(s_only) : NULL;
    if (!dflt || !nothers || (s_only && !only)) {
        fprintf(stderr, "test_rtl_random: %s (verilated: %s)\n",
                s_only && !only ? "LSNN_RTL_CONFIG names no verilated config"
                                : "hw/configs.txt needs `default` and another config",
                names);
        return 1;
    }
    uint64_t sim_cycles = 0;
    for (int i = 0; i < nets; i++) {
        const cfgdef *d = only ? only : i % 8 == 7 ? dflt : others[(i % 8) % nothers];
        lsnn_hw_config g = make_cfg(d);
        if (!lsnn_rtl_supported(&g)) {
            printf("config %s: no verilated model, skipped\n", d->name);
            continue;
        }
        uint64_t seed = seed0 + (uint64_t)i;
        int rm = i % 5 == 1; /* readmemh on every config in turn */
        int fail = run_net(&g, seed, ticks, rm, &sim_cycles);
        CHECK(!fail, "network %d (config %s, seed %" PRIu64 ", %s load) differs from the reference",
              i, d->name, seed, rm ? "readmemh" : "port");
    }
    /* VCD: the default model is verilated with --trace, the others refuse a vcd_path */
    lsnn_hw_config gd = make_cfg(dflt), ga = make_cfg(others[0]);
    char vcd[1200];
    snprintf(vcd, sizeof vcd, "%s/default.vcd", check_tmpdir("test_rtl_random"));
    lsnn_error e = {{0}};
    lsnn_rtl *r = lsnn_rtl_create(&gd, vcd, &e);
    CHECK(r != NULL, "create with VCD: %s", e.msg);
    uint64_t cyc = 0;
    for (int t = 0; r && t < 3; t++)
        CHECK(lsnn_rtl_tick(r, &cyc, &e) == 0 && cyc == 7 + 0, "VCD tick: %s (cycles %" PRIu64 ")",
              e.msg, cyc);
    lsnn_rtl_free(r);
    struct stat st;
    CHECK(stat(vcd, &st) == 0 && st.st_size > 1000, "VCD file %s written", vcd);
    r = lsnn_rtl_create(&ga, vcd, &e);
    CHECK(r == NULL && strstr(e.msg, "--trace"), "VCD refused for %s: %s", ga.name, e.msg);
    lsnn_rtl_free(r);
    printf("%d networks x %d ticks, %" PRIu64 " simulated cycles; reference counters summed:\n",
           nets, ticks, sim_cycles);
    for (int i = 0; i < LSNN_REF_NLIVE_COUNTERS; i++)
        printf("  %s %" PRIu64 "%s", lsnn_ref_counter_name(i), totals[i], i % 6 == 5 ? "\n" : "");
    printf("\n");
    return check_report();
}
