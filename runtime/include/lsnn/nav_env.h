/* nav_env.h - the meta-RL navigation environment (lsnn-model.md §5.4, docs/navigation.md).
 *
 * The arena is the unit square. Each episode has an invisible goal, a disc of radius r whose
 * centre is uniform in [r, 1-r]^2, and starts the agent uniformly outside it. Time runs in
 * steps of dt; every action_steps steps (an action period) the agent takes one action a in
 * R^2 and moves by step_size * clip(a, -1, 1) per axis, clipped to the walls. Ending a move
 * inside the goal gives reward 1 and relocates the agent uniformly outside the goal.
 *
 * Inputs, drawn anew every step as independent Bernoulli spikes (p = rate * dt):
 *   channels 0 .. P-1       x position: Gaussian tuning, centres c_i = i/(P-1), width
 *                           1/(P-1), peak pos_rate_hz
 *   channels P .. 2P-1      y position, the same
 *   channels 2P .. 2P+R-1   reward: reward_rate_hz during the action period after a goal
 *
 * The policy is a Gaussian with mean (readout 0, readout 1) and a fixed sigma: the action is
 * mean + sigma * n, n drawn from the episode's noise stream. Every random draw comes from
 * three streams derived from (seed, split, episode): the goal and relocations, the input
 * spikes, the action noise. So an episode is a pure function of its index and of the means
 * the policy gives, on any engine. */
#ifndef LSNN_NAV_ENV_H
#define LSNN_NAV_ENV_H

#include <stdint.h>

#include "rng.h"
#include "spec.h"

/* Which episodes: training rollouts and the fixed test set draw from separate streams. */
typedef enum { LSNN_NAV_TRAIN = 0, LSNN_NAV_TEST = 1 } lsnn_nav_split;

typedef struct {
    lsnn_nav_spec p;
    double dt_s;
    lsnn_rng place, spikes, noise; /* goal and relocations; input spikes; action noise */
    double x, y;                   /* the agent */
    double gx, gy;                 /* the goal's centre */
    int step;                      /* steps done in this episode */
    int action;                    /* actions done */
    int reward_left;               /* steps the reward population still fires */
    int goals;                     /* goals reached */
    int since;                     /* actions since the start or the last relocation */
    int first_goal;                /* actions to the first goal; -1 before it */
    long later_sum;                /* actions summed over the later goals */
} lsnn_nav_env;

/* Starts episode `episode` of split (goal and agent placed). */
void lsnn_nav_env_start(lsnn_nav_env *env, const lsnn_nav_spec *p, double dt_ms, uint64_t seed,
                        lsnn_nav_split split, uint64_t episode);

/* The spikes of the current step into ch (ascending channels; room for 2P+R), and the
 * step is counted. Returns how many. */
int lsnn_nav_env_inputs(lsnn_nav_env *env, uint16_t *ch);

/* The Gaussian policy's sample: a = mean + sigma * n per axis from the noise stream. */
void lsnn_nav_env_sample(lsnn_nav_env *env, const double mean[2], double sigma, double a[2]);

/* Moves the agent by action a; returns the reward (1: the goal was reached, and the agent
 * relocated; else 0). */
int lsnn_nav_env_move(lsnn_nav_env *env, const double a[2]);

/* Whether the step just counted ends an action period (time to act). */
int lsnn_nav_env_period_done(const lsnn_nav_env *env);

/* The firing rate (Hz) of input channel ch in the present state (tests; docs). */
double lsnn_nav_env_rate(const lsnn_nav_env *env, int ch);

/* What episodes add up to: goals, and path lengths in actions to the first goal of an episode
 * and from a relocation to the next goal. */
typedef struct {
    long episodes, goals;
    long first_n, first_sum; /* episodes with a first goal; actions to it */
    long later_n, later_sum; /* later goals; actions to them */
} lsnn_nav_totals;

void lsnn_nav_totals_add(lsnn_nav_totals *t, const lsnn_nav_env *env);

/* The readout window of action period k: its first `action_steps - 1` steps. The last step's
 * readout is read by the neurocore's host only after the tick that takes the next step's
 * inputs (neurocore.md §6), so the float policy leaves it out too. */
static inline void lsnn_nav_window(const lsnn_nav_spec *p, int k, int *start, int *end)
{
    *start = k * p->action_steps;
    *end = *start + p->action_steps - 1;
}

#endif
