/* cmd_energy.c - `lsnn energy`: energy and latency per inference of an image, from the activity
 * the reference runtime counts, priced by technology tables; beside an LSTM on a MAC array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_energy.h"
#include "cli_lstm.h"
#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "plot_energy.h"
#include "energy.h"
#include "lsnn_fixed.h"
#include "progress.h"
#include "report_energy.h"
#include "targets.h"
#include "techtable.h"

/* The paragraph of lsnn energy --help between the usage and the options. */
static const char about[] =
    "Runs test sequences of the image's task (or --input) on the bit-exact reference chip,\n"
    "counts its activity (docs/neurocore.md §11, §16.9) and prices it with technology tables\n"
    "(docs/tech-tables.md): energy per inference by term, by core, by NoC link (flits per\n"
    "router output) and for the tick barrier, static energy, latency at the hardware config's\n"
    "clock from the chip's cycle model, NeuroBench-style counts, and the paper's LSTM-128 on\n"
    "the same task on a MAC accelerator (Horowitz 45 nm) for comparison (docs/energy.md says\n"
    "what each figure includes; total = cores + links + barrier).\n"
    "A table with the equal-terms sections (sram, logic_leakage, ops; docs/tech-tables.md)\n"
    "also prices the LSNN and the LSTM-128 (int8) on equal terms: one node, one SRAM model for\n"
    "every memory of both (banks of at most the same size), leakage per powered bit plus logic\n"
    "leakage for both, over busy time, over real time (the task's steps x tick period) and over\n"
    "real time with power gating; each network's accuracy beside its energy.\n"
    "--lstm RUN_DIR prices a trained LSTM (network.kind lstm, lsnn train) instead of the\n"
    "paper's: its inputs, hidden units, parameters and steps, and its test accuracy (from\n"
    "RUN_DIR/eval.json, else the float LSTM on the same test sequences).\n";

/* A positive real option: 0, or -1 with a message naming the option. */
static int parse_positive(const char *opt, const char *text, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !(v > 0 && v <= 1e9)) {
        fprintf(stderr, "lsnn energy: %s must be a number in (0, 1e9], got '%s'\n", opt, text);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_energy(int argc, char **argv)
{
    const char *dir = NULL, *lstm_tech = NULL, *input = NULL, *tick_arg = NULL, *fmax_arg = NULL;
    const char *lstm_run = NULL, *plot = NULL, *plot_mesh_to = NULL;
    const char *engine = "ref";
    cli_strs tech = {0};
    int json = 0, quiet = 0;
    long samples = 100, hidden = LSNN_LSTM_HIDDEN_DEFAULT, lstm_in = 0, lstm_steps = 0;
    const cli_arg args[] = {{"IMAGE_DIR", &dir, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STRS("--tech", &tech, "FILE",
                  "a neurocore technology table; repeatable (default: the shipped\n"
                  "tables, models/tech/own_180nm.yaml (the project's own gates, logic\n"
                  "only), odin_reckon_28nm.yaml and loihi_like.yaml)")},
        {CLI_STR("--lstm-tech", &lstm_tech, "FILE",
                 "the reference_ops table of the LSTM line\n"
                 "(default models/tech/horowitz_45nm.yaml)")},
        {CLI_STR("--lstm", &lstm_run, "RUN_DIR",
                 "a trained LSTM run (lsnn train on a network.kind lstm spec): the\n"
                 "LSTM line takes its sizes, parameters, steps and test accuracy")},
        {CLI_INT("--hidden", &hidden, "H", 1, 4096,
                 "LSTM hidden units (default 128, the paper's LSTM-128)")},
        {CLI_INT("--lstm-inputs", &lstm_in, "N", 1, 1 << 20,
                 "LSTM inputs per step (default: sMNIST 1, the grey value, as the\n"
                 "paper's LSTM; other tasks the LSNN's input channels)")},
        {CLI_INT("--lstm-steps", &lstm_steps, "T", 1, 1 << 20,
                 "LSTM steps per inference (default: sMNIST 784, one per pixel; other\n"
                 "tasks the LSNN's steps)")},
        {CLI_INT("--samples", &samples, "N", 1, 100000000,
                 "inferences to average over (default 100)")},
        {CLI_STR("--engine", &engine, "NAME",
                 "the engine that counts the activity: ref (default) or jit (the same\n"
                 "counts, bit-exact, from native code: faster over whole test sets);\n"
                 "one-core images")},
        {CLI_STR("--input", &input, "FILE",
                 "input spike trains (lsnn-spikes format) instead of the test set")},
        {CLI_STR("--tick-us", &tick_arg, "US",
                 "real-time tick period in microseconds (default: the model's dt_ms;\n"
                 "the LSTM's step is ext_time ticks on sMNIST, one tick otherwise)")},
        {CLI_STR("--fmax-mhz", &fmax_arg, "MHZ",
                 "clock of the second latency figure (default: the table's fmax_mhz\n"
                 "from synthesis if it has one, else the hardware config's clock)")},
        {CLI_STR("--plot", &plot, "FILE",
                 "also draw the energy by term and by core (FILE.png or FILE.svg;\n"
                 "gnuplot)")},
        {CLI_STR("--plot-mesh", &plot_mesh_to, "FILE",
                 "also draw the mesh with each link's flits per inference\n"
                 "(images on several cores)")},
        {CLI_FLAG("--json", &json, "print one JSON object instead of text")},
        {CLI_FLAG("--quiet", &quiet, "no progress on stderr")},
        {0},
    };
    const cli_cmd cmd = {"energy", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    if (lstm_run && (hidden != LSNN_LSTM_HIDDEN_DEFAULT || lstm_in || lstm_steps))
        return fprintf(stderr, "lsnn energy: --lstm takes the LSTM's sizes from its run; drop "
                               "--hidden, --lstm-inputs and --lstm-steps\n"),
               2;
    if (!tech.n) {
        tech.v[tech.n++] = cli_shipped("models/tech/own_180nm.yaml");
        tech.v[tech.n++] = cli_shipped("models/tech/odin_reckon_28nm.yaml");
        tech.v[tech.n++] = cli_shipped("models/tech/loihi_like.yaml");
    }
    if (!lstm_tech) lstm_tech = cli_shipped("models/tech/horowitz_45nm.yaml");
    lsnn_tech_table *tables = calloc((size_t)tech.n + 1, sizeof *tables);
    lsnn_energy_report *rep = calloc((size_t)tech.n, sizeof *rep);
    lsnn_equal_terms *et = calloc((size_t)tech.n, sizeof *et);
    int *et_of = calloc((size_t)tech.n, sizeof *et_of);
    uint32_t *syn_words = NULL;
    double tick_us = 0, fmax_mhz = 0;
    lsnn_error e;
    cli_fixed fx = {0};
    lsnn_spec spec;
    cli_input in = {0};
    cli_fixed_result r = {0};
    lsnn_lstm_energy lstm;
    lsnn_target other = {0};
    cli_lstm_run trained;
    rc = 1;
    if ((tick_arg && parse_positive("--tick-us", tick_arg, &tick_us)) ||
        (fmax_arg && parse_positive("--fmax-mhz", fmax_arg, &fmax_mhz)))
        goto out;
    if (!tables || !rep || !et || !et_of) {
        fprintf(stderr, "lsnn energy: out of memory\n");
        goto out;
    }
    for (int t = 0; t <= tech.n; t++) /* the neurocore tables, then the LSTM's */
        if (lsnn_tech_load(t < tech.n ? tech.v[t] : lstm_tech, &tables[t], &e)) {
            fprintf(stderr, "lsnn energy: %s\n", e.msg);
            goto out;
        }
    if (cli_open_image("energy", dir, &fx, &spec) ||
        cli_input_open("energy", input, &spec, fx.hm.n_out, &in))
        goto out;
    if (strcmp(engine, "ref")) {
        cli_target_opts o = {dir, NULL, 0, 0, 0, 0, NULL};
        if (!cli_target_known(engine) || cli_target_open(engine, &fx.img, &o, &other, &e)) {
            fprintf(stderr, "lsnn energy: %s\n",
                    cli_target_known(engine) ? e.msg : "unknown engine (ref or jit)");
            goto out;
        }
        fx.engine = other;
    }
    cli_run_hooks h = {NULL, NULL, NULL, NULL, "lsnn energy", lsnn_progress_mode(quiet)};
    if (cli_input_run(&fx, &in, (int)samples, spec.batch_size, &h, &r, &e)) {
        fprintf(stderr, "lsnn energy: %s\n", e.msg);
        goto out;
    }
    for (int t = 0; t < tech.n; t++)
        if (cli_energy_price(&fx, r.n_seq, &tables[t], &rep[t], &e)) {
            fprintf(stderr, "lsnn energy: %s: %s\n", tech.v[t], e.msg);
            goto out;
        }
    /* the paper's LSTM-128 reads the analog grey value, one pixel per step (lsnn-model.md) */
    int smnist = spec.task == LSNN_TASK_SMNIST && !input;
    if (!lstm_in) lstm_in = smnist ? 1 : fx.hm.n_in;
    if (!lstm_steps) lstm_steps = smnist ? 784 : in.steps;
    if (lstm_run) {
        if (cli_lstm_for_energy("energy", lstm_run, (int)samples, 2, quiet, &trained)) goto out;
        if (trained.spec.task != spec.task) {
            fprintf(stderr, "lsnn energy: --lstm %s learnt another task than the image's model\n",
                    lstm_run);
            goto out;
        }
        lstm_in = trained.spec.n_in, hidden = trained.spec.hidden, lstm_steps = trained.steps;
    }
    if (lsnn_lstm_energy_of_model(
            &tables[tech.n], (int)lstm_in, (int)hidden, fx.hm.n_out, (int)lstm_steps,
            lstm_run ? (double)trained.params
                     : 4.0 * hidden * (lstm_in + hidden + 1) + fx.hm.n_out * (hidden + 1.0),
            &lstm, &e)) {
        fprintf(stderr, "lsnn energy: LSTM line: %s\n", e.msg);
        goto out;
    }
    /* equal terms: every table that can price both lines on its own node */
    int n_et = 0;
    syn_words = calloc((size_t)fx.chip->ncores, sizeof *syn_words);
    if (!syn_words) goto out;
    cli_energy_syn_words(&fx, syn_words);
    if (!tick_us) tick_us = spec.dt_ms * 1000.0;
    double lstm_step_us = smnist ? tick_us * spec.smnist.ext_time : tick_us;
    if (lstm_run) /* a trained LSTM takes one step per tick of its own spec */
        lstm_step_us = tick_arg ? tick_us : trained.spec.dt_ms * 1000.0;
    for (int t = 0; t < tech.n; t++) {
        if (!tables[t].has_equal_terms) continue;
        double fmax = fmax_mhz ? fmax_mhz
                               : (tables[t].fmax_mhz ? tables[t].fmax_mhz : fx.chip->cfg.clock_mhz);
        if (lsnn_equal_terms_compute(&rep[t], &fx.chip->cfg, &tables[t], syn_words, &lstm, tick_us,
                                     lstm_step_us, fmax, &et[n_et], &e)) {
            fprintf(stderr, "lsnn energy: %s: %s\n", tech.v[t], e.msg);
            goto out;
        }
        et_of[n_et++] = t;
    }
    /* the LSNN's accuracy: the image folder's eval.json if there is one, else this run's */
    report_accuracy acc = {.labelled = in.labelled,
                           .lsnn = r.n_win ? (double)r.n_correct / r.n_win : 0,
                           .lsnn_n = r.n_seq,
                           .lsnn_source = "this run on the reference chip"};
    if (r.regression) acc.labelled = 0; /* an MSE, no accuracy (report_energy prints it) */
    int from_eval = r.regression ? 0 : cli_energy_eval_accuracy(dir, &acc.lsnn, &acc.lsnn_n, &e);
    if (from_eval < 0) {
        fprintf(stderr, "lsnn energy: %s\n", e.msg);
        goto out;
    }
    if (from_eval) {
        acc.labelled = 1;
        acc.lsnn_source = "eval.json in the image folder";
    }
    acc.lstm_known = smnist && hidden == LSNN_LSTM_HIDDEN_DEFAULT && spec.smnist.ext_time == 1;
    if (lstm_run) {
        acc.lstm_known = 1;
        acc.lstm = trained.acc;
        acc.lstm_n = trained.acc_n;
        acc.lstm_source = trained.source;
    }
    report_energy_data d = {dir, &spec,  fx.chip, &r, in.steps, in.labelled,
                            rep, tech.n, &lstm,   et, n_et,     &acc};
    if (json)
        report_energy_json(&d);
    else
        report_energy_text(&d);
    cli_wrote w = {0};
    if ((plot && plot_energy(&d, plot, 0, &e)) ||
        (plot_mesh_to && plot_mesh(&d, plot_mesh_to, 0, &e))) {
        fprintf(stderr, "lsnn energy: %s\n", e.msg);
        goto out;
    }
    cli_wrote_add(&w, "energy plot", plot, NULL);
    cli_wrote_add(&w, "mesh plot", plot_mesh_to, NULL);
    cli_wrote_print(&w, "energy", lsnn_progress_mode(quiet));
    rc = 0;
out:
    free(tables);
    free(rep);
    free(et);
    free(et_of);
    free(syn_words);
    cli_input_close(&in);
    lsnn_target_close(&other);
    cli_fixed_free(&fx);
    return rc;
}
