/* ref_core.c - the bit-exact fixed-point reference of one neurocore (docs/neurocore.md, v1). */
#include "ref_core.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- §0 conventions ------------------------------------------------------------------------
 * All values are int64_t (no intermediate needs more than 62 bits: §0, §4.6). `x >> s` on a
 * negative int64_t is implementation-defined in ISO C; GCC and Clang document it as an
 * arithmetic shift (floor(x / 2^s)), which is what §0 requires. Left shifts of possibly
 * negative values are written as multiplications by 2^s (a negative left shift is UB). */

static int64_t pow2(int s)
{
    return (int64_t)1 << s;
}

int64_t lsnn_ref_rshr(int64_t x, int s)
{
    if (s == 0) return x;
    return (x + pow2(s - 1)) >> s; /* arithmetic shift: see above */
}

int64_t lsnn_ref_leak(int64_t x, int64_t k, int f)
{
    return x - lsnn_ref_rshr(x * k, f);
}

int64_t lsnn_ref_sat_s(int64_t x, int n, uint64_t *counter)
{
    int64_t lo = -pow2(n - 1), hi = pow2(n - 1) - 1;
    int64_t y = x < lo ? lo : x > hi ? hi : x;
    if (y != x && counter) ++*counter;
    return y;
}

int64_t lsnn_ref_sat_u(int64_t x, int n, uint64_t *counter)
{
    int64_t hi = pow2(n) - 1;
    int64_t y = x < 0 ? 0 : x > hi ? hi : x;
    if (y != x && counter) ++*counter;
    return y;
}

/* ---- §11 counters --------------------------------------------------------------------------- */

static const char *const counter_names[LSNN_REF_NCOUNTERS] = {
    "ticks",       "cycles",       "stall_cycles",   "clears",      "events_in",
    "latch_reads", "syn_events",   "syn_word_reads", "syn_ops",     "neuron_updates",
    "state_reads", "state_writes", "acc_reads",      "spikes",      "route_lookups",
    "route_reads", "spikes_local", "spikes_core",    "spikes_host", "sat_acc",
    "sat_v",       "sat_r",        "sat_a",          "dup_events",  "bad_words",
    "prog_reads",  "prog_writes",  "reserved",       "reserved",    "reserved",
    "reserved",    "reserved"};

const char *lsnn_ref_counter_name(int i)
{
    return i >= 0 && i < LSNN_REF_NCOUNTERS ? counter_names[i] : NULL;
}

uint64_t lsnn_ref_counter(const lsnn_ref_core *c, int i)
{
    return i >= 0 && i < LSNN_REF_NCOUNTERS ? c->counters[i] : 0;
}

/* Increments counter i; saturation and error counters also raise their STATUS flag (§9). */
static void count(lsnn_ref_core *c, int i)
{
    c->counters[i]++;
    if (i >= LSNN_REF_SAT_ACC && i <= LSNN_REF_SAT_A) c->status |= LSNN_REF_STATUS_SAT;
    if (i == LSNN_REF_DUP_EVENTS || i == LSNN_REF_BAD_WORDS) c->status |= LSNN_REF_STATUS_ERROR;
}

void lsnn_ref_ctrl(lsnn_ref_core *c, uint32_t bits)
{
    if (bits & 1u) memset(c->counters, 0, sizeof c->counters);
    if (bits & 2u) c->status = 0;
}

uint32_t lsnn_ref_status(const lsnn_ref_core *c)
{
    return c->status;
}

/* ---- §2 configuration ----------------------------------------------------------------------- */

static int log2i(uint32_t x) /* floor */
{
    int b = 0;
    while (x >>= 1)
        b++;
    return b;
}

static int ceil_log2(uint32_t x)
{
    int b = log2i(x);
    return ((uint32_t)1 << b) < x ? b + 1 : b;
}

/* ---- create / free -------------------------------------------------------------------------- */

void lsnn_ref_free(lsnn_ref_core *c)
{
    if (!c) return;
    free(c->profile);
    free(c->ncfg);
    free(c->state);
    free(c->acc);
    free(c->axt);
    free(c->syn);
    free(c->rix);
    free(c->rte);
    free(c->latch[0]);
    free(c->latch[1]);
    free(c->spikebuf);
    free(c);
}

lsnn_ref_core *lsnn_ref_create(const lsnn_hw_config *cfg, lsnn_error *e)
{
    if (lsnn_hw_check(cfg, e)) return NULL;
    lsnn_ref_core *c = calloc(1, sizeof *c);
    if (!c) {
        lsnn_fail(e, "neurocore reference: out of memory");
        return NULL;
    }
    c->cfg = *cfg;
    uint32_t N = cfg->neurons, S = cfg->synapses_per_word, D = cfg->delay_slots;
    c->NB = log2i(N);
    c->SB = log2i(S);
    c->TB = c->NB - c->SB;
    c->DB = log2i(D);
    c->XB = ceil_log2(cfg->axons);
    c->MB = log2i(cfg->synapse_words);
    c->RB = log2i(cfg->route_entries);
    c->PB = cfg->profiles > 1 ? log2i(cfg->profiles) : 1;
    c->LW = cfg->axons / 32;
    c->rows = D * N / S;
    uint64_t m = N;
    if (c->rows > m) m = c->rows;
    if (c->LW > m) m = c->LW;
    c->c_clear = 2 + m;
    c->profile = calloc(cfg->profiles, sizeof *c->profile);
    c->ncfg = calloc(N, sizeof *c->ncfg);
    c->state = calloc(N, sizeof *c->state);
    c->acc = calloc((size_t)S * c->rows, sizeof *c->acc);
    c->axt = calloc(cfg->axons, sizeof *c->axt);
    c->syn = calloc((size_t)cfg->synapse_words * S, sizeof *c->syn);
    c->rix = calloc(N, sizeof *c->rix);
    c->rte = calloc(cfg->route_entries, sizeof *c->rte);
    c->latch[0] = calloc(c->LW, sizeof *c->latch[0]);
    c->latch[1] = calloc(c->LW, sizeof *c->latch[1]);
    c->spikebuf = calloc(N, sizeof *c->spikebuf);
    if (!c->profile || !c->ncfg || !c->state || !c->acc || !c->axt || !c->syn || !c->rix ||
        !c->rte || !c->latch[0] || !c->latch[1] || !c->spikebuf) {
        lsnn_ref_free(c);
        lsnn_fail(e, "neurocore reference: out of memory");
        return NULL;
    }
    return c;
}

/* ---- setters: §7 rows, §13 per-row loader rules --------------------------------------------- */

static int check_row(const char *mem, uint32_t row, uint64_t rows, const char *why, lsnn_error *e)
{
    if (row >= rows)
        return lsnn_fail(e, "%s row %" PRIu32 " out of range [0, %" PRIu64 "] (%s)", mem, row,
                         rows - 1, why);
    return 0;
}

/* The field of row `where` ("SYN[5] lane 2") must lie in [lo, hi]. */
static int check_val(const char *where, const char *field, int64_t v, int64_t lo, int64_t hi,
                     const char *why, lsnn_error *e)
{
    if (v < lo || v > hi)
        return lsnn_fail(e, "%s: %s = %" PRId64 " out of range [%" PRId64 ", %" PRId64 "] (%s)",
                         where, field, v, lo, hi, why);
    return 0;
}

static int check_field(const char *mem, uint32_t row, const char *field, int64_t v, int64_t lo,
                       int64_t hi, const char *why, lsnn_error *e)
{
    char where[64];
    snprintf(where, sizeof where, "%s[%" PRIu32 "]", mem, row);
    return check_val(where, field, v, lo, hi, why, e);
}

int lsnn_ref_set_core_id(lsnn_ref_core *c, uint32_t id, lsnn_error *e)
{
    if (id > 255)
        return lsnn_fail(e, "register CORE_ID = %" PRIu32 " out of range [0, 255] (8-bit core ids)",
                         id);
    c->core_id = id;
    return 0;
}

int lsnn_ref_set_nu(lsnn_ref_core *c, uint32_t nu, lsnn_error *e)
{
    if (nu > (uint32_t)c->cfg.neurons)
        return lsnn_fail(e, "register NU = %" PRIu32 " out of range [0, %d] (core.neurons N)", nu,
                         c->cfg.neurons);
    c->nu = nu;
    return 0;
}

int lsnn_ref_set_xu(lsnn_ref_core *c, uint32_t xu, lsnn_error *e)
{
    if (xu > (uint32_t)c->cfg.axons)
        return lsnn_fail(e, "register XU = %" PRIu32 " out of range [0, %d] (core.axons X)", xu,
                         c->cfg.axons);
    c->xu = xu;
    return 0;
}

int lsnn_ref_set_profile(lsnn_ref_core *c, uint32_t row, const lsnn_ref_profile *p, lsnn_error *e)
{
    const lsnn_hw_config *g = &c->cfg;
    const char *M = "PROFILE";
    if (check_row(M, row, g->profiles, "core.profiles P", e) ||
        check_field(M, row, "mode", p->mode, 0, 1, "0 spiking, 1 readout", e) ||
        check_field(M, row, "spk_prev", p->spk_prev, 0, 1, "1 bit", e) ||
        check_field(M, row, "n_ref", p->n_ref, 0, pow2(g->ref_bits) - 1, "Q bits", e) ||
        check_field(M, row, "f_v", p->f_v, 0, 31, "5 bits", e) ||
        check_field(M, row, "k_v", p->k_v, 0, pow2(g->decay_bits) - 1, "K bits", e) ||
        check_field(M, row, "k_v", p->k_v, 0, pow2((int)p->f_v), "k_v <= 2^f_v", e) ||
        check_field(M, row, "f_a", p->f_a, 0, 31, "5 bits", e) ||
        check_field(M, row, "k_a", p->k_a, 0, pow2(g->decay_bits) - 1, "K bits", e) ||
        check_field(M, row, "k_a", p->k_a, 0, pow2((int)p->f_a), "k_a <= 2^f_a", e) ||
        check_field(M, row, "b0", p->b0, p->mode == 0 ? 1 : 0, pow2(g->v_bits - 1) - 1,
                    p->mode == 0 ? "V-1 bits, >= 1 in mode 0" : "V-1 bits", e) ||
        check_field(M, row, "inc", p->inc, 0, pow2(g->v_bits + g->a_frac_bits) - 1, "V+G bits", e))
        return -1;
    c->profile[row] = *p;
    return 0;
}

int lsnn_ref_set_ncfg(lsnn_ref_core *c, uint32_t n, uint32_t profile, lsnn_error *e)
{
    if (check_row("NCFG", n, c->cfg.neurons, "core.neurons N", e) ||
        check_field("NCFG", n, "profile", profile, 0, c->cfg.profiles - 1, "core.profiles P", e))
        return -1;
    c->ncfg[n] = profile;
    return 0;
}

int lsnn_ref_set_state(lsnn_ref_core *c, uint32_t n, const lsnn_ref_state *s, lsnn_error *e)
{
    const lsnn_hw_config *g = &c->cfg;
    const char *M = "STATE";
    if (check_row(M, n, g->neurons, "core.neurons N", e) ||
        check_field(M, n, "v", s->v, -pow2(g->v_bits - 1), pow2(g->v_bits - 1) - 1, "V bits signed",
                    e) ||
        check_field(M, n, "a", s->a, 0, pow2(g->v_bits + g->a_frac_bits) - 1, "V+G bits", e) ||
        check_field(M, n, "ref", s->ref, 0, pow2(g->ref_bits) - 1, "Q bits", e) ||
        check_field(M, n, "z", s->z, 0, 1, "1 bit", e))
        return -1;
    c->state[n] = *s;
    return 0;
}

/* §7 ACC: neuron n, slot s lives in bank n mod S, row s*(N/S) + n div S. */
static int64_t *acc_at(const lsnn_ref_core *c, uint32_t slot, uint32_t n)
{
    uint32_t S = c->cfg.synapses_per_word, per = c->cfg.neurons / S;
    return &c->acc[(size_t)(n % S) * c->rows + slot * per + n / S];
}

int lsnn_ref_set_acc(lsnn_ref_core *c, uint32_t slot, uint32_t n, int64_t value, lsnn_error *e)
{
    const lsnn_hw_config *g = &c->cfg;
    if (check_row("ACC slot", slot, g->delay_slots, "core.delay_slots D", e) ||
        check_row("ACC neuron", n, g->neurons, "core.neurons N", e) ||
        check_field("ACC", slot * g->neurons + n, "value", value, -pow2(g->acc_bits - 1),
                    pow2(g->acc_bits - 1) - 1, "U bits signed", e))
        return -1;
    *acc_at(c, slot, n) = value;
    return 0;
}

int lsnn_ref_set_axt(lsnn_ref_core *c, uint32_t axon, const lsnn_ref_axt *a, lsnn_error *e)
{
    const lsnn_hw_config *g = &c->cfg;
    const char *M = "AXT";
    int64_t words = g->synapse_words;
    if (check_row(M, axon, g->axons, "core.axons X", e) ||
        check_field(M, axon, "base", a->base, 0, words - 1, "MB bits", e) ||
        check_field(M, axon, "cnt", a->cnt, 0, words - 1, "MB bits", e) ||
        check_field(M, axon, "cnt", a->cnt, 0, words - a->base, "base + cnt <= M", e) ||
        check_field(M, axon, "wexp", a->wexp, 0, 15, "4 bits", e))
        return -1;
    c->axt[axon] = *a;
    return 0;
}

int lsnn_ref_set_syn(lsnn_ref_core *c, uint32_t word, uint32_t lane, const lsnn_ref_lane *l,
                     lsnn_error *e)
{
    const lsnn_hw_config *g = &c->cfg;
    const char *M = "SYN";
    char where[48];
    snprintf(where, sizeof where, "SYN[%" PRIu32 "] lane %" PRIu32, word, lane);
    if (check_row(M, word, g->synapse_words, "core.synapse_words M", e) ||
        check_row("SYN lane", lane, g->synapses_per_word, "core.synapses_per_word S", e) ||
        check_val(where, "valid", l->valid, 0, 1, "1 bit", e) ||
        check_val(where, "d", l->d, 0, g->delay_slots - 1, "delay < D", e) ||
        check_val(where, "tgt", l->tgt, 0, g->neurons / g->synapses_per_word - 1,
                  "TB bits: target neuron tgt*S + lane < N", e) ||
        check_val(where, "m", l->m, -pow2(g->weight_bits - 1), pow2(g->weight_bits - 1) - 1,
                  "W bits signed", e))
        return -1;
    c->syn[(size_t)word * g->synapses_per_word + lane] = *l;
    return 0;
}

int lsnn_ref_set_rix(lsnn_ref_core *c, uint32_t n, const lsnn_ref_rix *r, lsnn_error *e)
{
    const lsnn_hw_config *g = &c->cfg;
    const char *M = "RIX";
    if (check_row(M, n, g->neurons, "core.neurons N", e) ||
        check_field(M, n, "base", r->base, 0, g->route_entries - 1, "RB bits", e) ||
        check_field(M, n, "cnt", r->cnt, 0, 15, "4 bits: at most 15 destinations", e) ||
        check_field(M, n, "cnt", r->cnt, 0, (int64_t)g->route_entries - r->base, "base + cnt <= R",
                    e))
        return -1;
    c->rix[n] = *r;
    return 0;
}

int lsnn_ref_set_rte(lsnn_ref_core *c, uint32_t row, const lsnn_ref_rte *r, lsnn_error *e)
{
    const char *M = "RTE";
    if (check_row(M, row, c->cfg.route_entries, "core.route_entries R", e) ||
        check_field(M, row, "kind", r->kind, 1, 2, "1 CORE, 2 HOST", e) ||
        check_field(M, row, "rel", r->rel, 0, 1, "1 bit", e) ||
        check_field(M, row, "core", r->core, 0, 255, "8 bits", e) ||
        check_field(M, row, "axon", r->axon, 0, 65535, "16 bits", e))
        return -1;
    c->rte[row] = *r;
    return 0;
}

int lsnn_ref_set_latch(lsnn_ref_core *c, uint32_t w, uint32_t bits, lsnn_error *e)
{
    if (check_row("LATCH", w, c->LW, "X/32 words", e)) return -1;
    c->latch[c->pend][w] = bits;
    return 0;
}

int lsnn_ref_get_state(const lsnn_ref_core *c, uint32_t n, lsnn_ref_state *out, lsnn_error *e)
{
    if (check_row("STATE", n, c->cfg.neurons, "core.neurons N", e)) return -1;
    *out = c->state[n];
    return 0;
}

int lsnn_ref_get_acc(const lsnn_ref_core *c, uint32_t slot, uint32_t n, int64_t *out, lsnn_error *e)
{
    if (check_row("ACC slot", slot, c->cfg.delay_slots, "core.delay_slots D", e) ||
        check_row("ACC neuron", n, c->cfg.neurons, "core.neurons N", e))
        return -1;
    *out = *acc_at(c, slot, n);
    return 0;
}

/* ---- §5.1 the axon latch -------------------------------------------------------------------- */

/* latch_set(x) into pend. from_event: an EVENT word (counts events_in when it sets the bit); a
 * local spike only counts spikes_local, in the routing phase. */
static void latch_set(lsnn_ref_core *c, uint32_t x, int from_event)
{
    if (x >= c->xu) {
        count(c, LSNN_REF_BAD_WORDS);
        return;
    }
    uint32_t *word = &c->latch[c->pend][x / 32], bit = (uint32_t)1 << (x % 32);
    if (*word & bit) {
        count(c, LSNN_REF_DUP_EVENTS);
        return;
    }
    *word |= bit;
    if (from_event) count(c, LSNN_REF_EVENTS_IN);
}

void lsnn_ref_event(lsnn_ref_core *c, uint32_t axon)
{
    latch_set(c, axon, 1);
}

static void emit_word(lsnn_ref_emit_fn emit, void *ctx, int port, uint32_t word)
{
    if (emit) emit(ctx, port, word);
}

/* ---- §5.2 the tick -------------------------------------------------------------------------- */

/* One axon x of the scan: its segment of SYN words into the ACC ring. */
static void synaptic_axon(lsnn_ref_core *c, uint32_t x)
{
    const lsnn_hw_config *g = &c->cfg;
    uint32_t S = g->synapses_per_word, D = g->delay_slots, per = g->neurons / S;
    lsnn_ref_axt a = c->axt[x];
    count(c, LSNN_REF_SYN_EVENTS);
    int64_t scale = pow2((int)a.wexp);
    for (uint32_t i = 0; i < a.cnt; i++) {
        const lsnn_ref_lane *word = &c->syn[(size_t)(a.base + i) * S];
        count(c, LSNN_REF_SYN_WORD_READS);
        for (uint32_t j = 0; j < S; j++) {
            const lsnn_ref_lane *l = &word[j];
            if (!l->valid) continue;
            uint32_t row = (uint32_t)(((uint64_t)c->tick + l->d) % D) * per + l->tgt;
            int64_t *acc = &c->acc[(size_t)j * c->rows + row];
            int64_t y = *acc + (int64_t)l->m * scale; /* exact */
            *acc = lsnn_ref_sat_s(y, g->acc_bits, &c->counters[LSNN_REF_SAT_ACC]);
            if (*acc != y) c->status |= LSNN_REF_STATUS_SAT;
            count(c, LSNN_REF_SYN_OPS);
        }
    }
}

/* The scan of cur: latch words in order, set bits ascending; each word is cleared as read. */
static void synaptic_phase(lsnn_ref_core *c)
{
    uint32_t *cur = c->latch[!c->pend];
    uint32_t L = (c->xu + 31) / 32;
    for (uint32_t w = 0; w < L; w++) {
        uint32_t bits = cur[w];
        cur[w] = 0;
        count(c, LSNN_REF_LATCH_READS);
        for (int b = 0; b < 32; b++)
            if (bits & ((uint32_t)1 << b)) synaptic_axon(c, 32 * w + (uint32_t)b);
    }
}

/* Counts a saturation: the counter i and the STATUS flag. */
static int64_t sat_s_count(lsnn_ref_core *c, int64_t y, int n, int i)
{
    int64_t r = lsnn_ref_sat_s(y, n, &c->counters[i]);
    if (r != y) c->status |= LSNN_REF_STATUS_SAT;
    return r;
}

/* One neuron's update (§5.2 neuron phase body); returns z1. */
static uint32_t neuron_update(lsnn_ref_core *c, uint32_t n, uint32_t slot_t)
{
    const lsnn_hw_config *g = &c->cfg;
    int V = g->v_bits, G = g->a_frac_bits;
    const lsnn_ref_profile *pr = &c->profile[c->ncfg[n]];
    lsnn_ref_state s = c->state[n], s1;
    count(c, LSNN_REF_STATE_READS);
    int64_t *accp = acc_at(c, slot_t, n);
    int64_t I = *accp;
    *accp = 0;
    count(c, LSNN_REF_ACC_READS);
    if (pr->mode == 1) { /* readout: leaky integrator */
        int64_t y = lsnn_ref_leak(s.v, pr->k_v, (int)pr->f_v) + I;
        s1.v = sat_s_count(c, y, V, LSNN_REF_SAT_R);
        s1.a = s.a;
        s1.ref = 0;
        s1.z = 0;
    } else { /* LIF / ALIF */
        int64_t y = lsnn_ref_leak(s.a, pr->k_a, (int)pr->f_a) + (s.z ? pr->inc : 0);
        s1.a = lsnn_ref_sat_u(y, V + G, &c->counters[LSNN_REF_SAT_A]);
        if (s1.a != y) c->status |= LSNN_REF_STATUS_SAT;
        int64_t A = pr->b0 + lsnn_ref_rshr(s1.a, G); /* adaptive threshold, exact */
        y = lsnn_ref_leak(s.v, pr->k_v, (int)pr->f_v) + I - (s.z ? A : 0);
        s1.v = sat_s_count(c, y, V, LSNN_REF_SAT_V);
        int64_t vs = pr->spk_prev ? s.v : s1.v;
        s1.z = s.ref == 0 && vs > A; /* strict; ref before its update */
        s1.ref = s1.z ? pr->n_ref : (s.ref > 0 ? s.ref - 1 : 0);
    }
    c->state[n] = s1;
    count(c, LSNN_REF_STATE_WRITES);
    count(c, LSNN_REF_NEURON_UPDATES);
    return s1.z;
}

static void neuron_phase(lsnn_ref_core *c, uint32_t slot_t)
{
    c->nspikes = 0;
    for (uint32_t n = 0; n < c->nu; n++) {
        if (neuron_update(c, n, slot_t)) {
            c->spikebuf[c->nspikes++] = n;
            count(c, LSNN_REF_SPIKES);
        }
    }
}

static void routing_phase(lsnn_ref_core *c, lsnn_ref_emit_fn emit, void *ctx)
{
    for (uint32_t k = 0; k < c->nspikes; k++) {
        uint32_t n = c->spikebuf[k];
        lsnn_ref_rix r = c->rix[n];
        count(c, LSNN_REF_ROUTE_LOOKUPS);
        for (uint32_t i = 0; i < r.cnt; i++) {
            const lsnn_ref_rte *en = &c->rte[r.base + i];
            count(c, LSNN_REF_ROUTE_READS);
            uint32_t x = en->rel ? (en->axon + n) & 0xFFFFu : en->axon;
            if (en->kind == LSNN_REF_RTE_CORE && en->core == c->core_id) {
                latch_set(c, x, 0);
                count(c, LSNN_REF_SPIKES_LOCAL);
            } else if (en->kind == LSNN_REF_RTE_CORE) {
                emit_word(emit, ctx, LSNN_REF_PORT_NOC, LSNN_REF_W_NOC(en->core, x));
                count(c, LSNN_REF_SPIKES_CORE);
            } else {
                emit_word(emit, ctx, LSNN_REF_PORT_HOST, LSNN_REF_W_SPIKE(x));
                count(c, LSNN_REF_SPIKES_HOST);
            }
        }
    }
}

/* §10.2: C_tick = 8 + L + E + Wd + NU + K + Rt + St, from this tick's counter increments. */
static uint64_t cycles_of_tick(const uint64_t *before, const uint64_t *after, uint32_t nu)
{
#define DELTA(i) (after[i] - before[i])
    return 8 + DELTA(LSNN_REF_LATCH_READS) + DELTA(LSNN_REF_SYN_EVENTS) +
           DELTA(LSNN_REF_SYN_WORD_READS) + nu + DELTA(LSNN_REF_ROUTE_LOOKUPS) +
           DELTA(LSNN_REF_ROUTE_READS) + DELTA(LSNN_REF_STALL_CYCLES);
#undef DELTA
}

void lsnn_ref_tick(lsnn_ref_core *c, lsnn_ref_emit_fn emit, void *ctx)
{
    uint64_t before[LSNN_REF_NCOUNTERS];
    memcpy(before, c->counters, sizeof before);
    /* START: swap(cur, pend); pend is now the latch scanned and cleared in the last tick */
    c->pend = !c->pend;
    uint32_t slot_t = c->tick % (uint32_t)c->cfg.delay_slots;
    synaptic_phase(c);
    neuron_phase(c, slot_t);
    routing_phase(c, emit, ctx);
    /* DONE */
    emit_word(emit, ctx, LSNN_REF_PORT_HOST, LSNN_REF_W_TICK_DONE(c->tick));
    c->tick++; /* uint32_t: wraps mod 2^32 */
    count(c, LSNN_REF_TICKS);
    c->last_cycles = cycles_of_tick(before, c->counters, c->nu);
    c->counters[LSNN_REF_CYCLES] += c->last_cycles;
}

/* ---- §5.3 CLEAR ----------------------------------------------------------------------------- */

void lsnn_ref_clear(lsnn_ref_core *c, lsnn_ref_emit_fn emit, void *ctx)
{
    const lsnn_hw_config *g = &c->cfg;
    memset(c->state, 0, (size_t)g->neurons * sizeof *c->state);
    memset(c->acc, 0, (size_t)g->synapses_per_word * c->rows * sizeof *c->acc);
    memset(c->latch[0], 0, c->LW * sizeof *c->latch[0]);
    memset(c->latch[1], 0, c->LW * sizeof *c->latch[1]);
    c->tick = 0;
    c->nspikes = 0;
    emit_word(emit, ctx, LSNN_REF_PORT_HOST, LSNN_REF_W_CLEAR_DONE);
    count(c, LSNN_REF_CLEARS);
    c->counters[LSNN_REF_CYCLES] += c->c_clear;
}

/* ---- §5.1 the AER-in stream ----------------------------------------------------------------- */

void lsnn_ref_word(lsnn_ref_core *c, uint32_t word, lsnn_ref_emit_fn emit, void *ctx)
{
    switch (word >> 30) {
    case 0: {
        uint32_t payload = word & 0x3FFFFFFFu;
        if (payload >> c->XB)
            count(c, LSNN_REF_BAD_WORDS);
        else
            latch_set(c, payload, 1);
        break;
    }
    case 1:
        lsnn_ref_tick(c, emit, ctx);
        break;
    case 2:
        lsnn_ref_clear(c, emit, ctx);
        break;
    default:
        count(c, LSNN_REF_BAD_WORDS);
        break;
    }
}
