/* nav_host.h - the navigation task in closed loop on the neurocore (docs/navigation.md).
 *
 * The environment (nav_env.h) drives an engine that runs the compiled network (any
 * lsnn_target: the reference chip, the RTL under Verilator, two in lockstep) tick by tick
 * through the host of neurocore.md §5-§6: CLEAR; for t = 0..T the EVENTs of the input spikes
 * of step t (drawn from the present state), TICK, and after tick t the readouts r_{t-1}. The
 * readout window of action period k is its first action_steps - 1 steps (nav_env.h's
 * lsnn_nav_window): their r are all read after tick k*K + K - 1, before step (k+1)*K's inputs,
 * so the action is taken there. Its mean is §6's logit, score_c / (L 2^e_r) with score_c =
 * sum_c + L bias_c, from integers alone; the Gaussian's noise comes from the episode's stream.
 * So every engine that matches the reference bit for bit takes the same actions. */
#ifndef LSNN_NAV_HOST_H
#define LSNN_NAV_HOST_H

#include <stdint.h>

#include "error.h"
#include "hostmap.h"
#include "nav_env.h"
#include "spec.h"
#include "target.h"

/* Runs test episode `episode` on en (map m, spec: the model's). env receives the final state;
 * *spikes the recurrent spikes, *ticks the ticks. Returns 0, or -1 with e (an engine's error,
 * e.g. a lockstep divergence; or a map that does not fit the spec). */
int lsnn_nav_host_episode(const lsnn_target *en, const lsnn_hostmap *m, const lsnn_spec *spec,
                          uint64_t episode, lsnn_nav_env *env, long *spikes, long *ticks,
                          lsnn_error *e);

#endif
