/* task_score.c - a model run over a split in batches (task.h's lsnn_task_score_split). */
#include <string.h>

#include "task.h"

int lsnn_task_score_split(lsnn_task *t, lsnn_split split, int max_seq, int batch, lsnn_progress *p,
                          lsnn_score_batch_fn run, void *ctx, lsnn_split_score *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    int total = lsnn_task_split_count(t, split), rc = -1;
    if (max_seq > 0 && max_seq < total) total = max_seq;
    if (batch < 1) batch = 1;
    lsnn_batch b = {0};
    for (int first = 0; first < total; first += batch) {
        int n = total - first < batch ? total - first : batch, n_win = 0, n_correct = 0;
        double loss = 0;
        if (lsnn_task_split_batch(t, split, first, n, &b, e)) goto done;
        if (run(ctx, &b, &n_win, &n_correct, &loss, e)) goto done;
        out->n_seq += b.n_seq;
        out->n_win += n_win;
        out->n_correct += n_correct;
        out->loss_sum += loss;
        out->n_batches++;
        if (p && lsnn_task_regression(t)) /* the loss is the MSE (and any regulariser) */
            lsnn_progress_step(p, out->n_seq, "loss %.4f", out->loss_sum / out->n_batches);
        else if (p)
            lsnn_progress_step(p, out->n_seq, "error %.1f %%",
                               100.0 *
                                   (1.0 - (double)out->n_correct / (out->n_win ? out->n_win : 1)));
    }
    rc = 0;
done:
    lsnn_batch_free(&b);
    return rc;
}
