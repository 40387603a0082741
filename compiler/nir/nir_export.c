/* nir_export.c - an lsnn network as a NIR graph: Input -> [Delay ->] Linear -> neurons, the
 * neurons' recurrent [Delay ->] Linear paths, neurons -> Linear -> LI readout -> [Affine: the
 * readout bias] -> Output. One Linear per delay value carries the synapses of that delay. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nir_hdf5.h"
#include "nir_lower.h"

void lsnn_nir_export_defaults(lsnn_nir_export_options *o)
{
    memset(o, 0, sizeof *o);
    o->disc = LSNN_NIR_ZOH;
}

/* A time constant as the graph writes it: the tau whose decay under the discretisation is
 * this project's exp(-dt/tau). */
static double tau_out(const lsnn_nir_export_options *o, double dt, double tau_ms)
{
    return o->disc == LSNN_NIR_EULER ? dt / (1.0 - exp(-dt / tau_ms)) : tau_ms;
}

static int vec_param(nir_node *n, const char *name, const double *v, long len, lsnn_error *e)
{
    long dims[1] = {len};
    return nir_add_param(n, name, 1, dims, v, e) ? 0 : -1;
}

/* Adds "[Delay ->] Linear" paths from `from` to `to` for weights w[src][dst] (n_src x n_dst)
 * with delay slots d; stem names the nodes. Writes a zero Linear when force and no weight. */
static int add_paths(nir_graph *g, const char *from, const char *to, const char *stem,
                     const float *w, const uint8_t *d, int n_src, int n_dst, int n_delay, double dt,
                     int force, lsnn_error *e)
{
    double *m = malloc((size_t)n_src * n_dst * sizeof *m + 1);
    double *dl = malloc((size_t)n_src * sizeof *dl + 1);
    char lin[96], del[96];
    int rc = m && dl ? 0 : lsnn_fail(e, "out of memory");
    for (int k = 0; k < n_delay && !rc; k++) {
        int any = 0;
        for (int j = 0; j < n_dst; j++)
            for (int i = 0; i < n_src; i++) {
                size_t s = (size_t)i * n_dst + j;
                double v = w[s] != 0 && d[s] == k ? (double)w[s] : 0.0;
                m[(size_t)j * n_src + i] = v; /* NIR: weight [out, in] */
                any |= v != 0;
            }
        if (!any && !(force && k == 0)) continue;
        if (k == 0)
            snprintf(lin, sizeof lin, "%s", stem);
        else
            snprintf(lin, sizeof lin, "%s_d%d", stem, k);
        nir_node *L = nir_add_node(g, lin, NIR_LINEAR, e);
        long dims[2] = {n_dst, n_src};
        if (!L || !nir_add_param(L, "weight", 2, dims, m, e)) return free(m), free(dl), -1;
        if (k == 0) {
            rc = nir_add_edge(g, from, lin, e);
        } else {
            snprintf(del, sizeof del, "%s_delay_d%d", stem, k);
            nir_node *D = nir_add_node(g, del, NIR_DELAY, e);
            for (int i = 0; i < n_src; i++)
                dl[i] = k * dt;
            rc = !D || vec_param(D, "delay", dl, n_src, e) || nir_add_edge(g, from, del, e) ||
                 nir_add_edge(g, del, lin, e);
        }
        if (!rc) rc = nir_add_edge(g, lin, to, e);
    }
    free(m);
    free(dl);
    return rc ? -1 : 0;
}

static int check(const lsnn_spec *s, lsnn_error *e)
{
    if (s->network != LSNN_NET_LSNN)
        return lsnn_fail(e, "an LSTM has no NIR form (NIR describes spiking networks)");
    if (s->spike_from == LSNN_SPIKE_FROM_PREV_V)
        return lsnn_fail(e, "network.spike_from prev_v (a spike from the previous step's "
                            "potential) has no NIR form: NIR's neurons spike on the potential they "
                            "reach");
    for (int q = 1; q < s->n_pops; q++)
        if ((s->pops[q].tau_syn_ms > 0) != (s->pops[0].tau_syn_ms > 0))
            return lsnn_fail(e,
                             "populations %s and %s: one has a synaptic current (tau_syn_ms) "
                             "and the other not; the export writes one neuron node, all CubaLIF "
                             "or all LIF",
                             s->pops[0].name, s->pops[q].name);
    return 0;
}

static int neuron_node(nir_graph *g, const lsnn_spec *s, const lsnn_nir_export_options *o,
                       lsnn_error *e)
{
    int N = lsnn_spec_n_rec(s), cuba = s->pops[0].tau_syn_ms > 0, ext = 0;
    for (int q = 0; q < s->n_pops; q++) {
        const lsnn_pop_spec *p = &s->pops[q];
        if (o->drop_adaptation) {
            if (p->kind == LSNN_NEURON_ALIF)
                nir_warnf(o->warn, o->warn_ctx,
                          "population %s: threshold adaptation dropped (tau_a_ms %g, beta %g): "
                          "exported as plain LIF neurons (--drop-adaptation)",
                          p->name, p->tau_a_ms, p->beta);
            if (p->refractory)
                nir_warnf(o->warn, o->warn_ctx,
                          "population %s: refractory period of %d steps dropped (NIR's LIF has "
                          "none; --drop-adaptation)",
                          p->name, p->refractory);
        } else if (p->kind == LSNN_NEURON_ALIF || p->refractory) {
            ext = 1;
        }
    }
    nir_kind k = ext ? (cuba ? NIR_CUBAALIF : NIR_ALIF) : (cuba ? NIR_CUBALIF : NIR_LIF);
    nir_node *n = nir_add_node(g, "neurons", k, e);
    if (!n) return -1;
    double *v[10];
    for (int i = 0; i < 10; i++)
        v[i] = calloc((size_t)N, sizeof(double));
    int rc = 0, j = 0;
    for (int i = 0; i < 10; i++)
        rc |= !v[i];
    if (rc) {
        lsnn_fail(e, "out of memory");
        goto done;
    }
    /* v: 0 tau, 1 r, 2 v_leak, 3 v_threshold, 4 v_reset, 5 tau_syn, 6 w_in, 7 tau_adapt, 8 beta,
     * 9 t_ref */
    for (int q = 0; q < s->n_pops; q++) {
        const lsnn_pop_spec *p = &s->pops[q];
        for (int i = 0; i < p->size; i++, j++) {
            v[0][j] = tau_out(o, s->dt_ms, p->tau_m_ms);
            v[1][j] = 1;
            v[3][j] = p->b0;
            if (cuba) {
                double a_s = exp(-s->dt_ms / p->tau_syn_ms);
                v[5][j] = tau_out(o, s->dt_ms, p->tau_syn_ms);
                v[6][j] =
                    1.0 / (1.0 - a_s); /* the current's gain 1: the weights stay as they are */
            }
            if (p->kind == LSNN_NEURON_ALIF) {
                v[7][j] = tau_out(o, s->dt_ms, p->tau_a_ms);
                v[8][j] = p->beta;
            }
            v[9][j] = p->refractory * s->dt_ms;
        }
    }
    rc = vec_param(n, cuba ? "tau_mem" : "tau", v[0], N, e) || vec_param(n, "r", v[1], N, e) ||
         vec_param(n, "v_leak", v[2], N, e) || vec_param(n, "v_threshold", v[3], N, e) ||
         vec_param(n, "v_reset", v[4], N, e);
    if (!rc && cuba) rc = vec_param(n, "tau_syn", v[5], N, e) || vec_param(n, "w_in", v[6], N, e);
    if (!rc && ext)
        rc = vec_param(n, "tau_adapt", v[7], N, e) || vec_param(n, "beta", v[8], N, e) ||
             vec_param(n, "t_ref", v[9], N, e);
done:
    for (int i = 0; i < 10; i++)
        free(v[i]);
    return rc ? -1 : 0;
}

static int build(nir_graph *g, const lsnn_spec *s, const lsnn_net *net,
                 const lsnn_nir_export_options *o, lsnn_error *e)
{
    int N = lsnn_spec_n_rec(s), n_out = s->n_out;
    double shape_in = s->n_in, shape_out = n_out;
    nir_node *in = nir_add_node(g, "input", NIR_INPUT, e);
    if (!in || vec_param(in, "shape", &shape_in, 1, e) || neuron_node(g, s, o, e)) return -1;
    if (add_paths(g, "input", "neurons", "w_in", net->w_in, net->d_in, s->n_in, N, s->n_delay,
                  s->dt_ms, 1, e) ||
        add_paths(g, "neurons", "neurons", "w_rec", net->w_rec, net->d_rec, N, N, s->n_delay,
                  s->dt_ms, 0, e))
        return -1;
    uint8_t *zero = calloc((size_t)N * n_out + 1, 1);
    if (!zero) return lsnn_fail(e, "out of memory");
    int rc =
        add_paths(g, "neurons", "readout", "w_out", net->w_out, zero, N, n_out, 1, s->dt_ms, 1, e);
    free(zero);
    if (rc) return -1;
    nir_node *ro = nir_add_node(g, "readout", NIR_LI, e);
    double *v = calloc((size_t)n_out * n_out + 3 * (size_t)n_out, sizeof *v);
    if (!ro || !v) return free(v), lsnn_fail(e, "out of memory");
    for (int c = 0; c < n_out; c++)
        v[c] = tau_out(o, s->dt_ms, s->tau_out_ms), v[n_out + c] = 1;
    rc = vec_param(ro, "tau", v, n_out, e) || vec_param(ro, "r", v + n_out, n_out, e) ||
         vec_param(ro, "v_leak", v + 2 * n_out, n_out, e);
    int bias = s->readout_bias;
    for (int c = 0; c < n_out; c++)
        bias |= net->b_out[c] != 0;
    nir_node *out = rc ? NULL : nir_add_node(g, "output", NIR_OUTPUT, e);
    rc = rc || !out || vec_param(out, "shape", &shape_out, 1, e);
    if (!rc && bias) { /* logits = readout + b_out: an Affine of identity weight after the LI */
        nir_node *b = nir_add_node(g, "bias", NIR_AFFINE, e);
        double *w = v + 3 * n_out;
        for (int c = 0; c < n_out; c++)
            w[(size_t)c * n_out + c] = 1, v[2 * n_out + c] = net->b_out[c];
        long dims[2] = {n_out, n_out};
        rc = !b || !nir_add_param(b, "weight", 2, dims, w, e) ||
             vec_param(b, "bias", v + 2 * n_out, n_out, e) ||
             nir_add_edge(g, "readout", "bias", e) || nir_add_edge(g, "bias", "output", e);
    } else if (!rc) {
        rc = nir_add_edge(g, "readout", "output", e);
    }
    free(v);
    return rc ? -1 : 0;
}

int lsnn_nir_export(const char *path, const lsnn_spec *spec, const lsnn_net *net,
                    const lsnn_nir_export_options *o, lsnn_error *e)
{
    if (check(spec, e)) return lsnn_fail_prefix(e, "%s", path);
    nir_graph g = {0};
    char num[64];
    char *yaml = lsnn_spec_to_yaml(spec);
    int rc = !yaml ? lsnn_fail(e, "out of memory") : build(&g, spec, net, o, e);
    /* non-essential information, as NIR means metadata: how this graph was discretised */
    snprintf(num, sizeof num, "%.17g", spec->dt_ms);
    if (!rc)
        rc = nir_add_meta(&g, "producer", "lsnn", e) || nir_add_meta(&g, "dt_ms", num, e) ||
             nir_add_meta(&g, "time_unit", "ms", e) ||
             nir_add_meta(&g, "discretisation", o->disc == LSNN_NIR_EULER ? "euler" : "zoh", e) ||
             nir_add_meta(&g, "reset", "subtract", e) || nir_add_meta(&g, "lsnn_spec", yaml, e);
    free(yaml);
    if (!rc) {
        nir_warnf(o->warn, o->warn_ctx,
                  "the graph's neurons reset to v_reset = 0, which in continuous time is the same "
                  "as this network's reset (subtracting the threshold); in discrete time it "
                  "subtracts at the step after a spike (metadata reset: subtract), and an importer "
                  "that resets to zero instead runs a different network");
        rc = nir_hdf5_write(path, &g, e);
    }
    nir_graph_free(&g);
    return rc ? -1 : 0;
}
