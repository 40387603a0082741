/* gradcheck_f64.h - compares BPTT's gradient of a double-precision network with central finite
 * differences, entry by entry (test_f64_gradcheck.c, test_f64_nav_ppo.c). Include after check.h
 * and engine.h with LSNN_REAL_DOUBLE. */
#ifndef LSNN_TEST_GRADCHECK_F64_H
#define LSNN_TEST_GRADCHECK_F64_H

#include <math.h>
#include <stdio.h>

/* The loss of a forward run (the engine's own loss, or the custom one it was given). */
static double loss_of(lsnn_engine_f64 *en, lsnn_net_f64 *net, lsnn_batch *b)
{
    lsnn_result res;
    lsnn_engine_run_f64(en, net, b, NULL, &res, NULL, NULL);
    return res.loss;
}

/* Every entry of one parameter array (n entries; skip_diag_of N skips the diagonal of an
 * N x N matrix, the autapses) against its central difference with step 1e-6. */
static void check_param(const char *what, lsnn_engine_f64 *en, lsnn_net_f64 *net, lsnn_batch *b,
                        double *param, const double *grad, int n, int skip_diag_of)
{
    const double h = 1e-6;
    int bad = 0;
    double worst = 0;
    for (int k = 0; k < n; k++) {
        if (skip_diag_of && k / skip_diag_of == k % skip_diag_of) continue;
        double keep = param[k];
        param[k] = keep + h;
        double lp = loss_of(en, net, b);
        param[k] = keep - h;
        double lm = loss_of(en, net, b);
        param[k] = keep;
        double fd = (lp - lm) / (2 * h), err = fabs(fd - grad[k]);
        worst = fmax(worst, err / fmax(fabs(fd), 1e-3));
        if (err > 1e-6 * fabs(fd) + 1e-9 && bad++ < 5)
            fprintf(stderr, "%s[%d]: bptt %.12g fd %.12g\n", what, k, grad[k], fd);
    }
    CHECK(bad == 0, "%s: %d of %d entries disagree (worst relative error %.3g)", what, bad, n,
          worst);
    printf("%-6s %3d entries, worst relative error %.2e\n", what, n, worst);
}

#endif
