/* cli_calibrate.c - compile's calibration: a silent or saturating quantised network is a
 * warning, not an error. */
#include "cli_calibrate.h"

#include <stdio.h>
#include <string.h>

#include "eval.h"
#include "ref_core.h"
#include "task.h"

void cli_calibrate(const lsnn_spec *spec, const lsnn_net *net, cli_fixed *fx, lsnn_compiled *cc,
                   int n, cli_calibration *cal)
{
    lsnn_task *task = NULL;
    lsnn_engine *en = NULL;
    lsnn_error e;
    lsnn_eval_result fr;
    cli_fixed_result xr;
    memset(cal, 0, sizeof *cal);
    memset(&xr, 0, sizeof xr);
    if (n <= 0) return;
    if (lsnn_task_open(spec, &task, &e) || !(en = lsnn_engine_new(2)) ||
        lsnn_evaluate(en, spec, net, task, n, spec->batch_size, &fr, &e) ||
        cli_run_task(fx, task, n, spec->batch_size, NULL, &xr, &e)) {
        snprintf(cal->skipped, sizeof cal->skipped, "%s", en ? e.msg : "out of memory");
    } else {
        double neuron_s = (double)xr.steps * fx->hm.n_rec * spec->dt_ms * 1e-3;
        cal->done = 1;
        cal->n_seq = xr.n_seq;
        cal->float_hz = fr.mean_rate_hz;
        cal->fixed_hz = neuron_s > 0 ? xr.spikes / neuron_s : 0;
        const int sat[4] = {LSNN_REF_SAT_ACC, LSNN_REF_SAT_V, LSNN_REF_SAT_R, LSNN_REF_SAT_A};
        for (int i = 0; i < 4; i++)
            cal->sat[i] = lsnn_ref_chip_counter(fx->chip, sat[i]);
        lsnn_cc_note_silence(cc, xr.n_seq, fr.mean_rate_hz * neuron_s, xr.spikes);
    }
    lsnn_engine_free(en);
    lsnn_task_close(task);
}

uint64_t cli_cal_saturations(const cli_calibration *c)
{
    return c->sat[0] + c->sat[1] + c->sat[2] + c->sat[3];
}
