/* test_jit_random.c - the jit engine (compiler/llvm/) against the reference, every tick.
 *
 * Random cores (tests/random_core.h: every memory and register random, weights and states
 * near saturation, bad and duplicate axons, routes to the core itself and the host) are compiled
 * by the LLVM backend and run in lockstep with the reference chip (runtime/chip/lockstep.c,
 * as `lsnn verify --engines ref,jit`): random EVENT words (also with bad bits, and reserved
 * words), CLEARs and TICKs; after every CLEAR and TICK every neuron's state (all N), all
 * counters, the tick's cycles and the output words are compared.
 *
 * The configs span the legal ranges (S = 1..8, D = 1..64, NL = 1..8, W = 2..16, V and U =
 * 16..32, G = 0..8, Q = 1..10, K = 8..16); the lowering's forms take turns: vector widths 1,
 * 4, 8 and 16, lane lists with saturation, and (for one network in three, whose weights are
 * scaled down so that the backend can prove no ACC saturation) unclamped lane lists, dense
 * rows and synapses unrolled into code. The test also checks that each form was used, and runs
 * nc_arith.h's check vectors through the generated primitives.
 *
 * Then random multi-core chips (tests/chip_random.h: meshes up to 4 x 4, all-to-all, hot-spot
 * and random traffic, router buffers of 1..16, link stalls in every other chip), as
 * test_rtl_chip_random runs them on the RTL chip: states, counters, output words, chip cycles
 * and link counters every tick. Arguments: [nets [ticks [chips]]] (default 24 x 200, 12 chips
 * of 60 ticks). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "chip_random.h"
#include "image.h"
#include "llvm_backend.h"
#include "random_core.h"
#include "target.h"

static void must(int rc, const lsnn_error *e, const char *what)
{
    if (!rc) return;
    fprintf(stderr, "test_jit_random: %s: %s\n", what, e->msg);
    exit(1);
}

typedef struct {
    const char *name;
    int N, X, M, S, D, P, R, W, V, U, G, Q, K, NL;
} cfgdef;

static const cfgdef cfgs[] = {
    {"default", 256, 1024, 65536, 4, 16, 16, 1024, 8, 24, 28, 8, 8, 16, 4},
    {"small", 64, 512, 16384, 4, 16, 8, 256, 8, 24, 28, 8, 8, 16, 4},
    {"s1_d1_g0", 32, 64, 256, 1, 1, 4, 16, 16, 16, 16, 0, 1, 8, 1},
    {"s8_d64", 128, 256, 1024, 8, 64, 64, 64, 2, 32, 32, 8, 10, 16, 8},
    {"s2_odd", 64, 96, 512, 2, 4, 2, 64, 12, 20, 24, 4, 5, 12, 2},
    {"wide_v", 16, 32, 256, 4, 2, 1, 16, 16, 32, 32, 8, 3, 16, 4},
};
enum { NCFGS = sizeof cfgs / sizeof cfgs[0] };

static lsnn_hw_config make_cfg(const cfgdef *d)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    snprintf(g.name, sizeof g.name, "%s", d->name);
    g.neurons = d->N, g.axons = d->X, g.synapse_words = d->M, g.synapses_per_word = d->S;
    g.delay_slots = d->D, g.profiles = d->P, g.route_entries = d->R, g.weight_bits = d->W;
    g.v_bits = d->V, g.acc_bits = d->U, g.a_frac_bits = d->G, g.ref_bits = d->Q;
    g.decay_bits = d->K, g.neuron_lanes = d->NL;
    g.mesh_x = g.mesh_y = 16; /* random core ids 0..255 */
    lsnn_error e = {{0}};
    must(lsnn_hw_check(&g, &e), &e, d->name);
    return g;
}

/* Small weights, every target below NU: the backend can prove that ACC never saturates. */
static void tame(lsnn_ref_core *c)
{
    lsnn_error e = {{0}};
    uint32_t S = (uint32_t)c->cfg.synapses_per_word;
    for (uint32_t x = 0; x < (uint32_t)c->cfg.axons; x++) {
        lsnn_ref_axt a = c->axt[x];
        a.wexp = 0;
        must(lsnn_ref_set_axt(c, x, &a, &e), &e, "tame axt");
    }
    for (uint32_t w = 0; w < (uint32_t)c->cfg.synapse_words; w++)
        for (uint32_t j = 0; j < S; j++) {
            lsnn_ref_lane l = c->syn[(size_t)w * S + j];
            l.m = l.m % 4;
            must(lsnn_ref_set_syn(c, w, j, &l, &e), &e, "tame syn");
        }
}

/* The loader refuses routes to cores an image does not hold and to axons at or above XU (§13):
 * a one-core image's CORE entries name its own core and an absolute axon below XU (bad
 * axons reach the latch as bad EVENT words instead). */
static void own_routes(lsnn_ref_core *c)
{
    lsnn_error e = {{0}};
    for (uint32_t k = 0; k < (uint32_t)c->cfg.route_entries; k++) {
        lsnn_ref_rte t = c->rte[k];
        if (t.kind != LSNN_REF_RTE_CORE) continue;
        t.core = c->core_id;
        if (t.rel || t.axon >= c->xu) t.rel = 0, t.axon = c->xu ? t.axon % c->xu : 0;
        if (!c->xu) t.kind = LSNN_REF_RTE_HOST;
        must(lsnn_ref_set_rte(c, k, &t, &e), &e, "own route");
    }
}

/* ... and lanes aimed at neurons at or above NU (§13). */
static void own_targets(lsnn_ref_core *c)
{
    lsnn_error e = {{0}};
    uint32_t S = (uint32_t)c->cfg.synapses_per_word;
    for (uint32_t w = 0; w < (uint32_t)c->cfg.synapse_words; w++)
        for (uint32_t j = 0; j < S; j++) {
            lsnn_ref_lane l = c->syn[(size_t)w * S + j];
            if (!l.valid || l.tgt * S + j < c->nu) continue;
            l.valid = 0;
            must(lsnn_ref_set_syn(c, w, j, &l, &e), &e, "own target");
        }
}

static int verdict(int rc, const lsnn_target *pair, const lsnn_error *e, int t)
{
    return lockstep_verdict(rc, pair, e, t, "jit");
}

/* networks compiled: saturating lanes, unclamped lanes, dense rows, vector, unrolled */
static int forms[5];

static int run_net(const lsnn_hw_config *g, uint64_t seed, int ticks, int variant)
{
    rs = seed * 0x9E3779B97F4A7C15ull + 1;
    lsnn_error e = {{0}};
    lsnn_ref_core *c = random_core(g);
    own_routes(c);
    own_targets(c);
    /* the forms take turns: 0 wild weights (saturating lane lists); 1 tame, every form allowed
     * (dense rows where they pay, else unrolled); 2 tame, no unrolling (dense rows or lane
     * lists); 3 tame, lane lists only */
    int v = variant % 4;
    if (v) tame(c);
    lsnn_image img;
    lsnn_ref_core *cores[1] = {c};
    must(lsnn_image_from_cores(cores, 1, &img, &e), &e, "image");
    lsnn_ref_chip *chip = lsnn_ref_chip_wrap(cores, 1, &e);
    must(!chip, &e, "chip");
    static const int widths[] = {1, 8, 4, 16};
    lsnn_jit_opts jo = {widths[(v + variant / 4) % 4], v == 3, v >= 2, 0, 1};
    lsnn_jit_report rep;
    lsnn_target ref, jit, pair;
    lsnn_target_ref(chip, 1, &ref);
    must(lsnn_target_jit_open(&img, &jo, &jit, &rep, &e), &e, "jit");
    forms[0] += !rep.safe_cores;
    forms[1] += rep.safe_cores && !rep.dense_cores && !rep.unrolled_cores;
    forms[4] += rep.unrolled_cores;
    forms[2] += rep.dense_cores;
    forms[3] += jo.vector_width > 1;
    ref.neurons = jit.neurons = g->neurons; /* every neuron, NU and above */
    must(lsnn_lockstep_open(&ref, &jit, &pair, &e), &e, "lockstep");
    int fail = verdict(lsnn_lockstep_check(&pair, 0, &e), &pair, &e, 0);
    int X = g->axons, XB = lsnn_hw_widths_of(g).XB;
    int hot = (int)below(3);
    for (int t = 0; t < ticks && !fail; t++) {
        int nev = hot == 0 ? (int)below(4) : hot == 1 ? (int)below(40) : (int)below(c->xu + 8);
        for (int i = 0; i < nev; i++) {
            uint32_t w;
            if (chance(3))
                w = 0xC0000000u | below(1u << 30); /* reserved */
            else if (chance(3) && XB < 30)
                w = (below((1u << (30 - XB)) - 1) + 1) << XB | below((uint32_t)X); /* bad bits */
            else
                w = chance(90) && c->xu ? below(c->xu) : below((uint32_t)X);
            must(pair.word(pair.ctx, 0, w, &e), &e, "event");
        }
        if (chance(2) && (fail = verdict(pair.clear(pair.ctx, &e), &pair, &e, t))) break;
        fail = verdict(pair.tick(pair.ctx, &e), &pair, &e, t);
    }
    lsnn_target_close(&pair);
    lsnn_target_close(&jit);
    lsnn_ref_chip_free(chip);
    lsnn_image_free(&img);
    lsnn_ref_free(c);
    return fail;
}

/* One random chip against the reference: 0 when every tick matched. */
static int run_chip(uint64_t seed, int ticks, uint64_t *flits)
{
    lsnn_hw_config base;
    lsnn_hw_defaults(&base);
    base.neurons = 64, base.axons = 512, base.synapse_words = 16384, base.profiles = 8;
    base.route_entries = 256, base.mesh_x = 4, base.mesh_y = 4;
    lsnn_image img;
    chip_random_info info;
    chip_random_image(&base, 4, 4, seed, &img, &info);
    lsnn_error e = {{0}};
    lsnn_ref_chip *chip = lsnn_ref_chip_from_image(&img, &e);
    must(!chip, &e, "chip");
    lsnn_target ref, jit, pair;
    lsnn_target_ref(chip, 1, &ref);
    lsnn_jit_opts jo = {seed % 2 ? 8 : 1, 0, 0, 0, 1};
    must(lsnn_target_jit_open(&img, &jo, &jit, NULL, &e), &e, "jit chip");
    must(lsnn_lockstep_open(&ref, &jit, &pair, &e), &e, "lockstep");
    unsigned permille = seed % 2 ? 0 : 50 + (unsigned)(seed % 7) * 50;
    chip_rng r = {seed * 31 + 5};
    int fail =
        (permille && pair.set_stalls(pair.ctx, seed, permille, &e)) || pair.clear(pair.ctx, &e);
    for (int t = 0; t < ticks && !fail; t++) {
        int ci[64];
        uint32_t ax[64];
        int n = chip_random_events(&r, &img, ci, ax, 64);
        for (int i = 0; i < n && !fail; i++)
            fail = pair.event(pair.ctx, ci[i], ax[i], &e) != 0;
        if (!fail) fail = verdict(pair.tick(pair.ctx, &e), &pair, &e, t);
        if (!fail && t == ticks / 2) fail = verdict(pair.clear(pair.ctx, &e), &pair, &e, t);
    }
    if (fail)
        fprintf(stderr, "chip %" PRIu64 " (mesh %dx%d, B %d, %d cores, %s, stalls %u permille)\n",
                seed, info.mesh_x, info.mesh_y, info.noc_buffer, info.ncores, info.pattern_name,
                permille);
    for (int id = 0; id < LSNN_HW_MAX_CORES; id++)
        *flits += chip->flits[id][LSNN_PORT_L];
    lsnn_target_close(&pair);
    lsnn_target_close(&jit);
    lsnn_ref_chip_free(chip);
    lsnn_image_free(&img);
    return fail;
}

int main(int argc, char **argv)
{
    int nets = argc > 1 ? atoi(argv[1]) : 24, ticks = argc > 2 ? atoi(argv[2]) : 200;
    lsnn_error e = {{0}};
    int nvec = 0, bad = lsnn_llvm_check_vectors(&nvec, &e);
    CHECK(bad == 0, "check vectors through generated code: %d wrong: %s", bad, e.msg);
    printf("check vectors: %d through generated code, %d wrong\n", nvec, bad);
    for (int i = 0; i < nets; i++) {
        const cfgdef *d = &cfgs[i % NCFGS];
        lsnn_hw_config g = make_cfg(d);
        uint64_t seed = 1 + (uint64_t)i;
        int fail = run_net(&g, seed, ticks, i / NCFGS);
        CHECK(!fail, "network %d (config %s, seed %" PRIu64 ") differs from the reference", i,
              d->name, seed);
    }
    printf("%d networks x %d ticks over %d configs; lowered as: %d saturating lane lists, %d "
           "unclamped lane lists, %d dense rows, %d unrolled; %d with vector neuron updates\n",
           nets, ticks, NCFGS, forms[0], forms[1], forms[2], forms[4], forms[3]);
    if (nets >= 4 * NCFGS)
        CHECK(forms[0] && forms[1] && forms[3] && forms[4], "every form of the lowering used");
    if (nets >= 24 * NCFGS) CHECK(forms[2], "dense rows used");
    int chips = argc > 3 ? atoi(argv[3]) : 12, chip_ticks = ticks < 60 ? ticks : 60;
    uint64_t flits = 0;
    for (int k = 0; k < chips; k++)
        CHECK(run_chip(1 + (uint64_t)k, chip_ticks, &flits) == 0, "chip seed %d differs", 1 + k);
    printf("%d random chips x %d ticks, %" PRIu64 " flits ejected\n", chips, chip_ticks, flits);
    if (chips) CHECK(flits > (uint64_t)chips * 100, "the chips moved flits: %" PRIu64, flits);
    return check_report();
}
