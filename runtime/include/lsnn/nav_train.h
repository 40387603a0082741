/* nav_train.h - PPO training of the meta-RL navigation task (lsnn-model.md §5.4,
 * docs/navigation.md): rollouts of the float network in closed loop, then PPO with BPTT through
 * the LSNN. Closed-loop evaluation is nav_eval.h; the neurocore's closed loop nav_host.h. */
#ifndef LSNN_NAV_TRAIN_H
#define LSNN_NAV_TRAIN_H

#include "error.h"
#include "train_opts.h"

/* nav_curve.csv's columns: per iteration, the training rollouts' goals per episode, mean
 * actions to the first goal and to later goals (NAN: none), the PPO loss and its parts at the
 * rollout policy, the fraction of clipped ratios, the firing rate, and the test episodes'
 * goals per episode where the run validated (training.eval_every; else empty). */
#define LSNN_NAV_CURVE_COLS 10
#define LSNN_NAV_CURVE_HEADER                                                                      \
    "iteration,goals_per_episode,first_goal_actions,later_goal_actions,loss,loss_policy,"          \
    "loss_value,clip_frac,rate_hz,test_goals_per_episode"

/* `lsnn train` of a spec with task kind navigation: rollouts of the float network stepped in
 * closed loop, then training.ppo.epochs Adam steps of PPO on the recorded batch (the engine
 * backpropagates through the LSNN). The run folder is train.h's (model.yaml,
 * weights.safetensors, checkpoint.safetensors, curve.csv) plus nav_curve.csv; resumable bit
 * for bit. One process (no data-parallel ranks). Returns as lsnn_train. */
int lsnn_nav_train(const lsnn_train_opts *o, lsnn_error *e);

/* Whether o trains a navigation spec (the run's own model.yaml on --resume). */
int lsnn_nav_train_wanted(const lsnn_train_opts *o);

#endif
