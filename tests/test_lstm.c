/* test_lstm.c - the float LSTM engine: it learns a tiny memory task, its result does not
 * depend on the number of threads or on the vector width of its kernels, its files read back,
 * and sMNIST's analog sequences are what the spec says (test_f64_lstm_gradcheck compares it
 * with the double build). */
#include <math.h>
#include <stdlib.h>

#include "adam.h"
#include "batch.h"
#include "check.h"
#include "lstm_model.h"
#include "rng.h"
#include "smnist.h"
#include "lstm.h"

/* The memory task: channel 0 or 1 spikes at step 1 (the label), noise on channels 2 and 3
 * (spikes and analog values) at every step; the window is the last 3 of T steps. */
static void memory_batch(lsnn_batch *b, uint64_t seed, int n_seq, int T)
{
    lsnn_rng r = lsnn_rng_derive(seed, 9, 0);
    lsnn_batch_reset(b, n_seq, T, 4);
    int *labels = malloc(sizeof(int) * n_seq);
    for (int s = 0; s < n_seq; s++) {
        labels[s] = (int)lsnn_rng_below(&r, 2);
        for (int t = 0; t < T; t++) {
            if (t == 1) lsnn_batch_push(b, labels[s]);
            if (lsnn_rng_uniform(&r) < 0.3) lsnn_batch_push(b, 2);
            if (lsnn_rng_uniform(&r) < 0.5)
                lsnn_batch_push_value(b, 3, (float)lsnn_rng_uniform(&r));
            lsnn_batch_end_cell(b);
        }
    }
    for (int s = 0; s < n_seq; s++)
        lsnn_batch_add_window(b, s, T - 3, T, labels[s]);
    free(labels);
}

static void random_net(lsnn_lstm *net, int n_in, int H, int C, uint64_t seed, double scale)
{
    lsnn_lstm_alloc(net, n_in, H, C, 1);
    lsnn_rng r = lsnn_rng_derive(seed, 1, 0);
    for (size_t k = 0; k < net->n_params; k++)
        net->data[k] = (float)(scale * lsnn_rng_normal(&r));
}

/* A tiny LSTM (16 units) learns to carry the label over 20 steps. */
static void test_learns(void)
{
    lsnn_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.network = LSNN_NET_LSTM, spec.n_in = 4, spec.hidden = 16, spec.n_out = 2;
    spec.readout_bias = 1, spec.seed = 4;
    spec.adam_beta1 = 0.9, spec.adam_beta2 = 0.999, spec.adam_eps = 1e-8;
    lsnn_lstm net, g;
    lsnn_error e;
    CHECK(lsnn_lstm_model_init(&spec, &net, &e) == 0, "init: %s", e.msg);
    lsnn_lstm_alloc(&g, 4, 16, 2, 1);
    float *m = calloc(net.n_params, sizeof(float)), *v = calloc(net.n_params, sizeof(float));
    lsnn_lstm_engine *en = lsnn_lstm_engine_new(2);
    lsnn_batch b = {0};
    lsnn_lstm_result r, first = {0};
    for (int it = 0; it < 150; it++) {
        memory_batch(&b, 100 + it, 64, 20);
        lsnn_lstm_run(en, &net, &b, &g, &r, NULL);
        if (it == 0) first = r;
        double lr_t = 0.02 * sqrt(1 - pow(0.999, it + 1)) / (1 - pow(0.9, it + 1));
        lsnn_adam_update(net.data, m, v, g.data, net.n_params, &spec, lr_t);
    }
    memory_batch(&b, 7, 256, 20); /* unseen sequences */
    lsnn_lstm_run(en, &net, &b, NULL, &r, NULL);
    printf("memory task: loss %.3f -> %.3f, test accuracy %d/%d\n", first.loss, r.loss, r.n_correct,
           r.n_win);
    CHECK(first.loss > 0.5 && r.loss < 0.1 && r.n_correct >= 250, "it learns: loss %g -> %g",
          first.loss, r.loss);
    free(m), free(v);
    lsnn_batch_free(&b);
    lsnn_lstm_engine_free(en);
    lsnn_lstm_free(&g), lsnn_lstm_free(&net);
}

/* Gradient and loss of one run, with n threads and a kernel set (NULL: the widest). */
static void run_with(const lsnn_lstm *net, const lsnn_batch *b, int threads, const char *kernels,
                     lsnn_lstm *g, lsnn_lstm_result *r, float *logits)
{
    if (kernels)
        setenv("LSNN_LSTM_KERNELS", kernels, 1);
    else
        unsetenv("LSNN_LSTM_KERNELS");
    lsnn_lstm_engine *en = lsnn_lstm_engine_new(threads);
    CHECK(lsnn_lstm_run(en, net, b, g, r, logits) == 0, "run");
    lsnn_lstm_engine_free(en);
    unsetenv("LSNN_LSTM_KERNELS");
}

/* 70 sequences (3 chunks, one of 6 lanes), 40 units (padded to 64): 1, 2 and 3 threads, and
 * the SSE2, AVX2 and widest kernels, give the same bits. */
static void test_bit_identical(void)
{
    lsnn_lstm net, g0, g;
    random_net(&net, 4, 40, 3, 2, 0.3);
    lsnn_lstm_alloc(&g0, 4, 40, 3, 1);
    lsnn_lstm_alloc(&g, 4, 40, 3, 1);
    lsnn_batch b = {0};
    memory_batch(&b, 5, 70, 25);
    for (int s = 0; s < 70; s += 7) /* a second window in some sequences, labels 0..2 */
        lsnn_batch_add_window(&b, s, 5, 9, s % 3);
    float l0[300], l[300]; /* 80 windows x 3 */
    lsnn_lstm_result r0, r;
    run_with(&net, &b, 1, NULL, &g0, &r0, l0);
    const char *sets[] = {NULL, NULL, "sse2", "avx2"};
    int threads[] = {2, 3, 2, 1};
    for (int k = 0; k < 4; k++) {
        run_with(&net, &b, threads[k], sets[k], &g, &r, l);
        CHECK(r.loss == r0.loss && r.n_correct == r0.n_correct, "loss %.9g vs %.9g", r.loss,
              r0.loss);
        CHECK(!memcmp(g.data, g0.data, sizeof(float) * g.n_params) &&
                  !memcmp(l, l0, sizeof(float) * (size_t)b.n_win * 3),
              "%d threads, kernels %s: gradient or logits differ from 1 thread", threads[k],
              sets[k] ? sets[k] : "widest");
    }
    lsnn_batch_free(&b);
    lsnn_lstm_free(&g), lsnn_lstm_free(&g0), lsnn_lstm_free(&net);
}

/* Weights and checkpoint read back bit for bit; another model's file is refused. */
static void test_files(void)
{
    const char *dir = check_tmpdir("test_lstm");
    char path[1200];
    snprintf(path, sizeof path, "%s/ckpt.safetensors", dir);
    lsnn_spec spec;
    memset(&spec, 0, sizeof spec);
    strcpy(spec.name, "tiny");
    spec.network = LSNN_NET_LSTM, spec.n_in = 3, spec.hidden = 5, spec.n_out = 2, spec.seed = 1;
    lsnn_lstm net, back;
    lsnn_lstm_adam a, a2;
    lsnn_error e;
    CHECK(lsnn_lstm_model_init(&spec, &net, &e) == 0, "%s", e.msg);
    CHECK(lsnn_lstm_model_n_params(&spec) == 4 * 5 * 9 + 10, "parameters without bias");
    lsnn_lstm_adam_alloc(&a, &net);
    a.step = 17;
    for (size_t k = 0; k < net.n_params; k++)
        a.m[k] = (float)k, a.v[k] = (float)(2 * k);
    double curve[20] = {1, 2, 3};
    CHECK(lsnn_lstm_model_save(path, &spec, &net, &a, curve, 2, 10, &e) == 0, "%s", e.msg);
    double *c = NULL;
    int rows = 0;
    CHECK(lsnn_lstm_model_load(path, &spec, &back, &a2, &c, &rows, 10, &e) == 0, "%s", e.msg);
    CHECK(!memcmp(back.data, net.data, sizeof(float) * net.n_params) && a2.step == 17 &&
              !memcmp(a2.v, a.v, sizeof(float) * net.n_params) && rows == 2 && c && c[2] == 3,
          "checkpoint round trip");
    /* the forget gate starts open, W_h's gate blocks are orthogonal */
    double dot = 0, nn = 0;
    for (int k = 0; k < 5; k++) {
        dot += net.w_h[k * 20 + 0] * net.w_h[k * 20 + 1];
        nn += net.w_h[k * 20 + 0] * net.w_h[k * 20 + 0];
    }
    CHECK(net.b[5] == 1 && net.b[0] == 0 && fabs(dot) < 1e-6 && fabs(nn - 1) < 1e-6,
          "init: forget bias 1, orthogonal W_h (dot %g, norm %g)", dot, nn);
    lsnn_spec other = spec;
    other.hidden = 6;
    lsnn_lstm x;
    CHECK(lsnn_lstm_model_load(path, &other, &x, NULL, NULL, NULL, 0, &e) == -1 &&
              strstr(e.msg, "w_x"),
          "another shape is refused: %s", e.msg);
    free(c);
    lsnn_lstm_free(&net), lsnn_lstm_free(&back);
    lsnn_lstm_adam_free(&a), lsnn_lstm_adam_free(&a2);
}

/* The analog encoding: 784 * ext_time steps, channel 0 valued byte/255 where the byte is not 0. */
static void test_analog_encoding(void)
{
    uint8_t px[784] = {0};
    px[0] = 255, px[5] = 51, px[783] = 1;
    lsnn_batch b = {0};
    lsnn_batch_reset(&b, 1, 2 * 784, 1);
    CHECK(lsnn_smnist_encode_analog(&b, px, 2) == 0 && lsnn_batch_check(&b, 10) == 0, "encode");
    CHECK(b.n_spikes == 6 && b.in_val && b.in_val[0] == 1.0f && b.in_ptr[1] == 1 &&
              b.in_ptr[2] == 2 && b.in_val[2] == 51.0f / 255 && b.in_ptr[10] == 2 &&
              b.in_ptr[11] == 3 && b.in_val[5] == 1.0f / 255,
          "events at pixel steps with byte/255");
    lsnn_batch_reset(&b, 1, 3, 2); /* a reset batch is spikes again */
    CHECK(b.in_val == NULL, "spikes after reset");
    lsnn_batch_free(&b);
}

int main(void)
{
    test_analog_encoding();
    test_files();
    test_bit_identical();
    test_learns();
    return check_report();
}
