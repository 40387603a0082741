/* cli_lstm.h - what the commands do with an LSTM run (network.kind lstm): eval scores it in
 * float, energy prices it beside the LSNN, and compile, run and verify refuse it. */
#ifndef LSNN_CLI_LSTM_H
#define LSNN_CLI_LSTM_H

#include "lstm.h"
#include "spec.h"

/* Whether DIR's model.yaml is an LSTM's (an image folder or a folder without one: no). */
int cli_is_lstm_run(const char *dir);

/* When DIR holds an LSTM run: prints "lsnn CMD: DIR holds an LSTM ..." (it runs in float
 * only; the neurocore takes LSNNs) and returns -1; otherwise 0. */
int cli_refuse_lstm(const char *cmd, const char *dir);

/* Loads an LSTM run's model.yaml and weights.safetensors (data found as cli_find_data does).
 * Prints "lsnn CMD: ..." and returns -1 on failure (nothing left to free). */
int cli_load_lstm(const char *cmd, const char *dir, lsnn_spec *spec, lsnn_lstm *net);

/* lsnn eval RUN_DIR for an LSTM run: test error in float, text or JSON (the fields of the
 * LSNN's eval that apply: run, model, network, hidden, params, split, sequences, windows,
 * metric, error, accuracy, loss). Returns the exit status. */
int cli_eval_lstm(const char *dir, long samples, long threads, int json, int quiet);

/* A trained LSTM for lsnn energy --lstm: its spec and weights, and its test accuracy from
 * DIR/eval.json (lsnn eval DIR --json) or else from a float run over the first `samples` test
 * sequences. 0, or -1 after printing. */
typedef struct {
    lsnn_spec spec;
    long params;       /* trained parameters */
    int steps;         /* per inference: the task's steps */
    double acc;        /* fraction correct */
    int acc_n;         /* over this many test sequences */
    char source[1100]; /* where acc comes from */
} cli_lstm_run;

int cli_lstm_for_energy(const char *cmd, const char *dir, int samples, int threads, int quiet,
                        cli_lstm_run *out);

#endif
