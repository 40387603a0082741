/* qat.c - the fake-quantised network of quantisation-aware training (qat.h), built with the
 * compiler's quantisation arithmetic (quant.h, docs/neurocore.md §4). */
#include "qat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quant.h"

void lsnn_qat_free(lsnn_qat *q)
{
    lsnn_net_free(&q->net);
    free(q->slot_e);
    free(q->fold_q);
    free(q->rep_q);
    free(q->wt);
    free(q->m);
    memset(q, 0, sizeof *q);
}

/* 1 - (k 2^-f) of the leak code of 1 - x: the decay factor x as the core represents it; *rq
 * receives k 2^-f. */
static float represented(float x, int K, double *rq)
{
    uint32_t k, f;
    lsnn_quant_leakcode(1.0 - (double)x, K, &k, &f);
    *rq = lsnn_quant_leak_q(k, f);
    return (float)(1.0 - *rq);
}

/* The per-neuron constants of neuron j of a population at scale e, as its §4.3 profile holds
 * them. */
static void quantise_neuron(lsnn_qat *q, const lsnn_net *src, int j, int e)
{
    const lsnn_hw_config *g = &q->cfg;
    lsnn_net *n = &q->net;
    double rq;
    q->slot_e[j] = e;
    q->fold_q[j] = 1.0 - (double)src->alpha[j];
    n->alpha[j] = represented(src->alpha[j], g->decay_bits, &q->rep_q[j]);
    n->alpha_syn[j] =
        src->cuba[j] ? represented(src->alpha_syn[j], g->decay_bits, &rq) : src->alpha_syn[j];
    n->rho[j] = src->rho[j];
    n->beta[j] = src->beta[j];
    if (src->beta[j] != 0) {
        /* a = beta b in units 2^-(e+G): a decays by k_a 2^-f_a and grows by inc per spike, so
         * b decays with rho' = 1 - k_a 2^-f_a and beta' (1 - rho') = inc 2^-(e+G) */
        double inc = lsnn_quant_inc((double)src->beta[j], (double)src->rho[j], e, g->a_frac_bits);
        n->rho[j] = represented(src->rho[j], g->decay_bits, &rq);
        if (rq > 0) n->beta[j] = (float)(ldexp(inc, -(e + g->a_frac_bits)) / rq);
    }
    n->b0[j] = (float)ldexp(lsnn_quant_b0(src->b0[j], e), -e);
}

int lsnn_qat_init(lsnn_qat *q, const lsnn_spec *spec, const lsnn_net *master,
                  const lsnn_hw_config *cfg, int rule, lsnn_error *e)
{
    int N = master->n_rec, C = master->n_out, maxn = N > C ? N : C;
    memset(q, 0, sizeof *q);
    q->cfg = *cfg;
    q->rule = lsnn_quant_rule(rule, cfg->weight_bits);
    q->n_slots = N + C;
    if (lsnn_net_alloc(&q->net, master->n_in, N, C, master->n_delay))
        return lsnn_fail(e, "out of memory");
    q->slot_e = calloc((size_t)q->n_slots + 1, sizeof *q->slot_e);
    q->fold_q = calloc((size_t)q->n_slots + 1, sizeof *q->fold_q);
    q->rep_q = calloc((size_t)q->n_slots + 1, sizeof *q->rep_q);
    q->wt = calloc((size_t)maxn + 1, sizeof *q->wt);
    q->m = calloc((size_t)maxn + 1, sizeof *q->m);
    if (!q->slot_e || !q->fold_q || !q->rep_q || !q->wt || !q->m)
        return lsnn_fail(e, "out of memory");
    lsnn_net *n = &q->net;
    n->spike_from_prev_v = master->spike_from_prev_v;
    n->smooth = master->smooth;
    n->dense_exec = master->dense_exec;
    n->grad_active_only = 0; /* straight-through: dropped weights get their gradient too */
    n->smooth_slope = master->smooth_slope;
    n->gamma = master->gamma;
    n->reg_rate = master->reg_rate;
    n->reg_target = master->reg_target;
    memcpy(n->n_ref, master->n_ref, (size_t)N * sizeof *n->n_ref);
    memcpy(n->cuba, master->cuba, (size_t)N * sizeof *n->cuba);
    memcpy(n->d_in, master->d_in, (size_t)master->n_in * N);
    memcpy(n->d_rec, master->d_rec, (size_t)N * N);
    /* populations and their scales (§4.2), as the compiler's set_pops */
    int first = 0, n_pops = spec ? spec->n_pops : 1;
    for (int p = 0; p < n_pops; p++) {
        int size = spec ? spec->pops[p].size : N;
        double b0 = 0;
        for (int j = first; j < first + size && j < N; j++)
            b0 = fmax(b0, master->b0[j]);
        if (!(b0 > 0))
            return lsnn_fail(e, "population %s: b0 = %g must be > 0",
                             spec ? spec->pops[p].name : "rec", b0);
        int ep = lsnn_quant_spiking_scale(b0, cfg->v_bits);
        for (int j = first; j < first + size && j < N; j++)
            quantise_neuron(q, master, j, ep);
        first += size;
    }
    if (first != N)
        return lsnn_fail(e, "the populations hold %d neurons; the net has %d", first, N);
    double rq;
    n->kappa = represented(master->kappa, cfg->decay_bits, &rq);
    for (int c = 0; c < C; c++) {
        q->fold_q[N + c] = 1.0 - (double)master->kappa;
        q->rep_q[N + c] = rq;
    }
    lsnn_qat_update(q, master);
    return 0;
}

/* One source row of cols weights onto the slots tgt0.. (quant.h's row quantiser, as the
 * compiler's quant_axon), written back as the represented weights. */
static void update_row(lsnn_qat *q, const float *w, float *out, int cols, int tgt0)
{
    lsnn_quant_row_stats st;
    const double *fq = q->fold_q + tgt0, *rq = q->rep_q + tgt0;
    const int *e = q->slot_e + tgt0;
    uint32_t wexp = lsnn_quant_row(w, cols, fq, e, q->cfg.weight_bits, q->rule, q->wt, q->m, &st);
    for (int j = 0; j < cols; j++) {
        double d = rq[j] > 0 ? rq[j] : fq[j];
        out[j] = q->m[j] ? (float)(ldexp((double)q->m[j], (int)wexp - e[j]) / d) : 0.0f;
    }
    q->n_weights += st.n_weights;
    q->n_clipped += st.n_clipped;
    q->n_dropped += st.n_dropped;
}

const lsnn_net *lsnn_qat_update(lsnn_qat *q, const lsnn_net *master)
{
    int I = master->n_in, N = master->n_rec, C = master->n_out;
    lsnn_net *n = &q->net;
    int e_r = lsnn_quant_readout_scale(master->w_out, N, C, q->cfg.v_bits);
    for (int c = 0; c < C; c++)
        q->slot_e[N + c] = e_r;
    q->n_weights = q->n_clipped = q->n_dropped = 0;
    for (int i = 0; i < I; i++)
        update_row(q, master->w_in + (size_t)i * N, n->w_in + (size_t)i * N, N, 0);
    for (int i = 0; i < N; i++)
        update_row(q, master->w_rec + (size_t)i * N, n->w_rec + (size_t)i * N, N, 0);
    for (int i = 0; i < N; i++)
        update_row(q, master->w_out + (size_t)i * C, n->w_out + (size_t)i * C, C, N);
    for (int c = 0; c < C; c++)
        n->b_out[c] = (float)ldexp(lsnn_quant_bias(master->b_out[c], e_r), -e_r);
    return n;
}
