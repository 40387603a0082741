/* lsnn.c - the lsnn command line: the table of commands, which drives both dispatch and the
 * top-level usage. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "hwconfig.h"
#include "lsnn_version.h" /* LSNN_GIT_HASH, generated at build time (tools/version.cmake) */

/* lsnn --version: the version, the source tree's git hash and the neurocore contract version
 * (docs/neurocore.md) this build implements. */
static int cmd_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) return fprintf(stderr, "lsnn version: takes no arguments\n"), 2;
    printf("lsnn %s (git %s), neurocore contract version %d\n", LSNN_VERSION, LSNN_GIT_HASH,
           LSNN_NEUROCORE);
    return 0;
}

static const struct command {
    const char *name;
    const char *args; /* the command's usage line, shortened */
    const char *summary;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"train", "MODEL.yaml -o RUN_DIR", "train a model with BPTT (see lsnn train --help)",
     cmd_train},
    {"eval", "RUN_DIR", "test accuracy and firing rates of a trained model", cmd_eval},
    {"compile", "RUN_DIR -o IMAGE_DIR", "compile a trained model onto neurocores (hardware image)",
     cmd_compile},
    {"run", "IMAGE_DIR", "run an image on the bit-exact reference runtime", cmd_run},
    {"energy", "IMAGE_DIR", "energy and latency per inference from counted activity", cmd_energy},
    {"verify", "IMAGE_DIR", "the RTL neurocore against the reference, every tick", cmd_verify},
    {"trace-diff", "A.trace B.trace", "two tick traces compared to their first difference",
     cmd_trace_diff},
    {"plot", "KIND SOURCE -o OUT", "pictures: training curves, rasters, utilisation", cmd_plot},
    {"report", "IMAGE_DIR -o report.html",
     "one HTML page about an image: compile, cores, "
     "verification, energy",
     cmd_report},
    {"import-nir", "GRAPH.nir -o RUN_DIR", "a NIR graph as a run folder (docs/nir.md)",
     cmd_nir_import},
    {"export-nir", "RUN_DIR -o GRAPH.nir", "a run folder's network as a NIR graph", cmd_nir_export},
    {"version", "", "version, git hash, neurocore contract version (or --version)", cmd_version},
};

#define N_COMMANDS (int)(sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    int width = 0;
    for (int i = 0; i < N_COMMANDS; i++) {
        int w = (int)(strlen(commands[i].name) + !!commands[i].args[0] + strlen(commands[i].args));
        if (w > width) width = w;
    }
    fputs("usage: lsnn COMMAND [ARGS]\n"
          "\n"
          "Train, compile and run long short-term memory spiking networks (LSNNs).\n"
          "\n"
          "commands:\n",
          f);
    for (int i = 0; i < N_COMMANDS; i++) {
        const struct command *c = &commands[i];
        int w = (int)(strlen(c->name) + !!c->args[0] + strlen(c->args));
        fprintf(f, "  %s%s%s%*s  %s\n", c->name, c->args[0] ? " " : "", c->args, width - w, "",
                c->summary);
    }
    fputs("\nlsnn COMMAND --help lists the options of a command.\n", f);
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) return cmd_version(argc - 1, argv + 1);
    for (int i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "lsnn: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
