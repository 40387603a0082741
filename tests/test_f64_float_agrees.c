/* test_f64_float_agrees.c - the float engine (AVX-512 gathers where the CPU has them) agrees
 * with the double engine (portable scalar code) on the same smooth network.
 *
 * The double build is the one the finite-difference check validates; this test carries that
 * validation over to the float build that training uses. Rows have 40 targets over 2 delay
 * slots, so delay segments hold about 20 targets and the 16-wide vector paths run. Float
 * sums of a few hundred terms of size ~1 carry relative errors near 1e-6; gradients are
 * compared at 1e-4 relative to the largest entry of their array. */
#include <math.h>

#include "batch.h"
#include "check.h"
#include "engine.h" /* float */
#include "rng.h"
#define LSNN_REAL_DOUBLE 1
#include "engine.h" /* double: the _f64 names */

#define NI 24
#define NR 40
#define NO 3
#define ND 2

static void fill(lsnn_net *nf, lsnn_net_f64 *nd)
{
    lsnn_rng r = lsnn_rng_derive(11, 1, 0);
    nf->smooth = nd->smooth = 1;
    nf->smooth_slope = nd->smooth_slope = 2;
    nf->gamma = nd->gamma = 0.3;
    nf->kappa = nd->kappa = 0.9;
    nf->reg_rate = nd->reg_rate = 0.3;
    nf->reg_target = nd->reg_target = 0.1;
    for (int i = 0; i < NR; i++) {
        nd->alpha[i] = nf->alpha[i] = 0.9f;
        nd->rho[i] = nf->rho[i] = 0.95f;
        nd->beta[i] = nf->beta[i] = i % 2 ? 0.5f : 0;
        nd->b0[i] = nf->b0[i] = 0.3f;
        nd->n_ref[i] = nf->n_ref[i] = i % 3;
    }
    for (int k = 0; k < NI * NR; k++) {
        nd->w_in[k] = nf->w_in[k] = (float)(0.3 + 0.5 * lsnn_rng_normal(&r));
        nd->d_in[k] = nf->d_in[k] = lsnn_rng_below(&r, ND);
    }
    for (int k = 0; k < NR * NR; k++) {
        nd->w_rec[k] = nf->w_rec[k] = k / NR == k % NR ? 0 : (float)(0.2 * lsnn_rng_normal(&r));
        nd->d_rec[k] = nf->d_rec[k] = lsnn_rng_below(&r, ND);
    }
    for (int k = 0; k < NR * NO; k++)
        nd->w_out[k] = nf->w_out[k] = (float)lsnn_rng_normal(&r);
}

static void compare(const char *what, const float *f, const double *d, int n)
{
    double mx = 0, worst = 0;
    for (int k = 0; k < n; k++)
        mx = fmax(mx, fabs(d[k]));
    for (int k = 0; k < n; k++)
        worst = fmax(worst, fabs(f[k] - d[k]) / mx);
    CHECK(mx > 0 && worst < 1e-4, "%s: worst error %.3g of max %.3g", what, worst, mx);
    printf("%-6s max |g| %.3e, worst float-double difference %.2e of it\n", what, mx, worst);
}

int main(void)
{
    lsnn_net nf;
    lsnn_net_f64 nd;
    lsnn_net_alloc(&nf, NI, NR, NO, ND);
    lsnn_net_alloc_f64(&nd, NI, NR, NO, ND);
    fill(&nf, &nd);
    lsnn_batch b = {0};
    lsnn_rng r = lsnn_rng_derive(12, 2, 0);
    lsnn_batch_reset(&b, 5, 30, NI);
    for (int s = 0; s < 5; s++) {
        for (int t = 0; t < 30; t++) {
            for (int ch = 0; ch < NI; ch++)
                if (lsnn_rng_uniform(&r) < 0.15) lsnn_batch_push(&b, ch);
            lsnn_batch_end_cell(&b);
        }
        lsnn_batch_add_window(&b, s, 20, 30, s % NO);
    }
    lsnn_grads gf;
    lsnn_grads_f64 gd;
    lsnn_grads_alloc(&gf, &nf);
    lsnn_grads_alloc_f64(&gd, &nd);
    lsnn_engine *ef = lsnn_engine_new(2);
    lsnn_engine_f64 *ed = lsnn_engine_new_f64(1);
    lsnn_result rf, rd;
    CHECK(lsnn_engine_run(ef, &nf, &b, &gf, &rf, NULL, NULL) == 0, "float run");
    CHECK(lsnn_engine_run_f64(ed, &nd, &b, &gd, &rd, NULL, NULL) == 0, "double run");
    CHECK(fabs(rf.loss - rd.loss) < 1e-5 * fabs(rd.loss), "loss %.9g vs %.9g", rf.loss, rd.loss);
    compare("w_in", gf.w_in, gd.w_in, NI * NR);
    compare("w_rec", gf.w_rec, gd.w_rec, NR * NR);
    compare("w_out", gf.w_out, gd.w_out, NR * NO);
    compare("b_out", gf.b_out, gd.b_out, NO);
    lsnn_engine_free(ef);
    lsnn_engine_free_f64(ed);
    lsnn_grads_free(&gf);
    lsnn_grads_free_f64(&gd);
    lsnn_net_free(&nf);
    lsnn_net_free_f64(&nd);
    lsnn_batch_free(&b);
    return check_report();
}
