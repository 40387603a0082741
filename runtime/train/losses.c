/* losses.c - the task losses of engine.h over a batch's windows: cross-entropy for
 * classification, squared error for regression. Both are means over windows, so that a
 * batch's loss does not grow with its number of windows. */
#include <math.h>

#include "batch.h"
#include "engine.h"
#include "pmath.h"

double lsnn_loss_cross_entropy(void *ctx, const lsnn_batch *batch, int C, const double *logits,
                               double *glogit, int *n_correct)
{
    (void)ctx;
    double ce = 0;
    int correct = 0;
    for (int w = 0; w < batch->n_win; w++) {
        const lsnn_window *win = &batch->win[w];
        const double *lg = logits + (size_t)w * C;
        double mx = -INFINITY, sum = 0;
        int best = 0;
        for (int o = 0; o < C; o++)
            if (lg[o] > mx) mx = lg[o], best = o;
        for (int o = 0; o < C; o++)
            sum += lsnn_exp(lg[o] - mx);
        ce += -(lg[win->label] - mx - lsnn_log(sum));
        correct += lsnn_batch_correct(batch, best, win->label);
        for (int o = 0; o < C; o++) {
            double p = lsnn_exp(lg[o] - mx) / sum;
            glogit[(size_t)w * C + o] = (p - (o == win->label)) / batch->n_win;
        }
    }
    *n_correct = correct;
    return batch->n_win ? ce / batch->n_win : 0;
}

double lsnn_loss_mse(void *ctx, const lsnn_batch *batch, int C, const double *logits,
                     double *glogit, int *n_correct)
{
    (void)ctx;
    double se = 0;
    for (int w = 0; w < batch->n_win; w++) {
        const lsnn_window *win = &batch->win[w];
        double err = logits[(size_t)w * C + win->label] - win->target;
        se += err * err;
        for (int o = 0; o < C; o++)
            glogit[(size_t)w * C + o] = o == win->label ? 2 * err / batch->n_win : 0;
    }
    *n_correct = 0;
    return batch->n_win ? se / batch->n_win : 0;
}
