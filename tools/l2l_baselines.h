/* l2l_baselines.h - the learning-to-learn baselines of lsnn-model.md §5.3 (docs/l2l.md), on
 * one episode given as numbers: x (2 per trial: x1, x2), y (one per trial), n trials. Each
 * writes sq[k], the squared error of its prediction of y_k, for k = 0..n-1. */
#ifndef LSNN_L2L_BASELINES_H
#define LSNN_L2L_BASELINES_H

#include <stdint.h>

/* (a) The optimal linear predictor y ~ w1 x1 + w2 x2 + b fitted by least squares on all n
 * trials of the episode (the paper's reference line: it has seen every trial). */
void l2l_linear_all(const double *x, const double *y, int n, double *sq);

/* (b) Online ridge regression: y_k predicted by the linear fit (penalty lambda on w1, w2,
 * not on b) to trials 0..k-1; trial 0 predicts 0, the targets' mean. */
void l2l_ridge_online(const double *x, const double *y, int n, double lambda, double *sq);

/* (c) The target networks' own architecture (2 inputs, `hidden` sigmoid units, 1 output)
 * trained by SGD on the preceding examples: before trial k (k >= 1), `epochs` passes over
 * trials 0..k-1 in order at rate lr with weight decay `decay` (a prior for small weights),
 * continuing from the weights of trial k-1. The first input weights are N(0, init^2) from
 * `seed`, the rest 0 (trial 0 predicts 0, the targets' mean). */
typedef struct {
    int hidden, epochs;
    double lr, decay, init;
    uint64_t seed;
} l2l_ann_opts;

void l2l_ann_online(const double *x, const double *y, int n, const l2l_ann_opts *o, double *sq);

#endif
