/* cmd_verify.c - `lsnn verify`: the RTL neurocore (Verilator) against the reference runtime,
 * every tick, every neuron, every variable, every counter, every cycle count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "commands.h"

#ifdef LSNN_HAVE_RTL
#include "cli_util.h"
#include "cli_verify_pair.h"
#include "lsnn_fixed.h"
#include "report_verify.h"
#include "rtl_core.h"
#endif

/* The paragraph of lsnn verify --help between the usage and the options. */
static const char about[] =
    "Runs the image on two engines with the same inputs and compares them after every tick:\n"
    "every state variable (v, a, ref, z) of every neuron, every activity counter of §11, the\n"
    "tick's cycle count (the RTL's cycles must equal the reference's cycle model, §10) and\n"
    "every output word. At the first divergence it prints the sequence, tick, core, neuron,\n"
    "variable and both values, and exits with status 1. By default the inputs are test\n"
    "sequences of the image's task.\n";

#ifdef LSNN_HAVE_RTL
/* Runs the input on the pair; prints the report. 0 equal, 1 diverged or failed. */
static int verify(const char *dir, cli_fixed *fx, cli_input *in, int samples, int batch,
                  const char *vcd, int readmemh, int json, cli_pair *p)
{
    lsnn_error e;
    cli_fixed_result r = {0};
    double t_load = cli_now_s();
    if (cli_pair_start(p, fx, dir, vcd, readmemh, &e))
        return fprintf(stderr, "lsnn verify: %s\n", e.msg), 1;
    t_load = cli_now_s() - t_load;
    uint64_t cyc0 = lsnn_rtl_cycles(p->rtl);
    double t0 = cli_now_s();
    cli_run_hooks h = {NULL, NULL, NULL, NULL, json ? NULL : "lsnn verify"};
    if (cli_input_run(fx, in, samples, batch, &h, &r, &e) && !p->diverged)
        return fprintf(stderr, "lsnn verify: RTL: %s\n", e.msg), 1;
    report_verify_data v = {.dir = dir,
                            .core_id = fx->img.cores[0].core_id,
                            .readmemh = readmemh,
                            .d = p->diverged ? &p->d : NULL,
                            .global_neuron =
                                p->diverged ? cli_divergence_neuron(&fx->hm, &p->d) : -1,
                            .n_seq = r.n_seq,
                            .ticks = p->ticks,
                            .counters = p->ref->counters,
                            .secs = cli_now_s() - t0,
                            .sim_cycles = lsnn_rtl_cycles(p->rtl) - cyc0,
                            .load_secs = t_load};
    if (json)
        report_verify_json(&v);
    else
        report_verify_text(&v);
    return p->diverged ? 1 : 0;
}
#endif

int cmd_verify(int argc, char **argv)
{
    const char *dir = NULL, *engines = "ref,rtl", *input = NULL, *dataset = NULL, *vcd = NULL,
               *data_dir = NULL;
    int json = 0, readmemh = 0;
    long samples = 10;
    const cli_arg args[] = {{"IMAGE_DIR", &dir, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--engines", &engines, "ref,rtl",
                 "the engines to compare (the only pair so far)")},
        {CLI_INT("--samples", &samples, "N", 0, 100000000, "test sequences (default 10; 0 = all)")},
        {CLI_STR("--input", &input, "FILE",
                 "input spike trains (lsnn-spikes format) instead of the test set")},
        {CLI_STR("--dataset", &dataset, "NAME",
                 "sMNIST models: mnist or fashion-mnist test images")},
        {CLI_STR("--data-dir", &data_dir, "DIR", "where that dataset's IDX files are")},
        {CLI_FLAG("--readmemh", &readmemh,
                  "load the RTL's memories with $readmemh from the image's hex files\n"
                  "instead of through the programming port")},
        {CLI_STR("--vcd", &vcd, "FILE",
                 "a cycle-level VCD of the RTL (large: use with few samples)")},
        {CLI_FLAG("--json", &json, "print one JSON object instead of text")},
        {0},
    };
    const cli_cmd cmd = {"verify", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
#ifndef LSNN_HAVE_RTL
    fprintf(stderr, "lsnn verify: this lsnn was built without Verilator, so it has no RTL engine; "
                    "run tools/setup.sh (it installs verilator) and rebuild\n");
    return 1;
#else
    if (strcmp(engines, "ref,rtl") && strcmp(engines, "rtl,ref"))
        return fprintf(stderr, "lsnn verify: --engines must be ref,rtl (got '%s')\n", engines), 2;
    if (input && (dataset || data_dir))
        return fprintf(stderr, "lsnn verify: --input and --dataset/--data-dir exclude each "
                               "other\n"),
               2;
    cli_fixed fx;
    lsnn_spec spec;
    cli_input in = {0};
    cli_pair *p = calloc(1, sizeof *p); /* the output words make it large */
    rc = 1;
    if (!p || cli_open_image("verify", dir, &fx, &spec)) {
        free(p);
        return 1;
    }
    lsnn_error e;
    if (cli_pair_fits(dir, &fx.img, &e))
        fprintf(stderr, "lsnn verify: %s\n", e.msg);
    else if (!cli_pick_dataset("verify", &spec, dataset, data_dir) &&
             !cli_input_open("verify", input, &spec, fx.hm.n_out, &in))
        rc = verify(dir, &fx, &in, (int)samples, spec.batch_size, vcd, readmemh, json, p);
    cli_pair_free(p);
    free(p);
    cli_input_close(&in);
    cli_fixed_free(&fx);
    return rc;
#endif
}
