/* test_pseudo_derivative.c - a 2-neuron, 3-step network whose forward pass and BPTT
 * gradients (with the pseudo-derivative 0.3*max(0, 1-|vs|)) were computed by hand.
 *
 * Net: alpha = rho = kappa = 0.5; neuron 0 LIF (b0 1), neuron 1 ALIF (b0 1, beta 1); all
 * delays 0, no refractoriness, spike from new v. One input spike at t=0 with
 * w_in = [4, 1]; w_rec[0][1] = 2 (0 -> 1), w_rec[1][0] = 0; w_out = identity; one window
 * [0, 3) with label 0.
 *
 * Forward by hand:
 *   t0: I=[4,1]  A=[1,1]   v=[2,0.5]     vs=[1,-0.5]     z=[1,0]
 *   t1: I=[0,2]  b=[.5,0]  A=[1,1]   v=[0,1.25]     vs=[-1,0.25]    z=[0,1]
 *   t2: I=[0,0]  b=[.25,.5] A=[1,1.5] v=[0,-0.875] vs=[-1,-1.5833] z=[0,0]
 *   readout r = [.5,0], [.25,.5], [.125,.25]; logits = [0.875/3, 0.75/3]
 *   g = dCE/dlogits = [p0-1, p1] with p1 = 1/(1+e^(0.125/3)) = 0.48958523
 * Backward by hand (psi = pseudo-derivative): psi_t1[1] = 0.225, psi_t0[1] = 0.15, others 0.
 *   G0 = 1.75 g/3, G1 = 1.5 g/3, G2 = g/3
 *   t1, n1: gz = 0.5 G1[1]; gvs = 0.225 gz; gv = gvs/A = gvs; gA = -gvs*1.25; gb = gA;
 *           gI_1[1] = 0.5 gv
 *   t0, n1: gz = 0.5 G0[1] + 0.5 gb_1 - 1*gv_1; gvs = 0.15 gz; gv = 0.5 gv_1 + gvs;
 *           gI_0[1] = 0.5 gv
 *   dW_in[0] = [0, gI_0[1]], dW_rec[0][1] = z0[0] gI_1[1], dW_rec[1][0] = 0,
 *   dW_out[0][:] = 0.5 G0, dW_out[1][:] = 0.5 G1, db_out = g. */
#include <math.h>

#include "batch.h"
#include "check.h"
#include "engine.h"

static int close_to(double a, double b)
{
    return fabs(a - b) <= 1e-6 * fmax(1, fabs(b));
}

int main(void)
{
    lsnn_net net;
    lsnn_net_alloc(&net, 1, 2, 2, 1);
    net.gamma = 0.3f;
    net.kappa = 0.5f;
    for (int i = 0; i < 2; i++)
        net.alpha[i] = net.rho[i] = 0.5f, net.b0[i] = 1;
    net.beta[1] = 1;
    net.w_in[0] = 4, net.w_in[1] = 1;
    net.w_rec[0 * 2 + 1] = 2;
    net.w_out[0 * 2 + 0] = 1, net.w_out[1 * 2 + 1] = 1;

    lsnn_batch b = {0};
    lsnn_batch_reset(&b, 1, 3, 1);
    lsnn_batch_push(&b, 0);
    for (int t = 0; t < 3; t++)
        lsnn_batch_end_cell(&b);
    lsnn_batch_add_window(&b, 0, 0, 3, 0);

    lsnn_engine *en = lsnn_engine_new(1);
    lsnn_grads g;
    lsnn_grads_alloc(&g, &net);
    lsnn_result res;
    float logits[2];
    CHECK(lsnn_engine_run(en, &net, &b, &g, &res, logits, NULL) == 0, "run");

    const double v_hand[3][2] = {{2, 0.5}, {0, 1.25}, {0, -0.875}};
    const double b_hand[3][2] = {{0, 0}, {0.5, 0}, {0.25, 0.5}};
    const double z_hand[3][2] = {{1, 0}, {0, 1}, {0, 0}};
    for (int t = 0; t < 3; t++)
        for (int i = 0; i < 2; i++) {
            float v, bb, z;
            lsnn_engine_state(en, 0, t, i, &v, &bb, &z);
            CHECK(close_to(v, v_hand[t][i]), "v[t%d][%d] = %g, hand %g", t, i, v, v_hand[t][i]);
            /* neuron 0 has beta = 0: its threshold does not adapt, and b reads 0 */
            double b_want = net.beta[i] != 0 ? b_hand[t][i] : 0;
            CHECK(close_to(bb, b_want), "b[t%d][%d] = %g, want %g", t, i, bb, b_want);
            CHECK(z == z_hand[t][i], "z[t%d][%d] = %g", t, i, z);
        }
    CHECK(close_to(logits[0], 0.875 / 3) && close_to(logits[1], 0.75 / 3), "logits %g %g",
          logits[0], logits[1]);

    double p1 = 1 / (1 + exp(0.125 / 3)), gl[2] = {(1 - p1) - 1, p1};
    double G0 = 1.75 * gl[1] / 3, G1 = 1.5 * gl[1] / 3;
    double gvs1 = 0.225 * 0.5 * G1, gv1 = gvs1, gb1 = -gvs1 * 1.25, gI1 = 0.5 * gv1;
    double gz0 = 0.5 * G0 + 0.5 * gb1 - gv1, gvs0 = 0.15 * gz0, gv0 = 0.5 * gv1 + gvs0;
    double gI0 = 0.5 * gv0;
    CHECK(close_to(g.w_in[0], 0) && close_to(g.w_in[1], gI0), "dW_in = [%g %g], hand [0 %g]",
          g.w_in[0], g.w_in[1], gI0);
    CHECK(close_to(g.w_rec[1], gI1), "dW_rec[0][1] = %g, hand %g", g.w_rec[1], gI1);
    CHECK(g.w_rec[2] == 0 && g.w_rec[0] == 0 && g.w_rec[3] == 0, "other dW_rec zero");
    for (int c = 0; c < 2; c++) {
        CHECK(close_to(g.w_out[0 * 2 + c], 0.5 * 1.75 * gl[c] / 3), "dW_out[0][%d] = %g", c,
              g.w_out[c]);
        CHECK(close_to(g.w_out[1 * 2 + c], 0.5 * 1.5 * gl[c] / 3), "dW_out[1][%d] = %g", c,
              g.w_out[2 + c]);
        CHECK(close_to(g.b_out[c], gl[c]), "db_out[%d] = %g", c, g.b_out[c]);
    }
    printf("hand values: dW_in[0][1] %.8f dW_rec[0][1] %.8f\n", gI0, gI1);
    lsnn_grads_free(&g);
    lsnn_engine_free(en);
    lsnn_net_free(&net);
    lsnn_batch_free(&b);
    return check_report();
}
