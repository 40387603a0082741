/* cmd_train.c - `lsnn train`: option parsing around lsnn_train(). */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_model.h"
#include "cli_opts.h"
#include "commands.h"
#include "lstm_train.h"
#include "nav_train.h"
#include "memory.h"
#include "mpi_comm.h"
#include "progress.h"
#include "quant.h"
#include "train.h"

/* The paragraph of lsnn train --help between the usage and the options. */
static const char about[] =
    "Trains the model spec with BPTT and Adam. RUN_DIR receives model.yaml (the effective\n"
    "spec), weights.safetensors (the trained model), checkpoint.safetensors and curve.csv.\n"
    "A spec with network.kind lstm trains the LSTM baseline the same way (docs/training.md).\n"
    "\n"
    "Data-parallel: mpirun -n R lsnn train ... splits each batch over R processes (ranks)\n"
    "that run whole chunks of 32 sequences (R at most batch_size / 32, rounded up), with\n"
    "results bit-identical to one process; rank 0 writes RUN_DIR and prints; --resume may\n"
    "use another R (docs/training.md, \"Data-parallel training\"). Needs an lsnn built with\n"
    "MPI (cmake -DLSNN_MPI=ON, the default where Open MPI is installed).\n"
    "\n"
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

/* "2h", "1.5h", "90m", "3600s" or "3600" (seconds) -> seconds > 0. Returns 0, -1 if bad. */
static int parse_duration(const char *text, double *seconds)
{
    char *end;
    double x = strtod(text, &end);
    double unit = *end == 'h' ? 3600 : *end == 'm' ? 60 : 1;
    if (*end == 'h' || *end == 'm' || *end == 's') end++;
    if (end == text || *end || !(x > 0) || !isfinite(x * unit)) return -1;
    *seconds = x * unit;
    return 0;
}

int cmd_train(int argc, char **argv)
{
    const char *spec = NULL, *run_dir = NULL, *max_memory = NULL, *max_time = NULL, *from = NULL,
               *lr = NULL, *hw = NULL;
    long iters = 0, threads = 0 /* 2, shared by the ranks of a machine */, seed = -1, log_every = 0,
         qat = 0;
    int resume = 0, quiet = 0, force = 0, exponents = -1, keep_best = 0;
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
                 "worker threads (default 2; under mpirun, per rank: 2 / the ranks\n"
                 "on this machine, at least 1); results do not depend on N")},
        {CLI_INT("--seed", &seed, "S", 0, 0x7fffffffffffffffL,
                 "override the spec's seed (fresh runs only)")},
        {CLI_INT("--log-every", &log_every, "N", 1, 1000000000L,
                 "also print a plain log line every N iterations")},
        {CLI_STR("--max-memory", &max_memory, "SIZE",
                 "refuse a run estimated to need more (e.g. 8G; default: the\n"
                 "memory this machine has available)")},
        {CLI_STR("--max-time", &max_time, "DURATION",
                 "a time budget for the whole run, all resumes together (e.g. 2h,\n"
                 "90m, 3600s): stops with a checkpoint once training has taken that long")},
        {CLI_FLAG("--keep-best", &keep_best,
                  "at each validation that beats the earlier ones, write RUN_DIR/best/:\n"
                  "a run folder of the weights with the lowest validation error")},
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
    double max_seconds = 0;
    if (max_time && parse_duration(max_time, &max_seconds)) {
        fprintf(stderr, "lsnn train: --max-time: '%s' is not a duration such as 2h, 90m or 3600s\n",
                max_time);
        return 2;
    }
    const lsnn_comm *comm;
    int local_ranks;
    lsnn_error e;
    if (lsnn_mpi_start(&comm, &local_ranks, &e)) {
        fprintf(stderr, "lsnn train: %s\n", e.msg);
        return 2;
    }
    if (!threads) threads = local_ranks >= 2 ? 1 : 2;
    lsnn_train_opts o = {.spec_path = spec,
                         .max_seconds = max_seconds,
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
                         .comm = comm,
                         .keep_best = keep_best,
                         .resume_from = from,
                         .qat_bits = (int)qat,
                         .qat_rule = exponents < 0 ? 0 : exponents + 1,
                         .lr = lr_value,
                         .hw = &hw_cfg};
    catch_stop_signals();
    int nav = lsnn_nav_train_wanted(&o);
    if ((lsnn_lstm_train_wanted(&o) || nav) && comm->size > 1) {
        if (!comm->rank)
            fprintf(stderr,
                    "lsnn train: %s trains in one process, not under mpirun with several "
                    "ranks\n",
                    nav ? "navigation (PPO)" : "the LSTM baseline");
        lsnn_mpi_finish(comm);
        return 2;
    }
    rc = lsnn_lstm_train_wanted(&o) ? lsnn_lstm_train(&o, &e)
         : nav                      ? lsnn_nav_train(&o, &e)
                                    : lsnn_train(&o, &e);
    /* ranks other than 0 say only what went wrong on them, and who they are */
    char who[32] = "";
    if (comm->size > 1 && comm->rank) snprintf(who, sizeof who, "rank %d: ", comm->rank);
    if (rc == LSNN_TRAIN_STOPPED) { /* the signal came here, or to another rank */
        int sig = stop_requested == SIGINT ? SIGINT : SIGTERM;
        if (!comm->rank && stop_requested)
            fprintf(stderr, "lsnn train: %s received: %s\n", sig == SIGINT ? "SIGINT" : "SIGTERM",
                    e.msg);
        else if (!comm->rank)
            fprintf(stderr, "lsnn train: another rank received a stop signal: %s\n", e.msg);
        lsnn_mpi_finish(comm);
        return 128 + sig;
    }
    if (rc == LSNN_TRAIN_FAILED_TOGETHER) { /* every rank knows: they end together */
        if (e.msg[0]) fprintf(stderr, "lsnn train: %s%s\n", who, e.msg);
        lsnn_mpi_finish(comm);
        return 1;
    }
    if (rc) {
        fprintf(stderr, "lsnn train: %s%s\n", who, e.msg);
        if (comm->size > 1) lsnn_mpi_abort(comm, 1); /* the other ranks may wait for this one */
        return 1;
    }
    lsnn_mpi_finish(comm);
    return 0;
}
