/* nav_rollout.h - closed-loop episodes of the float network (nav_stepper.h) in the navigation
 * environment (nav_env.h), recorded for PPO (nav_train.c) and scored for evaluation. */
#ifndef LSNN_NAV_ROLLOUT_H
#define LSNN_NAV_ROLLOUT_H

#include "batch.h"
#include "nav_env.h"
#include "nav_stepper.h"
#include "spec.h"

/* What one episode did, per action k (arrays of n_act = episode_steps / action_steps; any
 * may be NULL): the policy's mean mu[2k..2k+1], the action a[2k..], the value estimate
 * value[k] and the reward reward[k]. */
typedef struct {
    double *mu, *a, *value, *reward;
} lsnn_nav_trace;

/* Runs episode `episode` of split with the network of st (reset here); random (1) ignores
 * the network's means (the random-policy baseline: mean 0). With rec not NULL the inputs are
 * pushed into it as its next sequence (cells step by step) and one window per action period
 * is added for sequence `seq` (label 0). env receives the final state (goals, path lengths). */
int lsnn_nav_rollout(const lsnn_spec *spec, lsnn_nav_stepper *st, lsnn_nav_split split,
                     uint64_t episode, int random, lsnn_batch *rec, int seq,
                     const lsnn_nav_trace *tr, lsnn_nav_env *env);

#endif
