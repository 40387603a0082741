/* eval_windows.c - a regression task's test error against the window's index in its sequence
 * (eval.h's lsnn_evaluate_windows: the MSE per trial of learning-to-learn). */
#include <stdlib.h>

#include "eval.h"

typedef struct {
    lsnn_engine *en;
    const lsnn_net *net;
    lsnn_window_curve *c;
    float *logits; /* n_win * n_out of the largest batch so far */
    double *pred;  /* n_win */
    int cap;
} windows_ctx;

static int run_batch(void *ctx, const lsnn_batch *b, int *n_win, int *n_correct, double *loss,
                     lsnn_error *e)
{
    windows_ctx *x = ctx;
    int n_out = x->net->n_out;
    if (b->n_win > x->cap) {
        float *lg = realloc(x->logits, sizeof *lg * (size_t)b->n_win * n_out);
        if (lg) x->logits = lg;
        double *p = realloc(x->pred, sizeof *p * (size_t)b->n_win);
        if (p) x->pred = p;
        if (!lg || !p) return lsnn_fail(e, "out of memory");
        x->cap = b->n_win;
    }
    lsnn_result r;
    if (lsnn_engine_run(x->en, x->net, b, NULL, &r, x->logits, NULL))
        return lsnn_fail(e, "out of memory");
    for (int w = 0; w < b->n_win; w++)
        x->pred[w] = x->logits[(size_t)w * n_out + b->win[w].label];
    if (lsnn_window_curve_add_batch(x->c, b, x->pred)) return lsnn_fail(e, "out of memory");
    *n_win = r.n_win, *n_correct = r.n_correct, *loss = r.loss;
    return 0;
}

int lsnn_evaluate_windows(lsnn_engine *en, const lsnn_net *net, lsnn_task *task, int max_seq,
                          int batch, lsnn_window_curve *c, lsnn_error *e)
{
    if (!lsnn_task_regression(task))
        return lsnn_fail(e, "the error per window index needs a regression task (l2l)");
    windows_ctx x = {en, net, c, NULL, NULL, 0};
    lsnn_split_score sc;
    int rc =
        lsnn_task_score_split(task, LSNN_SPLIT_TEST, max_seq, batch, NULL, run_batch, &x, &sc, e);
    free(x.logits);
    free(x.pred);
    return rc;
}
