/* nir_neurons.c - a NIR neuron node's per-neuron parameters as this project's neurons: the
 * discretisation of each time constant, the reset mapping (v_leak = v_reset, threshold b0 =
 * v_threshold - v_reset), and the input gain folded into the weights (docs/nir.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nir_neurons.h"

/* Parameter `name` of node n as n_neurons values (a single value is broadcast). missing:
 * the value used when the dataset is absent (NAN: the dataset is required). */
static int vec(const nir_node *n, const char *name, int n_neurons, double missing, double *out,
               lsnn_error *e)
{
    const nir_param *p = nir_param_of(n, name);
    if (!p) {
        if (isnan(missing))
            return lsnn_fail(e, "node '%s' (%s): no dataset '%s'", n->name, n->type, name);
        for (int i = 0; i < n_neurons; i++)
            out[i] = missing;
        return 0;
    }
    if (p->n != n_neurons && p->n != 1)
        return lsnn_fail(e, "node '%s' (%s): %s has %ld entries, the node has %d neurons", n->name,
                         n->type, name, p->n, n_neurons);
    for (int i = 0; i < n_neurons; i++) {
        out[i] = p->v[p->n == 1 ? 0 : i];
        if (!isfinite(out[i]))
            return lsnn_fail(e, "node '%s' (%s): %s[%d] is %g (not finite)", n->name, n->type, name,
                             i, out[i]);
    }
    return 0;
}

/* A time constant (graph units) as this project's tau in ms for the discretisation; the range
 * is (0, hi]. */
static int tau_of(const nir_node *n, const char *name, int i, double tau, const nir_neuron_opts *o,
                  double hi, double *out, lsnn_error *e)
{
    double ms = tau * o->unit_ms;
    if (!(tau > 0))
        return lsnn_fail(e, "node '%s' (%s): %s[%d] = %g must be > 0", n->name, n->type, name, i,
                         tau);
    double d = nir_decay(o->disc, o->dt_ms, ms);
    if (!(d > 0 && d < 1))
        return lsnn_fail(e,
                         "node '%s' (%s): %s[%d] = %g ms is not longer than the step %g ms, "
                         "which forward Euler needs (decay 1 - dt/tau = %g)",
                         n->name, n->type, name, i, ms, o->dt_ms, d);
    *out = o->disc == LSNN_NIR_ZOH ? ms : nir_tau_of_decay(o->dt_ms, d);
    if (!(*out <= hi))
        return lsnn_fail(e, "node '%s' (%s): %s[%d] = %g ms is above this project's limit %g ms",
                         n->name, n->type, name, i, *out, hi);
    return 0;
}

int nir_neuron_kind(nir_kind k)
{
    return k == NIR_LIF || k == NIR_CUBALIF || k == NIR_ALIF || k == NIR_CUBAALIF;
}

int nir_neurons_read(const nir_node *n, const nir_neuron_opts *o, nir_neuron *out, int n_neurons,
                     lsnn_error *e)
{
    int cuba = n->kind == NIR_CUBALIF || n->kind == NIR_CUBAALIF;
    int ext = n->kind == NIR_ALIF || n->kind == NIR_CUBAALIF;
    size_t sz = (size_t)n_neurons * sizeof(double);
    double *tau = malloc(sz), *r = malloc(sz), *vl = malloc(sz), *vt = malloc(sz), *vr = malloc(sz),
           *ts = malloc(sz), *win = malloc(sz), *ta = malloc(sz), *beta = malloc(sz),
           *tref = malloc(sz);
    int rc = -1;
    if (!tau || !r || !vl || !vt || !vr || !ts || !win || !ta || !beta || !tref) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    const char *tau_name = cuba ? "tau_mem" : "tau";
    if (vec(n, tau_name, n_neurons, NAN, tau, e) || vec(n, "r", n_neurons, NAN, r, e) ||
        vec(n, "v_leak", n_neurons, NAN, vl, e) || vec(n, "v_threshold", n_neurons, NAN, vt, e) ||
        vec(n, "v_reset", n_neurons, 0, vr, e) ||
        vec(n, "tau_syn", n_neurons, cuba ? NAN : 1, ts, e) ||
        vec(n, "w_in", n_neurons, 1, win, e) ||
        vec(n, "tau_adapt", n_neurons, ext ? NAN : 0, ta, e) ||
        vec(n, "beta", n_neurons, ext ? NAN : 0, beta, e) || vec(n, "t_ref", n_neurons, 0, tref, e))
        goto done;
    for (int i = 0; i < n_neurons; i++) {
        nir_neuron *u = &out[i];
        memset(u, 0, sizeof *u);
        if (tau_of(n, tau_name, i, tau[i], o, 1e6, &u->tau_m_ms, e)) goto done;
        if (vl[i] != vr[i]) {
            lsnn_fail(e,
                      "node '%s' (%s): v_leak[%d] = %g differs from v_reset[%d] = %g: the "
                      "neurons here rest where they reset (a leak towards another potential "
                      "is a constant input current, which they do not have)",
                      n->name, n->type, i, vl[i], i, vr[i]);
            goto done;
        }
        u->b0 = vt[i] - vr[i];
        if (!(u->b0 > 0 && u->b0 <= 1e3)) {
            lsnn_fail(e,
                      "node '%s' (%s): v_threshold[%d] - v_reset[%d] = %g must be in (0, 1e3] "
                      "(the threshold b0 above the reset potential)",
                      n->name, n->type, i, i, u->b0);
            goto done;
        }
        if (cuba) {
            if (tau_of(n, "tau_syn", i, ts[i], o, 1e6, &u->tau_syn_ms, e)) goto done;
            double a_s = nir_decay(o->disc, o->dt_ms, ts[i] * o->unit_ms);
            /* the current's input gain: (1 - alpha_s) w_in, times r from the membrane */
            u->gain = r[i] * (1.0 - a_s) * win[i];
        } else {
            u->gain = r[i];
        }
        if (!isfinite(u->gain)) {
            lsnn_fail(e, "node '%s' (%s): the input gain of neuron %d (r%s) is not finite", n->name,
                      n->type, i, cuba ? " (1 - alpha_syn) w_in" : "");
            goto done;
        }
        if (ta[i] < 0 || (ta[i] == 0 && beta[i] != 0) || beta[i] < 0 || beta[i] > 1e3) {
            lsnn_fail(e,
                      "node '%s' (%s): neuron %d: tau_adapt = %g, beta = %g; beta must be in "
                      "[0, 1e3] and 0 where tau_adapt is 0 (a LIF neuron)",
                      n->name, n->type, i, ta[i], beta[i]);
            goto done;
        }
        if (ta[i] > 0) {
            u->alif = 1;
            u->beta = beta[i];
            if (tau_of(n, "tau_adapt", i, ta[i], o, 1e7, &u->tau_a_ms, e)) goto done;
        }
        double steps = tref[i] * o->unit_ms / o->dt_ms, k = floor(steps + 0.5);
        if (tref[i] < 0 || fabs(steps - k) > 1e-6 * (k > 1 ? k : 1) || k > 1000) {
            lsnn_fail(e,
                      "node '%s' (%s): t_ref[%d] = %g ms is not a whole number of steps of "
                      "%g ms in [0, 1000]",
                      n->name, n->type, i, tref[i] * o->unit_ms, o->dt_ms);
            goto done;
        }
        u->refractory = (int)k;
    }
    rc = 0;
done:
    free(tau), free(r), free(vl), free(vt), free(vr), free(ts), free(win), free(ta), free(beta),
        free(tref);
    return rc;
}

int nir_neuron_same(const nir_neuron *a, const nir_neuron *b)
{
    return a->alif == b->alif && a->tau_m_ms == b->tau_m_ms && a->b0 == b->b0 &&
           a->refractory == b->refractory && a->tau_a_ms == b->tau_a_ms && a->beta == b->beta &&
           a->tau_syn_ms == b->tau_syn_ms;
}
