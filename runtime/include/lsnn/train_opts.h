/* train_opts.h - the options of a training run (lsnn_train, lsnn_lstm_train) and their
 * return codes; train.h declares the trainers. */
#ifndef LSNN_TRAIN_OPTS_H
#define LSNN_TRAIN_OPTS_H

#include <signal.h>
#include <stdint.h>

#include "comm.h"
#include "hwconfig.h"

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
    /* 1: at each validation that beats every earlier one, write run_dir/best/ (run_best.h):
     * the weights of the lowest validation error so far, for early stopping */
    int keep_best;
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

/* lsnn_train's return value when *o->stop ended the run (after the checkpoint). */
#define LSNN_TRAIN_STOPPED 2
/* With several ranks: the run did not start, and every rank knows it (every rank returns
 * this; e holds this rank's own error, or is empty where another rank's explains it). Other
 * failures of a run with several ranks (-1) are this rank's alone: the others may be waiting
 * for it, and the program should abort them all. */
#define LSNN_TRAIN_FAILED_TOGETHER 3

#endif
