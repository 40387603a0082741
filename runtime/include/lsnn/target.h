/* target.h - the interface every engine that executes an image implements.
 *
 * A target holds an image's cores and takes the host's words (docs/neurocore.md §5.1): CLEAR,
 * EVENT on a core's axon, TICK. Between words the host reads each neuron's state, each core's
 * counters (§11) and the last tick's cycles (§10). The host (ref_host.h), the trace and VCD
 * writers and `lsnn run` drive any target alike; `lsnn verify` drives two in lockstep
 * (lsnn_lockstep) and compares them after every CLEAR and TICK.
 *
 * Implementations, one file each: the reference chip (runtime/chip/target_ref.c), the RTL
 * neurocore under Verilator (hw/target_rtl.c), the SystemC platform of the chip
 * (hw/systemc/target_systemc.c), and the lockstep pair of two targets
 * (runtime/chip/lockstep.c). tools/targets.c lists them by name for the command line. */
#ifndef LSNN_TARGET_H
#define LSNN_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hwconfig.h"
#include "mesh.h"
#include "ref_chip.h"
#include "ref_core.h"

typedef struct lsnn_target {
    const char *name; /* "ref", "rtl", ... as the command line names it */
    void *ctx;
    int ncores;  /* core indices are the image's */
    int neurons; /* 0: a lockstep compares the neurons below NU; N: every neuron (tests) */
    int mesh_x, mesh_y; /* the chip's mesh (§16), for the link counters; 0: not a chip */
    uint32_t core_id[LSNN_HW_MAX_CORES];
    int (*clear)(void *ctx, lsnn_error *e);
    int (*event)(void *ctx, int ci, uint32_t axon, lsnn_error *e);
    int (*tick)(void *ctx, lsnn_error *e);
    /* after a CLEAR or TICK: neuron n of core ci, the core's counters, the tick's chip cycles */
    void (*state)(void *ctx, int ci, uint32_t n, lsnn_ref_state *out);
    void (*counters)(void *ctx, int ci, uint64_t out[LSNN_REF_NCOUNTERS]);
    uint64_t (*tick_cycles)(void *ctx);
    uint32_t (*nu)(void *ctx, int ci);
    /* Optional (NULL: not recorded). The words core ci sent in the last CLEAR or TICK, in
     * order, with their ports (LSNN_REF_PORT_*); returns how many (at most max are copied). */
    size_t (*outputs)(void *ctx, int ci, uint32_t *w, int *port, size_t max);
    /* Optional: one raw AER-in word to core ci (§5.1: an EVENT, also with bad bits, or a
     * reserved word; TICK and CLEAR go through tick and clear), for tests of bad words. */
    int (*word)(void *ctx, int ci, uint32_t w, lsnn_error *e);
    /* Optional: clock cycles the target has simulated in all (a simulator's own count). */
    uint64_t (*sim_cycles)(void *ctx);
    /* Optional, simulators with a clock of their own (SystemC): the simulated time in ps since
     * the load, in the TICK and CLEAR commands alone (each from the start of the cycle it is
     * accepted in to the end of its barrier: the time of the chip_cycles counter) and in all
     * (the host's words too), and the clock period in ps. */
    void (*sim_time)(void *ctx, uint64_t *cmd_ps, uint64_t *all_ps, uint64_t *period_ps);
    /* Optional, chip targets (§16.9): the chip counters (LSNN_CHIP_COUNTERS order) and the
     * link counters of the router of cell id (16 y + x) by output port; a lockstep compares
     * them where both targets give them, and checks that every flit sent was ejected. */
    void (*chip_counters)(void *ctx, uint64_t out[LSNN_CHIP_NCOUNTERS]);
    void (*links)(void *ctx, unsigned cell, uint64_t flits[LSNN_PORTS],
                  uint64_t stalls[LSNN_PORTS]);
    /* Optional: the link-stall pattern of §16.7 from the next command on (0 permille: none). */
    int (*set_stalls)(void *ctx, uint64_t seed, unsigned permille, lsnn_error *e);
    /* Optional: frees ctx (targets that own their state). */
    void (*close)(void *ctx);
} lsnn_target;

/* Frees what the target owns (its close function) and zeroes *t. */
void lsnn_target_close(lsnn_target *t);

/* ---- the reference chip (target_ref.c) ------------------------------------------------------ */

/* The reference chip as a target; the target keeps a pointer to chip (the caller frees it).
 * With record_outputs, the chip keeps each core's output words of the last CLEAR or TICK
 * (lockstep comparisons); without, nothing is recorded and the target's outputs is NULL. */
void lsnn_target_ref(lsnn_ref_chip *chip, int record_outputs, lsnn_target *out);

/* ---- two targets in lockstep (lockstep.c) ------------------------------------------------- */

/* The first difference between two targets: where (sequence from 0, tick from 0 or -1 for a
 * CLEAR, core index, local neuron or -1), what ("v", "counter syn_ops", "cycles of the tick",
 * "host-out word", ...) and both values (a's, b's). For an output word, neuron is its index. */
typedef struct {
    long seq, tick;
    int core;
    char what[64];
    long neuron;
    int64_t a, b;
} lsnn_divergence;

/* a and b driven together as one target: every word goes to both; after every CLEAR and TICK
 * it compares every core's NU, every neuron's v, a, ref and z (all N when both targets give
 * N, else those below NU), every counter, the tick's cycles and, where both record them, every
 * output word of every port in order (lsnn_lockstep_check compares the same at any time,
 * e.g. after raw words). At the first
 * difference the word fails with "the engines diverge" and lsnn_lockstep_divergence says
 * where. Reads (state, counters) answer with a's values. a and b stay the caller's. Returns
 * 0, or -1 when the two have different cores or memory runs out. */
int lsnn_lockstep_open(lsnn_target *a, lsnn_target *b, lsnn_target *pair, lsnn_error *e);

/* The comparison of a CLEAR (is_tick 0: no tick cycles) or TICK, on demand. 0, or -1. */
int lsnn_lockstep_check(lsnn_target *pair, int is_tick, lsnn_error *e);

/* The first divergence of a lockstep target, or NULL while they agree. */
const lsnn_divergence *lsnn_lockstep_divergence(const lsnn_target *pair);

/* Ticks compared so far. */
uint64_t lsnn_lockstep_ticks(const lsnn_target *pair);

/* Compares two output streams port by port (§8 orders words within a port only): 0 when each
 * port's words are the same in the same order; else 1 with the first mismatch in *d (what,
 * neuron = the word's index within its port, a and b; or the counts when one port has more).
 * Adds the words compared per port to counted[2] (may be NULL). */
int lsnn_outputs_differ(const uint32_t *wa, const int *pa, size_t na, const uint32_t *wb,
                        const int *pb, size_t nb, uint64_t counted[2], lsnn_divergence *d);

#endif
