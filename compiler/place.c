/* place.c - one network on one neurocore: slots, axons, SYN segments, routes, §13 design rules. */
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"

static int ilog2(uint32_t x)
{
    int n = 0;
    while ((1u << n) < x)
        n++;
    return n;
}

/* Words of an axon's segment: its largest per-lane (bank) count (§7 SYN). */
static uint32_t segment_words(const lsnn_compiled *cc, const lsnn_cc_axon *ax)
{
    uint32_t S = (uint32_t)cc->cfg.synapses_per_word, cnt[8] = {0}, len = 0;
    for (int i = 0; i < ax->nsyn; i++) {
        uint32_t j = cc->syn[ax->first + (size_t)i].tgt % S;
        if (++cnt[j] > len) len = cnt[j];
    }
    return len;
}

/* "population lif 120 + alif 100 + readout 10" */
static void pop_list(const lsnn_compiled *cc, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = 0;
    for (int p = 0; p <= cc->n_pops; p++) {
        const lsnn_cc_pop *pp = &cc->pops[p == cc->n_pops ? LSNN_CC_POP_READOUT : p];
        at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s %d", p ? " + " : "",
                               pp->name, pp->size);
        if (at >= len) break;
    }
}

/* §13 rules 1-7 and 14 with the resources of one core; fills cc->usage. */
static void check_rules(lsnn_compiled *cc, cc_drc *d, const uint32_t *seg)
{
    const lsnn_hw_config *g = &cc->cfg;
    lsnn_cc_usage *u = &cc->usage;
    const char *hw = g->name;
    char pops[256];
    pop_list(cc, pops, sizeof pops);
    if (u->neurons > u->neurons_max)
        cc_drc_add(d,
                   "core 0: populations %s need %u neuron slots; a core holds %u "
                   "(core.neurons in hw config '%s'), %u over",
                   pops, u->neurons, u->neurons_max, hw, u->neurons - u->neurons_max);
    if (u->profiles > u->profiles_max)
        cc_drc_add(d,
                   "core 0: %u distinct profiles; a core holds %u (core.profiles in hw config "
                   "'%s'), %u over",
                   u->profiles, u->profiles_max, hw, u->profiles - u->profiles_max);
    if (u->axons > u->axons_max)
        cc_drc_add(d,
                   "core 0: %u axons (%d inputs + %d recurrent + %d readout sources); a core "
                   "holds %u (core.axons in hw config '%s'), %u over",
                   u->axons, cc->n_in, cc->n_rec, cc->n_rec, u->axons_max, hw,
                   u->axons - u->axons_max);
    if (u->words > u->words_max)
        cc_drc_add(d,
                   "core 0: %ld synapses need %u synapse words; a core holds %u "
                   "(core.synapse_words in hw config '%s'), %u over",
                   u->synapses, u->words, u->words_max, hw, u->words - u->words_max);
    uint32_t segmax = (1u << ilog2((uint32_t)g->synapse_words)) - 1;
    for (int a = 0; a < cc->n_axons; a++)
        if (seg[a] > segmax) {
            cc_drc_add(d,
                       "axon %d: a segment of %u words; at most %u (2^MB - 1, core.synapse_words "
                       "in hw config '%s'), %u over",
                       a, seg[a], segmax, hw, seg[a] - segmax);
            break;
        }
    if (u->routes > u->routes_max)
        cc_drc_add(d,
                   "core 0: %u routing entries; a core holds %u (core.route_entries in hw "
                   "config '%s'), %u over",
                   u->routes, u->routes_max, hw, u->routes - u->routes_max);
    /* rule 6 holds by construction: a recurrent neuron has 2 destinations (<= 15) */
    if (cc->max_delay > g->delay_slots - 1)
        cc_drc_add(d,
                   "a synapse has delay %d; delays are at most D - 1 = %d (core.delay_slots in "
                   "hw config '%s'), %d over",
                   cc->max_delay, g->delay_slots - 1, hw, cc->max_delay - (g->delay_slots - 1));
    if (cc->n_in > 65536)
        cc_drc_add(d, "%d input channels; channel ids are 16 bits (65536)", cc->n_in);
}

/* AXT and SYN: segments in axon order, each axon's synapses packed by bank. */
static void pack_synapses(lsnn_compiled *cc, const uint32_t *seg)
{
    uint32_t S = (uint32_t)cc->cfg.synapses_per_word, base = 0;
    for (int a = 0; a < cc->n_axons; a++) {
        const lsnn_cc_axon *ax = &cc->axon[a];
        uint32_t fill[8] = {0};
        cc->axt[a].base = seg[a] ? base : 0;
        cc->axt[a].cnt = seg[a];
        cc->axt[a].wexp = ax->wexp;
        for (int i = 0; i < ax->nsyn; i++) {
            const lsnn_cc_syn *s = &cc->syn[ax->first + (size_t)i];
            uint32_t j = s->tgt % S, w = base + fill[j]++;
            lsnn_ref_lane *l = &cc->lanes[(size_t)w * S + j];
            l->valid = 1;
            l->d = s->d;
            l->tgt = s->tgt / S;
            l->m = s->m;
        }
        base += seg[a];
    }
}

/* RIX and RTE: recurrent neuron n -> own-core axons n_in + n and n_in + n_rec + n. */
static void set_routes(lsnn_compiled *cc)
{
    uint32_t I = (uint32_t)cc->n_in, N = (uint32_t)cc->n_rec;
    if (cc->opt.route_rel && N) {
        cc->rte[0] = (lsnn_ref_rte){LSNN_REF_RTE_CORE, 1, 0, I};
        cc->rte[1] = (lsnn_ref_rte){LSNN_REF_RTE_CORE, 1, 0, I + N};
    }
    for (uint32_t n = 0; n < N; n++) {
        cc->rix[n].cnt = 2;
        cc->rix[n].base = cc->opt.route_rel ? 0 : 2 * n;
        if (!cc->opt.route_rel) {
            cc->rte[2 * n] = (lsnn_ref_rte){LSNN_REF_RTE_CORE, 0, 0, I + n};
            cc->rte[2 * n + 1] = (lsnn_ref_rte){LSNN_REF_RTE_CORE, 0, 0, I + N + n};
        }
    }
}

int lsnn_cc_place(lsnn_compiled *cc, lsnn_error *e)
{
    const lsnn_hw_config *g = &cc->cfg;
    lsnn_cc_usage *u = &cc->usage;
    cc_drc d = {0};
    uint32_t *seg = calloc((size_t)cc->n_axons + 1, sizeof *seg);
    if (!seg) return lsnn_fail(e, "out of memory");
    memset(u, 0, sizeof *u);
    u->neurons = (uint32_t)(cc->n_rec + cc->n_out);
    u->axons = (uint32_t)cc->n_axons;
    u->profiles = (uint32_t)cc->n_profiles;
    u->routes = cc->n_rec == 0 ? 0 : cc->opt.route_rel ? 2 : 2 * (uint32_t)cc->n_rec;
    for (int a = 0; a < cc->n_axons; a++) {
        seg[a] = segment_words(cc, &cc->axon[a]);
        u->words += seg[a];
        u->synapses += cc->axon[a].nsyn;
    }
    u->neurons_max = (uint32_t)g->neurons;
    u->axons_max = (uint32_t)g->axons;
    u->words_max = (uint32_t)g->synapse_words;
    u->routes_max = (uint32_t)g->route_entries;
    u->profiles_max = (uint32_t)g->profiles;
    check_rules(cc, &d, seg);
    if (d.n) {
        free(seg);
        return cc_drc_finish(&d, e);
    }
    cc->nu = u->neurons;
    cc->xu = u->axons;
    cc->n_words = u->words;
    cc->n_rte = u->routes;
    size_t S = (size_t)g->synapses_per_word;
    cc->in_axon = malloc(((size_t)cc->n_in + 1) * sizeof *cc->in_axon);
    cc->readout_slot = malloc(((size_t)cc->n_out + 1) * sizeof *cc->readout_slot);
    cc->axt = calloc((size_t)cc->xu + 1, sizeof *cc->axt);
    cc->lanes = calloc((size_t)cc->n_words * S + 1, sizeof *cc->lanes);
    cc->rix = calloc((size_t)cc->nu + 1, sizeof *cc->rix);
    cc->rte = calloc((size_t)cc->n_rte + 1, sizeof *cc->rte);
    if (!cc->in_axon || !cc->readout_slot || !cc->axt || !cc->lanes || !cc->rix || !cc->rte) {
        free(seg);
        return lsnn_fail(e, "out of memory");
    }
    for (int i = 0; i < cc->n_in; i++)
        cc->in_axon[i] = (uint32_t)i;
    for (int c = 0; c < cc->n_out; c++)
        cc->readout_slot[c] = (uint32_t)(cc->n_rec + c);
    pack_synapses(cc, seg);
    set_routes(cc);
    free(seg);
    return 0;
}
