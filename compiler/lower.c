/* lower.c - programs a reference core with a placed network and drives it as the host of §6. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"

/* The core keys of two configs agree (the image fits the core). */
static int same_core(const lsnn_hw_config *a, const lsnn_hw_config *b)
{
    return a->neurons == b->neurons && a->axons == b->axons &&
           a->synapse_words == b->synapse_words && a->synapses_per_word == b->synapses_per_word &&
           a->delay_slots == b->delay_slots && a->profiles == b->profiles &&
           a->route_entries == b->route_entries && a->weight_bits == b->weight_bits &&
           a->v_bits == b->v_bits && a->acc_bits == b->acc_bits &&
           a->a_frac_bits == b->a_frac_bits && a->ref_bits == b->ref_bits &&
           a->decay_bits == b->decay_bits;
}

static int program_tables(lsnn_ref_core *c, const lsnn_compiled *cc, lsnn_error *e)
{
    uint32_t S = (uint32_t)cc->cfg.synapses_per_word;
    for (int p = 0; p < cc->n_profiles; p++)
        if (lsnn_ref_set_profile(c, (uint32_t)p, &cc->profile[p], e)) return -1;
    for (uint32_t n = 0; n < cc->nu; n++)
        if (lsnn_ref_set_ncfg(c, n, cc->ncfg[n], e) || lsnn_ref_set_rix(c, n, &cc->rix[n], e))
            return -1;
    for (uint32_t x = 0; x < cc->xu; x++)
        if (lsnn_ref_set_axt(c, x, &cc->axt[x], e)) return -1;
    for (uint32_t w = 0; w < cc->n_words; w++)
        for (uint32_t j = 0; j < S; j++)
            if (lsnn_ref_set_syn(c, w, j, &cc->lanes[(size_t)w * S + j], e)) return -1;
    for (uint32_t r = 0; r < cc->n_rte; r++)
        if (lsnn_ref_set_rte(c, r, &cc->rte[r], e)) return -1;
    return 0;
}

int lsnn_cc_program(lsnn_ref_core *core, const lsnn_compiled *cc, lsnn_error *e)
{
    if (!cc->axt) return lsnn_fail(e, "program: the network is not placed");
    if (!same_core(&core->cfg, &cc->cfg))
        return lsnn_fail(e,
                         "program: the core's config ('%s') differs from the compiled one ('%s')",
                         core->cfg.name, cc->cfg.name);
    if (lsnn_ref_set_core_id(core, 0, e) || lsnn_ref_set_nu(core, cc->nu, e) ||
        lsnn_ref_set_xu(core, cc->xu, e))
        return -1;
    if (program_tables(core, cc, e)) return lsnn_fail_prefix(e, "program");
    lsnn_ref_state zero = {0};
    for (uint32_t n = 0; n < cc->nu; n++)
        if (lsnn_ref_set_state(core, n, &zero, e)) return -1;
    return 0;
}

int lsnn_cc_trace_alloc(lsnn_cc_trace *tr, const lsnn_compiled *cc, int T, int n_win)
{
    size_t TN = (size_t)T * cc->n_rec + 1, TC = (size_t)T * cc->n_out + 1,
           WC = (size_t)n_win * cc->n_out + 1;
    memset(tr, 0, sizeof *tr);
    tr->T = T;
    tr->n_rec = cc->n_rec;
    tr->n_out = cc->n_out;
    tr->n_win = n_win;
    tr->z = calloc(TN, 1);
    tr->v = calloc(TN, sizeof *tr->v);
    tr->a = calloc(TN, sizeof *tr->a);
    tr->r = calloc(TC, sizeof *tr->r);
    tr->sum = calloc(WC, sizeof *tr->sum);
    tr->score = calloc(WC, sizeof *tr->score);
    tr->logit = calloc(WC, sizeof *tr->logit);
    tr->pred = calloc((size_t)n_win + 1, sizeof *tr->pred);
    if (tr->z && tr->v && tr->a && tr->r && tr->sum && tr->score && tr->logit && tr->pred) return 0;
    lsnn_cc_trace_free(tr);
    return -1;
}

void lsnn_cc_trace_free(lsnn_cc_trace *tr)
{
    free(tr->z);
    free(tr->v);
    free(tr->a);
    free(tr->r);
    free(tr->sum);
    free(tr->score);
    free(tr->logit);
    free(tr->pred);
    memset(tr, 0, sizeof *tr);
}

/* After tick t: the recurrent state of step t (t < T) and the readouts r_{t-1} (t >= 1). */
static void record(const lsnn_ref_core *c, const lsnn_compiled *cc, lsnn_cc_trace *tr, int t)
{
    if (t < tr->T)
        for (int n = 0; n < cc->n_rec; n++) {
            size_t i = (size_t)t * cc->n_rec + n;
            tr->z[i] = (uint8_t)c->state[n].z;
            tr->v[i] = c->state[n].v;
            tr->a[i] = c->state[n].a;
            tr->spikes += c->state[n].z;
        }
    if (t >= 1)
        for (int k = 0; k < cc->n_out; k++)
            tr->r[(size_t)(t - 1) * cc->n_out + k] = c->state[cc->readout_slot[k]].v;
}

/* §6: the window [s, e) -> sums, scores, logits, prediction (row w of tr). */
static void score_window(const lsnn_compiled *cc, lsnn_cc_trace *tr, int w, int s, int end)
{
    int C = cc->n_out, L = end - s, best = 0;
    for (int k = 0; k < C; k++) {
        int64_t sum = 0;
        for (int t = s; t < end; t++)
            sum += tr->r[(size_t)t * C + k];
        size_t i = (size_t)w * C + k;
        tr->sum[i] = sum;
        tr->score[i] = sum + (int64_t)L * cc->bias[k];
        tr->logit[i] = ldexp((double)tr->score[i] / L, -cc->e_r);
        if (tr->score[i] > tr->score[(size_t)w * C + best]) best = k;
    }
    tr->pred[w] = best;
}

int lsnn_cc_run_sequence(lsnn_ref_core *core, const lsnn_compiled *cc, const lsnn_batch *batch,
                         int seq, lsnn_cc_trace *tr, lsnn_error *e)
{
    int T = batch->n_steps, nw = 0;
    if (tr->T != T || tr->n_rec != cc->n_rec || tr->n_out != cc->n_out)
        return lsnn_fail(e, "run: trace sized for %d steps, %d + %d neurons; batch has %d steps",
                         tr->T, tr->n_rec, tr->n_out, T);
    if (batch->n_in != cc->n_in || seq < 0 || seq >= batch->n_seq)
        return lsnn_fail(e, "run: batch of %d channels (compiled: %d), sequence %d of %d",
                         batch->n_in, cc->n_in, seq, batch->n_seq);
    for (int w = 0; w < batch->n_win; w++)
        nw += batch->win[w].seq == seq;
    if (nw > tr->n_win)
        return lsnn_fail(e, "run: sequence %d has %d windows; the trace holds %d", seq, nw,
                         tr->n_win);
    tr->spikes = 0;
    lsnn_ref_clear(core, NULL, NULL);
    for (int t = 0; t <= T; t++) {
        if (t < T) {
            size_t cell = (size_t)seq * T + t;
            for (uint32_t k = batch->in_ptr[cell]; k < batch->in_ptr[cell + 1]; k++)
                lsnn_ref_event(core, cc->in_axon[batch->in_idx[k]]);
        }
        lsnn_ref_tick(core, NULL, NULL);
        record(core, cc, tr, t);
    }
    nw = 0;
    for (int w = 0; w < batch->n_win; w++)
        if (batch->win[w].seq == seq)
            score_window(cc, tr, nw++, batch->win[w].start, batch->win[w].end);
    return 0;
}

int lsnn_cc_check_silence(lsnn_ref_core *core, lsnn_compiled *cc, const lsnn_batch *batch,
                          double float_spikes, lsnn_error *e)
{
    lsnn_cc_trace tr;
    long spikes = 0;
    if (lsnn_cc_trace_alloc(&tr, cc, batch->n_steps, batch->n_win))
        return lsnn_fail(e, "out of memory");
    for (int s = 0; s < batch->n_seq; s++) {
        if (lsnn_cc_run_sequence(core, cc, batch, s, &tr, e)) {
            lsnn_cc_trace_free(&tr);
            return -1;
        }
        spikes += tr.spikes;
    }
    lsnn_cc_trace_free(&tr);
    cc->report.silence_checked = 1;
    cc->report.silent = spikes == 0 && float_spikes > 0;
    if (cc->report.silent)
        cc_log(&cc->report,
               "warning: the quantised network is silent on %d sequences (float: %.0f spikes)",
               batch->n_seq, float_spikes);
    return 0;
}
