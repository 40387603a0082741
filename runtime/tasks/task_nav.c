/* task_nav.c - the navigation task's batches for the generic tools: open-loop episodes.
 *
 * Navigation is closed-loop (the policy's actions move the agent, docs/navigation.md): its
 * training (train/nav_train.c), evaluation and neurocore runs step the environment
 * themselves. What lsnn_task gives are episodes of the random policy (mean 0, the spec's
 * sigma), recorded as batches with one window per action period (label 0): inputs with the
 * statistics the trained network sees, for the compiler's calibration and for the commands
 * that replay recorded inputs (lsnn verify, lsnn energy on a batch). Test episodes j are
 * those of the closed-loop test set's streams, so their goals and spikes are the same. */
#include "nav_env.h"
#include "task_internal.h"

int lsnn_nav_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e)
{
    (void)e;
    t->nav = spec->nav;
    t->nav_sigma = spec->ppo.sigma;
    t->nav_dt_ms = spec->dt_ms;
    t->n_steps = spec->nav.episode_steps;
    t->n_in = 2 * spec->nav.pos_neurons + spec->nav.reward_neurons;
    t->n_out = LSNN_NAV_OUTPUTS;
    return 0;
}

/* Episodes first .. first+n_seq-1 of split, random policy. */
static int build(lsnn_task *t, lsnn_nav_split split, uint64_t first, int n_seq, lsnn_batch *out,
                 lsnn_error *e)
{
    const lsnn_nav_spec *p = &t->nav;
    uint16_t ch[2 * 256 + 256];
    if (lsnn_batch_reset(out, n_seq, t->n_steps, t->n_in)) return lsnn_fail(e, "out of memory");
    for (int s = 0; s < n_seq; s++) {
        lsnn_nav_env env;
        lsnn_nav_env_start(&env, p, t->nav_dt_ms, t->seed, split, first + (uint64_t)s);
        for (int step = 0; step < t->n_steps; step++) {
            int n = lsnn_nav_env_inputs(&env, ch);
            for (int k = 0; k < n; k++)
                if (lsnn_batch_push(out, ch[k])) return lsnn_fail(e, "out of memory");
            lsnn_batch_end_cell(out);
            if (lsnn_nav_env_period_done(&env)) {
                double mean[2] = {0, 0}, a[2];
                lsnn_nav_env_sample(&env, mean, t->nav_sigma, a);
                lsnn_nav_env_move(&env, a);
            }
        }
        for (int k = 0; k < t->n_steps / p->action_steps; k++) {
            int start, end;
            lsnn_nav_window(p, k, &start, &end);
            if (lsnn_batch_add_window(out, s, start, end, 0)) return lsnn_fail(e, "out of memory");
        }
    }
    return 0;
}

int lsnn_nav_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    return build(t, LSNN_NAV_TRAIN, (uint64_t)iteration * (uint64_t)n_seq, n_seq, out, e);
}

int lsnn_nav_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    return build(t, LSNN_NAV_TEST, (uint64_t)first, n_seq, out, e);
}
