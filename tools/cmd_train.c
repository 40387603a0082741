/* cmd_train.c - `lsnn train`: option parsing around lsnn_train(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "commands.h"
#include "train.h"

static const char *usage =
    "usage: lsnn train MODEL.yaml -o RUN_DIR [options]\n"
    "\n"
    "Trains the model spec with BPTT and Adam. RUN_DIR receives model.yaml (the effective\n"
    "spec), weights.safetensors (the trained model), checkpoint.safetensors and curve.csv.\n"
    "\n"
    "options:\n"
    "  -o, --out RUN_DIR   output directory (required)\n"
    "  --iters N           train to N iterations instead of the spec's training.iterations\n"
    "  --resume            continue from RUN_DIR/checkpoint.safetensors (bit-identical to an\n"
    "                      uninterrupted run); MODEL.yaml may then be omitted\n"
    "  --threads N         worker threads (default 2); results do not depend on N\n"
    "  --seed S            override the spec's seed (fresh runs only)\n"
    "  --log-every N       also print a plain log line every N iterations\n"
    "  --quiet             no progress line\n"
    "  -h, --help          this help\n";

int cmd_train(int argc, char **argv)
{
    lsnn_train_opts o = {.threads = 2, .progress = isatty(2)};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        long v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--out")) {
            if (!next) return fprintf(stderr, "lsnn train: %s needs a directory\n", a), 2;
            o.run_dir = argv[++i];
        } else if (!strcmp(a, "--iters")) {
            if (cli_int(a, next, 1, 1000000000L, &v)) return 2;
            o.iters = v, i++;
        } else if (!strcmp(a, "--threads")) {
            if (cli_int(a, next, 1, 64, &v)) return 2;
            o.threads = (int)v, i++;
        } else if (!strcmp(a, "--seed")) {
            if (cli_int(a, next, 0, 0x7fffffffffffffffL, &v)) return 2;
            o.seed = (uint64_t)v, o.has_seed = 1, i++;
        } else if (!strcmp(a, "--log-every")) {
            if (cli_int(a, next, 1, 1000000000L, &v)) return 2;
            o.log_every = (int)v, i++;
        } else if (!strcmp(a, "--resume")) {
            o.resume = 1;
        } else if (!strcmp(a, "--quiet")) {
            o.progress = 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "lsnn train: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!o.spec_path) {
            o.spec_path = a;
        } else {
            fprintf(stderr, "lsnn train: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (!o.run_dir || (!o.spec_path && !o.resume)) {
        fputs(usage, stderr);
        return 2;
    }
    lsnn_error e;
    if (lsnn_train(&o, &e)) {
        fprintf(stderr, "lsnn train: %s\n", e.msg);
        return 1;
    }
    return 0;
}
