/* capi_model.c - liblsnn.so's models: a run folder's spec and weights in memory, their
 * tensors copied in and out, and the folder written back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"
#include "cli_model.h"
#include "deepr.h"
#include "folder.h"
#include "lsnn_capi.h"
#include "model.h"

struct lsnn_capi_model {
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr;
    int changed; /* a tensor was set: a DEEP R state no longer matches the weights */
};

lsnn_capi_model *lsnn_capi_model_load(const char *run_dir)
{
    lsnn_capi_model *m = calloc(1, sizeof *m);
    if (!m) return capi_fail("out of memory"), NULL;
    capi_capture cap;
    if (capi_capture_begin(&cap, 0)) return free(m), NULL;
    int failed = cli_load_model("python", run_dir, &m->spec, &m->net, &m->dr) != 0;
    if (capi_capture_end(&cap, failed, "cannot load the model", NULL)) {
        if (!failed)
            lsnn_capi_model_free(m);
        else
            free(m); /* cli_load_model left nothing to free */
        return NULL;
    }
    return m;
}

void lsnn_capi_model_free(lsnn_capi_model *m)
{
    if (!m) return;
    lsnn_deepr_free(&m->dr);
    lsnn_net_free(&m->net);
    free(m);
}

char *lsnn_capi_model_spec(const lsnn_capi_model *m)
{
    char *s = lsnn_spec_to_yaml(&m->spec);
    if (!s) capi_fail("out of memory");
    return s;
}

/* A tensor of the net: where it is, its shape and element size. */
typedef struct {
    void *data;
    int rows, cols, elem;
} tensor;

static int find(const lsnn_capi_model *m, const char *name, tensor *t)
{
    const lsnn_net *n = &m->net;
    if (!strcmp(name, "w_in"))
        *t = (tensor){n->w_in, n->n_in, n->n_rec, 4};
    else if (!strcmp(name, "w_rec"))
        *t = (tensor){n->w_rec, n->n_rec, n->n_rec, 4};
    else if (!strcmp(name, "w_out"))
        *t = (tensor){n->w_out, n->n_rec, n->n_out, 4};
    else if (!strcmp(name, "b_out"))
        *t = (tensor){n->b_out, n->n_out, 1, 4};
    else if (!strcmp(name, "delay_in"))
        *t = (tensor){n->d_in, n->n_in, n->n_rec, 1};
    else if (!strcmp(name, "delay_rec"))
        *t = (tensor){n->d_rec, n->n_rec, n->n_rec, 1};
    else
        return capi_fail("unknown tensor '%s' (w_in, w_rec, w_out, b_out, delay_in, delay_rec)",
                         name);
    return 0;
}

int lsnn_capi_model_shape(const lsnn_capi_model *m, const char *name, int *rows, int *cols,
                          int *elem_size)
{
    tensor t = {0};
    if (find(m, name, &t)) return -1;
    *rows = t.rows, *cols = t.cols, *elem_size = t.elem;
    return 0;
}

static int check_size(const char *name, const tensor *t, size_t bytes)
{
    size_t want = (size_t)t->rows * (size_t)t->cols * (size_t)t->elem;
    if (bytes != want)
        return capi_fail("tensor '%s' is [%d, %d] of %d-byte elements (%zu bytes), got %zu bytes",
                         name, t->rows, t->cols, t->elem, want, bytes);
    return 0;
}

int lsnn_capi_model_get(const lsnn_capi_model *m, const char *name, void *dst, size_t bytes)
{
    tensor t = {0};
    if (find(m, name, &t) || check_size(name, &t, bytes)) return -1;
    memcpy(dst, t.data, bytes);
    return 0;
}

/* What lsnn_model_load demands of a file's tensors, for values set from outside. */
static int check_values(const lsnn_capi_model *m, const char *name, const tensor *t,
                        const void *src)
{
    size_t n = (size_t)t->rows * (size_t)t->cols;
    if (t->elem == 1) {
        const uint8_t *d = src;
        for (size_t k = 0; k < n; k++)
            if (d[k] >= m->net.n_delay)
                return capi_fail("tensor '%s': element %zu is delay %d, must be below n_delay = %d",
                                 name, k, d[k], m->net.n_delay);
        return 0;
    }
    const float *w = src;
    for (size_t k = 0; k < n; k++)
        if (!isfinite(w[k]))
            return capi_fail("tensor '%s': element %zu is %g, must be finite", name, k, w[k]);
    if (!strcmp(name, "w_rec"))
        for (int i = 0; i < t->rows; i++)
            if (w[(size_t)i * (size_t)t->cols + (size_t)i] != 0)
                return capi_fail("tensor 'w_rec': diagonal element %d is %g, must be 0 (no "
                                 "neuron connects to itself)",
                                 i, w[(size_t)i * (size_t)t->cols + (size_t)i]);
    return 0;
}

int lsnn_capi_model_set(lsnn_capi_model *m, const char *name, const void *src, size_t bytes)
{
    tensor t = {0};
    if (find(m, name, &t) || check_size(name, &t, bytes) || check_values(m, name, &t, src))
        return -1;
    memcpy(t.data, src, bytes);
    m->changed = 1;
    return 0;
}

int lsnn_capi_model_save(const lsnn_capi_model *m, const char *run_dir)
{
    int deep_r = m->spec.connectivity == LSNN_CONN_DEEP_R;
    if (deep_r && m->changed)
        return capi_fail("%s: the weights of DEEP R model '%s' were changed, so its rewiring "
                         "state (theta, sign) no longer matches them; lsnn train "
                         "--resume-from is the way to change a DEEP R model",
                         run_dir, m->spec.name);
    lsnn_folder_lock lock;
    lsnn_error e;
    char path[4096];
    if (lsnn_folder_lock_for(run_dir, LSNN_FOLDER_RUN, "lsnn python", &lock, &e))
        return capi_fail("%s", e.msg);
    snprintf(path, sizeof path, "%s/model.yaml", run_dir);
    int rc = lsnn_spec_save(path, &m->spec, &e);
    snprintf(path, sizeof path, "%s/weights.safetensors", run_dir);
    if (!rc)
        rc = lsnn_model_save(path, &m->spec, &m->net, deep_r ? &m->dr : NULL, NULL, NULL, 0, 0, &e);
    lsnn_folder_unlock(&lock, rc != 0);
    return rc ? capi_fail("%s", e.msg) : 0;
}
