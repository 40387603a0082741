/* vcd.c - tick-level value change dump of a reference chip (vcd.h). */
#include "vcd.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Signal numbering: 0 seq, 1 tick, then per core: cycles, then per used neuron v, a, ref, z. */
enum { SIG_SEQ, SIG_TICK, SIG_CHIP };
enum { PER_NEURON = 4 };

/* The VCD identifier of signal i: base-94 over the printable characters '!'..'~'. */
static void ident(int i, char *out)
{
    int n = 0;
    do {
        out[n++] = (char)('!' + i % 94);
        i /= 94;
    } while (i);
    out[n] = 0;
}

static int count_signals(const lsnn_target *en)
{
    int n = SIG_CHIP;
    for (int c = 0; c < en->ncores; c++)
        n += 1 + PER_NEURON * (int)en->nu(en->ctx, c);
    return n;
}

static void declare(lsnn_vcd *v, int i, int width, const char *name)
{
    char id[8];
    ident(i, id);
    v->width[i] = width;
    fprintf(v->out.f, "$var wire %d %s %s $end\n", width, id, name);
}

int lsnn_vcd_open(lsnn_vcd *v, const char *path, const lsnn_target *en,
                  const lsnn_hw_config *g, lsnn_error *e)
{
    memset(v, 0, sizeof *v);
    v->n_sig = count_signals(en);
    v->last = calloc((size_t)v->n_sig, sizeof *v->last);
    v->known = calloc((size_t)v->n_sig, 1);
    v->width = calloc((size_t)v->n_sig, sizeof *v->width);
    if (!v->last || !v->known || !v->width) {
        lsnn_vcd_abort(v);
        return lsnn_fail(e, "%s: out of memory", path);
    }
    if (lsnn_atomic_open(&v->out, path, e)) {
        lsnn_vcd_abort(v);
        return -1;
    }
    FILE *f = v->out.f;
    fprintf(f,
            "$comment lsnn reference runtime, docs/neurocore.md v%d; one time unit = one "
            "tick $end\n$timescale 1 ms $end\n$scope module chip $end\n",
            LSNN_NEUROCORE);
    declare(v, SIG_SEQ, 32, "seq");
    declare(v, SIG_TICK, 32, "tick");
    int s = SIG_CHIP;
    char name[64];
    for (int c = 0; c < en->ncores; c++) {
        fprintf(f, "$scope module core%u $end\n", en->core_id[c]);
        declare(v, s++, 32, "cycles");
        for (uint32_t n = 0; n < en->nu(en->ctx, c); n++) {
            snprintf(name, sizeof name, "n%u", n);
            fprintf(f, "$scope module %s $end\n", name);
            declare(v, s++, g->v_bits, "v");
            declare(v, s++, g->v_bits + g->a_frac_bits, "a");
            declare(v, s++, g->ref_bits, "ref");
            declare(v, s++, 1, "z");
            fprintf(f, "$upscope $end\n");
        }
        fprintf(f, "$upscope $end\n");
    }
    fprintf(f, "$upscope $end\n$enddefinitions $end\n");
    v->ncores = en->ncores;
    uint64_t now[LSNN_REF_NCOUNTERS];
    for (int c = 0; c < en->ncores; c++) {
        en->counters(en->ctx, c, now);
        v->cycles_seen[c] = now[LSNN_REF_CYCLES];
    }
    return 0;
}

/* Writes signal i's value if it changed: "b<bits> <id>" (or "0<id>"/"1<id>" for 1 bit). */
static void put(lsnn_vcd *v, int i, int64_t x)
{
    if (v->known[i] && v->last[i] == x) return;
    v->known[i] = 1;
    v->last[i] = x;
    char id[8], bits[72];
    ident(i, id);
    int w = v->width[i];
    if (w == 1) {
        fprintf(v->out.f, "%c%s\n", (x & 1) ? '1' : '0', id);
        return;
    }
    for (int b = 0; b < w; b++) /* two's complement in w bits */
        bits[b] = (char)('0' + (((uint64_t)x >> (w - 1 - b)) & 1));
    bits[w] = 0;
    fprintf(v->out.f, "b%s %s\n", bits, id);
}

void lsnn_vcd_tick(lsnn_vcd *v, int seq, int t, const lsnn_target *en)
{
    fprintf(v->out.f, "#%" PRIu64 "\n", v->time++);
    put(v, SIG_SEQ, seq);
    put(v, SIG_TICK, t);
    int s = SIG_CHIP;
    uint64_t now[LSNN_REF_NCOUNTERS];
    for (int c = 0; c < en->ncores; c++) {
        en->counters(en->ctx, c, now);
        /* the core's cycles of this tick: the counter's increment since the last dump */
        put(v, s++, (int64_t)(now[LSNN_REF_CYCLES] - v->cycles_seen[c]));
        v->cycles_seen[c] = now[LSNN_REF_CYCLES];
        for (uint32_t n = 0; n < en->nu(en->ctx, c); n++) {
            lsnn_ref_state st;
            en->state(en->ctx, c, n, &st);
            put(v, s++, st.v);
            put(v, s++, st.a);
            put(v, s++, st.ref);
            put(v, s++, st.z);
        }
    }
    v->end = v->time;
}

void lsnn_vcd_skip(lsnn_vcd *v, const lsnn_target *en)
{
    uint64_t now[LSNN_REF_NCOUNTERS];
    v->time++;
    for (int c = 0; c < en->ncores; c++) {
        en->counters(en->ctx, c, now);
        v->cycles_seen[c] = now[LSNN_REF_CYCLES];
    }
}

int lsnn_vcd_close(lsnn_vcd *v, lsnn_error *e)
{
    fprintf(v->out.f, "#%" PRIu64 "\n", v->end);
    int rc = lsnn_atomic_commit(&v->out, e);
    lsnn_vcd_abort(v);
    return rc;
}

void lsnn_vcd_abort(lsnn_vcd *v)
{
    if (v->out.f) lsnn_atomic_abort(&v->out);
    free(v->last);
    free(v->known);
    free(v->width);
    v->last = NULL;
    v->known = NULL;
    v->width = NULL;
}
