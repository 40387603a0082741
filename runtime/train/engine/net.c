/* net.c - allocation of nets, gradients and chunk workspaces. */
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

int LSNN_FN(lsnn_net_alloc)(lsnn_net *net, int n_in, int n_rec, int n_out, int n_delay)
{
    memset(net, 0, sizeof *net);
    net->n_in = n_in;
    net->n_rec = n_rec;
    net->n_out = n_out;
    net->n_delay = n_delay;
    net->alpha = calloc(n_rec, sizeof(real));
    net->rho = calloc(n_rec, sizeof(real));
    net->beta = calloc(n_rec, sizeof(real));
    net->b0 = calloc(n_rec, sizeof(real));
    net->n_ref = calloc(n_rec, sizeof(int));
    net->cuba = calloc(n_rec, sizeof(int));
    net->alpha_syn = calloc(n_rec, sizeof(real));
    net->w_in = calloc((size_t)n_in * n_rec, sizeof(real));
    net->w_rec = calloc((size_t)n_rec * n_rec, sizeof(real));
    net->w_out = calloc((size_t)n_rec * n_out, sizeof(real));
    net->b_out = calloc(n_out, sizeof(real));
    net->d_in = calloc((size_t)n_in * n_rec, 1);
    net->d_rec = calloc((size_t)n_rec * n_rec, 1);
    if (!net->alpha || !net->rho || !net->beta || !net->b0 || !net->n_ref || !net->cuba ||
        !net->alpha_syn || !net->w_in || !net->w_rec || !net->w_out || !net->b_out || !net->d_in ||
        !net->d_rec)
        return -1;
    return 0;
}

void LSNN_FN(lsnn_net_free)(lsnn_net *net)
{
    free(net->alpha);
    free(net->rho);
    free(net->beta);
    free(net->b0);
    free(net->n_ref);
    free(net->cuba);
    free(net->alpha_syn);
    free(net->w_in);
    free(net->w_rec);
    free(net->w_out);
    free(net->b_out);
    free(net->d_in);
    free(net->d_rec);
    memset(net, 0, sizeof *net);
}

int LSNN_FN(lsnn_grads_alloc)(lsnn_grads *g, const lsnn_net *net)
{
    g->w_in = calloc((size_t)net->n_in * net->n_rec, sizeof(real));
    g->w_rec = calloc((size_t)net->n_rec * net->n_rec, sizeof(real));
    g->w_out = calloc((size_t)net->n_rec * net->n_out, sizeof(real));
    g->b_out = calloc(net->n_out, sizeof(real));
    return g->w_in && g->w_rec && g->w_out && g->b_out ? 0 : -1;
}

void LSNN_FN(lsnn_grads_free)(lsnn_grads *g)
{
    free(g->w_in);
    free(g->w_rec);
    free(g->w_out);
    free(g->b_out);
    memset(g, 0, sizeof *g);
}

void LSNN_FN(lsnn_chunk_release)(lsnn_chunk *c)
{
    free(c->adapt);
    free(c->v);
    free(c->b);
    free(c->z);
    free(c->zbits);
    free(c->fbits);
    free(c->cring);
    free(c->in_bits);
    free(c->act_in);
    free(c->racc);
    free(c->vcur);
    free(c->bcur);
    free(c->refc);
    free(c->isyn);
    free(c->ro);
    free(c->win_at);
    free(c->count);
    free(c->spk);
    free(c->gring);
    free(c->gring_lane);
    free(c->gv1);
    free(c->gb1);
    free(c->gvs1);
    free(c->gi1);
    free(c->gout);
    free(c->wout_k);
    free(c->lane_spk);
    free(c->n_lane);
    LSNN_FN(lsnn_grads_free)(&c->grads);
    memset(c, 0, sizeof *c);
}

void LSNN_FN(lsnn_sorted_free)(lsnn_sorted *s)
{
    free(s->off);
    free(s->idx);
    free(s->w);
    free(s->ring);
    memset(s, 0, sizeof *s);
}

int LSNN_FN(lsnn_sorted_build)(lsnn_sorted *s, const real *w, const uint8_t *d, int rows, int n,
                               int D, int skip_zeros)
{
    if (s->rows != rows || s->n != n || s->D != D) {
        LSNN_FN(lsnn_sorted_free)(s);
        s->off = malloc(sizeof(uint32_t) * rows * (D + 1));
        s->idx = malloc(sizeof(uint16_t) * rows * n + 1);
        s->w = malloc(sizeof(real) * rows * n + 1);
        s->ring = malloc(sizeof(uint32_t) * rows * n + 1);
        if (!s->off || !s->idx || !s->w || !s->ring) return -1;
        s->rows = rows, s->n = n, s->D = D;
    }
    s->nnz = 0;
    for (int r = 0; r < rows; r++) {
        const uint8_t *dr = d + (size_t)r * n;
        const real *wr = w + (size_t)r * n;
        uint32_t *off = s->off + (size_t)r * (D + 1);
        memset(off, 0, sizeof(uint32_t) * (D + 1));
        for (int j = 0; j < n; j++)
            off[dr[j] + 1] += !skip_zeros || wr[j] != 0;
        for (int k = 0; k < D; k++)
            off[k + 1] += off[k];
        s->nnz += off[D];
        uint32_t pos[LSNN_MAX_DELAY_SLOTS];
        memcpy(pos, off, sizeof(uint32_t) * D);
        for (int j = 0; j < n; j++) {
            if (skip_zeros && wr[j] == 0) continue;
            uint32_t k = pos[dr[j]]++;
            s->idx[(size_t)r * n + k] = (uint16_t)j;
            s->ring[(size_t)r * n + k] = (uint32_t)dr[j] * n + j;
            s->w[(size_t)r * n + k] = wr[j];
        }
    }
    return 0;
}

/* 64-byte aligned, zeroed. */
static void *alloc_aligned(size_t n)
{
    size_t bytes = (n + 63) / 64 * 64;
    void *p = aligned_alloc(64, bytes ? bytes : 64);
    if (p) memset(p, 0, bytes ? bytes : 64);
    return p;
}

int LSNN_FN(lsnn_chunk_reserve)(lsnn_chunk *c, const lsnn_net *net, int n_steps, int store)
{
    int slots = store ? n_steps : 2, n_adapt = 0; /* without BPTT: this step and the last */
    for (int i = 0; i < net->n_rec; i++)
        n_adapt += net->beta[i] != 0;
    if (c->v && c->t_cap >= slots && c->n_rec == net->n_rec && c->n_in == net->n_in &&
        c->n_out == net->n_out && c->n_delay == net->n_delay && c->stored == store &&
        c->win_t >= n_steps && c->smooth == net->smooth && c->n_adapt == n_adapt)
        goto map;
    LSNN_FN(lsnn_chunk_release)(c);
    size_t N = net->n_rec, hist = (size_t)slots * N * BC;
    c->t_cap = slots;
    c->z_cap = net->smooth || slots < 2 ? slots : 2;
    c->smooth = net->smooth;
    c->n_adapt = n_adapt;
    c->win_t = n_steps;
    c->n_rec = net->n_rec;
    c->n_in = net->n_in;
    c->n_out = net->n_out;
    c->n_delay = net->n_delay;
    c->stored = store;
    c->adapt = alloc_aligned(N * sizeof(int));
    c->v = alloc_aligned(hist * sizeof(real));
    c->b = alloc_aligned((size_t)slots * n_adapt * BC * sizeof(real));
    c->z = alloc_aligned((size_t)c->z_cap * N * BC * sizeof(real));
    c->zbits = alloc_aligned((size_t)slots * N * sizeof(lanebits));
    c->fbits = alloc_aligned((size_t)slots * N * sizeof(lanebits));
    c->cring = alloc_aligned((size_t)net->n_delay * N * BC * sizeof(real));
    c->in_bits = alloc_aligned((size_t)net->n_in * sizeof(lanebits));
    c->act_in = alloc_aligned((size_t)net->n_in * sizeof(uint16_t));
    c->racc = alloc_aligned((size_t)net->n_out * BC * sizeof(real));
    c->vcur = alloc_aligned(N * BC * sizeof(real));
    c->bcur = alloc_aligned(((size_t)n_adapt + 1) * BC * sizeof(real));
    c->refc = alloc_aligned(N * BC * sizeof(real));
    c->isyn = alloc_aligned(N * BC * sizeof(real));
    c->ro = alloc_aligned((size_t)net->n_out * BC * sizeof(real));
    c->win_at = alloc_aligned((size_t)n_steps * BC * sizeof(int));
    c->count = alloc_aligned(N * sizeof(double));
    c->spk = alloc_aligned(N * BC * sizeof(int));
    if (!c->adapt || !c->v || !c->b || !c->z || !c->zbits || !c->fbits || !c->cring ||
        !c->in_bits || !c->act_in || !c->racc || !c->vcur || !c->bcur || !c->refc || !c->isyn ||
        !c->ro || !c->win_at || !c->count || !c->spk)
        return -1;
    if (store) {
        c->gring = alloc_aligned(((size_t)net->n_delay + 1) * N * BC * sizeof(real));
        c->gring_lane = alloc_aligned(((size_t)net->n_delay + 1) * N * BC * sizeof(real));
        c->gv1 = alloc_aligned(N * BC * sizeof(real));
        c->gb1 = alloc_aligned(N * BC * sizeof(real));
        c->gvs1 = alloc_aligned(N * BC * sizeof(real));
        c->gi1 = alloc_aligned(N * BC * sizeof(real));
        c->gout = alloc_aligned((size_t)net->n_out * BC * sizeof(real));
        c->wout_k = alloc_aligned((size_t)net->n_out * N * sizeof(real));
        c->lane_spk = alloc_aligned(N * BC * sizeof(uint16_t));
        c->n_lane = alloc_aligned(BC * sizeof(int));
        if (!c->gring || !c->gring_lane || !c->gv1 || !c->gb1 || !c->gvs1 || !c->gi1 || !c->gout ||
            !c->wout_k || !c->lane_spk || !c->n_lane || LSNN_FN(lsnn_grads_alloc)(&c->grads, net))
            return -1;
    }
map: /* beta may change between runs of one size: the rows of b follow it */
    for (int i = 0, k = 0; i < net->n_rec; i++)
        c->adapt[i] = net->beta[i] != 0 ? k++ : -1;
    return 0;
}
