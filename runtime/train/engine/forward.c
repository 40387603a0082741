/* forward.c - the forward pass of one chunk: event-driven delivery, vectorised neurons.
 *
 * Spikes (input and recurrent) add their weight rows into each lane's delay ring; the
 * neuron update then runs across the BC lanes of the chunk for each neuron. Spikes of a
 * step are collected in a list, so delivery, readout and counting cost per spike. */
#include <string.h>

#include "engine_internal.h"

#define NOINLINE __attribute__((noinline))

/* Lanes are handled in groups of GL: a spike source touches only the groups where it spiked.
 * Measured on sMNIST (batch 256, 12 Hz): groups of 16 lanes beat 8 and 4, since a wide
 * vector op costs little more than a narrow one and narrower groups add bookkeeping. */
#define GL 16
#define NG (BC / GL)
#define GV (GL / VL) /* vectors per lane group */

/* Adds a spiking source's whole weight row into the current ring: the delay-d segment of
 * the sorted row goes into the slot of step t0 + d, cring[(t0 + d) % D][idx[k]][lanes] +=
 * w[k] * x[lanes], for the lane groups set in gmask (x is 0 in the lanes where the source did
 * not spike). One visit per spike, whatever the number of delays: the slot of a step then
 * holds its whole input current when the step comes. One loop over the row: entry k's ring
 * place d*N + idx[k], counted from slot t0 % D, wraps at D*N (a loop per delay segment, of 2-3
 * entries on a sparse row, mispredicted its exits); the entries' places differ, so their
 * order does not matter. */
static inline void push_row(real *restrict cring, int N, int D, const lsnn_sorted *so, int row,
                            int t0, const real *restrict x, unsigned gmask)
{
    size_t base = (size_t)row * so->n;
    const uint32_t *at = so->ring + base;
    const real *w = so->w + base;
    const uint32_t end = so->off[(size_t)row * (so->D + 1) + so->D];
    const uint32_t first = (uint32_t)(t0 % D) * N, wrap = (uint32_t)D * N;
    if (gmask == (1u << NG) - 1) { /* every lane group */
        vreal xv[NV];
        memcpy(xv, x, sizeof xv);
        for (uint32_t k = 0; k < end; k++) {
            uint32_t p = at[k] + first;
            p -= p >= wrap ? wrap : 0;
            vreal *dst = (vreal *)(cring + (size_t)p * BC);
            real wk = w[k];
            for (int j = 0; j < NV; j++)
                dst[j] += wk * xv[j];
        }
        return;
    }
    int g[NG], ng = 0;
    vreal xg[NG][GV];
    for (int q = 0; q < NG; q++)
        if (gmask >> q & 1) {
            memcpy(xg[ng], x + (size_t)q * GL, sizeof xg[0]);
            g[ng++] = q;
        }
    for (uint32_t k = 0; k < end; k++) {
        uint32_t p = at[k] + first;
        p -= p >= wrap ? wrap : 0;
        vreal *dst = (vreal *)(cring + (size_t)p * BC);
        real wk = w[k];
        for (int q = 0; q < ng; q++)
            for (int j = 0; j < GV; j++)
                dst[g[q] * GV + j] += wk * xg[q][j];
    }
}

/* The lane groups (of GL lanes) in which a lane mask has a bit. */
static inline unsigned lane_groups(uint64_t mask)
{
    unsigned g = 0;
    for (int q = 0; q < NG; q++)
        g |= (unsigned)((mask >> (q * GL)) & ((1ULL << GL) - 1) ? 1 : 0) << q;
    return g;
}

/* Delivers the input spikes of step t: each channel that spiked in some lane adds its row,
 * as lane vector x (1 where it spiked), into the slots of steps t .. t + D - 1. */
static NOINLINE void push_inputs(const lsnn_net *net, const lsnn_batch *batch, lsnn_chunk *c, int t)
{
    lanebits *bits = c->in_bits;
    uint16_t *act = c->act_in;
    int n = 0;
    for (int l = 0; l < c->lanes; l++) {
        size_t cell = (size_t)(c->seq0 + l) * batch->n_steps + t;
        /* each lane reads its own stretch of the batch's events: ask for the offsets 16 steps
         * ahead and the events 8 steps ahead */
        if (t + 16 < batch->n_steps) {
            __builtin_prefetch(batch->in_ptr + cell + 16);
            __builtin_prefetch(batch->in_idx + batch->in_ptr[cell + 8]);
        }
        for (uint32_t p = batch->in_ptr[cell]; p < batch->in_ptr[cell + 1]; p++) {
            int ch = batch->in_idx[p];
            if (!bits[ch]) act[n++] = (uint16_t)ch;
            bits[ch] |= (lanebits)1 << l;
        }
    }
    for (int k = 0; k < n; k++) {
        vreal x[NV];
        bits_real(bits[act[k]], x);
        push_row(c->cring, net->n_rec, net->n_delay, c->sin, act[k], t, (const real *)x,
                 lane_groups(bits[act[k]]));
        bits[act[k]] = 0;
    }
}

/* The neuron update of step t (binary spikes), in vectors over lanes. GCC would not
 * vectorise the plain loop, so it is written with vector types: comparisons give lane
 * masks, and bitwise selects keep it branch-free. The refractory counter is a real holding
 * small integers (exact). A CUBA neuron (neurocore.md §17) first filters its input,
 * i = alpha_syn*i + I, and integrates i; without CUBA the expression is the one it always
 * was, so LIF/ALIF results stay bit for bit. */
/* Stores a history vector that BPTT reads back long after: in the AVX-512 float flavour
 * without a read of the line first and past the caches (the history is written once per step
 * and fits no cache; the read-for-ownership doubled the update's memory traffic). The update
 * itself reads the previous step from c->vcur / c->bcur, which stay in cache. */
static inline void store_history(vreal *dst, vreal x)
{
#if LSNN_AVX512_F32
    _mm512_stream_ps((float *)dst, (__m512)x);
#else
    *dst = x;
#endif
}

static NOINLINE void update_binary(const lsnn_net *net, lsnn_chunk *c, int t,
                                   const real *restrict current)
{
    static const vreal zero[NV];
    int N = net->n_rec, prev = net->spike_from_prev_v;
    const vreal none = (vreal){0};
    step_rows now = rows_at(c, t), was = rows_at(c, t ? t - 1 : 0);
    for (int i = 0; i < N; i++) {
        real alpha = net->alpha[i], rho = net->rho[i], beta = net->beta[i], b0 = net->b0[i];
        vreal nref = none + (real)net->n_ref[i];
        int k = c->adapt[i];
        size_t ib = (size_t)i * BC, kb = (size_t)k * BC;
        const vreal *cur = (const vreal *)(current + ib);
        vreal *v = (vreal *)(now.v + ib);
        vreal *b = k >= 0 ? (vreal *)(now.b + kb) : NULL;
        vreal *rc = (vreal *)(c->refc + ib);
        vreal *is = (vreal *)(c->isyn + ib);
        int cuba = net->cuba[i];
        real as = net->alpha_syn[i];
        vreal *vc = (vreal *)(c->vcur + ib), *bc = k >= 0 ? (vreal *)(c->bcur + kb) : NULL;
        const vreal *vp = t ? vc : zero;
        const vreal *bp = t && k >= 0 ? bc : zero;
        vreal zp[NV]; /* z_{t-1}, from its lane bits: binary spikes need no reals in memory */
        bits_real(t ? was.zbits[i] : 0, zp);
        vmask spikes[NV], frees[NV];
        for (int q = 0; q < NV; q++) {
            /* without adaptation A = b0 exactly (beta * b = +0 for every b >= 0) */
            vreal A = none + b0;
            if (b) {
                vreal bn = rho * bp[q] + (1 - rho) * zp[q];
                A = b0 + beta * bn;
                bc[q] = bn;
                store_history(&b[q], bn);
            }
            vreal in = cur[q];
            if (cuba) {
                in = as * is[q] + cur[q];
                is[q] = in;
            }
            vreal vn = alpha * vp[q] + (1 - alpha) * in - zp[q] * A;
            vreal vsrc = prev ? vp[q] : vn;
            vmask may = rc[q] == none;
            vmask spike = may & (vsrc > A); /* vs = (vsrc - A)/A > 0 with A > 0 */
            vreal dec = rc[q] - 1;
            vmask keep = ((vmask)dec & (dec > none)) & ~spike;
            rc[q] = (vreal)(((vmask)nref & spike) | keep);
            vc[q] = vn;
            store_history(&v[q], vn);
            spikes[q] = spike;
            frees[q] = may;
        }
        now.zbits[i] = mask_bits(spikes);
        now.fbits[i] = mask_bits(frees);
    }
}

/* The same with the test-only smooth spike function (z in (0, 1), refractory on z > 0.5). */
static NOINLINE void update_smooth(const lsnn_net *net, lsnn_chunk *c, int t,
                                   const real *restrict current)
{
    static const real zero[BC];
    step_rows now = rows_at(c, t), was = rows_at(c, t ? t - 1 : 0);
    for (int i = 0; i < net->n_rec; i++) {
        real alpha = net->alpha[i], rho = net->rho[i], beta = net->beta[i], b0 = net->b0[i];
        int k = c->adapt[i];
        size_t ib = (size_t)i * BC, kb = (size_t)k * BC;
        const real *cur = current + ib;
        real *v = now.v + ib, *z = now.z + ib;
        real *b = k >= 0 ? now.b + kb : NULL;
        real *rc = c->refc + ib, *is = c->isyn + ib;
        const real *vp = t ? was.v + ib : zero;
        const real *bp = t && k >= 0 ? was.b + kb : zero;
        const real *zp = t ? was.z + ib : zero;
        lanebits free_bits = 0;
        for (int l = 0; l < BC; l++) {
            real A = b0;
            if (b) {
                b[l] = rho * bp[l] + (1 - rho) * zp[l];
                A = b0 + beta * b[l];
            }
            real in = cur[l];
            if (net->cuba[i]) in = is[l] = net->alpha_syn[i] * is[l] + cur[l];
            real vn = alpha * vp[l] + (1 - alpha) * in - zp[l] * A;
            real vsrc = net->spike_from_prev_v ? vp[l] : vn;
            int may = rc[l] == 0;
            real zn = may ? spike_fn(net, (vsrc - A) / A) : 0;
            rc[l] = zn > (real)0.5 ? (real)net->n_ref[i] : (rc[l] > 0 ? rc[l] - 1 : 0);
            v[l] = vn;
            z[l] = zn;
            free_bits |= (lanebits)may << l;
        }
        now.fbits[i] = free_bits;
    }
}

/* Lists the (neuron, lane) pairs with z_t != 0 of valid lanes, as neuron*BC + lane, and
 * delivers the spikes: z_t lands in the slots of steps t + 1 .. t + D. */
static NOINLINE void collect_spikes(const lsnn_net *net, lsnn_chunk *c, int t)
{
    int n = 0;
    step_rows now = rows_at(c, t);
    for (int i = 0; i < net->n_rec; i++) {
        uint64_t mask = spike_lanes(c, &now, i);
        if (mask) {
            /* binary spikes: the reals 1 and 0 of the lane bits (update_binary keeps no z) */
            vreal zb[NV];
            const real *z = now.z + (size_t)i * BC;
            if (!c->smooth) {
                bits_real(now.zbits[i], zb);
                z = (const real *)zb;
            }
            push_row(c->cring, net->n_rec, net->n_delay, c->srec, i, t + 1, z, lane_groups(mask));
        }
        while (mask) {
            int l = __builtin_ctzll(mask);
            mask &= mask - 1;
            c->spk[n++] = i * BC + l;
        }
    }
    c->n_spk = n;
}

/* Readout trace, window sums and spike counts of step t (after collect_spikes). */
static NOINLINE void readout_step(const lsnn_net *net, lsnn_chunk *c, int t, double *logit_sum)
{
    int C = net->n_out;
    real *acc = c->racc; /* [n_out][BC] sums of W_out^T z */
    const real *zt = rows_at(c, t).z;
    memset(acc, 0, sizeof(real) * C * BC);
    for (int k = 0; k < c->n_spk; k++) {
        int i = c->spk[k] / BC, l = c->spk[k] % BC;
        real z = c->smooth ? zt[(size_t)i * BC + l] : 1; /* a binary spike listed is a 1 */
        c->count[i] += z;
        for (int o = 0; o < C; o++)
            acc[(size_t)o * BC + l] += z * net->w_out[(size_t)i * C + o];
    }
    for (int o = 0; o < C; o++) {
        real *ro = c->ro + (size_t)o * BC;
        for (int l = 0; l < BC; l++)
            ro[l] = net->kappa * ro[l] + (1 - net->kappa) * acc[(size_t)o * BC + l];
    }
    const int *wa = c->win_at + (size_t)t * BC;
    for (int l = 0; l < c->lanes; l++) {
        if (wa[l] < 0) continue;
        for (int o = 0; o < C; o++)
            logit_sum[(size_t)wa[l] * C + o] += c->ro[(size_t)o * BC + l] + net->b_out[o];
    }
}

/* win_at[t][lane] = the window covering (t, lane) or -1; a (lane, step) belongs to at most
 * one window (lsnn_batch_check). */
static void mark_windows(const lsnn_batch *batch, lsnn_chunk *c)
{
    int T = batch->n_steps;
    for (size_t k = 0; k < (size_t)T * BC; k++)
        c->win_at[k] = -1;
    for (int w = 0; w < batch->n_win; w++) {
        const lsnn_window *win = &batch->win[w];
        int l = win->seq - c->seq0;
        if (l < 0 || l >= c->lanes) continue;
        for (int t = win->start; t < win->end; t++)
            c->win_at[(size_t)t * BC + l] = w;
    }
}

void LSNN_FN(lsnn_forward_chunk)(const lsnn_net *net, const lsnn_batch *batch, lsnn_chunk *c,
                                 double *logit_sum)
{
    int T = batch->n_steps, N = net->n_rec;
    memset(c->cring, 0, sizeof(real) * BC * net->n_delay * N);
    memset(c->in_bits, 0, sizeof(lanebits) * net->n_in);
    memset(c->refc, 0, sizeof(real) * BC * N);
    memset(c->isyn, 0, sizeof(real) * BC * N);
    memset(c->ro, 0, sizeof(real) * BC * net->n_out);
    memset(c->count, 0, sizeof(double) * N);
    c->n_spk = 0;
    mark_windows(batch, c);
    for (int t = 0; t < T; t++) {
        push_inputs(net, batch, c, t);
        real *cur = c->cring + (size_t)(t % net->n_delay) * N * BC;
        if (net->smooth)
            update_smooth(net, c, t, cur);
        else
            update_binary(net, c, t, cur);
        memset(cur, 0, sizeof(real) * N * BC); /* the slot of step t + D from now on */
        collect_spikes(net, c, t);
        readout_step(net, c, t, logit_sum);
    }
#if LSNN_AVX512_F32
    _mm_sfence(); /* the streamed history is visible to whichever thread runs the backward */
#endif
}
