/* ref_host.c - streams a batch's sequences through a chip and scores its readout windows. */
#include "ref_host.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int lsnn_host_result_alloc(lsnn_host_result *r, int T, int n_out, int cap_win)
{
    size_t TC = (size_t)T * n_out + 1, WC = (size_t)cap_win * n_out + 1;
    memset(r, 0, sizeof *r);
    r->T = T;
    r->n_out = n_out;
    r->cap_win = cap_win;
    r->r = calloc(TC, sizeof *r->r);
    r->label = calloc((size_t)cap_win + 1, sizeof *r->label);
    r->sum = calloc(WC, sizeof *r->sum);
    r->score = calloc(WC, sizeof *r->score);
    r->logit = calloc(WC, sizeof *r->logit);
    r->pred = calloc((size_t)cap_win + 1, sizeof *r->pred);
    r->target = calloc((size_t)cap_win + 1, sizeof *r->target);
    if (r->r && r->label && r->sum && r->score && r->logit && r->pred && r->target) return 0;
    lsnn_host_result_free(r);
    return -1;
}

void lsnn_host_result_free(lsnn_host_result *r)
{
    free(r->r);
    free(r->label);
    free(r->sum);
    free(r->score);
    free(r->logit);
    free(r->pred);
    free(r->target);
    memset(r, 0, sizeof *r);
}

void lsnn_host_state(const lsnn_target *en, const lsnn_hostmap *m, int g, lsnn_ref_state *out)
{
    en->state(en->ctx, m->core_index[g], m->local[g], out);
}

static int index_of(const lsnn_target *en, uint32_t id)
{
    for (int i = 0; i < en->ncores; i++)
        if (en->core_id[i] == id) return i;
    return -1;
}

/* §6: window w = [s, end) -> sums, scores, logits, prediction. */
static void score_window(const lsnn_hostmap *m, lsnn_host_result *r, int w, int s, int end)
{
    int C = m->n_out, L = end - s, best = 0;
    for (int k = 0; k < C; k++) {
        int64_t sum = 0;
        for (int t = s; t < end; t++)
            sum += r->r[(size_t)t * C + k];
        size_t i = (size_t)w * C + k;
        r->sum[i] = sum;
        r->score[i] = sum + (int64_t)L * m->bias[k];
        r->logit[i] = ldexp((double)r->score[i] / L, -m->e_r);
        if (r->score[i] > r->score[(size_t)w * C + best]) best = k;
    }
    r->pred[w] = best;
}

int lsnn_host_run(const lsnn_target *en, const lsnn_hostmap *m, const lsnn_batch *batch, int seq,
                  lsnn_host_tick_fn fn, void *ctx, lsnn_host_result *res, lsnn_error *e)
{
    int T = batch->n_steps, nw = 0;
    int in_core[LSNN_HW_MAX_CORES];
    if (batch->n_in != m->n_in)
        return lsnn_fail(e, "the input has %d channels; the image's network has %d", batch->n_in,
                         m->n_in);
    if (seq < 0 || seq >= batch->n_seq || res->T != T || res->n_out != m->n_out)
        return lsnn_fail(e,
                         "host: sequence %d of %d, %d steps (result sized for %d steps, %d "
                         "readouts; network %d)",
                         seq, batch->n_seq, T, res->T, res->n_out, m->n_out);
    for (int w = 0; w < batch->n_win; w++)
        nw += batch->win[w].seq == seq;
    if (nw > res->cap_win)
        return lsnn_fail(e, "host: sequence %d has %d windows; the result holds %d", seq, nw,
                         res->cap_win);
    for (int i = 0; i < m->n_inputs; i++)
        if ((in_core[i] = index_of(en, m->inputs[i].core)) < 0)
            return lsnn_fail(e, "host: the engine has no core %u", m->inputs[i].core);
    res->spikes = 0;
    if (en->clear(en->ctx, e)) return -1;
    lsnn_ref_state st;
    for (int t = 0; t <= T; t++) {
        if (t < T) {
            size_t cell = (size_t)seq * T + t;
            for (uint32_t k = batch->in_ptr[cell]; k < batch->in_ptr[cell + 1]; k++)
                for (int i = 0; i < m->n_inputs; i++)
                    if (en->event(en->ctx, in_core[i], m->inputs[i].axon_base + batch->in_idx[k],
                                  e))
                        return -1;
        }
        if (en->tick(en->ctx, e)) return -1;
        if (t < T)
            for (int g = 0; g < m->n_rec; g++) {
                lsnn_host_state(en, m, g, &st);
                res->spikes += st.z;
            }
        if (t >= 1)
            for (int k = 0; k < m->n_out; k++) {
                lsnn_host_state(en, m, m->n_rec + k, &st);
                res->r[(size_t)(t - 1) * m->n_out + k] = st.v;
            }
        if (fn) fn(ctx, seq, t, en);
    }
    res->n_win = 0;
    for (int w = 0; w < batch->n_win; w++)
        if (batch->win[w].seq == seq) {
            res->label[res->n_win] = batch->win[w].label;
            res->target[res->n_win] = batch->win[w].target;
            score_window(m, res, res->n_win++, batch->win[w].start, batch->win[w].end);
        }
    return 0;
}

int lsnn_host_run_sequence(lsnn_ref_chip *chip, const lsnn_hostmap *m, const lsnn_batch *batch,
                           int seq, lsnn_host_tick_fn fn, void *ctx, lsnn_host_result *res,
                           lsnn_error *e)
{
    lsnn_target en;
    lsnn_target_ref(chip, 0, &en);
    return lsnn_host_run(&en, m, batch, seq, fn, ctx, res, e);
}

int lsnn_host_run_batch(const lsnn_target *en, const lsnn_hostmap *m, const lsnn_batch *b, int seq0,
                        const lsnn_host_hooks *h, lsnn_host_totals *t, lsnn_error *e)
{
    lsnn_host_result res;
    if (lsnn_host_result_alloc(&res, b->n_steps, m->n_out, b->n_win))
        return lsnn_fail(e, "out of memory for %d steps", b->n_steps);
    int rc = 0;
    for (int q = 0; q < b->n_seq && rc == 0; q++) {
        rc = lsnn_host_run(en, m, b, q, h ? h->tick : NULL, h ? h->tick_ctx : NULL, &res, e);
        if (rc) break;
        for (int w = 0; w < res.n_win; w++) {
            if (b->loss == LSNN_LOSS_MSE) {
                double err = res.logit[(size_t)w * m->n_out + res.label[w]] - res.target[w];
                t->sq_err += err * err;
            } else {
                t->n_correct += lsnn_batch_correct(b, res.pred[w], res.label[w]);
            }
        }
        t->n_win += res.n_win;
        t->regression |= b->loss == LSNN_LOSS_MSE && res.n_win > 0;
        t->spikes += res.spikes;
        t->steps += b->n_steps;
        t->n_seq++;
        if (h && h->seq_done) h->seq_done(h->seq_ctx, seq0 + q, b, q, &res);
    }
    lsnn_host_result_free(&res);
    return rc;
}

int lsnn_host_run_task(const lsnn_target *en, const lsnn_hostmap *m, lsnn_task *task, int max_seq,
                       int batch, const lsnn_host_hooks *h, lsnn_host_totals *t, lsnn_error *e)
{
    int total = lsnn_task_test_count(task), rc = 0;
    if (max_seq > 0 && max_seq < total) total = max_seq;
    lsnn_batch b;
    memset(&b, 0, sizeof b);
    for (int first = 0; first < total && rc == 0; first += batch) {
        int n = total - first < batch ? total - first : batch;
        rc = lsnn_task_test_batch(task, first, n, &b, e) ||
             lsnn_host_run_batch(en, m, &b, first, h, t, e);
    }
    lsnn_batch_free(&b);
    return rc ? -1 : 0;
}
