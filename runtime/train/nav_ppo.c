/* nav_ppo.c - PPO's clipped objective and GAE (nav_ppo.h). */
#include "nav_ppo.h"

#include <math.h>

#include "pmath.h"

double lsnn_ppo_loss(void *vctx, const lsnn_batch *batch, int C, const double *logits,
                     double *glogit, int *n_correct)
{
    lsnn_ppo_ctx *c = vctx;
    double s2 = c->ppo->sigma * c->ppo->sigma, eps = c->ppo->clip, vc = c->ppo->value_coef;
    double lpi = 0, lv = 0;
    int clipped = 0, W = batch->n_win;
    for (int w = 0; w < W; w++) {
        const double *lg = logits + (size_t)w * C, *a = c->a + 2 * w, *mo = c->mu_old + 2 * w;
        double *g = glogit + (size_t)w * C;
        double dlog = 0; /* log pi_new(a) - log pi_old(a) */
        for (int k = 0; k < 2; k++)
            dlog += ((a[k] - mo[k]) * (a[k] - mo[k]) - (a[k] - lg[k]) * (a[k] - lg[k])) / (2 * s2);
        double r = lsnn_exp(dlog), A = c->adv[w];
        double rc = r < 1 - eps ? 1 - eps : r > 1 + eps ? 1 + eps : r;
        /* min(r A, rc A): the unclipped term's gradient where it is the smaller one */
        int unclipped = r * A <= rc * A;
        lpi += -(unclipped ? r * A : rc * A);
        clipped += !unclipped;
        double gr = unclipped ? -A / W : 0; /* dL/dr */
        for (int k = 0; k < 2; k++)
            g[k] = gr * r * (a[k] - lg[k]) / s2;
        double err = lg[2] - c->ret[w];
        lv += vc * err * err;
        g[2] = 2 * vc * err / W;
        for (int o = 3; o < C; o++)
            g[o] = 0;
    }
    *n_correct = 0;
    c->loss_pi = W ? lpi / W : 0;
    c->loss_v = W ? lv / W : 0;
    c->clip_frac = W ? (double)clipped / W : 0;
    return c->loss_pi + c->loss_v;
}

void lsnn_ppo_gae(const lsnn_ppo_spec *ppo, int n_ep, int n_act, const double *reward,
                  const double *value, double *adv, double *ret)
{
    size_t n = (size_t)n_ep * n_act;
    for (int e = 0; e < n_ep; e++) {
        double next_v = 0, next_a = 0;
        for (int k = n_act - 1; k >= 0; k--) {
            size_t i = (size_t)e * n_act + k;
            double delta = reward[i] + ppo->gamma * next_v - value[i];
            next_a = delta + ppo->gamma * ppo->lambda * next_a;
            adv[i] = next_a;
            ret[i] = next_a + value[i];
            next_v = value[i];
        }
    }
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++)
        mean += adv[i];
    mean /= n ? n : 1;
    for (size_t i = 0; i < n; i++)
        var += (adv[i] - mean) * (adv[i] - mean);
    double sd = sqrt(var / (n ? n : 1)) + 1e-8;
    for (size_t i = 0; i < n; i++)
        adv[i] = (adv[i] - mean) / sd;
}
