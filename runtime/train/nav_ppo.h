/* nav_ppo.h - PPO's objective (Schulman et al. 2017) over a batch of recorded rollouts, as a
 * custom loss of the float engine (engine.h, lsnn_engine_set_loss), and GAE.
 *
 * Window w of the batch is action w of the rollouts (episode after episode). Its logits are
 * the policy's mean (readouts 0, 1) and the value (readout 2). With the Gaussian policy of
 * fixed sigma, log pi(a|mu) = -|a - mu|^2 / (2 sigma^2) + const, the ratio
 * r = pi_new(a) / pi_old(a), and the loss is the mean over windows of
 *     -min(r A, clip(r, 1 - eps, 1 + eps) A) + value_coef (V - R)^2
 * with A the (normalised) GAE advantage and R the return target. */
#ifndef LSNN_NAV_PPO_H
#define LSNN_NAV_PPO_H

#include "batch.h"
#include "spec.h"

typedef struct {
    const lsnn_ppo_spec *ppo;
    int n_win;
    const double *a;      /* [n_win][2] actions taken */
    const double *mu_old; /* [n_win][2] the rollout policy's means */
    const double *adv;    /* [n_win] advantages */
    const double *ret;    /* [n_win] value targets */
    /* written by each call: the parts of the last loss, and the fraction of clipped ratios */
    double loss_pi, loss_v, clip_frac;
} lsnn_ppo_ctx;

/* lsnn_loss_fn: ctx is an lsnn_ppo_ctx; the batch must have ctx->n_win windows and n_out 3. */
double lsnn_ppo_loss(void *ctx, const lsnn_batch *batch, int n_out, const double *logits,
                     double *glogit, int *n_correct);

/* GAE over the episodes of a batch (n_ep episodes of n_act actions, episode after episode):
 * from rewards and values, advantages adv and return targets ret = adv + value (the
 * episode's end bootstraps 0); then adv normalised to mean 0, standard deviation 1. */
void lsnn_ppo_gae(const lsnn_ppo_spec *ppo, int n_ep, int n_act, const double *reward,
                  const double *value, double *adv, double *ret);

#endif
