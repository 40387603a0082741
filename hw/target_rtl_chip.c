/* target_rtl_chip.c - the verilated chip of docs/neurocore.md §16 (rtl_chip.h) as a target, so
 * that lsnn run and lsnn verify drive a mesh of Verilog neurocores, their routers and the
 * barrier exactly as they drive the reference chip. lsnn_target_rtl_open (target_rtl.c) opens
 * it for images of several cores. */
#include <stdlib.h>
#include <string.h>

#include "rtl_chip.h"
#include "target_rtl.h"

typedef struct {
    lsnn_rtl_chip *chip;
    uint64_t last_cycles;
    int ncores;
    uint32_t id[LSNN_HW_MAX_CORES], nu[LSNN_HW_MAX_CORES];
} chip_target;

static int c_clear(void *p, lsnn_error *e)
{
    chip_target *x = p;
    return lsnn_rtl_chip_clear(x->chip, &x->last_cycles, e);
}

static int c_event(void *p, int ci, uint32_t axon, lsnn_error *e)
{
    chip_target *x = p;
    return lsnn_rtl_chip_event(x->chip, x->id[ci], axon, e);
}

static int c_word(void *p, int ci, uint32_t w, lsnn_error *e)
{
    chip_target *x = p;
    return lsnn_rtl_chip_word(x->chip, x->id[ci], w, e);
}

static int c_tick(void *p, lsnn_error *e)
{
    chip_target *x = p;
    return lsnn_rtl_chip_tick(x->chip, &x->last_cycles, e);
}

static void c_state(void *p, int ci, uint32_t n, lsnn_ref_state *out)
{
    chip_target *x = p;
    if (lsnn_rtl_chip_state(x->chip, x->id[ci], n, out)) memset(out, 0, sizeof *out);
}

static void c_counters(void *p, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    chip_target *x = p;
    if (lsnn_rtl_chip_core_counters(x->chip, x->id[ci], out))
        memset(out, 0, LSNN_REF_NCOUNTERS * sizeof *out);
}

static uint64_t c_tick_cycles(void *p)
{
    return ((chip_target *)p)->last_cycles;
}

static uint32_t c_nu(void *p, int ci)
{
    return ((chip_target *)p)->nu[ci];
}

static size_t c_outputs(void *p, int ci, uint32_t *w, int *port, size_t max)
{
    chip_target *x = p;
    return lsnn_rtl_chip_outputs(x->chip, x->id[ci], w, port, max);
}

static uint64_t c_sim_cycles(void *p)
{
    return lsnn_rtl_chip_cycles(((chip_target *)p)->chip);
}

static void c_chip_counters(void *p, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    lsnn_rtl_chip_counters(((chip_target *)p)->chip, out);
}

static void c_links(void *p, unsigned cell, uint64_t flits[LSNN_PORTS], uint64_t stalls[LSNN_PORTS])
{
    if (lsnn_rtl_chip_links(((chip_target *)p)->chip, cell, flits, stalls)) {
        memset(flits, 0, LSNN_PORTS * sizeof *flits);
        memset(stalls, 0, LSNN_PORTS * sizeof *stalls);
    }
}

static int c_set_stalls(void *p, uint64_t seed, unsigned permille, lsnn_error *e)
{
    if (permille > 900)
        return lsnn_fail(e, "link stalls: %u permille; at most 900 (a link stalled always never "
                            "drains)",
                         permille);
    lsnn_rtl_chip_set_link_stalls(((chip_target *)p)->chip, permille > 0, seed, permille);
    return 0;
}

static void c_close(void *p)
{
    chip_target *x = p;
    lsnn_rtl_chip_free(x->chip);
    free(x);
}

int lsnn_target_rtl_chip_open(const lsnn_image *img, const char *dir, const lsnn_rtl_vcd *vcd,
                              int readmemh, lsnn_target *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    chip_target *x = calloc(1, sizeof *x);
    if (!x) return lsnn_fail(e, "out of memory");
    x->ncores = img->ncores;
    for (int i = 0; i < img->ncores; i++) {
        x->id[i] = img->cores[i].core_id;
        x->nu[i] = img->cores[i].nu;
    }
    if (!(x->chip = lsnn_rtl_chip_create_vcd(&img->cfg, vcd, e)) ||
        (readmemh ? lsnn_rtl_chip_load_readmemh(x->chip, dir, img, e)
                  : lsnn_rtl_chip_load(x->chip, img, e))) {
        c_close(x);
        return -1;
    }
    out->name = "rtl";
    out->ctx = x;
    out->ncores = img->ncores;
    out->mesh_x = img->cfg.mesh_x;
    out->mesh_y = img->cfg.mesh_y;
    memcpy(out->core_id, x->id, sizeof x->id);
    out->clear = c_clear;
    out->event = c_event;
    out->word = c_word;
    out->tick = c_tick;
    out->state = c_state;
    out->counters = c_counters;
    out->tick_cycles = c_tick_cycles;
    out->nu = c_nu;
    out->outputs = c_outputs;
    out->sim_cycles = c_sim_cycles;
    out->chip_counters = c_chip_counters;
    out->links = c_links;
    out->set_stalls = c_set_stalls;
    out->close = c_close;
    return 0;
}
