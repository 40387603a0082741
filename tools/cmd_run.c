/* cmd_run.c - `lsnn run`: a hardware image on the bit-exact reference runtime, several cores
 * included; outputs, traces, VCD and activity counts. */
#include <stdio.h>
#include <string.h>

#include "cli_lstm.h"
#include "cli_opts.h"
#include "cli_run_outputs.h"
#include "cli_trial_curve.h"
#include "cli_vectors.h"
#include "cli_util.h"
#include "commands.h"
#include "lsnn_fixed.h"
#include "progress.h"
#include "report_run.h"
#include "targets.h"

/* The paragraph of lsnn run --help between the usage and the options. */
static const char about[] =
    "Runs a hardware image (lsnn compile) on the bit-exact fixed-point reference runtime: every\n"
    "core of the image, tick by tick as docs/neurocore.md says, spikes crossing cores through\n"
    "the routing tables. By default it runs test sequences of the task the model was trained\n"
    "on (the image's model.yaml) and prints the accuracy (a regression task's: the MSE,\n"
    "overall and by trial); it always prints the activity counts and the cycle model's\n"
    "cycles.\n";

int cmd_run(int argc, char **argv)
{
    const char *dir = NULL, *input = NULL, *dataset = NULL, *data_dir = NULL, *out = NULL,
               *trace = NULL, *vcd = NULL, *vectors = NULL, *vcd_ticks = NULL, *vcd_scope = NULL,
               *trial_curve = NULL;
    const char *engine = "ref";
    int json = 0, quiet = 0;
    long samples = 100;
    const cli_arg args[] = {{"IMAGE_DIR", &dir, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--engine", &engine, "NAME",
                 "ref: the reference runtime (default); rtl: the Verilog neurocore or\n"
                 "chip under Verilator; systemc: the chip's SystemC/TLM platform\n"
                 "(docs/systemc.md); jit: the image compiled to native code by the\n"
                 "LLVM backend (docs/llvm-backend.md); tools/targets.c lists them")},
        {CLI_STR("--input", &input, "FILE",
                 "input spike trains in the lsnn-spikes text format (docs/trace-format.md)")},
        {CLI_STR("--dataset", &dataset, "NAME",
                 "sMNIST models: test images of mnist or fashion-mnist (also called\n"
                 "fashion) instead of the model's dataset")},
        {CLI_STR("--data-dir", &data_dir, "DIR",
                 "its data: IDX files (sMNIST) or a TIMIT-layout corpus (speech)")},
        {CLI_INT("--samples", &samples, "N", 0, 100000000,
                 "run the first N test sequences (default 100; 0 = all)")},
        {CLI_STR("--out", &out, "FILE",
                 "one CSV line per scored window: sequence, label, prediction, scores")},
        {CLI_STR("--trial-curve", &trial_curve, "CSV",
                 "regression tasks (l2l): the MSE by trial index as CSV\n"
                 "(trial,mse,episodes)")},
        {CLI_STR("--trace", &trace, "FILE",
                 "every state variable of every neuron after every tick, and each\n"
                 "core's counter increments (docs/trace-format.md)")},
        {CLI_STR("--vcd", &vcd, "FILE",
                 "ref: the same states as a tick-level VCD for GTKWave; rtl: a\n"
                 "cycle-level VCD of every RTL signal (large: use few samples, or the\n"
                 "two options below)")},
        {CLI_STR("--vcd-ticks", &vcd_ticks, "A:B",
                 "only ticks A .. B-1 in the VCD, counting from 0 over the run (a\n"
                 "sequence of T steps takes T+1 ticks); A: or :B leave one end open")},
        {CLI_STR("--vcd-scope", &vcd_scope, "SCOPE",
                 "rtl: only the signals under this RTL instance, such as\n"
                 "neurocore.u_ctrl (docs/rtl.md lists the scopes)")},
        {CLI_STR("--vectors", &vectors, "FILE",
                 "the inputs and a digest of every state after every tick, for the\n"
                 "firmware of lsnn compile --emit obj to check itself against\n"
                 "(tools/mcu/; docs/llvm-backend.md); one-core images")},
        {CLI_FLAG("--json", &json, "print one JSON object instead of text")},
        {CLI_FLAG("--quiet", &quiet,
                  "no progress on stderr, no final line saying what was written")},
        {0},
    };
    const cli_cmd cmd = {"run", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    if (!cli_target_known(engine)) {
        char known[256];
        cli_target_names(known, sizeof known);
        fprintf(stderr, "lsnn run: unknown engine '%s' (engines: %s)\n", engine, known);
        return 2;
    }
    int rtl = strcmp(engine, "ref") != 0; /* another engine replaces the image's chip */
    long vcd_from = 0, vcd_to = 0;
    if ((vcd_ticks || vcd_scope) && !vcd) {
        fprintf(stderr, "lsnn run: --vcd-ticks and --vcd-scope limit a --vcd FILE\n");
        return 2;
    }
    if (vcd_ticks && cli_tick_range("run", vcd_ticks, &vcd_from, &vcd_to)) return 2;
    if (vcd_scope && !rtl) {
        fprintf(stderr, "lsnn run: --vcd-scope selects RTL signals (--engine rtl); the reference "
                        "runtime's tick-level VCD has no scopes to choose\n");
        return 2;
    }
    if (input && (dataset || data_dir)) {
        fprintf(stderr, "lsnn run: --input and --dataset/--data-dir exclude each other\n");
        return 2;
    }
    cli_fixed fx;
    lsnn_spec spec;
    cli_input in = {0};
    cli_run_outputs outs = {0};
    cli_fixed_result r = {0};
    lsnn_target other = {0};
    cli_vectors vec = {0};
    lsnn_window_curve curve = {0};
    lsnn_error e;
    rc = 1;
    if (cli_refuse_lstm("run", dir) || cli_open_image("run", dir, &fx, &spec)) return 1;
    if (cli_pick_dataset("run", &spec, dataset, data_dir)) goto out;
    if (cli_input_open("run", input, &spec, fx.hm.n_out, &in)) goto out;
    outs.steps = in.steps;
    outs.labelled = in.labelled;
    outs.vcd_from = vcd_from;
    outs.vcd_to = vcd_to;
    if (in.task && lsnn_task_regression(in.task)) {
        if (lsnn_window_curve_init(&curve, in.steps)) {
            fprintf(stderr, "lsnn run: out of memory\n");
            goto out;
        }
        outs.curve = &curve;
    } else if (trial_curve) {
        fprintf(stderr, "lsnn run: --trial-curve needs the test set of a regression task (l2l)\n");
        goto out;
    }
    if (rtl) { /* it replaces the chip; its --vcd is the simulator's cycle-level one */
        cli_target_opts o = {dir, vcd, 0, 0, vcd_from, vcd_to, vcd_scope};
        if (cli_target_open(engine, &fx.img, &o, &other, &e)) {
            fprintf(stderr, "lsnn run: %s\n", e.msg);
            goto out;
        }
        fx.engine = other;
    }
    if (vectors && cli_vectors_open(&vec, vectors, &fx.engine, &fx.img.cfg, &e)) {
        fprintf(stderr, "lsnn run: %s\n", e.msg);
        goto out;
    }
    if (cli_outputs_open(&outs, out, trace, rtl ? NULL : vcd, &fx, &e)) {
        fprintf(stderr, "lsnn run: %s\n", e.msg);
        goto out;
    }
    cli_run_hooks h = cli_outputs_hooks(&outs, "lsnn run");
    h.progress_mode = lsnn_progress_mode(quiet);
    double t0 = cli_now_s();
    int failed = cli_input_run(&fx, &in, (int)samples, spec.batch_size, &h, &r, &e);
    double secs = cli_now_s() - t0;
    if (failed || cli_outputs_close(&outs, &e) || (vectors && cli_vectors_close(&vec, &e))) {
        fprintf(stderr, "lsnn run: %s\n", e.msg);
        goto out;
    }
    if (outs.curve && cli_curve_write("run", &curve, trial_curve)) goto out;
    report_run_totals tot;
    report_run_totals_of(&fx, rtl, &tot);
    if (in.nav) tot.nav = &in.nav_tot;
    if (json)
        report_run_json(dir, &tot, &spec, &r, in.labelled, secs, outs.curve);
    else
        report_run_text(dir, &tot, &fx, &spec, &r, in.labelled, secs, outs.curve);
    rc = 0;
    cli_wrote w = {0}; /* the final line: what was written where */
    char lim[256];
    cli_vcd_limits(lim, sizeof lim, vcd_ticks != NULL, vcd_from, vcd_to, vcd_scope);
    cli_wrote_add(&w, "CSV", out, NULL);
    cli_wrote_add(&w, "trial curve", trial_curve, NULL);
    cli_wrote_add(&w, "trace", trace, NULL);
    cli_wrote_add(&w, "VCD", vcd, lim);
    cli_wrote_add(&w, "vectors", vectors, NULL);
    cli_wrote_print(&w, "run", h.progress_mode);
    if (report_run_time_differs(&tot)) {
        fprintf(stderr,
                "lsnn run: the %s engine's simulated time of the commands is not its "
                "chip cycles x clock period\n",
                tot.engine);
        rc = 1;
    }
out:
    lsnn_window_curve_free(&curve);
    cli_vectors_abort(&vec);
    cli_outputs_abort(&outs);
    cli_input_close(&in);
    lsnn_target_close(&other);
    cli_fixed_free(&fx);
    return rc;
}
