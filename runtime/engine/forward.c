/* forward.c - the forward pass of one chunk: event-driven delivery, vectorised neurons.
 *
 * Spikes (input and recurrent) add their weight rows into each lane's delay ring; the
 * neuron update then runs across the BC lanes of the chunk for each neuron. */
#include <string.h>

#include "engine_internal.h"

/* Adds row w[0..n) (with delays d) scaled by s into one lane's ring at step t. */
static void deliver(real *ring, int n, int n_delay, int t, const real *w, const uint8_t *d,
                    real s)
{
    for (int j = 0; j < n; j++) {
        int slot = (t + d[j]) % n_delay;
        ring[(size_t)slot * n + j] += s * w[j];
    }
}

/* Delivers the spikes that arrive at step t: inputs x_t and recurrent z_{t-1}. */
static void deliver_step(const lsnn_net *net, const lsnn_batch *batch, lsnn_chunk *c, int t)
{
    int N = net->n_rec, D = net->n_delay;
    for (int l = 0; l < c->lanes; l++) {
        real *ring = c->ibuf + (size_t)l * D * N;
        size_t cell = (size_t)(c->seq0 + l) * batch->n_steps + t;
        for (uint32_t p = batch->in_ptr[cell]; p < batch->in_ptr[cell + 1]; p++) {
            int ch = batch->in_idx[p];
            deliver(ring, N, D, t, net->w_in + (size_t)ch * N, net->d_in + (size_t)ch * N, 1);
        }
    }
    if (t == 0) return;
    for (int i = 0; i < N; i++) {
        const real *z = c->z + hist_at(c, t - 1, i);
        for (int l = 0; l < c->lanes; l++) {
            if (z[l] == 0) continue;
            real *ring = c->ibuf + (size_t)l * D * N;
            deliver(ring, N, D, t, net->w_rec + (size_t)i * N, net->d_rec + (size_t)i * N, z[l]);
        }
    }
}

/* Moves ring slot t of every lane into cur[neuron][lane] and clears the slot. */
static void take_current(const lsnn_net *net, lsnn_chunk *c, int t)
{
    int N = net->n_rec, D = net->n_delay;
    for (int l = 0; l < BC; l++) {
        real *slot = c->ibuf + ((size_t)l * D + t % D) * N;
        for (int j = 0; j < N; j++) c->cur[(size_t)j * BC + l] = slot[j];
        memset(slot, 0, sizeof(real) * N);
    }
}

/* The neuron update of step t for every neuron and lane. */
static void update_neurons(const lsnn_net *net, lsnn_chunk *c, int t)
{
    int N = net->n_rec;
    for (int i = 0; i < N; i++) {
        real alpha = net->alpha[i], rho = net->rho[i], beta = net->beta[i], b0 = net->b0[i];
        int nref = net->n_ref[i];
        const real *cur = c->cur + (size_t)i * BC;
        real *v = c->v + hist_at(c, t, i), *b = c->b + hist_at(c, t, i);
        real *z = c->z + hist_at(c, t, i);
        uint8_t *fr = c->free + hist_at(c, t, i);
        int *rc = c->refc + (size_t)i * BC;
        static const real zero[BC];
        const real *vp = t ? c->v + hist_at(c, t - 1, i) : zero;
        const real *bp = t ? c->b + hist_at(c, t - 1, i) : zero;
        const real *zp = t ? c->z + hist_at(c, t - 1, i) : zero;
        for (int l = 0; l < BC; l++) {
            real bn = rho * bp[l] + (1 - rho) * zp[l];
            real A = b0 + beta * bn;
            real vn = alpha * vp[l] + (1 - alpha) * cur[l] - zp[l] * A;
            real vsrc = net->spike_from_prev_v ? vp[l] : vn;
            real vs = (vsrc - A) / A;
            int may = rc[l] == 0;
            real zn = may ? spike_fn(net, vs) : 0;
            rc[l] = zn > (real)0.5 ? nref : (rc[l] > 0 ? rc[l] - 1 : 0);
            v[l] = vn;
            b[l] = bn;
            z[l] = zn;
            fr[l] = (uint8_t)may;
        }
    }
}

/* Readout trace and window sums of step t. */
static void readout_step(const lsnn_net *net, lsnn_chunk *c, int t, double *logit_sum)
{
    int N = net->n_rec, C = net->n_out;
    real acc[BC];
    for (int o = 0; o < C; o++) {
        memset(acc, 0, sizeof acc);
        for (int i = 0; i < N; i++) {
            const real *z = c->z + hist_at(c, t, i);
            real w = net->w_out[(size_t)i * C + o];
            for (int l = 0; l < BC; l++)
                if (z[l] != 0) acc[l] += z[l] * w;
        }
        real *ro = c->ro + (size_t)o * BC;
        for (int l = 0; l < BC; l++) ro[l] = net->kappa * ro[l] + (1 - net->kappa) * acc[l];
    }
    const int *wa = c->win_at + (size_t)t * BC;
    for (int l = 0; l < c->lanes; l++) {
        if (wa[l] < 0) continue;
        for (int o = 0; o < C; o++)
            logit_sum[(size_t)wa[l] * C + o] += c->ro[(size_t)o * BC + l] + net->b_out[o];
    }
}

static void count_spikes(const lsnn_net *net, lsnn_chunk *c, int t)
{
    for (int i = 0; i < net->n_rec; i++) {
        const real *z = c->z + hist_at(c, t, i);
        double s = 0;
        for (int l = 0; l < c->lanes; l++) s += z[l];
        c->count[i] += s;
    }
}

/* win_at[t][lane] = the window covering (t, lane) or -1; a (lane, step) belongs to at most
 * one window (lsnn_batch_check). */
static void mark_windows(const lsnn_batch *batch, lsnn_chunk *c)
{
    int T = batch->n_steps;
    for (size_t k = 0; k < (size_t)T * BC; k++) c->win_at[k] = -1;
    for (int w = 0; w < batch->n_win; w++) {
        const lsnn_window *win = &batch->win[w];
        int l = win->seq - c->seq0;
        if (l < 0 || l >= c->lanes) continue;
        for (int t = win->start; t < win->end; t++) c->win_at[(size_t)t * BC + l] = w;
    }
}

void LSNN_FN(lsnn_forward_chunk)(const lsnn_net *net, const lsnn_batch *batch, lsnn_chunk *c,
                                 double *logit_sum)
{
    int T = batch->n_steps, N = net->n_rec;
    memset(c->ibuf, 0, sizeof(real) * BC * net->n_delay * N);
    memset(c->refc, 0, sizeof(int) * BC * N);
    memset(c->ro, 0, sizeof(real) * BC * net->n_out);
    memset(c->count, 0, sizeof(double) * N);
    mark_windows(batch, c);
    for (int t = 0; t < T; t++) {
        deliver_step(net, batch, c, t);
        take_current(net, c, t);
        update_neurons(net, c, t);
        readout_step(net, c, t, logit_sum);
        count_spikes(net, c, t);
    }
}
