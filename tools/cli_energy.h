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

/* SYN words each core of fx's chip uses (the largest base + cnt of its axon table), into
 * words[0 .. ncores-1]. This function can't fail. */
void cli_energy_syn_words(const cli_fixed *fx, uint32_t *words);

/* The accuracy beside the LSNN's energy: from DIR/eval.json when it exists (the output of
 * `lsnn eval DIR --json`: its "accuracy" and "sequences"), else *acc and *n are left as the
 * caller set them (this run's). Returns 1 if eval.json gave them, 0 if there is none, -1 with
 * a message naming the file and the field if it exists but is unreadable or malformed. */
int cli_energy_eval_accuracy(const char *dir, double *acc, int *n, lsnn_error *e);

#endif
