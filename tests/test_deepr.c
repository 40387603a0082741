/* test_deepr.c - DEEP R: eigenvalues, the balanced Dale init, step invariants, soft-DEEP R,
 * training. */
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "deepr.h"
#include "eig.h"
#include "model.h"
#include "spec.h"
#include "task.h"
#include "train.h"

/* A store-recall spec (values 2, inputs 4 * group) with the given connectivity value. */
static int make_spec(lsnn_spec *s, unsigned seed, const char *conn, int n_lif, int n_alif,
                     int group, int bias)
{
    char text[2048];
    snprintf(text, sizeof text,
             "version: 1\n"
             "name: deepr_test\n"
             "seed: %u\n"
             "network:\n"
             "  inputs: %d\n"
             "  populations:\n"
             "    - {name: lif, kind: lif, size: %d, tau_m_ms: 20, b0: 0.01, refractory: 2}\n"
             "    - {name: alif, kind: alif, size: %d, tau_m_ms: 20, b0: 0.01, refractory: 2,\n"
             "       tau_a_ms: 200, beta: 1.7}\n"
             "  delays: 4\n"
             "  connectivity: %s\n"
             "  readout: {size: 2, tau_ms: 20, bias: %s}\n"
             "task: {kind: store_recall, values: 2, group_size: %d, char_ms: 20, n_chars: 5,\n"
             "       seq_delay: 1, test_size: 40}\n"
             "training: {batch_size: 16, iterations: 10, optimizer: {lr: 0.01}}\n",
             seed, 4 * group, n_lif, n_alif, conn, bias ? "true" : "false", group);
    lsnn_error e;
    int rc = lsnn_spec_parse("deepr.yaml", text, strlen(text), s, &e);
    CHECK(rc == 0, "inline spec parses: %s", rc ? e.msg : "");
    return rc;
}

static const char *source_dir(void)
{
    static char dir[1024];
    const char *src = getenv("LSNN_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s", src ? src : __FILE__);
    char *slash = src ? NULL : strstr(dir, "/tests/test_deepr.c");
    if (slash) *slash = '\0';
    return dir;
}

/* ---------------------------------------------------------------- eigenvalues */

/* a <- H a H, H = I - 2 v v^T / |v|^2 (an orthogonal similarity: same eigenvalues). */
static void reflect(double *a, int n, lsnn_rng *r)
{
    double *v = malloc(sizeof(double) * n), *w = calloc(n, sizeof(double)), vv = 0;
    for (int i = 0; i < n; i++)
        v[i] = lsnn_rng_normal(r), vv += v[i] * v[i];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            w[j] += v[i] * a[i * n + j];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            a[i * n + j] -= 2 / vv * v[i] * w[j];
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++)
            s += a[i * n + j] * v[j];
        for (int j = 0; j < n; j++)
            a[i * n + j] -= 2 / vv * s * v[j];
    }
    free(v);
    free(w);
}

/* Normal matrices with a known spectrum: 2x2 blocks r (cos t, sin t; -sin t, cos t)
 * (eigenvalues r e^{+-it}) and a real -1.5 when n is odd, hidden by 4 reflections. */
static void test_eigenvalues(void)
{
    static const int sizes[] = {1, 2, 3, 7, 50, 221};
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        int n = sizes[c];
        lsnn_rng r = lsnn_rng_derive(7, 1, (uint64_t)n);
        double *a = calloc((size_t)n * n, sizeof(double)), want = 0, rho = -1;
        for (int i = 0; i + 1 < n; i += 2) {
            double m = 2 * lsnn_rng_uniform(&r), t = 3 * lsnn_rng_uniform(&r);
            a[i * n + i] = a[(i + 1) * n + i + 1] = m * cos(t);
            a[i * n + i + 1] = m * sin(t);
            a[(i + 1) * n + i] = -m * sin(t);
            want = fmax(want, m);
        }
        if (n % 2) a[n * n - 1] = -1.5, want = fmax(want, 1.5);
        for (int k = 0; k < 4; k++)
            reflect(a, n, &r);
        int rc = lsnn_spectral_radius(a, n, &rho);
        CHECK(rc == 0 && fabs(rho - want) <= 1e-12 * want,
              "n = %d: spectral radius %.17g, want %.17g (rel. error %.2g)", n, rho, want,
              fabs(rho - want) / want);
        free(a);
    }
    double zero[4] = {0}, rho = -1, jordan[4] = {2, 1, 0, 2}, wr[2], wi[2];
    CHECK(lsnn_spectral_radius(zero, 2, &rho) == 0 && rho == 0, "zero matrix: %g", rho);
    CHECK(lsnn_spectral_radius(jordan, 2, &rho) == 0 && fabs(rho - 2) < 1e-12, "Jordan block: %g",
          rho);
    double rot[4] = {0, -1, 1, 0}; /* eigenvalues +-i */
    CHECK(lsnn_eigenvalues(rot, 2, wr, wi) == 0 && fabs(wr[0]) < 1e-15 && fabs(wr[1]) < 1e-15 &&
              fabs(fabs(wi[0]) - 1) < 1e-15 && wi[0] == -wi[1],
          "rotation: %g%+gi, %g%+gi", wr[0], wi[0], wr[1], wi[1]);
}

/* ---------------------------------------------------------------- the signed init */

/* Growth rate of ||W^k x|| averaged over steps 1000..3000: an estimate of the spectral
 * radius that does not use eig.c (Gelfand's formula). */
static double power_growth(const double *w, int n)
{
    double *x = malloc(sizeof(double) * n), *y = malloc(sizeof(double) * n), logsum = 0;
    lsnn_rng r = lsnn_rng_derive(3, 3, 3);
    for (int i = 0; i < n; i++)
        x[i] = lsnn_rng_normal(&r);
    for (int k = 0; k < 3000; k++) {
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++)
                s += w[i * n + j] * x[j];
            y[i] = s;
            norm += s * s;
        }
        norm = sqrt(norm);
        for (int i = 0; i < n; i++)
            x[i] = y[i] / norm;
        if (k >= 1000) logsum += log(norm);
    }
    free(x);
    free(y);
    return exp(logsum / 2000);
}

/* random_sparse_signed_matrix before masking: theta >= 0, zero-sum columns, E/I balance,
 * spectral radius 1 (by eig.c and by power iteration). */
static void test_signed_matrix(int n, int n_inh)
{
    int8_t *sign = malloc(n);
    for (int i = 0; i < n; i++)
        sign[i] = i < n_inh ? -1 : 1;
    double *theta = malloc(sizeof(double) * n * n), *w = malloc(sizeof(double) * n * n);
    lsnn_rng r = lsnn_rng_derive(11, 2, (uint64_t)n);
    lsnn_error e;
    int rc = lsnn_deepr_signed_matrix(sign, n, &r, theta, &e);
    CHECK(rc == 0, "signed matrix %d: %s", n, rc ? e.msg : "");
    double worst_col = 0, sum_e = 0, sum_i = 0, rho = 0;
    int negative = 0;
    for (int i = 0; i < n * n; i++) {
        w[i] = sign[i / n] * theta[i];
        negative += theta[i] < 0;
        *(sign[i / n] > 0 ? &sum_e : &sum_i) += theta[i];
    }
    for (int j = 0; j < n; j++) {
        double s = 0, a = 0;
        for (int i = 0; i < n; i++)
            s += w[i * n + j], a += fabs(w[i * n + j]);
        worst_col = fmax(worst_col, fabs(s) / a);
    }
    CHECK(negative == 0, "n = %d: theta >= 0 (%d negative)", n, negative);
    if (n_inh > 0) {
        CHECK(worst_col < 1e-12, "n = %d: every column sums to 0 (worst |sum|/sum|w| %.2g)", n,
              worst_col);
        CHECK(fabs(sum_e - sum_i) < 1e-12 * sum_e, "n = %d: E total %.15g = I total %.15g", n,
              sum_e, sum_i);
    }
    CHECK(lsnn_spectral_radius(w, n, &rho) == 0 && fabs(rho - 1) < 1e-12,
          "n = %d: spectral radius 1 by eig.c: %.17g", n, rho);
    double g = power_growth(w, n);
    CHECK(fabs(g - 1) < 0.02, "n = %d: spectral radius by power iteration %.4f (want 1 +- 0.02)", n,
          g);
    printf("  signed init n = %d (%d inhibitory): column balance %.1e, rho %.15f, power %.4f\n", n,
           n_inh, worst_col, rho, g);
    free(sign);
    free(theta);
    free(w);
}

/* ---------------------------------------------------------------- init */

static long active_of(const lsnn_deepr_matrix *x)
{
    long n = 0;
    for (size_t k = 0; k < x->size; k++)
        n += x->theta[k] > 0;
    return n;
}

/* Dale: every row (presynaptic neuron) of every matrix has one sign; the effective weights
 * follow it. Returns the number of violations. */
static long dale_violations(const lsnn_deepr *dr, const lsnn_net *net, const int8_t *in_sign,
                            const int8_t *rec_sign)
{
    const float *w[3] = {net->w_in, net->w_rec, net->w_out};
    const int8_t *pre[3] = {in_sign, rec_sign, rec_sign};
    long bad = 0;
    for (int m = 0; m < 3; m++) {
        const lsnn_deepr_matrix *x = &dr->m[m];
        for (size_t k = 0; k < x->size; k++) {
            int row = (int)(k / x->cols);
            bad += x->sign[k] != pre[m][row];
            bad += pre[m][row] > 0 ? w[m][k] < 0 : w[m][k] > 0;
        }
    }
    return bad;
}

static void test_init_dale(void)
{
    lsnn_spec s, s2;
    /* 100 inputs, 40 neurons: 31 excitatory / 9 inhibitory recurrent, 76 / 24 inputs */
    if (make_spec(&s, 5, "{mode: deep_r, p: 0.12}", 20, 20, 25, 1) ||
        make_spec(&s2, 6, "{mode: deep_r, p: 0.12}", 20, 20, 25, 1))
        return;
    lsnn_net net, net2, net3;
    lsnn_deepr dr, dr2, dr3;
    lsnn_error e;
    if (lsnn_model_init(&s, &net, &dr, &e) || lsnn_model_init(&s, &net2, &dr2, &e) ||
        lsnn_model_init(&s2, &net3, &dr3, &e)) {
        CHECK(0, "init: %s", e.msg);
        return;
    }
    int8_t in_sign[100], rec_sign[40];
    int in_inh = 0, rec_inh = 0, in_sorted = 1;
    for (int i = 0; i < 100; i++) {
        in_sign[i] = dr.m[0].sign[(size_t)i * 40];
        in_inh += in_sign[i] < 0;
        if (i > 0 && in_sign[i] < in_sign[i - 1]) in_sorted = 0;
    }
    for (int i = 0; i < 40; i++) {
        rec_sign[i] = dr.m[1].sign[(size_t)i * 40];
        rec_inh += rec_sign[i] < 0;
        CHECK(rec_sign[i] == (i < 9 ? -1 : 1), "recurrent neuron %d: sign %d", i, rec_sign[i]);
    }
    CHECK(in_inh == 100 - (int)(0.75 * 100) - 1 && rec_inh == 40 - (int)(0.75 * 40) - 1,
          "int(0.75 n) + 1 excitatory: %d / %d inhibitory", in_inh, rec_inh);
    CHECK(!in_sorted, "the input signs are shuffled");
    CHECK(dale_violations(&dr, &net, in_sign, rec_sign) == 0,
          "Dale at init: one sign per presynaptic neuron, weights follow it");
    for (int m = 0; m < 3; m++) {
        long active = active_of(&dr.m[m]), nb = (long)((double)dr.m[m].size * 0.12);
        CHECK(active <= nb && active >= 0.85 * nb,
              "%s: %ld active of int(size p) = %ld pairs drawn with replacement",
              lsnn_deepr_names[m], active, nb);
    }
    CHECK(lsnn_deepr_check(&dr, &net, "init", &e) == 0, "w = sign * theta: %s", e.msg);
    int same = 1, other = 1;
    for (int m = 0; m < 3; m++) {
        size_t n = dr.m[m].size;
        same &= !memcmp(dr.m[m].theta, dr2.m[m].theta, n * 4) &&
                !memcmp(dr.m[m].sign, dr2.m[m].sign, n);
        other &= !memcmp(dr.m[m].theta, dr3.m[m].theta, n * 4);
    }
    CHECK(same, "same seed: same theta and signs");
    CHECK(!other, "another seed: other connectivity");
    CHECK(dr.pruned == 0 && dr.grown == 0, "counters start at 0");
    lsnn_deepr_free(&dr);
    lsnn_deepr_free(&dr2);
    lsnn_deepr_free(&dr3);
    lsnn_net_free(&net);
    lsnn_net_free(&net2);
    lsnn_net_free(&net3);
}

static void test_init_unsigned(void)
{
    lsnn_spec s;
    /* 400 inputs, 200 neurons */
    if (make_spec(&s, 9, "{mode: deep_r, p: 0.5, dale: false}", 100, 100, 100, 1)) return;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_error e;
    if (lsnn_model_init(&s, &net, &dr, &e)) {
        CHECK(0, "init: %s", e.msg);
        return;
    }
    const lsnn_deepr_matrix *x = &dr.m[0];
    double mean = 0;
    long active = 0, positive = 0;
    for (size_t k = 0; k < x->size; k++)
        if (x->theta[k] > 0) active++, mean += x->theta[k] * sqrt(400.0);
    for (size_t k = 0; k < x->size; k++)
        positive += x->sign[k] > 0;
    mean /= active;
    /* int(80000 * 0.5) pairs with replacement: 1 - e^-0.5 = 39.3 % distinct */
    CHECK(fabs((double)active / x->size - (1 - exp(-0.5))) < 0.01,
          "w_in density %.4f, want 1 - e^-p = %.4f", (double)active / x->size, 1 - exp(-0.5));
    CHECK(fabs(mean - sqrt(2 / 3.141592653589793)) < 0.01,
          "theta ~ |N(0,1)|/sqrt(n_in): E|N| = %.4f", mean);
    CHECK(fabs((double)positive / x->size - 0.5) < 0.01, "random signs: %.4f positive",
          (double)positive / x->size);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
}

/* models/smnist.yaml: the paper's budget, 8184 = int(0.12 * 68200). */
static void test_smnist_budget(void)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/models/smnist.yaml", source_dir());
    lsnn_spec s;
    lsnn_error e;
    if (lsnn_spec_load(path, &s, &e)) {
        CHECK(0, "%s", e.msg);
        return;
    }
    lsnn_net net;
    lsnn_deepr dr;
    if (lsnn_model_init(&s, &net, &dr, &e)) {
        CHECK(0, "init: %s", e.msg);
        return;
    }
    long k = lsnn_deepr_budget(&dr, &s.deepr, -1), active = 0;
    for (int m = 0; m < 3; m++)
        active += active_of(&dr.m[m]);
    CHECK(k == 8184, "sMNIST budget K = %ld, want 8184", k);
    CHECK(lsnn_deepr_budget(&dr, &s.deepr, 0) == 2112 &&
              lsnn_deepr_budget(&dr, &s.deepr, 1) == 5808 &&
              lsnn_deepr_budget(&dr, &s.deepr, 2) == 264,
          "per-matrix budgets 2112, 5808, 264");
    CHECK(active < k && active > 0.9 * k, "initial density below p: %ld active (%.2f %%)", active,
          100.0 * active / 68200);
    int rec_inh = 0;
    for (int i = 0; i < 220; i++)
        rec_inh += dr.m[1].sign[(size_t)i * 220] < 0;
    CHECK(rec_inh == 54 && dr.m[1].sign[53 * 220] < 0 && dr.m[1].sign[54 * 220] > 0,
          "neurons 0-53 inhibitory: %d", rec_inh);
    printf("  sMNIST init: %ld active of K = %ld (%.2f %% of 68200)\n", active, k,
           100.0 * active / 68200);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
}

/* ---------------------------------------------------------------- the step */

typedef struct {
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_adam adam;
    lsnn_grads g;
} model;

static int model_new(model *x, const lsnn_spec *s)
{
    lsnn_error e;
    memset(x, 0, sizeof *x);
    if (lsnn_model_init(s, &x->net, &x->dr, &e) || lsnn_adam_alloc(&x->adam, &x->net) ||
        lsnn_grads_alloc(&x->g, &x->net)) {
        CHECK(0, "model: %s", e.msg);
        return -1;
    }
    return 0;
}

static void model_free(model *x)
{
    lsnn_deepr_free(&x->dr);
    lsnn_adam_free(&x->adam);
    lsnn_grads_free(&x->g);
    lsnn_net_free(&x->net);
}

/* Random gradients, large ones too, at every entry (dormant ones included). */
static void random_grads(model *x, lsnn_rng *r, double scale)
{
    float *g[4] = {x->g.w_in, x->g.w_rec, x->g.w_out, x->g.b_out};
    size_t n[4] = {x->dr.m[0].size, x->dr.m[1].size, x->dr.m[2].size, (size_t)x->net.n_out};
    for (int m = 0; m < 4; m++)
        for (size_t k = 0; k < n[m]; k++)
            g[m][k] = (float)(scale * lsnn_rng_normal(r) * (lsnn_rng_uniform(r) < 0.05 ? 1e4 : 1));
}

/* K held after every step; signs fixed; dormant entries stay exactly 0 through Adam;
 * reactivated ones start at exactly 1e-12; w == sign * theta. */
static void test_step_invariants(const char *conn, int per_matrix, double lr)
{
    lsnn_spec s;
    if (make_spec(&s, 21, conn, 10, 10, 25, 1)) return;
    model x;
    if (model_new(&x, &s)) return;
    int8_t *sign0[3];
    float *before[3];
    long k_total = lsnn_deepr_budget(&x.dr, &s.deepr, -1), bad_count = 0, bad_sign = 0;
    long bad_dormant = 0, bad_eps = 0, bad_check = 0, reactivated = 0, pruned = 0;
    long initial_active = 0;
    for (int m = 0; m < 3; m++) {
        sign0[m] = malloc(x.dr.m[m].size);
        before[m] = malloc(x.dr.m[m].size * 4);
        memcpy(sign0[m], x.dr.m[m].sign, x.dr.m[m].size);
        initial_active += active_of(&x.dr.m[m]);
    }
    lsnn_rng r = lsnn_rng_derive(99, 1, 0);
    lsnn_error e;
    for (long it = 0; it < 60; it++) {
        for (int m = 0; m < 3; m++)
            memcpy(before[m], x.dr.m[m].theta, x.dr.m[m].size * 4);
        random_grads(&x, &r, it % 3 ? 1 : 1e-3);
        lsnn_deepr_step(&x.dr, &x.adam, &s, &x.g, &x.net, lr, it);
        long total = 0;
        for (int m = 0; m < 3; m++) {
            const lsnn_deepr_matrix *y = &x.dr.m[m];
            long a = active_of(y);
            total += a;
            if (per_matrix) bad_count += a != lsnn_deepr_budget(&x.dr, &s.deepr, m);
            bad_sign += memcmp(sign0[m], y->sign, y->size) != 0;
            for (size_t k = 0; k < y->size; k++) {
                if (before[m][k] > 0) {
                    pruned += !(y->theta[k] > 0);
                    continue;
                }
                /* dormant before: exactly 0 after Adam and the guard, or reactivated */
                bad_dormant += y->theta[k] != 0 && y->theta[k] != LSNN_DEEPR_EPSILON;
                reactivated += y->theta[k] > 0;
                bad_eps += y->theta[k] > 0 && y->theta[k] != 1e-12f;
            }
        }
        if (!per_matrix) bad_count += total != k_total;
        bad_check += lsnn_deepr_check(&x.dr, &x.net, "step", &e) != 0;
    }
    const char *mode = per_matrix ? "per_matrix" : "global";
    CHECK(bad_count == 0, "%s: active count off the budget after %ld of 60 steps", mode, bad_count);
    CHECK(bad_sign == 0, "%s: signs never change (%ld steps changed some)", mode, bad_sign);
    CHECK(bad_dormant == 0, "%s: %ld dormant entries moved by Adam despite large gradients", mode,
          bad_dormant);
    CHECK(bad_eps == 0, "%s: %ld reactivated entries not at 1e-12", mode, bad_eps);
    CHECK(bad_check == 0, "%s: effective weights == sign * theta (%ld steps off): %s", mode,
          bad_check, e.msg);
    CHECK(reactivated > 0 && x.dr.pruned > 0, "%s: rewiring happened: %ld pruned, %ld reactivated",
          mode, x.dr.pruned, reactivated);
    long now = 0;
    for (int m = 0; m < 3; m++)
        now += active_of(&x.dr.m[m]);
    /* (a connection pruned and re-grown in the same step is not seen by the loop above) */
    CHECK(x.dr.pruned >= pruned && x.dr.grown - x.dr.pruned == now - initial_active,
          "%s: counters: pruned %ld (seen %ld), grown %ld, active %ld -> %ld", mode, x.dr.pruned,
          pruned, x.dr.grown, initial_active, now);
    printf("  %s (%s): K %ld, 60 steps: %ld pruned, %ld grown\n", mode, conn, k_total, x.dr.pruned,
           x.dr.grown);
    for (int m = 0; m < 3; m++) {
        free(sign0[m]);
        free(before[m]);
    }
    model_free(&x);
}

/* The first step moves each surviving weight by -lr * sign(dL/dw) - sign * lr * l1 (Adam's
 * first step is lr * sign(g); g_theta = sign * g_w); b_out is plain Adam. */
static void test_first_step(void)
{
    lsnn_spec s;
    if (make_spec(&s, 3, "{mode: deep_r, p: 0.3, l1: 0.5}", 5, 5, 5, 1)) return;
    model x;
    if (model_new(&x, &s)) return;
    float *w0 = malloc(x.dr.m[0].size * 4), *t0 = malloc(x.dr.m[0].size * 4), b0 = x.net.b_out[0];
    memcpy(w0, x.net.w_in, x.dr.m[0].size * 4);
    memcpy(t0, x.dr.m[0].theta, x.dr.m[0].size * 4);
    lsnn_rng r = lsnn_rng_derive(5, 5, 5);
    random_grads(&x, &r, 1);
    double lr = 1e-3;
    lsnn_deepr_step(&x.dr, &x.adam, &s, &x.g, &x.net, lr, 0);
    long bad = 0, checked = 0;
    for (size_t k = 0; k < x.dr.m[0].size; k++) {
        if (!(t0[k] > 0) || !(x.dr.m[0].theta[k] > 0) || x.dr.m[0].theta[k] == 1e-12f) continue;
        double g = x.g.w_in[k], sgn = x.dr.m[0].sign[k];
        double want = w0[k] - lr * (g > 0 ? 1 : -1) - sgn * lr * 0.5;
        bad += fabs(x.net.w_in[k] - want) > 1e-6;
        checked++;
    }
    CHECK(checked > 10 && bad == 0, "first step: %ld of %ld weights off -lr sign(g) - sign lr l1",
          bad, checked);
    CHECK(fabs(x.net.b_out[0] - (b0 - lr * (x.g.b_out[0] > 0 ? 1 : -1))) < 1e-6,
          "b_out: plain Adam");
    free(w0);
    free(t0);
    model_free(&x);
}

/* An active autapse gets no gradient: its theta only decays by lr * l1; w stays 0. */
static void test_autapse(void)
{
    lsnn_spec s;
    if (make_spec(&s, 4, "{mode: deep_r, p: 0.2, l1: 0.5}", 5, 5, 5, 1)) return;
    model x;
    if (model_new(&x, &s)) return;
    int N = x.net.n_rec;
    x.dr.m[1].theta[0] = 0.5f; /* an active autapse (it would be an ordinary candidate) */
    lsnn_rng r = lsnn_rng_derive(6, 6, 6);
    random_grads(&x, &r, 1);
    for (int i = 0; i < N; i++)
        x.g.w_rec[(size_t)i * N + i] = 1e6f;
    lsnn_deepr_step(&x.dr, &x.adam, &s, &x.g, &x.net, 0.01, 0);
    CHECK(x.dr.m[1].theta[0] == 0.5f - (float)(0.01 * 0.5),
          "active autapse: theta %.9g, want 0.5 - lr l1", x.dr.m[1].theta[0]);
    int diag = 0;
    for (int i = 0; i < N; i++)
        diag += x.net.w_rec[(size_t)i * N + i] != 0;
    CHECK(diag == 0, "w_rec diagonal stays 0 (%d nonzero)", diag);
    model_free(&x);
}

/* Same seed and gradients: same connectivity; another seed: another one. */
static void test_step_determinism(void)
{
    lsnn_spec s, s2;
    const char *conn = "{mode: deep_r, p: 0.12, temperature: 1e-4}";
    if (make_spec(&s, 8, conn, 10, 10, 25, 1) || make_spec(&s2, 8, conn, 10, 10, 25, 1)) return;
    s2.seed = 1234; /* same init arrays would still differ: compare the rewiring only */
    model a, b, c;
    if (model_new(&a, &s) || model_new(&b, &s) || model_new(&c, &s)) return;
    lsnn_rng ra = lsnn_rng_derive(1, 1, 1), rb = ra, rc = ra;
    for (long it = 0; it < 20; it++) {
        random_grads(&a, &ra, 1);
        random_grads(&b, &rb, 1);
        random_grads(&c, &rc, 1);
        lsnn_deepr_step(&a.dr, &a.adam, &s, &a.g, &a.net, 0.02, it);
        lsnn_deepr_step(&b.dr, &b.adam, &s, &b.g, &b.net, 0.02, it);
        lsnn_deepr_step(&c.dr, &c.adam, &s2, &c.g, &c.net, 0.02, it);
    }
    int same = 1, other = 1;
    for (int m = 0; m < 3; m++) {
        same &= !memcmp(a.dr.m[m].theta, b.dr.m[m].theta, a.dr.m[m].size * 4);
        other &= !memcmp(a.dr.m[m].theta, c.dr.m[m].theta, a.dr.m[m].size * 4);
    }
    CHECK(same, "same seed, same gradients: bit-identical theta after 20 steps");
    CHECK(!other, "another rewiring seed: other connectivity");
    model_free(&a);
    model_free(&b);
    model_free(&c);
}

/* Soft-DEEP R: theta >= theta_min, connections come and go without a budget. */
static void test_soft(void)
{
    lsnn_spec s;
    if (make_spec(&s, 12, "{mode: deep_r, p: 0.2, soft: true, l1: 0.01, temperature: 1e-3}", 10, 10,
                  25, 1))
        return;
    model x;
    if (model_new(&x, &s)) return;
    double theta_min = lsnn_deepr_theta_min(&s.deepr);
    CHECK(fabs(theta_min - (-(0.8 * 1e-3) / (0.2 * 0.01))) < 1e-15, "theta_min = %g", theta_min);
    long below = 0, dormant_init = 0, bad_check = 0;
    lsnn_error e;
    for (int m = 0; m < 3; m++)
        for (size_t k = 0; k < x.dr.m[m].size; k++)
            if (!(x.dr.m[m].theta[k] > 0))
                dormant_init++, below += x.dr.m[m].theta[k] < (float)theta_min;
    CHECK(below == 0 && dormant_init > 0, "dormant theta start in [theta_min, 0]");
    lsnn_rng r = lsnn_rng_derive(2, 2, 2);
    for (long it = 0; it < 40; it++) {
        random_grads(&x, &r, 1);
        lsnn_deepr_step(&x.dr, &x.adam, &s, &x.g, &x.net, 0.05, it);
        for (int m = 0; m < 3; m++)
            for (size_t k = 0; k < x.dr.m[m].size; k++)
                below += x.dr.m[m].theta[k] < (float)theta_min;
        bad_check += lsnn_deepr_check(&x.dr, &x.net, "soft", &e) != 0;
    }
    CHECK(below == 0, "soft: theta never below theta_min (%ld)", below);
    CHECK(bad_check == 0, "soft: w == sign * theta");
    CHECK(x.dr.grown > 0 && x.dr.pruned > 0, "soft: %ld grown, %ld pruned by noise and gradients",
          x.dr.grown, x.dr.pruned);
    printf("  soft-DEEP R: theta_min %.3g, 40 steps: %ld grown, %ld pruned\n", theta_min,
           x.dr.grown, x.dr.pruned);
    model_free(&x);
}

/* dst's moments and step := src's (same shapes). */
static void adam_copy(lsnn_adam *dst, const lsnn_adam *src, const lsnn_net *net)
{
    size_t n[4] = {(size_t)net->n_in * net->n_rec, (size_t)net->n_rec * net->n_rec,
                   (size_t)net->n_rec * net->n_out, (size_t)net->n_out};
    float *d[8] = {dst->m.w_in, dst->m.w_rec, dst->m.w_out, dst->m.b_out,
                   dst->v.w_in, dst->v.w_rec, dst->v.w_out, dst->v.b_out};
    const float *s[8] = {src->m.w_in, src->m.w_rec, src->m.w_out, src->m.b_out,
                         src->v.w_in, src->v.w_rec, src->v.w_out, src->v.b_out};
    for (int k = 0; k < 8; k++)
        memcpy(d[k], s[k], n[k % 4] * sizeof(float));
    dst->step = src->step;
}

/* The fast variant's step: from one state and one gradient, an entry active before and after
 * whose moments never restarted moves exactly as in the official variant (same Adam); one
 * re-grown at step s moves as a fresh Adam parameter of age step - s would (Adam's bias
 * correction for that age); a dormant entry's moments are left as they were; an entry the
 * rewiring activates restarts with moments 0 and its age from this step. */
static void test_fast_step(void)
{
    lsnn_spec so, sf;
    if (make_spec(&so, 5, "{mode: deep_r, p: 0.12}", 10, 10, 25, 1) ||
        make_spec(&sf, 5, "{mode: deep_r, p: 0.12, variant: fast}", 10, 10, 25, 1))
        return;
    CHECK(!so.deepr.fast && sf.deepr.fast, "variant parses: official %d, fast %d", so.deepr.fast,
          sf.deepr.fast);
    model a, b;
    if (model_new(&a, &so) || model_new(&b, &sf)) return;
    lsnn_rng r = lsnn_rng_derive(7, 7, 7);
    long same = 0, differ = 0, kept_moments = 0, moved_moments = 0, reset = 0, not_reset = 0;
    long fresh_ok = 0, fresh_bad = 0;
    for (long it = 0; it < 30; it++) {
        /* both start the step from the fast model's state; moments made nonzero everywhere */
        for (int m = 0; m < 3; m++) {
            size_t n = b.dr.m[m].size;
            float *am = m == 0 ? b.adam.m.w_in : m == 1 ? b.adam.m.w_rec : b.adam.m.w_out;
            float *av = m == 0 ? b.adam.v.w_in : m == 1 ? b.adam.v.w_rec : b.adam.v.w_out;
            for (size_t k = 0; k < n; k++)
                if (!(b.dr.m[m].theta[k] > 0)) {
                    am[k] = (float)lsnn_rng_normal(&r);
                    av[k] = (float)lsnn_rng_uniform(&r);
                }
        }
        lsnn_deepr_free(&a.dr);
        lsnn_adam_free(&a.adam);
        CHECK(lsnn_deepr_alloc(&a.dr, a.net.n_in, a.net.n_rec, a.net.n_out) == 0 &&
                  lsnn_adam_alloc(&a.adam, &a.net) == 0,
              "alloc");
        for (int m = 0; m < 3; m++) {
            memcpy(a.dr.m[m].theta, b.dr.m[m].theta, b.dr.m[m].size * 4);
            memcpy(a.dr.m[m].sign, b.dr.m[m].sign, b.dr.m[m].size);
        }
        adam_copy(&a.adam, &b.adam, &a.net);
        random_grads(&b, &r, 1);
        memcpy(a.g.w_in, b.g.w_in, b.dr.m[0].size * 4);
        memcpy(a.g.w_rec, b.g.w_rec, b.dr.m[1].size * 4);
        memcpy(a.g.w_out, b.g.w_out, b.dr.m[2].size * 4);
        memcpy(a.g.b_out, b.g.b_out, (size_t)b.net.n_out * 4);
        float *before[3], *mb[3];
        int32_t *born[3];
        for (int m = 0; m < 3; m++) {
            before[m] = malloc(b.dr.m[m].size * 4);
            mb[m] = malloc(b.dr.m[m].size * 4);
            born[m] = malloc(b.dr.m[m].size * 4);
            memcpy(before[m], b.dr.m[m].theta, b.dr.m[m].size * 4);
            memcpy(born[m], b.dr.m[m].born, b.dr.m[m].size * 4);
        }
        memcpy(mb[0], b.adam.m.w_in, b.dr.m[0].size * 4);
        memcpy(mb[1], b.adam.m.w_rec, b.dr.m[1].size * 4);
        memcpy(mb[2], b.adam.m.w_out, b.dr.m[2].size * 4);
        lsnn_deepr_step(&a.dr, &a.adam, &so, &a.g, &a.net, 0.05, it);
        lsnn_deepr_step(&b.dr, &b.adam, &sf, &b.g, &b.net, 0.05, it);
        for (int m = 0; m < 3; m++) {
            const float *am = m == 0 ? b.adam.m.w_in : m == 1 ? b.adam.m.w_rec : b.adam.m.w_out;
            const float *av = m == 0 ? b.adam.v.w_in : m == 1 ? b.adam.v.w_rec : b.adam.v.w_out;
            for (size_t k = 0; k < b.dr.m[m].size; k++) {
                float t0 = before[m][k], ta = a.dr.m[m].theta[k], tb = b.dr.m[m].theta[k];
                if (t0 > 0 && ta > 0 && tb > 0 && born[m][k] == 0) {
                    same += ta == tb;
                    differ += ta != tb;
                }
                /* a fresh Adam parameter (not one pruned and re-grown in this very step) */
                if (t0 > 0 && tb > 0 && born[m][k] > 0 && b.dr.m[m].born[k] == born[m][k]) {
                    long age = b.adam.step - born[m][k];
                    float lr_f = (float)(0.05 * sqrt(1 - lsnn_powi(sf.adam_beta2, age)) /
                                         (1 - lsnn_powi(sf.adam_beta1, age)));
                    float want = t0 - lr_f * am[k] / (sqrtf(av[k]) + (float)sf.adam_eps);
                    if (want > 0) want -= (float)(0.05 * sf.deepr.l1);
                    fresh_ok += tb == want;
                    fresh_bad += tb != want;
                }
                if (!(t0 > 0) && !(tb > 0)) {
                    kept_moments += am[k] == mb[m][k];
                    moved_moments += am[k] != mb[m][k];
                }
                if (!(t0 > 0) && tb > 0) {
                    int fresh = am[k] == 0 && av[k] == 0 && b.dr.m[m].born[k] == b.adam.step;
                    reset += fresh;
                    not_reset += !fresh;
                }
            }
            free(before[m]);
            free(mb[m]);
            free(born[m]);
        }
    }
    CHECK(same > 0 && differ == 0, "fast: active entries move as official (%ld same, %ld differ)",
          same, differ);
    CHECK(kept_moments > 0 && moved_moments == 0,
          "fast: dormant moments untouched (%ld kept, %ld moved)", kept_moments, moved_moments);
    CHECK(reset > 0 && not_reset == 0,
          "fast: activated entries restart at moments 0, age 0 (%ld, %ld not)", reset, not_reset);
    CHECK(fresh_ok > 0 && fresh_bad == 0,
          "fast: re-grown entries move as fresh Adam parameters (%ld, %ld not)", fresh_ok,
          fresh_bad);
    printf("  fast variant: %ld active updates as official, %ld as fresh Adam, %ld dormant "
           "moments kept, %ld activations reset\n",
           same, fresh_ok, kept_moments, reset);
    model_free(&a);
    model_free(&b);
}

/* The engine's active-only gradients (fast and soft variants): at every nonzero weight the
 * same gradient, bit for bit, as the all-entries layout; 0 elsewhere. */
static void test_active_gradients(void)
{
    lsnn_spec s;
    if (make_spec(&s, 8, "{mode: deep_r, p: 0.3, variant: fast}", 10, 10, 5, 1)) return;
    model x;
    if (model_new(&x, &s)) return;
    CHECK(x.net.grad_active_only == 1, "the fast variant asks for active-only gradients");
    lsnn_task *task = NULL;
    lsnn_batch batch = {0};
    lsnn_error e;
    lsnn_grads full;
    lsnn_engine *en = lsnn_engine_new(2);
    if (lsnn_task_open(&s, &task, &e) || lsnn_task_train_batch(task, 0, 40, &batch, &e) ||
        lsnn_grads_alloc(&full, &x.net) || !en) {
        CHECK(0, "setup: %s", e.msg);
        return;
    }
    lsnn_result r1, r2;
    x.net.grad_active_only = 0;
    CHECK(lsnn_engine_run(en, &x.net, &batch, &full, &r1, NULL, NULL) == 0, "run, all entries");
    x.net.grad_active_only = 1;
    CHECK(lsnn_engine_run(en, &x.net, &batch, &x.g, &r2, NULL, NULL) == 0, "run, active only");
    long same = 0, bad = 0, zero = 0, nonzero_dormant = 0;
    const float *w[2] = {x.net.w_in, x.net.w_rec}, *ga[2] = {x.g.w_in, x.g.w_rec},
                *gf[2] = {full.w_in, full.w_rec};
    size_t n[2] = {x.dr.m[0].size, x.dr.m[1].size};
    for (int m = 0; m < 2; m++)
        for (size_t k = 0; k < n[m]; k++) {
            if (w[m][k] != 0) {
                same += ga[m][k] == gf[m][k];
                bad += ga[m][k] != gf[m][k];
            } else {
                zero += ga[m][k] == 0;
                nonzero_dormant += gf[m][k] != 0;
            }
        }
    CHECK(same > 0 && bad == 0, "active entries: %ld equal, %ld differ", same, bad);
    CHECK(zero + same == (long)(n[0] + n[1]), "dormant entries get 0");
    CHECK(nonzero_dormant > 0, "the official layout has gradients at dormant entries (%ld)",
          nonzero_dormant);
    CHECK(memcmp(x.g.w_out, full.w_out, x.dr.m[2].size * 4) == 0 && r1.loss == r2.loss,
          "w_out gradient and loss unchanged");
    lsnn_engine_free(en);
    lsnn_grads_free(&full);
    lsnn_batch_free(&batch);
    lsnn_task_close(task);
    model_free(&x);
}

/* ---------------------------------------------------------------- training */

/* 100 store-recall iterations of models/store_recall_deepr.yaml: connections move, the
 * budget holds, Dale holds. */
static void test_training(const char *tmp)
{
    char src[1200], spec_path[1300], run[1300], ckpt[1400];
    snprintf(src, sizeof src, "%s/models/store_recall_deepr.yaml", source_dir());
    snprintf(spec_path, sizeof spec_path, "%s/store_recall_deepr.yaml", tmp);
    snprintf(run, sizeof run, "%s/run", tmp);
    snprintf(ckpt, sizeof ckpt, "%s/checkpoint.safetensors", run);
    lsnn_spec s;
    lsnn_error e;
    if (lsnn_spec_load(src, &s, &e)) {
        CHECK(0, "%s", e.msg);
        return;
    }
    s.eval_every = 0; /* validation does not change training; it only costs time */
    s.checkpoint_every = 0;
    if (lsnn_spec_save(spec_path, &s, &e)) {
        CHECK(0, "%s", e.msg);
        return;
    }
    lsnn_train_opts o = {
        .spec_path = spec_path, .run_dir = run, .iters = 100, .threads = 2, .force = 1};
    int rc = lsnn_train(&o, &e);
    CHECK(rc == 0, "lsnn_train store_recall_deepr --iters 100: %s", rc ? e.msg : "");
    if (rc) return;
    lsnn_net init_net, net;
    lsnn_deepr init, dr;
    lsnn_adam adam;
    if (lsnn_model_init(&s, &init_net, &init, &e) ||
        lsnn_model_load(ckpt, &s, &net, &dr, &adam, NULL, NULL, 10, &e)) {
        CHECK(0, "%s", e.msg);
        return;
    }
    long initial = 0, kept = 0, active = 0;
    for (int m = 0; m < 3; m++) {
        const lsnn_deepr_matrix *a = &init.m[m], *b = &dr.m[m];
        for (size_t k = 0; k < a->size; k++) {
            initial += a->theta[k] > 0;
            kept += a->theta[k] > 0 && b->theta[k] > 0;
            active += b->theta[k] > 0;
        }
    }
    long k_budget = lsnn_deepr_budget(&dr, &s.deepr, -1);
    CHECK(adam.step == 100, "100 steps: %ld", adam.step);
    CHECK(active == k_budget, "after training: %ld active, K = %ld", active, k_budget);
    CHECK(kept < initial, "rewiring replaced some of the %ld initial connections", initial);
    int8_t in_sign[100], rec_sign[20];
    for (int i = 0; i < 100; i++)
        in_sign[i] = init.m[0].sign[(size_t)i * 20];
    for (int i = 0; i < 20; i++)
        rec_sign[i] = init.m[1].sign[(size_t)i * 20];
    CHECK(dale_violations(&init, &init_net, in_sign, rec_sign) == 0, "Dale at init");
    CHECK(dale_violations(&dr, &net, in_sign, rec_sign) == 0, "Dale after 100 steps");
    printf("  store_recall_deepr, 100 iterations: %ld of %ld initial connections replaced "
           "(%.1f %%); counters: %ld pruned, %ld grown; %ld active (K = %ld)\n",
           initial - kept, initial, 100.0 * (initial - kept) / initial, dr.pruned, dr.grown, active,
           k_budget);
    lsnn_deepr_free(&init);
    lsnn_deepr_free(&dr);
    lsnn_adam_free(&adam);
    lsnn_net_free(&init_net);
    lsnn_net_free(&net);
}

int main(void)
{
    const char *tmp = check_tmpdir("test_deepr");
    test_eigenvalues();
    test_signed_matrix(80, 19);
    test_signed_matrix(220, 54);
    test_signed_matrix(5, 1);
    test_signed_matrix(4, 0); /* no inhibitory neuron: no balancing, only the scaling */
    test_init_dale();
    test_init_unsigned();
    test_smnist_budget();
    test_step_invariants("{mode: deep_r, p: 0.12}", 0, 0.05);
    test_step_invariants("{mode: deep_r, p: 0.12, temperature: 1e-4, l1: 0.1}", 0, 0.05);
    test_step_invariants("{mode: deep_r, p: 0.2, budget: per_matrix}", 1, 0.05);
    test_step_invariants("{mode: deep_r, p: 0.1, dale: false}", 0, 0.05);
    /* p = 1: the multinomial overfills matrices with few dormant entries; the excess is
     * drawn again, so every entry is active after every step */
    test_step_invariants("{mode: deep_r, p: 1, dale: false}", 0, 0.05);
    test_first_step();
    test_autapse();
    test_step_determinism();
    test_soft();
    test_step_invariants("{mode: deep_r, p: 0.12, variant: fast}", 0, 0.05);
    test_fast_step();
    test_active_gradients();
    test_training(tmp);
    return check_report();
}
