/* nav_eval.c - closed-loop test episodes of the float network (nav.h). */
#include "nav_eval.h"
#include "nav_rollout.h"

int lsnn_nav_evaluate(const lsnn_spec *spec, const lsnn_net *net, int episodes, int random,
                      lsnn_nav_eval *out, lsnn_error *e)
{
    lsnn_nav_stepper st;
    *out = (lsnn_nav_eval){0};
    if (lsnn_nav_stepper_init(&st, net)) return lsnn_fail(e, "out of memory");
    for (int j = 0; j < episodes; j++) {
        lsnn_nav_env env;
        lsnn_nav_rollout(spec, &st, LSNN_NAV_TEST, (uint64_t)j, random, NULL, 0, NULL, &env);
        lsnn_nav_totals_add(&out->tot, &env);
        out->spikes += st.spikes;
        out->steps += (long)spec->nav.episode_steps * net->n_rec;
    }
    lsnn_nav_stepper_free(&st);
    return 0;
}
