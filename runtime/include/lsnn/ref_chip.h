/* ref_chip.h - the reference chip: reference neurocores on the mesh of docs/neurocore.md §16.
 *
 * Commands run as §16.5 says: a TICK (CLEAR) is pushed into every core at T0, the cores run
 * §5.2 (§5.3), and the chip is idle after the barrier. The mesh is the cycle model of §16.6
 * (ref_mesh.c): XY routers with round-robin outputs and noc_buffer-deep input FIFOs, each
 * core's AER-in FIFO and its routing phase run cycle by cycle, so C_chip (last_chip_cycles)
 * equals the RTL chip's for every image, input and link-stall pattern (§16.7). A chip of one
 * core has no NoC traffic; its C_chip is 2 + C_tick + Lb without the cycle loop.
 *
 * Host words (EVENTs) enter between commands, as the host bus of §16.3 delivers them: into
 * pend, in call order. Counters: each core's §11 counters, and the chip's of §16.9. */
#ifndef LSNN_REF_CHIP_H
#define LSNN_REF_CHIP_H

#include <stdint.h>

#include "image.h"
#include "mesh.h"
#include "ref_core.h"

/* Output words of the cores, recorded for comparisons. */
typedef struct {
    uint32_t *w;
    int *port;
    int *core;
    size_t n, cap;
    int oom;
} lsnn_ref_chip_words;

typedef struct {
    lsnn_hw_config cfg;
    int ncores;
    lsnn_ref_core **core;            /* [ncores], in image order */
    int owned;                       /* cores freed by lsnn_ref_chip_free */
    int index_of[LSNN_HW_MAX_CORES]; /* core id -> index, -1 when absent */
    struct lsnn_ref_mesh *mesh;      /* the cycle model's state (ref_mesh.c) */
    /* §16.9 chip counters */
    uint64_t chip_ticks, chip_clears;
    uint64_t chip_cycles;    /* Σ C_chip over commands */
    uint64_t barrier_cycles; /* Σ Lb */
    uint64_t last_chip_cycles;
    uint64_t noc_hops;                                 /* Σ flits over router-to-router links */
    uint64_t flits[LSNN_HW_MAX_CORES][LSNN_PORTS];       /* by cell id and output port */
    uint64_t link_stalls[LSNN_HW_MAX_CORES][LSNN_PORTS]; /* a request on a port not ready */
    /* §16.7 link stalls: lsnn_link_stalled(stall_seed, stall_permille, ...) */
    uint64_t stall_seed;
    unsigned stall_permille;
    /* with record set (lsnn_target_ref): each core's output words of the last CLEAR or TICK,
     * all cores' in one array, core ci's at out_first[ci] .. out_first[ci+1]-1 */
    int record;
    lsnn_ref_chip_words *out;
    /* Optional, another engine's timing through this chip's mesh (the jit engine's multi-core
     * images, compiler/llvm/target_jit.c): when set, a core's START calls begin(ctx, ci)
     * instead of lsnn_ref_tick_begin; begin must leave the core's spikebuf, nspikes and route
     * as that function does and return the same cycles (START through the neuron phase). The
     * routing phases, the NoC and DONE then run on the chip's cores as always. */
    uint64_t (*begin)(void *ctx, int ci);
    void *begin_ctx;
} lsnn_ref_chip;

/* A chip of the image's cores, each programmed and checked by lsnn_image_to_core. */
lsnn_ref_chip *lsnn_ref_chip_from_image(const lsnn_image *img, lsnn_error *e);

/* A chip over n already programmed cores (same config, distinct ids); the caller keeps
 * ownership of the cores. */
lsnn_ref_chip *lsnn_ref_chip_wrap(lsnn_ref_core *const *cores, int n, lsnn_error *e);

void lsnn_ref_chip_free(lsnn_ref_chip *chip);

/* CLEAR on every core (§5.3), as a chip command. */
void lsnn_ref_chip_clear(lsnn_ref_chip *chip);

/* §16.7: stall the router outputs in permille of the cycles, by seed (0 permille: never). */
void lsnn_ref_chip_set_stalls(lsnn_ref_chip *chip, uint64_t seed, unsigned permille);

/* EVENT from the host to axon of core index ci. */
void lsnn_ref_chip_event(lsnn_ref_chip *chip, int ci, uint32_t axon);

/* One TICK command (§16.5) with the mesh's cycle model. Returns 0, or -1 when out of memory. */
int lsnn_ref_chip_tick(lsnn_ref_chip *chip);

/* One raw AER-in word (EVENT or reserved, §5.1) to core index ci. 0, or -1 out of memory. */
int lsnn_ref_chip_word(lsnn_ref_chip *chip, int ci, uint32_t word);

/* Counter i summed over the cores. */
uint64_t lsnn_ref_chip_counter(const lsnn_ref_chip *chip, int i);

#endif
