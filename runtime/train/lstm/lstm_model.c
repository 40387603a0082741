/* lstm_model.c - the LSTM's initial weights and its weight and checkpoint files. */
#include "lstm_model.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "safetensors.h"

int lsnn_lstm_adam_alloc(lsnn_lstm_adam *a, const lsnn_lstm *net)
{
    a->step = 0;
    a->m = calloc(net->n_params, sizeof(float));
    a->v = calloc(net->n_params, sizeof(float));
    if (a->m && a->v) return 0;
    lsnn_lstm_adam_free(a);
    return -1;
}

void lsnn_lstm_adam_free(lsnn_lstm_adam *a)
{
    free(a->m);
    free(a->v);
    memset(a, 0, sizeof *a);
}

long lsnn_lstm_model_n_params(const lsnn_spec *spec)
{
    long H = spec->hidden, C = spec->n_out;
    return 4 * H * (spec->n_in + H + 1) + H * C + (spec->readout_bias ? C : 0);
}

/* Columns q*H .. q*H + H - 1 of the H x 4H matrix w: an orthogonal matrix, modified
 * Gram-Schmidt on the columns of a Gaussian one (in double). */
static int orthogonal_block(lsnn_rng *r, float *w, int H, int q)
{
    double *m = malloc(sizeof(double) * (size_t)H * H);
    if (!m) return -1;
    for (size_t k = 0; k < (size_t)H * H; k++)
        m[k] = lsnn_rng_normal(r);
    for (int j = 0; j < H; j++) { /* column j of m: m[i*H + j] */
        for (int p = 0; p < j; p++) {
            double dot = 0;
            for (int i = 0; i < H; i++)
                dot += m[(size_t)i * H + p] * m[(size_t)i * H + j];
            for (int i = 0; i < H; i++)
                m[(size_t)i * H + j] -= dot * m[(size_t)i * H + p];
        }
        double norm = 0;
        for (int i = 0; i < H; i++)
            norm += m[(size_t)i * H + j] * m[(size_t)i * H + j];
        norm = sqrt(norm);
        for (int i = 0; i < H; i++)
            m[(size_t)i * H + j] = norm > 0 ? m[(size_t)i * H + j] / norm : 0;
    }
    for (int i = 0; i < H; i++)
        for (int j = 0; j < H; j++)
            w[(size_t)i * 4 * H + q * H + j] = (float)m[(size_t)i * H + j];
    free(m);
    return 0;
}

int lsnn_lstm_model_init(const lsnn_spec *spec, lsnn_lstm *net, lsnn_error *e)
{
    int I = spec->n_in, H = spec->hidden, C = spec->n_out;
    if (spec->network != LSNN_NET_LSTM)
        return lsnn_fail(e, "%s: network.kind is lsnn, not lstm", spec->name);
    if (lsnn_lstm_alloc(net, I, H, C, spec->readout_bias)) return lsnn_fail(e, "out of memory");
    lsnn_rng r = lsnn_rng_derive(spec->seed, LSNN_RNG_WEIGHTS, 0);
    double lim_x = sqrt(6.0 / (I + H)), lim_out = sqrt(6.0 / (H + C));
    for (int q = 0; q < 4; q++) /* each gate's block of W_x: fan_in I, fan_out H */
        for (int i = 0; i < I; i++)
            for (int u = 0; u < H; u++)
                net->w_x[(size_t)i * 4 * H + q * H + u] =
                    (float)((2 * lsnn_rng_uniform(&r) - 1) * lim_x);
    for (int q = 0; q < 4; q++)
        if (orthogonal_block(&r, net->w_h, H, q)) {
            lsnn_lstm_free(net);
            return lsnn_fail(e, "out of memory");
        }
    for (int u = 0; u < H; u++)
        net->b[H + u] = 1; /* forget gate open at the start (Gers et al. 2000) */
    for (size_t k = 0; k < (size_t)H * C; k++)
        net->w_out[k] = (float)((2 * lsnn_rng_uniform(&r) - 1) * lim_out);
    return 0;
}

/* ---- files ---- */

enum { N_TENSORS = 5 };
static const char *const tensor_names[N_TENSORS] = {"w_x", "w_h", "b_gates", "w_out", "b_out"};

/* The five tensors of a parameter block p (weights or an Adam moment) under prefix. */
static void param_tensors(lsnn_tensor *t, char names[][64], const char *prefix,
                          const lsnn_lstm *net, float *p)
{
    int64_t H = net->hidden, G = 4 * H;
    int64_t shape[N_TENSORS][2] = {
        {net->n_in, G}, {H, G}, {G, 0}, {H, net->n_out}, {net->n_out, 0}};
    float *at = p;
    for (int k = 0; k < N_TENSORS; k++) {
        memset(&t[k], 0, sizeof t[k]);
        snprintf(names[k], 64, "%s%s", prefix, tensor_names[k]);
        snprintf(t[k].name, sizeof t[k].name, "%s", names[k]);
        t[k].dtype = LSNN_F32;
        t[k].ndim = shape[k][1] ? 2 : 1;
        t[k].shape[0] = shape[k][0];
        t[k].shape[1] = shape[k][1];
        t[k].data = at;
        size_t n = (size_t)shape[k][0] * (shape[k][1] ? (size_t)shape[k][1] : 1);
        t[k].nbytes = n * sizeof(float);
        at += n;
    }
}

static void meta_set(lsnn_meta *m, const char *key, const char *value)
{
    snprintf(m->key, sizeof m->key, "%s", key);
    snprintf(m->value, sizeof m->value, "%s", value);
}

int lsnn_lstm_model_save(const char *path, const lsnn_spec *spec, const lsnn_lstm *net,
                         const lsnn_lstm_adam *adam, const double *curve, int curve_rows,
                         int curve_cols, lsnn_error *e)
{
    lsnn_tensor t[3 * N_TENSORS + 2];
    char names[3 * N_TENSORS][64];
    int n = N_TENSORS;
    int64_t step = adam ? adam->step : 0;
    param_tensors(t, names, "", net, net->data);
    if (adam) {
        param_tensors(t + n, names + n, "adam_m.", net, adam->m);
        n += N_TENSORS;
        param_tensors(t + n, names + n, "adam_v.", net, adam->v);
        n += N_TENSORS;
        lsnn_tensor *s = &t[n++];
        memset(s, 0, sizeof *s);
        snprintf(s->name, sizeof s->name, "adam_step");
        s->dtype = LSNN_I64, s->ndim = 1, s->shape[0] = 1, s->data = &step, s->nbytes = 8;
        if (curve_rows > 0) { /* last, as in the LSNN's checkpoint */
            lsnn_tensor *c = &t[n++];
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "curve");
            c->dtype = LSNN_F64, c->ndim = 2, c->shape[0] = curve_rows, c->shape[1] = curve_cols;
            c->data = (void *)curve;
            c->nbytes = (size_t)curve_rows * curve_cols * sizeof(double);
        }
    }
    char arch[20];
    snprintf(arch, sizeof arch, "%016" PRIx64, lsnn_spec_arch_hash(spec));
    lsnn_meta meta[6];
    meta_set(&meta[0], "format", adam ? "lsnn-checkpoint" : "lsnn-model");
    meta_set(&meta[1], "model", spec->name);
    meta_set(&meta[2], "version", "2");
    meta_set(&meta[3], "arch", arch);
    meta_set(&meta[4], "network", "lstm");
    meta_set(&meta[5], "gates", "i,f,g,o");
    return lsnn_st_write(path, t, n, meta, 6, e);
}

/* The five tensors under prefix into p, shapes and finiteness checked. */
static int load_params(const lsnn_tensor_set *s, const char *path, const char *prefix,
                       const lsnn_lstm *net, float *p, lsnn_error *e)
{
    lsnn_tensor want[N_TENSORS];
    char names[N_TENSORS][64];
    param_tensors(want, names, prefix, net, p);
    for (int k = 0; k < N_TENSORS; k++) {
        const lsnn_tensor *t =
            lsnn_st_expect(s, path, names[k], LSNN_F32, want[k].ndim, want[k].shape, e);
        if (!t) return -1;
        memcpy(want[k].data, t->data, t->nbytes);
        const float *x = want[k].data;
        for (size_t i = 0; i < t->nbytes / sizeof(float); i++)
            if (!isfinite(x[i]))
                return lsnn_fail(e, "%s: tensor '%s': element %zu is not finite", path, names[k],
                                 i);
    }
    return 0;
}

/* The file's model name and architecture hash against the spec's. */
static int check_identity(const lsnn_tensor_set *s, const char *path, const lsnn_spec *spec,
                          lsnn_error *e)
{
    const char *name = lsnn_st_meta(s, "model"), *arch = lsnn_st_meta(s, "arch");
    char want[20];
    snprintf(want, sizeof want, "%016" PRIx64, lsnn_spec_arch_hash(spec));
    if (name && strcmp(name, spec->name))
        return lsnn_fail(e, "%s: holds weights of model '%s', the spec is of model '%s'", path,
                         name, spec->name);
    if (arch && strcmp(arch, want))
        return lsnn_fail(e,
                         "%s: the weights were trained for another network of '%s' (architecture "
                         "hash %s; the spec's network section gives %s)",
                         path, spec->name, arch, want);
    return 0;
}

/* adam_step, the second moments' signs and the curve of a checkpoint. */
static int load_checkpoint(const lsnn_tensor_set *s, const char *path, lsnn_lstm_adam *adam,
                           size_t n, double **curve, int *curve_rows, int curve_cols, lsnn_error *e)
{
    int64_t one = 1, step;
    const lsnn_tensor *st = lsnn_st_expect(s, path, "adam_step", LSNN_I64, 1, &one, e);
    if (!st) return -1;
    memcpy(&step, st->data, sizeof step);
    if (step < 0 || step > 1000000000)
        return lsnn_fail(e, "%s: tensor 'adam_step': %lld steps, outside 0..1000000000", path,
                         (long long)step);
    adam->step = (long)step;
    for (size_t k = 0; k < n; k++)
        if (adam->v[k] < 0)
            return lsnn_fail(e, "%s: an Adam second moment (adam_v.*) is %g, must be >= 0", path,
                             adam->v[k]);
    if (!curve) return 0;
    *curve = NULL;
    *curve_rows = 0;
    const lsnn_tensor *c = lsnn_st_find(s, "curve");
    if (!c) return 0;
    if (c->dtype != LSNN_F64 || c->ndim != 2 || c->shape[1] != curve_cols)
        return lsnn_fail(e, "%s: tensor 'curve': expected F64 [rows, %d]", path, curve_cols);
    *curve = malloc(c->nbytes ? c->nbytes : 1);
    if (!*curve) return lsnn_fail(e, "out of memory");
    memcpy(*curve, c->data, c->nbytes);
    *curve_rows = (int)c->shape[0];
    return 0;
}

int lsnn_lstm_model_load(const char *path, const lsnn_spec *spec, lsnn_lstm *net,
                         lsnn_lstm_adam *adam, double **curve, int *curve_rows, int curve_cols,
                         lsnn_error *e)
{
    lsnn_tensor_set s;
    memset(net, 0, sizeof *net);
    if (adam) memset(adam, 0, sizeof *adam);
    if (spec->network != LSNN_NET_LSTM)
        return lsnn_fail(e, "%s: the spec's network.kind is lsnn, not lstm", path);
    if (lsnn_st_read(path, &s, e)) return -1;
    int rc = -1;
    const char *kind = lsnn_st_meta(&s, "network");
    if (!kind || strcmp(kind, "lstm")) {
        lsnn_fail(e, "%s: not an LSTM's weights (metadata network: %s)", path,
                  kind ? kind : "absent");
        goto out;
    }
    if (lsnn_lstm_alloc(net, spec->n_in, spec->hidden, spec->n_out, spec->readout_bias) ||
        (adam && lsnn_lstm_adam_alloc(adam, net))) {
        lsnn_fail(e, "out of memory");
        goto out;
    }
    if (load_params(&s, path, "", net, net->data, e) ||
        (adam && (load_params(&s, path, "adam_m.", net, adam->m, e) ||
                  load_params(&s, path, "adam_v.", net, adam->v, e))) ||
        check_identity(&s, path, spec, e))
        goto out;
    if (!spec->readout_bias)
        for (int c = 0; c < net->n_out; c++)
            if (net->b_out[c] != 0) {
                lsnn_fail(e, "%s: tensor 'b_out' must be 0 without readout bias", path);
                goto out;
            }
    if (adam && load_checkpoint(&s, path, adam, net->n_params, curve, curve_rows, curve_cols, e))
        goto out;
    rc = 0;
out:
    lsnn_st_free(&s);
    if (rc) {
        lsnn_lstm_free(net);
        if (adam) lsnn_lstm_adam_free(adam);
    }
    return rc;
}
