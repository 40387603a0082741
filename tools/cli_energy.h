/* cli_energy.h - a run on the reference chip as the energy model reads it. */
#ifndef LSNN_CLI_ENERGY_H
#define LSNN_CLI_ENERGY_H

#include "energy.h"
#include "error.h"
#include "lsnn_fixed.h"
#include "techtable.h"

/* Prices the activity fx's chip counted over n_seq inferences with a neurocore table. 0, or -1
 * with a message in e. */
int cli_energy_price(const cli_fixed *fx, int n_seq, const lsnn_tech_table *table,
                     lsnn_energy_report *rep, lsnn_error *e);

#endif
