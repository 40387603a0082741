/* cli_trial_curve.h - the MSE against the trial index of a regression task (learning-to-learn,
 * docs/l2l.md) on the command line: fed by the host's results (lsnn run, lsnn eval --engine
 * ref) or the float engine, printed as a summary and written by --trial-curve FILE. */
#ifndef LSNN_CLI_TRIAL_CURVE_H
#define LSNN_CLI_TRIAL_CURVE_H

#include <stdio.h>

#include "ref_host.h"
#include "window_curve.h"

/* A seq_done hook (lsnn_fixed.h's cli_run_hooks) that adds a sequence's windows to the
 * lsnn_window_curve ctx. */
void cli_curve_seq_done(void *ctx, int seq, const lsnn_batch *b, int q, const lsnn_host_result *r);

/* "MSE by trial: trial 1 0.98, trials 2-7 0.41, trials 8+ 0.12, all trials 0.17" */
void cli_curve_text(FILE *f, const char *label, const lsnn_window_curve *c);

/* "\"trial_mse\": {\"trial_1\": 0.98, ..., \"all\": 0.17}" (null where nothing was scored) */
void cli_curve_json(FILE *f, const lsnn_window_curve *c);

/* Writes the curve to path (if not NULL), printing "lsnn CMD: ..." on failure. 0 or -1. */
int cli_curve_write(const char *cmd, const lsnn_window_curve *c, const char *path);

#endif
