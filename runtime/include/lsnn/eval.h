/* eval.h - scoring a float network on the test split of its task. */
#ifndef LSNN_EVAL_H
#define LSNN_EVAL_H

#include "engine.h"
#include "progress.h"
#include "spec.h"
#include "task.h"
#include "window_curve.h"

typedef struct {
    int n_seq, n_win, n_correct;
    double error;        /* 1 - n_correct / n_win; a regression task's: the MSE over windows */
    double loss;         /* mean cross-entropy + regulariser, averaged over batches */
    double mean_rate_hz; /* over all recurrent neurons */
    double pop_rate_hz[LSNN_MAX_POPS];
} lsnn_eval_result;

/* Connections of the three weight matrices (w_in, w_rec, w_out, as in deepr.h). */
typedef struct {
    long active[3], possible[3]; /* per matrix; possible = rows * cols (autapses included) */
    long active_total, possible_total;
    long excitatory; /* active connections with a positive sign */
    long budget;     /* hard DEEP R: the budget K of the spec; -1 for dense and soft-DEEP R */
} lsnn_connectivity;

typedef struct lsnn_deepr lsnn_deepr;

/* The connectivity of a model. With a DEEP R state dr (may be NULL) a connection is active
 * iff theta > 0 and excitatory iff its sign is +1; without, active means a nonzero weight
 * and excitatory a positive one. Cannot fail. */
void lsnn_connectivity_of(const lsnn_spec *spec, const lsnn_net *net, const lsnn_deepr *dr,
                          lsnn_connectivity *c);

/* Runs the first max_seq test sequences (all if max_seq <= 0) in batches of `batch`. */
int lsnn_evaluate(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net, lsnn_task *task,
                  int max_seq, int batch, lsnn_eval_result *out, lsnn_error *e);

/* The same on the validation split (lsnn_task_split_count), as training scores itself. */
int lsnn_evaluate_validation(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net,
                             lsnn_task *task, int max_seq, int batch, lsnn_eval_result *out,
                             lsnn_error *e);

/* The same on the test split, stepping p (begun by the caller, with the sequences as units; may be
 * NULL) after every batch. */
int lsnn_evaluate_progress(lsnn_engine *en, const lsnn_spec *spec, const lsnn_net *net,
                           lsnn_task *task, int max_seq, int batch, lsnn_progress *p,
                           lsnn_eval_result *out, lsnn_error *e);

/* A regression task's first max_seq test sequences (all if max_seq <= 0), in batches of
 * `batch`: each window's squared error added to c at its index in its sequence (for l2l, the
 * trial). c is initialised by the caller. Returns 0, or -1 with e set. */
int lsnn_evaluate_windows(lsnn_engine *en, const lsnn_net *net, lsnn_task *task, int max_seq,
                          int batch, lsnn_window_curve *c, lsnn_error *e);

#endif
