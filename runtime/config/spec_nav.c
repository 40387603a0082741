/* spec_nav.c - the navigation task's spec keys (spec_internal.h, docs/model-spec.md). */
#include "spec_internal.h"

#include <stdio.h>
#include <stdlib.h>

const char *const lsnn_nav_task_keys[] = {
    "kind",        "episode_steps",  "action_steps",   "goal_radius", "step_size", "pos_neurons",
    "pos_rate_hz", "reward_neurons", "reward_rate_hz", "test_size",   NULL};
static const char *const ppo_keys[] = {"sigma",  "gamma",      "lambda", "clip",
                                       "epochs", "value_coef", NULL};

void lsnn_nav_spec_defaults(lsnn_spec *s)
{
    s->nav = (lsnn_nav_spec){.episode_steps = 1000,
                             .action_steps = 10,
                             .goal_radius = 0.1,
                             .step_size = 0.08,
                             .pos_neurons = 8,
                             .pos_rate_hz = 100,
                             .reward_neurons = 4,
                             .reward_rate_hz = 200,
                             .test_size = 64};
    s->ppo = (lsnn_ppo_spec){
        .sigma = 0.5, .gamma = 0.97, .lambda = 0.95, .clip = 0.2, .epochs = 3, .value_coef = 0.5};
}

int lsnn_nav_n_in(const lsnn_nav_spec *t)
{
    return 2 * t->pos_neurons + t->reward_neurons;
}

int lsnn_nav_parse_task(const yt_section *s, lsnn_nav_spec *t)
{
    if (yt_get_int(s, "episode_steps", YT_OPTIONAL, 2, 1000000, &t->episode_steps)) return -1;
    if (yt_get_int(s, "action_steps", YT_OPTIONAL, 2, 1000, &t->action_steps)) return -1;
    if (t->episode_steps % t->action_steps)
        return yt_fail_node(s->r, yt_lookup(s->map, "episode_steps"),
                            "task.episode_steps must be a multiple of task.action_steps = %d "
                            "(whole action periods), got %d",
                            t->action_steps, t->episode_steps);
    if (yt_get_real(s, "goal_radius", YT_OPTIONAL, YT_OPEN_CLOSED(0, 0.5), &t->goal_radius))
        return -1;
    if (yt_get_real(s, "step_size", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1), &t->step_size)) return -1;
    if (yt_get_int(s, "pos_neurons", YT_OPTIONAL, 2, 256, &t->pos_neurons)) return -1;
    if (yt_get_real(s, "pos_rate_hz", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1000), &t->pos_rate_hz))
        return -1;
    if (yt_get_int(s, "reward_neurons", YT_OPTIONAL, 1, 256, &t->reward_neurons)) return -1;
    if (yt_get_real(s, "reward_rate_hz", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1000), &t->reward_rate_hz))
        return -1;
    return yt_get_int(s, "test_size", YT_OPTIONAL, 1, 1000000, &t->test_size);
}

int lsnn_nav_parse_ppo(const yt_section *s, lsnn_ppo_spec *p)
{
    if (!s->map) return 0;
    if (yt_check_keys(s, ppo_keys)) return -1;
    if (yt_get_real(s, "sigma", YT_OPTIONAL, YT_OPEN_CLOSED(0, 10), &p->sigma)) return -1;
    if (yt_get_real(s, "gamma", YT_OPTIONAL, YT_CLOSED(0, 1), &p->gamma)) return -1;
    if (yt_get_real(s, "lambda", YT_OPTIONAL, YT_CLOSED(0, 1), &p->lambda)) return -1;
    if (yt_get_real(s, "clip", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1), &p->clip)) return -1;
    if (yt_get_int(s, "epochs", YT_OPTIONAL, 1, 100, &p->epochs)) return -1;
    return yt_get_real(s, "value_coef", YT_OPTIONAL, YT_CLOSED(0, 1e3), &p->value_coef);
}

#define G "%.17g"

char *lsnn_nav_task_yaml(const lsnn_nav_spec *t)
{
    const char *fmt = "task:\n  kind: navigation\n  episode_steps: %d\n  action_steps: %d\n"
                      "  goal_radius: " G "\n  step_size: " G "\n  pos_neurons: %d\n"
                      "  pos_rate_hz: " G "\n  reward_neurons: %d\n  reward_rate_hz: " G "\n"
                      "  test_size: %d\n";
    int n = snprintf(NULL, 0, fmt, t->episode_steps, t->action_steps, t->goal_radius, t->step_size,
                     t->pos_neurons, t->pos_rate_hz, t->reward_neurons, t->reward_rate_hz,
                     t->test_size);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        snprintf(s, (size_t)n + 1, fmt, t->episode_steps, t->action_steps, t->goal_radius,
                 t->step_size, t->pos_neurons, t->pos_rate_hz, t->reward_neurons, t->reward_rate_hz,
                 t->test_size);
    return s;
}

char *lsnn_nav_ppo_yaml(const lsnn_ppo_spec *p)
{
    const char *fmt = "  ppo:\n    sigma: " G "\n    gamma: " G "\n    lambda: " G "\n    clip: " G
                      "\n    epochs: %d\n    value_coef: " G "\n";
    int n =
        snprintf(NULL, 0, fmt, p->sigma, p->gamma, p->lambda, p->clip, p->epochs, p->value_coef);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        snprintf(s, (size_t)n + 1, fmt, p->sigma, p->gamma, p->lambda, p->clip, p->epochs,
                 p->value_coef);
    return s;
}
