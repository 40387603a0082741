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

static int64_t range64(int64_t lo, int64_t hi) /* inclusive */
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    uint64_t r = ((uint64_t)rnd() << 32) | rnd();
    return lo + (int64_t)(span ? r % span : r);
}

static void must(int rc, const lsnn_error *e, const char *what)
{
    must_at("test_rtl_random", rc, e, what);
}

/* A random core: see the file comment. */
static lsnn_ref_core *random_core(const lsnn_hw_config *g)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = lsnn_ref_create(g, &e);
    must(!c, &e, "create");
    int N = g->neurons, X = g->axons, M = g->synapse_words, S = g->synapses_per_word;
    int V = g->v_bits, AW = g->v_bits + g->a_frac_bits, Q = g->ref_bits, K = g->decay_bits;
    uint32_t nu = chance(70) ? (uint32_t)N - below(3) : below((uint32_t)N + 1);
    uint32_t xu = chance(60) ? (uint32_t)X - below(40 < X ? 40 : X) : below((uint32_t)X + 1);
    uint32_t core_id = below(256);
    must(lsnn_ref_set_nu(c, nu, &e), &e, "nu");
    must(lsnn_ref_set_xu(c, xu, &e), &e, "xu");
    must(lsnn_ref_set_core_id(c, core_id, &e), &e, "core id");
    int64_t vmax = ((int64_t)1 << (V - 1)) - 1, amax = ((int64_t)1 << AW) - 1;
    int64_t scale = (int64_t)1 << (V - 8); /* the typical threshold size */
    for (int p = 0; p < g->profiles; p++) {
        lsnn_ref_profile pr = {0};
        pr.mode = chance(20);
        pr.spk_prev = pr.mode ? 0 : chance(30);
        pr.n_ref = pr.mode ? 0 : below(chance(50) && Q >= 2 ? 4 : (1u << Q)); /* Q = 1: 0..1 */
        for (int which = 0; which < 2; which++) {
            uint32_t f = below(32), kmax = (1u << K) - 1;
            uint64_t lim = (uint64_t)1 << f;
            if (lim < kmax) kmax = (uint32_t)lim;
            uint32_t k = chance(10) ? 0 : chance(10) ? kmax : below(kmax + 1);
            if (which == 0)
                pr.f_v = f, pr.k_v = k;
            else
                pr.f_a = f, pr.k_a = k;
        }
        if (pr.mode == 1) pr.f_a = pr.k_a = 0;
        pr.b0 = pr.mode      ? (chance(50) ? 0 : range64(1, vmax))
                : chance(10) ? vmax
                             : range64(1, scale);
        pr.inc = chance(10) ? amax : chance(30) ? 0 : range64(0, scale << g->a_frac_bits);
        if (pr.mode) pr.inc = chance(50) ? 0 : pr.inc;
        /* §17: any mode; k_i over its whole range, 2^f_i (no memory) included */
        pr.cuba = chance(40);
        uint32_t fi = below(32), kimax = (1u << K) - 1;
        if (((uint64_t)1 << fi) < kimax) kimax = 1u << fi;
        pr.f_i = fi;
        pr.k_i = chance(10) ? 0 : chance(10) ? kimax : below(kimax + 1);
        must(lsnn_ref_set_profile(c, (uint32_t)p, &pr, &e), &e, "profile");
    }
    for (int n = 0; n < N; n++) {
        must(lsnn_ref_set_ncfg(c, (uint32_t)n, below((uint32_t)g->profiles), &e), &e, "ncfg");
        lsnn_ref_state s = {0};
        const lsnn_ref_profile *pr = &c->profile[c->ncfg[n]];
        s.v = chance(10)   ? (chance(50) ? vmax : -vmax - 1)
              : chance(30) ? pr->b0 + (int64_t)below(3) - 1
                           : range64(-scale, scale);
        if (s.v > vmax) s.v = vmax;
        s.a = chance(10) ? amax : chance(40) ? 0 : range64(0, scale << g->a_frac_bits);
        s.ref = chance(70) ? 0 : below(1u << Q);
        s.z = chance(20);
        int64_t imax = ((int64_t)1 << (g->acc_bits - 1)) - 1;
        s.isyn = chance(10)   ? (chance(50) ? imax : -imax - 1)
                 : chance(50) ? range64(-scale, scale)
                              : 0;
        must(lsnn_ref_set_state(c, (uint32_t)n, &s, &e), &e, "state");
    }
    /* AXT segments and SYN words */
    uint32_t used = 0;
    for (int x = 0; x < X; x++) {
        if (chance(25)) continue;
        lsnn_ref_axt a = {0};
        a.cnt = chance(10) ? 0 : 1 + below(chance(20) ? 8 : 3);
        if (used + a.cnt > (uint32_t)M || chance(10)) {
            a.base = below((uint32_t)M - a.cnt + 1); /* overlapping segment */
        } else {
            a.base = used;
            used += a.cnt;
        }
        a.wexp = chance(30) ? 15 - below(3) : below(16);
        if ((int)a.wexp + g->weight_bits > g->acc_bits && chance(50)) a.wexp = below(4);
        must(lsnn_ref_set_axt(c, (uint32_t)x, &a, &e), &e, "axt");
        for (uint32_t i = 0; i < a.cnt; i++)
            for (int j = 0; j < S; j++) {
                lsnn_ref_lane l = {0};
                l.valid = chance(70);
                if (!l.valid && chance(50)) {
                    must(lsnn_ref_set_syn(c, a.base + i, (uint32_t)j, &l, &e), &e, "syn");
                    continue;
                }
                l.d = below((uint32_t)g->delay_slots);
                l.tgt = below((uint32_t)(N / S));
                int32_t mmax = (1 << (g->weight_bits - 1)) - 1;
                l.m = chance(40) ? (chance(50) ? mmax : -mmax - 1)
                                 : (int32_t)range64(-mmax - 1, mmax);
                must(lsnn_ref_set_syn(c, a.base + i, (uint32_t)j, &l, &e), &e, "syn");
            }
    }
    /* routing */
    uint32_t R = (uint32_t)g->route_entries;
    for (uint32_t k = 0; k < R; k++) {
        lsnn_ref_rte t = {0};
        t.kind = chance(75) ? LSNN_REF_RTE_CORE : LSNN_REF_RTE_HOST;
        t.rel = chance(40);
        t.core = chance(70) ? core_id : below(256);
        t.axon = chance(85) ? below(xu + 2) : below(65536);
        if (t.rel && chance(80)) t.axon = below(xu + 1);
        must(lsnn_ref_set_rte(c, k, &t, &e), &e, "rte");
    }
    for (int n = 0; n < N; n++) {
        lsnn_ref_rix x = {0};
        if (chance(80)) {
            x.cnt = chance(10) ? 15 : below(4);
            if (x.cnt > R) x.cnt = R;
            x.base = below(R - x.cnt + 1);
            if (x.base >= R) x.base = R - 1;
        }
        must(lsnn_ref_set_rix(c, (uint32_t)n, &x, &e), &e, "rix");
    }
    return c;
}

static uint64_t totals[LSNN_REF_NCOUNTERS]; /* the reference's counters over all networks */

/* The lockstep's verdict after a CLEAR or TICK word (rc of the call): 0 equal, else prints the
 * first divergence (or the failure) and returns -1. */
static int verdict(int rc, const lsnn_target *pair, const lsnn_error *e, int t)
{
    if (rc == 0) return 0;
    const lsnn_divergence *d = lsnn_lockstep_divergence(pair);
    if (!d) {
        fprintf(stderr, "tick %d: %s\n", t, e->msg);
        return -1;
    }
    fprintf(stderr, "tick %d%s: %s", t, d->tick < 0 ? " (after CLEAR)" : "", d->what);
    if (d->neuron >= 0)
        fprintf(stderr, " %s %ld", strstr(d->what, "word") ? "index" : "of neuron", d->neuron);
    fprintf(stderr, ": ref %" PRId64 ", RTL %" PRId64 "\n", d->a, d->b);
    return -1;
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
