/* lockstep.c - two targets driven as one and compared after every CLEAR and TICK: the one
 * state diff of lsnn verify and the RTL tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

/* One target's output words of the last CLEAR or TICK, all cores in core order. */
typedef struct {
    uint32_t *w;
    int *port;
    size_t n, cap;
} words;

typedef struct {
    lsnn_target *a, *b;
    long seq, tick; /* seq: -1 before the first CLEAR */
    uint64_t ticks;
    int diverged;
    lsnn_divergence d;
    words wa, wb;
} lockstep;

int lsnn_outputs_differ(const uint32_t *wa, const int *pa, size_t na, const uint32_t *wb,
                        const int *pb, size_t nb, uint64_t counted[2], lsnn_divergence *d)
{
    static const char *const names[2] = {"host-out word", "NoC-out word"};
    static const char *const counts[2] = {"number of host-out words", "number of NoC-out words"};
    for (int p = 0; p < 2; p++) {
        size_t i = 0, j = 0;
        long k = 0;
        for (;; k++) {
            while (i < na && pa[i] != p)
                i++;
            while (j < nb && pb[j] != p)
                j++;
            if (i == na || j == nb) break;
            if (wa[i] != wb[j]) {
                snprintf(d->what, sizeof d->what, "%s", names[p]);
                d->neuron = k, d->a = wa[i], d->b = wb[j];
                return 1;
            }
            if (counted) counted[p]++;
            i++, j++;
        }
        size_t ca = (size_t)k, cb = (size_t)k; /* a stream may still hold words of this port */
        for (; i < na; i++)
            ca += pa[i] == p;
        for (; j < nb; j++)
            cb += pb[j] == p;
        if (ca != cb) {
            snprintf(d->what, sizeof d->what, "%s", counts[p]);
            d->neuron = -1, d->a = (int64_t)ca, d->b = (int64_t)cb;
            return 1;
        }
    }
    return 0;
}

static int diverge(lockstep *x, int core, const char *what, long n, int64_t a, int64_t b,
                   lsnn_error *e)
{
    x->diverged = 1;
    x->d = (lsnn_divergence){x->seq, x->tick, core, "", n, a, b};
    snprintf(x->d.what, sizeof x->d.what, "%s", what);
    return lsnn_fail(e, "the engines diverge");
}

/* Core ci's output words of target t into o (grown as needed). 0, or -1 out of memory. */
static int read_outputs(lsnn_target *t, int ci, words *o)
{
    for (;;) {
        size_t n = t->outputs(t->ctx, ci, o->w, o->port, o->cap);
        if (n <= o->cap) {
            o->n = n;
            return 0;
        }
        size_t cap = n + 256;
        uint32_t *w = realloc(o->w, cap * sizeof *w);
        int *p = w ? realloc(o->port, cap * sizeof *p) : NULL;
        if (w) o->w = w;
        if (!p) return -1;
        o->port = p;
        o->cap = cap;
    }
}

static int compare_core(lockstep *x, int ci, int is_tick, lsnn_error *e)
{
    lsnn_target *a = x->a, *b = x->b;
    uint32_t nu = a->nu(a->ctx, ci), nu_b = b->nu(b->ctx, ci);
    if (nu != nu_b) return diverge(x, ci, "NU", -1, nu, nu_b, e);
    uint32_t upto = a->neurons > 0 && b->neurons > 0
                        ? (uint32_t)(a->neurons < b->neurons ? a->neurons : b->neurons)
                        : nu;
    (void)is_tick;
    for (uint32_t n = 0; n < upto; n++) {
        lsnn_ref_state s, t;
        a->state(a->ctx, ci, n, &s);
        b->state(b->ctx, ci, n, &t);
        if (s.v != t.v) return diverge(x, ci, "v", n, s.v, t.v, e);
        if (s.a != t.a) return diverge(x, ci, "a", n, s.a, t.a, e);
        if (s.ref != t.ref) return diverge(x, ci, "ref", n, s.ref, t.ref, e);
        if (s.z != t.z) return diverge(x, ci, "z", n, s.z, t.z, e);
        if (s.isyn != t.isyn) return diverge(x, ci, "isyn", n, s.isyn, t.isyn, e);
    }
    uint64_t ca[LSNN_REF_NCOUNTERS], cb[LSNN_REF_NCOUNTERS];
    a->counters(a->ctx, ci, ca);
    b->counters(b->ctx, ci, cb);
    for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
        if (ca[i] != cb[i]) {
            char what[64];
            snprintf(what, sizeof what, "counter %s", lsnn_ref_counter_name(i));
            return diverge(x, ci, what, -1, (int64_t)ca[i], (int64_t)cb[i], e);
        }
    if (!a->outputs || !b->outputs) return 0;
    if (read_outputs(a, ci, &x->wa) || read_outputs(b, ci, &x->wb))
        return lsnn_fail(e, "lockstep: out of memory for output words");
    lsnn_divergence d;
    if (!lsnn_outputs_differ(x->wa.w, x->wa.port, x->wa.n, x->wb.w, x->wb.port, x->wb.n, NULL, &d))
        return 0;
    return diverge(x, ci, d.what, d.neuron, d.a, d.b, e);
}

static const char *const chip_counter_names[] = {
#define NAME(id, name) #name,
    LSNN_CHIP_COUNTERS(NAME)
#undef NAME
};

/* §16.9: every flit that the cores sent (spikes_core) was ejected once (flits out of port L). */
static int flits_conserved(lockstep *x, lsnn_target *t, lsnn_error *e)
{
    uint64_t sent = 0, ejected = 0, f[LSNN_PORTS], s[LSNN_PORTS], k[LSNN_REF_NCOUNTERS];
    for (int ci = 0; ci < t->ncores; ci++) {
        t->counters(t->ctx, ci, k);
        sent += k[LSNN_REF_SPIKES_CORE];
    }
    for (int y = 0; y < t->mesh_y; y++)
        for (int xx = 0; xx < t->mesh_x; xx++) {
            t->links(t->ctx, lsnn_hw_core_id(xx, y), f, s);
            ejected += f[LSNN_PORT_L];
        }
    if (sent == ejected) return 0;
    char what[64];
    snprintf(what, sizeof what, "%s: flits sent vs ejected", t->name);
    return diverge(x, 0, what, -1, (int64_t)sent, (int64_t)ejected, e);
}

/* The chip counters and every link's counters, where both targets give them. */
static int compare_chip(lockstep *x, lsnn_error *e)
{
    lsnn_target *a = x->a, *b = x->b;
    if (a->chip_counters && b->chip_counters) {
        uint64_t ca[LSNN_CHIP_NCOUNTERS], cb[LSNN_CHIP_NCOUNTERS];
        a->chip_counters(a->ctx, ca);
        b->chip_counters(b->ctx, cb);
        for (int i = 0; i < LSNN_CHIP_NCOUNTERS; i++)
            if (ca[i] != cb[i]) {
                char what[64];
                snprintf(what, sizeof what, "chip counter %s", chip_counter_names[i]);
                return diverge(x, -1, what, -1, (int64_t)ca[i], (int64_t)cb[i], e);
            }
    }
    if (!a->links || !b->links) return 0;
    if (a->mesh_x != b->mesh_x || a->mesh_y != b->mesh_y)
        return diverge(x, -1, "mesh columns", -1, a->mesh_x, b->mesh_x, e);
    for (int y = 0; y < a->mesh_y; y++)
        for (int xx = 0; xx < a->mesh_x; xx++) {
            unsigned id = lsnn_hw_core_id(xx, y);
            uint64_t fa[LSNN_PORTS], sa[LSNN_PORTS], fb[LSNN_PORTS], sb[LSNN_PORTS];
            a->links(a->ctx, id, fa, sa);
            b->links(b->ctx, id, fb, sb);
            for (int p = 0; p < LSNN_PORTS; p++) {
                static const char port[] = "LEWNS";
                char what[64];
                if (fa[p] != fb[p] || sa[p] != sb[p]) {
                    snprintf(what, sizeof what, "%s of router (%d, %d) port %c",
                             fa[p] != fb[p] ? "flits" : "link stalls", xx, y, port[p]);
                    return diverge(x, -1, what, -1, (int64_t)(fa[p] != fb[p] ? fa[p] : sa[p]),
                                   (int64_t)(fa[p] != fb[p] ? fb[p] : sb[p]), e);
                }
            }
        }
    return flits_conserved(x, a, e) || flits_conserved(x, b, e) ? -1 : 0;
}

/* Cores first (a state or counter says more than a cycle count), then the chip. */
static int compare(lockstep *x, int is_tick, lsnn_error *e)
{
    for (int ci = 0; ci < x->a->ncores; ci++)
        if (compare_core(x, ci, is_tick, e)) return -1;
    if (compare_chip(x, e)) return -1;
    if (is_tick) {
        uint64_t ta = x->a->tick_cycles(x->a->ctx), tb = x->b->tick_cycles(x->b->ctx);
        if (ta != tb)
            return diverge(x, -1, "chip cycles of the tick", -1, (int64_t)ta, (int64_t)tb, e);
    }
    return 0;
}

static int ls_clear(void *ctx, lsnn_error *e)
{
    lockstep *x = ctx;
    x->seq++;
    x->tick = -1;
    if (x->a->clear(x->a->ctx, e) || x->b->clear(x->b->ctx, e)) return -1;
    return compare(x, 0, e);
}

/* A raw word: the engines compare only after a CLEAR or TICK (lsnn_lockstep_check). */
static int ls_word(void *ctx, int ci, uint32_t w, lsnn_error *e)
{
    lockstep *x = ctx;
    if (!x->a->word || !x->b->word) return lsnn_fail(e, "lockstep: a target takes no raw words");
    return x->a->word(x->a->ctx, ci, w, e) || x->b->word(x->b->ctx, ci, w, e) ? -1 : 0;
}

int lsnn_lockstep_check(lsnn_target *pair, int is_tick, lsnn_error *e)
{
    return compare(pair->ctx, is_tick, e);
}

static int ls_event(void *ctx, int ci, uint32_t axon, lsnn_error *e)
{
    lockstep *x = ctx;
    return x->a->event(x->a->ctx, ci, axon, e) || x->b->event(x->b->ctx, ci, axon, e) ? -1 : 0;
}

static int ls_tick(void *ctx, lsnn_error *e)
{
    lockstep *x = ctx;
    if (x->a->tick(x->a->ctx, e) || x->b->tick(x->b->ctx, e)) return -1;
    x->tick++;
    x->ticks++;
    return compare(x, 1, e);
}

/* Between words both hold the same values, so reads answer with a's. */
static void ls_state(void *ctx, int ci, uint32_t n, lsnn_ref_state *out)
{
    lockstep *x = ctx;
    x->a->state(x->a->ctx, ci, n, out);
}

static void ls_counters(void *ctx, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    lockstep *x = ctx;
    x->a->counters(x->a->ctx, ci, out);
}

static uint64_t ls_tick_cycles(void *ctx)
{
    lockstep *x = ctx;
    return x->a->tick_cycles(x->a->ctx);
}

static uint32_t ls_nu(void *ctx, int ci)
{
    lockstep *x = ctx;
    return x->a->nu(x->a->ctx, ci);
}

static void ls_chip_counters(void *ctx, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    lockstep *x = ctx;
    x->a->chip_counters(x->a->ctx, out);
}

static void ls_links(void *ctx, unsigned cell, uint64_t flits[LSNN_PORTS],
                     uint64_t stalls[LSNN_PORTS])
{
    lockstep *x = ctx;
    x->a->links(x->a->ctx, cell, flits, stalls);
}

static int ls_set_stalls(void *ctx, uint64_t seed, unsigned permille, lsnn_error *e)
{
    lockstep *x = ctx;
    return x->a->set_stalls(x->a->ctx, seed, permille, e) ||
                   x->b->set_stalls(x->b->ctx, seed, permille, e)
               ? -1
               : 0;
}

static void ls_close(void *ctx)
{
    lockstep *x = ctx;
    free(x->wa.w);
    free(x->wa.port);
    free(x->wb.w);
    free(x->wb.port);
    free(x);
}

int lsnn_lockstep_open(lsnn_target *a, lsnn_target *b, lsnn_target *pair, lsnn_error *e)
{
    memset(pair, 0, sizeof *pair);
    if (a->ncores != b->ncores)
        return lsnn_fail(e, "lockstep: %s has %d cores, %s %d", a->name, a->ncores, b->name,
                         b->ncores);
    for (int i = 0; i < a->ncores; i++)
        if (a->core_id[i] != b->core_id[i])
            return lsnn_fail(e, "lockstep: core %d has id %u on %s and %u on %s", i, a->core_id[i],
                             a->name, b->core_id[i], b->name);
    lockstep *x = calloc(1, sizeof *x);
    if (!x) return lsnn_fail(e, "out of memory");
    x->a = a;
    x->b = b;
    x->seq = -1;
    pair->name = "lockstep";
    pair->ctx = x;
    pair->ncores = a->ncores;
    memcpy(pair->core_id, a->core_id, sizeof pair->core_id);
    pair->clear = ls_clear;
    pair->event = ls_event;
    pair->tick = ls_tick;
    pair->word = ls_word;
    pair->neurons = a->neurons < b->neurons ? a->neurons : b->neurons;
    pair->state = ls_state;
    pair->counters = ls_counters;
    pair->tick_cycles = ls_tick_cycles;
    pair->nu = ls_nu;
    pair->mesh_x = a->mesh_x;
    pair->mesh_y = a->mesh_y;
    if (a->chip_counters) pair->chip_counters = ls_chip_counters;
    if (a->links) pair->links = ls_links;
    if (a->set_stalls && b->set_stalls) pair->set_stalls = ls_set_stalls;
    pair->close = ls_close;
    return 0;
}

const lsnn_divergence *lsnn_lockstep_divergence(const lsnn_target *pair)
{
    const lockstep *x = pair->ctx;
    return x && x->diverged ? &x->d : NULL;
}

uint64_t lsnn_lockstep_ticks(const lsnn_target *pair)
{
    const lockstep *x = pair->ctx;
    return x ? x->ticks : 0;
}

void lsnn_target_close(lsnn_target *t)
{
    if (t->close && t->ctx) t->close(t->ctx);
    memset(t, 0, sizeof *t);
}
