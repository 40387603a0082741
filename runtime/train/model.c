/* model.c - model constants, initialisation, and the trained-model / checkpoint files. */
#include "model.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepr.h"
#include "pmath.h"
#include "rng.h"
#include "safetensors.h"

void lsnn_model_constants(const lsnn_spec *spec, lsnn_net *net)
{
    int i = 0;
    for (int p = 0; p < spec->n_pops; p++) {
        const lsnn_pop_spec *pop = &spec->pops[p];
        for (int k = 0; k < pop->size; k++, i++) {
            net->alpha[i] = (float)lsnn_exp(-spec->dt_ms / pop->tau_m_ms);
            int alif = pop->kind == LSNN_NEURON_ALIF;
            net->rho[i] = alif ? (float)lsnn_exp(-spec->dt_ms / pop->tau_a_ms) : 0;
            net->beta[i] = alif ? (float)pop->beta : 0;
            net->b0[i] = (float)pop->b0;
            net->n_ref[i] = pop->refractory;
            net->cuba[i] = pop->tau_syn_ms > 0;
            net->alpha_syn[i] = net->cuba[i] ? (float)lsnn_exp(-spec->dt_ms / pop->tau_syn_ms) : 0;
        }
    }
    net->spike_from_prev_v = spec->spike_from == LSNN_SPIKE_FROM_PREV_V;
    net->smooth = 0;
    net->grad_active_only =
        spec->connectivity == LSNN_CONN_DEEP_R && (spec->deepr.fast || spec->deepr.soft);
    net->gamma = (float)spec->gamma;
    net->kappa = (float)lsnn_exp(-spec->dt_ms / spec->tau_out_ms);
    net->reg_rate = (float)spec->reg_rate;
    net->reg_target = (float)(spec->reg_target_hz * spec->dt_ms / 1000.0);
}

/* DEEP R initial weights (deepr_init.c); the state goes to dr or is dropped. */
static int init_deepr(const lsnn_spec *spec, lsnn_net *net, lsnn_deepr *dr, lsnn_error *e)
{
    lsnn_deepr own, *d = dr ? dr : &own;
    if (lsnn_deepr_alloc(d, net->n_in, net->n_rec, net->n_out)) {
        lsnn_deepr_free(d);
        return lsnn_fail(e, "out of memory");
    }
    int rc = lsnn_deepr_init(d, spec, e);
    if (rc == 0) lsnn_deepr_apply(d, net);
    if (rc || !dr) lsnn_deepr_free(d);
    return rc;
}

int lsnn_model_init(const lsnn_spec *spec, lsnn_net *net, lsnn_deepr *dr, lsnn_error *e)
{
    int N = lsnn_spec_n_rec(spec), I = spec->n_in, C = spec->n_out;
    if (dr) memset(dr, 0, sizeof *dr);
    if (spec->network == LSNN_NET_LSTM) /* lstm_model.h has the LSTM's */
        return lsnn_fail(e, "model '%s' is an LSTM (network.kind lstm), not an LSNN", spec->name);
    if (lsnn_net_alloc(net, I, N, C, spec->n_delay)) return lsnn_fail(e, "out of memory");
    lsnn_model_constants(spec, net);
    if (spec->connectivity == LSNN_CONN_DEEP_R) {
        if (init_deepr(spec, net, dr, e)) return -1;
        goto delays;
    }
    lsnn_rng r = lsnn_rng_derive(spec->seed, LSNN_RNG_WEIGHTS, 0);
    for (size_t k = 0; k < (size_t)I * N; k++)
        net->w_in[k] = (float)(lsnn_rng_normal(&r) / sqrt(I));
    for (int a = 0; a < N; a++)
        for (int b = 0; b < N; b++)
            net->w_rec[(size_t)a * N + b] = a == b ? 0 : (float)(lsnn_rng_normal(&r) / sqrt(N));
    double lim = sqrt(6.0 / (N + C));
    for (size_t k = 0; k < (size_t)N * C; k++)
        net->w_out[k] = (float)((2 * lsnn_rng_uniform(&r) - 1) * lim);
delays:;
    lsnn_rng d = lsnn_rng_derive(spec->seed, LSNN_RNG_DELAYS, 0);
    for (size_t k = 0; k < (size_t)I * N; k++)
        net->d_in[k] = lsnn_rng_below(&d, spec->n_delay);
    for (size_t k = 0; k < (size_t)N * N; k++)
        net->d_rec[k] = lsnn_rng_below(&d, spec->n_delay);
    return 0;
}

long lsnn_model_n_params(const lsnn_spec *spec)
{
    long N = lsnn_spec_n_rec(spec);
    return spec->n_in * N + N * (N - 1) + N * spec->n_out + (spec->readout_bias ? spec->n_out : 0);
}

/* ---- files ---- */

enum { T_W_IN, T_W_REC, T_W_OUT, T_B_OUT, T_D_IN, T_D_REC, N_WEIGHT_TENSORS };

static lsnn_tensor tensor(const char *name, lsnn_dtype dt, void *data, int64_t d0, int64_t d1)
{
    lsnn_tensor t;
    memset(&t, 0, sizeof t);
    snprintf(t.name, sizeof t.name, "%s", name);
    t.dtype = dt;
    t.ndim = d1 > 0 ? 2 : 1;
    t.shape[0] = d0;
    t.shape[1] = d1;
    t.data = data;
    t.nbytes = (size_t)d0 * (d1 > 0 ? (size_t)d1 : 1) * lsnn_dtype_size(dt);
    return t;
}

/* The parameter tensors of g (weights or an Adam moment) under prefix. */
static int param_tensors(lsnn_tensor *t, const char *prefix, const lsnn_net *net,
                         const lsnn_grads *g)
{
    char n[4][64];
    snprintf(n[0], 64, "%sw_in", prefix);
    snprintf(n[1], 64, "%sw_rec", prefix);
    snprintf(n[2], 64, "%sw_out", prefix);
    snprintf(n[3], 64, "%sb_out", prefix);
    t[0] = tensor(n[0], LSNN_F32, g->w_in, net->n_in, net->n_rec);
    t[1] = tensor(n[1], LSNN_F32, g->w_rec, net->n_rec, net->n_rec);
    t[2] = tensor(n[2], LSNN_F32, g->w_out, net->n_rec, net->n_out);
    t[3] = tensor(n[3], LSNN_F32, g->b_out, net->n_out, 0);
    return 4;
}

/* theta.w_* (F32) and sign.w_* (I8) of a DEEP R state. */
static int deepr_tensors(lsnn_tensor *t, const lsnn_deepr *dr)
{
    char name[64];
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        const lsnn_deepr_matrix *x = &dr->m[m];
        snprintf(name, sizeof name, "theta.%s", lsnn_deepr_names[m]);
        t[m] = tensor(name, LSNN_F32, x->theta, x->rows, x->cols);
        snprintf(name, sizeof name, "sign.%s", lsnn_deepr_names[m]);
        t[LSNN_DEEPR_MATS + m] = tensor(name, LSNN_I8, x->sign, x->rows, x->cols);
    }
    return 2 * LSNN_DEEPR_MATS;
}

/* born.w_* (I32) of a fast DEEP R checkpoint: the step each entry's Adam moments restarted. */
static int born_tensors(lsnn_tensor *t, const lsnn_deepr *dr)
{
    char name[32];
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        const lsnn_deepr_matrix *x = &dr->m[m];
        snprintf(name, sizeof name, "born.%s", lsnn_deepr_names[m]);
        t[m] = tensor(name, LSNN_I32, x->born, x->rows, x->cols);
    }
    return LSNN_DEEPR_MATS;
}

int lsnn_model_save(const char *path, const lsnn_spec *spec, const lsnn_net *net,
                    const lsnn_deepr *dr, const lsnn_adam *adam, const double *curve,
                    int curve_rows, int curve_cols, lsnn_error *e)
{
    lsnn_tensor t[32];
    lsnn_grads w = {net->w_in, net->w_rec, net->w_out, net->b_out};
    int n = param_tensors(t, "", net, &w);
    if (spec->connectivity != LSNN_CONN_DEEP_R) dr = NULL;
    t[n++] = tensor("delay_in", LSNN_U8, net->d_in, net->n_in, net->n_rec);
    t[n++] = tensor("delay_rec", LSNN_U8, net->d_rec, net->n_rec, net->n_rec);
    if (dr) n += deepr_tensors(t + n, dr);
    int64_t step = adam ? adam->step : 0, counts[2] = {dr ? dr->pruned : 0, dr ? dr->grown : 0};
    if (adam) {
        n += param_tensors(t + n, "adam_m.", net, &adam->m);
        n += param_tensors(t + n, "adam_v.", net, &adam->v);
        t[n++] = tensor("adam_step", LSNN_I64, &step, 1, 0);
        if (dr) t[n++] = tensor("deepr_counts", LSNN_I64, counts, 2, 0);
        if (dr && spec->deepr.fast) n += born_tensors(t + n, dr);
        if (curve_rows > 0) /* last: tests/cli_train_resume.sh compares files up to it */
            t[n++] = tensor("curve", LSNN_F64, (void *)curve, curve_rows, curve_cols);
    }
    lsnn_meta meta[4];
    snprintf(meta[0].key, sizeof meta[0].key, "format");
    snprintf(meta[0].value, sizeof meta[0].value, adam ? "lsnn-checkpoint" : "lsnn-model");
    snprintf(meta[1].key, sizeof meta[1].key, "model");
    snprintf(meta[1].value, sizeof meta[1].value, "%s", spec->name);
    snprintf(meta[2].key, sizeof meta[2].key, "version");
    snprintf(meta[2].value, sizeof meta[2].value, "2");
    snprintf(meta[3].key, sizeof meta[3].key, "arch");
    snprintf(meta[3].value, sizeof meta[3].value, "%016" PRIx64, lsnn_spec_arch_hash(spec));
    return lsnn_st_write(path, t, n, meta, 4, e);
}

static const char *meta_of(const lsnn_tensor_set *s, const char *key)
{
    for (int i = 0; i < s->n_meta; i++)
        if (!strcmp(s->meta[i].key, key)) return s->meta[i].value;
    return NULL;
}

/* The file's model identity against the spec's: the model's name, and (files of version 2
 * on) the hash of its network section. Files of version 1 carry only the name. */
static int check_identity(const lsnn_tensor_set *s, const char *path, const lsnn_spec *spec,
                          lsnn_error *e)
{
    const char *name = meta_of(s, "model"), *arch = meta_of(s, "arch");
    char want[20];
    snprintf(want, sizeof want, "%016" PRIx64, lsnn_spec_arch_hash(spec));
    if (name && strcmp(name, spec->name))
        return lsnn_fail(e,
                         "%s: holds weights of model '%s', the spec is of model '%s': they do not "
                         "belong together",
                         path, name, spec->name);
    if (arch && strcmp(arch, want))
        return lsnn_fail(e,
                         "%s: the weights were trained for another network of '%s' (architecture "
                         "hash %s; the spec's network section gives %s): a spec's network section "
                         "must not change after training",
                         path, spec->name, arch, want);
    return 0;
}

/* Copies an expected F32 tensor into dst after checking shape and finiteness. */
static int load_f32(const lsnn_tensor_set *s, const char *path, const char *name, float *dst,
                    int64_t d0, int64_t d1, lsnn_error *e)
{
    int64_t shape[2] = {d0, d1};
    const lsnn_tensor *t = lsnn_st_expect(s, path, name, LSNN_F32, d1 > 0 ? 2 : 1, shape, e);
    if (!t) return -1;
    memcpy(dst, t->data, t->nbytes);
    for (size_t k = 0; k < t->nbytes / 4; k++)
        if (!isfinite(dst[k]))
            return lsnn_fail(e, "%s: tensor '%s': element %zu is not finite", path, name, k);
    return 0;
}

static int load_delays(const lsnn_tensor_set *s, const char *path, const char *name, uint8_t *dst,
                       int64_t d0, int64_t d1, int n_delay, lsnn_error *e)
{
    int64_t shape[2] = {d0, d1};
    const lsnn_tensor *t = lsnn_st_expect(s, path, name, LSNN_U8, 2, shape, e);
    if (!t) return -1;
    memcpy(dst, t->data, t->nbytes);
    for (size_t k = 0; k < t->nbytes; k++)
        if (dst[k] >= n_delay)
            return lsnn_fail(e, "%s: tensor '%s': element %zu is delay %d, model allows 0..%d",
                             path, name, k, dst[k], n_delay - 1);
    return 0;
}

static int load_params(const lsnn_tensor_set *s, const char *path, const char *prefix,
                       const lsnn_net *net, lsnn_grads *g, lsnn_error *e)
{
    char n[64];
    int N = net->n_rec;
    snprintf(n, sizeof n, "%sw_in", prefix);
    if (load_f32(s, path, n, g->w_in, net->n_in, N, e)) return -1;
    snprintf(n, sizeof n, "%sw_rec", prefix);
    if (load_f32(s, path, n, g->w_rec, N, N, e)) return -1;
    snprintf(n, sizeof n, "%sw_out", prefix);
    if (load_f32(s, path, n, g->w_out, N, net->n_out, e)) return -1;
    snprintf(n, sizeof n, "%sb_out", prefix);
    return load_f32(s, path, n, g->b_out, net->n_out, 0, e);
}

/* Adam's second moments are averages of squares: a negative one would make sqrt(v) NaN. */
static int check_second_moments(const char *path, const lsnn_net *net, const lsnn_grads *v,
                                lsnn_error *e)
{
    const float *x[4] = {v->w_in, v->w_rec, v->w_out, v->b_out};
    const char *name[4] = {"w_in", "w_rec", "w_out", "b_out"};
    size_t N = (size_t)net->n_rec,
           n[4] = {(size_t)net->n_in * N, N * N, N * (size_t)net->n_out, (size_t)net->n_out};
    for (int t = 0; t < 4; t++)
        for (size_t k = 0; k < n[t]; k++)
            if (x[t][k] < 0)
                return lsnn_fail(e, "%s: tensor 'adam_v.%s': element %zu is %g, must be >= 0", path,
                                 name[t], k, x[t][k]);
    return 0;
}

/* The DEEP R state of a file into dr (allocated here), checked against net's weights;
 * with_counts: also the counters of a checkpoint. */
static int load_deepr(const lsnn_tensor_set *s, const char *path, const lsnn_net *net,
                      lsnn_deepr *dr, int with_counts, lsnn_error *e)
{
    char name[64];
    if (lsnn_deepr_alloc(dr, net->n_in, net->n_rec, net->n_out))
        return lsnn_fail(e, "out of memory");
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        lsnn_deepr_matrix *x = &dr->m[m];
        int64_t shape[2] = {x->rows, x->cols};
        snprintf(name, sizeof name, "theta.%s", lsnn_deepr_names[m]);
        if (load_f32(s, path, name, x->theta, x->rows, x->cols, e)) return -1;
        snprintf(name, sizeof name, "sign.%s", lsnn_deepr_names[m]);
        const lsnn_tensor *t = lsnn_st_expect(s, path, name, LSNN_I8, 2, shape, e);
        if (!t) return -1;
        memcpy(x->sign, t->data, t->nbytes);
    }
    if (with_counts) {
        int64_t two = 2, c[2];
        const lsnn_tensor *t = lsnn_st_expect(s, path, "deepr_counts", LSNN_I64, 1, &two, e);
        if (!t) return -1;
        memcpy(c, t->data, sizeof c);
        if (c[0] < 0 || c[1] < 0)
            return lsnn_fail(e, "%s: tensor 'deepr_counts': counts must be >= 0, got %lld, %lld",
                             path, (long long)c[0], (long long)c[1]);
        dr->pruned = (long)c[0];
        dr->grown = (long)c[1];
        /* the fast variant's ages; a checkpoint written before they were kept has none, and
         * its entries continue as if their moments had never restarted */
        for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
            lsnn_deepr_matrix *x = &dr->m[m];
            int64_t shape[2] = {x->rows, x->cols};
            snprintf(name, sizeof name, "born.%s", lsnn_deepr_names[m]);
            if (!lsnn_st_find(s, name)) continue;
            const lsnn_tensor *bt = lsnn_st_expect(s, path, name, LSNN_I32, 2, shape, e);
            if (!bt) return -1;
            memcpy(x->born, bt->data, bt->nbytes);
            for (size_t k = 0; k < x->size; k++)
                if (x->born[k] < 0)
                    return lsnn_fail(e, "%s: tensor '%s': element %zu is %d, must be >= 0", path,
                                     name, k, (int)x->born[k]);
        }
    }
    return lsnn_deepr_check(dr, net, path, e);
}

int lsnn_model_load(const char *path, const lsnn_spec *spec, lsnn_net *net, lsnn_deepr *dr,
                    lsnn_adam *adam, double **curve, int *curve_rows, int curve_cols, lsnn_error *e)
{
    lsnn_tensor_set s;
    memset(net, 0, sizeof *net);
    if (dr) memset(dr, 0, sizeof *dr);
    if (spec->connectivity != LSNN_CONN_DEEP_R) dr = NULL;
    if (spec->network == LSNN_NET_LSTM) /* lstm_model.h reads the LSTM's */
        return lsnn_fail(e, "%s: model '%s' is an LSTM (network.kind lstm), not an LSNN", path,
                         spec->name);
    if (lsnn_st_read(path, &s, e)) return -1;
    int rc = -1, N = lsnn_spec_n_rec(spec), adam_allocated = 0;
    if (lsnn_net_alloc(net, spec->n_in, N, spec->n_out, spec->n_delay)) {
        lsnn_fail(e, "out of memory");
        goto out;
    }
    lsnn_model_constants(spec, net);
    lsnn_grads w = {net->w_in, net->w_rec, net->w_out, net->b_out};
    if (load_params(&s, path, "", net, &w, e) ||
        load_delays(&s, path, "delay_in", net->d_in, spec->n_in, N, spec->n_delay, e) ||
        load_delays(&s, path, "delay_rec", net->d_rec, N, N, spec->n_delay, e))
        goto out;
    for (int i = 0; i < N && !spec->autapses; i++)
        if (net->w_rec[(size_t)i * N + i] != 0) {
            lsnn_fail(e,
                      "%s: tensor 'w_rec': diagonal element %d is not 0 (no autapses without "
                      "network.autapses: true)",
                      path, i);
            goto out;
        }
    if (adam) {
        adam_allocated = 1;
        if (lsnn_adam_alloc(adam, net)) {
            lsnn_fail(e, "out of memory");
            goto out;
        }
        int64_t one = 1;
        const lsnn_tensor *st = lsnn_st_expect(&s, path, "adam_step", LSNN_I64, 1, &one, e);
        if (!st || load_params(&s, path, "adam_m.", net, &adam->m, e) ||
            load_params(&s, path, "adam_v.", net, &adam->v, e) ||
            check_second_moments(path, net, &adam->v, e))
            goto out;
        int64_t step;
        memcpy(&step, st->data, sizeof step);
        if (step < 0 || step > 1000000000) { /* the spec's iterations are at most 1e9 */
            lsnn_fail(e, "%s: tensor 'adam_step': %lld steps, outside 0..1000000000", path,
                      (long long)step);
            goto out;
        }
        adam->step = (long)step;
    }
    if (dr && load_deepr(&s, path, net, dr, adam != NULL, e)) goto out;
    for (int m = 0; dr && adam && m < LSNN_DEEPR_MATS; m++) /* an age needs its step */
        for (size_t k = 0; k < dr->m[m].size; k++)
            if (dr->m[m].born[k] > adam->step) {
                lsnn_fail(e, "%s: tensor 'born.%s': element %zu is %d, beyond the %ld steps taken",
                          path, lsnn_deepr_names[m], k, (int)dr->m[m].born[k], adam->step);
                goto out;
            }
    /* after the tensors, whose messages name the shape that differs */
    if (check_identity(&s, path, spec, e)) goto out;
    if (adam && curve) { /* last: nothing can fail after the curve is allocated */
        *curve = NULL;
        *curve_rows = 0;
        const lsnn_tensor *c = lsnn_st_find(&s, "curve");
        if (c) {
            if (c->dtype != LSNN_F64 || c->ndim != 2 || c->shape[1] != curve_cols) {
                lsnn_fail(e, "%s: tensor 'curve': expected F64 [rows, %d]", path, curve_cols);
                goto out;
            }
            *curve = malloc(c->nbytes ? c->nbytes : 1);
            if (!*curve) {
                lsnn_fail(e, "out of memory");
                goto out;
            }
            memcpy(*curve, c->data, c->nbytes);
            *curve_rows = (int)c->shape[0];
        }
    }
    rc = 0;
out:
    lsnn_st_free(&s);
    if (rc) {
        lsnn_net_free(net);
        if (adam_allocated) lsnn_adam_free(adam);
        if (dr) lsnn_deepr_free(dr);
    }
    return rc;
}
