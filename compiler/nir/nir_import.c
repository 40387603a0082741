/* nir_import.c - a NIR graph as an lsnn network: the graph must be Input -> (linear paths) ->
 * one spiking node with its recurrent paths -> (linear paths) -> one LI readout -> (an optional
 * diagonal Affine: the readout bias) -> Output. Everything else is refused by name. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "nir.h"
#include "nir_hdf5.h"
#include "nir_import_spec.h"
#include "nir_lower.h"
#include "nir_neurons.h"

void lsnn_nir_import_defaults(lsnn_nir_import_options *o)
{
    memset(o, 0, sizeof *o);
    o->disc = LSNN_NIR_DISC_AUTO;
}

static void warn(const lsnn_nir_import_options *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn(const lsnn_nir_import_options *o, const char *fmt, ...)
{
    if (!o->warn) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->warn(o->warn_ctx, msg);
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
    int in, out, neu, ro; /* node indexes */
    int n_in, n_rec, n_out;
} parts;

static int find_parts(const nir_graph *g, parts *p, lsnn_error *e)
{
    int n_in = 0, n_out = 0, n_neu = 0, n_ro = 0;
    p->in = p->out = p->neu = p->ro = -1;
    for (int i = 0; i < g->n_nodes; i++) {
        const nir_node *n = &g->nodes[i];
        const char *why = refusal(n->kind);
        if (why) return lsnn_fail(e, "node '%s' (%s): %s", n->name, n->type, why);
        if (n->kind == NIR_INPUT) p->in = i, n_in++;
        if (n->kind == NIR_OUTPUT) p->out = i, n_out++;
        if (nir_neuron_kind(n->kind)) {
            if (n_neu)
                return lsnn_fail(e,
                                 "nodes '%s' (%s) and '%s' (%s): two spiking layers; the "
                                 "network here is one recurrent layer of spiking neurons read "
                                 "out by a leaky integrator (LI)",
                                 g->nodes[p->neu].name, g->nodes[p->neu].type, n->name, n->type);
            p->neu = i, n_neu++;
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
    if (!n_neu) return lsnn_fail(e, "the graph has no spiking node (LIF, CubaLIF, lsnn.ALIF)");
    if (!n_ro)
        return lsnn_fail(e,
                         "the graph has no LI node: its spiking node '%s' must be read out "
                         "by a leaky integrator (LI) before the Output",
                         g->nodes[p->neu].name);
    long w = width_of_shape(&g->nodes[p->in]);
    if (w < 1 || w > LSNN_MAX_INPUTS)
        return lsnn_fail(e, "node '%s' (Input): shape gives %ld inputs; 1..%d are supported",
                         g->nodes[p->in].name, w, LSNN_MAX_INPUTS);
    p->n_in = (int)w;
    const nir_param *vt = nir_param_of(&g->nodes[p->neu], "v_threshold");
    if (!vt) return lsnn_fail(e, "node '%s': no dataset 'v_threshold'", g->nodes[p->neu].name);
    if (vt->n < 1 || vt->n > LSNN_MAX_NEURONS)
        return lsnn_fail(e, "node '%s' (%s): %ld neurons; 1..%d are supported",
                         g->nodes[p->neu].name, g->nodes[p->neu].type, vt->n, LSNN_MAX_NEURONS);
    p->n_rec = (int)vt->n;
    const nir_param *tau = nir_param_of(&g->nodes[p->ro], "tau");
    if (!tau) return lsnn_fail(e, "node '%s' (LI): no dataset 'tau'", g->nodes[p->ro].name);
    if (tau->n < 1 || tau->n > LSNN_MAX_OUTPUTS)
        return lsnn_fail(e, "node '%s' (LI): %ld readouts; 1..%d are supported",
                         g->nodes[p->ro].name, tau->n, LSNN_MAX_OUTPUTS);
    p->n_out = (int)tau->n;
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
            warn(o, "the graph does not say how it resets in discrete time: taken as "
                    "subtraction of (v_threshold - v_reset) at the step after a spike (--reset)");
    }
    return 0;
}

static int lower(const nir_graph *g, const lsnn_nir_import_options *o, const char *path,
                 lsnn_spec *spec, lsnn_net *net, lsnn_error *e)
{
    parts p = {0};
    nir_neuron_opts no;
    lsnn_nir_reset reset;
    if (resolve_options(g, o, &no, &reset, e) || find_parts(g, &p, e)) return -1;
    const nir_node *neu = &g->nodes[p.neu];
    if (reset == LSNN_NIR_RESET_ZERO)
        return lsnn_fail(e,
                         "node '%s' (%s): reset to v_reset at the step after a spike "
                         "(discarding the overshoot) cannot be expressed: the neurocore "
                         "(contract version 3, docs/neurocore.md 5.2) resets by subtracting "
                         "the threshold; import with --reset subtract to accept that reset",
                         neu->name, neu->type);
    int rc = -1, N = p.n_rec;
    nir_neuron *u = calloc((size_t)N, sizeof *u);
    int *pos = malloc((size_t)N * sizeof *pos), *order = malloc((size_t)N * sizeof *order);
    int *widths = malloc((size_t)g->n_nodes * sizeof *widths);
    double *rgain = calloc((size_t)p.n_out, sizeof *rgain), tau_out = 0;
    nir_paths from_in = {0}, from_neu = {0}, from_ro = {0};
    int *dset_in = NULL, *dset_rec = NULL;
    nir_import_shape shape = {0};
    if (!u || !pos || !order || !widths || !rgain) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    if (nir_neurons_read(neu, &no, u, N, e) ||
        read_readout(&g->nodes[p.ro], &no, p.n_out, &tau_out, rgain, e))
        goto done;
    /* populations: groups of equal parameters in order of first appearance, made contiguous */
    int n_pops = 0, first[LSNN_MAX_POPS], sizes[LSNN_MAX_POPS] = {0}, k = 0;
    for (int j = 0; j < N; j++) {
        int q = 0;
        while (q < n_pops && !nir_neuron_same(&u[first[q]], &u[j]))
            q++;
        if (q == n_pops) {
            if (n_pops == LSNN_MAX_POPS) {
                lsnn_fail(e,
                          "node '%s' (%s): neuron %d has a 9th distinct set of parameters "
                          "(tau %g ms, threshold %g); at most %d populations of equal "
                          "parameters are supported",
                          neu->name, neu->type, j, u[j].tau_m_ms, u[j].b0, LSNN_MAX_POPS);
                goto done;
            }
            first[n_pops++] = j;
        }
        sizes[q]++;
    }
    for (int q = 0; q < n_pops; q++)
        for (int j = 0; j < N; j++)
            if (nir_neuron_same(&u[first[q]], &u[j])) pos[j] = k, order[k++] = j;
    for (int i = 0; i < g->n_nodes; i++)
        widths[i] = -1;
    widths[p.neu] = N, widths[p.ro] = p.n_out;
    long wo = width_of_shape(&g->nodes[p.out]);
    widths[p.out] = (int)(wo > 0 ? wo : -1);
    if (nir_follow(g, p.in, p.n_in, widths, no.dt_ms, no.unit_ms, &from_in, e) ||
        nir_follow(g, p.neu, N, widths, no.dt_ms, no.unit_ms, &from_neu, e) ||
        nir_follow(g, p.ro, p.n_out, widths, no.dt_ms, no.unit_ms, &from_ro, e))
        goto done;
    /* which sinks each source may reach, and the delays the layer needs */
    int max_delay = 0;
    for (int i = 0; i < from_in.n; i++) {
        const nir_path *q = &from_in.p[i];
        if (q->sink != p.neu) {
            lsnn_fail(e,
                      "node '%s' (Input) reaches '%s' (%s) directly; inputs go to the spiking "
                      "node '%s' only",
                      g->nodes[p.in].name, g->nodes[q->sink].name, g->nodes[q->sink].type,
                      neu->name);
            goto done;
        }
        if (q->delay > max_delay) max_delay = q->delay;
    }
    for (int i = 0; i < from_neu.n; i++) {
        const nir_path *q = &from_neu.p[i];
        if (q->sink == p.neu && q->delay > max_delay) max_delay = q->delay;
        if (q->sink == p.ro && q->delay) {
            lsnn_fail(e,
                      "the path from '%s' to the readout '%s' has a delay of %d steps; the "
                      "readout has none",
                      neu->name, g->nodes[p.ro].name, q->delay);
            goto done;
        }
        if (q->sink != p.neu && q->sink != p.ro) {
            lsnn_fail(e,
                      "node '%s' (%s) reaches '%s' (%s) directly; the spikes go to the "
                      "readout (LI) and back to the spiking node only",
                      neu->name, neu->type, g->nodes[q->sink].name, g->nodes[q->sink].type);
            goto done;
        }
    }
    if (max_delay >= LSNN_MAX_DELAY) {
        lsnn_fail(e, "a path into '%s' has a delay of %d steps; at most %d", neu->name, max_delay,
                  LSNN_MAX_DELAY - 1);
        goto done;
    }
    int reached = 0;
    for (int i = 0; i < from_ro.n; i++) {
        const nir_path *q = &from_ro.p[i];
        if (q->sink != p.out || q->delay) {
            lsnn_fail(e,
                      "the readout '%s' must feed the Output '%s' through at most a "
                      "diagonal Affine (the readout bias), with no delay; it reaches '%s'",
                      g->nodes[p.ro].name, g->nodes[p.out].name, g->nodes[q->sink].name);
            goto done;
        }
        reached = 1;
    }
    if (!reached) {
        lsnn_fail(e, "the readout '%s' does not reach the Output '%s'", g->nodes[p.ro].name,
                  g->nodes[p.out].name);
        goto done;
    }
    shape.n_in = p.n_in, shape.n_out = p.n_out, shape.n_pops = n_pops;
    shape.n_delay = max_delay + 1, shape.dt_ms = no.dt_ms, shape.tau_out_ms = tau_out;
    for (int q = 0; q < n_pops; q++) {
        const nir_neuron *x = &u[first[q]];
        lsnn_pop_spec *ps = &shape.pops[q];
        ps->kind = x->alif ? LSNN_NEURON_ALIF : LSNN_NEURON_LIF;
        ps->size = sizes[q], ps->tau_m_ms = x->tau_m_ms, ps->b0 = x->b0;
        ps->refractory = x->refractory, ps->tau_a_ms = x->tau_a_ms, ps->beta = x->beta;
        ps->tau_syn_ms = x->tau_syn_ms;
    }
    if (lsnn_net_alloc(net, p.n_in, N, p.n_out, shape.n_delay)) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    double *gain = malloc((size_t)N * sizeof *gain);
    dset_in = malloc((size_t)p.n_in * N * sizeof *dset_in);
    dset_rec = malloc((size_t)N * N * sizeof *dset_rec);
    if (!gain || !dset_in || !dset_rec) {
        free(gain);
        lsnn_fail(e, "out of memory");
        goto done;
    }
    for (int j = 0; j < N; j++)
        gain[j] = u[j].gain;
    for (long i = 0; i < (long)p.n_in * N; i++)
        dset_in[i] = -1;
    for (long i = 0; i < (long)N * N; i++)
        dset_rec[i] = -1;
    int bad = 0;
    for (int i = 0; i < from_in.n && !bad; i++)
        bad = place(g, &from_in.p[i], gain, pos, net->w_in, net->d_in, dset_in, N, "input", e);
    for (int i = 0; i < from_neu.n && !bad; i++) {
        const nir_path *q = &from_neu.p[i];
        if (q->sink != p.neu) continue;
        /* sources are permuted too: place into a scratch order, rows by pos */
        for (int j = 0; j < N && !bad; j++)
            for (int s = 0; s < N; s++) {
                double m = q->m[(size_t)j * N + s];
                if (m == 0) continue;
                if (j == s) {
                    bad = lsnn_fail(e,
                                    "node '%s': neuron %d connects to itself (weight %g); "
                                    "the recurrent layer has no autapses",
                                    neu->name, j, m);
                    break;
                }
                size_t kk = (size_t)pos[s] * N + pos[j];
                if (dset_rec[kk] >= 0 && dset_rec[kk] != q->delay) {
                    bad = lsnn_fail(e,
                                    "recurrent synapse %d -> %d: paths with delays of %d and "
                                    "%d steps; a synapse has one delay",
                                    s, j, dset_rec[kk], q->delay);
                    break;
                }
                double v = (double)net->w_rec[kk] + gain[j] * m;
                if (!(fabs(v) <= FLT_MAX)) {
                    bad = lsnn_fail(e,
                                    "recurrent synapse %d -> %d: weight %g is beyond a 32-bit "
                                    "float",
                                    s, j, v);
                    break;
                }
                net->w_rec[kk] = (float)v;
                net->d_rec[kk] = (uint8_t)q->delay, dset_rec[kk] = q->delay;
            }
        for (int j = 0; j < N && !bad; j++)
            if (q->c[j] != 0)
                bad = lsnn_fail(e,
                                "node '%s': a constant input of %g into neuron %d (an Affine "
                                "bias); the neurons have no bias current",
                                neu->name, q->c[j], j);
    }
    for (int i = 0; i < from_in.n && !bad; i++)
        for (int j = 0; j < N && !bad; j++)
            if (from_in.p[i].c[j] != 0)
                bad = lsnn_fail(e,
                                "node '%s': a constant input of %g into neuron %d (an Affine "
                                "bias); the neurons have no bias current",
                                neu->name, from_in.p[i].c[j], j);
    free(gain);
    if (bad) goto done;
    /* readout: logits = D (LI state) + c, with D diagonal folded into w_out */
    double *diag = calloc((size_t)p.n_out, sizeof *diag),
           *bias = calloc((size_t)p.n_out, sizeof *bias);
    if (!diag || !bias) {
        free(diag), free(bias);
        lsnn_fail(e, "out of memory");
        goto done;
    }
    for (int i = 0; i < from_ro.n && !bad; i++) {
        const nir_path *q = &from_ro.p[i];
        for (int r = 0; r < q->rows && !bad; r++)
            for (int c = 0; c < q->cols; c++) {
                double m = q->m[(size_t)r * q->cols + c];
                if (r != c && m != 0)
                    bad = lsnn_fail(e,
                                    "between the readout '%s' and the Output '%s' readout %d "
                                    "feeds output %d: only a diagonal map (and a bias) may follow "
                                    "the readout",
                                    g->nodes[p.ro].name, g->nodes[p.out].name, c, r);
                if (r == c) diag[r] += m;
            }
        for (int r = 0; r < q->rows; r++)
            bias[r] += q->c[r];
    }
    for (int i = 0; i < from_neu.n && !bad; i++) {
        const nir_path *q = &from_neu.p[i];
        if (q->sink != p.ro) continue;
        for (int c = 0; c < p.n_out; c++) {
            double gc = rgain[c] * diag[c];
            for (int j = 0; j < N; j++) {
                double m = q->m[(size_t)c * N + j];
                if (m == 0) continue;
                size_t kk = (size_t)pos[j] * p.n_out + c;
                double v = (double)net->w_out[kk] + gc * m;
                if (!(fabs(v) <= FLT_MAX)) {
                    bad = lsnn_fail(e,
                                    "readout synapse %d -> %d: weight %g is beyond a 32-bit "
                                    "float",
                                    j, c, v);
                    break;
                }
                net->w_out[kk] = (float)v;
            }
            if (q->c[c] != 0)
                bad = lsnn_fail(e,
                                "node '%s': a constant input of %g into readout %d (an "
                                "Affine bias before the LI); a bias belongs after the readout",
                                g->nodes[p.ro].name, q->c[c], c);
        }
    }
    for (int c = 0; c < p.n_out && !bad; c++) {
        net->b_out[c] = (float)bias[c];
        if (bias[c] != 0) shape.bias = 1;
    }
    free(diag), free(bias);
    if (bad) goto done;
    rc = nir_import_spec(path, g, o, &shape, spec, e);
    if (!rc) lsnn_model_constants(spec, net), net->n_delay = spec->n_delay;
    if (!rc)
        for (int q = 0; q < n_pops; q++)
            if (spec->pops[q].tau_m_ms < no.dt_ms)
                warn(o,
                     "population %s: tau_m %g ms is shorter than the step %g ms (are the "
                     "graph's times in seconds? --time-unit s)",
                     spec->pops[q].name, spec->pops[q].tau_m_ms, no.dt_ms);
done:
    if (rc && net->w_in) lsnn_net_free(net);
    free(u), free(pos), free(order), free(widths), free(rgain), free(dset_in), free(dset_rec);
    nir_paths_free(&from_in), nir_paths_free(&from_neu), nir_paths_free(&from_ro);
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
