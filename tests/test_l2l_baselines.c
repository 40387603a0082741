/* test_l2l_baselines.c - the learning-to-learn baselines (tools/l2l_baselines.c) on cases with a
 * known answer: a linear target is fitted exactly by the linear predictors (by online least
 * squares from the fourth trial on), and the SGD-trained ANN learns a target network of its
 * own architecture from the preceding examples. */
#include <math.h>

#include "check.h"
#include "l2l.h"
#include "l2l_baselines.h"
#include "rng.h"

#define N 40

static void linear_episode(double *x, double *y, uint64_t seed)
{
    lsnn_rng r = lsnn_rng_derive(seed, 1, 0);
    for (int k = 0; k < N; k++) {
        x[2 * k] = 2 * lsnn_rng_uniform(&r) - 1;
        x[2 * k + 1] = 2 * lsnn_rng_uniform(&r) - 1;
        y[k] = 0.7 * x[2 * k] - 1.3 * x[2 * k + 1] + 0.4;
    }
}

static void test_linear(void)
{
    double x[2 * N], y[N], sq[N];
    linear_episode(x, y, 3);
    l2l_linear_all(x, y, N, sq);
    double worst = 0;
    for (int k = 0; k < N; k++)
        worst = fmax(worst, sq[k]);
    CHECK(worst < 1e-20, "the linear fit on all trials is exact: %g", worst);
    l2l_ridge_online(x, y, N, 1e-12, sq);
    CHECK(fabs(sq[0] - y[0] * y[0]) < 1e-12, "trial 0 predicts 0");
    CHECK(sq[1] > 1e-3, "one example does not determine the line: %g", sq[1]);
    worst = 0;
    for (int k = 3; k < N; k++)
        worst = fmax(worst, sq[k]);
    CHECK(worst < 1e-12, "online least squares is exact from the fourth trial: %g", worst);
    /* a large ridge penalty shrinks the slopes: no longer exact */
    l2l_ridge_online(x, y, N, 100, sq);
    CHECK(sq[N - 1] > 1e-4, "ridge 100 is biased: %g", sq[N - 1]);
}

static void test_ann(void)
{
    l2l_ann_opts o = {.hidden = 10, .epochs = 100, .lr = 0.1, .decay = 1e-3, .init = 0.5};
    double x[2 * N], y[N], sq[N], sq2[N], early = 0, late = 0;
    const int episodes = 20;
    for (int ep = 0; ep < episodes; ep++) {
        lsnn_rng r = lsnn_rng_derive(11, 2, (uint64_t)ep);
        lsnn_l2l_target f;
        lsnn_l2l_draw_target(&r, 10, &f);
        for (int k = 0; k < N; k++) {
            x[2 * k] = 2 * lsnn_rng_uniform(&r) - 1;
            x[2 * k + 1] = 2 * lsnn_rng_uniform(&r) - 1;
            y[k] = lsnn_l2l_eval(&f, x[2 * k], x[2 * k + 1]);
        }
        o.seed = (uint64_t)ep;
        l2l_ann_online(x, y, N, &o, sq);
        l2l_ann_online(x, y, N, &o, sq2);
        CHECK(memcmp(sq, sq2, sizeof sq) == 0, "episode %d: deterministic", ep);
        CHECK(sq[0] == y[0] * y[0], "episode %d: trial 0 predicts 0", ep);
        early += sq[0] / episodes;
        for (int k = N - 10; k < N; k++)
            late += sq[k] / (10 * episodes);
    }
    printf("ANN by SGD: trial 1 MSE %.4f, trials %d-%d MSE %.4f\n", early, N - 9, N, late);
    CHECK(late < 0.1 * early, "the ANN learns the target network: %.4f -> %.4f", early, late);
}

int main(void)
{
    test_linear();
    test_ann();
    return check_report();
}
