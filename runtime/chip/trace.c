/* trace.c - writes the tick trace of a chip run (trace.h, docs/trace-format.md). */
#include "trace.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int lsnn_trace_open(lsnn_trace *t, const char *path, const lsnn_hostmap *m,
                    const lsnn_target *en, lsnn_error *e)
{
    memset(t, 0, sizeof *t);
    t->m = m;
    t->ncores = en->ncores;
    t->prev = calloc((size_t)en->ncores * LSNN_REF_NCOUNTERS, sizeof *t->prev);
    if (!t->prev) return lsnn_fail(e, "%s: out of memory", path);
    if (lsnn_atomic_open(&t->out, path, e)) {
        free(t->prev);
        t->prev = NULL;
        return -1;
    }
    FILE *f = t->out.f;
    fprintf(f, "lsnn-trace %d\nnetwork %d %d %d cores %d\n", LSNN_TRACE_VERSION, m->n_in, m->n_rec,
            m->n_out, en->ncores);
    for (int i = 0; i < m->n_place; i++)
        fprintf(f, "place %" PRIu32 " %" PRIu32 " %" PRIu32 " %" PRIu32 "\n", m->place[i].core,
                m->place[i].first, m->place[i].size, m->place[i].local);
    for (int c = 0; c < en->ncores; c++)
        en->counters(en->ctx, c, t->prev + (size_t)c * LSNN_REF_NCOUNTERS);
    return 0;
}

void lsnn_trace_tick(lsnn_trace *t, int seq, int steps, int tick, const lsnn_target *en)
{
    FILE *f = t->out.f;
    if (tick == 0) fprintf(f, "seq %d steps %d\n", seq, steps);
    fprintf(f, "tick %d %" PRIu64 "\n", tick, en->tick_cycles(en->ctx));
    for (int g = 0; g < t->m->n_rec + t->m->n_out; g++) {
        lsnn_ref_state s;
        lsnn_host_state(en, t->m, g, &s);
        fprintf(f, "n %d %" PRId64 " %" PRId64 " %u %u\n", g, s.v, s.a, s.ref, s.z);
    }
    for (int c = 0; c < en->ncores; c++) {
        uint64_t *prev = t->prev + (size_t)c * LSNN_REF_NCOUNTERS, now[LSNN_REF_NCOUNTERS];
        en->counters(en->ctx, c, now);
        fprintf(f, "k %u", en->core_id[c]);
        for (int i = 0; i < LSNN_TRACE_COUNTERS; i++)
            fprintf(f, " %" PRIu64, now[i] - prev[i]);
        fputc('\n', f);
        memcpy(prev, now, LSNN_REF_NCOUNTERS * sizeof *prev);
    }
}

int lsnn_trace_close(lsnn_trace *t, lsnn_error *e)
{
    fprintf(t->out.f, "end\n");
    int rc = lsnn_atomic_commit(&t->out, e);
    free(t->prev);
    t->prev = NULL;
    return rc;
}

void lsnn_trace_abort(lsnn_trace *t)
{
    lsnn_atomic_abort(&t->out);
    free(t->prev);
    t->prev = NULL;
}
