/* chip_random.h - random multi-core stress networks for the chip tests (docs/neurocore.md §16).
 *
 * One seed gives one image: a mesh of 1x1 to max_x x max_y cells, a random subset of the cells
 * holding cores (random placement; at least one), 1..16-deep router buffers (2-deep in a
 * third of the networks), and one of three traffic patterns:
 *   - all-to-all: every core routes to every core (its own latch included);
 *   - hot spot: most routes of every core go to one hot core;
 *   - random: each entry to a random core of the image.
 * Cores are active: profiles with thresholds near the initial potentials, short refractory
 * periods and synapses strong enough to keep neurons firing, so that routing phases send many
 * flits and routers contend. Every route resolves to an axon below its target's XU and every
 * synapse targets a neuron below NU, so the image passes the loader (§13); the chip therefore
 * loses no flit and the reference and the RTL must agree on every state, counter and cycle.
 * chip_random_events gives each tick's host events. */
#ifndef LSNN_TEST_CHIP_RANDOM_H
#define LSNN_TEST_CHIP_RANDOM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "image.h"
#include "ref_core.h"

typedef struct {
    uint64_t s;
} chip_rng;

static inline uint32_t chip_rnd(chip_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 16);
}

static inline uint32_t chip_below(chip_rng *r, uint32_t n)
{
    return n ? (uint32_t)(((uint64_t)chip_rnd(r) * n) >> 32) : 0;
}

static inline int chip_chance(chip_rng *r, int pct)
{
    return (int)chip_below(r, 100) < pct;
}

enum { CHIP_ALL_TO_ALL, CHIP_HOT_SPOT, CHIP_RANDOM };

typedef struct {
    int mesh_x, mesh_y, noc_buffer, ncores, pattern, hot;
    const char *pattern_name;
} chip_random_info;

static inline void chip_random_die(const char *what, const lsnn_error *e)
{
    fprintf(stderr, "chip_random: %s: %s\n", what, e->msg);
    exit(2);
}

/* One core at cell id with nu neurons and xu axons; routes filled in later. */
static inline lsnn_ref_core *chip_random_core(chip_rng *r, const lsnn_hw_config *g, unsigned id,
                                              uint32_t nu, uint32_t xu)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = lsnn_ref_create(g, &e);
    if (!c) chip_random_die("create", &e);
    int V = g->v_bits, S = g->synapses_per_word, N = g->neurons;
    int64_t b0max = ((int64_t)1 << (V - 1)) - 1, scale = (int64_t)1 << (V - 10);
    if (lsnn_ref_set_core_id(c, id, &e) || lsnn_ref_set_nu(c, nu, &e) ||
        lsnn_ref_set_xu(c, xu, &e))
        chip_random_die("registers", &e);
    for (int p = 0; p < g->profiles; p++) {
        lsnn_ref_profile pr = {0};
        pr.mode = p == g->profiles - 1 && chip_chance(r, 50); /* some readouts */
        pr.spk_prev = pr.mode ? 0 : chip_chance(r, 30);
        pr.n_ref = pr.mode ? 0 : chip_below(r, 3);
        pr.f_v = 4 + chip_below(r, 8);
        pr.k_v = chip_below(r, 3);
        if (!pr.mode) {
            pr.f_a = 8 + chip_below(r, 8);
            pr.k_a = chip_below(r, 4);
            pr.inc = chip_chance(r, 50) ? (int64_t)chip_below(r, (uint32_t)scale) : 0;
        }
        pr.b0 = pr.mode ? 0 : 1 + (int64_t)chip_below(r, (uint32_t)(scale < b0max ? scale : b0max));
        pr.cuba = chip_chance(r, 30); /* neurocore.md §17 */
        pr.f_i = 1 + chip_below(r, 6);
        pr.k_i = chip_below(r, (1u << pr.f_i) + 1);
        if (lsnn_ref_set_profile(c, (uint32_t)p, &pr, &e)) chip_random_die("profile", &e);
    }
    for (int n = 0; n < N; n++) {
        if (lsnn_ref_set_ncfg(c, (uint32_t)n, chip_below(r, (uint32_t)g->profiles), &e))
            chip_random_die("ncfg", &e);
        lsnn_ref_state s = {.v = (int64_t)chip_below(r, 2 * (uint32_t)scale) - scale / 2};
        if (lsnn_ref_set_state(c, (uint32_t)n, &s, &e)) chip_random_die("state", &e);
    }
    /* synapses: every axon a short segment of excitatory-heavy weights to neurons < NU */
    uint32_t used = 0, T = nu ? (nu + (uint32_t)S - 1) / (uint32_t)S : 0;
    for (uint32_t x = 0; x < xu && T; x++) {
        lsnn_ref_axt a = {used, 1 + chip_below(r, 2), 4 + chip_below(r, 6)};
        if (used + a.cnt > (uint32_t)g->synapse_words) break;
        used += a.cnt;
        if (lsnn_ref_set_axt(c, x, &a, &e)) chip_random_die("axt", &e);
        int32_t mmax = (1 << (g->weight_bits - 1)) - 1;
        for (uint32_t i = 0; i < a.cnt; i++)
            for (int j = 0; j < S; j++) {
                lsnn_ref_lane l = {0};
                l.tgt = chip_below(r, T);
                l.valid = chip_chance(r, 70) && l.tgt * (uint32_t)S + (uint32_t)j < nu;
                l.d = chip_below(r, (uint32_t)g->delay_slots);
                l.m = chip_chance(r, 80) ? (int32_t)chip_below(r, (uint32_t)mmax + 1)
                                         : -(int32_t)chip_below(r, (uint32_t)mmax + 1);
                if (lsnn_ref_set_syn(c, a.base + i, (uint32_t)j, &l, &e)) chip_random_die("syn", &e);
            }
    }
    return c;
}

/* The routes of core k: RIX/RTE entries to cores of the image by the pattern. */
static inline void chip_random_routes(chip_rng *r, const lsnn_hw_config *g, lsnn_ref_core **cores,
                                      int n, int k, const chip_random_info *info)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = cores[k];
    uint32_t R = (uint32_t)g->route_entries, next = 0;
    for (uint32_t nn = 0; nn < c->nu; nn++) {
        uint32_t want = info->pattern == CHIP_ALL_TO_ALL ? (uint32_t)n : 1 + chip_below(r, 4);
        if (want > 15) want = 15;
        if (next + want > R) want = 0;
        lsnn_ref_rix x = {next < R ? next : 0, 0}; /* a full table: no entries, base 0 */
        for (uint32_t i = 0; i < want; i++) {
            int to = info->pattern == CHIP_ALL_TO_ALL ? (int)((i + (uint32_t)k) % (uint32_t)n)
                     : info->pattern == CHIP_HOT_SPOT && chip_chance(r, 80)
                         ? info->hot
                         : (int)chip_below(r, (uint32_t)n);
            const lsnn_ref_core *t = cores[to];
            if (!t->xu) continue;
            lsnn_ref_rte en = {LSNN_REF_RTE_CORE, 0, t->core_id, chip_below(r, t->xu)};
            if (chip_chance(r, 5)) en = (lsnn_ref_rte){LSNN_REF_RTE_HOST, 0, 0, chip_below(r, 64)};
            if (lsnn_ref_set_rte(c, next + x.cnt, &en, &e)) chip_random_die("rte", &e);
            x.cnt++;
        }
        next += x.cnt;
        if (lsnn_ref_set_rix(c, nn, &x, &e)) chip_random_die("rix", &e);
    }
}

/* A random chip image on base's core with a mesh of at most max_x x max_y cells. */
static inline void chip_random_image(const lsnn_hw_config *base, int max_x, int max_y,
                                     uint64_t seed, lsnn_image *img, chip_random_info *info)
{
    chip_rng r = {seed * 0x9E3779B97F4A7C15ull + 7};
    lsnn_hw_config g = *base;
    g.mesh_x = 1 + (int)chip_below(&r, (uint32_t)max_x);
    g.mesh_y = 1 + (int)chip_below(&r, (uint32_t)max_y);
    static const int buffers[] = {2, 2, 1, 3, 4, 16};
    g.noc_buffer = buffers[chip_below(&r, 6)];
    int cells = g.mesh_x * g.mesh_y, order[LSNN_HW_MAX_CORES];
    for (int i = 0; i < cells; i++)
        order[i] = i;
    for (int i = cells - 1; i > 0; i--) { /* random placement: a shuffled subset of cells */
        int j = (int)chip_below(&r, (uint32_t)i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    int n = cells == 1 ? 1 : 1 + (int)chip_below(&r, (uint32_t)cells);
    if (cells > 1 && n == 1) n = 2;
    info->mesh_x = g.mesh_x;
    info->mesh_y = g.mesh_y;
    info->noc_buffer = g.noc_buffer;
    info->ncores = n;
    info->pattern = (int)chip_below(&r, 3);
    info->hot = (int)chip_below(&r, (uint32_t)n);
    static const char *const names[] = {"all-to-all", "hot spot", "random"};
    info->pattern_name = names[info->pattern];
    lsnn_ref_core *cores[LSNN_HW_MAX_CORES];
    for (int k = 0; k < n; k++) {
        unsigned id = lsnn_hw_nth_cell(&g, order[k]);
        uint32_t nu = 1 + chip_below(&r, (uint32_t)g.neurons);
        uint32_t xu = 1 + chip_below(&r, (uint32_t)(g.axons < 96 ? g.axons : 96));
        cores[k] = chip_random_core(&r, &g, id, nu, xu);
    }
    for (int k = 0; k < n; k++)
        chip_random_routes(&r, &g, cores, n, k, info);
    lsnn_error e = {{0}};
    if (lsnn_image_from_cores(cores, n, img, &e)) chip_random_die("image", &e);
    for (int k = 0; k < n; k++)
        lsnn_ref_free(cores[k]);
}

/* Host events of one tick: (core index, axon) pairs into ci[], ax[] (at most max); returns the
 * count. A few per tick, sometimes a burst. */
static inline int chip_random_events(chip_rng *r, const lsnn_image *img, int *ci, uint32_t *ax,
                                     int max)
{
    int n = chip_chance(r, 10) ? max : (int)chip_below(r, 6);
    if (n > max) n = max;
    int k = 0;
    for (int i = 0; i < n; i++) {
        int c = (int)chip_below(r, (uint32_t)img->ncores);
        if (!img->cores[c].xu) continue;
        ci[k] = c;
        ax[k++] = chip_below(r, img->cores[c].xu);
    }
    return k;
}

#endif
