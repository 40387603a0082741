/* report_eval.h - what lsnn eval prints: text or one JSON object. */
#ifndef LSNN_REPORT_EVAL_H
#define LSNN_REPORT_EVAL_H

#include "eval.h"
#include "hwconfig.h"
#include "lsnn_fixed.h"
#include "spec.h"
#include "window_curve.h"

/* What an evaluation measured. */
typedef struct {
    const char *dir; /* the run directory */
    const lsnn_spec *spec;
    int n_rec;          /* recurrent neurons */
    const char *metric; /* "recall error", "test error" */
    const lsnn_eval_result *r;
    const lsnn_connectivity *conn;
    const cli_fixed_result *fixed; /* --engine ref's run, or NULL */
    const lsnn_hw_config *hw;      /* the config it ran on (with fixed) */
    int n_cores;                   /* its cores (with fixed) */
    /* a regression task (l2l): the MSE by trial of the float network and of fixed (or NULL);
     * error is then the MSE, and no accuracy is printed */
    const lsnn_window_curve *curve, *fixed_curve;
} report_eval_data;

void report_eval_text(const report_eval_data *d);
void report_eval_json(const report_eval_data *d);

#endif
