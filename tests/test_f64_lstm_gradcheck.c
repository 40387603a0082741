/* test_f64_lstm_gradcheck.c - the LSTM's BPTT gradient against central finite differences,
 * in double.
 *
 * A tiny LSTM (5 inputs, 6 hidden units, 3 readouts) over 3 sequences of 12 steps with analog
 * and spike inputs and several windows, one sequence with two. The loss is smooth, so with
 * h = 1e-6 the central difference is within ~1e-10 of the derivative (relative to the loss):
 * every entry of every tensor (w_x, w_h, b, w_out, b_out) must agree to 1e-6 relative, with an
 * absolute floor of 1e-9. A missing term (the forget path, the cell's tanh, the recurrent
 * product) breaks it by orders of magnitude. The batch of 3 sequences also leaves 29 empty
 * lanes in its chunk, which must contribute nothing. The float build (training's) must agree
 * with the double one on the same weights to float precision. */
#include <math.h>

#include "batch.h"
#include "check.h"
#include "lstm.h"
#include "rng.h"
#define LSNN_REAL_DOUBLE 1
#include "lstm.h"

enum { N_IN = 5, H = 6, N_OUT = 3, T = 12, N_SEQ = 3 };

static void make_batch(lsnn_batch *b, int regression)
{
    lsnn_rng r = lsnn_rng_derive(11, 2, 0);
    lsnn_batch_reset(b, N_SEQ, T, N_IN);
    for (int s = 0; s < N_SEQ; s++)
        for (int t = 0; t < T; t++) {
            for (int ch = 0; ch < N_IN; ch++) {
                double u = lsnn_rng_uniform(&r);
                if (u < 0.25)
                    lsnn_batch_push(b, ch); /* a spike: value 1 */
                else if (u < 0.5)
                    lsnn_batch_push_value(b, ch, (float)(2 * u - 1.6));
            }
            lsnn_batch_end_cell(b);
        }
    if (regression) {
        lsnn_batch_add_target(b, 0, 9, 12, 1, 0.5f);
        lsnn_batch_add_target(b, 1, 3, 6, 0, -1.2f);
        lsnn_batch_add_target(b, 1, 10, 12, 2, 0.3f);
        lsnn_batch_add_target(b, 2, 11, 12, 0, 2.0f);
        return;
    }
    lsnn_batch_add_window(b, 0, 9, 12, 1);
    lsnn_batch_add_window(b, 1, 3, 6, 0);
    lsnn_batch_add_window(b, 1, 10, 12, 2);
    lsnn_batch_add_window(b, 2, 11, 12, 0);
}

static void init(lsnn_lstm_f64 *net, int bias)
{
    lsnn_lstm_alloc_f64(net, N_IN, H, N_OUT, bias);
    lsnn_rng r = lsnn_rng_derive(5, 1, bias);
    for (size_t k = 0; k < net->n_params; k++)
        net->data[k] = 0.6 * lsnn_rng_normal(&r);
    if (!bias)
        for (int c = 0; c < N_OUT; c++)
            net->b_out[c] = 0;
}

static double loss_of(lsnn_lstm_engine_f64 *en, const lsnn_lstm_f64 *net, const lsnn_batch *b)
{
    lsnn_lstm_result res;
    lsnn_lstm_run_f64(en, net, b, NULL, &res, NULL);
    return res.loss;
}

static void check_net(int bias, int regression)
{
    lsnn_lstm_f64 net, g;
    lsnn_batch b = {0};
    make_batch(&b, regression);
    init(&net, bias);
    lsnn_lstm_alloc_f64(&g, N_IN, H, N_OUT, bias);
    lsnn_lstm_engine_f64 *en = lsnn_lstm_engine_new_f64(1);
    lsnn_lstm_result res;
    CHECK(lsnn_lstm_run_f64(en, &net, &b, &g, &res, NULL) == 0, "run");
    CHECK(res.n_win == 4 && res.loss > 0, "4 windows scored, loss %g", res.loss);
    const char *names[5] = {"w_x", "w_h", "b", "w_out", "b_out"};
    const double *tensors[5] = {g.w_x, g.w_h, g.b, g.w_out, g.b_out};
    const double *starts[5] = {net.w_x, net.w_h, net.b, net.w_out, net.b_out};
    size_t sizes[5] = {N_IN * 4 * H, H * 4 * H, 4 * H, H * N_OUT, N_OUT};
    double worst = 0;
    for (int m = 0; m < 5; m++) {
        int bad = 0;
        for (size_t k = 0; k < sizes[m]; k++) {
            double *p = (double *)starts[m] + k, keep = *p, hstep = 1e-6;
            *p = keep + hstep;
            double lp = loss_of(en, &net, &b);
            *p = keep - hstep;
            double lm = loss_of(en, &net, &b);
            *p = keep;
            double fd = (lp - lm) / (2 * hstep), bp = tensors[m][k];
            if (m == 4 && !bias) fd = 0; /* b_out is not trained without a readout bias */
            double err = fabs(fd - bp) / fmax(fabs(fd), 1e-3);
            if (err > worst) worst = err;
            if (fabs(fd - bp) > 1e-6 * fabs(fd) + 1e-9 && bad++ < 3)
                CHECK(0, "bias %d: %s[%zu]: BPTT %.12g, finite difference %.12g", bias, names[m], k,
                      bp, fd);
        }
        CHECK(bad == 0, "bias %d: %s: %d entries disagree", bias, names[m], bad);
    }
    printf("bias %d: loss %.6f, worst relative error %.3g over %zu parameters\n", bias, res.loss,
           worst, net.n_params);
    lsnn_lstm_engine_free_f64(en);
    lsnn_lstm_free_f64(&g);
    lsnn_lstm_free_f64(&net);
    lsnn_batch_free(&b);
}

/* The float build against the double build (the gradient check's) on the same weights. */
static void test_float_agrees(void)
{
    lsnn_lstm net, g;
    lsnn_lstm_f64 n64, g64;
    lsnn_lstm_alloc(&net, N_IN, 12, N_OUT, 1);
    lsnn_rng rr = lsnn_rng_derive(3, 1, 0);
    for (size_t k = 0; k < net.n_params; k++)
        net.data[k] = (float)(0.5 * lsnn_rng_normal(&rr));
    lsnn_lstm_alloc(&g, N_IN, 12, N_OUT, 1);
    lsnn_lstm_alloc_f64(&n64, N_IN, 12, N_OUT, 1);
    lsnn_lstm_alloc_f64(&g64, N_IN, 12, N_OUT, 1);
    for (size_t k = 0; k < net.n_params; k++)
        n64.data[k] = net.data[k];
    lsnn_batch b = {0};
    make_batch(&b, 0);
    lsnn_batch_add_window(&b, 0, 2, 5, 0);
    lsnn_lstm_engine *en = lsnn_lstm_engine_new(1);
    lsnn_lstm_engine_f64 *e64 = lsnn_lstm_engine_new_f64(1);
    lsnn_lstm_result r, r64;
    lsnn_lstm_run(en, &net, &b, &g, &r, NULL);
    lsnn_lstm_run_f64(e64, &n64, &b, &g64, &r64, NULL);
    double worst = 0, norm = 0;
    for (size_t k = 0; k < net.n_params; k++) {
        worst = fmax(worst, fabs(g.data[k] - g64.data[k]));
        norm = fmax(norm, fabs(g64.data[k]));
    }
    printf("float vs double: loss %.9f vs %.9f, gradient max difference %.3g (max %.3g)\n", r.loss,
           r64.loss, worst, norm);
    CHECK(fabs(r.loss - r64.loss) < 1e-5 && worst < 1e-4 * norm, "float agrees with double");
    lsnn_lstm_engine_free(en), lsnn_lstm_engine_free_f64(e64);
    lsnn_batch_free(&b);
    lsnn_lstm_free(&net), lsnn_lstm_free(&g), lsnn_lstm_free_f64(&n64), lsnn_lstm_free_f64(&g64);
}

int main(void)
{
    check_net(1, 0);
    check_net(0, 0);
    check_net(1, 1);
    test_float_agrees();
    return check_report();
}
