/* lower_syn.c - the synaptic phase of a TICK (docs/neurocore.md §5.2) in IR: START's latch
 * swap, the scan of the current latch in ascending axon order, each set axon's synapses added
 * into the ACC ring, the counters L, E, Wd, syn_ops and sat_acc.
 *
 * The constant memories are folded at compile time. AXT and SYN become, per axon, its word
 * count, its number of valid lanes and its lanes (delay d, target neuron n = tgt * S + lane,
 * weight w = m * 2^wexp), in §5.2's order. Two forms:
 *  - Lane lists (always correct): every add saturates to U bits and counts sat_acc, in
 *    §5.2's order, so a saturating accumulation gives the reference's values.
 *  - Dense rows (hosts, when no saturation is possible): one row of NP weights per axon and
 *    delay, added with vector instructions over the row's span of neurons.
 *  - Unrolled (hosts, when no saturation is possible and rows do not pay): a function with
 *    one block per axon whose code is that axon's adds, target and weight as immediates (on
 *    x86 one `add [mem], imm` per synapse), entered through a jump table.
 * "No saturation is possible" is proved from the image: ACC row (s, n) is zeroed when the
 * neuron phase reads it and, between two reads, takes each lane aimed at n at most once (an
 * axon is set at most once per tick; a lane with delay d lands in slot t + d of tick t). So
 * if, for every neuron n, the sum of |w| over all lanes aimed at n is at most 2^(U-1) - 1,
 * no partial sum leaves U bits, the order of adds cannot matter and sat_acc stays 0. Lanes
 * aimed at a neuron the neuron phase never reads (n >= NU) void the proof: their ACC is never
 * zeroed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lower_internal.h"
#include "nc_arith.h"

typedef struct {
    uint32_t d, n;
    int32_t w;
} lane;

typedef struct {
    uint32_t xu, nlanes;
    uint32_t *first; /* [xu + 1]: axon x's lanes are lane[first[x] .. first[x+1]) */
    lane *lane;
    int64_t *words, *ops; /* [xu]: AXT cnt and valid lanes, for the counters */
} lanes;

static void lanes_free(lanes *l)
{
    free(l->first);
    free(l->lane);
    free(l->words);
    free(l->ops);
}

static int collect(const lsnn_ref_core *c, lanes *l)
{
    uint32_t S = (uint32_t)c->cfg.synapses_per_word, xu = c->xu;
    memset(l, 0, sizeof *l);
    l->xu = xu;
    size_t total = 0;
    for (uint32_t x = 0; x < xu; x++)
        total += (size_t)c->axt[x].cnt * S;
    l->first = calloc((size_t)xu + 1, sizeof *l->first);
    l->lane = malloc((total ? total : 1) * sizeof *l->lane);
    l->words = calloc((size_t)xu + 1, sizeof *l->words);
    l->ops = calloc((size_t)xu + 1, sizeof *l->ops);
    if (!l->first || !l->lane || !l->words || !l->ops) return -1;
    uint32_t k = 0;
    for (uint32_t x = 0; x < xu; x++) {
        lsnn_ref_axt a = c->axt[x];
        l->first[x] = k;
        l->words[x] = a.cnt;
        for (uint32_t i = 0; i < a.cnt; i++)
            for (uint32_t j = 0; j < S; j++) {
                const lsnn_ref_lane *s = &c->syn[(size_t)(a.base + i) * S + j];
                if (!s->valid) continue;
                l->lane[k].d = s->d;
                l->lane[k].n = s->tgt * S + j;
                l->lane[k].w = (int32_t)(s->m * lsnn_nc_pow2((int)a.wexp));
                k++;
            }
        l->ops[x] = k - l->first[x];
    }
    l->first[xu] = k;
    l->nlanes = k;
    return 0;
}

/* The proof of the header comment. */
static int cannot_saturate(const lsnn_ref_core *c, const lanes *l)
{
    size_t N = (size_t)c->cfg.neurons;
    int64_t *sum = calloc(N, sizeof *sum), hi = lsnn_nc_smax(c->cfg.acc_bits);
    if (!sum) return 0;
    int ok = 1;
    for (uint32_t i = 0; i < l->nlanes && ok; i++) {
        const lane *q = &l->lane[i];
        if (q->n >= c->nu)
            ok = 0;
        else if ((sum[q->n] += q->w < 0 ? -(int64_t)q->w : q->w) > hi)
            ok = 0;
    }
    free(sum);
    return ok;
}

enum { ROW_VW = 16 };              /* i32 elements per vector add of a dense row */
#define DENSE_MAX_ELEMS (4u << 20) /* 16 MB of dense rows at most */

/* Dense rows: per axon one segment per distinct delay, its row the sum of its lanes' weights
 * (exact: no saturation, see above), its span [lo, hi) in vectors of ROW_VW neurons. */
typedef struct {
    uint32_t nseg;
    int64_t *first, *d, *row_lo, *row_hi; /* first [xu + 1]; the others [nseg] */
    int64_t *w;                           /* [nseg * np] */
} rows;

static void rows_free(rows *r)
{
    free(r->first);
    free(r->d);
    free(r->row_lo);
    free(r->row_hi);
    free(r->w);
}

static int build_rows(const lanes *l, uint32_t D, uint32_t np, rows *r)
{
    memset(r, 0, sizeof *r);
    uint32_t nseg = 0;
    uint64_t *seen = calloc(((size_t)D + 63) / 64, sizeof *seen);
    if (!seen) return -1;
    for (uint32_t x = 0; x < l->xu; x++) {
        memset(seen, 0, ((size_t)D + 63) / 64 * sizeof *seen);
        for (uint32_t i = l->first[x]; i < l->first[x + 1]; i++) {
            uint32_t d = l->lane[i].d;
            if (!(seen[d / 64] >> (d % 64) & 1)) seen[d / 64] |= 1ull << (d % 64), nseg++;
        }
    }
    free(seen);
    if ((uint64_t)nseg * np > DENSE_MAX_ELEMS) return 1;
    r->nseg = nseg;
    r->first = calloc((size_t)l->xu + 1, sizeof *r->first);
    r->d = calloc(nseg + 1u, sizeof *r->d);
    r->row_lo = calloc(nseg + 1u, sizeof *r->row_lo);
    r->row_hi = calloc(nseg + 1u, sizeof *r->row_hi);
    r->w = calloc((size_t)nseg * np + 1, sizeof *r->w);
    if (!r->first || !r->d || !r->row_lo || !r->row_hi || !r->w) return -1;
    uint32_t s = 0;
    for (uint32_t x = 0; x < l->xu; x++) {
        r->first[x] = s;
        for (uint32_t i = l->first[x]; i < l->first[x + 1]; i++) {
            uint32_t d = l->lane[i].d, k = (uint32_t)r->first[x];
            while (k < s && r->d[k] != d)
                k++;
            if (k == s) { /* a new segment */
                r->d[s] = d;
                r->row_lo[s] = np / ROW_VW;
                r->row_hi[s] = 0;
                s++;
            }
            uint32_t n = l->lane[i].n;
            r->w[(size_t)k * np + n] += l->lane[i].w;
            if ((int64_t)(n / ROW_VW) < r->row_lo[k]) r->row_lo[k] = n / ROW_VW;
            if ((int64_t)(n / ROW_VW) + 1 > r->row_hi[k]) r->row_hi[k] = n / ROW_VW + 1;
        }
    }
    r->first[l->xu] = s;
    return 0;
}

/* Dense rows pay when a row's span is not mostly zeros: a vector add of ROW_VW weights costs
 * about as much as two scalar read-modify-writes. */
static int dense_pays(const lanes *l, const rows *r)
{
    uint64_t span = 0;
    for (uint32_t s = 0; s < r->nseg; s++)
        span += (uint64_t)(r->row_hi[s] - r->row_lo[s]) * ROW_VW;
    return span <= (uint64_t)l->nlanes * ROW_VW / 2;
}

static LLVMValueRef table32(lw *w, const char *name, const int64_t *v, size_t n)
{
    w->info->const_bytes += 4 * (n ? n : 1);
    return ir_table(&w->x, name, w->x.i32, v, n);
}

static LLVMValueRef load_at(ir *x, LLVMValueRef tab, LLVMValueRef i)
{
    return LLVMBuildZExt(x->b, ir_load(x, x->i32, ir_idx(x, x->i32, tab, i)), x->i64, "");
}

/* The body of one set axon xx (i64) with dense rows. */
static void axon_dense(lw *w, const rows *r, LLVMValueRef acc, LLVMValueRef tick, LLVMValueRef xx,
                       LLVMValueRef t_first, LLVMValueRef t_d, LLVMValueRef t_lo, LLVMValueRef t_hi,
                       LLVMValueRef t_w)
{
    ir *x = &w->x;
    (void)r;
    uint32_t np = w->lay.np, D = (uint32_t)w->cfg->delay_slots;
    LLVMTypeRef vt = LLVMVectorType(x->i32, ROW_VW);
    LLVMValueRef s0 = load_at(x, t_first, xx);
    LLVMValueRef s1 = load_at(x, t_first, LLVMBuildAdd(x->b, xx, ir_c64(x, 1), ""));
    ir_loop ls;
    LLVMValueRef s;
    ir_for_open(x, &ls, s0, s1, &s);
    LLVMValueRef slot =
        LLVMBuildAnd(x->b, LLVMBuildAdd(x->b, tick, load_at(x, t_d, s), ""), ir_c64(x, D - 1), "");
    LLVMValueRef dst = ir_idx(x, x->i32, acc, LLVMBuildMul(x->b, slot, ir_c64(x, np), ""));
    LLVMValueRef src = ir_idx(x, x->i32, t_w, LLVMBuildMul(x->b, s, ir_c64(x, np), ""));
    ir_loop lk;
    LLVMValueRef k;
    ir_for_open(x, &lk, load_at(x, t_lo, s), load_at(x, t_hi, s), &k);
    LLVMValueRef off = LLVMBuildMul(x->b, k, ir_c64(x, ROW_VW), "");
    LLVMValueRef pd = ir_idx(x, x->i32, dst, off), ps = ir_idx(x, x->i32, src, off);
    ir_store_vec(x, LLVMBuildAdd(x->b, ir_load_vec(x, vt, pd), ir_load_vec(x, vt, ps), ""), pd);
    ir_for_close(x, &lk);
    ir_for_close(x, &ls);
}

/* The body of one set axon xx with lane lists; saturating unless safe. */
static void axon_lanes(lw *w, int safe, LLVMValueRef acc, LLVMValueRef tick, LLVMValueRef xx,
                       LLVMValueRef t_first, LLVMValueRef t_pk, LLVMValueRef t_w, LLVMValueRef sat)
{
    ir *x = &w->x;
    uint32_t np = w->lay.np, D = (uint32_t)w->cfg->delay_slots;
    LLVMValueRef i0 = load_at(x, t_first, xx);
    LLVMValueRef i1 = load_at(x, t_first, LLVMBuildAdd(x->b, xx, ir_c64(x, 1), ""));
    ir_loop li;
    LLVMValueRef i;
    ir_for_open(x, &li, i0, i1, &i);
    LLVMValueRef pk = load_at(x, t_pk, i);
    LLVMValueRef d = LLVMBuildLShr(x->b, pk, ir_c64(x, 16), "");
    LLVMValueRef n = LLVMBuildAnd(x->b, pk, ir_c64(x, 0xFFFF), "");
    LLVMValueRef slot = LLVMBuildAnd(x->b, LLVMBuildAdd(x->b, tick, d, ""), ir_c64(x, D - 1), "");
    LLVMValueRef p = ir_idx(x, x->i32, acc,
                            LLVMBuildAdd(x->b, LLVMBuildMul(x->b, slot, ir_c64(x, np), ""), n, ""));
    LLVMValueRef wv = ir_load(x, x->i32, ir_idx(x, x->i32, t_w, i));
    LLVMValueRef a = ir_load(x, x->i32, p);
    if (safe) {
        LLVMBuildStore(x->b, LLVMBuildAdd(x->b, a, wv, ""), p);
    } else {
        int U = w->cfg->acc_bits;
        LLVMValueRef y = LLVMBuildAdd(x->b, LLVMBuildSExt(x->b, a, x->i64, ""),
                                      LLVMBuildSExt(x->b, wv, x->i64, ""), "");
        LLVMValueRef s = ir_get(x, sat);
        LLVMValueRef r = ir_clamp(x, y, lsnn_nc_smin(U), lsnn_nc_smax(U), &s);
        ir_set(x, sat, s);
        LLVMBuildStore(x->b, LLVMBuildTrunc(x->b, r, x->i32, ""), p);
    }
    ir_for_close(x, &li);
}

/* The scan of the current latch (§5.2): its words in order, each cleared as read, its set
 * bits ascending, body(xx) for each set axon xx (an i64). On hosts 16 words at a time, only the
 * nonzero ones visited (a mask of them, scanned with cttz); elsewhere one by one. With
 * events non-NULL, adds each word's set bits to it (E), else body counts. */
typedef void (*axon_fn)(lw *w, LLVMValueRef xx, void *ctx);

static void emit_scan(lw *w, LLVMValueRef cur, uint32_t L, LLVMValueRef events, axon_fn body,
                      void *ctx)
{
    ir *x = &w->x;
    int vec = w->o.vector_width > 1;
    LLVMValueRef bits = ir_var(x, x->i32, 0, "bits");
    ir_loop lw_, lm;
    LLVMValueRef wi, k;
    LLVMValueRef wmask = vec ? ir_var(x, x->i32, 0, "wmask") : NULL;
    if (vec) {
        uint32_t chunks = (L + 15) / 16, rest = L % 16;
        ir_for_open(x, &lw_, ir_c64(x, 0), ir_c64(x, chunks), &k);
        LLVMValueRef k16 = LLVMBuildMul(x->b, k, ir_c64(x, 16), "");
        LLVMValueRef v = ir_load_vec(x, LLVMVectorType(x->i32, 16), ir_idx(x, x->i32, cur, k16));
        LLVMValueRef m = LLVMBuildZExt(
            x->b,
            LLVMBuildBitCast(x->b,
                             LLVMBuildICmp(x->b, LLVMIntNE, v, ir_const(LLVMTypeOf(v), 0), ""),
                             x->i16, ""),
            x->i32, "");
        if (rest) /* the last chunk: only words below L (pend follows cur) */
            m = LLVMBuildSelect(x->b, LLVMBuildICmp(x->b, LLVMIntEQ, k, ir_c64(x, chunks - 1), ""),
                                LLVMBuildAnd(x->b, m, ir_c32(x, (1 << rest) - 1), ""), m, "");
        ir_set(x, wmask, m);
        ir_while_head(x, &lm);
        ir_while_test(x, &lm, LLVMBuildICmp(x->b, LLVMIntNE, ir_get(x, wmask), ir_c32(x, 0), ""));
        LLVMValueRef mb = ir_get(x, wmask);
        wi = LLVMBuildAdd(x->b, k16, LLVMBuildZExt(x->b, ir_cttz(x, mb), x->i64, ""), "");
        ir_set(x, wmask, LLVMBuildAnd(x->b, mb, LLVMBuildSub(x->b, mb, ir_c32(x, 1), ""), ""));
    } else {
        ir_for_open(x, &lw_, ir_c64(x, 0), ir_c64(x, L), &wi);
    }
    LLVMValueRef p = ir_idx(x, x->i32, cur, wi);
    ir_set(x, bits, ir_load(x, x->i32, p));
    LLVMBuildStore(x->b, ir_c32(x, 0), p);
    if (events) ir_add_to(x, events, LLVMBuildZExt(x->b, ir_ctpop(x, ir_get(x, bits)), x->i64, ""));
    ir_loop lb;
    ir_while_head(x, &lb);
    ir_while_test(x, &lb, LLVMBuildICmp(x->b, LLVMIntNE, ir_get(x, bits), ir_c32(x, 0), ""));
    LLVMValueRef b = ir_get(x, bits);
    LLVMValueRef xx = LLVMBuildAdd(x->b, LLVMBuildMul(x->b, wi, ir_c64(x, 32), ""),
                                   LLVMBuildZExt(x->b, ir_cttz(x, b), x->i64, ""), "");
    ir_set(x, bits, LLVMBuildAnd(x->b, b, LLVMBuildSub(x->b, b, ir_c32(x, 1), ""), ""));
    body(w, xx, ctx);
    ir_while_close(x, &lb);
    if (vec) ir_while_close(x, &lm);
    ir_for_close(x, &lw_);
}

enum { UNROLL_MAX_LANES = 1 << 18 }; /* code size: about 10 bytes per synapse */

/* The unrolled form's axon: a switch over the axons, one block each with its counts (Wd,
 * syn_ops: immediates) and its lanes' adds (target and weight immediates). */
typedef struct {
    const lanes *l;
    LLVMValueRef acc, tick, words, ops; /* words, ops: variables (registers after sroa) */
} unrolled_ctx;

/* Lanes by delay, then target: each ACC row's address is made once and its adds ascend (the
 * order of the adds cannot matter in this form: no saturation). */
static int by_row(const void *pa, const void *pb)
{
    const lane *a = pa, *b = pb;
    if (a->d != b->d) return a->d < b->d ? -1 : 1;
    return a->n < b->n ? -1 : a->n > b->n;
}

static void unrolled_axon(lw *w, LLVMValueRef axon, void *p)
{
    ir *x = &w->x;
    const unrolled_ctx *u = p;
    const lanes *l = u->l;
    uint32_t np = w->lay.np, D = (uint32_t)w->cfg->delay_slots;
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "axon.done");
    unsigned ncase = 0;
    for (uint32_t a = 0; a < l->xu; a++)
        ncase += l->words[a] > 0;
    LLVMValueRef sw = LLVMBuildSwitch(x->b, axon, done, ncase);
    for (uint32_t a = 0; a < l->xu; a++) {
        if (!l->words[a]) continue; /* no words, no lanes: nothing to count or add */
        LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "axon");
        LLVMAddCase(sw, ir_c64(x, a), bb);
        LLVMPositionBuilderAtEnd(x->b, bb);
        ir_add_to(x, u->words, ir_c64(x, l->words[a]));
        if (l->ops[a]) ir_add_to(x, u->ops, ir_c64(x, l->ops[a]));
        LLVMValueRef slot_ptr[64] = {0}; /* by delay (D <= 64) */
        uint32_t na = l->first[a + 1] - l->first[a];
        lane *sorted = malloc((na ? na : 1) * sizeof *sorted);
        if (sorted) {
            memcpy(sorted, &l->lane[l->first[a]], na * sizeof *sorted);
            qsort(sorted, na, sizeof *sorted, by_row);
        }
        for (uint32_t i = 0; i < na; i++) {
            const lane *q = sorted ? &sorted[i] : &l->lane[l->first[a] + i];
            if (!slot_ptr[q->d]) {
                LLVMValueRef s = LLVMBuildAnd(
                    x->b, LLVMBuildAdd(x->b, u->tick, ir_c64(x, q->d), ""), ir_c64(x, D - 1), "");
                slot_ptr[q->d] =
                    ir_idx(x, x->i32, u->acc, LLVMBuildMul(x->b, s, ir_c64(x, np), ""));
            }
            LLVMValueRef pa = ir_idx(x, x->i32, slot_ptr[q->d], ir_c64(x, q->n));
            LLVMBuildStore(x->b, LLVMBuildAdd(x->b, ir_load(x, x->i32, pa), ir_c32(x, q->w), ""),
                           pa);
        }
        free(sorted);
        LLVMBuildBr(x->b, done);
    }
    LLVMPositionBuilderAtEnd(x->b, done);
}

/* The function lsnn_nc_syn_<ci>(acc, tick, counters, cur) of the unrolled form: the whole scan
 * of the current latch with every axon's adds inline (one call per tick), counting E, Wd and
 * syn_ops into the core's counters. Built aside (in the code module when there is one); the
 * builder returns where it was. Returns what the tick calls. */
static LLVMValueRef build_unrolled(lw *w, int ci, const lanes *l, uint32_t L)
{
    ir *x = &w->x;
    ir saved = *x;
    LLVMBasicBlockRef at = LLVMGetInsertBlock(x->b);
    char name[32];
    snprintf(name, sizeof name, "lsnn_nc_syn_%d", ci);
    LLVMTypeRef params[4] = {x->p32, x->i64, x->p64, x->p32};
    LLVMModuleRef main_mod = x->mod;
    if (w->code_mod) x->mod = w->code_mod; /* optimised lightly (jit.c): it is large and flat */
    LLVMValueRef fn = ir_function(x, name, x->vd, params, 4);
    if (!w->code_mod) LLVMSetLinkage(fn, LLVMInternalLinkage);
    LLVMAddAttributeAtIndex(
        fn, LLVMAttributeFunctionIndex,
        LLVMCreateEnumAttribute(x->ctx, LLVMGetEnumAttributeKindForName("noinline", 8), 0));
    unrolled_ctx u = {l, LLVMGetParam(fn, 0), LLVMGetParam(fn, 1), ir_var(x, x->i64, 0, "words"),
                      ir_var(x, x->i64, 0, "ops")};
    LLVMValueRef events = ir_var(x, x->i64, 0, "events"), counters = LLVMGetParam(fn, 2);
    emit_scan(w, LLVMGetParam(fn, 3), L, events, unrolled_axon, &u);
    const int ids[3] = {LSNN_REF_SYN_EVENTS, LSNN_REF_SYN_WORD_READS, LSNN_REF_SYN_OPS};
    LLVMValueRef sums[3] = {ir_get(x, events), ir_get(x, u.words), ir_get(x, u.ops)};
    for (int k = 0; k < 3; k++) {
        LLVMValueRef pc = ir_idx(x, x->i64, counters, ir_c64(x, ids[k]));
        LLVMBuildStore(x->b, LLVMBuildAdd(x->b, ir_load(x, x->i64, pc), sums[k], ""), pc);
    }
    LLVMBuildRetVoid(x->b);
    saved.b = x->b;
    *x = saved;
    LLVMPositionBuilderAtEnd(x->b, at);
    if (!w->code_mod) return fn;
    return LLVMAddFunction(main_mod, name, LLVMFunctionType(x->vd, params, 4, 0));
}

/* The other forms' axon: counts from tables, then dense rows or lane lists. */
typedef struct {
    int dense, safe;
    const rows *r;
    LLVMValueRef acc, tick, t_words, t_ops, t_first, t_a, t_b, t_c, t_w;
    LLVMValueRef events, words, ops, sat;
} table_ctx;

static void table_axon(lw *w, LLVMValueRef xx, void *p)
{
    ir *x = &w->x;
    const table_ctx *t = p;
    ir_add_to(x, t->events, ir_c64(x, 1));
    ir_add_to(x, t->words, load_at(x, t->t_words, xx));
    ir_add_to(x, t->ops, load_at(x, t->t_ops, xx));
    if (t->dense)
        axon_dense(w, t->r, t->acc, t->tick, xx, t->t_first, t->t_a, t->t_b, t->t_c, t->t_w);
    else
        axon_lanes(w, t->safe, t->acc, t->tick, xx, t->t_first, t->t_a, t->t_w, t->sat);
}

int lw_synaptic_phase(lw *w, int ci, lsnn_error *e)
{
    ir *x = &w->x;
    const lsnn_ref_core *c = w->core[ci];
    lanes l;
    rows r;
    memset(&r, 0, sizeof r);
    if (collect(c, &l)) {
        lanes_free(&l);
        return lsnn_fail(e, "LLVM backend: out of memory");
    }
    int safe = cannot_saturate(c, &l), dense = 0;
    if (safe && w->o.dense_rows) {
        int rc = build_rows(&l, (uint32_t)w->cfg->delay_slots, w->lay.np, &r);
        if (rc < 0) {
            rows_free(&r), lanes_free(&l);
            return lsnn_fail(e, "LLVM backend: out of memory");
        }
        dense = rc == 0 && dense_pays(&l, &r);
    }
    int unrolled = safe && !dense && w->o.unroll && l.nlanes <= UNROLL_MAX_LANES;
    w->info->safe[ci] = safe;
    w->info->dense[ci] = dense;
    w->info->unrolled[ci] = unrolled;
    uint32_t L = (c->xu + 31) / 32;
    LLVMValueRef syn_fn = unrolled ? build_unrolled(w, ci, &l, L) : NULL;

    LLVMValueRef base = ir_c64(x, (int64_t)lw_base(w, ci));
    /* START: swap(cur, pend) */
    LLVMValueRef ppend = lw_head(w, base, offsetof(lsnn_nc_head, pend), x->i32);
    LLVMValueRef old = ir_load(x, x->i32, ppend);
    LLVMBuildStore(x->b, LLVMBuildXor(x->b, old, ir_c32(x, 1), ""), ppend);
    uint32_t LW = (uint32_t)w->cfg->axons / 32;
    LLVMValueRef cur =
        ir_idx(x, x->i32, lw_arr(w, base, w->lay.latch, x->i32),
               LLVMBuildMul(x->b, LLVMBuildZExt(x->b, old, x->i64, ""), ir_c64(x, LW), ""));
    LLVMValueRef tick = LLVMBuildZExt(
        x->b, ir_load(x, x->i32, lw_head(w, base, offsetof(lsnn_nc_head, tick), x->i32)), x->i64,
        "");
    LLVMValueRef acc = lw_arr(w, base, w->lay.acc, x->i32);
    lw_count(w, base, LSNN_REF_LATCH_READS, ir_c64(x, L));
    if (unrolled) { /* the scan and the adds in one call; it counts E, Wd and syn_ops */
        LLVMValueRef args[4] = {acc, tick, lw_counter(w, base, 0), cur};
        LLVMBuildCall2(x->b, LLVMGlobalGetValueType(syn_fn), syn_fn, args, 4, "");
        rows_free(&r);
        lanes_free(&l);
        return 0;
    }
    table_ctx t = {dense, safe, &r,   acc,  tick, NULL, NULL, NULL,
                   NULL,  NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    t.t_words = table32(w, "ax_words", l.words, l.xu);
    t.t_ops = table32(w, "ax_ops", l.ops, l.xu);
    if (dense) {
        t.t_first = table32(w, "seg_first", r.first, l.xu + 1u);
        t.t_a = table32(w, "seg_d", r.d, r.nseg);
        t.t_b = table32(w, "seg_lo", r.row_lo, r.nseg);
        t.t_c = table32(w, "seg_hi", r.row_hi, r.nseg);
        t.t_w = table32(w, "seg_w", r.w, (size_t)r.nseg * w->lay.np);
    } else {
        int64_t *first = malloc(((size_t)l.xu + 1) * sizeof *first);
        int64_t *pk = malloc(((size_t)l.nlanes + 1) * sizeof *pk);
        int64_t *wt = malloc(((size_t)l.nlanes + 1) * sizeof *wt);
        if (!first || !pk || !wt) {
            free(first), free(pk), free(wt), rows_free(&r), lanes_free(&l);
            return lsnn_fail(e, "LLVM backend: out of memory");
        }
        for (uint32_t i = 0; i <= l.xu; i++)
            first[i] = l.first[i];
        for (uint32_t i = 0; i < l.nlanes; i++)
            pk[i] = (int64_t)l.lane[i].d << 16 | l.lane[i].n, wt[i] = l.lane[i].w;
        t.t_first = table32(w, "lane_first", first, l.xu + 1u);
        t.t_a = table32(w, "lane_pk", pk, l.nlanes);
        t.t_w = table32(w, "lane_w", wt, l.nlanes);
        free(first), free(pk), free(wt);
    }
    t.events = ir_var(x, x->i64, 0, "events"), t.words = ir_var(x, x->i64, 0, "words");
    t.ops = ir_var(x, x->i64, 0, "ops"), t.sat = ir_var(x, x->i64, 0, "sat_acc");
    emit_scan(w, cur, L, NULL, table_axon, &t);
    LLVMValueRef sat = t.sat, events = t.events, words = t.words, ops = t.ops;

    lw_count(w, base, LSNN_REF_SYN_EVENTS, ir_get(x, events));
    lw_count(w, base, LSNN_REF_SYN_WORD_READS, ir_get(x, words));
    lw_count(w, base, LSNN_REF_SYN_OPS, ir_get(x, ops));
    if (!safe) {
        LLVMValueRef s = ir_get(x, sat);
        lw_count(w, base, LSNN_REF_SAT_ACC, s);
        lw_status(w, base, LLVMBuildICmp(x->b, LLVMIntNE, s, ir_c64(x, 0), ""),
                  LSNN_REF_STATUS_SAT);
    }
    rows_free(&r);
    lanes_free(&l);
    return 0;
}
