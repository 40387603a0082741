/* cli_model.h - what eval and compile start from: a trained run directory and a hardware
 * config. */
#ifndef LSNN_CLI_MODEL_H
#define LSNN_CLI_MODEL_H

#include "engine.h"
#include "hwconfig.h"
#include "spec.h"

/* The hardware config used when --hw is not given (relative to the current directory). */
#define LSNN_CLI_DEFAULT_HW "models/hw/default.yaml"

typedef struct lsnn_deepr lsnn_deepr;

/* Loads RUN_DIR's model.yaml and weights.safetensors (with the DEEP R state, if any). Prints
 * "lsnn CMD: ..." and returns -1 on failure (nothing left to free). */
int cli_load_model(const char *cmd, const char *dir, lsnn_spec *spec, lsnn_net *net,
                   lsnn_deepr *dr);

/* Loads the hardware config: path, or LSNN_CLI_DEFAULT_HW if it exists, or the built-in
 * defaults; weight_bits > 0 overrides core.weight_bits. Prints and returns -1 on failure. */
int cli_load_hw(const char *cmd, const char *path, int weight_bits, lsnn_hw_config *cfg);

#endif
