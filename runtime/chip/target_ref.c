/* target_ref.c - the reference chip (ref_chip.h) as a target (target.h). */
#include <stdlib.h>
#include <string.h>

#include "target.h"

static int chip_clear(void *c, lsnn_error *e)
{
    (void)e;
    lsnn_ref_chip_clear(c);
    return 0;
}

static int chip_event(void *c, int ci, uint32_t axon, lsnn_error *e)
{
    (void)e;
    lsnn_ref_chip_event(c, ci, axon);
    return 0;
}

static int chip_tick(void *c, lsnn_error *e)
{
    return lsnn_ref_chip_tick(c) ? lsnn_fail(e, "chip: out of memory, or the mesh did not drain") : 0;
}

static void chip_state(void *c, int ci, uint32_t n, lsnn_ref_state *out)
{
    *out = ((lsnn_ref_chip *)c)->core[ci]->state[n];
}

static void chip_counters(void *c, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    memcpy(out, ((lsnn_ref_chip *)c)->core[ci]->counters, LSNN_REF_NCOUNTERS * sizeof *out);
}

static uint64_t chip_tick_cycles(void *c)
{
    return ((lsnn_ref_chip *)c)->last_chip_cycles;
}

static uint32_t chip_nu(void *c, int ci)
{
    return ((lsnn_ref_chip *)c)->core[ci]->nu;
}

static int chip_word(void *c, int ci, uint32_t w, lsnn_error *e)
{
    return lsnn_ref_chip_word(c, ci, w) ? lsnn_fail(e, "chip: out of memory") : 0;
}

static void chip_counters_of(void *c, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    const lsnn_ref_chip *x = c;
    out[LSNN_CHIP_TICKS] = x->chip_ticks;
    out[LSNN_CHIP_CLEARS] = x->chip_clears;
    out[LSNN_CHIP_CYCLES] = x->chip_cycles;
    out[LSNN_CHIP_BARRIER_CYCLES] = x->barrier_cycles;
}

static void chip_links(void *c, unsigned cell, uint64_t flits[LSNN_PORTS],
                       uint64_t stalls[LSNN_PORTS])
{
    const lsnn_ref_chip *x = c;
    for (int p = 0; p < LSNN_PORTS; p++) {
        flits[p] = cell < LSNN_HW_MAX_CORES ? x->flits[cell][p] : 0;
        stalls[p] = cell < LSNN_HW_MAX_CORES ? x->link_stalls[cell][p] : 0;
    }
}

static int chip_set_stalls(void *c, uint64_t seed, unsigned permille, lsnn_error *e)
{
    if (permille > 900)
        return lsnn_fail(e, "link stalls: %u permille; at most 900 (a link stalled always never drains)",
                         permille);
    lsnn_ref_chip_set_stalls(c, seed, permille);
    return 0;
}

/* Core ci's recorded words of the last CLEAR or TICK. */
static size_t chip_outputs(void *c, int ci, uint32_t *w, int *port, size_t max)
{
    const lsnn_ref_chip_words *o = ((lsnn_ref_chip *)c)->out;
    size_t n = 0;
    for (size_t k = 0; k < o->n; k++)
        if (o->core[k] == ci) {
            if (n < max) w[n] = o->w[k], port[n] = o->port[k];
            n++;
        }
    return n;
}

void lsnn_target_ref(lsnn_ref_chip *chip, int record_outputs, lsnn_target *out)
{
    memset(out, 0, sizeof *out);
    out->name = "ref";
    out->ctx = chip;
    if (record_outputs && !chip->out) chip->out = calloc(1, sizeof *chip->out);
    chip->record = record_outputs && chip->out;
    if (chip->record) out->outputs = chip_outputs;
    out->ncores = chip->ncores;
    out->mesh_x = chip->cfg.mesh_x;
    out->mesh_y = chip->cfg.mesh_y;
    out->word = chip_word;
    for (int i = 0; i < chip->ncores; i++)
        out->core_id[i] = chip->core[i]->core_id;
    out->clear = chip_clear;
    out->event = chip_event;
    out->tick = chip_tick;
    out->state = chip_state;
    out->counters = chip_counters;
    out->tick_cycles = chip_tick_cycles;
    out->nu = chip_nu;
    out->chip_counters = chip_counters_of;
    out->links = chip_links;
    out->set_stalls = chip_set_stalls;
}
