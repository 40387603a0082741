/* train_loop.h - the iteration loop both trainers run (train.c: the LSNN; lstm/lstm_train.c:
 * the LSTM). Each gives its model's parts as callbacks; the loop does the rest the same way
 * for both: the learning-rate schedule, the validation every eval_every iterations, the curve
 * row, the progress line and --log-every's lines, checkpoints, the stop error, the time budget
 * and a stop request (agreed on by all ranks of a data-parallel run). */
#ifndef LSNN_TRAIN_LOOP_H
#define LSNN_TRAIN_LOOP_H

#include <stddef.h>

#include "error.h"
#include "run_files.h"
#include "spec.h"
#include "train_opts.h"

/* What one iteration measured on its training batch. */
typedef struct {
    double loss, loss_task, loss_reg, train_error;
    double rate_hz; /* mean firing rate; NAN for a network without spikes (shown as nothing,
                       written to the curve as 0) */
} lsnn_step_result;

typedef struct {
    void *ctx; /* the trainer, passed to every callback */
    const lsnn_spec *spec;
    const lsnn_train_opts *o;
    lsnn_run_files *f; /* the curve the loop appends to; save writes it */
    long start;        /* the iteration this session starts at (the optimiser's step count) */
    /* Iteration it (0-based): its batch, forward, backward and the update at rate lr. */
    int (*step)(void *ctx, long it, double lr, lsnn_step_result *r, lsnn_error *e);
    /* The validation error, NAN on failure (with e set). */
    double (*validate)(void *ctx, lsnn_error *e);
    /* Weights, checkpoint and curve, atomically. */
    int (*save)(void *ctx, lsnn_error *e);
    /* Optional (--keep-best): writes the current weights to path, atomically. */
    int (*save_weights)(void *ctx, const char *path, lsnn_error *e);
    /* Optional: text appended to each --log-every line (e.g. DEEP R's counts). */
    void (*log_extra)(void *ctx, char *buf, size_t size);
    /* 1: a regression task; train_error and the validation error are MSEs, shown as such */
    int regression;
} lsnn_train_loop;

/* Runs iterations L->start .. spec->iterations - 1. Returns 0 (done, stopped by the stop error
 * or the time budget, with a checkpoint), LSNN_TRAIN_STOPPED (a stop request, after its
 * checkpoint; e says where), or -1 with e set. */
int lsnn_train_loop_run(const lsnn_train_loop *L, lsnn_error *e);

/* Whether the time budget o->max_seconds is spent at a run's elapsed training time (at the
 * start of a session, or after iteration `done`, where the caller then writes a checkpoint
 * and returns 0); says so on stderr unless quiet. 0 without a budget. */
int lsnn_train_over_budget(const lsnn_train_opts *o, double elapsed_s, long done, long iterations,
                           int at_start);

#endif
