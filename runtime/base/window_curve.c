/* window_curve.c - MSE against the window's index in its sequence (window_curve.h). */
#include "window_curve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

int lsnn_window_curve_init(lsnn_window_curve *c, int n)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    c->sum = calloc((size_t)n, sizeof *c->sum);
    c->count = calloc((size_t)n, sizeof *c->count);
    if (n < 1 || !c->sum || !c->count) {
        lsnn_window_curve_free(c);
        return -1;
    }
    return 0;
}

void lsnn_window_curve_free(lsnn_window_curve *c)
{
    free(c->sum);
    free(c->count);
    free(c->next_idx);
    memset(c, 0, sizeof *c);
}

void lsnn_window_curve_add(lsnn_window_curve *c, int k, double err)
{
    if (k < 0 || k >= c->n) return;
    c->sum[k] += err * err;
    c->count[k]++;
}

int lsnn_window_curve_add_batch(lsnn_window_curve *c, const lsnn_batch *b, const double *pred)
{
    if (b->n_seq > c->cap_seq) {
        int *p = realloc(c->next_idx, sizeof *p * (size_t)b->n_seq);
        if (!p) return -1;
        c->next_idx = p;
        c->cap_seq = b->n_seq;
    }
    memset(c->next_idx, 0, sizeof *c->next_idx * (size_t)b->n_seq);
    for (int w = 0; w < b->n_win; w++) {
        const lsnn_window *win = &b->win[w];
        lsnn_window_curve_add(c, c->next_idx[win->seq]++, pred[w] - win->target);
    }
    return 0;
}

double lsnn_window_curve_mse(const lsnn_window_curve *c, int a, int b)
{
    double s = 0;
    long n = 0;
    if (a < 0) a = 0;
    if (b > c->n) b = c->n;
    for (int k = a; k < b; k++)
        s += c->sum[k], n += c->count[k];
    return n ? s / n : NAN;
}

int lsnn_window_curve_write(const lsnn_window_curve *c, const char *path, lsnn_error *e)
{
    lsnn_atomic_file f;
    if (lsnn_atomic_open(&f, path, e)) return -1;
    fprintf(f.f, "trial,mse,episodes\n");
    for (int k = 0; k < c->n; k++)
        if (c->count[k]) fprintf(f.f, "%d,%.9g,%ld\n", k + 1, c->sum[k] / c->count[k], c->count[k]);
    return lsnn_atomic_commit(&f, e);
}

void lsnn_window_curve_ranges(const lsnn_window_curve *c, int a[LSNN_WINDOW_CURVE_RANGES],
                              int b[LSNN_WINDOW_CURVE_RANGES],
                              const char *name[LSNN_WINDOW_CURVE_RANGES])
{
    static const char *const names[] = {"trial 1", "trials 2-7", "trials 8+", "all trials"};
    const int lo[] = {0, 1, 7, 0}, hi[] = {1, 7, c->n, c->n};
    for (int i = 0; i < LSNN_WINDOW_CURVE_RANGES; i++)
        a[i] = lo[i], b[i] = hi[i], name[i] = names[i];
}
