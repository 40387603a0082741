/* lstm_eval.c - test and validation accuracy of a float LSTM. */
#include "lstm_eval.h"

#include <string.h>

typedef struct {
    lsnn_lstm_engine *en;
    const lsnn_lstm *net;
} eval_ctx;

static int score_batch(void *ctx, const lsnn_batch *b, int *n_win, int *n_correct, double *loss,
                       lsnn_error *e)
{
    eval_ctx *x = ctx;
    lsnn_lstm_result r;
    if (lsnn_lstm_run(x->en, x->net, b, NULL, &r, NULL)) return lsnn_fail(e, "out of memory");
    *n_win = r.n_win, *n_correct = r.n_correct, *loss = r.loss;
    return 0;
}

int lsnn_lstm_evaluate(lsnn_lstm_engine *en, const lsnn_lstm *net, lsnn_task *task,
                       lsnn_split split, int max_seq, int batch, lsnn_progress *p,
                       lsnn_lstm_eval_result *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    eval_ctx x = {en, net};
    lsnn_split_score sc;
    if (lsnn_task_score_split(task, split, max_seq, batch, p, score_batch, &x, &sc, e)) return -1;
    out->n_seq = sc.n_seq, out->n_win = sc.n_win, out->n_correct = sc.n_correct;
    out->error = out->n_win ? 1.0 - (double)out->n_correct / out->n_win : 0;
    out->loss = sc.n_batches ? sc.loss_sum / sc.n_batches : 0;
    return 0;
}
