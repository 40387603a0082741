/* cli_run_outputs.c - the files lsnn run writes while it runs: --out, --trace, --vcd. */
#include "cli_run_outputs.h"

#include "cli_trial_curve.h"

#include <inttypes.h>
#include <stdio.h>

static void on_tick(void *p, int seq, int t, const lsnn_target *en)
{
    cli_run_outputs *o = p;
    if (o->trace) lsnn_trace_tick(o->trace, seq, o->steps, t, en);
    if (o->vcd) {
        long k = o->ticks++;
        if (k >= o->vcd_from && (o->vcd_to <= 0 || k < o->vcd_to))
            lsnn_vcd_tick(o->vcd, seq, t, en);
        else
            lsnn_vcd_skip(o->vcd, en);
    }
}

static void on_seq(void *p, int seq, const lsnn_batch *b, int q, const lsnn_host_result *r)
{
    cli_run_outputs *o = p;
    if (o->curve) cli_curve_seq_done(o->curve, seq, b, q, r);
    if (!o->csv) return;
    int w = 0;
    for (int k = 0; k < b->n_win; k++) {
        if (b->win[k].seq != q) continue;
        fprintf(o->csv, "%d,%d,%d,%d,", seq, b->win[k].start, b->win[k].end,
                o->labelled ? r->label[w] : -1);
        fprintf(o->csv, "%d", r->pred[w]);
        for (int c = 0; c < r->n_out; c++)
            fprintf(o->csv, ",%" PRId64, r->score[(size_t)w * r->n_out + c]);
        for (int c = 0; c < r->n_out; c++)
            fprintf(o->csv, ",%.9g", r->logit[(size_t)w * r->n_out + c]);
        fputc('\n', o->csv);
        w++;
    }
}

int cli_outputs_open(cli_run_outputs *o, const char *csv, const char *trace, const char *vcd,
                     const cli_fixed *fx, lsnn_error *e)
{
    if (csv) {
        if (lsnn_atomic_open(&o->csv_file, csv, e)) return -1;
        o->csv = o->csv_file.f;
        fprintf(o->csv, "sequence,start,end,label,prediction");
        for (int c = 0; c < fx->hm.n_out; c++)
            fprintf(o->csv, ",score_%d", c);
        for (int c = 0; c < fx->hm.n_out; c++)
            fprintf(o->csv, ",logit_%d", c);
        fputc('\n', o->csv);
    }
    if (trace) {
        if (lsnn_trace_open(&o->trace_file, trace, &fx->hm, &fx->engine, e)) return -1;
        o->trace = &o->trace_file;
    }
    if (vcd) {
        if (lsnn_vcd_open(&o->vcd_file, vcd, &fx->engine, &fx->img.cfg, e)) return -1;
        o->vcd = &o->vcd_file;
    }
    return 0;
}

cli_run_hooks cli_outputs_hooks(cli_run_outputs *o, const char *progress)
{
    return (cli_run_hooks){(o->trace || o->vcd) ? on_tick : NULL, o, on_seq, o, progress, 0};
}

int cli_outputs_close(cli_run_outputs *o, lsnn_error *e)
{
    if (o->trace) {
        o->trace = NULL;
        if (lsnn_trace_close(&o->trace_file, e)) return -1;
    }
    if (o->vcd) {
        o->vcd = NULL;
        if (lsnn_vcd_close(&o->vcd_file, e)) return -1;
    }
    if (o->csv) {
        o->csv = NULL;
        if (lsnn_atomic_commit(&o->csv_file, e)) return -1;
    }
    return 0;
}

void cli_outputs_abort(cli_run_outputs *o)
{
    if (o->trace) lsnn_trace_abort(&o->trace_file);
    if (o->vcd) lsnn_vcd_abort(&o->vcd_file);
    if (o->csv) lsnn_atomic_abort(&o->csv_file);
    o->trace = NULL, o->vcd = NULL, o->csv = NULL;
}
