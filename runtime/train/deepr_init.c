/* deepr_init.c - DEEP R initial theta and signs, as LSNN-official's weight_sampler (§2.2). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deepr.h"
#include "eig.h"

/* Signs of n presynaptic neurons with Dale's law: int(excitatory * n) + 1 excitatory
 * (+1) and the rest inhibitory (-1), as [-1] * n_I + [+1] * n_E; shuffled (inputs) or not
 * (recurrent neurons: the inhibitory ones are 0 .. n_I - 1). */
static void neuron_signs(int8_t *sign, int n, double excitatory, int shuffle, lsnn_rng *r)
{
    int n_exc = (int)(excitatory * n) + 1;
    if (n_exc > n) n_exc = n;
    for (int i = 0; i < n; i++)
        sign[i] = i < n - n_exc ? -1 : 1;
    if (!shuffle) return;
    for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)lsnn_rng_below(r, (uint32_t)i + 1);
        int8_t t = sign[i];
        sign[i] = sign[j];
        sign[j] = t;
    }
}

/* balance_matrix_per_neuron on one column k of w = sign * theta: if the column sum s is
 * negative, |s| / n_E is added to each excitatory weight, else each inhibitory weight
 * gets |s| / n_I more negative; a column without an E or without an I weight becomes 0. */
static void balance_column(const int8_t *sign, int n, int k, double *theta)
{
    double s_e = 0, s_i = 0;
    int n_e = 0, n_i = 0;
    for (int i = 0; i < n; i++) {
        double t = theta[(size_t)i * n + k];
        if (!(t > 0)) continue;
        if (sign[i] > 0)
            s_e += t, n_e++;
        else
            s_i -= t, n_i++;
    }
    if (n_e == 0 || n_i == 0) {
        for (int i = 0; i < n; i++)
            theta[(size_t)i * n + k] = 0;
        return;
    }
    double s = s_e + s_i;
    for (int i = 0; i < n; i++) {
        double *t = &theta[(size_t)i * n + k];
        if (!(*t > 0)) continue;
        if (s < 0 && sign[i] > 0) *t += fabs(s) / n_e;
        if (s >= 0 && sign[i] < 0) *t += fabs(s) / n_i; /* w = -theta gets more negative */
    }
}

int lsnn_deepr_signed_matrix(const int8_t *neuron_sign, int n, lsnn_rng *r, double *theta,
                             lsnn_error *e)
{
    size_t nn = (size_t)n * n;
    double val_e = 0, val_i = 0, rho = 0;
    for (size_t k = 0; k < nn; k++)
        theta[k] = fabs(lsnn_rng_normal(r));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            *(neuron_sign[i] > 0 ? &val_e : &val_i) += theta[(size_t)i * n + j];
    if (val_i > 0 && val_e > 0) { /* no balancing without inhibitory neurons, as LSNN-official */
        for (int i = 0; i < n; i++)
            if (neuron_sign[i] < 0)
                for (int j = 0; j < n; j++)
                    theta[(size_t)i * n + j] *= val_e / val_i;
        for (int k = 0; k < n; k++)
            balance_column(neuron_sign, n, k, theta);
    }
    double *w = malloc(nn * sizeof *w);
    if (!w) return lsnn_fail(e, "out of memory");
    for (size_t k = 0; k < nn; k++)
        w[k] = neuron_sign[k / (size_t)n] * theta[k];
    int rc = lsnn_spectral_radius(w, n, &rho);
    free(w);
    if (rc)
        return lsnn_fail(e, "DEEP R init: the eigenvalues of a %d x %d matrix did not converge", n,
                         n);
    if (!(rho > 0) || !isfinite(rho))
        return lsnn_fail(e, "DEEP R init: the %d x %d signed matrix has spectral radius %g", n, n,
                         rho);
    for (size_t k = 0; k < nn; k++)
        theta[k] /= rho;
    return 0;
}

/* The connectivity mask: int(rows * cols * p) (row, column) pairs drawn with replacement,
 * all rows first, then all columns, as numpy's two rd.choice calls. */
static int draw_mask(uint8_t *mask, int rows, int cols, double p, lsnn_rng *r)
{
    size_t nb = (size_t)((double)rows * cols * p);
    uint32_t *in = malloc((nb ? nb : 1) * sizeof *in);
    if (!in) return -1;
    memset(mask, 0, (size_t)rows * cols);
    for (size_t k = 0; k < nb; k++)
        in[k] = lsnn_rng_below(r, (uint32_t)rows);
    for (size_t k = 0; k < nb; k++)
        mask[(size_t)in[k] * cols + lsnn_rng_below(r, (uint32_t)cols)] = 1;
    free(in);
    return 0;
}

/* One matrix: mask, then theta and signs (Dale: from pre_sign, else random), masked. */
static int init_matrix(lsnn_deepr_matrix *x, const lsnn_deepr_spec *d, const int8_t *pre_sign,
                       lsnn_rng *r, lsnn_error *e)
{
    int rows = x->rows, cols = x->cols, rc = 0;
    uint8_t *mask = malloc(x->size ? x->size : 1);
    if (!mask || draw_mask(mask, rows, cols, d->p, r)) {
        free(mask);
        return lsnn_fail(e, "out of memory");
    }
    if (!pre_sign) {
        for (size_t k = 0; k < x->size; k++)
            x->theta[k] = (float)(fabs(lsnn_rng_normal(r) / sqrt(rows)) * mask[k]);
        for (size_t k = 0; k < x->size; k++)
            x->sign[k] = lsnn_rng_normal(r) < 0 ? -1 : 1;
        free(mask);
        return 0;
    }
    /* random_sparse_signed_matrix(pre_sign, n_out = cols): a rows x rows matrix, then
     * columns: with replacement when rows < cols, else the first cols */
    double *sq = malloc((size_t)rows * rows * sizeof *sq);
    if (!sq) rc = lsnn_fail(e, "out of memory");
    if (!rc) rc = lsnn_deepr_signed_matrix(pre_sign, rows, r, sq, e);
    if (!rc) {
        for (int j = 0; j < cols; j++) {
            int sel = rows < cols ? (int)lsnn_rng_below(r, (uint32_t)rows) : j;
            for (int i = 0; i < rows; i++) {
                size_t k = (size_t)i * cols + j;
                x->theta[k] = (float)(sq[(size_t)i * rows + sel] * mask[k]);
                x->sign[k] = pre_sign[i];
            }
        }
    }
    free(sq);
    free(mask);
    return rc;
}

int lsnn_deepr_init(lsnn_deepr *dr, const lsnn_spec *spec, lsnn_error *e)
{
    const lsnn_deepr_spec *d = &spec->deepr;
    int n_in = dr->m[LSNN_DEEPR_W_IN].rows, n_rec = dr->m[LSNN_DEEPR_W_REC].rows;
    int8_t *in_sign = NULL, *rec_sign = NULL;
    int rc = 0;
    dr->pruned = dr->grown = 0;
    if (d->dale) {
        lsnn_rng r = lsnn_rng_derive(spec->seed, LSNN_RNG_WEIGHTS, 0);
        in_sign = malloc((size_t)n_in);
        rec_sign = malloc((size_t)n_rec);
        if (!in_sign || !rec_sign) {
            free(in_sign);
            free(rec_sign);
            return lsnn_fail(e, "out of memory");
        }
        neuron_signs(in_sign, n_in, d->excitatory, 1, &r);
        neuron_signs(rec_sign, n_rec, d->excitatory, 0, &r);
    }
    /* readout signs are those of the recurrent (presynaptic) neurons */
    const int8_t *pre[LSNN_DEEPR_MATS] = {in_sign, rec_sign, rec_sign};
    for (int m = 0; m < LSNN_DEEPR_MATS && !rc; m++) {
        lsnn_rng r = lsnn_rng_derive(spec->seed, LSNN_RNG_WEIGHTS, 1 + (uint64_t)m);
        rc = init_matrix(&dr->m[m], d, pre[m], &r, e);
    }
    free(in_sign);
    free(rec_sign);
    if (rc || !d->soft) return rc;
    /* soft-DEEP R: dormant theta start uniform in (theta_min, 0] (script_mnist_soft_deep_rewiring)
     */
    double theta_min = lsnn_deepr_theta_min(d);
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        lsnn_rng r =
            lsnn_rng_derive(spec->seed, LSNN_RNG_WEIGHTS, 1 + LSNN_DEEPR_MATS + (uint64_t)m);
        lsnn_deepr_matrix *x = &dr->m[m];
        for (size_t k = 0; k < x->size; k++)
            if (!(x->theta[k] > 0)) x->theta[k] = (float)(lsnn_rng_uniform(&r) * theta_min);
    }
    return 0;
}
