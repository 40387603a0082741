/* test_f64_nav_ppo.c - the PPO loss of the navigation task (train/nav_ppo.c) through BPTT,
 * against central finite differences in double (as test_f64_gradcheck.c does for the other
 * losses): a smooth-spike network with LIF and ALIF neurons, delays and 3 readouts (the
 * action's mean x, y and the value), windows of several sequences. The rollout means are
 * set near the network's own (ratios inside the clip range, the surrogate's gradient) for
 * some windows and far from them for others (ratios clipped: no policy gradient), so both
 * branches of the clipped objective and the value loss are checked. */
#include <math.h>

#include "batch.h"
#include "check.h"
#include "nav_ppo.h"
#include "rng.h"
#define LSNN_REAL_DOUBLE 1
#include "engine.h"
#include "gradcheck_f64.h"

enum { NI = 3, NR = 6, NO = 3, S = 3, T = 16 };

static void build(lsnn_net_f64 *net)
{
    lsnn_net_alloc_f64(net, NI, NR, NO, 3);
    net->smooth = 1;
    net->smooth_slope = 3;
    net->gamma = 0.3;
    net->kappa = exp(-1.0 / 4);
    net->reg_rate = 0.3;
    net->reg_target = 0.2;
    lsnn_rng r = lsnn_rng_derive(11, 1, 0);
    for (int i = 0; i < NR; i++) {
        net->alpha[i] = exp(-1.0 / (3 + i));
        net->rho[i] = exp(-1.0 / (6 + 2 * i));
        net->beta[i] = i >= 3 ? 0.8 + 0.3 * i : 0;
        net->b0[i] = 0.15 + 0.05 * i;
        net->n_ref[i] = i % 2;
    }
    for (int k = 0; k < NI * NR; k++) {
        net->w_in[k] = 0.6 + 1.2 * lsnn_rng_normal(&r);
        net->d_in[k] = lsnn_rng_below(&r, 3);
    }
    for (int i = 0; i < NR; i++)
        for (int j = 0; j < NR; j++) {
            net->w_rec[i * NR + j] = i == j ? 0 : 0.8 * lsnn_rng_normal(&r);
            net->d_rec[i * NR + j] = lsnn_rng_below(&r, 3);
        }
    for (int k = 0; k < NR * NO; k++)
        net->w_out[k] = lsnn_rng_normal(&r);
    for (int o = 0; o < NO; o++)
        net->b_out[o] = 0.1 * (o - 1);
}

int main(void)
{
    lsnn_net_f64 net;
    build(&net);
    lsnn_batch b = {0};
    lsnn_rng r = lsnn_rng_derive(5, 2, 0);
    lsnn_batch_reset(&b, S, T, NI);
    for (int s = 0; s < S; s++)
        for (int t = 0; t < T; t++) {
            for (int ch = 0; ch < NI; ch++)
                if (lsnn_rng_uniform(&r) < 0.3) lsnn_batch_push(&b, ch);
            lsnn_batch_end_cell(&b);
        }
    for (int s = 0; s < S; s++) /* 4 action periods of 4 steps, windows of their first 3 */
        for (int k = 0; k < 4; k++)
            lsnn_batch_add_window(&b, s, 4 * k, 4 * k + 3, 0);
    int W = b.n_win;
    lsnn_engine_f64 *en = lsnn_engine_new_f64(1);
    double logits[S * 4 * NO], a[2 * S * 4], mu_old[2 * S * 4], adv[S * 4], ret[S * 4];
    lsnn_result res;
    lsnn_engine_run_f64(en, &net, &b, NULL, &res, logits, NULL);
    lsnn_ppo_spec ppo = {
        .sigma = 0.7, .gamma = 0.9, .lambda = 0.8, .clip = 0.2, .epochs = 1, .value_coef = 0.5};
    for (int w = 0; w < W; w++) {
        int far = w % 4 == 3; /* every fourth window: ratio far outside the clip range */
        for (int k = 0; k < 2; k++) {
            a[2 * w + k] = logits[w * NO + k] + 0.5 * lsnn_rng_normal(&r);
            mu_old[2 * w + k] = logits[w * NO + k] + (far ? 1.5 : 0.05) * lsnn_rng_normal(&r);
        }
        adv[w] = lsnn_rng_normal(&r);
        ret[w] = lsnn_rng_normal(&r);
    }
    lsnn_ppo_ctx pc = {.ppo = &ppo, .n_win = W, .a = a, .mu_old = mu_old, .adv = adv, .ret = ret};
    lsnn_engine_set_loss_f64(en, lsnn_ppo_loss, &pc);
    lsnn_grads_f64 g;
    lsnn_grads_alloc_f64(&g, &net);
    CHECK(lsnn_engine_run_f64(en, &net, &b, &g, &res, NULL, NULL) == 0, "run");
    printf("PPO loss %.6f (policy %.6f, value %.6f, clipped %.2f), reg %.6f\n", res.loss,
           pc.loss_pi, pc.loss_v, pc.clip_frac, res.loss_reg);
    CHECK(pc.clip_frac > 0 && pc.clip_frac < 1, "both branches of the clip (%g)", pc.clip_frac);
    CHECK(pc.loss_pi != 0 && pc.loss_v > 0, "both terms active");
    check_param("w_in", en, &net, &b, net.w_in, g.w_in, NI * NR, 0);
    check_param("w_rec", en, &net, &b, net.w_rec, g.w_rec, NR * NR, NR);
    check_param("w_out", en, &net, &b, net.w_out, g.w_out, NR * NO, 0);
    check_param("b_out", en, &net, &b, net.b_out, g.b_out, NO, 0);
    /* GAE by hand for one episode of 3 actions, before the normalisation */
    double rew[3] = {0, 1, 0}, val[3] = {0.2, 0.5, 0.1}, ad[3], rt[3];
    lsnn_ppo_gae(&ppo, 1, 3, rew, val, ad, rt);
    double d2 = 0 - 0.1, d1 = 1 + 0.9 * 0.1 - 0.5, d0 = 0 + 0.9 * 0.5 - 0.2;
    double A2 = d2, A1 = d1 + 0.72 * A2, A0 = d0 + 0.72 * A1;
    CHECK(fabs(rt[0] - (A0 + 0.2)) < 1e-12 && fabs(rt[1] - (A1 + 0.5)) < 1e-12 &&
              fabs(rt[2] - (A2 + 0.1)) < 1e-12,
          "returns %g %g %g", rt[0], rt[1], rt[2]);
    double m = (A0 + A1 + A2) / 3,
           sd = sqrt(((A0 - m) * (A0 - m) + (A1 - m) * (A1 - m) + (A2 - m) * (A2 - m)) / 3) + 1e-8;
    CHECK(fabs(ad[0] - (A0 - m) / sd) < 1e-9, "normalised advantage %g", ad[0]);
    lsnn_grads_free_f64(&g);
    lsnn_engine_free_f64(en);
    lsnn_net_free_f64(&net);
    lsnn_batch_free(&b);
    return check_report();
}
