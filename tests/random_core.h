/* random_core.h - random cores for the engines' lockstep tests (test_rtl_random.c,
 * test_jit_random.c): every memory and register filled from the seeded generator of
 * test_rng.h, so a seed names a network on every machine. */
#ifndef LSNN_TEST_RANDOM_CORE_H
#define LSNN_TEST_RANDOM_CORE_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref_core.h"
#include "target.h"
#include "test_rng.h"

static inline void random_must(int rc, const lsnn_error *e, const char *what)
{
    if (!rc) return;
    fprintf(stderr, "random_core: %s: %s\n", what, e->msg);
    exit(1);
}

/* A random core of config g: random profiles (CUBA or not, §17), NCFG, initial STATE near
 * threshold and currents up to saturation, AXT segments (some overlapping), SYN lanes with
 * weights near saturation, RIX/RTE with local, other-core and host routes and bad axons.
 * Exits the test with a message on a setter's refusal (a bug in the generator). */
static inline lsnn_ref_core *random_core(const lsnn_hw_config *g)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = lsnn_ref_create(g, &e);
    random_must(!c, &e, "create");
    int N = g->neurons, X = g->axons, M = g->synapse_words, S = g->synapses_per_word;
    int V = g->v_bits, AW = g->v_bits + g->a_frac_bits, Q = g->ref_bits, K = g->decay_bits;
    uint32_t nu = chance(70) ? (uint32_t)N - below(3) : below((uint32_t)N + 1);
    uint32_t xu = chance(60) ? (uint32_t)X - below(40 < X ? 40 : X) : below((uint32_t)X + 1);
    uint32_t core_id = below(256);
    random_must(lsnn_ref_set_nu(c, nu, &e), &e, "nu");
    random_must(lsnn_ref_set_xu(c, xu, &e), &e, "xu");
    random_must(lsnn_ref_set_core_id(c, core_id, &e), &e, "core id");
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
        random_must(lsnn_ref_set_profile(c, (uint32_t)p, &pr, &e), &e, "profile");
    }
    for (int n = 0; n < N; n++) {
        random_must(lsnn_ref_set_ncfg(c, (uint32_t)n, below((uint32_t)g->profiles), &e), &e,
                    "ncfg");
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
        random_must(lsnn_ref_set_state(c, (uint32_t)n, &s, &e), &e, "state");
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
        random_must(lsnn_ref_set_axt(c, (uint32_t)x, &a, &e), &e, "axt");
        for (uint32_t i = 0; i < a.cnt; i++)
            for (int j = 0; j < S; j++) {
                lsnn_ref_lane l = {0};
                l.valid = chance(70);
                if (!l.valid && chance(50)) {
                    random_must(lsnn_ref_set_syn(c, a.base + i, (uint32_t)j, &l, &e), &e, "syn");
                    continue;
                }
                l.d = below((uint32_t)g->delay_slots);
                l.tgt = below((uint32_t)(N / S));
                int32_t mmax = (1 << (g->weight_bits - 1)) - 1;
                l.m = chance(40) ? (chance(50) ? mmax : -mmax - 1)
                                 : (int32_t)range64(-mmax - 1, mmax);
                random_must(lsnn_ref_set_syn(c, a.base + i, (uint32_t)j, &l, &e), &e, "syn");
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
        random_must(lsnn_ref_set_rte(c, k, &t, &e), &e, "rte");
    }
    for (int n = 0; n < N; n++) {
        lsnn_ref_rix x = {0};
        if (chance(80)) {
            x.cnt = chance(10) ? 15 : below(4);
            if (x.cnt > R) x.cnt = R;
            x.base = below(R - x.cnt + 1);
            if (x.base >= R) x.base = R - 1;
        }
        random_must(lsnn_ref_set_rix(c, (uint32_t)n, &x, &e), &e, "rix");
    }
    return c;
}

/* The lockstep's verdict after a CLEAR or TICK word (rc of the call) at tick t: 0 equal, else
 * prints the first divergence (or the failure), naming the second engine `b`, and returns -1. */
static inline int lockstep_verdict(int rc, const lsnn_target *pair, const lsnn_error *e, int t,
                                   const char *b)
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
    fprintf(stderr, ": ref %" PRId64 ", %s %" PRId64 "\n", d->a, b, d->b);
    return -1;
}

#endif
