/* nir_paths.c - the linear paths of a flat graph: from a source (the Input, the neurons, the
 * readout) through Linear, Affine, Scale, Delay and Identity nodes to the next sink, composed
 * into one weight matrix per (sink, delay), and the discretisation of time constants. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nir_lower.h"

#define MAX_WALK 100000 /* node visits of one source's walk (a graph of many diamonds) */

int nir_is_sink(nir_kind k)
{
    return !(k == NIR_LINEAR || k == NIR_AFFINE || k == NIR_SCALE || k == NIR_DELAY ||
             k == NIR_IDENTITY);
}

void nir_paths_free(nir_paths *ps)
{
    for (int i = 0; i < ps->n; i++) {
        free(ps->p[i].m);
        free(ps->p[i].c);
    }
    free(ps->p);
    memset(ps, 0, sizeof *ps);
}

double nir_decay(lsnn_nir_discretisation d, double dt_ms, double tau_ms)
{
    return d == LSNN_NIR_EULER ? 1.0 - dt_ms / tau_ms : exp(-dt_ms / tau_ms);
}

double nir_tau_of_decay(double dt_ms, double decay)
{
    return -dt_ms / log(decay);
}

/* The signal leaving a node on one path: x(t - delay) mapped by m, plus c. */
typedef struct {
    int rows, cols, delay;
    double *m, *c;
} sig;

typedef struct {
    const nir_graph *g;
    const int *widths;
    double dt_ms, unit_ms;
    nir_paths *out;
    int *on_path;
    int src;
    long visits;
    lsnn_error *e;
} walk;

static int add_to_sink(walk *w, int sink, const sig *s)
{
    nir_paths *ps = w->out;
    for (int i = 0; i < ps->n; i++) {
        nir_path *p = &ps->p[i];
        if (p->sink != sink || p->delay != s->delay) continue;
        for (long k = 0; k < (long)s->rows * s->cols; k++)
            p->m[k] += s->m[k];
        for (int r = 0; r < s->rows; r++)
            p->c[r] += s->c[r];
        return 0;
    }
    if (ps->n == ps->cap) {
        int cap = ps->cap ? 2 * ps->cap : 8;
        nir_path *np = realloc(ps->p, (size_t)cap * sizeof *np);
        if (!np) return lsnn_fail(w->e, "out of memory");
        ps->p = np;
        ps->cap = cap;
    }
    nir_path *p = &ps->p[ps->n];
    *p = (nir_path){sink, s->delay, s->rows, s->cols, NULL, NULL};
    p->m = malloc((size_t)s->rows * (size_t)s->cols * sizeof *p->m);
    p->c = malloc((size_t)(s->rows ? s->rows : 1) * sizeof *p->c);
    if (!p->m || !p->c) {
        free(p->m);
        free(p->c);
        return lsnn_fail(w->e, "out of memory");
    }
    memcpy(p->m, s->m, (size_t)s->rows * (size_t)s->cols * sizeof *p->m);
    memcpy(p->c, s->c, (size_t)s->rows * sizeof *p->c);
    ps->n++;
    return 0;
}

static int sig_new(sig *s, int rows, int cols, int delay, walk *w)
{
    s->rows = rows, s->cols = cols, s->delay = delay;
    s->m = calloc((size_t)(rows ? rows : 1) * (size_t)(cols ? cols : 1), sizeof *s->m);
    s->c = calloc((size_t)(rows ? rows : 1), sizeof *s->c);
    if (!s->m || !s->c) {
        free(s->m);
        free(s->c);
        return lsnn_fail(w->e, "out of memory");
    }
    return 0;
}

static void sig_free(sig *s)
{
    free(s->m);
    free(s->c);
}

static int visit(walk *w, int node, const sig *in);

/* Passes s on along every edge out of node. */
static int forward(walk *w, int node, const sig *s)
{
    const nir_graph *g = w->g;
    for (int i = 0; i < g->n_edges; i++) {
        if (strcmp(g->edges[i].from, g->nodes[node].name)) continue;
        int to = nir_node_index(g, g->edges[i].to);
        if (to < 0)
            return lsnn_fail(w->e, "edge '%s' -> '%s': there is no node '%s'", g->edges[i].from,
                             g->edges[i].to, g->edges[i].to);
        if (visit(w, to, s)) return -1;
    }
    return 0;
}

static int width_mismatch(walk *w, const nir_node *n, const char *what, long want, int got)
{
    return lsnn_fail(w->e, "node '%s' (%s): %s is %ld wide, its input carries %d values", n->name,
                     n->type, what, want, got);
}

static int visit(walk *w, int node, const sig *in)
{
    const nir_node *n = &w->g->nodes[node];
    if (nir_is_sink(n->kind)) {
        if (w->widths[node] >= 0 && w->widths[node] != in->rows)
            return width_mismatch(w, n, "the node", w->widths[node], in->rows);
        return add_to_sink(w, node, in);
    }
    if (w->on_path[node])
        return lsnn_fail(w->e,
                         "node '%s' (%s) is on a cycle with no neuron in it (a loop "
                         "must pass through a LIF, CubaLIF or lsnn.ALIF node)",
                         n->name, n->type);
    if (++w->visits > MAX_WALK)
        return lsnn_fail(w->e,
                         "node '%s': more than %d path steps from node '%s' (too many "
                         "parallel paths)",
                         n->name, MAX_WALK, w->g->nodes[w->src].name);
    w->on_path[node] = 1;
    int rc = -1;
    sig s = {0};
    if (n->kind == NIR_IDENTITY) {
        const nir_param *sh = nir_param_of(n, "shape");
        long want = 1;
        if (sh)
            for (long i = 0; i < sh->n; i++)
                want *= (long)sh->v[i];
        if (sh && sh->n && want != in->rows) {
            width_mismatch(w, n, "its shape", want, in->rows);
            goto done;
        }
        rc = forward(w, node, in);
        goto done;
    }
    if (n->kind == NIR_LINEAR || n->kind == NIR_AFFINE) {
        const nir_param *W = nir_param_of(n, "weight");
        if (!W || W->ndim != 2) {
            lsnn_fail(w->e, "node '%s' (%s): %s", n->name, n->type,
                      W ? "weight must be a matrix [out, in]" : "no dataset 'weight'");
            goto done;
        }
        int ro = (int)W->dims[0], ci = (int)W->dims[1];
        if (ci != in->rows) {
            width_mismatch(w, n, "weight [out, in]'s in", ci, in->rows);
            goto done;
        }
        const nir_param *b = n->kind == NIR_AFFINE ? nir_param_of(n, "bias") : NULL;
        if (n->kind == NIR_AFFINE && (!b || b->n != ro)) {
            lsnn_fail(w->e, "node '%s' (Affine): bias must have %d entries (the weight's rows)",
                      n->name, ro);
            goto done;
        }
        for (long k = 0; k < W->n; k++)
            if (!isfinite(W->v[k])) {
                lsnn_fail(w->e, "node '%s' (%s): weight[%ld][%ld] is %g (not finite)", n->name,
                          n->type, k / ci, k % ci, W->v[k]);
                goto done;
            }
        for (int r = 0; b && r < ro; r++)
            if (!isfinite(b->v[r])) {
                lsnn_fail(w->e, "node '%s' (Affine): bias[%d] is %g (not finite)", n->name, r,
                          b->v[r]);
                goto done;
            }
        if (sig_new(&s, ro, in->cols, in->delay, w)) goto done;
        for (int r = 0; r < ro; r++) {
            double *mr = s.m + (size_t)r * in->cols;
            double c = b ? b->v[r] : 0;
            for (int k = 0; k < ci; k++) {
                double wk = W->v[(size_t)r * ci + k];
                if (wk == 0) continue;
                const double *src = in->m + (size_t)k * in->cols;
                for (int j = 0; j < in->cols; j++)
                    mr[j] += wk * src[j];
                c += wk * in->c[k];
            }
            s.c[r] = c;
        }
        rc = forward(w, node, &s);
        goto done;
    }
    if (n->kind == NIR_SCALE || n->kind == NIR_DELAY) {
        const char *pn = n->kind == NIR_SCALE ? "scale" : "delay";
        const nir_param *p = nir_param_of(n, pn);
        if (!p || (p->n != in->rows && p->n != 1)) {
            lsnn_fail(w->e, "node '%s' (%s): %s must have %d entries (or one)", n->name, n->type,
                      pn, in->rows);
            goto done;
        }
        for (long k = 0; k < p->n; k++)
            if (!isfinite(p->v[k]) || (n->kind == NIR_DELAY && p->v[k] < 0)) {
                lsnn_fail(w->e, "node '%s' (%s): %s[%ld] is %g (%s)", n->name, n->type, pn, k,
                          p->v[k], n->kind == NIR_DELAY ? "must be finite and >= 0" : "not finite");
                goto done;
            }
        if (n->kind == NIR_SCALE) {
            if (sig_new(&s, in->rows, in->cols, in->delay, w)) goto done;
            for (int r = 0; r < in->rows; r++) {
                double f = p->v[p->n == 1 ? 0 : r];
                for (int j = 0; j < in->cols; j++)
                    s.m[(size_t)r * in->cols + j] = f * in->m[(size_t)r * in->cols + j];
                s.c[r] = f * in->c[r];
            }
            rc = forward(w, node, &s);
            goto done;
        }
        /* a Delay: one signal per distinct delay, each carrying its rows */
        int *steps = malloc((size_t)(in->rows ? in->rows : 1) * sizeof *steps);
        if (!steps) {
            lsnn_fail(w->e, "out of memory");
            goto done;
        }
        for (int r = 0; r < in->rows; r++) {
            double d = p->v[p->n == 1 ? 0 : r] * w->unit_ms / w->dt_ms;
            double k = floor(d + 0.5);
            if (fabs(d - k) > 1e-6 * (k > 1 ? k : 1) || k > 1000) {
                free(steps);
                lsnn_fail(w->e,
                          "node '%s' (Delay): delay[%d] = %g ms is not a whole number "
                          "of steps of %g ms (at most 1000)",
                          n->name, r, p->v[p->n == 1 ? 0 : r] * w->unit_ms, w->dt_ms);
                goto done;
            }
            steps[r] = (int)k;
        }
        rc = 0;
        for (int r0 = 0; r0 < in->rows && !rc; r0++) {
            int first = 1;
            for (int r = 0; r < r0; r++)
                if (steps[r] == steps[r0]) first = 0;
            if (!first) continue;
            sig d;
            if (sig_new(&d, in->rows, in->cols, in->delay + steps[r0], w)) {
                rc = -1;
                break;
            }
            for (int r = 0; r < in->rows; r++) {
                if (steps[r] != steps[r0]) continue;
                memcpy(d.m + (size_t)r * in->cols, in->m + (size_t)r * in->cols,
                       (size_t)in->cols * sizeof *d.m);
                d.c[r] = in->c[r]; /* a constant is the same delayed */
            }
            rc = forward(w, node, &d);
            sig_free(&d);
        }
        free(steps);
        goto done;
    }
    lsnn_fail(w->e, "node '%s' (%s): not a linear node", n->name, n->type);
done:
    sig_free(&s);
    w->on_path[node] = 0;
    return rc;
}

int nir_follow(const nir_graph *g, int src, int cols, const int *widths, double dt_ms,
               double unit_ms, nir_paths *out, lsnn_error *e)
{
    walk w = {g,   widths, dt_ms, unit_ms, out, calloc((size_t)g->n_nodes + 1, sizeof(int)),
              src, 0,      e};
    if (!w.on_path) return lsnn_fail(e, "out of memory");
    sig s;
    int rc = sig_new(&s, cols, cols, 0, &w);
    if (!rc) {
        for (int j = 0; j < cols; j++)
            s.m[(size_t)j * cols + j] = 1;
        rc = forward(&w, src, &s);
        sig_free(&s);
    }
    free(w.on_path);
    return rc;
}

void nir_warnf(lsnn_nir_warn_fn warn, void *ctx, const char *fmt, ...)
{
    if (!warn) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warn(ctx, msg);
}
