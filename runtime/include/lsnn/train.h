/* train.h - the training loop behind `lsnn train`: BPTT + Adam, checkpoints, resume. */
#ifndef LSNN_TRAIN_H
#define LSNN_TRAIN_H

#include <signal.h>
#include <stdint.h>

#include "comm.h"
#include "error.h"
#include "hwconfig.h"
#include "spec.h"

typedef struct {
    const char *spec_path; /* model spec (ignored on resume: the run's model.yaml is used) */
    const char *run_dir;
    long iters;   /* > 0 overrides training.iterations */
    int resume;   /* continue from run_dir/checkpoint.safetensors */
    int threads;  /* >= 1 */
    int has_seed; /* override the spec's seed */
    uint64_t seed;
    int force;           /* a fresh run may replace a trained one in run_dir */
    int progress;        /* LSNN_PROGRESS_TTY, _LOG or _QUIET (progress.h; QUIET: errors only) */
    int log_every;       /* print a plain log line every N iterations (0 = never) */
    uint64_t max_memory; /* refuse a run whose estimate exceeds this; 0: lsnn_memory_available */
    double max_seconds;  /* > 0: a time budget: stop at the first iteration at which the run's
                            elapsed wall time (all sessions together, curve.csv's elapsed_s)
                            reaches it, with a checkpoint; lsnn_train returns 0 */
    /* data-parallel training (comm.h): every rank calls lsnn_train with the same options and
     * runs its share of each batch; the result is one process's, bit for bit, whatever the
     * number of ranks. Rank 0 writes the run folder and prints; the others only read (the
     * spec, a checkpoint to resume: the folder must be visible to them at the same path) and
     * print nothing. A stop request on any rank stops all after the same iteration. NULL:
     * this process alone. */
    const lsnn_comm *comm;
    /* set (by a signal handler) to stop after the current iteration: a checkpoint is written
     * and lsnn_train returns LSNN_TRAIN_STOPPED; NULL: never */
    volatile sig_atomic_t *stop;
    /* Fine-tuning and quantisation-aware training (docs/training.md, finetune.c, qat.h) */
    const char *resume_from;  /* a fresh run starting from this run folder's trained model (its
                                 model.yaml, unless spec_path gives training settings for the
                                 same network, and its weights with their DEEP R state) */
    int qat_bits;             /* > 0: sets training.qat.weight_bits (fresh runs; on --resume it
                                 must agree with the run's) */
    int qat_rule;             /* with qat_bits: LSNN_WEXP_MAX or _MSE (quant.h); 0: default */
    double lr;                /* > 0: overrides training.optimizer.lr (fresh runs) */
    const lsnn_hw_config *hw; /* the core QAT quantises for (weight_bits from the spec); NULL:
                                 lsnn_hw_defaults */
} lsnn_train_opts;

/* What training will allocate, in bytes (memory_estimate.c says how it was measured). */
typedef struct {
    uint64_t history;  /* the BPTT histories of one batch */
    uint64_t synapses; /* weights, gradients, Adam moments, sparse copies */
    uint64_t total;    /* both and the program */
} lsnn_train_memory;

void lsnn_train_memory_estimate(const lsnn_spec *s, int n_steps, lsnn_train_memory *m);

/* Whether the time budget o->max_seconds is spent at a run's elapsed training time (at the
 * start of a session, or after iteration `done`, where the caller then writes a checkpoint
 * and returns 0); says so on stderr unless quiet. 0 without a budget. */
int lsnn_train_over_budget(const lsnn_train_opts *o, double elapsed_s, long done, long iterations,
                           int at_start);

/* lsnn_train's return value when *o->stop ended the run (after the checkpoint). */
#define LSNN_TRAIN_STOPPED 2
/* With several ranks: the run did not start, and every rank knows it (every rank returns
 * this; e holds this rank's own error, or is empty where another rank's explains it). Other
 * failures of a run with several ranks (-1) are this rank's alone: the others may be waiting
 * for it, and the program should abort them all. */
#define LSNN_TRAIN_FAILED_TOGETHER 3

/* LSNN_CURVE_COLS, LSNN_CURVE_HEADER: the training curve's columns */
#include "curve.h"

/* Trains; writes run_dir/{model.yaml, weights.safetensors, checkpoint.safetensors,
 * curve.csv}, all atomically, holding the folder's lock (folder.h) throughout. A fresh run
 * refuses a folder with a trained model unless o->force; a resumed one refuses a spec or seed
 * that differs from the run's (naming the difference) and an --iters below the checkpoint's.
 * Returns 0, LSNN_TRAIN_STOPPED (e holds where it stopped), or -1 with a message in e. */
int lsnn_train(const lsnn_train_opts *o, lsnn_error *e);

#endif
