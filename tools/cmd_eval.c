/* cmd_eval.c - `lsnn eval`: test accuracy, firing rates and connectivity of a trained model, in
 * float or also on the fixed-point reference core. */
#include <stdio.h>

#include "cli_lstm.h"
#include "cli_model.h"
#include "cli_nav.h"
#include "cli_opts.h"
#include "cli_trial_curve.h"
#include "commands.h"
#include "compiler.h"
#include "deepr.h"
#include "eval.h"
#include "lsnn_fixed.h"
#include "progress.h"
#include "report_eval.h"
#include "task.h"

/* A second usage line: eval on an image runs it (eval_image). */
static const char also[] =
    "lsnn eval IMAGE_DIR [--samples N] [--json] [--quiet]   (the same as lsnn run IMAGE_DIR)";

/* The paragraph of lsnn eval --help between the usage and the options. */
static const char about[] =
    "Runs the trained model in RUN_DIR (model.yaml + weights.safetensors) on the test split of\n"
    "its task and reports the error (recall error for store-recall, test error for sMNIST),\n"
    "the firing rate of each population and the connectivity: active / possible connections\n"
    "of w_in, w_rec, w_out and in total, and the fraction of excitatory active weights.\n"
    "An LSTM run (network.kind lstm) is scored in float: its test error and loss.\n"
    "A regression task (l2l) reports the MSE instead, overall and by trial (trial 1,\n"
    "trials 2-7, trials 8+), for the float network and, with --engine ref, the fixed one.\n";

/* An image holds only the fixed-point network: eval runs it as lsnn run does. */
static int eval_image(const char *dir, int hw, long weight_bits, long samples, int json, int quiet)
{
    if (hw || weight_bits)
        return fprintf(stderr,
                       "lsnn eval: %s is a compiled image; --hw, --weight-bits and --exponents "
                       "apply to a run directory\n",
                       dir),
               2;
    char n[32];
    snprintf(n, sizeof n, "%ld", samples);
    char *args[6] = {"run", (char *)dir, "--samples", n, NULL, NULL};
    int argc = 4;
    if (json) args[argc++] = "--json";
    if (quiet) args[argc++] = "--quiet";
    return cmd_run(argc, args);
}

int cmd_eval(int argc, char **argv)
{
    const char *dir = NULL, *hw = NULL, *trial_curve = NULL;
    int json = 0, ref = 0, split = 0, quiet = 0, exponents = -1;
    long threads = 2, samples = 0, weight_bits = 0;
    const cli_arg args[] = {{"RUN_DIR", &dir, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_CHOICE("--engine", &ref, "float|ref",
                    "float: the float network (default); ref: also compile it onto the\n"
                    "neurocores (as lsnn compile does) and run the same test sequences\n"
                    "on the fixed-point reference runtime; reports both accuracies")},
        {CLI_STR("--hw", &hw, "FILE",
                 "hardware config for --engine ref (default: " LSNN_CLI_DEFAULT_HW ",\n"
                 "or the built-in default core if that file does not exist)")},
        {CLI_INT("--weight-bits", &weight_bits, "N", 2, 16,
                 "override core.weight_bits (W, 2..16) for --engine ref")},
        {CLI_CHOICE("--exponents", &exponents, "max|mse",
                    "the weight-exponent rule for --engine ref (as lsnn compile\n"
                    "--exponents; default " LSNN_WEXP_DEFAULT_NAME ")")},
        {CLI_CHOICE("--split", &split, "test",
                    "the split to evaluate (only the test split exists for now)")},
        {CLI_INT("--samples", &samples, "N", 1, 100000000L,
                 "evaluate only the first N test sequences")},
        {CLI_INT("--threads", &threads, "N", 1, 64, "worker threads (default 2)")},
        {CLI_STR("--trial-curve", &trial_curve, "CSV",
                 "regression tasks (l2l): write the float network's MSE by trial\n"
                 "index as CSV (trial,mse,episodes)")},
        {CLI_FLAG("--json", &json, "print one JSON object instead of text")},
        {CLI_FLAG("--quiet", &quiet, "no progress on stderr")},
        {0},
    };
    const cli_cmd cmd = {"eval", args, opts, also, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    if (cli_is_image(dir) && trial_curve)
        return fprintf(stderr,
                       "lsnn eval: %s is a compiled image: use lsnn run %s "
                       "--trial-curve CSV\n",
                       dir, dir),
               2;
    if (cli_is_image(dir))
        return eval_image(dir, hw || exponents >= 0, weight_bits, samples, json, quiet);
    if (cli_is_lstm_run(dir)) { /* an LSTM runs in float only */
        if (ref || hw || weight_bits || exponents >= 0 || trial_curve)
            return cli_refuse_lstm("eval --engine ref", dir), 2;
        return cli_eval_lstm(dir, samples, threads, json, quiet);
    }
    if (!ref && (hw || weight_bits || exponents >= 0))
        return fprintf(stderr,
                       "lsnn eval: --hw, --weight-bits and --exponents need --engine ref\n"),
               2;
    lsnn_cc_options copt;
    lsnn_cc_default_options(&copt);
    copt.wexp_rule = exponents < 0 ? LSNN_WEXP_DEFAULT : exponents + 1;
    lsnn_error e;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_task *task = NULL;
    lsnn_engine *en = NULL;
    lsnn_hw_config cfg;
    lsnn_compiled cc = {0};
    cli_fixed fixed = {0};
    cli_fixed_result fx = {0};
    lsnn_eval_result r;
    lsnn_connectivity conn;
    lsnn_window_curve curve = {0}, fixed_curve = {0};
    int regression = 0;
    rc = 1;
    if (cli_load_model("eval", dir, &spec, &net, &dr)) return 1;
    if (lsnn_task_open(&spec, &task, &e)) {
        fprintf(stderr, "lsnn eval: %s\n", e.msg);
        goto out;
    }
    if (ref && (cli_load_hw("eval", hw, (int)weight_bits, &cfg) ||
                cli_compile("eval", &spec, &net, &cfg, &copt, &cc, &fixed)))
        goto out;
    regression = lsnn_task_regression(task);
    if (trial_curve && !regression) {
        fprintf(stderr, "lsnn eval: --trial-curve needs a regression task (l2l); %s's is not\n",
                dir);
        goto out;
    }
    if (regression && (lsnn_window_curve_init(&curve, lsnn_task_n_steps(task)) ||
                       lsnn_window_curve_init(&fixed_curve, lsnn_task_n_steps(task)))) {
        fprintf(stderr, "lsnn eval: out of memory\n");
        goto out;
    }
    int mode = lsnn_progress_mode(quiet);
    if (spec.task == LSNN_TASK_NAVIGATION) { /* closed loop (docs/navigation.md) */
        rc = cli_nav_eval(dir, &spec, &net, (int)samples, ref ? &fixed : NULL, json, mode);
        goto out;
    }
    int total = lsnn_task_test_count(task);
    if (samples > 0 && samples < total) total = (int)samples;
    lsnn_progress p;
    lsnn_progress_begin(
        &p, ref ? "lsnn eval: float network, test sequence" : "lsnn eval: test sequence", total,
        mode);
    en = lsnn_engine_new((int)threads);
    int failed = !en || lsnn_evaluate_progress(en, &spec, &net, task, (int)samples, spec.batch_size,
                                               &p, &r, &e);
    lsnn_progress_end(&p);
    if (!failed && regression)
        failed = lsnn_evaluate_windows(en, &net, task, (int)samples, spec.batch_size, &curve, &e);
    if (failed) {
        fprintf(stderr, "lsnn eval: %s\n", en ? e.msg : "out of memory");
        goto out;
    }
    if (cli_curve_write("eval", &curve, trial_curve)) goto out;
    cli_run_hooks h = {NULL, NULL, NULL, NULL, "lsnn eval: reference core", mode};
    if (regression) h.seq_done = cli_curve_seq_done, h.seq_ctx = &fixed_curve;
    if (ref && cli_run_task(&fixed, task, (int)samples, spec.batch_size, &h, &fx, &e)) {
        fprintf(stderr, "lsnn eval: reference core: %s\n", e.msg);
        goto out;
    }
    lsnn_connectivity_of(&spec, &net, &dr, &conn);
    report_eval_data d = {.dir = dir,
                          .spec = &spec,
                          .n_rec = net.n_rec,
                          .metric = lsnn_task_metric(task),
                          .r = &r,
                          .conn = &conn,
                          .fixed = ref ? &fx : NULL,
                          .hw = &cfg,
                          .n_cores = cc.n_cores,
                          .curve = regression ? &curve : NULL,
                          .fixed_curve = regression && ref ? &fixed_curve : NULL};
    if (json)
        report_eval_json(&d);
    else
        report_eval_text(&d);
    rc = 0;
out:
    lsnn_window_curve_free(&curve);
    lsnn_window_curve_free(&fixed_curve);
    cli_fixed_free(&fixed);
    lsnn_cc_free(&cc);
    lsnn_engine_free(en);
    lsnn_task_close(task);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return rc;
}
