/* lstm.c - the LSTM's parameter block: allocation, sizes, aligned scratch. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lstm_internal.h"

real *LSNN_FN(lstm_zalloc)(size_t n)
{
    size_t bytes = (n * sizeof(real) + 63) / 64 * 64;
    if (n > SIZE_MAX / sizeof(real) / 2) return NULL;
    real *p = aligned_alloc(64, bytes ? bytes : 64);
    if (p) memset(p, 0, bytes ? bytes : 64);
    return p;
}

int LSNN_FN(lsnn_lstm_alloc)(lsnn_lstm *net, int n_in, int hidden, int n_out, int readout_bias)
{
    memset(net, 0, sizeof *net);
    if (n_in < 1 || n_in > 65536 || hidden < 1 || hidden > 65536 || n_out < 1 || n_out > 65536)
        return -1;
    size_t H = (size_t)hidden, G = 4 * H;
    size_t sizes[5] = {(size_t)n_in * G, H * G, G, H * (size_t)n_out, (size_t)n_out};
    size_t n = 0;
    for (int k = 0; k < 5; k++)
        n += sizes[k];
    net->data = calloc(n, sizeof(real));
    if (!net->data) return -1;
    real **views[5] = {&net->w_x, &net->w_h, &net->b, &net->w_out, &net->b_out};
    size_t at = 0;
    for (int k = 0; k < 5; k++) {
        *views[k] = net->data + at;
        at += sizes[k];
    }
    net->n_in = n_in;
    net->hidden = hidden;
    net->n_out = n_out;
    net->readout_bias = readout_bias != 0;
    net->n_params = n;
    return 0;
}

void LSNN_FN(lsnn_lstm_free)(lsnn_lstm *net)
{
    free(net->data);
    memset(net, 0, sizeof *net);
}

size_t LSNN_FN(lsnn_lstm_n_trained)(const lsnn_lstm *net)
{
    return net->n_params - (net->readout_bias ? 0 : (size_t)net->n_out);
}

void LSNN_FN(lstm_work_release)(lstm_work *w)
{
    free(w->act), free(w->c), free(w->tc), free(w->h);
    free(w->dh), free(w->dc), free(w->dpre);
    free(w->win_at), free(w->hsum), free(w->gwin), free(w->wins);
    memset(w, 0, sizeof *w);
}

/* Whether w's arrays hold a run of this shape (they are reused from run to run). */
static int fits(const lstm_work *w, int T, int hp, int gp, int n_win, int stored)
{
    return w->act && w->cap_hp == hp && w->cap_gp == gp && w->cap_win >= n_win && w->cap_T >= T &&
           w->cap_stored >= stored;
}

int LSNN_FN(lstm_work_reserve)(lstm_work *w, int T, int hp, int gp, int n_win, int stored)
{
    if (!fits(w, T, hp, gp, n_win, stored)) {
        LSNN_FN(lstm_work_release)(w);
        size_t steps = stored ? (size_t)T : 1, ring = stored ? (size_t)T + 1 : 2;
        size_t hrow = (size_t)LC * hp, grow = (size_t)LC * gp, nw = n_win > 0 ? n_win : 1;
        w->act = LSNN_FN(lstm_zalloc)(steps * grow);
        w->c = LSNN_FN(lstm_zalloc)(ring * hrow);
        w->tc = LSNN_FN(lstm_zalloc)(steps * hrow);
        w->h = LSNN_FN(lstm_zalloc)(ring * hrow);
        w->dh = LSNN_FN(lstm_zalloc)(hrow);
        w->dc = LSNN_FN(lstm_zalloc)(hrow);
        w->dpre = LSNN_FN(lstm_zalloc)(grow);
        w->win_at = malloc(sizeof(int) * (size_t)T * LC);
        w->hsum = LSNN_FN(lstm_zalloc)(nw * hp);
        w->gwin = LSNN_FN(lstm_zalloc)(nw * hp);
        w->wins = malloc(sizeof(int) * nw);
        if (!w->act || !w->c || !w->tc || !w->h || !w->dh || !w->dc || !w->dpre || !w->win_at ||
            !w->hsum || !w->gwin || !w->wins) {
            LSNN_FN(lstm_work_release)(w);
            return -1;
        }
        w->cap_T = T, w->cap_hp = hp, w->cap_gp = gp, w->cap_win = (int)nw;
        w->cap_stored = stored;
    }
    w->T = T, w->stored = stored, w->hp = hp, w->gp = gp;
    return 0;
}
