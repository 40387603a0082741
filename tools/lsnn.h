/* lsnn.h - shared helpers of the lsnn command line. */
#ifndef LSNN_CLI_H
#define LSNN_CLI_H

#include <stdio.h>

#include "compiler.h"
#include "engine.h"
#include "hwconfig.h"
#include "ref_core.h"
#include "spec.h"

/* The hardware config used when --hw is not given (relative to the current directory). */
#define LSNN_CLI_DEFAULT_HW "models/hw/default.yaml"

typedef struct lsnn_deepr lsnn_deepr;

int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_compile(int argc, char **argv);

/* Parses a decimal integer option value in [lo, hi]; prints an error and returns -1 on bad
 * input. */
int cli_int(const char *opt, const char *s, long lo, long hi, long *out);

/* Prints s to f as a JSON string (quotes, backslashes and control characters escaped). */
void cli_json_string(FILE *f, const char *s);

/* Loads RUN_DIR's model.yaml and weights.safetensors (with the DEEP R state, if any). Prints
 * "lsnn CMD: ..." and returns -1 on failure (nothing left to free). */
int cli_load_model(const char *cmd, const char *dir, lsnn_spec *spec, lsnn_net *net,
                   lsnn_deepr *dr);

/* Loads the hardware config: path, or LSNN_CLI_DEFAULT_HW if it exists, or the built-in
 * defaults; weight_bits > 0 overrides core.weight_bits. Prints and returns -1 on failure. */
int cli_load_hw(const char *cmd, const char *path, int weight_bits, lsnn_hw_config *cfg);

/* Compiles net onto one core of cfg and programs a fresh reference core with it. Prints the
 * compiler's message and returns -1 on failure (cc must still be freed with lsnn_cc_free). */
int cli_compile(const char *cmd, const lsnn_spec *spec, const lsnn_net *net,
                const lsnn_hw_config *cfg, lsnn_compiled *cc, lsnn_ref_core **core);

#endif
