/* cli_calibrate.h - compile's calibration (docs/neurocore.md §13): the first test sequences on
 * the float network and on the compiled one. */
#ifndef LSNN_CLI_CALIBRATE_H
#define LSNN_CLI_CALIBRATE_H

#include <stdint.h>

#include "compiler.h"
#include "engine.h"
#include "error.h"
#include "lsnn_fixed.h"
#include "spec.h"

typedef struct {
    int done, n_seq;
    double float_hz, fixed_hz;
    uint64_t sat[4];            /* acc, v, readout, a */
    char skipped[LSNN_ERR_LEN]; /* why it did not run, or "" when not asked for */
} cli_calibration;

/* Runs the first n test sequences (none if n <= 0) on both networks; notes a silent quantised
 * network in cc's report. A failure is not an error: it is recorded in cal->skipped. */
void cli_calibrate(const lsnn_spec *spec, const lsnn_net *net, cli_fixed *fx, lsnn_compiled *cc,
                   int n, cli_calibration *cal);

/* The saturations of all four kinds. */
uint64_t cli_cal_saturations(const cli_calibration *c);

#endif
