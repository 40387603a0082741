/* cmd_nir_export.c - `lsnn export-nir`: a run folder's network as a NIR graph (HDF5). */
#include <stdio.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "folder.h"
#include "model.h"
#include "nir.h"
#include "progress.h"

static const char about[] =
    "Writes the network of RUN_DIR (model.yaml + weights.safetensors) as a NIR graph (file\n"
    "format 1.0; docs/nir.md): Input -> [Delay ->] Linear -> one neuron node (LIF or CubaLIF)\n"
    "with its recurrent [Delay ->] Linear paths -> Linear -> LI readout -> [Affine: the readout\n"
    "bias] -> Output, one Linear per delay value. Adaptation (ALIF) and refractory periods,\n"
    "which NIR has no parameters for, make the neuron node this project's extension type\n"
    "lsnn.ALIF / lsnn.CubaALIF, which lsnn import-nir reads back and other NIR readers refuse;\n"
    "--drop-adaptation writes plain LIF nodes instead and warns for what it drops. The\n"
    "metadata keeps the step, the discretisation, the reset and the model spec.\n";

static void print_warning(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "lsnn export-nir: warning: %s\n", msg);
}

int cmd_nir_export(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    int disc = 0, drop = 0, quiet = 0;
    const cli_arg args[] = {{"RUN_DIR", &dir, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--out", &out, "GRAPH.nir", "the NIR file to write"), .short_name = 'o',
         .required = 1},
        {CLI_CHOICE("--discretisation", &disc, "zoh|euler",
                    "how time constants are written: zoh (default): tau as it is, the\n"
                    "decay being exp(-dt/tau); euler: tau = dt / (1 - exp(-dt/tau)), so\n"
                    "that forward Euler at dt decays as this network does")},
        {CLI_FLAG("--drop-adaptation", &drop,
                  "plain NIR LIF/CubaLIF neurons: drop ALIF adaptation and refractory\n"
                  "periods (a warning for each population)")},
        {CLI_FLAG("--quiet", &quiet, "no warnings and no final line on stderr")},
        {0},
    };
    const cli_cmd cmd = {"export-nir", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    char spec_path[4200], weights[4200];
    snprintf(spec_path, sizeof spec_path, "%s/model.yaml", dir);
    snprintf(weights, sizeof weights, "%s/weights.safetensors", dir);
    lsnn_spec spec;
    lsnn_net net;
    lsnn_error e;
    memset(&net, 0, sizeof net);
    if (lsnn_folder_expect(dir, LSNN_FOLDER_RUN, &e) || lsnn_spec_load(spec_path, &spec, &e)) {
        fprintf(stderr, "lsnn export-nir: %s\n", e.msg);
        return 1;
    }
    if (spec.network != LSNN_NET_LSNN) {
        fprintf(stderr,
                "lsnn export-nir: %s: an LSTM has no NIR form (NIR describes spiking "
                "networks)\n",
                dir);
        return 1;
    }
    if (lsnn_model_load(weights, &spec, &net, NULL, NULL, NULL, NULL, 0, &e)) {
        fprintf(stderr, "lsnn export-nir: %s\n", e.msg);
        return 1;
    }
    lsnn_nir_export_options o;
    lsnn_nir_export_defaults(&o);
    o.disc = disc ? LSNN_NIR_EULER : LSNN_NIR_ZOH;
    o.drop_adaptation = drop;
    o.warn = quiet ? NULL : print_warning;
    rc = lsnn_nir_export(out, &spec, &net, &o, &e) ? 1 : 0;
    if (rc)
        fprintf(stderr, "lsnn export-nir: %s\n", e.msg);
    else {
        cli_wrote w = {0};
        cli_wrote_add(&w, "NIR graph", out, drop ? "plain LIF" : NULL);
        cli_wrote_print(&w, "export-nir", quiet ? LSNN_PROGRESS_QUIET : LSNN_PROGRESS_LOG);
    }
    lsnn_net_free(&net);
    return rc;
}
