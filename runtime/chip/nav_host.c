/* nav_host.c - closed-loop navigation episodes on an engine (nav_host.h). */
#include "nav_host.h"

#include <math.h>
#include <string.h>

#include "ref_host.h"

static int index_of(const lsnn_target *en, uint32_t id)
{
    for (int i = 0; i < en->ncores; i++)
        if (en->core_id[i] == id) return i;
    return -1;
}

int lsnn_nav_host_episode(const lsnn_target *en, const lsnn_hostmap *m, const lsnn_spec *spec,
                          uint64_t episode, lsnn_nav_env *env, long *spikes, long *ticks,
                          lsnn_error *e)
{
    const lsnn_nav_spec *p = &spec->nav;
    int T = p->episode_steps, K = p->action_steps, L = K - 1;
    int in_core[LSNN_HW_MAX_CORES];
    uint16_t ch[2 * 256 + 256];
    int64_t sum[LSNN_NAV_OUTPUTS];
    if (m->n_in != spec->n_in || m->n_out != LSNN_NAV_OUTPUTS)
        return lsnn_fail(e,
                         "the image's network has %d inputs and %d readouts; navigation needs "
                         "%d and %d",
                         m->n_in, m->n_out, spec->n_in, LSNN_NAV_OUTPUTS);
    for (int i = 0; i < m->n_inputs; i++)
        if ((in_core[i] = index_of(en, m->inputs[i].core)) < 0)
            return lsnn_fail(e, "host: the engine has no core %u", m->inputs[i].core);
    lsnn_nav_env_start(env, p, spec->dt_ms, spec->seed, LSNN_NAV_TEST, episode);
    *spikes = 0;
    *ticks = 0;
    memset(sum, 0, sizeof sum);
    if (en->clear(en->ctx, e)) return -1;
    lsnn_ref_state st;
    for (int t = 0; t <= T; t++) {
        if (t < T) {
            int n = lsnn_nav_env_inputs(env, ch);
            for (int k = 0; k < n; k++)
                for (int i = 0; i < m->n_inputs; i++)
                    if (en->event(en->ctx, in_core[i], m->inputs[i].axon_base + ch[k], e))
                        return -1;
        }
        if (en->tick(en->ctx, e)) return -1;
        (*ticks)++;
        if (t < T)
            for (int g = 0; g < m->n_rec; g++) {
                lsnn_host_state(en, m, g, &st);
                *spikes += st.z;
            }
        if (t < 1 || (t - 1) % K == K - 1) continue; /* r_{t-1} is outside every window */
        for (int c = 0; c < LSNN_NAV_OUTPUTS; c++) {
            lsnn_host_state(en, m, m->n_rec + c, &st);
            sum[c] += st.v;
        }
        if ((t - 1) % K != K - 2) continue;
        /* the window of this period is complete: §6's logits, the action */
        double mean[2], a[2];
        for (int c = 0; c < 2; c++)
            mean[c] = ldexp((double)(sum[c] + (int64_t)L * m->bias[c]) / L, -m->e_r);
        memset(sum, 0, sizeof sum);
        lsnn_nav_env_sample(env, mean, spec->ppo.sigma, a);
        lsnn_nav_env_move(env, a);
    }
    return 0;
}
