/* capi_chip.c - liblsnn.so's images on engines: lsnn run's path (cli_open_image, the targets'
 * table, cli_input_run) with every tick's states and counter increments kept in memory, as
 * the trace records them (trace.c), for the caller to copy out. */
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"
#include "lsnn_capi.h"
#include "lsnn_fixed.h"
#include "targets.h"
#include "trace.h"

struct lsnn_capi_chip {
    cli_fixed fx;
    lsnn_spec spec;
    cli_input in;
    lsnn_target other; /* the engine when it is not the image's reference chip */
    int n_neurons;     /* recurrent + readouts, the trace's n lines */
    uint64_t *prev;    /* [ncores][LSNN_REF_NCOUNTERS]: counters at the previous tick */
    /* the last run's records */
    int n_seq, ticks;
    int64_t *state;     /* [n_seq][ticks][n_neurons][4] */
    uint64_t *counters; /* [n_seq][ticks][ncores][LSNN_TRACE_COUNTERS] */
    uint64_t *cycles;   /* [n_seq][ticks] */
    int oom;
};

lsnn_capi_chip *lsnn_capi_open(const char *image_dir, const char *engine, const char *input)
{
    if (!engine) engine = "ref";
    if (!cli_target_known(engine)) {
        char known[256];
        cli_target_names(known, sizeof known);
        return capi_fail("unknown engine '%s' (engines: %s)", engine, known), NULL;
    }
    lsnn_capi_chip *c = calloc(1, sizeof *c);
    if (!c) return capi_fail("out of memory"), NULL;
    capi_capture cap;
    if (capi_capture_begin(&cap, 0)) return free(c), NULL;
    int failed = 0;
    if (cli_open_image("python", image_dir, &c->fx, &c->spec)) {
        capi_capture_end(&cap, 1, "cannot open the image", NULL);
        free(c);
        return NULL;
    }
    failed = cli_input_open("python", input, &c->spec, c->fx.hm.n_out, &c->in) != 0;
    lsnn_error e;
    if (!failed && strcmp(engine, "ref") != 0) {
        cli_target_opts o = {image_dir, NULL, 0, 0, 0, 0, NULL};
        if (cli_target_open(engine, &c->fx.img, &o, &c->other, &e)) {
            fprintf(stderr, "lsnn python: %s\n", e.msg);
            failed = 1;
        } else {
            c->fx.engine = c->other;
        }
    }
    const lsnn_target *en = &c->fx.engine;
    if (!failed && !(c->prev = calloc((size_t)en->ncores * LSNN_REF_NCOUNTERS, sizeof *c->prev))) {
        fprintf(stderr, "lsnn python: out of memory\n");
        failed = 1;
    }
    if (capi_capture_end(&cap, failed, "cannot open the image", NULL)) {
        lsnn_capi_close(c);
        return NULL;
    }
    c->n_neurons = c->fx.hm.n_rec + c->fx.hm.n_out;
    for (int k = 0; k < en->ncores; k++) /* as lsnn_trace_open: increments from here on */
        en->counters(en->ctx, k, c->prev + (size_t)k * LSNN_REF_NCOUNTERS);
    return c;
}

static void drop_records(lsnn_capi_chip *c)
{
    free(c->state), free(c->counters), free(c->cycles);
    c->state = NULL, c->counters = NULL, c->cycles = NULL;
    c->n_seq = c->ticks = 0;
}

void lsnn_capi_close(lsnn_capi_chip *c)
{
    if (!c) return;
    drop_records(c);
    free(c->prev);
    cli_input_close(&c->in);
    lsnn_target_close(&c->other);
    c->fx.engine = (lsnn_target){0}; /* closed above, or the chip's, which cli_fixed_free frees */
    cli_fixed_free(&c->fx);
    free(c);
}

static int n_sequences(const lsnn_capi_chip *c)
{
    return c->in.task ? lsnn_task_test_count(c->in.task) : c->in.batch.n_seq;
}

void lsnn_capi_sizes(const lsnn_capi_chip *c, int out[6])
{
    out[0] = c->fx.hm.n_in, out[1] = c->fx.hm.n_rec, out[2] = c->fx.hm.n_out;
    out[3] = c->fx.engine.ncores, out[4] = c->in.steps, out[5] = n_sequences(c);
}

/* After tick t of sequence seq: the trace's n, k and tick lines, into the records. */
static void on_tick(void *ctx, int seq, int t, const lsnn_target *en)
{
    lsnn_capi_chip *c = ctx;
    if (seq >= c->n_seq || t >= c->ticks) return c->oom = 1, (void)0; /* cannot happen */
    size_t at = (size_t)seq * (size_t)c->ticks + (size_t)t;
    c->cycles[at] = en->tick_cycles(en->ctx);
    int64_t *s = c->state + at * (size_t)c->n_neurons * 4;
    for (int g = 0; g < c->n_neurons; g++, s += 4) {
        lsnn_ref_state st;
        lsnn_host_state(en, &c->fx.hm, g, &st);
        s[0] = st.v, s[1] = st.a, s[2] = st.ref, s[3] = st.z;
    }
    uint64_t *k = c->counters + at * (size_t)en->ncores * LSNN_TRACE_COUNTERS;
    for (int ci = 0; ci < en->ncores; ci++, k += LSNN_TRACE_COUNTERS) {
        uint64_t *prev = c->prev + (size_t)ci * LSNN_REF_NCOUNTERS, now[LSNN_REF_NCOUNTERS];
        en->counters(en->ctx, ci, now);
        for (int i = 0; i < LSNN_TRACE_COUNTERS; i++)
            k[i] = now[i] - prev[i];
        memcpy(prev, now, sizeof now);
    }
}

int lsnn_capi_run(lsnn_capi_chip *c, int n_seq, int64_t totals[5])
{
    drop_records(c);
    int avail = n_sequences(c);
    int n = n_seq > 0 && n_seq < avail ? n_seq : avail;
    size_t ticks = (size_t)c->in.steps + 1, per_seq = ticks * (size_t)c->n_neurons * 4;
    if (n <= 0) return capi_fail("the input holds no sequences");
    if ((double)n * (double)per_seq * 8 > 4e9)
        return capi_fail("%d sequences of %zu ticks of %d neurons would take more than 4 GB of "
                         "records; run fewer at a time",
                         n, ticks, c->n_neurons);
    c->n_seq = n, c->ticks = (int)ticks;
    c->state = malloc((size_t)n * per_seq * sizeof *c->state);
    c->counters = malloc((size_t)n * ticks * (size_t)c->fx.engine.ncores * LSNN_TRACE_COUNTERS *
                         sizeof *c->counters);
    c->cycles = malloc((size_t)n * ticks * sizeof *c->cycles);
    if (!c->state || !c->counters || !c->cycles) {
        drop_records(c);
        return capi_fail("out of memory for the records of %d sequences", n);
    }
    c->oom = 0;
    cli_run_hooks h = {on_tick, c, NULL, NULL, NULL, 0};
    cli_fixed_result r = {0};
    lsnn_error e;
    capi_capture cap;
    if (capi_capture_begin(&cap, 0)) return drop_records(c), -1;
    int failed = cli_input_run(&c->fx, &c->in, n, c->spec.batch_size, &h, &r, &e) != 0;
    if (failed)
        fprintf(stderr, "lsnn python: %s\n", e.msg);
    else if (r.n_seq != n || c->oom) {
        fprintf(stderr, "lsnn python: ran %d sequences of the %d asked for\n", r.n_seq, n);
        failed = 1;
    }
    if (capi_capture_end(&cap, failed, "the run failed", NULL)) return drop_records(c), -1;
    if (totals) {
        totals[0] = r.n_seq, totals[1] = r.n_win, totals[2] = r.n_correct;
        totals[3] = r.spikes, totals[4] = r.steps;
    }
    return 0;
}

void lsnn_capi_dims(const lsnn_capi_chip *c, int dims[4])
{
    dims[0] = c->n_seq, dims[1] = c->ticks, dims[2] = c->n_neurons, dims[3] = c->fx.engine.ncores;
}

void lsnn_capi_records(const lsnn_capi_chip *c, int64_t *state, uint64_t *counters,
                       uint64_t *cycles, int32_t *core_id)
{
    size_t at = (size_t)c->n_seq * (size_t)c->ticks;
    int nc = c->fx.engine.ncores;
    if (state && c->state) memcpy(state, c->state, at * (size_t)c->n_neurons * 4 * sizeof *state);
    if (counters && c->counters)
        memcpy(counters, c->counters, at * (size_t)nc * LSNN_TRACE_COUNTERS * sizeof *counters);
    if (cycles && c->cycles) memcpy(cycles, c->cycles, at * sizeof *cycles);
    if (core_id)
        for (int k = 0; k < nc; k++)
            core_id[k] = (int32_t)c->fx.engine.core_id[k];
}
