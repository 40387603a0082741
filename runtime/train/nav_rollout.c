/* nav_rollout.c - one closed-loop episode of the float network (nav_rollout.h). */
#include "nav_rollout.h"

int lsnn_nav_rollout(const lsnn_spec *spec, lsnn_nav_stepper *st, lsnn_nav_split split,
                     uint64_t episode, int random, lsnn_batch *rec, int seq,
                     const lsnn_nav_trace *tr, lsnn_nav_env *env)
{
    const lsnn_nav_spec *p = &spec->nav;
    uint16_t ch[2 * 256 + 256];
    double out[LSNN_NAV_OUTPUTS];
    lsnn_nav_env_start(env, p, spec->dt_ms, spec->seed, split, episode);
    lsnn_nav_stepper_reset(st);
    for (int t = 0; t < p->episode_steps; t++) {
        int n = lsnn_nav_env_inputs(env, ch);
        if (rec) {
            for (int k = 0; k < n; k++)
                if (lsnn_batch_push(rec, ch[k])) return -1;
            lsnn_batch_end_cell(rec);
        }
        int in_window = (t + 1) % p->action_steps != 0; /* the period's last step is not */
        lsnn_nav_stepper_step(st, ch, n, in_window);
        if (!lsnn_nav_env_period_done(env)) continue;
        int k = env->action;
        lsnn_nav_stepper_window(st, out);
        double mean[2] = {random ? 0 : out[0], random ? 0 : out[1]}, a[2];
        lsnn_nav_env_sample(env, mean, spec->ppo.sigma, a);
        int r = lsnn_nav_env_move(env, a);
        if (tr && tr->mu) tr->mu[2 * k] = mean[0], tr->mu[2 * k + 1] = mean[1];
        if (tr && tr->a) tr->a[2 * k] = a[0], tr->a[2 * k + 1] = a[1];
        if (tr && tr->value) tr->value[k] = out[2];
        if (tr && tr->reward) tr->reward[k] = r;
    }
    if (rec)
        for (int k = 0; k < p->episode_steps / p->action_steps; k++) {
            int start, end;
            lsnn_nav_window(p, k, &start, &end);
            if (lsnn_batch_add_window(rec, seq, start, end, 0)) return -1;
        }
    return 0;
}
