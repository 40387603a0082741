/* lstm_backward.c - BPTT through the LSTM cells of one chunk (docs/training.md, "LSTM").
 *
 * From step T-1 down to 0, with dh_t = dL/dh_t (the windows' readout gradient plus W_h's path
 * from step t+1) and dc carried from step t+1:
 *   dc_t  = dc + dh_t * o * (1 - tanh(c_t)^2)
 *   da_o  = dh_t * tanh(c_t) * o (1 - o)      da_i = dc_t * g * i (1 - i)
 *   da_g  = dc_t * i * (1 - g^2)               da_f = dc_t * c_{t-1} * f (1 - f)
 *   dc    = dc_t * f                           (to step t-1)
 *   dh_{t-1} = W_h da_t,  dW_h += h_{t-1} da_t^T,  dW_x += x_t da_t^T,  db += da_t
 * Sums over lanes run in lane order and over steps from T-1 down, so a chunk's gradient does
 * not depend on the thread that computes it. */
#include <string.h>

#include "lstm_internal.h"

/* The windows' part: dW_out, db_out and dL/dh_t inside each window. */
static void readout_backward(const lsnn_lstm *net, const lsnn_batch *b, lstm_work *w,
                             const double *glogit, lstm_chunk *g)
{
    int H = net->hidden, C = net->n_out, hp = w->hp;
    for (int j = 0; j < w->n_wins; j++) {
        const lsnn_window *win = &b->win[w->wins[j]];
        const double *gl = glogit + (size_t)w->wins[j] * C;
        real inv = (real)1 / (real)(win->end - win->start);
        const real *hs = w->hsum + (size_t)j * hp;
        real *gw = w->gwin + (size_t)j * hp;
        memset(gw, 0, sizeof(real) * hp);
        for (int u = 0; u < H; u++) {
            real m = hs[u] * inv, acc = 0;
            for (int c = 0; c < C; c++) {
                g->w_out[(size_t)u * C + c] += m * (real)gl[c];
                acc += net->w_out[(size_t)u * C + c] * (real)gl[c];
            }
            gw[u] = acc * inv;
        }
        if (net->readout_bias)
            for (int c = 0; c < C; c++)
                g->b_out[c] += (real)gl[c];
    }
}

/* da_t of every lane from dh (W_h's path and the windows) and the stored step; updates dc. */
static void cell_backward(const lstm_padded *p, lstm_work *w, int t, int lanes)
{
    int hp = w->hp, gp = w->gp;
    size_t grow = (size_t)LC * gp, hrow = (size_t)LC * hp;
    const real *act = w->act + (size_t)t * grow, *tc = w->tc + (size_t)t * hrow;
    const real *c_prev = w->c + (size_t)t * hrow;
    for (int l = 0; l < lanes; l++) {
        int k = w->win_at[(size_t)t * LC + l];
        real *dh = w->dh + (size_t)l * hp;
        if (k >= 0) {
            const real *gw = w->gwin + (size_t)k * hp;
            for (int u = 0; u < hp; u++)
                dh[u] += gw[u];
        }
        p->k->cell_backward(act + (size_t)l * gp, tc + (size_t)l * hp, c_prev + (size_t)l * hp, dh,
                            w->dc + (size_t)l * hp, w->dpre + (size_t)l * gp, hp);
    }
}

void LSNN_FN(lstm_backward_chunk)(const lstm_padded *p, const lsnn_lstm *net, const lsnn_batch *b,
                                  int seq0, int lanes, lstm_work *w, const double *glogit,
                                  lstm_chunk *g)
{
    int hp = p->hp, gp = p->gp;
    size_t hrow = (size_t)LC * hp;
    memset(g->wx, 0, sizeof(real) * g->cap);
    readout_backward(net, b, w, glogit, g);
    memset(w->dh, 0, sizeof(real) * hrow);
    memset(w->dc, 0, sizeof(real) * hrow);
    /* lanes past the batch keep da = 0: their sequences do not exist */
    memset(w->dpre, 0, sizeof(real) * (size_t)LC * gp);
    for (int t = w->T - 1; t >= 0; t--) {
        cell_backward(p, w, t, lanes);
        const real *da = w->dpre;
        for (int l = 0; l < lanes; l++) {
            const real *dl = da + (size_t)l * gp;
            for (int k = 0; k < gp; k++)
                g->b[k] += dl[k];
            size_t cell = (size_t)(seq0 + l) * b->n_steps + t;
            for (uint32_t e = b->in_ptr[cell]; e < b->in_ptr[cell + 1]; e++) {
                real *gr = g->wx + (size_t)b->in_idx[e] * gp, v = lsnn_batch_value(b, e);
                for (int k = 0; k < gp; k++)
                    gr[k] += v * dl[k];
            }
        }
        if (t == 0) break; /* h_{-1} = 0: no weight gradient, nothing before */
        const real *h_prev = w->h + (size_t)t * hrow;
        /* dW_h[u][:] += sum over lanes of h_{t-1}[l][u] da[l][:] */
        p->k->gemm(g->wh, gp, h_prev, 1, hp, da, gp, hp, gp, LC);
        /* dh_{t-1}[l][:] = sum over gates of da[l][j] W_h^T[j][:] */
        memset(w->dh, 0, sizeof(real) * hrow);
        p->k->gemm(w->dh, hp, da, gp, 1, p->whT, hp, LC, hp, gp);
    }
}
