/* cmd_compile.c - `lsnn compile`: quantises and places a trained model onto neurocores and
 * writes its hardware image. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "cli_util.h"
#include "commands.h"
#include "compiler.h"
#include "deepr.h"
#include "eval.h"
#include "image.h"
#include "lsnn_fixed.h"
#include "spec.h"

static const char *usage =
    "usage: lsnn compile RUN_DIR -o IMAGE_DIR [options]\n"
    "\n"
    "Compiles the trained model in RUN_DIR (model.yaml + weights.safetensors) onto the\n"
    "neurocores of a hardware config: quantises it (docs/neurocore.md §4), places it on one\n"
    "core or, when it does not fit, on several (§7), routes spikes between them, checks the\n"
    "design rules (§13) and writes the hardware image to IMAGE_DIR: image.bin, manifest.yaml\n"
    "(with the host's map of neurons, inputs and readouts), model.yaml and one $readmemh file\n"
    "per memory per core. Prints the quantisation report and each core's utilisation.\n"
    "\n"
    "options:\n"
    "  -o, --out IMAGE_DIR  output directory of the image (required)\n"
    "  --hw FILE            hardware config (default: " LSNN_CLI_DEFAULT_HW ",\n"
    "                       or the built-in default core if that file does not exist)\n"
    "  --weight-bits N      override the config's core.weight_bits (W), 2..16\n"
    "  --calibrate N        check the quantised network on the first N test sequences\n"
    "                       against the float one: silence, firing rate, saturations\n"
    "                       (default 8; 0 = skip)\n"
    "  --json               print one JSON object instead of text\n"
    "  -h, --help           this help\n";

static void print_json(const char *dir, const char *out, const lsnn_spec *spec,
                       const lsnn_compiled *cc)
{
    const lsnn_cc_report *r = &cc->report;
    printf("{\"run\": ");
    cli_json_string(stdout, dir);
    printf(", \"image\": ");
    cli_json_string(stdout, out);
    printf(", \"model\": ");
    cli_json_string(stdout, spec->name);
    printf(", \"hw\": ");
    cli_json_string(stdout, cc->cfg.name);
    printf(", \"weight_bits\": %d, \"cores\": [", cc->cfg.weight_bits);
    long routes = 0;
    for (int c = 0; c < cc->n_cores; c++) {
        const lsnn_cc_core *k = &cc->core[c];
        const lsnn_cc_usage *u = &k->usage;
        routes += k->n_rte;
        printf("%s{\"id\": %u, \"first_neuron\": %u, \"neurons\": [%u, %u], \"axons\": [%u, "
               "%u], \"synapse_words\": [%u, %u], \"route_entries\": [%u, %u], \"profiles\": "
               "[%u, %u], \"synapses\": %ld}",
               c ? ", " : "", k->id, k->first, u->neurons, u->neurons_max, u->axons, u->axons_max,
               u->words, u->words_max, u->routes, u->routes_max, u->profiles, u->profiles_max,
               u->synapses);
    }
    printf("], \"routing\": {\"entries\": %ld, \"relative\": %s, \"explicit_entries\": %ld}, ",
           routes, cc->opt.route_rel ? "true" : "false", cc->routes_explicit);
    printf("\"quantisation\": {\"weights\": %ld, \"clipped\": %ld, \"dropped\": %ld, "
           "\"max_err_lsb\": %.6f, \"max_err_v\": %.6g, \"leak_warnings\": %d, "
           "\"acc_never_saturates\": %s, \"e_r\": %d, \"populations\": {",
           r->n_weights, r->n_clipped, r->n_dropped, r->max_err_lsb, r->max_err_v, r->n_leak_warn,
           r->acc_never_sat ? "true" : "false", cc->e_r);
    for (int p = 0; p < cc->n_pops; p++) {
        printf("%s", p ? ", " : "");
        cli_json_string(stdout, cc->pops[p].name);
        printf(": {\"first\": %d, \"size\": %d, \"e\": %d}", cc->pops[p].first, cc->pops[p].size,
               cc->pops[p].e);
    }
    printf("}, \"log\": ");
    cli_json_string(stdout, r->log);
    printf("}");
}

/* §13's calibration: the first n test sequences on the float engine and on the compiled
 * network; a silent or saturating quantised network is a warning, not an error. */
typedef struct {
    int done, n_seq;
    double float_hz, fixed_hz;
    uint64_t sat[4]; /* acc, v, readout, a */
    char skipped[LSNN_ERR_LEN];
} calibration;

static void calibrate(const lsnn_spec *spec, const lsnn_net *net, cli_fixed *fx, lsnn_compiled *cc,
                      int n, calibration *cal)
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

static uint64_t cal_saturations(const calibration *c)
{
    return c->sat[0] + c->sat[1] + c->sat[2] + c->sat[3];
}

static void print_calibration(const calibration *c)
{
    if (!c->done) {
        if (c->skipped[0]) printf("calibration skipped: %s\n", c->skipped);
        return;
    }
    printf("calibration (%d test sequences): float %.2f Hz, fixed point %.2f Hz; saturations: "
           "acc %" PRIu64 ", v %" PRIu64 ", readout %" PRIu64 ", a %" PRIu64 "\n",
           c->n_seq, c->float_hz, c->fixed_hz, c->sat[0], c->sat[1], c->sat[2], c->sat[3]);
    /* silence is the compiler report's verdict (lsnn_cc_note_silence), printed with it */
    if (c->fixed_hz > 0 && c->float_hz > 0 &&
        (c->fixed_hz < 0.5 * c->float_hz || c->fixed_hz > 2 * c->float_hz))
        printf("warning: the quantised network fires at %.2f Hz, the float network at %.2f Hz\n",
               c->fixed_hz, c->float_hz);
    if (cal_saturations(c))
        printf("warning: %" PRIu64 " saturations on the calibration sequences (counted and "
               "defined, but the float network never saturates)\n",
               cal_saturations(c));
}

int cmd_compile(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL, *hw = NULL;
    int json = 0, weight_bits = 0, calib = 8;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        long v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--out")) {
            if (!next) return fprintf(stderr, "lsnn compile: %s needs a directory\n", a), 2;
            out = next, i++;
        } else if (!strcmp(a, "--hw")) {
            if (!next) return fprintf(stderr, "lsnn compile: --hw needs a file\n"), 2;
            hw = next, i++;
        } else if (!strcmp(a, "--calibrate")) {
            if (cli_int(a, next, 0, 100000, &v)) return 2;
            calib = (int)v, i++;
        } else if (!strcmp(a, "--weight-bits")) {
            if (cli_int(a, next, 2, 16, &v)) return 2;
            weight_bits = (int)v, i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "lsnn compile: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!dir) {
            dir = a;
        } else {
            fprintf(stderr, "lsnn compile: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (!dir || !out) {
        if (dir) fprintf(stderr, "lsnn compile: -o IMAGE_DIR is required\n");
        fputs(usage, stderr);
        return 2;
    }
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_hw_config cfg;
    lsnn_compiled cc;
    cli_fixed fx;
    lsnn_error e;
    char path[4096];
    int rc = 1;
    memset(&cc, 0, sizeof cc);
    memset(&fx, 0, sizeof fx);
    if (cli_load_model("compile", dir, &spec, &net, &dr)) return 1;
    if (cli_load_hw("compile", hw, weight_bits, &cfg) ||
        cli_compile("compile", &spec, &net, &cfg, &cc, &fx))
        goto out;
    /* the manifest's host section and the model spec make the directory self-contained */
    size_t n = 0;
    FILE *f = open_memstream(&fx.img.manifest_host, &n);
    if (!f) {
        fprintf(stderr, "lsnn compile: out of memory\n");
        goto out;
    }
    lsnn_hostmap_write(f, &fx.hm);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s", out, fx.hm.model);
    if (lsnn_image_write(&fx.img, out, &e) || lsnn_spec_save(path, &spec, &e)) {
        fprintf(stderr, "lsnn compile: writing %s: %s\n", out, e.msg);
        goto out;
    }
    calibration cal;
    calibrate(&spec, &net, &fx, &cc, calib, &cal);
    if (json) {
        print_json(dir, out, &spec, &cc);
        printf(", \"calibration\": {\"done\": %s, \"sequences\": %d, \"float_hz\": %.4f, "
               "\"fixed_hz\": %.4f, \"silent\": %s, \"saturations\": %" PRIu64 "}}\n",
               cal.done ? "true" : "false", cal.n_seq, cal.float_hz, cal.fixed_hz,
               cc.report.silent ? "true" : "false", cal_saturations(&cal));
    } else {
        printf("model %s compiled onto %d core%s of hw config '%s' (W = %d)\n", spec.name,
               cc.n_cores, cc.n_cores == 1 ? "" : "s", cfg.name, cfg.weight_bits);
        lsnn_cc_print_report(stdout, &cc);
        lsnn_cc_print_usage(stdout, &cc);
        print_calibration(&cal);
        printf("image written to %s (image.bin, manifest.yaml, %s, per-memory .hex files)\n", out,
               fx.hm.model);
    }
    rc = 0;
out:
    cli_fixed_free(&fx);
    lsnn_cc_free(&cc);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return rc;
}
