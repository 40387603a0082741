/* cli_lstm.c - LSTM runs in lsnn eval and lsnn energy, and the refusal of the neurocore
 * commands. */
#include "cli_lstm.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_energy.h"
#include "cli_util.h"
#include "folder.h"
#include "lsnn_fixed.h"
#include "lstm_eval.h"
#include "lstm_model.h"
#include "progress.h"
#include "task.h"

int cli_is_lstm_run(const char *dir)
{
    char path[4096];
    lsnn_spec s;
    lsnn_error e;
    snprintf(path, sizeof path, "%s/model.yaml", dir);
    return !cli_is_image(dir) && access(path, R_OK) == 0 && lsnn_spec_load(path, &s, &e) == 0 &&
           s.network == LSNN_NET_LSTM;
}

int cli_refuse_lstm(const char *cmd, const char *dir)
{
    if (!cli_is_lstm_run(dir)) return 0;
    fprintf(stderr,
            "lsnn %s: %s holds an LSTM (network.kind lstm): it runs in float only (lsnn eval %s; "
            "lsnn energy IMAGE --lstm %s prices it); compile, run and verify take LSNNs\n",
            cmd, dir, dir, dir);
    return -1;
}

int cli_load_lstm(const char *cmd, const char *dir, lsnn_spec *spec, lsnn_lstm *net)
{
    char spec_path[4096], weights[4096];
    lsnn_error e;
    snprintf(spec_path, sizeof spec_path, "%s/model.yaml", dir);
    snprintf(weights, sizeof weights, "%s/weights.safetensors", dir);
    memset(net, 0, sizeof *net);
    if (lsnn_folder_expect(dir, LSNN_FOLDER_RUN, &e) || lsnn_spec_load(spec_path, spec, &e) ||
        lsnn_lstm_model_load(weights, spec, net, NULL, NULL, NULL, 0, &e)) {
        fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg);
        return -1;
    }
    cli_find_data(spec);
    return 0;
}

/* The float test error of net over the first `samples` test sequences (0: all). */
static int test_error(const char *cmd, const lsnn_spec *spec, const lsnn_lstm *net, lsnn_task *task,
                      long samples, long threads, int quiet, lsnn_lstm_eval_result *r)
{
    lsnn_error e;
    int total = lsnn_task_test_count(task);
    if (samples > 0 && samples < total) total = (int)samples;
    char what[64];
    snprintf(what, sizeof what, "lsnn %s: LSTM, test sequence", cmd);
    lsnn_progress p;
    lsnn_progress_begin(&p, what, total, lsnn_progress_mode(quiet));
    lsnn_lstm_engine *en = lsnn_lstm_engine_new((int)threads);
    int failed = !en || lsnn_lstm_evaluate(en, net, task, LSNN_SPLIT_TEST, (int)samples,
                                           spec->batch_size, &p, r, &e);
    lsnn_progress_end(&p);
    lsnn_lstm_engine_free(en);
    if (failed) fprintf(stderr, "lsnn %s: %s\n", cmd, en ? e.msg : "out of memory");
    return failed ? -1 : 0;
}

int cli_eval_lstm(const char *dir, long samples, long threads, int json, int quiet)
{
    lsnn_spec spec;
    lsnn_lstm net;
    lsnn_task *task = NULL;
    lsnn_error e;
    lsnn_lstm_eval_result r;
    if (cli_load_lstm("eval", dir, &spec, &net)) return 1;
    int rc = 1;
    if (lsnn_task_open(&spec, &task, &e)) {
        fprintf(stderr, "lsnn eval: %s\n", e.msg);
        goto out;
    }
    if (test_error("eval", &spec, &net, task, samples, threads, quiet, &r)) goto out;
    long params = lsnn_lstm_model_n_params(&spec);
    const char *metric = lsnn_task_metric(task);
    if (json) {
        printf("{\"run\": ");
        cli_json_string(stdout, dir);
        printf(", \"model\": \"%s\", \"network\": \"lstm\", \"inputs\": %d, \"hidden\": %d, "
               "\"params\": %ld, \"split\": \"test\", \"sequences\": %d, \"windows\": %d, "
               "\"metric\": \"%s\", \"error\": %.6f, \"accuracy\": %.6f, \"loss\": %.6f}\n",
               spec.name, spec.n_in, spec.hidden, params, r.n_seq, r.n_win, metric, r.error,
               1 - r.error, r.loss);
    } else {
        printf("model %s: LSTM, %d input%s, %d hidden units, %d readouts, %ld parameters\n",
               spec.name, spec.n_in, spec.n_in == 1 ? "" : "s", spec.hidden, spec.n_out, params);
        printf("test split: %d sequences, %d scored windows\n", r.n_seq, r.n_win);
        printf("%s: %.2f %% (accuracy %.2f %%), loss %.4f (float)\n", metric, 100 * r.error,
               100 * (1 - r.error), r.loss);
    }
    rc = 0;
out:
    lsnn_task_close(task);
    lsnn_lstm_free(&net);
    return rc;
}

int cli_lstm_for_energy(const char *cmd, const char *dir, int samples, int threads, int quiet,
                        cli_lstm_run *out)
{
    lsnn_lstm net;
    lsnn_task *task = NULL;
    lsnn_error e;
    memset(out, 0, sizeof *out);
    if (!cli_is_lstm_run(dir)) {
        fprintf(stderr, "lsnn %s: --lstm %s: not a run folder of an LSTM (network.kind lstm)\n",
                cmd, dir);
        return -1;
    }
    if (cli_load_lstm(cmd, dir, &out->spec, &net)) return -1;
    int rc = -1;
    if (lsnn_task_open(&out->spec, &task, &e)) {
        fprintf(stderr, "lsnn %s: --lstm %s: %s\n", cmd, dir, e.msg);
        goto done;
    }
    out->params = lsnn_lstm_model_n_params(&out->spec);
    out->steps = lsnn_task_n_steps(task);
    int from_eval = cli_energy_eval_accuracy(dir, &out->acc, &out->acc_n, &e);
    if (from_eval < 0) {
        fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg);
        goto done;
    }
    if (from_eval) {
        snprintf(out->source, sizeof out->source, "%s/eval.json, float", dir);
    } else {
        lsnn_lstm_eval_result r;
        if (test_error(cmd, &out->spec, &net, task, samples, threads, quiet, &r)) goto done;
        out->acc = 1 - r.error;
        out->acc_n = r.n_win;
        snprintf(out->source, sizeof out->source, "%s, float, this run", dir);
    }
    rc = 0;
done:
    lsnn_task_close(task);
    lsnn_lstm_free(&net);
    return rc;
}
