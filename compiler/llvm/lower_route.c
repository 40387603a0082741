/* lower_route.c - the routing phase of a TICK (docs/neurocore.md §5.2, §10.1) in IR: the
 * spikes of the neuron phase in ascending n, each through its RIX entry to its RTE entries:
 * a local axon into this core's pend latch, another core's axon into that core's pend latch
 * (the NoC's EVENT word, §16), a host word. Counters K (route_lookups), Rt (route_reads),
 * spikes_local/core/host, and at the receivers events_in, dup_events and bad_words.
 *
 * Deliveries are applied at once, in spike and RTE order. That is §5.2's order on one core; on
 * several cores the order of a NoC's arrivals decides the receivers' events_in/dup_events
 * split, so the JIT routes those images through the mesh model instead (lower.h,
 * host_routing). RIX and RTE are constant tables: a per-neuron switch into unrolled routes
 * was slower (its indirect jump mispredicts on every spike; the table loop's branches do not). */
#include <stdlib.h>

#include "lower_internal.h"

int lw_routing_phase(lw *w, int ci, lsnn_error *e)
{
    ir *x = &w->x;
    const lsnn_ref_core *c = w->core[ci];
    if (!c->nu) { /* no neurons, no spikes: the counter stays */
        if (w->spikes_by_routing)
            LLVMBuildStore(x->b, ir_c32(x, 0),
                           lw_head(w, ir_c64(x, (int64_t)lw_base(w, ci)),
                                   offsetof(lsnn_nc_head, nspikes), x->i32));
        return 0;
    }
    size_t nr = 0;
    int64_t *rix = malloc((size_t)c->nu * sizeof *rix);
    if (!rix) return lsnn_fail(e, "LLVM backend: out of memory");
    for (uint32_t n = 0; n < c->nu; n++) {
        rix[n] = (int64_t)c->rix[n].base << 4 | c->rix[n].cnt;
        if (c->rix[n].cnt && c->rix[n].base + c->rix[n].cnt > nr)
            nr = c->rix[n].base + c->rix[n].cnt;
    }
    int64_t *rte = malloc((nr ? nr : 1) * sizeof *rte);
    if (!rte) {
        free(rix);
        return lsnn_fail(e, "LLVM backend: out of memory");
    }
    for (size_t i = 0; i < nr; i++) {
        const lsnn_ref_rte *t = &c->rte[i];
        rte[i] = (int64_t)t->kind | (int64_t)t->rel << 2 | (int64_t)t->core << 3 |
                 (int64_t)t->axon << 11;
    }
    w->info->const_bytes += 4 * ((size_t)c->nu + (nr ? nr : 1));
    LLVMValueRef t_rix = ir_table(x, "rix", x->i32, rix, c->nu);
    LLVMValueRef t_rte = ir_table(x, "rte", x->i32, rte, nr);
    free(rix);
    free(rte);

    LLVMValueRef base = ir_c64(x, (int64_t)lw_base(w, ci));
    LLVMValueRef z = lw_arr(w, base, w->lay.z, x->i32);
    LLVMValueRef xu = ir_c32(x, c->xu);
    LLVMValueRef lookups = ir_var(x, x->i64, 0, "lookups"), reads = ir_var(x, x->i64, 0, "reads");
    LLVMValueRef n_local = ir_var(x, x->i64, 0, "local"), n_core = ir_var(x, x->i64, 0, "core");
    LLVMValueRef n_host = ir_var(x, x->i64, 0, "host");
    /* the spikes in ascending n: on hosts 16 z at a time as a bit mask, scanned with cttz */
    int vec = w->o.vector_width > 1;
    ir_loop ln, lb;
    ir_if spiked;
    LLVMValueRef n, k;
    if (vec) {
        /* two passes: the spike masks of 16 neurons each into a bitmap without a branch, then
         * its 64-bit words scanned (a branch per word, not per chunk: spikes are sparse). The
         * words read four 16-bit masks in little-endian order: hosts only (x86_64, aarch64). */
        uint32_t chunks = (c->nu + 15) / 16, rest = c->nu % 16, words = (chunks + 3) / 4;
        LLVMTypeRef at = LLVMArrayType(x->i16, 4 * words);
        LLVMBasicBlockRef here = LLVMGetInsertBlock(x->b);
        LLVMPositionBuilderBefore(x->b, LLVMGetBasicBlockTerminator(x->entry));
        LLVMValueRef map = LLVMBuildAlloca(x->b, at, "spikemap");
        LLVMPositionBuilderAtEnd(x->b, here);
        LLVMValueRef map16 = LLVMBuildBitCast(x->b, map, x->p16, "");
        LLVMValueRef map64 = LLVMBuildBitCast(x->b, map, x->p64, "");
        for (uint32_t q = chunks; q < 4 * words; q++) /* the padding: no spikes */
            LLVMBuildStore(x->b, LLVMConstInt(x->i16, 0, 0),
                           ir_idx(x, x->i16, map16, ir_c64(x, q)));
        ir_loop lc;
        ir_for_open(x, &lc, ir_c64(x, 0), ir_c64(x, chunks), &k);
        LLVMValueRef zv =
            ir_load_vec(x, LLVMVectorType(x->i32, 16),
                        ir_idx(x, x->i32, z, LLVMBuildMul(x->b, k, ir_c64(x, 16), "")));
        LLVMValueRef bits = LLVMBuildBitCast(
            x->b, LLVMBuildICmp(x->b, LLVMIntNE, zv, ir_const(LLVMTypeOf(zv), 0), ""), x->i16, "");
        if (rest) /* the last chunk: only neurons below NU */
            bits = LLVMBuildSelect(
                x->b, LLVMBuildICmp(x->b, LLVMIntEQ, k, ir_c64(x, chunks - 1), ""),
                LLVMBuildAnd(x->b, bits, LLVMConstInt(x->i16, (1u << rest) - 1, 0), ""), bits, "");
        LLVMBuildStore(x->b, bits, ir_idx(x, x->i16, map16, k));
        ir_for_close(x, &lc);
        if (w->spikes_by_routing) { /* the spike counter from the bitmap (lower_internal.h) */
            LLVMValueRef ns = ir_c64(x, 0);
            for (uint32_t q = 0; q < words; q++)
                ns = LLVMBuildAdd(
                    x->b, ns,
                    ir_ctpop(x, ir_load(x, x->i64, ir_idx(x, x->i64, map64, ir_c64(x, q)))), "");
            lw_count(w, base, LSNN_REF_SPIKES, ns);
            LLVMBuildStore(x->b, LLVMBuildTrunc(x->b, ns, x->i32, ""),
                           lw_head(w, base, offsetof(lsnn_nc_head, nspikes), x->i32));
        }
        LLVMValueRef mask = ir_var(x, x->i64, 0, "zmask");
        ir_for_open(x, &ln, ir_c64(x, 0), ir_c64(x, words), &k);
        ir_set(x, mask, ir_load(x, x->i64, ir_idx(x, x->i64, map64, k)));
        ir_while_head(x, &lb);
        ir_while_test(x, &lb, LLVMBuildICmp(x->b, LLVMIntNE, ir_get(x, mask), ir_c64(x, 0), ""));
        LLVMValueRef b = ir_get(x, mask);
        n = LLVMBuildAdd(x->b, LLVMBuildMul(x->b, k, ir_c64(x, 64), ""), ir_cttz(x, b), "");
        ir_set(x, mask, LLVMBuildAnd(x->b, b, LLVMBuildSub(x->b, b, ir_c64(x, 1), ""), ""));
    } else {
        ir_for_open(x, &ln, ir_c64(x, 0), ir_c64(x, c->nu), &n);
        ir_if_open(x, &spiked,
                   LLVMBuildICmp(x->b, LLVMIntNE, ir_load(x, x->i32, ir_idx(x, x->i32, z, n)),
                                 ir_c32(x, 0), ""));
    }
    {
        ir_add_to(x, lookups, ir_c64(x, 1));
        LLVMValueRef r =
            LLVMBuildZExt(x->b, ir_load(x, x->i32, ir_idx(x, x->i32, t_rix, n)), x->i64, "");
        LLVMValueRef e0 = LLVMBuildLShr(x->b, r, ir_c64(x, 4), "");
        LLVMValueRef e1 = LLVMBuildAdd(x->b, e0, LLVMBuildAnd(x->b, r, ir_c64(x, 15), ""), "");
        ir_loop le;
        LLVMValueRef ei;
        ir_for_open(x, &le, e0, e1, &ei);
        ir_add_to(x, reads, ir_c64(x, 1));
        LLVMValueRef t = ir_load(x, x->i32, ir_idx(x, x->i32, t_rte, ei));
        LLVMValueRef kind = LLVMBuildAnd(x->b, t, ir_c32(x, 3), "");
        LLVMValueRef rel =
            LLVMBuildAnd(x->b, LLVMBuildLShr(x->b, t, ir_c32(x, 2), ""), ir_c32(x, 1), "");
        LLVMValueRef dst =
            LLVMBuildAnd(x->b, LLVMBuildLShr(x->b, t, ir_c32(x, 3), ""), ir_c32(x, 255), "");
        LLVMValueRef axon = LLVMBuildLShr(x->b, t, ir_c32(x, 11), "");
        LLVMValueRef n32 = LLVMBuildTrunc(x->b, n, x->i32, "");
        LLVMValueRef xa = LLVMBuildSelect(
            x->b, LLVMBuildICmp(x->b, LLVMIntNE, rel, ir_c32(x, 0), ""),
            LLVMBuildAnd(x->b, LLVMBuildAdd(x->b, axon, n32, ""), ir_c32(x, 0xFFFF), ""), axon, "");
        LLVMValueRef is_core =
            LLVMBuildICmp(x->b, LLVMIntEQ, kind, ir_c32(x, LSNN_REF_RTE_CORE), "");
        ir_if fk;
        ir_if_open(x, &fk, is_core);
        {
            ir_if fl;
            ir_if_open(x, &fl, LLVMBuildICmp(x->b, LLVMIntEQ, dst, ir_c32(x, c->core_id), ""));
            lw_latch_set(w, base, xu, xa, 0);
            ir_add_to(x, n_local, ir_c64(x, 1));
            ir_if_else(x, &fl);
            { /* the NoC: the receiver pops the EVENT word (xa) from its AER-in (§16.6) */
                lw_emit(w, base, LSNN_REF_PORT_NOC,
                        LLVMBuildOr(x->b, LLVMBuildShl(x->b, dst, ir_c32(x, 16), ""), xa, ""));
                ir_add_to(x, n_core, ir_c64(x, 1));
                LLVMValueRef j = ir_load(
                    x, x->i32, ir_idx(x, x->i32, w->tidx, LLVMBuildZExt(x->b, dst, x->i64, "")));
                ir_if present;
                ir_if_open(x, &present, LLVMBuildICmp(x->b, LLVMIntSGE, j, ir_c32(x, 0), ""));
                LLVMValueRef j64 = LLVMBuildSExt(x->b, j, x->i64, "");
                LLVMValueRef rbase = lw_base_v(w, j64);
                int XB = lsnn_hw_widths_of(w->cfg).XB;
                ir_if badw;
                ir_if_open(x, &badw,
                           LLVMBuildICmp(x->b, LLVMIntNE,
                                         LLVMBuildLShr(x->b, xa, ir_c32(x, XB), ""), ir_c32(x, 0),
                                         ""));
                lw_count(w, rbase, LSNN_REF_BAD_WORDS, ir_c64(x, 1));
                lw_status(w, rbase, LLVMConstInt(x->i1, 1, 0), LSNN_REF_STATUS_ERROR);
                ir_if_else(x, &badw);
                lw_latch_set(w, rbase, ir_load(x, x->i32, ir_idx(x, x->i32, w->txu, j64)), xa, 1);
                ir_if_close(x, &badw);
                ir_if_close(x, &present);
            }
            ir_if_close(x, &fl);
        }
        ir_if_else(x, &fk);
        lw_emit(w, base, LSNN_REF_PORT_HOST, xa);
        ir_add_to(x, n_host, ir_c64(x, 1));
        ir_if_close(x, &fk);
        ir_for_close(x, &le);
    }
    if (vec)
        ir_while_close(x, &lb);
    else
        ir_if_close(x, &spiked);
    ir_for_close(x, &ln);
    lw_count(w, base, LSNN_REF_ROUTE_LOOKUPS, ir_get(x, lookups));
    lw_count(w, base, LSNN_REF_ROUTE_READS, ir_get(x, reads));
    lw_count(w, base, LSNN_REF_SPIKES_LOCAL, ir_get(x, n_local));
    lw_count(w, base, LSNN_REF_SPIKES_CORE, ir_get(x, n_core));
    lw_count(w, base, LSNN_REF_SPIKES_HOST, ir_get(x, n_host));
    return 0;
}
