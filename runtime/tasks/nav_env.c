/* nav_env.c - the navigation environment of nav_env.h. */
#include "nav_env.h"

#include <math.h>

#include "pmath.h"

/* rng purposes (rng.h's are 1..6): place, spikes, noise; the test split adds 3 */
enum { PURPOSE_PLACE = 20, PURPOSE_SPIKES = 21, PURPOSE_NOISE = 22 };

static int in_goal(const lsnn_nav_env *env, double x, double y)
{
    double dx = x - env->gx, dy = y - env->gy, r = env->p.goal_radius;
    return dx * dx + dy * dy < r * r;
}

/* Uniform in the arena outside the goal (redrawn while inside: the goal covers at most
 * pi/4 of the arena, so this ends). */
static void place_agent(lsnn_nav_env *env)
{
    do {
        env->x = lsnn_rng_uniform(&env->place);
        env->y = lsnn_rng_uniform(&env->place);
    } while (in_goal(env, env->x, env->y));
}

void lsnn_nav_env_start(lsnn_nav_env *env, const lsnn_nav_spec *p, double dt_ms, uint64_t seed,
                        lsnn_nav_split split, uint64_t episode)
{
    uint64_t off = split == LSNN_NAV_TEST ? 3 : 0;
    *env = (lsnn_nav_env){.p = *p, .dt_s = dt_ms * 1e-3, .first_goal = -1};
    env->place = lsnn_rng_derive(seed, PURPOSE_PLACE + off, episode);
    env->spikes = lsnn_rng_derive(seed, PURPOSE_SPIKES + off, episode);
    env->noise = lsnn_rng_derive(seed, PURPOSE_NOISE + off, episode);
    double r = p->goal_radius;
    env->gx = r + (1 - 2 * r) * lsnn_rng_uniform(&env->place);
    env->gy = r + (1 - 2 * r) * lsnn_rng_uniform(&env->place);
    place_agent(env);
}

double lsnn_nav_env_rate(const lsnn_nav_env *env, int ch)
{
    int P = env->p.pos_neurons;
    if (ch >= 2 * P) return env->reward_left > 0 ? env->p.reward_rate_hz : 0;
    double pos = ch < P ? env->x : env->y, c = (double)(ch % P) / (P - 1), w = 1.0 / (P - 1);
    double d = (pos - c) / w;
    return env->p.pos_rate_hz * lsnn_exp(-0.5 * d * d);
}

int lsnn_nav_env_inputs(lsnn_nav_env *env, uint16_t *ch)
{
    int n = 0, n_in = 2 * env->p.pos_neurons + env->p.reward_neurons;
    for (int c = 0; c < n_in; c++) /* one draw per channel and step, whatever the rate */
        if (lsnn_rng_uniform(&env->spikes) < lsnn_nav_env_rate(env, c) * env->dt_s)
            ch[n++] = (uint16_t)c;
    env->step++;
    if (env->reward_left > 0) env->reward_left--;
    return n;
}

int lsnn_nav_env_period_done(const lsnn_nav_env *env)
{
    return env->step % env->p.action_steps == 0;
}

void lsnn_nav_env_sample(lsnn_nav_env *env, const double mean[2], double sigma, double a[2])
{
    for (int k = 0; k < 2; k++)
        a[k] = mean[k] + sigma * lsnn_rng_normal(&env->noise);
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int lsnn_nav_env_move(lsnn_nav_env *env, const double a[2])
{
    double s = env->p.step_size;
    env->x = clamp(env->x + s * clamp(a[0], -1, 1), 0, 1);
    env->y = clamp(env->y + s * clamp(a[1], -1, 1), 0, 1);
    env->action++;
    env->since++;
    if (!in_goal(env, env->x, env->y)) return 0;
    if (env->goals == 0)
        env->first_goal = env->since;
    else
        env->later_sum += env->since;
    env->goals++;
    env->since = 0;
    env->reward_left = env->p.action_steps; /* the next action period */
    place_agent(env);
    return 1;
}

void lsnn_nav_totals_add(lsnn_nav_totals *t, const lsnn_nav_env *env)
{
    t->episodes++;
    t->goals += env->goals;
    if (env->first_goal >= 0) {
        t->first_n++;
        t->first_sum += env->first_goal;
    }
    if (env->goals > 1) {
        t->later_n += env->goals - 1;
        t->later_sum += env->later_sum;
    }
}
