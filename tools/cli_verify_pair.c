/* cli_verify_pair.c - the reference core and the RTL neurocore in lockstep as one host engine,
 * compared after every CLEAR and TICK. */
#ifdef LSNN_HAVE_RTL
#include "cli_verify_pair.h"

#include <stdio.h>
#include <string.h>

static void collect(void *ctx, int port, uint32_t word)
{
    cli_words *o = ctx;
    if (o->n < 65536) o->port[o->n] = port, o->w[o->n++] = word;
}

static int diverged(cli_pair *p, const char *what, long n, int64_t a, int64_t b, lsnn_error *e)
{
    p->diverged = 1;
    p->d = (cli_divergence){p->seq, p->tick, "", n, a, b};
    snprintf(p->d.what, sizeof p->d.what, "%s", what);
    return lsnn_fail(e, "the engines diverge");
}

/* Every neuron's state, every counter and the tick's cycles (is_tick), then each port's output
 * words in order (lsnn_rtl_compare_outputs). 0 when equal. */
static int compare(cli_pair *p, int is_tick, uint64_t rtl_cycles, lsnn_error *e)
{
    const lsnn_ref_core *ref = p->ref;
    if (is_tick && ref->last_cycles != rtl_cycles)
        return diverged(p, "cycles of the tick", -1, (int64_t)ref->last_cycles, (int64_t)rtl_cycles,
                        e);
    for (uint32_t n = 0; is_tick && n < ref->nu; n++) {
        lsnn_ref_state s;
        lsnn_rtl_state(p->rtl, n, &s);
        const lsnn_ref_state *r = &ref->state[n];
        if (r->v != s.v) return diverged(p, "v", n, r->v, s.v, e);
        if (r->a != s.a) return diverged(p, "a", n, r->a, s.a, e);
        if (r->ref != s.ref) return diverged(p, "ref", n, r->ref, s.ref, e);
        if (r->z != s.z) return diverged(p, "z", n, r->z, s.z, e);
    }
    uint64_t c[LSNN_REF_NCOUNTERS];
    lsnn_rtl_counters(p->rtl, c);
    for (int i = 0; is_tick && i < LSNN_REF_NCOUNTERS; i++)
        if (c[i] != ref->counters[i]) {
            char what[64];
            snprintf(what, sizeof what, "counter %s", lsnn_ref_counter_name(i));
            return diverged(p, what, -1, (int64_t)ref->counters[i], (int64_t)c[i], e);
        }
    lsnn_rtl_mismatch m;
    p->rtl_out.n = lsnn_rtl_outputs(p->rtl, p->rtl_out.w, p->rtl_out.port, 65536);
    if (!lsnn_rtl_compare_outputs(p->out.w, p->out.port, p->out.n, p->rtl_out.w, p->rtl_out.port,
                                  p->rtl_out.n, NULL, &m))
        return 0;
    if (m.count_differs)
        return diverged(p, m.port ? "number of NoC-out words" : "number of host-out words", -1,
                        (int64_t)m.ref_n, (int64_t)m.rtl_n, e);
    return diverged(p, m.port ? "NoC-out word" : "host-out word", m.index, m.ref, m.rtl, e);
}

static int pair_clear(void *ctx, lsnn_error *e)
{
    cli_pair *p = ctx;
    p->seq++;
    p->tick = -1;
    p->out.n = 0;
    lsnn_ref_clear(p->ref, collect, &p->out);
    return lsnn_rtl_clear(p->rtl, e) ? -1 : compare(p, 0, 0, e);
}

static int pair_event(void *ctx, int ci, uint32_t axon, lsnn_error *e)
{
    cli_pair *p = ctx;
    (void)ci; /* one core */
    lsnn_ref_event(p->ref, axon);
    return lsnn_rtl_event(p->rtl, axon, e);
}

static int pair_tick(void *ctx, lsnn_error *e)
{
    cli_pair *p = ctx;
    uint64_t cycles = 0;
    p->out.n = 0;
    lsnn_ref_tick(p->ref, collect, &p->out);
    if (lsnn_rtl_tick(p->rtl, &cycles, e)) return -1;
    p->tick++;
    p->ticks++;
    return compare(p, 1, cycles, e);
}

/* Between ticks both engines hold the same values, so the host reads the reference's. */
static void pair_state(void *ctx, int ci, uint32_t n, lsnn_ref_state *out)
{
    (void)ci;
    *out = ((cli_pair *)ctx)->ref->state[n];
}

static void pair_counters(void *ctx, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    (void)ci;
    memcpy(out, ((cli_pair *)ctx)->ref->counters, LSNN_REF_NCOUNTERS * sizeof *out);
}

static uint64_t pair_tick_cycles(void *ctx)
{
    return ((cli_pair *)ctx)->ref->last_cycles;
}

static uint32_t pair_nu(void *ctx, int ci)
{
    (void)ci;
    return ((cli_pair *)ctx)->ref->nu;
}

int cli_pair_fits(const char *dir, const lsnn_image *img, lsnn_error *e)
{
    if (img->ncores != 1)
        return lsnn_fail(e,
                         "%s spans %d cores; the RTL engine simulates one neurocore (the router "
                         "and the multi-core platform come next). Compile with a config whose "
                         "core holds the network (models/hw/default.yaml).",
                         dir, img->ncores);
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

int cli_pair_start(cli_pair *p, cli_fixed *fx, const char *dir, const char *vcd, int readmemh,
                   lsnn_error *e)
{
    p->ref = fx->chip->core[0]; /* the image's reference core, as lsnn run runs it */
    p->seq = -1;
    if (!(p->rtl = lsnn_rtl_create(&fx->img.cfg, vcd, e)) ||
        (readmemh ? lsnn_rtl_load_readmemh(p->rtl, dir, &fx->img, 0, e)
                  : lsnn_rtl_load_port(p->rtl, &fx->img, 0, e)))
        return -1;
    lsnn_host_engine *en = &fx->engine;
    memset(en, 0, sizeof *en);
    en->ctx = p;
    en->ncores = 1;
    en->core_id[0] = p->ref->core_id;
    en->clear = pair_clear;
    en->event = pair_event;
    en->tick = pair_tick;
    en->state = pair_state;
    en->counters = pair_counters;
    en->tick_cycles = pair_tick_cycles;
    en->nu = pair_nu;
    return 0;
}

void cli_pair_free(cli_pair *p)
{
    lsnn_rtl_free(p->rtl);
    p->rtl = NULL;
}

long cli_divergence_neuron(const lsnn_hostmap *m, const cli_divergence *d)
{
    long n = strstr(d->what, "word") ? -1 : d->neuron;
    for (int g = 0; n >= 0 && g < m->n_rec + m->n_out; g++)
        if (m->core_index[g] == 0 && m->local[g] == (uint32_t)n) return g;
    return -1;
}
#endif
