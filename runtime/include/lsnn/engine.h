/* engine.h - the float LSNN engine: forward pass and BPTT over a batch (spec §1-§2).
 *
 * Neuron model per step k (docs/training.md has the derivation of the backward pass):
 *   I_k  = ring slot k (input and recurrent spikes delivered with per-synapse delays)
 *   b_k  = rho*b_{k-1} + (1-rho)*z_{k-1}
 *   A_k  = b0 + beta*b_k
 *   v_k  = alpha*v_{k-1} + (1-alpha)*I_k - z_{k-1}*A_k
 *          (CUBA neurons, neurocore.md §17: i_k = alpha_syn*i_{k-1} + I_k, and v_k integrates
 *          i_k in place of I_k)
 *   z_k  = H((v_src - A_k)/A_k) unless refractory, v_src = v_k (new_v) or v_{k-1} (prev_v)
 * A spike z_{k-1} of neuron i with delay d into j lands in I_{k+d}; input x_k with delay d
 * lands in I_{k+d}. Readout: r_k = kappa*r_{k-1} + (1-kappa)*W_out^T z_k, out = r + b_out;
 * logits of a window = mean of out over it.
 *
 * The batch is cut into fixed chunks of LSNN_CHUNK sequences, vectorised across the
 * sequences of a chunk. Threads take whole chunks and per-chunk gradients are summed in
 * chunk order, so results are bit-identical for any thread count. */
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "real.h"

#ifndef LSNN_ENGINE_COMMON_H
#define LSNN_ENGINE_COMMON_H

#ifndef LSNN_CHUNK
#define LSNN_CHUNK 32 /* sequences per chunk: lanes of the vector loops */
#endif
#define LSNN_MAX_DELAY_SLOTS 64

typedef struct {
    double loss, loss_task, loss_reg; /* loss_task: CE, MSE or a custom loss (below) */
    int n_win, n_correct;             /* windows scored, argmax == label (0 for regression) */
    double mean_rate;                 /* spikes per step per neuron, over batch and time */
    double spikes_per_seq;            /* recurrent spikes per sequence */
} lsnn_result;

/* A loss over a batch's windows: given logits (n_win*n_out: each window's mean readout), it
 * writes glogit = dL/dlogits (n_win*n_out) and returns L; *n_correct counts the windows it
 * calls right. For losses that are not a function of each window alone (policy gradients
 * over a rollout, for example): ctx carries what they need. It must be deterministic. */
typedef double (*lsnn_loss_fn)(void *ctx, const lsnn_batch *batch, int n_out, const double *logits,
                               double *glogit, int *n_correct);

/* The built-in losses that lsnn_engine_run picks by batch->loss: mean cross-entropy over
 * windows, and mean squared error of logit[label] against the window's target. */
double lsnn_loss_cross_entropy(void *ctx, const lsnn_batch *batch, int n_out, const double *logits,
                               double *glogit, int *n_correct);
double lsnn_loss_mse(void *ctx, const lsnn_batch *batch, int n_out, const double *logits,
                     double *glogit, int *n_correct);

#endif

/* One guard per precision, so that the header can be included once for each. */
#if defined(LSNN_REAL_DOUBLE) && !defined(LSNN_ENGINE_F64_H)
#define LSNN_ENGINE_F64_H
#define LSNN_ENGINE_DECLARE
#elif !defined(LSNN_REAL_DOUBLE) && !defined(LSNN_ENGINE_H)
#define LSNN_ENGINE_H
#define LSNN_ENGINE_DECLARE
#endif

#ifdef LSNN_ENGINE_DECLARE
#undef LSNN_ENGINE_DECLARE
#define real LSNN_REAL

typedef struct {
    int n_in, n_rec, n_out, n_delay;
    int spike_from_prev_v; /* 1: spike from v_{k-1} (LSNN-official), 0: from v_k */
    int smooth;            /* test only: z = sigmoid(slope*vs) with its exact derivative */
    int dense_exec;        /* 1: run every synapse, zero or not (the dense path, for tests
                              and benchmarks); 0: only nonzero weights (same results) */
    int grad_active_only;  /* 1: w_in/w_rec gradients only where the weight is nonzero (DEEP R
                              fast and soft variants, which never read the others); 0: every
                              entry (dense training, official DEEP R's dormant entries) */
    real smooth_slope;
    real gamma;      /* pseudo-derivative dampening: dz/dvs = gamma*max(0, 1-|vs|) */
    real kappa;      /* readout decay exp(-dt/tau_out) */
    real reg_rate;   /* firing-rate regularisation coefficient */
    real reg_target; /* target spikes per step */
    /* per recurrent neuron */
    real *alpha, *rho, *beta, *b0;
    int *n_ref;
    int *cuba;       /* 1: current-based synapse (CUBA), 0: v integrates I_k (the default) */
    real *alpha_syn; /* CUBA current decay exp(-dt/tau_syn); read only where cuba is 1 */
    /* trainable parameters */
    real *w_in;  /* [n_in][n_rec] */
    real *w_rec; /* [n_rec][n_rec], diagonal 0 (no autapses) */
    real *w_out; /* [n_rec][n_out] */
    real *b_out; /* [n_out] */
    /* fixed delays (slots 0..n_delay-1) */
    uint8_t *d_in;  /* [n_in][n_rec] */
    uint8_t *d_rec; /* [n_rec][n_rec] */
} LSNN_FN(lsnn_net);

/* Gradients of the mean loss, same shapes as the parameters. */
typedef struct {
    real *w_in, *w_rec, *w_out, *b_out;
} LSNN_FN(lsnn_grads);

typedef struct LSNN_FN(lsnn_engine) LSNN_FN(lsnn_engine);

/* (clang-format would read "LSNN_FN(type) *p" as a multiplication.) */
/* clang-format off */
/* Allocates the arrays of a net (zeroed). Returns 0, or -1 on OOM (net left freeable). */
int LSNN_FN(lsnn_net_alloc)(LSNN_FN(lsnn_net) *net, int n_in, int n_rec, int n_out, int n_delay);
void LSNN_FN(lsnn_net_free)(LSNN_FN(lsnn_net) *net);
int LSNN_FN(lsnn_grads_alloc)(LSNN_FN(lsnn_grads) *g, const LSNN_FN(lsnn_net) *net);
void LSNN_FN(lsnn_grads_free)(LSNN_FN(lsnn_grads) *g);

LSNN_FN(lsnn_engine) *LSNN_FN(lsnn_engine_new)(int n_threads);
void LSNN_FN(lsnn_engine_free)(LSNN_FN(lsnn_engine) *en);

/* Runs the batch forward and, if grads is not NULL, backward: grads receive dL/dparams of
 * L = task loss + reg_rate * sum_j (rate_j - reg_target)^2, where the task loss is the mean
 * CE over windows, or their MSE for a regression batch (batch.h), or the engine's custom
 * loss (lsnn_engine_set_loss). logits (n_win*n_out) and rates (n_rec, spikes per step) may be
 * NULL. Returns 0, or -1 on OOM. */
int LSNN_FN(lsnn_engine_run)(LSNN_FN(lsnn_engine) *en, const LSNN_FN(lsnn_net) *net, const lsnn_batch *batch,
                             LSNN_FN(lsnn_grads) *grads, lsnn_result *res, real *logits, double *rates);

/* Makes every later run score its windows with fn(ctx, ...) in place of the batch's loss;
 * fn NULL goes back to the batch's. */
void LSNN_FN(lsnn_engine_set_loss)(LSNN_FN(lsnn_engine) *en, lsnn_loss_fn fn, void *ctx);

/* Which code runs the engine: "x86-64 (SSE2)", "x86-64-v4 (AVX-512)" (the portable build
 * picks it where the CPU has AVX-512; LSNN_ENGINE_ISA=baseline forbids it), "native
 * (-march=native)" or "generic". Both x86-64 flavours compute the same numbers. */
const char *LSNN_FN(lsnn_engine_isa)(const LSNN_FN(lsnn_engine) *en);

/* Splits every later run's batch over the ranks of comm (comm.h; NULL: this process runs it
 * all): this rank runs its range of chunks and the results (losses, logits, rates, grads) are
 * those of one process, bit for bit, on every rank. Every rank must run the same batches. */
struct lsnn_comm;
void LSNN_FN(lsnn_engine_set_comm)(LSNN_FN(lsnn_engine) *en, const struct lsnn_comm *comm);

/* After a run with grads != NULL: state of neuron i of sequence s after step t (a sequence
 * of this rank's chunks when the run was split). b reads 0 for a neuron with beta = 0: its
 * threshold does not adapt, and the engine does not keep its b. */
void LSNN_FN(lsnn_engine_state)(const LSNN_FN(lsnn_engine) *en, int s, int t, int i, real *v, real *b,
                                real *z);

/* clang-format on */
#undef real
#endif
