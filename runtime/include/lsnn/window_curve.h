/* window_curve.h - a regression task's squared error against the window's index in its
 * sequence: for learning-to-learn, the MSE against the trial index (docs/l2l.md). The float
 * engine (eval.h), the reference chip and the RTL (the host's results) all feed one. */
#ifndef LSNN_WINDOW_CURVE_H
#define LSNN_WINDOW_CURVE_H

#include "batch.h"
#include "error.h"

typedef struct {
    int n;         /* windows per sequence (indices 0..n-1) */
    double *sum;   /* [n]: squared errors summed over sequences */
    long *count;   /* [n]: windows added at each index */
    int *next_idx; /* scratch: lsnn_window_curve_add_batch's per-sequence counters */
    int cap_seq;
} lsnn_window_curve;

/* Room for n >= 1 indices. 0, or -1 on OOM. */
int lsnn_window_curve_init(lsnn_window_curve *c, int n);
void lsnn_window_curve_free(lsnn_window_curve *c);

/* Adds the squared error err^2 of window k (0-based) of a sequence; k >= n is ignored. */
void lsnn_window_curve_add(lsnn_window_curve *c, int k, double err);

/* Adds every window of a regression batch: pred[w] is window w's prediction (its readout
 * label's mean). A window's index is its rank among its sequence's windows in batch order.
 * 0, or -1 on OOM. */
int lsnn_window_curve_add_batch(lsnn_window_curve *c, const lsnn_batch *b, const double *pred);

/* The MSE over indices a .. b-1 (clipped to 0..n-1); NAN where nothing was added. */
double lsnn_window_curve_mse(const lsnn_window_curve *c, int a, int b);

/* Writes "trial,mse,episodes" (trial counting from 1) atomically to path. 0, or -1 with e. */
int lsnn_window_curve_write(const lsnn_window_curve *c, const char *path, lsnn_error *e);

/* The summary ranges of docs/l2l.md, 0-based [a, b): trial 1, trials 2-7, trials 8 .. n, all. */
#define LSNN_WINDOW_CURVE_RANGES 4
void lsnn_window_curve_ranges(const lsnn_window_curve *c, int a[LSNN_WINDOW_CURVE_RANGES],
                              int b[LSNN_WINDOW_CURVE_RANGES],
                              const char *name[LSNN_WINDOW_CURVE_RANGES]);

#endif
