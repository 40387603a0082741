/* ref_core.c - the bit-exact fixed-point reference of one neurocore (docs/neurocore.md, v1). */
#include "ref_core.h"

#include "nc_arith.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- §11 counters --------------------------------------------------------------------------- */

#define COUNTER_NAME(id, name) #name,
static const char *const counter_names[LSNN_REF_NLIVE_COUNTERS] = {LSNN_COUNTERS(COUNTER_NAME)};
#undef COUNTER_NAME

const char *lsnn_ref_counter_name(int i)
{
    if (i < 0 || i >= LSNN_REF_NCOUNTERS) return NULL;
    return i < LSNN_REF_NLIVE_COUNTERS ? counter_names[i] : "reserved";
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

/* ---- the decoded synapse cache (private; see the synaptic phase below) ---------------------- */

/* One valid SYN lane (lane j, delay d, target tgt, weight m), decoded for the synaptic phase:
 * its ACC bank offset j * rows, its row offset dt = d * (N/S) + tgt and its shifted weight
 * w = m * 2^wexp (exact: |m| <= 2^15, wexp <= 15). */
typedef struct {
    uint32_t bank, dt;
    int32_t w;
} dec_lane;

struct lsnn_ref_syn_cache {
    int valid;       /* 0 after any AXT or SYN write: the next tick rebuilds the cache */
    uint32_t *first; /* [X + 1]: axon x's valid lanes are lane[first[x] .. first[x+1]) */
    dec_lane *lane;
};

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
    if (c->syn_cache) {
        free(c->syn_cache->first);
        free(c->syn_cache->lane);
        free(c->syn_cache);
    }
    free(c);
}

uint64_t lsnn_ref_memory_bound(const lsnn_hw_config *cfg)
{
    uint64_t N = (uint64_t)cfg->neurons, S = (uint64_t)cfg->synapses_per_word;
    uint64_t D = (uint64_t)cfg->delay_slots, M = (uint64_t)cfg->synapse_words;
    uint64_t X = (uint64_t)cfg->axons;
    return sizeof(lsnn_ref_core) + cfg->profiles * sizeof(lsnn_ref_profile) +
           N * (sizeof(uint32_t) + sizeof(lsnn_ref_state) + sizeof(lsnn_ref_rix) +
                sizeof(uint32_t)) +
           D * N * sizeof(int64_t) /* ACC */ + X * sizeof(lsnn_ref_axt) +
           M * S * (sizeof(lsnn_ref_lane) + 8) /* SYN, and the first tick's lane cache */ +
           (uint64_t)cfg->route_entries * sizeof(lsnn_ref_rte) + X / 4 + 4 * (X + 1);
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
    lsnn_hw_widths w = lsnn_hw_widths_of(cfg);
    c->NB = w.NB, c->SB = w.SB, c->TB = w.TB, c->DB = w.DB;
    c->XB = w.XB, c->MB = w.MB, c->RB = w.RB, c->PB = w.PB;
    c->LW = cfg->axons / 32;
    c->rows = D * N / S;
    c->c_clear = lsnn_hw_clear_cycles(cfg);
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
    c->syn_cache = calloc(1, sizeof *c->syn_cache); /* invalid: built by the first tick */
    if (c->syn_cache) c->syn_cache->first = calloc((size_t)cfg->axons + 1, sizeof(uint32_t));
    if (!c->profile || !c->ncfg || !c->state || !c->acc || !c->axt || !c->syn || !c->rix ||
        !c->rte || !c->latch[0] || !c->latch[1] || !c->spikebuf || !c->syn_cache ||
        !c->syn_cache->first) {
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
        check_field(M, row, "n_ref", p->n_ref, 0, lsnn_nc_umax(g->ref_bits), "Q bits", e) ||
        check_field(M, row, "f_v", p->f_v, 0, 31, "5 bits", e) ||
        check_field(M, row, "k_v", p->k_v, 0, lsnn_nc_umax(g->decay_bits), "K bits", e) ||
        check_field(M, row, "k_v", p->k_v, 0, lsnn_nc_pow2((int)p->f_v), "k_v <= 2^f_v", e) ||
        check_field(M, row, "f_a", p->f_a, 0, 31, "5 bits", e) ||
        check_field(M, row, "k_a", p->k_a, 0, lsnn_nc_umax(g->decay_bits), "K bits", e) ||
        check_field(M, row, "k_a", p->k_a, 0, lsnn_nc_pow2((int)p->f_a), "k_a <= 2^f_a", e) ||
        check_field(M, row, "b0", p->b0, p->mode == 0 ? 1 : 0, lsnn_nc_smax(g->v_bits),
                    p->mode == 0 ? "V-1 bits, >= 1 in mode 0" : "V-1 bits", e) ||
        check_field(M, row, "inc", p->inc, 0, lsnn_nc_umax(g->v_bits + g->a_frac_bits), "V+G bits",
                    e) ||
        check_field(M, row, "cuba", p->cuba, 0, 1, "1 bit", e) ||
        check_field(M, row, "f_i", p->f_i, 0, 31, "5 bits", e) ||
        check_field(M, row, "k_i", p->k_i, 0, lsnn_nc_umax(g->decay_bits), "K bits", e) ||
        check_field(M, row, "k_i", p->k_i, 0, lsnn_nc_pow2((int)p->f_i), "k_i <= 2^f_i", e))
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
        check_field(M, n, "v", s->v, lsnn_nc_smin(g->v_bits), lsnn_nc_smax(g->v_bits),
                    "V bits signed", e) ||
        check_field(M, n, "a", s->a, 0, lsnn_nc_umax(g->v_bits + g->a_frac_bits), "V+G bits", e) ||
        check_field(M, n, "ref", s->ref, 0, lsnn_nc_umax(g->ref_bits), "Q bits", e) ||
        check_field(M, n, "z", s->z, 0, 1, "1 bit", e) ||
        check_field(M, n, "isyn", s->isyn, lsnn_nc_smin(g->acc_bits), lsnn_nc_smax(g->acc_bits),
                    "U bits signed", e))
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
        check_field("ACC", slot * g->neurons + n, "value", value, lsnn_nc_smin(g->acc_bits),
                    lsnn_nc_smax(g->acc_bits), "U bits signed", e))
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
    c->syn_cache->valid = 0;
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
        check_val(where, "m", l->m, lsnn_nc_smin(g->weight_bits), lsnn_nc_smax(g->weight_bits),
                  "W bits signed", e))
        return -1;
    c->syn[(size_t)word * g->synapses_per_word + lane] = *l;
    c->syn_cache->valid = 0;
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

/* Speed. The tick below is §5.2's pseudo-code with the same arithmetic, in the same order, and
 * gives the same states, spikes, counters and cycle counts; what changes is only how the work is
 * done (tools/bench_ref measures it; the tests and `bench_ref --digest` check the results):
 *   - counters and saturation counts are summed in locals and added once per phase, not
 *     incremented through count() per synapse and per neuron;
 *   - the latch scan visits the set bits only (count trailing zeros), not all 32 per word;
 *   - the synaptic phase reads the decoded synapse cache: no invalid lanes, no modulo, no
 *     multiply by 2^wexp and no field decoding per lane (the literal version is kept as the
 *     fallback for images the cache cannot hold);
 *   - the neuron phase updates runs of neurons that share a profile with the profile's and the
 *     config's constants hoisted, in a branch-free loop over per-field arrays that the compiler
 *     vectorises (see update_chunk); n mod S and n div S (S a power of two) are a mask and a
 *     shift;
 *   - the cycle count of §10.2 takes the sum of the counters it needs before and after the
 *     tick instead of a copy of all 32.
 * bench_ref on the sMNIST networks (100 test sequences, one thread): DEEP R 12 % from 56 to
 * about 125 M syn_ops/s, dense from 175 to about 380 M syn_ops/s. */

static int ctz32(uint32_t x) /* x != 0 */
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctz(x);
#else
    int b = 0;
    while (!(x & 1u))
        x >>= 1, b++;
    return b;
#endif
}

/* Builds the decoded synapse cache from AXT and SYN. The ACC row of a lane with delay d and
 * target tgt in tick t is ((t + d) mod D) * (N/S) + tgt (§5.2); with toff = (t mod D) * (N/S)
 * that is (toff + dt) mod rows, because tgt < N/S and rows = D * (N/S) is a power of two; the
 * lane's ACC index is then bank + that. Lanes keep §5.2's order (words ascending, lanes
 * ascending within a word), so the saturating accumulation sees the same sequence of adds.
 * Returns -1 (cache left invalid; the tick then uses the literal path) when the segments
 * together hold more than M*S lanes (only possible when segments overlap; the compiler never
 * does that) or memory runs out. */
static int build_syn_cache(lsnn_ref_core *c)
{
    const lsnn_hw_config *g = &c->cfg;
    struct lsnn_ref_syn_cache *k = c->syn_cache;
    uint32_t X = (uint32_t)g->axons, S = (uint32_t)g->synapses_per_word,
             per = (uint32_t)g->neurons / S;
    uint64_t bound = 0;
    for (uint32_t x = 0; x < X; x++)
        bound += (uint64_t)c->axt[x].cnt * S;
    if (bound > (uint64_t)g->synapse_words * S) return -1;
    size_t n = 0;
    for (uint32_t x = 0; x < X; x++) {
        const lsnn_ref_lane *l = &c->syn[(size_t)c->axt[x].base * S];
        for (size_t i = 0; i < (size_t)c->axt[x].cnt * S; i++)
            n += l[i].valid;
    }
    dec_lane *lane = realloc(k->lane, (n ? n : 1) * sizeof *lane);
    if (!lane) return -1;
    k->lane = lane;
    n = 0;
    for (uint32_t x = 0; x < X; x++) {
        lsnn_ref_axt a = c->axt[x];
        k->first[x] = (uint32_t)n;
        for (uint32_t i = 0; i < a.cnt; i++)
            for (uint32_t j = 0; j < S; j++) {
                const lsnn_ref_lane *l = &c->syn[(size_t)(a.base + i) * S + j];
                if (!l->valid) continue;
                lane[n].bank = j * c->rows;
                lane[n].dt = l->d * per + l->tgt;
                lane[n].w = (int32_t)(l->m * lsnn_nc_pow2((int)a.wexp));
                n++;
            }
    }
    k->first[X] = (uint32_t)n;
    k->valid = 1;
    return 0;
}

/* One axon x of the scan, literally as §5.2 writes it: its segment of SYN words into the ACC
 * ring. Used only when the decoded cache cannot be built. */
static void synaptic_axon_literal(lsnn_ref_core *c, uint32_t x)
{
    const lsnn_hw_config *g = &c->cfg;
    uint32_t S = g->synapses_per_word, D = g->delay_slots, per = g->neurons / S;
    lsnn_ref_axt a = c->axt[x];
    count(c, LSNN_REF_SYN_EVENTS);
    int64_t scale = lsnn_nc_pow2((int)a.wexp);
    for (uint32_t i = 0; i < a.cnt; i++) {
        const lsnn_ref_lane *word = &c->syn[(size_t)(a.base + i) * S];
        count(c, LSNN_REF_SYN_WORD_READS);
        for (uint32_t j = 0; j < S; j++) {
            const lsnn_ref_lane *l = &word[j];
            if (!l->valid) continue;
            uint32_t row = (uint32_t)(((uint64_t)c->tick + l->d) % D) * per + l->tgt;
            int64_t *acc = &c->acc[(size_t)j * c->rows + row];
            int64_t y = *acc + (int64_t)l->m * scale; /* exact */
            *acc = lsnn_nc_clamp(y, lsnn_nc_smin(g->acc_bits), lsnn_nc_smax(g->acc_bits),
                                 &c->counters[LSNN_REF_SAT_ACC]);
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
    const struct lsnn_ref_syn_cache *k = c->syn_cache;
    if (!k->valid && build_syn_cache(c)) {
        for (uint32_t w = 0; w < L; w++) {
            uint32_t bits = cur[w];
            cur[w] = 0;
            count(c, LSNN_REF_LATCH_READS);
            for (; bits; bits &= bits - 1)
                synaptic_axon_literal(c, 32 * w + (uint32_t)ctz32(bits));
        }
        return;
    }
    const int U = c->cfg.acc_bits;
    const int64_t lo = lsnn_nc_smin(U), hi = lsnn_nc_smax(U);
    const uint32_t per = (uint32_t)(c->cfg.neurons / c->cfg.synapses_per_word);
    const uint32_t toff = (c->tick & (uint32_t)(c->cfg.delay_slots - 1)) * per, rmask = c->rows - 1;
    const uint32_t *first = k->first;
    const dec_lane *lane = k->lane;
    int64_t *acc = c->acc;
    uint64_t events = 0, words = 0, ops = 0, sat = 0;
    for (uint32_t w = 0; w < L; w++) {
        uint32_t bits = cur[w];
        cur[w] = 0;
        for (; bits; bits &= bits - 1) { /* set bits, ascending */
            uint32_t x = 32 * w + (uint32_t)ctz32(bits);
            events++;
            words += c->axt[x].cnt;
            ops += first[x + 1] - first[x];
            for (uint32_t i = first[x]; i < first[x + 1]; i++) {
                int64_t *a = &acc[lane[i].bank + ((toff + lane[i].dt) & rmask)];
                *a = lsnn_nc_clamp(*a + lane[i].w, lo, hi, &sat); /* the add is exact */
            }
        }
    }
    uint64_t *cn = c->counters;
    cn[LSNN_REF_LATCH_READS] += L;
    cn[LSNN_REF_SYN_EVENTS] += events;
    cn[LSNN_REF_SYN_WORD_READS] += words;
    cn[LSNN_REF_SYN_OPS] += ops;
    cn[LSNN_REF_SAT_ACC] += sat;
    if (sat) c->status |= LSNN_REF_STATUS_SAT;
}

/* The neuron phase works on chunks of neurons that share a profile (consecutive neurons with
 * the same NCFG entry, at most CHUNK of them): it copies their STATE rows and ACC inputs into
 * small per-field arrays, updates those in one loop with the profile's constants hoisted, and
 * writes the rows back. The update loop has no branches and no memory dependences between
 * neurons, so the compiler can vectorise it; every neuron still gets exactly §5.2's
 * arithmetic, and the order of neurons (spike buffer, counters) is unchanged. */
enum { CHUNK = 64 };

typedef struct {
    int64_t v[CHUNK], a[CHUNK], ref[CHUNK], z[CHUNK], I[CHUNK], isyn[CHUNK];
} neuron_chunk;

/* §17 CUBA, before the rest of the update: isyn decays, adds the input and saturates once
 * (counted in sat_acc); the saturated current becomes the input that v (or r) integrates. */
static void cuba_chunk(neuron_chunk *q, int len, const lsnn_ref_profile *pr, int U,
                       uint64_t *sat_acc)
{
    const int64_t lo = lsnn_nc_smin(U), hi = lsnn_nc_smax(U), k_i = pr->k_i;
    const int f_i = (int)pr->f_i;
    uint64_t s = 0;
    for (int i = 0; i < len; i++) {
        q->isyn[i] = lsnn_nc_clamp(lsnn_nc_leak(q->isyn[i], k_i, f_i) + q->I[i], lo, hi, &s);
        q->I[i] = q->isyn[i];
    }
    *sat_acc += s;
}

/* Updates neurons 0..len-1 of q in place with profile pr (§5.2 neuron phase body). */
static void update_chunk(neuron_chunk *q, int len, const lsnn_ref_profile *pr, int V, int G,
                         uint64_t sat[3] /* sat_v, sat_r, sat_a */)
{
    const int64_t vlo = lsnn_nc_smin(V), vhi = lsnn_nc_smax(V), amax = lsnn_nc_umax(V + G);
    const int64_t k_v = pr->k_v, k_a = pr->k_a, b0 = pr->b0, inc = pr->inc, n_ref = pr->n_ref,
                  spk_prev = pr->spk_prev;
    const int f_v = (int)pr->f_v, f_a = (int)pr->f_a;
    uint64_t sv = 0, sa = 0;
    if (pr->mode == 1) { /* readout: leaky integrator; a kept, ref = z = 0 */
        for (int i = 0; i < len; i++) {
            q->v[i] = lsnn_nc_clamp(lsnn_nc_leak(q->v[i], k_v, f_v) + q->I[i], vlo, vhi, &sv);
            q->ref[i] = 0;
            q->z[i] = 0;
        }
        sat[1] += sv;
        return;
    }
    for (int i = 0; i < len; i++) { /* LIF / ALIF */
        int64_t v = q->v[i], z = q->z[i], ref = q->ref[i];
        int64_t a1 = lsnn_nc_clamp(lsnn_nc_leak(q->a[i], k_a, f_a) + (z ? inc : 0), 0, amax, &sa);
        int64_t A = lsnn_nc_threshold(b0, a1, G); /* exact */
        int64_t v1 =
            lsnn_nc_clamp(lsnn_nc_leak(v, k_v, f_v) + q->I[i] - (z ? A : 0), vlo, vhi, &sv);
        int64_t vs = spk_prev ? v : v1;
        int64_t z1 = lsnn_nc_fires(ref, vs, A); /* strict; ref before its update */
        q->ref[i] = z1 ? n_ref : (ref > 0 ? ref - 1 : 0);
        q->a[i] = a1;
        q->v[i] = v1;
        q->z[i] = z1;
    }
    sat[0] += sv;
    sat[2] += sa;
}

/* §5.2 neuron phase: every neuron 0..NU-1 in order; the spikes into spikebuf, ascending. */
static void neuron_phase(lsnn_ref_core *c, uint32_t slot_t)
{
    const lsnn_hw_config *g = &c->cfg;
    const int SB = c->SB;
    const uint32_t smask = (uint32_t)g->synapses_per_word - 1, rows = c->rows, nu = c->nu;
    /* ACC of neuron n at this slot: bank n mod S, row slot_t * (N/S) + n div S (§7) */
    int64_t *slot_acc = c->acc + (size_t)slot_t * ((uint32_t)g->neurons >> SB);
    uint64_t sat[3] = {0, 0, 0}, sat_i = 0;
    uint32_t ns = 0;
    neuron_chunk q;
    for (uint32_t n0 = 0; n0 < nu;) {
        uint32_t p = c->ncfg[n0], n1 = n0 + 1;
        while (n1 < nu && n1 - n0 < CHUNK && c->ncfg[n1] == p)
            n1++;
        int len = (int)(n1 - n0);
        for (int i = 0; i < len; i++) {
            uint32_t n = n0 + (uint32_t)i;
            const lsnn_ref_state *s = &c->state[n];
            int64_t *accp = slot_acc + (size_t)(n & smask) * rows + (n >> SB);
            q.v[i] = s->v;
            q.a[i] = s->a;
            q.ref[i] = s->ref;
            q.z[i] = s->z;
            q.I[i] = *accp;
            q.isyn[i] = s->isyn;
            *accp = 0;
        }
        if (c->profile[p].cuba) cuba_chunk(&q, len, &c->profile[p], g->acc_bits, &sat_i);
        update_chunk(&q, len, &c->profile[p], g->v_bits, g->a_frac_bits, sat);
        for (int i = 0; i < len; i++) {
            uint32_t n = n0 + (uint32_t)i;
            lsnn_ref_state *s = &c->state[n];
            s->v = q.v[i];
            s->a = q.a[i];
            s->ref = (uint32_t)q.ref[i];
            s->z = (uint32_t)q.z[i];
            s->isyn = q.isyn[i]; /* unchanged unless the profile is CUBA */
            c->spikebuf[ns] = n; /* kept only if it spiked (ns <= n < N) */
            ns += s->z;
        }
        n0 = n1;
    }
    c->nspikes = ns;
    uint64_t *cn = c->counters;
    cn[LSNN_REF_STATE_READS] += nu;
    cn[LSNN_REF_ACC_READS] += nu;
    cn[LSNN_REF_STATE_WRITES] += nu;
    cn[LSNN_REF_NEURON_UPDATES] += nu;
    cn[LSNN_REF_SPIKES] += ns;
    cn[LSNN_REF_SAT_V] += sat[0];
    cn[LSNN_REF_SAT_R] += sat[1];
    cn[LSNN_REF_SAT_A] += sat[2];
    cn[LSNN_REF_SAT_ACC] += sat_i; /* §17: the CUBA current is the accumulator's continuation */
    if (sat[0] | sat[1] | sat[2] | sat_i) c->status |= LSNN_REF_STATUS_SAT;
}

/* §10.1's routing phase, one cycle (nc_route.v's machine): the delivery register delivers the
 * entry read in the previous cycle; a NoC delivery that the port refuses freezes the phase
 * (a stall cycle). Otherwise a RIX cycle looks up the next spike (or, with none left, is the
 * drain cycle) and an RTE cycle reads the next entry into the delivery register. */
int lsnn_ref_route_cycle(lsnn_ref_core *c, int noc_ready, lsnn_ref_emit_fn emit, void *ctx)
{
    lsnn_ref_route *f = &c->route;
    int out = 0;
    if (f->dv) {
        const lsnn_ref_rte *en = &f->de;
        uint32_t x = en->rel ? (en->axon + f->dn) & 0xFFFFu : en->axon;
        if (en->kind == LSNN_REF_RTE_CORE && en->core == c->core_id) {
            latch_set(c, x, 0);
            count(c, LSNN_REF_SPIKES_LOCAL);
            out |= LSNN_REF_RC_LOCAL;
        } else if (en->kind == LSNN_REF_RTE_CORE) {
            if (!noc_ready) {
                count(c, LSNN_REF_STALL_CYCLES);
                return LSNN_REF_RC_STALL;
            }
            f->noc_word = LSNN_REF_W_NOC(en->core, x);
            emit_word(emit, ctx, LSNN_REF_PORT_NOC, f->noc_word);
            count(c, LSNN_REF_SPIKES_CORE);
            out |= LSNN_REF_RC_NOC;
        } else {
            emit_word(emit, ctx, LSNN_REF_PORT_HOST, LSNN_REF_W_SPIKE(x));
            count(c, LSNN_REF_SPIKES_HOST);
        }
        f->dv = 0;
    }
    if (!f->rte) {
        if (f->k >= c->nspikes) return out | LSNN_REF_RC_LAST; /* the drain cycle */
        uint32_t n = c->spikebuf[f->k];
        lsnn_ref_rix r = c->rix[n];
        count(c, LSNN_REF_ROUTE_LOOKUPS);
        if (r.cnt) {
            f->ra = r.base;
            f->left = r.cnt;
            f->rn = n;
            f->rte = 1;
        } else {
            f->k++;
        }
        return out;
    }
    count(c, LSNN_REF_ROUTE_READS);
    f->dv = 1;
    f->de = c->rte[f->ra++];
    f->dn = f->rn;
    if (--f->left == 0) {
        f->k++;
        f->rte = 0;
    }
    return out;
}

/* §10.2: C_tick = 7 + L + E + Wd + ceil(NU/NL) + K + Rt + St. L, E, Wd, K, Rt and St are this
 * tick's increments of their counters, so the tick takes their sum before and after (mod 2^64, as
 * the counters themselves). */
static uint64_t busy_counts(const uint64_t *k)
{
    return k[LSNN_REF_LATCH_READS] + k[LSNN_REF_SYN_EVENTS] + k[LSNN_REF_SYN_WORD_READS] +
           k[LSNN_REF_ROUTE_LOOKUPS] + k[LSNN_REF_ROUTE_READS] + k[LSNN_REF_STALL_CYCLES];
}

/* The neuron phase's issue cycles: NL neurons (one per lane) per cycle, §10.1. */
static uint64_t neuron_groups(const lsnn_ref_core *c)
{
    uint32_t nl = (uint32_t)c->cfg.neuron_lanes;
    return (c->nu + nl - 1) / nl;
}

uint64_t lsnn_ref_tick_begin(lsnn_ref_core *c)
{
    c->busy_before = busy_counts(c->counters);
    uint64_t scan_before = c->counters[LSNN_REF_LATCH_READS] + c->counters[LSNN_REF_SYN_EVENTS] +
                           c->counters[LSNN_REF_SYN_WORD_READS];
    /* START: swap(cur, pend); pend is now the latch scanned and cleared in the last tick */
    c->pend = !c->pend;
    uint32_t slot_t = c->tick % (uint32_t)c->cfg.delay_slots;
    synaptic_phase(c);
    neuron_phase(c, slot_t);
    memset(&c->route, 0, sizeof c->route);
    /* START + synaptic (L + E + Wd + 1) + neuron (ceil(NU/NL) + 3), §10.2 */
    return 1 +
           (c->counters[LSNN_REF_LATCH_READS] + c->counters[LSNN_REF_SYN_EVENTS] +
            c->counters[LSNN_REF_SYN_WORD_READS] - scan_before) +
           1 + neuron_groups(c) + 3;
}

void lsnn_ref_tick_end(lsnn_ref_core *c, lsnn_ref_emit_fn emit, void *ctx)
{
    /* DONE */
    emit_word(emit, ctx, LSNN_REF_PORT_HOST, LSNN_REF_W_TICK_DONE(c->tick));
    c->tick++; /* uint32_t: wraps mod 2^32 */
    count(c, LSNN_REF_TICKS);
    c->last_cycles = 7 + (busy_counts(c->counters) - c->busy_before) + neuron_groups(c);
    c->counters[LSNN_REF_CYCLES] += c->last_cycles;
}

void lsnn_ref_tick(lsnn_ref_core *c, lsnn_ref_emit_fn emit, void *ctx)
{
    lsnn_ref_tick_begin(c);
    while (!(lsnn_ref_route_cycle(c, 1, emit, ctx) & LSNN_REF_RC_LAST))
        ;
    lsnn_ref_tick_end(c, emit, ctx);
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
