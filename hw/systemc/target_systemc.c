/* target_systemc.c - the SystemC platform (sc_chip.h) as a target, so that lsnn run and lsnn
 * verify drive the verilated chip through its TLM register map as they drive the reference. */
#include "target_systemc.h"

#include <stdlib.h>
#include <string.h>

#include "sc_chip.h"

typedef struct {
    lsnn_sc_chip *chip;
    uint64_t last_cycles;
    uint32_t id[LSNN_HW_MAX_CORES], nu[LSNN_HW_MAX_CORES];
} sc_target;

static int s_clear(void *p, lsnn_error *e)
{
    sc_target *x = p;
    return lsnn_sc_chip_clear(x->chip, &x->last_cycles, e);
}

static int s_event(void *p, int ci, uint32_t axon, lsnn_error *e)
{
    sc_target *x = p;
    return lsnn_sc_chip_event(x->chip, x->id[ci], axon, e);
}

static int s_word(void *p, int ci, uint32_t w, lsnn_error *e)
{
    sc_target *x = p;
    return lsnn_sc_chip_word(x->chip, x->id[ci], w, e);
}

static int s_tick(void *p, lsnn_error *e)
{
    sc_target *x = p;
    return lsnn_sc_chip_tick(x->chip, &x->last_cycles, e);
}

static void s_state(void *p, int ci, uint32_t n, lsnn_ref_state *out)
{
    sc_target *x = p;
    if (lsnn_sc_chip_state(x->chip, x->id[ci], n, out)) memset(out, 0, sizeof *out);
}

static void s_counters(void *p, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    sc_target *x = p;
    if (lsnn_sc_chip_core_counters(x->chip, x->id[ci], out))
        memset(out, 0, LSNN_REF_NCOUNTERS * sizeof *out);
}

static uint64_t s_tick_cycles(void *p)
{
    return ((sc_target *)p)->last_cycles;
}

static uint32_t s_nu(void *p, int ci)
{
    return ((sc_target *)p)->nu[ci];
}

static size_t s_outputs(void *p, int ci, uint32_t *w, int *port, size_t max)
{
    sc_target *x = p;
    return lsnn_sc_chip_outputs(x->chip, x->id[ci], w, port, max);
}

static uint64_t s_sim_cycles(void *p)
{
    lsnn_sc_chip_time t;
    lsnn_sc_chip_times(((sc_target *)p)->chip, &t);
    return t.cycles;
}

static void s_sim_time(void *p, uint64_t *cmd_ps, uint64_t *all_ps, uint64_t *period_ps)
{
    lsnn_sc_chip_time t;
    lsnn_sc_chip_times(((sc_target *)p)->chip, &t);
    *cmd_ps = t.cmd_ps;
    *all_ps = t.bus_ps;
    *period_ps = t.period_ps;
}

static void s_chip_counters(void *p, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    lsnn_sc_chip_counters(((sc_target *)p)->chip, out);
}

static void s_links(void *p, unsigned cell, uint64_t flits[LSNN_PORTS], uint64_t stalls[LSNN_PORTS])
{
    if (lsnn_sc_chip_links(((sc_target *)p)->chip, cell, flits, stalls)) {
        memset(flits, 0, LSNN_PORTS * sizeof *flits);
        memset(stalls, 0, LSNN_PORTS * sizeof *stalls);
    }
}

static int s_set_stalls(void *p, uint64_t seed, unsigned permille, lsnn_error *e)
{
    if (permille > 900)
        return lsnn_fail(e,
                         "link stalls: %u permille; at most 900 (a link stalled always never "
                         "drains)",
                         permille);
    return lsnn_sc_chip_set_link_stalls(((sc_target *)p)->chip, seed, permille, e);
}

static void s_close(void *p)
{
    sc_target *x = p;
    lsnn_sc_chip_free(x->chip);
    free(x);
}

int lsnn_target_systemc_open(const lsnn_image *img, lsnn_target *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    sc_target *x = calloc(1, sizeof *x);
    if (!x) return lsnn_fail(e, "out of memory");
    for (int i = 0; i < img->ncores; i++) {
        x->id[i] = img->cores[i].core_id;
        x->nu[i] = img->cores[i].nu;
    }
    if (!(x->chip = lsnn_sc_chip_create(&img->cfg, e)) || lsnn_sc_chip_load(x->chip, img, e)) {
        s_close(x);
        return -1;
    }
    out->name = "systemc";
    out->ctx = x;
    out->ncores = img->ncores;
    out->mesh_x = img->cfg.mesh_x;
    out->mesh_y = img->cfg.mesh_y;
    memcpy(out->core_id, x->id, sizeof x->id);
    out->clear = s_clear;
    out->event = s_event;
    out->word = s_word;
    out->tick = s_tick;
    out->state = s_state;
    out->counters = s_counters;
    out->tick_cycles = s_tick_cycles;
    out->nu = s_nu;
    out->outputs = s_outputs;
    out->sim_cycles = s_sim_cycles;
    out->sim_time = s_sim_time;
    out->chip_counters = s_chip_counters;
    out->links = s_links;
    out->set_stalls = s_set_stalls;
    out->close = s_close;
    return 0;
}
