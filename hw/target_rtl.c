/* target_rtl.c - the RTL neurocore (rtl_core.h) as a target, so that lsnn run and lsnn verify
 * drive the Verilog neurocore exactly as they drive the reference chip. */
#include "target_rtl.h"

#include <stdlib.h>
#include <string.h>

#include "mesh.h"
#include "rtl_chip.h"
#include "rtl_core.h"

typedef struct {
    lsnn_rtl *rtl;
    uint64_t last_cycles;
    int mesh_x, mesh_y;
    uint64_t chip[LSNN_CHIP_NCOUNTERS]; /* §16.9, of the one-core chip around the core */
    uint32_t nu;
    uint32_t *w; /* the output words of the last CLEAR or TICK */
    int *port;
    size_t n, cap;
} rtl_target;

/* The harness hands out the words since its last call: keep them for outputs(). */
static int drain(rtl_target *x, lsnn_error *e)
{
    x->n = 0;
    for (;;) {
        if (x->n == x->cap) {
            size_t cap = x->cap ? 2 * x->cap : 1024;
            uint32_t *w = realloc(x->w, cap * sizeof *w);
            int *p = w ? realloc(x->port, cap * sizeof *p) : NULL;
            if (w) x->w = w;
            if (!p) return lsnn_fail(e, "RTL: out of memory for output words");
            x->port = p;
            x->cap = cap;
        }
        size_t got = lsnn_rtl_outputs(x->rtl, x->w + x->n, x->port + x->n, x->cap - x->n);
        x->n += got;
        if (x->n < x->cap) return 0;
    }
}

static uint64_t barrier(const rtl_target *x)
{
    return lsnn_mesh_barrier_cycles(x->mesh_x, x->mesh_y);
}

/* A CLEAR or TICK of c core cycles as a command of the one-core chip (§16.5). */
static void chip_command(rtl_target *x, int is_tick, uint64_t c)
{
    x->chip[is_tick ? LSNN_CHIP_TICKS : LSNN_CHIP_CLEARS]++;
    x->chip[LSNN_CHIP_CYCLES] += 2 + c + barrier(x);
    x->chip[LSNN_CHIP_BARRIER_CYCLES] += barrier(x);
}

static int t_clear(void *p, lsnn_error *e)
{
    rtl_target *x = p;
    uint64_t k0[LSNN_REF_NCOUNTERS], k1[LSNN_REF_NCOUNTERS];
    lsnn_rtl_counters(x->rtl, k0);
    if (lsnn_rtl_clear(x->rtl, e) || drain(x, e)) return -1;
    lsnn_rtl_counters(x->rtl, k1);
    chip_command(x, 0, k1[LSNN_REF_CYCLES] - k0[LSNN_REF_CYCLES]);
    return 0;
}

static void t_chip_counters(void *p, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    memcpy(out, ((rtl_target *)p)->chip, sizeof((rtl_target *)p)->chip);
}

static int t_event(void *p, int ci, uint32_t axon, lsnn_error *e)
{
    (void)ci; /* one core */
    return lsnn_rtl_event(((rtl_target *)p)->rtl, axon, e);
}

static int t_tick(void *p, lsnn_error *e)
{
    rtl_target *x = p;
    if (lsnn_rtl_tick(x->rtl, &x->last_cycles, e) || drain(x, e)) return -1;
    chip_command(x, 1, x->last_cycles);
    return 0;
}

static int t_word(void *p, int ci, uint32_t w, lsnn_error *e)
{
    (void)ci; /* one core; an EVENT or reserved word sends nothing out */
    return lsnn_rtl_word(((rtl_target *)p)->rtl, w, e);
}

static void t_state(void *p, int ci, uint32_t n, lsnn_ref_state *out)
{
    (void)ci;
    lsnn_rtl_state(((rtl_target *)p)->rtl, n, out);
}

static void t_counters(void *p, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    (void)ci;
    lsnn_rtl_counters(((rtl_target *)p)->rtl, out);
}

/* One core is a chip without NoC traffic: the controller's push and pop of TICK, the core's
 * C_tick, then the barrier of the config's mesh (docs/neurocore.md §16.5). The core's own
 * cycles are compared through its `cycles` counter. */
static uint64_t t_tick_cycles(void *p)
{
    rtl_target *x = p;
    return 2 + x->last_cycles + barrier(x);
}

static uint32_t t_nu(void *p, int ci)
{
    (void)ci;
    return ((rtl_target *)p)->nu;
}

static size_t t_outputs(void *p, int ci, uint32_t *w, int *port, size_t max)
{
    const rtl_target *x = p;
    (void)ci;
    for (size_t k = 0; k < x->n && k < max; k++)
        w[k] = x->w[k], port[k] = x->port[k];
    return x->n;
}

static uint64_t t_sim_cycles(void *p)
{
    return lsnn_rtl_cycles(((rtl_target *)p)->rtl);
}

static void t_close(void *p)
{
    rtl_target *x = p;
    lsnn_rtl_free(x->rtl);
    free(x->w);
    free(x->port);
    free(x);
}

int lsnn_target_rtl_fits(const char *dir, const lsnn_image *img, lsnn_error *e)
{
    if (img->ncores != 1) {
        if (lsnn_rtl_chip_supported(&img->cfg)) return 0;
        char names[512];
        lsnn_rtl_chip_models(names, sizeof names);
        return lsnn_fail(e,
                         "%s spans %d cores of hw config '%s' (mesh %dx%d, noc_buffer %d); no "
                         "verilated chip runs it; this build has: %s (hw/chips.txt)",
                         dir, img->ncores, img->cfg.name, img->cfg.mesh_x, img->cfg.mesh_y,
                         img->cfg.noc_buffer, names[0] ? names : "none");
    }
    if (!lsnn_rtl_supported(&img->cfg)) {
        char names[512];
        lsnn_rtl_models(names, sizeof names);
        return lsnn_fail(e,
                         "no verilated model for hw config '%s'; this build has models for: %s "
                         "(hw/CMakeLists.txt)",
                         img->cfg.name, names);
    }
    return 0;
}

int lsnn_target_rtl_open(const lsnn_image *img, const char *dir, const lsnn_rtl_vcd *vcd,
                         int readmemh, lsnn_target *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    if (lsnn_target_rtl_fits(dir, img, e)) return -1;
    /* $readmemh loads the hex files, not image.bin: they must be its copies */
    if (readmemh && lsnn_image_check_hex(img, dir, e)) return -1;
    if (img->ncores != 1) return lsnn_target_rtl_chip_open(img, dir, vcd, readmemh, out, e);
    rtl_target *x = calloc(1, sizeof *x);
    if (!x) return lsnn_fail(e, "out of memory");
    x->nu = img->cores[0].nu;
    x->mesh_x = img->cfg.mesh_x;
    x->mesh_y = img->cfg.mesh_y;
    if (!(x->rtl = lsnn_rtl_create_vcd(&img->cfg, vcd, e)) ||
        (readmemh ? lsnn_rtl_load_readmemh(x->rtl, dir, img, 0, e)
                  : lsnn_rtl_load_port(x->rtl, img, 0, e)) ||
        drain(x, e)) {
        t_close(x);
        return -1;
    }
    out->name = "rtl";
    out->ctx = x;
    out->ncores = 1;
    out->word = t_word;
    out->core_id[0] = img->cores[0].core_id;
    out->clear = t_clear;
    out->event = t_event;
    out->tick = t_tick;
    out->state = t_state;
    out->counters = t_counters;
    out->tick_cycles = t_tick_cycles;
    out->chip_counters = t_chip_counters;
    out->nu = t_nu;
    out->outputs = t_outputs;
    out->sim_cycles = t_sim_cycles;
    out->close = t_close;
    return 0;
}
