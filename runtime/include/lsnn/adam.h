/* adam.h - the Adam optimiser (TF1 form) and the learning-rate schedule of the model spec.
 * Dense models step with lsnn_adam_step; DEEP R models keep the moments of theta here and
 * step with lsnn_deepr_step (deepr.h). */
#ifndef LSNN_ADAM_H
#define LSNN_ADAM_H

#include <stddef.h>

#include "engine.h"
#include "spec.h"

typedef struct {
    lsnn_grads m, v; /* Adam moments, same shapes as the parameters */
    long step;       /* Adam steps taken = iterations done */
} lsnn_adam;

int lsnn_adam_alloc(lsnn_adam *a, const lsnn_net *net);
void lsnn_adam_free(lsnn_adam *a);

/* One Adam step (TF1 form: lr_t = lr sqrt(1-b2^t)/(1-b1^t), p -= lr_t m/(sqrt(v)+eps)).
 * Dense models only; DEEP R models step with lsnn_deepr_step. */
void lsnn_adam_step(lsnn_adam *a, const lsnn_spec *spec, lsnn_net *net, const lsnn_grads *g,
                    double lr);

/* Adam's step size at step t (1, 2, ...) for learning rate lr: lr sqrt(1-b2^t)/(1-b1^t), in
 * double (the TF1 form, above). Every Adam of the project takes it from here. */
double lsnn_adam_rate(const lsnn_spec *spec, double lr, long t);

/* Counts one Adam step in a and returns its step size lr_t (lsnn_adam_rate). */
double lsnn_adam_advance(lsnn_adam *a, const lsnn_spec *spec, double lr);

/* The Adam update of n parameters p with moments m, v and gradient g at step size lr_t,
 * in float (the same arithmetic for every parameter of every model). */
void lsnn_adam_update(float *p, float *m, float *v, const float *g, size_t n, const lsnn_spec *spec,
                      double lr_t);

/* Learning rate of an iteration under the spec's step schedule. */
double lsnn_lr_at(const lsnn_spec *spec, long iteration);

#endif
