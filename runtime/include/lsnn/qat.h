/* qat.h - quantisation-aware training: the float network as the neurocore computes it.
 *
 * lsnn_qat_update fake-quantises a float network (the master parameters training updates) into
 * a second float network that the engine runs: every weight is the value its image synapse
 * has, m 2^(wexp - e) / q' (q' the represented 1 - alpha of its target, so the engine's
 * (1 - alpha) fold gives exactly m 2^wexp v-LSB), synapses the compiler drops are 0, and b0,
 * alpha, rho, beta, kappa, alpha_syn and the readout bias are the values the image's profiles
 * and host map represent. The integers come from quant.h, the code the compiler quantises with,
 * for the same hardware config and exponent rule, so the fake-quantised network and the image
 * compiled from the master network agree weight by weight (tests/test_qat.c).
 *
 * Training runs the engine on the fake-quantised network and hands its gradients (dL/dw at the
 * quantised weights) to the master parameters unchanged: the straight-through estimator
 * (docs/training.md, "Quantisation-aware training"). */
#ifndef LSNN_QAT_H
#define LSNN_QAT_H

#include <stdint.h>

#include "engine.h"
#include "error.h"
#include "hwconfig.h"
#include "spec.h"

typedef struct {
    lsnn_hw_config cfg; /* weight_bits, v_bits, a_frac_bits, decay_bits as the compiler uses them */
    int rule;           /* LSNN_WEXP_MAX or LSNN_WEXP_MSE (resolved) */
    lsnn_net net;       /* the fake-quantised network (own arrays) */
    int n_slots;        /* n_rec + n_out */
    int *slot_e;        /* [n_slots] scale of each neuron slot (readouts: e_r of the last update) */
    double *fold_q;     /* [n_slots] the compiler's fold factor 1 - alpha (1 - kappa), double */
    double *rep_q;      /* [n_slots] the represented one, k 2^-f of the slot's leak code */
    double *wt;         /* scratch: one row's folded weights */
    int32_t *m;         /* scratch: one row's mantissas */
    /* counts of the last update (as the compiler's report counts them) */
    long n_weights, n_clipped, n_dropped;
} lsnn_qat;

/* Sets up q for master's shapes and constants (populations and dt from spec) on cfg with
 * cfg->weight_bits-bit weights and exponent rule `rule` (quant.h; 0: the default), quantises
 * the constants (b0, alpha, rho, beta, kappa, alpha_syn) once and the parameters with
 * lsnn_qat_update. Returns 0, or -1 with e (q left freeable). */
int lsnn_qat_init(lsnn_qat *q, const lsnn_spec *spec, const lsnn_net *master,
                  const lsnn_hw_config *cfg, int rule, lsnn_error *e);

/* Fake-quantises master's w_in, w_rec, w_out and b_out (its constants must be the ones of
 * lsnn_qat_init) into q->net and returns it. Cannot fail. */
const lsnn_net *lsnn_qat_update(lsnn_qat *q, const lsnn_net *master);

void lsnn_qat_free(lsnn_qat *q);

#endif
