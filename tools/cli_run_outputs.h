/* cli_run_outputs.h - the files lsnn run may write while it runs: one CSV line per scored window
 * (--out), every state after every tick (--trace) and the tick-level VCD (--vcd, limited to
 * a range of ticks by --vcd-ticks). Each is
 * written to a temporary name and appears only when the run completes. */
#ifndef LSNN_CLI_RUN_OUTPUTS_H
#define LSNN_CLI_RUN_OUTPUTS_H

#include "error.h"
#include "fileio.h"
#include "lsnn_fixed.h"
#include "trace.h"
#include "vcd.h"
#include "window_curve.h"

typedef struct {
    lsnn_trace *trace; /* the open ones, or NULL */
    lsnn_vcd *vcd;
    FILE *csv;
    lsnn_trace trace_file;
    lsnn_vcd vcd_file;
    lsnn_atomic_file csv_file;
    int steps;             /* per sequence */
    int labelled;          /* the windows carry labels */
    long vcd_from, vcd_to; /* --vcd-ticks: the ticks dumped, vcd_from .. vcd_to - 1 (0: no end) */
    long ticks;            /* ticks run so far */
    lsnn_window_curve *curve; /* a regression task's MSE by trial (set by the caller), or NULL */
} cli_run_outputs;

/* Opens the outputs whose path is non-NULL for a run of fx's engine; the CSV gets its header.
 * 0, or -1 with a message in e (cli_outputs_abort still applies). */
int cli_outputs_open(cli_run_outputs *o, const char *csv, const char *trace, const char *vcd,
                     const cli_fixed *fx, lsnn_error *e);

/* The run hooks that feed the open outputs. */
cli_run_hooks cli_outputs_hooks(cli_run_outputs *o, const char *progress);

/* Completes the outputs (each then has its final name). 0, or -1 with a message in e. */
int cli_outputs_close(cli_run_outputs *o, lsnn_error *e);

/* Removes what is still open. */
void cli_outputs_abort(cli_run_outputs *o);

#endif
