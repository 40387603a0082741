/* lsnn.c - the lsnn command line: dispatch to sub-commands. */
#include "lsnn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *usage =
    "usage: lsnn COMMAND [ARGS]\n"
    "\n"
    "Train, compile and run long short-term memory spiking networks (LSNNs).\n"
    "\n"
    "commands:\n"
    "  train MODEL.yaml -o RUN_DIR   train a model with BPTT (see lsnn train --help)\n"
    "  eval RUN_DIR                  test accuracy and firing rates of a trained model\n"
    "  compile RUN_DIR -o IMAGE_DIR  compile a trained model onto neurocores (hardware image)\n"
    "  run IMAGE_DIR                 run an image on the bit-exact reference runtime\n"
    "  energy IMAGE_DIR              energy and latency per inference from counted activity\n"
    "  verify IMAGE_DIR              the RTL neurocore against the reference, every tick\n"
    "\n"
    "lsnn COMMAND --help lists the options of a command.\n";

const char *cli_shipped(const char *rel)
{
    static char buf[4][4096];
    static int next;
    if (access(rel, F_OK) == 0) return rel;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", LSNN_SHARE_DIR, rel);
    return access(b, F_OK) == 0 ? b : rel;
}

int cli_int(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "lsnn: %s needs an integer in [%ld, %ld], got '%s'\n", opt, lo, hi,
                s ? s : "(nothing)");
        return -1;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "train")) return cmd_train(argc - 1, argv + 1);
    if (!strcmp(argv[1], "eval")) return cmd_eval(argc - 1, argv + 1);
    if (!strcmp(argv[1], "compile")) return cmd_compile(argc - 1, argv + 1);
    if (!strcmp(argv[1], "run")) return cmd_run(argc - 1, argv + 1);
    if (!strcmp(argv[1], "energy")) return cmd_energy(argc - 1, argv + 1);
    if (!strcmp(argv[1], "verify")) return cmd_verify(argc - 1, argv + 1);
    fprintf(stderr, "lsnn: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
