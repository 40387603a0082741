/* task.h - tasks: they turn the model spec's task section into batches.
 *
 * Batches are pure functions of (spec seed, iteration) for training and of the test index
 * for testing, so a resumed run sees exactly the batches an uninterrupted one would. */
#ifndef LSNN_TASK_H
#define LSNN_TASK_H

#include "batch.h"
#include "error.h"
#include "progress.h"
#include "spec.h"

typedef struct lsnn_task lsnn_task;

/* Opens the task of spec (loads the data set for sMNIST). */
int lsnn_task_open(const lsnn_spec *spec, lsnn_task **out, lsnn_error *e);
void lsnn_task_close(lsnn_task *t);

int lsnn_task_n_steps(const lsnn_task *t);
int lsnn_task_n_in(const lsnn_task *t);
int lsnn_task_n_out(const lsnn_task *t);
/* What the error is called in reports: "recall error" or "test error". */
const char *lsnn_task_metric(const lsnn_task *t);
/* 1 for a regression task (l2l: its batches carry targets and are scored by MSE), else 0. */
int lsnn_task_regression(const lsnn_task *t);

/* The training batch of an iteration: n_seq sequences (shuffled epochs for data sets,
 * fresh random sequences for generated tasks). */
int lsnn_task_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out, lsnn_error *e);

/* Number of test sequences (the fixed test split). */
int lsnn_task_test_count(const lsnn_task *t);

/* Test sequences first .. first+n_seq-1 (n_seq may be cut at the end of the test set). */
int lsnn_task_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e);

/* The held-out splits: test, and validation (what training scores itself on). sMNIST with
 * task.validation = N validates on the last N training-file images (never trained on);
 * otherwise the validation split is the test split. */
typedef enum { LSNN_SPLIT_TEST, LSNN_SPLIT_VALIDATION } lsnn_split;

int lsnn_task_split_count(const lsnn_task *t, lsnn_split split);

/* Sequences first .. first+n_seq-1 of a split, cut at its end, as lsnn_task_test_batch. */
int lsnn_task_split_batch(lsnn_task *t, lsnn_split split, int first, int n_seq, lsnn_batch *out,
                          lsnn_error *e);

/* What a model scored on the batches of a split. */
typedef struct {
    int n_seq, n_win, n_correct;
    double loss_sum; /* over batches */
    int n_batches;
} lsnn_split_score;

/* Scores one batch: the windows it scored, those it got right, and its mean loss. */
typedef int (*lsnn_score_batch_fn)(void *ctx, const lsnn_batch *b, int *n_win, int *n_correct,
                                   double *loss, lsnn_error *e);

/* Runs a model over sequences 0 .. max_seq-1 of a split (all if max_seq <= 0) in batches of
 * `batch` (at least 1), summing what run scores into *out, and steps p (begun by the caller
 * with the sequences as units; may be NULL) after each batch with the running error. Returns
 * 0, or -1 with e set by the task or by run. The engines' evaluations share it (eval.c,
 * lstm_eval.c). */
int lsnn_task_score_split(lsnn_task *t, lsnn_split split, int max_seq, int batch, lsnn_progress *p,
                          lsnn_score_batch_fn run, void *ctx, lsnn_split_score *out, lsnn_error *e);

#endif
