/* rtl_check.h - what the RTL tests (test_rtl_*.c) share: a seeded generator, the verilated
 * configs, the reference's output collector and the report of an output-word mismatch. */
#ifndef LSNN_TEST_RTL_CHECK_H
#define LSNN_TEST_RTL_CHECK_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwconfig.h"
#include "ref_core.h"
#include "rtl_core.h"

/* xorshift64: the same seed, the same networks on every machine */
static uint64_t rs;
static uint32_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (uint32_t)(rs >> 16);
}
static uint32_t below(uint32_t n) /* 0..n-1 (0 for n = 0) */
{
    return n ? (uint32_t)(((uint64_t)rnd() * n) >> 32) : 0;
}
static inline int chance(int pct)
{
    return (int)below(100) < pct;
}

/* The verilated configs of hw/configs.txt, by name. */
typedef struct {
    const char *name;
    int N, X, M, S, D, P, R, W, V, U, G, Q, K, FI, FO;
} cfgdef;

static const cfgdef cfgs[] = {
    {"stress_a", 16, 64, 256, 2, 4, 4, 16, 4, 16, 18, 3, 3, 8, 2, 2},
    {"stress_b", 64, 128, 1024, 8, 64, 2, 64, 16, 32, 32, 8, 10, 12, 4, 3},
    {"small", 64, 512, 16384, 4, 16, 8, 256, 8, 24, 28, 8, 8, 16, 16, 16},
    {"stress_c", 32, 64, 512, 1, 1, 2, 32, 6, 20, 22, 0, 4, 10, 3, 2}, /* SB = DB = G = 0 */
    {"default", 256, 1024, 65536, 4, 16, 16, 1024, 8, 24, 28, 8, 8, 16, 16, 16},
};
enum { NCFGS = sizeof cfgs / sizeof cfgs[0], CFG_DEFAULT = NCFGS - 1 };

static inline lsnn_hw_config make_cfg(const cfgdef *d)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    snprintf(g.name, sizeof g.name, "%s", d->name);
    g.neurons = d->N, g.axons = d->X, g.synapse_words = d->M, g.synapses_per_word = d->S;
    g.delay_slots = d->D, g.profiles = d->P, g.route_entries = d->R, g.weight_bits = d->W;
    g.v_bits = d->V, g.acc_bits = d->U, g.a_frac_bits = d->G, g.ref_bits = d->Q;
    g.decay_bits = d->K, g.fifo_in = d->FI, g.fifo_out = d->FO;
    g.mesh_x = 16, g.mesh_y = 16; /* any core id 0..255 */
    return g;
}

/* Exits the test program on a set-up failure (not a comparison: those are counted). */
static inline void must_at(const char *prog, int rc, const lsnn_error *e, const char *what)
{
    if (rc) {
        fprintf(stderr, "%s: %s: %s\n", prog, what, e->msg);
        exit(1);
    }
}

/* Output words in the order they left, with their port. */
typedef struct {
    uint32_t w[1 << 16];
    int port[1 << 16];
    size_t n;
} outbuf;

static inline void emit(void *ctx, int port, uint32_t word)
{
    outbuf *o = ctx;
    if (o->n < sizeof o->w / sizeof o->w[0]) {
        o->w[o->n] = word;
        o->port[o->n] = port;
        o->n++;
    }
}

/* Each port's words equal, in order (lsnn_rtl_compare_outputs). Adds the words compared to
 * counted[port] (may be NULL). 0 when equal, else -1 with a message naming the tick, the port
 * and both values. */
static inline int compare_ports(const outbuf *ref, const outbuf *rtl, long tick, uint64_t *counted)
{
    lsnn_rtl_mismatch m;
    if (!lsnn_rtl_compare_outputs(ref->w, ref->port, ref->n, rtl->w, rtl->port, rtl->n, counted,
                                  &m))
        return 0;
    if (m.count_differs)
        fprintf(stderr, "tick %ld: %s output: the RTL has %s words than the reference\n", tick,
                m.port ? "NoC" : "host", m.rtl_n < m.ref_n ? "fewer" : "more");
    else
        fprintf(stderr, "tick %ld: %s output word: ref 0x%08x, RTL 0x%08x\n", tick,
                m.port ? "NoC" : "host", m.ref, m.rtl);
    return -1;
}

#endif
