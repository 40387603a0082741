/* plot_raster.c - lsnn plot raster and compare: one test sequence's spikes, drawn. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "cli_plot.h"
#include "deepr.h"
#include "lsnn_fixed.h"
#include "plot_kinds.h"

/* The spikes of one sequence: (step, neuron) pairs in step order. */
typedef struct {
    int *t, *g;
    long n, cap;
} spike_list;

static int spikes_add(spike_list *s, int t, int g)
{
    if (s->n == s->cap) {
        long cap = s->cap ? 2 * s->cap : 4096;
        int *nt = realloc(s->t, (size_t)cap * sizeof *nt);
        if (!nt) return -1;
        s->t = nt;
        int *ng = realloc(s->g, (size_t)cap * sizeof *ng);
        if (!ng) return -1;
        s->g = ng;
        s->cap = cap;
    }
    s->t[s->n] = t;
    s->g[s->n++] = g;
    return 0;
}

static void spikes_free(spike_list *s)
{
    free(s->t);
    free(s->g);
    memset(s, 0, sizeof *s);
}

/* What the chip's tick hook records: recurrent spikes after each tick t < T (the state of
 * step t, ref_host.h). */
typedef struct {
    const lsnn_hostmap *m;
    int T;
    spike_list sp;
    int oom;
} chip_rec;

static void record_tick(void *ctx, int seq, int t, const lsnn_target *en)
{
    (void)seq;
    chip_rec *r = ctx;
    if (t >= r->T) return;
    lsnn_ref_state st;
    for (int g = 0; g < r->m->n_rec; g++) {
        lsnn_host_state(en, r->m, g, &st);
        if (st.z && spikes_add(&r->sp, t, g)) r->oom = 1;
    }
}

/* Runs sequence 0 of b on fx's engine, recording spikes into *sp and the readout results
 * into *res (allocated here). */
static int run_chip(cli_fixed *fx, const lsnn_batch *b, spike_list *sp, lsnn_host_result *res,
                    lsnn_error *e)
{
    chip_rec rec = {.m = &fx->hm, .T = b->n_steps};
    if (lsnn_host_result_alloc(res, b->n_steps, fx->hm.n_out, b->n_win > 0 ? b->n_win : 1))
        return lsnn_fail(e, "out of memory");
    if (lsnn_host_run(&fx->engine, &fx->hm, b, 0, record_tick, &rec, res, e)) {
        spikes_free(&rec.sp);
        return -1;
    }
    if (rec.oom) {
        spikes_free(&rec.sp);
        return lsnn_fail(e, "out of memory");
    }
    *sp = rec.sp;
    return 0;
}

/* The population (index into spec->pops) of recurrent neuron g. */
static int pop_of(const lsnn_spec *spec, int g)
{
    for (int p = 0, first = 0; p < spec->n_pops; first += spec->pops[p++].size)
        if (g < first + spec->pops[p].size) return p;
    return spec->n_pops - 1;
}

/* $name: "t g" of the spikes of populations whose kind is `kind`. */
static void spikes_block(FILE *f, const char *name, const spike_list *sp, const lsnn_spec *spec,
                         lsnn_neuron_kind kind)
{
    fprintf(f, "$%s << EOD\n", name);
    for (long k = 0; k < sp->n; k++)
        if (spec->pops[pop_of(spec, sp->g[k])].kind == kind)
            fprintf(f, "%d %d\n", sp->t[k], sp->g[k]);
    fprintf(f, "EOD\n");
}

/* The input spikes of sequence 0 of b, "t channel". */
static void input_block(FILE *f, const lsnn_batch *b)
{
    fprintf(f, "$in << EOD\n");
    for (int t = 0; t < b->n_steps; t++)
        for (uint32_t k = b->in_ptr[t]; k < b->in_ptr[t + 1]; k++)
            fprintf(f, "%d %d\n", t, b->in_idx[k]);
    fprintf(f, "EOD\n");
}

/* Shades the scored windows of the current panel. */
static void window_objects(FILE *f, const lsnn_batch *b)
{
    for (int w = 0; w < b->n_win && w < 2000; w++)
        fprintf(f,
                "set object %d rect from %d, graph 0 to %d, graph 1 fc rgb '#f0e6c8' "
                "fs solid noborder behind\n",
                w + 1, b->win[w].start, b->win[w].end);
}

static void spike_plot(FILE *f, const char *lif, const char *alif)
{
    fprintf(f,
            "plot %s using 1:2 with points pt 7 ps 0.2 lc rgb '#4477aa' title 'LIF', "
            "%s using 1:2 with points pt 7 ps 0.2 lc rgb '#ee6677' title 'ALIF'\n",
            lif, alif);
}

/* One test sequence of the task as a batch of one. */
static int one_sequence(const lsnn_spec *spec, lsnn_task **task, long seq, lsnn_batch *b,
                        lsnn_error *e)
{
    if (lsnn_task_open(spec, task, e)) return -1;
    int n = lsnn_task_test_count(*task);
    if (seq >= n)
        return lsnn_fail(e, "--seq %ld: the test set has %d sequences (0..%d)", seq, n, n - 1);
    return lsnn_task_test_batch(*task, (int)seq, 1, b, e);
}

/* The title's verdict on the windows: the label and decision of a single window, or how many
 * of them are right (mean squared error for regression). */
static void verdict(char *buf, size_t n, const lsnn_batch *b, const lsnn_host_result *r)
{
    if (b->loss == LSNN_LOSS_MSE) {
        double se = 0;
        for (int w = 0; w < r->n_win; w++) {
            double d = r->logit[(size_t)w * r->n_out + r->label[w]] - r->target[w];
            se += d * d;
        }
        snprintf(buf, n, "MSE %.4g over %d windows", r->n_win ? se / r->n_win : 0, r->n_win);
        return;
    }
    int right = 0;
    for (int w = 0; w < r->n_win; w++)
        right += lsnn_batch_correct(b, r->pred[w], r->label[w]);
    if (r->n_win == 1)
        snprintf(buf, n, "label %d, decision %d (%s)", r->label[0], r->pred[0],
                 right ? "right" : "wrong");
    else
        snprintf(buf, n, "%d of %d windows right", right, r->n_win);
}

int plot_raster(const char *image_dir, const plot_opts *o, lsnn_error *e)
{
    cli_fixed fx = {0};
    lsnn_spec spec;
    lsnn_task *task = NULL;
    lsnn_batch b = {0};
    lsnn_host_result res = {0};
    spike_list sp = {0};
    plot_fig fig = {0};
    int rc = -1;
    if (cli_open_image("plot", image_dir, &fx, &spec)) {
        lsnn_fail(e, "%s: cannot open the image (above)", image_dir);
        goto out;
    }
    cli_find_data(&spec);
    if (one_sequence(&spec, &task, o->seq, &b, e) || run_chip(&fx, &b, &sp, &res, e)) goto out;
    if (plot_begin(&fig, o->out, o->width ? o->width : 1100, o->height ? o->height : 900, e))
        goto out;
    FILE *f = plot_script(&fig);
    int T = b.n_steps, C = fx.hm.n_out;
    input_block(f, &b);
    spikes_block(f, "lif", &sp, &spec, LSNN_NEURON_LIF);
    spikes_block(f, "alif", &sp, &spec, LSNN_NEURON_ALIF);
    fprintf(f, "$ro << EOD\n");
    for (int t = 0; t < T; t++) {
        fprintf(f, "%d", t);
        for (int c = 0; c < C; c++)
            fprintf(f, " %.9g",
                    ldexp((double)(res.r[(size_t)t * C + c] + fx.hm.bias[c]), -fx.hm.e_r));
        fprintf(f, "\n");
    }
    fprintf(f, "EOD\n");
    char what[256], title[512];
    verdict(what, sizeof what, &b, &res);
    snprintf(title, sizeof title, "%s: test sequence %ld on the reference chip, %s", spec.name,
             o->seq, what);
    fprintf(f, "set multiplot layout 3,1 title ");
    plot_string(f, o->title ? o->title : title);
    fprintf(f, "\nset xrange [0:%d]\nset lmargin 12\nset key outside right top\n", T);
    fprintf(f, "set ylabel 'input channel'\nset yrange [-0.5:%d]\n", fx.hm.n_in);
    window_objects(f, &b);
    fprintf(f, "plot $in using 1:2 with points pt 7 ps 0.15 lc rgb 'black' title 'input'\n");
    fprintf(f, "set ylabel 'neuron'\nset yrange [-0.5:%d]\n", fx.hm.n_rec);
    spike_plot(f, "$lif", "$alif");
    fprintf(f, "set ylabel 'readout'\nset xlabel 'step (ms)'\nset autoscale y\nset grid\nplot ");
    for (int c = 0; c < C && c < 64; c++)
        fprintf(f, "%s$ro using 1:%d with lines lw %d title '%d'", c ? ", " : "", c + 2,
                b.n_win == 1 && b.loss != LSNN_LOSS_MSE && c == res.label[0] ? 3 : 1, c);
    fprintf(f, "\nunset multiplot\n");
    rc = plot_end(&fig, o->keep_script, e);
out:
    if (rc && fig.f) plot_abort(&fig);
    spikes_free(&sp);
    lsnn_host_result_free(&res);
    lsnn_batch_free(&b);
    lsnn_task_close(task);
    cli_fixed_free(&fx);
    return rc;
}

/* The float network's spikes of sequence 0 of b. */
static int run_float(const lsnn_net *net, const lsnn_batch *b, spike_list *sp, lsnn_error *e)
{
    lsnn_engine *en = lsnn_engine_new(1);
    lsnn_grads g = {0};
    lsnn_result r;
    int rc = -1;
    /* the engine keeps each step's state only when it runs backward */
    if (!en || lsnn_grads_alloc(&g, net) || lsnn_engine_run(en, net, b, &g, &r, NULL, NULL)) {
        lsnn_fail(e, "out of memory");
        goto out;
    }
    for (int t = 0; t < b->n_steps; t++)
        for (int i = 0; i < net->n_rec; i++) {
            float v, a, z;
            lsnn_engine_state(en, 0, t, i, &v, &a, &z);
            if (z != 0 && spikes_add(sp, t, i)) {
                lsnn_fail(e, "out of memory");
                goto out;
            }
        }
    rc = 0;
out:
    lsnn_grads_free(&g);
    lsnn_engine_free(en);
    return rc;
}

/* Spikes both lists hold (same step, same neuron); both are in step order, neuron order within
 * a step. */
static long shared_spikes(const spike_list *a, const spike_list *b)
{
    long i = 0, j = 0, n = 0;
    while (i < a->n && j < b->n) {
        long ka = (long)a->t[i] * 65536 + a->g[i], kb = (long)b->t[j] * 65536 + b->g[j];
        if (ka == kb)
            n++, i++, j++;
        else if (ka < kb)
            i++;
        else
            j++;
    }
    return n;
}

int plot_compare(const char *run_dir, const plot_opts *o, lsnn_error *e)
{
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_hw_config cfg;
    lsnn_cc_options copt;
    lsnn_compiled cc = {0};
    cli_fixed fx = {0};
    lsnn_task *task = NULL;
    lsnn_batch b = {0};
    lsnn_host_result res = {0};
    spike_list fl = {0}, ch = {0};
    plot_fig fig = {0};
    int rc = -1;
    if (cli_load_model("plot", run_dir, &spec, &net, &dr))
        return lsnn_fail(e, "%s: cannot load the model (above)", run_dir);
    lsnn_cc_default_options(&copt);
    if (cli_load_hw("plot", NULL, 0, &cfg) ||
        cli_compile("plot", &spec, &net, &cfg, &copt, &cc, &fx)) {
        lsnn_fail(e, "%s: cannot compile the model (above)", run_dir);
        goto out;
    }
    if (one_sequence(&spec, &task, o->seq, &b, e) || run_float(&net, &b, &fl, e) ||
        run_chip(&fx, &b, &ch, &res, e))
        goto out;
    long both = shared_spikes(&fl, &ch);
    if (plot_begin(&fig, o->out, o->width ? o->width : 1400, o->height ? o->height : 800, e))
        goto out;
    FILE *f = plot_script(&fig);
    int T = b.n_steps;
    spikes_block(f, "flif", &fl, &spec, LSNN_NEURON_LIF);
    spikes_block(f, "falif", &fl, &spec, LSNN_NEURON_ALIF);
    spikes_block(f, "clif", &ch, &spec, LSNN_NEURON_LIF);
    spikes_block(f, "calif", &ch, &spec, LSNN_NEURON_ALIF);
    /* spikes per bin of steps of both, for the panel below (per step is too noisy to read) */
    int bin = T / 200 > 1 ? T / 200 : 1;
    fprintf(f, "$count << EOD\n");
    for (int t0 = 0, i = 0, j = 0; t0 < T; t0 += bin) {
        int nf = 0, nc = 0;
        for (; i < fl.n && fl.t[i] < t0 + bin; i++)
            nf++;
        for (; j < ch.n && ch.t[j] < t0 + bin; j++)
            nc++;
        fprintf(f, "%d %d %d\n", t0, nf, nc);
    }
    fprintf(f, "EOD\n");
    char title[512];
    snprintf(title, sizeof title,
             "%s: test sequence %ld, float vs neurocore (%d-bit weights): %ld and %ld spikes, "
             "%ld shared (same neuron, same step)",
             spec.name, o->seq, cfg.weight_bits, fl.n, ch.n, both);
    fprintf(f, "set multiplot title ");
    plot_string(f, o->title ? o->title : title);
    fprintf(f, "\nset xrange [0:%d]\nset yrange [-0.5:%d]\nset key top right\n", T, net.n_rec);
    fprintf(f, "set size 0.5,0.62\nset origin 0,0.33\nset ylabel 'neuron'\nset title 'float'\n");
    spike_plot(f, "$flif", "$falif");
    fprintf(
        f,
        "set origin 0.5,0.33\nset ylabel ''\nset title 'neurocore (bit-exact reference chip)'\n");
    spike_plot(f, "$clif", "$calif");
    fprintf(f,
            "set size 1,0.33\nset origin 0,0\nset title ''\nset autoscale y\n"
            "set ylabel 'spikes per %d steps'\nset xlabel 'step (ms)'\nset grid\nset key top left\n"
            "plot $count using 1:2 with steps lc rgb '#4477aa' lw 2 title 'float', "
            "$count using 1:3 with steps lc rgb '#ee6677' lw 2 title 'neurocore'\n"
            "unset multiplot\n",
            bin);
    rc = plot_end(&fig, o->keep_script, e);
out:
    if (rc && fig.f) plot_abort(&fig);
    spikes_free(&fl);
    spikes_free(&ch);
    lsnn_host_result_free(&res);
    lsnn_batch_free(&b);
    lsnn_task_close(task);
    cli_fixed_free(&fx);
    lsnn_cc_free(&cc);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return rc;
}
