/* eval.h - scoring a float network on the test split of its task. */
#ifndef LSNN_EVAL_H
#define LSNN_EVAL_H

#include "engine.h"
#include "spec.h"
#include "task.h"

typedef struct {
    int n_seq, n_win, n_correct;
    double error;        /* 1 - n_correct / n_win */
    double loss;         /* mean cross-entropy + regulariser, averaged over batches */
    double mean_rate_hz; /* over all recurrent neurons */
    double pop_rate_hz[LSNN_MAX_POPS];
} lsnn_eval_result;

/* Runs the first max_seq test sequences (all if max_seq <= 0) in batches of `batch`. */
int lsnn_evaluate(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net, lsnn_task *task,
                  int max_seq, int batch, lsnn_eval_result *out, lsnn_error *e);

#endif
