/* lstm_eval.h - scoring a float LSTM on a split of its task (lsnn eval, validation). */
#ifndef LSNN_LSTM_EVAL_H
#define LSNN_LSTM_EVAL_H

#include "error.h"
#include "lstm.h"
#include "progress.h"
#include "task.h"

typedef struct {
    int n_seq, n_win, n_correct;
    double error; /* 1 - n_correct / n_win */
    double loss;  /* mean cross-entropy, averaged over batches */
} lsnn_lstm_eval_result;

/* Runs the first max_seq sequences of the split (all if max_seq <= 0) in batches of `batch`,
 * stepping p (begun by the caller, sequences as units; may be NULL) after every batch. */
int lsnn_lstm_evaluate(lsnn_lstm_engine *en, const lsnn_lstm *net, lsnn_task *task,
                       lsnn_split split, int max_seq, int batch, lsnn_progress *p,
                       lsnn_lstm_eval_result *out, lsnn_error *e);

#endif
