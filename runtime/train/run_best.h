/* run_best.h - `lsnn train --keep-best`: RUN/best/, a run folder (model.yaml, weights.safetensors,
 * its marker) holding the weights of the lowest validation error the run has seen, and
 * validation.txt saying at which iteration and how low (docs/training.md, "Keeping the best
 * weights"). lsnn eval, compile and the rest take RUN/best like any run folder. */
#ifndef LSNN_RUN_BEST_H
#define LSNN_RUN_BEST_H

#include "error.h"

/* The validation error RUN/best/validation.txt records; INFINITY where there is none (no best
 * yet, or a file that does not read as one: the next validation then replaces it). */
double lsnn_run_best_error(const char *run_dir);

/* Writes RUN/best/: the marker and a copy of RUN/model.yaml, removes the earlier best's
 * eval.json (lsnn eval --json output kept there would describe other weights), then the
 * weights (write_weights writes them to the path it is given, atomically), then
 * validation.txt. Each file is replaced atomically and validation.txt last, so a run killed
 * in between leaves weights at least as good as validation.txt says. Returns 0, or -1 with e. */
int lsnn_run_write_best(const char *run_dir, long iteration, double error,
                        int (*write_weights)(void *ctx, const char *path, lsnn_error *e), void *ctx,
                        lsnn_error *e);

/* A fresh run: removes an earlier run's RUN/best/ files. Returns 0, or -1 with e. */
int lsnn_run_remove_best(const char *run_dir, lsnn_error *e);

#endif
