/* lower_route.c - the routing phase of a TICK (docs/neurocore.md §5.2, §10.1) in IR: the
 * spikes of the neuron phase in ascending n, each through its RIX entry to its RTE entries:
 * a local axon into this core's pend latch, another core's axon into that core's pend latch
 * (the NoC's EVENT word, §16), a host word. Counters K (route_lookups), Rt (route_reads),
 * spikes_local/core/host, and at the receivers events_in, dup_events and bad_words.
 *
 * Which word reaches which latch does not depend on the NoC's timing (a latch is a set), so
 * deliveries are applied at once; the cycles a NoC delays (stall_cycles, the chip's C_chip)
 * are the mesh model's business, not this code's. RIX and RTE are constant tables. */
#include <stdlib.h>

#include "lower_internal.h"

int lw_routing_phase(lw *w, int ci, lsnn_error *e)
{
    ir *x = &w->x;
    const lsnn_ref_core *c = w->core[ci];
    if (!c->nu) return 0;
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
    ir_loop ln;
    LLVMValueRef n;
    ir_for_open(x, &ln, ir_c64(x, 0), ir_c64(x, c->nu), &n);
    ir_if spiked;
    ir_if_open(x, &spiked,
               LLVMBuildICmp(x->b, LLVMIntNE, ir_load(x, x->i32, ir_idx(x, x->i32, z, n)),
                             ir_c32(x, 0), ""));
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
    ir_if_close(x, &spiked);
    ir_for_close(x, &ln);
    lw_count(w, base, LSNN_REF_ROUTE_LOOKUPS, ir_get(x, lookups));
    lw_count(w, base, LSNN_REF_ROUTE_READS, ir_get(x, reads));
    lw_count(w, base, LSNN_REF_SPIKES_LOCAL, ir_get(x, n_local));
    lw_count(w, base, LSNN_REF_SPIKES_CORE, ir_get(x, n_core));
    lw_count(w, base, LSNN_REF_SPIKES_HOST, ir_get(x, n_host));
    return 0;
}
