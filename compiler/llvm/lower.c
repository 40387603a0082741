/* lower.c - the lowering's driver: the block's layout, the exported functions (init, clear,
 * event, tick) and the helpers the phases share. The phases themselves are lower_syn.c
 * (synaptic), lower_neuron.c (neuron) and lower_route.c (routing). */
#include "lower_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nc_arith.h"

static size_t round_up(size_t n, size_t a)
{
    return (n + a - 1) / a * a;
}

void lsnn_nc_layout_of(const lsnn_image *img, const lsnn_nc_lower_opts *o, lsnn_nc_layout *L)
{
    const lsnn_hw_config *g = &img->cfg;
    size_t vw = o->vector_width > 16 ? (size_t)o->vector_width : 16;
    memset(L, 0, sizeof *L);
    L->np = (uint32_t)round_up((size_t)g->neurons, vw);
    L->out_cap = o->record_outputs ? 15u * (uint32_t)g->neurons + 2u : 0;
    size_t at = round_up(sizeof(lsnn_nc_head), 64), np = L->np;
#define PLACE(field, bytes) (L->field = at, at = round_up(at + (bytes), 64))
    PLACE(v, np * 4);
    PLACE(a, np * 8);
    PLACE(ref, np * 4);
    PLACE(z, np * 4);
    PLACE(isyn, np * 4);
    PLACE(acc, (size_t)g->delay_slots * np * 4);
    PLACE(latch, (2 * (size_t)(g->axons / 32) + 16) * 4); /* + a vector of padding: the scan */
    PLACE(out_w, (size_t)L->out_cap * 4);
    PLACE(out_port, (size_t)L->out_cap * 4);
#undef PLACE
    L->core_bytes = at;
}

/* ---- helpers shared by the phases ----------------------------------------------------------- */

size_t lw_base(const lw *w, int ci)
{
    return (size_t)ci * w->lay.core_bytes;
}

LLVMValueRef lw_base_v(lw *w, LLVMValueRef ci)
{
    ir *x = &w->x;
    return ir_load(x, x->i64, ir_idx(x, x->i64, w->tbase, ci));
}

LLVMValueRef lw_head(lw *w, LLVMValueRef base, size_t field_off, LLVMTypeRef t)
{
    ir *x = &w->x;
    return ir_at(x, w->blk, LLVMBuildAdd(x->b, base, ir_c64(x, (int64_t)field_off), ""), t);
}

LLVMValueRef lw_counter(lw *w, LLVMValueRef base, int id)
{
    return lw_head(w, base, offsetof(lsnn_nc_head, counters) + 8 * (size_t)id, w->x.i64);
}

void lw_count(lw *w, LLVMValueRef base, int id, LLVMValueRef n)
{
    ir *x = &w->x;
    LLVMValueRef p = lw_counter(w, base, id);
    LLVMBuildStore(x->b, LLVMBuildAdd(x->b, ir_load(x, x->i64, p), n, ""), p);
}

void lw_status(lw *w, LLVMValueRef base, LLVMValueRef cond, uint32_t bit)
{
    ir *x = &w->x;
    LLVMValueRef p = lw_head(w, base, offsetof(lsnn_nc_head, status), x->i32);
    LLVMValueRef s = ir_load(x, x->i32, p);
    LLVMValueRef set = LLVMBuildOr(x->b, s, ir_c32(x, bit), "");
    LLVMBuildStore(x->b, LLVMBuildSelect(x->b, cond, set, s, ""), p);
}

LLVMValueRef lw_arr(lw *w, LLVMValueRef base, size_t off, LLVMTypeRef elem)
{
    return lw_head(w, base, off, elem);
}

void lw_emit(lw *w, LLVMValueRef base, uint32_t port, LLVMValueRef word)
{
    if (!w->o.record_outputs) return;
    ir *x = &w->x;
    LLVMValueRef pn = lw_head(w, base, offsetof(lsnn_nc_head, nout), x->i32);
    LLVMValueRef n = ir_load(x, x->i32, pn);
    LLVMValueRef i = LLVMBuildZExt(x->b, n, x->i64, "");
    LLVMBuildStore(x->b, word, ir_idx(x, x->i32, lw_arr(w, base, w->lay.out_w, x->i32), i));
    LLVMBuildStore(x->b, ir_c32(x, port),
                   ir_idx(x, x->i32, lw_arr(w, base, w->lay.out_port, x->i32), i));
    LLVMBuildStore(x->b, LLVMBuildAdd(x->b, n, ir_c32(x, 1), ""), pn);
}

void lw_latch_set(lw *w, LLVMValueRef base, LLVMValueRef xu, LLVMValueRef xv, int from_event)
{
    ir *x = &w->x;
    ir_if bad;
    ir_if_open(x, &bad, LLVMBuildICmp(x->b, LLVMIntUGE, xv, xu, ""));
    lw_count(w, base, LSNN_REF_BAD_WORDS, ir_c64(x, 1));
    lw_status(w, base, LLVMConstInt(x->i1, 1, 0), LSNN_REF_STATUS_ERROR);
    ir_if_else(x, &bad);
    {
        LLVMValueRef pend =
            ir_load(x, x->i32, lw_head(w, base, offsetof(lsnn_nc_head, pend), x->i32));
        uint32_t LW = (uint32_t)w->cfg->axons / 32;
        LLVMValueRef row = LLVMBuildAdd(x->b, LLVMBuildMul(x->b, pend, ir_c32(x, LW), ""),
                                        LLVMBuildLShr(x->b, xv, ir_c32(x, 5), ""), "");
        LLVMValueRef p = ir_idx(x, x->i32, lw_arr(w, base, w->lay.latch, x->i32),
                                LLVMBuildZExt(x->b, row, x->i64, ""));
        LLVMValueRef word = ir_load(x, x->i32, p);
        LLVMValueRef bit =
            LLVMBuildShl(x->b, ir_c32(x, 1), LLVMBuildAnd(x->b, xv, ir_c32(x, 31), ""), "");
        ir_if dup;
        ir_if_open(
            x, &dup,
            LLVMBuildICmp(x->b, LLVMIntNE, LLVMBuildAnd(x->b, word, bit, ""), ir_c32(x, 0), ""));
        lw_count(w, base, LSNN_REF_DUP_EVENTS, ir_c64(x, 1));
        lw_status(w, base, LLVMConstInt(x->i1, 1, 0), LSNN_REF_STATUS_ERROR);
        ir_if_else(x, &dup);
        LLVMBuildStore(x->b, LLVMBuildOr(x->b, word, bit, ""), p);
        if (from_event) lw_count(w, base, LSNN_REF_EVENTS_IN, ir_c64(x, 1));
        ir_if_close(x, &dup);
    }
    ir_if_close(x, &bad);
}

/* ---- the exported functions ----------------------------------------------------------------- */

static void begin_function(lw *w, const char *name, int extra_i32_args)
{
    ir *x = &w->x;
    LLVMTypeRef params[3] = {x->p8, x->i32, x->i32};
    ir_function(x, name, x->vd, params, 1 + extra_i32_args);
    w->blk = LLVMGetParam(x->fn, 0);
    LLVMAddAttributeAtIndex(
        x->fn, 1,
        LLVMCreateEnumAttribute(x->ctx, LLVMGetEnumAttributeKindForName("noalias", 7), 0));
    int64_t base[LSNN_HW_MAX_CORES], xu[LSNN_HW_MAX_CORES], idx[256];
    for (int i = 0; i < w->ncores; i++)
        base[i] = (int64_t)lw_base(w, i), xu[i] = w->core[i]->xu;
    for (int i = 0; i < 256; i++)
        idx[i] = -1;
    for (int i = 0; i < w->ncores; i++)
        idx[w->core[i]->core_id] = i;
    w->tbase = ir_table(x, "core_base", x->i64, base, (size_t)w->ncores);
    w->txu = ir_table(x, "core_xu", x->i32, xu, (size_t)w->ncores);
    w->tidx = ir_table(x, "core_index", x->i32, idx, 256);
}

/* Zeroes n bytes at byte offset off of the block (a loop the optimiser makes a memset). */
static void zero_bytes(lw *w, size_t off, size_t n)
{
    ir *x = &w->x;
    LLVMValueRef p = ir_at(x, w->blk, ir_c64(x, (int64_t)off), x->i8);
    LLVMBuildMemSet(x->b, p, LLVMConstInt(x->i8, 0, 0), ir_c64(x, (int64_t)n), 8);
}

/* An int32 or int64 array of core ci's part, filled with v[0..n) when any is nonzero. */
static void store_initial(lw *w, int ci, size_t off, LLVMTypeRef t, const int64_t *v, size_t n,
                          const char *name)
{
    ir *x = &w->x;
    size_t k = 0;
    while (k < n && !v[k])
        k++;
    if (k == n) return;
    LLVMValueRef src = ir_table(x, name, t, v, n);
    LLVMValueRef dst = ir_at(x, w->blk, ir_c64(x, (int64_t)(lw_base(w, ci) + off)), t);
    size_t bytes = n * (t == x->i64 ? 8 : 4);
    LLVMBuildMemCpy(x->b, dst, 8, src, 8, ir_c64(x, (int64_t)bytes));
}

/* lsnn_nc_init: the block as the loader leaves the cores: STATE as programmed, everything else
 * (ACC, latches, counters, tick) zero. */
static void build_init(lw *w)
{
    ir *x = &w->x;
    begin_function(w, "lsnn_nc_init", 0);
    zero_bytes(w, 0, (size_t)w->ncores * w->lay.core_bytes);
    size_t N = (size_t)w->cfg->neurons;
    int64_t *v = malloc(5 * N * sizeof *v);
    for (int ci = 0; ci < w->ncores && v; ci++) {
        const lsnn_ref_state *s = w->core[ci]->state;
        for (size_t n = 0; n < N; n++) {
            v[n] = s[n].v, v[N + n] = s[n].a, v[2 * N + n] = s[n].ref;
            v[3 * N + n] = s[n].z, v[4 * N + n] = s[n].isyn;
        }
        store_initial(w, ci, w->lay.v, x->i32, v, N, "init_v");
        store_initial(w, ci, w->lay.a, x->i64, v + N, N, "init_a");
        store_initial(w, ci, w->lay.ref, x->i32, v + 2 * N, N, "init_ref");
        store_initial(w, ci, w->lay.z, x->i32, v + 3 * N, N, "init_z");
        store_initial(w, ci, w->lay.isyn, x->i32, v + 4 * N, N, "init_isyn");
    }
    free(v);
    LLVMBuildRetVoid(x->b);
}

/* lsnn_nc_clear: §5.3 on every core. */
static void build_clear(lw *w)
{
    ir *x = &w->x;
    begin_function(w, "lsnn_nc_clear", 0);
    const lsnn_nc_layout *L = &w->lay;
    uint64_t c_clear = lsnn_hw_clear_cycles(w->cfg);
    for (int ci = 0; ci < w->ncores; ci++) {
        size_t b = lw_base(w, ci);
        /* STATE (all N), ACC and both latches: the arrays from v to the end of the latches */
        zero_bytes(w, b + L->v, L->out_w - L->v);
        LLVMValueRef base = ir_c64(x, (int64_t)b);
        LLVMBuildStore(x->b, ir_c32(x, 0), lw_head(w, base, offsetof(lsnn_nc_head, tick), x->i32));
        LLVMBuildStore(x->b, ir_c32(x, 0),
                       lw_head(w, base, offsetof(lsnn_nc_head, nspikes), x->i32));
        if (w->o.record_outputs)
            LLVMBuildStore(x->b, ir_c32(x, 0),
                           lw_head(w, base, offsetof(lsnn_nc_head, nout), x->i32));
        lw_emit(w, base, LSNN_REF_PORT_HOST, ir_c32(x, (int64_t)LSNN_REF_W_CLEAR_DONE));
        lw_count(w, base, LSNN_REF_CLEARS, ir_c64(x, 1));
        lw_count(w, base, LSNN_REF_CYCLES, ir_c64(x, (int64_t)c_clear));
    }
    LLVMBuildRetVoid(x->b);
}

/* lsnn_nc_event(block, core, axon): §5.1's latch_set from an EVENT on image core `core`. */
static void build_event(lw *w)
{
    ir *x = &w->x;
    begin_function(w, "lsnn_nc_event", 2);
    LLVMValueRef ci = LLVMBuildSExt(x->b, LLVMGetParam(x->fn, 1), x->i64, "");
    LLVMValueRef axon = LLVMGetParam(x->fn, 2);
    LLVMValueRef xu = ir_load(x, x->i32, ir_idx(x, x->i32, w->txu, ci));
    lw_latch_set(w, lw_base_v(w, ci), xu, axon, 1);
    LLVMBuildRetVoid(x->b);
}

/* The counters whose increments are §10.2's busy cycles L + E + Wd + K + Rt + St. */
static LLVMValueRef busy_sum(lw *w, LLVMValueRef base)
{
    ir *x = &w->x;
    static const int ids[] = {LSNN_REF_LATCH_READS,   LSNN_REF_SYN_EVENTS,  LSNN_REF_SYN_WORD_READS,
                              LSNN_REF_ROUTE_LOOKUPS, LSNN_REF_ROUTE_READS, LSNN_REF_STALL_CYCLES};
    LLVMValueRef s = ir_c64(x, 0);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        s = LLVMBuildAdd(x->b, s, ir_load(x, x->i64, lw_counter(w, base, ids[i])), "");
    return s;
}

/* lsnn_nc_tick: §5.2 on every core, in the chip's order (§16.5): every core's START,
 * synaptic and neuron phases, then every core's routing (deliveries to other cores land in
 * their pend latches, a set: arrival order cannot matter), then DONE. */
static int build_tick(lw *w, lsnn_error *e)
{
    ir *x = &w->x;
    begin_function(w, "lsnn_nc_tick", 0);
    if (w->o.vector_width > 1) { /* hosts with 512-bit vectors: use them (LLVM prefers 256) */
        LLVMAttributeRef pw =
            LLVMCreateStringAttribute(x->ctx, "prefer-vector-width", 19, "512", 3);
        LLVMAddAttributeAtIndex(x->fn, LLVMAttributeFunctionIndex, pw);
    }
    LLVMValueRef before[LSNN_HW_MAX_CORES];
    for (int ci = 0; ci < w->ncores; ci++) {
        LLVMValueRef base = ir_c64(x, (int64_t)lw_base(w, ci));
        before[ci] = busy_sum(w, base);
        if (w->o.record_outputs)
            LLVMBuildStore(x->b, ir_c32(x, 0),
                           lw_head(w, base, offsetof(lsnn_nc_head, nout), x->i32));
    }
    for (int ci = 0; ci < w->ncores; ci++) {
        if (lw_synaptic_phase(w, ci, e)) return -1;
        lw_neuron_phase(w, ci);
    }
    for (int ci = 0; ci < w->ncores && !w->o.host_routing; ci++)
        if (lw_routing_phase(w, ci, e)) return -1;
    uint32_t nl = (uint32_t)w->cfg->neuron_lanes;
    for (int ci = 0; ci < w->ncores; ci++) {
        LLVMValueRef base = ir_c64(x, (int64_t)lw_base(w, ci));
        LLVMValueRef pt = lw_head(w, base, offsetof(lsnn_nc_head, tick), x->i32);
        LLVMValueRef t = ir_load(x, x->i32, pt);
        if (!w->o.host_routing)
            lw_emit(w, base, LSNN_REF_PORT_HOST,
                    LLVMBuildOr(x->b, LLVMBuildAnd(x->b, t, ir_c32(x, 0x3FFFFFFF), ""),
                                ir_c32(x, 0x40000000), ""));
        LLVMBuildStore(x->b, LLVMBuildAdd(x->b, t, ir_c32(x, 1), ""), pt);
        lw_count(w, base, LSNN_REF_TICKS, ir_c64(x, 1));
        uint64_t groups = (w->core[ci]->nu + nl - 1) / nl;
        LLVMValueRef c = LLVMBuildSub(x->b, busy_sum(w, base), before[ci], "");
        c = LLVMBuildAdd(x->b, c, ir_c64(x, (int64_t)(7 + groups)), "");
        LLVMBuildStore(x->b, c, lw_head(w, base, offsetof(lsnn_nc_head, last_cycles), x->i64));
        lw_count(w, base, LSNN_REF_CYCLES, c);
    }
    LLVMBuildRetVoid(x->b);
    return 0;
}

int lsnn_nc_lower(const lsnn_image *img, const lsnn_nc_lower_opts *o, LLVMModuleRef mod,
                  LLVMModuleRef code_mod, lsnn_nc_lower_info *info, lsnn_error *e)
{
    lw w;
    memset(&w, 0, sizeof w);
    w.code_mod = code_mod;
    w.spikes_by_routing = o->vector_width > 1 && !o->host_routing;
    lsnn_nc_lower_info dummy;
    w.info = info ? info : &dummy;
    memset(w.info, 0, sizeof *w.info);
    w.img = img;
    w.cfg = &img->cfg;
    w.o = *o;
    if (w.o.vector_width < 1) w.o.vector_width = 1;
    if (img->cfg.acc_bits > 32 || img->cfg.v_bits > 32)
        return lsnn_fail(e,
                         "LLVM backend: acc_bits %d / v_bits %d above 32 (the legal range is "
                         "16..32)",
                         img->cfg.acc_bits, img->cfg.v_bits);
    lsnn_nc_layout_of(img, &w.o, &w.lay);
    w.ncores = img->ncores;
    w.core = calloc((size_t)img->ncores, sizeof *w.core);
    if (!w.core) return lsnn_fail(e, "LLVM backend: out of memory");
    int rc = 0;
    for (int i = 0; i < img->ncores && !rc; i++)
        if (!(w.core[i] = lsnn_image_to_core(img, i, e))) rc = -1;
    if (!rc) {
        ir_init(&w.x, LLVMGetModuleContext(mod), mod);
        w.info->cores = w.ncores;
        w.info->block_bytes = (size_t)w.ncores * w.lay.core_bytes;
        build_init(&w);
        build_clear(&w);
        build_event(&w);
        rc = build_tick(&w, e);
        ir_done(&w.x);
    }
    for (int i = 0; i < img->ncores; i++)
        lsnn_ref_free(w.core[i]);
    free(w.core);
    return rc;
}

/* ---- the check vectors of nc_arith.h through the generated primitives ----------------------- */

enum { OP_RSHR, OP_LEAK, OP_SATS, OP_SATU, OP_THRESH, OP_FIRES };
#define CHECK_ROW(op, a, b, c, want) {OP_##op, (int64_t)(a), (int64_t)(b), (int64_t)(c)},
static const struct {
    int op;
    int64_t a, b, c;
} check_rows[] = {LSNN_NC_ARITH_VECTORS(CHECK_ROW)};
#undef CHECK_ROW

int lsnn_nc_lower_check_vectors(LLVMModuleRef mod)
{
    ir x;
    ir_init(&x, LLVMGetModuleContext(mod), mod);
    int n = (int)(sizeof check_rows / sizeof check_rows[0]);
    for (int k = 0; k < n; k++) {
        char name[32];
        snprintf(name, sizeof name, "lsnn_nc_check_%d", k);
        LLVMTypeRef p = x.i64;
        ir_function(&x, name, x.i64, &p, 1);
        LLVMValueRef a = LLVMGetParam(x.fn, 0), r;
        int64_t b = check_rows[k].b, c = check_rows[k].c;
        switch (check_rows[k].op) { /* the operand that the tick folds is the constant here */
        case OP_RSHR:
            r = ir_rshr(&x, a, (int)b);
            break;
        case OP_LEAK:
            r = ir_leak(&x, a, b, (int)c);
            break;
        case OP_SATS:
            r = ir_clamp(&x, a, lsnn_nc_smin((int)b), lsnn_nc_smax((int)b), NULL);
            break;
        case OP_SATU:
            r = ir_clamp(&x, a, 0, lsnn_nc_umax((int)b), NULL);
            break;
        case OP_THRESH:
            r = LLVMBuildAdd(x.b, a, ir_rshr(&x, ir_c64(&x, b), (int)c), "");
            break;
        default: { /* FIRES(ref, v, A): ref == 0 && v > A, with ref the argument */
            LLVMValueRef f =
                LLVMBuildAnd(x.b, LLVMBuildICmp(x.b, LLVMIntEQ, a, ir_c64(&x, 0), ""),
                             LLVMBuildICmp(x.b, LLVMIntSGT, ir_c64(&x, b), ir_c64(&x, c), ""), "");
            r = LLVMBuildZExt(x.b, f, x.i64, "");
        }
        }
        LLVMBuildRet(x.b, r);
    }
    ir_done(&x);
    return n;
}
