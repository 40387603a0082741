/* test_f64_gradcheck.c - BPTT gradients against central finite differences, in double.
 *
 * Under the test-only smooth spike function z = sigmoid(s*vs) the loss is differentiable
 * and BPTT must equal the true gradient. The network has LIF and ALIF neurons, delays,
 * refractoriness, rate regularisation and several windows. In double precision with step
 * h = 1e-6 the central difference has truncation error O(h^2 L''') ~ 1e-12 and round-off
 * ~ 1e-16/1e-6 = 1e-10 relative to the loss, so 1e-6 relative agreement (with an absolute
 * floor of 1e-9 for near-zero gradients) is a tight bound that a single missing term
 * (reset, adaptation, delay path) breaks by orders of magnitude. Refractoriness switches
 * on z > 0.5, a step function: it has zero gradient, like tf.where in LSNN-official, and
 * the check fails loudly if a perturbation ever crosses it. The CUBA runs (neurocore.md §17)
 * give neurons 0, 2 and 4 (LIF and ALIF) a synaptic current i = alpha_syn*i + I that v
 * integrates, so the current's adjoint path (gi_t = (1-alpha) gv_t + alpha_syn gi_{t+1}) is
 * checked through input, recurrent and readout weights alike. */
#include <math.h>

#include "batch.h"
#include "check.h"
#include "rng.h"
#define LSNN_REAL_DOUBLE 1
#include "engine.h"
#include "gradcheck_f64.h"

static void build(lsnn_net_f64 *net, int prev_v, int cuba)
{
    lsnn_net_alloc_f64(net, 3, 5, 2, 3);
    net->spike_from_prev_v = prev_v;
    net->smooth = 1;
    net->smooth_slope = 3;
    net->gamma = 0.3;
    net->kappa = exp(-1.0 / 4);
    net->reg_rate = 0.7;
    net->reg_target = 0.2;
    lsnn_rng r = lsnn_rng_derive(7, 1, prev_v);
    for (int i = 0; i < 5; i++) {
        net->alpha[i] = exp(-1.0 / (3 + i));
        net->rho[i] = exp(-1.0 / (6 + 2 * i));
        net->beta[i] = i >= 2 ? 0.8 + 0.3 * i : 0; /* 2 LIF, 3 ALIF */
        net->b0[i] = 0.15 + 0.05 * i;
        net->n_ref[i] = i % 3; /* 0, 1, 2 steps */
        net->cuba[i] = cuba && i % 2 == 0;
        net->alpha_syn[i] = net->cuba[i] ? exp(-1.0 / (2 + i)) : 0;
    }
    for (int k = 0; k < 3 * 5; k++) {
        net->w_in[k] = 0.6 + 1.2 * lsnn_rng_normal(&r);
        net->d_in[k] = lsnn_rng_below(&r, 3);
    }
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            net->w_rec[i * 5 + j] = i == j ? 0 : 0.8 * lsnn_rng_normal(&r);
            net->d_rec[i * 5 + j] = lsnn_rng_below(&r, 3);
        }
    for (int k = 0; k < 10; k++)
        net->w_out[k] = lsnn_rng_normal(&r);
    net->b_out[0] = 0.1;
    net->b_out[1] = -0.2;
}

enum { CLASSES, REGRESSION, CUSTOM };

static void make_batch(lsnn_batch *b, int mode)
{
    lsnn_rng r = lsnn_rng_derive(3, 2, 0);
    lsnn_batch_reset(b, 3, 14, 3);
    for (int s = 0; s < 3; s++)
        for (int t = 0; t < 14; t++) {
            for (int ch = 0; ch < 3; ch++)
                if (lsnn_rng_uniform(&r) < 0.3) lsnn_batch_push(b, ch);
            lsnn_batch_end_cell(b);
        }
    if (mode == REGRESSION) {
        lsnn_batch_add_target(b, 0, 9, 14, 1, 0.7f);
        lsnn_batch_add_target(b, 1, 4, 8, 0, -0.4f);
        lsnn_batch_add_target(b, 1, 10, 14, 1, 1.5f);
        lsnn_batch_add_target(b, 2, 12, 14, 0, 0.1f);
        return;
    }
    lsnn_batch_add_window(b, 0, 9, 14, 1);
    lsnn_batch_add_window(b, 1, 4, 8, 0);
    lsnn_batch_add_window(b, 1, 10, 14, 1);
    lsnn_batch_add_window(b, 2, 12, 14, 0);
}

/* A loss of every logit, as a policy gradient's would be: sum_w sum_o (o+1) * sin(logit). */
static double custom_loss(void *ctx, const lsnn_batch *batch, int C, const double *logits,
                          double *glogit, int *n_correct)
{
    double scale = *(const double *)ctx, L = 0;
    for (int k = 0; k < batch->n_win * C; k++) {
        L += scale * (k % C + 1) * sin(logits[k]);
        glogit[k] = scale * (k % C + 1) * cos(logits[k]);
    }
    *n_correct = 0;
    return L;
}

static void gradcheck(int prev_v, int cuba, int mode)
{
    static const char *const loss_name[] = {"ce", "mse", "custom"};
    static double scale = 0.3;
    lsnn_net_f64 net;
    build(&net, prev_v, cuba);
    lsnn_batch b = {0};
    make_batch(&b, mode);
    CHECK(lsnn_batch_check(&b, 2) == 0, "batch is consistent");
    lsnn_engine_f64 *en = lsnn_engine_new_f64(1);
    if (mode == CUSTOM) lsnn_engine_set_loss_f64(en, custom_loss, &scale);
    lsnn_grads_f64 g;
    lsnn_grads_alloc_f64(&g, &net);
    lsnn_result res;
    CHECK(lsnn_engine_run_f64(en, &net, &b, &g, &res, NULL, NULL) == 0, "run");
    printf("spike_from %s%s: loss %.6f (%s %.6f reg %.6f) rate %.3f\n", prev_v ? "prev_v" : "new_v",
           cuba ? ", CUBA" : "", res.loss, loss_name[mode], res.loss_task, res.loss_reg,
           res.mean_rate);
    CHECK(res.loss_reg > 0 && res.loss_task != 0, "both loss terms active");
    /* the refractory and reset paths must really be exercised: count spikes (z > 0.5)
     * and the steps they silence */
    int spikes = 0, silenced = 0;
    for (int s = 0; s < 3; s++)
        for (int i = 0; i < 5; i++)
            for (int t = 0; t + 1 < 14; t++) {
                double v, bb, z, v2, b2, z2;
                lsnn_engine_state_f64(en, s, t, i, &v, &bb, &z);
                lsnn_engine_state_f64(en, s, t + 1, i, &v2, &b2, &z2);
                if (z > 0.5) spikes++;
                if (z > 0.5 && net.n_ref[i] > 0) silenced += z2 == 0;
            }
    printf("spikes %d, refractory steps after them %d\n", spikes, silenced);
    CHECK(spikes >= 10 && silenced >= 2, "spikes %d silenced %d", spikes, silenced);
    check_param("w_in", en, &net, &b, net.w_in, g.w_in, 15, 0);
    check_param("w_rec", en, &net, &b, net.w_rec, g.w_rec, 25, 5);
    check_param("w_out", en, &net, &b, net.w_out, g.w_out, 10, 0);
    check_param("b_out", en, &net, &b, net.b_out, g.b_out, 2, 0);
    for (int i = 0; i < 5; i++)
        CHECK(g.w_rec[i * 5 + i] == 0, "autapse gradient is masked");
    lsnn_grads_free_f64(&g);
    lsnn_engine_free_f64(en);
    lsnn_net_free_f64(&net);
    lsnn_batch_free(&b);
}

int main(void)
{
    for (int cuba = 0; cuba < 2; cuba++) {
        gradcheck(0, cuba, CLASSES);
        gradcheck(1, cuba, CLASSES);
    }
    gradcheck(0, 0, REGRESSION);
    gradcheck(1, 1, REGRESSION);
    gradcheck(0, 0, CUSTOM);
    return check_report();
}
