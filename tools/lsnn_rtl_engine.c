/* lsnn_rtl_engine.c - the RTL core (hw/rtl_core.h) as a host engine (runtime/include/lsnn/ref_host.h), so
 * that lsnn run drives the Verilog neurocore exactly as it drives the reference chip. */
#include "lsnn_rtl_engine.h"

#include <stdio.h>

#ifdef LSNN_HAVE_RTL
#include <stdlib.h>
#include <string.h>

#include "rtl_core.h"

typedef struct {
    lsnn_rtl *rtl;
    uint64_t last_cycles;
    uint32_t nu;
} rtl_engine;

static int eng_clear(void *p, lsnn_error *e)
{
    return lsnn_rtl_clear(((rtl_engine *)p)->rtl, e);
}

static int eng_event(void *p, int ci, uint32_t axon, lsnn_error *e)
{
    (void)ci; /* one core */
    return lsnn_rtl_event(((rtl_engine *)p)->rtl, axon, e);
}

static int eng_tick(void *p, lsnn_error *e)
{
    rtl_engine *x = p;
    return lsnn_rtl_tick(x->rtl, &x->last_cycles, e);
}

static void eng_state(void *p, int ci, uint32_t n, lsnn_ref_state *out)
{
    (void)ci;
    lsnn_rtl_state(((rtl_engine *)p)->rtl, n, out);
}

static void eng_counters(void *p, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    (void)ci;
    lsnn_rtl_counters(((rtl_engine *)p)->rtl, out);
}

static uint64_t eng_tick_cycles(void *p)
{
    return ((rtl_engine *)p)->last_cycles;
}

static uint32_t eng_nu(void *p, int ci)
{
    (void)ci;
    return ((rtl_engine *)p)->nu;
}

int cli_rtl_engine(const char *cmd, const char *dir, const lsnn_image *img, const char *vcd,
                   lsnn_host_engine *out)
{
    lsnn_error e;
    if (img->ncores != 1) {
        fprintf(stderr,
                "lsnn %s: %s spans %d cores; the RTL engine simulates one neurocore (the router "
                "and the multi-core platform come next)\n",
                cmd, dir, img->ncores);
        return -1;
    }
    rtl_engine *x = calloc(1, sizeof *x);
    if (!x) return fprintf(stderr, "lsnn %s: out of memory\n", cmd), -1;
    x->nu = img->cores[0].nu;
    if (!(x->rtl = lsnn_rtl_create(&img->cfg, vcd, &e)) || lsnn_rtl_load_port(x->rtl, img, 0, &e)) {
        fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg);
        lsnn_rtl_free(x->rtl);
        free(x);
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->ctx = x;
    out->ncores = 1;
    out->core_id[0] = img->cores[0].core_id;
    out->clear = eng_clear;
    out->event = eng_event;
    out->tick = eng_tick;
    out->state = eng_state;
    out->counters = eng_counters;
    out->tick_cycles = eng_tick_cycles;
    out->nu = eng_nu;
    return 0;
}

void cli_rtl_engine_free(lsnn_host_engine *en)
{
    rtl_engine *x = en->ctx;
    if (!x) return;
    lsnn_rtl_free(x->rtl);
    free(x);
    en->ctx = NULL;
}

#else

int cli_rtl_engine(const char *cmd, const char *dir, const lsnn_image *img, const char *vcd,
                   lsnn_host_engine *out)
{
    (void)dir, (void)img, (void)vcd, (void)out;
    fprintf(stderr,
            "lsnn %s: this lsnn was built without Verilator, so it has no RTL engine; "
            "run tools/setup.sh (it installs verilator) and rebuild\n",
            cmd);
    return -1;
}

void cli_rtl_engine_free(lsnn_host_engine *en)
{
    (void)en;
}

#endif
