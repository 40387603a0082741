/* lstm_engine.c - runs a batch through the LSTM: chunks over threads, the windows' loss, and
 * the gradient summed in chunk order (the same result for any number of threads). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lstm_internal.h"
#include "parallel.h"
#include "pmath.h"

#define MAX_THREADS 64

struct lsnn_lstm_engine {
    int n_threads;
    lstm_padded p;
    lstm_work work[MAX_THREADS];
    lstm_chunk *chunks;
    int n_chunks, cap_chunks;
};

lsnn_lstm_engine *LSNN_FN(lsnn_lstm_engine_new)(int n_threads)
{
    lsnn_lstm_engine *en = calloc(1, sizeof *en);
    if (en) en->n_threads = n_threads < 1 ? 1 : n_threads > MAX_THREADS ? MAX_THREADS : n_threads;
    return en;
}

static void padded_free(lstm_padded *p)
{
    free(p->wx);
    free(p->wh);
    free(p->whT);
    free(p->b);
    memset(p, 0, sizeof *p);
}

void LSNN_FN(lsnn_lstm_engine_free)(lsnn_lstm_engine *en)
{
    if (!en) return;
    for (int t = 0; t < MAX_THREADS; t++)
        LSNN_FN(lstm_work_release)(&en->work[t]);
    for (int c = 0; c < en->cap_chunks; c++)
        free(en->chunks[c].wx);
    free(en->chunks);
    padded_free(&en->p);
    free(en);
}

/* The net in the padded layout (gate q of unit u: column q*hp + u). */
static int build_padded(lstm_padded *p, const lsnn_lstm *net)
{
    int H = net->hidden, hp = lstm_hp(H), gp = 4 * hp;
    if (p->n_in != net->n_in || p->hidden != H || p->n_out != net->n_out) {
        padded_free(p);
        p->wx = LSNN_FN(lstm_zalloc)((size_t)net->n_in * gp);
        p->wh = LSNN_FN(lstm_zalloc)((size_t)hp * gp);
        p->whT = LSNN_FN(lstm_zalloc)((size_t)gp * hp);
        p->b = LSNN_FN(lstm_zalloc)(gp);
        if (!p->wx || !p->wh || !p->whT || !p->b) {
            padded_free(p);
            return -1;
        }
        p->n_in = net->n_in, p->hidden = H, p->hp = hp, p->gp = gp, p->n_out = net->n_out;
    }
    p->k = LSNN_FN(lstm_kernels_pick)();
    for (int q = 0; q < 4; q++)
        for (int u = 0; u < H; u++) {
            int from = q * H + u, to = q * hp + u;
            for (int i = 0; i < net->n_in; i++)
                p->wx[(size_t)i * gp + to] = net->w_x[(size_t)i * 4 * H + from];
            for (int k = 0; k < H; k++) {
                real w = net->w_h[(size_t)k * 4 * H + from];
                p->wh[(size_t)k * gp + to] = w;
                p->whT[(size_t)to * hp + k] = w;
            }
            p->b[to] = net->b[from];
        }
    return 0;
}

static int reserve_chunks(lsnn_lstm_engine *en, const lsnn_lstm *net, int n)
{
    if (n > en->cap_chunks) {
        lstm_chunk *c = realloc(en->chunks, sizeof *c * n);
        if (!c) return -1;
        memset(c + en->cap_chunks, 0, sizeof *c * (n - en->cap_chunks));
        en->chunks = c;
        en->cap_chunks = n;
    }
    size_t hp = (size_t)lstm_hp(net->hidden), gp = 4 * hp;
    size_t sz[5] = {(size_t)net->n_in * gp, hp * gp, gp, (size_t)net->hidden * net->n_out,
                    (size_t)net->n_out};
    size_t total = 0;
    for (int k = 0; k < 5; k++)
        total += (sz[k] + 15) / 16 * 16; /* each part 64-byte aligned */
    for (int c = 0; c < n; c++) {
        lstm_chunk *ch = &en->chunks[c];
        if (ch->cap != total) {
            free(ch->wx);
            ch->wx = LSNN_FN(lstm_zalloc)(total);
            if (!ch->wx) {
                ch->cap = 0;
                return -1;
            }
            ch->cap = total;
        }
        real **parts[5] = {&ch->wx, &ch->wh, &ch->b, &ch->w_out, &ch->b_out};
        real *at = ch->wx;
        for (int k = 0; k < 5; k++) {
            *parts[k] = at;
            at += (sz[k] + 15) / 16 * 16;
        }
    }
    en->n_chunks = n;
    return 0;
}

typedef struct {
    lsnn_lstm_engine *en;
    const lsnn_lstm *net;
    const lsnn_batch *b;
    int backward;
    double *logits, *glogit, *ce; /* per window of the batch */
    int *correct;
} job;

/* Logits, cross-entropy and its gradient of the chunk's windows (indices into the batch's). */
static void score_windows(const job *j, const lstm_work *w)
{
    const lsnn_lstm *net = j->net;
    int H = net->hidden, C = net->n_out;
    for (int q = 0; q < w->n_wins; q++) {
        int k = w->wins[q];
        const lsnn_window *win = &j->b->win[k];
        const real *hs = w->hsum + (size_t)q * w->hp;
        double *lg = j->logits + (size_t)k * C, inv = 1.0 / (win->end - win->start);
        double mx = -INFINITY, sum = 0;
        int best = 0;
        for (int c = 0; c < C; c++) {
            real acc = 0;
            for (int u = 0; u < H; u++)
                acc += hs[u] * net->w_out[(size_t)u * C + c];
            lg[c] = (double)acc * inv + (double)net->b_out[c];
            if (lg[c] > mx) mx = lg[c], best = c;
        }
        if (j->b->loss == LSNN_LOSS_MSE) { /* regression: squared error of one readout */
            double err = lg[win->label] - win->target;
            j->ce[k] = err * err;
            j->correct[k] = 0;
            for (int c = 0; c < C; c++)
                j->glogit[(size_t)k * C + c] = c == win->label ? 2 * err / j->b->n_win : 0;
            continue;
        }
        for (int c = 0; c < C; c++)
            sum += lsnn_exp(lg[c] - mx);
        j->ce[k] = -(lg[win->label] - mx - lsnn_log(sum));
        j->correct[k] = lsnn_batch_correct(j->b, best, win->label);
        for (int c = 0; c < C; c++) {
            double pr = lsnn_exp(lg[c] - mx) / sum;
            j->glogit[(size_t)k * C + c] = (pr - (c == win->label)) / j->b->n_win;
        }
    }
}

/* Thread tid's share of a run (lsnn_parallel): chunks tid, tid + n, ... */
static void work(void *ctx, int tid)
{
    job *j = ctx;
    lsnn_lstm_engine *en = j->en;
    lstm_work *w = &en->work[tid];
    for (int c = tid; c < en->n_chunks; c += en->n_threads) {
        int seq0 = c * LC, lanes = j->b->n_seq - seq0 < LC ? j->b->n_seq - seq0 : LC;
        LSNN_FN(lstm_forward_chunk)(&en->p, j->b, seq0, lanes, w);
        score_windows(j, w);
        if (j->backward) LSNN_FN(lstm_backward_chunk)
        (&en->p, j->net, j->b, seq0, lanes, w, j->glogit, &en->chunks[c]);
    }
}

/* The chunks' gradients summed in chunk order, back in the unpadded layout. */
static void sum_grads(const lsnn_lstm_engine *en, const lsnn_lstm *net, lsnn_lstm *g)
{
    const lstm_padded *p = &en->p;
    int H = net->hidden, hp = p->hp, gp = p->gp, C = net->n_out;
    memset(g->data, 0, sizeof(real) * g->n_params);
    for (int c = 0; c < en->n_chunks; c++) {
        const lstm_chunk *ch = &en->chunks[c];
        for (int q = 0; q < 4; q++)
            for (int u = 0; u < H; u++) {
                int to = q * H + u, from = q * hp + u;
                for (int i = 0; i < net->n_in; i++)
                    g->w_x[(size_t)i * 4 * H + to] += ch->wx[(size_t)i * gp + from];
                for (int k = 0; k < H; k++)
                    g->w_h[(size_t)k * 4 * H + to] += ch->wh[(size_t)k * gp + from];
                g->b[to] += ch->b[from];
            }
        for (size_t k = 0; k < (size_t)H * C; k++)
            g->w_out[k] += ch->w_out[k];
        for (int k = 0; k < C; k++)
            g->b_out[k] += ch->b_out[k];
    }
}

int LSNN_FN(lsnn_lstm_run)(lsnn_lstm_engine *en, const lsnn_lstm *net, const lsnn_batch *b,
                           lsnn_lstm *grads, lsnn_lstm_result *res, real *logits_out)
{
    int W = b->n_win, C = net->n_out, n_chunks = (b->n_seq + LC - 1) / LC;
    lsnn_flush_denormals();
    if (build_padded(&en->p, net) || (grads && reserve_chunks(en, net, n_chunks))) return -1;
    en->n_chunks = n_chunks;
    int n = en->n_threads < n_chunks ? en->n_threads : n_chunks;
    for (int t = 0; t < n; t++)
        if (LSNN_FN(lstm_work_reserve)(&en->work[t], b->n_steps, en->p.hp, en->p.gp, W,
                                       grads != NULL))
            return -1;
    double *logits = calloc((size_t)W * C + 1, sizeof(double));
    double *glogit = calloc((size_t)W * C + 1, sizeof(double));
    double *ce = calloc((size_t)W + 1, sizeof(double));
    int *correct = calloc((size_t)W + 1, sizeof(int)), rc = -1;
    if (!logits || !glogit || !ce || !correct) goto out;
    job j = {en, net, b, grads != NULL, logits, glogit, ce, correct};
    lsnn_parallel(n, work, &j);
    if (grads) sum_grads(en, net, grads);
    if (res) {
        memset(res, 0, sizeof *res);
        for (int k = 0; k < W; k++) {
            res->loss += ce[k];
            res->n_correct += correct[k];
        }
        res->n_win = W;
        if (W) res->loss /= W;
    }
    if (logits_out)
        for (size_t k = 0; k < (size_t)W * C; k++)
            logits_out[k] = (real)logits[k];
    rc = 0;
out:
    free(logits);
    free(glogit);
    free(ce);
    free(correct);
    return rc;
}
