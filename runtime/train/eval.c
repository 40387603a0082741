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

static int evaluate_split(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net,
                          lsnn_task *task, lsnn_split split, int max_seq, int batch,
                          lsnn_progress *p, lsnn_eval_result *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    int total = lsnn_task_split_count(task, split), N = net->n_rec;
    if (max_seq > 0 && max_seq < total) total = max_seq;
    double *rates = calloc(N, sizeof(double)), *rate_sum = calloc(N, sizeof(double));
    lsnn_batch b = {0};
    int rc = -1, n_batches = 0;
    double steps = 0;
    if (!rates || !rate_sum) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    for (int first = 0; first < total; first += batch) {
        int n = total - first < batch ? total - first : batch;
        if (lsnn_task_split_batch(task, split, first, n, &b, e)) goto done;
        lsnn_result r;
        if (lsnn_engine_run(en, net, &b, NULL, &r, NULL, rates)) {
            lsnn_fail(e, "out of memory");
            goto done;
        }
        out->n_seq += b.n_seq;
        out->n_win += r.n_win;
        out->n_correct += r.n_correct;
        out->loss += r.loss;
        n_batches++;
        for (int i = 0; i < N; i++)
            rate_sum[i] += rates[i] * b.n_seq * b.n_steps;
        steps += (double)b.n_seq * b.n_steps;
        if (p)
            lsnn_progress_step(p, out->n_seq, "error %.1f %%",
                               100.0 *
                                   (1.0 - (double)out->n_correct / (out->n_win ? out->n_win : 1)));
    }
    out->error = out->n_win ? 1.0 - (double)out->n_correct / out->n_win : 0;
    if (n_batches) out->loss /= n_batches;
    double hz = 1000.0 / spec->dt_ms, all = 0;
    for (int p = 0, i = 0; p < spec->n_pops; p++) {
        double s = 0;
        for (int k = 0; k < spec->pops[p].size; k++, i++)
            s += rate_sum[i];
        all += s;
        out->pop_rate_hz[p] = steps ? s / steps / spec->pops[p].size * hz : 0;
    }
    out->mean_rate_hz = steps ? all / steps / N * hz : 0;
    rc = 0;
done:
    free(rates);
    free(rate_sum);
    lsnn_batch_free(&b);
    return rc;
}
