/* adam.c - Adam (TF1 form) and the learning-rate schedule: the optimiser of dense models, and
 * the moments DEEP R steps with (deepr.c). */
#include "adam.h"

#include "pmath.h"

#include <math.h>
#include <string.h>

int lsnn_adam_alloc(lsnn_adam *a, const lsnn_net *net)
{
    memset(a, 0, sizeof *a);
    if (lsnn_grads_alloc(&a->m, net) || lsnn_grads_alloc(&a->v, net)) return -1;
    return 0;
}

void lsnn_adam_free(lsnn_adam *a)
{
    lsnn_grads_free(&a->m);
    lsnn_grads_free(&a->v);
}

double lsnn_lr_at(const lsnn_spec *spec, long iteration)
{
    if (spec->lr_decay_every <= 0) return spec->lr;
    return spec->lr * lsnn_powi(spec->lr_decay, iteration / spec->lr_decay_every);
}

void lsnn_adam_update(float *p, float *m, float *v, const float *g, size_t n, const lsnn_spec *spec,
                      double lr_t)
{
    float fb1 = (float)spec->adam_beta1, fb2 = (float)spec->adam_beta2;
    float feps = (float)spec->adam_eps, flr = (float)lr_t;
    for (size_t k = 0; k < n; k++) {
        m[k] = fb1 * m[k] + (1 - fb1) * g[k];
        v[k] = fb2 * v[k] + (1 - fb2) * g[k] * g[k];
        p[k] -= flr * m[k] / (sqrtf(v[k]) + feps);
    }
}

double lsnn_adam_advance(lsnn_adam *a, const lsnn_spec *spec, double lr)
{
    a->step++;
    return lsnn_adam_rate(spec, lr, a->step);
}

double lsnn_adam_rate(const lsnn_spec *spec, double lr, long t)
{
    double b1 = spec->adam_beta1, b2 = spec->adam_beta2;
    return lr * sqrt(1 - lsnn_powi(b2, t)) / (1 - lsnn_powi(b1, t));
}

void lsnn_adam_step(lsnn_adam *a, const lsnn_spec *spec, lsnn_net *net, const lsnn_grads *g,
                    double lr)
{
    double lr_t = lsnn_adam_advance(a, spec, lr);
    size_t N = net->n_rec;
    lsnn_adam_update(net->w_in, a->m.w_in, a->v.w_in, g->w_in, (size_t)net->n_in * N, spec, lr_t);
    lsnn_adam_update(net->w_rec, a->m.w_rec, a->v.w_rec, g->w_rec, N * N, spec, lr_t);
    for (size_t i = 0; i < N && !spec->autapses; i++)
        net->w_rec[i * N + i] = 0; /* no autapses unless the spec has them */
    lsnn_adam_update(net->w_out, a->m.w_out, a->v.w_out, g->w_out, N * net->n_out, spec, lr_t);
    if (spec->readout_bias)
        lsnn_adam_update(net->b_out, a->m.b_out, a->v.b_out, g->b_out, net->n_out, spec, lr_t);
}
