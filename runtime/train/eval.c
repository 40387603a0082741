/* eval.c - test-split accuracy, firing rates and connectivity of a float network. */
#include "eval.h"

#include <stdlib.h>
#include <string.h>

#include "deepr.h"

void lsnn_connectivity_of(const lsnn_spec *spec, const lsnn_net *net, const lsnn_deepr *dr,
                          lsnn_connectivity *c)
{
    memset(c, 0, sizeof *c);
    c->budget = -1;
    if (dr && dr->m[0].theta) {
        lsnn_deepr_stats st;
        lsnn_deepr_get_stats(dr, &st);
        for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
            c->active[m] = st.active[m];
            c->possible[m] = st.possible[m];
        }
        c->excitatory = st.active_excitatory;
        if (!spec->deepr.soft) c->budget = lsnn_deepr_budget(dr, &spec->deepr, -1);
    } else {
        const float *w[3] = {net->w_in, net->w_rec, net->w_out};
        long size[3] = {(long)net->n_in * net->n_rec, (long)net->n_rec * net->n_rec,
                        (long)net->n_rec * net->n_out};
        for (int m = 0; m < 3; m++) {
            c->possible[m] = size[m];
            for (long k = 0; k < size[m]; k++) {
                c->active[m] += w[m][k] != 0;
                c->excitatory += w[m][k] > 0;
            }
        }
    }
    for (int m = 0; m < 3; m++) {
        c->active_total += c->active[m];
        c->possible_total += c->possible[m];
    }
}

static int evaluate_split(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net,
                          lsnn_task *task, lsnn_split split, int max_seq, int batch,
                          lsnn_progress *p, lsnn_eval_result *out, lsnn_error *e);

int lsnn_evaluate(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net, lsnn_task *task,
                  int max_seq, int batch, lsnn_eval_result *out, lsnn_error *e)
{
    return evaluate_split(en, spec, net, task, LSNN_SPLIT_TEST, max_seq, batch, NULL, out, e);
}

int lsnn_evaluate_validation(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net,
                             lsnn_task *task, int max_seq, int batch, lsnn_eval_result *out,
                             lsnn_error *e)
{
    return evaluate_split(en, spec, net, task, LSNN_SPLIT_VALIDATION, max_seq, batch, NULL, out, e);
}

int lsnn_evaluate_progress(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net,
                           lsnn_task *task, int max_seq, int batch, lsnn_progress *p,
                           lsnn_eval_result *out, lsnn_error *e)
{
    return evaluate_split(en, spec, net, task, LSNN_SPLIT_TEST, max_seq, batch, p, out, e);
}

/* One batch through the engine; its per-neuron rates summed (weighted by steps) into rate_sum. */
typedef struct {
    lsnn_engine *en;
    const lsnn_net *net;
    double *rates, *rate_sum, steps;
    double sq_err; /* regression batches: the sum of their windows' squared errors */
} eval_ctx;

static int score_batch(void *ctx, const lsnn_batch *b, int *n_win, int *n_correct, double *loss,
                       lsnn_error *e)
{
    eval_ctx *x = ctx;
    lsnn_result r;
    if (lsnn_engine_run(x->en, x->net, b, NULL, &r, NULL, x->rates))
        return lsnn_fail(e, "out of memory");
    *n_win = r.n_win, *n_correct = r.n_correct, *loss = r.loss;
    if (b->loss == LSNN_LOSS_MSE) x->sq_err += r.loss_task * r.n_win;
    for (int i = 0; i < x->net->n_rec; i++)
        x->rate_sum[i] += x->rates[i] * b->n_seq * b->n_steps;
    x->steps += (double)b->n_seq * b->n_steps;
    return 0;
}

static int evaluate_split(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net,
                          lsnn_task *task, lsnn_split split, int max_seq, int batch,
                          lsnn_progress *p, lsnn_eval_result *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    int N = net->n_rec, rc = -1;
    eval_ctx x = {en, net, calloc(N, sizeof(double)), calloc(N, sizeof(double)), 0, 0};
    lsnn_split_score sc;
    if (!x.rates || !x.rate_sum) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    if (lsnn_task_score_split(task, split, max_seq, batch, p, score_batch, &x, &sc, e)) goto done;
    out->n_seq = sc.n_seq, out->n_win = sc.n_win, out->n_correct = sc.n_correct;
    out->error = !out->n_win                  ? 0
                 : lsnn_task_regression(task) ? x.sq_err / out->n_win
                                              : 1.0 - (double)out->n_correct / out->n_win;
    out->loss = sc.n_batches ? sc.loss_sum / sc.n_batches : 0;
    double hz = 1000.0 / spec->dt_ms, all = 0, steps = x.steps;
    for (int q = 0, i = 0; q < spec->n_pops; q++) {
        double s = 0;
        for (int k = 0; k < spec->pops[q].size; k++, i++)
            s += x.rate_sum[i];
        all += s;
        out->pop_rate_hz[q] = steps ? s / steps / spec->pops[q].size * hz : 0;
    }
    out->mean_rate_hz = steps ? all / steps / N * hz : 0;
    rc = 0;
done:
    free(x.rates);
    free(x.rate_sum);
    return rc;
}
