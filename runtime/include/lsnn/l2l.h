/* l2l.h - the learning-to-learn task's episodes (lsnn-model.md §5.3, docs/l2l.md).
 *
 * An episode is one target network f: 2 inputs, H sigmoid hidden units, 1 output, every weight
 * and bias uniform in [-1, 1], its output normalised to zero mean and unit variance over a
 * fixed 32 x 32 grid of inputs in [-1, 1]^2. Then, trial by trial, x_t uniform in [-1, 1]^2
 * and the target y_t = f(x_t). The task (task_l2l.c) shows x_t and y_{t-1} as spikes; the
 * baselines (tools/l2l_baselines.c) read the same episodes as numbers. */
#ifndef LSNN_L2L_H
#define LSNN_L2L_H

#include <stdint.h>

#include "error.h"
#include "rng.h"
#include "task.h"

#define LSNN_L2L_MAX_HIDDEN 100
#define LSNN_L2L_GRID       32 /* the normalisation grid: GRID x GRID inputs */

/* The test episodes do not depend on the model's seed, so that every model (LSNN, LIF-only)
 * and every baseline is scored on the same target networks. */
#define LSNN_L2L_TEST_SEED 0x4c324c2d54455354ULL /* "L2L-TEST" */

typedef struct {
    int hidden;
    double w1[LSNN_L2L_MAX_HIDDEN][2], b1[LSNN_L2L_MAX_HIDDEN];
    double w2[LSNN_L2L_MAX_HIDDEN], b2;
    double mean, scale; /* y = (raw - mean) * scale */
} lsnn_l2l_target;

/* Draws a target network with `hidden` units (clamped to 1..LSNN_L2L_MAX_HIDDEN) from r and
 * sets its normalisation. Cannot fail. */
void lsnn_l2l_draw_target(lsnn_rng *r, int hidden, lsnn_l2l_target *f);

/* The target network's normalised output at (x1, x2). */
double lsnn_l2l_eval(const lsnn_l2l_target *f, double x1, double x2);

/* The numbers of one episode of an l2l task: x (2 * trials: x1, x2 of trial 0, then trial
 * 1, ...) and y (trials). Test episodes 0 .. lsnn_task_test_count - 1; with train set, the
 * episode of training sequence `seq` of iteration `index` instead. Returns 0, or -1 with e set
 * (not an l2l task, or an episode out of range). */
int lsnn_l2l_episode(const lsnn_task *t, int train, long index, int seq, double *x, double *y,
                     lsnn_error *e);

/* Trials per episode and scored windows per trial (1) of an l2l task; 0 for other tasks. */
int lsnn_l2l_trials(const lsnn_task *t);

#endif
