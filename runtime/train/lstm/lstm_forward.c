/* lstm_forward.c - the LSTM forward pass over one chunk of sequences: the input events, the
 * recurrent product, the cell, and the windows' sums of h. */
#include <string.h>

#include "lstm_internal.h"

/* History slot of step t (a ring of two without stored histories). */
static inline size_t slot(const lstm_work *w, int t)
{
    return w->stored ? (size_t)t : (size_t)(t & 1);
}

/* Marks (t, lane) of each window of the chunk's sequences; w->wins lists them. */
static void mark_windows(const lsnn_batch *b, int seq0, int lanes, lstm_work *w)
{
    memset(w->win_at, 0xff, sizeof(int) * (size_t)w->T * LC);
    w->n_wins = 0;
    for (int k = 0; k < b->n_win; k++) {
        const lsnn_window *win = &b->win[k];
        int l = win->seq - seq0;
        if (l < 0 || l >= lanes) continue;
        for (int t = win->start; t < win->end; t++)
            w->win_at[(size_t)t * LC + l] = w->n_wins;
        w->wins[w->n_wins++] = k;
    }
}

/* a_t of every lane before the recurrent product: bias plus the step's input events. */
static void input_step(const lstm_padded *p, const lsnn_batch *b, int seq0, int lanes, int t,
                       real *pre)
{
    int gp = p->gp;
    for (int l = 0; l < LC; l++)
        memcpy(pre + (size_t)l * gp, p->b, sizeof(real) * gp);
    for (int l = 0; l < lanes; l++) {
        size_t cell = (size_t)(seq0 + l) * b->n_steps + t;
        real *row = pre + (size_t)l * gp;
        for (uint32_t k = b->in_ptr[cell]; k < b->in_ptr[cell + 1]; k++) {
            const real *wr = p->wx + (size_t)b->in_idx[k] * gp;
            real v = lsnn_batch_value(b, k);
            if (v == 1)
                for (int g = 0; g < gp; g++)
                    row[g] += wr[g];
            else
                for (int g = 0; g < gp; g++)
                    row[g] += v * wr[g];
        }
    }
}

void LSNN_FN(lstm_forward_chunk)(const lstm_padded *p, const lsnn_batch *b, int seq0, int lanes,
                                 lstm_work *w)
{
    int hp = p->hp, gp = p->gp;
    size_t hrow = (size_t)LC * hp, grow = (size_t)LC * gp;
    mark_windows(b, seq0, lanes, w);
    memset(w->hsum, 0, sizeof(real) * (size_t)w->n_wins * hp);
    memset(w->c, 0, sizeof(real) * hrow); /* c_{-1} = h_{-1} = 0 */
    memset(w->h, 0, sizeof(real) * hrow);
    for (int t = 0; t < w->T; t++) {
        real *act = w->act + (w->stored ? (size_t)t : 0) * grow;
        const real *h_prev = w->h + slot(w, t) * hrow, *c_prev = w->c + slot(w, t) * hrow;
        real *h = w->h + slot(w, t + 1) * hrow, *c = w->c + slot(w, t + 1) * hrow;
        real *tc = w->tc + (w->stored ? (size_t)t : 0) * hrow;
        input_step(p, b, seq0, lanes, t, act);
        if (t > 0) p->k->gemm(act, gp, h_prev, hp, 1, p->wh, gp, LC, gp, p->hidden);
        p->k->cell_forward(act, c_prev, c, tc, h, hp, gp);
        for (int l = 0; l < lanes; l++) {
            int k = w->win_at[(size_t)t * LC + l];
            if (k < 0) continue;
            real *s = w->hsum + (size_t)k * hp;
            const real *hl = h + (size_t)l * hp;
            for (int u = 0; u < hp; u++)
                s[u] += hl[u];
        }
    }
}
