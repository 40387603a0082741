/* train.h - the training loop behind `lsnn train`: BPTT + Adam, checkpoints, resume. */
#ifndef LSNN_TRAIN_H
#define LSNN_TRAIN_H

#include <stdint.h>

#include "error.h"
#include "spec.h"

/* lsnn_train_opts, LSNN_TRAIN_STOPPED, LSNN_TRAIN_FAILED_TOGETHER */
#include "train_opts.h"

/* What training will allocate, in bytes (memory_estimate.c says how it was measured). */
typedef struct {
    uint64_t history;  /* the BPTT histories of one batch */
    uint64_t synapses; /* weights, gradients, Adam moments, sparse copies */
    uint64_t total;    /* both and the program */
} lsnn_train_memory;

void lsnn_train_memory_estimate(const lsnn_spec *s, int n_steps, lsnn_train_memory *m);

/* LSNN_CURVE_COLS, LSNN_CURVE_HEADER: the training curve's columns */
#include "curve.h"

/* Trains; writes run_dir/{model.yaml, weights.safetensors, checkpoint.safetensors,
 * curve.csv}, all atomically, holding the folder's lock (folder.h) throughout. A fresh run
 * refuses a folder with a trained model unless o->force; a resumed one refuses a spec or seed
 * that differs from the run's (naming the difference) and an --iters below the checkpoint's.
 * Returns 0, LSNN_TRAIN_STOPPED (e holds where it stopped), or -1 with a message in e. */
int lsnn_train(const lsnn_train_opts *o, lsnn_error *e);

#endif
