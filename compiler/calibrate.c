/* calibrate.c - the quantised network run on the reference chip beside the float network:
 * per-step traces for tests, the silence verdict, and compile's calibration (§13). */
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"
#include "eval.h"
#include "ref_chip.h"
#include "ref_host.h"
#include "task.h"

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

static void record(void *ctx, int seq, int t, const lsnn_target *en)
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

/* The calibration's progress: n sequences on the float network, then n on the chip. */
static void chip_seq_done(void *ctx, int seq, const lsnn_batch *b, int q, const lsnn_host_result *r)
{
    lsnn_progress *p = ctx;
    (void)b, (void)q, (void)r;
    lsnn_progress_step(p, p->total / 2 + seq + 1, "reference chip");
}

void lsnn_cc_calibrate(const lsnn_spec *spec, const lsnn_net *net, lsnn_cc_build_result *b, int n,
                       int progress)
{
    lsnn_cc_calibration *cal = &b->cal;
    lsnn_task *task = NULL;
    lsnn_engine *en = NULL;
    lsnn_ref_chip *chip = NULL;
    lsnn_target target;
    lsnn_error e;
    lsnn_eval_result fr;
    lsnn_host_totals t = {0};
    lsnn_progress p;
    memset(cal, 0, sizeof *cal);
    if (n <= 0) return;
    int opened = !lsnn_task_open(spec, &task, &e);
    if (opened && n > lsnn_task_test_count(task)) n = lsnn_task_test_count(task);
    lsnn_progress_begin(&p, "lsnn compile: calibration, sequence", 2L * n, progress);
    lsnn_host_hooks h = {NULL, NULL, chip_seq_done, &p};
    if (!opened || !(en = lsnn_engine_new(2)) ||
        lsnn_evaluate_progress(en, spec, net, task, n, spec->batch_size, &p, &fr, &e) ||
        !(chip = lsnn_ref_chip_from_image(&b->img, &e)) ||
        (lsnn_target_ref(chip, 0, &target),
         lsnn_host_run_task(&target, &b->hm, task, n, spec->batch_size, &h, &t, &e))) {
        snprintf(cal->skipped, sizeof cal->skipped, "%s", opened && !en ? "out of memory" : e.msg);
    } else {
        double neuron_s = (double)t.steps * b->hm.n_rec * spec->dt_ms * 1e-3;
        cal->done = 1;
        cal->n_seq = t.n_seq;
        cal->float_hz = fr.mean_rate_hz;
        cal->fixed_hz = neuron_s > 0 ? t.spikes / neuron_s : 0;
        const int sat[4] = {LSNN_REF_SAT_ACC, LSNN_REF_SAT_V, LSNN_REF_SAT_R, LSNN_REF_SAT_A};
        for (int i = 0; i < 4; i++)
            cal->sat[i] = lsnn_ref_chip_counter(chip, sat[i]);
        lsnn_cc_note_silence(&b->cc, t.n_seq, fr.mean_rate_hz * neuron_s, t.spikes);
    }
    lsnn_progress_end(&p);
    lsnn_ref_chip_free(chip);
    lsnn_engine_free(en);
    lsnn_task_close(task);
}
