/* lstm_eval.c - test and validation accuracy of a float LSTM. */
#include "lstm_eval.h"

#include <string.h>

int lsnn_lstm_evaluate(lsnn_lstm_engine *en, const lsnn_lstm *net, lsnn_task *task,
                       lsnn_split split, int max_seq, int batch, lsnn_progress *p,
                       lsnn_lstm_eval_result *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    int total = lsnn_task_split_count(task, split), n_batches = 0, rc = -1;
    if (max_seq > 0 && max_seq < total) total = max_seq;
    if (batch < 1) batch = 1;
    lsnn_batch b = {0};
    for (int first = 0; first < total; first += batch) {
        int n = total - first < batch ? total - first : batch;
        if (lsnn_task_split_batch(task, split, first, n, &b, e)) goto done;
        lsnn_lstm_result r;
        if (lsnn_lstm_run(en, net, &b, NULL, &r, NULL)) {
            lsnn_fail(e, "out of memory");
            goto done;
        }
        out->n_seq += b.n_seq;
        out->n_win += r.n_win;
        out->n_correct += r.n_correct;
        out->loss += r.loss;
        n_batches++;
        if (p)
            lsnn_progress_step(p, out->n_seq, "error %.1f %%",
                               100.0 *
                                   (1.0 - (double)out->n_correct / (out->n_win ? out->n_win : 1)));
    }
    out->error = out->n_win ? 1.0 - (double)out->n_correct / out->n_win : 0;
    if (n_batches) out->loss /= n_batches;
    rc = 0;
done:
    lsnn_batch_free(&b);
    return rc;
}
