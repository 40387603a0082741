/* cmd_train.c - `lsnn train`: option parsing around lsnn_train(). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_model.h"
#include "cli_opts.h"
#include "commands.h"
#include "memory.h"
#include "progress.h"
#include "quant.h"
#include "train.h"

/* The paragraph of lsnn train --help between the usage and the options. */
static const char about[] =
    "Trains the model spec with BPTT and Adam. RUN_DIR receives model.yaml (the effective\n"
    "spec), weights.safetensors (the trained model), checkpoint.safetensors and curve.csv.\n"
    "With --resume-from RUN it fine-tunes RUN's trained model instead of a fresh one (RUN's\n"
    "model.yaml, or MODEL.yaml for the same network with other training settings); with\n"
    "--qat BITS it trains quantisation-aware: the forward pass runs the network as lsnn\n"
    "compile quantises it for BITS-bit weights (docs/training.md, \"Quantisation-aware\n"
    "training\"), e.g. lsnn train --qat 4 --resume-from RUN --iters 300 --lr 0.001 -o OUT.\n";

/* The first SIGINT or SIGTERM asks the loop to stop after the current iteration and write a
 * checkpoint; a second one ends the process at once (the last checkpoint stays valid: every
 * write is atomic). */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    stop_requested = sig;
    signal(sig, SIG_DFL);
}

static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cmd_train(int argc, char **argv)
{
    const char *spec = NULL, *run_dir = NULL, *max_memory = NULL, *from = NULL, *lr = NULL,
               *hw = NULL;
    long iters = 0, threads = 2, seed = -1 /* the spec's */, log_every = 0, qat = 0;
    int resume = 0, quiet = 0, force = 0, exponents = -1;
    const cli_arg args[] = {{"MODEL.yaml", &spec, 0}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--out", &run_dir, "RUN_DIR", "output directory (required)"), .short_name = 'o',
         .required = 1},
        {CLI_INT("--iters", &iters, "N", 1, 1000000000L,
                 "train to N iterations instead of the spec's training.iterations")},
        {CLI_FLAG("--resume", &resume,
                  "continue from RUN_DIR/checkpoint.safetensors (bit-identical to an\n"
                  "uninterrupted run); MODEL.yaml may then be omitted")},
        {CLI_FLAG("--force", &force,
                  "a fresh run may replace the trained model already in RUN_DIR")},
        {CLI_INT("--threads", &threads, "N", 1, 64,
                 "worker threads (default 2); results do not depend on N")},
        {CLI_INT("--seed", &seed, "S", 0, 0x7fffffffffffffffL,
                 "override the spec's seed (fresh runs only)")},
        {CLI_INT("--log-every", &log_every, "N", 1, 1000000000L,
                 "also print a plain log line every N iterations")},
        {CLI_STR("--max-memory", &max_memory, "SIZE",
                 "refuse a run estimated to need more (e.g. 8G; default: the\n"
                 "memory this machine has available)")},
        {CLI_STR("--resume-from", &from, "RUN",
                 "start from the trained model of run folder RUN (fine-tuning: a\n"
                 "fresh run in RUN_DIR, with fresh Adam moments and curve)")},
        {CLI_INT("--qat", &qat, "BITS", 2, 16,
                 "quantisation-aware training for BITS-bit weights (training.qat)")},
        {CLI_CHOICE("--exponents", &exponents, "max|mse",
                    "the weight-exponent rule --qat quantises with (default: the\n"
                    "compiler's default, " LSNN_WEXP_DEFAULT_NAME ")")},
        {CLI_STR("--hw", &hw, "FILE",
                 "the hardware config --qat quantises for (default: " LSNN_CLI_DEFAULT_HW
                 ",\nor the built-in default core); its weight_bits are --qat's")},
        {CLI_STR("--lr", &lr, "LR",
                 "override training.optimizer.lr (fresh runs), e.g. for fine-tuning")},
        {CLI_FLAG("--quiet", &quiet, "print nothing but errors")},
        {0},
    };
    const cli_cmd cmd = {"train", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    if (!spec && !resume && !from) return cli_usage_error(&cmd);
    double lr_value = 0;
    if (lr) {
        char *end;
        lr_value = strtod(lr, &end);
        if (end == lr || *end || !(lr_value > 0 && lr_value <= 10)) {
            fprintf(stderr, "lsnn train: --lr: '%s' is not a learning rate in (0, 10]\n", lr);
            return 2;
        }
    }
    if ((exponents >= 0 || hw) && !qat && !resume) {
        fprintf(stderr, "lsnn train: --exponents and --hw go with --qat (or --resume of a "
                        "QAT run)\n");
        return 2;
    }
    lsnn_hw_config hw_cfg;
    if (cli_load_hw("train", hw, 0, &hw_cfg)) return 1;
    uint64_t max_mem = 0;
    if (max_memory && lsnn_memory_parse(max_memory, &max_mem)) {
        fprintf(stderr, "lsnn train: --max-memory: '%s' is not a size such as 512M or 8G\n",
                max_memory);
        return 2;
    }
    lsnn_train_opts o = {.spec_path = spec,
                         .run_dir = run_dir,
                         .iters = iters,
                         .resume = resume,
                         .threads = (int)threads,
                         .has_seed = seed >= 0,
                         .seed = seed >= 0 ? (uint64_t)seed : 0,
                         .force = force,
                         .max_memory = max_mem,
                         .log_every = (int)log_every,
                         .progress = lsnn_progress_mode(quiet),
                         .stop = &stop_requested,
                         .resume_from = from,
                         .qat_bits = (int)qat,
                         .qat_rule = exponents < 0 ? 0 : exponents + 1,
                         .lr = lr_value,
                         .hw = &hw_cfg};
    lsnn_error e;
    catch_stop_signals();
    rc = lsnn_train(&o, &e);
    if (rc == LSNN_TRAIN_STOPPED) {
        fprintf(stderr, "lsnn train: %s received: %s\n",
                stop_requested == SIGTERM ? "SIGTERM" : "SIGINT", e.msg);
        return 128 + (stop_requested == SIGTERM ? SIGTERM : SIGINT);
    }
    if (rc) {
        fprintf(stderr, "lsnn train: %s\n", e.msg);
        return 1;
    }
    return 0;
}
