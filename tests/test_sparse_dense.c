/* test_sparse_dense.c - the sparse execution path (only nonzero weights are visited) gives
 * bit-identical losses, logits, rates and gradients to the dense path (every synapse) on
 * the same masked network, with gradients at the zero (dormant) entries too.
 *
 * The claim is exact, not approximate: rows keep their targets in the same order in both
 * paths, and a skipped term is w * x with w = 0, which adds an exact zero. */
#include <string.h>

#include "batch.h"
#include "check.h"
#include "engine.h"
#include "rng.h"

#define NI 30
#define NR 64
#define NO 4
#define ND 6

static void build(lsnn_net *net, double density, int prev_v)
{
    lsnn_net_alloc(net, NI, NR, NO, ND);
    lsnn_rng r = lsnn_rng_derive(21, 1, 0);
    net->spike_from_prev_v = prev_v;
    net->gamma = 0.3f;
    net->kappa = 0.95f;
    net->reg_rate = 0.1f;
    net->reg_target = 0.01f;
    for (int i = 0; i < NR; i++) {
        net->alpha[i] = 0.95f;
        net->rho[i] = i >= NR / 2 ? 0.998f : 0;
        net->beta[i] = i >= NR / 2 ? 1.8f : 0;
        net->b0[i] = 0.01f;
        net->n_ref[i] = 2;
    }
    for (int k = 0; k < NI * NR; k++) {
        int on = lsnn_rng_uniform(&r) < density;
        net->w_in[k] = on ? (float)(0.05 * lsnn_rng_normal(&r) + 0.02) : 0;
        net->d_in[k] = lsnn_rng_below(&r, ND);
    }
    for (int k = 0; k < NR * NR; k++) {
        int on = k / NR != k % NR && lsnn_rng_uniform(&r) < density;
        net->w_rec[k] = on ? (float)(0.05 * lsnn_rng_normal(&r)) : 0;
        net->d_rec[k] = lsnn_rng_below(&r, ND);
    }
    for (int k = 0; k < NR * NO; k++)
        net->w_out[k] = lsnn_rng_uniform(&r) < density ? (float)lsnn_rng_normal(&r) : 0;
}

static void run_both(double density, int prev_v)
{
    lsnn_net net;
    build(&net, density, prev_v);
    lsnn_batch b = {0};
    lsnn_rng r = lsnn_rng_derive(22, 2, 0);
    lsnn_batch_reset(&b, 45, 80, NI);
    for (int s = 0; s < 45; s++) {
        for (int t = 0; t < 80; t++) {
            for (int ch = 0; ch < NI; ch++)
                if (lsnn_rng_uniform(&r) < 0.06) lsnn_batch_push(&b, ch);
            lsnn_batch_end_cell(&b);
        }
        lsnn_batch_add_window(&b, s, 60, 80, s % NO);
    }
    lsnn_grads g[2];
    lsnn_result res[2];
    float logits[2][45 * NO];
    double rates[2][NR];
    for (int k = 0; k < 2; k++) {
        net.dense_exec = k;
        lsnn_engine *en = lsnn_engine_new(2);
        lsnn_grads_alloc(&g[k], &net);
        CHECK(lsnn_engine_run(en, &net, &b, &g[k], &res[k], logits[k], rates[k]) == 0, "run");
        lsnn_engine_free(en);
    }
    printf("density %.2f %s: loss %.6f, %.1f spikes/seq\n", density, prev_v ? "prev_v" : "new_v",
           res[0].loss, res[0].spikes_per_seq);
    CHECK(res[0].spikes_per_seq > 5, "the network is active (%.1f spikes/seq)",
          res[0].spikes_per_seq);
    CHECK(res[0].loss == res[1].loss, "loss %.9g vs %.9g", res[0].loss, res[1].loss);
    CHECK(!memcmp(logits[0], logits[1], sizeof logits[0]), "logits identical");
    CHECK(!memcmp(rates[0], rates[1], sizeof rates[0]), "rates identical");
    CHECK(!memcmp(g[0].w_in, g[1].w_in, sizeof(float) * NI * NR), "dW_in identical");
    CHECK(!memcmp(g[0].w_rec, g[1].w_rec, sizeof(float) * NR * NR), "dW_rec identical");
    CHECK(!memcmp(g[0].w_out, g[1].w_out, sizeof(float) * NR * NO), "dW_out identical");
    CHECK(!memcmp(g[0].b_out, g[1].b_out, sizeof(float) * NO), "db_out identical");
    int dormant_with_grad = 0;
    for (int k = 0; k < NR * NR; k++)
        dormant_with_grad += net.w_rec[k] == 0 && k / NR != k % NR && g[0].w_rec[k] != 0;
    CHECK(dormant_with_grad > 0, "dormant entries receive gradients (%d)", dormant_with_grad);
    for (int k = 0; k < 2; k++)
        lsnn_grads_free(&g[k]);
    lsnn_net_free(&net);
    lsnn_batch_free(&b);
}

int main(void)
{
    run_both(0.12, 0);
    run_both(0.12, 1);
    run_both(0.5, 0);
    return check_report();
}
