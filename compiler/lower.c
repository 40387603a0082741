/* lower.c - programs reference cores with a placed network; its host map; the one-core host. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"
#include "ref_host.h"

static int program_tables(lsnn_ref_core *c, const lsnn_compiled *cc, const lsnn_cc_core *k,
                          lsnn_error *e)
{
    uint32_t S = (uint32_t)cc->cfg.synapses_per_word;
    for (int p = 0; p < cc->n_profiles; p++)
        if (lsnn_ref_set_profile(c, (uint32_t)p, &cc->profile[p], e)) return -1;
    for (uint32_t n = 0; n < k->nu; n++)
        if (lsnn_ref_set_ncfg(c, n, cc->ncfg[k->first + n], e) ||
            lsnn_ref_set_rix(c, n, &k->rix[n], e))
            return -1;
    for (uint32_t x = 0; x < k->xu; x++)
        if (lsnn_ref_set_axt(c, x, &k->axt[x], e)) return -1;
    for (uint32_t w = 0; w < k->n_words; w++)
        for (uint32_t j = 0; j < S; j++)
            if (lsnn_ref_set_syn(c, w, j, &k->lanes[(size_t)w * S + j], e)) return -1;
    for (uint32_t r = 0; r < k->n_rte; r++)
        if (lsnn_ref_set_rte(c, r, &k->rte[r], e)) return -1;
    return 0;
}

int lsnn_cc_program_core(lsnn_ref_core *core, const lsnn_compiled *cc, int i, lsnn_error *e)
{
    if (!cc->core || i < 0 || i >= cc->n_cores)
        return lsnn_fail(e, "program: core %d is not placed (%d cores)", i, cc->n_cores);
    if (!lsnn_hw_same_core(&core->cfg, &cc->cfg))
        return lsnn_fail(e,
                         "program: the core's config ('%s') differs from the compiled one ('%s')",
                         core->cfg.name, cc->cfg.name);
    const lsnn_cc_core *k = &cc->core[i];
    if (lsnn_ref_set_core_id(core, k->id, e) || lsnn_ref_set_nu(core, k->nu, e) ||
        lsnn_ref_set_xu(core, k->xu, e))
        return -1;
    if (program_tables(core, cc, k, e)) return lsnn_fail_prefix(e, "program core %u", k->id);
    lsnn_ref_state zero = {0};
    for (uint32_t n = 0; n < k->nu; n++)
        if (lsnn_ref_set_state(core, n, &zero, e)) return -1;
    return 0;
}

int lsnn_cc_program(lsnn_ref_core *core, const lsnn_compiled *cc, lsnn_error *e)
{
    if (cc->n_cores != 1)
        return lsnn_fail(e, "program: the network is placed on %d cores, not one", cc->n_cores);
    return lsnn_cc_program_core(core, cc, 0, e);
}

int lsnn_cc_make_cores(const lsnn_compiled *cc, lsnn_ref_core ***out, lsnn_error *e)
{
    lsnn_ref_core **cores = calloc((size_t)cc->n_cores + 1, sizeof *cores);
    if (!cores) return lsnn_fail(e, "out of memory");
    for (int i = 0; i < cc->n_cores; i++) {
        cores[i] = lsnn_ref_create(&cc->cfg, e);
        if (!cores[i] || lsnn_cc_program_core(cores[i], cc, i, e)) {
            for (int k = 0; k <= i; k++)
                lsnn_ref_free(cores[k]);
            free(cores);
            return -1;
        }
    }
    *out = cores;
    return 0;
}

int lsnn_cc_hostmap(const lsnn_compiled *cc, const char *model, lsnn_hostmap *m, lsnn_error *e)
{
    memset(m, 0, sizeof *m);
    snprintf(m->model, sizeof m->model, "%s", model);
    m->n_in = cc->n_in;
    m->n_rec = cc->n_rec;
    m->n_out = cc->n_out;
    m->acc_never_saturates = cc->report.acc_never_sat;
    for (int p = 0; p <= cc->n_pops; p++) {
        const lsnn_cc_pop *q = &cc->pops[p == cc->n_pops ? LSNN_CC_POP_READOUT : p];
        if (q->size == 0) continue;
        lsnn_hm_pop *h = &m->pops[m->n_pops++];
        snprintf(h->name, sizeof h->name, "%s", q->name);
        h->readout = p == cc->n_pops;
        h->first = (uint32_t)q->first;
        h->size = (uint32_t)q->size;
        h->e = q->e;
    }
    m->place = calloc((size_t)cc->n_cores, sizeof *m->place);
    m->inputs = calloc((size_t)cc->n_cores, sizeof *m->inputs);
    m->bias = calloc((size_t)cc->n_out + 1, sizeof *m->bias);
    if (!m->place || !m->inputs || !m->bias) {
        lsnn_hostmap_free(m);
        return lsnn_fail(e, "out of memory");
    }
    for (int c = 0; c < cc->n_cores; c++) {
        const lsnn_cc_core *k = &cc->core[c];
        m->place[m->n_place++] = (lsnn_hm_place){k->id, k->first, k->size, 0};
        if (k->in_base != LSNN_CC_NO_BLOCK)
            m->inputs[m->n_inputs++] = (lsnn_hm_input){k->id, k->in_base};
    }
    m->e_r = cc->e_r;
    memcpy(m->bias, cc->bias, (size_t)cc->n_out * sizeof *m->bias);
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

/* Records step t's recurrent state (t < T) into the trace after each tick. */
typedef struct {
    const lsnn_hostmap *m;
    lsnn_cc_trace *tr;
} recorder;

static void record(void *ctx, int seq, int t, const lsnn_host_engine *en)
{
    recorder *rc = ctx;
    (void)seq;
    if (t >= rc->tr->T) return;
    for (int n = 0; n < rc->m->n_rec; n++) {
        lsnn_ref_state st;
        lsnn_host_state(en, rc->m, n, &st);
        size_t i = (size_t)t * rc->m->n_rec + n;
        rc->tr->z[i] = (uint8_t)st.z;
        rc->tr->v[i] = st.v;
        rc->tr->a[i] = st.a;
    }
}

int lsnn_cc_run_sequence(lsnn_ref_core *core, const lsnn_compiled *cc, const lsnn_batch *batch,
                         int seq, lsnn_cc_trace *tr, lsnn_error *e)
{
    int T = batch->n_steps, rc = -1;
    if (tr->T != T || tr->n_rec != cc->n_rec || tr->n_out != cc->n_out)
        return lsnn_fail(e, "run: trace sized for %d steps, %d + %d neurons; batch has %d steps",
                         tr->T, tr->n_rec, tr->n_out, T);
    if (cc->n_cores != 1)
        return lsnn_fail(e, "run: the network is placed on %d cores, not one", cc->n_cores);
    lsnn_hostmap m;
    lsnn_host_result res;
    lsnn_image one = {0};
    lsnn_ref_chip *chip = lsnn_ref_chip_wrap(&core, 1, e);
    if (!chip) return -1;
    if (lsnn_cc_hostmap(cc, "model.yaml", &m, e)) goto out_chip;
    /* lsnn_hostmap_check needs only the core ids, NU and XU of the image */
    lsnn_image_core ic = {.core_id = core->core_id, .nu = core->nu, .xu = core->xu};
    one.ncores = 1;
    one.cores = &ic;
    if (lsnn_hostmap_check(&m, &one, e) ||
        lsnn_host_result_alloc(&res, T, cc->n_out, tr->n_win) != 0)
        goto out_map;
    recorder r = {&m, tr};
    if (lsnn_host_run_sequence(chip, &m, batch, seq, record, &r, &res, e) == 0) {
        size_t WC = (size_t)res.n_win * cc->n_out;
        memcpy(tr->r, res.r, (size_t)T * cc->n_out * sizeof *tr->r);
        memcpy(tr->sum, res.sum, WC * sizeof *tr->sum);
        memcpy(tr->score, res.score, WC * sizeof *tr->score);
        memcpy(tr->logit, res.logit, WC * sizeof *tr->logit);
        memcpy(tr->pred, res.pred, (size_t)res.n_win * sizeof *tr->pred);
        tr->spikes = res.spikes;
        rc = 0;
    }
    lsnn_host_result_free(&res);
out_map:
    lsnn_hostmap_free(&m);
out_chip:
    lsnn_ref_chip_free(chip);
    return rc;
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
    lsnn_cc_note_silence(cc, batch->n_seq, float_spikes, spikes);
    return 0;
}

void lsnn_cc_note_silence(lsnn_compiled *cc, int n_seq, double float_spikes, long fixed_spikes)
{
    cc->report.silence_checked = 1;
    cc->report.silent = fixed_spikes == 0 && float_spikes > 0;
    if (cc->report.silent)
        cc_log(&cc->report,
               "warning: the quantised network is silent on %d sequences (float: %.0f spikes)",
               n_seq, float_spikes);
}
