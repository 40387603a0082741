/* ref_chip.h - several reference neurocores joined by an ideal NoC (docs/neurocore.md §8).
 *
 * The chip ticks under the platform barrier of §8: in a tick every core runs its phases in
 * core order, the spikes one core sends to another (NoC-out words) are collected, and they
 * are delivered into the destination cores' pend latches as EVENT words after every core has
 * finished (TICK_DONE). Because the latch is a set scanned in axon order (§5.1), the arrival
 * order of NoC words cannot change any result, so this sequential schedule is exact for any
 * real NoC that respects the barrier.
 *
 * The NoC is ideal (no stalls): it counts hops by dimension-order (XY) routing on the mesh,
 * |dx| + |dy| per spike, for the energy model's noc_hops term. Chip time per tick is the
 * slowest core's cycles (the barrier waits for it). */
#ifndef LSNN_REF_CHIP_H
#define LSNN_REF_CHIP_H

#include <stdint.h>

#include "image.h"
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
    uint32_t *noc;                   /* NoC words of the current tick: (src index << 24 | word) */
    size_t n_noc, cap_noc;
    uint64_t noc_hops;    /* sum over delivered spikes of |dx| + |dy| */
    uint64_t noc_lost;    /* words for a core the chip lacks (the loader makes this 0) */
    uint64_t chip_cycles; /* sum over ticks and CLEARs of the slowest core's cycles */
    uint64_t last_chip_cycles;
    /* with record set (lsnn_target_ref): each core's output words of the last CLEAR or TICK,
     * all cores' in one array, core ci's at out_first[ci] .. out_first[ci+1]-1 */
    int record;
    lsnn_ref_chip_words *out;
} lsnn_ref_chip;

/* A chip of the image's cores, each programmed and checked by lsnn_image_to_core. */
lsnn_ref_chip *lsnn_ref_chip_from_image(const lsnn_image *img, lsnn_error *e);

/* A chip over n already programmed cores (same config, distinct ids); the caller keeps
 * ownership of the cores. */
lsnn_ref_chip *lsnn_ref_chip_wrap(lsnn_ref_core *const *cores, int n, lsnn_error *e);

void lsnn_ref_chip_free(lsnn_ref_chip *chip);

/* CLEAR on every core (§5.3). */
void lsnn_ref_chip_clear(lsnn_ref_chip *chip);

/* EVENT from the host to axon of core index ci. */
void lsnn_ref_chip_event(lsnn_ref_chip *chip, int ci, uint32_t axon);

/* One TICK on every core, then NoC delivery. Returns 0, or -1 when out of memory. */
int lsnn_ref_chip_tick(lsnn_ref_chip *chip);

/* One raw AER-in word (EVENT or reserved, §5.1) to core index ci. 0, or -1 out of memory. */
int lsnn_ref_chip_word(lsnn_ref_chip *chip, int ci, uint32_t word);

/* Counter i summed over the cores. */
uint64_t lsnn_ref_chip_counter(const lsnn_ref_chip *chip, int i);

#endif
