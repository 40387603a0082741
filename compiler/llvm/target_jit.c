/* target_jit.c - an image compiled by the LLVM backend and run natively, as a target
 * (target.h): the `jit` engine. The generated code keeps the chip in one block (lower.h);
 * this file calls it, reads the block, and keeps the chip-level counters of §16.9.
 *
 * One core: the generated tick is the whole TICK, routing included; C_chip = 2 + C_tick +
 * barrier (§16.5).
 *
 * Several cores: the generated tick runs every core's START, synaptic and neuron phases
 * (lower.h, host_routing). The routing phases and the NoC are not compiled: which spikes reach
 * which latch does not depend on timing, but the split of the receivers' counts between
 * events_in and dup_events does (a local spike and a NoC EVENT on one axon: the first one
 * counts), and so do stall_cycles and C_chip (§16.6: router arbitration, FIFO back-pressure,
 * link stalls). So the reference's mesh model (ref_mesh.c) runs them, cycle by cycle, on a
 * routing copy of the chip (its cores hold RIX and RTE) from the spikes the generated code
 * produced; its deliveries, routing counters and output words are copied into the block. That
 * part is the reference's code: `lsnn verify --engines ref,jit` checks the generated phases
 * on multi-core images and the generated routing on one-core images; the mesh model itself
 * is checked by ref,rtl and ref,systemc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "llvm_backend.h"
#include "mesh.h"
#include "nc_arith.h"

typedef struct {
    lsnn_jit *jit;
    lsnn_nc_fns f;
    lsnn_nc_layout lay;
    uint8_t *block;
    const lsnn_image *img; /* the caller's, alive while the target is */
    int ncores;
    uint64_t c_clear, barrier;
    int xb;                /* XB: axon bits (§2) */
    lsnn_ref_chip *timing; /* several cores: the routing copy of the chip (see above) */
    lsnn_target timing_t;  /* it as a target: its recorded output words */
    uint64_t snap[LSNN_HW_MAX_CORES][LSNN_REF_NCOUNTERS]; /* its counters at START */
    uint64_t ticks, clears, chip_cycles, barrier_cycles, last_chip_cycles;
} jit_target;

static lsnn_nc_head *head(jit_target *t, int ci)
{
    return (lsnn_nc_head *)(t->block + (size_t)ci * t->lay.core_bytes);
}

static const void *arr(jit_target *t, int ci, size_t off)
{
    return t->block + (size_t)ci * t->lay.core_bytes + off;
}

static int jt_clear(void *p, lsnn_error *e)
{
    (void)e;
    jit_target *t = p;
    t->f.clear(t->block);
    if (t->timing) lsnn_ref_chip_clear(t->timing); /* its chip_cycles feed the stall pattern */
    t->last_chip_cycles = 2 + t->c_clear + t->barrier;
    t->chip_cycles += t->last_chip_cycles;
    t->barrier_cycles += t->barrier;
    t->clears++;
    return 0;
}

static int jt_event(void *p, int ci, uint32_t axon, lsnn_error *e)
{
    (void)e;
    jit_target *t = p;
    t->f.event(t->block, ci, (int32_t)axon);
    return 0;
}

/* §5.1's decoding of one AER-in word (an EVENT with bad bits, a reserved word): the host
 * interface's, in C; a good EVENT goes to the generated event function. */
static int jt_word(void *p, int ci, uint32_t w, lsnn_error *e)
{
    jit_target *t = p;
    uint32_t payload = w & 0x3FFFFFFFu;
    if (w >> 30 == 0 && !(payload >> t->xb)) return jt_event(p, ci, payload, e);
    if (w >> 30 == 1 || w >> 30 == 2)
        return lsnn_fail(e, "jit: TICK and CLEAR words go through tick and clear");
    head(t, ci)->counters[LSNN_REF_BAD_WORDS]++;
    head(t, ci)->status |= LSNN_REF_STATUS_ERROR;
    return 0;
}

/* START of core ci in the routing copy's mesh: the spikes of the generated tick into its
 * spike buffer, its pend latch empty (as the block's is after the swap); the cycles to the
 * routing phase, 5 + L + E + Wd + ceil(NU/NL), are the generated C_tick (without K + Rt + St)
 * less DONE's 2 (§10.2). */
static uint64_t jt_begin(void *p, int ci)
{
    jit_target *t = p;
    lsnn_ref_core *c = t->timing->core[ci];
    const int32_t *z = arr(t, ci, t->lay.z);
    uint32_t ns = 0;
    for (uint32_t n = 0; n < c->nu; n++)
        if (z[n]) c->spikebuf[ns++] = n;
    c->nspikes = ns;
    memset(&c->route, 0, sizeof c->route);
    memset(c->latch[c->pend], 0, c->LW * sizeof *c->latch[0]);
    memcpy(t->snap[ci], c->counters, sizeof t->snap[ci]);
    return head(t, ci)->last_cycles - 2;
}

/* After the routing copy's TICK: its deliveries into the block's pend latch, its routing
 * counts into the block's counters and C_tick. */
static void jt_routed(jit_target *t, int ci)
{
    const lsnn_ref_core *c = t->timing->core[ci];
    lsnn_nc_head *h = head(t, ci);
    uint32_t *pend = (uint32_t *)(t->block + (size_t)ci * t->lay.core_bytes + t->lay.latch) +
                     (size_t)h->pend * c->LW;
    for (uint32_t w = 0; w < c->LW; w++)
        pend[w] |= c->latch[c->pend][w];
    static const int ids[] = {LSNN_REF_EVENTS_IN,     LSNN_REF_DUP_EVENTS,  LSNN_REF_BAD_WORDS,
                              LSNN_REF_SPIKES_LOCAL,  LSNN_REF_SPIKES_CORE, LSNN_REF_SPIKES_HOST,
                              LSNN_REF_ROUTE_LOOKUPS, LSNN_REF_ROUTE_READS, LSNN_REF_STALL_CYCLES};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        h->counters[ids[i]] += c->counters[ids[i]] - t->snap[ci][ids[i]];
    uint64_t busy = 0; /* K + Rt + St of §10.2 */
    for (int i = LSNN_REF_ROUTE_LOOKUPS; i <= LSNN_REF_ROUTE_READS; i++)
        busy += c->counters[i] - t->snap[ci][i];
    busy += c->counters[LSNN_REF_STALL_CYCLES] - t->snap[ci][LSNN_REF_STALL_CYCLES];
    h->last_cycles += busy;
    h->counters[LSNN_REF_CYCLES] += busy;
    if (c->status & LSNN_REF_STATUS_ERROR) h->status |= LSNN_REF_STATUS_ERROR;
}

static int jt_tick(void *p, lsnn_error *e)
{
    jit_target *t = p;
    t->f.tick(t->block);
    if (!t->timing) {
        t->last_chip_cycles = 2 + head(t, 0)->last_cycles + t->barrier;
    } else {
        if (lsnn_ref_chip_tick(t->timing))
            return lsnn_fail(e, "jit: the mesh model ran out of memory or did not drain");
        for (int ci = 0; ci < t->ncores; ci++)
            jt_routed(t, ci);
        t->last_chip_cycles = t->timing->last_chip_cycles;
    }
    t->chip_cycles += t->last_chip_cycles;
    t->barrier_cycles += t->barrier;
    t->ticks++;
    return 0;
}

static void jt_state(void *p, int ci, uint32_t n, lsnn_ref_state *out)
{
    jit_target *t = p;
    out->v = ((const int32_t *)arr(t, ci, t->lay.v))[n];
    out->a = ((const int64_t *)arr(t, ci, t->lay.a))[n];
    out->ref = (uint32_t)((const int32_t *)arr(t, ci, t->lay.ref))[n];
    out->z = (uint32_t)((const int32_t *)arr(t, ci, t->lay.z))[n];
    out->isyn = ((const int32_t *)arr(t, ci, t->lay.isyn))[n];
}

static void jt_counters(void *p, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    memcpy(out, head(p, ci)->counters, LSNN_REF_NCOUNTERS * sizeof *out);
}

static uint64_t jt_tick_cycles(void *p)
{
    return ((jit_target *)p)->last_chip_cycles;
}

static uint32_t jt_nu(void *p, int ci)
{
    return ((jit_target *)p)->img->cores[ci].nu;
}

static size_t jt_outputs(void *p, int ci, uint32_t *w, int *port, size_t max)
{
    jit_target *t = p;
    if (t->timing) return t->timing_t.outputs(t->timing_t.ctx, ci, w, port, max);
    size_t n = head(t, ci)->nout;
    const uint32_t *ow = arr(t, ci, t->lay.out_w), *op = arr(t, ci, t->lay.out_port);
    for (size_t k = 0; k < n && k < max; k++)
        w[k] = ow[k], port[k] = (int)op[k];
    return n;
}

static void jt_chip_counters(void *p, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    jit_target *t = p;
    out[LSNN_CHIP_TICKS] = t->ticks;
    out[LSNN_CHIP_CLEARS] = t->clears;
    out[LSNN_CHIP_CYCLES] = t->chip_cycles;
    out[LSNN_CHIP_BARRIER_CYCLES] = t->barrier_cycles;
}

static void jt_links(void *p, unsigned cell, uint64_t flits[LSNN_PORTS],
                     uint64_t stalls[LSNN_PORTS])
{
    const lsnn_ref_chip *x = ((jit_target *)p)->timing;
    for (int o = 0; o < LSNN_PORTS; o++) {
        flits[o] = x && cell < LSNN_HW_MAX_CORES ? x->flits[cell][o] : 0;
        stalls[o] = x && cell < LSNN_HW_MAX_CORES ? x->link_stalls[cell][o] : 0;
    }
}

static int jt_set_stalls(void *p, uint64_t seed, unsigned permille, lsnn_error *e)
{
    jit_target *t = p;
    if (permille > 900) return lsnn_fail(e, "link stalls: %u permille; at most 900", permille);
    if (t->timing) lsnn_ref_chip_set_stalls(t->timing, seed, permille);
    return 0;
}

static void jt_close(void *p)
{
    jit_target *t = p;
    if (!t) return;
    lsnn_ref_chip_free(t->timing);
    lsnn_jit_free(t->jit);
    free(t->block);
    free(t);
}

int lsnn_target_jit_open(const lsnn_image *img, const lsnn_jit_opts *opts, lsnn_target *out,
                         lsnn_jit_report *report, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    lsnn_nc_lower_opts o = {8, 1, 1, 0, 0, 1};
    if (opts) {
        if (opts->vector_width) o.vector_width = opts->vector_width;
        o.dense_rows = !opts->no_dense;
        o.unroll = !opts->no_unroll;
        o.mutant = opts->mutant;
        o.record_outputs = opts->record;
    }
    int record = o.record_outputs;
    if (img->ncores > 1) o.host_routing = 1, o.record_outputs = 0; /* the routing copy records */
    const char *m = getenv("LSNN_JIT_MUTANT");
    if (m && *m) {
        if (strcmp(m, "1"))
            return lsnn_fail(e, "LSNN_JIT_MUTANT='%s': the only mutant is 1 (v's leak truncates)",
                             m);
        o.mutant = 1;
    }
    jit_target *t = calloc(1, sizeof *t);
    if (!t) return lsnn_fail(e, "jit: out of memory");
    t->img = img;
    t->ncores = img->ncores;
    lsnn_nc_layout_of(img, &o, &t->lay);
    size_t bytes = (size_t)img->ncores * t->lay.core_bytes;
    t->block = aligned_alloc(64, bytes);
    lsnn_nc_lower_info info;
    double secs = 0;
    if (t->block)
        t->jit = lsnn_jit_compile(img, &o, &t->f, &info, &secs, e);
    else
        lsnn_fail(e, "jit: out of memory for the state block (%zu bytes)", bytes);
    if (!t->jit) {
        jt_close(t);
        return -1;
    }
    t->f.init(t->block);
    if (img->ncores > 1) {
        t->timing = lsnn_ref_chip_from_image(img, e);
        if (!t->timing) {
            jt_close(t);
            return -1;
        }
        t->timing->begin = jt_begin;
        t->timing->begin_ctx = t;
        lsnn_target_ref(t->timing, record, &t->timing_t);
    }
    t->c_clear = lsnn_hw_clear_cycles(&img->cfg);
    t->barrier = lsnn_mesh_barrier_cycles(img->cfg.mesh_x, img->cfg.mesh_y);
    t->xb = lsnn_hw_widths_of(&img->cfg).XB;
    if (report) {
        memset(report, 0, sizeof *report);
        report->compile_s = secs;
        report->const_bytes = info.const_bytes;
        report->block_bytes = info.block_bytes;
        report->cores = info.cores;
        for (int i = 0; i < info.cores; i++)
            report->dense_cores += info.dense[i], report->safe_cores += info.safe[i],
                report->unrolled_cores += info.unrolled[i];
    }
    out->name = "jit";
    out->ctx = t;
    out->ncores = img->ncores;
    out->mesh_x = img->cfg.mesh_x;
    out->mesh_y = img->cfg.mesh_y;
    for (int i = 0; i < img->ncores; i++)
        out->core_id[i] = img->cores[i].core_id;
    out->clear = jt_clear;
    out->event = jt_event;
    out->tick = jt_tick;
    out->word = jt_word;
    out->state = jt_state;
    out->counters = jt_counters;
    out->tick_cycles = jt_tick_cycles;
    out->nu = jt_nu;
    if (record) out->outputs = jt_outputs;
    out->chip_counters = jt_chip_counters;
    out->links = jt_links;
    out->set_stalls = jt_set_stalls;
    out->close = jt_close;
    return 0;
}

int lsnn_target_jit_direct(const lsnn_target *t, lsnn_jit_direct *out)
{
    jit_target *j = t->ctx;
    if (j->timing) return -1;
    out->clear = j->f.clear;
    out->event = j->f.event;
    out->tick = j->f.tick;
    out->block = j->block;
    return 0;
}

uint32_t lsnn_target_jit_status(const lsnn_target *t, int ci)
{
    return head(t->ctx, ci)->status;
}

/* ---- the check vectors ---------------------------------------------------------------------- */

#define ROW(op, a, b, c, want) {#op "(" #a ", " #b ", " #c ")", (int64_t)(a), (int64_t)(want)},
static const struct {
    const char *what;
    int64_t arg, want;
} rows[] = {LSNN_NC_ARITH_VECTORS(ROW)};
#undef ROW

int lsnn_llvm_check_vectors(int *nvectors, lsnn_error *e)
{
    int n = 0, bad = 0;
    lsnn_jit *j = lsnn_jit_check_vectors(&n, e);
    if (!j) return -1;
    if (n != (int)(sizeof rows / sizeof rows[0])) {
        lsnn_jit_free(j);
        return lsnn_fail(e, "check vectors: %d generated, %zu expected", n,
                         sizeof rows / sizeof rows[0]);
    }
    for (int k = 0; k < n; k++) {
        char name[32];
        snprintf(name, sizeof name, "lsnn_nc_check_%d", k);
        uintptr_t a = lsnn_jit_lookup(j, name, e);
        if (!a) {
            lsnn_jit_free(j);
            return -1;
        }
        int64_t got = ((int64_t(*)(int64_t))a)(rows[k].arg);
        if (got != rows[k].want && !bad++)
            lsnn_fail(e, "%s = %lld in generated code, %lld in neurocore.md", rows[k].what,
                      (long long)got, (long long)rows[k].want);
    }
    lsnn_jit_free(j);
    if (nvectors) *nvectors = n;
    return bad;
}
