/* cmd_compile.c - `lsnn compile`: quantises and places a trained model onto neurocores and
 * writes its hardware image. */
#include <stdio.h>
#include <string.h>

#include "cli_calibrate.h"
#include "cli_model.h"
#include "cli_opts.h"
#include "commands.h"
#include "deepr.h"
#include "hostmap.h"
#include "image.h"
#include "lsnn_fixed.h"
#include "report_compile.h"
#include "spec.h"

/* The paragraph of lsnn compile --help between the usage and the options. */
static const char about[] =
    "Compiles the trained model in RUN_DIR (model.yaml + weights.safetensors) onto the\n"
    "neurocores of a hardware config: quantises it (docs/neurocore.md §4), places it on one\n"
    "core or, when it does not fit, on several (§7), routes spikes between them, checks the\n"
    "design rules (§13) and writes the hardware image to IMAGE_DIR: image.bin, manifest.yaml\n"
    "(with the host's map of neurons, inputs and readouts), model.yaml and one $readmemh file\n"
    "per memory per core. Prints the quantisation report and each core's utilisation.\n";

/* The image directory: image.bin, a manifest with the host map, and the model spec, which make
 * the directory self-contained. Prints and returns -1 on failure. */
static int write_image(const char *out, const lsnn_spec *spec, cli_fixed *fx)
{
    lsnn_error e;
    char path[4096];
    size_t n = 0;
    FILE *f = open_memstream(&fx->img.manifest_host, &n);
    if (!f) return fprintf(stderr, "lsnn compile: out of memory\n"), -1;
    lsnn_hostmap_write(f, &fx->hm);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s", out, fx->hm.model);
    if (lsnn_image_write(&fx->img, out, &e) || lsnn_spec_save(path, spec, &e)) {
        fprintf(stderr, "lsnn compile: writing %s: %s\n", out, e.msg);
        return -1;
    }
    return 0;
}

int cmd_compile(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL, *hw = NULL;
    int json = 0;
    long weight_bits = 0, calib = 8;
    const cli_arg args[] = {{"RUN_DIR", &dir, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--out", &out, "IMAGE_DIR", "output directory of the image (required)"),
         .short_name = 'o', .required = 1},
        {CLI_STR("--hw", &hw, "FILE",
                 "hardware config (default: " LSNN_CLI_DEFAULT_HW ",\n"
                 "or the built-in default core if that file does not exist)")},
        {CLI_INT("--weight-bits", &weight_bits, "N", 2, 16,
                 "override the config's core.weight_bits (W), 2..16")},
        {CLI_INT("--calibrate", &calib, "N", 0, 100000,
                 "check the quantised network on the first N test sequences\n"
                 "against the float one: silence, firing rate, saturations\n"
                 "(default 8; 0 = skip)")},
        {CLI_FLAG("--json", &json, "print one JSON object instead of text")},
        {0},
    };
    const cli_cmd cmd = {"compile", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_hw_config cfg;
    lsnn_compiled cc;
    cli_fixed fx;
    cli_calibration cal;
    rc = 1;
    memset(&cc, 0, sizeof cc);
    memset(&fx, 0, sizeof fx);
    if (cli_load_model("compile", dir, &spec, &net, &dr)) return 1;
    if (cli_load_hw("compile", hw, (int)weight_bits, &cfg) ||
        cli_compile("compile", &spec, &net, &cfg, &cc, &fx) || write_image(out, &spec, &fx))
        goto out;
    cli_calibrate(&spec, &net, &fx, &cc, (int)calib, &cal);
    if (json)
        report_compile_json(dir, out, &spec, &cc, &cal);
    else
        report_compile_text(out, fx.hm.model, &spec, &cc, &cal);
    rc = 0;
out:
    cli_fixed_free(&fx);
    lsnn_cc_free(&cc);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return rc;
}
