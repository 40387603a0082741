/* train.h - the training loop behind `lsnn train`: BPTT + Adam, checkpoints, resume. */
#ifndef LSNN_TRAIN_H
#define LSNN_TRAIN_H

#include <stdint.h>

#include "error.h"

typedef struct {
    const char *spec_path; /* model spec (ignored on resume: the run's model.yaml is used) */
    const char *run_dir;
    long iters;   /* > 0 overrides training.iterations */
    int resume;   /* continue from run_dir/checkpoint.safetensors */
    int threads;  /* >= 1 */
    int has_seed; /* override the spec's seed */
    uint64_t seed;
    int progress;  /* 1: progress line on stderr (\r-updated), 0: none */
    int log_every; /* print a plain log line every N iterations (0 = never) */
} lsnn_train_opts;

/* Columns of the training curve (curve.csv and the checkpoint's curve tensor). */
#define LSNN_CURVE_COLS 10
#define LSNN_CURVE_HEADER                                                                          \
    "iteration,loss,loss_ce,loss_reg,train_error,rate_hz,val_error,lr,seq_per_s,elapsed_s"

/* Trains; writes run_dir/{model.yaml, weights.safetensors, checkpoint.safetensors,
 * curve.csv}, all atomically. Returns 0, or -1 with a message in e. */
int lsnn_train(const lsnn_train_opts *o, lsnn_error *e);

#endif
