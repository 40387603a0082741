/* model.h - a model = its spec + the float network; trained-model and checkpoint files.
 *
 * A trained model directory holds model.yaml (the effective spec, canonical form) and
 * weights.safetensors with tensors w_in [n_in, N], w_rec [N, N], w_out [N, n_out],
 * b_out [n_out] (F32) and delay_in [n_in, N], delay_rec [N, N] (U8, delay slots).
 * checkpoint.safetensors adds the Adam moments (adam_m.*, adam_v.*), the iteration and
 * the training curve, so that `lsnn train --resume` continues bit for bit. */
#ifndef LSNN_MODEL_H
#define LSNN_MODEL_H

#include "engine.h"
#include "error.h"
#include "spec.h"

/* Fills the per-neuron constants of net from the spec (the net must be allocated with the
 * spec's sizes). */
void lsnn_model_constants(const lsnn_spec *spec, lsnn_net *net);

/* Allocates net for spec and draws the initial weights and delays from spec->seed:
 * W_in ~ N(0,1)/sqrt(n_in), W_rec ~ N(0,1)/sqrt(N) with zero diagonal, W_out
 * Glorot-uniform, b_out = 0, delays uniform in 0..n_delay-1 (spec §2.2). */
int lsnn_model_init(const lsnn_spec *spec, lsnn_net *net, lsnn_error *e);

/* Number of trainable parameters (b_out counts only with readout bias). */
long lsnn_model_n_params(const lsnn_spec *spec);

/* Writes weights (and, if adam is not NULL, a checkpoint) atomically. */
typedef struct {
    lsnn_grads m, v; /* Adam moments, same shapes as the parameters */
    long step;       /* Adam steps taken = iterations done */
} lsnn_adam;

int lsnn_model_save(const char *path, const lsnn_spec *spec, const lsnn_net *net,
                    const lsnn_adam *adam, const double *curve, int curve_rows,
                    int curve_cols, lsnn_error *e);

/* Loads weights into an allocated-by-this-call net (constants from spec). If adam is not
 * NULL the file must be a checkpoint; curve (malloc'ed) and its rows are returned when
 * curve is not NULL. Every tensor is checked against the spec's shapes, delays against
 * n_delay, weights for finiteness, w_rec's diagonal for zero. */
int lsnn_model_load(const char *path, const lsnn_spec *spec, lsnn_net *net, lsnn_adam *adam,
                    double **curve, int *curve_rows, int curve_cols, lsnn_error *e);

int lsnn_adam_alloc(lsnn_adam *a, const lsnn_net *net);
void lsnn_adam_free(lsnn_adam *a);

/* One Adam step (TF1 form: lr_t = lr sqrt(1-b2^t)/(1-b1^t), p -= lr_t m/(sqrt(v)+eps)). */
void lsnn_adam_step(lsnn_adam *a, const lsnn_spec *spec, lsnn_net *net, const lsnn_grads *g,
                    double lr);

/* Learning rate of an iteration under the spec's step schedule. */
double lsnn_lr_at(const lsnn_spec *spec, long iteration);

#endif
