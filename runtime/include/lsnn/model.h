/* model.h - a model = its spec + the float network; trained-model and checkpoint files.
 *
 * A trained model directory holds model.yaml (the effective spec, canonical form) and
 * weights.safetensors with tensors w_in [n_in, N], w_rec [N, N], w_out [N, n_out],
 * b_out [n_out] (F32) and delay_in [n_in, N], delay_rec [N, N] (U8, delay slots).
 * With DEEP R (connectivity deep_r) w_* are the effective weights (0 where dormant) and
 * theta.w_* (F32) and sign.w_* (I8) hold the rewiring state (deepr.h).
 * checkpoint.safetensors adds the Adam moments (adam_m.*, adam_v.*; with DEEP R those of
 * theta), the iteration, the DEEP R counters and the training curve, so that
 * `lsnn train --resume` continues bit for bit. docs/model-files.md has the details. */
#ifndef LSNN_MODEL_H
#define LSNN_MODEL_H

#include "adam.h"
#include "engine.h"
#include "error.h"
#include "spec.h"

typedef struct lsnn_deepr lsnn_deepr; /* DEEP R state, deepr.h */

/* Fills the per-neuron constants of net from the spec (the net must be allocated with the
 * spec's sizes). */
void lsnn_model_constants(const lsnn_spec *spec, lsnn_net *net);

/* Allocates net for spec and draws the initial weights and delays from spec->seed (spec
 * §2.2): dense: W_in ~ N(0,1)/sqrt(n_in), W_rec ~ N(0,1)/sqrt(N) with zero diagonal, W_out
 * Glorot-uniform; deep_r: lsnn_deepr_init and its effective weights. b_out = 0, delays
 * uniform in 0..n_delay-1. With deep_r, dr (if not NULL) receives the DEEP R state
 * (allocated here; NULL: the state is dropped, only the weights are kept); with dense, dr
 * (if not NULL) is zeroed. Returns 0, or -1 with e (net and dr left freeable). */
int lsnn_model_init(const lsnn_spec *spec, lsnn_net *net, lsnn_deepr *dr, lsnn_error *e);

/* Number of trainable parameters (b_out counts only with readout bias). */
long lsnn_model_n_params(const lsnn_spec *spec);

/* Writes weights (and, if adam is not NULL, a checkpoint) atomically. With a deep_r spec and dr not NULL, the theta.* and sign.* tensors are written too (and
 * the counters, in a checkpoint). */
int lsnn_model_save(const char *path, const lsnn_spec *spec, const lsnn_net *net,
                    const lsnn_deepr *dr, const lsnn_adam *adam, const double *curve,
                    int curve_rows, int curve_cols, lsnn_error *e);

/* Loads weights into an allocated-by-this-call net (constants from spec). If adam is not
 * NULL the file must be a checkpoint; curve (malloc'ed) and its rows are returned when
 * curve is not NULL. Every tensor is checked against the spec's shapes, delays against
 * n_delay, weights for finiteness, w_rec's diagonal for zero. With a deep_r spec and dr
 * not NULL, the DEEP R state is loaded into dr (allocated here) and checked against the
 * weights (lsnn_deepr_check); dr NULL loads the effective weights only. With a dense spec
 * dr (if not NULL) is zeroed. On failure everything allocated here is freed. */
int lsnn_model_load(const char *path, const lsnn_spec *spec, lsnn_net *net, lsnn_deepr *dr,
                    lsnn_adam *adam, double **curve, int *curve_rows, int curve_cols,
                    lsnn_error *e);

#endif
