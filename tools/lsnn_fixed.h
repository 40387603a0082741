/* lsnn_fixed.h - the command line's fixed-point path (lsnn_fixed.c): compile a network in
 * memory or open an image, pick the inputs, and run sequences through an engine. */
#ifndef LSNN_CLI_FIXED_H
#define LSNN_CLI_FIXED_H

#include "batch.h"
#include "compiler.h"
#include "engine.h"
#include "error.h"
#include "hostmap.h"
#include "hwconfig.h"
#include "image.h"
#include "nav_env.h"
#include "ref_chip.h"
#include "ref_host.h"
#include "spec.h"
#include "task.h"

/* A fixed-point network ready to run: its image, its host map and a reference chip of it. */
typedef struct {
    lsnn_image img;
    lsnn_hostmap hm;
    lsnn_ref_chip *chip;
    lsnn_target engine; /* what cli_run_* drive: the chip, unless a caller replaces it */
} cli_fixed;

/* Compiles net onto cfg's cores with options opt (NULL: the defaults), builds the image and
 * host map in memory and a chip of it. Prints the compiler's message and returns -1 on failure
 * (cc and fx must still be freed with lsnn_cc_free and cli_fixed_free). */
int cli_compile(const char *cmd, const lsnn_spec *spec, const lsnn_net *net,
                const lsnn_hw_config *cfg, const lsnn_cc_options *opt, lsnn_compiled *cc,
                cli_fixed *fx);

/* Loads an image directory: image.bin (every check of the loader), the manifest's host map and
 * the model spec it names (into *spec). Prints and returns -1 on failure. */
int cli_open_image(const char *cmd, const char *dir, cli_fixed *fx, lsnn_spec *spec);

void cli_fixed_free(cli_fixed *fx);

/* 1 if dir holds an image (dir/image.bin exists). */
int cli_is_image(const char *dir);

/* sMNIST digits are read from data/mnist relative to the current directory; when they are not
 * there, from the source tree's data/mnist (cli_shipped), so images run from anywhere. */
void cli_find_data(lsnn_spec *spec);

/* --dataset NAME (mnist | fashion-mnist, also called fashion) and --data-dir DIR on an sMNIST
 * spec (both may be NULL). Prints "lsnn CMD: ..." and returns -1 for another task or an
 * unknown name. */
int cli_pick_dataset(const char *cmd, lsnn_spec *spec, const char *name, const char *dir);

/* What the runs of cli_run_* add up. */
typedef lsnn_host_totals cli_fixed_result;

/* Optional observers of a run: after every tick, after every sequence (seq counts from 0
 * over the whole run in both; q is its index in batch b). */
typedef struct {
    lsnn_host_tick_fn tick;
    void *tick_ctx;
    void (*seq_done)(void *ctx, int seq, const lsnn_batch *b, int q, const lsnn_host_result *r);
    void *seq_ctx;
    const char *progress; /* a label ("lsnn run"); NULL: no progress */
    int progress_mode;    /* lsnn_progress_mode(quiet) (progress.h); 0 = quiet */
} cli_run_hooks;

/* Runs the first max_seq test sequences of task (all if max_seq <= 0), batch by batch, on
 * fx->engine; adds to *r. 0 or -1. */
int cli_run_task(cli_fixed *fx, lsnn_task *task, int max_seq, int batch, const cli_run_hooks *h,
                 cli_fixed_result *r, lsnn_error *e);

/* The inputs of run, energy and verify: a spike file (--input) or the test set of the task. */
typedef struct {
    lsnn_task *task;  /* the test set; NULL for a spike file */
    lsnn_batch batch; /* the spike file's sequences */
    int labelled;     /* the windows carry labels (always for the test set) */
    int steps;        /* steps per sequence */
    /* navigation (cli_nav.h): the test set is closed-loop episodes, not recorded sequences */
    int nav;
    lsnn_spec spec;
    lsnn_nav_totals nav_tot; /* what cli_input_run's episodes added up */
} cli_input;

/* Opens the spike file (file non-NULL; labels bounded by n_out) or the spec's test set.
 * Prints "lsnn CMD: ..." and returns -1 on failure (cli_input_close still applies). */
int cli_input_open(const char *cmd, const char *file, const lsnn_spec *spec, int n_out,
                   cli_input *in);

/* Runs the input on fx->engine: every sequence of a spike file, or the first max_seq test
 * sequences (all if max_seq <= 0) in batches of `batch`; a navigation model's test set runs
 * as closed-loop episodes (cli_nav.h: no tick hooks). Adds to *r. 0 or -1. */
int cli_input_run(cli_fixed *fx, cli_input *in, int max_seq, int batch, const cli_run_hooks *h,
                  cli_fixed_result *r, lsnn_error *e);

/* Test episodes 0 .. max_ep-1 (max_ep <= 0: task.test_size) on fx->engine in closed loop
 * (nav_host.h); adds the sequences, steps and spikes to *r and the goals and path lengths to
 * *nav; h's progress label and mode (h may be NULL). 0, or -1 with e. */
int cli_nav_run(cli_fixed *fx, const lsnn_spec *spec, int max_ep, const cli_run_hooks *h,
                cli_fixed_result *r, lsnn_nav_totals *nav, lsnn_error *e);

void cli_input_close(cli_input *in);

#endif
