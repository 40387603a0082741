/* cmd_nir_import.c - `lsnn import-nir`: a NIR graph (HDF5) as a run folder (model.yaml +
 * weights.safetensors) that compile, eval, run, verify and energy take like a trained one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "fileio.h"
#include "folder.h"
#include "model.h"
#include "nir.h"
#include "progress.h"

static const char about[] =
    "Reads a NIR graph (Neuromorphic Intermediate Representation, file format 1.0; docs/nir.md)\n"
    "and writes it as a run folder: model.yaml and weights.safetensors. The graph must be an\n"
    "Input, a chain of spiking nodes (LIF, CubaLIF, or this project's lsnn.ALIF /\n"
    "lsnn.CubaALIF), each with its recurrent paths, and an Output, with an LI readout before\n"
    "it or else one added that counts the last layer's spikes; layer k runs k - 1 steps\n"
    "behind the graph (docs/nir.md, \"Layers\"). Nodes are joined by Linear, Affine, Scale,\n"
    "Delay and subgraph nodes. NIR is continuous-time: the time constants are discretised at the\n"
    "step dt (--discretisation), and r and w_in are folded into the weights. What the neurons\n"
    "cannot express (v_leak != v_reset, a bias current, a reset to zero, more than 8 distinct\n"
    "neuron parameter sets, other node types) is refused with the node and parameter named.\n"
    "NIR has no task: the task and training settings come from --task-from, else from the\n"
    "spec lsnn export-nir keeps in the graph's metadata, else a store_recall task that fits.\n";

static void print_warning(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "lsnn import-nir: warning: %s\n", msg);
}

/* A positive number of an option, or -1 after printing a usage error. */
static double positive(const char *opt, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v > 0) || v > 1e9) {
        fprintf(stderr, "lsnn import-nir: %s: '%s' is not a positive number\n", opt, s);
        return -1;
    }
    return v;
}

int cmd_nir_import(int argc, char **argv)
{
    const char *graph = NULL, *out = NULL, *dt = NULL, *task_from = NULL, *name = NULL,
               *inputs = NULL;
    int disc = -1, unit = -1, reset = -1, force = 0, quiet = 0;
    const cli_arg args[] = {{"GRAPH.nir", &graph, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--out", &out, "RUN_DIR", "the run folder to write"), .short_name = 'o',
         .required = 1},
        {CLI_STR("--dt-ms", &dt, "X",
                 "the step in ms (default: the graph's metadata dt_ms, else 1)")},
        {CLI_CHOICE("--time-unit", &unit, "ms|s",
                    "the unit of the graph's time constants and delays (default: the\n"
                    "metadata's time_unit, else ms as NIR's documentation writes them;\n"
                    "snnTorch and Norse graphs are in s)")},
        {CLI_CHOICE("--discretisation", &disc, "zoh|euler",
                    "zoh: exact exponential decay exp(-dt/tau), input held over the step\n"
                    "(default, the decay of this project's neurons); euler: forward Euler,\n"
                    "decay 1 - dt/tau (snnTorch's export convention). Default: the\n"
                    "metadata's discretisation, else zoh")},
        {CLI_CHOICE("--reset", &reset, "subtract|zero",
                    "how the graph resets in discrete time: subtract (v_threshold -\n"
                    "v_reset) at the step after a spike (what the neurocore does), or\n"
                    "zero (set to v_reset; refused: the neurocore cannot). Default: the\n"
                    "metadata's reset, else subtract, with a warning")},
        {CLI_STR("--task-from", &task_from, "SPEC.yaml",
                 "keep the seed, task and training of this model spec")},
        {CLI_STR("--inputs", &inputs, "N",
                 "input channels (default: the graph's); more give channels without\n"
                 "synapses, so that the network fits a task of N inputs (--task-from)")},
        {CLI_STR("--name", &name, "NAME", "the model's name (default: the graph file's name)")},
        {CLI_FLAG("--force", &force, "replace a run folder that holds a model")},
        {CLI_FLAG("--quiet", &quiet, "no warnings and no final line on stderr")},
        {0},
    };
    const cli_cmd cmd = {"import-nir", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    lsnn_nir_import_options o;
    lsnn_nir_import_defaults(&o);
    if (dt && (o.dt_ms = positive("--dt-ms", dt)) < 0) return 2;
    if (unit >= 0) o.time_unit_ms = unit == 1 ? 1000 : 1;
    o.disc = disc < 0 ? LSNN_NIR_DISC_AUTO : (lsnn_nir_discretisation)disc;
    o.reset = reset < 0    ? LSNN_NIR_RESET_AUTO
              : reset == 0 ? LSNN_NIR_RESET_SUBTRACT
                           : LSNN_NIR_RESET_ZERO;
    if (inputs && (o.n_inputs = (int)positive("--inputs", inputs)) < 0) return 2;
    o.task_from = task_from;
    o.name = name;
    o.warn = quiet ? NULL : print_warning;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_error e;
    if (lsnn_nir_import(graph, &o, &spec, &net, &e)) {
        fprintf(stderr, "lsnn import-nir: %s\n", e.msg);
        return 1;
    }
    rc = 1;
    char path[4200];
    lsnn_folder_lock lock = {.fd = -1};
    if (lsnn_folder_lock_for(out, LSNN_FOLDER_RUN, "lsnn import-nir", &lock, &e)) {
        fprintf(stderr, "lsnn import-nir: -o %s: %s\n", out, e.msg);
        goto done;
    }
    snprintf(path, sizeof path, "%s/weights.safetensors", out);
    char ck[4200];
    snprintf(ck, sizeof ck, "%s/checkpoint.safetensors", out);
    if (!force && (lsnn_file_exists(path) || lsnn_file_exists(ck))) {
        fprintf(stderr, "lsnn import-nir: -o %s holds a model already; --force replaces it\n", out);
        goto done;
    }
    char yaml[4200];
    snprintf(yaml, sizeof yaml, "%s/model.yaml", out);
    if (lsnn_spec_save(yaml, &spec, &e) ||
        lsnn_model_save(path, &spec, &net, NULL, NULL, NULL, 0, 0, &e)) {
        fprintf(stderr, "lsnn import-nir: %s\n", e.msg);
        goto done;
    }
    if (force && lsnn_file_exists(ck)) remove(ck); /* a stale checkpoint of another model */
    rc = 0;
    char note[256];
    snprintf(note, sizeof note, "%d inputs, %d neurons in %d population%s, %d readouts", spec.n_in,
             lsnn_spec_n_rec(&spec), spec.n_pops, spec.n_pops == 1 ? "" : "s", spec.n_out);
    cli_wrote w = {0};
    cli_wrote_add(&w, "run", out, note);
    cli_wrote_print(&w, "import-nir", quiet ? LSNN_PROGRESS_QUIET : LSNN_PROGRESS_LOG);
done:
    lsnn_folder_unlock(&lock, rc != 0);
    lsnn_net_free(&net);
    return rc;
}
