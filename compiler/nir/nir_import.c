/* nir_import.c - a NIR graph as an lsnn network: the graph must be Input -> (linear paths) ->
 * a chain of spiking layers, each with its recurrent paths (nir_layers.c) -> (linear paths) ->
 * one LI readout -> (an optional diagonal Affine: the readout bias) -> Output, or the last
 * layer's spikes -> Output, read out by an added LI. Everything else is refused by name. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "nir.h"
#include "nir_hdf5.h"
#include "nir_import_spec.h"
#include "nir_layers.h"
#include "nir_lower.h"
#include "nir_neurons.h"

void lsnn_nir_import_defaults(lsnn_nir_import_options *o)
{
    memset(o, 0, sizeof *o);
    o->disc = LSNN_NIR_DISC_AUTO;
}

/* Why a node kind cannot be part of a network here. */
static const char *refusal(nir_kind k)
{
    switch (k) {
    case NIR_CUBALI:
        return "the readout is a leaky integrator of the spikes (LI); a readout "
               "with a synaptic current is not supported";
    case NIR_INTEGRATOR:
        return "a non-leaky integrator has no counterpart (the readout leaks, "
               "tau <= 1e6 ms); use an LI node";
    case NIR_IF:
        return "integrate-and-fire neurons without leak have no counterpart (the "
               "neurons leak, tau <= 1e6 ms); use LIF";
    case NIR_THRESHOLD:
        return "a threshold without its neuron has no counterpart (the neurons "
               "threshold and reset themselves); use LIF";
    case NIR_OTHER_KNOWN:
        return "convolution, pooling and flatten nodes are not supported: the "
               "network here is one recurrent layer and a readout";
    default:
        return NULL;
    }
}

static long width_of_shape(const nir_node *n)
{
    const nir_param *s = nir_param_of(n, "shape");
    if (!s) return -1;
    long w = 1;
    for (long i = 0; i < s->n; i++) {
        if (!(s->v[i] >= 1 && s->v[i] <= 1e6)) return -1;
        w *= (long)s->v[i];
        if (w > 1000000) return -1;
    }
    return w;
}

/* The parts of the graph, once found. */
typedef struct {
    int in, out, ro, first_neu; /* node indexes; ro -1: no LI (a readout is added) */
    int n_in, n_out;
} parts;

/* Finds the Input, the Output, the LI readout if any and every spiking node's width. */
static int find_parts(const nir_graph *g, parts *p, int *widths, lsnn_error *e)
{
    int n_in = 0, n_out = 0, n_ro = 0;
    p->in = p->out = p->ro = p->first_neu = -1;
    for (int i = 0; i < g->n_nodes; i++) {
        const nir_node *n = &g->nodes[i];
        const char *why = refusal(n->kind);
        widths[i] = -1;
        if (why) return lsnn_fail(e, "node '%s' (%s): %s", n->name, n->type, why);
        if (n->kind == NIR_INPUT) p->in = i, n_in++;
        if (n->kind == NIR_OUTPUT) p->out = i, n_out++;
        if (nir_neuron_kind(n->kind)) {
            const nir_param *vt = nir_param_of(n, "v_threshold");
            if (!vt)
                return lsnn_fail(e, "node '%s' (%s): no dataset 'v_threshold'", n->name, n->type);
            if (vt->n < 1 || vt->n > LSNN_MAX_NEURONS)
                return lsnn_fail(e, "node '%s' (%s): %ld neurons; 1..%d are supported", n->name,
                                 n->type, vt->n, LSNN_MAX_NEURONS);
            widths[i] = (int)vt->n;
            if (p->first_neu < 0) p->first_neu = i;
        }
        if (n->kind == NIR_LI) {
            if (n_ro)
                return lsnn_fail(e, "nodes '%s' and '%s': two LI readouts; the network has one",
                                 g->nodes[p->ro].name, n->name);
            p->ro = i, n_ro++;
        }
    }
    if (n_in != 1) return lsnn_fail(e, "the graph has %d Input nodes; one is needed", n_in);
    if (n_out != 1) return lsnn_fail(e, "the graph has %d Output nodes; one is needed", n_out);
    if (p->first_neu < 0)
        return lsnn_fail(e, "the graph has no spiking node (LIF, CubaLIF, lsnn.ALIF)");
    long w = width_of_shape(&g->nodes[p->in]);
    if (w < 1 || w > LSNN_MAX_INPUTS)
        return lsnn_fail(e, "node '%s' (Input): shape gives %ld inputs; 1..%d are supported",
                         g->nodes[p->in].name, w, LSNN_MAX_INPUTS);
    p->n_in = (int)w;
    long wo = width_of_shape(&g->nodes[p->out]);
    widths[p->out] = (int)(wo > 0 ? wo : -1);
    if (p->ro >= 0) {
        const nir_param *tau = nir_param_of(&g->nodes[p->ro], "tau");
        if (!tau) return lsnn_fail(e, "node '%s' (LI): no dataset 'tau'", g->nodes[p->ro].name);
        if (tau->n < 1 || tau->n > LSNN_MAX_OUTPUTS)
            return lsnn_fail(e, "node '%s' (LI): %ld readouts; 1..%d are supported",
                             g->nodes[p->ro].name, tau->n, LSNN_MAX_OUTPUTS);
        p->n_out = (int)tau->n;
        widths[p->ro] = p->n_out;
    } else {
        if (wo < 1 || wo > LSNN_MAX_OUTPUTS)
            return lsnn_fail(e,
                             "node '%s' (Output): shape gives %ld outputs; 1..%d are supported "
                             "(one readout is added per output)",
                             g->nodes[p->out].name, wo, LSNN_MAX_OUTPUTS);
        p->n_out = (int)wo;
    }
    return 0;
}

/* The readout: one time constant, v_leak 0, a gain r per readout. */
static int read_readout(const nir_node *n, const nir_neuron_opts *no, int n_out, double *tau_ms,
                        double *gain, lsnn_error *e)
{
    const nir_param *tau = nir_param_of(n, "tau"), *r = nir_param_of(n, "r"),
                    *vl = nir_param_of(n, "v_leak");
    if (!r || !vl)
        return lsnn_fail(e, "node '%s' (LI): no dataset '%s'", n->name, r ? "v_leak" : "r");
    if ((r->n != n_out && r->n != 1) || (vl->n != n_out && vl->n != 1))
        return lsnn_fail(e, "node '%s' (LI): r and v_leak must have %d entries (as tau)", n->name,
                         n_out);
    for (int c = 0; c < n_out; c++) {
        double t = tau->v[c], rc = r->v[r->n == 1 ? 0 : c], v = vl->v[vl->n == 1 ? 0 : c];
        if (!isfinite(t) || !isfinite(rc) || !isfinite(v))
            return lsnn_fail(e, "node '%s' (LI): readout %d has a parameter that is not finite",
                             n->name, c);
        if (t != tau->v[0])
            return lsnn_fail(e,
                             "node '%s' (LI): tau[%d] = %g differs from tau[0] = %g; the "
                             "readout has one time constant",
                             n->name, c, t, tau->v[0]);
        if (v != 0)
            return lsnn_fail(e,
                             "node '%s' (LI): v_leak[%d] = %g must be 0 (a leak towards "
                             "another potential is a constant input the readout does not have)",
                             n->name, c, v);
        gain[c] = rc;
    }
    double ms = tau->v[0] * no->unit_ms, d = nir_decay(no->disc, no->dt_ms, ms);
    if (!(tau->v[0] > 0) || !(d > 0 && d < 1))
        return lsnn_fail(e, "node '%s' (LI): tau = %g ms must be > 0%s", n->name, ms,
                         no->disc == LSNN_NIR_EULER ? " and longer than the step (Euler)" : "");
    *tau_ms = no->disc == LSNN_NIR_ZOH ? ms : nir_tau_of_decay(no->dt_ms, d);
    if (!(*tau_ms <= 1e6))
        return lsnn_fail(e, "node '%s' (LI): tau = %g ms is above the limit 1e6 ms", n->name,
                         *tau_ms);
    return 0;
}

/* Puts path weights into a float matrix w[src][dst] (dst permuted by pos), with their delay
 * slots; two nonzero paths with different delays on one synapse are refused. */
static int place(const nir_graph *g, const nir_path *p, const double *gain, const int *pos,
                 float *w, uint8_t *d, int *dset, int n_dst, const char *what, lsnn_error *e)
{
    for (int j = 0; j < p->rows; j++)
        for (int i = 0; i < p->cols; i++) {
            double m = p->m[(size_t)j * p->cols + i];
            if (m == 0) continue;
            size_t k = (size_t)i * n_dst + pos[j];
            if (d && dset[k] >= 0 && dset[k] != p->delay)
                return lsnn_fail(e,
                                 "%s synapse %d -> %d (into '%s'): paths with delays of %d "
                                 "and %d steps; a synapse has one delay",
                                 what, i, j, g->nodes[p->sink].name, dset[k], p->delay);
            double v = (double)w[k] + gain[j] * m;
            if (!(fabs(v) <= FLT_MAX))
                return lsnn_fail(e,
                                 "%s synapse %d -> %d: weight %g (after folding r and w_in) "
                                 "is beyond a 32-bit float",
                                 what, i, j, v);
            w[k] = (float)v;
            if (d) d[k] = (uint8_t)p->delay, dset[k] = p->delay;
        }
    return 0;
}

static int resolve_options(const nir_graph *g, const lsnn_nir_import_options *o,
                           nir_neuron_opts *no, lsnn_nir_reset *reset, lsnn_error *e)
{
    const char *m;
    no->dt_ms = o->dt_ms > 0 ? o->dt_ms : (m = nir_meta_of(g, "dt_ms")) ? atof(m) : 1.0;
    if (!(no->dt_ms > 0 && no->dt_ms <= 10))
        return lsnn_fail(e, "the step dt = %g ms must be in (0, 10]", no->dt_ms);
    no->unit_ms = o->time_unit_ms > 0                                      ? o->time_unit_ms
                  : ((m = nir_meta_of(g, "time_unit")) && !strcmp(m, "s")) ? 1000.0
                                                                           : 1.0;
    if (o->disc != LSNN_NIR_DISC_AUTO)
        no->disc = (lsnn_nir_discretisation)o->disc;
    else
        no->disc = ((m = nir_meta_of(g, "discretisation")) && !strcmp(m, "euler")) ? LSNN_NIR_EULER
                                                                                   : LSNN_NIR_ZOH;
    *reset = o->reset;
    if (*reset == LSNN_NIR_RESET_AUTO) {
        m = nir_meta_of(g, "reset");
        *reset = m && !strcmp(m, "zero") ? LSNN_NIR_RESET_ZERO : LSNN_NIR_RESET_SUBTRACT;
        if (!m)
            nir_warnf(o->warn, o->warn_ctx,
                      "the graph does not say how it resets in discrete time: taken as "
                      "subtraction of (v_threshold - v_reset) at the step after a spike (--reset)");
    }
    return 0;
}

/* The added readout's time constant in steps: long enough that it counts the output layer's
 * spikes (a leak of 2^-16 per step: 1.5 % over 1,000 steps), short enough that one spike still
 * weighs (1 - kappa) 2^(V-2) = 64 readout LSB with the neurocore's default V = 24 (docs/nir.md). */
#define ADDED_READOUT_STEPS 65536.0

/* Populations: groups of equal parameters within one layer, in order of first appearance;
 * pos[j] is neuron j's place once each population is contiguous. */
static int group_pops(const nir_graph *g, const nir_chain *c, const nir_neuron *u, const int *layer,
                      int *pos, int *first, int *sizes, int *n_pops, lsnn_error *e)
{
    int N = c->n_rec, k = 0;
    *n_pops = 0;
    for (int j = 0; j < N; j++) {
        int q = 0;
        while (q < *n_pops &&
               !(layer[first[q]] == layer[j] && nir_neuron_same(&u[first[q]], &u[j])))
            q++;
        if (q == *n_pops) {
            if (*n_pops == LSNN_MAX_POPS) {
                const nir_node *n = &g->nodes[c->l[layer[j]].node];
                return lsnn_fail(e,
                                 "node '%s' (%s): neuron %d has a 9th distinct set of parameters "
                                 "(tau %g ms, threshold %g; each layer's own populations count); "
                                 "at most %d populations of equal parameters are supported",
                                 n->name, n->type, j - c->l[layer[j]].off, u[j].tau_m_ms, u[j].b0,
                                 LSNN_MAX_POPS);
            }
            sizes[*n_pops] = 0;
            first[(*n_pops)++] = j;
        }
        sizes[q]++;
    }
    for (int q = 0; q < *n_pops; q++)
        for (int j = 0; j < N; j++)
            if (layer[j] == layer[first[q]] && nir_neuron_same(&u[first[q]], &u[j])) pos[j] = k++;
    return 0;
}

/* A path from layer `from` into layer `to` (itself or the next): w_rec's block, with delays. */
static int place_rec(const nir_graph *g, const nir_chain *c, int from, const nir_path *q,
                     const double *gain, const int *pos, lsnn_net *net, int *dset, int *autapses,
                     lsnn_error *e)
{
    int N = c->n_rec, to = nir_chain_layer_of(c, q->sink);
    const nir_layer *ls = &c->l[from], *ld = &c->l[to];
    const char *name = g->nodes[ld->node].name;
    for (int j = 0; j < ld->n; j++) {
        int dj = ld->off + j;
        if (q->c[j] != 0)
            return lsnn_fail(e,
                             "node '%s': a constant input of %g into neuron %d (an Affine "
                             "bias); the neurons have no bias current",
                             name, q->c[j], j);
        for (int s = 0; s < ls->n; s++) {
            double m = q->m[(size_t)j * ls->n + s];
            if (m == 0) continue;
            int ds = ls->off + s;
            if (ds == dj) *autapses = 1;
            size_t kk = (size_t)pos[ds] * N + pos[dj];
            if (dset[kk] >= 0 && dset[kk] != q->delay)
                return lsnn_fail(e,
                                 "synapse '%s'[%d] -> '%s'[%d]: paths with delays of %d and %d "
                                 "steps; a synapse has one delay",
                                 g->nodes[ls->node].name, s, name, j, dset[kk], q->delay);
            double v = (double)net->w_rec[kk] + gain[dj] * m;
            if (!(fabs(v) <= FLT_MAX))
                return lsnn_fail(e,
                                 "synapse '%s'[%d] -> '%s'[%d]: weight %g is beyond a 32-bit float",
                                 g->nodes[ls->node].name, s, name, j, v);
            net->w_rec[kk] = (float)v;
            net->d_rec[kk] = (uint8_t)q->delay, dset[kk] = q->delay;
        }
    }
    return 0;
}

/* The graph's LI readout: logits = D (LI state) + c, with D diagonal folded into w_out. */
static int place_li_readout(const nir_graph *g, const parts *p, const nir_layer *last,
                            const double *rgain, const int *pos, double dt_ms, double unit_ms,
                            lsnn_net *net, int *bias_any, lsnn_error *e)
{
    nir_paths from_ro = {0};
    int n_out = p->n_out, rc = -1;
    int *widths = malloc((size_t)g->n_nodes * sizeof *widths);
    double *diag = calloc((size_t)n_out, sizeof *diag), *bias = calloc((size_t)n_out, sizeof *bias);
    if (!widths || !diag || !bias) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    for (int i = 0; i < g->n_nodes; i++)
        widths[i] = -1;
    widths[p->ro] = n_out;
    long wo = width_of_shape(&g->nodes[p->out]);
    widths[p->out] = (int)(wo > 0 ? wo : -1);
    if (nir_follow(g, p->ro, n_out, widths, dt_ms, unit_ms, &from_ro, e)) goto done;
    if (!from_ro.n) {
        lsnn_fail(e, "the readout '%s' does not reach the Output '%s'", g->nodes[p->ro].name,
                  g->nodes[p->out].name);
        goto done;
    }
    for (int i = 0; i < from_ro.n; i++) {
        const nir_path *q = &from_ro.p[i];
        if (q->sink != p->out || q->delay) {
            lsnn_fail(e,
                      "the readout '%s' must feed the Output '%s' through at most a "
                      "diagonal Affine (the readout bias), with no delay; it reaches '%s'",
                      g->nodes[p->ro].name, g->nodes[p->out].name, g->nodes[q->sink].name);
            goto done;
        }
        for (int r = 0; r < q->rows; r++) {
            for (int c = 0; c < q->cols; c++) {
                double m = q->m[(size_t)r * q->cols + c];
                if (r != c && m != 0) {
                    lsnn_fail(e,
                              "between the readout '%s' and the Output '%s' readout %d "
                              "feeds output %d: only a diagonal map (and a bias) may follow "
                              "the readout",
                              g->nodes[p->ro].name, g->nodes[p->out].name, c, r);
                    goto done;
                }
                if (r == c) diag[r] += m;
            }
            bias[r] += q->c[r];
        }
    }
    for (int i = 0; i < last->out.n; i++) {
        const nir_path *q = &last->out.p[i];
        if (q->sink != p->ro) continue;
        if (q->delay) {
            lsnn_fail(e,
                      "the path from '%s' to the readout '%s' has a delay of %d steps; the "
                      "readout has none",
                      g->nodes[last->node].name, g->nodes[p->ro].name, q->delay);
            goto done;
        }
        for (int c = 0; c < n_out; c++) {
            double gc = rgain[c] * diag[c];
            if (q->c[c] != 0) {
                lsnn_fail(e,
                          "node '%s': a constant input of %g into readout %d (an "
                          "Affine bias before the LI); a bias belongs after the readout",
                          g->nodes[p->ro].name, q->c[c], c);
                goto done;
            }
            for (int j = 0; j < last->n; j++) {
                double m = q->m[(size_t)c * last->n + j];
                if (m == 0) continue;
                size_t kk = (size_t)pos[last->off + j] * n_out + c;
                double v = (double)net->w_out[kk] + gc * m;
                if (!(fabs(v) <= FLT_MAX)) {
                    lsnn_fail(e, "readout synapse %d -> %d: weight %g is beyond a 32-bit float", j,
                              c, v);
                    goto done;
                }
                net->w_out[kk] = (float)v;
            }
        }
    }
    for (int c = 0; c < n_out; c++) {
        net->b_out[c] = (float)bias[c];
        if (bias[c] != 0) *bias_any = 1;
    }
    rc = 0;
done:
    free(widths), free(diag), free(bias);
    nir_paths_free(&from_ro);
    return rc;
}

/* No LI: the last layer's spikes are the Output (directly or through a Linear); the readout
 * added here integrates them, one readout per output (docs/nir.md, "The added readout"). */
static int place_added_readout(const nir_graph *g, const parts *p, const nir_layer *last,
                               const int *pos, lsnn_net *net, lsnn_error *e)
{
    for (int i = 0; i < last->out.n; i++) {
        const nir_path *q = &last->out.p[i];
        if (q->sink != p->out) continue;
        if (q->delay)
            return lsnn_fail(e,
                             "the path from the output layer '%s' to the Output '%s' has a delay "
                             "of %d steps; the readout has none",
                             g->nodes[last->node].name, g->nodes[p->out].name, q->delay);
        for (int c = 0; c < p->n_out; c++) {
            if (q->c[c] != 0)
                return lsnn_fail(e,
                                 "a constant of %g on the way from the output layer '%s' to the "
                                 "Output '%s' (an Affine bias on spikes): not supported",
                                 q->c[c], g->nodes[last->node].name, g->nodes[p->out].name);
            for (int j = 0; j < last->n; j++) {
                double m = q->m[(size_t)c * last->n + j];
                if (m == 0) continue;
                size_t kk = (size_t)pos[last->off + j] * p->n_out + c;
                double v = (double)net->w_out[kk] + m;
                if (!(fabs(v) <= FLT_MAX))
                    return lsnn_fail(e,
                                     "readout synapse %d -> %d: weight %g is beyond a 32-bit "
                                     "float",
                                     j, c, v);
                net->w_out[kk] = (float)v;
            }
        }
    }
    return 0;
}

static int lower(const nir_graph *g, const lsnn_nir_import_options *o, const char *path,
                 lsnn_spec *spec, lsnn_net *net, lsnn_error *e)
{
    parts p = {0};
    nir_neuron_opts no;
    lsnn_nir_reset reset;
    int *widths = malloc((size_t)g->n_nodes * sizeof *widths + 1);
    if (!widths) return lsnn_fail(e, "out of memory");
    if (resolve_options(g, o, &no, &reset, e) || find_parts(g, &p, widths, e)) {
        free(widths);
        return -1;
    }
    if (reset == LSNN_NIR_RESET_ZERO) {
        const nir_node *neu = &g->nodes[p.first_neu];
        free(widths);
        return lsnn_fail(e,
                         "node '%s' (%s): reset to v_reset at the step after a spike "
                         "(discarding the overshoot) cannot be expressed: the neurocore "
                         "(contract version 3, docs/neurocore.md 5.2) resets by subtracting "
                         "the threshold; import with --reset subtract to accept that reset",
                         neu->name, neu->type);
    }
    nir_chain ch = {0};
    int rc = -1, N = 0, n_pops = 0, first[LSNN_MAX_POPS], sizes[LSNN_MAX_POPS], autapses = 0;
    nir_neuron *u = NULL;
    int *pos = NULL, *layer = NULL, *dset_in = NULL, *dset_rec = NULL;
    double *rgain = calloc((size_t)p.n_out, sizeof *rgain), *gain = NULL, tau_out = 0;
    nir_import_shape shape = {0};
    if (nir_chain_find(g, p.in, p.n_in, p.ro, p.out, widths, no.dt_ms, no.unit_ms, &ch, e))
        goto done;
    N = ch.n_rec;
    u = calloc((size_t)N, sizeof *u);
    pos = malloc((size_t)N * sizeof *pos), layer = malloc((size_t)N * sizeof *layer);
    gain = malloc((size_t)N * sizeof *gain);
    if (!u || !pos || !layer || !gain || !rgain) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    for (int k = 0; k < ch.n_layers; k++) {
        const nir_layer *l = &ch.l[k];
        if (nir_neurons_read(&g->nodes[l->node], &no, u + l->off, l->n, e)) goto done;
        for (int j = 0; j < l->n; j++)
            layer[l->off + j] = k, gain[l->off + j] = u[l->off + j].gain;
    }
    const nir_layer *last = &ch.l[ch.n_layers - 1];
    if (p.ro >= 0) {
        if (read_readout(&g->nodes[p.ro], &no, p.n_out, &tau_out, rgain, e)) goto done;
    } else {
        tau_out = ADDED_READOUT_STEPS * no.dt_ms;
        nir_warnf(o->warn, o->warn_ctx,
                  "the output layer '%s' spikes (no LI readout): added %d LI readouts, readout c "
                  "integrating output neuron c's spikes (weight 1, tau %g ms = 65536 steps); the "
                  "decision is the readout that integrated the most spikes",
                  g->nodes[last->node].name, p.n_out, tau_out);
        if (ch.n_layers > 1)
            nir_warnf(
                o->warn, o->warn_ctx,
                "%d spiking layers in one recurrent layer: layer k runs k - 1 steps after the "
                "graph's (its spikes at step t + k - 1 are the graph's at step t)",
                ch.n_layers);
    }
    if (group_pops(g, &ch, u, layer, pos, first, sizes, &n_pops, e)) goto done;
    int max_delay = 0;
    for (int i = 0; i < ch.from_in.n; i++)
        if (ch.from_in.p[i].delay > max_delay) max_delay = ch.from_in.p[i].delay;
    for (int k = 0; k < ch.n_layers; k++)
        for (int i = 0; i < ch.l[k].out.n; i++) {
            const nir_path *q = &ch.l[k].out.p[i];
            if (nir_chain_layer_of(&ch, q->sink) >= 0 && q->delay > max_delay) max_delay = q->delay;
        }
    if (max_delay >= LSNN_MAX_DELAY) {
        lsnn_fail(e, "a path into a spiking layer has a delay of %d steps; at most %d", max_delay,
                  LSNN_MAX_DELAY - 1);
        goto done;
    }
    int n_in = p.n_in;
    if (o->n_inputs) {
        if (o->n_inputs < p.n_in || o->n_inputs > LSNN_MAX_INPUTS) {
            lsnn_fail(e,
                      "--inputs %d: the graph's Input '%s' has %d channels; give %d..%d (the "
                      "channels above the graph's have no synapses)",
                      o->n_inputs, g->nodes[p.in].name, p.n_in, p.n_in, LSNN_MAX_INPUTS);
            goto done;
        }
        n_in = o->n_inputs;
    }
    shape.n_in = n_in, shape.n_out = p.n_out, shape.n_pops = n_pops;
    shape.n_delay = max_delay + 1, shape.dt_ms = no.dt_ms, shape.tau_out_ms = tau_out;
    if (p.ro < 0)
        snprintf(shape.out_layer, sizeof shape.out_layer, "%s", g->nodes[last->node].name);
    for (int q = 0; q < n_pops; q++) {
        const nir_neuron *x = &u[first[q]];
        lsnn_pop_spec *ps = &shape.pops[q];
        ps->kind = x->alif ? LSNN_NEURON_ALIF : LSNN_NEURON_LIF;
        ps->size = sizes[q], ps->tau_m_ms = x->tau_m_ms, ps->b0 = x->b0;
        ps->refractory = x->refractory, ps->tau_a_ms = x->tau_a_ms, ps->beta = x->beta;
        ps->tau_syn_ms = x->tau_syn_ms;
    }
    if (lsnn_net_alloc(net, n_in, N, p.n_out, shape.n_delay)) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    dset_in = malloc((size_t)n_in * N * sizeof *dset_in);
    dset_rec = malloc((size_t)N * N * sizeof *dset_rec);
    if (!dset_in || !dset_rec) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    for (long i = 0; i < (long)n_in * N; i++)
        dset_in[i] = -1;
    for (long i = 0; i < (long)N * N; i++)
        dset_rec[i] = -1;
    /* layer 1 holds the network's first neurons: its local index is the global one */
    for (int i = 0; i < ch.from_in.n; i++) {
        const nir_path *q = &ch.from_in.p[i];
        if (place(g, q, gain, pos, net->w_in, net->d_in, dset_in, N, "input", e)) goto done;
        for (int j = 0; j < q->rows; j++)
            if (q->c[j] != 0) {
                lsnn_fail(e,
                          "node '%s': a constant input of %g into neuron %d (an Affine "
                          "bias); the neurons have no bias current",
                          g->nodes[q->sink].name, q->c[j], j);
                goto done;
            }
    }
    for (int k = 0; k < ch.n_layers; k++)
        for (int i = 0; i < ch.l[k].out.n; i++) {
            const nir_path *q = &ch.l[k].out.p[i];
            if (nir_chain_layer_of(&ch, q->sink) < 0) continue;
            if (place_rec(g, &ch, k, q, gain, pos, net, dset_rec, &autapses, e)) goto done;
        }
    shape.autapses = autapses;
    if (p.ro >= 0
            ? place_li_readout(g, &p, last, rgain, pos, no.dt_ms, no.unit_ms, net, &shape.bias, e)
            : place_added_readout(g, &p, last, pos, net, e))
        goto done;
    rc = nir_import_spec(path, g, o, &shape, spec, e);
    if (!rc) lsnn_model_constants(spec, net), net->n_delay = spec->n_delay;
    if (!rc)
        for (int q = 0; q < n_pops; q++)
            if (spec->pops[q].tau_m_ms < no.dt_ms)
                nir_warnf(o->warn, o->warn_ctx,
                          "population %s: tau_m %g ms is shorter than the step %g ms (are the "
                          "graph's times in seconds? --time-unit s)",
                          spec->pops[q].name, spec->pops[q].tau_m_ms, no.dt_ms);
done:
    if (rc && net->w_in) lsnn_net_free(net);
    free(u), free(pos), free(layer), free(gain), free(widths), free(rgain), free(dset_in),
        free(dset_rec);
    nir_chain_free(&ch);
    return rc;
}

int lsnn_nir_import(const char *path, const lsnn_nir_import_options *o, lsnn_spec *spec,
                    lsnn_net *net, lsnn_error *e)
{
    nir_graph raw = {0}, g = {0};
    char version[64];
    memset(net, 0, sizeof *net);
    if (nir_hdf5_read(path, &raw, version, sizeof version, e)) {
        nir_graph_free(&raw);
        return -1;
    }
    if (version[0] && !((version[0] == '0' || version[0] == '1') && version[1] == '.')) {
        nir_graph_free(&raw);
        return lsnn_fail(e,
                         "%s: NIR file version '%.40s'; this reader implements the 1.0 "
                         "format (versions 0.x and 1.x)",
                         path, version);
    }
    int rc = nir_flatten(&raw, &g, e);
    nir_graph_free(&raw);
    if (!rc) rc = lower(&g, o, path, spec, net, e);
    nir_graph_free(&g);
    if (rc && e && strncmp(e->msg, path, strlen(path))) lsnn_fail_prefix(e, "%s", path);
    return rc;
}
