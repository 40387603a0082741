/* l2l_baselines.c - the learning-to-learn baselines (l2l_baselines.h). */
#include "l2l_baselines.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "l2l.h"
#include "rng.h"

/* Solves the 3x3 system A w = r by Gaussian elimination with partial pivoting; a (near)
 * singular system leaves w = 0 where it has no information. */
static void solve3(double A[3][3], double r[3], double w[3])
{
    int p[3] = {0, 1, 2};
    for (int c = 0; c < 3; c++) {
        int best = c;
        for (int i = c + 1; i < 3; i++)
            if (fabs(A[p[i]][c]) > fabs(A[p[best]][c])) best = i;
        int t = p[c];
        p[c] = p[best], p[best] = t;
        double piv = A[p[c]][c];
        if (fabs(piv) < 1e-12) continue;
        for (int i = c + 1; i < 3; i++) {
            double f = A[p[i]][c] / piv;
            for (int j = c; j < 3; j++)
                A[p[i]][j] -= f * A[p[c]][j];
            r[p[i]] -= f * r[p[c]];
        }
    }
    for (int c = 2; c >= 0; c--) {
        double s = r[p[c]];
        for (int j = c + 1; j < 3; j++)
            s -= A[p[c]][j] * w[j];
        w[c] = fabs(A[p[c]][c]) < 1e-12 ? 0 : s / A[p[c]][c];
    }
}

/* The ridge fit of y ~ w0 x1 + w1 x2 + w2 on trials 0..m-1 (penalty lambda on w0, w1). */
static void fit_linear(const double *x, const double *y, int m, double lambda, double w[3])
{
    double A[3][3] = {{lambda, 0, 0}, {0, lambda, 0}, {0, 0, 0}}, r[3] = {0, 0, 0};
    for (int k = 0; k < m; k++) {
        double f[3] = {x[2 * k], x[2 * k + 1], 1};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++)
                A[i][j] += f[i] * f[j];
            r[i] += f[i] * y[k];
        }
    }
    solve3(A, r, w);
}

static double linear(const double w[3], const double *x, int k)
{
    return w[0] * x[2 * k] + w[1] * x[2 * k + 1] + w[2];
}

void l2l_linear_all(const double *x, const double *y, int n, double *sq)
{
    double w[3];
    fit_linear(x, y, n, 0, w);
    for (int k = 0; k < n; k++) {
        double err = linear(w, x, k) - y[k];
        sq[k] = err * err;
    }
}

void l2l_ridge_online(const double *x, const double *y, int n, double lambda, double *sq)
{
    for (int k = 0; k < n; k++) {
        double w[3] = {0, 0, 0};
        if (k > 0) fit_linear(x, y, k, lambda, w);
        double err = linear(w, x, k) - y[k];
        sq[k] = err * err;
    }
}

/* The ANN: hidden units h with input weights w1[h][0..1], bias b1[h], output weight w2[h],
 * output bias b2. */
typedef struct {
    int H;
    double w1[LSNN_L2L_MAX_HIDDEN][2], b1[LSNN_L2L_MAX_HIDDEN], w2[LSNN_L2L_MAX_HIDDEN], b2;
} ann;

static double ann_forward(const ann *a, double x1, double x2, double *h)
{
    double out = a->b2;
    for (int j = 0; j < a->H; j++) {
        h[j] = 1.0 / (1.0 + exp(-(a->w1[j][0] * x1 + a->w1[j][1] * x2 + a->b1[j])));
        out += a->w2[j] * h[j];
    }
    return out;
}

/* One SGD step on (x1, x2, y) of the loss (out - y)^2 / 2 + decay/2 |w|^2. */
static void ann_step(ann *a, double x1, double x2, double y, double lr, double decay)
{
    double h[LSNN_L2L_MAX_HIDDEN];
    double g = ann_forward(a, x1, x2, h) - y;
    for (int j = 0; j < a->H; j++) {
        double gh = g * a->w2[j] * h[j] * (1 - h[j]);
        a->w2[j] -= lr * (g * h[j] + decay * a->w2[j]);
        a->w1[j][0] -= lr * (gh * x1 + decay * a->w1[j][0]);
        a->w1[j][1] -= lr * (gh * x2 + decay * a->w1[j][1]);
        a->b1[j] -= lr * gh;
    }
    a->b2 -= lr * g;
}

void l2l_ann_online(const double *x, const double *y, int n, const l2l_ann_opts *o, double *sq)
{
    ann a;
    memset(&a, 0, sizeof a);
    a.H = o->hidden < 1 ? 1 : o->hidden > LSNN_L2L_MAX_HIDDEN ? LSNN_L2L_MAX_HIDDEN : o->hidden;
    lsnn_rng r = lsnn_rng_derive(o->seed, LSNN_RNG_WEIGHTS, 0);
    for (int j = 0; j < a.H; j++) {
        a.w1[j][0] = o->init * lsnn_rng_normal(&r);
        a.w1[j][1] = o->init * lsnn_rng_normal(&r); /* w2 = 0: trial 0 predicts 0, the mean */
    }
    double h[LSNN_L2L_MAX_HIDDEN];
    for (int k = 0; k < n; k++) {
        for (int ep = 0; k > 0 && ep < o->epochs; ep++)
            for (int i = 0; i < k; i++)
                ann_step(&a, x[2 * i], x[2 * i + 1], y[i], o->lr, o->decay);
        double err = ann_forward(&a, x[2 * k], x[2 * k + 1], h) - y[k];
        sq[k] = err * err;
    }
}
