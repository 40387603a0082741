/* place.c - a quantised network on the mesh: partition, axon blocks, SYN segments, routes, §13.
 *
 * Layouts are tried from the fewest cores up: everything on one core, then the recurrent
 * neurons split evenly over r = 1, 2, ... cores with the readouts on core r. The first layout
 * that passes every design rule wins. Each layout is built in two passes: sizes first (blocks,
 * segments, routes, so every rule can be checked and every destination's axon base is known),
 * then the tables. */
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"

enum { GRP_IN, GRP_REC, GRP_RO, NGRP };

static int ilog2(uint32_t x)
{
    int n = 0;
    while ((1u << n) < x)
        n++;
    return n;
}

static int axon_group(const lsnn_cc_axon *ax)
{
    return ax->kind == LSNN_CC_SRC_INPUT ? GRP_IN : ax->kind == LSNN_CC_SRC_REC ? GRP_REC : GRP_RO;
}

static int on_core(const lsnn_cc_core *k, uint32_t slot)
{
    return slot >= k->first && slot < k->first + k->size;
}

/* Words of axon a's segment on core k: its largest per-bank count of local targets. */
static uint32_t segment_words(const lsnn_compiled *cc, const lsnn_cc_core *k, int a)
{
    const lsnn_cc_axon *ax = &cc->axon[a];
    uint32_t S = (uint32_t)cc->cfg.synapses_per_word, cnt[8] = {0}, len = 0;
    for (int i = 0; i < ax->nsyn; i++) {
        uint32_t t = cc->syn[ax->first + (size_t)i].tgt;
        if (!on_core(k, t)) continue;
        uint32_t j = (t - k->first) % S;
        if (++cnt[j] > len) len = cnt[j];
    }
    return len;
}

/* The block base of global axon a on core k, or LSNN_CC_NO_BLOCK. */
static uint32_t axon_on_core(const lsnn_compiled *cc, const lsnn_cc_core *k, int a)
{
    int g = axon_group(&cc->axon[a]);
    uint32_t base = g == GRP_IN ? k->in_base : g == GRP_REC ? k->rec_base : k->ro_base;
    return base == LSNN_CC_NO_BLOCK ? base : base + (uint32_t)cc->axon[a].src;
}

/* A layout under construction: per core, the segment length of every global axon. */
typedef struct {
    int n;
    lsnn_cc_core *core; /* [n] */
    uint32_t *seg;      /* [n][n_axons] */
} layout;

static void layout_free(layout *L)
{
    for (int c = 0; L->core && c < L->n; c++)
        cc_core_free(&L->core[c]);
    free(L->core);
    free(L->seg);
    memset(L, 0, sizeof *L);
}

/* Destinations of a recurrent neuron: every recurrent block, then every readout block. */
static int n_destinations(const layout *L)
{
    int n = 0;
    for (int d = 0; d < L->n; d++)
        n += (L->core[d].rec_base != LSNN_CC_NO_BLOCK) + (L->core[d].ro_base != LSNN_CC_NO_BLOCK);
    return n;
}

/* Pass 1 on core k: blocks present, xu, segments, words, routes, usage. */
static void size_core(const lsnn_compiled *cc, layout *L, int c)
{
    lsnn_cc_core *k = &L->core[c];
    uint32_t *seg = L->seg + (size_t)c * cc->n_axons;
    int present[NGRP] = {0};
    uint32_t size_of[NGRP] = {(uint32_t)cc->n_in, (uint32_t)cc->n_rec, (uint32_t)cc->n_rec};
    for (int a = 0; a < cc->n_axons; a++)
        for (int i = 0; i < cc->axon[a].nsyn && !present[axon_group(&cc->axon[a])]; i++)
            if (on_core(k, cc->syn[cc->axon[a].first + (size_t)i].tgt))
                present[axon_group(&cc->axon[a])] = 1;
    uint32_t *base[NGRP] = {&k->in_base, &k->rec_base, &k->ro_base}, xu = 0;
    for (int g = 0; g < NGRP; g++) {
        *base[g] = present[g] ? xu : LSNN_CC_NO_BLOCK;
        xu += present[g] ? size_of[g] : 0;
    }
    k->nu = k->size;
    k->xu = xu;
    k->n_words = 0;
    k->usage.synapses = 0;
    for (int a = 0; a < cc->n_axons; a++) {
        seg[a] = axon_on_core(cc, k, a) == LSNN_CC_NO_BLOCK ? 0 : segment_words(cc, k, a);
        k->n_words += seg[a];
        for (int i = 0; seg[a] && i < cc->axon[a].nsyn; i++)
            k->usage.synapses += on_core(k, cc->syn[cc->axon[a].first + (size_t)i].tgt);
    }
    uint32_t profiles = 0;
    uint64_t seen = 0;
    for (uint32_t s = k->first; s < k->first + k->size; s++)
        if (!(seen & (1ull << cc->ncfg[s]))) seen |= 1ull << cc->ncfg[s], profiles++;
    const lsnn_hw_config *g = &cc->cfg;
    k->usage = (lsnn_cc_usage){k->nu,
                               (uint32_t)g->neurons,
                               k->xu,
                               (uint32_t)g->axons,
                               k->n_words,
                               (uint32_t)g->synapse_words,
                               0,
                               (uint32_t)g->route_entries,
                               profiles,
                               (uint32_t)g->profiles,
                               k->usage.synapses};
}

/* Routing entries of core c, after every core is sized: relative entries are shared by the
 * core's recurrent neurons; explicit ones go only where the neuron has synapses. */
static uint32_t routes_of(const lsnn_compiled *cc, const layout *L, int c, long *explicit_n)
{
    const lsnn_cc_core *k = &L->core[c];
    uint32_t rec_here = 0, n = 0;
    for (uint32_t s = k->first; s < k->first + k->size; s++)
        rec_here += s < (uint32_t)cc->n_rec;
    for (uint32_t s = k->first; s < k->first + k->size && s < (uint32_t)cc->n_rec; s++)
        for (int d = 0; d < L->n; d++) {
            const uint32_t *seg = L->seg + (size_t)d * cc->n_axons;
            n += seg[cc->n_in + s] > 0;
            n += seg[cc->n_in + cc->n_rec + s] > 0;
        }
    *explicit_n += n;
    if (!cc->opt.route_rel) return n;
    return rec_here ? (uint32_t)n_destinations(L) : 0;
}

/* "lif 120 + alif 100 + readout 10" restricted to the slots of core k. */
static void pop_list(const lsnn_compiled *cc, const lsnn_cc_core *k, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = 0;
    for (int p = 0; p <= cc->n_pops; p++) {
        const lsnn_cc_pop *pp = &cc->pops[p == cc->n_pops ? LSNN_CC_POP_READOUT : p];
        long lo = pp->first > (int)k->first ? pp->first : (long)k->first;
        long hi = pp->first + pp->size < (long)(k->first + k->size) ? pp->first + pp->size
                                                                    : (long)(k->first + k->size);
        if (hi <= lo) continue;
        at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s %ld", at ? " + " : "",
                               pp->name, hi - lo);
        if (at >= len) break;
    }
}

/* §13 rules 1-7 of core c. */
static void check_core(const lsnn_compiled *cc, const layout *L, int c, cc_drc *d)
{
    const lsnn_hw_config *g = &cc->cfg;
    const lsnn_cc_core *k = &L->core[c];
    const lsnn_cc_usage *u = &k->usage;
    const char *hw = g->name;
    char pops[256];
    pop_list(cc, k, pops, sizeof pops);
    if (u->neurons > u->neurons_max)
        cc_drc_add(d,
                   "core %u: populations %s need %u neuron slots; a core holds %u "
                   "(core.neurons in hw config '%s'), %u over",
                   k->id, pops, u->neurons, u->neurons_max, hw, u->neurons - u->neurons_max);
    if ((uint32_t)cc->n_profiles > u->profiles_max && c == 0)
        cc_drc_add(d,
                   "core %u: %d distinct profiles; a core holds %u (core.profiles in hw config "
                   "'%s'), %u over",
                   k->id, cc->n_profiles, u->profiles_max, hw,
                   (uint32_t)cc->n_profiles - u->profiles_max);
    if (u->axons > u->axons_max)
        cc_drc_add(d,
                   "core %u: %u axons (%d inputs + %d recurrent + %d readout sources); a core "
                   "holds %u (core.axons in hw config '%s'), %u over",
                   k->id, u->axons, k->in_base != LSNN_CC_NO_BLOCK ? cc->n_in : 0,
                   k->rec_base != LSNN_CC_NO_BLOCK ? cc->n_rec : 0,
                   k->ro_base != LSNN_CC_NO_BLOCK ? cc->n_rec : 0, u->axons_max, hw,
                   u->axons - u->axons_max);
    if (u->words > u->words_max)
        cc_drc_add(d,
                   "core %u: %ld synapses need %u synapse words; a core holds %u "
                   "(core.synapse_words in hw config '%s'), %u over",
                   k->id, u->synapses, u->words, u->words_max, hw, u->words - u->words_max);
    uint32_t segmax = (1u << ilog2((uint32_t)g->synapse_words)) - 1;
    const uint32_t *seg = L->seg + (size_t)c * cc->n_axons;
    for (int a = 0; a < cc->n_axons; a++)
        if (seg[a] > segmax) {
            cc_drc_add(d,
                       "core %u: axon %d: a segment of %u words; at most %u (2^MB - 1, "
                       "core.synapse_words in hw config '%s'), %u over",
                       k->id, a, seg[a], segmax, hw, seg[a] - segmax);
            break;
        }
    if (u->routes > u->routes_max)
        cc_drc_add(d,
                   "core %u: %u routing entries; a core holds %u (core.route_entries in hw "
                   "config '%s'), %u over",
                   k->id, u->routes, u->routes_max, hw, u->routes - u->routes_max);
}

/* §13 rules that do not depend on the core: 6, 7, 13, 14. */
static void check_global(const lsnn_compiled *cc, const layout *L, cc_drc *d)
{
    const lsnn_hw_config *g = &cc->cfg;
    int dest = n_destinations(L);
    if (cc->n_rec && dest > LSNN_CC_MAX_DEST)
        cc_drc_add(d,
                   "a recurrent neuron has %d destinations (one per core block); at most %d, "
                   "%d over",
                   dest, LSNN_CC_MAX_DEST, dest - LSNN_CC_MAX_DEST);
    if (cc->max_delay > g->delay_slots - 1)
        cc_drc_add(d,
                   "a synapse has delay %d; delays are at most D - 1 = %d (core.delay_slots in "
                   "hw config '%s'), %d over",
                   cc->max_delay, g->delay_slots - 1, g->name,
                   cc->max_delay - (g->delay_slots - 1));
    if (L->n > lsnn_hw_cores(g))
        cc_drc_add(d, "%d cores needed; the mesh has %d (mesh in hw config '%s')", L->n,
                   lsnn_hw_cores(g), g->name);
    if (cc->n_in > 65536)
        cc_drc_add(d, "%d input channels; channel ids are 16 bits (65536)", cc->n_in);
}

/* Pass 1 for a partition: n cores with the given slot ranges; returns the violations in d. */
static int size_layout(const lsnn_compiled *cc, layout *L, int n, const uint32_t *first,
                       const uint32_t *size, cc_drc *d, long *explicit_n)
{
    L->n = n;
    L->core = calloc((size_t)n, sizeof *L->core);
    L->seg = calloc((size_t)n * (size_t)cc->n_axons + 1, sizeof *L->seg);
    if (!L->core || !L->seg) return -1;
    for (int c = 0; c < n; c++) {
        L->core[c].id = lsnn_hw_nth_cell(&cc->cfg, c); /* §16.1: row-major cells */
        L->core[c].first = first[c];
        L->core[c].size = size[c];
        size_core(cc, L, c);
    }
    *explicit_n = 0;
    for (int c = 0; c < n; c++) {
        L->core[c].n_rte = routes_of(cc, L, c, explicit_n);
        L->core[c].usage.routes = L->core[c].n_rte;
    }
    for (int c = 0; c < n; c++)
        check_core(cc, L, c, d);
    check_global(cc, L, d);
    return 0;
}

/* Pass 2, core c: AXT and SYN (segments in axon order, each axon's synapses packed by bank),
 * RIX and RTE. */
static int fill_core(const lsnn_compiled *cc, layout *L, int c)
{
    lsnn_cc_core *k = &L->core[c];
    const uint32_t *seg = L->seg + (size_t)c * cc->n_axons;
    uint32_t S = (uint32_t)cc->cfg.synapses_per_word, base = 0;
    k->axt = calloc((size_t)k->xu + 1, sizeof *k->axt);
    k->lanes = calloc((size_t)k->n_words * S + 1, sizeof *k->lanes);
    k->rix = calloc((size_t)k->nu + 1, sizeof *k->rix);
    k->rte = calloc((size_t)k->n_rte + 1, sizeof *k->rte);
    if (!k->axt || !k->lanes || !k->rix || !k->rte) return -1;
    for (int a = 0; a < cc->n_axons; a++) {
        uint32_t x = axon_on_core(cc, k, a), fill[8] = {0};
        if (x == LSNN_CC_NO_BLOCK) continue;
        const lsnn_cc_axon *ax = &cc->axon[a];
        k->axt[x] = (lsnn_ref_axt){seg[a] ? base : 0, seg[a], ax->wexp};
        for (int i = 0; i < ax->nsyn; i++) {
            const lsnn_cc_syn *s = &cc->syn[ax->first + (size_t)i];
            if (!on_core(k, s->tgt)) continue;
            uint32_t local = s->tgt - k->first, j = local % S, w = base + fill[j]++;
            k->lanes[(size_t)w * S + j] = (lsnn_ref_lane){1, s->d, local / S, s->m};
        }
        base += seg[a];
    }
    uint32_t r = 0;
    if (cc->opt
            .route_rel) { /* one relative entry per destination block: axon base + first + local */
        for (int d = 0; d < L->n && k->n_rte; d++) {
            const lsnn_cc_core *t = &L->core[d];
            if (t->rec_base != LSNN_CC_NO_BLOCK)
                k->rte[r++] = (lsnn_ref_rte){LSNN_REF_RTE_CORE, 1, t->id, t->rec_base + k->first};
            if (t->ro_base != LSNN_CC_NO_BLOCK)
                k->rte[r++] = (lsnn_ref_rte){LSNN_REF_RTE_CORE, 1, t->id, t->ro_base + k->first};
        }
        for (uint32_t s = k->first; s < k->first + k->size && s < (uint32_t)cc->n_rec; s++)
            k->rix[s - k->first] = (lsnn_ref_rix){0, r};
        return 0;
    }
    for (uint32_t s = k->first; s < k->first + k->size && s < (uint32_t)cc->n_rec; s++) {
        k->rix[s - k->first].base = r;
        for (int d = 0; d < L->n; d++) {
            const lsnn_cc_core *t = &L->core[d];
            const uint32_t *ts = L->seg + (size_t)d * cc->n_axons;
            if (ts[cc->n_in + s])
                k->rte[r++] = (lsnn_ref_rte){LSNN_REF_RTE_CORE, 0, t->id, t->rec_base + s};
            if (ts[cc->n_in + cc->n_rec + s])
                k->rte[r++] = (lsnn_ref_rte){LSNN_REF_RTE_CORE, 0, t->id, t->ro_base + s};
        }
        k->rix[s - k->first].cnt = r - k->rix[s - k->first].base;
    }
    return 0;
}

/* Partition number p: 0 = one core; r >= 1 = recurrent neurons over r cores, readouts on
 * core r. Returns the core count, 0 when p does not apply. */
static int partition(const lsnn_compiled *cc, int p, uint32_t *first, uint32_t *size)
{
    uint32_t N = (uint32_t)cc->n_rec, C = (uint32_t)cc->n_out;
    if (p == 0) {
        first[0] = 0;
        size[0] = N + C;
        return 1;
    }
    if ((uint32_t)p > N || C == 0) return 0;
    for (uint32_t c = 0, at = 0; c < (uint32_t)p; c++) {
        size[c] = N / (uint32_t)p + (c < N % (uint32_t)p);
        first[c] = at;
        at += size[c];
    }
    first[p] = N;
    size[p] = C;
    return p + 1;
}

int lsnn_cc_place(lsnn_compiled *cc, lsnn_error *e)
{
    int cells = lsnn_hw_cores(&cc->cfg);
    uint32_t first[LSNN_HW_MAX_CORES + 1], size[LSNN_HW_MAX_CORES + 1];
    cc_drc d = {0};
    layout L = {0};
    long explicit_n = 0;
    int want = cc->opt.cores;
    if (want > cells || (want > 1 && partition(cc, want - 1, first, size) == 0))
        return lsnn_fail(e,
                         "%d cores asked for (--cores): the mesh of hw config '%s' has %d cells, "
                         "and a split needs at most one core per recurrent neuron plus one for "
                         "the readouts (%d recurrent, %d readouts)",
                         want, cc->cfg.name, cells, cc->n_rec, cc->n_out);
    for (int p = want ? want - 1 : 0; p < (want ? want : cells); p++) {
        int n = partition(cc, p, first, size);
        if (n == 0) continue;
        layout_free(&L);
        memset(&d, 0, sizeof d);
        if (size_layout(cc, &L, n, first, size, &d, &explicit_n)) {
            layout_free(&L);
            return lsnn_fail(e, "out of memory");
        }
        if (d.n == 0) break;
    }
    if (d.n) {
        int tried = L.n;
        layout_free(&L);
        if (cells > 1) {
            cc_drc pre = {0};
            cc_drc_add(&pre,
                       "the network does not fit the %d cores of hw config '%s' (mesh %dx%d); "
                       "with %d cores: %s",
                       cells, cc->cfg.name, cc->cfg.mesh_x, cc->cfg.mesh_y, tried, d.msg);
            return cc_drc_finish(&pre, e);
        }
        return cc_drc_finish(&d, e);
    }
    for (int c = 0; c < L.n; c++)
        if (fill_core(cc, &L, c)) {
            layout_free(&L);
            return lsnn_fail(e, "out of memory");
        }
    cc->n_cores = L.n;
    cc->core = L.core;
    cc->routes_explicit = explicit_n;
    free(L.seg);
    return 0;
}
