/* backward.c - BPTT of one chunk, from the last step to the first.
 *
 * Adjoints, for neuron i and lane l (docs/training.md derives each line):
 *   gz_t  = (1-kappa) W_out G_t + greg + (1-rho) gb_{t+1} - A_{t+1} gv_{t+1}
 *           + sum_j w_rec[i,j] gI_{t+1+d_ij}[j]
 *   gvs_t = gz_t * free_t * f'(vs_t)
 *   gv_t  = alpha gv_{t+1} + gvs_t / A_t            (new_v; prev_v: gvs_{t+1} / A_{t+1})
 *   gA_t  = -gvs_t * v_src / A_t^2 - z_{t-1} gv_t
 *   gb_t  = rho gb_{t+1} + beta gA_t
 *   gI_t  = (1-alpha) gv_t
 *           (CUBA, neurocore.md §17: gi_t = (1-alpha) gv_t + alpha_syn gi_{t+1}, gI_t = gi_t)
 * gz_t only matters through gvs_t, so neurons whose surrogate derivative is zero in every
 * lane skip the recurrent gather (the costly N*N*BC part). Weight gradients accumulate
 * over spikes only: inputs and recurrent spikes are binary and rare. The ring of gI is kept
 * twice: neuron-major for the gather (vectors over lanes) and lane-major for the per-spike
 * row updates (contiguous per lane). */
#include <string.h>

#include "engine_internal.h"

/* The gather below is the one N*N*BC loop of the whole engine. */
/* acc[lane] = sum_j w_rec[i,j] * gI_{t+1+d_ij}[j][lane], over row i's nonzero weights in
 * delay order (zero weights add exact zeros, so skipping them changes nothing). One loop over
 * the whole row: entry k's ring place d*N + j, counted from the slot of gI_{t+1} (`base`),
 * wraps at the ring's end (D+1 slots: ring_slots); a loop per delay segment (2-3 entries on a
 * sparse row) mispredicted its exits. */
static inline void gather_rec(const lsnn_chunk *c, uint32_t base, int i, vreal *restrict a)
{
    const lsnn_sorted *so = c->srec;
    const uint32_t *at = so->ring + (size_t)i * so->n;
    const real *w = so->w + (size_t)i * so->n;
    const uint32_t wrap = (uint32_t)ring_slots(c) * c->n_rec;
    const uint32_t end = so->off[(size_t)i * (so->D + 1) + so->D];
    for (int q = 0; q < NV; q++)
        a[q] = (vreal){0};
    for (uint32_t k = 0; k < end; k++) {
        uint32_t p = at[k] + base;
        p -= p >= wrap ? wrap : 0;
        const vreal *g = (const vreal *)(c->gring + (size_t)p * BC);
        real wk = w[k];
        for (int q = 0; q < NV; q++)
            a[q] += wk * g[q];
    }
}

/* A spike's weight-row gradient, in the row's delay-sorted order:
 * dws[k] += s * gI_{t0+d}[j][lane] over the row's entries k (target j, delay d). Entry k's
 * place in the ring, counted from slot t0, is so->ring[k] = d*N + j, taken mod R*N (R = D + 1
 * slots). The ring is read in one of its two layouts: lane-major (gring_lane: one lane's R slots
 * are R*N contiguous reals, in L1 while the lane's spikes gather from them; the transposition into
 * it pays when rows are dense) or neuron-major (gring itself, [slot][j][lane]: no transposition,
 * for sparse gradient rows, which gather few values). Per entry the arithmetic is the same. */
static __attribute__((noinline)) void accumulate_row(const lsnn_chunk *c, const lsnn_sorted *so,
                                                     int row, int t0, real *restrict dws, int lane,
                                                     real s, int lane_major)
{
    int N = c->n_rec, D = so->D, R = ring_slots(c);
    const real *ring = lane_major ? c->gring_lane + (size_t)lane * R * N : c->gring + lane;
    const int shift = lane_major ? 0 : LSNN_CHUNK_LOG2; /* a place p is ring[p << shift] */
    const uint32_t *at = so->ring + (size_t)row * so->n;
    uint32_t k = 0, end = so->off[(size_t)row * (D + 1) + D];
    uint32_t base = (uint32_t)t0 * N, wrap = (uint32_t)R * N;
#if LSNN_AVX512_F32
    /* the whole row in gathers of 16, whatever its delays (few entries share a delay) */
    const __m512i vbase = _mm512_set1_epi32((int)base), vwrap = _mm512_set1_epi32((int)wrap);
    const __m128i vshift = _mm_cvtsi32_si128(shift);
    const __m512 vs = _mm512_set1_ps(s);
    for (; k < end; k += 16) {
        __mmask16 m = end - k >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (end - k)) - 1);
        __m512i vi = _mm512_add_epi32(_mm512_maskz_loadu_epi32(m, at + k), vbase);
        vi = _mm512_mask_sub_epi32(vi, _mm512_cmpge_epu32_mask(vi, vwrap), vi, vwrap);
        vi = _mm512_sll_epi32(vi, vshift);
        __m512 vg = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, vi, ring, 4);
        __m512 acc = _mm512_maskz_loadu_ps(m, dws + k);
        _mm512_mask_storeu_ps(dws + k, m, LSNN_MADD512(vs, vg, acc));
    }
#endif
    for (; k < end; k++) {
        uint32_t p = at[k] + base;
        p -= p >= wrap ? wrap : 0;
        dws[k] += s * ring[(size_t)p << shift];
    }
}

/* Recurrent and readout weight gradients of the spikes z_t, lane by lane, so that one
 * lane's gradient ring ((D+1)*N reals) stays in L1 while its spikes gather from it. */
static void spike_gradients(const lsnn_net *net, lsnn_chunk *c, int t, lsnn_grads *g,
                            int lane_major)
{
    int N = net->n_rec, C = net->n_out, R = ring_slots(c);
    int *cnt = c->n_lane;         /* [BC] */
    uint16_t *list = c->lane_spk; /* [BC][N] */
    memset(cnt, 0, sizeof(int) * BC);
    step_rows now = rows_at(c, t);
    for (int i = 0; i < N; i++) {
        uint64_t mask = spike_lanes(c, &now, i);
        while (mask) {
            int l = __builtin_ctzll(mask);
            mask &= mask - 1;
            list[(size_t)l * N + cnt[l]++] = (uint16_t)i;
        }
    }
    real k1 = 1 - net->kappa;
    for (int l = 0; l < c->lanes; l++)
        for (int q = 0; q < cnt[l]; q++) {
            int i = list[(size_t)l * N + q];
            real z = c->smooth ? now.z[(size_t)i * BC + l] : 1;
            accumulate_row(c, c->grec, i, (t + 1) % R, g->w_rec + (size_t)i * N, l, z, lane_major);
            for (int o = 0; o < C; o++)
                g->w_out[(size_t)i * C + o] += k1 * z * c->gout[(size_t)o * BC + l];
        }
}

/* Asks the memory for one neuron's BC lanes of a history row. */
static inline void prefetch_lanes(const real *row)
{
    for (size_t o = 0; o < BC * sizeof(real); o += 64)
        __builtin_prefetch((const char *)row + o);
}

/* Whether any lane of m is set (one mask extraction, not a test per lane). */
static inline int any_lane(vmask m)
{
    return vmask_bits(m) != 0;
}

/* coef = free * dz/dvs at vs = vsrc/A - 1, the factor that turns dL/dz into dL/dvs.
 * Returns whether any lane's coef is nonzero. */
static inline int surrogate_coef(const lsnn_net *net, const int smooth, const vreal *vsrc,
                                 const vreal *invA, const vreal *fr, vreal *coef)
{
    const vreal none = (vreal){0}, one = none + 1;
    vmask nz = (vmask){0};
    for (int q = 0; q < NV; q++) {
        vreal vs = vsrc[q] * invA[q] - 1;
        if (smooth) {
            for (int k = 0; k < VL; k++)
                coef[q][k] = fr[q][k] * spike_deriv(net, vs[k]);
        } else {
            vmask neg = vs < none;
            vreal a = (vreal)(((vmask)(-vs) & neg) | ((vmask)vs & ~neg)); /* |vs| */
            vreal d = net->gamma * (one - a);
            coef[q] = fr[q] * (vreal)((vmask)d & (a < one));
        }
        nz |= coef[q] != none;
    }
    return any_lane(nz);
}

/* What the neurons of step t share: the history rows, the ring place of gI_{t+1}, ... */
typedef struct {
    int t, T, C;
    step_rows now, was, next, early;
    uint32_t base;      /* ring place of gI_{t+1}'s slot (gather_rec) */
    const real *greg;   /* [n_rec] dL/dz of the rate regulariser */
    const vreal *valid; /* [NV] 1 on real sequences, 0 on padding lanes */
    real *gnew;         /* [n_rec][BC] gI_t */
} bwd_step;

/* Neuron i's adjoints at step s->t. `smooth` and `prev` (net->smooth,
 * net->spike_from_prev_v) are constants at each call, so that the common case (binary
 * spikes from the new v) is compiled without their branches. */
static inline __attribute__((always_inline)) void neuron_adjoints(const lsnn_net *net,
                                                                  lsnn_chunk *c, const bwd_step *s,
                                                                  int i, const int smooth,
                                                                  const int prev)
{
    static const vreal zero[NV];
    int t = s->t, C = s->C;
    size_t ib = (size_t)i * BC;
    int k = c->adapt[i];
    size_t kb = (size_t)k * BC;
    const vreal *v = (const vreal *)(s->now.v + ib);
    const vreal *vp = t ? (const vreal *)(s->was.v + ib) : zero;
    /* the history of step t - 2, read by the next step but one, is far in memory: ask for it
     * (its lane bits too, 16 neurons to a line) */
    if (t >= 2) {
        prefetch_lanes(s->early.v + ib);
        if (k >= 0) prefetch_lanes(s->early.b + kb);
        if ((i & 15) == 0) {
            __builtin_prefetch(s->early.zbits + i);
            __builtin_prefetch(s->early.fbits + i);
        }
    }
    /* b matters only where beta != 0: elsewhere b0 + beta * b = b0 for any b >= 0 */
    const vreal *b = k >= 0 ? (const vreal *)(s->now.b + kb) : zero;
    const vreal *bn = k >= 0 && t + 1 < s->T ? (const vreal *)(s->next.b + kb) : zero;
    vreal fr[NV], zp_bits[NV];
    const vreal *zp = zp_bits;
    bits_real(s->now.fbits[i], fr);
    if (smooth)
        zp = t ? (const vreal *)(s->was.z + ib) : zero;
    else if (k >= 0) /* z_{t-1} enters through gA, which matters only where beta != 0 */
        bits_real(t ? s->was.zbits[i] : 0, zp_bits);
    real alpha = net->alpha[i], rho = net->rho[i], beta = net->beta[i], b0 = net->b0[i];
    vreal *gv1 = (vreal *)(c->gv1 + ib), *gb1 = (vreal *)(c->gb1 + ib);
    vreal *gvs1 = (vreal *)(c->gvs1 + ib), *gn = (vreal *)(s->gnew + ib);
    vreal *gi1 = (vreal *)(c->gi1 + ib);
    vreal coef[NV], invA[NV], vsrc[NV], acc[NV], gvs[NV];
    if (k >= 0)
        for (int q = 0; q < NV; q++)
            invA[q] = 1 / (b0 + beta * b[q]);
    else /* without adaptation b is the zero vector and 1 / b0 is the same number */
        for (int q = 0; q < NV; q++)
            invA[q] = (vreal){0} + 1 / b0;
    for (int q = 0; q < NV; q++)
        vsrc[q] = prev ? vp[q] : v[q];
    if (surrogate_coef(net, smooth, vsrc, invA, fr, coef)) {
        gather_rec(c, s->base, i, acc);
        const real *wk = c->wout_k + (size_t)i * C;
        for (int o = 0; o < C; o++) {
            const vreal *G = (const vreal *)(c->gout + (size_t)o * BC);
            for (int q = 0; q < NV; q++)
                acc[q] += wk[o] * G[q];
        }
        real gr = s->greg[i];
        if (k >= 0)
            for (int q = 0; q < NV; q++) {
                vreal gz =
                    acc[q] + (1 - rho) * gb1[q] - (b0 + beta * bn[q]) * gv1[q] + gr * s->valid[q];
                gvs[q] = gz * coef[q];
            }
        else /* beta = 0: A = b0, and gb stays 0 */
            for (int q = 0; q < NV; q++)
                gvs[q] = (acc[q] - b0 * gv1[q] + gr * s->valid[q]) * coef[q];
    } else {
        for (int q = 0; q < NV; q++)
            gvs[q] = (vreal){0};
    }
    vreal gv[NV];
    if (k >= 0)
        for (int q = 0; q < NV; q++) {
            gv[q] = alpha * gv1[q] + (prev ? gvs1[q] / (b0 + beta * bn[q]) : gvs[q] * invA[q]);
            vreal gA = -gvs[q] * vsrc[q] * invA[q] * invA[q] - zp[q] * gv[q];
            gb1[q] = rho * gb1[q] + beta * gA;
        }
    else /* gA only feeds gb, which beta = 0 keeps at 0 */
        for (int q = 0; q < NV; q++)
            gv[q] = alpha * gv1[q] + (prev ? gvs1[q] / b0 : gvs[q] * invA[q]);
    int cuba = net->cuba[i];
    real as = net->alpha_syn[i];
    for (int q = 0; q < NV; q++) {
        gv1[q] = gv[q];
        if (prev) gvs1[q] = gvs[q]; /* read back only from the previous v */
        vreal gI = (1 - alpha) * gv[q];
        if (cuba) {
            gI = gI + as * gi1[q];
            gi1[q] = gI;
        }
        gn[q] = gI;
    }
}

void LSNN_FN(lsnn_backward_chunk)(const lsnn_net *net, const lsnn_batch *batch, lsnn_chunk *c,
                                  const double *glogit, const real *greg)
{
    int T = batch->n_steps, N = net->n_rec, C = net->n_out;
    lsnn_grads *g = &c->grads;
    memset(g->w_in, 0, sizeof(real) * net->n_in * N);
    memset(g->w_rec, 0, sizeof(real) * N * N);
    memset(g->w_out, 0, sizeof(real) * N * C);
    memset(g->b_out, 0, sizeof(real) * C);
    int R = ring_slots(c);
    memset(c->gring, 0, sizeof(real) * R * N * BC);
    /* the lane-major copy of the gradient ring pays for its transposition where the gradient
     * rows are dense (most entries of W_rec); sparse ones read the ring as it is */
    int lane_major = c->grec->nnz * 2 > (long)N * N;
    if (lane_major) memset(c->gring_lane, 0, sizeof(real) * R * N * BC);
    memset(c->gv1, 0, sizeof(real) * N * BC);
    memset(c->gb1, 0, sizeof(real) * N * BC);
    memset(c->gvs1, 0, sizeof(real) * N * BC);
    memset(c->gi1, 0, sizeof(real) * N * BC);
    memset(c->gout, 0, sizeof(real) * C * BC);
    real kappa = net->kappa;
    for (size_t k = 0; k < (size_t)N * C; k++) /* the readout's weights in gz */
        c->wout_k[k] = (1 - kappa) * net->w_out[k];
    const int smooth = net->smooth, prev = net->spike_from_prev_v;

    vreal valid[NV]; /* 1 on the chunk's real sequences, 0 on padding lanes */
    for (int l = 0; l < BC; l++)
        ((real *)valid)[l] = l < c->lanes ? 1 : 0;
    for (int t = T - 1; t >= 0; t--) {
        /* readout: G_t = gout_t + kappa G_{t+1} */
        const int *wa = c->win_at + (size_t)t * BC;
        if (t >= 2) { /* the window indices of step t - 2 (BC ints, two lines) */
            __builtin_prefetch(wa - 2 * BC);
            __builtin_prefetch(wa - 2 * BC + 16);
        }
        for (int o = 0; o < C; o++) {
            real *G = c->gout + (size_t)o * BC;
            for (int l = 0; l < BC; l++)
                G[l] *= kappa;
            for (int l = 0; l < c->lanes; l++) {
                if (wa[l] < 0) continue;
                const lsnn_window *w = &batch->win[wa[l]];
                real go = (real)(glogit[(size_t)wa[l] * C + o] / (w->end - w->start));
                G[l] += go;
                g->b_out[o] += go;
            }
        }
        spike_gradients(net, c, t, g, lane_major);
        /* gI_t goes into the slot of gI_{t+D+1}, which no gather of this step reads */
        real *gnew = c->gring + (size_t)(t % R) * N * BC;
        bwd_step st = {.t = t,
                       .T = T,
                       .C = C,
                       .now = rows_at(c, t),
                       .was = rows_at(c, t ? t - 1 : 0),
                       .next = rows_at(c, t + 1 < T ? t + 1 : t),
                       .early = rows_at(c, t >= 2 ? t - 2 : 0),
                       .base = (uint32_t)((t + 1) % R) * N,
                       .greg = greg,
                       .valid = valid,
                       .gnew = gnew};
        if (!smooth && !prev)
            for (int i = 0; i < N; i++)
                neuron_adjoints(net, c, &st, i, 0, 0);
        else
            for (int i = 0; i < N; i++)
                neuron_adjoints(net, c, &st, i, smooth, prev);
        for (int l = 0; l < (lane_major ? c->lanes : 0); l++) {
            real *row = c->gring_lane + ((size_t)l * R + t % R) * N;
            for (int j = 0; j < N; j++)
                row[j] = gnew[(size_t)j * BC + l];
        }
        /* inputs x_t landed in I_{t+d} */
        for (int l = 0; l < c->lanes; l++) {
            size_t cell = (size_t)(c->seq0 + l) * T + t;
            /* each lane reads its own stretch of the batch's events, backwards: ask for the
             * offsets 16 steps ahead and the events 8 steps ahead */
            if (t >= 16) {
                __builtin_prefetch(batch->in_ptr + cell - 16);
                __builtin_prefetch(batch->in_idx + batch->in_ptr[cell - 8]);
            }
            for (uint32_t p = batch->in_ptr[cell]; p < batch->in_ptr[cell + 1]; p++) {
                int ch = batch->in_idx[p];
                accumulate_row(c, c->gin, ch, t % R, g->w_in + (size_t)ch * N, l, 1, lane_major);
            }
        }
    }
}
