/* lower.h - an image lowered to LLVM IR that implements docs/neurocore.md for it: the LLVM
 * backend's code generator (lower_*.c), used by the JIT (jit.c, target_jit.c) and the object
 * emitter (emit_obj.c).
 *
 * The generated code keeps the whole chip in one block of memory (the state block, laid out
 * by lsnn_nc_layout_of) and exports four functions with C linkage:
 *   void lsnn_nc_init(uint8_t *block)             the image as loaded: STATE, ACC, latches 0
 *   void lsnn_nc_clear(uint8_t *block)            a CLEAR on every core (§5.3)
 *   void lsnn_nc_event(uint8_t *block, int32_t core, int32_t axon)   an EVENT (§5.1)
 *   void lsnn_nc_tick(uint8_t *block)             a TICK on every core (§5.2, §16.5)
 * The memories that never change (PROFILE, NCFG, AXT, SYN, RIX, RTE, the registers) are not in
 * the block: they are folded into the code and its constant data. Every core's counters of
 * §11, its last tick's cycles (§10.2) and, when recorded, its output words are in the block,
 * so the host reads them as it reads the RTL's. */
#ifndef LSNN_LLVM_LOWER_H
#define LSNN_LLVM_LOWER_H

#include <llvm-c/Core.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "image.h"
#include "ref_core.h"

/* The fixed head of a core's part of the block (identical on 32- and 64-bit targets). */
typedef struct {
    uint64_t counters[LSNN_REF_NCOUNTERS]; /* §11 */
    uint64_t last_cycles;                  /* §10.2: the last tick's C_tick */
    uint32_t pend;                         /* which latch collects (§5.1) */
    uint32_t tick;                         /* wraps mod 2^32 */
    uint32_t status;                       /* LSNN_REF_STATUS_* */
    uint32_t nout;                         /* output words recorded in the last command */
    uint32_t nspikes;                      /* spikes of the last tick */
    uint32_t pad[3];
} lsnn_nc_head;

/* Byte offsets of one core's arrays within its part; every core of an image has the same. */
typedef struct {
    uint32_t np;       /* per-neuron array length: N rounded up to the vector width */
    uint32_t out_cap;  /* output words one command can record */
    size_t v;          /* int32_t [np]: v (V bits) */
    size_t a;          /* int64_t [np]: a (V+G bits) */
    size_t ref, z;     /* int32_t [np] each */
    size_t isyn;       /* int32_t [np] (U bits) */
    size_t acc;        /* int32_t [D][np]: slot s, neuron n at s * np + n */
    size_t latch;      /* uint32_t [2][X/32] */
    size_t out_w;      /* uint32_t [out_cap] (with recording) */
    size_t out_port;   /* uint32_t [out_cap]: LSNN_REF_PORT_* */
    size_t core_bytes; /* one core's part, a multiple of 64 */
} lsnn_nc_layout;

typedef struct {
    int vector_width;   /* neurons per vector operation; 1: scalar code (microcontrollers) */
    int dense_rows;     /* may keep an axon's weights as a dense row (hosts; see lower_syn.c) */
    int record_outputs; /* keep each command's output words in the block */
    int mutant;         /* tests only: 1 = truncate instead of round in v's leak (must be caught) */
    int host_routing;   /* the tick stops after the neuron phases: the caller routes (below) */
    int unroll;         /* may unroll an axon's synapses into code (hosts; see lower_syn.c) */
} lsnn_nc_lower_opts;
/* host_routing: for images of several cores on the host. Which spikes reach which latch does
 * not depend on the NoC's timing, but the split of a latch's counts between events_in and
 * dup_events does (a local spike and a NoC EVENT on one axon: whichever comes first counts),
 * so the JIT replays the routing phases in the mesh model's cycle order (target_jit.c). The
 * tick then counts ticks and cycles without K + Rt + St and emits no words. */

/* What the lowering chose, for reports. */
typedef struct {
    int cores;
    int dense[LSNN_HW_MAX_CORES];    /* 1: dense weight rows, 0: lane lists */
    int safe[LSNN_HW_MAX_CORES];     /* 1: no ACC saturation is possible (adds unclamped) */
    int unrolled[LSNN_HW_MAX_CORES]; /* 1: synapses unrolled into code */
    size_t const_bytes;              /* constant data (tables, weights) */
    size_t block_bytes;              /* the state block */
} lsnn_nc_lower_info;

/* The layout of img's block under options o; the block's size is ncores * core_bytes. */
void lsnn_nc_layout_of(const lsnn_image *img, const lsnn_nc_lower_opts *o, lsnn_nc_layout *out);

/* Lowers img into mod (whose data layout must be set: sizes and alignments depend on the
 * target), with the unrolled synapses (o->unroll) in code_mod when it is not NULL: a second
 * module of the same context and layout that the caller optimises with a light pipeline (O3
 * on some 10^5 adds in one function costs seconds and gains nothing over instcombine and
 * simplifycfg). The image is checked by the loader's rules first (lsnn_image_to_core), so a bad
 * image is refused with the loader's message. Returns 0, or -1 with e set. */
int lsnn_nc_lower(const lsnn_image *img, const lsnn_nc_lower_opts *o, LLVMModuleRef mod,
                  LLVMModuleRef code_mod, lsnn_nc_lower_info *info, lsnn_error *e);

/* Adds `int64_t lsnn_nc_check_K(int64_t x)` for each of nc_arith.h's check vectors K = 0..n-1:
 * the vector's primitive with its constant operands folded exactly as the tick folds them,
 * applied to x. Returns n. */
int lsnn_nc_lower_check_vectors(LLVMModuleRef mod);

#endif
