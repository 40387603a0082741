/* nav_eval.h - the navigation task's test episodes in closed loop with the float network
 * (docs/navigation.md), the trained policy or the random baseline. */
#ifndef LSNN_NAV_EVAL_H
#define LSNN_NAV_EVAL_H

#include "engine.h"
#include "error.h"
#include "nav_env.h"
#include "spec.h"

typedef struct {
    lsnn_nav_totals tot;
    long spikes, steps; /* recurrent spikes; steps x neurons simulated */
} lsnn_nav_eval;

/* Test episodes 0 .. episodes-1 in closed loop with the float network (random 1: the random
 * policy, mean 0, the baseline). Returns 0, or -1 with e (OOM). */
int lsnn_nav_evaluate(const lsnn_spec *spec, const lsnn_net *net, int episodes, int random,
                      lsnn_nav_eval *out, lsnn_error *e);

#endif
