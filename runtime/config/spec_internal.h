/* spec_internal.h - the navigation task's keys of the model spec (task kind navigation and
 * training.ppo): parsing for spec.c, defaults and the canonical YAML for spec_write.c. */
#ifndef LSNN_SPEC_INTERNAL_H
#define LSNN_SPEC_INTERNAL_H

#include <stddef.h>

#include "spec.h"
#include "yamltree.h"

/* task keys of kind navigation (first "kind", as spec.c's other key lists) */
extern const char *const lsnn_nav_task_keys[];

void lsnn_nav_spec_defaults(lsnn_spec *s);

/* task section of kind navigation; checks episode_steps against action_steps. */
int lsnn_nav_parse_task(const yt_section *s, lsnn_nav_spec *t);

/* training.ppo (optional section; absent: the defaults). */
int lsnn_nav_parse_ppo(const yt_section *s, lsnn_ppo_spec *p);

/* Inputs of a navigation network: 2 * pos_neurons + reward_neurons. */
int lsnn_nav_n_in(const lsnn_nav_spec *t);

/* The canonical YAML of the task section and of training.ppo (malloc'ed, NULL on OOM). */
char *lsnn_nav_task_yaml(const lsnn_nav_spec *t);
char *lsnn_nav_ppo_yaml(const lsnn_ppo_spec *p);

#endif
