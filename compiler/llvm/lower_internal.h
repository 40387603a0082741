/* lower_internal.h - between the passes of the lowering (lower.c, lower_syn.c,
 * lower_neuron.c, lower_route.c). */
#ifndef LSNN_LLVM_LOWER_INTERNAL_H
#define LSNN_LLVM_LOWER_INTERNAL_H

#include "ir.h"
#include "lower.h"

typedef struct {
    ir x;
    const lsnn_image *img;
    const lsnn_hw_config *cfg;
    lsnn_ref_core **core; /* [ncores]: the programmed memories, as the loader leaves them */
    int ncores;
    lsnn_nc_layout lay;
    lsnn_nc_lower_opts o;
    lsnn_nc_lower_info *info;
    LLVMModuleRef code_mod; /* where unrolled synapses go (NULL: the main module) */
    int spikes_by_routing;  /* the routing phase's bitmap counts the spikes (hosts, one core's
                               routing generated), not the neuron phase's loops */
    LLVMValueRef blk;       /* the function's block argument (i8*) */
    LLVMValueRef tbase;     /* i64 [ncores]: each core's byte offset in the block */
    LLVMValueRef txu;       /* i32 [ncores]: each core's XU */
    LLVMValueRef tidx;      /* i32 [256]: image core index of a core id, -1 for none */
} lw;

/* Core ci's byte offset in the block, as a constant and as a value (ci an i64 value). */
size_t lw_base(const lw *w, int ci);
LLVMValueRef lw_base_v(lw *w, LLVMValueRef ci);

/* Pointers into core part `base` (an i64 byte offset): a head field, a counter, an array. */
LLVMValueRef lw_head(lw *w, LLVMValueRef base, size_t field_off, LLVMTypeRef t);
LLVMValueRef lw_counter(lw *w, LLVMValueRef base, int id);
void lw_count(lw *w, LLVMValueRef base, int id, LLVMValueRef n);           /* counter += n (i64) */
void lw_status(lw *w, LLVMValueRef base, LLVMValueRef cond, uint32_t bit); /* if cond */
LLVMValueRef lw_arr(lw *w, LLVMValueRef base, size_t off, LLVMTypeRef elem);

/* Records output word `word` on `port` of core part base (with recording on). */
void lw_emit(lw *w, LLVMValueRef base, uint32_t port, LLVMValueRef word);

/* §5.1 latch_set(x) into the pend latch of the core at base with XU xu (values): a bad word
 * (x >= XU), a duplicate, or a set bit; from_event counts events_in for the set bit. */
void lw_latch_set(lw *w, LLVMValueRef base, LLVMValueRef xu, LLVMValueRef x, int from_event);

/* The passes of a TICK, per core (ci constant). */
int lw_synaptic_phase(lw *w, int ci, lsnn_error *e);
void lw_neuron_phase(lw *w, int ci);
int lw_routing_phase(lw *w, int ci, lsnn_error *e);

#endif
