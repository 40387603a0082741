/* finetune.h - the parts of lsnn_train (train.c) for fine-tuning and quantisation-aware
 * training: a fresh run that starts from another run's model (lsnn train --resume-from), the
 * overrides of the spec (--lr, --qat), and the fake-quantiser of a QAT run (qat.h). */
#ifndef LSNN_FINETUNE_H
#define LSNN_FINETUNE_H

#include "deepr.h"
#include "engine.h"
#include "error.h"
#include "hwconfig.h"
#include "qat.h"
#include "spec.h"

/* The spec of a run fine-tuned from run folder `from`: its model.yaml, or spec_path if not
 * NULL, which must describe the same model (name and network section) and supplies the
 * training settings. Refuses run_dir == from (the start must stay intact). */
int lsnn_finetune_spec(const char *from, const char *spec_path, const char *run_dir,
                       lsnn_spec *spec, lsnn_error *e);

/* Loads from/weights.safetensors (with its DEEP R state) into net and dr (allocated here):
 * the starting point of the fine-tuning run. */
int lsnn_finetune_load(const char *from, const lsnn_spec *spec, lsnn_net *net, lsnn_deepr *dr,
                       lsnn_error *e);

/* --lr (lr > 0) and --qat (qat_bits > 0, qat_rule) on a spec: a fresh run's spec takes them; a
 * resumed run compares the result with its own (so a different value is refused). A QAT
 * spec's exponent rule is then resolved to the one in use (quant.h), so model.yaml names it. */
void lsnn_finetune_overrides(double lr, int qat_bits, int qat_rule, lsnn_spec *spec);

/* The fake-quantiser of a QAT spec (spec->qat_bits > 0) for net on hw (NULL: the default core)
 * with the spec's weight bits and rule; says so on stderr unless quiet. Returns 0, or -1. */
int lsnn_finetune_qat_init(const lsnn_spec *spec, const lsnn_net *net, const lsnn_hw_config *hw,
                           int quiet, lsnn_qat *q, lsnn_error *e);

#endif
